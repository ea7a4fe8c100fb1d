#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest (what it proves is user space: carpctl, its files,
# the boot units or the spec-driven client; the module paths it drives run
# on every kernel in the other tests)
#
# carpctl watch NAME up SCRIPT down SCRIPT [timeout SECS]: scripts on the
# changes to and from MASTER. carp0 on main alone (vhid 1, advbase 0,
# advskew 100: master-down 1.17 s, as nothing here depends on the
# interval): it becomes MASTER by itself, `state backup|master` moves it at
# will.
#
# Proves: a device already MASTER when the watch starts runs up once
# (CARP_REASON start, CARP_OLD_STATE empty); a forced BACKUP and a forced
# MASTER in quick succession run down then up, in that order, the second
# only after the first ended (each script holds a lock for a while: an
# overlap would find it taken), with CARP_EVENT, CARP_IFNAME, CARP_IFINDEX,
# CARP_VHID, CARP_OLD_STATE, CARP_NEW_STATE, CARP_REASON (admin) and
# CARP_REASON_TEXT and the arguments NAME EVENT; a master-down timeout runs
# up with CARP_REASON master-down; a script that hangs and ignores SIGTERM
# is killed (SIGTERM, then SIGKILL, its whole process group) after the
# timeout, reported on stderr, and the next change runs its script again;
# SIGTERM ends carpctl watch with status 0.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_start test_two_changes test_master_down test_sigterm
	test_hang test_after_kill"

ADVBASE=0
MAIN_SKEW=100
down_ms=$(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS))
ifindex=
# one hook run (it sleeps 1 s; a handful of forks, slow in a TCG VM)
script_ms=$((1000 + CARP_MARGIN_MS))
# the timeout of the hanging script: well above script_ms
HANG_TIMEOUT_S=$((2 * script_ms / 1000 + 1))

# The hook: logs its start (with the environment) and its end, holds a lock
# directory meanwhile (mkdir fails when taken: an overlap) and sleeps
# HOOK_SLEEP seconds. If $dir/hang exists (and it is the up event), it
# removes it, ignores SIGTERM and hangs.
write_hook()
{
	cat >"$CARP_TMP/hook.sh" <<'EOF'
#!/bin/bash
dir=$(dirname "$(readlink -f "$0")")
log=$dir/hook.log
printf 'start %s args=%s,%s old=%s new=%s reason=%s text=%s if=%s idx=%s vhid=%s\n' \
	"$CARP_EVENT" "$1" "$2" "$CARP_OLD_STATE" "$CARP_NEW_STATE" \
	"$CARP_REASON" "$CARP_REASON_TEXT" "$CARP_IFNAME" "$CARP_IFINDEX" \
	"$CARP_VHID" >>"$log"
mkdir "$dir/lock" 2>/dev/null || echo "OVERLAP $CARP_EVENT" >>"$log"
if [ "$CARP_EVENT" = up ] && [ -e "$dir/hang" ]; then
	rm -f "$dir/hang"
	trap '' TERM
	echo "hang $$" >>"$log"
	sleep 600 &
	echo "$!" >"$dir/hang.pid"
	wait
	echo "survived" >>"$log"
fi
sleep "${HOOK_SLEEP:-1}"
rmdir "$dir/lock"
echo "end $CARP_EVENT" >>"$log"
EOF
	chmod +x "$CARP_TMP/hook.sh"
}

WATCH_PID=
watch_start()
{
	: >"$CARP_TMP/watch.err"
	ip netns exec "$MAIN" env HOOK_SLEEP=1 carpctl watch carp0 \
		up "$CARP_TMP/hook.sh" down "$CARP_TMP/hook.sh" "$@" \
		>"$CARP_TMP/watch.out" 2>"$CARP_TMP/watch.err" &
	WATCH_PID=$!
	CARP_BG_PIDS+=("$!")
}

_gone()
{
	! kill -0 "$1" 2>/dev/null
}

