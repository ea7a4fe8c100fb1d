#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replay protection: a genuine advertisement, recorded and sent again later,
# must not move a BACKUP or a MASTER (the BSDs leave this open).
#
#   main: carp0 vhid 1, advbase 0, advskew 50, pass secret   (MASTER)
#   spare: carp0 vhid 1, advbase 0, advskew 100, pass secret (BACKUP)
#
# (advbase 0: what is proven does not depend on the interval, and
# sub-second intervals make the test fast.)
#
# Proves: main's advertisements, captured on the client and replayed byte
# for byte (same frame, same counter, valid HMAC), are counted as replays by
# the spare and not as input; once main is gone and the spare is MASTER,
# replaying main's better advertisements again and again does not make it
# step down (without the check it would at the first one), while a fresh
# advertisement as good as main's, with a new counter, still does (the
# check does not simply ignore that sender). A peer with a random counter
# in every advertisement (as ucarp sends them) is accepted, and only an
# exact copy of one of its recent advertisements is refused. The window
# holds whatever address a replay comes from (that is not authenticated),
# and for a stream going up by two, as one family of a dual-stack peer.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_record test_replay_backup test_takeover
	test_replay_master test_fresh test_random_counters test_other_source
	test_step_two"

PASS=secret
ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100

# replay_frames PCAP SRC_IP COUNT: send again, from the client's eth0, the
# last COUNT protocol-112 frames from SRC_IP in PCAP, byte for byte.
REPLAY_PY='
src, count = socket.inet_aton(sys.argv[2]), int(sys.argv[3])
frames = [p for _, p in frames(sys.argv[1])
          if len(p) >= 34 and p[12:14] == b"\x08\x00" and p[23] == 112 and
          p[26:30] == src]
if len(frames) < count:
    sys.exit("only %d frames from %s" % (len(frames), sys.argv[2]))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
for p in frames[-count:]:
    s.send(p)
    time.sleep(0.3)
'

replay_frames()
{
	ip netns exec "$CLIENT" python3 -c "import time$CARP_PCAP_PY$REPLAY_PY" "$@"
}

# replay_twice: the last three recorded advertisements of main, twice.
replay_twice()
{
	replay_frames "${CAP_FILE[ads]}" "$MAIN_IP" 3 &&
		replay_frames "${CAP_FILE[ads]}" "$MAIN_IP" 3
}

# pair_ready: main MASTER, the spare BACKUP (what test_setup makes).
pair_ready()
{
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW" pass "$PASS"
}

# record: capture some of main's advertisements on the client (into
# ${CAP_FILE[ads]}; so not in a subshell). Prints what went wrong.
record()
{
	capture_start ads "$CLIENT" eth0 ip proto 112 || return 1
	capture_wait ads '$1 == "p112" && $5 == main' 3 \
		$((3 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)) ||
		echo "no advertisements from main"
	capture_stop ads
	_capture_count_ge ads '$1 == "p112" && $5 == main' 3
}

# record_ready: main's advertisements recorded (what test_record makes).
record_ready()
{
	local out

	[ -n "${CAP_FILE[ads]}" ] && return 0
	pair_ready
	record >"$CARP_TMP/msg" ||
		carp_ensure_fail "$(cat "$CARP_TMP/msg")" "recorded main's advertisements"
}

# main_pulled: main's advertisements recorded, then main's cable pulled
# (what test_takeover leaves; the spare is MASTER, or becomes it again).
main_pulled()
{
	local out

	record_ready
	[ "$(link_operstate "$SW" sw_main)" != UP ] && return 0
	out=$(carp_pull_main "$SPARE_SKEW") ||
		carp_ensure_fail "$out" "main's cable pulled: spare MASTER"
}

test_setup()
{
	carp_pair_setup "pair up: main MASTER, spare BACKUP" \
		1 "$MAIN_SKEW" "$SPARE_SKEW" pass "$PASS"
}

test_record()
{
	pair_ready
	check_begin
	record >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	log_test "recorded main's advertisements"
}

# While main is alive: its old advertisements come back.
test_replay_backup()
{
	local out r0

	record_ready
	pair_ready
	check_begin
	r0=$(carp_stat "$SPARE" carp0 replay)
	replay_frames "${CAP_FILE[ads]}" "$MAIN_IP" 3 || check_fail_msg "replay failed"
	out=$(wait_counter_ge "$SPARE" carp0 replay $((r0 + 3)) "$CARP_MARGIN_MS")
	check_err $? "$out"
	[ "$(carp_state "$SPARE" carp0)" = BACKUP ] ||
		check_fail_msg "spare is $(carp_state "$SPARE" carp0)"
	log_test "replayed advertisements are counted as replays"
}

