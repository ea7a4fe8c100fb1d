#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP over IPv6 (vhid 1, advbase 0, as nothing here depends on the
# interval; main advskew 150 MASTER, spare advskew 200 BACKUP; virtual
# address 2001:db8::1/64 only). The hosts' eth0 get 2001:db8::2, ::3, ::10
# /64 besides their IPv4 addresses.
#
# Proves: an IPv6-only vhid elects one MASTER; its advertisements go to
# ff02::12 (Ethernet 33:33:00:00:00:12) from the vmac and from the parent's
# link-local address with hop limit 255, with a valid checksum and an HMAC
# recomputed here independently (IPv4 addresses sorted, then IPv6 sorted,
# then the counter), and no IPv4 advertisement (one per family present);
# carpctl shows the IPv6 address, added nodad at metric 1024, and counts
# opackets6/ipackets6; the client pings the VIP and its neighbour cache
# holds the vmac; only the MASTER answers neighbour solicitations (the
# BACKUP sends no NA although the solicitations reach it) and the BACKUP
# drops IPv6 for the VIP sent to its own MAC; sockets bound to the VIP
# (ping, UDP, TCP) send from the MASTER and never from the BACKUP (capture
# on the client; counted as tx_dropped); after the MASTER's cable is
# pulled the BACKUP takes over, sends an unsolicited NA (ff02::1, override,
# vmac), its address is not tentative and the client reaches the VIP again
# at once; a mixed IPv4+IPv6 vhid sends both families' advertisements, each
# with the HMAC over both address lists, and the BACKUP accepts them; the
# parents' multicast filters hold the solicited-node group of every virtual
# address, and drop it with the last device that has it; a link-local
# virtual address (fe80::cafe) is in the HMAC, the MASTER answers the
# client's neighbour solicitation and ping for it from the virtual MAC, and
# the spare does after a failover.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

VMAC=$(vmac_of 1)
VMAC2=$(vmac_of 2)
ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200
PASS=v6secret
MIXED6=2001:db8::4,2001:db8::5

ALL_TESTS="test_topo test_election test_nd test_vip6_source test_failover
	test_mixed test_snma test_linklocal"

# topo_ready: the hosts' IPv6 addresses (what test_topo makes).
topo_ready()
{
	ip -n "$CLIENT" -6 -o addr show dev eth0 | grep -q " $CLIENT_IP6/" &&
		return 0
	v6_topo >/dev/null ||
		carp_ensure_fail "client cannot reach main and spare" "IPv6 topology"
}

# pair6_add DEV VHID PASS ADDR...: carp_pair_add of DEV on eth0, and both
# stay so for the spare's master-down interval. Prints what went wrong.
pair6_add()
{
	local dev=$1 vhid=$2 pass=$3; shift 3

	carp_pair_add "$dev" eth0 "$vhid" "$MAIN_SKEW" "$SPARE_SKEW" \
		pass "$pass" "$@" || return 1
	expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 500)) \
		"$MAIN" "$dev" MASTER "$SPARE" "$dev" BACKUP
}

# pair_ready: the IPv6-only carp0, main MASTER and spare BACKUP with both
# cables in (what test_election makes).
pair_ready()
{
	local out

	topo_ready
	[ "$(link_operstate "$SW" sw_main)" = UP ] &&
		_states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP && return 0
	cable_plug main
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	out=$(pair6_add carp0 1 "$PASS" "$VIP6/$PLEN6") ||
		carp_ensure_fail "$out" "IPv6-only vhid: main MASTER, spare BACKUP"
}

# mixed_add: the mixed vhid 2 on carp1, main MASTER, the spare BACKUP.
# Prints what went wrong.
mixed_add()
{
	# addresses given out of order, and in another order on each host:
	# the HMAC sorts them
	carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" pass mixed 2001:db8::5/64 "$VIP/$PLEN" \
		2001:db8::4/64 || return 1
	wait_state "$MAIN" carp1 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)) ||
		return 1
	carp_add "$SPARE" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" pass mixed 2001:db8::4/64 \
		2001:db8::5/64 "$VIP/$PLEN" || return 1
	wait_state "$SPARE" carp1 BACKUP "$CARP_MARGIN_MS"
}

