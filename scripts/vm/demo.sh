#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: what `make demo` runs. Installs the dependencies, builds carp.ko
# for the newest installed kernel and carpctl, boots that kernel in QEMU,
# installs the module there (indexed on the host: `modprobe carp` works), puts carpctl
# on PATH and carp's ip plugin on IP_LIB_DIR, and runs scripts/demo.sh (the
# failover story) on the console.
# Exits with scripts/demo.sh's exit status.
#   KVER=...            another kernel than the newest
#   DEMO_TIMEOUT=secs   VM timeout (default 900)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"

"$HERE/install-deps.sh"

if [ -z "${KVER:-}" ]; then
	KVER=$(for d in /lib/modules/*/build; do
		k=${d#/lib/modules/}; k=${k%/build}
		[ -d "$d" ] && [ -f "/boot/vmlinuz-$k" ] && echo "$k"
	done | sort -V | tail -n 1)
fi
[ -n "$KVER" ] || { echo "demo: no kernel with headers found" >&2; exit 1; }

make KVER="$KVER" module
make carpctl iproute2
"$HERE/stage-module.sh" "$KVER" "build/$KVER/carp.ko" build/demo/modroot
[ -f scripts/demo.sh ] || { echo "demo: scripts/demo.sh missing" >&2; exit 1; }

# Runs inside the VM, in the repo directory.
# shellcheck disable=SC2016 # expanded in the VM
exec "$HERE/run-vm.sh" --kver "$KVER" --timeout "${DEMO_TIMEOUT:-900}" \
	--out "$REPO/build/demo/vm-out" -- '
set -e
scripts/vm/vm-install-module.sh build/demo/modroot
export PATH=$PWD/tools/carpctl:$PATH
export IP_LIB_DIR=$PWD/tools/iproute2
set +e
bash scripts/demo.sh
'
