#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian (bookworm) package that building carp and running its
# VM test suite needs. Idempotent and fast: dpkg-query decides first, and
# apt-get (including `apt-get update`) runs only when something is missing.
# Must run as root (it is a no-op for non-root when nothing is missing).
#   --debug-kernel  also what building a kernel needs (make check-debug)
set -euo pipefail

PKGS=(
	# toolchain
	build-essential make gcc pkg-config sparse
	# kernels + headers the module is built and tested against
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	# checkpatch.pl, kselftest framework, ynl (extracted by extract-linux-source.sh)
	linux-source-6.12
	# the DKMS check (dkms.conf)
	dkms
	# carpctl
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	# carpctl under ASan+UBSan and its libFuzzer targets (make check)
	clang libclang-rt-14-dev
	# tools/iproute2/test.sh (make check): the netlink message ip sends
	strace
	# the VM
	qemu-system-x86 busybox-static kmod cpio xz-utils
	# tools used by the tests inside the VM
	iproute2 procps iputils-ping iputils-arping ethtool bridge-utils
	ucarp keepalived frr tcpdump tshark iperf3 nftables
	python3 python3-scapy python3-yaml python3-jsonschema jq
)
if [ "${1:-}" = --debug-kernel ]; then
	# build-debug-kernel.sh: kconfig, objtool, certs
	PKGS+=(flex bison bc libelf-dev libssl-dev)
fi

# A package counts as present only if dpkg says "install ok installed".
missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#PKGS[@]} packages present"
	exit 0
fi

echo "install-deps: installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install packages" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer "no" up front.
echo 'wireshark-common wireshark-common/install-setuid boolean false' |
	debconf-set-selections

apt-get update -q
apt-get install -y -q --no-install-recommends \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	"${missing[@]}" </dev/null
# The daemons the tests run in the VM's namespaces (FRR's zebra and
# vrrpd, keepalived) are not services of this host: on a host with
# systemd their packages start them; stop and disable them again.
if [ -d /run/systemd/system ]; then
	for unit in frr keepalived; do
		systemctl disable --now "$unit" >/dev/null 2>&1 || true
	done
fi
echo "install-deps: done"
