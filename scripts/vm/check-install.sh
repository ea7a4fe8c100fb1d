#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-install.sh KVER: the host check "install" of check.sh.
#
# Proves that `make install DESTDIR=... PREFIX=/usr` puts every piece where
# it belongs, under DESTDIR and PREFIX only: carp.ko for KVER in
# lib/modules/KVER/updates (.ko, or .ko.xz where the kernel compresses)
# with depmod's index naming it, carpctl and carp-setup in sbin, the man
# page, the bash completion, ip's link_carp.so in Debian's
# usr/lib/MULTIARCH/ip whatever PREFIX (and loaded by this host's ip from
# there), carp.service (its Exec lines pointing at the
# installed carp-setup), carp-metrics.service (its ExecStart the installed
# carpctl writing the textfile with -O) and .timer, the documentation and
# examples,
# /etc/carp/carp.conf (mode 600: it holds passwords) and sysctl.conf; that
# a second install keeps an edited /etc/carp/carp.conf; that
# `systemd-analyze verify` accepts the units without a word of complaint (it
# exits 0 on unknown keys and bad values, so its output must be empty too);
# and that the unit says what the boot needs (oneshot, RemainAfterExit,
# after and wanting network-online.target, ExecStop, WantedBy, reading
# SYSCONFDIR/default/carp); and the same of the boot hold's units:
# carp-release.service (oneshot, after and requiring carp.service and
# carp-ready.target, ExecStart the installed `carp-setup release`, wanted
# by carp.service) and carp-ready.target.
set -euo pipefail

KVER=${1:?usage: $0 KVER}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T=$(mktemp -d /tmp/carp-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
D=$T/dest
fail=0

bad()
{
	echo "FAIL: $*"
	fail=1
}

MA=$(gcc -print-multiarch)
cd "$REPO"
make -s install KVER="$KVER" DESTDIR="$D" PREFIX=/usr >"$T/make.log" 2>&1 ||
	{ cat "$T/make.log"; echo "FAIL: make install"; exit 1; }

ko=$(ls "$D/lib/modules/$KVER/updates/"carp.ko* 2>/dev/null | head -n 1)
[ -n "$ko" ] || bad "lib/modules/$KVER/updates/carp.ko not installed"
for f in usr/sbin/carpctl usr/sbin/carp-setup \
	 usr/share/man/man8/carpctl.8 usr/share/bash-completion/completions/carpctl \
	 usr/lib/systemd/system/carp.service usr/lib/systemd/system/carp-release.service \
	 usr/lib/systemd/system/carp-ready.target usr/share/doc/carp/carp.rst \
	 usr/lib/systemd/system/carp-metrics.service \
	 usr/lib/systemd/system/carp-metrics.timer \
	 usr/share/doc/carp/examples/carp.conf usr/share/doc/carp/examples/sysctl.conf \
	 usr/share/doc/carp/examples/interfaces etc/carp/carp.conf etc/carp/sysctl.conf \
	 "usr/lib/$MA/ip/link_carp.so"; do
	[ -f "$D/$f" ] || bad "$f not installed"
done
for f in usr/sbin/carpctl usr/sbin/carp-setup; do
	[ -x "$D/$f" ] || bad "$f not executable"
done
grep -q 'updates/carp.ko' "$D/lib/modules/$KVER/modules.dep" 2>/dev/null ||
	bad "carp.ko not in DESTDIR's modules.dep"
[ -n "$ko" ] && [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$KVER" ] ||
	bad "installed carp.ko is not for $KVER"
help=$(IP_LIB_DIR="$D/usr/lib/$MA/ip" ip link help carp 2>&1)
grep -q '^Usage: ... carp' <<<"$help" ||
	bad "ip does not load the installed usr/lib/$MA/ip/link_carp.so"
# Nothing outside DESTDIR/{etc,lib,usr}, and no PREFIX other than /usr.
extra=$(cd "$D" && find . -type f | grep -vE "^\./(etc/carp|lib/modules|usr/(sbin|lib/systemd|lib/$MA/ip|share))/" || true)
[ -z "$extra" ] || bad "installed outside the expected places: $extra"
grep -qx 'ExecStart=/usr/sbin/carp-setup start' "$D/usr/lib/systemd/system/carp.service" ||
	bad "carp.service: ExecStart does not name /usr/sbin/carp-setup"
grep -qx 'ExecStart=/usr/sbin/carpctl -o prometheus -O /var/lib/prometheus/node-exporter/carp.prom stats' \
	"$D/usr/lib/systemd/system/carp-metrics.service" ||
	bad "carp-metrics.service: ExecStart is not /usr/sbin/carpctl ... -O ... stats"
cmp -s tools/examples/carp.conf "$D/etc/carp/carp.conf" || bad "etc/carp/carp.conf is not the example"
[ "$(stat -c %a "$D/etc/carp/carp.conf")" = 600 ] ||
	bad "etc/carp/carp.conf has mode $(stat -c %a "$D/etc/carp/carp.conf"), not 600 (it holds passwords)"

# A second install keeps the administrator's carp.conf.
echo "add carp9 dev eth0 vhid 9 192.0.2.9/24" >"$D/etc/carp/carp.conf"
make -s install-tools DESTDIR="$D" PREFIX=/usr >"$T/make2.log" 2>&1 || bad "second make install-tools"
grep -qx 'add carp9 dev eth0 vhid 9 192.0.2.9/24' "$D/etc/carp/carp.conf" ||
	bad "a second install overwrote /etc/carp/carp.conf"

# The unit, verified where its ExecStart really exists (PREFIX=$T/p; the
# plugin too, not into this host's IPLIBDIR).
make -s install-tools PREFIX="$T/p" SYSCONFDIR="$T/p/etc" IPLIBDIR="$T/p/lib/ip" \
	>"$T/make3.log" 2>&1 ||
	bad "make install-tools PREFIX=$T/p"
units=$T/p/lib/systemd/system
unit=$units/carp.service
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no "$unit" "$units/carp-release.service" \
		"$units/carp-ready.target" "$units/carp-metrics.service" \
		"$units/carp-metrics.timer" 2>&1) || bad "systemd-analyze verify: $out"
	[ -z "$out" ] || bad "systemd-analyze verify complains: $out"
else
	echo "systemd-analyze not installed: units not verified"
fi
for l in Type=oneshot RemainAfterExit=yes After=network-online.target \
	 Wants=network-online.target "ExecStop=$T/p/sbin/carp-setup stop" \
	 "EnvironmentFile=-$T/p/etc/default/carp" WantedBy=multi-user.target; do
	grep -qxF "$l" "$unit" || bad "carp.service lacks $l"
done
for l in Type=oneshot RemainAfterExit=yes "Requires=carp.service carp-ready.target" \
	 "After=carp.service carp-ready.target" "ExecStart=$T/p/sbin/carp-setup release" \
	 "EnvironmentFile=-$T/p/etc/default/carp" WantedBy=carp.service; do
	grep -qxF "$l" "$units/carp-release.service" || bad "carp-release.service lacks $l"
done

[ "$fail" -eq 0 ] && echo "install: ok"
exit "$fail"
