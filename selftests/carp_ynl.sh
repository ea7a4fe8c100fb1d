#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest (what it proves is user space: carpctl, its files,
# the boot units or the spec-driven client; the module paths it drives run
# on every kernel in the other tests)
#
# The generic netlink family driven from its YAML spec
# (Documentation/netlink/specs/carp.yaml) by the kernel's own generic
# client, tools/net/ynl/cli.py from linux-source: no carpctl in the loop
# for the operations under test.
#
# Proves: new-device creates carp0 (then up with its address through ip);
# dump and get of get-device decode with the spec (ifname, vhid, advbase,
# state, the address, the counters, no key); set-device changes advskew
# and forces the state, and carpctl sees the same; a request the policy
# rejects (vhid 0) fails with the kernel's message; get-net and set-net
# (demote-adj) read and change the namespace's demotion; subscribed to the
# monitor group (--subscribe monitor --sleep), cli.py receives and decodes
# the state-notify events of the changes made meanwhile (a forced BACKUP,
# admin; a new vhid: BACKUP -> INIT, config, INIT -> BACKUP, link-up), in
# order, with ifname, ifindex, vhid, the texts and the time; get-device
# reports the reason of the last change.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_new_device test_get_device test_set_device test_policy
	test_net test_monitor test_reason"

KTOP=$(readlink -f "$lib_dir/../../../../../..")
YNL=$KTOP/tools/net/ynl/cli.py
SPEC=$KTOP/Documentation/netlink/specs/carp.yaml

ynl()
{
	ip netns exec "$MAIN" /usr/bin/python3 "$YNL" --spec "$SPEC" \
		--output-json "$@"
}

# json_ok JSON PY_EXPR: the expression over d (the decoded JSON) holds.
json_ok()
{
	/usr/bin/python3 -c '
import json, sys
d = json.loads(sys.argv[1])
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2"
}

# ntf_ok OUTPUT PY_EXPR: over n, the state-notify messages of the list
# cli.py printed last.
ntf_ok()
{
	/usr/bin/python3 -c '
import json, sys
n = [x["msg"] for x in json.loads(sys.argv[1].strip().splitlines()[-1])
     if x["name"] == "state-notify"]
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2" 2>/dev/null
}

# cli.py --subscribe monitor --sleep S: subscribes, sleeps, then prints
# what it received. (6.12's cli.py cannot take a notification during its
# own --do: the changes come from carpctl while it sleeps.) It sleeps in
# clock_nanosleep (x86_64 syscall 230) once subscribed.
_gone()
{
	! kill -0 "$1" 2>/dev/null
}

_ynl_sleeping()
{
	local sc

	read -r sc _ <"/proc/$1/syscall" 2>/dev/null || return 1
	[ "$sc" = 230 ]
}

# dev_ready: carp0 (vhid 7, advbase 1, key "secret", the address) on
# main, for a sub-test run alone (test_new_device makes it with ynl).
dev_ready()
{
	local out

	link_exists "$MAIN" carp0 && return 0
	out=$(carp_add "$MAIN" carp0 dev eth0 vhid 7 advbase 1 pass secret \
		"$VIP/$PLEN") && out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms 1 0) + CARP_MARGIN_MS))) ||
		carp_ensure_fail "$out" "carp0 on main"
}

[ -r "$YNL" ] || carp_skip "no $YNL"
[ -r "$SPEC" ] || carp_skip "no $SPEC"
/usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	carp_skip "python3-yaml / python3-jsonschema missing"

carp_test_init
ifindex=$(ip -n "$MAIN" -j link show dev eth0 | /usr/bin/python3 -c \
	'import json, sys; print(json.load(sys.stdin)[0]["ifindex"])')

test_new_device()
{
	local out

	check_begin
	out=$(ynl --do new-device --json \
		"{\"ifname\": \"carp0\", \"link\": $ifindex, \"vhid\": 7, \"advbase\": 1, \"key\": \"736563726574\"}" 2>&1)
	check_err $? "new-device: $out"
	ip -n "$MAIN" addr add "$VIP/$PLEN" dev carp0 noprefixroute &&
		ip -n "$MAIN" link set carp0 up || check_fail_msg "ip could not set carp0 up"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "ynl new-device creates carp0; it runs (MASTER)"
}

test_get_device()
{
	local js

	dev_ready
	check_begin
	js=$(ynl --dump get-device 2>&1)
	check_err $? "dump: $js"
	json_ok "$js" 'len(d) == 1 and d[0]["ifname"] == "carp0" and
		d[0]["vhid"] == 7 and d[0]["advbase"] == 1 and d[0]["state"] == "master" and
		"has-key" in d[0] and "key" not in d[0] and
		d[0]["link"] == '"$ifindex"' and
		any(a["addr"] == "'"$VIP"'" and a["prefixlen"] == '"$PLEN"' for a in d[0]["addrs"]["addr"]) and
		d[0]["stats"]["opackets"] >= 1 and d[0]["stats"]["transitions"] >= 2 and
		d[0]["vmac"] == "00:00:5e:00:01:07"' ||
		check_fail_msg "dump does not decode as expected: $js"
	js=$(ynl --do get-device --json '{"ifname": "carp0"}' 2>&1)
	check_err $? "get: $js"
	json_ok "$js" 'd["ifname"] == "carp0" and d["vhid"] == 7' ||
		check_fail_msg "get: $js"
	log_test "ynl get-device (dump and do) decodes with the spec"
}

