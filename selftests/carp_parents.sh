#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP on the parents people actually use.
#
# Each case builds a fresh topology (lib_carp.sh) and stacks something on
# main's and spare's eth0:
#
#   vlan:   eth0.10 (VLAN 10, 10.0.10.0/24; the client gets eth0.10 too)
#   bridge: a local bridge br0 with eth0 as its port (address on br0)
#   bond:   bond0, active-backup with miimon, eth0 its slave (address on bond0)
#
# Proves, for each parent: the pair (advbase 0, as the interval is not the
# point here; main advskew 150, spare advskew 200)
# elects exactly one MASTER (main) and keeps it; the client pings the
# virtual address and its neighbour entry is the vmac 00:00:5e:00:01:01;
# pulling main's cable (its parent loses carrier through the stack) makes
# spare MASTER, the client reaches the address again through the vmac, and
# main, plugged back, returns as BACKUP with spare the one MASTER.
#
# The same vhid on two parents and several addresses on one vhid: see
# carp_multi.sh.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_vlan test_bridge test_bond"

VMAC=$(vmac_of 1)
VLAN_VIP=10.0.10.1
ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200

fresh_topology()
{
	carp_cleanup
	if ! carp_topo_create; then
		echo "FAIL: cannot build the test topology"
		exit "$ksft_fail"
	fi
}

# add_bridge NS ADDR: br0 with eth0 as port; ADDR/24 moves to br0.
add_bridge()
{
	ip -n "$1" addr flush dev eth0 &&
	ip -n "$1" link add br0 type bridge stp_state 0 forward_delay 0 \
		mcast_snooping 0 &&
	ip -n "$1" link set eth0 master br0 &&
	ip -n "$1" addr add "$2/$PLEN" dev br0 &&
	ip -n "$1" link set br0 up
}

# add_bond NS ADDR: bond0 (active-backup, miimon 50) with eth0 as slave.
add_bond()
{
	ip -n "$1" addr flush dev eth0 &&
	ip -n "$1" link add bond0 type bond mode active-backup miimon 50 &&
	ip -n "$1" link set eth0 down &&
	ip -n "$1" link set eth0 master bond0 &&
	ip -n "$1" addr add "$2/$PLEN" dev bond0 &&
	ip -n "$1" link set bond0 up &&
	ip -n "$1" link set eth0 up
}

# parent_case NAME PARENT VIP: the pair on PARENT, ping, failover, plug.
parent_case()
{
	local name=$1 parent=$2 vip=$3
	local out t

	check_begin
	out=$(carp_pair_add carp0 "$parent" 1 "$MAIN_SKEW" "$SPARE_SKEW" "$vip/$PLEN")
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	t=$(carp_field "$MAIN" carp0 dev)
	[ "$t" = "$parent" ] || check_fail_msg "main carp0 parent is '$t'"
	log_test "$name: exactly one MASTER (main) on $parent"
	[ "$RET" -eq 0 ] || return

	check_begin
	out=$(client_reaches "$vip")
	check_err $? "$out"
	log_test "$name: client reaches $vip through the vmac"

	check_begin
	cable_pull main
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$parent did not lose carrier: $out"
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(client_reaches "$vip")
	check_err $? "$out"
	log_test "$name: main's cable pulled: spare MASTER, client reaches $vip"

	check_begin
	out=$(carp_plug_back "$MAIN_SKEW" 0 500)
	check_err $? "$out"
	log_test "$name: main plugged back: BACKUP, spare the one MASTER"
}

test_vlan()
{
	local out

	fresh_topology
	check_begin
	out=$(vlan10_up)
	check_err $? "$out"
	log_test "vlan: eth0.10 on every host"
	[ "$RET" -eq 0 ] || return

	parent_case vlan eth0.10 "$VLAN_VIP"
}

# host_parent_case NAME PARENT ADD_FN WHAT: a fresh topology, PARENT made
# by ADD_FN NS ADDR on main and spare (their addresses move to it), then
# parent_case.
host_parent_case()
{
	local name=$1 parent=$2 add=$3 what=$4

	fresh_topology
	check_begin
	"$add" "$MAIN" "$MAIN_IP" && "$add" "$SPARE" "$SPARE_IP"
	check_err $? "cannot create $parent"
	client_ping "$MAIN_IP" 20 && client_ping "$SPARE_IP" 20
	check_err $? "client cannot reach main/spare through $parent"
	log_test "$name: $what on main and spare"
	[ "$RET" -eq 0 ] || return

	parent_case "$name" "$parent" "$VIP"
}

test_bridge()
{
	host_parent_case bridge br0 add_bridge "br0 with eth0 as port"
}

test_bond()
{
	host_parent_case bond bond0 add_bond \
		"bond0 (active-backup) with eth0 as slave"
}

require_cmd tcpdump
require_carp
trap carp_cleanup EXIT
carp_run_tests

exit "$EXIT_STATUS"
