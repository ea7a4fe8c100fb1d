#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP over IPv6 (vhid 1, advbase 1; main advskew 0 MASTER, spare advskew
# 100 BACKUP; virtual address 2001:db8::1/64 only). The hosts' eth0 get
# 2001:db8::2, ::3, ::10 /64 besides their IPv4 addresses.
#
# Proves: an IPv6-only vhid elects one MASTER; its advertisements go to
# ff02::12 (Ethernet 33:33:00:00:00:12) from the vmac and from the parent's
# link-local address with hop limit 255, with a valid checksum and an HMAC
# recomputed here independently (IPv4 addresses sorted, then IPv6 sorted,
# then the counter), and no IPv4 advertisement (one per family present);
# carpctl shows the IPv6 address, added nodad/noprefixroute, and counts
# opackets6/ipackets6; the client pings the VIP and its neighbour cache
# holds the vmac; only the MASTER answers neighbour solicitations (the
# BACKUP sends no NA although the solicitations reach it) and the BACKUP
# drops IPv6 for the VIP sent to its own MAC; after the MASTER's cable is
# pulled the BACKUP takes over, sends an unsolicited NA (ff02::1, override,
# vmac), its address is not tentative and the client reaches the VIP again
# at once; a mixed IPv4+IPv6 vhid sends both families' advertisements, each
# with the HMAC over both address lists, and the BACKUP accepts them.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

VIP6=2001:db8::1
PLEN6=64
MAIN_IP6=2001:db8::2
SPARE_IP6=2001:db8::3
CLIENT_IP6=2001:db8::10
VMAC=$(vmac_of 1)
VMAC2=$(vmac_of 2)
SPARE_SKEW=100
PASS=v6secret

# v6_show TAG KEY V4LIST V6LIST: decoded frames of a capture, one a line:
#   c4  TIME ETHSRC ETHDST SRC DST TTL VHID CSUM_OK HMAC_OK
#   c6  TIME ETHSRC ETHDST SRC DST HLIM VHID CSUM_OK HMAC_OK
#   na  TIME ETHSRC ETHDST SRC DST HLIM TARGET S O TLLA CSUM_OK
#   ns  TIME ETHSRC ETHDST SRC DST TARGET
#   e6  TIME ETHSRC ETHDST SRC DST TYPE        (128 request, 129 reply)
# The HMAC is recomputed from KEY and the comma lists of virtual addresses.
v6_show()
{
	python3 - "${CAP_FILE[$1]}" "$2" "$3" "$4" <<'EOF'
import hashlib, hmac, socket, struct, sys

data = open(sys.argv[1], 'rb').read()
key = sys.argv[2].encode()
v4 = sorted(socket.inet_aton(a) for a in sys.argv[3].split(',') if a)
v6 = sorted(socket.inet_pton(socket.AF_INET6, a)
            for a in sys.argv[4].split(',') if a)
if len(data) < 24:
    sys.exit(0)
magic = struct.unpack('<I', data[:4])[0]
e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'

def mac(b):
    return ':'.join('%02x' % x for x in b)

def a6(b):
    return socket.inet_ntop(socket.AF_INET6, bytes(b))

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s >> 16) + (s & 0xffff)
    return ~s & 0xffff

def carp_ok(c):
    if len(c) < 36:
        return 0, 0
    md = hmac.new(key, bytes([2, 1, c[1]]) + b''.join(v4) + b''.join(v6) +
                  c[8:16], hashlib.sha1).digest()
    return int(csum(c[:36]) == 0), int(md == c[16:36])

