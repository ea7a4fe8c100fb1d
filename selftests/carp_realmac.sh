#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lladdr parent: carp behind a switch that drops forged source MACs, as
# VMware's "Forged Transmits: Reject" and most clouds do. The switch drops
# every frame from main's and the spare's ports whose source MAC is a
# virtual one (00:00:5e:00:01:xx).
#
#   main: carp0 vhid 1, advbase 0, advskew 150, lladdr parent
#   spare: carp0 vhid 1, advbase 0, advskew 200, lladdr parent
#   both: 10.0.0.1/24 and 2001:db8::1/64 (unsolicited NAs are sent too)
#
# Proves: with the virtual MAC the client cannot reach the address behind
# this switch (the filter is real) and the vmac is in the parent's unicast
# filter; with lladdr parent the pair elects one MASTER, carp0's MAC is
# eth0's and the vmac is in no filter; the client reaches the address at
# main's own MAC; on both hosts' wires no frame has a virtual source MAC
# (advertisements, ARP, NA, a forced hand-over and back); the BACKUP never
# answers ARP for the address and drops the traffic for it that comes to
# its own MAC; main's cable pulled, the spare takes over and sends exactly
# net.carp.garp_repeat gratuitous ARPs, spaced, and the client reaches the
# address again at the spare's MAC; main's eth0 given a new MAC, carp0
# follows and the client reaches the address at the new MAC.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="vmac_blocked pair_elects client_reaches_main no_vmac_source
	backup_silent failover_garp parent_mac_follows"

ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second.
MAIN_SKEW=150
SPARE_SKEW=200
PASS=secret
VIP6=2001:db8::1/64
VMAC_MATCH=00:00:5e:00:01:00/ff:ff:ff:ff:ff:00
# The announcements of the failover test (the default is 3).
REPEAT=4
GARP_INTERVAL_MS=200
SMAC=""	# the spare's MAC, for garps_wait

# block_forged_macs: the switch drops what main and the spare send from a
# virtual MAC, as a hypervisor that rejects forged transmits.
block_forged_macs()
{
	local port

	for port in sw_main sw_spare; do
		tc -n "$SW" qdisc add dev "$port" clsact || return 1
		tc -n "$SW" filter add dev "$port" ingress pref 1 protocol all \
			flower src_mac "$VMAC_MATCH" action drop || return 1
	done
}

