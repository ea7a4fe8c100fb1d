#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replay protection: a genuine advertisement, recorded and sent again later,
# must not move a BACKUP or a MASTER (the BSDs leave this open).
#
#   main: carp0 vhid 1, advskew 0, pass secret   (MASTER)
#   spare: carp0 vhid 1, advskew 100, pass secret (BACKUP)
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

PASS=secret
SPARE_SKEW=100

# replay_frames PCAP SRC_IP COUNT: send again, from the client's eth0, the
# last COUNT protocol-112 frames from SRC_IP in PCAP, byte for byte.
REPLAY_PY='
import socket, struct, sys, time

path, src, count = sys.argv[1], socket.inet_aton(sys.argv[2]), int(sys.argv[3])
data = open(path, "rb").read()
e = "<" if struct.unpack("<I", data[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else ">"
frames, off = [], 24
while off + 16 <= len(data):
    incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
    p = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if len(p) >= 34 and p[12:14] == b"\x08\x00" and p[23] == 112 and p[26:30] == src:
        frames.append(p)
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
	ip netns exec "$CLIENT" python3 -c "$REPLAY_PY" "$@"
}

carp_test_init

check_begin
out=$(carp_pair_up 1 0 "$SPARE_SKEW" pass "$PASS")
check_err $? "$out"
log_test "pair up: main MASTER, spare BACKUP"

# Record some of main's advertisements on the client.
check_begin
capture_start ads "$CLIENT" eth0 ip proto 112 || check_fail_msg "no capture"
out=$(capture_wait ads '$1 == "p112" && $5 == main' 3 \
	$((3 * $(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
check_err $? "no advertisements from main: $out"
capture_stop ads
log_test "recorded main's advertisements"

# While main is alive: its old advertisements come back.
check_begin
r0=$(carp_stat "$SPARE" carp0 replay)
replay_frames "${CAP_FILE[ads]}" "$MAIN_IP" 3 || check_fail_msg "replay failed"
out=$(wait_counter_ge "$SPARE" carp0 replay $((r0 + 3)) "$CARP_MARGIN_MS")
check_err $? "$out"
[ "$(carp_state "$SPARE" carp0)" = BACKUP ] ||
	check_fail_msg "spare is $(carp_state "$SPARE" carp0)"
log_test "replayed advertisements are counted as replays"

# Main gone: the spare takes over; main's recorded (better) advertisements
# must not make it step down.
check_begin
cable_pull main
out=$(wait_state "$SPARE" carp0 MASTER \
	$(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)))
check_err $? "$out"
log_test "main's cable pulled: spare MASTER"

check_begin
r0=$(carp_stat "$SPARE" carp0 replay)
t0=$(carp_stat "$SPARE" carp0 transitions)
for _ in 1 2; do
	replay_frames "${CAP_FILE[ads]}" "$MAIN_IP" 3 ||
		check_fail_msg "replay failed"
done
out=$(wait_counter_ge "$SPARE" carp0 replay $((r0 + 6)) "$CARP_MARGIN_MS")
check_err $? "$out"
out=$(expect_states_for $((2 * $(carp_adv_ms 1 "$SPARE_SKEW"))) \
	"$SPARE" carp0 MASTER)
check_err $? "spare stepped down for a replay: $out"
t1=$(carp_stat "$SPARE" carp0 transitions)
[ "$t1" = "$t0" ] || check_fail_msg "spare changed state ($t0 -> $t1 transitions)"
log_test "replays of a better master do not move the new MASTER"

# Control: a new advertisement (new counter, same priority as main's) from
# the client, signed with the right key, is acted on.
check_begin
i0=$(carp_stat "$SPARE" carp0 ipackets)
carp_inject pass="$PASS" advskew=0
out=$(wait_state "$SPARE" carp0 BACKUP "$CARP_MARGIN_MS")
check_err $? "$out"
i1=$(carp_stat "$SPARE" carp0 ipackets)
((i1 > i0)) || check_fail_msg "ipackets did not grow ($i0 -> $i1)"
log_test "a fresh advertisement with a new counter is still accepted"

# A ucarp-like peer: a random counter in each advertisement. Accepted; the
# exact copy of one is not. advskew 200: worse than the spare (which will
# be MASTER again after its master-down), so nothing moves either way.
check_begin
out=$(wait_state "$SPARE" carp0 MASTER \
	$(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)))
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
check_begin
ip -n "$CLIENT" addr add 10.0.0.11/24 dev eth0
out=$(stream_then_old $((0x7000000000)) 1 5 src=10.0.0.11)
check_err $? "$out"
log_test "an old counter replayed from another source address is refused"

# A dual-stack sender counts once per family: heard in one family, its
# counter goes up by two. Its stream must still engage the window.
check_begin
out=$(stream_then_old $((0x7100000000)) 2 10)
check_err $? "$out"
log_test "a stream going up by two (one family of a dual-stack peer) engages the window"

cable_plug main
exit "$EXIT_STATUS"
