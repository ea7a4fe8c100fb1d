#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two CARP groups on one segment, and foreign protocol-112 traffic.
#
#   vhid 1, 10.0.0.1/24:  carp0 on main (advskew 50)  and spare (advskew 100)
#   vhid 2, 10.0.0.20/24: carp1 on spare (advskew 50) and main (advskew 100)
#
# All at advbase 0 (195 ms and 390 ms intervals): what is proven does not
# depend on the interval, and sub-second intervals make the test fast.
#
# Proves: each group elects its own MASTER (main for vhid 1, spare for
# vhid 2) with its own vmac 00:00:5e:00:01:<vhid>; the client reaches both
# addresses through their vmacs; on the wire each group is advertised only
# by its MASTER from its vmac; advertisements of the other vhid are not
# counted by a device; VRRP packets (protocol 112 too, crafted so that a
# naive parser would read them as a better vhid-1 advertisement) are not
# counted, change no state and still reach a raw socket on the host;
# changing the advskew of vhid 2 (and deleting one of its devices) makes
# vhid 2 move while vhid 1 does not change at all.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

VIP2=10.0.0.20
VMAC1=$(vmac_of 1)
VMAC2=$(vmac_of 2)
BAD_COUNTERS="badttl badlen badsum badver badauth"
ALL_TESTS="test_setup test_vmacs test_wire test_vrrp test_independent"
ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100

# groups_add: vhid 1 MASTER on main, vhid 2 MASTER on the spare, each
# with its BACKUP on the other host. Prints what went wrong.
groups_add()
{
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" "$VIP/$PLEN" || return 1
	carp_add "$SPARE" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" "$VIP2/$PLEN" || return 1
	wait_states $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp1 MASTER || return 1
	carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" "$VIP/$PLEN" || return 1
	carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" "$VIP2/$PLEN" || return 1
	wait_states "$CARP_MARGIN_MS" "$SPARE" carp0 BACKUP "$MAIN" carp1 BACKUP
}

# groups_ready: what test_setup makes (test_independent changes it).
groups_ready()
{
	local ns dev out

	carp_preempt "$MAIN" 0
	_states_are "$MAIN" carp0 MASTER "$MAIN" carp1 BACKUP \
		"$SPARE" carp0 BACKUP "$SPARE" carp1 MASTER &&
		[ "$(carp_field "$SPARE" carp1 advskew)" = "$MAIN_SKEW" ] &&
		return 0
	for ns in "$MAIN" "$SPARE"; do
		for dev in carp0 carp1; do
			carpctl -n "$ns" del "$dev" 2>/dev/null
		done
	done
	out=$(groups_add) || carp_ensure_fail "$out" "two vhids on one parent, on both hosts"
}

test_setup()
{
	local out

	check_begin
	out=$(groups_add)
	check_err $? "$out"
	log_test "two vhids on one parent, on both hosts"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

	check_begin
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 1000)) \
		"$MAIN" carp0 MASTER "$MAIN" carp1 BACKUP \
		"$SPARE" carp0 BACKUP "$SPARE" carp1 MASTER)
	check_err $? "$out"
	log_test "vhid 1: main MASTER; vhid 2: spare MASTER; stable"
}

test_vmacs()
{
	local ns v

	groups_ready
	check_begin
	for ns in "$MAIN" "$SPARE"; do
		v=$(carp_field "$ns" carp0 vmac | tr 'A-F' 'a-f')
		[ "$v" = "$VMAC1" ] || check_fail_msg "${ns%%-*} carp0 vmac '$v'"
		v=$(carp_field "$ns" carp1 vmac | tr 'A-F' 'a-f')
		[ "$v" = "$VMAC2" ] || check_fail_msg "${ns%%-*} carp1 vmac '$v'"
	done
	log_test "vmac is 00:00:5e:00:01:<vhid>, distinct per vhid"

	check_begin
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP"
	client_ping "$VIP2"
	check_err $? "client cannot ping $VIP2"
	v=$(client_neigh_mac "$VIP")
	[ "$v" = "$VMAC1" ] || check_fail_msg "client neigh $VIP is '$v'"
	v=$(client_neigh_mac "$VIP2")
	[ "$v" = "$VMAC2" ] || check_fail_msg "client neigh $VIP2 is '$v'"
	log_test "client reaches each VIP through its own vmac"
}

