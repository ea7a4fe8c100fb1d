#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail-safe health without polling: holds and tracked interfaces.
#
#   main:  carp0 vhid 1, advbase 0, advskew 150
#   spare: carp0 vhid 1, advbase 0, advskew 200
#   both:  net.carp.preempt=1
#
# `carpctl -n main hold web demote 100 -- sleep 1000` runs sleep holding off
# a demotion of 100. Proves: while it runs nothing changes (demote lists
# the hold as held, main advertises demote 0); `kill -9` of the sleep
# fires the hold at once (carpctl exits 137, the demotion is 100, main
# advertises it and the spare takes over within one of main's intervals,
# measured); the hold taken again (the service restarted) removes the
# demotion and main takes MASTER back; `kill -9` of carpctl itself (its
# child left running) fires it too; a second process cannot take a hold
# another one holds (exit 2, the kernel's message) and the first is
# untouched; `hold del` removes a fired hold's demotion; a netns takes at
# most 64 holds, then "too many holds"; `track add IFNAME demote 50`
# demotes while IFNAME is down and the spare takes over, up again it does
# not, a tracked interface that is deleted is no longer tracked, and a
# carp device cannot be tracked; a network namespace deleted with holds
# and tracked interfaces in it, taken by the root of a user namespace,
# leaves the module working.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_hold_kill9 test_retake test_kill9_carpctl
	test_busy test_del test_limit test_track test_netns_gone"

ADVBASE=0
MAIN_SKEW=150
SPARE_SKEW=200
MAIN_AD_MS=$(carp_adv_ms "$ADVBASE" "$MAIN_SKEW")

