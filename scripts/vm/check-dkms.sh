#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-dkms.sh KVER...: the host check "dkms" of check.sh.
#
# Proves that dkms.conf works: `dkms add` of the tracked sources, then for
# every KVER given (check.sh passes both Debian kernels) a carp.ko whose
# vermagic is that kernel's, installed where DEST_MODULE_LOCATION says and
# found by depmod, `dkms status` "installed": for the first kernels by
# `dkms build` + `dkms install`, for the last by `dkms autoinstall -k`, what
# the kernel's postinst hook runs on an upgrade (so AUTOINSTALL works);
# `dkms remove --all` removes it all again.
#
# Hermetic: dkms runs with --sourcetree, --dkmstree and --installtree in a
# temporary directory, and with a temporary module-signing key (dkms would
# otherwise create /var/lib/dkms/mok.key), so nothing is left on the host
# and two runs never collide; the test also checks that /usr/src,
# /var/lib/dkms and /lib/modules are unchanged afterwards.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 KVER..." >&2; exit 2; }
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
command -v dkms >/dev/null || { echo "dkms not installed (apt-get install dkms)"; exit 1; }

fail()
{
	echo "FAIL: $*"
	exit 1
}

VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$REPO/dkms.conf")
NAME=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$REPO/dkms.conf")
[ "$NAME" = carp ] && [ -n "$VER" ] || fail "dkms.conf: PACKAGE_NAME '$NAME', PACKAGE_VERSION '$VER'"
DEST=$(sed -n 's/^DEST_MODULE_LOCATION\[0\]="\(.*\)"$/\1/p' "$REPO/dkms.conf")

T=$(mktemp -d /tmp/carp-dkms.XXXXXX)
trap 'rm -rf "$T"' EXIT
SRC=$T/src DT=$T/dkms ROOT=$T/root IT=$T/root/lib/modules
mkdir -p "$SRC" "$DT" "$IT"

# What must not change on the host.
host_state()
{
	ls -la /usr/src /var/lib/dkms 2>&1
	find /lib/modules -maxdepth 3 -newer "$T/.stamp" 2>/dev/null
}
touch "$T/.stamp"
host_state >"$T/before"

# `dkms install` goes to the temporary tree, with --no-depmod (dkms's
# depmod would rewrite the host's indexes); depmod -b runs there instead.
for k in "$@"; do
	mkdir -p "$IT/$k"
	cp -a "/lib/modules/$k/modules.order" "/lib/modules/$k/modules.builtin" \
		"/lib/modules/$k/modules.builtin.modinfo" "$IT/$k/" 2>/dev/null || true
	ln -s "/lib/modules/$k/build" "$IT/$k/build"
done

# The sources as a release tarball would hold them: the tracked files only.
mkdir -p "$SRC/carp-$VER"
git -C "$REPO" ls-files -z --cached --others --exclude-standard |
	(cd "$REPO" && xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$SRC/carp-$VER"
[ -f "$SRC/carp-$VER/dkms.conf" ] || fail "dkms.conf is not among the sources"

export mok_signing_key=$T/mok.key mok_certificate=$T/mok.pub
DK=(dkms --sourcetree "$SRC" --dkmstree "$DT" --installtree "$IT")

"${DK[@]}" add -m carp -v "$VER" || fail "dkms add"
# The last kernel the way a kernel upgrade does it: its postinst hook runs
# `dkms autoinstall`, which builds and installs every AUTOINSTALL module.
last=${*: -1}
for k in "$@"; do
	s=$(date +%s)
	if [ "$k" = "$last" ] && [ $# -gt 1 ]; then
		echo "== dkms autoinstall for $k"
		"${DK[@]}" autoinstall --no-depmod -k "$k" ||
			fail "dkms autoinstall for $k"
	else
		echo "== dkms build, install for $k"
		"${DK[@]}" build -m carp -v "$VER" -k "$k" ||
			fail "dkms build for $k"
		"${DK[@]}" install --no-depmod -m carp -v "$VER" -k "$k" ||
			fail "dkms install for $k"
	fi
	ko=$(find "$DT/carp/$VER/$k" -name "carp.ko*" 2>/dev/null | head -n 1 || true)
	[ -n "$ko" ] || fail "no carp.ko in $DT/carp/$VER/$k"
	vm=$(modinfo -F vermagic "$ko")
	[ "${vm%% *}" = "$k" ] || fail "$ko: vermagic '$vm', expected $k"
	[ "$(modinfo -F name "$ko")" = carp ] || fail "$ko: name '$(modinfo -F name "$ko")'"
	echo "built $ko: vermagic $vm; signer: $(modinfo -F signer "$ko") ($(($(date +%s) - s)) s)"

	depmod -b "$ROOT" -a "$k" || fail "depmod -b for $k"
	inst=$(find "$IT/$k$DEST" -name "carp.ko*" 2>/dev/null | head -n 1 || true)
	[ -n "$inst" ] || fail "not installed under $IT/$k$DEST"
	[ "$(modinfo -F vermagic "$inst" | cut -d' ' -f1)" = "$k" ] ||
		fail "$inst: vermagic $(modinfo -F vermagic "$inst")"
	grep -q "carp.ko" "$IT/$k/modules.dep" || fail "depmod: carp not in $IT/$k/modules.dep"
	"${DK[@]}" status -m carp -v "$VER" -k "$k" | grep -q "installed" ||
		fail "dkms status for $k: $("${DK[@]}" status -m carp -v "$VER" -k "$k")"
done

"${DK[@]}" remove --no-depmod -m carp -v "$VER" --all || fail "dkms remove --all"
[ -z "$("${DK[@]}" status -m carp 2>/dev/null)" ] || fail "still registered after remove: $("${DK[@]}" status -m carp)"
for k in "$@"; do
	[ -z "$(find "$IT/$k" -name 'carp.ko*')" ] || fail "carp.ko left in $IT/$k after remove"
done

host_state >"$T/after"
diff -u "$T/before" "$T/after" || fail "dkms left state on the host"
echo "dkms: carp $VER built, installed and removed for: $*"
