#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# State changes as they happen: the "monitor" multicast group of the carp
# genl family, read by `carpctl monitor` (plain and -j) on main and spare.
# vhid 1, advbase 0 (nothing here depends on the interval, and sub-second
# intervals make the test fast); main advskew 150, spare advskew 200.
#
# Proves: every transition of the scenario (creation, cable pull on the
# master, plug-back with preemption, demotion and its removal, `carpctl set
# ... state backup|master`, the parent set down and up, carp0 set down,
# carp0 deleted) is reported, on each host, exactly once, in order, with
# the right old and new state and the right kind of reason (link-up,
# master-down, link-down, preempt, preempted, demoted, admin, device-down),
# with a reason text of that kind and a time within the test's run; nothing
# else is reported for carp0. The plain line of each event is
# "carp0 vhid 1 OLD -> NEW (KIND: TEXT)"; `monitor NAME` prints only NAME's
# events; each event is written as it happens (read while carpctl runs);
# SIGINT and SIGTERM end carpctl monitor with status 0.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_scenario test_signals"

ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200
SYNC_VHID=98

# mon_start TAG NS ARGS...: `carpctl -n NS ARGS...` in the background,
# stdout to $CARP_TMP/TAG.out, stderr to TAG.err; its pid in MON_PID[TAG].
declare -A MON_PID=()
mon_start()
{
	local tag=$1 ns=$2; shift 2

	carpctl -n "$ns" "$@" >"$CARP_TMP/$tag.out" 2>"$CARP_TMP/$tag.err" &
	MON_PID[$tag]=$!
	CARP_BG_PIDS+=("$!")
}

# mon_count TAG DEV: state changes of DEV printed so far (JSON or plain).
mon_count()
{
	grep -cE "^(\\{\"event\":\"state\",\"ifname\":\"$2\"|$2 vhid [0-9]+ [A-Z]+ -> )" \
		"$CARP_TMP/$1.out"
}

_mon_count_ge()
{
	(($(mon_count "$1" "$2") >= $3))
}

# mon_wait TAG DEV N TIMEOUT_MS: until N events of DEV were printed.
mon_wait()
{
	if loopy_wait "sleep 0.1" "$4" _mon_count_ge "$1" "$2" "$3"; then
		return 0
	fi
	echo "$1: $(mon_count "$1" "$2") events of $2 after $4 ms, expected $3: $(tr '\n' '|' <"$CARP_TMP/$1.out")"
	return 1
}

# A carp device on a veth of its own in NS: its down/up cycles are events
# that tell when a monitor started listening.
sync_dev_add()
{
	ip -n "$1" link add syncA type veth peer name syncB &&
	ip -n "$1" link set syncB up && ip -n "$1" link set syncA up &&
	carp_add "$1" sync0 dev syncA vhid "$SYNC_VHID" 192.168.98.1/32
}

_sync_cycle()
{
	local ns=$1 tag; shift

	for tag in "$@"; do
		if (($(mon_count "$tag" sync0) == 0)); then
			ip -n "$ns" link set sync0 down
			ip -n "$ns" link set sync0 up
			return 1
		fi
	done
}

# mon_sync NS TAG...: cycle sync0 until every TAG printed one of its
# events (bounded: carpctl starts within the margin).
mon_sync()
{
	local ns=$1; shift

	loopy_wait "sleep 0.3" $((2 * CARP_MARGIN_MS)) _sync_cycle "$ns" "$@" ||
		{ echo "monitors $* did not report sync0 within $((2 * CARP_MARGIN_MS)) ms"; return 1; }
}

down_ms=$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS))
adv_ms=$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS))

# step DESCRIPTION MAIN_N SPARE_N CMD...: run CMD, then wait for the
# cumulative number of carp0 events on main and spare.
step()
{
	local what=$1 mn=$2 sn=$3; shift 3
	local out

	check_begin
	carp_info "step: $what"
	"$@"
	check_err $? "$what: command failed"
	out=$(mon_wait mj carp0 "$mn" "$down_ms")
	check_err $? "$out"
	out=$(mon_wait sj carp0 "$sn" "$down_ms")
	check_err $? "$out"
	log_test "monitor: $what reported"
}

