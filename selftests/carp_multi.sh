#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One vhid on two parents of a host, and several addresses on one vhid
# (split from carp_parents.sh to keep each test within its time limit).
#
# Topology of lib_carp.sh plus VLAN 10 (eth0.10, 10.0.10.0/24) on every host.
# advbase 0 (the interval is not the point here): MASTERs at advskew 50,
# BACKUPs at advskew 100.
#
# Proves:
#  - the same vhid (1) on two parents of one host, eth0 (10.0.0.1, main
#    MASTER) and eth0.10 (10.0.10.1, spare MASTER): each pair elects its own
#    MASTER and stays so (main's eth0.10 device hears spare's VLAN ads), the
#    client reaches both addresses through the same vmac on the two
#    segments, each served by its own MASTER (by the parent MAC of the echo
#    replies); setting spare's eth0.10 down fails the VLAN group over to
#    main without any state change of the eth0 group;
#  - one vhid with three virtual addresses: all answer the client through
#    the vmac, served by main (replies never from spare's MAC); after main's
#    cable is pulled all three answer again, served by spare.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_same_vhid test_many_vips"

VMAC=$(vmac_of 1)
VLAN_VIP=10.0.10.1
VIPS_EXTRA="10.0.0.21 10.0.0.22"
ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100

# same_vhid_diag: the counters of the four devices, for failure messages.
same_vhid_diag()
{
	echo "main carp0: $(carp_diag "$MAIN" carp0) | main carpv: $(carp_diag "$MAIN" carpv) |" \
	     "spare carp0: $(carp_diag "$SPARE" carp0) | spare carpv: $(carp_diag "$SPARE" carpv)"
}

# vhid 1 on eth0 (main MASTER) and vhid 1 on eth0.10 (spare MASTER).
test_same_vhid()
{
	local out tm ts mm ms

	vlan_ready
	del_all carp0 carpv
	check_begin
	out=$(carp_pair_add carp0 eth0 1 "$MAIN_SKEW" "$SPARE_SKEW" "$VIP/$PLEN")
	check_err $? "eth0: $out"
	# the other way round on the VLAN: spare first, so it is MASTER
	carp_add "$SPARE" carpv dev eth0.10 vhid 1 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" \
		"$VLAN_VIP/24" >"$CARP_TMP/msg" || check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_state "$SPARE" carpv MASTER $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	carp_add "$MAIN" carpv dev eth0.10 vhid 1 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" \
		"$VLAN_VIP/24" >"$CARP_TMP/msg" || check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_state "$MAIN" carpv BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	# main's carpv must hear spare's VLAN ads, or it takes over after
	# master-down: watch longer than that
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP \
		"$SPARE" carpv MASTER "$MAIN" carpv BACKUP)
	check_err $? "$out; $(same_vhid_diag)"
	log_test "vhid 1 on eth0 and on eth0.10: independent MASTERs (main, spare)"

	mm=$(mac_of "$MAIN" eth0)
	ms=$(mac_of "$SPARE" eth0)
	check_begin
	ping_all same0 eth0 "$mm" "$ms" "$VIP"
	ping_all samev eth0.10 "$ms" "$mm" "$VLAN_VIP"
	[ "$RET" -eq 0 ] || check_fail_msg "$(same_vhid_diag)"
	log_test "vhid 1 on two parents: each address served by its own MASTER via the vmac"

	check_begin
	carp_state_is "$MAIN" carpv BACKUP ||
		check_fail_msg "main carpv is $(carp_state "$MAIN" carpv) before the test, not BACKUP"
	tm=$(carp_stat "$MAIN" carp0 transitions)
	ts=$(carp_stat "$SPARE" carp0 transitions)
	ip -n "$SPARE" link set eth0.10 down
	out=$(wait_state "$MAIN" carpv MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for 1000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tm" ] ||
		check_fail_msg "main carp0 changed state"
	[ "$(carp_stat "$SPARE" carp0 transitions)" = "$ts" ] ||
		check_fail_msg "spare carp0 changed state"
	ping_all samevb eth0.10 "$mm" "$ms" "$VLAN_VIP"
	ping_all same0b eth0 "$mm" "$ms" "$VIP"
	log_test "spare's eth0.10 down: VLAN group to main, eth0 group untouched"
}

# icmp_repliers TAG IP: the source MACs of echo replies from IP, sorted.
icmp_repliers()
{
	capture_show "$1" | awk -v ip="$2" '$1 == "icmp" && $5 == ip && $7 == 0 { print $3 }' |
		sort -u | tr '\n' ' '
}

# ping_all TAG CLIENT_DEV HOST_MAC OTHER_MAC VIP...: every VIP answers the
# client through the vmac, and no echo reply comes from OTHER_MAC (the
# parent MAC of the host that must not be serving them).
ping_all()
{
	local tag=$1 cdev=$2 ok=$3 bad=$4; shift 4
	local v r m out

	capture_start "$tag" "$CLIENT" "$cdev" icmp
	check_err $? "capture"
	for v in "$@"; do
		out=$(client_reaches "$v")
		check_err $? "$out"
	done
	capture_stop "$tag"
	for v in "$@"; do
		r=$(icmp_repliers "$tag" "$v")
		[ -n "$r" ] || check_fail_msg "no echo reply from $v captured"
		for m in $r; do
			[ "$m" = "$ok" ] || [ "$m" = "$VMAC" ] ||
				check_fail_msg "$v answered from $m (expected $ok or $VMAC, not $bad)"
		done
	done
}

test_many_vips()
{
	local out mm ms v
	local -a a=()

	for v in $VIP $VIPS_EXTRA; do
		a+=("$v/$PLEN")
	done
	del_all carp0 carpv
	check_begin
	out=$(carp_pair_add carp0 eth0 1 "$MAIN_SKEW" "$SPARE_SKEW" "${a[@]}")
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	out=$(carp_field "$MAIN" carp0 addresses | tr '\n' ' ')
	for v in $VIP $VIPS_EXTRA; do
		grep -qw "$v" <<<"$out" || check_fail_msg "main carp0 lacks $v: $out"
	done
	log_test "three addresses on vhid 1, main MASTER"
	[ "$RET" -eq 0 ] || return

	mm=$(mac_of "$MAIN" eth0)
	ms=$(mac_of "$SPARE" eth0)
	check_begin
	ping_all before eth0 "$mm" "$ms" $VIP $VIPS_EXTRA
	log_test "all three reachable through the vmac, served by main"

	check_begin
	cable_pull main
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	ping_all after eth0 "$ms" "$mm" $VIP $VIPS_EXTRA
	log_test "main's cable pulled: all three move to spare together"
	cable_plug main
}

# del_all DEV...: delete these carp devices on main and spare.
del_all()
{
	local dev ns

	for dev in "$@"; do
		for ns in "$MAIN" "$SPARE"; do
			carp_del "$ns" "$dev" 2>/dev/null
		done
	done
}

# vlan_ready: eth0.10 on every host (made once).
vlan_ready()
{
	local out

	link_exists "$CLIENT" eth0.10 && return 0
	check_begin
	out=$(vlan10_up)
	check_err $? "$out"
	log_test "eth0.10 on every host"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

require_cmd tcpdump
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
