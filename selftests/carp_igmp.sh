#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Multicast membership of 224.0.0.18 through an IGMP-snooping switch.
#
# The switch's bridge runs with multicast snooping and as the IGMP querier
# (short query intervals). A Linux bridge floods the link-local groups
# 224.0.0.x whatever the snooping says, so the election working through it
# proves little on its own; what a snooping switch or a NIC multicast filter
# relies on is the host's real membership, checked here directly.
#
#   vhid 1, 10.0.0.1/24: carp0 on main (advskew 150), on spare (advskew
#   200), advbase 0 (nothing here depends on the interval)
#
# Proves:
#  - before any carp device, main's eth0 is not a member of 224.0.0.18
#    (ip maddr) and no host reports it to the querier;
#  - once carp0 exists, main's and spare's eth0 are members (ip maddr) and
#    both hosts send IGMP membership reports for 224.0.0.18 (seen on their
#    switch ports), again in answer to a query of the switch;
#  - through the snooping switch the pair elects exactly one MASTER, keeps
#    it, fails over to spare when main's cable is pulled and, plugged back,
#    main returns as BACKUP;
#  - membership is held per parent as long as any carp device uses it: a
#    second device (vhid 2) on main's eth0 keeps it when carp0 is deleted;
#    deleting the last one drops the membership (ip maddr) and main tells
#    the querier it left (IGMP leave / change-to-include for 224.0.0.18);
#  - a parent whose MTU drops below what IPv4 and IPv6 need (60 < 68,
#    1280), which destroys its in_dev and inet6_dev with every membership,
#    and comes back to 1500 is a member of 224.0.0.18 and ff02::12 again
#    (ip maddr, /proc/net/igmp, /proc/net/igmp6: a dummy parent on main;
#    a veth cannot go below 68), and leaves them when its carp device goes.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_switch test_join test_failover test_leave test_mtu_rejoin"

VIP2=10.0.0.20
ADVBASE=0
# main is BACKUP under the spare at times: its master-down (3 x 150/256 s,
# 1.76 s) outlasts the spare's interval (200/256 s) by almost a second, for
# the stalls of a loaded VM (at 50/100 the slack was 195 ms).
MAIN_SKEW=150
SPARE_SKEW=200
CARP_MCAST6=ff02::12
QUERY_CS=300		# mcast_query_interval (1/100 s)
RESP_CS=100		# mcast_query_response_interval (1/100 s)
QUERY_MS=$((QUERY_CS * 10))
RESP_MS=$((RESP_CS * 10))

# reports of 224.0.0.18 from HOST (awk variable h) after time t
REPORT_COND='$1 == "igmp" && $5 == h && $7 == "report" && $8 == mcast && $2 > t'
LEAVE_COND='$1 == "igmp" && $5 == h && $7 == "leave" && $8 == mcast && $2 > t'
QUERY_COND='$1 == "igmp" && $7 == "query" && $2 > t'
# reports of 224.0.0.18 from HOST up to time t
EARLY_COND='$1 == "igmp" && $5 == h && $7 == "report" && $8 == mcast && $2 <= t'

# has_maddr NS DEV GROUP (IPv4 or IPv6)
has_maddr()
{
	ip -n "$1" maddr show dev "$2" | awk -v g="$3" '($1 == "inet" || $1 == "inet6") && $2 == g { f = 1 } END { exit !f }'
}

# has_procgroups NS DEV: /proc/net/igmp lists 224.0.0.18 (120000E0) on DEV
# and, with IPv6, /proc/net/igmp6 lists ff02::12.
has_procgroups()
{
	ip netns exec "$1" awk -v d="$2" '
		/^[0-9]/ { dev = $2 }
		dev == d && $1 == "120000E0" { f = 1 }
		END { exit !f }' /proc/net/igmp || return 1
	[ -r /proc/net/igmp6 ] || return 0
	ip netns exec "$1" awk -v d="$2" '
		$2 == d && $3 == "ff020000000000000000000000000012" { f = 1 }
		END { exit !f }' /proc/net/igmp6
}

# has_groups NS DEV: member of 224.0.0.18, and of ff02::12 with IPv6.
has_groups()
{
	has_maddr "$1" "$2" "$CARP_MCAST" || return 1
	[ -d /proc/sys/net/ipv6 ] || return 0
	has_maddr "$1" "$2" "$CARP_MCAST6"
}

now_s()
{
	date +%s.%N
}

