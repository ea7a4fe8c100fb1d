#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run-tests.sh KSFT_DIR [MOD_STAGE] [TESTS...]
#
# Runs INSIDE the test VM (check.sh starts it through run-vm.sh):
#   - installs carp.ko from MOD_STAGE (made on the host by stage-module.sh)
#     into /lib/modules/$(uname -r), so `modprobe carp` works (the VM's root
#     is a writable overlay); an empty MOD_STAGE skips this;
#   - puts tools/carpctl on PATH, and points IP_LIB_DIR at tools/iproute2
#     so that the tests' plain `ip link ... type carp` loads link_carp.so;
#   - clears dmesg and runs the kselftest runner over drivers/net/carp of the
#     kselftest tree KSFT_DIR (TESTS, if given, replaces TEST_PROGS);
#   - writes /out/tap.txt (TAP; the last line is the extra "dmesg clean"
#     test) and /out/dmesg.txt. After each test's result line comes a
#     comment "# TEST: N s, busy B s", the time it took and its CPU time
#     (check.sh does not count comments), and at the end "# durations
#     (busy):", the slowest first.
# "dmesg clean" fails on any splat or report in the kernel log during the
# suite, and, on a debug kernel (make check-debug):
#   - if the kernel was already tainted by a warning, oops or bad page
#     when the suite started (boot log in /out/dmesg-boot.txt);
#   - if lockdep turned itself off (debug_locks 0 in /proc/lockdep_stats):
#     after its first splat, or a table overflow, lockdep checks nothing;
#   - on any object kmemleak reports after the suite (two scans; what boot
#     left is cleared first): /out/kmemleak.txt. Every loadable module but
#     carp is built in, so a frame "[carp]" or an unresolved address (an
#     unloaded carp) makes it carp's; either way it fails.
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

[ -z "$STAGE" ] || "$REPO/scripts/vm/vm-install-module.sh" "$STAGE"
export PATH=$REPO/tools/carpctl:$PATH
# ip(8) dlopen()s $IP_LIB_DIR/link_carp.so for "type carp" (else
# /usr/lib/<multiarch>/ip, where nothing is installed in the VM): the
# plugin built in this tree, as carpctl is, so that the selftests' `ip link
# add ... type carp` and `ip -d link show` speak carp. ip has its other
# link types built in, so nothing else is looked up there.
export IP_LIB_DIR=$REPO/tools/iproute2

# debugfs, for kmemleak (mounted by systemd on a normal system).
if [ -d /sys/kernel/debug ] && ! mountpoint -q /sys/kernel/debug; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
fi
KMEMLEAK=/sys/kernel/debug/kmemleak
# kmemleak_scan: two scans (an object is reported only once it was seen
# unreferenced and unchanged), each bounded.
kmemleak_scan()
{
	local _

	for _ in 1 2; do
		timeout 900 sh -c "echo scan >$KMEMLEAK" || return 1
	done
}
if [ -w "$KMEMLEAK" ]; then
	kmemleak_scan || echo "vm-run-tests: kmemleak scan failed"
	cat "$KMEMLEAK" >"$OUT/kmemleak-boot.txt" 2>&1
	echo clear >"$KMEMLEAK"
fi
# Taints that mean a splat already happened (B bad page, D die, W warning,
# L soft lockup): the suite's dmesg would not show it.
TAINT_BAD=$(( (1 << 5) | (1 << 7) | (1 << 9) | (1 << 14) ))
taint0=$(cat /proc/sys/kernel/tainted)
dmesg >"$OUT/dmesg-boot.txt"
dmesg -C

# cpu_busy: the centiseconds the VM's CPUs were not idle since boot (user,
# nice, system, irq, softirq and steal of /proc/stat's first line). Under
# TCG a vCPU that the host does not run is still busy for the guest, so
# for a test this is how long it kept its CPU busy, an upper bound on what
# it cost the host: a test with busy close to its time is CPU-bound (it
# runs slower when VMs share the host's cores); one with little busy time
# waits on protocol timers.
cpu_busy()
{
	local _ user nice sys idle iowait irq softirq steal

	read -r _ user nice sys idle iowait irq softirq steal _ </proc/stat
	echo $((user + nice + sys + irq + softirq + steal))
}

