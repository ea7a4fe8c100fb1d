#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nftables filters CARP before carp sees it, as pf does on the BSDs: an
# administrator allows CARP only from the group's own hosts with a chain on
# the ingress hook of the parent (carp's own ingress hook runs after every
# other one, whatever was registered first). Three hosts, IPv4 and IPv6
# virtual addresses, net.carp.preempt on:
#
#   main:  carp0 vhid 1, advbase 0, advskew 100 } the group; each filters
#   spare: carp0 vhid 1, advbase 0, advskew 150 } CARP from anyone else
#   third: carp0 vhid 1, advbase 0, advskew 20, the same password: the best
#          priority on the segment, but not of the group
#
# main's and spare's chain (an inet table, hook ingress on eth0) is added
# after their carp devices exist, at priority 100: it runs before carp's
# hook because carp's priority is the highest there is; with carp at
# priority 0 (as it once was) carp would hear the third first.
#
# Proves: while the third is MASTER on its own and advertises, main stays
# MASTER and the spare BACKUP; the rules' counters count the third's
# advertisements, IPv4 and IPv6, and main's carp0 does not (ipackets,
# ipackets6 and every drop counter unchanged: carp never saw them); with
# main's table deleted, main hears the third and steps down at once.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

ALL_TESTS="test_group test_filtered test_unfiltered"

PASS=secret
ADVBASE=0
MAIN_SKEW=100
SPARE_SKEW=150
THIRD_SKEW=20

# nft_group NS: the table that lets CARP in from main and spare only.
nft_group()
{
	ip netns exec "$1" nft -f - <<-EOF
	table inet carp_group {
		set group4 { type ipv4_addr; elements = { $MAIN_IP, $SPARE_IP } }
		set group6 { type ipv6_addr; elements = { $MAIN_IP6, $SPARE_IP6 } }
		chain in {
			type filter hook ingress device eth0 priority 100;
			ip protocol vrrp ip saddr != @group4 counter drop comment "ipv4"
			ip6 nexthdr vrrp ip6 saddr != @group6 counter drop comment "ipv6"
		}
	}
	EOF
}

# nft_dropped NS FAMILY(4|6): packets the table's rule of FAMILY dropped.
nft_dropped()
{
	ip netns exec "$1" nft -j list chain inet carp_group in | python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
    r = o.get("rule")
    if r and r.get("comment") == "ipv" + sys.argv[1]:
        print(next(e["counter"]["packets"] for e in r["expr"] if "counter" in e))
' "$2"
}

# counters NS: carp0's receive counters, on one line.
counters()
{
	carpctl -n "$1" -j stats carp0 | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
print(" ".join("%s=%s" % (k, d[k]) for k in ("ipackets", "ipackets6",
      "badttl", "badlen", "badsum", "badver", "badauth", "badsrc", "replay")))'
}

test_group()
{
	local host ns skew

	check_begin
	for host in spare main; do
		ns=$(host_ns "$host")
		skew=$MAIN_SKEW
		[ "$host" = spare ] && skew=$SPARE_SKEW
		carp_preempt "$ns" 1
		carp_add "$ns" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
			advskew "$skew" pass "$PASS" "$VIP/$PLEN" "$VIP6/$PLEN6"
		check_err $? "carp0 on $host"
	done
	wait_states $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP
	check_err $? "the group did not pair up"
	for ns in "$MAIN" "$SPARE"; do
		nft_group "$ns"
		check_err $? "nft table in ${ns%%-*}"
	done
	log_test "main MASTER, spare BACKUP; both filter CARP at ingress (chain added after carp0)"
}

test_filtered()
{
	local out c0 c1 d4 d6 hold

	check_begin
	carp_preempt "$THIRD" 1
	carp_add "$THIRD" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$THIRD_SKEW" pass "$PASS" "$VIP/$PLEN" "$VIP6/$PLEN6"
	check_err $? "carp0 on the third"
	out=$(wait_state "$THIRD" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$THIRD_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	c0=$(counters "$MAIN")
	# five of main's master-down intervals: the third advertises every
	# 78 ms, and main would step down at the first one it heard
	hold=$((5 * $(carp_down_ms "$ADVBASE" "$MAIN_SKEW")))
	out=$(expect_states_for "$hold" "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "the third was heard: $out"
	c1=$(counters "$MAIN")
	[ "$c0" = "$c1" ] ||
		check_fail_msg "main's carp0 saw CARP from the third: $c0 -> $c1"
	d4=$(nft_dropped "$MAIN" 4) d6=$(nft_dropped "$MAIN" 6)
	((d4 >= 10 && d6 >= 10)) ||
		check_fail_msg "main's rules dropped $d4 IPv4 and $d6 IPv6 advertisements"
	log_test "the third's better advertisements dropped by nftables, IPv4 and IPv6: carp never hears them"
}

test_unfiltered()
{
	local out n

	check_begin
	n=$(carp_stat "$MAIN" carp0 ipackets)
	ip netns exec "$MAIN" nft delete table inet carp_group
	check_err $? "cannot delete main's table"
	out=$(wait_state "$MAIN" carp0 BACKUP $((2 * $(carp_adv_ms 0 "$THIRD_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_counter_ge "$MAIN" carp0 ipackets $((n + 1)) "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "main's table deleted: main hears the third and steps down"
}

require_cmd nft python3
carp_test_init

three_hosts6
ip netns exec "$MAIN" nft list tables >/dev/null 2>&1 ||
	carp_skip "nftables is not available"
carp_run_tests

exit "$EXIT_STATUS"
