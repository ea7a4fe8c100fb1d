#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lists of unicast peers, for networks without multicast (clouds): three
# hosts behind a switch that drops every frame to 01:00:5e:00:00:12 and
# 33:33:00:00:00:12 (224.0.0.18, ff02::12), each carp0 listing the other
# two as its peers, IPv4 and IPv6 (net.carp.preempt on, so the best host
# wins whatever came up first):
#
#   main:  carp0 vhid 1, advbase 0, advskew 50,  peer spare,third  peer6 ...
#   spare: carp0 vhid 1, advbase 0, advskew 150, peer main,third   peer6 ...
#   third: carp0 vhid 1, advbase 0, advskew 250, peer main,spare   peer6 ...
#
# Proves: one MASTER (main) and two BACKUPs, stable; `carpctl show` reports
# the lists ("peers", "peers6"; "peer" and "peer6" still the first); the
# MASTER sends each advertisement once to each peer, IPv4 and IPv6, valid
# (the same HMAC for every copy) and none to the groups; an authentic,
# better advertisement from a host that is not listed (the client) is
# dropped and counted (badsrc), IPv4 and IPv6, and changes nothing; when
# main's cable is pulled the best remaining host (the spare) takes over
# and the third stays BACKUP; a list with a duplicate, or more than 32
# peers of both families together, is refused with the kernel's message,
# one line, and nothing changes; `peer none` empties the IPv4 list alone.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

ALL_TESTS="peers_three adverts_each_peer not_listed bad_lists peer_none_v4
	failover_three"

PASS=secret
ADVBASE=0
# The third's master-down (3 x 250/256 s, 2.93 s) outlasts the spare's
# (1.76 s) by more than a second: after main is gone the spare is MASTER,
# and advertising, long before the third would time out.
MAIN_SKEW=50
SPARE_SKEW=150
THIRD_SKEW=250

# host_peers HOST FAMILY: the other two hosts' addresses, comma-separated.
host_peers()
{
	local m=$MAIN_IP s=$SPARE_IP t=$THIRD_IP

	if [ "$2" = 6 ]; then
		m=$MAIN_IP6 s=$SPARE_IP6 t=$THIRD_IP6
	fi
	case $1 in
	main)	echo "$s,$t" ;;
	spare)	echo "$m,$t" ;;
	third)	echo "$m,$s" ;;
	esac
}

