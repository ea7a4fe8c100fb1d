#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stage-module.sh KVER CARP_KO STAGE_DIR [MODROOT]
#
# Prepare, on the host, what the VM needs so that `modprobe carp` works:
# STAGE_DIR/lib/modules/KVER/{updates/carp.ko,modules.*}. depmod runs here,
# at native speed, over a symlink tree of /lib/modules/KVER/kernel: running
# `depmod -a` inside the TCG VM reads every module over 9p and takes minutes.
# In the VM, vm-install-module.sh copies the result over /lib/modules/KVER
# (the VM's root is a writable overlay; the host is never modified).
# MODROOT: the kernel's modules are in MODROOT/lib/modules/KVER (a kernel
# built here, see build-debug-kernel.sh), not /lib/modules/KVER.
set -euo pipefail

KVER=${1:?usage: $0 KVER CARP_KO STAGE_DIR [MODROOT]}
KO=${2:?usage: $0 KVER CARP_KO STAGE_DIR [MODROOT]}
STAGE=${3:?usage: $0 KVER CARP_KO STAGE_DIR [MODROOT]}
SRC=${4:-}/lib/modules/$KVER
[ -f "$KO" ] || { echo "$0: $KO missing" >&2; exit 1; }
[ -d "$SRC" ] || { echo "$0: $SRC missing" >&2; exit 1; }

rm -rf "$STAGE"
M=$STAGE/lib/modules/$KVER
mkdir -p "$M/updates"
# (A kernel with everything built in has no kernel/ at all.)
[ ! -d "$SRC/kernel" ] || cp -rs "$(cd "$SRC/kernel" && pwd)" "$M/kernel"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ ! -f "$SRC/$f" ] || cp "$SRC/$f" "$M/"
done
cp "$KO" "$M/updates/carp.ko"
depmod -b "$STAGE" "$KVER"
grep -q '^updates/carp.ko:' "$M/modules.dep" || { echo "$0: depmod did not index carp.ko" >&2; exit 1; }
