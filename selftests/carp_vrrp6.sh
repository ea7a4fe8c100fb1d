#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VRRPv3 (RFC 5798) of IPv6, and a VRRPv3 device's two families side by
# side, against Debian's keepalived (`version 3`, the same addresses: a
# link-local one first, then $VIP6), VRID 7, advertisement interval 0.5 s.
# carp.ko on main (carp0, carpver 3, its family inferred by carpctl from
# the addresses), keepalived on the spare's eth0; the client captures.
#
# a) the configuration: one family per device (a mix refused), a
#    link-local address required (RFC 5798 5.2.9), vrrpfamily a VRRPv3
#    word fixed at creation, refused for CARP by the kernel too.
# b) two families, one VRID: a VRRPv3 device of IPv4 and one of IPv6 may
#    share vhid 7 on eth0 (two virtual routers, two virtual MACs); a CARP
#    vhid 7 beside them is refused. Each advertises its own family only,
#    from its own MAC. Accept_Mode, off by default as in the RFC: the
#    client's echo requests to either address are dropped (counted in
#    carp0's rx_dropped), neighbour discovery and ARP still answered with
#    the virtual MACs; vrrpaccept on: answered.
# c) carp.ko better (200) than keepalived (100): carp.ko MASTER, keepalived
#    BACKUP for HOLD_MS, only main advertising; main's cable pulled:
#    keepalived MASTER; plugged back: carp.ko preempts.
# d) keepalived better (200): carp.ko BACKUP, hearing every advertisement
#    (ipackets6), the master's interval learnt, silent; keepalived stopped:
#    its bow-out answered, carp.ko MASTER in Skew_Time, reported by
#    carpctl monitor as CARP's takeovers are.
# e) the wire: an advertisement of carp.ko checked byte by byte: from
#    00:00:5e:00:02:07 and main's link-local address to 33:33:00:00:00:12
#    and ff02::12, hop limit 255, the link-local address first, the
#    checksum recomputed here with the IPv6 pseudo-header.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"
source "$lib_dir/lib_vrrp.sh"

ALL_TESTS="test_topo test_config test_families test_carp_master
	test_keepalived_master test_wire"

VRID=7
INT_CS=50
INT_MS=$((INT_CS * 10))
HOLD_MS=3000
LL_VIP=fe80::7
VRRP_ADDRS=("$LL_VIP/64" "$VIP6/$PLEN6")
VRRP_FAMILY=6
VMAC4=$(vmac_of "$VRID")
VMAC6=$(printf '00:00:5e:00:02:%02x' "$VRID")

# ping_fails ARGS...: the client's ping ARGS gets no answer (two
# requests, 1 s each).
ping_fails()
{
	! ip netns exec "$CLIENT" ping "$@" -c 2 -W 1 -q >/dev/null 2>&1
}

# rx_dropped DEV: main's DEV's count of received packets dropped.
rx_dropped()
{
	ip netns exec "$MAIN" cat "/sys/class/net/$1/statistics/rx_dropped"
}

