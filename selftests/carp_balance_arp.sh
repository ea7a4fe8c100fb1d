#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# balancing arp (OpenBSD's carpnodes with balancing arp): two hosts share
# one address, each vhid answering the ARP requests (neighbour
# solicitations) of its share of the requesters with its own unicast MAC,
# over an ordinary learning switch.
#
#   main  10.0.0.2:  carp0 carpnodes 1:30,2:90 balancing arp advbase 0
#   spare 10.0.0.3:  carp0 carpnodes 1:90,2:30 balancing arp advbase 0
#   client 10.0.0.10 (MAC 02:00:00:00:00:0a) and client2 10.0.0.11
#   (02:00:00:00:00:11, a fourth namespace)
#   all hosts: pass secret, 10.0.0.1/24, net.carp.preempt=1
#
# A requester is answered by vhid number carp_hash(MAC) % 2 in vhid order,
# OpenBSD's hash of its MAC keyed by the password. The expectations come
# from carp_pkt.py's re-implementation of OpenBSD's C (arp-node), not from
# the kernel: the client by vhid 1 (main), client2 by vhid 2 (spare).
#
# Proves:
#   - each host is MASTER of one vhid; carpctl shows balancing arp;
#   - the two clients resolve 10.0.0.1 to different vhid MACs, the one
#     the selection gives, and reach it; the switch learnt each vhid's MAC
#     at its MASTER's port (no flooding);
#   - ARP requests from 8 requester MACs: each gets exactly one reply,
#     whose sender and Ethernet source are the MAC of the vhid the
#     selection gives;
#   - IPv6: neighbour solicitations are answered the same way, by the
#     MAC of their source link-layer address option;
#   - main's cable pulled: the spare takes vhid 1, the switch moves its
#     MAC, and the client keeps reaching the address with the MAC it has;
#     the spare answers vhid 1's requesters; no gratuitous ARP is sent;
#     plugged back (preempt): main answers vhid 1's requesters again;
#   - balancing arp with one vhid, and lladdr parent with balancing arp,
#     are refused by the kernel with one line, nothing changed.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

ALL_TESTS="test_setup test_neigh test_requesters test_ipv6 test_failover
	test_refused"

HOSTS=(main spare)
declare -A NODES=([main]="1:30,2:90" [spare]="1:90,2:30")
CLIENT2=""
CLIENT2_IP=10.0.0.11
CLIENT_MAC=02:00:00:00:00:0a
CLIENT2_MAC=02:00:00:00:00:11
# IP=MAC: ARP requesters, each with a MAC of its own
REQUESTERS=(10.0.0.100=02:00:00:00:01:00 10.0.0.101=02:00:00:00:01:01
	    10.0.0.102=02:00:00:00:01:02 10.0.0.103=02:00:00:00:01:03
	    10.0.0.104=02:00:00:00:01:04 10.0.0.105=02:00:00:00:01:05
	    10.0.0.106=02:00:00:00:01:06 10.0.0.107=02:00:00:00:01:07)
# The slowest takeover: a vhid's backup has advskew 90 at advbase 0.
DOWN_MS=$(carp_down_ms 0 90)
ADV_MS=$(carp_adv_ms 0 90)
WAIT_MS=$((DOWN_MS + 3 * ADV_MS + CARP_MARGIN_MS))

# node_states HOST: "1=STATE 2=STATE" of HOST's carp0, one query.
node_states()
{
	carpctl -n "$(host_ns "$1")" -j show carp0 2>/dev/null |
		jq -r '[.[0].nodes[] | "\(.vhid)=\(.state)"] | join(" ")'
}

# _layout_is "V=HOST ..." HOST...: each HOST is MASTER of the vhids the
# layout gives it and BACKUP of the others.
_layout_is()
{
	local layout=$1; shift
	local host vv want

	for host in "$@"; do
		want=""
		for vv in $layout; do
			if [ "${vv#*=}" = "$host" ]; then
				want+=" ${vv%%=*}=MASTER"
			else
				want+=" ${vv%%=*}=BACKUP"
			fi
		done
		[ "$(node_states "$host")" = "${want# }" ] || return 1
	done
}

# wait_layout TIMEOUT_MS "V=HOST ..." HOST...
wait_layout()
{
	local timeout_ms=$1 host

	shift
	loopy_wait "sleep 0.1" "$timeout_ms" _layout_is "$@" && return 0
	for host in "${HOSTS[@]}"; do
		echo -n "$host: $(node_states "$host"); "
	done
	echo "after $timeout_ms ms"
	return 1
}

