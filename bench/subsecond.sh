#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 7. Sub-second intervals (advbase 0: the interval is advskew/256 s).
# a) Timer accuracy and false takeovers: main advbase 0 advskew S, spare
#    advskew 2S (master-down 3 x 2S/256 s), for S = 1, 2 and 10 (3.9, 7.8
#    and 39 ms); BENCH_SUB_S seconds each on an idle VM, with a CPU hog
#    (a busy loop per CPU, in the VM's root namespace), and with 10 ms of
#    netem jitter (delay 10 ms +- 10 ms) on the spare's switch port. The
#    switch captures what the spare receives: main's intervals (p50, p99,
#    max, and how many exceed the spare's master-down time), and the
#    spare's takeovers (its transitions to MASTER, from its counters).
# b) Cost at scale: 1, 16 and 255 carp devices on main's eth0 (one vhid
#    each), all MASTER at advbase 0 advskew 1 (256 advertisements a second
#    each); for BENCH_SUB_S seconds the CPU the whole VM spends (from
#    /proc/stat, against the same time idle before) and the rate of
#    advertisements the switch sees, against the rate configured.
# c) Steady state: the fastest pair (advskew 1/2) with a CPU hog for
#    BENCH_STEADY_S seconds (600): takeovers and the interval p99.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_bench.sh"

SECS=${BENCH_SUB_S:-20}
STEADY=${BENCH_STEADY_S:-600}
SKEWS=${BENCH_SUB_SKEWS:-1 2 10}
SCALE=${BENCH_SUB_VHIDS:-1 16 255}
TA="7a. Sub-second intervals: accuracy and false takeovers, ${SECS} s each"
CA='["main advskew (interval ms)", "spare master-down (ms)", "condition", "main ads seen by the spare", "p50 (ms)", "p99 (ms)", "max (ms)", "gaps over master-down", "spare takeovers"]'
TB="7b. Cost at scale: carp devices all MASTER at advbase 0 advskew 1, ${SECS} s"
CB='["vhids", "ads/s configured", "ads/s seen", "VM CPU busy (cores)", "idle VM (cores)", "CPU per ad (us)"]'
TC="7c. Steady state at advskew 1/2 with a CPU hog, ${STEADY} s"
CC='["interval (ms)", "spare master-down (ms)", "main ads seen by the spare", "p50 (ms)", "p99 (ms)", "max (ms)", "gaps over master-down", "spare takeovers"]'
HOG_PIDS=()