# forged_drops: frames the switch dropped so far, both ports.
forged_drops()
{
	local port n sum=0

	for port in sw_main sw_spare; do
		n=$(tc -n "$SW" -s -j filter show dev "$port" ingress | python3 -c '
import json, sys

def packets(o):
    if isinstance(o, list):
        return sum(packets(x) for x in o)
    if not isinstance(o, dict):
        return 0
    return sum(v.get("packets", 0) if k == "stats" and isinstance(v, dict)
               else packets(v) for k, v in o.items())

print(packets(json.load(sys.stdin)))')
		sum=$((sum + n))
	done
	echo "$sum"
}

# parent_has_vmac NS: the vmac of vhid 1 is in eth0's address lists.
parent_has_vmac()
{
	bridge -n "$1" fdb show dev eth0 | grep -qi "^$(vmac_of 1) "
}

devices_del()
{
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
}

# realmac_ensure: main MASTER and the spare BACKUP with lladdr parent,
# both cables in; made again unless so. Prints what went wrong.
realmac_ensure()
{
	if [ "$(carp_field "$MAIN" carp0 lladdr)" = parent ] &&
	   [ "$(carp_field "$SPARE" carp0 lladdr)" = parent ] &&
	   [ "$(link_operstate "$SW" sw_main)" = UP ] &&
	   [ "$(link_operstate "$SW" sw_spare)" = UP ] &&
	   _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP; then
		return 0
	fi
	cable_plug main
	cable_plug spare
	devices_del
	carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW" pass "$PASS" lladdr parent \
		"$VIP6"
}

realmac_ready()
{
	local out

	out=$(realmac_ensure) ||
		carp_ensure_fail "$out" "lladdr parent: main MASTER, spare BACKUP"
}

# The control: the virtual MAC behind this switch. Neither host hears the
# other (both MASTER), no answer reaches the client.
vmac_blocked()
{
	local out d0

	check_begin
	devices_del
	d0=$(forged_drops)
	out=$(carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" pass "$PASS" "$VIP/$PLEN" &&
	      carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" pass "$PASS" "$VIP/$PLEN" &&
	      wait_states $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 MASTER)
	check_err $? "$out"
	parent_has_vmac "$MAIN" ||
		check_fail_msg "the vmac is not in main's eth0 filter: $(bridge -n "$MAIN" fdb show dev eth0)"
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	ip netns exec "$CLIENT" ping -c 3 -i 0.5 -W 1 -q "$VIP" >/dev/null 2>&1 &&
		check_fail_msg "the client reached $VIP from behind the switch"
	(($(forged_drops) > d0)) || check_fail_msg "the switch dropped nothing"
	devices_del
	log_test "control: the virtual MAC behind the switch, the client cannot reach $VIP"
}

pair_elects()
{
	local ns mac js

	check_begin
	realmac_ready
	for ns in "$MAIN" "$SPARE"; do
		mac=$(mac_of "$ns" eth0)
		[ "$(mac_of "$ns" carp0)" = "$mac" ] ||
			check_fail_msg "${ns%%-*}: carp0 has $(mac_of "$ns" carp0), eth0 $mac"
		js=$(carpctl -n "$ns" -j show carp0)
		_json_scalar "$js" vmac
		[ "$JSON_VAL" = "$mac" ] ||
			check_fail_msg "${ns%%-*}: show -j: $js"
		parent_has_vmac "$ns" &&
			check_fail_msg "${ns%%-*}: the vmac is in eth0's filter"
	done
	carpctl -n "$MAIN" show carp0 | grep -q "LLADDR.*" ||
		check_fail_msg "show has no LLADDR column: $(carpctl -n "$MAIN" show carp0)"
	[ "$(ip netns exec "$MAIN" sysctl -n net.carp.garp_repeat)" = 3 ] ||
		check_fail_msg "net.carp.garp_repeat is not 3 by default"
	log_test "lladdr parent: one MASTER, carp0 has eth0's MAC, no vmac in the filter"
}

client_reaches_main()
{
	local out

	check_begin
	realmac_ready
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	out=$(client_reaches "$VIP" "$(mac_of "$MAIN" eth0)")
	check_err $? "$out"
	log_test "the client reaches $VIP at main's own MAC"
}

# On both hosts' wires: advertisements (IPv4 and IPv6), the MASTER's ARP
# reply, a hand-over to the spare and back (bow-outs, gratuitous ARPs,
# unsolicited NAs): never a virtual source MAC.
no_vmac_source()
{
	local mmac smac n out t

	check_begin
	realmac_ready
	mmac=$(mac_of "$MAIN" eth0)
	smac=$(mac_of "$SPARE" eth0)
	capture_start vm "$MAIN" eth0 || check_fail_msg "no capture on main"
	capture_start vs "$SPARE" eth0 || check_fail_msg "no capture on spare"
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	client_ping "$VIP" 10 || check_fail_msg "client cannot ping $VIP"
	out=$(carp_set "$MAIN" carp0 state backup &&
	      wait_state "$SPARE" carp0 MASTER "$CARP_MARGIN_MS")
	check_err $? "hand-over to the spare: $out"
	out=$(capture_wait vs '$1 == "arp" && $3 == s && $5 == "request" && $7 == vip &&
		$9 == vip' \
		3 "$CARP_MARGIN_MS" "s=$smac")
	check_err $? "no gratuitous ARP from the spare: $out"
	out=$(carp_set "$MAIN" carp0 state master &&
	      wait_states "$CARP_MARGIN_MS" "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "hand-over back to main: $out"
	out=$(capture_wait vm '$1 == "arp" && $3 == m && $5 == "request" && $7 == vip &&
		$9 == vip' \
		3 "$CARP_MARGIN_MS" "m=$mmac")
	check_err $? "no gratuitous ARP from main: $out"
	capture_stop vm
	capture_stop vs
	for t in vm vs; do
		n=$(capture_count "$t" '$3 ~ /^00:00:5e:00:01:/')
		((n == 0)) ||
			check_fail_msg "$n frames from a vmac on ${t#v}: $(capture_show "$t" | grep ' 00:00:5e:00:01:' | head -n 3)"
	done
	n=$(capture_count vm '$1 == "p112" && $3 == m' "m=$mmac")
	((n > 0)) || check_fail_msg "no advertisement from main's MAC"
	n=$(capture_count vm '$1 == "eth" && $3 == m && $5 == "86dd"' "m=$mmac")
	((n > 0)) || check_fail_msg "no IPv6 from main's MAC (advertisements, NA)"
	n=$(capture_count vm '$1 == "arp" && $5 == "reply" && $7 == vip && $3 == m && $6 == m' \
		"m=$mmac")
	((n > 0)) || check_fail_msg "no ARP reply for $VIP from main's MAC"
	log_test "no frame from a virtual MAC on either host's wire"
}

# The BACKUP hears every ARP request for the address (broadcast) and
# never answers; what still comes to its own MAC for the address (a
# client that did not hear of a takeover) it drops.
backup_silent()
{
	local smac

	check_begin
	realmac_ready
	smac=$(mac_of "$SPARE" eth0)
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	arp_silence_check "$SPARE" "the spare (BACKUP)"
	check_err $? "arping got no reply: $(cat "$CARP_TMP/arping.out")"

	ip -n "$CLIENT" neigh replace "$VIP" lladdr "$smac" dev eth0 nud permanent
	ip netns exec "$CLIENT" ping -c 3 -i 0.5 -W 1 -q "$VIP" >/dev/null 2>&1 &&
		check_fail_msg "the spare (BACKUP) answered a ping to $VIP at its MAC"
	ip -n "$CLIENT" neigh del "$VIP" dev eth0
	[ "$(carp_state "$SPARE" carp0)" = BACKUP ] ||
		check_fail_msg "the spare is $(carp_state "$SPARE" carp0)"
	log_test "the BACKUP never answers ARP for $VIP, drops its traffic"
}

# The GARPs of the spare's takeover, as the client sees them, at least
# @1 of them within the time they take. Prints what went wrong.
garps_wait()
{
	capture_wait fg '$1 == "arp" && $3 == s && $5 == "request" && $6 == s &&
		$7 == vip && $9 == vip' "$1" \
		$(((REPEAT - 1) * GARP_INTERVAL_MS + CARP_MARGIN_MS)) "s=$SMAC"
}

failover_garp()
{
	local out n first last

	check_begin
	realmac_ready
	SMAC=$(mac_of "$SPARE" eth0)
	ip netns exec "$SPARE" sysctl -qw "net.carp.garp_repeat=$REPEAT"
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	out=$(client_reaches "$VIP" "$(mac_of "$MAIN" eth0)")
	check_err $? "before: $out"
	capture_start fg "$CLIENT" eth0 arp || check_fail_msg "no capture"
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	out=$(garps_wait "$REPEAT")
	check_err $? "the spare's gratuitous ARPs: $out"
	# two intervals more: none beyond the repeat
	carp_sleep $((2 * GARP_INTERVAL_MS / 1000)).$((2 * GARP_INTERVAL_MS % 1000))
	capture_stop fg
	n=$(capture_count fg '$1 == "arp" && $3 == s && $5 == "request" && $7 == vip && $9 == vip' \
		"s=$SMAC")
	((n == REPEAT)) ||
		check_fail_msg "$n gratuitous ARPs, net.carp.garp_repeat is $REPEAT: $(capture_show fg)"
	# the times as printed (awk's own number format would round them)
	read -r first last < <(capture_show fg | awk -v s="$SMAC" -v v="$VIP" \
		'$1 == "arp" && $3 == s && $7 == v && $9 == v { if (f == "") f = $2; l = $2 }
		 END { print (f == "" ? 0 : f), (l == "" ? 0 : l) }')
	awk -v f="$first" -v l="$last" -v n="$REPEAT" -v i="$GARP_INTERVAL_MS" \
		'BEGIN { exit !((l - f) * 1000 >= (n - 1) * i * 3 / 4) }' ||
		check_fail_msg "the gratuitous ARPs are not spaced: $first .. $last"
	out=$(client_reaches "$VIP" "$SMAC")
	check_err $? "after: $out"
	cable_plug main
	ip netns exec "$SPARE" sysctl -qw net.carp.garp_repeat=3
	log_test "main's cable pulled: the spare takes over, $REPEAT gratuitous ARPs, the client follows"
}

parent_mac_follows()
{
	local new=02:00:00:00:0a:02 out

	check_begin
	realmac_ready
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	out=$(client_reaches "$VIP" "$(mac_of "$MAIN" eth0)")
	check_err $? "before: $out"
	ip -n "$MAIN" link set eth0 address "$new"
	check_err $? "cannot set main's eth0 to $new"
	[ "$(mac_of "$MAIN" carp0)" = "$new" ] ||
		check_fail_msg "carp0 has $(mac_of "$MAIN" carp0), eth0 $new"
	[ "$(carp_field "$MAIN" carp0 vmac)" = "$new" ] ||
		check_fail_msg "show -j vmac $(carp_field "$MAIN" carp0 vmac)"
	out=$(client_reaches "$VIP" "$new")
	check_err $? "after: $out"
	[ "$(carp_state "$MAIN" carp0)" = MASTER ] ||
		check_fail_msg "main is $(carp_state "$MAIN" carp0)"
	log_test "main's eth0 gets a new MAC: carp0 follows, the client too"
}

require_cmd tc tcpdump arping bridge
carp_test_init
block_forged_macs || carp_skip "tc flower is not available"
carp_run_tests

exit "$EXIT_STATUS"
