#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `ip link` is a full client of carp: Debian's own `ip` with carp's plugin
# (link_carp.so, IP_LIB_DIR) creates, changes, shows and deletes carp
# devices, and the kernel's rtnetlink side (IFLA_CARP_* in IFLA_INFO_DATA)
# is checked byte by byte with a raw client (carp_rtnl.py).
#
#   main:  ip link add carp0 link eth0 type carp vhid 1 advbase 0
#          advskew 50 pass secret;  ip addr add 10.0.0.1/24 dev carp0
#          metric 1024
#   spare: the same with advskew 100; net.carp.preempt 1 on both
#
# Proves: the pair made by `ip` alone elects main MASTER, and carpctl
# shows what `ip` set (vhid, advbase, advskew, a key); `ip -d link show`
# and `ip -j -d link show` report vhid, advbase, advskew and the state,
# also to an unprivileged user, and the kernel's reply never holds the key
# (only "has key"); `ip link set carp0 type carp advskew 200` on main
# hands over to the spare (preempt), and the spare's RTM_NEWLINK
# notification carries its new state MASTER, and a change by carpctl
# (generic netlink) is announced in RTM_NEWLINK too; requests the kernel must
# refuse (no vhid, a reply-only state, advskew 255, vhid 0, a 21-byte key,
# a u8 attribute of 2 bytes) are refused with the kernel's message and
# change nothing; `address` is refused, an `mtu` above the parent's too,
# one below it kept; several vhids (carpnodes) are shown each with its state;
# `ip link del` deletes.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_create test_show test_change test_refused test_l2
	test_nodes test_delete"

RTNL="$lib_dir/carp_rtnl.py"
PASS=secret
ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100

# rtnl NS ARGS...: carp_rtnl.py in NS.
rtnl()
{
	local ns=$1; shift

	ip netns exec "$ns" python3 "$RTNL" "$@"
}

# jfield JSON KEY: a top-level field of a JSON object.
jfield()
{
	python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get(sys.argv[2]))' "$1" "$2"
}

# ip_info NS DEV: `ip -j -d link show DEV`'s linkinfo.info_data, as JSON.
ip_info()
{
	ip -n "$1" -j -d link show dev "$2" | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)[0]["linkinfo"]["info_data"]))'
}

test_create()
{
	local ns skew out

	check_begin
	# preempt on both: main wins whoever comes up first
	carp_preempt "$SPARE" 1
	carp_preempt "$MAIN" 1
	for ns in "$SPARE" "$MAIN"; do
		skew=$MAIN_SKEW
		[ "$ns" = "$SPARE" ] && skew=$SPARE_SKEW
		out=$(ip -n "$ns" link add carp0 link eth0 type carp vhid 1 \
			advbase "$ADVBASE" advskew "$skew" pass "$PASS" 2>&1)
		check_err $? "ip link add in ${ns%%-*}: $out"
		ip -n "$ns" addr add "$VIP/$PLEN" dev carp0 metric 1024 &&
			ip -n "$ns" link set carp0 up
		check_err $? "carp0's address in ${ns%%-*}"
	done
	out=$(wait_states $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	out=$(carpctl -n "$MAIN" -j show carp0)
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])[0]
want = {"vhid": 1, "advbase": 0, "advskew": int(sys.argv[2]), "dev": "eth0"}
bad = {k: d.get(k) for k in want if d.get(k) != want[k]}
assert not bad, bad
assert d.get("auth") is True, d
' "$out" "$MAIN_SKEW"
	check_err $? "carpctl shows otherwise: $out"
	out=$(client_reaches "$VIP" 2>&1)
	check_err $? "the client does not reach $VIP: $out"
	log_test "ip link add ... type carp: the pair elects main; carpctl shows what ip set"
}

