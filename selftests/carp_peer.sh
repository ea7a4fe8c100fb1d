#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unicast peers (FreeBSD's `peer`, OpenBSD's `carppeer`), for networks that
# do not carry multicast. The switch drops every frame to 01:00:5e:00:00:12.
#
#   main: carp0 vhid 1, advbase 0, advskew 150, peer 10.0.0.3
#   spare: carp0 vhid 1, advbase 0, advskew 200, peer 10.0.0.2
#
# Proves: with multicast blocked and no peer set, both hosts become MASTER
# (so the block is real); with peers set the pair elects one MASTER and the
# other stays BACKUP; the advertisements are unicast IPv4 to the peer, TTL
# 255, from the virtual MAC (not the NIC's: FreeBSD's choice leaves switches
# flooding the virtual MAC) to the peer's MAC; `carpctl show` reports the
# peer; an authentic advertisement (right key, better priority) unicast
# from a host that is not the peer is dropped and counted (badsrc) and
# changes nothing; the spare takes over when main's cable is pulled and
# there is still one MASTER after it is plugged back; `peer none` returns
# to multicast (and to two masters behind this switch).

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="no_peer peers_set adverts_unicast not_the_peer failover peer_none"

PASS=secret
ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200

PEER_ATTR=peer
PEER_VIP=$VIP/$PLEN

no_peer()
{
	local out

	check_begin
	out=$(peer_devices && peers_none_check)
	check_err $? "multicast is not blocked? $out"
	log_test "multicast blocked, no peer: both MASTER (the split a peer avoids)"
}

peers_set()
{
	local out

	check_begin
	out=$(peers_set_check "$SPARE_IP" "$MAIN_IP")
	check_err $? "$out"
	log_test "peers set: main MASTER, spare BACKUP, stable"
}

# On the spare's wire: main's advertisements, unicast, from the vmac.
adverts_unicast()
{
	local out spare_mac n good

	peer_pair "$SPARE_IP" "$MAIN_IP"
	check_begin
	capture_start peer "$SPARE" eth0 ip proto 112 ||
		check_fail_msg "no capture"
	out=$(capture_wait peer '$1 == "p112" && $5 == main' 3 \
		$((3 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "no advertisements from main: $out"
	capture_stop peer
	spare_mac=$(mac_of "$SPARE" eth0)
	n=$(capture_count peer '$1 == "p112" && $5 == main')
	good=$(capture_count peer '$1 == "p112" && $5 == main && $6 == spare &&
		$3 == vmac && $4 == smac && $7 == 255' "vmac=$(vmac_of 1)" \
		"smac=$spare_mac")
	# the first one may still go to the broadcast MAC while ARP resolves
	((n > 0 && good >= n - 1 && good > 0)) ||
		check_fail_msg "$good of $n unicast from the vmac to $spare_mac, TTL 255: $(capture_show peer | head -n 3)"
	log_test "advertisements: unicast to the peer, from the virtual MAC, TTL 255"
}

not_the_peer()
{
	peer_pair "$SPARE_IP" "$MAIN_IP"
	check_begin
	peer_badsrc_check "$MAIN_SKEW" pass="$PASS" dst="$MAIN_IP"
	log_test "an advertisement from a host that is not the peer: badsrc, no effect"
}

failover()
{
	local out

	peer_pair "$SPARE_IP" "$MAIN_IP"
	check_begin
	out=$(carp_failover_back "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	log_test "failover over unicast; one MASTER after main is back"
}

peer_none()
{
	local out

	peer_pair "$SPARE_IP" "$MAIN_IP" any
	check_begin
	out=$(peers_none_check)
	check_err $? "$out"
	log_test "peer none: back to multicast (blocked here: both MASTER)"
}

require_cmd tc tcpdump
carp_test_init
block_carp_multicast ip "$CARP_MCAST_MAC" ||
	carp_skip "tc flower is not available"
carp_run_tests

exit "$EXIT_STATUS"
