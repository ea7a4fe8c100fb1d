#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP failover on a cable pull (vhid 1, advbase 1; main advskew 0, spare
# advskew 100).
#
# Proves: while main is MASTER the client reaches 10.0.0.1 through the vmac;
# when main's cable is pulled main goes INIT and the spare becomes MASTER
# within its master-down interval (3*advbase + advskew/256) plus a margin;
# the client keeps reaching 10.0.0.1, its neighbour entry stays the vmac and
# re-resolving it (flushed cache) yields the vmac again, now from the spare;
# on plug-back main returns as BACKUP (preempt off) and a cable pull on the
# spare hands the address back to main.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

VMAC=$(vmac_of 1)
SPARE_SKEW=100

check_client_path()
{
	local what=$1
	local mac

	check_begin
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP"
	mac=$(client_neigh_mac "$VIP")
	[ "$mac" = "$VMAC" ] || check_fail_msg "client neigh $VIP is '$mac', expected $VMAC"
	log_test "$what: client pings $VIP, neighbour is the vmac"

	check_begin
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP after a neighbour flush"
	mac=$(client_neigh_mac "$VIP")
	[ "$mac" = "$VMAC" ] || check_fail_msg "client neigh $VIP is '$mac', expected $VMAC"
	log_test "$what: ARP re-resolves $VIP to the vmac"
}

test_setup()
{
	local out

	check_begin
	out=$(carp_pair_up 1 0 "$SPARE_SKEW")
	check_err $? "$out"
	log_test "main MASTER, spare BACKUP"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_pull_main()
{
	local out t0 t1 budget

	check_begin
	budget=$(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS))
	t0=$(timestamp_ms)
	cable_pull main
	out=$(wait_state "$SPARE" carp0 MASTER "$budget")
	check_err $? "$out"
	t1=$(timestamp_ms)
	log_test "cable pull on main: spare MASTER in $((t1 - t0)) ms (budget $budget ms)"

	check_begin
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(link_operstate "$MAIN" carp0)
	[ "$out" != UP ] || check_fail_msg "main carp0 operstate $out"
	out=$(link_operstate "$SPARE" carp0)
	[ "$out" = UP ] || check_fail_msg "spare carp0 operstate $out"
	log_test "cable pull on main: main INIT, carp0 up only on spare"

	check_client_path "after failover"
}

test_plug_main()
{
	local out

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms 1 0) + 1000)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "plug main back (preempt=0): main BACKUP, spare stays MASTER"

	check_client_path "after plug-back"
}

test_pull_spare()
{
	local out budget

	check_begin
	budget=$(($(carp_down_ms 1 0) + CARP_MARGIN_MS))
	cable_pull spare
	out=$(wait_state "$MAIN" carp0 MASTER "$budget")
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "cable pull on spare: main MASTER again"

	check_client_path "after failback"
	cable_plug spare
}

carp_test_init

test_setup
check_client_path "before failover"
test_pull_main
test_plug_main
test_pull_spare

exit "$EXIT_STATUS"
