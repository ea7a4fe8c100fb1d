#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VRRPv3 (RFC 5798) mode against an implementation no one here wrote:
# Debian's keepalived (`version 3`, IPv4), VRID 7, one virtual address,
# advertisement interval 0.5 s (50 cs) on both. carp.ko on main (carp0,
# carpver 3), keepalived on the spare (the address on its eth0, as
# keepalived puts it); the client captures the segment.
#
# a) the configuration: each protocol's words only, refused with the
#    kernel's message and nothing created; carpver fixed at creation.
# b) carp.ko better (priority 200) than keepalived (100): carp.ko MASTER,
#    keepalived BACKUP for HOLD_MS, only main advertising; main's cable
#    pulled: keepalived MASTER; plugged back: carp.ko preempts (VRRP's
#    default), keepalived BACKUP.
# c) keepalived better (200) than carp.ko (100): carp.ko BACKUP, hearing
#    every advertisement, having learnt keepalived's interval, silent;
#    keepalived stopped (SIGTERM: it bows out with priority 0): carp.ko
#    MASTER in Skew_Time, well before a master-down interval, as carpctl
#    monitor reports (the sub-tests b and c are lib_vrrp.sh's, which
#    carp_vrrp6.sh runs for IPv6); keepalived
#    restarted: it preempts. Then killed (SIGKILL, no bow-out): carp.ko
#    MASTER after the master-down interval.
# d) the wire: an advertisement of carp.ko checked byte by byte against
#    RFC 5798, its checksum recomputed here with the pseudo-header.
# e) priority 255 counts only for the addresses' owner: main advertises
#    254 until the virtual address is also on eth0, then 255.
# f) a group of three: carp.ko on main (254), keepalived on the spare
#    (250), carp.ko on a third host (10). Main MASTER, the others BACKUP;
#    main's cable pulled: keepalived, the better backup, MASTER, the third
#    BACKUP; keepalived killed: the third MASTER; main plugged back: it
#    preempts both.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_vrrp.sh"

ALL_TESTS="test_config test_carp_master test_keepalived_master test_wire
	test_owner test_three"

VRID=7
INT_CS=50
INT_MS=$((INT_CS * 10))
HOLD_MS=5000
VMAC=$(vmac_of "$VRID")

test_config()
{
	local out

	check_begin
	out=$(refused "$MAIN" "authentication" add carp0 dev eth0 vhid 7 carpver 3 pass secret "$VIP/$PLEN")
	check_err $? "$out"
	out=$(refused "$MAIN" "advskew" add carp0 dev eth0 vhid 7 carpver 3 advskew 10 "$VIP/$PLEN")
	check_err $? "$out"
	out=$(refused "$MAIN" "carpver 3" add carp0 dev eth0 vhid 7 vrrpprio 10 "$VIP/$PLEN")
	check_err $? "$out"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 exists after refused requests"
	# the kernel's own check, through rtnetlink (no carpctl on the way)
	out=$(ip -n "$MAIN" link add carp0 link eth0 type carp vhid 7 carpver 3 advskew 10 2>&1) &&
		check_fail_msg "ip link add: carpver 3 with advskew accepted"
	grep -q "vrrpinterval and vrrpprio" <<<"$out" ||
		check_fail_msg "ip link add: '$out', not the kernel's message"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 exists after ip link's refused request"
	log_test "config: VRRPv3 takes no pass or advskew, CARP no vrrpprio; the kernel refuses them too"

	check_begin
	out=$(main_add 150)
	check_err $? "$out"
	out=$(refused "$MAIN" "created" set carp0 carpver 2)
	check_err $? "$out"
	[ "$(carp_field "$MAIN" carp0 carpver)" = 3 ] ||
		check_fail_msg "carpver is '$(carp_field "$MAIN" carp0 carpver)' after a refused change"
	out=$(carp_set "$MAIN" carp0 vrrpprio 120 vrrpinterval 40)
	check_err $? "$out"
	[ "$(carp_field "$MAIN" carp0 vrrpprio)/$(carp_field "$MAIN" carp0 vrrpinterval)" = 120/40 ] ||
		check_fail_msg "vrrpprio/vrrpinterval $(carp_field "$MAIN" carp0 vrrpprio)/$(carp_field "$MAIN" carp0 vrrpinterval), expected 120/40"
	out=$(ip -n "$MAIN" -d link show carp0)
	grep -q "vrrpprio 120" <<<"$out" ||
		check_fail_msg "ip -d link show does not say vrrpprio 120: $out"
	carp_del "$MAIN" carp0
	log_test "config: carpver fixed at creation; vrrpprio and vrrpinterval change, shown by carpctl and ip"
}

test_carp_master()
{
	vrrp_case_carp_master b
}

test_keepalived_master()
{
	vrrp_case_keepalived_master c
}