# pair_ready: main MASTER, the spare BACKUP, preempt on both, no hold or
# tracked interface left on main (what test_setup makes).
pair_ready()
{
	local name

	for name in $(carpctl -n "$MAIN" -j demote | jq -r '.holds[].name'); do
		carpctl -n "$MAIN" hold del "$name"
	done
	carp_preempt "$MAIN" 1
	carp_preempt "$SPARE" 1
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# hold_start TAG NAME DEMOTE: `carpctl -n main hold NAME demote DEMOTE --
# sleep 1000` in the background; HOLD_PID[TAG] is carpctl's pid,
# SLEEP_PID[TAG] its child's. Returns once the kernel lists the hold as
# held (bounded); not in a subshell.
declare -A HOLD_PID=() SLEEP_PID=()
_hold_is()
{
	carpctl -n "$MAIN" -j demote |
		jq -e --arg n "$1" --argjson f "$2" \
			'any(.holds[]; .name == $n and .fired == $f)' >/dev/null
}

_child_of()
{
	pgrep -P "$1" >/dev/null
}

hold_start()
{
	local tag=$1 name=$2 demote=$3

	carpctl -n "$MAIN" hold "$name" demote "$demote" -- sleep 1000 \
		>"$CARP_TMP/hold-$tag.out" 2>&1 &
	HOLD_PID[$tag]=$!
	CARP_BG_PIDS+=("$!")
	loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" _child_of "${HOLD_PID[$tag]}" &&
		loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" _hold_is "$name" false || return 1
	SLEEP_PID[$tag]=$(pgrep -P "${HOLD_PID[$tag]}")
	CARP_BG_PIDS+=("${SLEEP_PID[$tag]}")
}

# demote_is N: main advertises a demotion of N.
demote_is()
{
	local d

	d=$(carpctl -n "$MAIN" -j demote | jq -r .demote)
	[ "$d" = "$1" ] || { echo "main advertises demotion $d, not $1"; return 1; }
}

test_setup()
{
	carp_preempt "$MAIN" 1
	carp_preempt "$SPARE" 1
	carp_pair_setup "main MASTER, spare BACKUP, preempt on" 1 \
		"$MAIN_SKEW" "$SPARE_SKEW"
}

test_hold_kill9()
{
	local out t0 t1 rc

	pair_ready
	check_begin
	hold_start web web 100 || check_fail_msg "the hold was not taken: $(cat "$CARP_TMP/hold-web.out")"
	out=$(demote_is 0 && expect_states_for "$MAIN_AD_MS" \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "hold web demote 100 -- sleep: held, nothing changes"

	check_begin
	t0=$(timestamp_ms)
	kill -9 "${SLEEP_PID[web]}"
	out=$(wait_state "$SPARE" carp0 MASTER $((MAIN_AD_MS + CARP_MARGIN_MS)))
	check_err $? "the spare did not take over: $out"
	t1=$(timestamp_ms)
	wait "${HOLD_PID[web]}"
	rc=$?
	[ "$rc" = 137 ] || check_fail_msg "carpctl hold exited $rc, not 137"
	out=$(demote_is 100 && wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	_hold_is web true || check_fail_msg "web is not listed as fired"
	log_test "kill -9 of the held command: demoted, the spare MASTER in $((t1 - t0)) ms (main's interval $MAIN_AD_MS ms)"
}

test_retake()
{
	local out

	pair_ready
	check_begin
	carpctl -n "$MAIN" hold web demote 100 -- true
	out=$(demote_is 100 && wait_state "$SPARE" carp0 MASTER \
		$((MAIN_AD_MS + CARP_MARGIN_MS)))
	check_err $? "a fired hold: $out"
	hold_start web web 100 || check_fail_msg "the hold was not taken again"
	out=$(demote_is 0 && wait_state "$MAIN" carp0 MASTER \
		$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "the hold taken again: no demotion, main MASTER again"
	kill -9 "${SLEEP_PID[web]}"
	wait "${HOLD_PID[web]}"
}

test_kill9_carpctl()
{
	local out

	pair_ready
	check_begin
	hold_start db db 100 || check_fail_msg "the hold was not taken"
	kill -9 "${HOLD_PID[db]}"
	out=$(wait_state "$SPARE" carp0 MASTER $((MAIN_AD_MS + CARP_MARGIN_MS)))
	check_err $? "$out"
	kill -0 "${SLEEP_PID[db]}" 2>/dev/null ||
		check_fail_msg "the command died with carpctl"
	_hold_is db true || check_fail_msg "db is not listed as fired"
	kill -9 "${SLEEP_PID[db]}"
	log_test "kill -9 of carpctl itself (the command still running): the hold fires"
}

test_busy()
{
	local out rc

	pair_ready
	check_begin
	hold_start busy busy 50 || check_fail_msg "the hold was not taken"
	out=$(carpctl -n "$MAIN" hold busy demote 60 -- true 2>&1)
	rc=$?
	[ "$rc" = 2 ] || check_fail_msg "a held hold taken again: exit $rc"
	grep -q 'the hold is held by another socket' <<<"$out" &&
		[ "$(wc -l <<<"$out")" = 1 ] || check_fail_msg "message: $out"
	out=$(carpctl -n "$MAIN" -j demote | jq -c '.holds')
	[ "$out" = '[{"name":"busy","demote":50,"fired":false}]' ] ||
		check_fail_msg "holds: $out"
	out=$(demote_is 0)
	check_err $? "$out"
	kill -9 "${SLEEP_PID[busy]}"
	wait "${HOLD_PID[busy]}"
	log_test "a hold held by another process: refused (exit 2), the first untouched"
}

test_del()
{
	local out rc

	pair_ready
	check_begin
	carpctl -n "$MAIN" hold gone demote 80 -- true
	out=$(demote_is 80)
	check_err $? "$out"
	carpctl -n "$MAIN" hold del gone
	check_err $? "hold del failed"
	out=$(demote_is 0 && wait_state "$MAIN" carp0 MASTER \
		$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(carpctl -n "$MAIN" hold del gone 2>&1)
	rc=$?
	[ "$rc" = 2 ] && grep -q 'no such hold' <<<"$out" ||
		check_fail_msg "del of no hold: exit $rc, $out"
	log_test "hold del: the demotion goes; a hold that is not there: exit 2"
}

test_limit()
{
	local i out rc

	pair_ready
	check_begin
	for i in $(seq 1 64); do
		carpctl -n "$MAIN" hold "h$i" demote 1 -- true ||
			check_fail_msg "hold h$i refused"
	done
	out=$(carpctl -n "$MAIN" hold h65 demote 1 -- true 2>&1)
	rc=$?
	[ "$rc" = 2 ] && grep -q 'too many holds' <<<"$out" ||
		check_fail_msg "hold 65: exit $rc, $out"
	out=$(demote_is 64)
	check_err $? "$out"
	for i in $(seq 1 64); do
		carpctl -n "$MAIN" hold del "h$i"
	done
	out=$(demote_is 0)
	check_err $? "$out"
	log_test "64 holds a namespace, the 65th refused; each one's demotion counts"
}

test_track()
{
	local out rc

	pair_ready
	check_begin
	ip -n "$MAIN" link add trk0 type dummy && ip -n "$MAIN" link set trk0 up ||
		check_fail_msg "dummy trk0"
	carpctl -n "$MAIN" track add trk0 demote 50
	check_err $? "track add failed"
	out=$(carpctl -n "$MAIN" -j demote | jq -c '[.tracks[] | [.ifname, .demote, .down]]')
	[ "$out" = '[["trk0",50,false]]' ] || check_fail_msg "tracks: $out"
	out=$(demote_is 0)
	check_err $? "$out"
	ip -n "$MAIN" link set trk0 down
	out=$(demote_is 50 && wait_state "$SPARE" carp0 MASTER \
		$((MAIN_AD_MS + CARP_MARGIN_MS)))
	check_err $? "$out"
	ip -n "$MAIN" link set trk0 up
	out=$(demote_is 0 && wait_state "$MAIN" carp0 MASTER \
		$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "track trk0 demote 50: down demotes, the spare takes over; up, main is back"

	check_begin
	ip -n "$MAIN" link set trk0 down
	out=$(demote_is 50)
	check_err $? "$out"
	ip -n "$MAIN" link del trk0
	out=$(demote_is 0)
	check_err $? "deleted: $out"
	out=$(carpctl -n "$MAIN" -j demote | jq -c '.tracks')
	[ "$out" = '[]' ] || check_fail_msg "tracks after the delete: $out"
	out=$(carpctl -n "$MAIN" track add carp0 2>&1)
	rc=$?
	[ "$rc" = 2 ] && grep -q 'a carp device cannot be tracked' <<<"$out" ||
		check_fail_msg "track carp0: exit $rc, $out"
	out=$(carpctl -n "$MAIN" track del eth0 2>&1)
	rc=$?
	[ "$rc" = 2 ] && grep -q 'not tracked' <<<"$out" ||
		check_fail_msg "del of an untracked one: exit $rc, $out"
	log_test "a tracked interface deleted is no longer tracked; carp0 and untracked ones refused"
}

# The root of a user namespace takes a fired hold and tracks an interface
# in a network namespace of its own, which then goes with both.
test_netns_gone()
{
	local out

	check_begin
	# the user namespace cannot load modules
	modprobe -q dummy
	out=$(unshare -U -r -n /bin/sh -c '
		ip link add t0 type dummy && ip link set t0 up &&
		carpctl track add t0 demote 7 &&
		carpctl hold h demote 9 -- true &&
		carpctl -j demote' 2>&1)
	check_err $? "in a user namespace: $out"
	jq -e '.demote == 9 and (.holds | length) == 1 and (.tracks | length) == 1' \
		<<<"$out" >/dev/null || check_fail_msg "in a user namespace: $out"
	pair_ready
	out=$(carpctl -n "$MAIN" hold after -- true && carpctl -n "$MAIN" hold del after)
	check_err $? "the module after: $out"
	log_test "a namespace deleted with holds and tracked interfaces (user namespace root)"
}

require_cmd jq pgrep unshare
carp_test_init
carp_run_tests

exit "$EXIT_STATUS"
