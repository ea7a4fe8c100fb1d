#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load balancing (OpenBSD's carpnodes/balancing): three hosts serve one
# address at once.
#
#   main  10.0.0.2: carp0 carpnodes 1:0,2:100,3:200
#   spare 10.0.0.3: carp0 carpnodes 1:200,2:0,3:100
#   third 10.0.0.4: carp0 carpnodes 1:100,2:200,3:0
#   all:  pass secret, 10.0.0.1/24, net.carp.preempt=1
#
# Each host is MASTER of the vhid it has advskew 0 for; every vhid has a
# distinct advskew on every host, so no two backups ever tie. The client
# sends 100 UDP flows to 10.0.0.1, from 10.0.0.100-199, and a few TCP
# connections; every host runs a server bound to 10.0.0.1 that answers
# with its name.
#
# Proves, in balancing ip (multicast virtual MAC), ip-stealth (the virtual
# MAC never a source on the wire) and ip-unicast (a switch that does not
# learn, i.e. a hub):
#   - every flow is answered, by exactly one host, and that host is the
#     MASTER of the vhid OpenBSD's hash (ntohl(src ^ dst) % 3) gives the
#     flow; every host takes some; TCP connections stay on their host;
#   - main's cable pulled: its vhid moves to the best backup within the
#     master-down time, and all its flows with it (no flow unanswered, none
#     answered twice); plugged back (preempt): the split returns;
#   - what each mode puts on the wire (the virtual MAC in ARP replies, as
#     an Ethernet source or not);
#   - bad balancing configurations are refused with one line and change
#     nothing.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_carp6.sh"

ALL_TESTS="test_setup test_refused test_ip test_ip6 test_failover
	test_balanced_set test_stealth test_unicast"

PORT=7777
PY=$lib_dir/carp_balance.py
HOSTS=(main spare third)
declare -A NODES=([main]="1:0,2:100,3:200" [spare]="1:200,2:0,3:100"
		  [third]="1:100,2:200,3:0")
mapfile -t SRCS < <(seq -f '10.0.0.%g' 100 199)
mapfile -t SRCS6 < <(seq -f '2001:db8::%g' 100 129)
# The slowest takeover: a vhid's best remaining backup has advskew 100.
DOWN_MS=$(carp_down_ms 1 100)
ADV_MS=$(carp_adv_ms 1 200)

# node_state HOST VHID: that vhid's state on HOST's carp0.
node_state()
{
	carpctl -n "$(host_ns "$1")" -j show carp0 2>/dev/null |
		jq -r --argjson v "$2" '.[0].nodes[] | select(.vhid == $v) | .state'
}