# three_up: carp0 on the three hosts with their lists; main MASTER, the
# others BACKUP. Made once; prints what went wrong.
three_up()
{
	local host ns skew

	for host in third spare main; do
		ns=$(host_ns "$host")
		link_exists "$ns" carp0 && continue
		case $host in
		main)	skew=$MAIN_SKEW ;;
		spare)	skew=$SPARE_SKEW ;;
		third)	skew=$THIRD_SKEW ;;
		esac
		carp_preempt "$ns" 1
		carp_add "$ns" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
			advskew "$skew" pass "$PASS" \
			peer "$(host_peers "$host" 4)" \
			peer6 "$(host_peers "$host" 6)" \
			"$VIP/$PLEN" "$VIP6/$PLEN6" || return 1
	done
	wait_states $(($(carp_down_ms "$ADVBASE" "$THIRD_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP "$THIRD" carp0 BACKUP
}

# three_ready: three_up, or the test ends (nothing after it can run).
three_ready()
{
	local out

	out=$(three_up) && return 0
	check_begin
	check_fail_msg "$out"
	log_test "three hosts with peer lists: main MASTER, two BACKUPs"
	exit "$EXIT_STATUS"
}

# show_of NS: carp0 as `carpctl -j show` has it, into SHOW.
show_of()
{
	SHOW=$(carpctl -n "$1" -j show carp0)
}

# list_in KEY: a list field of $SHOW as one comma-separated line (no fork).
list_in()
{
	local v

	[[ $SHOW =~ \"$1\":\[([^]]*)\] ]] || return 1
	v=${BASH_REMATCH[1]}
	echo "${v//\"/}"
}

peers_three()
{
	local out v

	check_begin
	out=$(three_up)
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$THIRD_SKEW") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP "$THIRD" carp0 BACKUP)
	check_err $? "$out"
	show_of "$MAIN"
	v=$(list_in peers)
	[ "$v" = "$(host_peers main 4)" ] || check_fail_msg "main's peers: '$v'"
	v=$(list_in peers6)
	[ "$v" = "$(host_peers main 6)" ] || check_fail_msg "main's peers6: '$v'"
	[[ $SHOW == *"\"peer\":\"$SPARE_IP\""* ]] ||
		check_fail_msg "main's peer is not the first: $SHOW"
	[[ $SHOW == *"\"peer6\":\"$SPARE_IP6\""* ]] ||
		check_fail_msg "main's peer6 is not the first: $SHOW"
	carpctl -n "$MAIN" show | grep -q " $(host_peers main 4) " ||
		check_fail_msg "no PEER column with both: $(carpctl -n "$MAIN" show)"
	log_test "three hosts, each listing the other two: one MASTER, two BACKUPs, stable"
}

# count_in TAG AWK_CONDITION [VAR=VALUE...]: lines of $CARP_TMP/TAG.txt
# (v6_show's) that match.
count_in()
{
	local file=$CARP_TMP/$1.txt cond=$2 v; shift 2
	local -a vars=()

	for v in "$@"; do
		vars+=(-v "$v")
	done
	awk "${vars[@]}" "$cond { n++ } END { print n + 0 }" "$file"
}

# On main's wire: each advertisement once to each peer, none to a group.
adverts_each_peer()
{
	local n4s n4t n6s n6t bad4 bad6 good ms

	three_ready
	check_begin
	capture_start each "$MAIN" eth0 -Q out "ip proto 112 or ip6 proto 112" ||
		check_fail_msg "no capture"
	ms=$((4 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS))
	v6_wait each "$PASS" "$VIP" "$VIP6" '$1 == "c6" && $6 == t' 4 "$ms" \
		t="$THIRD_IP6"
	check_err $? "no IPv6 advertisements to $THIRD_IP6"
	capture_stop each
	# decoded once (HMACs checked), counted many times
	v6_show each "$PASS" "$VIP" "$VIP6" >"$CARP_TMP/each.txt"
	n4s=$(count_in each '$1 == "c4" && $6 == d' d="$SPARE_IP")
	n4t=$(count_in each '$1 == "c4" && $6 == d' d="$THIRD_IP")
	n6s=$(count_in each '$1 == "c6" && $6 == d' d="$SPARE_IP6")
	n6t=$(count_in each '$1 == "c6" && $6 == d' d="$THIRD_IP6")
	bad4=$(count_in each '$1 == "c4" && $6 != s && $6 != t' \
		s="$SPARE_IP" t="$THIRD_IP")
	bad6=$(count_in each '$1 == "c6" && $6 != s && $6 != t' \
		s="$SPARE_IP6" t="$THIRD_IP6")
	good=$(count_in each '($1 == "c4" || $1 == "c6") && $3 == v &&
		$7 == 255 && $9 == 1 && $10 == 1' v="$(vmac_of 1)")
	# one advertisement each to the spare and the third an interval (the
	# capture may stop between the two copies of one)
	((n4s >= 3 && n4t >= 3 && n4s - n4t <= 1 && n4t - n4s <= 1)) ||
		check_fail_msg "IPv4: $n4s to the spare, $n4t to the third"
	((n6s >= 3 && n6t >= 3 && n6s - n6t <= 1 && n6t - n6s <= 1)) ||
		check_fail_msg "IPv6: $n6s to the spare, $n6t to the third"
	((bad4 == 0 && bad6 == 0)) ||
		check_fail_msg "$bad4 IPv4 and $bad6 IPv6 advertisements elsewhere: $(head -n 4 "$CARP_TMP/each.txt")"
	((good == n4s + n4t + n6s + n6t)) ||
		check_fail_msg "$good of $((n4s + n4t + n6s + n6t)) from the vmac, TTL 255, valid checksum and HMAC"
	log_test "MASTER: each advertisement to every peer (IPv4, IPv6), none to the groups, all valid"
}

not_listed()
{
	three_ready
	check_begin
	peer_badsrc_check "$MAIN_SKEW" pass="$PASS" vips="$VIP" \
		vips6="$VIP6" dst="$MAIN_IP"
	peer_badsrc_check "$MAIN_SKEW" pass="$PASS" vips="$VIP" \
		vips6="$VIP6" dst="$MAIN_IP6"
	log_test "an advertisement from an unlisted host (IPv4, IPv6): badsrc, no effect"
}

# Last: main comes back, but the third no longer lists any IPv4 peer.
failover_three()
{
	local out i0

	three_ready
	check_begin
	cable_pull main
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "the spare did not take over: $out"
	i0=$(carp_stat "$THIRD" carp0 ipackets6)
	# a whole master-down interval of the third, the spare advertising
	out=$(expect_states_for "$(carp_down_ms "$ADVBASE" "$THIRD_SKEW")" \
		"$SPARE" carp0 MASTER "$THIRD" carp0 BACKUP)
	check_err $? "$out"
	(($(carp_stat "$THIRD" carp0 ipackets6) > i0)) ||
		check_fail_msg "the third heard nothing from the spare"
	cable_plug main
	# preempt on: main, the best, takes MASTER back
	out=$(wait_states $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + 3000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP "$THIRD" carp0 BACKUP)
	check_err $? "after the plug: $out"
	log_test "main's cable pulled: the spare takes over, the third stays BACKUP"
}

# no_times JSON: carpctl's JSON without the times, which move by themselves.
no_times()
{
	sed -E 's/"last_change_ms":[0-9]+,?//g' <<<"$1"
}

# refused WHAT PATTERN WORDS...: carpctl set carp0 WORDS on main fails with
# one line matching PATTERN, and show is the same before and after.
refused()
{
	local what=$1 pattern=$2; shift 2
	local before after out

	before=$(carpctl -n "$MAIN" -j show carp0)
	out=$(carpctl -n "$MAIN" set carp0 "$@" 2>&1) &&
		check_fail_msg "$what: accepted"
	grep -Eq "$pattern" <<<"$out" || check_fail_msg "$what: message '$out'"
	[ "$(wc -l <<<"$out")" -eq 1 ] || check_fail_msg "$what: more than one line: $out"
	after=$(carpctl -n "$MAIN" -j show carp0)
	[ "$(no_times "$before")" = "$(no_times "$after")" ] ||
		check_fail_msg "$what: show changed: $before -> $after"
}

bad_lists()
{
	local v4 v6

	three_ready
	check_begin
	refused "a duplicate" 'peer listed twice' \
		peer "$SPARE_IP,$THIRD_IP,$SPARE_IP"
	refused "a duplicate IPv6 peer" 'peer6 listed twice' \
		peer6 "$SPARE_IP6,$SPARE_IP6"
	v4=$(seq -s, -f '10.0.1.%g' 1 20)
	v6=$(seq -s, -f '2001:db8:1::%g' 1 12)
	refused "33 peers" 'at most 32 peers per device' \
		peer "$v4" peer6 "$v6,$SPARE_IP6"
	refused "a multicast peer in a list" 'invalid peer "224.0.0.18" \(multicast' \
		peer "$SPARE_IP,224.0.0.18"
	log_test "a duplicate, 33 peers, a multicast peer: refused with one line, nothing changes"
}

peer_none_v4()
{
	local out v

	three_ready
	check_begin
	out=$(carp_set "$THIRD" carp0 peer none)
	check_err $? "$out"
	show_of "$THIRD"
	v=$(list_in peers)
	[ -z "$v" ] || check_fail_msg "the third's peers: '$v'"
	v=$(list_in peers6)
	[ "$v" = "$(host_peers third 6)" ] ||
		check_fail_msg "the third's peers6 changed: '$v'"
	[[ $SHOW == *'"peer":null'* ]] || check_fail_msg "the third's peer: $SHOW"
	log_test "peer none: the IPv4 list emptied, the IPv6 one kept"
}

require_cmd tc tcpdump python3
carp_test_init

three_hosts6
{ block_carp_multicast ip "$CARP_MCAST_MAC" &&
  block_carp_multicast ipv6 33:33:00:00:00:12; } ||
	carp_skip "tc flower is not available"
carp_run_tests

exit "$EXIT_STATUS"
