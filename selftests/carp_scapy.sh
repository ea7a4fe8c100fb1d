#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp.ko against advertisements built by a third party's CARP code: scapy's
# CARP layer (scapy.contrib.carp), sent from the client (carp_scapy.py).
# main alone: vhid 1, advbase 1, advskew 100, a password; MASTER.
#
# Proves, with the HMAC computed the BSD way in the test and a random
# counter: a worse peer (advskew 200) is received (ipackets) and main stays
# MASTER; a better peer (advskew 0) makes main step down, keeps it BACKUP
# for longer than its master-down interval while it goes on advertising, and
# main is MASTER again once it stops. Then, each of these would make main
# step down if accepted, and each must be dropped, counted in its counter
# and change nothing (no transition, ipackets unchanged): TTL 254 (badttl),
# version 1 (badver), a bad checksum (badsum), cut to 28 bytes (badlen), a
# wrong password (badauth), and the right password with the HMAC of scapy's
# own CARP.build_hmac_sha1() helper, which hashes version and type as one
# byte and leaves the counter out -- not what a BSD peer sends (badauth).

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

SCAPY_PY=$lib_dir/carp_scapy.py
PY=/usr/bin/python3
PASS="scapy-Pass"
MAIN_SKEW=100
ALL_TESTS="test_setup test_worse_peer test_better_peer test_dropped"

SCAPY_FD=""
SCAPY_OUT=""
SCAPY_SEQ=0
SCAPY_START_S=300

# scapy_start: carp_scapy.py serving requests in the client (one process:
# importing scapy takes tens of seconds in a TCG VM); scapy_ready waits for
# it.
scapy_start()
{
	local fifo=$CARP_TMP/scapy.in

	SCAPY_OUT=$CARP_TMP/scapy.out
	mkfifo "$fifo" || return 1
	ip netns exec "$CLIENT" "$PY" "$SCAPY_PY" serve=1 iface=eth0 \
		src="$CLIENT_IP" vhid=1 advbase=1 vips="$VIP" \
		<"$fifo" >"$SCAPY_OUT" 2>&1 &
	CARP_BG_PIDS+=("$!")
	exec {SCAPY_FD}>"$fifo"
}

scapy_ready()
{
	slowwait "$SCAPY_START_S" grep -q '^ready' "$SCAPY_OUT" && return 0
	echo "carp_scapy.py not ready after $SCAPY_START_S s: $(tail -n 3 "$SCAPY_OUT")"
	return 1
}

# scapy_send KEY=VALUE...: send ads from the client toward main (the
# defaults of scapy_start apply); returns at once, the id is in SCAPY_SEQ.
scapy_send()
{
	SCAPY_SEQ=$((SCAPY_SEQ + 1))
	echo "$SCAPY_SEQ $*" >&"$SCAPY_FD"
}

_scapy_done()
{
	grep -q "^\(done\|error\) $1\$" "$SCAPY_OUT" ||
		grep -q "^error $1 " "$SCAPY_OUT"
}

# scapy_wait TIMEOUT_MS: the last request was sent.
scapy_wait()
{
	if ! loopy_wait "sleep 0.1" "$1" _scapy_done "$SCAPY_SEQ"; then
		echo "request $SCAPY_SEQ not done after $1 ms: $(tail -n 3 "$SCAPY_OUT")"
		return 1
	fi
	if grep -q "^error $SCAPY_SEQ" "$SCAPY_OUT"; then
		grep "^error $SCAPY_SEQ" "$SCAPY_OUT"
		return 1
	fi
}

# scapy_send_wait KEY=VALUE...: a better ad (advskew 0) and the words
# given, sent; prints what went wrong.
scapy_send_wait()
{
	local n=1 i=0 kv

	for kv in "$@"; do
		case $kv in
		count=*) n=${kv#count=} ;;
		interval=*) i=${kv#interval=} ;;
		esac
	done
	scapy_send advskew=0 "$@" &&
		scapy_wait $(awk -v n="$n" -v i="$i" -v m="$CARP_MARGIN_MS" \
			'BEGIN { printf "%d", n * i * 1000 + m }')
}

# scapy_dropped WHAT COUNTER KEY=VALUE...: a better ad (advskew 0), broken
# one way, must be counted in COUNTER and change nothing.
scapy_dropped()
{
	carp_dropped_check "scapy ad, $1" "$2" scapy_send_wait "${@:3}"
}

