#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The per-netns sysctls under net.carp besides preempt: allow, log,
# demotion; and the demote byte of received advertisements.
#
#   main: carp0 vhid 1, advbase 0, advskew 150 (MASTER)
#   spare: carp0 vhid 1, advbase 0, advskew 200 (BACKUP)
#
# (advbase 0: nothing here depends on the interval, and sub-second
# intervals make the test fast.)
#
# Proves:
# - allow=0 on the MASTER: it bows out (the spare is MASTER well before its
#   master-down time), stays INIT with reason "disabled by net.carp.allow",
#   sends nothing and takes no advertisement as input; allow=1: it joins
#   again as BACKUP (preempt off: the spare stays MASTER). The sysctl is per
#   netns: the spare's is still 1.
# - demotion: net.carp.demotion=50 on the MASTER puts advskew 150+50 on the
#   wire and demote 50 in `carpctl show`; the spare (preempt=1, advskew
#   100) takes over although 50 < 100 by skew: the demote byte ranks first;
#   values outside 0..255 are refused.
# - received demote byte: an advertisement as frequent as the MASTER's but
#   with demote 1 does not make it step down; the same with demote 0 does.
# - log: 0 silences the transition log lines, 1 (default) logs them with
#   their reason, 2 also logs a dropped advertisement (bad TTL) with the
#   sender; at 1 that drop is not logged, but an authentication failure
#   is, naming the vhid, the sender and the likely cause.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_allow test_demotion test_rx_demote test_log
	test_log_drop test_log_auth"

ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200