test_show()
{
	local out js raw

	check_begin
	out=$(ip -n "$MAIN" -d link show dev carp0)
	[[ $out == *"carp vhid 1 "* && $out == *"advskew $MAIN_SKEW"* &&
	   $out == *MASTER* ]] || check_fail_msg "ip -d link show: $out"
	js=$(ip_info "$MAIN" carp0)
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert (d["vhid"], d["advbase"], d["advskew"], d["state"]) == \
    (1, 0, int(sys.argv[2]), "MASTER"), d
assert sys.argv[3] not in json.dumps(d), "the password is shown"
' "$js" "$MAIN_SKEW" "$PASS"
	check_err $? "ip -j -d link show: $js"
	# anyone may read it, as `ip link show`
	out=$(ip netns exec "$MAIN" setpriv --reuid=65534 --regid=65534 \
		--clear-groups ip -d link show dev carp0 2>&1)
	[[ $out == *"carp vhid 1 "* ]] ||
		check_fail_msg "an unprivileged user sees: $out"
	# the kernel's own reply: configuration and state, never the key
	raw=$(rtnl "$MAIN" get carp0)
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert 4 not in d["types"], "IFLA_CARP_KEY in a reply"
assert d["has_key"] and d["vhid"] == 1 and d["state"] == 2, d
assert d["nodes"] == [[1, int(sys.argv[2]), 2]], d["nodes"]
' "$raw" "$MAIN_SKEW"
	check_err $? "the kernel's reply: $raw"
	log_test "ip -d link show: vhid, advbase, advskew, state, to anyone; the key never leaves"
}

