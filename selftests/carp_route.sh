#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Virtual addresses in subnets where the hosts have no address of their
# own, and routes through carp0: the routes follow the MASTER.
#
#   main, spare: eth0 10.0.0.2/.3 (no IPv6 but link-local); carp0 vhid 1
#                with 192.168.7.1/24 and 2001:db8:7::1/64 only, added by
#                carpctl (prefix routes on carp0 at metric 1024)
#   client:      eth0 10.0.0.10, 192.168.7.3/24, 2001:db8:7::3/64, and
#                192.168.8.3/24, 2001:db8:8::3/64 behind routes
#                `ip route add 192.168.8.0/24 dev carp0` on both hosts
#
# Proves, for IPv4 and IPv6: carp0 is made with ignore_routes_with_linkdown,
# accept_dad 0 and accept_ra 0 (an address added without nodad is not
# tentative, even on a BACKUP) and with scatter-gather, checksum offload
# and segmentation offload on (ethtool -k); the MASTER has the prefix routes of its
# virtual addresses on carp0 and uses them; the BACKUP has them marked
# linkdown and does not use them (no route to the subnet); the client
# reaches the virtual addresses and the MASTER reaches the client from
# them, the routes added with `dev carp0` included, before a failover, on
# the new MASTER after it (cable pulled) and after the cable is back
# (preempt off: the roles stay swapped); carp0 resolves its neighbours
# itself (the client's cache learns the virtual MAC from carp0's own
# requests: a capture on the client shows them from the virtual MAC and
# address); the BACKUP is silent: with ping, UDP and TCP sockets bound to
# either virtual address, towards the VIP-only subnets and the shared
# one, nothing leaves its switch port from the virtual addresses or the
# virtual MAC (a capture on the switch, which sees the same from the
# MASTER when it does the same).

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

ALL_TESTS="test_setup test_conf test_routes test_reach test_own_arp
	test_silent test_failover test_plug_back"

ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100
PASS=route
RVIP=192.168.7.1
RVIP6=2001:db8:7::1
RCLIENT=192.168.7.3
RCLIENT6=2001:db8:7::3
DCLIENT=192.168.8.3
DCLIENT6=2001:db8:8::3
VMAC=$(vmac_of 1)


# client_setup: the client's addresses in the VIP-only subnets.
client_setup()
{
	ip -n "$CLIENT" addr add "$RCLIENT/24" dev eth0 &&
	ip -n "$CLIENT" addr add "$DCLIENT/24" dev eth0 &&
	ip -n "$CLIENT" addr add "$RCLIENT6/64" dev eth0 nodad &&
	ip -n "$CLIENT" addr add "$DCLIENT6/64" dev eth0 nodad
}

# dev_routes NS: the routes through carp0 (to the subnets only the client
# has an address in).
dev_routes()
{
	ip -n "$1" route add 192.168.8.0/24 dev carp0 &&
	ip -n "$1" -6 route add 2001:db8:8::/64 dev carp0
}

