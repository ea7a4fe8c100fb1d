#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 3. Data path: what going through carp costs. carp0 MASTER on main (VIP
# 10.0.0.1 on carp0, over eth0 with 10.0.0.2); the client measures, to the
# VIP and to main's own address alternately (so drifts of a shared TCG
# machine hit both alike):
#   - TCP throughput, iperf3 (BENCH_IPERF_S seconds, BENCH_IPERF_ROUNDS
#     rounds each way: client -> main, and main -> client with -R);
#   - latency, ping every 10 ms (BENCH_PINGS echoes), the median RTT.
# A second virtual address, 192.168.7.1/24, is in a subnet where only
# the client (192.168.7.3) has an address of its own: what main sends
# there is routed through carp0 (its prefix route, used while MASTER) and
# leaves by carp0's transmit path, while the first address's replies leave
# by eth0's own route. Both are measured the same way.
# Reported: medians, and each VIP / parent as a ratio (1.00 = no cost).
# ucarp and keepalived put the VIP on eth0 itself: their data path is the
# parent's, nothing to measure.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_bench.sh"

SECS=${BENCH_IPERF_S:-5}
ROUNDS=${BENCH_IPERF_ROUNDS:-5}
PINGS=${BENCH_PINGS:-500}
TABLE="3. Data path: to the VIP (carp0) vs to the parent's own address (eth0)"
COLS='["metric", "to the VIP 10.0.0.1 (carp0)", "to 10.0.0.2 (eth0)", "VIP / parent", "to the VIP-only subnet'"'"'s 192.168.7.1 (routed through carp0)", "VIP-only / parent"]'
OVIP=192.168.7.1
OCLIENT=192.168.7.3

# iperf DST [-R]: Mbit/s received
iperf()
{
	ip netns exec "$CLIENT" iperf3 -c "$1" -t "$SECS" -J ${2:+"$2"} 2>/dev/null |
		jq -r '.end.sum_received.bits_per_second / 1e6' 2>/dev/null
}

# rtt DST: median RTT in microseconds of $PINGS echoes
rtt()
{
	ip netns exec "$CLIENT" ping -n -i 0.01 -c "$PINGS" -W 1 "$1" 2>/dev/null |
		sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' |
		sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.0f", v[int((NR + 1) / 2)] * 1000 }'
}

median()
{
	[ $# -gt 0 ] || return 0
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}

ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.3f", a / b; else print "-" }'
}

bench_init
if ! tool_pair_up carp std >"$CARP_TMP/msg"; then
	out=$(cat "$CARP_TMP/msg")
	bench_note "$TABLE" "carp did not come up: $out"
	exit 1
fi
ip -n "$MAIN" addr add "$OVIP/24" dev carp0 metric 1024 &&
	ip -n "$SPARE" addr add "$OVIP/24" dev carp0 metric 1024 &&
	ip -n "$CLIENT" addr add "$OCLIENT/24" dev eth0 || {
	bench_note "$TABLE" "cannot add $OVIP/24 and $OCLIENT/24"
	exit 1
}
client_ping "$VIP"
client_ping "$OVIP"
ip netns exec "$MAIN" iperf3 -s >/dev/null 2>&1 &
CARP_BG_PIDS+=("$!")
slowwait 20 ip netns exec "$CLIENT" bash -c "exec 3<>/dev/tcp/$MAIN_IP/5201" 2>/dev/null

declare -a up_vip=() up_par=() dn_vip=() dn_par=() up_only=() dn_only=()
for r in $(seq 1 "$ROUNDS"); do
	bench_log "iperf3 round $r"
	up_vip+=("$(iperf "$VIP" | awk 'NF { printf "%.0f", $1 }')")
	up_par+=("$(iperf "$MAIN_IP" | awk 'NF { printf "%.0f", $1 }')")
	up_only+=("$(iperf "$OVIP" | awk 'NF { printf "%.0f", $1 }')")
	dn_vip+=("$(iperf "$VIP" -R | awk 'NF { printf "%.0f", $1 }')")
	dn_par+=("$(iperf "$MAIN_IP" -R | awk 'NF { printf "%.0f", $1 }')")
	dn_only+=("$(iperf "$OVIP" -R | awk 'NF { printf "%.0f", $1 }')")
done
bench_log "ping"
declare -a rvs=() rps=() ros=()
for r in 1 2; do
	rvs+=("$(rtt "$VIP")")
	rps+=("$(rtt "$MAIN_IP")")
	ros+=("$(rtt "$OVIP")")
done
# shellcheck disable=SC2068 # empty results drop out
rv=$(median ${rvs[@]}) rp=$(median ${rps[@]}) ro=$(median ${ros[@]})
# shellcheck disable=SC2068
a=$(median ${up_vip[@]}) b=$(median ${up_par[@]}) c=$(median ${up_only[@]})
bench_row "$TABLE" "$COLS" "TCP client -> main, Mbit/s (median of $ROUNDS x ${SECS}s)" "$a" "$b" "$(ratio "$a" "$b")" "$c" "$(ratio "$c" "$b")"
# shellcheck disable=SC2068
a=$(median ${dn_vip[@]}) b=$(median ${dn_par[@]}) c=$(median ${dn_only[@]})
bench_row "$TABLE" "$COLS" "TCP main -> client (-R), Mbit/s" "$a" "$b" "$(ratio "$a" "$b")" "$c" "$(ratio "$c" "$b")"
bench_row "$TABLE" "$COLS" "RTT, ping every 10 ms, median (us)" "$rv" "$rp" "$(ratio "$rv" "$rp")" "$ro" "$(ratio "$ro" "$rp")"
bench_note "$TABLE" "iperf3 rounds, VIP / parent / VIP-only: ${up_vip[*]} / ${up_par[*]} / ${up_only[*]} (up), ${dn_vip[*]} / ${dn_par[*]} / ${dn_only[*]} (down). Target: within 5% (a ratio of 0.95..1.05 for throughput). ucarp and keepalived put the VIP on eth0 itself: their data path is the parent's."
exit 0
