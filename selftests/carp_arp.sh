#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ARP and IPv4 reception of the virtual address (vhid 1, advbase 0, as
# nothing here depends on the interval; main advskew 150 MASTER, spare
# advskew 200 BACKUP).
#
# Proves: broadcast ARP requests for 10.0.0.1 are answered exactly once
# each, with the vmac as sender hardware address (never a real MAC of main
# or spare); the BACKUP never answers ARP for the VIP, even when the MASTER
# cannot hear the request (ARP to main dropped on the switch: no reply at
# all although the requests reach the spare); the BACKUP does not accept
# IPv4 for the VIP from the wire (echo requests sent to the spare's MAC get
# no reply, while the same sent to the vmac are answered); a new MASTER sends
# a gratuitous ARP for the VIP from the vmac; afterwards the new MASTER
# answers ARP with the vmac and the old one (now BACKUP) stays silent. A
# socket bound to the VIP sends from the MASTER, never from the BACKUP.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_arp_main test_backup_silent_spare
	test_backup_drops_ip test_vip_source_main test_garp test_arp_spare
	test_backup_silent_main"

VMAC=$(vmac_of 1)
ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200

# pair_ready: main MASTER, spare BACKUP (what test_setup makes).
pair_ready()
{
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# spare_ready: main BACKUP, the spare MASTER (what test_garp leaves).
spare_ready()
{
	carp_spare_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# arp_exactly_once WHAT: broadcast ARP for the VIP from the client; every
# request must get exactly one reply and all replies carry the vmac.
arp_exactly_once()
{
	local what=$1
	local out n req rep bad mmac smac

	mmac=$(mac_of "$MAIN" eth0)
	smac=$(mac_of "$SPARE" eth0)

	check_begin
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	capture_start arp "$CLIENT" eth0 arp
	check_err $? "capture"
	out=$(ip netns exec "$CLIENT" arping -b -c 3 -I eth0 "$VIP" 2>&1)
	check_err $? "arping failed: $out"
	n=$(grep -ci "reply from $VIP " <<<"$out")
	bad=$(grep -i "reply from $VIP " <<<"$out" | grep -vic "\[$VMAC\]")
	((n >= 1 && bad == 0)) ||
		check_fail_msg "arping: $n replies, $bad not from $VMAC: $out"
	req=$(capture_count arp '$1 == "arp" && $5 == "request" && $7 == client && $9 == vip')
	# Wait (bounded) until every request has its reply, then watch one
	# advertisement interval longer for duplicates.
	capture_wait arp '$1 == "arp" && $5 == "reply" && $7 == vip' "$req" \
		"$CARP_MARGIN_MS"
	carp_sleep 1
	capture_stop arp
	rep=$(capture_count arp '$1 == "arp" && $5 == "reply" && $7 == vip')
	((req >= 3 && rep == req)) ||
		check_fail_msg "$req requests, $rep replies: $(capture_show arp | grep reply)"
	bad=$(capture_count arp '$1 == "arp" && $5 == "reply" && $7 == vip && $6 != v' v="$VMAC")
	((bad == 0)) ||
		check_fail_msg "$bad replies with another MAC: $(capture_show arp | grep reply)"
	n=$(capture_count arp '$1 == "arp" && $5 == "reply" && ($6 == m || $6 == s || $3 == s)' \
		m="$mmac" s="$smac")
	((n == 0)) || check_fail_msg "$n replies carry a real MAC of main/spare"
	log_test "$what: each ARP request for $VIP answered once, with the vmac"
}

# backup_silent BACKUP_HOST: ARP to the MASTER's port is dropped on the
# switch; the BACKUP receives the requests but must not answer.
backup_silent()
{
	local bhost=$1 mhost=$2
	local bns out

	bns=$(host_ns "$bhost")

	check_begin
	tc -n "$SW" qdisc add dev "sw_$mhost" clsact &&
	tc -n "$SW" filter add dev "sw_$mhost" egress protocol arp pref 1 \
		matchall action drop
	check_err $? "cannot drop ARP towards $mhost (tc clsact/matchall)"
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	arp_silence_check "$bns" "$bhost"
	check_fail $? "arping got a reply: $(cat "$CARP_TMP/arping.out")"
	out=$(_states_show "$MAIN" carp0 x "$SPARE" carp0 x)
	[ "$(carp_state "$bns" carp0)" = BACKUP ] || check_fail_msg "states: $out"
	log_test "$bhost (BACKUP) never answers ARP for $VIP"
	tc -n "$SW" qdisc del dev "sw_$mhost" clsact
}

test_backup_drops_ip()
{
	local out n smac

	pair_ready
	smac=$(mac_of "$SPARE" eth0)

	check_begin
	ip -n "$CLIENT" neigh replace "$VIP" lladdr "$VMAC" dev eth0 nud permanent
	client_ping "$VIP"
	check_err $? "no echo reply through the vmac"
	log_test "echo to $VIP through the vmac is answered (control)"

	check_begin
	ip -n "$CLIENT" neigh replace "$VIP" lladdr "$smac" dev eth0 nud permanent
	capture_start bicmp "$SPARE" eth0 icmp
	check_err $? "capture"
	out=$(ip netns exec "$CLIENT" ping -c 3 -i 0.5 -W 2 "$VIP" 2>&1)
	check_fail $? "the BACKUP answered: $out"
	capture_stop bicmp
	n=$(capture_count bicmp '$1 == "icmp" && $6 == vip && $7 == 8')
	((n >= 3)) || check_fail_msg "only $n echo requests reached the spare"
	n=$(capture_count bicmp '$1 == "icmp" && $5 == vip && $7 == 0')
	((n == 0)) || check_fail_msg "spare sent $n echo replies from $VIP"
	log_test "BACKUP drops IPv4 for $VIP sent to its MAC"
	ip -n "$CLIENT" neigh del "$VIP" dev eth0
}

# vip_source MASTER_NS BACKUP_NS: a socket bound to the VIP sends
# from the MASTER (its pings are answered) but never from the BACKUP (no
# packet from the VIP leaves it; counted as tx_dropped on its carp0).
vip_source()
{
	local mns=$1 bns=$2
	local out n d0 d1

	check_begin
	out=$(ip netns exec "$mns" ping -c 1 -W 2 -I "$VIP" "$CLIENT_IP" 2>&1)
	check_err $? "MASTER cannot send from $VIP: $out"
	capture_start vsrc "$CLIENT" eth0 icmp
	check_err $? "capture"
	d0=$(tx_dropped "$bns" carp0)
	ip netns exec "$bns" ping -c 3 -i 0.3 -W 1 -I "$VIP" "$CLIENT_IP" >/dev/null 2>&1
	# the MASTER's probe, sent after: proves the capture saw traffic
	ip netns exec "$mns" ping -c 1 -W 2 -I "$VIP" "$CLIENT_IP" >/dev/null 2>&1
	capture_wait vsrc '$1 == "icmp" && $5 == vip && $7 == 8' 1 "$CARP_MARGIN_MS"
	check_err $? "no echo request from the MASTER seen"
	capture_stop vsrc
	n=$(capture_count vsrc '$1 == "icmp" && $5 == vip && $7 == 8 && $3 == m' \
		m="$(mac_of "$bns" eth0)")
	((n == 0)) || check_fail_msg "the BACKUP sent $n packets from $VIP"
	d1=$(tx_dropped "$bns" carp0)
	((d1 >= d0 + 3)) || check_fail_msg "tx_dropped on the BACKUP's carp0: $d0 -> $d1"
	log_test "only the MASTER sends from $VIP (${mns%%-*})"
}

test_garp()
{
	local out n

	pair_ready
	check_begin
	capture_start garp "$CLIENT" eth0 arp
	check_err $? "capture"
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	capture_wait garp '$1 == "arp" && $6 == v && $7 == vip && $9 == vip' 1 \
		"$CARP_MARGIN_MS" v="$VMAC"
	check_err $? "no gratuitous ARP: $(capture_show garp)"
	capture_stop garp
	log_test "new MASTER sends a gratuitous ARP for $VIP with the vmac"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "main back as BACKUP"
}

test_setup()
{
	carp_pair_setup "main MASTER, spare BACKUP" 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

test_arp_main()
{
	pair_ready
	arp_exactly_once "main MASTER"
}

test_backup_silent_spare()
{
	pair_ready
	backup_silent spare main
}

test_vip_source_main()
{
	pair_ready
	vip_source "$MAIN" "$SPARE"
}

test_arp_spare()
{
	spare_ready
	arp_exactly_once "spare MASTER"
}

test_backup_silent_main()
{
	spare_ready
	backup_silent main spare
}

require_cmd tcpdump arping tc
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