# _layout_is "V=HOST ..." HOST...: each HOST (those up) is MASTER of the
# vhids the layout gives it and BACKUP of the others.
_layout_is()
{
	local layout=$1; shift
	local host vv v owner want

	for host in "$@"; do
		for vv in $layout; do
			v=${vv%%=*} owner=${vv#*=}
			want=BACKUP
			[ "$owner" = "$host" ] && want=MASTER
			[ "$(node_state "$host" "$v")" = "$want" ] || return 1
		done
	done
}

_layout_show()
{
	local host v out=""

	for host in "${HOSTS[@]}"; do
		out+="$host:"
		for v in 1 2 3; do
			out+=" $v=$(node_state "$host" "$v")"
		done
		out+="; "
	done
	echo "$out"
}

# wait_layout TIMEOUT_MS "V=HOST ..." HOST...
wait_layout()
{
	local timeout_ms=$1

	shift
	if loopy_wait "sleep 0.2" "$timeout_ms" _layout_is "$@"; then
		return 0
	fi
	echo "after $timeout_ms ms: $(_layout_show)"
	return 1
}

# check_flows "V=HOST ..." HOST...: the 100 UDP flows are each answered by
# exactly the MASTER of their vhid, and every HOST (those up) answers some.
# FLOWS6=1: the 30 IPv6 flows to $VIP6 instead.
check_flows()
{
	local layout=$1; shift
	local answers owners vip=$VIP
	local -a srcs=("${SRCS[@]}")

	if [ -n "${FLOWS6:-}" ]; then
		vip=$VIP6
		srcs=("${SRCS6[@]}")
	fi
	answers=$(ip netns exec "$CLIENT" python3 "$PY" probe "$vip" "$PORT" \
		  "${srcs[@]}") || { echo "probe failed"; return 1; }
	owners=$(python3 "$PY" owner "$vip" 3 "${srcs[@]}")
	python3 - "$layout" "$answers" "$owners" "$@" <<-'EOF'
	import collections, json, sys
	layout = dict(vv.split("=") for vv in sys.argv[1].split())
	answers, owners = json.loads(sys.argv[2]), json.loads(sys.argv[3])
	hosts = sys.argv[4:]
	bad, taken = [], collections.Counter()
	for src, names in answers.items():
	    want = layout[str(owners[src] + 1)]
	    got = sorted(set(names))
	    if got != [want]:
	        bad.append("%s (vhid %d): %s, expected %s"
	                   % (src, owners[src] + 1, got or "no answer", want))
	    for n in got:
	        taken[n] += 1
	print("# flows per host: " + ", ".join(
	    "%s %d" % (h, taken[h]) for h in hosts))
	for h in hosts:
	    if not taken[h]:
	        bad.append("%s answers no flow" % h)
	if bad:
	    print("%d of %d flows wrong: %s" % (len(bad), len(answers),
	                                       "; ".join(bad[:5])))
	    sys.exit(1)
	EOF
}

# check_tcp "V=HOST ...": TCP connections from a few sources stay, line
# after line, on the MASTER of their vhid.
check_tcp()
{
	local layout=$1 answers owners

	answers=$(ip netns exec "$CLIENT" python3 "$PY" tcp "$VIP" "$PORT" 4 \
		  "${SRCS[@]:0:6}") || { echo "tcp failed"; return 1; }
	owners=$(python3 "$PY" owner "$VIP" 3 "${SRCS[@]:0:6}")
	python3 - "$layout" "$answers" "$owners" <<-'EOF'
	import json, sys
	layout = dict(vv.split("=") for vv in sys.argv[1].split())
	answers, owners = json.loads(sys.argv[2]), json.loads(sys.argv[3])
	bad = ["%s: %s, expected %s all along" % (s, n, layout[str(owners[s] + 1)])
	       for s, n in answers.items()
	       if set(n) != {layout[str(owners[s] + 1)]}]
	if bad:
	    print("; ".join(bad))
	    sys.exit(1)
	EOF
}

# servers_start [VIP]: the answering service on every host, bound to the
# VIP (not in a subshell: carp_cleanup stops them).
servers_start()
{
	local vip=${1:-$VIP} host out

	for host in "${HOSTS[@]}"; do
		out=$CARP_TMP/serve-$host-$vip
		ip netns exec "$(host_ns "$host")" python3 "$PY" serve "$host" \
			"$vip" "$PORT" >"$out" 2>&1 &
		CARP_BG_PIDS+=("$!")
		if ! slowwait 30 grep -q ready "$out"; then
			check_fail_msg "$host server: $(cat "$out")"
			return 1
		fi
	done
}

# vmac_sources TAG: frames on the switch with a virtual MAC as source.
vmac_sources()
{
	capture_count "$1" '$3 ~ /^0[01]:00:5e:00:01:/'
}

ALL="1=main 2=spare 3=third"
NOMAIN="1=third 2=spare 3=third"
SERVERS_UP=""

# balancing_set MODE TAG: every host's carp0 switched to balancing MODE,
# the client's neighbours flushed, the switch captured (TAG; not in a
# subshell), each host MASTER of its vhid again. Checks of the caller's.
balancing_set()
{
	local mode=$1 tag=$2 host out

	for host in "${HOSTS[@]}"; do
		out=$(carpctl -n "$(host_ns "$host")" set carp0 balancing "$mode" 2>&1) ||
			check_fail_msg "$host: $out"
	done
	ip -n "$CLIENT" neigh flush dev eth0
	capture_start "$tag" "$SW" br0 || check_fail_msg "no capture"
	out=$(wait_layout $((DOWN_MS + 3 * ADV_MS + CARP_MARGIN_MS)) "$ALL" \
	      "${HOSTS[@]}")
	check_err $? "$out"
}

# clients_ready: preempt on every host, the client's 100 addresses (what
# test_setup makes).
clients_ready()
{
	local host src

	ip -n "$CLIENT" -4 -o addr show dev eth0 | grep -q ' 10\.0\.0\.100/' &&
		return 0
	for host in "${HOSTS[@]}"; do
		carp_preempt "$(host_ns "$host")" 1
	done
	for src in "${SRCS[@]}"; do
		ip -n "$CLIENT" addr add "$src/24" dev eth0
	done
}

# devices_ready: carp0 balanced on every host (balancing ip unless it is
# balanced otherwise already), both cables in, each host MASTER of its
# vhid, the servers up (what test_ip makes).
devices_ready()
{
	local host ns out

	clients_ready
	if ! link_exists "$MAIN" carp0 || ! link_exists "$SPARE" carp0 ||
	   ! link_exists "$THIRD" carp0; then
		for host in "${HOSTS[@]}"; do
			ns=$(host_ns "$host")
			carpctl -n "$ns" del carp0 2>/dev/null
			out=$(carp_add "$ns" carp0 dev eth0 \
			      carpnodes "${NODES[$host]}" balancing ip pass secret \
			      "$VIP/$PLEN") || carp_ensure_fail "$out" "carp0 on $host"
		done
	fi
	cable_plug main
	out=$(wait_layout $((DOWN_MS + 3 * ADV_MS + CARP_MARGIN_MS)) "$ALL" \
	      "${HOSTS[@]}") ||
		carp_ensure_fail "$out" "each host MASTER of its vhid"
	[ -n "$SERVERS_UP" ] && return 0
	servers_start || carp_ensure_fail "the servers did not start" "servers"
	SERVERS_UP=1
}

require_carp
require_cmd jq tcpdump bridge
trap carp_cleanup EXIT
if ! carp_topo_create || ! third_create; then
	echo "FAIL: cannot build the test topology"
	exit "$ksft_fail"
fi

test_setup()
{
	local host src

	check_begin
	for host in "${HOSTS[@]}"; do
		carp_preempt "$(host_ns "$host")" 1 || check_fail_msg "preempt on $host"
	done
	ip -n "$CLIENT" addr add 10.0.0.100/24 dev eth0 || check_fail_msg "client address"
	for src in "${SRCS[@]:1}"; do
		ip -n "$CLIENT" addr add "$src/24" dev eth0 || check_fail_msg "client address"
	done
	log_test "three servers, 100 client addresses"
}

test_refused()
{
	local bad out

	# Refused: one line, non-zero, nothing created.
	check_begin
	for bad in "carpnodes 1:0 balancing ip" "carpnodes 1:0,1:5" \
		   "carpnodes 1:0,2:0 balancing none" "vhid 1 carpnodes 1:0,2:0"; do
		# shellcheck disable=SC2086 # $bad is a word list
		if out=$(carpctl -n "$MAIN" add carp0 dev eth0 $bad pass secret \
			 "$VIP/$PLEN" 2>&1); then
			check_fail_msg "accepted: $bad"
		elif [ "$(wc -l <<<"$out")" -ne 1 ]; then
			check_fail_msg "$bad: not one line: $out"
		fi
		link_exists "$MAIN" carp0 && check_fail_msg "$bad: carp0 left behind"
	done
	log_test "bad carpnodes/balancing refused with one line, nothing created"
}

test_ip()
{
	local host ns out n

	clients_ready
	check_begin
	for host in "${HOSTS[@]}"; do
		out=$(carp_add "$(host_ns "$host")" carp0 dev eth0 \
		      carpnodes "${NODES[$host]}" balancing ip pass secret \
		      "$VIP/$PLEN") || check_fail_msg "$out"
	done
	out=$(wait_layout $((DOWN_MS + 3 * ADV_MS + CARP_MARGIN_MS)) "$ALL" \
	      "${HOSTS[@]}")
	check_err $? "$out"
	for host in "${HOSTS[@]}"; do
		ns=$(host_ns "$host")
		[ "$(mac_of "$ns" carp0)" = 01:00:5e:00:01:01 ] ||
			check_fail_msg "$host carp0 MAC $(mac_of "$ns" carp0)"
		[ "$(carp_field "$ns" carp0 balancing)" = ip ] ||
			check_fail_msg "$host: balancing '$(carp_field "$ns" carp0 balancing)'"
		[ "$(carp_state "$ns" carp0)" = MASTER ] ||
			check_fail_msg "$host: device state $(carp_state "$ns" carp0)"
		[ "$(link_operstate "$ns" carp0)" = UP ] ||
			check_fail_msg "$host: carp0 $(link_operstate "$ns" carp0)"
	done
	log_test "ip: each host MASTER of its vhid, BACKUP of the others; multicast vmac"

	check_begin
	carp_tmpdir
	servers_start && SERVERS_UP=1
	capture_start ip "$SW" br0 || check_fail_msg "no capture"
	out=$(check_flows "$ALL" "${HOSTS[@]}")
	check_err $? "$out"
	echo "$out"
	log_test "ip: 100 flows, each answered once, by the MASTER of its vhid"

	check_begin
	[ "$(client_neigh_mac "$VIP")" = 01:00:5e:00:01:01 ] ||
		check_fail_msg "client's neighbour for $VIP: $(client_neigh_mac "$VIP")"
	capture_stop ip
	n=$(capture_count ip '$1 == "arp" && $5 == "reply" && $7 == vip && $6 == "01:00:5e:00:01:01"')
	((n >= 1)) || check_fail_msg "no ARP reply with the multicast vmac"
	n=$(vmac_sources ip)
	((n == 0)) || check_fail_msg "$n frames from a virtual MAC"
	log_test "ip: ARP answers the multicast vmac, which never is a source"

	check_begin
	out=$(check_tcp "$ALL")
	check_err $? "$out"
	log_test "ip: TCP connections stay on the MASTER of their vhid"
}

test_ip6()
{
	local host src out mac

	devices_ready
	# IPv6: the same split, by the IPv6 fold; the leader answers neighbour
	# solicitations with the multicast vmac.
	check_begin
	out=$(hosts_ip6_add "${HOSTS[@]}") || check_fail_msg "$out"
	for src in "${SRCS6[@]}"; do
		ip -n "$CLIENT" addr add "$src/64" dev eth0 nodad ||
			check_fail_msg "client IPv6 address"
	done
	for host in "${HOSTS[@]}"; do
		# set's addresses are the whole new list
		out=$(carpctl -n "$(host_ns "$host")" set carp0 "$VIP/$PLEN" "$VIP6/64" 2>&1) ||
			check_fail_msg "$host: $out"
	done
	out=$(wait_layout $((DOWN_MS + 3 * ADV_MS + CARP_MARGIN_MS)) "$ALL" \
	      "${HOSTS[@]}")
	check_err $? "$out"
	servers_start "$VIP6"
	out=$(FLOWS6=1 check_flows "$ALL" "${HOSTS[@]}")
	check_err $? "$out"
	echo "$out"
	mac=$(ip -n "$CLIENT" -6 neigh show "$VIP6" dev eth0 |
	      awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print tolower($(i + 1)) }')
	[ "$mac" = 01:00:5e:00:01:01 ] ||
		check_fail_msg "client's neighbour for $VIP6: '$mac'"
	log_test "ip: 30 IPv6 flows, each answered once, by the MASTER of its vhid"
}

test_failover()
{
	local out

	devices_ready
	check_begin
	cable_pull main
	out=$(wait_layout $((DOWN_MS + CARP_MARGIN_MS)) "$NOMAIN" spare third)
	check_err $? "$out"
	out=$(check_flows "$NOMAIN" spare third)
	check_err $? "$out"
	echo "$out"
	log_test "ip: main's cable pulled: its vhid and flows move to the survivors"

	check_begin
	cable_plug main
	out=$(wait_layout $((3 * ADV_MS + CARP_MARGIN_MS)) "$ALL" "${HOSTS[@]}")
	check_err $? "$out"
	out=$(check_flows "$ALL" "${HOSTS[@]}")
	check_err $? "$out"
	echo "$out"
	log_test "ip: main plugged back: the split returns"
}

test_balanced_set()
{
	local before after bad out

	devices_ready
	# A balanced device keeps its vhids: vhid/advskew alone are refused.
	check_begin
	before=$(carpctl -n "$MAIN" -j show carp0 | jq -c '.[0] | del(.nodes[].last_change_ms, .last_change_ms, .stats)')
	for bad in "vhid 9" "advskew 7" "balancing none"; do
		# shellcheck disable=SC2086 # $bad is a word list
		if out=$(carpctl -n "$MAIN" set carp0 $bad 2>&1); then
			check_fail_msg "accepted: set $bad"
		elif [ "$(wc -l <<<"$out")" -ne 1 ]; then
			check_fail_msg "set $bad: not one line: $out"
		fi
	done
	after=$(carpctl -n "$MAIN" -j show carp0 | jq -c '.[0] | del(.nodes[].last_change_ms, .last_change_ms, .stats)')
	[ "$before" = "$after" ] || check_fail_msg "changed: $before -> $after"
	log_test "balanced device: set vhid/advskew/balancing none refused, nothing changed"
}

test_stealth()
{
	local out n

	devices_ready
	check_begin
	balancing_set ip-stealth stealth
	[ "$(mac_of "$MAIN" carp0)" = 00:00:5e:00:01:01 ] ||
		check_fail_msg "main carp0 MAC $(mac_of "$MAIN" carp0)"
	out=$(check_flows "$ALL" "${HOSTS[@]}")
	check_err $? "$out"
	echo "$out"
	out=$(check_tcp "$ALL")
	check_err $? "$out"
	log_test "ip-stealth: flows split by vhid over a learning switch"

	check_begin
	capture_stop stealth
	[ "$(client_neigh_mac "$VIP")" = 00:00:5e:00:01:01 ] ||
		check_fail_msg "client's neighbour for $VIP: $(client_neigh_mac "$VIP")"
	n=$(vmac_sources stealth)
	((n == 0)) || check_fail_msg "$n frames from a virtual MAC"
	n=$(capture_count stealth '$1 == "p112"')
	((n > 0)) || check_fail_msg "no advertisement captured"
	log_test "ip-stealth: the virtual MAC never is a source on the wire"
}

test_unicast()
{
	local port out n

	devices_ready
	check_begin
	# a hub: the switch learns nothing, so it floods every unicast frame
	for port in sw_main sw_spare sw_third sw_client; do
		bridge -n "$SW" link set dev "$port" learning off ||
			check_fail_msg "learning off on $port"
	done
	ip -n "$SW" link set br0 type bridge ageing_time 0
	balancing_set ip-unicast unicast
	out=$(check_flows "$ALL" "${HOSTS[@]}")
	check_err $? "$out"
	echo "$out"
	capture_stop unicast
	n=$(vmac_sources unicast)
	((n > 0)) || check_fail_msg "no frame from a virtual MAC"
	log_test "ip-unicast: flows split by vhid on a hub; the vmac is a source"
}

carp_run_tests

exit "$EXIT_STATUS"
