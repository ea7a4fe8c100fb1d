#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 unicast peers (FreeBSD's `peer6`), for networks that do not carry
# multicast. The switch drops every frame to 33:33:00:00:00:12 (ff02::12).
#
#   main: carp0 vhid 1, advbase 0, advskew 150, 2001:db8::1/64, peer6 2001:db8::3
#   spare: carp0 vhid 1, advbase 0, advskew 200, 2001:db8::1/64, peer6 2001:db8::2
#
# Proves: with ff02::12 blocked and no peer6, both hosts become MASTER (the
# block is real); with peer6 set the pair elects one MASTER and the other
# stays BACKUP; the advertisements go unicast to the peer, from the
# parent's global address (the one source selection picks for the peer),
# hop limit 255, from the virtual MAC to the peer's MAC, with a valid
# checksum and HMAC; `carpctl show` reports peer6; an authentic, better
# advertisement unicast from a host that is not the peer is dropped and
# counted (badsrc) and changes nothing; link-local peers work too (the
# advertisements then leave from the parent's link-local address); the
# spare takes over when main's cable is pulled; `peer6 none` returns to
# multicast (blocked here: two masters); carpctl refuses a multicast peer6
# with the kernel's message and changes nothing.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

ALL_TESTS="no_peer6 peer6_set adverts_unicast6 not_the_peer6 linklocal_peer6
	failover6 bad_peer6 peer6_none"

PASS=secret6
ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200
VMAC=$(vmac_of 1)

PEER_ATTR=peer6
PEER_VIP=$VIP6/$PLEN6

no_peer6()
{
	local out

	check_begin
	out=$(peer_devices && peers_none_check)
	check_err $? "ff02::12 is not blocked? $out"
	log_test "ff02::12 blocked, no peer6: both MASTER (the split a peer avoids)"
}

peer6_set()
{
	local out v

	check_begin
	out=$(peers_set_check "$SPARE_IP6" "$MAIN_IP6")
	check_err $? "$out"
	v=$(carp_field "$MAIN" carp0 peer)
	[ -z "$v" ] || [ "$v" = null ] ||
		check_fail_msg "main's IPv4 peer is '$v'"
	carpctl -n "$MAIN" show | grep -q "PEER6.*" ||
		check_fail_msg "no PEER6 column: $(carpctl -n "$MAIN" show)"
	log_test "peer6 set: main MASTER, spare BACKUP, stable"
}

# On the spare's wire: main's advertisements, unicast, from the vmac.
adverts_unicast6()
{
	local spare_mac n good

	peer_pair "$SPARE_IP6" "$MAIN_IP6"
	check_begin
	spare_mac=$(mac_of "$SPARE" eth0)
	capture_start peer "$SPARE" eth0 ip6 proto 112 ||
		check_fail_msg "no capture"
	v6_wait peer "$PASS" "" "$VIP6" '$1 == "c6" && $5 == m' 3 \
		$((3 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)) m="$MAIN_IP6"
	check_err $? "no advertisements from $MAIN_IP6: $(v6_show peer "$PASS" "" "$VIP6" | head -n 3)"
	capture_stop peer
	n=$(v6_count peer "$PASS" "" "$VIP6" '$1 == "c6"')
	good=$(v6_count peer "$PASS" "" "$VIP6" '$1 == "c6" && $5 == m &&
		$6 == s && $3 == v && $4 == smac && $7 == 255 && $9 == 1 &&
		$10 == 1' m="$MAIN_IP6" s="$SPARE_IP6" v="$VMAC" smac="$spare_mac")
	# the first one may go to the peer's solicited-node MAC while ND resolves
	((n > 0 && good >= n - 1 && good > 0)) ||
		check_fail_msg "$good of $n unicast $MAIN_IP6 -> $SPARE_IP6 from the vmac to $spare_mac, hop limit 255, valid: $(v6_show peer "$PASS" "" "$VIP6" | head -n 3)"
	log_test "advertisements: unicast to the peer6, from the virtual MAC, valid"
}

not_the_peer6()
{
	peer_pair "$SPARE_IP6" "$MAIN_IP6"
	check_begin
	peer_badsrc_check "$MAIN_SKEW" pass="$PASS" vips= vips6="$VIP6" \
		dst="$MAIN_IP6"
	log_test "an advertisement from a host that is not the peer6: badsrc, no effect"
}

# Link-local peers: the advertisements then come from the link-local.
linklocal_peer6()
{
	local out mll sll i0

	peer_pair "$SPARE_IP6" "$MAIN_IP6"
	check_begin
	mll=$(lladdr_of "$MAIN" eth0)
	sll=$(lladdr_of "$SPARE" eth0)
	out=$(carp_set "$MAIN" carp0 peer6 "$sll") || check_fail_msg "$out"
	out=$(carp_set "$SPARE" carp0 peer6 "$mll") || check_fail_msg "$out"
	i0=$(carp_stat "$SPARE" carp0 ipackets6)
	out=$(wait_counter_ge "$SPARE" carp0 ipackets6 $((i0 + 2)) \
		$((2 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "the spare accepts no advertisement from $mll: $out"
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "link-local peer6: the spare accepts main's advertisements, one MASTER"
}

failover6()
{
	local out

	peer_pair "$SPARE_IP6" "$MAIN_IP6"
	check_begin
	out=$(carp_failover_back "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	log_test "failover over unicast IPv6; one MASTER after main is back"
}

bad_peer6()
{
	local out rc v peer before after

	peer_pair "$SPARE_IP6" "$MAIN_IP6" any
	check_begin
	peer=$(carp_field "$MAIN" carp0 peer6)
	before=$(carpctl -n "$MAIN" -j show carp0)
	out=$(carpctl -n "$MAIN" set carp0 peer6 ff02::12 2>&1)
	rc=$?
	((rc != 0)) || check_fail_msg "a multicast peer6 was accepted"
	grep -q 'invalid peer6 "ff02::12" (multicast' <<<"$out" ||
		check_fail_msg "message: '$out'"
	[ "$(wc -l <<<"$out")" -eq 1 ] || check_fail_msg "more than one line: $out"
	v=$(carp_field "$MAIN" carp0 peer6)
	[ "$v" = "$peer" ] || check_fail_msg "main's peer6 changed to '$v'"
	out=$(carpctl -n "$MAIN" set carp0 peer6 not-an-address 2>&1)
	(($? != 0)) && grep -q 'invalid peer6' <<<"$out" ||
		check_fail_msg "a bad peer6 word: '$out'"
	after=$(carpctl -n "$MAIN" -j show carp0)
	python3 -c '
import json, sys
a, b = (json.loads(x)[0] for x in sys.argv[1:])
for d in (a, b):
    for n in [d] + d.get("nodes", []):
        n.pop("last_change_ms", None)
sys.exit(a != b)' "$before" "$after" ||
		check_fail_msg "show changed: $before -> $after"
	log_test "a multicast or malformed peer6 is refused with one line, nothing changes"
}

peer6_none()
{
	local out

	peer_pair "$SPARE_IP6" "$MAIN_IP6" any
	check_begin
	out=$(peers_none_check)
	check_err $? "$out"
	log_test "peer6 none: back to multicast (blocked here: both MASTER)"
}

require_cmd tc tcpdump python3
carp_test_init

check_begin
v6_topo
check_err $? "IPv6 on the hosts' eth0: client cannot reach main and spare"
log_test "IPv6 on the hosts"
[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
block_carp_multicast ipv6 33:33:00:00:00:12 ||
	carp_skip "tc flower is not available"
carp_run_tests

exit "$EXIT_STATUS"