# main_add: main alone, MASTER. Prints what went wrong.
main_add()
{
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 1 \
		advskew "$MAIN_SKEW" pass "$PASS" "$VIP/$PLEN" &&
	wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms 1 "$MAIN_SKEW") + CARP_MARGIN_MS))
}

# scapy_main_ready: carp_scapy.py ready, main MASTER (what test_setup
# makes, and each sub-test leaves).
scapy_main_ready()
{
	local out

	if [ -z "$SCAPY_FD" ]; then
		scapy_start || carp_ensure_fail "cannot start carp_scapy.py" \
			"scapy ready in the client"
		out=$(scapy_ready) ||
			carp_ensure_fail "$out" "scapy ready in the client"
	fi
	carp_state_is "$MAIN" carp0 MASTER && return 0
	carpctl -n "$MAIN" del carp0 2>/dev/null
	out=$(main_add) || carp_ensure_fail "$out" "main alone is MASTER"
}

test_setup()
{
	local out

	check_begin
	# Scapy first: its start-up hogs the CPU and would skew the
	# protocol timing of what runs beside it.
	scapy_start
	check_err $? "cannot start carp_scapy.py"
	scapy_ready >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(main_add)
	check_err $? "$out"
	log_test "scapy ready in the client, main alone is MASTER"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_worse_peer()
{
	local ba0

	scapy_main_ready
	check_begin
	ba0=$(carp_stat "$MAIN" carp0 badauth)
	carp_ignored_check "$MAIN" ipackets 3 1500 scapy_send_wait \
		advskew=200 pass="$PASS" count=3 interval=0.5
	[ "$(carp_stat "$MAIN" carp0 badauth)" = "$ba0" ] ||
		check_fail_msg "badauth moved"
	log_test "worse peer (advskew 200): accepted, main stays MASTER"
}

test_better_peer()
{
	local out ip0 tr0 n

	scapy_main_ready
	check_begin
	ip0=$(carp_stat "$MAIN" carp0 ipackets)
	tr0=$(carp_stat "$MAIN" carp0 transitions)
	# One ad a second for longer than main's master-down interval after
	# main saw the first one, whatever the polling costs.
	n=$(( ($(carp_down_ms 1 "$MAIN_SKEW") + 1000 + CARP_MARGIN_MS) / 1000 + 2 ))
	scapy_send advskew=0 pass="$PASS" count="$n" interval=1
	out=$(wait_counter_ge "$MAIN" carp0 transitions $((tr0 + 1)) \
		"$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "better peer (advskew 0): main steps down to BACKUP"

	check_begin
	out=$(expect_states_for $(($(carp_down_ms 1 "$MAIN_SKEW") + 1000)) \
		"$MAIN" carp0 BACKUP)
	check_err $? "$out"
	out=$(scapy_wait $((n * 1000 + CARP_MARGIN_MS)))
	check_err $? "$out"
	(( $(carp_stat "$MAIN" carp0 ipackets) >= ip0 + n )) ||
		check_fail_msg "ipackets $ip0 -> $(carp_stat "$MAIN" carp0 ipackets), $n sent"
	log_test "better peer advertising: main stays BACKUP past master-down"

	check_begin
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms 1 "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "better peer gone: main MASTER again"
}

test_dropped()
{
	scapy_main_ready
	scapy_dropped "TTL 254" badttl pass="$PASS" ttl=254
	scapy_dropped "version 1" badver pass="$PASS" version=1
	scapy_dropped "bad checksum" badsum pass="$PASS" badsum=1
	scapy_dropped "28 bytes" badlen pass="$PASS" len=28
	scapy_dropped "wrong password" badauth pass="not-$PASS"
	scapy_dropped "scapy's build_hmac_sha1" badauth pass="$PASS" hmac=scapy
}

carp_test_init
[ -x "$PY" ] || carp_skip "$PY not found"
"$PY" -c 'import importlib.util as u, sys
sys.exit(u.find_spec("scapy.contrib.carp") is None)' 2>/dev/null ||
	carp_skip "python3-scapy (scapy.contrib.carp) not installed for $PY"

carp_run_tests

exit "$EXIT_STATUS"