# mixed_ready: carp0 and carp1 on both (what test_mixed makes).
mixed_ready()
{
	local out

	pair_ready
	link_exists "$MAIN" carp1 && link_exists "$SPARE" carp1 && return 0
	carpctl -n "$MAIN" del carp1 2>/dev/null
	carpctl -n "$SPARE" del carp1 2>/dev/null
	out=$(mixed_add) ||
		carp_ensure_fail "$out" "mixed IPv4+IPv6 vhid: main MASTER, spare BACKUP"
}

test_topo()
{
	check_begin
	v6_topo
	check_err $? "IPv6 on the hosts' eth0: client cannot reach main and spare"
	log_test "IPv6 topology"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_election()
{
	local mll n bad adv_ms out

	adv_ms=$(carp_adv_ms "$ADVBASE" "$MAIN_SKEW")

	topo_ready
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	check_begin
	capture_start ads "$CLIENT" eth0
	check_err $? "capture"
	out=$(pair6_add carp0 1 "$PASS" "$VIP6/$PLEN6")
	check_err $? "$out"
	log_test "IPv6-only vhid: main MASTER, spare BACKUP"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

	check_begin
	mll=$(lladdr_of "$MAIN" eth0)
	[ -n "$mll" ] || check_fail_msg "main's eth0 has no link-local address"
	v6_wait ads "$PASS" "" "$VIP6" \
		'$1 == "c6" && $3 == v && $8 == 1' 3 $((3 * adv_ms + CARP_MARGIN_MS)) \
		v="$VMAC"
	check_err $? "fewer than 3 IPv6 advertisements: $(v6_show ads "$PASS" "" "$VIP6" | awk 'n++ < 10')"
	capture_stop ads
	n=$(v6_count ads "$PASS" "" "$VIP6" '$1 == "c6" && $8 == 1')
	((n >= 3)) || check_fail_msg "only $n advertisements for vhid 1"
	# every one of them as the BSDs send it, and authentic
	bad=$(v6_count ads "$PASS" "" "$VIP6" '$1 == "c6" && $8 == 1 &&
		!($3 == v && $4 == "33:33:00:00:00:12" && $5 == ll &&
		  $6 == "ff02::12" && $7 == 255 && $9 == 1 && $10 == 1)' \
		v="$VMAC" ll="$mll")
	((bad == 0)) ||
		check_fail_msg "$bad of $n advertisements not from $VMAC/$mll to ff02::12, hop limit 255, checksum and HMAC valid: $(v6_show ads "$PASS" "" "$VIP6" | awk '$1 == "c6" && n++ < 3')"
	n=$(v6_count ads "$PASS" "" "$VIP6" '$1 == "c4" && $3 == v' v="$VMAC")
	((n == 0)) || check_fail_msg "$n IPv4 advertisements from an IPv6-only vhid"
	log_test "advertisements to ff02::12 from the link-local, hop limit 255, HMAC over the IPv6 address"

	check_begin
	out=$(carp_field "$MAIN" carp0 addresses)
	grep -qx "$VIP6/$PLEN6" <<<"$out" ||
		check_fail_msg "carpctl show: addresses '$out', expected $VIP6/$PLEN6"
	out=$(ip -n "$SPARE" -6 -o addr show dev carp0 scope global)
	grep -q "inet6 $VIP6/$PLEN6 .*nodad" <<<"$out" &&
		grep -q "metric 1024" <<<"$out" &&
		! grep -q "noprefixroute" <<<"$out" ||
		check_fail_msg "spare's carp0 address not nodad, metric 1024: $out"
	n=$(carp_stat "$MAIN" carp0 opackets6)
	((n >= 3)) || check_fail_msg "main opackets6 $n"
	n=$(carp_stat "$SPARE" carp0 ipackets6)
	((n >= 1)) || check_fail_msg "spare ipackets6 $n"
	n=$(carp_stat "$SPARE" carp0 badauth)
	((n == 0)) || check_fail_msg "spare badauth $n"
	log_test "carpctl: IPv6 address shown, added nodad at metric 1024; opackets6/ipackets6"
}

# Sockets bound to the virtual address: the MASTER's packets leave, the
# BACKUP's never (a capture on the client, whatever the protocol).
test_vip6_source()
{
	local smac n d0 d1 out

	pair_ready
	smac=$(mac_of "$SPARE" eth0)
	check_begin
	capture_start vsrc "$CLIENT" eth0 ip6 src "$VIP6"
	check_err $? "capture"
	d0=$(tx_dropped "$SPARE" carp0)
	ip netns exec "$SPARE" ping -6 -c 2 -i 0.3 -W 1 -I "$VIP6" \
		"$CLIENT_IP6" >/dev/null 2>&1
	ip netns exec "$SPARE" python3 -c "$CARP_SEND_PY" 6 "$VIP6" "$CLIENT_IP6"
	# the MASTER's, sent after: the capture saw what was sent before
	out=$(ip netns exec "$MAIN" ping -6 -c 1 -W 2 -I "$VIP6" "$CLIENT_IP6" 2>&1)
	check_err $? "the MASTER cannot send from $VIP6: $out"
	ip netns exec "$MAIN" python3 -c "$CARP_SEND_PY" 6 "$VIP6" "$CLIENT_IP6"
	capture_wait vsrc '$1 == "eth" && $5 == "86dd" && $3 != s' 3 "$CARP_MARGIN_MS" \
		s="$smac"
	check_err $? "the MASTER's echo request, UDP and TCP from $VIP6 not all seen: $(capture_show vsrc | tail -n 4)"
	capture_stop vsrc
	n=$(capture_count vsrc '$1 == "eth" && $5 == "86dd" && $3 == s' s="$smac")
	((n == 0)) ||
		check_fail_msg "the BACKUP sent $n packets from $VIP6: $(capture_show vsrc | head -n 3)"
	d1=$(tx_dropped "$SPARE" carp0)
	((d1 >= d0 + 4)) ||
		check_fail_msg "tx_dropped on the BACKUP's carp0: $d0 -> $d1 (2 pings, UDP, TCP)"
	log_test "only the MASTER sends from $VIP6 (ping, UDP, TCP)"
}

test_nd()
{
	local smac n out

	pair_ready
	smac=$(mac_of "$SPARE" eth0)

	check_begin
	capture_start nd "$CLIENT" eth0
	check_err $? "capture"
	capture_start spare_out "$SPARE" eth0 -Q out icmp6
	check_err $? "capture on spare"
	capture_start spare_in "$SPARE" eth0 -Q in icmp6
	check_err $? "capture on spare"
	ip -n "$CLIENT" -6 neigh flush dev eth0 to "$VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6"
	out=$(ip -n "$CLIENT" -6 neigh show "$VIP6" dev eth0)
	grep -qi "lladdr $VMAC" <<<"$out" ||
		check_fail_msg "client's neighbour entry for $VIP6: '$out', expected $VMAC"
	# two more solicitations, so the BACKUP had every chance to answer
	ip -n "$CLIENT" -6 neigh flush dev eth0 to "$VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6 (second time)"
	ip -n "$CLIENT" -6 neigh flush dev eth0 to "$VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6 (third time)"
	v6_wait spare_in "" "" "" '$1 == "ns" && $7 == vip6' 2 "$CARP_MARGIN_MS"
	check_err $? "the solicitations for $VIP6 did not reach the spare"
	# a late NA of the BACKUP would come within this bounded window
	carp_sleep 1
	capture_stop nd
	capture_stop spare_out
	capture_stop spare_in
	n=$(v6_count nd "" "" "" '$1 == "na" && $8 == vip6 && $3 == v &&
		$11 == v && $9 == 1 && $10 == 1 && $7 == 255 && $12 == 1 &&
		$5 == vip6 && $6 !~ /^ff/' v="$VMAC")
	((n >= 3)) ||
		check_fail_msg "$n solicited NAs for $VIP6 from $VMAC (S, O, TLLA vmac, checksum): $(v6_show nd "" "" "" | grep -E '^n[as]')"
	n=$(v6_count nd "" "" "" '$1 == "na" && ($3 == s || $11 == s)' s="$smac")
	((n == 0)) || check_fail_msg "$n NAs with the spare's MAC"
	n=$(v6_count spare_out "" "" "" '$1 == "na" && $8 == vip6')
	((n == 0)) ||
		check_fail_msg "the BACKUP sent $n NAs for $VIP6: $(v6_show spare_out "" "" "")"
	log_test "only the MASTER answers NS for $VIP6, with the vmac; the client's cache holds the vmac"

	# IPv6 for the VIP sent to the BACKUP's own MAC must die there
	check_begin
	capture_start spare_out "$SPARE" eth0 -Q out icmp6
	check_err $? "capture on spare"
	capture_start spare_in "$SPARE" eth0 -Q in icmp6
	check_err $? "capture on spare"
	ip -n "$CLIENT" -6 neigh replace "$VIP6" lladdr "$smac" dev eth0 \
		nud permanent
	ip netns exec "$CLIENT" ping -6 -c 3 -i 0.3 -W 1 -q "$VIP6" >/dev/null
	v6_wait spare_in "" "" "" '$1 == "e6" && $6 == vip6 && $7 == 128' 3 \
		"$CARP_MARGIN_MS"
	check_err $? "the echo requests did not reach the spare"
	capture_stop spare_out
	capture_stop spare_in
	ip -n "$CLIENT" -6 neigh del "$VIP6" dev eth0
	n=$(v6_count spare_out "" "" "" '$1 == "e6" && $5 == vip6 && $7 == 129')
	((n == 0)) || check_fail_msg "the BACKUP answered $n echo requests for $VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6 through the vmac (control)"
	log_test "BACKUP drops IPv6 for $VIP6 sent to its MAC"
}

test_failover()
{
	local n out down_ms

	pair_ready
	down_ms=$(carp_down_ms "$ADVBASE" "$SPARE_SKEW")

	check_begin
	capture_start una "$CLIENT" eth0
	check_err $? "capture"
	cable_pull main
	out=$(wait_state "$SPARE" carp0 MASTER $((down_ms + CARP_MARGIN_MS)))
	check_err $? "$out"
	# at once: not tentative, and reachable without a DAD delay
	out=$(ip -n "$SPARE" -6 -o addr show dev carp0 scope global)
	grep -q "inet6 $VIP6/$PLEN6 " <<<"$out" ||
		check_fail_msg "spare's carp0 lost $VIP6: $out"
	! grep -qE "tentative|dadfailed" <<<"$out" ||
		check_fail_msg "new MASTER's address not usable: $out"
	client_ping6 "$VIP6" 5
	check_err $? "client cannot reach $VIP6 on the new MASTER"
	v6_wait una "" "" "" '$1 == "na" && $8 == vip6 && $3 == v && $11 == v &&
		$4 == "33:33:00:00:00:01" && $6 == "ff02::1" && $5 == vip6 &&
		$9 == 0 && $10 == 1 && $7 == 255 && $12 == 1' 1 "$CARP_MARGIN_MS" \
		v="$VMAC"
	check_err $? "no unsolicited NA for $VIP6 from $VMAC: $(v6_show una "" "" "" | grep -E '^n[as]')"
	capture_stop una
	log_test "failover: new MASTER announces $VIP6 (unsolicited NA, vmac), usable at once"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "main back as BACKUP"
}

test_mixed()
{
	local l4=$VIP l6=$MIXED6 n bad bad0 out adv_ms

	adv_ms=$(carp_adv_ms "$ADVBASE" "$MAIN_SKEW")

	pair_ready
	carpctl -n "$MAIN" del carp1 2>/dev/null
	carpctl -n "$SPARE" del carp1 2>/dev/null
	check_begin
	capture_start mix "$CLIENT" eth0
	check_err $? "capture"
	out=$(mixed_add)
	check_err $? "$out"
	# While carpctl adds the spare's addresses one by one, main's
	# advertisements (HMAC over all three) fail against the part the
	# spare has: only what comes once both are complete counts.
	bad0=$(carp_stat "$SPARE" carp1 badauth)
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 500)) \
		"$MAIN" carp1 MASTER "$SPARE" carp1 BACKUP)
	check_err $? "$out"
	v6_wait mix mixed "$l4" "$l6" '$1 == "c6" && $3 == v && $8 == 2' 2 \
		$((2 * adv_ms + CARP_MARGIN_MS)) v="$VMAC2"
	check_err $? "no IPv6 advertisements for vhid 2"
	v6_wait mix mixed "$l4" "$l6" '$1 == "c4" && $3 == v && $8 == 2' 2 \
		$((2 * adv_ms + CARP_MARGIN_MS)) v="$VMAC2"
	check_err $? "no IPv4 advertisements for vhid 2"
	capture_stop mix
	n=$(v6_count mix mixed "$l4" "$l6" '($1 == "c4" || $1 == "c6") && $8 == 2')
	bad=$(v6_count mix mixed "$l4" "$l6" '($1 == "c4" || $1 == "c6") &&
		$8 == 2 && !($3 == v && $7 == 255 && $9 == 1 && $10 == 1)' \
		v="$VMAC2")
	((n >= 4 && bad == 0)) ||
		check_fail_msg "$bad of $n advertisements for vhid 2 not valid (HMAC over $l4 then $l6): $(v6_show mix mixed "$l4" "$l6" | awk '$1 ~ /^c[46]$/' | tail -4)"
	bad=$(v6_count mix mixed "$l4" "$l6" '$1 == "c4" && $8 == 2 &&
		$6 != "224.0.0.18"')
	((bad == 0)) || check_fail_msg "$bad IPv4 advertisements not to 224.0.0.18"
	for out in ipackets ipackets6; do
		n=$(carp_stat "$SPARE" carp1 "$out")
		((n >= 1)) || check_fail_msg "spare carp1 $out $n"
	done
	n=$(carp_stat "$SPARE" carp1 badauth)
	((n == bad0)) || check_fail_msg "spare carp1 badauth $bad0 -> $n once configured"
	log_test "mixed IPv4+IPv6 vhid: both families advertised, HMAC over both"
}

# carpN's solicited-node groups reach the parent's multicast filter.
snma_mac()
{
	python3 -c 'import socket, sys
a = socket.inet_pton(socket.AF_INET6, sys.argv[1])
print("33:33:ff:" + ":".join("%02x" % b for b in a[13:]))' "$1"
}

parent_has_mc()
{
	ip -n "$1" maddr show dev eth0 | grep -qi "link  *$2\b"
}

test_snma()
{
	local host mac mac4 out

	mixed_ready
	check_begin
	mac=$(snma_mac "$VIP6")
	mac4=$(snma_mac 2001:db8::4)
	for host in "$MAIN" "$SPARE"; do
		parent_has_mc "$host" "$mac" ||
			check_fail_msg "${host%%-*}: eth0 is not listening to $mac ($VIP6): $(ip -n "$host" maddr show dev eth0 | tr -s ' \n' ' ')"
		parent_has_mc "$host" "$mac4" ||
			check_fail_msg "${host%%-*}: eth0 is not listening to $mac4 (2001:db8::4)"
	done
	out=$(carp_del "$SPARE" carp1) || check_fail_msg "$out"
	parent_has_mc "$SPARE" "$mac4" &&
		check_fail_msg "spare's eth0 still listens to $mac4 after carp1 is gone"
	parent_has_mc "$SPARE" "$mac" ||
		check_fail_msg "spare's eth0 lost $mac (carp0's) with carp1"
	log_test "the parent's multicast filter passes the virtual addresses' solicited-node groups"
}

# A link-local virtual address, as the BSDs allow (a router's IPv6 gateway).
test_linklocal()
{
	local ll=fe80::cafe vmac3 n bad out adv_ms

	vmac3=$(vmac_of 3)
	adv_ms=$(carp_adv_ms "$ADVBASE" "$MAIN_SKEW")

	topo_ready
	cable_plug main
	carpctl -n "$MAIN" del carp2 2>/dev/null
	carpctl -n "$SPARE" del carp2 2>/dev/null
	check_begin
	capture_start ll "$CLIENT" eth0 ip6
	check_err $? "capture"
	out=$(pair6_add carp2 3 linklocal "$ll/64")
	check_err $? "$out"
	v6_wait ll linklocal "" "$ll" '$1 == "c6" && $3 == v && $8 == 3' 2 \
		$((2 * adv_ms + CARP_MARGIN_MS)) v="$vmac3"
	check_err $? "no IPv6 advertisements for vhid 3"
	n=$(v6_count ll linklocal "" "$ll" '$1 == "c6" && $8 == 3')
	bad=$(v6_count ll linklocal "" "$ll" '$1 == "c6" && $8 == 3 &&
		!($3 == v && $7 == 255 && $9 == 1 && $10 == 1)' v="$vmac3")
	((n >= 2 && bad == 0)) ||
		check_fail_msg "$bad of $n advertisements for vhid 3 without a valid HMAC over $ll: $(v6_show ll linklocal "" "$ll" | awk '$1 == "c6"' | tail -2)"
	n=$(carp_stat "$SPARE" carp2 badauth)
	((n == 0)) || check_fail_msg "spare carp2 badauth $n"
	out=$(carp_field "$MAIN" carp2 addresses)
	grep -qx "$ll/64" <<<"$out" ||
		check_fail_msg "carpctl show: addresses '$out', expected $ll/64"
	log_test "link-local virtual address: in the HMAC, one MASTER"

	check_begin
	out=$(slowwait 5 ip netns exec "$CLIENT" ping -6 -c 1 -W 1 -q \
		"$ll%eth0" 2>&1)
	check_err $? "client cannot ping $ll%eth0: $out"
	out=$(ip -n "$CLIENT" -6 neigh show "$ll" dev eth0)
	grep -qi "lladdr $vmac3" <<<"$out" ||
		check_fail_msg "client's neighbour entry for $ll: '$out', expected $vmac3"
	capture_stop ll
	n=$(v6_count ll "" "" "" '$1 == "na" && $8 == t && $3 == v &&
		$11 == v' t="$ll" v="$vmac3")
	((n >= 1)) || check_fail_msg "no NA for $ll from $vmac3"
	n=$(v6_count ll "" "" "" '$1 == "e6" && $5 == t && $7 == 129 &&
		$3 == v' t="$ll" v="$vmac3")
	((n >= 1)) ||
		check_fail_msg "no echo reply from $ll through $vmac3: $(v6_show ll "" "" "" | grep -E '^(e6|n[as])' | tail -4)"
	log_test "the MASTER answers for $ll, from the virtual MAC"

	check_begin
	cable_pull main
	out=$(wait_state "$SPARE" carp2 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(slowwait 5 ip netns exec "$CLIENT" ping -6 -c 1 -W 1 -q \
		"$ll%eth0" 2>&1)
	check_err $? "client cannot ping $ll%eth0 on the spare: $out"
	cable_plug main
	out=$(wait_state "$MAIN" carp2 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "failover of $ll: the spare answers"
}

require_cmd tcpdump python3
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
