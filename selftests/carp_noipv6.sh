#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# carp-vm-append: ipv6.disable=1
#
# A host booted with ipv6.disable=1 (the line above tells the VM runner to
# boot one). addrconf never ran there: the IPv6 address hash and nd_tbl
# are not initialised, yet frames of type 0x86DD still reach carp's ingress
# hook, and a packet socket can still hand carp0 an IPv6 frame. Any IPv6
# lookup on those paths is a NULL dereference in softirq: a remote panic.
#
#   vhid 1, 10.0.0.1/24: carp0 on main (advskew 50), on spare (advskew
#   100), advbase 0 (nothing here depends on the interval)
#
# Proves:
#  - from the client, IPv6 frames of every shape carp looks at (next header
#    112 to ff02::12 and to a unicast address, a neighbour solicitation,
#    a truncated header), sent to the virtual MAC, to broadcast and to each
#    host's own MAC, leave both hosts up, main MASTER and spare BACKUP, and
#    the pair still answers for and fails over 10.0.0.1;
#  - IPv6 frames sent on carp0 through a packet socket meet no IPv6 lookup
#    on the transmit path: the MASTER's leave (tx_packets), the BACKUP's
#    are dropped, nothing else;
#  - `carpctl add` and `carpctl set` with an IPv6 address, and a peer6,
#    fail with one line that says IPv6 is disabled, and change nothing;
#  - a VRRPv3 device of IPv6 is refused by the kernel too; one of IPv4
#    runs.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_ingress test_xmit test_config test_vrrp test_failover"

ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100

[ ! -e /proc/net/if_inet6 ] ||
	carp_skip "IPv6 is enabled: run on a host booted with ipv6.disable=1"

# raw6 IFACE DST_MAC...: from IFACE, each kind of IPv6 frame to each MAC,
# COUNT times, through an AF_PACKET socket (no IPv6 stack needed).
RAW6_PY='
import socket, struct, sys

iface, count, macs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
src = s.getsockname()[4]
mac = lambda m: bytes(int(x, 16) for x in m.split(":"))
a6 = lambda a: socket.inet_pton(socket.AF_INET6, a)

def ip6(nh, dst, payload, src=a6("fe80::10")):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, 255) + src + \
        a6(dst) + payload

# CARP v2, vhid 1, advskew 0, authlen 7, counter and a junk HMAC
carp = struct.pack("!BBBBBBH", 0x21, 1, 0, 7, 0, 1, 0) + bytes(28)
# neighbour solicitation for an address carp could own
ns = struct.pack("!BBHI", 135, 0, 0, 0) + a6("2001:db8::1")
frames = [
    ip6(112, "ff02::12", carp),
    ip6(112, "2001:db8::2", carp),
    ip6(58, "ff02::1:ff00:1", ns),
    ip6(112, "ff02::12", carp)[:20],
]
for _ in range(count):
    for m in macs:
        for f in frames:
            s.send(mac(m) + src + b"\x86\xdd" + f)
'

raw6()
{
	local ns=$1; shift

	ip netns exec "$ns" python3 -c "$RAW6_PY" "$@"
}

