#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER OUT.cpio.gz [MODROOT]
#
# Build a tiny busybox-static initramfs for Debian kernel KVER (its modules
# in /lib/modules/KVER, or MODROOT/lib/modules/KVER). Its /init:
#   1. mounts proc, sys, devtmpfs and loads the modules needed for the root:
#      virtio_pci, 9pnet_virtio, 9p, overlay (+ dependencies, resolved here
#      with `modprobe -S KVER --show-depends`; .ko.xz are decompressed at
#      build time because busybox insmod may not handle xz; none when they
#      are built in);
#   2. mounts the host's / (9p tag "hostroot", read-only) as the lower layer
#      of an overlay whose upper layer is a tmpfs, so the VM can write
#      anywhere (depmod, /etc, ...) without touching the host;
#   3. mounts the writable 9p share "out" (if present) on /out, plus /proc,
#      /sys, /dev, /dev/pts, /dev/shm, /run (with /run/netns), /tmp;
#   4. switch_roots into the overlay and runs the stage-2 script (bash), which
#      runs the command given on the kernel command line:
#        vm.script=PATH   run `bash PATH` (run-vm.sh uses this), or
#        vm.cmd="..."     run `bash -c "..."`,
#      prints "@@VM-EXIT <rc>@@" on the console and powers off.
# Any failure before the command runs prints "@@VM-FAIL <why>@@" and powers
# off, so the host never waits for its timeout.
set -euo pipefail

KVER=${1:?usage: $0 KVER OUT.cpio.gz [MODROOT]}
OUT=${2:?usage: $0 KVER OUT.cpio.gz [MODROOT]}
MODROOT=${3:-}
MODDIR=$MODROOT/lib/modules/$KVER
[ -f "$MODDIR/modules.dep" ] || { echo "$0: no $MODDIR/modules.dep" >&2; exit 1; }

BUSYBOX=${BUSYBOX:-/bin/busybox}
if ! file -L "$BUSYBOX" | grep -q 'statically linked'; then
	echo "$0: $BUSYBOX is not static (apt-get install busybox-static)" >&2
	exit 1
fi

# Modules the initramfs needs, in dependency order. `--show-depends` prints
# "insmod /path/x.ko[.xz]" per module (deps first) or "builtin x".
ROOT_MODULES=(virtio_pci 9pnet_virtio 9p overlay)

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$BUSYBOX" "$STAGE/bin/busybox"

: >"$STAGE/lib/modules/load-order"
for m in "${ROOT_MODULES[@]}"; do
	modprobe ${MODROOT:+-d "$MODROOT"} -S "$KVER" --show-depends "$m" | while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		name=$(basename "$path"); name=${name%.xz}; name=${name%.zst}; name=${name%.gz}
		grep -qx "$name" "$STAGE/lib/modules/load-order" && continue
		case "$path" in
		*.ko.xz)  xz -dc "$path" >"$STAGE/lib/modules/$name" ;;
		*.ko.zst) zstd -qdc "$path" >"$STAGE/lib/modules/$name" ;;
		*.ko.gz)  gzip -dc "$path" >"$STAGE/lib/modules/$name" ;;
		*.ko)     cp "$path" "$STAGE/lib/modules/$name" ;;
		*) echo "$0: unexpected module path $path" >&2; exit 1 ;;
		esac
		echo "$name" >>"$STAGE/lib/modules/load-order"
	done
done

# ---- stage 1: runs from the initramfs (busybox sh) -------------------------
cat >"$STAGE/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
	echo "@@VM-FAIL $*@@"
	sync
	poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 10
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# What udev would add: /dev/stdout & co. (the kselftest runner writes to
# /dev/stdout; without the link it would create a regular file there).
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr

for m in $(cat /lib/modules/load-order); do
	insmod /lib/modules/$m || fail "insmod $m"
done

mkdir -p /lower /upper
# The virtio device may still be probing: retry briefly.
i=0
until mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose hostroot /lower; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "mount hostroot"
	sleep 0.1
done
mount -t tmpfs -o mode=0755 tmpfs /upper || fail "tmpfs upper"
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work \
	overlay /newroot || fail "mount overlay"

R=/newroot
mount --move /proc $R/proc
mount --move /sys $R/sys
mount --move /dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm $R/run $R/tmp $R/out
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
mount -t tmpfs -o mode=0755 tmpfs $R/run
mkdir -p $R/run/netns $R/run/lock $R/run/vm
mount -t tmpfs -o mode=1777 tmpfs $R/tmp
# The writable "out" share is optional: mount it when QEMU provides it.
if grep -q out $R/sys/bus/virtio/devices/*/mount_tag 2>/dev/null; then
	mount -t 9p -o rw,trans=virtio,version=9p2000.L,msize=512000 out $R/out ||
		fail "mount out"
fi
cp /stage2 $R/run/vm/stage2
exec switch_root $R /bin/bash /run/vm/stage2
fail "switch_root"
INIT

# ---- stage 2: runs in the overlay root (host's bash and tools) -------------
cat >"$STAGE/stage2" <<'STAGE2'
#!/bin/bash
# Kernel command-line parameters unknown to the kernel arrive as environment
# variables (vm.cmd, vm.script), but names with dots are awkward: parse
# /proc/cmdline instead (the kernel strips the double quotes itself only for
# what it hands to init, so handle "..." here).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=${TERM:-linux} LANG=C.UTF-8
unset vm_cmd vm_script
cmdline=$(cat /proc/cmdline)
if [[ $cmdline =~ vm\.script=([^ ]+) ]]; then vm_script=${BASH_REMATCH[1]}; fi
if [[ $cmdline =~ vm\.cmd=\"([^\"]*)\" ]] || [[ $cmdline =~ vm\.cmd=([^ \"]+) ]]; then
	vm_cmd=${BASH_REMATCH[1]}
fi

hostname carp-vm 2>/dev/null
ip link set lo up 2>/dev/null
mkdir -p /root
cd /root
echo "@@VM-READY@@"

if [ -n "${vm_script:-}" ]; then
	bash "$vm_script" </dev/null
	rc=$?
elif [ -n "${vm_cmd:-}" ]; then
	bash -c "$vm_cmd" </dev/null
	rc=$?
else
	echo "stage2: no vm.script= or vm.cmd= on the kernel command line"
	rc=127
fi

sync
echo "@@VM-EXIT $rc@@"
/bin/busybox poweroff -f
echo o >/proc/sysrq-trigger
sleep 10
STAGE2
chmod +x "$STAGE/init" "$STAGE/stage2"

mkdir -p "$(dirname "$OUT")"
# Written beside OUT, not into STAGE (find would archive the growing file),
# then renamed: concurrent VMs may be booting from the old one.
(cd "$STAGE" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
	gzip -9 >"$OUT.$$"
mv "$OUT.$$" "$OUT"
echo "mkinitramfs: $OUT ($KVER: $(tr '\n' ' ' <"$STAGE/lib/modules/load-order"))"
