#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 6. Load balancing: total TCP throughput to one virtual address served by
# 1, 2 and 3 balanced hosts (carpnodes 1:0,2:100,3:200 on main, and the
# two others' shares on spare and a third host, balancing ip). The client
# runs BENCH_LB_FLOWS iperf3 connections at once, from as many source
# addresses chosen so that they hash evenly over the three vhids; every
# host runs an iperf3 server per flow on the VIP. "1 host": the other two
# carp devices are down (main is MASTER of every vhid); "2 hosts": the
# third is down (its vhid 3 goes to spare, advskew 100 to main's 200).
# Reported: the sum over the flows, and what each host
# took. Every host shares the machine's CPUs (one VM), so the row shows
# what balancing costs and how the flows spread, not how a cluster of
# real machines scales.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_bench.sh"

SECS=${BENCH_IPERF_S:-5}
FLOWS=${BENCH_LB_FLOWS:-6}
TABLE="6. Load balancing: one address served by 1, 2 and 3 hosts (balancing ip)"
COLS='["hosts serving", "total TCP Mbit/s", "vhids per host (main/spare/third)", "vs 1 host"]'
declare -A NODES=([main]="1:0,2:100,3:200" [spare]="1:200,2:0,3:100"
		  [third]="1:100,2:200,3:0")

# FLOWS source addresses, taken in turn from each vhid's share (OpenBSD's
# hash: ntohl(src ^ dst) % 3).
pick_sources()
{
	local want=0 i src

	for ((i = 100; i < 250 && want < FLOWS; i++)); do
		src=10.0.0.$i
		if (((i ^ 1) % 3 == want % 3)); then
			echo "$src"
			want=$((want + 1))
		fi
	done
}

# run_flows: every flow at once; prints "TOTAL_MBITS main spare third"
# (Mbit/s each host received).
run_flows()
{
	local i=0 src dir=$CARP_TMP/lb-$1
	local -a pids=()

	mkdir -p "$dir"
	for src in "${SRCS[@]}"; do
		ip netns exec "$CLIENT" iperf3 -c "$VIP" -B "$src" \
			-p $((5300 + i)) -t "$SECS" -J >"$dir/$i.json" 2>/dev/null &
		pids+=("$!")
		i=$((i + 1))
	done
	wait "${pids[@]}"
	python3 - "$dir" "${#SRCS[@]}" <<-'EOF'
	import json, os, sys
	d, n = sys.argv[1], int(sys.argv[2])
	total = 0.0
	for i in range(n):
	    try:
	        r = json.load(open(os.path.join(d, "%d.json" % i)))
	        total += r["end"]["sum_received"]["bits_per_second"] / 1e6
	    except (OSError, ValueError, KeyError):
	        pass
	print("%.0f" % total)
	EOF
}

# masters HOST: the vhids HOST is MASTER of, "1 3".
masters()
{
	carpctl -n "$(host_ns "$1")" -j show carp0 2>/dev/null |
		jq -r '[.[0].nodes[] | select(.state == "MASTER") | .vhid] | join(" ")'
}

# _layout_is "MAIN SPARE THIRD": each host MASTER of exactly these vhids
# (a quoted list each, "" for none).
_layout_is()
{
	[ "$(masters main)" = "$1" ] && [ "$(masters spare)" = "$2" ] &&
		[ "$(masters third)" = "$3" ]
}

bench_init
if ! third_create; then
	bench_note "$TABLE" "cannot add a third host"
	exit 1
fi
mapfile -t SRCS < <(pick_sources)
ip -n "$CLIENT" addr add "${SRCS[0]}/24" dev eth0
for src in "${SRCS[@]:1}"; do
	ip -n "$CLIENT" addr add "$src/24" dev eth0
done
for host in main spare third; do
	ns=$(host_ns "$host")
	carp_preempt "$ns" 1
	if ! out=$(carp_add "$ns" carp0 dev eth0 carpnodes "${NODES[$host]}" \
		   balancing ip pass "$BENCH_PASS" "$VIP/$PLEN"); then
		bench_note "$TABLE" "carp did not come up: $out"
		exit 1
	fi
	for ((i = 0; i < FLOWS; i++)); do
		ip netns exec "$ns" iperf3 -s -B "$VIP" -p $((5300 + i)) \
			>/dev/null 2>&1 &
		CARP_BG_PIDS+=("$!")
	done
done
base=""
for n in 1 2 3; do
	# the hosts beyond the first N are down; a host that comes back
	# preempts its own vhid (its advskew 0 there)
	case $n in
	1) ups="main" layout=("1 2 3" "" "") ;;
	2) ups="main spare" layout=("1" "2 3" "") ;;
	3) ups="main spare third" layout=("1" "2" "3") ;;
	esac
	for host in main spare third; do
		want=down
		[[ " $ups " == *" $host "* ]] && want=up
		ip -n "$(host_ns "$host")" link set carp0 "$want"
	done
	bench_log "$n host(s): waiting for the masters"
	if ! loopy_wait "sleep 0.2" $(($(carp_down_ms 1 200) + 3000 + BENCH_MARGIN_MS)) \
		_layout_is "${layout[@]}"; then
		bench_note "$TABLE" "$n host(s): vhids did not settle: main $(masters main), spare $(masters spare), third $(masters third)"
		exit 1
	fi
	bench_log "$n host(s): $FLOWS flows"
	total=$(run_flows "$n")
	[ -n "$base" ] || base=$total
	bench_row "$TABLE" "$COLS" "$n" "$total" \
		"$(wc -w <<<"${layout[0]}")/$(wc -w <<<"${layout[1]}")/$(wc -w <<<"${layout[2]}")" \
		"$(awk -v a="$total" -v b="$base" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }')"
done
bench_note "$TABLE" "$FLOWS iperf3 connections at once for ${SECS}s, from ${SRCS[*]}, spread evenly over the vhids by OpenBSD's hash. The third column counts the vhids each host was MASTER of: each vhid carries the same number of flows. All hosts are network namespaces of one VM and share its CPUs, and balancing ip floods every frame to every host, which drops the flows of the vhids it is not MASTER of: the total cannot grow with the hosts here (it falls, as each host's drops take CPU too); the row shows the flows spread and what balancing costs."
exit 0
