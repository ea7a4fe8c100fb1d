#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a parent's own events ask of the carp devices on it: a bond's
# failover, its change of type, MTU changes.
#
#   host: bond0 (active-backup, miimon 50), slaves s1 and s2 (veth, their
#         peers p1 and p2 in namespace peer), 10.0.0.2/24;
#         carp0 on bond0: vhid 1, 10.0.0.1/24 (MASTER: it is alone)
#         bond1 (no slaves) with carp1 on it: vhid 2, 10.0.1.1/24
#         (both advbase 0, advskew 100: nothing here depends on the
#         interval)
#
# Proves:
#  - carp0's MTU cannot exceed bond0's; it follows bond0's MTU down, and up
#    again while it had bond0's, and keeps a smaller one set on it;
#  - a failover of bond0 to s2 (active_slave) makes carp0, MASTER, send a
#    gratuitous ARP for 10.0.0.1 from the virtual MAC out of s2 (seen on
#    p2), so that switches learn the new port;
#  - enslaving a non-Ethernet device (an IPIP or GRE tunnel) to bond1
#    while carp1 is on it is refused (the bond would take the tunnel's
#    device type and address length): bond1 stays Ethernet, carp1 stays;
#    with carp1 deleted the same enslaving works (the refusal is carp's).

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_mtu test_failover test_type_change"

H=""
P=""
ADVBASE=0
SKEW=100

# mtu_of NS DEV
mtu_of()
{
	ip -n "$1" -o link show dev "$2" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'
}

# link_type NS DEV: link/ether, link/ipip, ...
link_type()
{
	ip -n "$1" -o link show dev "$2" | grep -o 'link/[a-z0-9]*'
}

active_slave_is()
{
	ip -n "$H" -d link show bond0 | grep -q "active_slave $1 "
}

set_active_slave()
{
	ip -n "$H" link set bond0 type bond active_slave "$1" 2>/dev/null
	active_slave_is "$1"
}

topo()
{
	local i

	setup_ns H P || return 1
	ip -n "$H" link add bond0 type bond mode active-backup miimon 50 ||
		return 1
	for i in 1 2; do
		ip -n "$H" link add "s$i" type veth peer name "p$i" netns "$P" &&
		ip -n "$H" link set "s$i" master bond0 &&
		ip -n "$P" link set "p$i" up || return 1
	done
	ip -n "$H" link set bond0 up &&
	ip -n "$H" addr add 10.0.0.2/24 dev bond0 &&
	ip -n "$H" link add bond1 type bond mode active-backup &&
	ip -n "$H" link set bond1 up || return 1
	# the bond is ready when s1 carries its traffic
	slowwait 10 active_slave_is s1
}

# devs_add: carp0 on bond0, MASTER, and carp1 on bond1. Prints what went
# wrong.
devs_add()
{
	carp_add "$H" carp0 dev bond0 vhid 1 advbase "$ADVBASE" \
		advskew "$SKEW" "$VIP/$PLEN" &&
	wait_state "$H" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SKEW") + CARP_MARGIN_MS)) &&
	carp_add "$H" carp1 dev bond1 vhid 2 advbase "$ADVBASE" \
		advskew "$SKEW" 10.0.1.1/24
}

# devs_ready: what test_setup makes.
devs_ready()
{
	local out

	carp_state_is "$H" carp0 MASTER && link_exists "$H" carp1 && return 0
	carpctl -n "$H" del carp0 2>/dev/null
	carpctl -n "$H" del carp1 2>/dev/null
	out=$(devs_add) ||
		carp_ensure_fail "$out" "carp0 on bond0 MASTER, carp1 on bond1"
}