# selected MAC: the vhid balancing arp gives the requester of MAC (password
# secret, two vhids), computed by carp_pkt.py as OpenBSD does.
selected()
{
	local node

	node=$(python3 "$lib_dir/carp_pkt.py" arp-node secret "$1" 2) ||
		return 1
	echo $((node + 1))
}

# fdb_port MAC: the switch port the bridge learnt MAC at.
fdb_port()
{
	bridge -n "$SW" fdb show br br0 | awk -v m="$1" \
		'tolower($1) == m && $2 == "dev" && $3 ~ /^sw_/ { print $3; exit }'
}

_fdb_is()
{
	[ "$(fdb_port "$1")" = "$2" ]
}

# wait_fdb MAC PORT: the switch learns MAC at PORT within the wait.
wait_fdb()
{
	loopy_wait "sleep 0.1" "$WAIT_MS" _fdb_is "$1" "$2" && return 0
	echo "switch has $1 at '$(fdb_port "$1")', expected $2"
	return 1
}

# resolves NS IP MAC: NS, its neighbour cache flushed, reaches IP and
# resolved it to MAC.
resolves()
{
	local ns=$1 ip=$2 want=$3 m

	ip -n "$ns" neigh flush dev eth0
	slowwait 10 ip netns exec "$ns" ping -c 1 -W 1 -q "$ip" >/dev/null ||
		{ echo "${ns%%-*} cannot reach $ip"; return 1; }
	m=$(neigh_mac "$ns" "$ip")
	[ "$m" = "$want" ] ||
		{ echo "${ns%%-*} resolved $ip to '$m', expected $want"; return 1; }
}

# ARP requests for the VIP, one from each requester given (SRC=SMAC=MAC:
# sender address SRC, sender hardware address and Ethernet source SMAC,
# MAC the one its vhid answers with), all at once from the client's port;
# waits for a reply to each (at most 5 s), then 0.5 s more for duplicates.
# Every sender must get exactly one reply, with MAC as ARP sender and
# Ethernet source: prints what went wrong and fails otherwise.
PROBE_PY='
import socket, struct, sys, time

dev, vip = sys.argv[1], sys.argv[2]
req = {a.split("=")[0]: a.split("=")[1:] for a in sys.argv[3:]}
want = {src: r[1] for src, r in req.items()}
fmt = lambda b: ":".join("%02x" % x for x in b)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.bind((dev, 0x0806))
s.settimeout(0.05)
tip = socket.inet_aton(vip)
got = {src: [] for src in want}
for src, (smac, _) in req.items():
    mac = bytes.fromhex(smac.replace(":", ""))
    arp = (struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac +
           socket.inet_aton(src) + bytes(6) + tip)
    s.send(b"\xff" * 6 + mac + b"\x08\x06" + arp)
end = time.monotonic() + 5
settled = False
while time.monotonic() < end:
    if not settled and all(got.values()):
        settled, end = True, time.monotonic() + 0.5
    try:
        p = s.recv(2048)
    except socket.timeout:
        continue
    if (len(p) < 42 or p[12:14] != b"\x08\x06" or
            struct.unpack("!H", p[20:22])[0] != 2 or p[28:32] != tip):
        continue
    tpa = socket.inet_ntoa(p[38:42])
    if tpa in got:
        got[tpa].append("%s/%s" % (fmt(p[6:12]), fmt(p[22:28])))
bad = ["%s: %d replies (%s), expected one from %s" %
       (src, len(r), " ".join(r), want[src])
       for src, r in got.items() if r != ["%s/%s" % (want[src], want[src])]]
if bad:
    print("; ".join(bad))
    sys.exit(1)
print("# %d requesters, each answered once by its vhid" % len(got))
'

# check_requesters NS: every requester answered exactly once, with the MAC
# of the vhid the selection gives its MAC as ARP sender and Ethernet source.
check_requesters()
{
	local r vhid
	local -a args=()

	for r in "${REQUESTERS[@]}"; do
		vhid=$(selected "${r#*=}") || return 1
		args+=("$r=$(vmac_of "$vhid")")
	done
	ip netns exec "$1" python3 -c "$PROBE_PY" eth0 "$VIP" "${args[@]}"
}

# devices_ready: carp0 in balancing arp on both hosts, both cables in,
# main MASTER of vhid 1 and the spare of vhid 2 (what test_setup makes).
devices_ready()
{
	local host ns out

	if ! link_exists "$MAIN" carp0 || ! link_exists "$SPARE" carp0; then
		for host in "${HOSTS[@]}"; do
			ns=$(host_ns "$host")
			carp_preempt "$ns" 1
			carpctl -n "$ns" del carp0 2>/dev/null
			out=$(carp_add "$ns" carp0 dev eth0 carpnodes \
			      "${NODES[$host]}" balancing arp advbase 0 \
			      pass secret "$VIP/$PLEN") ||
				carp_ensure_fail "$out" "carp0 on $host"
		done
	fi
	cable_plug main
	out=$(wait_layout "$WAIT_MS" "1=main 2=spare" "${HOSTS[@]}") ||
		carp_ensure_fail "$out" "each host MASTER of its vhid"
}

