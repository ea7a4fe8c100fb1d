#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an admin does to the devices under a running pair (vhid 1, advbase
# 0 as nothing here depends on the interval: main MASTER with advskew 50,
# spare BACKUP with advskew 100; the client pings 10.0.0.1 all along).
#
# Proves: the parent's MTU change is followed by carp0; a change of the
# parent's MAC leaves the election alone (the advertisements come from the
# virtual MAC: the spare stays BACKUP for longer than its master-down time)
# and the client still reaches the address through the virtual MAC; moving
# carp0 to another namespace is refused and leaves it MASTER; moving the
# parent to another namespace takes carp0 with it out of existence (the
# parent lives on there) and the spare takes over; deleting a namespace
# with carp devices in it (a MASTER among them) leaves the others working
# and the module usable. (The harness checks dmesg for splats.)

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_mtu test_mac test_move_carp test_move_parent
	test_netns_del"

ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100
OTHER=""

# pair_ready: main MASTER, spare BACKUP (what test_setup makes).
pair_ready()
{
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# other_ready: the namespace OTHER.
other_ready()
{
	[ -n "$OTHER" ] && return 0
	setup_ns OTHER || check_fail_msg "cannot create a namespace"
}

test_setup()
{
	local out

	check_begin
	out=$(carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP"
	log_test "main MASTER, spare BACKUP, client reaches $VIP"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_mtu()
{
	local mtu

	pair_ready
	check_begin
	ip -n "$MAIN" link set eth0 mtu 1400
	check_err $? "cannot change eth0's MTU"
	mtu=$(ip -n "$MAIN" -o link show carp0 | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	[ "$mtu" = 1400 ] || check_fail_msg "carp0's MTU is $mtu after eth0's became 1400"
	ip -n "$MAIN" link set eth0 mtu 1500
	mtu=$(ip -n "$MAIN" -o link show carp0 | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	[ "$mtu" = 1500 ] || check_fail_msg "carp0's MTU is $mtu after eth0's went back to 1500"
	log_test "carp0 follows the parent's MTU"
}

test_mac()
{
	local out

	pair_ready
	check_begin
	ip -n "$MAIN" link set eth0 address 02:00:00:00:aa:01
	check_err $? "cannot change eth0's MAC"
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	ip -n "$CLIENT" neigh flush dev eth0
	out=$(client_reaches "$VIP")
	check_err $? "after main's MAC changed: $out"
	log_test "parent's MAC changed: same MASTER, $VIP still at the virtual MAC"
}

test_move_carp()
{
	local out

	pair_ready
	check_begin
	other_ready
	out=$(ip -n "$MAIN" link set carp0 netns "$OTHER" 2>&1)
	(($? != 0)) || check_fail_msg "carp0 moved to another namespace"
	link_exists "$MAIN" carp0 || check_fail_msg "carp0 left main"
	link_exists "$OTHER" carp0 && check_fail_msg "carp0 appeared in the other namespace"
	out=$(expect_states_for 2000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "moving carp0 to another namespace is refused; it stays MASTER"
}

test_move_parent()
{
	local out

	pair_ready
	check_begin
	other_ready
	ip -n "$MAIN" link set eth0 netns "$OTHER"
	check_err $? "cannot move main's eth0"
	slowwait 5 bash -c "! ip -n '$MAIN' link show carp0 >/dev/null 2>&1"
	check_err $? "carp0 survived its parent's move"
	link_exists "$OTHER" eth0 || check_fail_msg "eth0 did not arrive in the other namespace"
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	client_ping "$VIP"
	check_err $? "client cannot reach $VIP on the spare"
	log_test "parent moved to another namespace: carp0 gone, the spare took over"
}

test_netns_del()
{
	local out

	check_begin
	out=$(carp_add "$SPARE" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" 10.0.0.20/24)
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp1 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	ip netns del "$SPARE"
	check_err $? "cannot delete the spare's namespace"
	setup_ns FRESH || check_fail_msg "cannot create a namespace"
	ip -n "$FRESH" link add dummy0 type dummy && ip -n "$FRESH" link set dummy0 up
	check_err $? "dummy device"
	out=$(carpctl -n "$FRESH" add carp0 dev dummy0 vhid 1 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" 10.9.9.9/32 2>&1)
	check_err $? "the module no longer takes devices: $out"
	out=$(wait_state "$FRESH" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "a namespace deleted with carp devices in it (MASTER); the module still works"
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
