#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: what `make check` runs. For every installed Debian kernel that
# has headers (sorted by version):
#   1. build carp.ko with W=1 (any warning fails that kernel) and carpctl;
#   2. assemble a kselftest tree build/ksft/KVER/tools/testing/selftests:
#      the framework extracted from linux-source + our selftests/ as
#      drivers/net/carp (so `source ../../../net/lib.sh` and
#      `include ../../../lib.mk` work as in-tree);
#   3. boot each kernel in QEMU, all at the same time (CARP_SERIAL=1: one
#      after the other), and run vm-run-tests.sh there: install carp.ko,
#      run the kselftests, then the "dmesg clean" check;
#   4. count the TAP results.
# Prints "kernel KVER: N passed, N failed[, N skipped]" per kernel and, as
# the very last line, the total "N passed, N failed". Exits non-zero if any
# test failed, a kernel's suite did not run to completion, or no test ran.
#
# check.sh --debug-kernel (`make check-debug`): the same suite on one kernel
# only, the debug kernel built by build-debug-kernel.sh (KASAN, lockdep,
# kmemleak, debugobjects; cached under build/debug-kernel), in a VM of 2
# vCPUs; no host checks. vm-run-tests.sh fails the run on any report.
#
# Development knobs (environment):
#   KVERS="6.12..."             only these kernels
#   CARP_TESTS="carp_a.sh ..."  only these tests (replaces TEST_PROGS)
#   TESTS="sub_a sub_b"         only these sub-tests of them (carp_run_tests)
#   CARP_SKIP_BUILD=1           don't build/install carp.ko and carpctl
#   CARP_CYCLES=N, CARP_UNLOAD_ROUNDS=N  loop counts of carp_cycles.sh and
#                               carp_unload.sh (default 50 and 20, the
#                               issue's counts, as the tests alone)
#   CARP_SKIP_HOST=1            skip the host checks (quicker iterations)
#   CARP_MARGIN_MS=N            protocol-time margin of the tests' waits
#                               (default 10000 ms here; lib_carp.sh's own
#                               default, for a test run alone, is 5000)
set -euo pipefail

DEBUG_KERNEL=
case "${1:-}" in
--debug-kernel) DEBUG_KERNEL=1 ;;
"") ;;
*) echo "usage: $0 [--debug-kernel]" >&2; exit 2 ;;
esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"

check_start=$(date +%s)
"$HERE/install-deps.sh" ${DEBUG_KERNEL:+--debug-kernel}
"$HERE/extract-linux-source.sh" build/linux-source
LSRC=$REPO/build/linux-source

# Per kernel: headers (KDIR), image and where its modules are (MODROOT;
# empty: /lib/modules/KVER). Debian's by default.
declare -A kdir=() kimage=() kmodroot=()
if [ -n "$DEBUG_KERNEL" ]; then
	dk=$REPO/build/debug-kernel
	if ! "$HERE/build-debug-kernel.sh" "$dk"; then
		echo "check: the debug kernel did not build"
		echo "0 passed, 1 failed"
		exit 1
	fi
	KVERS=$(cat "$dk/kernelrelease")
	kdir[$KVERS]=$dk/obj
	kimage[$KVERS]=$dk/obj/arch/x86/boot/bzImage
	kmodroot[$KVERS]=$dk/modroot
	CARP_SKIP_HOST=1
	echo "check: debug kernel $KVERS (built in $(cat "$dk/build-time") s)"