off = 24
while off + 16 <= len(data):
    sec, frac, incl, orig = struct.unpack(e + 'IIII', data[off:off + 16])
    off += 16
    p = data[off:off + incl]
    off += incl
    if len(p) < 14:
        break
    t = '%d.%06d' % (sec, frac)
    dst, src = mac(p[0:6]), mac(p[6:12])
    et = struct.unpack('!H', p[12:14])[0]
    pl = p[14:]
    if et == 0x0800 and len(pl) >= 20 and pl[9] == 112:
        ihl = (pl[0] & 15) * 4
        c = pl[ihl:struct.unpack('!H', pl[2:4])[0]]
        ok = carp_ok(c)
        print('c4', t, src, dst, socket.inet_ntoa(pl[12:16]),
              socket.inet_ntoa(pl[16:20]), pl[8], c[1] if len(c) > 1 else -1,
              ok[0], ok[1])
    elif et == 0x86dd and len(pl) >= 40:
        nh, hlim = pl[6], pl[7]
        s6, d6 = a6(pl[8:24]), a6(pl[24:40])
        body = pl[40:40 + struct.unpack('!H', pl[4:6])[0]]
        if nh == 112 and len(body) >= 2:
            ok = carp_ok(body)
            print('c6', t, src, dst, s6, d6, hlim, body[1], ok[0], ok[1])
        elif nh == 58 and len(body) >= 24 and body[0] in (135, 136):
            ph = pl[8:40] + struct.pack('!IxxxB', len(body), 58)
            cok = int(csum(ph + body) == 0)
            tgt = a6(body[8:24])
            if body[0] == 135:
                print('ns', t, src, dst, s6, d6, tgt)
                continue
            tlla = '-'
            o = 24
            while o + 2 <= len(body) and body[o + 1]:
                if body[o] == 2 and body[o + 1] == 1:
                    tlla = mac(body[o + 2:o + 8])
                o += body[o + 1] * 8
            print('na', t, src, dst, s6, d6, hlim, tgt, (body[4] >> 6) & 1,
                  (body[4] >> 5) & 1, tlla, cok)
        elif nh == 58 and len(body) >= 1 and body[0] in (128, 129):
            print('e6', t, src, dst, s6, d6, body[0])
EOF
}

# v6_count TAG KEY V4LIST V6LIST AWK_CONDITION [VAR=VALUE...]
v6_count()
{
	local tag=$1 key=$2 l4=$3 l6=$4 cond=$5; shift 5
	local -a vars=(-v "vip6=$VIP6" -v "client6=$CLIENT_IP6")
	local v

	for v in "$@"; do
		vars+=(-v "$v")
	done
	v6_show "$tag" "$key" "$l4" "$l6" |
		awk "${vars[@]}" "$cond { n++ } END { print n + 0 }"
}

_v6_count_ge()
{
	local want=$1; shift
	local n

	n=$(v6_count "$@")
	((n >= want))
}

# v6_wait TAG KEY V4LIST V6LIST AWK_CONDITION N TIMEOUT_MS [VAR=VALUE...]
v6_wait()
{
	local tag=$1 key=$2 l4=$3 l6=$4 cond=$5 want=$6 timeout_ms=$7; shift 7

	loopy_wait "sleep 0.2" "$timeout_ms" _v6_count_ge "$want" "$tag" \
		"$key" "$l4" "$l6" "$cond" "$@"
}

lladdr_of()
{
	ip -n "$1" -6 -o addr show dev "$2" scope link |
		awk '{ sub("/.*", "", $4); print $4; exit }'
}

client_ping6()
{
	slowwait "${2:-5}" ip netns exec "$CLIENT" ping -6 -c 1 -W 1 -q "$1" \
		>/dev/null
}

# The IPv6 side of the topology, no DAD on the hosts' own addresses.
v6_topo()
{
	ip -n "$MAIN" addr add "$MAIN_IP6/$PLEN6" dev eth0 nodad &&
	ip -n "$SPARE" addr add "$SPARE_IP6/$PLEN6" dev eth0 nodad &&
	ip -n "$CLIENT" addr add "$CLIENT_IP6/$PLEN6" dev eth0 nodad &&
	client_ping6 "$MAIN_IP6" 20 && client_ping6 "$SPARE_IP6" 20
}

