#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A flood of hostile advertisements (carp_flood.py, from the client, for
# FLOOD_S seconds, as fast as Python sends): forged ones that would win if
# accepted (advskew 0, wrong key, IPv4, IPv6, with IP options), cut short,
# bad checksum, CARP version 1, TTL 254, unknown vhid, a broken IP header
# checksum, IP first fragments and random bytes.
#
#   main: carp0 vhid 1 advskew 100, MASTER, net.carp.log=2 (log every drop)
#   spare: carp0 vhid 1 advskew 200, BACKUP
#
# Proves: sampled every 100 ms for the whole flood, main stays MASTER and
# the spare BACKUP (so main's advertisements kept coming on time: the
# spare's master-down time is ~3.8 s) and neither changes state; main sent
# about one advertisement a second throughout; no hostile frame was
# accepted (ipackets unchanged); each drop reason is counted in its own
# counter, at least half of what was sent (the wire may lose some under
# load) and never more (nothing counted twice or under another reason);
# the broken IP headers, fragments and random bytes are counted by none of
# carp's drop reasons; unknown vhids in the namespace's badvhid; the kernel
# log holds at most a rate-limited handful of drop lines however many
# frames were dropped. (The harness checks dmesg for splats.)

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_flood"

FLOOD_S=${FLOOD_S:-10}
PASS=flood-secret
# net_ratelimit(): 10 lines per 5 s, plus one "callbacks suppressed" each
LOG_MAX=$(( (FLOOD_S / 5 + 2) * 11 ))

stats_of()
{
	carpctl -n "$1" -j stats "$2"
}

# delta BEFORE_JSON AFTER_JSON KEY
delta()
{
	python3 -c '
import json, sys
a, b = (json.loads(x)[0] for x in sys.argv[1:3])
print(b[sys.argv[3]] - a[sys.argv[3]])' "$1" "$2" "$3"
}

# check_counter KEY CLASS...: the delta of KEY is within [sent/2, sent].
check_counter()
{
	local key=$1; shift
	local n want

	n=$(delta "$m0" "$m1" "$key")
	want=$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(sum(d[c] for c in sys.argv[2:]))' "$sent" "$@")
	((2 * n >= want && n <= want)) ||
		check_fail_msg "$key: $n counted for $want sent ($*)"
}

# pair_ready: what test_setup makes.
pair_ready()
{
	carp_pair_ready 1 100 200 pass "$PASS"
	ip netns exec "$MAIN" sysctl -qw net.carp.log=2
}

test_setup()
{
	local out


	check_begin
	out=$(carp_pair_up 1 100 200 pass "$PASS")
	check_err $? "$out"
	ip netns exec "$MAIN" sysctl -qw net.carp.log=2
	check_err $? "net.carp.log=2"
	log_test "main MASTER (advskew 100), spare BACKUP (advskew 200)"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

# The flood, then what it left in the counters and the log.
test_flood()
{
	local out cll marker pid sent total host a b n key want bv rnd lines

	pair_ready
	check_begin
	cll=$(ip -n "$CLIENT" -6 -o addr show dev eth0 scope link |
		awk '{ sub("/.*", "", $4); print $4; exit }')
	m0=$(stats_of "$MAIN" carp0)
	s0=$(stats_of "$SPARE" carp0)
	v0=$(netns_stat "$MAIN" badvhid)
	marker="carp_flood.sh: flood starts ($$)"
	echo "$marker" >/dev/kmsg
	ip netns exec "$CLIENT" python3 "$lib_dir/carp_flood.py" eth0 "$FLOOD_S" \
		"$VIP" "$CLIENT_IP" "${cll:-fe80::1}" >"$CARP_TMP/sent" \
		2>"$CARP_TMP/flood.err" &
	pid=$!
	CARP_BG_PIDS+=("$pid")
	out=$(expect_states_for $((FLOOD_S * 1000)) "$MAIN" carp0 MASTER \
		"$SPARE" carp0 BACKUP)
	check_err $? "during the flood: $out"
	slowwait 60 test -s "$CARP_TMP/sent"
	wait "$pid"
	check_err $? "carp_flood.py: $(cat "$CARP_TMP/flood.err")"
	sent=$(cat "$CARP_TMP/sent")
	m1=$(stats_of "$MAIN" carp0)
	s1=$(stats_of "$SPARE" carp0)
	v1=$(netns_stat "$MAIN" badvhid)
	echo "# sent: $sent"
	total=$(python3 -c 'import json, sys; print(sum(v for k, v in json.loads(sys.argv[1]).items() if k != "refused"))' "$sent")
	((total >= 500)) || check_fail_msg "only $total frames sent: no flood"
	for host in main spare; do
		[ "$host" = main ] && { a=$m0; b=$m1; } || { a=$s0; b=$s1; }
		n=$(delta "$a" "$b" transitions)
		((n == 0)) || check_fail_msg "$host changed state $n times"
		n=$(delta "$a" "$b" ipackets)
		[ "$host" = spare ] || ((n == 0)) ||
			check_fail_msg "main accepted $n advertisements (none is genuine)"
	done
	n=$(delta "$m0" "$m1" opackets)
	((n >= FLOOD_S - 2)) ||
		check_fail_msg "main sent only $n advertisements in $FLOOD_S s"
	log_test "$total hostile frames in ${FLOOD_S}s: main MASTER, spare BACKUP throughout, nothing accepted"

	check_begin
	check_counter badauth badauth badauth6 ipopts
	check_counter badlen badlen
	check_counter badsum badsum
	check_counter badver badver
	check_counter badttl badttl
	for key in badsrc replay echo; do
		n=$(delta "$m0" "$m1" "$key")
		((n == 0)) || check_fail_msg "$key counted $n"
	done
	n=$((v1 - v0))
	want=$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["badvhid"], d["random"])' "$sent")
	read -r bv rnd <<<"$want"
	((2 * n >= bv && n <= bv + rnd)) ||
		check_fail_msg "netns badvhid: $n counted for $bv sent"
	log_test "each drop reason counted in its own counter; IP header errors, fragments and random bytes in none"

	check_begin
	lines=$(dmesg | awk -v m="$marker" 'index($0, m) { on = 1; next } on' |
		grep -c "vhid 1: advertisement from")
	((lines >= 1)) || check_fail_msg "no drop logged at all (net.carp.log=2)"
	((lines <= LOG_MAX)) ||
		check_fail_msg "$lines drop lines in the log for $total frames (rate limit: at most $LOG_MAX)"
	log_test "the log is rate-limited: $lines drop lines for $total frames"
}

require_cmd python3
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
