#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP failover on a cable pull (vhid 1, advbase 1; main advskew 0, spare
# advskew 100).
#
# Proves: while main is MASTER the client reaches 10.0.0.1 through the vmac;
# when main's cable is pulled main goes INIT and the spare becomes MASTER
# within its master-down interval (3*advbase + advskew/256) plus a margin,
# and on the wire the spare's first advertisement follows main's last one
# by the master-down interval (not less);
# the client keeps reaching 10.0.0.1, its neighbour entry stays the vmac and
# re-resolving it (flushed cache) yields the vmac again, now from the spare;
# on plug-back main returns as BACKUP (preempt off) and a cable pull on the
# spare hands the address back to main.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_pull_main test_plug_main test_pull_spare"

VMAC=$(vmac_of 1)
SPARE_SKEW=100

check_client_path()
{
	local what=$1
	local out

	check_begin
	out=$(client_reaches "$VIP" "$VMAC")
	check_err $? "$out"
	log_test "$what: client pings $VIP, neighbour is the vmac"

	check_begin
	ip -n "$CLIENT" neigh flush dev eth0 to "$VIP"
	out=$(client_reaches "$VIP" "$VMAC")
	check_err $? "after a neighbour flush: $out"
	log_test "$what: ARP re-resolves $VIP to the vmac"
}

# pair_ready: main MASTER, spare BACKUP (what test_setup makes).
pair_ready()
{
	local out

	out=$(carp_pair_ensure 1 0 "$SPARE_SKEW") && return 0
	check_begin
	check_fail_msg "$out"
	log_test "main MASTER, spare BACKUP"
	exit "$EXIT_STATUS"
}

# main_pulled: main's cable out, the spare MASTER (what test_pull_main
# leaves).
main_pulled()
{
	local out

	[ "$(link_operstate "$SW" sw_main)" != UP ] &&
		carp_state_is "$SPARE" carp0 MASTER && return 0
	pair_ready
	out=$(carp_pull_main "$SPARE_SKEW") && return 0
	check_begin
	check_fail_msg "$out"
	log_test "cable pull on main: spare MASTER"
	exit "$EXIT_STATUS"
}

# spare_master: both cables in, main BACKUP, the spare MASTER (what
# test_plug_main leaves).
spare_master()
{
	local out

	[ "$(link_operstate "$SW" sw_main)" = UP ] &&
		_states_are "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER && return 0
	main_pulled
	cable_plug main
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS") && return 0
	check_begin
	check_fail_msg "$out"
	log_test "plug main back: main BACKUP"
	exit "$EXIT_STATUS"
}

test_setup()
{
	local out

	check_begin
	out=$(carp_pair_up 1 0 "$SPARE_SKEW")
	check_err $? "$out"
	log_test "main MASTER, spare BACKUP"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
	check_client_path "before failover"
}

test_pull_main()
{
	local out t0 t1 budget down

	pair_ready
	check_begin
	budget=$(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS))
	capture_start pull "$CLIENT" eth0 ip proto 112
	check_err $? "capture"
	# main's last advertisement before the pull must be in the capture
	capture_wait pull '$1 == "p112" && $5 == main' 1 \
		$(($(carp_adv_ms 1 0) + CARP_MARGIN_MS))
	check_err $? "no advertisement from main captured before the pull"
	t0=$(timestamp_ms)
	cable_pull main
	out=$(wait_state "$SPARE" carp0 MASTER "$budget")
	check_err $? "$out"
	t1=$(timestamp_ms)
	log_test "cable pull on main: spare MASTER in $((t1 - t0)) ms (budget $budget ms)"

	check_begin
	capture_wait pull '$1 == "p112" && $5 == spare' 1 "$CARP_MARGIN_MS"
	capture_stop pull
	# On the wire: from main's last advertisement (the spare's master-down
	# timer starts when it receives it) to the spare's first one.
	down=$(carp_down_ms 1 "$SPARE_SKEW")
	capture_gap_check pull "$down" 100
	log_test "on the wire: spare's first ad ${CAP_GAP:-?} ms after main's last (master-down $down ms)"

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

	main_pulled
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

	spare_master
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

require_cmd tcpdump
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