# The first advertisement from main in capture TAG, checked against RFC
# 5798 5.1 and 5.2 by bytes: prints what is wrong, nothing if all is right.
VRRP_WIRE_PY='
import sys
path, main_ip, vip, vmac, vrid, prio, int_cs = sys.argv[1:8]
for t, p in frames(path):
    if p[12:14] != b"\x08\x00" or p[14 + 9] != 112 or ip(p[26:30]) != main_ip:
        continue
    iph = p[14:14 + (p[14] & 15) * 4]
    body = p[14 + len(iph):14 + struct.unpack("!H", p[16:18])[0]]
    bad = []
    def want(what, got, exp):
        if got != exp:
            bad.append("%s %r, expected %r" % (what, got, exp))
    want("source MAC", mac(p[6:12]), vmac)
    want("destination MAC", mac(p[0:6]), "01:00:5e:00:00:12")
    want("destination", ip(p[30:34]), "224.0.0.18")
    want("TTL", iph[8], 255)
    want("length", len(body), 12)
    want("version/type", body[0], 0x31)
    want("VRID", body[1], int(vrid))
    want("priority", body[2], int(prio))
    want("count", body[3], 1)
    want("reserved bits", body[4] >> 4, 0)
    want("interval", struct.unpack("!H", body[4:6])[0] & 0xfff, int(int_cs))
    want("address", ip(body[8:12]), vip)
    pseudo = iph[12:20] + bytes([0, 112]) + struct.pack("!H", len(body))
    want("checksum over the pseudo-header", csum16(pseudo + body), 0)
    print("; ".join(bad))
    sys.exit(0)
print("no advertisement from main")
'

test_wire()
{
	local out cap=vw

	check_begin
	capture_start "$cap" "$CLIENT" eth0 ip proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(main_add 180)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 180) + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_wait "$cap" '$1 == "p112" && $5 == main' 1 $((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "no advertisement from main"
	capture_stop "$cap"
	out=$(python3 -c "$CARP_PCAP_PY$VRRP_WIRE_PY" "${CAP_FILE[$cap]}" \
		"$MAIN_IP" "$VIP" "$VMAC" "$VRID" 180 "$INT_CS")
	[ -z "$out" ] || check_fail_msg "$out"
	carp_del "$MAIN" carp0
	log_test "d) the wire: RFC 5798's header, 224.0.0.18, TTL 255, from $VMAC, checksum with the pseudo-header"
}

test_owner()
{
	local out cap=vo

	check_begin
	capture_start "$cap" "$CLIENT" eth0 ip proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(main_add 255)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 254) + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_wait "$cap" '$1 == "p112" && $5 == main && $12 == 254' 1 \
		$((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "not advertising 254 without owning $VIP: $(capture_show "$cap" | tail -n 2)"
	ip -n "$MAIN" addr add "$VIP/32" dev eth0
	capture_wait "$cap" '$1 == "p112" && $5 == main && $12 == 255' 1 \
		$((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "not advertising 255 as the owner of $VIP: $(capture_show "$cap" | tail -n 2)"
	carp_del "$MAIN" carp0
	# an owner is MASTER as soon as it runs, without a master-down wait
	out=$(main_add 255)
	check_err $? "$out"
	[ "$(carp_field "$MAIN" carp0 last_reason)" = "link up, address owner" ] ||
		check_fail_msg "the owner's first change: '$(carp_field "$MAIN" carp0 last_reason)'"
	ip -n "$MAIN" addr del "$VIP/32" dev eth0
	capture_stop "$cap"
	carp_del "$MAIN" carp0
	log_test "e) vrrpprio 255: advertised 254 until $VIP is eth0's too, then 255; an owner is MASTER at once"
}

test_three()
{
	local out t0

	check_begin
	[ -n "$THIRD" ] || third_create || check_fail_msg "cannot add the third host"
	out=$(main_add 254)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 254) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(vrrp_add "$THIRD" 10)
	check_err $? "$out"
	ka_start 250
	out=$(wait_ka BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(wait_state "$THIRD" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $((4 * INT_MS)) "$MAIN" carp0 MASTER "$THIRD" carp0 BACKUP)
	check_err $? "$out"
	_ka_state_is BACKUP || check_fail_msg "keepalived left BACKUP: $(ka_state)"
	log_test "f) three: carp.ko (254) MASTER, keepalived (250) and carp.ko (10) BACKUP"
	[ "$RET" -eq 0 ] || { ka_stop TERM; carp_del "$MAIN" carp0; carp_del "$THIRD" carp0; return 1; }

	check_begin
	t0=$(carp_stat "$THIRD" carp0 transitions)
	cable_pull main
	out=$(wait_ka MASTER $(($(vrrp_down_ms 250) + CARP_MARGIN_MS)))
	check_err $? "$out"
	# the third's Master_Down_Interval is 470 ms longer than keepalived's:
	# it may take over if keepalived's first advertisement is that late
	# (RFC 5798 allows it; it then steps down), so the end state counts
	out=$(wait_state "$THIRD" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $((4 * INT_MS)) "$THIRD" carp0 BACKUP)
	check_err $? "$out"
	_ka_state_is MASTER || check_fail_msg "keepalived left MASTER: $(ka_state)"
	log_test "f) main's cable pulled: keepalived MASTER, the third BACKUP ($(($(carp_stat "$THIRD" carp0 transitions) - t0)) transitions of its own)"

	check_begin
	ka_stop KILL
	out=$(wait_state "$THIRD" carp0 MASTER $(($(vrrp_down_ms 10) + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "f) keepalived killed: the third (10) MASTER"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 254) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_state "$THIRD" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "f) main plugged back: main preempts, the third BACKUP"

	carp_del "$THIRD" carp0
	carp_del "$MAIN" carp0
}

carp_test_init
require_cmd keepalived tcpdump

carp_run_tests

exit "$EXIT_STATUS"
