#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP master election between two hosts on one segment (vhid 1, advbase 1).
#
# Proves: a lone device waits the master-down interval (3*advbase +
# advskew/256) in BACKUP before becoming MASTER; when two MASTERs meet, the
# one with the longer advertisement interval steps down, so the lower advskew
# wins and exactly one MASTER remains and stays (state, transitions counter
# and the wire: only the MASTER advertises, from the vmac, TTL 255, to
# 224.0.0.18, at the advbase rate); only the MASTER's carp0 is operationally
# UP, the VIP is on carp0 on both; `carpctl set` changes the advertised
# advskew; without preempt a better BACKUP waits silently, with preempt it
# takes over; advbase weighs more than advskew; a MASTER steps down for an
# advertisement (crafted, from the client) whose interval is lower than or
# equal to its own, and not for a higher one.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_lone_master test_heal test_stable test_swap test_advbase
	test_boundary"

VMAC=$(vmac_of 1)
MAIN_T0=0

# del_both: no carp0 on main or the spare, preempt off, no partition.
del_both()
{
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	carp_preempt "$MAIN" 0
	carp_preempt "$SPARE" 0
	partition_hosts off
}

# both_master_alone MAIN_SKEW SPARE_SKEW: with main and spare partitioned,
# create carp0 on both; each must become MASTER on its own.
both_master_alone()
{
	local mskew=$1 sskew=$2
	local rc=0

	partition_hosts on || return 1
	MAIN_T0=$(timestamp_ms)
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 1 advskew "$mskew" \
		"$VIP/$PLEN" || return 1
	carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase 1 advskew "$sskew" \
		"$VIP/$PLEN" || return 1
	wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms 1 "$mskew") + CARP_MARGIN_MS)) || rc=1
	wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms 1 "$sskew") + CARP_MARGIN_MS)) || rc=1
	return $rc
}

# masters_ready: main and the spare partitioned, each MASTER (what
# test_lone_master leaves). Only a partition makes two MASTERs.
masters_ready()
{
	_states_are "$MAIN" carp0 MASTER "$SPARE" carp0 MASTER && return 0
	del_both
	both_master_alone 0 100 >"$CARP_TMP/msg" ||
		carp_ensure_fail "$(cat "$CARP_TMP/msg")" \
			"partitioned hosts each become MASTER"
}

# pair_ready: main MASTER with advskew 0, the spare BACKUP with advskew
# 100, no partition, preempt off (what test_heal leaves).
pair_ready()
{
	if ! _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP ||
	   [ "$(carp_field "$MAIN" carp0 advskew)" != 0 ] ||
	   [ "$(carp_field "$SPARE" carp0 advskew)" != 100 ]; then
		del_both
	fi
	carp_pair_ready 1 0 100
}

test_lone_master()
{
	local out rc down first elapsed

	del_both
	check_begin
	capture_start lone "$CLIENT" eth0 ip proto 112
	check_err $? "capture"
	both_master_alone 0 100 >"$CARP_TMP/msg"
	rc=$?
	out=$(cat "$CARP_TMP/msg")
	check_err "$rc" "$out"
	log_test "partitioned hosts each become MASTER"

	check_begin
	capture_stop lone
	down=$(carp_down_ms 1 0)
	# From just before `carpctl add` to main's first advertisement on the
	# wire (kernel timestamp): at least master-down, less some timer slack.
	first=$(capture_show lone | awk -v m="$MAIN_IP" '$1 == "p112" && $5 == m { print $2; exit }')
	if [ -z "$first" ]; then
		check_fail_msg "no advertisement from main captured"
	else
		elapsed=$(awk -v f="$first" -v t="$MAIN_T0" 'BEGIN { printf "%d", f * 1000 - t }')
		((elapsed >= down - 100)) ||
			check_fail_msg "first advertisement $elapsed ms after add, master-down is $down ms"
	fi
	log_test "lone device waits master-down ($down ms) before MASTER (first ad after ${elapsed:-?} ms)"

	check_begin
	out=$(link_operstate "$MAIN" carp0)
	[ "$out" = UP ] || check_fail_msg "main carp0 operstate $out"
	out=$(link_operstate "$SPARE" carp0)
	[ "$out" = UP ] || check_fail_msg "spare carp0 operstate $out"
	log_test "MASTER carp0 is operationally UP"
}

