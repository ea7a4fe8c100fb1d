#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 4. Advertisement processing. Forged advertisements (frames.py: CARP with
# a wrong HMAC for carp and ucarp, VRRPv3 of a lower priority for
# keepalived and carpvrrp) sent from the client by adflood (AF_PACKET,
# sendmmsg).
#
# a) CPU cost per advertisement received, per tool: the tool MASTER on main
#    alone; BENCH_COST_RATE frames/s for BENCH_FLOOD_S seconds, once with
#    the tool running and once without it (same frames, same rate). CPU =
#    the busy time of the whole VM from /proc/stat (user + system + irq +
#    softirq ..., everything but idle and iowait; 10 ms ticks), so the
#    sender, veth, bridge and IP input are in both and cancel out:
#    cost = (busy with - busy without) / frames main's eth0 received.
#    BENCH_COST_ROUNDS (default 1) rounds of without/with, summed: in a
#    TCG guest the busy time of a 10 s window of the same flood wanders by
#    about a second (0.8 s standard deviation: 8 us a frame at 10000/s),
#    more than a kernel tool's whole cost (see bench-vrrp.rst in
#    Documentation/results).
# b) A flood on the MASTER: the pair up (main MASTER, spare BACKUP), frames
#    as fast as adflood sends them, up to BENCH_FLOOD_RATE (100000/s), for
#    BENCH_FLOOD_S seconds; the switch captures the real advertisements.
#    Reported: the rate achieved, main's advertisements (and how many one
#    a second makes), their interval mean, p99 and max, and how many the
#    spare sent (0: main stayed MASTER throughout).

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_bench.sh"

SECS=${BENCH_FLOOD_S:-10}
COST_RATE=${BENCH_COST_RATE:-10000}
FLOOD_RATE=${BENCH_FLOOD_RATE:-100000}
TOOLS=${BENCH_TOOLS:-carp ucarp carpvrrp keepalived}
COST_ROUNDS=${BENCH_COST_ROUNDS:-1}
TA="4a. CPU per received advertisement (forged, ${COST_RATE}/s target, ${SECS} s)"
[ "$COST_ROUNDS" -le 1 ] ||
	TA="4a. CPU per received advertisement (forged, ${COST_RATE}/s target, $COST_ROUNDS rounds of ${SECS} s without and with the tool)"
CA='["tool", "frames", "rate achieved (/s)", "received by main", "VM busy without the tool (s)", "with (s)", "CPU per advertisement (us)"]'
TB="4b. Flood of forged advertisements on the MASTER (${FLOOD_RATE}/s target, ${SECS} s)"
CB='["tool", "frames", "rate achieved (/s)", "main ads", "expected (1/s)", "interval mean (ms)", "p99 (ms)", "max (ms)", "spare ads (0: main stayed MASTER)", "main MASTER after"]'

# busy: non-idle jiffies of all CPUs
busy()
{
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# cpu_line: the jiffies of all CPUs by kind (user nice system idle iowait
# irq softirq steal), for the log
cpu_line()
{
	awk '$1 == "cpu" { print $2, $3, $4, $5, $6, $7, $8, $9; exit }' /proc/stat
}

main_rx()
{
	ip netns exec "$MAIN" cat /sys/class/net/eth0/statistics/rx_packets
}

# is_vrrp TOOL: the tool speaks VRRPv3 (is sent VRRPv3 frames)
is_vrrp()
{
	[ "$1" = keepalived ] || [ "$1" = carpvrrp ]
}

frame_of()
{
	local kind=carp

	! is_vrrp "$1" || kind=vrrp3
	python3 "$BENCH_DIR/frames.py" "$kind" "$(mac_of "$CLIENT" eth0)" \
		"$CLIENT_IP" "$VIP"
}

kind_of()
{
	is_vrrp "$1" && echo "VRRPv3, priority 50" ||
		echo "CARP, wrong HMAC"
}

# flood FRAME RATE: run adflood from the client; its JSON on stdout
flood()
{
	ip netns exec "$CLIENT" "$BENCH_ADFLOOD" eth0 "$1" "$2" "$SECS"
}

# measure FRAME: "busy_ticks received rate" of one flood (and, in the log,
# the ticks by kind: user nice system idle iowait irq softirq steal)
measure()
{
	local b0 b1 r0 r1 js c0 c1

	c0=$(cpu_line) b0=$(busy) r0=$(main_rx)
	js=$(flood "$1" "$COST_RATE") || return 1
	b1=$(busy) r1=$(main_rx) c1=$(cpu_line)
	bench_log "ticks by kind: $(awk -v a="$c0" -v b="$c1" 'BEGIN {
		n = split(a, x); split(b, y)
		for (i = 1; i <= n; i++) printf "%d%s", y[i] - x[i], i < n ? " " : ""
	}')" >&2
	echo "$((b1 - b0)) $((r1 - r0)) $(jq -r .rate <<<"$js")"
}