elif [ -z "${KVERS:-}" ]; then
	KVERS=$(for d in /lib/modules/*/build; do
		k=${d#/lib/modules/}; k=${k%/build}
		[ -d "$d" ] && [ -f "/boot/vmlinuz-$k" ] && echo "$k"
	done | sort -V | tr '\n' ' ')
fi
[ -n "${KVERS// }" ] || { echo "check: no kernel with headers found"; echo "0 passed, 1 failed"; exit 1; }
echo "check: kernels: $KVERS"

# Per-test timeout (kselftest settings) bounds the VM's run time.
per_test=$(sed -n 's/^timeout=//p' selftests/settings 2>/dev/null | tail -n 1)
per_test=${per_test:-45}
# The debug kernel runs the tests three to ten times slower (KASAN,
# lockdep, kmemleak under TCG; carp_fuzz.sh the most): each gets four times
# as long before the runner kills it (the longest measured took 422 s of
# its 3600).
[ -z "$DEBUG_KERNEL" ] || per_test=$((per_test * 4))

built_carpctl=
total_pass=0 total_fail=0 total_skip=0 bad=0
summary=()

# 0. Host-side checks, counted with the suites: carpctl's own unit tests,
#    ip's link_carp.so under this host's ip (tools/iproute2/test.sh),
#    checkpatch --strict over the module and sparse (C=2) for each kernel,
#    `make install` into a DESTDIR (check-install.sh) and a DKMS build for
#    every kernel (check-dkms.sh).
host_log=$REPO/build/check/host
rm -rf "$host_log"
mkdir -p "$host_log"
host_pass=0 host_fail=0
host_check()
{
	local name=$1; shift

	if "$@" >"$host_log/$name.log" 2>&1; then
		echo "ok host: $name"
		host_pass=$((host_pass + 1))
	else
		echo "not ok host: $name"
		tail -n 30 "$host_log/$name.log" | sed 's/^/# /'
		host_fail=$((host_fail + 1))
		bad=1
	fi
}
if [ -z "${CARP_SKIP_BUILD:-}" ] && [ -z "${CARP_SKIP_HOST:-}" ]; then
	echo "================ host checks ================"
	host_check carpctl-unit make -C tools/carpctl test
	host_check carpctl-sanitize make -j2 -C tools/carpctl test-sanitize
	host_check carpctl-fuzz make -j2 -C tools/carpctl fuzz-check FUZZ_CHECK_TIME=3
	host_check iproute2-plugin make -C tools/iproute2 test
	host_check checkpatch make checkpatch
	host_check netlink-spec /usr/bin/python3 "$HERE/check-spec.py" "$LSRC" "$REPO"
	for k in $KVERS; do
		host_check "sparse-$k" make KVER="$k" sparse
	done
	host_check install "$HERE/check-install.sh" "${KVERS%% *}"
	# shellcheck disable=SC2086 # KVERS is a word list
	host_check dkms "$HERE/check-dkms.sh" $KVERS
	summary+=("host: $host_pass passed, $host_fail failed")
	total_pass=$((total_pass + host_pass))
	total_fail=$((total_fail + host_fail))
fi

# Phase 1, per kernel: build, stage, assemble the kselftest tree.
declare -A why=() stage=()
for k in $KVERS; do
	echo "================ kernel $k: build ================"
	logdir=$REPO/build/check/$k
	rm -rf "$logdir"
	mkdir -p "$logdir/vm-out"
	stage[$k]=
	why[$k]=

	# 1. Build. Warnings are errors here: grep the log (both compiler
	#    "warning:" and modpost "WARNING:").
	if [ -z "${CARP_SKIP_BUILD:-}" ]; then
		# A fresh build, so that warnings are printed again (a kept build
		# would not recompile, and not warn).
		rm -rf "build/$k"
		kd=()
		[ -z "${kdir[$k]:-}" ] || kd=(KDIR="${kdir[$k]}")
		if ! make KVER="$k" "${kd[@]}" W=1 module 2>&1 | tee "$logdir/build.log"; then
			why[$k]="module build failed"
		elif grep -qi 'warning' "$logdir/build.log"; then
			why[$k]="module build printed warnings"
			grep -i 'warning' "$logdir/build.log" | sed 's/^/check: /'
		fi
		# The debug flavour (in-module self-tests at load), for
		# carp_selftest.sh; warnings count as for the normal one.
		rm -rf "build/$k-debug"
		if [ -n "${why[$k]}" ]; then
			:
		elif ! make KVER="$k" "${kd[@]}" W=1 DEBUG=1 module 2>&1 | tee "$logdir/build-debug.log"; then
			why[$k]="debug module build failed"
		elif grep -qi 'warning' "$logdir/build-debug.log"; then
			why[$k]="debug module build printed warnings"
			grep -i 'warning' "$logdir/build-debug.log" | sed 's/^/check: /'
		fi
		if [ -z "${why[$k]}" ] && ! "$HERE/stage-module.sh" "$k" "build/$k/carp.ko" \
			"$logdir/modroot" ${kmodroot[$k]:+"${kmodroot[$k]}"}; then
			why[$k]="depmod of carp.ko failed"
		fi
		stage[$k]=$logdir/modroot
		if [ -z "${why[$k]}" ] && [ -z "$built_carpctl" ]; then
			if make carpctl iproute2 2>&1 | tee "$logdir/carpctl.log"; then
				built_carpctl=1
			else
				why[$k]="carpctl or link_carp.so build failed"
			fi
		fi
	fi

	# 2. The kselftest tree: framework + our tests as drivers/net/carp.
	ksft=$REPO/build/ksft/$k
	sel=$ksft/tools/testing/selftests
	if [ -z "${why[$k]}" ]; then
		rm -rf "$ksft"
		mkdir -p "$ksft"
		cp -a "$LSRC/." "$ksft/"
		rm -f "$ksft/.extracted"
		mkdir -p "$sel/drivers/net/carp"
		(cd selftests && tar --exclude=__pycache__ -cf - .) | tar -xf - -C "$sel/drivers/net/carp"
		[ -z "$DEBUG_KERNEL" ] || echo "timeout=$per_test" >"$sel/drivers/net/carp/settings"
		# Loop counts of the long tests: the full counts by default
		# (about 4.5 minutes each a kernel under TCG); fewer for quicker
		# development runs.
		cat >"$sel/drivers/net/carp/carp.env" <<-EOF
		CARP_CYCLES=${CARP_CYCLES:-50}
		CARP_UNLOAD_ROUNDS=${CARP_UNLOAD_ROUNDS:-20}
		EOF
		# The VMs share two cores: a test waiting for something that
		# must happen gets twice lib_carp.sh's margin. It only bounds
		# such waits (they end as soon as it happens); what must not
		# happen is watched for protocol time, margin or not.
		echo "CARP_MARGIN_MS=${CARP_MARGIN_MS:-10000}" >>"$sel/drivers/net/carp/carp.env"
		# Sub-tests by name (lib_carp.sh's carp_run_tests), with CARP_TESTS.
		[ -z "${TESTS:-}" ] || echo "TESTS=\"$TESTS\"" >>"$sel/drivers/net/carp/carp.env"
		if [ -f "build/$k-debug/carp.ko" ]; then
			cp "build/$k-debug/carp.ko" "$sel/drivers/net/carp/carp-debug.ko"
		fi
		# Our netlink spec(s), next to the kernel's, for ynl-based tests.
		if compgen -G 'Documentation/netlink/specs/*.yaml' >/dev/null; then
			cp Documentation/netlink/specs/*.yaml "$ksft/Documentation/netlink/specs/"
		fi
		# The benchmark beside the tests, for carp_bench_smoke.sh.
		mkdir -p "$sel/drivers/net/carp/bench"
		tar -C bench --exclude=./adflood --exclude=./RESULTS.md --exclude=__pycache__ -cf - . |
			tar -xf - -C "$sel/drivers/net/carp/bench"
		# Build any compiled test programs here, not under TCG.
		if ! make -s -C "$sel/drivers/net/carp" all >"$logdir/ksft-build.log" 2>&1 ||
		   ! make -s -C "$sel/drivers/net/carp/bench" adflood >>"$logdir/ksft-build.log" 2>&1; then
			cat "$logdir/ksft-build.log"
			why[$k]="selftests build failed"
		fi
	fi
done

# Phase 2: the suites. Each kernel's tests are split over several VMs
# ("jobs"), at most CARP_VMS of them (default 4) running at once: the
# tests wait on protocol timers much of the time, so VMs of one vCPU
# share two cores well once the tests fork little (lib_carp.sh). With
# four and more VMs a core (8 to 12 VMs), tests that capture frames
# missed some and a starved vCPU tripped the soft-lockup watchdog: two
# VMs a core is the default, and the short jobs of their own wait for a
# free slot. Every job boots its own kernel and loads
# the module once, and runs its tests one after the other, as the
# kselftest runner does; tests in separate VMs share nothing (not even
# the module, which carp_unload.sh and carp_selftest.sh reload).
#
# A test that needs a host booted another way says so in a header line
# "# carp-vm-append: ARGS" (kernel command-line arguments, e.g.
# ipv6.disable=1); such tests get a VM of their own per set of arguments.
# A test that needs to run on one kernel only says "# carp-vm-kernel:
# newest" in a header line: the benchmark's smoke tests (`make bench` runs
# on the newest kernel, and what they prove is that the benchmark works),
# and the tests of user space (carpctl's words, output and files, the boot
# units, the spec-driven client), whose kernel side is the same module
# code the other tests run on every kernel. It is dealt as the others, and
# left out of the other kernels' jobs.
# The others are dealt to CARP_SHARDS jobs per kernel (default 2), longest first onto
# the least loaded one, by the durations measured in an earlier run
# (scripts/vm/durations; a test not listed there counts 60 s).
#
# Each VM has one vCPU: a single-vCPU TCG guest is immune to the
# cross-vCPU races of multi-threaded TCG (seen here as an int3 oops while
# the kernel patched its own text at boot, and a user-space fault in
# ld.so). A VM that dies before running anything (no TAP output) is
# booted once more; one that ran tests is never re-run.
if [ -n "${CARP_TESTS:-}" ]; then
	read -ra tests <<<"$CARP_TESTS"
else
	mapfile -t tests < <(awk '
		/^TEST_PROGS[ \t]*:=/ { on = 1; sub(/^[^=]*=/, "") }
		on { cont = /\\$/; gsub(/\\/, ""); for (i = 1; i <= NF; i++) print $i
		     if (!cont) on = 0 }' selftests/Makefile)
fi
declare -A est=()
while read -r t sec; do
	[ -n "$t" ] && [ "${t:0:1}" != "#" ] && est[$t]=$sec
done <"$HERE/durations"
shards=${CARP_SHARDS:-2}
newest=$(printf '%s\n' $KVERS | sort -V | tail -n 1)
[ -z "$DEBUG_KERNEL" ] || shards=${CARP_SHARDS:-1}
smp=1 mem=2048 max_vms=${CARP_VMS:-4}
[ -z "${CARP_SERIAL:-}" ] || max_vms=1
if [ -n "$DEBUG_KERNEL" ]; then
	# KASAN's shadow (1/8), kmemleak's and lockdep's tables need room
	# beside the tests'; one VM at a time, with both cores.
	smp=2 mem=3072 max_vms=1
fi

# Deal the tests: job_tests[N] (a word list), job_append[N], job_load[N];
# newest_only[TEST] set for the tests of the newest kernel only.
job_tests=() job_append=() job_load=()
declare -A newest_only=()
for ((i = 0; i < shards; i++)); do
	job_tests+=("") job_append+=("") job_load+=(0)
done
while read -r sec t; do
	app=$(sed -n 's/^# carp-vm-append: *//p' "selftests/$t" 2>/dev/null | head -n 1)
	! grep -q '^# carp-vm-kernel: newest' "selftests/$t" 2>/dev/null || newest_only[$t]=1
	if [ -n "$app" ]; then
		for ((i = shards; i < ${#job_tests[@]}; i++)); do
			[ "${job_append[$i]}" = "$app" ] && break
		done
		if [ "$i" -eq ${#job_tests[@]} ]; then
			job_tests+=("") job_append+=("$app") job_load+=(0)
		fi
	else
		i=0
		for ((j = 1; j < shards; j++)); do
			((job_load[j] < job_load[i])) && i=$j
		done
	fi
	job_tests[$i]+="$t "
	job_load[$i]=$((job_load[i] + sec))
done < <(for t in "${tests[@]}"; do echo "${est[$t]:-60} $t"; done | sort -rn)

# job_list KVER N: job N's tests on that kernel.
job_list()
{
	local t

	for t in ${job_tests[$2]}; do
		[ "$1" = "$newest" ] || [ -z "${newest_only[$t]:-}" ] && echo -n "$t "
	done
}

run_job()
{
	local k=$1 n=$2
	local dir=$REPO/build/check/$k/vm-$n
	local out=$dir/out log=$dir/console.txt
	local -a tl
	local try rc=0 vm

	read -ra tl <<<"$(job_list "$k" "$n")"
	vm=(--kver "$k" --smp "$smp" --mem "$mem" --out "$out"
	    --timeout $(( (${#tl[@]} + 1) * per_test + 300 )))
	[ -z "${job_append[$n]}" ] || vm+=(--append "${job_append[$n]}")
	[ -z "${kimage[$k]:-}" ] || vm+=(--kernel "${kimage[$k]}" --modroot "${kmodroot[$k]}")
	for try in 1 2; do
		rm -rf "$out"
		mkdir -p "$out"
		rc=0
		"$HERE/run-vm.sh" "${vm[@]}" -- "$HERE/vm-run-tests.sh" "$REPO/build/ksft/$k" \
			"${stage[$k]}" "${tl[@]}" >>"$log" 2>&1 || rc=$?
		[ -s "$out/tap.txt" ] && break
		echo "check: kernel $k job $n: the VM ran nothing (rc $rc), try $try" >>"$log"
	done
	echo "$rc" >"$dir/rc"
}

# Start the jobs, the longest first, at most max_vms at a time.
mapfile -t order < <(for k in $KVERS; do
		[ -z "${why[$k]}" ] || continue
		for ((n = 0; n < ${#job_tests[@]}; n++)); do
			[ -n "$(job_list "$k" "$n")" ] && echo "${job_load[$n]} $k $n"
		done
	done | sort -rn)
running=0
for job in "${order[@]}"; do
	read -r _ k n <<<"$job"
	if ((running >= max_vms)); then
		wait -n || true
		running=$((running - 1))
	fi
	mkdir -p "$REPO/build/check/$k/vm-$n"
	: >"$REPO/build/check/$k/vm-$n/console.txt"
	run_job "$k" "$n" &
	running=$((running + 1))
	echo "check: kernel $k job $n${job_append[$n]:+ (${job_append[$n]})}: $(job_list "$k" "$n")"
done
wait

# Phase 3: count. Only top-level TAP lines count (subtests are "# "-prefixed).
# Every job must have run to its end, with as many results as its plan
# says plus its own "dmesg clean".
declare -A took=()
for k in $KVERS; do
	echo "================ kernel $k ================"
	pass=0 fail=0 skip=0
	for ((n = 0; n < ${#job_tests[@]}; n++)); do
		[ -n "$(job_list "$k" "$n")" ] && [ -z "${why[$k]}" ] || continue
		dir=$REPO/build/check/$k/vm-$n
		out=$dir/out
		cat "$dir/console.txt"
		rc=$(cat "$dir/rc" 2>/dev/null || echo 125)
		jwhy=
		if [ "$rc" -ne 0 ]; then
			jwhy="VM run failed (rc $rc, see $out/console.log)"
		elif ! grep -q '^@@SUITE-DONE@@' "$out/tap.txt" 2>/dev/null; then
			jwhy="suite did not complete"
		fi
		jpass=0 jfail=0 jskip=0 plan=
		if [ -f "$out/tap.txt" ]; then
			plan=$(sed -n 's/^1\.\.\([0-9]\+\)$/\1/p' "$out/tap.txt" | head -n 1)
			jskip=$(grep -cE '^ok [0-9]+ .*# *SKIP' "$out/tap.txt" || true)
			jpass=$(( $(grep -cE '^ok [0-9]+ ' "$out/tap.txt" || true) - jskip ))
			jfail=$(grep -cE '^not ok [0-9]+ ' "$out/tap.txt" || true)
			if [ -n "$jwhy" ]; then
				:
			elif [ -z "$plan" ]; then
				jwhy="no TAP plan in output"
			elif [ "$plan" -eq 0 ]; then
				jwhy="no test ran"
			elif [ $((jpass + jfail + jskip)) -ne $((plan + 1)) ]; then
				jwhy="expected $plan tests + dmesg check, got $((jpass + jfail + jskip)) results"
			fi
			while read -r t sec busy; do
				took[$t]+="$k=$sec/$busy "
			done < <(sed -n 's/^# \(carp_[^ :]*\): \([0-9]\+\) s, busy \([0-9]\+\) s$/\1 \2 \3/p' "$out/tap.txt")
		fi
		if [ -n "$jwhy" ]; then
			why[$k]+="${why[$k]:+; }job $n: $jwhy"
		fi
		pass=$((pass + jpass)) fail=$((fail + jfail)) skip=$((skip + jskip))
	done
	line="kernel $k: $pass passed, $fail failed"
	[ "$skip" -eq 0 ] || line+=", $skip skipped"
	if [ -n "${why[$k]}" ]; then
		line+=" -- INCOMPLETE: ${why[$k]}"
		fail=$((fail + 1))   # an incomplete suite counts as a failure
		bad=1
	fi
	[ "$fail" -eq 0 ] || bad=1
	summary+=("$line")
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
	echo "check: $line"
done

# Each test's time on each kernel (and, in brackets, how long it kept its
# VM's CPU busy: vm-run-tests.sh's cpu_busy), the slowest first; the
# longest of them per test, in the format of scripts/vm/durations, for the
# next dealing.
echo "================ durations (s) ================"
for t in "${!took[@]}"; do
	max=0 row=""
	for kv in ${took[$t]}; do
		sec=${kv##*=}
		busy=${sec#*/} sec=${sec%/*}
		((sec > max)) && max=$sec
		row+=" ${kv%%-*}:$sec($busy)"
	done
	printf '%5d  %-28s%s\n' "$max" "$t" "$row"
done | sort -rn | tee "$REPO/build/check/durations.txt"
awk '{ print $2, $1 }' "$REPO/build/check/durations.txt" >"$REPO/build/check/durations"
# The slowest sub-tests (vm-run-tests.sh's subtests.txt), by the longer of
# the kernels: where the time of the tests above goes.
echo "================ slowest sub-tests: s (busy s) ================"
for k in $KVERS; do
	cat "$REPO"/build/check/"$k"/vm-*/out/subtests.txt 2>/dev/null
done | awk '{ key = $1; for (i = 4; i <= NF; i++) key = key " " $i; if ($2 > sec[key]) { sec[key] = $2; busy[key] = $3 } }
	END { for (k in sec) printf "%5d (%4d)  %s\n", sec[k], busy[k], k }' |
	sort -rn | awk 'NR <= 30' | tee "$REPO/build/check/subtests.txt"

echo "================ summary ================"
wall=$(($(date +%s) - check_start))
if [ -n "$DEBUG_KERNEL" ]; then
	echo "check: debug kernel built in $(cat "$REPO/build/debug-kernel/build-time") s" \
		"(when it was built)"
fi
echo "check: this run took $wall s ($((wall / 60)) min $((wall % 60)) s)"
if [ -z "$DEBUG_KERNEL" ] && ((wall > 40 * 60)); then
	echo "check: WARNING: ******************************************************"
	echo "check: WARNING: the suite took more than 40 minutes ($((wall / 60)) min)."
	echo "check: WARNING: CI's budget is 45 minutes on a fresh machine, its"
	echo "check: WARNING: hard limit 90: make the tests faster before adding more."
	echo "check: WARNING: ******************************************************"
fi
printf '%s\n' "${summary[@]}"
[ "$total_pass" -gt 0 ] || bad=1
[ "$total_skip" -eq 0 ] || echo "($total_skip skipped in total; a skip is not a pass)"
echo "$total_pass passed, $total_fail failed"
exit "$bad"
