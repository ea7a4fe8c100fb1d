#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest (what it proves is user space: carpctl, its files,
# the boot units or the spec-driven client; the module paths it drives run
# on every kernel in the other tests)
#
# Reload without failover: `carpctl apply FILE` and `carp-setup reload`.
#
#   main:  carp0 (vhid 1, advbase 0, advskew 150, pass) MASTER
#   spare: carp0 (vhid 1, advbase 0, advskew 200, pass) BACKUP
#   (advbase 0: an interval of advskew/256 s, the 1 s timing is not the
#   point here; the spare's master-down interval is 3 x 200/256 s)
#
# Proves:
# - carp-setup reload and carpctl apply of a file that raises the spare's
#   advskew and adds carp1 on both: main's carp0 makes no transition (its
#   transitions counter stays, MASTER throughout the spare's master-down
#   interval and more), the spare's carp0 neither, the new advskew and
#   carp1 are there; reload records carp1 so that stop deletes it.
# - an unchanged file changes nothing: no line in the plan but the key sent
#   again, `carpctl monitor` sees no change, the counters and last_change
#   stay; a device without a key gets no request at all.
# - --dry-run prints the plan (set, add, del) with exit 0 and changes
#   nothing; -j prints it as JSON.
# - a bad line N (after good ones) gives FILE:N, exit 1, nothing applied;
#   a change the kernel refuses after one it made undoes that one.
# - without --prune a device the file does not name stays; with it, it goes
#   and the others are untouched.
# - an advskew that makes main lose (preempt on) gives one failover: one
#   transition on each side.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_reload_setup test_apply_changes test_unchanged test_dry_run
	test_bad_line test_kernel_refusal test_prune test_lose_priority"

MSKEW=150
SSKEW=200
KEY=s3cret
VIP2=10.0.0.31/24

require_carp
carp_test_init

# conf FILE NAME VHID SKEW [words...]: FILE gets the add line of NAME on
# eth0, at advbase 0 with the key (more lines: conf_more).
conf()
{
	local f=$1 name=$2 vhid=$3 skew=$4; shift 4

	echo "add $name dev eth0 vhid $vhid advbase 0 advskew $skew pass $KEY $*" >"$f"
}

conf_more()
{
	local f=$1 name=$2 vhid=$3 skew=$4; shift 4

	echo "add $name dev eth0 vhid $vhid advbase 0 advskew $skew pass $KEY $*" >>"$f"
}

conf "$CARP_TMP/main.conf" carp0 1 "$MSKEW" "$VIP/$PLEN"
conf "$CARP_TMP/spare.conf" carp0 1 "$SSKEW" "$VIP/$PLEN"

# apply NS ARGS...: carpctl apply in NS; its output in $CARP_TMP/apply.out,
# its messages in $CARP_TMP/apply.err.
apply()
{
	local ns=$1; shift

	carpctl -n "$ns" apply "$@" >"$CARP_TMP/apply.out" 2>"$CARP_TMP/apply.err"
}

# carp_devs NS: the carp devices of NS, sorted, on one line.
carp_devs()
{
	ip -n "$1" -o link show type carp 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | tr '\n' ' '
}