test_wire()
{
	local n m1_0 m1_1 m2_0 m2_1 s1_0 s1_1 s2_0 s2_1 c

	groups_ready
	check_begin
	capture_start wire "$CLIENT" eth0 ip proto 112
	check_err $? "capture"
	m1_0=$(carp_stat "$MAIN" carp0 ipackets)
	s2_0=$(carp_stat "$SPARE" carp1 ipackets)
	m2_0=$(carp_stat "$MAIN" carp1 ipackets)
	s1_0=$(carp_stat "$SPARE" carp0 ipackets)
	# observe a few advertisement intervals
	capture_wait wire '$1 == "p112" && $11 == 2' 3 \
		$((3 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS))
	capture_wait wire '$1 == "p112" && $11 == 1' 3 \
		$((3 * $(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS))
	m1_1=$(carp_stat "$MAIN" carp0 ipackets)
	s2_1=$(carp_stat "$SPARE" carp1 ipackets)
	m2_1=$(carp_stat "$MAIN" carp1 ipackets)
	s1_1=$(carp_stat "$SPARE" carp0 ipackets)
	capture_stop wire

	n=$(capture_count wire '$1 == "p112" && $11 == 1 && $3 == v && $5 == main' v="$VMAC1")
	((n >= 3)) || check_fail_msg "only $n vhid 1 ads from main with $VMAC1"
	n=$(capture_count wire '$1 == "p112" && $11 == 1 && !($3 == v && $5 == main)' v="$VMAC1")
	((n == 0)) || check_fail_msg "$n vhid 1 ads not from main/$VMAC1"
	n=$(capture_count wire '$1 == "p112" && $11 == 2 && $3 == v && $5 == spare' v="$VMAC2")
	((n >= 3)) || check_fail_msg "only $n vhid 2 ads from spare with $VMAC2"
	n=$(capture_count wire '$1 == "p112" && $11 == 2 && !($3 == v && $5 == spare)' v="$VMAC2")
	((n == 0)) || check_fail_msg "$n vhid 2 ads not from spare/$VMAC2"
	log_test "on the wire each vhid is advertised by its MASTER from its vmac"

	check_begin
	((m2_1 >= m2_0 + 2)) || check_fail_msg "main carp1 (BACKUP) ipackets $m2_0 -> $m2_1"
	((s1_1 >= s1_0 + 2)) || check_fail_msg "spare carp0 (BACKUP) ipackets $s1_0 -> $s1_1"
	((m1_1 == m1_0)) || check_fail_msg "main carp0 counted vhid 2 ads: ipackets $m1_0 -> $m1_1"
	((s2_1 == s2_0)) || check_fail_msg "spare carp1 counted vhid 1 ads: ipackets $s2_0 -> $s2_1"
	for c in $BAD_COUNTERS; do
		n=$(carp_stat "$MAIN" carp0 "$c")
		[ "$n" = 0 ] || check_fail_msg "main carp0 $c=$n"
		n=$(carp_stat "$SPARE" carp1 "$c")
		[ "$n" = 0 ] || check_fail_msg "spare carp1 $c=$n"
	done
	log_test "ads are counted only by the device of their vhid"
}

# VRRP from the client: v2 (vrid 1, priority $MAIN_SKEW, interval
# $ADVBASE s: bytes 0-5 read as CARP: version 2, advertisement, vhid 1,
# advskew and advbase main's own, i.e. as good as main's own ads) and v3
# (vrid 1). Prints how many were sent.
send_vrrp()
{
	ip netns exec "$CLIENT" python3 - "$CLIENT_IP" "$VIP" "$MAIN_SKEW" \
		"$ADVBASE" "$CARP_LIB_DIR" <<'EOF'
import socket, struct, sys, time
sys.path.insert(0, sys.argv[5])
from carp_pkt import csum16 as csum

src, vip = sys.argv[1], sys.argv[2]
prio, interval = int(sys.argv[3]), int(sys.argv[4])
a = socket.inet_aton(vip)
# VRRPv2 (RFC 3768): ver/type, vrid, prio, naddr, authtype, adver_int, csum
v2 = bytearray(struct.pack('!BBBBBBH', 0x21, 1, prio, 1, 0, interval, 0) +
               a + b'\0' * 8)
v2[6:8] = struct.pack('!H', csum(bytes(v2)))
# VRRPv3 (RFC 5798): ver/type, vrid, prio, naddr, rsvd/max_adver_int, csum;
# the checksum includes the IPv4 pseudo-header.
v3 = bytearray(struct.pack('!BBBBHH', 0x31, 1, 255, 1, 100, 0) + a)
ph = socket.inet_aton(src) + socket.inet_aton('224.0.0.18') + \
     struct.pack('!BBH', 0, 112, len(v3))
v3[6:8] = struct.pack('!H', csum(ph + bytes(v3)))

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
n = 0
for i in range(3):
    for p in (v2, v3):
        s.sendto(bytes(p), ('224.0.0.18', 0))
        n += 1
    time.sleep(0.2)
print(n)
EOF
}

# Raw protocol-112 socket: prints "ready", then one line per packet from
# PEER ("v<version> <len>") for at most 60 s.
RECV_PY='
import socket, struct, sys, time

me, peer = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
mreq = socket.inet_aton("224.0.0.18") + socket.inet_aton(me)
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
s.settimeout(0.5)
print("ready")
end = time.time() + 60
while time.time() < end:
    try:
        d = s.recv(2048)
    except socket.timeout:
        continue
    ihl = (d[0] & 15) * 4
    if socket.inet_ntoa(d[12:16]) != peer:
        continue
    body = d[ihl:]
    print("v%d %d" % (body[0] >> 4, len(body)))
'

test_vrrp()
{
	local out c n b sent pid f ns dev
	local -A before=()

	groups_ready
	check_begin
	f=$CARP_TMP/vrrp.out
	ip netns exec "$MAIN" python3 -u -c "$RECV_PY" "$MAIN_IP" "$CLIENT_IP" \
		>"$f" 2>&1 &
	pid=$!
	CARP_BG_PIDS+=("$pid")
	slowwait 30 grep -q ready "$f"
	check_err $? "raw socket receiver did not start: $(cat "$f")"

	for ns in "$MAIN" "$SPARE"; do
		for dev in carp0 carp1; do
			for c in $BAD_COUNTERS transitions; do
				before[$ns/$dev/$c]=$(carp_stat "$ns" "$dev" "$c")
			done
		done
	done
	before[main/carp0/ipackets]=$(carp_stat "$MAIN" carp0 ipackets)
	before[spare/carp1/ipackets]=$(carp_stat "$SPARE" carp1 ipackets)

	# A burst, again (at most 5 times) until the receiver has seen as
	# many as one burst holds: a receiver still settling in a slow VM
	# must not look like packets lost in the hook.
	sent=0
	for _ in 1 2 3 4 5; do
		b=$(send_vrrp) || { check_fail_msg "cannot send VRRP: $b"; break; }
		sent=$((sent + b))
		slowwait 5 awk -v n="$b" '/^v[23] / { c++ } END { exit !(c >= n) }' "$f" &&
			break
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(grep -c '^v[23] ' "$f")
	((n >= 6)) ||
		check_fail_msg "raw socket on main got $n of $sent VRRP packets"
	log_test "VRRP packets pass untouched to a raw socket ($n/$sent)"

	check_begin
	# Let any misparse take effect: an equal vhid-1 ad would make main
	# step down at once.
	out=$(expect_states_for 2000 \
		"$MAIN" carp0 MASTER "$MAIN" carp1 BACKUP \
		"$SPARE" carp0 BACKUP "$SPARE" carp1 MASTER)
	check_err $? "$out"
	for ns in "$MAIN" "$SPARE"; do
		for dev in carp0 carp1; do
			for c in $BAD_COUNTERS transitions; do
				n=$(carp_stat "$ns" "$dev" "$c")
				[ "$n" = "${before[$ns/$dev/$c]}" ] ||
					check_fail_msg "${ns%%-*} $dev $c ${before[$ns/$dev/$c]} -> $n"
			done
		done
	done
	n=$(carp_stat "$MAIN" carp0 ipackets)
	[ "$n" = "${before[main/carp0/ipackets]}" ] ||
		check_fail_msg "main carp0 ipackets ${before[main/carp0/ipackets]} -> $n"
	n=$(carp_stat "$SPARE" carp1 ipackets)
	[ "$n" = "${before[spare/carp1/ipackets]}" ] ||
		check_fail_msg "spare carp1 ipackets ${before[spare/carp1/ipackets]} -> $n"
	log_test "VRRP packets are not counted and change no state"
}

test_independent()
{
	local out tm ts

	groups_ready
	check_begin
	tm=$(carp_stat "$MAIN" carp0 transitions)
	ts=$(carp_stat "$SPARE" carp0 transitions)
	carp_preempt "$MAIN" 1
	carp_set "$SPARE" carp1 advskew 200 >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_takeover carp1 "$MAIN" \
		$(($(carp_adv_ms "$ADVBASE" 200) + CARP_MARGIN_MS)) \
		"$SPARE" $(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for 2000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	[ "$(carp_field "$SPARE" carp0 advskew)" = "$SPARE_SKEW" ] ||
		check_fail_msg "spare carp0 advskew changed"
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tm" ] ||
		check_fail_msg "main carp0 changed state"
	[ "$(carp_stat "$SPARE" carp0 transitions)" = "$ts" ] ||
		check_fail_msg "spare carp0 changed state"
	log_test "advskew change moves vhid 2 to main, vhid 1 untouched"

	check_begin
	carp_del "$MAIN" carp1
	check_err $? "carpctl del carp1"
	out=$(wait_state "$SPARE" carp1 MASTER \
		$(($(carp_down_ms "$ADVBASE" 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for 2000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	link_exists "$MAIN" carp0 || check_fail_msg "main carp0 gone"
	has_addr "$MAIN" carp0 "$VIP/$PLEN" || check_fail_msg "main carp0 lost $VIP"
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tm" ] ||
		check_fail_msg "main carp0 changed state"
	[ "$(carp_stat "$SPARE" carp0 transitions)" = "$ts" ] ||
		check_fail_msg "spare carp0 changed state"
	client_ping "$VIP"
	check_err $? "client cannot ping $VIP"
	client_ping "$VIP2"
	check_err $? "client cannot ping $VIP2"
	log_test "deleting main's vhid 2: spare takes vhid 2, vhid 1 untouched"
}

require_cmd tcpdump
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
