#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Graceful bow-out: a MASTER that leaves on purpose (carp device deleted or
# set down, parent set down) first sends an advertisement with advbase and
# advskew 255, as the BSDs do, so the BACKUP takes over at once instead of
# after its master-down interval. One given a worse advbase/advskew
# advertises it at once, so a preempting BACKUP takes over at once too.
#
# advbase 5: the spare's master-down interval is 3 x 5 + 100/256 s, so a
# takeover within BOWOUT_MS (well below it) can only come from the bow-out.
# The cable-pull control shows the spare really waits when nobody bows out.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_del test_link_down test_worse test_parent_down
	test_cable_pull"

ADVBASE=5
SPARE_SKEW=100
BOWOUT_MS=7000

# Main back as MASTER (preempt is on: it takes over on the spare's next ad).
main_back()
{
	local out

	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS))) ||
		{ echo "$out"; return 1; }
	wait_state "$SPARE" carp0 BACKUP "$CARP_MARGIN_MS"
}

# check_bowout WHAT CMD...: run CMD on main (MASTER); the spare must be
# MASTER within BOWOUT_MS.
check_bowout()
{
	local what=$1; shift
	local out t0 t1

	check_begin
	t0=$(timestamp_ms)
	"$@"
	check_err $? "$what failed"
	out=$(wait_state "$SPARE" carp0 MASTER "$BOWOUT_MS")
	check_err $? "$out"
	t1=$(timestamp_ms)
	log_test "$what: spare MASTER in $((t1 - t0)) ms (master-down $(carp_down_ms "$ADVBASE" "$SPARE_SKEW") ms)"
}

# pair_ready: main MASTER, spare BACKUP, preempt on both (what test_setup
# makes and each sub-test leaves).
pair_ready()
{
	carp_preempt "$MAIN" 1
	carp_preempt "$SPARE" 1
	carp_pair_ready 1 0 "$SPARE_SKEW"
}

# check_back WHAT CMD...: CMD undoes a bow-out; main is MASTER again.
check_back()
{
	local what=$1; shift
	local out

	check_begin
	out=$("$@" 2>&1) && out=$(main_back)
	check_err $? "$out"
	log_test "$what"
}

test_setup()
{
	local out

	carp_preempt "$MAIN" 1
	carp_preempt "$SPARE" 1
	check_begin
	out=$(carp_pair_up 1 0 "$SPARE_SKEW")
	check_err $? "$out"
	log_test "main MASTER, spare BACKUP (advbase $ADVBASE)"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_del()
{
	pair_ready
	check_bowout "carpctl del carp0 on the master" carp_del "$MAIN" carp0
	check_back "main re-added: MASTER again (preempt)" \
		carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew 0 "$VIP/$PLEN"
}

test_link_down()
{
	pair_ready
	check_bowout "ip link set carp0 down on the master" \
		ip -n "$MAIN" link set carp0 down
	check_back "carp0 up again: main MASTER again" \
		ip -n "$MAIN" link set carp0 up
}

# Told to be worse (a longer advbase, a higher advskew), a MASTER says so at
# once: the spare (preempt on) takes over now, not at main's next regular
# advertisement (10 + 240/256 s later, past BOWOUT_MS).
test_worse()
{
	pair_ready
	check_bowout "carpctl set carp0 advbase 10 advskew 240 on the master" \
		carp_set "$MAIN" carp0 advbase 10 advskew 240
	check_back "advbase and advskew back: main MASTER again" \
		carp_set "$MAIN" carp0 advbase "$ADVBASE" advskew 0
}

test_parent_down()
{
	pair_ready
	check_bowout "ip link set eth0 down (the parent) on the master" \
		ip -n "$MAIN" link set eth0 down
	check_back "eth0 up again: main MASTER again" \
		ip -n "$MAIN" link set eth0 up
}

# Control: losing carrier gives no chance to bow out; the spare waits.
test_cable_pull()
{
	local out

	pair_ready
	check_begin
	cable_pull main
	out=$(expect_states_for "$BOWOUT_MS" "$SPARE" carp0 BACKUP)
	check_err $? "spare took over before its master-down interval: $out"
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "cable pull (no bow-out possible): spare waits its master-down interval"
	cable_plug main
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