test_election()
{
	local mll n bad adv_ms down_ms out

	adv_ms=$(carp_adv_ms "$ADVBASE" 0)
	down_ms=$(carp_down_ms "$ADVBASE" 0)

	check_begin
	capture_start ads "$CLIENT" eth0
	check_err $? "capture"
	out=$(carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew 0 pass "$PASS" "$VIP6/$PLEN6")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $((down_ms + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" pass "$PASS" "$VIP6/$PLEN6")
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $((down_ms + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "IPv6-only vhid: main MASTER, spare BACKUP"
	[ "$RET" -eq 0 ] || return 1

	check_begin
	mll=$(lladdr_of "$MAIN" eth0)
	[ -n "$mll" ] || check_fail_msg "main's eth0 has no link-local address"
	v6_wait ads "$PASS" "" "$VIP6" \
		'$1 == "c6" && $3 == v && $8 == 1' 3 $((3 * adv_ms + CARP_MARGIN_MS)) \
		v="$VMAC"
	check_err $? "fewer than 3 IPv6 advertisements: $(v6_show ads "$PASS" "" "$VIP6" | awk 'n++ < 10')"
	capture_stop ads
	n=$(v6_count ads "$PASS" "" "$VIP6" '$1 == "c6" && $8 == 1')
	((n >= 3)) || check_fail_msg "only $n advertisements for vhid 1"
	# every one of them as the BSDs send it, and authentic
	bad=$(v6_count ads "$PASS" "" "$VIP6" '$1 == "c6" && $8 == 1 &&
		!($3 == v && $4 == "33:33:00:00:00:12" && $5 == ll &&
		  $6 == "ff02::12" && $7 == 255 && $9 == 1 && $10 == 1)' \
		v="$VMAC" ll="$mll")
	((bad == 0)) ||
		check_fail_msg "$bad of $n advertisements not from $VMAC/$mll to ff02::12, hop limit 255, checksum and HMAC valid: $(v6_show ads "$PASS" "" "$VIP6" | awk '$1 == "c6" && n++ < 3')"
	n=$(v6_count ads "$PASS" "" "$VIP6" '$1 == "c4" && $3 == v' v="$VMAC")
	((n == 0)) || check_fail_msg "$n IPv4 advertisements from an IPv6-only vhid"
	log_test "advertisements to ff02::12 from the link-local, hop limit 255, HMAC over the IPv6 address"

	check_begin
	out=$(carp_field "$MAIN" carp0 addresses)
	grep -qx "$VIP6/$PLEN6" <<<"$out" ||
		check_fail_msg "carpctl show: addresses '$out', expected $VIP6/$PLEN6"
	out=$(ip -n "$SPARE" -6 -o addr show dev carp0 scope global)
	grep -q "inet6 $VIP6/$PLEN6 .*nodad" <<<"$out" &&
		grep -q "noprefixroute" <<<"$out" ||
		check_fail_msg "spare's carp0 address not nodad/noprefixroute: $out"
	n=$(carp_stat "$MAIN" carp0 opackets6)
	((n >= 3)) || check_fail_msg "main opackets6 $n"
	n=$(carp_stat "$SPARE" carp0 ipackets6)
	((n >= 1)) || check_fail_msg "spare ipackets6 $n"
	n=$(carp_stat "$SPARE" carp0 badauth)
	((n == 0)) || check_fail_msg "spare badauth $n"
	log_test "carpctl: IPv6 address shown, added nodad/noprefixroute; opackets6/ipackets6"
}

test_nd()
{
	local smac n out

	smac=$(mac_of "$SPARE" eth0)

	check_begin
	capture_start nd "$CLIENT" eth0
	check_err $? "capture"
	capture_start spare_out "$SPARE" eth0 -Q out icmp6
	check_err $? "capture on spare"
	capture_start spare_in "$SPARE" eth0 -Q in icmp6
	check_err $? "capture on spare"
	ip -n "$CLIENT" -6 neigh flush dev eth0 to "$VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6"
	out=$(ip -n "$CLIENT" -6 neigh show "$VIP6" dev eth0)
	grep -qi "lladdr $VMAC" <<<"$out" ||
		check_fail_msg "client's neighbour entry for $VIP6: '$out', expected $VMAC"
	# two more solicitations, so the BACKUP had every chance to answer
	ip -n "$CLIENT" -6 neigh flush dev eth0 to "$VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6 (second time)"
	ip -n "$CLIENT" -6 neigh flush dev eth0 to "$VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6 (third time)"
	v6_wait spare_in "" "" "" '$1 == "ns" && $7 == vip6' 2 "$CARP_MARGIN_MS"
	check_err $? "the solicitations for $VIP6 did not reach the spare"
	# a late NA of the BACKUP would come within this bounded window
	sleep 1
	capture_stop nd
	capture_stop spare_out
	capture_stop spare_in
	n=$(v6_count nd "" "" "" '$1 == "na" && $8 == vip6 && $3 == v &&
		$11 == v && $9 == 1 && $10 == 1 && $7 == 255 && $12 == 1 &&
		$5 == vip6 && $6 !~ /^ff/' v="$VMAC")
	((n >= 3)) ||
		check_fail_msg "$n solicited NAs for $VIP6 from $VMAC (S, O, TLLA vmac, checksum): $(v6_show nd "" "" "" | grep -E '^n[as]')"
	n=$(v6_count nd "" "" "" '$1 == "na" && ($3 == s || $11 == s)' s="$smac")
	((n == 0)) || check_fail_msg "$n NAs with the spare's MAC"
	n=$(v6_count spare_out "" "" "" '$1 == "na" && $8 == vip6')
	((n == 0)) ||
		check_fail_msg "the BACKUP sent $n NAs for $VIP6: $(v6_show spare_out "" "" "")"
	log_test "only the MASTER answers NS for $VIP6, with the vmac; the client's cache holds the vmac"

	# IPv6 for the VIP sent to the BACKUP's own MAC must die there
	check_begin
	capture_start spare_out "$SPARE" eth0 -Q out icmp6
	check_err $? "capture on spare"
	capture_start spare_in "$SPARE" eth0 -Q in icmp6
	check_err $? "capture on spare"
	ip -n "$CLIENT" -6 neigh replace "$VIP6" lladdr "$smac" dev eth0 \
		nud permanent
	ip netns exec "$CLIENT" ping -6 -c 3 -i 0.3 -W 1 -q "$VIP6" >/dev/null
	v6_wait spare_in "" "" "" '$1 == "e6" && $6 == vip6 && $7 == 128' 3 \
		"$CARP_MARGIN_MS"
	check_err $? "the echo requests did not reach the spare"
	capture_stop spare_out
	capture_stop spare_in
	ip -n "$CLIENT" -6 neigh del "$VIP6" dev eth0
	n=$(v6_count spare_out "" "" "" '$1 == "e6" && $5 == vip6 && $7 == 129')
	((n == 0)) || check_fail_msg "the BACKUP answered $n echo requests for $VIP6"
	client_ping6 "$VIP6"
	check_err $? "client cannot ping $VIP6 through the vmac (control)"
	log_test "BACKUP drops IPv6 for $VIP6 sent to its MAC"
}

test_failover()
{
	local n out down_ms

	down_ms=$(carp_down_ms "$ADVBASE" "$SPARE_SKEW")

	check_begin
	capture_start una "$CLIENT" eth0
	check_err $? "capture"
	cable_pull main
	out=$(wait_state "$SPARE" carp0 MASTER $((down_ms + CARP_MARGIN_MS)))
	check_err $? "$out"
	# at once: not tentative, and reachable without a DAD delay
	out=$(ip -n "$SPARE" -6 -o addr show dev carp0 scope global)
	grep -q "inet6 $VIP6/$PLEN6 " <<<"$out" ||
		check_fail_msg "spare's carp0 lost $VIP6: $out"
	! grep -qE "tentative|dadfailed" <<<"$out" ||
		check_fail_msg "new MASTER's address not usable: $out"
	client_ping6 "$VIP6" 5
	check_err $? "client cannot reach $VIP6 on the new MASTER"
	v6_wait una "" "" "" '$1 == "na" && $8 == vip6 && $3 == v && $11 == v &&
		$4 == "33:33:00:00:00:01" && $6 == "ff02::1" && $5 == vip6 &&
		$9 == 0 && $10 == 1 && $7 == 255 && $12 == 1' 1 "$CARP_MARGIN_MS" \
		v="$VMAC"
	check_err $? "no unsolicited NA for $VIP6 from $VMAC: $(v6_show una "" "" "" | grep -E '^n[as]')"
	capture_stop una
	log_test "failover: new MASTER announces $VIP6 (unsolicited NA, vmac), usable at once"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "main back as BACKUP"
}

test_mixed()
{
	local l4=$VIP l6=2001:db8::4,2001:db8::5 n bad out adv_ms down_ms

	adv_ms=$(carp_adv_ms "$ADVBASE" 0)
	down_ms=$(carp_down_ms "$ADVBASE" 0)

	check_begin
	capture_start mix "$CLIENT" eth0
	check_err $? "capture"
	# addresses given out of order: the HMAC sorts them
	out=$(carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew 0 pass mixed 2001:db8::5/64 "$VIP/$PLEN" 2001:db8::4/64)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp1 MASTER $((down_ms + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(carp_add "$SPARE" carp1 dev eth0 vhid 2 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" pass mixed 2001:db8::4/64 \
		2001:db8::5/64 "$VIP/$PLEN")
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp1 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $((down_ms + 500)) \
		"$MAIN" carp1 MASTER "$SPARE" carp1 BACKUP)
	check_err $? "$out"
	v6_wait mix mixed "$l4" "$l6" '$1 == "c6" && $3 == v && $8 == 2' 2 \
		$((2 * adv_ms + CARP_MARGIN_MS)) v="$VMAC2"
	check_err $? "no IPv6 advertisements for vhid 2"
	v6_wait mix mixed "$l4" "$l6" '$1 == "c4" && $3 == v && $8 == 2' 2 \
		$((2 * adv_ms + CARP_MARGIN_MS)) v="$VMAC2"
	check_err $? "no IPv4 advertisements for vhid 2"
	capture_stop mix
	n=$(v6_count mix mixed "$l4" "$l6" '($1 == "c4" || $1 == "c6") && $8 == 2')
	bad=$(v6_count mix mixed "$l4" "$l6" '($1 == "c4" || $1 == "c6") &&
		$8 == 2 && !($3 == v && $7 == 255 && $9 == 1 && $10 == 1)' \
		v="$VMAC2")
	((n >= 4 && bad == 0)) ||
		check_fail_msg "$bad of $n advertisements for vhid 2 not valid (HMAC over $l4 then $l6): $(v6_show mix mixed "$l4" "$l6" | awk '$1 ~ /^c[46]$/' | tail -4)"
	bad=$(v6_count mix mixed "$l4" "$l6" '$1 == "c4" && $8 == 2 &&
		$6 != "224.0.0.18"')
	((bad == 0)) || check_fail_msg "$bad IPv4 advertisements not to 224.0.0.18"
	for out in ipackets ipackets6; do
		n=$(carp_stat "$SPARE" carp1 "$out")
		((n >= 1)) || check_fail_msg "spare carp1 $out $n"
	done
	n=$(carp_stat "$SPARE" carp1 badauth)
	((n == 0)) || check_fail_msg "spare carp1 badauth $n"
	log_test "mixed IPv4+IPv6 vhid: both families advertised, HMAC over both"
}

require_cmd tcpdump python3
carp_test_init

check_begin
v6_topo
check_err $? "IPv6 on the hosts' eth0: client cannot reach main and spare"
log_test "IPv6 topology"
[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

test_election || exit "$EXIT_STATUS"
test_nd
test_failover
test_mixed

exit "$EXIT_STATUS"