test_setup()
{
	local out

	check_begin
	out=$(devs_add)
	check_err $? "$out"
	log_test "carp0 on bond0 MASTER, carp1 on bond1"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_mtu()
{
	local mtu

	devs_ready
	check_begin
	ip -n "$H" link set carp0 mtu 1501 2>/dev/null &&
		check_fail_msg "carp0 took MTU 1501 over bond0's 1500"
	mtu=$(mtu_of "$H" carp0)
	[ "$mtu" = 1500 ] || check_fail_msg "carp0's MTU is $mtu, not 1500"
	ip -n "$H" link set carp0 mtu 1400
	check_err $? "carp0 refused MTU 1400"
	ip -n "$H" link set carp0 mtu 1500
	check_err $? "carp0 refused MTU 1500 back"
	log_test "carp0's MTU cannot exceed its parent's"

	check_begin
	ip -n "$H" link set bond0 mtu 1300
	mtu=$(mtu_of "$H" carp0)
	[ "$mtu" = 1300 ] || check_fail_msg "carp0's MTU is $mtu after bond0's became 1300"
	ip -n "$H" link set bond0 mtu 1500
	mtu=$(mtu_of "$H" carp0)
	[ "$mtu" = 1500 ] || check_fail_msg "carp0's MTU is $mtu after bond0's went back to 1500"
	ip -n "$H" link set carp0 mtu 1400
	ip -n "$H" link set bond0 mtu 1450
	mtu=$(mtu_of "$H" carp0)
	[ "$mtu" = 1400 ] || check_fail_msg "carp0's own MTU 1400 became $mtu when bond0's became 1450"
	ip -n "$H" link set bond0 mtu 1500
	ip -n "$H" link set carp0 mtu 1500
	log_test "carp0 follows bond0's MTU down and back, keeps a smaller one of its own"
}

test_failover()
{
	local n

	devs_ready
	check_begin
	capture_start p2 "$P" p2 arp
	check_err $? "capture on p2"
	loopy_wait "sleep 0.2" "$CARP_MARGIN_MS" set_active_slave s2
	check_err $? "bond0 did not fail over to s2: $(ip -n "$H" -d link show bond0 | grep -o 'active_slave [^ ]*')"
	capture_wait p2 '$1 == "arp" && $3 == vmac && $7 == vip' 1 \
		"$CARP_MARGIN_MS" vmac="$(vmac_of 1)"
	check_err $? "no gratuitous ARP for $VIP from $(vmac_of 1) on p2: $(capture_show p2 | tail -n 4 | tr '\n' ';')"
	capture_stop p2
	n=$(capture_count p2 '$1 == "arp" && $3 == vmac && $7 == vip' vmac="$(vmac_of 1)")
	log_test "bond0 fails over to s2: carp0 (MASTER) announces $VIP there ($n GARP)"
}

# tunnel_add NAME: a non-Ethernet device (IPIP, else GRE) in the host, down.
tunnel_add()
{
	ip -n "$H" link add "$1" type ipip local 10.0.0.2 remote 10.0.0.9 \
		2>/dev/null ||
	ip -n "$H" link add "$1" type gre local 10.0.0.2 remote 10.0.0.9 \
		2>/dev/null
}

test_type_change()
{
	local out

	devs_ready
	check_begin
	tunnel_add tun1 || carp_skip "neither ipip nor gre tunnels available"
	out=$(ip -n "$H" link set tun1 master bond1 2>&1)
	(($? != 0)) || check_fail_msg "tun1 ($(link_type "$H" tun1)) was enslaved to bond1 under carp1"
	[ "$(link_type "$H" bond1)" = link/ether ] ||
		check_fail_msg "bond1 is $(link_type "$H" bond1) now"
	link_exists "$H" carp1 || check_fail_msg "carp1 is gone"
	log_test "enslaving a $(link_type "$H" tun1) device to bond1 under carp1 is refused ($out)"

	check_begin
	ip -n "$H" link set tun1 nomaster 2>/dev/null
	carp_del "$H" carp1
	check_err $? "cannot delete carp1"
	out=$(ip -n "$H" link set tun1 master bond1 2>&1)
	check_err $? "without carp1, enslaving tun1 fails too: $out"
	[ "$(link_type "$H" bond1)" = "$(link_type "$H" tun1)" ] ||
		check_fail_msg "bond1 is $(link_type "$H" bond1), tun1 $(link_type "$H" tun1)"
	log_test "without a carp device bond1 takes the tunnel's type"
}

require_carp
require_cmd tcpdump
trap carp_cleanup EXIT
carp_tmpdir
if ! topo; then
	echo "FAIL: cannot build the bond topology"
	exit "$ksft_fail"
fi

carp_run_tests

exit "$EXIT_STATUS"