test_topo()
{
	check_begin
	v6_topo
	check_err $? "the client cannot reach main and the spare over IPv6"
	VRRP_MAIN_SRC=$(lladdr_of "$MAIN" eth0)
	VRRP_SPARE_SRC=$(lladdr_of "$SPARE" eth0)
	[ -n "$VRRP_MAIN_SRC" ] && [ -n "$VRRP_SPARE_SRC" ] ||
		check_fail_msg "no link-local address on eth0: main '$VRRP_MAIN_SRC', spare '$VRRP_SPARE_SRC'"
	log_test "topology: IPv6 on main, the spare and the client"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_config()
{
	local out

	check_begin
	out=$(refused "$MAIN" "one address family" add carp0 dev eth0 vhid 7 carpver 3 "$VIP/$PLEN" "$LL_VIP/64")
	check_err $? "$out"
	out=$(refused "$MAIN" "link-local" add carp0 dev eth0 vhid 7 carpver 3 "$VIP6/$PLEN6")
	check_err $? "$out"
	out=$(refused "$MAIN" "carpver 3" add carp0 dev eth0 vhid 7 vrrpfamily inet6 "$LL_VIP/64")
	check_err $? "$out"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 exists after refused requests"
	# the kernel's own check, through rtnetlink (no carpctl on the way)
	out=$(ip -n "$MAIN" link add carp0 link eth0 type carp vhid 7 vrrpfamily inet6 2>&1) &&
		check_fail_msg "ip link add: vrrpfamily for a CARP device accepted"
	grep -q "VRRPv3's" <<<"$out" ||
		check_fail_msg "ip link add: '$out', not the kernel's message"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 exists after ip link's refused request"
	log_test "a) config: one family per device, a link-local address for IPv6, vrrpfamily VRRPv3's only"

	check_begin
	out=$(main_add 150)
	check_err $? "$out"
	[ "$(carp_field "$MAIN" carp0 vrrpfamily)" = inet6 ] ||
		check_fail_msg "vrrpfamily '$(carp_field "$MAIN" carp0 vrrpfamily)', expected inet6 (inferred)"
	[ "$(mac_of "$MAIN" carp0)" = "$VMAC6" ] ||
		check_fail_msg "carp0's MAC $(mac_of "$MAIN" carp0), expected $VMAC6"
	out=$(refused "$MAIN" "created" set carp0 vrrpfamily inet)
	check_err $? "$out"
	[ "$(carp_field "$MAIN" carp0 vrrpfamily)" = inet6 ] ||
		check_fail_msg "vrrpfamily changed by a refused request"
	out=$(ip -n "$MAIN" -d link show carp0)
	grep -q "vrrpfamily inet6" <<<"$out" ||
		check_fail_msg "ip -d link show does not say vrrpfamily inet6: $out"
	carp_del "$MAIN" carp0
	log_test "a) config: family inferred (inet6), MAC $VMAC6, fixed at creation, shown by carpctl and ip"
}

test_families()
{
	local out cap=vf n4 n6 d0 d1

	check_begin
	capture_start "$cap" "$CLIENT" eth0 ip proto 112 or ip6 proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(main_add 150)
	check_err $? "$out"
	out=$(carp_add "$MAIN" carp1 dev eth0 vhid "$VRID" carpver 3 \
		vrrpprio 150 vrrpinterval "$INT_CS" "$VIP/$PLEN")
	check_err $? "a VRRPv3 device of IPv4 beside one of IPv6, same vhid: $out"
	out=$(refused "$MAIN" "vhid already in use" add carp2 dev eth0 vhid "$VRID" 10.0.0.5/24)
	check_err $? "$out"
	link_exists "$MAIN" carp2 && check_fail_msg "carp2 (CARP, vhid $VRID) exists beside the VRRPv3 devices"
	out=$(wait_states $(($(vrrp_down_ms 150) + CARP_MARGIN_MS)) "$MAIN" carp0 MASTER "$MAIN" carp1 MASTER)
	check_err $? "$out"
	vrrp_wait "$cap" '$1 == "v6" && $5 == main' 2 $((3 * INT_MS + CARP_MARGIN_MS))
	check_err $? "no IPv6 advertisement from main: $(vrrp_show "$cap" | tail -n 2)"
	n6=$(vrrp_count "$cap" '$1 == "v6" && $3 != m' m="$VMAC6")
	n4=$(vrrp_count "$cap" '$1 == "v4" && $3 != m' m="$VMAC4")
	((n6 == 0 && n4 == 0)) ||
		check_fail_msg "advertisements from the other family's MAC: IPv6 $n6, IPv4 $n4"
	n6=$(vrrp_count "$cap" '$1 == "v6" && $12 != 2')
	n4=$(vrrp_count "$cap" '$1 == "v4"')
	((n6 == 0 && n4 > 0)) ||
		check_fail_msg "IPv6 advertisements listing other than 2 addresses: $n6; IPv4 advertisements: $n4"
	capture_stop "$cap"
	log_test "b) VRID $VRID twice on eth0, IPv4 ($VMAC4) and IPv6 ($VMAC6), each MASTER and advertising its own family; CARP vhid $VRID refused"
	[ "$RET" -eq 0 ] || { carp_del "$MAIN" carp0; carp_del "$MAIN" carp1; return 1; }

	check_begin
	d0=$(rx_dropped carp0)
	ping_fails -6 "$VIP6" || check_fail_msg "$VIP6 answered the client's ping with vrrpaccept off"
	ping_fails -4 "$VIP" || check_fail_msg "$VIP answered the client's ping with vrrpaccept off"
	[ "$(neigh_mac "$CLIENT" "$VIP6")" = "$VMAC6" ] ||
		check_fail_msg "the client's neighbour $VIP6 is '$(neigh_mac "$CLIENT" "$VIP6")', not $VMAC6"
	[ "$(neigh_mac "$CLIENT" "$VIP")" = "$VMAC4" ] ||
		check_fail_msg "the client's neighbour $VIP is '$(neigh_mac "$CLIENT" "$VIP")', not $VMAC4"
	d1=$(rx_dropped carp0)
	((d1 >= d0 + 2)) || check_fail_msg "carp0's rx_dropped $d0 -> $d1: the refused pings not counted"
	log_test "b) Accept_Mode off (the RFC's default): pings to $VIP6 and $VIP dropped (rx_dropped +$((d1 - d0))), ND and ARP answered"

	check_begin
	out=$(carp_set "$MAIN" carp0 vrrpaccept on)
	check_err $? "$out"
	out=$(carp_set "$MAIN" carp1 vrrpaccept on)
	check_err $? "$out"
	[ "$(carp_field "$MAIN" carp0 vrrpaccept)" = true ] ||
		check_fail_msg "vrrpaccept '$(carp_field "$MAIN" carp0 vrrpaccept)' after set on"
	client_ping6 "$VIP6" 5 || check_fail_msg "$VIP6 does not answer with vrrpaccept on"
	client_ping "$VIP" 5 || check_fail_msg "$VIP does not answer with vrrpaccept on"
	carp_del "$MAIN" carp1
	carp_del "$MAIN" carp0
	log_test "b) vrrpaccept on: $VIP6 and $VIP answer"
}

test_carp_master()
{
	vrrp_case_carp_master c
}

test_keepalived_master()
{
	vrrp_case_keepalived_master d
}

test_wire()
{
	local out cap=v6w line want

	check_begin
	capture_start "$cap" "$CLIENT" eth0 ip6 proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(main_add 180)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 180) + CARP_MARGIN_MS)))
	check_err $? "$out"
	vrrp_wait "$cap" '$1 == "v6" && $5 == main' 1 $((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "no advertisement from main"
	capture_stop "$cap"
	line=$(vrrp_show "$cap" | awk -v m="$VRRP_MAIN_SRC" '$1 == "v6" && $5 == m { print; exit }')
	# v6 TIME ETHSRC ETHDST SRC DST HLIM VER TYPE VRID PRIO COUNT INTERVAL CSUM ADDRS
	want="$VMAC6 33:33:00:00:00:12 $VRRP_MAIN_SRC ff02::12 255 3 1 $VRID 180 2 $INT_CS 1 $LL_VIP,$VIP6"
	[ "$(cut -d' ' -f3- <<<"$line")" = "$want" ] ||
		check_fail_msg "advertisement '$(cut -d' ' -f3- <<<"$line")', expected '$want'"
	carp_del "$MAIN" carp0
	log_test "e) the wire: from $VMAC6 and main's link-local to ff02::12, hop limit 255, $LL_VIP first, checksum with the IPv6 pseudo-header"
}

carp_test_init
require_cmd keepalived tcpdump

carp_run_tests

exit "$EXIT_STATUS"