# switch_on: the captures on the switch's ports, snooping and the querier
# on (not in a subshell: the captures' bookkeeping). Prints what went
# wrong.
switch_on()
{
	local ns

	for ns in "$MAIN" "$SPARE"; do
		ip netns exec "$ns" sysctl -qw \
			net.ipv4.igmp_link_local_mcast_reports=1 ||
			{ echo "cannot enable link-local IGMP reports"; return 1; }
	done
	capture_start sw_main "$SW" sw_main igmp ||
		{ echo "capture on sw_main"; return 1; }
	capture_start sw_spare "$SW" sw_spare igmp ||
		{ echo "capture on sw_spare"; return 1; }
	# The intervals first, in a command of their own: the bridge applies
	# a changelink's attributes in its own order, the querier before the
	# intervals, and the querier's first query is due at once; when that
	# timer fires before the intervals are set (a loaded VM), the next
	# query comes at the default startup interval, 31 s later.
	ip -n "$SW" link set br0 type bridge \
		mcast_query_interval "$QUERY_CS" \
		mcast_query_response_interval "$RESP_CS" \
		mcast_startup_query_interval "$QUERY_CS" ||
		{ echo "cannot set the querier's intervals"; return 1; }
	ip -n "$SW" link set br0 type bridge mcast_snooping 1 mcast_querier 1 ||
		{ echo "cannot turn on snooping and the querier"; return 1; }
}

# switch_ready: what test_switch makes.
switch_ready()
{
	[ -n "${CAP_PID[sw_main]}" ] && return 0
	switch_on >"$CARP_TMP/msg" 2>&1 ||
		carp_ensure_fail "$(cat "$CARP_TMP/msg")" "switch: IGMP snooping on"
}

