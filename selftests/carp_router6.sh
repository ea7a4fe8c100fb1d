#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A pair of IPv6 routers sharing a link-local gateway address, the way a
# client learns its default route from router advertisements.
#
#   main:  forwarding on, carp0 vhid 1, advbase 0, advskew 150, fe80::1/64
#   spare: forwarding on, carp0 vhid 1, advbase 0, advskew 200, fe80::1/64
#   client: accepts router advertisements (a host)
#
# Proves: the MASTER's solicited neighbour advertisements for the virtual
# address carry the Router flag when carp0 forwards (capture on the
# client); a router advertisement from fe80::1 (forged here, as radvd on
# the MASTER would send it) gives the client a default route through
# fe80::1 and marks the neighbour a router; that route and the router mark
# survive ten failovers (the MASTER's cable pulled and a MASTER stepping
# down, in turn), whose unsolicited advertisements all carry the Router
# flag, and the client reaches the gateway after each; with carp0's
# forwarding off the MASTER answers as a host (no Router flag).
#
# Without the flag a Linux client takes each advertisement of the gateway
# as "router became host" and deletes the routes it learned through it
# (rt6_clean_tohost()): the default route would not survive the first
# failover.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

ALL_TESTS="test_routers test_na_router test_ra_route test_failovers
	test_host"

ADVBASE=0
# Each host is BACKUP under the other in turn: main's master-down (3 x
# 150/256 s) outlasts the spare's interval (200/256 s) by almost a second,
# for the stalls of a loaded VM.
MAIN_SKEW=150
SPARE_SKEW=200
PASS=router6
GW=fe80::1
VMAC=$(vmac_of 1)
FAILOVERS=10

# RA_PY LIBDIR DEV SMAC ADDR: one router advertisement from ADDR (a
# link-local address) and SMAC to all nodes out of DEV, router lifetime
# 1800 s, SMAC in the source link-layer address option.
RA_PY='
import socket, struct, sys
sys.path.insert(0, sys.argv[1])
from carp_pkt import csum16

dev, smac = sys.argv[2], bytes.fromhex(sys.argv[3].replace(":", ""))
src = socket.inet_pton(socket.AF_INET6, sys.argv[4])
dst = socket.inet_pton(socket.AF_INET6, "ff02::1")
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
ra += bytes([1, 1]) + smac
c = csum16(src + dst + struct.pack("!IxxxB", len(ra), 58) + ra)
ra = ra[:2] + struct.pack("!H", c) + ra[4:]
ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(ra), 58, 255, src, dst)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
s.send(bytes.fromhex("333300000001") + smac + b"\x86\xdd" + ip6 + ra)
'

# routers_ready: what test_routers makes (both forwarding, one MASTER and
# one BACKUP: main MASTER when made here, either after failovers).
routers_ready()
{
	local ns out

	_states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP && return 0
	_states_are "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER && return 0
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	for ns in "$MAIN" "$SPARE"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1 ||
			carp_ensure_fail "cannot turn forwarding on" "routers"
	done
	out=$(carp_pair_add carp0 eth0 1 "$MAIN_SKEW" "$SPARE_SKEW" \
		pass "$PASS" "$GW/64") ||
		carp_ensure_fail "$out" "routers: main MASTER, spare BACKUP"
}

# gw_ping: the client reaches the gateway address. Prints what went wrong.
gw_ping()
{
	slowwait 5 ip netns exec "$CLIENT" ping -6 -c 1 -W 1 -q "$GW%eth0" \
		>/dev/null 2>&1 ||
		{ echo "client cannot ping $GW%eth0"; return 1; }
}

# gw_nd_capture TAG: a capture on the client (TAG) of its neighbour
# discovery of $GW from an empty cache, and of a ping through it; stopped
# when this returns. Fails the check when the capture or the ping fails.
gw_nd_capture()
{
	local out

	capture_start "$1" "$CLIENT" eth0 icmp6 ||
		check_fail_msg "no capture on the client"
	ip -n "$CLIENT" -6 neigh flush dev eth0
	out=$(gw_ping)
	check_err $? "$out"
	capture_stop "$1"
}

# gw_route_check WHEN: the client's default route through $GW is there,
# and its neighbour entry for $GW marked a router; else the check fails,
# naming WHEN.
gw_route_check()
{
	local out

	out=$(ip -n "$CLIENT" -6 route show default)
	grep -q "via $GW dev eth0 proto ra" <<<"$out" ||
		check_fail_msg "$1: the client's default route is '$out'"
	out=$(ip -n "$CLIENT" -6 neigh show "$GW" dev eth0)
	grep -qw router <<<"$out" ||
		check_fail_msg "$1: the client's neighbour $GW is '$out', not a router"
}