test_heal()
{
	local out tr0 tr1

	masters_ready
	check_begin
	tr0=$(carp_stat "$MAIN" carp0 transitions)
	partition_hosts off
	check_err $? "cannot heal the partition"
	out=$(wait_state "$SPARE" carp0 BACKUP \
		$(($(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER 1000)
	check_err $? "$out"
	tr1=$(carp_stat "$MAIN" carp0 transitions)
	[ "$tr0" = "$tr1" ] ||
		check_fail_msg "main transitions $tr0 -> $tr1: main stepped down"
	log_test "two MASTERs meet: higher advskew steps down, lower stays"
}

test_stable()
{
	local out trm trs n ops0 ops1 win=5000 lo hi ta tb tc td

	pair_ready
	check_begin
	trm=$(carp_stat "$MAIN" carp0 transitions)
	trs=$(carp_stat "$SPARE" carp0 transitions)
	capture_start wire "$CLIENT" eth0 ip proto 112
	check_err $? "capture"
	ta=$(timestamp_ms)
	ops0=$(carp_stat "$MAIN" carp0 opackets)
	tb=$(timestamp_ms)
	out=$(expect_states_for "$win" "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	tc=$(timestamp_ms)
	ops1=$(carp_stat "$MAIN" carp0 opackets)
	td=$(timestamp_ms)
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$trm" ] ||
		check_fail_msg "main transitions moved"
	[ "$(carp_stat "$SPARE" carp0 transitions)" = "$trs" ] ||
		check_fail_msg "spare transitions moved"
	log_test "exactly one MASTER, stable for $win ms"

	check_begin
	capture_stop wire
	n=$(capture_count wire '$1 == "p112"')
	((n >= 3)) || check_fail_msg "only $n advertisements seen in $win ms"
	n=$(capture_count wire '$1 == "p112" && $5 != main')
	((n == 0)) || check_fail_msg "$n advertisements not from main"
	n=$(capture_count wire '$1 == "p112" && !($3 == vmac &&
		$4 == mcastmac && $6 == mcast && $7 == 255 && $8 == 36 && $9 == 2 && $10 == 1 && $11 == 1 &&
		$12 == 0 && $13 == 1)' "vmac=$VMAC")
	((n == 0)) || check_fail_msg "$n malformed advertisements: $(capture_show wire | head -n 3)"
	log_test "only the MASTER advertises: vmac, TTL 255, 224.0.0.18, vhid 1"

	check_begin
	# opackets between the two reads: the window lasted at least tc - tb
	# and at most td - ta; one ad per advbase (1 s), +-1 for the edges.
	lo=$(((tc - tb) / 1000 - 1))
	hi=$(((td - ta) / 1000 + 1))
	n=$((ops1 - ops0))
	((n >= lo && n <= hi)) ||
		check_fail_msg "$n advertisements sent in $((tc - tb))..$((td - ta)) ms (expected $lo..$hi)"
	log_test "MASTER advertises once per advbase ($n in ~$((tc - tb)) ms)"

	check_begin
	out=$(link_operstate "$MAIN" carp0)
	[ "$out" = UP ] || check_fail_msg "main (MASTER) carp0 operstate $out"
	out=$(link_operstate "$SPARE" carp0)
	[ "$out" != UP ] || check_fail_msg "spare (BACKUP) carp0 operstate $out"
	has_addr "$MAIN" carp0 "$VIP/$PLEN" || check_fail_msg "VIP not on main carp0"
	has_addr "$SPARE" carp0 "$VIP/$PLEN" || check_fail_msg "VIP not on spare carp0"
	log_test "operstate UP only on MASTER; VIP on carp0 on both"
}

test_swap()
{
	local out n

	pair_ready
	check_begin
	carp_set "$MAIN" carp0 advskew 100 >/dev/null
	check_err $? "set main advskew 100"
	carp_set "$SPARE" carp0 advskew 0 >/dev/null
	check_err $? "set spare advskew 0"
	[ "$(carp_field "$MAIN" carp0 advskew)" = 100 ] ||
		check_fail_msg "main shows advskew $(carp_field "$MAIN" carp0 advskew)"
	[ "$(carp_field "$SPARE" carp0 advskew)" = 0 ] ||
		check_fail_msg "spare shows advskew $(carp_field "$SPARE" carp0 advskew)"
	capture_start swap "$CLIENT" eth0 ip proto 112
	check_err $? "capture"
	# A better BACKUP without preempt keeps waiting: longer than its own
	# master-down interval.
	out=$(expect_states_for $(($(carp_down_ms 1 0) + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	capture_stop swap
	n=$(capture_count swap '$1 == "p112" && $5 == main && $12 == 100')
	((n >= 2)) || check_fail_msg "main's ads do not carry advskew 100 ($n)"
	n=$(capture_count swap '$1 == "p112" && $5 != main')
	((n == 0)) || check_fail_msg "spare advertised ($n) while BACKUP"
	log_test "skews swapped by set, preempt=0: roles kept, spare silent"

	check_begin
	carp_preempt "$SPARE" 1
	check_err $? "sysctl net.carp.preempt=1"
	out=$(wait_takeover carp0 "$SPARE" \
		$(($(carp_adv_ms 1 100) + CARP_MARGIN_MS)) \
		"$MAIN" $(($(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for 3000 "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "skews swapped, preempt=1: roles swap and stay"
}

# Self-contained (does not rely on the roles left by test_swap): spare
# alone with advbase 2 advskew 0 becomes MASTER; main comes with advbase 1
# advskew 100 and preempt=1. 1 + 100/256 s < 2 s: main advertises more
# often and must take over; the spare steps down.
test_advbase()
{
	local out

	check_begin
	del_both
	carp_preempt "$MAIN" 1
	check_err $? "sysctl net.carp.preempt=1"
	carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase 2 advskew 0 \
		"$VIP/$PLEN" >"$CARP_TMP/msg" || check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms 2 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 1 advskew 100 \
		"$VIP/$PLEN" >"$CARP_TMP/msg" || check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_takeover carp0 "$MAIN" \
		$(($(carp_adv_ms 2 0) + CARP_MARGIN_MS)) \
		"$SPARE" $(($(carp_adv_ms 1 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for 3000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "advbase 1 advskew 100 beats advbase 2 advskew 0"
}

# inject_expect WHAT EXPECT ARGS...: the client sends one advertisement
# (carp_inject ARGS); main, MASTER alone with advbase 1 advskew 50, must
# either step down (EXPECT=down: BACKUP, then MASTER again after master-down
# since nobody else advertises) or stay (EXPECT=stay: sampled, transitions
# frozen). ipackets must count the advertisement either way.
inject_expect()
{
	local what=$1 expect=$2; shift 2
	local out ip0 tr0

	check_begin
	ip0=$(carp_stat "$MAIN" carp0 ipackets)
	tr0=$(carp_stat "$MAIN" carp0 transitions)
	carp_inject "$@"
	check_err $? "cannot send the advertisement"
	out=$(wait_counter_ge "$MAIN" carp0 ipackets $((ip0 + 1)) "$CARP_MARGIN_MS")
	check_err $? "$out"
	if [ "$expect" = down ]; then
		out=$(wait_counter_ge "$MAIN" carp0 transitions $((tr0 + 1)) \
			"$CARP_MARGIN_MS")
		check_err $? "main did not step down: $out"
		out=$(wait_state "$MAIN" carp0 MASTER \
			$(($(carp_down_ms 1 50) + CARP_MARGIN_MS)))
		check_err $? "$out"
		[ "$(carp_stat "$MAIN" carp0 transitions)" = $((tr0 + 2)) ] ||
			check_fail_msg "transitions $tr0 -> $(carp_stat "$MAIN" carp0 transitions), expected +2"
	else
		out=$(expect_states_for 2000 "$MAIN" carp0 MASTER)
		check_err $? "$out"
		[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tr0" ] ||
			check_fail_msg "main changed state"
	fi
	log_test "$what"
}

# The step-down rule at its boundary, with crafted advertisements (valid
# HMAC, empty key) from the client: a MASTER steps down for an interval
# lower than or equal to its own, not for a higher one.
test_boundary()
{
	local out

	check_begin
	del_both
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 1 advskew 50 \
		"$VIP/$PLEN" >"$CARP_TMP/msg" || check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms 1 50) + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "main alone, advbase 1 advskew 50: MASTER"
	[ "$RET" -eq 0 ] || return

	inject_expect "MASTER ignores a less frequent ad (1 s + 51/256)" stay \
		advbase=1 advskew=51
	inject_expect "MASTER steps down for an equal ad (1 s + 50/256)" down \
		advbase=1 advskew=50
	inject_expect "MASTER steps down for a more frequent ad (1 s + 49/256)" down \
		advbase=1 advskew=49
	inject_expect "MASTER ignores advbase 2 advskew 0 (less frequent)" stay \
		advbase=2 advskew=0
}

require_cmd tcpdump
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