# watch_stop: SIGTERM, the watch ends (bounded) with status 0; else
# fails with the reason in WATCH_ERR. Not in a subshell (wait).
WATCH_ERR=
watch_stop()
{
	local rc

	WATCH_ERR=
	kill -TERM "$WATCH_PID"
	if ! loopy_wait "sleep 0.1" $((script_ms + CARP_MARGIN_MS)) _gone "$WATCH_PID"; then
		WATCH_ERR="carpctl watch still running after SIGTERM"
		kill -KILL "$WATCH_PID"
		wait "$WATCH_PID"
		return 1
	fi
	wait "$WATCH_PID"
	rc=$?
	((rc == 0)) && return 0
	WATCH_ERR="carpctl watch exited with $rc: $(cat "$CARP_TMP/watch.err")"
	return 1
}

log_lines()
{
	cat "$CARP_TMP/hook.log" 2>/dev/null
}

_log_has()
{
	grep -qE "$1" "$CARP_TMP/hook.log" 2>/dev/null
}

_log_count_ge()
{
	local n

	n=$(grep -cE "$1" "$CARP_TMP/hook.log" 2>/dev/null)
	((n >= $2))
}

# log_wait ERE N TIMEOUT_MS: until N lines of the hook log match.
log_wait()
{
	loopy_wait "sleep 0.1" "$3" _log_count_ge "$1" "$2" ||
		{ echo "hook log after $3 ms (want $2 x '$1'): $(log_lines | tr '\n' '|')"; return 1; }
}

# log_is WHAT EXPECTED: the hook log is EXPECTED (lines).
log_is()
{
	local got

	got=$(log_lines)
	[ "$got" = "$2" ] ||
		check_fail_msg "$1: got '$(tr '\n' '|' <<<"$got")', expected '$(tr '\n' '|' <<<"$2")'"
}

# main_add: carp0 on main, MASTER. Prints what went wrong.
main_add()
{
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" "$VIP/$PLEN" &&
	wait_state "$MAIN" carp0 MASTER "$down_ms"
}

# main_ready: carp0 on main, MASTER, its ifindex known.
main_ready()
{
	local out

	if ! link_exists "$MAIN" carp0; then
		out=$(main_add) || carp_ensure_fail "$out" "carp0 on main MASTER"
	fi
	out=$(wait_state "$MAIN" carp0 MASTER "$down_ms") ||
		carp_ensure_fail "$out" "carp0 on main MASTER"
	ifindex=$(ip -n "$MAIN" -j link show dev carp0 | _json_field ifindex)
}

# watch_ready: main_ready, and a watch running that has run its up at
# start (what test_start makes).
watch_ready()
{
	local out

	main_ready
	[ -n "$WATCH_PID" ] && kill -0 "$WATCH_PID" 2>/dev/null && return 0
	: >"$CARP_TMP/hook.log"
	rmdir "$CARP_TMP/lock" 2>/dev/null
	watch_start
	out=$(log_wait '^end up$' 1 "$script_ms") ||
		carp_ensure_fail "$out" "watch: up at start"
}

test_start()
{
	local out

	check_begin
	out=$(main_add)
	check_err $? "$out"
	main_ready
	watch_start
	out=$(log_wait '^end up$' 1 "$script_ms")
	check_err $? "$out"
	_log_has "^start up args=carp0,up old= new=MASTER reason=start text=.+ if=carp0 idx=$ifindex vhid=1$" ||
		check_fail_msg "start: $(log_lines | tr '\n' '|')"
	log_test "watch: carp0 already MASTER at start runs up once"
}

test_two_changes()
{
	local out

	watch_ready
	check_begin
	: >"$CARP_TMP/hook.log"
	carp_set "$MAIN" carp0 state backup && carp_set "$MAIN" carp0 state master
	check_err $? "cannot force the states"
	out=$(log_wait '^end ' 2 $((2 * script_ms)))
	check_err $? "$out"
	log_is "two quick changes" "start down args=carp0,down old=MASTER new=BACKUP reason=admin text=forced by admin if=carp0 idx=$ifindex vhid=1
end down
start up args=carp0,up old=BACKUP new=MASTER reason=admin text=forced by admin if=carp0 idx=$ifindex vhid=1
end up"
	log_test "watch: down then up, in order, one at a time, with their environment"
}