# pair_ready: main MASTER, spare BACKUP, preempt off, the sysctls at their
# defaults (what test_setup makes and each sub-test leaves).
pair_ready()
{
	carp_preempt "$MAIN" 0
	carp_preempt "$SPARE" 0
	sysctl_set "$MAIN" allow 1
	sysctl_set "$MAIN" demotion 0
	sysctl_set "$MAIN" log 1
	sysctl_set "$SPARE" log 1
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# main_master_again: main MASTER and the spare BACKUP for what follows
# (preempt on main for that, then off again).
main_master_again()
{
	local out

	check_begin
	carp_preempt "$MAIN" 1
	out=$(wait_states $(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	carp_preempt "$MAIN" 0
	log_test "main MASTER again (preempt)"
}

sysctl_set()
{
	ip netns exec "$1" sysctl -qw "net.carp.$2=$3"
}

sysctl_get()
{
	ip netns exec "$1" sysctl -n "net.carp.$2"
}

# Kernel log lines since a mark (all netns share the kernel log).
log_mark()
{
	dmesg | wc -l
}

log_since()
{
	dmesg | tail -n +"$(($1 + 1))"
}

_log_has()
{
	log_since "$1" | grep -q -- "$2"
}

test_setup()
{
	local out

	check_begin
	out=$(carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	[ "$(sysctl_get "$MAIN" allow)" = 1 ] && [ "$(sysctl_get "$MAIN" log)" = 1 ] &&
		[ "$(sysctl_get "$MAIN" demotion)" = 0 ] ||
		check_fail_msg "defaults: allow $(sysctl_get "$MAIN" allow) log $(sysctl_get "$MAIN" log) demotion $(sysctl_get "$MAIN" demotion)"
	log_test "pair up; defaults allow=1 log=1 demotion=0"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_allow()
{
	local out v t0 t1 o0 o1 i0 i1

	pair_ready
	check_begin
	t0=$(timestamp_ms)
	sysctl_set "$MAIN" allow 0 || check_fail_msg "cannot set allow"
	out=$(wait_state "$SPARE" carp0 MASTER $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	t1=$(timestamp_ms)
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	v=$(carp_field "$MAIN" carp0 last_reason)
	[ "$v" = "disabled by net.carp.allow" ] || check_fail_msg "main's reason: '$v'"
	[ "$(sysctl_get "$SPARE" allow)" = 1 ] || check_fail_msg "spare's allow changed too"
	log_test "allow=0: the MASTER bows out and stays INIT ($((t1 - t0)) ms to hand over)"

	check_begin
	o0=$(carp_stat "$MAIN" carp0 opackets)
	i0=$(carp_stat "$MAIN" carp0 ipackets)
	out=$(expect_states_for $((2 * $(carp_adv_ms "$ADVBASE" "$SPARE_SKEW"))) \
		"$MAIN" carp0 INIT "$SPARE" carp0 MASTER)
	check_err $? "$out"
	o1=$(carp_stat "$MAIN" carp0 opackets)
	i1=$(carp_stat "$MAIN" carp0 ipackets)
	[ "$o1" = "$o0" ] || check_fail_msg "main sent while disabled ($o0 -> $o1)"
	[ "$i1" = "$i0" ] || check_fail_msg "main took input while disabled ($i0 -> $i1)"
	log_test "allow=0: nothing sent, nothing taken in"

	check_begin
	sysctl_set "$MAIN" allow 1
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + 1000)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "allow=1: back as BACKUP, the spare stays MASTER (preempt off)"

	main_master_again
}

test_demotion()
{
	local out v n

	pair_ready
	check_begin
	carp_preempt "$SPARE" 1
	capture_start dem "$CLIENT" eth0 ip proto 112 || check_fail_msg "no capture"
	sysctl_set "$MAIN" demotion 50 || check_fail_msg "cannot set demotion"
	[ "$(sysctl_get "$MAIN" demotion)" = 50 ] || check_fail_msg "demotion reads $(sysctl_get "$MAIN" demotion)"
	v=$(carp_field "$MAIN" carp0 demote)
	[ "$v" = 50 ] || check_fail_msg "main's advertised demote is '$v'"
	out=$(wait_states $(($(carp_adv_ms "$ADVBASE" $((MAIN_SKEW + 50))) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "the demoted master kept its role: $out"
	capture_stop dem
	n=$(capture_count dem '$1 == "p112" && $5 == main && $12 == k' k=$((MAIN_SKEW + 50)))
	((n >= 1)) || check_fail_msg "no advertisement from main with advskew $MAIN_SKEW+50: $(capture_show dem | tail -n 3)"
	log_test "demotion=50: advskew $MAIN_SKEW+50 on the wire, the spare (preempt) takes over"

	check_begin
	sysctl_set "$MAIN" demotion 0
	carp_preempt "$SPARE" 0
	if sysctl_set "$MAIN" demotion 256 2>/dev/null; then
		check_fail_msg "demotion 256 accepted"
	fi
	if sysctl_set "$MAIN" demotion -1 2>/dev/null; then
		check_fail_msg "demotion -1 accepted"
	fi
	[ "$(sysctl_get "$MAIN" demotion)" = 0 ] || check_fail_msg "demotion is $(sysctl_get "$MAIN" demotion)"
	[ "$(carp_field "$MAIN" carp0 demote)" = 0 ] || check_fail_msg "demote is $(carp_field "$MAIN" carp0 demote)"
	log_test "demotion back to 0; out-of-range values refused"

	main_master_again
}

test_rx_demote()
{
	local out

	pair_ready
	check_begin
	carp_inject advbase="$ADVBASE" advskew="$MAIN_SKEW" demote=1 count=3
	# a second: several of main's intervals
	out=$(expect_states_for 1000 "$MAIN" carp0 MASTER)
	check_err $? "stepped down for a demoted sender: $out"
	carp_inject advbase="$ADVBASE" advskew="$MAIN_SKEW" demote=0
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "control (demote 0) did not make it step down: $out"
	log_test "received demote byte: a demoted equal sender does not win, a clean one does"

	# Back to main MASTER (the client's sender went silent: main times out).
	check_begin
	out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "main MASTER again"
}

test_log()
{
	local out m

	pair_ready
	# Both hosts' devices are named carp0: silence both for the log=0 check.
	check_begin
	carp_preempt "$MAIN" 1
	sysctl_set "$MAIN" log 0
	sysctl_set "$SPARE" log 0
	m=$(log_mark)
	out=$(carp_set "$MAIN" carp0 state backup) || check_fail_msg "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	if log_since "$m" | grep -q "carp0: vhid 1: "; then
		check_fail_msg "log=0 but: $(log_since "$m" | grep "carp0: vhid 1: " | head -n 2)"
	fi
	sysctl_set "$MAIN" log 1
	sysctl_set "$SPARE" log 1
	m=$(log_mark)
	out=$(carp_set "$MAIN" carp0 state backup) || check_fail_msg "$out"
	out=$(loopy_wait "sleep 0.2" "$CARP_MARGIN_MS" _log_has "$m" "vhid 1: MASTER -> BACKUP (forced by admin)")
	check_err $? "log=1: no transition line: $(log_since "$m" | tail -n 3)"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	carp_preempt "$MAIN" 0
	log_test "log=0 is silent; log=1 logs transitions with their reason"
}

test_log_drop()
{
	local out m

	pair_ready
	check_begin
	m=$(log_mark)
	carp_inject ttl=64 count=2
	out=$(wait_counter_ge "$MAIN" carp0 badttl 2 "$CARP_MARGIN_MS")
	check_err $? "$out"
	if log_since "$m" | grep -q "from $CLIENT_IP dropped"; then
		check_fail_msg "log=1 logged a bad-TTL drop"
	fi
	sysctl_set "$MAIN" log 2
	m=$(log_mark)
	carp_inject ttl=64
	out=$(loopy_wait "sleep 0.2" "$CARP_MARGIN_MS" _log_has "$m" "from $CLIENT_IP dropped: TTL is not 255")
	check_err $? "log=2: no line for the drop: $(log_since "$m" | tail -n 3)"
	sysctl_set "$MAIN" log 1
	log_test "log=2 also logs dropped advertisements, with the sender"
}

test_log_auth()
{
	local out m

	pair_ready
	# A peer with another key or address list is named, at the default level.
	check_begin
	m=$(log_mark)
	carp_inject pass=wrong
	out=$(loopy_wait "sleep 0.2" "$CARP_MARGIN_MS" _log_has "$m" \
		"vhid 1: advertisement from $CLIENT_IP fails authentication (different password or virtual address list)")
	check_err $? "no authentication failure line: $(log_since "$m" | tail -n 3)"
	log_test "log=1: an authentication failure names the vhid, the sender and the likely cause"
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
