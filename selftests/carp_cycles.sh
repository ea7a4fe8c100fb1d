#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CYCLES (50) cable pulls and plugs on the MASTER, with preempt on.
#
#   main: carp0 vhid 1 advskew 0, spare: advskew 100, net.carp.preempt=1
#
# Proves, for every cycle: after main's cable is pulled, the spare is MASTER
# within its master-down time; after it is plugged back, main is MASTER and
# the spare BACKUP again within a few advertisements. And over the whole
# run, with both states sampled every 100 ms in the background: the two
# hosts are never both MASTER for longer than one advertisement interval
# (plus the sampling's own granularity), and at the end exactly one is.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

CYCLES=${CYCLES:-50}
ADV_MS=$(carp_adv_ms 1 0)
SAMPLE_MS=100

# sampler FILE: "NANOSECONDS MAIN_STATE SPARE_STATE" every SAMPLE_MS.
sampler()
{
	local a b

	while :; do
		a=$(carp_state "$MAIN" carp0)
		b=$(carp_state "$SPARE" carp0)
		echo "$(date +%s%N) ${a:-none} ${b:-none}"
		sleep 0.1
	done
}

carp_test_init

check_begin
carp_preempt "$MAIN" 1 && carp_preempt "$SPARE" 1
check_err $? "net.carp.preempt"
out=$(carp_pair_up 1 0 100)
check_err $? "$out"
log_test "main MASTER, spare BACKUP, preempt on"
[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

sampler >"$CARP_TMP/samples" &
CARP_BG_PIDS+=("$!")

check_begin
failed=0
for ((i = 1; i <= CYCLES; i++)); do
	cable_pull main >/dev/null
	if ! out=$(wait_state "$SPARE" carp0 MASTER \
		   $(($(carp_down_ms 1 100) + CARP_MARGIN_MS))); then
		check_fail_msg "cycle $i, pulled: $out"
		failed=1
	fi
	cable_plug main >/dev/null
	if ! out=$(wait_states $((3 * ADV_MS + CARP_MARGIN_MS)) \
		   "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP); then
		check_fail_msg "cycle $i, plugged: $out"
		failed=1
	fi
	((failed)) && break
done
log_test "$CYCLES cable cycles: the spare takes over each time, main takes back"

check_begin
kill "${CARP_BG_PIDS[-1]}" 2>/dev/null
wait "${CARP_BG_PIDS[-1]}" 2>/dev/null
n=$(wc -l <"$CARP_TMP/samples")
((n >= CYCLES * 4)) || check_fail_msg "only $n samples"
# the longest stretch of consecutive samples with both MASTER, in ms
worst=$(awk '
	$2 == "MASTER" && $3 == "MASTER" {
		if (!start) start = $1
		last = $1
		next
	}
	start { d = (last - start) / 1e6; if (d > max) max = d; start = 0 }
	END {
		if (start) { d = (last - start) / 1e6; if (d > max) max = d }
		printf "%d\n", max
	}' "$CARP_TMP/samples")
both=$(awk '$2 == "MASTER" && $3 == "MASTER"' "$CARP_TMP/samples" | wc -l)
echo "# $n samples, $both with both MASTER, longest such stretch ${worst} ms"
((worst <= ADV_MS + 2 * SAMPLE_MS)) ||
	check_fail_msg "both MASTER for ${worst} ms (one interval: $ADV_MS ms)"
out=$(expect_states_for 2000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
check_err $? "$out"
log_test "never two MASTERs for longer than one advertisement interval"

exit "$EXIT_STATUS"