test_master_down()
{
	local out

	watch_ready
	check_begin
	: >"$CARP_TMP/hook.log"
	carp_set "$MAIN" carp0 state backup
	check_err $? "cannot force backup"
	out=$(log_wait '^end up$' 1 $((down_ms + 2 * script_ms)))
	check_err $? "$out"
	log_is "master down" "start down args=carp0,down old=MASTER new=BACKUP reason=admin text=forced by admin if=carp0 idx=$ifindex vhid=1
end down
start up args=carp0,up old=BACKUP new=MASTER reason=master-down text=master timed out if=carp0 idx=$ifindex vhid=1
end up"
	log_test "watch: BACKUP times out to MASTER, up with reason master-down"
}

test_sigterm()
{
	watch_ready
	check_begin
	watch_stop
	check_err $? "$WATCH_ERR"
	[ -s "$CARP_TMP/watch.err" ] &&
		check_fail_msg "stderr: $(cat "$CARP_TMP/watch.err")"
	log_test "watch: SIGTERM ends it with status 0, nothing on stderr"
}

# A hanging up script: SIGTERM (ignored) after the timeout, 2 s later
# SIGKILL. (If the watch starts after the forced MASTER, its up at start
# is the one that hangs.)
test_hang()
{
	local out hpid spid p

	main_ready
	if [ -n "$WATCH_PID" ] && kill -0 "$WATCH_PID" 2>/dev/null; then
		watch_stop
	fi
	check_begin
	: >"$CARP_TMP/hook.log"
	carp_set "$MAIN" carp0 state backup
	check_err $? "cannot force backup"
	touch "$CARP_TMP/hang"
	watch_start timeout "$HANG_TIMEOUT_S"
	carp_set "$MAIN" carp0 state master
	check_err $? "cannot force master"
	out=$(log_wait '^hang ' 1 "$script_ms")
	check_err $? "$out"
	out=$(loopy_wait "sleep 0.1" $((HANG_TIMEOUT_S * 1000 + 2000 + CARP_MARGIN_MS)) \
		grep -q 'killed after the timeout' "$CARP_TMP/watch.err")
	check_err $? "no kill reported: $(cat "$CARP_TMP/watch.err")"
	grep -q "still running after $HANG_TIMEOUT_S s: timeout, sending SIGTERM" "$CARP_TMP/watch.err" ||
		check_fail_msg "no SIGTERM reported: $(cat "$CARP_TMP/watch.err")"
	grep -q 'ignored SIGTERM .*: sending SIGKILL' "$CARP_TMP/watch.err" ||
		check_fail_msg "no SIGKILL reported: $(cat "$CARP_TMP/watch.err")"
	hpid=$(sed -n 's/^hang //p' "$CARP_TMP/hook.log")
	spid=$(cat "$CARP_TMP/hang.pid" 2>/dev/null)
	for p in $hpid $spid; do
		kill -0 "$p" 2>/dev/null && check_fail_msg "process $p of the hung script still alive"
	done
	_log_has '^survived' && check_fail_msg "the hung script went on"
	log_test "watch: a hanging script is killed after the timeout (TERM, KILL) and reported"
}

test_after_kill()
{
	local out

	watch_ready
	check_begin
	: >"$CARP_TMP/hook.log"
	rmdir "$CARP_TMP/lock" 2>/dev/null	# the killed script held it
	carp_set "$MAIN" carp0 state backup
	check_err $? "cannot force backup"
	out=$(log_wait '^end down$' 1 "$script_ms")
	check_err $? "$out"
	_log_has '^start down args=carp0,down old=MASTER new=BACKUP reason=admin' ||
		check_fail_msg "after the kill: $(log_lines | tr '\n' '|')"
	# main, alone, times out to MASTER again: the watch is idle after it
	out=$(log_wait '^end up$' 1 $((down_ms + 2 * script_ms)))
	check_err $? "$out"
	watch_stop
	check_err $? "$WATCH_ERR"
	log_test "watch: goes on after a killed script"
}

carp_test_init
write_hook

carp_run_tests

exit "$EXIT_STATUS"
