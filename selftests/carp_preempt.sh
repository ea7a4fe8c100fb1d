#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP preemption (net.carp.preempt, per network namespace, default 0).
# vhid 1, advbase 0 (the rule does not depend on the interval, and
# sub-second intervals make the test fast); main advskew 150 (586 ms),
# spare advskew 200 (781 ms, master-down 2.34 s).
#
# Proves: the sysctl defaults to 0 and is per netns; with preempt=1 a main
# that comes back after a cable pull takes MASTER back at once (on the
# spare's next advertisement) and the spare returns to BACKUP; with
# preempt=0 the spare keeps MASTER and main stays BACKUP for longer than its
# master-down interval (sampled); switching preempt on at run time makes the
# waiting BACKUP take over.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_sysctl test_setup test_preempt_on test_preempt_off
	test_preempt_runtime"

ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200

# preempt_set VALUE: net.carp.preempt on main and the spare.
preempt_set()
{
	carp_preempt "$MAIN" "$1" && carp_preempt "$SPARE" "$1"
}

# pair_ready: main MASTER, spare BACKUP (what test_setup makes).
pair_ready()
{
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# spare_master: both cables in, main BACKUP, the spare MASTER, preempt
# off (what test_preempt_off leaves).
spare_master()
{
	preempt_set 0
	carp_spare_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

test_sysctl()
{
	local ns v

	check_begin
	for ns in "$MAIN" "$SPARE" "$CLIENT"; do
		v=$(carp_preempt_get "$ns")
		[ "$v" = 0 ] || check_fail_msg "net.carp.preempt is '$v' in ${ns%%-*}"
	done
	log_test "net.carp.preempt defaults to 0"

	check_begin
	carp_preempt "$MAIN" 1
	check_err $? "cannot set net.carp.preempt=1"
	v=$(carp_preempt_get "$MAIN")
	[ "$v" = 1 ] || check_fail_msg "main reads back '$v'"
	v=$(carp_preempt_get "$SPARE")
	[ "$v" = 0 ] || check_fail_msg "spare's namespace changed to '$v'"
	v=$(carp_preempt_get "$CLIENT")
	[ "$v" = 0 ] || check_fail_msg "client's namespace changed to '$v'"
	log_test "net.carp.preempt is per network namespace"
	carp_preempt "$MAIN" 0
}

test_setup()
{
	carp_pair_setup "main MASTER, spare BACKUP" 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# Pull main's cable and wait until the spare took over.
fail_over()
{
	local out

	check_begin
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$1: cable pull, spare MASTER, main INIT"
}

test_preempt_on()
{
	local out t0 t1 budget

	pair_ready
	preempt_set 1
	fail_over "preempt=1"

	check_begin
	# main hears the spare's next ad (every advbase + 100/256 s) and, being
	# more frequent, takes over without waiting master-down.
	budget=$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS))
	t0=$(timestamp_ms)
	cable_plug main
	out=$(wait_state "$MAIN" carp0 MASTER "$budget")
	check_err $? "$out"
	t1=$(timestamp_ms)
	out=$(wait_state "$SPARE" carp0 BACKUP \
		$(($(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for 3000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "preempt=1: plug-back, main retakes MASTER ($((t1 - t0)) ms), spare BACKUP"
}

test_preempt_off()
{
	local out

	pair_ready
	preempt_set 0
	fail_over "preempt=0"

	check_begin
	out=$(carp_plug_back "$MAIN_SKEW" 0 2000)
	check_err $? "$out"
	log_test "preempt=0: plug-back, spare keeps MASTER, main stays BACKUP"
}

test_preempt_runtime()
{
	local out

	spare_master
	check_begin
	carp_preempt "$MAIN" 1
	check_err $? "cannot set net.carp.preempt=1"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp0 BACKUP \
		$(($(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "preempt switched on at run time: waiting main takes over"
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