# pair_ready: main MASTER, spare BACKUP (what test_setup makes).
pair_ready()
{
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

test_setup()
{
	carp_pair_setup "IPv6 disabled: main MASTER, spare BACKUP over IPv4" \
		1 "$MAIN_SKEW" "$SPARE_SKEW"
}

test_ingress()
{
	local out

	pair_ready
	check_begin
	raw6 "$CLIENT" eth0 20 "$(vmac_of 1)" ff:ff:ff:ff:ff:ff \
		"$(mac_of "$MAIN" eth0)" "$(mac_of "$SPARE" eth0)"
	check_err $? "could not send the IPv6 frames"
	# Still alive, and nothing moved.
	out=$(expect_states_for $(($(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") * 2)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	client_ping "$VIP"
	check_err $? "client cannot reach $VIP after the IPv6 frames"
	log_test "IPv6 frames from the LAN (proto 112, NS, truncated): no crash, no change"
}

# tx_counts NS: carp0's tx packets and tx dropped, "P D".
tx_counts()
{
	ip -n "$1" -s -j link show dev carp0 | python3 -c \
		'import json, sys; t = json.load(sys.stdin)[0]["stats64"]["tx"]; print(t["packets"], t["dropped"])'
}

test_xmit()
{
	local ns want p0 d0 p1 d1 mac out

	pair_ready
	check_begin
	for ns in "$MAIN" "$SPARE"; do
		mac=$(mac_of "$ns" carp0)
		read -r p0 d0 <<<"$(tx_counts "$ns")"
		# to carp0's own MAC, multicast and unicast, and truncated
		raw6 "$ns" carp0 5 "$mac"
		check_err $? "could not send on carp0 in ${ns%%-*}"
		read -r p1 d1 <<<"$(tx_counts "$ns")"
		# (>=: whatever else carp0 sends meanwhile is counted too)
		if [ "$ns" = "$MAIN" ]; then
			want="at least 20, 0"
			((p1 - p0 >= 20 && d1 == d0))
		else
			# 6.1 drops them before carp0 while its carrier is
			# off (linkwatch's noop qdisc), 6.12 in carp_xmit()
			want="0, any"
			((p1 == p0))
		fi
		check_err $? "${ns%%-*}: carp0 tx packets, dropped went up by $((p1 - p0)), $((d1 - d0)); expected $want"
	done
	out=$(expect_states_for $(($(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") * 2)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "IPv6 frames sent on carp0 by a packet socket: the MASTER's leave, the BACKUP's are dropped"
}

# refused WHAT NS ARGS...: carpctl fails with one line naming IPv6, and
# neither the devices nor carp0's addresses nor its peer6 changed.
refused()
{
	local what=$1 ns=$2; shift 2
	local out rc links0 links1 addrs0 addrs1 show0 show1

	links0=$(ip -n "$ns" -o link show | awk '{ print $2 }')
	addrs0=$(ip -n "$ns" -o addr show)
	show0=$(carpctl -n "$ns" -j show carp0 | jq -c '.[0] | del(.last_change_ms, .nodes[].last_change_ms)')
	out=$(carpctl -n "$ns" "$@" 2>&1)
	rc=$?
	links1=$(ip -n "$ns" -o link show | awk '{ print $2 }')
	addrs1=$(ip -n "$ns" -o addr show)
	show1=$(carpctl -n "$ns" -j show carp0 | jq -c '.[0] | del(.last_change_ms, .nodes[].last_change_ms)')

	check_begin
	((rc != 0)) || check_fail_msg "carpctl $* exited 0"
	[ "$(wc -l <<<"$out")" -eq 1 ] ||
		check_fail_msg "more than one line: $out"
	grep -q 'IPv6 is disabled' <<<"$out" ||
		check_fail_msg "message does not say IPv6 is disabled: $out"
	[ "$links0" = "$links1" ] || check_fail_msg "devices changed: $links1"
	[ "$addrs0" = "$addrs1" ] || check_fail_msg "addresses changed"
	[ "$show0" = "$show1" ] || check_fail_msg "carp0 changed: $show1"
	log_test "$what refused, nothing changed: $out"
}

test_config()
{
	pair_ready
	refused "add with an IPv6 address" "$MAIN" \
		add carp1 dev eth0 vhid 2 10.0.0.50/24 2001:db8::1/64
	refused "set an IPv6 address" "$MAIN" set carp0 10.0.0.1/24 2001:db8::1/64
	refused "peer6" "$MAIN" set carp0 peer6 2001:db8::3
	refused "a VRRPv3 device of IPv6" "$MAIN" \
		add carp1 dev eth0 vhid 2 carpver 3 fe80::2/64 2001:db8::2/64
}

# VRRPv3: a device of IPv6 is refused by the kernel itself (through ip, no
# carpctl on the way); one of IPv4 runs: MASTER and advertising.
test_vrrp()
{
	local out

	pair_ready
	check_begin
	out=$(ip -n "$MAIN" link add carp1 link eth0 type carp vhid 2 carpver 3 \
		vrrpfamily inet6 2>&1) &&
		check_fail_msg "ip link add: a VRRPv3 device of IPv6 accepted"
	grep -q "IPv6 is disabled" <<<"$out" ||
		check_fail_msg "ip link add: '$out', not the kernel's message"
	link_exists "$MAIN" carp1 && check_fail_msg "carp1 exists after a refused request"
	out=$(carp_add "$MAIN" carp1 dev eth0 vhid 2 carpver 3 vrrpinterval 10 \
		10.0.0.60/24)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp1 MASTER "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(wait_counter_ge "$MAIN" carp1 opackets 3 "$CARP_MARGIN_MS")
	check_err $? "$out"
	carp_del "$MAIN" carp1
	log_test "VRRPv3: IPv6 refused by the kernel (IPv6 is disabled); IPv4 MASTER and advertising"
}

test_failover()
{
	local out

	pair_ready
	check_begin
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	client_ping "$VIP"
	check_err $? "client cannot reach $VIP on spare"
	cable_plug main
	log_test "IPv6 disabled: spare takes over 10.0.0.1 when main's cable is pulled"
}

carp_test_init
require_cmd jq
carp_run_tests
exit "$EXIT_STATUS"