test_set_device()
{
	local out v

	dev_ready
	check_begin
	out=$(ynl --do set-device --json '{"ifname": "carp0", "advskew": 50}' 2>&1)
	check_err $? "set-device: $out"
	v=$(carp_field "$MAIN" carp0 advskew)
	[ "$v" = 50 ] || check_fail_msg "carpctl sees advskew '$v'"
	out=$(ynl --do set-device --json '{"ifname": "carp0", "state": "backup"}' 2>&1)
	check_err $? "set-device state: $out"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "forced backup: $out"
	log_test "ynl set-device changes advskew and forces the state"
}

test_policy()
{
	local out rc

	dev_ready
	check_begin
	out=$(ynl --do set-device --json '{"ifname": "carp0", "vhid": 0}' 2>&1)
	rc=$?
	((rc != 0)) || check_fail_msg "vhid 0 accepted"
	[ "$(carp_field "$MAIN" carp0 vhid)" = 7 ] || check_fail_msg "vhid changed"
	grep -qi "range\|invalid\|vhid" <<<"$out" ||
		check_fail_msg "no explanation: $out"
	log_test "ynl: an out-of-range vhid is refused by the policy, nothing changes"
}

test_net()
{
	local out js v

	dev_ready
	check_begin
	out=$(ynl --do set-net --json '{"demote-adj": 20}' 2>&1)
	check_err $? "set-net: $out"
	js=$(ynl --do get-net 2>&1)
	check_err $? "get-net: $js"
	json_ok "$js" 'd["demotion"] == 20 and d["demote"] == 20 and
		d["stats"]["opackets"] >= 1' || check_fail_msg "get-net: $js"
	v=$(ip netns exec "$MAIN" sysctl -n net.carp.demotion)
	[ "$v" = 20 ] || check_fail_msg "sysctl net.carp.demotion is $v"
	out=$(ynl --do set-net --json '{"demote-adj": -100}' 2>&1)
	check_err $? "set-net: $out"
	js=$(ynl --do get-net 2>&1)
	json_ok "$js" 'd["demotion"] == 0' || check_fail_msg "clamped at 0? $js"
	log_test "ynl get-net/set-net: demotion adjusted, clamped at 0"
}

test_monitor()
{
	local out sleep_s ypid t0 t1 js

	dev_ready
	check_begin
	out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms 1 50) + CARP_MARGIN_MS)))
	check_err $? "$out"
	sleep_s=$((CARP_MARGIN_MS / 1000 + 4))
	ip netns exec "$MAIN" /usr/bin/python3 "$YNL" --spec "$SPEC" --output-json \
		--subscribe monitor --sleep "$sleep_s" >"$CARP_TMP/ntf.out" 2>&1 &
	ypid=$!
	CARP_BG_PIDS+=("$ypid")
	# cli.py takes many seconds to start in a TCG VM (yaml, jsonschema)
	if loopy_wait "sleep 0.1" 120000 _ynl_sleeping "$ypid"; then
		t0=$(timestamp_ms)
		carp_set "$MAIN" carp0 state backup && carp_set "$MAIN" carp0 vhid 8
		check_err $? "carpctl could not change carp0"
		t1=$(timestamp_ms)
		((t1 - t0 < sleep_s * 1000)) ||
			check_fail_msg "the changes took $((t1 - t0)) ms, longer than cli.py listens"
	else
		check_fail_msg "cli.py did not subscribe and sleep within 120 s (syscall: $(cat "/proc/$ypid/syscall" 2>&1)): $(cat "$CARP_TMP/ntf.out")"
	fi
	loopy_wait "sleep 0.2" $(((sleep_s + 10) * 1000 + CARP_MARGIN_MS)) \
		_gone "$ypid" || { check_fail_msg "cli.py still running"; kill "$ypid"; }
	wait "$ypid"
	check_err $? "cli.py: $(cat "$CARP_TMP/ntf.out")"
	js=$(cat "$CARP_TMP/ntf.out")
	# a fourth event (master-down, 3 s later) may fall within the listening
	ntf_ok "$js" '3 <= len(n) <= 4 and
		all(x["ifname"] == "carp0" and x["ifindex"] == n[0]["ifindex"] > 0 for x in n) and
		n[0]["old-state"] == "master" and n[0]["state"] == "backup" and
		n[0]["reason"] == "admin" and n[0]["last-reason"] == "forced by admin" and
		n[0]["vhid"] == 7 and
		n[1]["old-state"] == "backup" and n[1]["state"] == "init" and
		n[1]["reason"] == "config" and n[1]["last-reason"] == "vhid changed" and
		n[2]["old-state"] == "init" and n[2]["state"] == "backup" and
		n[2]["reason"] == "link-up" and n[2]["last-reason"] == "link up" and
		n[2]["vhid"] == 8 and
		(len(n) == 3 or (n[3]["state"] == "master" and n[3]["reason"] == "master-down")) and
		n[0]["time"] > 1600000000 * 10**9 and
		n[0]["time"] <= n[1]["time"] <= n[2]["time"]' ||
		check_fail_msg "notifications: $js"
	log_test "ynl --subscribe monitor: forced BACKUP, new vhid (MASTER -> BACKUP -> INIT -> BACKUP)"
}

test_reason()
{
	local js

	dev_ready
	check_begin
	js=$(ynl --do get-device --json '{"ifname": "carp0"}' 2>&1)
	json_ok "$js" 'd["reason"] in ("link-up", "master-down")' ||
		check_fail_msg "get-device reason: $js"
	log_test "ynl get-device: reason of the last change"
}

carp_run_tests

exit "$EXIT_STATUS"
