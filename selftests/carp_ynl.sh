#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
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
# (demote-adj) read and change the namespace's demotion.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

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

[ -r "$YNL" ] || carp_skip "no $YNL"
[ -r "$SPEC" ] || carp_skip "no $SPEC"
/usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	carp_skip "python3-yaml / python3-jsonschema missing"

carp_test_init

check_begin
ifindex=$(ip -n "$MAIN" -j link show dev eth0 | /usr/bin/python3 -c \
	'import json, sys; print(json.load(sys.stdin)[0]["ifindex"])')
out=$(ynl --do new-device --json \
	"{\"ifname\": \"carp0\", \"link\": $ifindex, \"vhid\": 7, \"advbase\": 1, \"key\": \"736563726574\"}" 2>&1)
check_err $? "new-device: $out"
ip -n "$MAIN" addr add "$VIP/$PLEN" dev carp0 noprefixroute &&
	ip -n "$MAIN" link set carp0 up || check_fail_msg "ip could not set carp0 up"
out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms 1 0) + CARP_MARGIN_MS)))
check_err $? "$out"
log_test "ynl new-device creates carp0; it runs (MASTER)"

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

check_begin
out=$(ynl --do set-device --json '{"ifname": "carp0", "vhid": 0}' 2>&1)
rc=$?
((rc != 0)) || check_fail_msg "vhid 0 accepted"
[ "$(carp_field "$MAIN" carp0 vhid)" = 7 ] || check_fail_msg "vhid changed"
grep -qi "range\|invalid\|vhid" <<<"$out" ||
	check_fail_msg "no explanation: $out"
log_test "ynl: an out-of-range vhid is refused by the policy, nothing changes"

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

exit "$EXIT_STATUS"
