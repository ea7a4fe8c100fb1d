#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-install-module.sh STAGE_DIR
#
# Runs INSIDE the VM: install carp.ko and the module indexes prepared on the
# host by stage-module.sh into /lib/modules/$(uname -r) (a writable overlay
# in the VM), so that `modprobe carp` works. For a kernel built here (no
# /lib/modules/KVER on the host) that directory is created: the indexes
# (modules.builtin: `modprobe veth` of a built-in driver succeeds) and
# kernel/, links to its few loadable modules on the host.
set -euo pipefail

STAGE=${1:?usage: $0 STAGE_DIR}
KVER=$(uname -r)
M=$STAGE/lib/modules/$KVER
[ -f "$M/updates/carp.ko" ] || { echo "$0: no staged carp.ko for $KVER in $STAGE" >&2; exit 1; }
mkdir -p "/lib/modules/$KVER/updates"
cp "$M/updates/carp.ko" "/lib/modules/$KVER/updates/carp.ko"
cp "$M"/modules.* "/lib/modules/$KVER/"
if [ -d "$M/kernel" ] && [ ! -e "/lib/modules/$KVER/kernel" ]; then
	cp -a "$M/kernel" "/lib/modules/$KVER/kernel"
fi
echo "vm-install-module: carp $(modinfo -F vermagic carp)"