test_routers()
{
	local v

	check_begin
	routers_ready
	v=$(ip netns exec "$MAIN" sysctl -n net.ipv6.conf.carp0.forwarding)
	[ "$v" = 1 ] || check_fail_msg "main's carp0 forwarding is $v"
	log_test "two routers (forwarding on) share $GW, main MASTER"
}

test_na_router()
{
	local n bad

	routers_ready
	check_begin
	gw_nd_capture nar
	n=$(v6_count nar "" "" "" '$1 == "na" && $8 == g && $9 == 1 &&
		$3 == v && $12 == 1' g="$GW" v="$VMAC")
	bad=$(v6_count nar "" "" "" '$1 == "na" && $8 == g && $13 != 1' g="$GW")
	((n >= 1 && bad == 0)) ||
		check_fail_msg "$n solicited NAs for $GW from $VMAC, $bad without the Router flag: $(v6_show nar "" "" "" | grep '^na' | tail -n 3)"
	log_test "solicited NAs for $GW carry the Router flag (carp0 forwards)"
}

# ra_ready: what test_ra_route makes (the client's default route via $GW).
ra_ready()
{
	ip -n "$CLIENT" -6 route show default | grep -q "via $GW dev eth0" &&
		return 0
	ip netns exec "$MAIN" python3 -c "$RA_PY" "$lib_dir" eth0 "$VMAC" "$GW"
	slowwait 5 sh -c "ip -n '$CLIENT' -6 route show default |
		grep -q 'via $GW dev eth0'"
}

test_ra_route()
{
	routers_ready
	check_begin
	ra_ready
	check_err $? "no default route on the client after an RA from $GW: $(ip -n "$CLIENT" -6 route show default)"
	gw_route_check "after the RA"
	log_test "an RA from $GW: the client's default route, $GW a router"
}

test_failovers()
{
	local i old new oldh newh out n bad

	routers_ready
	ra_ready || carp_ensure_fail "no default route through $GW" \
		"the client's default route survives $FAILOVERS failovers"
	check_begin
	capture_start una "$CLIENT" eth0 icmp6 ||
		check_fail_msg "no capture on the client"
	for ((i = 1; i <= FAILOVERS && RET == 0; i++)); do
		if _states_are "$MAIN" carp0 MASTER; then
			old=$MAIN oldh=main new=$SPARE newh=spare
			n=$SPARE_SKEW
		else
			old=$SPARE oldh=spare new=$MAIN newh=main
			n=$MAIN_SKEW
		fi
		if ((i % 2)); then
			# the MASTER dies: the other times out to MASTER
			cable_pull "$oldh"
			out=$(wait_state "$new" carp0 MASTER \
				$(($(carp_down_ms "$ADVBASE" "$n") + CARP_MARGIN_MS)))
			check_err $? "failover $i: $out"
			cable_plug "$oldh"
			out=$(wait_state "$old" carp0 BACKUP "$CARP_MARGIN_MS")
			check_err $? "failover $i: $oldh back: $out"
		else
			# the MASTER steps down (bow-out): the other takes over
			out=$(carpctl -n "$old" set carp0 state backup 2>&1)
			check_err $? "failover $i: $out"
			out=$(wait_state "$new" carp0 MASTER "$CARP_MARGIN_MS")
			check_err $? "failover $i: $out"
		fi
		out=$(gw_ping)
		check_err $? "failover $i ($newh MASTER): $out"
		gw_route_check "failover $i ($newh MASTER)"
	done
	capture_stop una
	n=$(v6_count una "" "" "" '$1 == "na" && $8 == g && $9 == 0 &&
		$6 == "ff02::1" && $3 == v && $13 == 1' g="$GW" v="$VMAC")
	bad=$(v6_count una "" "" "" '$1 == "na" && $8 == g && $13 != 1' g="$GW")
	((n >= FAILOVERS && bad == 0)) ||
		check_fail_msg "$n unsolicited NAs for $GW with the Router flag in $FAILOVERS failovers, $bad without: $(v6_show una "" "" "" | grep '^na' | tail -n 3)"
	log_test "the client's default route through $GW survives $FAILOVERS failovers"
}

test_host()
{
	local master n

	routers_ready
	master=$MAIN
	_states_are "$MAIN" carp0 MASTER || master=$SPARE
	check_begin
	ip netns exec "$master" sysctl -qw net.ipv6.conf.carp0.forwarding=0
	gw_nd_capture host
	ip netns exec "$master" sysctl -qw net.ipv6.conf.carp0.forwarding=1
	n=$(v6_count host "" "" "" '$1 == "na" && $8 == g && $9 == 1 &&
		$13 == 0' g="$GW")
	((n >= 1)) ||
		check_fail_msg "no NA for $GW without the Router flag: $(v6_show host "" "" "" | grep '^na' | tail -n 3)"
	log_test "carp0 forwarding off: the MASTER answers as a host"
}

require_cmd tcpdump python3
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