# pair_ready: switch_ready, main MASTER, spare BACKUP (what test_join makes).
pair_ready()
{
	switch_ready
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

test_switch()
{
	local out

	check_begin
	switch_on >"$CARP_TMP/msg" 2>&1
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(ip -n "$SW" -d link show br0)
	grep -q 'mcast_snooping 1' <<<"$out" || check_fail_msg "snooping is off"
	grep -q 'mcast_querier 1' <<<"$out" || check_fail_msg "querier is off"
	# the querier speaks on every port at once, then every QUERY_MS
	capture_wait sw_main "$QUERY_COND" 1 $((QUERY_MS + CARP_MARGIN_MS)) t=0
	check_err $? "no IGMP query from the switch on sw_main"
	capture_wait sw_spare "$QUERY_COND" 1 $((QUERY_MS + CARP_MARGIN_MS)) t=0
	check_err $? "no IGMP query from the switch on sw_spare"
	log_test "switch: IGMP snooping on, querier sends queries"

	check_begin
	has_maddr "$MAIN" eth0 "$CARP_MCAST" &&
		check_fail_msg "main eth0 is in $CARP_MCAST before any carp device"
	has_maddr "$SPARE" eth0 "$CARP_MCAST" &&
		check_fail_msg "spare eth0 is in $CARP_MCAST before any carp device"
	log_test "no membership of $CARP_MCAST without a carp device"
}

test_join()
{
	local out t0 t1 n

	switch_ready
	check_begin
	t0=$(now_s)
	out=$(carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	log_test "pair up through the snooping switch"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

	check_begin
	n=$(capture_count sw_main "$EARLY_COND" h="$MAIN_IP" t="$t0")
	((n == 0)) || check_fail_msg "main reported $CARP_MCAST before carp0 existed"
	has_maddr "$MAIN" eth0 "$CARP_MCAST"
	check_err $? "main eth0 is not a member of $CARP_MCAST: $(ip -n "$MAIN" maddr show dev eth0 | tr '\n' ' ')"
	has_maddr "$SPARE" eth0 "$CARP_MCAST"
	check_err $? "spare eth0 is not a member of $CARP_MCAST"
	log_test "carp0 makes eth0 a member of $CARP_MCAST (ip maddr)"

	check_begin
	# at join (unsolicited) or at the latest in answer to the next query
	capture_wait sw_main "$REPORT_COND" 1 \
		$((QUERY_MS + RESP_MS + CARP_MARGIN_MS)) h="$MAIN_IP" t="$t0"
	check_err $? "no IGMP report for $CARP_MCAST from main: $(capture_show sw_main | tail -n 5 | tr '\n' ';')"
	capture_wait sw_spare "$REPORT_COND" 1 \
		$((QUERY_MS + RESP_MS + CARP_MARGIN_MS)) h="$SPARE_IP" t="$t0"
	check_err $? "no IGMP report for $CARP_MCAST from spare: $(capture_show sw_spare | tail -n 5 | tr '\n' ';')"
	log_test "main and spare report $CARP_MCAST to the switch"

	check_begin
	# a query after now, then a report answering it
	t1=$(now_s)
	# (two intervals: a slow VM may have just missed one)
	capture_wait sw_main "$QUERY_COND" 1 $((2 * QUERY_MS + CARP_MARGIN_MS)) \
		t="$t1"
	check_err $? "no new query on sw_main: $(capture_show sw_main | tail -n 5 | tr '\n' ';')"
	t1=$(capture_show sw_main | awk -v t="$t1" "$QUERY_COND { print \$2; exit }")
	capture_wait sw_main "$REPORT_COND" 1 $((RESP_MS + CARP_MARGIN_MS)) \
		h="$MAIN_IP" t="$t1"
	check_err $? "main did not answer the query at $t1 with a report for $CARP_MCAST"
	capture_wait sw_spare "$REPORT_COND" 1 $((QUERY_MS + RESP_MS + CARP_MARGIN_MS)) \
		h="$SPARE_IP" t="$t1"
	check_err $? "spare did not report $CARP_MCAST after the query at $t1"
	log_test "main and spare answer a query with a report for $CARP_MCAST"
}

test_failover()
{
	local out

	pair_ready
	check_begin
	out=$(expect_states_for $((2 * $(carp_adv_ms "$ADVBASE" "$SPARE_SKEW"))) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP"
	log_test "exactly one MASTER through the snooping switch"

	check_begin
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	carp_state_is "$MAIN" carp0 MASTER && check_fail_msg "main still MASTER"
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP after failover"
	log_test "cable pull on main: spare takes over"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $((2 * $(carp_down_ms "$ADVBASE" "$MAIN_SKEW"))) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "cable plugged: main BACKUP, spare stays the one MASTER"
}

test_leave()
{
	local out t0

	switch_ready
	link_exists "$MAIN" carp0 && link_exists "$SPARE" carp0 || pair_ready
	check_begin
	carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" \
		"$VIP2/$PLEN" >"$CARP_TMP/msg" || check_fail_msg "$(cat "$CARP_TMP/msg")"
	carp_del "$MAIN" carp0
	check_err $? "cannot delete carp0"
	has_maddr "$MAIN" eth0 "$CARP_MCAST"
	check_err $? "main eth0 left $CARP_MCAST while carp1 still uses it"
	log_test "membership kept while another carp device uses the parent"

	check_begin
	t0=$(now_s)
	carp_del "$MAIN" carp1
	check_err $? "cannot delete carp1"
	has_maddr "$MAIN" eth0 "$CARP_MCAST" &&
		check_fail_msg "main eth0 still a member of $CARP_MCAST after its last carp device"
	capture_wait sw_main "$LEAVE_COND" 1 $((RESP_MS + CARP_MARGIN_MS)) \
		h="$MAIN_IP" t="$t0"
	check_err $? "no IGMP leave for $CARP_MCAST from main: $(capture_show sw_main | tail -n 5 | tr '\n' ';')"
	has_maddr "$SPARE" eth0 "$CARP_MCAST"
	check_err $? "spare eth0 left $CARP_MCAST"
	log_test "last carp device deleted: membership dropped, leave sent"
}

test_mtu_rejoin()
{
	local out

	check_begin
	ip -n "$MAIN" link add dummy0 type dummy &&
		ip -n "$MAIN" link set dummy0 up &&
		ip -n "$MAIN" addr add 10.9.0.2/24 dev dummy0
	check_err $? "cannot set up dummy0 on main"
	out=$(carp_add "$MAIN" carp2 dev dummy0 vhid 3 advbase 1 10.9.0.1/24)
	check_err $? "$out"
	has_groups "$MAIN" dummy0
	check_err $? "dummy0 is not a member of $CARP_MCAST and $CARP_MCAST6: $(ip -n "$MAIN" maddr show dev dummy0 | tr '\n' ' ')"
	log_test "carp2 makes dummy0 a member of $CARP_MCAST and $CARP_MCAST6"

	check_begin
	ip -n "$MAIN" link set dummy0 mtu 60
	check_err $? "cannot set dummy0's MTU to 60"
	has_maddr "$MAIN" dummy0 "$CARP_MCAST" &&
		check_fail_msg "dummy0 kept $CARP_MCAST with MTU 60 (IPv4 should be off)"
	ip -n "$MAIN" link set dummy0 mtu 1500
	check_err $? "cannot set dummy0's MTU back to 1500"
	# the notifiers run in the MTU change itself: no wait needed, but a
	# slow VM gets a bounded poll
	slowwait 5 has_groups "$MAIN" dummy0
	check_err $? "dummy0 is not a member again after MTU 60 -> 1500: $(ip -n "$MAIN" maddr show dev dummy0 | tr '\n' ' ')"
	has_procgroups "$MAIN" dummy0
	check_err $? "/proc/net/igmp or igmp6 lacks the group on dummy0"
	link_exists "$MAIN" carp2 || check_fail_msg "carp2 is gone"
	log_test "parent MTU 60 -> 1500: member of $CARP_MCAST and $CARP_MCAST6 again"

	check_begin
	carp_del "$MAIN" carp2
	check_err $? "cannot delete carp2"
	has_maddr "$MAIN" dummy0 "$CARP_MCAST" &&
		check_fail_msg "dummy0 still in $CARP_MCAST after carp2 was deleted"
	has_maddr "$MAIN" dummy0 "$CARP_MCAST6" &&
		check_fail_msg "dummy0 still in $CARP_MCAST6 after carp2 was deleted"
	log_test "carp2 deleted: dummy0 leaves the groups it joined again"
}

require_cmd tcpdump
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