require_carp
require_cmd jq bridge tcpdump
trap carp_cleanup EXIT
if ! carp_topo_create; then
	echo "FAIL: cannot build the test topology"
	exit "$ksft_fail"
fi
if ! setup_ns CLIENT2 ||
   ! ip -n "$SW" link add sw_client2 type veth peer name eth0 \
	netns "$CLIENT2" ||
   ! ip -n "$SW" link set sw_client2 master br0 ||
   ! ip -n "$SW" link set sw_client2 up ||
   ! ip -n "$CLIENT2" link set eth0 address "$CLIENT2_MAC" ||
   ! ip -n "$CLIENT2" link set eth0 up ||
   ! ip -n "$CLIENT2" addr add "$CLIENT2_IP/$PLEN" dev eth0 ||
   ! ip -n "$CLIENT" link set eth0 address "$CLIENT_MAC"; then
	echo "FAIL: cannot build the clients"
	exit "$ksft_fail"
fi
CLIENT_VHID=$(selected "$CLIENT_MAC")
CLIENT2_VHID=$(selected "$CLIENT2_MAC")
if [ "$CLIENT_VHID" != 1 ] || [ "$CLIENT2_VHID" != 2 ]; then
	echo "FAIL: the clients' MACs select vhids '$CLIENT_VHID' and '$CLIENT2_VHID', expected 1 and 2"
	exit "$ksft_fail"
fi

test_setup()
{
	local host ns out

	check_begin
	for host in "${HOSTS[@]}"; do
		ns=$(host_ns "$host")
		carp_preempt "$ns" 1 || check_fail_msg "preempt on $host"
		out=$(carp_add "$ns" carp0 dev eth0 carpnodes "${NODES[$host]}" \
		      balancing arp advbase 0 pass secret "$VIP/$PLEN") ||
			check_fail_msg "$out"
	done
	out=$(wait_layout "$WAIT_MS" "1=main 2=spare" "${HOSTS[@]}")
	check_err $? "$out"
	for host in "${HOSTS[@]}"; do
		ns=$(host_ns "$host")
		[ "$(carp_field "$ns" carp0 balancing)" = arp ] ||
			check_fail_msg "$host: balancing '$(carp_field "$ns" carp0 balancing)'"
		carpctl -n "$ns" show carp0 | grep -q 'carpnodes .* balancing arp$' ||
			check_fail_msg "$host: show: $(carpctl -n "$ns" show carp0)"
		[ "$(mac_of "$ns" carp0)" = 00:00:5e:00:01:01 ] ||
			check_fail_msg "$host: carp0 MAC $(mac_of "$ns" carp0)"
	done
	log_test "arp: each host MASTER of one vhid, show says balancing arp"
}

test_neigh()
{
	local out

	devices_ready
	check_begin
	out=$(resolves "$CLIENT" "$VIP" "$(vmac_of "$CLIENT_VHID")")
	check_err $? "$out"
	out=$(resolves "$CLIENT2" "$VIP" "$(vmac_of "$CLIENT2_VHID")")
	check_err $? "$out"
	log_test "arp: the clients resolve the address to different vhid MACs, by their MAC"

	check_begin
	out=$(wait_fdb "$(vmac_of 1)" sw_main)
	check_err $? "$out"
	out=$(wait_fdb "$(vmac_of 2)" sw_spare)
	check_err $? "$out"
	log_test "arp: the switch learnt each vhid MAC at its MASTER's port"
}

test_requesters()
{
	local out

	devices_ready
	check_begin
	out=$(check_requesters "$CLIENT")
	check_err $? "$out"
	echo "$out"
	log_test "arp: one reply per request, from the vhid the sender's MAC selects"
}

