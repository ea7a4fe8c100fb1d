#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our own advertisements coming back to us.
#
# Hypervisor vswitches, reflective relay (VEPA, bridge hairpin) and some NIC
# teaming setups hand a host a copy of what it just sent. A CARP MASTER that
# took its own advertisement for another master's (same vhid, same advskew,
# same source MAC) would step down and the pair would flap.
#
#   vhid 1, 10.0.0.1/24: carp0 on main (advskew 50), on spare (advskew
#   100), advbase 0 (nothing here depends on the interval)
#
# Proves:
#  - baseline: without reflection no advertisement from main arrives on
#    main's eth0 (so the capture below can tell), echo counters are 0;
#  - with the switch mirroring every protocol-112 frame main sends back to
#    main (tc mirred on the switch port), and then with the switch port in
#    hairpin mode: the echoes really arrive inbound on main's eth0, main's
#    "echo" counter grows with them, main stays MASTER for many intervals
#    (transitions unchanged), does not count them as received
#    advertisements, keeps advertising, and spare stays BACKUP hearing main;
#  - echoes are still flowing after main changes its advskew (the echoes
#    then carry an advskew equal to its own) and main stays MASTER;
#  - echo detection does not ignore everything from the group: spare's
#    advertisements carry the very same source MAC (the vmac) and vhid, and
#    once spare advertises more often (advskew 50 against main's 100,
#    preempt on spare) main steps down to BACKUP, echoes present.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_baseline test_mirred test_hairpin test_genuine"

VMAC=$(vmac_of 1)
INTERVALS=6
ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100
BAD_COUNTERS="badttl badlen badsum badver badauth"

# inbound advertisements captured on main's eth0 that main itself sent
ECHO_COND='$1 == "p112" && $5 == main && $6 == mcast && $11 == 1 && $3 == v'

# pair_ready: main MASTER at advskew $MAIN_SKEW, the spare BACKUP, no
# reflection, preempt off (what test_setup makes; test_genuine changes it).
pair_ready()
{
	carp_preempt "$SPARE" 0
	if ! _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP ||
	   [ "$(carp_field "$MAIN" carp0 advskew)" != "$MAIN_SKEW" ]; then
		carpctl -n "$MAIN" del carp0 2>/dev/null
		carpctl -n "$SPARE" del carp0 2>/dev/null
	fi
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

test_setup()
{
	carp_pair_setup "pair up: main MASTER (advskew $MAIN_SKEW), spare BACKUP (advskew $SPARE_SKEW)" \
		1 "$MAIN_SKEW" "$SPARE_SKEW"
}

test_baseline()
{
	local n e out

	pair_ready
	check_begin
	capture_start base "$MAIN" eth0 -Q in ip proto 112
	check_err $? "capture"
	# spare hears main: a few advertisements are on the wire
	out=$(wait_counter_ge "$SPARE" carp0 ipackets \
		$(($(carp_stat "$SPARE" carp0 ipackets) + 3)) \
		$((3 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_stop base
	n=$(capture_count base "$ECHO_COND" v="$VMAC")
	((n == 0)) || check_fail_msg "$n of main's own ads arrived inbound without any reflection"
	e=$(carp_stat "$MAIN" carp0 echo)
	[ "$e" = 0 ] || check_fail_msg "main echo=$e without reflection"
	e=$(carp_stat "$SPARE" carp0 echo)
	[ "$e" = 0 ] || check_fail_msg "spare echo=$e"
	log_test "baseline: no echo on the wire, echo counters 0"
}

echo_on()
{
	case $1 in
	mirred)
		tc -n "$SW" qdisc add dev sw_main clsact &&
		tc -n "$SW" filter add dev sw_main ingress protocol ip pref 1 \
			u32 match ip protocol 112 0xff \
			action mirred egress mirror dev sw_main
		;;
	hairpin)
		ip -n "$SW" link set sw_main type bridge_slave hairpin on
		;;
	esac
}

echo_off()
{
	case $1 in
	mirred)	tc -n "$SW" qdisc del dev sw_main clsact ;;
	hairpin) ip -n "$SW" link set sw_main type bridge_slave hairpin off ;;
	esac
}

