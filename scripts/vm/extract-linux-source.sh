#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# extract-linux-source.sh DIR
#
# Extract from Debian's linux-source tarball only the pieces of the kernel
# tree that carp's tooling needs, into DIR with the top directory stripped:
#   - checkpatch.pl and its data files (make checkpatch)
#   - the kselftest framework (lib.mk, runner, harness headers, net/lib.sh)
#   - ynl and the netlink specs (Documentation/netlink)
# Idempotent: a stamp file in DIR records what was extracted from which
# tarball. These files are never copied into the repository.
set -euo pipefail

DIR=${1:?usage: $0 DIR}
TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
[ -f "$TARBALL" ] || { echo "$0: $TARBALL missing (apt-get install linux-source-6.12)" >&2; exit 1; }
TOP=$(basename "$TARBALL" .tar.xz)  # linux-source-6.12

MEMBERS=(
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	tools/testing/selftests/lib.mk
	tools/testing/selftests/kselftest
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/run_kselftest.sh
	tools/testing/selftests/kselftest_install.sh
	tools/testing/selftests/net/lib.sh
	tools/testing/selftests/net/lib
	tools/net/ynl
	Documentation/netlink
)

STAMP="$DIR/.extracted"
want="$(stat -c '%n %s %Y' "$TARBALL") ${MEMBERS[*]}"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
	exit 0
fi

echo "extract-linux-source: extracting ${#MEMBERS[@]} paths from $TARBALL into $DIR"
rm -rf "$DIR"
mkdir -p "$DIR"
tar -xJf "$TARBALL" -C "$DIR" --strip-components=1 \
	"${MEMBERS[@]/#/$TOP/}"
echo "$want" >"$STAMP"