test_setup()
{
	local out ns

	check_begin
	out=$(client_setup 2>&1)
	check_err $? "client addresses: $out"
	out=$(carp_pair_add carp0 eth0 1 "$MAIN_SKEW" "$SPARE_SKEW" \
		pass "$PASS" "$RVIP/24" "$RVIP6/64")
	check_err $? "$out"
	for ns in "$MAIN" "$SPARE"; do
		out=$(dev_routes "$ns" 2>&1)
		check_err $? "routes via carp0 in ${ns%%-*}: $out"
	done
	log_test "pair with VIP-only subnets, routes via carp0 on both hosts"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

# usable6 NS ADDR: ADDR is on NS's carp0 and not tentative.
usable6()
{
	local out

	out=$(ip -n "$1" -6 addr show dev carp0 to "$2/128")
	[[ $out == *"$2"* && $out != *tentative* ]]
}

# What carp0 is made with: routes ignored while its carrier is off (IPv4
# and IPv6), no duplicate address detection (an address added without
# nodad is usable at once), no router advertisements (nor solicitations).
test_conf()
{
	local ns out

	carp_pair_ready_route
	check_begin
	for ns in "$MAIN" "$SPARE"; do
		out=$(ip netns exec "$ns" sysctl -n \
			net.ipv4.conf.carp0.ignore_routes_with_linkdown \
			net.ipv6.conf.carp0.ignore_routes_with_linkdown \
			net.ipv6.conf.carp0.accept_dad \
			net.ipv6.conf.carp0.accept_ra | tr '\n' ' ')
		[ "$out" = "1 1 0 0 " ] ||
			check_fail_msg "${ns%%-*}: carp0's ignore_routes_with_linkdown (v4, v6), accept_dad, accept_ra: $out"
	done
	# the parent's offloads, as vlan and macvlan: TCP through carp0 is
	# segmented and checksummed at the parent, not at MTU size by TCP
	out=$(ip netns exec "$MAIN" ethtool -k carp0)
	for f in tx-scatter-gather tx-checksum-ip-generic \
		 tcp-segmentation-offload generic-segmentation-offload; do
		grep -Eq "^[[:space:]]*$f: on" <<<"$out" ||
			check_fail_msg "carp0's $f: $(grep -E "^[[:space:]]*$f:" <<<"$out")"
	done
	ip -n "$SPARE" -6 addr add 2001:db8:9::1/64 dev carp0 metric 1024
	check_err $? "ip addr add without nodad"
	# DAD's work item completes it, or keeps it tentative for good
	slowwait 2 usable6 "$SPARE" 2001:db8:9::1 ||
		check_fail_msg "an address without nodad on the BACKUP: '$(ip -n "$SPARE" -6 addr show dev carp0 to 2001:db8:9::1/128)'"
	ip -n "$SPARE" -6 addr del 2001:db8:9::1/64 dev carp0
	log_test "carp0: linkdown routes ignored, no DAD, no RA, offloads on; address usable at once"
}

# route_via NS FAMILY DST: `ip route get` in NS goes out of carp0 from the
# virtual address of FAMILY. Prints what it got otherwise.
route_via()
{
	local ns=$1 fam=$2 dst=$3 src out

	src=$RVIP
	[ "$fam" = 6 ] && src=$RVIP6
	out=$(ip -n "$ns" -"$fam" route get "$dst" 2>&1)
	[[ $out == *"dev carp0"*"src $src"* ]] && return 0
	echo "${ns%%-*}: route get $dst: $out"
	return 1
}

# no_route NS FAMILY DST: NS has no usable route to DST. Prints otherwise.
no_route()
{
	local out

	out=$(ip -n "$1" -"$2" route get "$3" 2>&1) || return 0
	echo "${1%%-*} routes $3 while BACKUP: $out"
	return 1
}

# routes_check MASTER_NS BACKUP_NS: each family's subnet and carp0 routes
# used on the MASTER, unusable on the BACKUP (and shown linkdown there).
routes_check()
{
	local m=$1 b=$2 out

	for dst in "4 $RCLIENT" "4 $DCLIENT" "6 $RCLIENT6" "6 $DCLIENT6"; do
		set -- $dst
		out=$(route_via "$m" "$1" "$2")
		check_err $? "$out"
		out=$(no_route "$b" "$1" "$2")
		check_err $? "$out"
	done
	out=$(ip -n "$b" route show 192.168.7.0/24 dev carp0)
	[[ $out == *linkdown* ]] ||
		check_fail_msg "BACKUP's prefix route not linkdown: '$out'"
	out=$(ip -n "$b" -6 route show 2001:db8:7::/64 dev carp0)
	[[ $out == *linkdown* ]] ||
		check_fail_msg "BACKUP's IPv6 prefix route not linkdown: '$out'"
}

test_routes()
{
	carp_pair_ready_route
	check_begin
	routes_check "$MAIN" "$SPARE"
	log_test "MASTER routes the VIP-only subnets via carp0, BACKUP does not (linkdown)"
}

# reach_check NS: the client pings both virtual addresses, and NS (the
# MASTER) pings the client in each subnet, from the virtual addresses.
reach_check()
{
	local ns=$1 dst

	for dst in "$RVIP" "$RVIP6"; do
		slowwait 5 ip netns exec "$CLIENT" ping -c 1 -W 1 -q "$dst" \
			>/dev/null 2>&1 ||
			check_fail_msg "the client cannot ping $dst"
	done
	for dst in "$RCLIENT" "$DCLIENT" "$RCLIENT6" "$DCLIENT6"; do
		slowwait 5 ip netns exec "$ns" ping -c 1 -W 1 -q "$dst" \
			>/dev/null 2>&1 ||
			check_fail_msg "${ns%%-*} cannot ping $dst"
	done
}

test_reach()
{
	carp_pair_ready_route
	check_begin
	reach_check "$MAIN"
	log_test "both directions: client to the VIPs, MASTER to the client (4 routes)"
}

# The MASTER's carp0 asks for the client itself, from the virtual MAC and
# address (ARP and neighbour solicitation), and the client's cache learns
# the virtual MAC for the virtual addresses from it.
test_own_arp()
{
	local n out

	carp_pair_ready_route
	check_begin
	ip -n "$MAIN" neigh flush dev carp0
	ip -n "$CLIENT" neigh flush dev eth0
	capture_start ownarp "$CLIENT" eth0 "arp or icmp6"
	check_err $? "capture"
	out=$(ip netns exec "$MAIN" ping -c 1 -W 2 "$DCLIENT" 2>&1)
	check_err $? "main cannot ping $DCLIENT: $out"
	out=$(ip netns exec "$MAIN" ping -6 -c 1 -W 2 "$DCLIENT6" 2>&1)
	check_err $? "main cannot ping $DCLIENT6: $out"
	capture_stop ownarp
	n=$(capture_count ownarp '$1 == "arp" && $5 == "request" && $3 == v && $6 == v && $7 == ip' \
		v="$VMAC" ip="$RVIP")
	((n >= 1)) ||
		check_fail_msg "no ARP request from $VMAC/$RVIP: $(capture_show ownarp | head -n 5)"
	n=$(capture_count ownarp '$1 == "eth" && $3 == v && $5 == "86dd"' v="$VMAC")
	((n >= 2)) ||
		check_fail_msg "no IPv6 (solicitation, echo) from $VMAC: $(capture_show ownarp | head -n 5)"
	out=$(ip -n "$MAIN" neigh show "$DCLIENT" dev carp0)
	[[ $out == *"lladdr $(mac_of "$CLIENT" eth0)"* ]] ||
		check_fail_msg "main's carp0 neighbour $DCLIENT: '$out'"
	out=$(ip -n "$MAIN" -6 neigh show "$DCLIENT6" dev carp0)
	[[ $out == *"lladdr $(mac_of "$CLIENT" eth0)"* ]] ||
		check_fail_msg "main's carp0 neighbour $DCLIENT6: '$out'"
	for out in "$RVIP" "$RVIP6"; do
		[[ $(client_neigh_mac "$out") == "$VMAC" ]] ||
			check_fail_msg "the client's cache: $out at '$(client_neigh_mac "$out")'"
	done
	log_test "carp0 resolves its neighbours from $VMAC and the VIPs (capture)"
}

# silent_capture TAG HOST NS: what HOST (main or spare, namespace NS) puts
# on the wire from the virtual addresses or MAC (but advertisements) while
# it sends from them
# with ping, UDP and TCP to every subnet (a capture on its switch port).
# Sets SILENT_N to the number of such frames.
silent_capture()
{
	local tag=$1 host=$2 ns=$3 dst

	capture_start "$tag" "$SW" "sw_$host" -Q in \
		"(ether src $VMAC and not ip proto 112 and not ip6 proto 112) or (ip and src host $RVIP) or (ip6 and src host $RVIP6) or (arp and arp[14:4] = 0xc0a80701)"
	check_err $? "capture"
	for dst in "$RCLIENT" "$DCLIENT" "$CLIENT_IP"; do
		ip netns exec "$ns" ping -c 1 -W 1 -I "$RVIP" "$dst" >/dev/null 2>&1
	done
	for dst in "$RCLIENT6" "$DCLIENT6"; do
		ip netns exec "$ns" ping -6 -c 1 -W 1 -I "$RVIP6" "$dst" >/dev/null 2>&1
	done
	ip netns exec "$ns" python3 -c "$CARP_SEND_PY" 4 "$RVIP" "$RCLIENT" \
		"$DCLIENT" "$CLIENT_IP"
	ip netns exec "$ns" python3 -c "$CARP_SEND_PY" 6 "$RVIP6" "$RCLIENT6" \
		"$DCLIENT6"
	# the marker after everything: the capture holds all that was sent
	capture_stop "$tag"
	SILENT_N=$(capture_count "$tag" 1)
}

test_silent()
{
	carp_pair_ready_route
	check_begin
	silent_capture silent spare "$SPARE"
	((SILENT_N == 0)) ||
		check_fail_msg "the BACKUP sent $SILENT_N frames from the VIPs or $VMAC: $(capture_show silent | head -n 4)"
	silent_capture loud main "$MAIN"
	((SILENT_N >= 10)) ||
		check_fail_msg "the capture saw only $SILENT_N frames of the MASTER doing the same"
	log_test "BACKUP silent from the VIPs (ping, UDP, TCP; v4, v6; capture), MASTER not"
}

test_failover()
{
	local out

	carp_pair_ready_route
	check_begin
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	for dst in "4 $RCLIENT" "4 $DCLIENT" "6 $RCLIENT6" "6 $DCLIENT6"; do
		set -- $dst
		out=$(route_via "$SPARE" "$1" "$2")
		check_err $? "$out"
	done
	reach_check "$SPARE"
	log_test "cable pulled: the spare MASTER, routes and both directions on it"
}

test_plug_back()
{
	local out

	# test_failover's state (main's cable out, the spare MASTER), or
	# made from the pair
	[ "$(link_operstate "$SW" sw_main)" != UP ] &&
		_states_are "$SPARE" carp0 MASTER || carp_pair_ready_route
	if _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP; then
		out=$(carp_pull_main "$SPARE_SKEW") ||
			carp_ensure_fail "$out" "cable pull on main: spare MASTER"
	fi
	check_begin
	out=$(carp_plug_back "$MAIN_SKEW" 3000 0)
	check_err $? "$out"
	routes_check "$SPARE" "$MAIN"
	reach_check "$SPARE"
	silent_capture silent2 main "$MAIN"
	((SILENT_N == 0)) ||
		check_fail_msg "main, BACKUP now, sent $SILENT_N frames from the VIPs or $VMAC: $(capture_show silent2 | head -n 4)"
	log_test "cable back: main BACKUP and silent, the spare keeps routes and traffic"
}

# carp_pair_ready_route: test_setup's pair for a sub-test run alone (the
# client's addresses and the routes through carp0 with it); a pair that
# has failed over stays as it is.
carp_pair_ready_route()
{
	local out

	if [ "$(link_operstate "$SW" sw_main)" = UP ] &&
	   [ "$(link_operstate "$SW" sw_spare)" = UP ]; then
		_states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP && return 0
		_states_are "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER && return 0
	fi
	cable_plug main
	cable_plug spare
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	client_setup 2>/dev/null
	out=$(carp_pair_add carp0 eth0 1 "$MAIN_SKEW" "$SPARE_SKEW" \
		pass "$PASS" "$RVIP/24" "$RVIP6/64") &&
		out=$(dev_routes "$MAIN" 2>&1 && dev_routes "$SPARE" 2>&1) ||
		carp_ensure_fail "$out" "main MASTER, spare BACKUP, routes via carp0"
}

carp_test_init
carp_run_tests

exit "$EXIT_STATUS"