# pair_ensure: main's carp0 MASTER and the spare's BACKUP, from the files
# above, and no other carp device on either; preempt off.
pair_ensure()
{
	carp_preempt "$MAIN" 0
	carp_preempt "$SPARE" 0
	if [ "$(carp_devs "$MAIN")" = "carp0 " ] &&
	   [ "$(carp_devs "$SPARE")" = "carp0 " ] &&
	   [ "$(carp_field "$SPARE" carp0 advskew)" = "$SSKEW" ] &&
	   [ "$(carp_field "$MAIN" carp0 advskew)" = "$MSKEW" ] &&
	   _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP; then
		return 0
	fi
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	apply "$MAIN" --prune "$CARP_TMP/main.conf" ||
		{ echo "main: $(cat "$CARP_TMP/apply.err")"; return 1; }
	wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms 0 "$MSKEW") + CARP_MARGIN_MS)) || return 1
	apply "$SPARE" --prune "$CARP_TMP/spare.conf" ||
		{ echo "spare: $(cat "$CARP_TMP/apply.err")"; return 1; }
	wait_state "$SPARE" carp0 BACKUP "$CARP_MARGIN_MS" || return 1
	expect_states_for $(($(carp_down_ms 0 "$SSKEW") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP
}

pair_ready()
{
	local out

	out=$(pair_ensure) || carp_ensure_fail "$out" "main MASTER, spare BACKUP"
}

# The files of the done-when scenario: the spare's advskew 200 -> 220, and
# carp1 (vhid 2) on both.
conf "$CARP_TMP/main2.conf" carp0 1 "$MSKEW" "$VIP/$PLEN"
conf_more "$CARP_TMP/main2.conf" carp1 2 "$MSKEW" "$VIP2"
conf "$CARP_TMP/spare2.conf" carp0 1 220 "$VIP/$PLEN"
conf_more "$CARP_TMP/spare2.conf" carp1 2 "$SSKEW" "$VIP2"

# no_transition_check T_MAIN T_SPARE: main's carp0 MASTER and the spare's
# BACKUP for longer than the spare's master-down interval, and neither's
# transitions counter moved from T_MAIN, T_SPARE. Prints what went wrong.
no_transition_check()
{
	local t0=$1 s0=$2 t1 s1

	expect_states_for $(($(carp_down_ms 0 220) + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP || return 1
	t1=$(carp_stat "$MAIN" carp0 transitions)
	s1=$(carp_stat "$SPARE" carp0 transitions)
	carp_info "transitions: main carp0 $t0 -> $t1, spare carp0 $s0 -> $s1"
	[ "$t1" = "$t0" ] || { echo "main's carp0 changed state ($t0 -> $t1 transitions)"; return 1; }
	[ "$s1" = "$s0" ] || { echo "the spare's carp0 changed state ($s0 -> $s1 transitions)"; return 1; }
}

# changes_check: what main2.conf and spare2.conf say is in place.
changes_check()
{
	local v

	v=$(carp_field "$SPARE" carp0 advskew)
	[ "$v" = 220 ] || check_fail_msg "spare carp0: advskew $v, expected 220"
	v=$(carp_field "$SPARE" carp1 advskew)
	[ "$v" = "$SSKEW" ] || check_fail_msg "spare carp1: advskew '$v', expected $SSKEW"
	v=$(carp_field "$MAIN" carp1 vhid)
	[ "$v" = 2 ] || check_fail_msg "main carp1: vhid '$v', expected 2"
	out=$(wait_states $(($(carp_down_ms 0 "$SSKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp1 MASTER "$SPARE" carp1 BACKUP)
	check_err $? "carp1: $out"
}

# setup NS ARGS...: carp-setup of this tree in NS (with the carpctl on
# PATH), its RUNDIR of its own; output in $CARP_TMP/setup.out.
# (vm-run-tests.sh puts REPO/tools/carpctl on PATH: REPO/tools/systemd)
SETUP=$(dirname "$(readlink -f "$(command -v carpctl)")")/../systemd/carp-setup
[ -x "$SETUP" ] || SETUP=$(command -v carp-setup)

setup()
{
	local ns=$1; shift

	ip netns exec "$ns" env CARPCTL="$(command -v carpctl)" "$SETUP" \
		-r "$CARP_TMP/run-${ns%%-*}" -s /nonexistent "$@" \
		>"$CARP_TMP/setup.out" 2>&1
}

test_reload_setup()
{
	local t0 s0 out v

	check_begin
	if [ ! -x "$SETUP" ]; then
		check_fail_msg "no carp-setup (tools/systemd/carp-setup)"
		log_test "carp-setup reload: no transition on main"
		return
	fi
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	pair_ready_from_setup || return
	t0=$(carp_stat "$MAIN" carp0 transitions)
	s0=$(carp_stat "$SPARE" carp0 transitions)
	setup "$MAIN" -c "$CARP_TMP/main2.conf" reload ||
		check_fail_msg "main: reload: $(cat "$CARP_TMP/setup.out")"
	setup "$SPARE" -c "$CARP_TMP/spare2.conf" reload ||
		check_fail_msg "spare: reload: $(cat "$CARP_TMP/setup.out")"
	out=$(no_transition_check "$t0" "$s0")
	check_err $? "$out"
	changes_check
	v=$(sort "$CARP_TMP/run-spare/devices" | tr '\n' ' ')
	[ "$v" = "carp0 carp1 " ] || check_fail_msg "spare: recorded '$v', expected carp0 carp1"
	setup "$SPARE" stop || check_fail_msg "spare: stop: $(cat "$CARP_TMP/setup.out")"
	v=$(carp_devs "$SPARE")
	[ -z "$v" ] || check_fail_msg "spare: after stop: $v"
	setup "$MAIN" stop || check_fail_msg "main: stop: $(cat "$CARP_TMP/setup.out")"
	log_test "carp-setup reload: spare advskew 220 and carp1, no transition on main"
}

# pair_ready_from_setup: the pair, made with carp-setup start (in
# test_reload_setup's check).
pair_ready_from_setup()
{
	local out

	rm -rf "$CARP_TMP/run-main" "$CARP_TMP/run-spare"
	if ! setup "$MAIN" -c "$CARP_TMP/main.conf" start ||
	   ! out=$(wait_state "$MAIN" carp0 MASTER \
		   $(($(carp_down_ms 0 "$MSKEW") + CARP_MARGIN_MS))) ||
	   ! setup "$SPARE" -c "$CARP_TMP/spare.conf" start ||
	   ! out=$(wait_state "$SPARE" carp0 BACKUP "$CARP_MARGIN_MS"); then
		check_fail_msg "carp-setup start: $(cat "$CARP_TMP/setup.out") $out"
		log_test "carp-setup reload: no transition on main"
		return 1
	fi
	out=$(expect_states_for $(($(carp_down_ms 0 "$SSKEW") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP) || {
		check_fail_msg "$out"
		log_test "carp-setup reload: no transition on main"
		return 1
	}
}

test_apply_changes()
{
	local t0 s0 out

	pair_ready
	check_begin
	t0=$(carp_stat "$MAIN" carp0 transitions)
	s0=$(carp_stat "$SPARE" carp0 transitions)
	apply "$MAIN" "$CARP_TMP/main2.conf" ||
		check_fail_msg "main: $(cat "$CARP_TMP/apply.err")"
	apply "$SPARE" "$CARP_TMP/spare2.conf" ||
		check_fail_msg "spare: $(cat "$CARP_TMP/apply.err")"
	grep -qx "set carp0 advskew $SSKEW -> 220" "$CARP_TMP/apply.out" ||
		check_fail_msg "spare: the plan: $(cat "$CARP_TMP/apply.out")"
	out=$(no_transition_check "$t0" "$s0")
	check_err $? "$out"
	changes_check
	log_test "apply: spare advskew 220 and carp1, no transition on main"
}

# monitor_start NS DEV: `carpctl monitor` of NS in the background, into
# $CARP_TMP/monitor-NS, and known to be subscribed: DEV (a MASTER with no
# backup, so it comes back) is forced to BACKUP until monitor prints it.
monitor_start()
{
	local f=$CARP_TMP/monitor-${1%%-*}

	carpctl -n "$1" monitor >"$f" 2>&1 &
	MON_PID=$!
	CARP_BG_PIDS+=("$MON_PID")
	carp_poll 0.2 "$CARP_MARGIN_MS" monitor_synced "$1" "$2" "$f"
}

monitor_synced()
{
	grep -q "^$2 " "$3" && return 0
	carpctl -n "$1" set "$2" state backup 2>/dev/null
	return 1
}

monitor_stop()
{
	kill "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
}

# since_change_ms NS DEV: when DEV last changed state, as ms on this clock.
since_change_ms()
{
	local now ago

	ago=$(carp_field "$1" "$2" last_change_ms) || return 1
	carp_now_us now
	echo $((now / 1000 - ago))
}

test_unchanged()
{
	local t0 s0 b0 r0 c0 c1 out

	pair_ready
	check_begin
	# carp2, a device without a key: no request at all
	conf "$CARP_TMP/same.conf" carp0 1 "$MSKEW" "$VIP/$PLEN"
	echo "add carp2 dev eth0 vhid 3 advbase 0 advskew $MSKEW 10.0.0.33/24" \
		>>"$CARP_TMP/same.conf"
	apply "$MAIN" "$CARP_TMP/same.conf" ||
		check_fail_msg "carp2: $(cat "$CARP_TMP/apply.err")"
	out=$(wait_state "$MAIN" carp2 MASTER \
		$(($(carp_down_ms 0 "$MSKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	t0=$(carp_stat "$MAIN" carp0 transitions)
	s0=$(carp_stat "$SPARE" carp0 transitions)
	b0=$(carp_stat "$SPARE" carp0 badauth)
	r0=$(carp_stat "$SPARE" carp0 replay)
	c0=$(since_change_ms "$MAIN" carp0)
	monitor_start "$MAIN" carp2 ||
		check_fail_msg "monitor: no event of carp2 forced to BACKUP"
	apply "$MAIN" -n "$CARP_TMP/same.conf" ||
		check_fail_msg "dry run: $(cat "$CARP_TMP/apply.err")"
	out=$(cat "$CARP_TMP/apply.out")
	[ "$out" = "set carp0 pass (sent again: a key cannot be read back)" ] ||
		check_fail_msg "the plan of an unchanged file: '$out'"
	apply "$MAIN" "$CARP_TMP/same.conf" ||
		check_fail_msg "apply: $(cat "$CARP_TMP/apply.err")"
	out=$(no_transition_check "$t0" "$s0")
	check_err $? "$out"
	monitor_stop
	! grep -q "^carp0 " "$CARP_TMP/monitor-main" ||
		check_fail_msg "monitor saw: $(grep "^carp0 " "$CARP_TMP/monitor-main")"
	[ "$(carp_stat "$SPARE" carp0 badauth)" = "$b0" ] ||
		check_fail_msg "spare: badauth $b0 -> $(carp_stat "$SPARE" carp0 badauth)"
	[ "$(carp_stat "$SPARE" carp0 replay)" = "$r0" ] ||
		check_fail_msg "spare: replay $r0 -> $(carp_stat "$SPARE" carp0 replay)"
	c1=$(since_change_ms "$MAIN" carp0)
	((c1 - c0 < 500 && c0 - c1 < 500)) ||
		check_fail_msg "main carp0: last change moved ($c0 -> $c1 ms)"
	carpctl -n "$MAIN" del carp2
	log_test "unchanged file: no change (the key sent again, nothing else)"
}

test_dry_run()
{
	local out

	pair_ready
	check_begin
	carp_add "$SPARE" carp9 dev eth0 vhid 9 advbase 0 advskew 10 10.0.0.90/24 ||
		check_fail_msg "carp9"
	apply "$SPARE" --prune -n "$CARP_TMP/spare2.conf"
	check_err $? "dry run: exit $?: $(cat "$CARP_TMP/apply.err")"
	out=$(cat "$CARP_TMP/apply.out")
	grep -qx "set carp0 advskew $SSKEW -> 220" <<<"$out" &&
	grep -qx "set carp0 pass (sent again: a key cannot be read back)" <<<"$out" &&
	grep -qx "add carp1 dev eth0 vhid 2 advskew $SSKEW advbase 0 pass \* $VIP2" <<<"$out" &&
	grep -qx "del carp9" <<<"$out" &&
	[ "$(wc -l <<<"$out")" = 4 ] ||
		check_fail_msg "the plan: $out"
	carpctl -n "$SPARE" -j apply --prune --dry-run "$CARP_TMP/spare2.conf" |
		python3 -c '
import json, sys
p = json.load(sys.stdin)
ops = sorted((s["op"], s["ifname"]) for s in p)
sys.exit(ops != [("add", "carp1"), ("del", "carp9"), ("set", "carp0"), ("set", "carp0")])' ||
		check_fail_msg "the plan in JSON"
	[ "$(carp_field "$SPARE" carp0 advskew)" = "$SSKEW" ] ||
		check_fail_msg "dry run changed carp0's advskew"
	[ "$(carp_devs "$SPARE")" = "carp0 carp9 " ] ||
		check_fail_msg "dry run: devices $(carp_devs "$SPARE")"
	carpctl -n "$SPARE" del carp9
	log_test "--dry-run prints the plan and changes nothing"
}

# nothing_applied WHAT: the spare is as pair_ready left it.
nothing_applied()
{
	[ "$(carp_field "$SPARE" carp0 advskew)" = "$SSKEW" ] ||
		check_fail_msg "$1: carp0's advskew is $(carp_field "$SPARE" carp0 advskew)"
	[ "$(carp_devs "$SPARE")" = "carp0 " ] ||
		check_fail_msg "$1: devices $(carp_devs "$SPARE")"
}

test_bad_line()
{
	local f=$CARP_TMP/bad.conf rc

	pair_ready
	check_begin
	cp "$CARP_TMP/spare2.conf" "$f"
	echo "# a comment" >>"$f"
	echo "add carp2 dev eth0 vhid 300 advbase 0 advskew 10 10.0.0.32/24" >>"$f"
	apply "$SPARE" "$f"
	rc=$?
	[ "$rc" = 1 ] || check_fail_msg "bad vhid on line 4: exit $rc"
	grep -q "^carpctl: $f:4: invalid vhid \"300\"" "$CARP_TMP/apply.err" ||
		check_fail_msg "bad vhid: $(cat "$CARP_TMP/apply.err")"
	nothing_applied "bad vhid"
	cp "$CARP_TMP/spare2.conf" "$f"
	echo "set carp0 advskew 10" >>"$f"
	apply "$SPARE" "$f"
	rc=$?
	[ "$rc" = 1 ] || check_fail_msg "set line 3: exit $rc"
	grep -q "^carpctl: $f:3: apply takes add lines only" "$CARP_TMP/apply.err" ||
		check_fail_msg "set line: $(cat "$CARP_TMP/apply.err")"
	nothing_applied "set line"
	log_test "a bad line N: FILE:N, exit 1, nothing applied"
}

# A refusal only the kernel can make: carp1 and carp2 swap vhids, and the
# first of their sets finds the vhid still the other's. The set of carp0
# before them is undone.
test_kernel_refusal()
{
	local f=$CARP_TMP/swap.conf rc out

	pair_ready
	check_begin
	carp_add "$SPARE" carp1 dev eth0 vhid 2 advbase 0 advskew 200 10.0.0.31/24 &&
	carp_add "$SPARE" carp2 dev eth0 vhid 3 advbase 0 advskew 200 10.0.0.32/24 ||
		check_fail_msg "carp1, carp2"
	conf "$f" carp0 1 220 "$VIP/$PLEN"
	echo "add carp1 dev eth0 vhid 3 advbase 0 advskew 200 10.0.0.31/24" >>"$f"
	echo "add carp2 dev eth0 vhid 2 advbase 0 advskew 200 10.0.0.32/24" >>"$f"
	apply "$SPARE" "$f"
	rc=$?
	[ "$rc" = 2 ] || check_fail_msg "exit $rc: $(cat "$CARP_TMP/apply.err")"
	grep -q "not applied; the changes .*undone" "$CARP_TMP/apply.err" ||
		check_fail_msg "messages: $(cat "$CARP_TMP/apply.err")"
	out=$(carp_field "$SPARE" carp0 advskew)
	[ "$out" = "$SSKEW" ] || check_fail_msg "carp0's advskew is $out, not put back"
	[ "$(carp_field "$SPARE" carp1 vhid)" = 2 ] &&
	[ "$(carp_field "$SPARE" carp2 vhid)" = 3 ] ||
		check_fail_msg "carp1, carp2 vhids changed"
	carpctl -n "$SPARE" del carp1
	carpctl -n "$SPARE" del carp2
	log_test "a change the kernel refuses undoes those made before it"
}

test_prune()
{
	local t0

	pair_ready
	check_begin
	t0=$(carp_stat "$SPARE" carp0 transitions)
	carp_add "$SPARE" carp9 dev eth0 vhid 9 advbase 0 advskew 10 10.0.0.90/24 ||
		check_fail_msg "carp9"
	apply "$SPARE" "$CARP_TMP/spare.conf" ||
		check_fail_msg "apply: $(cat "$CARP_TMP/apply.err")"
	[ "$(carp_devs "$SPARE")" = "carp0 carp9 " ] ||
		check_fail_msg "without --prune: devices $(carp_devs "$SPARE")"
	apply "$SPARE" --prune "$CARP_TMP/spare.conf" ||
		check_fail_msg "apply --prune: $(cat "$CARP_TMP/apply.err")"
	grep -qx "del carp9" "$CARP_TMP/apply.out" ||
		check_fail_msg "the plan: $(cat "$CARP_TMP/apply.out")"
	[ "$(carp_devs "$SPARE")" = "carp0 " ] ||
		check_fail_msg "with --prune: devices $(carp_devs "$SPARE")"
	[ "$(carp_stat "$SPARE" carp0 transitions)" = "$t0" ] ||
		check_fail_msg "carp0 changed state"
	log_test "--prune deletes the devices the file does not name, only with it"
}

test_lose_priority()
{
	local t0 s0 t1 s1 out

	pair_ready
	check_begin
	carp_preempt "$MAIN" 1
	carp_preempt "$SPARE" 1
	t0=$(carp_stat "$MAIN" carp0 transitions)
	s0=$(carp_stat "$SPARE" carp0 transitions)
	conf "$CARP_TMP/lose.conf" carp0 1 250 "$VIP/$PLEN"
	apply "$MAIN" "$CARP_TMP/lose.conf" ||
		check_fail_msg "apply: $(cat "$CARP_TMP/apply.err")"
	out=$(wait_takeover carp0 "$SPARE" \
		$(($(carp_down_ms 0 "$SSKEW") + CARP_MARGIN_MS)) \
		"$MAIN" "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms 0 250) + 1000)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	t1=$(carp_stat "$MAIN" carp0 transitions)
	s1=$(carp_stat "$SPARE" carp0 transitions)
	carp_info "transitions: main carp0 $t0 -> $t1, spare carp0 $s0 -> $s1"
	((t1 == t0 + 1 && s1 == s0 + 1)) ||
		check_fail_msg "transitions: main $t0 -> $t1, spare $s0 -> $s1 (one each expected)"
	carp_preempt "$MAIN" 0
	carp_preempt "$SPARE" 0
	carpctl -n "$MAIN" del carp0
	carpctl -n "$SPARE" del carp0
	log_test "apply: main loses priority (preempt): one failover"
}

carp_run_tests
exit "$EXIT_STATUS"