# check_events TAG_JSON TAG_PLAIN|- EXPECTED...: the carp0 events of the
# JSON monitor are exactly EXPECTED ("OLD NEW KIND"), each with a text of
# its kind and a time within the run; the plain monitor (if any) printed
# the same events as "carp0 vhid 1 OLD -> NEW (KIND: TEXT)".
check_events()
{
	local json=$CARP_TMP/$1.out plain=$2; shift 2

	[ "$plain" = - ] || plain=$CARP_TMP/$plain.out
	python3 - "$json" "$plain" "$start_ns" "$end_ns" "$@" <<'EOF'
import json, sys

jf, pf, t0, t1 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
want = [tuple(x.split()) for x in sys.argv[5:]]
texts = {
    'link-up': {'link up'},
    'master-down': {'master timed out', 'remote master is stale'},
    'link-down': {'parent link down', 'parent going down'},
    'preempt': {'preempting a worse master'},
    'preempted': {'a better master advertised'},
    'demoted': {'a better master advertised'},
    'admin': {'forced by admin'},
    'device-down': {'device down', 'removed'},
}
evs = [json.loads(l) for l in open(jf) if l.strip()]
# conflicts (a preemption racing with one more advertisement of the old
# master) are no state change; carp_conflict.sh tests them
evs = [e for e in evs if e['ifname'] == 'carp0' and e['event'] == 'state']
got = [(e['old_state'], e['state'], e['reason']) for e in evs]
bad = []
if got != want:
    bad.append('events %s, expected %s' % (got, want))
last = 0
for e in evs:
    if e['reason_text'] not in texts.get(e['reason'], ()):
        bad.append('%s with text "%s"' % (e['reason'], e['reason_text']))
    if e.get('vhid') != 1 or not e.get('ifindex'):
        bad.append('vhid/ifindex: %s' % e)
    if not t0 <= e['time_ns'] <= t1 or e['time_ns'] < last:
        bad.append('time %d not in [%d, %d] or going back' % (e['time_ns'], t0, t1))
    last = e['time_ns']
if pf != '-':
    lines = [l.rstrip('\n') for l in open(pf)
             if l.startswith('carp0 ') and ' conflict: ' not in l]
    exp = ['carp0 vhid 1 %s -> %s (%s: %s)' % (e['old_state'], e['state'],
           e['reason'], e['reason_text']) for e in evs]
    if lines != exp:
        bad.append('plain lines %s, expected %s' % (lines, exp))
print('; '.join(bad))
sys.exit(1 if bad else 0)
EOF
}

_gone()
{
	! kill -0 "$1" 2>/dev/null
}

# monitors_start: the four monitors (JSON and plain, all and sync0 only on
# main) running and provably listening (not in a subshell: their pids).
# Prints what went wrong.
monitors_start()
{
	local out

	sync_dev_add "$MAIN" && sync_dev_add "$SPARE" ||
		{ echo "cannot create sync0"; return 1; }
	mon_start mj "$MAIN" -j monitor
	mon_start mp "$MAIN" monitor sync0
	mon_start sj "$SPARE" -j monitor
	mon_start sp "$SPARE" monitor
	out=$(mon_sync "$MAIN" mj mp) || { echo "$out"; return 1; }
	mon_sync "$SPARE" sj sp
}

# monitors_ready: what test_scenario leaves, for the signals (not in a
# subshell: the monitors' pids).
monitors_ready()
{
	[ -n "${MON_PID[mj]}" ] && return 0
	monitors_start >"$CARP_TMP/msg" ||
		carp_ensure_fail "$(cat "$CARP_TMP/msg")" "carpctl monitor starts"
}

