#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run-tests.sh KSFT_DIR [MOD_STAGE] [TESTS...]
#
# Runs INSIDE the test VM (check.sh starts it through run-vm.sh):
#   - installs carp.ko from MOD_STAGE (made on the host by stage-module.sh)
#     into /lib/modules/$(uname -r), so `modprobe carp` works (the VM's root
#     is a writable overlay); an empty MOD_STAGE skips this;
#   - puts tools/carpctl on PATH;
#   - clears dmesg and runs the kselftest runner over drivers/net/carp of the
#     kselftest tree KSFT_DIR (TESTS, if given, replaces TEST_PROGS);
#   - writes /out/tap.txt (TAP; the last line is the extra "dmesg clean"
#     test) and /out/dmesg.txt. After each test's result line comes a
#     comment "# TEST: N s", the time it took (check.sh does not count
#     comments), and at the end "# durations:", the slowest first.
# Exits 0 once the suite has run, whatever the results (check.sh judges
# them); non-zero only if the suite could not be run.
set -euo pipefail

KSFT=$(cd "${1:?usage: $0 KSFT_DIR [MOD_STAGE] [TESTS...]}" && pwd)
STAGE=${2:-}
shift 2 || shift $#
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=/out
TESTDIR=$KSFT/tools/testing/selftests/drivers/net/carp

echo "vm-run-tests: kernel $(uname -r), $(nproc) cpus"

[ -z "$STAGE" ] || "$REPO/selftests/vm/vm-install-module.sh" "$STAGE"
export PATH=$REPO/tools/carpctl:$PATH

dmesg -C

# ksft_timed: copy the runner's TAP, adding after each test's result line
# "# TEST: N s", the seconds from the runner's "# selftests: DIR: TEST"
# header to the result, and at the end the list of them, slowest first.
ksft_timed()
{
	local line name t0='' now
	local -a took=()

	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line"
		now=${EPOCHREALTIME%.*}
		if [[ $line =~ ^#\ selftests:\ [^:]+:\ ([^ ]+)$ ]]; then
			t0=$now
		elif [[ $line =~ ^(not\ )?ok\ [0-9]+\ selftests:\ [^:]+:\ ([^ ]+) ]] &&
		     [ -n "$t0" ]; then
			name=${BASH_REMATCH[2]}
			echo "# $name: $((now - t0)) s"
			took+=("$((now - t0)) $name")
			t0=
		fi
	done
	[ ${#took[@]} -eq 0 ] && return
	echo "# durations:"
	printf '%s\n' "${took[@]}" | sort -rn | awk '{ printf "#   %5d s  %s\n", $1, $2 }'
}

# The runner prints TAP on stdout; keep a copy in /out.
make_args=()
[ $# -eq 0 ] || make_args+=("TEST_PROGS=$*")
set +e
make -s -C "$TESTDIR" run_tests "${make_args[@]}" 2>&1 | ksft_timed | tee "$OUT/tap.txt"
set -e

# Final test: the kernel log must be free of splats and reports.
dmesg >"$OUT/dmesg.txt"
BAD='BUG:|kernel BUG at|WARNING:|Oops|refcount_t|list_add corruption|list_del corruption'
BAD+='|general protection fault|KASAN|UBSAN|inconsistent lock state'
BAD+='|possible circular locking|suspicious RCU usage|[Ll]eak|blocked for more than'
n=$(grep -c '^\(not \)\?ok [0-9]' "$OUT/tap.txt" || true)
if grep -E "$BAD" "$OUT/dmesg.txt" >"$OUT/dmesg-bad.txt"; then
	sed 's/^/# dmesg: /' "$OUT/dmesg-bad.txt" | tee -a "$OUT/tap.txt"
	echo "not ok $((n + 1)) selftests: drivers/net/carp: dmesg clean" | tee -a "$OUT/tap.txt"
else
	echo "ok $((n + 1)) selftests: drivers/net/carp: dmesg clean" | tee -a "$OUT/tap.txt"
fi
echo "@@SUITE-DONE@@" >>"$OUT/tap.txt"
