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
# Proves, for each parent: the pair (main advskew 0, spare advskew 100)
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

VMAC=$(vmac_of 1)
VLAN_VIP=10.0.10.1

# neigh_mac NS IP: lladdr of NS's neighbour entry for IP (any device).
neigh_mac()
{
	ip -n "$1" neigh show "$2" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print tolower($(i + 1)) }'
}

fresh_topology()
{
	carp_cleanup
	if ! carp_topo_create; then
		echo "FAIL: cannot build the test topology"
		exit "$ksft_fail"
	fi
}

# add_vlan NS ADDR: eth0.10 on eth0 with ADDR/24.
add_vlan()
{
	ip -n "$1" link add link eth0 name eth0.10 type vlan id 10 &&
	ip -n "$1" addr add "$2/24" dev eth0.10 &&
	ip -n "$1" link set eth0.10 up
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

# pair_up DEV PARENT VHID VIPS MAIN_SKEW SPARE_SKEW: DEV on main first (waited
# to MASTER), then on spare (to BACKUP); VIPS a list of addresses (/24).
pair_up()
{
	local dev=$1 parent=$2 vhid=$3 vips=$4 mskew=$5 sskew=$6
	local -a a=()
	local v

	for v in $vips; do
		a+=("$v/$PLEN")
	done
	carp_add "$MAIN" "$dev" dev "$parent" vhid "$vhid" advbase 1 \
		advskew "$mskew" "${a[@]}" || return 1
	wait_state "$MAIN" "$dev" MASTER \
		$(($(carp_down_ms 1 "$mskew") + CARP_MARGIN_MS)) || return 1
	carp_add "$SPARE" "$dev" dev "$parent" vhid "$vhid" advbase 1 \
		advskew "$sskew" "${a[@]}" || return 1
	wait_state "$SPARE" "$dev" BACKUP "$CARP_MARGIN_MS"
}

# client_reaches IP: ping answered, neighbour entry is the vmac.
client_reaches()
{
	local m

	client_ping "$1" 10 || { echo "client cannot ping $1"; return 1; }
	m=$(neigh_mac "$CLIENT" "$1")
	[ "$m" = "$VMAC" ] || { echo "client's neighbour $1 is '$m', not $VMAC"; return 1; }
}

# parent_case NAME PARENT VIP: the pair on PARENT, ping, failover, plug.
parent_case()
{
	local name=$1 parent=$2 vip=$3
	local out t

	check_begin
	out=$(pair_up carp0 "$parent" 1 "$vip" 0 100)
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms 1 100) + 500)) \
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
		$(($(carp_down_ms 1 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(client_reaches "$vip")
	check_err $? "$out"
	log_test "$name: main's cable pulled: spare MASTER, client reaches $vip"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms 1 0) + 500)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "$name: main plugged back: BACKUP, spare the one MASTER"
}

test_vlan()
{
	local out

	check_begin
	add_vlan "$MAIN" 10.0.10.2 && add_vlan "$SPARE" 10.0.10.3 &&
		add_vlan "$CLIENT" 10.0.10.10
	check_err $? "cannot create eth0.10"
	out=$(client_ping 10.0.10.2 20 && client_ping 10.0.10.3 20)
	check_err $? "client cannot reach main/spare on VLAN 10"
	log_test "vlan: eth0.10 on every host"
	[ "$RET" -eq 0 ] || return

	parent_case vlan eth0.10 "$VLAN_VIP"
}

test_bridge()
{
	fresh_topology
	check_begin
	add_bridge "$MAIN" "$MAIN_IP" && add_bridge "$SPARE" "$SPARE_IP"
	check_err $? "cannot create the local bridges"
	client_ping "$MAIN_IP" 20 && client_ping "$SPARE_IP" 20
	check_err $? "client cannot reach main/spare through their bridges"
	log_test "bridge: br0 with eth0 as port on main and spare"
	[ "$RET" -eq 0 ] || return

	parent_case bridge br0 "$VIP"
}

test_bond()
{
	fresh_topology
	check_begin
	add_bond "$MAIN" "$MAIN_IP" && add_bond "$SPARE" "$SPARE_IP"
	check_err $? "cannot create the bonds"
	client_ping "$MAIN_IP" 20 && client_ping "$SPARE_IP" 20
	check_err $? "client cannot reach main/spare through their bonds"
	log_test "bond: bond0 (active-backup) with eth0 as slave on main and spare"
	[ "$RET" -eq 0 ] || return

	parent_case bond bond0 "$VIP"
}

require_cmd tcpdump
require_carp
trap carp_cleanup EXIT

fresh_topology
test_vlan

fresh_topology
test_bridge

fresh_topology
test_bond

exit "$EXIT_STATUS"