# busy: non-idle jiffies (USER_HZ) of all CPUs
busy()
{
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

hog_start()
{
	local i

	for i in $(seq 1 "$(nproc)"); do
		bash -c 'while :; do :; done' &
		HOG_PIDS+=("$!")
		CARP_BG_PIDS+=("$!")
	done
}

hog_stop()
{
	[ ${#HOG_PIDS[@]} -eq 0 ] || kill "${HOG_PIDS[@]}" 2>/dev/null
	wait "${HOG_PIDS[@]}" 2>/dev/null
	HOG_PIDS=()
}

# spare_masters: how often the spare became MASTER (its transitions: to
# BACKUP at start, then MASTER and back; the odd ones after the first)
spare_masters()
{
	carp_stat "$SPARE" carp0 transitions
}

ms_of()
{
	fcalc "$1 * 1000 / 256"
}

# pair SKEW: main advskew SKEW, spare 2 x SKEW, both advbase 0
pair()
{
	local s=$1

	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 0 advskew "$s" \
		pass "$BENCH_PASS" "$VIP/$PLEN" &&
		wait_state "$MAIN" carp0 MASTER "$BENCH_MARGIN_MS" &&
		carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase 0 \
			advskew $((2 * s)) pass "$BENCH_PASS" "$VIP/$PLEN" &&
		wait_state "$SPARE" carp0 BACKUP "$BENCH_MARGIN_MS"
}

unpair()
{
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
}

# observe TABLE COLS TAG SECS SKEW LABEL...: capture at the spare's port for
# SECS, then the row
observe()
{
	local table=$1 cols=$2 tag=$3 secs=$4 s=$5; shift 5
	local t0 t1 md out

	md=$(ms_of $((6 * s)))
	t0=$(spare_masters)
	capture_start "$tag" "$SW" sw_spare ip proto 112 >/dev/null
	sleep "$secs"	# the observation period itself
	capture_stop "$tag"
	t1=$(spare_masters)
	out=$(python3 "$BENCH_DIR/analyse.py" intervals "$table" "$cols" x -- \
		"${CAP_FILE[$tag]}" "$MAIN_IP" "$(ms_of "$s")" | tail -n 1)
	# analyse.py's own row is not what this table shows: take its numbers
	python3 - "$out" "$md" >"$CARP_TMP/iv" <<-'EOF'
	import json, sys
	r = json.loads(sys.argv[1]).get("raw", {})
	print(*(r.get(k) or 0 for k in ("ads", "p50", "p99", "max")))
	EOF
	read -r n p50 p99 max <"$CARP_TMP/iv"
	gaps=$(capture_show "$tag" | awk -v m="$MAIN_IP" -v md="$md" '
		$1 == "p112" && $5 == m { if (t != "" && ($2 - t) * 1000 > md) g++; t = $2 }
		END { print g + 0 }')
	bench_row "$table" "$cols" "$@" "$n" "$(fcalc "${p50:-0}")" \
		"$(fcalc "${p99:-0}")" "$(fcalc "${max:-0}")" "$gaps" \
		$(( (t1 - t0) / 2 ))
}

accuracy()
{
	local s cond md

	for s in $SKEWS; do
		md=$(ms_of $((6 * s)))
		if ! pair "$s" >"$CARP_TMP/msg"; then
			bench_note "$TA" "advskew $s: the pair did not come up: $(cat "$CARP_TMP/msg")"
			unpair
			continue
		fi
		for cond in idle hog jitter; do
			case $cond in
			hog)	hog_start ;;
			jitter)	tc -n "$SW" qdisc add dev sw_spare root netem \
					delay 10ms 10ms ;;
			esac
			observe "$TA" "$CA" "a$s$cond" "$SECS" "$s" \
				"$s ($(ms_of "$s"))" "$md" "$cond"
			hog_stop
			tc -n "$SW" qdisc del dev sw_spare root 2>/dev/null
			# a takeover under load ends at main's next advertisement
			wait_state "$MAIN" carp0 MASTER "$BENCH_MARGIN_MS" >/dev/null
			wait_state "$SPARE" carp0 BACKUP "$BENCH_MARGIN_MS" >/dev/null
		done
		unpair
	done
}

_n_master()
{
	[ "$(carpctl -n "$MAIN" -j show | jq '[.[] | select(.state == "MASTER")] | length')" = "$1" ]
}

cost()
{
	local n v b0 b1 t0 t1 idle busy_c seen tag

	for n in $SCALE; do
		b0=$(busy)
		sleep "$SECS"	# the idle baseline
		b1=$(busy)
		idle=$(fcalc "($b1 - $b0) / 100 / $SECS")
		for v in $(seq 1 "$n"); do
			echo "add v$v dev eth0 vhid $v advbase 0 advskew 1 10.100.$v.1/32"
		done >"$CARP_TMP/add$n"
		if ! out=$(carpctl -n "$MAIN" -batch "$CARP_TMP/add$n" 2>&1); then
			bench_note "$TB" "$n vhids: $out"
			continue
		fi
		loopy_wait "sleep 0.2" $((5000 + BENCH_MARGIN_MS)) _n_master "$n" ||
			bench_log "not all $n MASTER"
		tag=cost$n
		capture_start "$tag" "$SW" sw_main ip proto 112 >/dev/null
		t0=$EPOCHREALTIME
		b0=$(busy)
		sleep "$SECS"	# the measured period itself
		b1=$(busy)
		t1=$EPOCHREALTIME
		capture_stop "$tag"
		busy_c=$(fcalc "($b1 - $b0) / 100 / $SECS")
		# the advertisements of the measured period only
		seen=$(capture_count "$tag" \
			'$1 == "p112" && $5 == main && $2 >= t0 && $2 <= t1' \
			"t0=$t0" "t1=$t1")
		sed 's/^add \(v[0-9]*\) .*/del \1/' "$CARP_TMP/add$n" >"$CARP_TMP/del$n"
		carpctl -n "$MAIN" -batch "$CARP_TMP/del$n"
		bench_row "$TB" "$CB" "$n" $((n * 256)) \
			"$(fcalc "$seen / ($t1 - $t0)")" \
			"$busy_c" "$idle" \
			"$(fcalc "($busy_c - $idle) * 1000000 / ($seen / ($t1 - $t0) + 0.001)")"
	done
}

steady()
{
	if ! pair 1 >"$CARP_TMP/msg"; then
		bench_note "$TC" "the pair did not come up: $(cat "$CARP_TMP/msg")"
		unpair
		return
	fi
	hog_start
	observe "$TC" "$CC" steady "$STEADY" 1 "$(ms_of 1)" "$(ms_of 6)"
	hog_stop
	unpair
}

bench_init
trap 'hog_stop; bench_cleanup' EXIT
accuracy
bench_note "$TA" "the switch's capture on the spare's port (after netem in the jitter rows); gaps over master-down: intervals between main's advertisements longer than the spare's master-down time, each one a takeover the protocol demands; spare takeovers: the spare's transitions to MASTER, from its counters (each ends at main's next advertisement, which preempts it back). hog: one busy loop per CPU of the VM."
cost
bench_note "$TB" "CPU: busy time of the whole VM (/proc/stat) while the devices advertise, against the same time before with none; ads/s seen: main's advertisements at its switch port. Under TCG every CPU figure is several times a real machine's."
steady
bench_note "$TC" "as 7a, one run of ${STEADY} s: the goal is no takeover at all."
exit 0
