#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP and the state of the parent link (main alone, vhid 1, advbase 0,
# advskew 100: master-down 1.17 s; nothing here depends on the interval).
#
# Proves: parent set down -> INIT and no advertisement is sent (opackets
# frozen, sampled); parent up -> BACKUP first, MASTER after master-down,
# advertising again; the same for a carrier loss (switch side down); a device
# created on a down parent stays INIT; `ip link add ... type carp` needs a
# vhid and then creates a device of kind "carp" that carpctl lists, INIT
# while down and MASTER once up; `ip link del` removes it; deleting the
# parent removes the carp device.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_parent_cycle test_carrier_cycle test_down_parent
	test_iplink test_parent_deleted"

ADVBASE=0
SKEW=100

# main_add: carp0 on main alone, MASTER. Prints what went wrong.
main_add()
{
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$SKEW" "$VIP/$PLEN" &&
	wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SKEW") + CARP_MARGIN_MS))
}

# main_ready: main's eth0 up, its cable in, carp0 MASTER (what test_setup
# makes and the sub-tests but the last leave).
main_ready()
{
	local out

	carp_state_is "$MAIN" carp0 MASTER && return 0
	cable_plug main
	ip -n "$MAIN" link set eth0 up
	carpctl -n "$MAIN" del carp0 2>/dev/null
	out=$(main_add) || carp_ensure_fail "$out" "main alone: carp0 MASTER"
}

# link_cycle WHAT DOWN_CMD UP_CMD
link_cycle()
{
	local what=$1 down_cmd=$2 up_cmd=$3
	local out ops t0 t1

	main_ready
	check_begin
	$down_cmd
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(link_operstate "$MAIN" carp0)
	[ "$out" != UP ] || check_fail_msg "carp0 operstate $out"
	log_test "$what: carp0 INIT"

	check_begin
	# Longer than several advertisement intervals.
	out=$(expect_counter_for $((3 * $(carp_adv_ms "$ADVBASE" "$SKEW") + 1000)) \
		"$MAIN" carp0 opackets)
	check_err $? "$out"
	out=$(expect_states_for 500 "$MAIN" carp0 INIT)
	check_err $? "$out"
	log_test "$what: no advertisements while INIT"

	check_begin
	ops=$(carp_stat "$MAIN" carp0 opackets)
	t0=$(timestamp_ms)
	$up_cmd
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	t1=$(timestamp_ms)
	((t1 - t0 >= $(carp_down_ms "$ADVBASE" "$SKEW") - 250)) ||
		check_fail_msg "MASTER after $((t1 - t0)) ms, before master-down"
	out=$(wait_counter_ge "$MAIN" carp0 opackets $((ops + 2)) \
		$((2 * $(carp_adv_ms "$ADVBASE" "$SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "$what undone: BACKUP, then MASTER after $((t1 - t0)) ms, advertising"
}

main_eth0_down() { ip -n "$MAIN" link set eth0 down; }
main_eth0_up() { ip -n "$MAIN" link set eth0 up; }
main_cable_pull() { cable_pull main; }
main_cable_plug() { cable_plug main; }

test_down_parent()
{
	local out

	main_ready
	check_begin
	main_eth0_down
	carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$SKEW" 10.0.0.21/24 \
		>"$CARP_TMP/msg" || check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SKEW") + 1000)) "$MAIN" carp1 INIT)
	check_err $? "$out"
	[ "$(carp_stat "$MAIN" carp1 opackets)" = 0 ] ||
		check_fail_msg "carp1 sent $(carp_stat "$MAIN" carp1 opackets) ads"
	log_test "device created on a down parent stays INIT, silent"

	check_begin
	main_eth0_up
	out=$(wait_states $(($(carp_down_ms "$ADVBASE" "$SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$MAIN" carp1 MASTER)
	check_err $? "$out"
	carp_del "$MAIN" carp1
	check_err $? "carpctl del carp1"
	link_exists "$MAIN" carp1 && check_fail_msg "carp1 still exists"
	log_test "parent up: it becomes MASTER; carpctl del removes it"
}

test_iplink()
{
	local out kind

	main_ready
	check_begin
	out=$(ip -n "$MAIN" link add carp2 link eth0 type carp 2>&1)
	[[ $out == *"needs a vhid"* ]] ||
		check_fail_msg "ip link add without a vhid: '$out'"
	link_exists "$MAIN" carp2 && check_fail_msg "carp2 made without a vhid"
	out=$(ip -n "$MAIN" link add carp2 link eth0 type carp vhid 3 2>&1)
	check_err $? "ip link add carp2 link eth0 type carp vhid 3: $out"
	kind=$(ip -n "$MAIN" -d -j link show dev carp2 | python3 -c '
import json, sys
print(json.load(sys.stdin)[0].get("linkinfo", {}).get("info_kind", ""))')
	[ "$kind" = carp ] || check_fail_msg "kind '$kind'"
	[ "$(carp_field "$MAIN" carp2 dev)" = eth0 ] ||
		check_fail_msg "carpctl shows dev '$(carp_field "$MAIN" carp2 dev)'"
	[ "$(carp_field "$MAIN" carp2 vhid)" = 3 ] ||
		check_fail_msg "vhid '$(carp_field "$MAIN" carp2 vhid)'"
	log_test "ip link add type carp: a vhid needed; kind carp, listed by carpctl"

	check_begin
	[ "$(carp_state "$MAIN" carp2)" = INIT ] ||
		check_fail_msg "carp2 is $(carp_state "$MAIN" carp2) while down"
	ip -n "$MAIN" link set carp2 up
	check_err $? "cannot set carp2 up"
	out=$(wait_state "$MAIN" carp2 MASTER \
		$(($(carp_down_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "carp2 INIT while down; up, it becomes MASTER"

	check_begin
	ip -n "$MAIN" link del carp2
	check_err $? "ip link del carp2 failed"
	link_exists "$MAIN" carp2 && check_fail_msg "carp2 still in ip link"
	carpctl -n "$MAIN" -j show carp2 >/dev/null 2>&1 &&
		check_fail_msg "carp2 still listed by carpctl"
	[ "$(carp_state "$MAIN" carp0)" = MASTER ] ||
		check_fail_msg "carp0 is $(carp_state "$MAIN" carp0)"
	log_test "ip link del removes the carp device"
}

_no_carp_devices()
{
	local out

	link_exists "$MAIN" carp0 && return 1
	out=$(carpctl -n "$MAIN" -j show 2>/dev/null) || return 1
	python3 -c 'import json, sys; sys.exit(len(json.load(sys.stdin)) != 0)' <<<"$out"
}

test_parent_deleted()
{
	main_ready
	check_begin
	ip -n "$MAIN" link del eth0
	check_err $? "cannot delete eth0"
	slowwait 5 _no_carp_devices
	check_err $? "carp0 survived its parent: $(ip -n "$MAIN" -br link; carpctl -n "$MAIN" -j show)"
	log_test "parent deleted: carp0 is gone"
}

test_setup()
{
	local out

	check_begin
	out=$(main_add)
	check_err $? "$out"
	log_test "main alone: carp0 MASTER"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_parent_cycle()
{
	link_cycle "parent set down" main_eth0_down main_eth0_up
}

test_carrier_cycle()
{
	link_cycle "carrier lost" main_cable_pull main_cable_plug
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
