# SPDX-License-Identifier: GPL-2.0
#
# IPv6 helpers for the carp selftests, sourced after lib_carp.sh: the
# hosts' IPv6 addresses, a pcap decoder for IPv6 (and IPv4) advertisements
# that recomputes their HMAC, and neighbour discovery frames.

VIP6=2001:db8::1
PLEN6=64
MAIN_IP6=2001:db8::2
SPARE_IP6=2001:db8::3
CLIENT_IP6=2001:db8::10
THIRD_IP6=2001:db8::4

# v6_show TAG KEY V4LIST V6LIST: decoded frames of a capture, one a line:
#   c4  TIME ETHSRC ETHDST SRC DST TTL VHID CSUM_OK HMAC_OK
#   c6  TIME ETHSRC ETHDST SRC DST HLIM VHID CSUM_OK HMAC_OK
#   na  TIME ETHSRC ETHDST SRC DST HLIM TARGET S O TLLA CSUM_OK R
#   ns  TIME ETHSRC ETHDST SRC DST TARGET
#   e6  TIME ETHSRC ETHDST SRC DST TYPE        (128 request, 129 reply)
# The HMAC is recomputed from KEY and the comma lists of virtual addresses.
v6_show()
{
	python3 -c "$CARP_PCAP_PY$V6_SHOW_PY" "${CAP_FILE[$1]}" "$2" "$3" "$4"
}

V6_SHOW_PY='
import hashlib, hmac

key = sys.argv[2].encode()
v4 = sorted(socket.inet_aton(a) for a in sys.argv[3].split(",") if a)
v6 = sorted(socket.inet_pton(socket.AF_INET6, a)
            for a in sys.argv[4].split(",") if a)

def a6(b):
    return socket.inet_ntop(socket.AF_INET6, bytes(b))

def carp_ok(c):
    if len(c) < 36:
        return 0, 0
    md = hmac.new(key, bytes([2, 1, c[1]]) + b"".join(v4) + b"".join(v6) +
                  c[8:16], hashlib.sha1).digest()
    return int(csum16(c[:36]) == 0), int(md == c[16:36])

for t, p in frames(sys.argv[1]):
    t = "%.6f" % t
    dst, src = mac(p[0:6]), mac(p[6:12])
    et = struct.unpack("!H", p[12:14])[0]
    pl = p[14:]
    if et == 0x0800 and len(pl) >= 20 and pl[9] == 112:
        ihl = (pl[0] & 15) * 4
        c = pl[ihl:struct.unpack("!H", pl[2:4])[0]]
        ok = carp_ok(c)
        print("c4", t, src, dst, ip(pl[12:16]), ip(pl[16:20]), pl[8],
              c[1] if len(c) > 1 else -1, ok[0], ok[1])
    elif et == 0x86dd and len(pl) >= 40:
        nh, hlim = pl[6], pl[7]
        s6, d6 = a6(pl[8:24]), a6(pl[24:40])
        body = pl[40:40 + struct.unpack("!H", pl[4:6])[0]]
        if nh == 112 and len(body) >= 2:
            ok = carp_ok(body)
            print("c6", t, src, dst, s6, d6, hlim, body[1], ok[0], ok[1])
        elif nh == 58 and len(body) >= 24 and body[0] in (135, 136):
            ph = pl[8:40] + struct.pack("!IxxxB", len(body), 58)
            cok = int(csum16(ph + body) == 0)
            tgt = a6(body[8:24])
            if body[0] == 135:
                print("ns", t, src, dst, s6, d6, tgt)
                continue
            tlla = "-"
            o = 24
            while o + 2 <= len(body) and body[o + 1]:
                if body[o] == 2 and body[o + 1] == 1:
                    tlla = mac(body[o + 2:o + 8])
                o += body[o + 1] * 8
            print("na", t, src, dst, s6, d6, hlim, tgt, (body[4] >> 6) & 1,
                  (body[4] >> 5) & 1, tlla, cok, body[4] >> 7)
        elif nh == 58 and len(body) >= 1 and body[0] in (128, 129):
            print("e6", t, src, dst, s6, d6, body[0])
'

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

# host_ip6 HOST: HOST's own IPv6 address (main, spare, third, client).
host_ip6()
{
	case $1 in
	main)	echo "$MAIN_IP6" ;;
	spare)	echo "$SPARE_IP6" ;;
	third)	echo "$THIRD_IP6" ;;
	client)	echo "$CLIENT_IP6" ;;
	esac
}

# hosts_ip6_add HOST...: each HOST's own IPv6 address (host_ip6) on its
# eth0, no DAD. Prints which host failed.
hosts_ip6_add()
{
	local host

	for host in "$@"; do
		ip -n "$(host_ns "$host")" addr add "$(host_ip6 "$host")/$PLEN6" \
			dev eth0 nodad || { echo "$host: IPv6 address"; return 1; }
	done
}

# v6_third: the third host's IPv6 address (third_create made it).
v6_third()
{
	hosts_ip6_add third && client_ping6 "$THIRD_IP6" 20
}

# three_hosts6: a test's first sub-test: the third host, and IPv6 on all;
# the test ends here if the client cannot reach them.
three_hosts6()
{
	check_begin
	third_create && v6_topo && v6_third
	check_err $? "three hosts with IPv6 on eth0: the client cannot reach them"
	log_test "three hosts, IPv4 and IPv6"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

client_ping6()
{
	slowwait "${2:-5}" ip netns exec "$CLIENT" ping -6 -c 1 -W 1 -q "$1" \
		>/dev/null
}

# The IPv6 side of the topology, no DAD on the hosts' own addresses.
v6_topo()
{
	hosts_ip6_add main spare client &&
	client_ping6 "$MAIN_IP6" 20 && client_ping6 "$SPARE_IP6" 20
}