# Main gone: the spare takes over; main's recorded (better) advertisements
# must not make it step down.
test_takeover()
{
	local out

	record_ready
	pair_ready
	check_begin
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	log_test "main's cable pulled: spare MASTER"
}

test_replay_master()
{
	main_pulled
	check_begin
	carp_ignored_check "$SPARE" replay 6 \
		$((2 * $(carp_adv_ms "$ADVBASE" "$SPARE_SKEW"))) replay_twice
	log_test "replays of a better master do not move the new MASTER"
}

# Control: a new advertisement (new counter, same interval as main's) from
# the client, signed with the right key, is acted on.
test_fresh()
{
	local out i0 i1

	main_pulled
	check_begin
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	i0=$(carp_stat "$SPARE" carp0 ipackets)
	carp_inject pass="$PASS" advbase="$ADVBASE" advskew="$MAIN_SKEW"
	out=$(wait_state "$SPARE" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	i1=$(carp_stat "$SPARE" carp0 ipackets)
	((i1 > i0)) || check_fail_msg "ipackets did not grow ($i0 -> $i1)"
	log_test "a fresh advertisement with a new counter is still accepted"
}

# A ucarp-like peer: a random counter in each advertisement. Accepted; the
# exact copy of one is not. advbase 1 advskew 200: worse than the spare
# (which will be MASTER again after its master-down), so nothing moves
# either way.
test_random_counters()
{
	local out i0 i1 r0 c

	main_pulled
	check_begin
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	i0=$(carp_stat "$SPARE" carp0 ipackets)
	r0=$(carp_stat "$SPARE" carp0 replay)
	for c in 1311768467463790320 42 9876543210123 7; do
		carp_inject pass="$PASS" advskew=200 counter="$c"
	done
	out=$(wait_counter_ge "$SPARE" carp0 ipackets $((i0 + 4)) "$CARP_MARGIN_MS")
	check_err $? "random counters: $out"
	carp_inject pass="$PASS" advskew=200 counter=42
	out=$(wait_counter_ge "$SPARE" carp0 replay $((r0 + 1)) "$CARP_MARGIN_MS")
	check_err $? "copy of a random counter: $out"
	i1=$(carp_stat "$SPARE" carp0 ipackets)
	((i1 == i0 + 4)) || check_fail_msg "ipackets $i0 -> $i1, expected +4"
	log_test "random counters (ucarp) accepted, an exact copy refused"
}
# stream_then_old BASE STEP OLD [carp_inject words...]: the client sends a
# stream of 70 authentic advertisements (advskew 200: nothing moves) from
# counter BASE up by STEP, long enough to push the early counters out of
# the recent list, then one with counter BASE + OLD (and the words given):
# all 70 accepted, the old one counted as a replay. Prints what went wrong.
stream_then_old()
{
	local base=$1 step=$2 old=$3; shift 3
	local i0 r0 i1

	i0=$(carp_stat "$SPARE" carp0 ipackets)
	r0=$(carp_stat "$SPARE" carp0 replay)
	carp_inject pass="$PASS" advskew=200 counter="$base" step="$step" \
		count=70 interval=0.02
	wait_counter_ge "$SPARE" carp0 ipackets $((i0 + 70)) "$CARP_MARGIN_MS" ||
		return 1
	carp_inject pass="$PASS" advskew=200 counter=$((base + old)) "$@"
	wait_counter_ge "$SPARE" carp0 replay $((r0 + 1)) "$CARP_MARGIN_MS" ||
		{ echo "the old counter: not a replay"; return 1; }
	i1=$(carp_stat "$SPARE" carp0 ipackets)
	((i1 == i0 + 70)) || echo "ipackets $i0 -> $i1, expected +70"
	((i1 == i0 + 70))
}

# The source address is not in the HMAC: a replay from another address is
# still a replay: the early counter comes again from a second address of
# the client's own.
test_other_source()
{
	local out

	main_pulled
	check_begin
	ip -n "$CLIENT" addr add 10.0.0.11/24 dev eth0
	out=$(stream_then_old $((0x7000000000)) 1 5 src=10.0.0.11)
	check_err $? "$out"
	log_test "an old counter replayed from another source address is refused"
}

# A dual-stack sender counts once per family: heard in one family, its
# counter goes up by two. Its stream must still engage the window.
test_step_two()
{
	local out

	main_pulled
	check_begin
	out=$(stream_then_old $((0x7100000000)) 2 10)
	check_err $? "$out"
	log_test "a stream going up by two (one family of a dual-stack peer) engages the window"
}

carp_test_init

carp_run_tests

cable_plug main
exit "$EXIT_STATUS"