cost()
{
	local tool=$1
	local frame without with b0=0 b1=0 n1=0 rate1 us round bw bt n

	frame=$(frame_of "$tool")
	for round in $(seq 1 "$COST_ROUNDS"); do
		without=$(measure "$frame") ||
			{ bench_note "$TA" "$tool: adflood failed"; return 1; }
		tool_start "$tool" std main
		if ! loopy_wait "sleep 0.1" $((4000 + BENCH_MARGIN_MS)) tool_is_master "$tool" main; then
			bench_note "$TA" "$tool: main did not become MASTER"
			tool_stop "$tool" main
			return 1
		fi
		with=$(measure "$frame")
		if tool_is_carp "$tool"; then
			bench_log "$tool counters: $(carp_diag "$MAIN" carp0)"
		fi
		tool_stop "$tool" main
		read -r bw _ <<<"$without"
		read -r bt n rate1 <<<"$with"
		b0=$((b0 + bw)) b1=$((b1 + bt)) n1=$((n1 + n))
		bench_log "$tool round $round: without $without, with $with"
	done
	us=$(awk -v a="$b0" -v b="$b1" -v n="$n1" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1e6 / hz / n; else print "-" }')
	bench_row "$TA" "$CA" "$tool" "$(kind_of "$tool")" "$rate1" "$n1" \
		"$(fcalc "$b0 / $(getconf CLK_TCK)")" "$(fcalc "$b1 / $(getconf CLK_TCK)")" "$us"
}

onmaster()
{
	local tool=$1
	local frame out js tag=flood-$tool t0 t1 m0 m1 after=yes

	frame=$(frame_of "$tool")
	if ! tool_pair_up "$tool" std >"$CARP_TMP/msg"; then
		out=$(cat "$CARP_TMP/msg")
		bench_note "$TB" "$tool: the pair did not come up: $out"
		tool_pair_down "$tool"
		return 1
	fi
	capture_start "$tag" "$SW" sw_spare ip proto 112 and not src host "$CLIENT_IP" >/dev/null
	! tool_is_carp "$tool" || m0=$(carp_stat "$MAIN" carp0 transitions)
	t0=$EPOCHREALTIME
	js=$(flood "$frame" "$FLOOD_RATE")
	t1=$EPOCHREALTIME
	capture_stop "$tag"
	tool_is_master "$tool" main || after=no
	! tool_is_master "$tool" spare || after=no
	if tool_is_carp "$tool"; then
		m1=$(carp_stat "$MAIN" carp0 transitions)
		[ "$m0" = "$m1" ] || after="no ($((m1 - m0)) transitions)"
		bench_log "$tool counters: $(carp_diag "$MAIN" carp0)"
	fi
	tool_pair_down "$tool"
	python3 "$BENCH_DIR/analyse.py" flood "$TB" \
		"$(jq -c '.[0:3] + .[3:9]' <<<"$CB")" "$tool" "$(kind_of "$tool")" \
		"$(jq -r .rate <<<"$js")" -- "${CAP_FILE[$tag]}" "$MAIN_IP" \
		"$SPARE_IP" 1000 "$t0" "$t1" |
		jq -c --arg a "$after" --argjson c "$CB" '.cols = $c | .vals += [$a]' | bench_raw
}

bench_init
[ -x "$BENCH_ADFLOOD" ] || { echo "bench: $BENCH_ADFLOOD missing (make -C bench)"; exit 1; }
for tool in $TOOLS; do
	cost "$tool"
done
bench_note "$TA" "CPU: busy time of the whole VM (/proc/stat, everything but idle and iowait) during the flood, with the tool MASTER on main and without it; their difference divided by the frames main's eth0 received is what the tool spends per advertisement (in the kernel for carp and carpvrrp, in kernel + user space for ucarp and keepalived). The frames are dropped only after the costly part: carp and ucarp compute the HMAC, keepalived reads and compares the advertisement, carpvrrp checks its checksum and compares the priority (VRRPv3 has no HMAC)."
for tool in $TOOLS; do
	onmaster "$tool"
done
bench_note "$TB" "the forged CARP advertisements have advskew 0 and would win if accepted; keepalived and carpvrrp are sent VRRPv3 of a lower priority (VRRPv3 has no authentication: a higher one would take over); keepalived answers each lower-priority advertisement with one of its own (keepalived's \"forcing new election\"), hence its many; carpvrrp ignores them (RFC 5798 6.4.3) and keeps its interval. Intervals from the switch's capture of main's own advertisements during the flood."
exit 0