# test_echo HOW: main's ads reflected back to it by HOW (mirred, hairpin).
test_echo()
{
	local how=$1
	local out n c tm ts im e0 e1 e2 o0 o1 is0 is1 tag=echo_$1
	local -A bad0=()

	pair_ready
	check_begin
	tm=$(carp_stat "$MAIN" carp0 transitions)
	ts=$(carp_stat "$SPARE" carp0 transitions)
	im=$(carp_stat "$MAIN" carp0 ipackets)
	e0=$(carp_stat "$MAIN" carp0 echo)
	o0=$(carp_stat "$MAIN" carp0 opackets)
	is0=$(carp_stat "$SPARE" carp0 ipackets)
	for c in $BAD_COUNTERS; do
		bad0[$c]=$(carp_stat "$MAIN" carp0 "$c")
	done
	capture_start "$tag" "$MAIN" eth0 -Q in ip proto 112
	check_err $? "capture"
	echo_on "$how"
	check_err $? "cannot set up the reflection ($how)"

	# the first echoes arrive within an advertisement interval or two
	out=$(wait_counter_ge "$MAIN" carp0 echo $((e0 + 2)) \
		$((2 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	# and keep coming for many intervals (and a second more, for the
	# stalls of a slow VM); nothing moves meanwhile
	out=$(expect_states_for $((INTERVALS * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	o1=$(carp_stat "$MAIN" carp0 opackets)
	is1=$(carp_stat "$SPARE" carp0 ipackets)
	# every echo counted so far must be in the capture (let tcpdump catch
	# up: a starved VM may run it late); then the counter once it stopped
	e1=$(carp_stat "$MAIN" carp0 echo)
	capture_wait "$tag" "$ECHO_COND" $((e1 - e0)) "$CARP_MARGIN_MS" v="$VMAC"
	check_err $? "echo counter $e0 -> $e1 but only $(capture_count "$tag" "$ECHO_COND" v="$VMAC") echoes captured"
	capture_stop "$tag"
	e2=$(carp_stat "$MAIN" carp0 echo)
	echo_off "$how"

	n=$(capture_count "$tag" "$ECHO_COND" v="$VMAC")
	((n >= INTERVALS)) ||
		check_fail_msg "only $n of main's own ads arrived back inbound on main's eth0"
	log_test "$how: main's own ads arrive back at main ($n captured inbound)"

	check_begin
	((e1 - e0 >= INTERVALS)) ||
		check_fail_msg "echo counter $e0 -> $e1 while $n echoes arrived"
	# the tap sees a frame before the module does: every echo captured
	# is counted by the time the capture has ended
	((n <= e2 - e0)) ||
		check_fail_msg "$n echoes captured, echo counter $e0 -> $e2: some not counted"
	[ "$(carp_stat "$SPARE" carp0 echo)" = 0 ] ||
		check_fail_msg "spare counted echoes"
	log_test "$how: every echo is counted ($((e2 - e0)) for $n captured)"

	check_begin
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tm" ] ||
		check_fail_msg "main changed state (transitions $tm -> $(carp_stat "$MAIN" carp0 transitions))"
	[ "$(carp_stat "$SPARE" carp0 transitions)" = "$ts" ] ||
		check_fail_msg "spare changed state"
	[ "$(carp_stat "$MAIN" carp0 ipackets)" = "$im" ] ||
		check_fail_msg "main counted echoes as received ads (ipackets $im -> $(carp_stat "$MAIN" carp0 ipackets))"
	for c in $BAD_COUNTERS; do
		[ "$(carp_stat "$MAIN" carp0 "$c")" = "${bad0[$c]}" ] ||
			check_fail_msg "main $c ${bad0[$c]} -> $(carp_stat "$MAIN" carp0 "$c")"
	done
	((o1 - o0 >= INTERVALS - 1)) ||
		check_fail_msg "main sent only $((o1 - o0)) ads meanwhile"
	((is1 - is0 >= INTERVALS - 1)) ||
		check_fail_msg "spare heard only $((is1 - is0)) ads from main meanwhile"
	log_test "$how: main stays MASTER, spare BACKUP, no flap, for $INTERVALS intervals"
}

# Echoes present, main at the spare's advskew; then the spare at main's
# former advskew preempts and its genuine ads (same vmac, same vhid) make
# main step down.
test_genuine()
{
	local out tm e0 e1 im

	pair_ready
	check_begin
	echo_on mirred
	check_err $? "cannot set up the reflection"
	tm=$(carp_stat "$MAIN" carp0 transitions)
	carp_set "$MAIN" carp0 advskew "$SPARE_SKEW" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	e0=$(carp_stat "$MAIN" carp0 echo)
	out=$(wait_counter_ge "$MAIN" carp0 echo $((e0 + 3)) \
		$((3 * $(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for $((2 * $(carp_adv_ms "$ADVBASE" "$SPARE_SKEW"))) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tm" ] ||
		check_fail_msg "main changed state"
	log_test "echoes of an equal advskew ($SPARE_SKEW) do not make main step down"

	check_begin
	im=$(carp_stat "$MAIN" carp0 ipackets)
	carp_preempt "$SPARE" 1
	carp_set "$SPARE" carp0 advskew "$MAIN_SKEW" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	# spare preempts on main's next ad; main steps down on spare's first
	out=$(wait_states $(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$SPARE" carp0 MASTER "$MAIN" carp0 BACKUP)
	check_err $? "$out"
	e1=$(carp_stat "$MAIN" carp0 echo)
	((e1 > e0)) || check_fail_msg "no echo counted before the step-down"
	(($(carp_stat "$MAIN" carp0 ipackets) > im)) ||
		check_fail_msg "main did not count spare's ads"
	out=$(expect_states_for $((2 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW"))) \
		"$SPARE" carp0 MASTER "$MAIN" carp0 BACKUP)
	check_err $? "$out"
	echo_off mirred
	carp_preempt "$SPARE" 0
	log_test "a genuine better ad from spare still makes main step down"
}

test_mirred()
{
	test_echo mirred
}

test_hairpin()
{
	test_echo hairpin
}

require_cmd tcpdump tc
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