test_ipv6()
{
	local host out

	if [ ! -d /proc/sys/net/ipv6 ]; then
		echo "# no IPv6 on this kernel: IPv6 not tested"
		return 0
	fi
	devices_ready
	check_begin
	out=$(hosts_ip6_add "${HOSTS[@]}") || check_fail_msg "$out"
	for host in "${HOSTS[@]}"; do
		# set's addresses are the whole new list
		out=$(carp_set "$(host_ns "$host")" carp0 "$VIP/$PLEN" "$VIP6/64") ||
			check_fail_msg "$out"
	done
	# the solicitations carry the clients' MACs (source link-layer option)
	ip -n "$CLIENT" addr add "$CLIENT_IP6/$PLEN6" dev eth0 nodad ||
		check_fail_msg "client IPv6 address"
	ip -n "$CLIENT2" addr add 2001:db8::11/64 dev eth0 nodad ||
		check_fail_msg "client2 IPv6 address"
	out=$(wait_layout "$WAIT_MS" "1=main 2=spare" "${HOSTS[@]}")
	check_err $? "$out"
	out=$(resolves "$CLIENT" "$VIP6" "$(vmac_of "$CLIENT_VHID")")
	check_err $? "$out"
	out=$(resolves "$CLIENT2" "$VIP6" "$(vmac_of "$CLIENT2_VHID")")
	check_err $? "$out"
	log_test "arp: neighbour solicitations answered by the vhid the solicitor selects"
}

test_failover()
{
	local out n want

	devices_ready
	check_begin
	want=$(vmac_of "$CLIENT_VHID")
	out=$(resolves "$CLIENT" "$VIP" "$want")
	check_err $? "$out"
	capture_start failover "$SW" br0 arp || check_fail_msg "no capture"
	cable_pull main
	out=$(wait_layout "$((DOWN_MS + CARP_MARGIN_MS))" "1=spare 2=spare" spare)
	check_err $? "$out"
	out=$(wait_fdb "$want" sw_spare)
	check_err $? "$out"
	client_ping "$VIP" 10 || check_fail_msg "client cannot reach $VIP"
	[ "$(client_neigh_mac "$VIP")" = "$want" ] ||
		check_fail_msg "client's neighbour for $VIP: $(client_neigh_mac "$VIP")"
	out=$(check_requesters "$CLIENT")
	check_err $? "$out"
	capture_stop failover
	n=$(capture_count failover '$1 == "arp" && $7 == vip && $9 == vip')
	((n == 0)) || check_fail_msg "$n gratuitous ARP for $VIP"
	log_test "arp: main's cable pulled: the spare answers vhid 1's requesters, no gratuitous ARP"

	check_begin
	cable_plug main
	out=$(wait_layout "$WAIT_MS" "1=main 2=spare" "${HOSTS[@]}")
	check_err $? "$out"
	out=$(wait_fdb "$want" sw_main)
	check_err $? "$out"
	client_ping "$VIP" 10 || check_fail_msg "client cannot reach $VIP"
	out=$(check_requesters "$CLIENT")
	check_err $? "$out"
	log_test "arp: main plugged back: it answers vhid 1's requesters again"
}

# refused NS DEV MESSAGE ARGS...: `carpctl -n NS set DEV ARGS` fails with
# one line holding MESSAGE, and DEV is as it was.
refused()
{
	local ns=$1 dev=$2 msg=$3 before after out
	shift 3

	before=$(carpctl -n "$ns" -j show "$dev" |
		 jq -c '.[0] | del(.nodes[]?.last_change_ms, .last_change_ms, .stats)')
	if out=$(carpctl -n "$ns" set "$dev" "$@" 2>&1); then
		echo "accepted: set $dev $*"
		return 1
	fi
	if [ "$(wc -l <<<"$out")" -ne 1 ] || ! grep -qF -- "$msg" <<<"$out"; then
		echo "set $dev $*: '$out', expected one line with '$msg'"
		return 1
	fi
	after=$(carpctl -n "$ns" -j show "$dev" |
		jq -c '.[0] | del(.nodes[]?.last_change_ms, .last_change_ms, .stats)')
	[ "$before" = "$after" ] || { echo "changed: $before -> $after"; return 1; }
}

test_refused()
{
	local out

	devices_ready
	check_begin
	# settled (MASTER, alone with vhid 9) before the refusals, whose
	# check compares its state too
	out=$(carp_add "$MAIN" carp1 dev eth0 vhid 9 advbase 0 advskew 20 \
		pass secret 10.0.0.9/24 &&
	      wait_state "$MAIN" carp1 MASTER $(($(carp_down_ms 0 20) + CARP_MARGIN_MS)))
	check_err $? "$out"
	# carpctl cannot tell how many vhids the device has: the kernel says
	out=$(refused "$MAIN" carp1 "balancing needs two or more carpnodes" \
	      balancing arp)
	check_err $? "$out"
	out=$(refused "$MAIN" carp0 "balancing arp answers with each vhid's own virtual MAC" \
	      lladdr parent)
	check_err $? "$out"
	carpctl -n "$MAIN" del carp1
	log_test "arp: one vhid, lladdr parent refused by the kernel, nothing changed"
}

carp_run_tests

exit "$EXIT_STATUS"