test_change()
{
	local out

	check_begin
	rtnl "$SPARE" monitor carp0 2 $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") / 1000 + CARP_MARGIN_MS / 1000 + 2)) \
		>"$CARP_TMP/notify" 2>&1 &
	CARP_BG_PIDS+=("$!")
	loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" grep -q listening "$CARP_TMP/notify"
	check_err $? "the monitor did not start: $(cat "$CARP_TMP/notify")"
	out=$(ip -n "$MAIN" link set carp0 type carp advskew 200 2>&1)
	check_err $? "ip link set: $out"
	[ "$(carp_field "$MAIN" carp0 advskew)" = 200 ] ||
		check_fail_msg "carpctl shows advskew $(carp_field "$MAIN" carp0 advskew)"
	out=$(wait_states $(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") * 3 + CARP_MARGIN_MS)) \
		"$SPARE" carp0 MASTER "$MAIN" carp0 BACKUP)
	check_err $? "$out"
	loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" grep -qE "seen|timeout" "$CARP_TMP/notify"
	grep -q seen "$CARP_TMP/notify" ||
		check_fail_msg "no RTM_NEWLINK with state MASTER on the spare: $(cat "$CARP_TMP/notify")"
	log_test "ip link set carp0 type carp advskew 200: the spare takes over; RTM_NEWLINK says MASTER"

	# generic netlink's changes are announced as rtnetlink's are
	check_begin
	rtnl "$MAIN" monitor carp0 advskew=210 $((CARP_MARGIN_MS / 1000 + 2)) \
		>"$CARP_TMP/notify2" 2>&1 &
	CARP_BG_PIDS+=("$!")
	loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" grep -q listening "$CARP_TMP/notify2"
	check_err $? "the monitor did not start: $(cat "$CARP_TMP/notify2")"
	out=$(carp_set "$MAIN" carp0 advskew 210)
	check_err $? "$out"
	loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" grep -qE "seen|timeout" "$CARP_TMP/notify2"
	grep -q seen "$CARP_TMP/notify2" ||
		check_fail_msg "no RTM_NEWLINK with advskew 210 after carpctl set: $(cat "$CARP_TMP/notify2")"
	log_test "carpctl set carp0 advskew 210 (generic netlink): RTM_NEWLINK with advskew 210"
}

# refused WANT ARGS...: carp_rtnl.py ARGS... in main fails, saying WANT.
refused()
{
	local want=$1 out

	shift
	out=$(rtnl "$MAIN" "$@" 2>&1)
	[ $? -ne 0 ] && [[ $out == *"$want"* ]] ||
		check_fail_msg "$*: '$out', expected '$want'"
}

test_refused()
{
	local before after out

	check_begin
	before=$(carpctl -n "$MAIN" -j show)
	refused "needs a vhid" new carpx eth0
	refused "IFLA_CARP_STATE is only in replies" new carpx eth0 vhid=7 state=2
	refused "IFLA_CARP_HAS_KEY is only in replies" set carp0 has_key=1
	refused "error 34" new carpx eth0 vhid=7 advskew=255
	refused "error 34" set carp0 vhid=0
	refused "error 34" set carp0 key=012345678901234567890
	refused "error 22" set carp0 1:0101
	out=$(ip -n "$MAIN" link add carpx link eth0 type carp 2>&1)
	[[ $out == *"needs a vhid"* ]] ||
		check_fail_msg "ip link add without vhid: $out"
	link_exists "$MAIN" carpx && check_fail_msg "carpx was created"
	after=$(carpctl -n "$MAIN" -j show)
	python3 -c '
import json, sys
strip = lambda s: [{k: v for k, v in d.items()
                    if k not in ("last_change_ms", "stats", "nodes")}
                   for d in json.loads(s)]
assert strip(sys.argv[1]) == strip(sys.argv[2])' "$before" "$after"
	check_err $? "a refused request changed something: $before -> $after"
	log_test "refused by the kernel with its message, nothing changed: no vhid, state, has-key, advskew 255, vhid 0, long key, bad length"
}

# ip link add's link-layer words: an address is refused (the MAC is the
# vhid's), an MTU above the parent's too, one below it is kept.
test_l2()
{
	local out

	check_begin
	out=$(ip -n "$MAIN" link add carpx link eth0 address 02:00:00:00:00:07 \
		type carp vhid 7 2>&1)
	[[ $out == *"not set by address"* ]] ||
		check_fail_msg "ip link add with an address: '$out'"
	out=$(ip -n "$MAIN" link add carpx link eth0 mtu 9000 type carp vhid 7 2>&1)
	[[ $out == *"MTU larger than the parent's"* ]] ||
		check_fail_msg "ip link add with mtu 9000 over a 1500 parent: '$out'"
	link_exists "$MAIN" carpx && check_fail_msg "carpx was created"
	out=$(ip -n "$MAIN" link add carpx link eth0 mtu 1400 type carp vhid 7 2>&1)
	check_err $? "ip link add with mtu 1400: $out"
	out=$(ip -n "$MAIN" -j link show dev carpx | jq -r '.[0].mtu')
	[ "$out" = 1400 ] || check_fail_msg "carpx's MTU is $out, not 1400"
	ip -n "$MAIN" link del carpx 2>/dev/null
	log_test "ip link add: address refused, mtu above the parent's refused, mtu 1400 kept"
}

test_nodes()
{
	local out js

	check_begin
	out=$(ip -n "$MAIN" link add carp5 link eth0 type carp carpnodes 5:10,6:100 \
		advbase "$ADVBASE" pass "$PASS" 2>&1)
	check_err $? "ip link add carpnodes: $out"
	ip -n "$MAIN" link set carp5 up
	out=$(wait_state "$MAIN" carp5 MASTER \
		$(($(carp_down_ms "$ADVBASE" 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	loopy_wait "sleep 0.2" "$CARP_MARGIN_MS" _nodes_master
	js=$(rtnl "$MAIN" get carp5)
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["nodes"] == [[5, 10, 2], [6, 100, 2]], d["nodes"]
assert d["balancing"] == 1, d' "$js"
	check_err $? "nodes: $js"
	out=$(ip -n "$MAIN" -d link show dev carp5)
	[[ $out == *"nodes 5:10:MASTER,6:100:MASTER"* ]] ||
		check_fail_msg "ip -d link show: $out"
	log_test "carpnodes 5:10,6:100 by ip: both vhids shown, each with its state"
}

_nodes_master()
{
	rtnl "$MAIN" get carp5 | grep -q '"nodes": \[\[5, 10, 2\], \[6, 100, 2\]\]'
}

test_delete()
{
	local out

	check_begin
	for dev in carp5 carp0; do
		out=$(ip -n "$MAIN" link del "$dev" 2>&1)
		check_err $? "ip link del $dev: $out"
		link_exists "$MAIN" "$dev" && check_fail_msg "$dev still exists"
	done
	[ "$(carpctl -n "$MAIN" -j show)" = "[]" ] ||
		check_fail_msg "carpctl still lists: $(carpctl -n "$MAIN" -j show)"
	log_test "ip link del deletes"
}

require_cmd python3 setpriv
carp_test_init
ip link help carp 2>&1 | grep -q vhid || {
	echo "FAIL: ip has no carp plugin (IP_LIB_DIR=${IP_LIB_DIR:-unset})"
	exit "$ksft_fail"
}
carp_run_tests

exit "$EXIT_STATUS"