# The whole scenario: its events are checked at the end, as one sequence.
test_scenario()
{
	start_ns=$(date +%s%N)

	check_begin
	monitors_start >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	log_test "carpctl monitor starts, prints events as they happen"
	if [ "$RET" != 0 ]; then
		exit "$EXIT_STATUS"
	fi

	# Expected carp0 events, in order: OLD NEW KIND.
	EXP_MAIN=()
	EXP_SPARE=()

	check_begin
	carp_preempt "$MAIN" 0
	carp_preempt "$SPARE" 0
	out=$(carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	EXP_MAIN+=("INIT BACKUP link-up" "BACKUP MASTER master-down")
	EXP_SPARE+=("INIT BACKUP link-up")
	log_test "pair up: main MASTER, spare BACKUP"

	carp_preempt "$MAIN" 1
	carp_preempt "$SPARE" 1
	EXP_MAIN+=("MASTER INIT link-down")
	EXP_SPARE+=("BACKUP MASTER master-down")
	step "cable pull on the master" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} cable_pull main

	EXP_MAIN+=("INIT BACKUP link-up" "BACKUP MASTER preempt")
	EXP_SPARE+=("MASTER BACKUP preempted")
	step "plug-back, main preempts" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} cable_plug main

	EXP_MAIN+=("MASTER BACKUP demoted")
	EXP_SPARE+=("BACKUP MASTER preempt")
	step "main demoted by 240" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		carpctl -n "$MAIN" demote +240

	EXP_MAIN+=("BACKUP MASTER preempt")
	EXP_SPARE+=("MASTER BACKUP preempted")
	step "main's demotion removed" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		carpctl -n "$MAIN" demote -240

	carp_preempt "$MAIN" 0
	carp_preempt "$SPARE" 0
	EXP_MAIN+=("MASTER BACKUP admin")
	EXP_SPARE+=("BACKUP MASTER master-down")
	step "carpctl set carp0 state backup" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		carpctl -n "$MAIN" set carp0 state backup

	EXP_MAIN+=("BACKUP MASTER admin")
	EXP_SPARE+=("MASTER BACKUP preempted")
	step "carpctl set carp0 state master" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		carpctl -n "$MAIN" set carp0 state master

	EXP_MAIN+=("MASTER INIT link-down")
	EXP_SPARE+=("BACKUP MASTER master-down")
	step "parent set down" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		ip -n "$MAIN" link set eth0 down

	EXP_MAIN+=("INIT BACKUP link-up")
	step "parent set up" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		ip -n "$MAIN" link set eth0 up
	# main (preempt 0) stays BACKUP; this also waits past its master-down time
	check_begin
	out=$(expect_states_for "$(carp_down_ms "$ADVBASE" "$MAIN_SKEW")" "$MAIN" carp0 BACKUP \
		"$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "monitor: parent back, main BACKUP under the spare"

	EXP_MAIN+=("BACKUP INIT device-down")
	step "carp0 set down" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		ip -n "$MAIN" link set carp0 down

	EXP_SPARE+=("MASTER INIT device-down")
	step "carp0 deleted" ${#EXP_MAIN[@]} ${#EXP_SPARE[@]} \
		carpctl -n "$SPARE" del carp0

	end_ns=$(date +%s%N)

	check_begin
	out=$(check_events mj - "${EXP_MAIN[@]}")
	check_err $? "main: $out"
	log_test "monitor -j on main: exactly the expected events, kinds, texts, times"

	check_begin
	out=$(check_events sj sp "${EXP_SPARE[@]}")
	check_err $? "spare: $out"
	log_test "monitor -j and plain on spare: exactly the expected events"

	check_begin
	n=$(mon_count mp sync0)
	((n > 0)) || check_fail_msg "monitor sync0 printed no sync0 event"
	grep -v '^sync0 vhid 98 [A-Z]* -> [A-Z]* ([a-z-]*: [a-z .]*)$' \
		"$CARP_TMP/mp.out" >"$CARP_TMP/mp.other"
	[ -s "$CARP_TMP/mp.other" ] &&
		check_fail_msg "monitor sync0 printed other lines: $(head -n 3 "$CARP_TMP/mp.other")"
	log_test "monitor NAME: only that device's events ($n)"
}

test_signals()
{
	monitors_ready
	check_begin
	kill -INT "${MON_PID[mj]}" "${MON_PID[mp]}"
	kill -TERM "${MON_PID[sj]}" "${MON_PID[sp]}"
	for tag in mj mp sj sp; do
		if ! loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" _gone "${MON_PID[$tag]}"; then
			check_fail_msg "monitor $tag still running after the signal"
			kill -KILL "${MON_PID[$tag]}"
		fi
		wait "${MON_PID[$tag]}"
		rc=$?
		((rc == 0)) || check_fail_msg "monitor $tag exited with $rc: $(cat "$CARP_TMP/$tag.err")"
		[ -s "$CARP_TMP/$tag.err" ] &&
			check_fail_msg "monitor $tag wrote on stderr: $(cat "$CARP_TMP/$tag.err")"
	done
	log_test "SIGINT and SIGTERM end carpctl monitor with status 0"
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
