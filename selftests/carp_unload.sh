#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading carp.ko while it is busy, CARP_UNLOAD_ROUNDS (default 20;
# `make check` too) times in a row.
#
# Each round: carp0 (vhid 1) on main (MASTER) and spare (BACKUP), a second
# device on main (MASTER), net.carp.preempt set, the client pinging
# 10.0.0.1 continuously and the spare receiving main's advertisements; then
# `rmmod carp`. Proves: rmmod succeeds at once with
# devices up in several namespaces and traffic flowing; every carp device
# and its address is gone; the parents still carry traffic (no hook or
# virtual MAC filter left behind); `modprobe carp` works again and the new
# module elects a MASTER that answers the client. (The harness checks dmesg
# for warnings.) All at advbase 0 (main advskew 50, the spare 100): the
# interval is not the point, and more advertisements are in flight.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_rounds test_after"

ROUNDS=${CARP_UNLOAD_ROUNDS:-20}
ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100

_module_gone()
{
	[ ! -d /sys/module/carp ]
}

round()
{
	local r=$1
	local out pid ipk

	# All devices at once (carp_pair_up would wait for main before adding
	# the spare): main's carp0 is added first and its master-down (585 ms)
	# is shorter than the spare's (1171 ms), so main becomes MASTER and the
	# spare, hearing it, stays BACKUP.
	check_begin
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" "$VIP/$PLEN" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" 10.0.0.20/24 >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" "$VIP/$PLEN" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	carp_preempt "$MAIN" 1
	check_err $? "sysctl net.carp.preempt"
	out=$(wait_states $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$MAIN" carp1 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP"
	log_test "round $r: carp up, client reaches $VIP"

	# Continuous traffic to the VIP (bounded by count and deadline).
	ip netns exec "$CLIENT" ping -q -i 0.05 -c 2000 -w 120 "$VIP" \
		>/dev/null 2>&1 &
	pid=$!
	CARP_BG_PIDS+=("$pid")
	# and advertisements in flight: two more of main's reach the spare,
	# which is still BACKUP (it hears main) as main is still MASTER
	check_begin
	ipk=$(carp_stat "$SPARE" carp0 ipackets)
	out=$(wait_counter_ge "$SPARE" carp0 ipackets $((ipk + 2)) \
		$((2 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	_states_are "$MAIN" carp0 MASTER "$MAIN" carp1 MASTER "$SPARE" carp0 BACKUP ||
		check_fail_msg "before rmmod: $(_states_show "$MAIN" carp0 MASTER \
			"$MAIN" carp1 MASTER "$SPARE" carp0 BACKUP)"
	log_test "round $r: the spare hears main's advertisements, states hold"

	check_begin
	out=$(rmmod carp 2>&1)
	check_err $? "rmmod carp: $out"
	slowwait 10 _module_gone
	check_err $? "/sys/module/carp still present"
	log_test "round $r: rmmod carp with devices up and traffic flowing"

	check_begin
	link_exists "$MAIN" carp0 && check_fail_msg "main carp0 survived"
	link_exists "$MAIN" carp1 && check_fail_msg "main carp1 survived"
	link_exists "$SPARE" carp0 && check_fail_msg "spare carp0 survived"
	ip -n "$MAIN" -4 -o addr show | grep -q " $VIP/" &&
		check_fail_msg "main still has $VIP"
	ip -n "$SPARE" -4 -o addr show | grep -q " $VIP/" &&
		check_fail_msg "spare still has $VIP"
	[ -e /proc/sys/net/carp ] && check_fail_msg "net.carp sysctls still registered"
	client_ping "$MAIN_IP"
	check_err $? "client cannot reach main's own address"
	client_ping "$SPARE_IP"
	check_err $? "client cannot reach spare's own address"
	log_test "round $r: devices and addresses gone, parents still work"

	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null

	check_begin
	out=$(modprobe carp 2>&1)
	check_err $? "modprobe carp: $out"
	[ "$(carp_preempt_get "$MAIN")" = 0 ] ||
		check_fail_msg "net.carp.preempt is not back to 0"
	out=$(cli_empty)
	check_err $? "$out"
	log_test "round $r: modprobe carp again"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

# A fresh module has no devices anywhere.
cli_empty()
{
	local ns out

	for ns in "$MAIN" "$SPARE"; do
		out=$(carpctl -n "$ns" -j show) || { echo "carpctl -n ${ns%%-*} show failed"; return 1; }
		[ "$(tr -d ' \n' <<<"$out")" = "[]" ] ||
			{ echo "${ns%%-*}: $out"; return 1; }
	done
}

test_rounds()
{
	local r

	for r in $(seq 1 "$ROUNDS"); do
		round "$r"
	done
}

test_after()
{
	local out

	check_begin
	out=$(carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP"
	log_test "after $ROUNDS reloads: election and client traffic work"
}

require_cmd rmmod
carp_test_init
if [ ! -d /sys/module/carp ] || [ -z "$(modinfo -F filename carp 2>/dev/null)" ] ||
   [ "$(modinfo -F filename carp 2>/dev/null)" = "(builtin)" ]; then
	carp_skip "carp is not a loadable module"
fi

carp_run_tests

exit "$EXIT_STATUS"