# ksft_timed: copy the runner's TAP, adding after each test's result line
# "# TEST: N s, busy B s", the seconds from the runner's "# selftests: DIR:
# TEST" header to the result and the CPU time busy meanwhile (cpu_busy),
# and at the end the list of them, slowest first. Each sub-test's share
# (from the previous "# TEST:" result line of the same test, or its start,
# to its own) goes to /out/subtests.txt, "TEST SEC BUSY TITLE", for
# check.sh's table of the slowest: where a test's time goes.
ksft_timed()
{
	local line name t0='' b0=0 now busy s0 sb0 sb
	local -a took=()

	: >"$OUT/subtests.txt"
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line"
		now=${EPOCHREALTIME%.*}
		if [[ $line =~ ^#\ selftests:\ [^:]+:\ ([^ ]+)$ ]]; then
			t0=$now s0=$now
			b0=$(cpu_busy) sb0=$b0
			name=${BASH_REMATCH[1]}
		elif [[ $line =~ ^#\ TEST:\ (.*[^ ])\ +\[ ]] && [ -n "$t0" ]; then
			sb=$(cpu_busy)
			printf '%s %d %d %s\n' "$name" $((now - s0)) $(((sb - sb0) / 100)) \
				"${BASH_REMATCH[1]:0:60}" >>"$OUT/subtests.txt"
			s0=$now sb0=$sb
		elif [[ $line =~ ^(not\ )?ok\ [0-9]+\ selftests:\ [^:]+:\ ([^ ]+) ]] &&
		     [ -n "$t0" ]; then
			name=${BASH_REMATCH[2]}
			busy=$((($(cpu_busy) - b0) / 100))
			echo "# $name: $((now - t0)) s, busy $busy s"
			took+=("$((now - t0)) $busy $name")
			t0=
		fi
	done
	[ ${#took[@]} -eq 0 ] && return
	echo "# durations (busy):"
	printf '%s\n' "${took[@]}" | sort -rn |
		awk '{ printf "#   %5d s  (%4d s)  %s\n", $1, $2, $3 }'
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
BAD+='|possible recursive locking|locking correctness validator|MAX_LOCKDEP|ODEBUG'
BAD+='|ref_tracker|Bad page'
n=$(grep -c '^\(not \)\?ok [0-9]' "$OUT/tap.txt" || true)
grep -E "$BAD" "$OUT/dmesg.txt" | sed 's/^/# dmesg: /' >"$OUT/dmesg-bad.txt" || true
# (debug kernels only: a warning at boot of Debian's kernel under TCG is
# not the module's, and the suite's own dmesg shows anything after it)
if [ -r /proc/lockdep_stats ] && (( taint0 & TAINT_BAD )); then
	echo "# kernel tainted ($taint0) before the suite: see dmesg-boot.txt" >>"$OUT/dmesg-bad.txt"
fi
if [ -r /proc/lockdep_stats ] && grep -qE '^ *debug_locks: *0$' /proc/lockdep_stats; then
	echo "# lockdep: debug_locks is 0, lockdep turned itself off (a splat, or a table overflow)" \
		>>"$OUT/dmesg-bad.txt"
fi
if [ -w "$KMEMLEAK" ]; then
	kmemleak_scan || echo "# kmemleak: scan failed or timed out" >>"$OUT/dmesg-bad.txt"
	cat "$KMEMLEAK" >"$OUT/kmemleak.txt"
	# Objects, and those of carp (a frame in it, or in an unloaded module).
	awk '/^unreferenced object/ { n++; c = 0 }
	     (/\[carp\]$/ || /^ +0x[0-9a-f]+$/) && !c { c = 1; nc++ }
	     END { if (n) printf "# kmemleak: %d unreferenced objects, %d of carp (kmemleak.txt)\n", n, nc }' \
		"$OUT/kmemleak.txt" >>"$OUT/dmesg-bad.txt"
	sed -n '1,60s/^/# kmemleak: /p' "$OUT/kmemleak.txt" >>"$OUT/dmesg-bad.txt"
fi
if [ -s "$OUT/dmesg-bad.txt" ]; then
	tee -a "$OUT/tap.txt" <"$OUT/dmesg-bad.txt"
	echo "not ok $((n + 1)) selftests: drivers/net/carp: dmesg clean" | tee -a "$OUT/tap.txt"
else
	echo "ok $((n + 1)) selftests: drivers/net/carp: dmesg clean" | tee -a "$OUT/tap.txt"
fi
echo "@@SUITE-DONE@@" >>"$OUT/tap.txt"
