#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh [DIR]
#
# Build the debug kernel of `make check-debug` from Debian's linux-source
# tarball, out of tree, under DIR (default build/debug-kernel):
#   DIR/src      the extracted tarball
#   DIR/obj      the build (O=); carp.ko is built against it (KDIR=DIR/obj)
#   DIR/modroot  modules_install of it: lib/modules/KREL/modules.{builtin,
#                order,dep,...} (everything but carp.ko is built in)
#   DIR/kernelrelease  KREL (6.12.x-carp-debug)
# Config: x86_64 defconfig + kvm_guest.config + debug-kernel.config (this
# directory), merged with scripts/kconfig/merge_config.sh; any line of the
# fragment that did not survive `olddefconfig` is an error.
#
# The result is cached: DIR/.built records the tarball, the fragment, the
# recipe and the compiler; when they match, nothing is rebuilt (not even
# `make` is run). Otherwise the config is made again from scratch and the
# build is incremental (kbuild rebuilds what the config change touches),
# unless the tarball changed. The build runs under `nice -n 19 make
# -j$(nproc)`; its time goes to DIR/build-time.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DIR=${1:-$REPO/build/debug-kernel}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
FRAGMENT=$HERE/debug-kernel.config
# Bump when the way the kernel is configured or built changes.
RECIPE="x86_64_defconfig+kvm_guest.config+fragment bzImage+modules v1"
JOBS=${JOBS:-$(nproc)}
[ -f "$TARBALL" ] || { echo "$0: $TARBALL missing (apt-get install linux-source-6.12)" >&2; exit 1; }

SRC=$DIR/src OBJ=$DIR/obj MODROOT=$DIR/modroot
tarball_id=$(stat -c '%n %s %Y' "$TARBALL")
key="$tarball_id | $(sha256sum <"$FRAGMENT" | cut -d' ' -f1) | $RECIPE | $(gcc --version | head -n 1)"

if [ -f "$DIR/.built" ] && [ "$(cat "$DIR/.built")" = "$key" ] &&
   [ -s "$OBJ/arch/x86/boot/bzImage" ] && [ -s "$DIR/kernelrelease" ]; then
	echo "debug-kernel: $(cat "$DIR/kernelrelease") is up to date ($OBJ/arch/x86/boot/bzImage)"
	exit 0
fi
rm -f "$DIR/.built"

# 1. Sources: the whole tarball (once per tarball).
if [ ! -f "$SRC/.extracted" ] || [ "$(cat "$SRC/.extracted")" != "$tarball_id" ]; then
	echo "debug-kernel: extracting $TARBALL into $SRC"
	rm -rf "$SRC" "$OBJ"
	mkdir -p "$SRC"
	nice -n 19 tar -xJf "$TARBALL" -C "$SRC" --strip-components=1
	echo "$tarball_id" >"$SRC/.extracted"
fi

# 2. Config, from scratch.
rm -rf "$MODROOT"
mkdir -p "$OBJ"
kmake() { nice -n 19 make -C "$SRC" O="$OBJ" "$@"; }
start=$(date +%s)
kmake -s x86_64_defconfig
(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" \
	"$SRC/kernel/configs/kvm_guest.config" "$FRAGMENT" >"$DIR/merge_config.log")
kmake -s olddefconfig
bad=0
while IFS= read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		grep -qxF "$line" "$OBJ/.config" && continue
		echo "debug-kernel: wanted $line, got: $(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$OBJ/.config" || echo 'not in .config')" >&2
		bad=1
	elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
		grep -qE "^${BASH_REMATCH[1]}=[ym]$" "$OBJ/.config" || continue
		echo "debug-kernel: wanted ${BASH_REMATCH[1]} off, got: $(grep -E "^${BASH_REMATCH[1]}=" "$OBJ/.config")" >&2
		bad=1
	fi
done <"$FRAGMENT"
[ "$bad" -eq 0 ] || { echo "debug-kernel: $FRAGMENT did not apply (see above)" >&2; exit 1; }

# 3. Build, install the module indexes (modules.builtin & co.) into MODROOT.
echo "debug-kernel: building in $OBJ (make -j$JOBS, nice 19)"
kmake -j"$JOBS" bzImage modules
kmake -s INSTALL_MOD_PATH="$MODROOT" modules_install
krel=$(kmake -s kernelrelease)
[ -f "$MODROOT/lib/modules/$krel/modules.builtin" ] ||
	{ echo "debug-kernel: no modules.builtin for $krel in $MODROOT" >&2; exit 1; }
end=$(date +%s)
echo "$krel" >"$DIR/kernelrelease"
echo "$((end - start))" >"$DIR/build-time"
echo "$key" >"$DIR/.built"
echo "debug-kernel: $krel built in $((end - start)) s ($OBJ/arch/x86/boot/bzImage)"
