#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 1. Unplanned failover gap. For each tool and mode (lib_bench.sh): the
# pair up (main MASTER, spare BACKUP), the client probing the VIP every
# 10 ms over UDP (probe.py; main and spare answer with their names), the
# switch capturing what the spare receives; then BENCH_RUNS times: main's
# cable pulled (its switch port down), until the spare answers, then
# plugged back until main answers again (preempt).
#
# Reported per tool and mode: the gap between the last reply of main and
# the first of the spare (median, worst); the time from main's last
# advertisement to the spare's first reply, against the protocol's floor
# (the spare's master-down interval: 3 x advbase + advskew/256 s, or the
# VRRPv3 equivalent for keepalived and carpvrrp), and what the tool adds
# on top of it.
#
#   BENCH_RUNS (20)  BENCH_TOOLS ("carp ucarp carpvrrp keepalived")
#   BENCH_MODES ("std min min10"; min10 is carp's only, lib_bench.sh)
#   BENCH_SUBSEC_TOOLS (BENCH_TOOLS): the tools run in min, min10 and with
#                    probes below 10 ms
#   BENCH_PROBES ("0.01 0.001": the probe intervals, s; one table each;
#   1 ms probes only for the sub-second modes, where 10 ms is too coarse)

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_bench.sh"

RUNS=${BENCH_RUNS:-20}
TOOLS=${BENCH_TOOLS:-carp ucarp carpvrrp keepalived}
MODES=${BENCH_MODES:-std min min10}
# the tools that run the sub-second modes (min, min10) and the probes
# below 10 ms
SUBSEC_TOOLS=${BENCH_SUBSEC_TOOLS:-$TOOLS}
PROBES=${BENCH_PROBES:-0.01 0.001}
TABLE=""
COLS='["tool", "settings", "interval (ms)", "floor (ms)", "runs", "gap median (ms)", "gap worst (ms)", "last ad to takeover, median (ms)", "added on top of floor, median (ms)", "added, worst (ms)"]'

series()
{
	local tool=$1 mode=$2
	local floor int run events pcap t out timeout lost=0

	floor=$(tool_floor_ms "$tool" "$mode")
	int=$(tool_interval_ms "$tool" "$mode")
	timeout=$(awk -v f="$floor" -v m="$BENCH_MARGIN_MS" 'BEGIN { printf "%d", f + m }')
	if ! tool_pair_up "$tool" "$mode" >"$CARP_TMP/msg"; then
		out=$(cat "$CARP_TMP/msg")
		bench_log "$tool $mode: $out"
		bench_note "$TABLE" "$tool ($mode): the pair did not come up: $out"
		tool_pair_down "$tool"
		return 1
	fi
	events=$CARP_TMP/events-$tool-$mode
	: >"$events"
	capture_start "ads-$tool-$mode" "$SW" sw_spare ip proto 112 >/dev/null ||
		bench_log "no capture: added on top not measured"
	probes_start || bench_log "$tool: main does not answer the probes"

	for run in $(seq 1 "$RUNS"); do
		if ! tool_wait_steady "$tool" "$mode" || ! probe_wait main 5000; then
			bench_log "$tool $mode run $run: not steady, skipped"
			lost=$((lost + 1))
			continue
		fi
		# let the spare hear one more advertisement, so the pull lands
		# anywhere in an interval rather than right after a takeover
		sleep "$(awk -v i="$int" -v s="$RANDOM" \
			'BEGIN { srand(s); printf "%.3f", i / 1000 * (0.5 + rand()) }')"
		t=$EPOCHREALTIME
		echo "T $t pull" >>"$events"
		cable_pull main 2>/dev/null
		if ! loopy_wait "sleep 0.01" "$timeout" tool_is_master "$tool" spare ||
		   ! probe_wait spare "$BENCH_MARGIN_MS"; then
			bench_log "$tool $mode run $run: spare did not take over"
		fi
		cable_plug main 2>/dev/null
	done
	tool_wait_steady "$tool" "$mode"
	probes_stop
	capture_stop "ads-$tool-$mode"
	tool_pair_down "$tool"
	pcap=${CAP_FILE[ads-$tool-$mode]:-}
	[ -s "$pcap" ] || pcap=-
	python3 "$BENCH_DIR/analyse.py" gaps "$TABLE" "$COLS" "$tool" \
		"$(tool_settings "$tool" "$mode")" "$int" "$floor" -- \
		"$PROBE_LOG" "$events" "$pcap" "$MAIN_IP" spare "$floor" | bench_raw
	[ "$lost" -eq 0 ] ||
		bench_note "$TABLE" "$tool ($mode): $lost of $RUNS runs not steady before the pull, skipped"
}

bench_init
for BENCH_PROBE_S in $PROBES; do
	pms=$(fcalc "$BENCH_PROBE_S * 1000")
	TABLE="1. Unplanned failover (cable pull), $RUNS runs, ${pms%.0} ms probes"
	for tool in $TOOLS; do
		for mode in $MODES; do
			tool_has_mode "$tool" "$mode" || continue
			[ "$mode" = std ] ||
				[[ " $SUBSEC_TOOLS " == *" $tool "* ]] || continue
			[ "$BENCH_PROBE_S" = 0.01 ] || [ "$mode" != std ] || continue
			series "$tool" "$mode"
		done
	done
	bench_note "$TABLE" "gap: last reply of the old master to the first of the new one, as the client saw its ${pms%.0} ms UDP probes; floor: the backup's master-down interval (3 x advbase + advskew/256 s; VRRPv3: 3 x advert_int + (256 - priority)/256 x advert_int); last ad to takeover: from the old master's last advertisement (captured at the switch) to the new master's first reply; added = that - floor (timer slack, the state change, ARP, the up-script, the reply; up to one probe interval of it is the probing). carp and ucarp at advbase 0: interval advskew/256 s, master-down 3 x advskew/256 s for carp (OpenBSD's), advskew/256 s for ucarp."
	[[ " $TOOLS " != *" carpvrrp "* ]] ||
		bench_note "$TABLE" "carpvrrp (carp.ko in VRRPv3 mode) is configured as keepalived (vrrpinterval 100 or 1 cs, vrrpprio 200/156, preempt); it reckons RFC 5798's timers in centiseconds, as the RFC states them, so its Skew_Time at vrrpinterval 1 is (256 - 156) x 1 / 256 = 0 cs and its floor 30 ms where keepalived's (in microseconds) is 33.9 ms; at vrrpinterval 100, 3390 ms against 3390.6 ms."
done
exit 0
