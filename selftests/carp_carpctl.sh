#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest (what it proves is user space: carpctl, its files,
# the boot units or the spec-driven client; the module paths it drives run
# on every kernel in the other tests)
#
# carpctl against the real module (in the main namespace unless noted).
#
# Proves: add creates the device on the named or the default parent, with
# the address (its prefix route on carp0 at metric 1024, below the
# parent's own: the host's traffic into the subnet stays on eth0) and up;
# show/stats report every field, as JSON (typed) and as a table, -p
# included; -n NETNS equals `ip netns exec NETNS carpctl` and sees only its
# namespace; commands, keywords and options abbreviate; set changes each of
# vhid (vmac follows), advbase, advskew, pass (and removes it), addresses
# (replaced) and leaves the rest alone; del removes the device and its
# address; the range limits are accepted; syntax errors exit 1 and kernel
# rejections (vhid taken on the parent, name taken, not a carp device, no
# such device) exit 2, each with exactly one "carpctl: " line on stderr and
# no change at all (show output, links and addresses identical).

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_add test_table test_netns test_set test_default_parent
	test_default_parent6 test_limits test_syntax_errors test_kernel_errors test_del"

OUT=""
ERR=""
CLI_MSG=""

# cli WANT_RC ARGS...: run carpctl; the exit status must be WANT_RC; a
# failure prints exactly one line on stderr starting with "carpctl: ", a
# success prints nothing there. Sets OUT, ERR and, when something was wrong,
# CLI_MSG. Not to be called in a subshell.
cli()
{
	local want=$1; shift
	local rc lines

	CLI_MSG=""
	carpctl "$@" >"$CARP_TMP/cli.out" 2>"$CARP_TMP/cli.err" </dev/null
	rc=$?
	OUT=$(cat "$CARP_TMP/cli.out")
	ERR=$(cat "$CARP_TMP/cli.err")
	lines=$(wc -l <"$CARP_TMP/cli.err")
	if [ "$rc" != "$want" ]; then
		CLI_MSG="carpctl $*: exit $rc, expected $want (stderr: $ERR)"
		return 1
	fi
	if [ "$want" = 0 ]; then
		[ -z "$ERR" ] && return 0
		CLI_MSG="carpctl $*: stderr '$ERR'"
		return 1
	fi
	if [ "$lines" != 1 ] || [[ $ERR != "carpctl: "* ]]; then
		CLI_MSG="carpctl $*: stderr should be one 'carpctl: ' line, got: $ERR"
		return 1
	fi
}

# json_check JSON PYTHON_EXPR: the expression, over d = the parsed JSON,
# must be true.
json_check()
{
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
ok = eval("(" + sys.argv[2] + ")")
sys.exit(0 if ok else 1)' "$1" "$2" 2>&1
}

# no_age: `carpctl -j show` on stdin without last_change_ms, which grows
# by itself between two calls.
no_age()
{
	sed -E 's/"last_change_ms": ?[0-9]+,? ?//g'
}

# What a failed command must not change: carp devices, links, addresses.
snapshot()
{
	carpctl -n "$MAIN" -j show | no_age
	carpctl -n "$SPARE" -j show | no_age
	ip -n "$MAIN" -br link show | awk '{ print $1, $3 }'
	ip -n "$MAIN" -4 -o addr show | awk '{ print $2, $4 }'
}

# Main's devices are alone on their vhids: once none is BACKUP any more
# (all MASTER, or INIT), their state no longer changes by itself.
_settled()
{
	local out

	out=$(carpctl -n "$MAIN" -j show) || return 1
	[[ $out != *'"BACKUP"'* ]]
}

# reject WANT_RC ARGS...: carpctl -n main ARGS fails with WANT_RC and
# changes nothing. Sets CLI_MSG like cli. Not to be called in a subshell.
reject()
{
	local want=$1; shift
	local before after

	loopy_wait "sleep 0.1" $(($(carp_down_ms 1 254) + CARP_MARGIN_MS)) _settled
	before=$(snapshot)
	cli "$want" -n "$MAIN" "$@" || return 1
	after=$(snapshot)
	if [ "$before" != "$after" ]; then
		CLI_MSG="carpctl $*: state changed: $(diff <(echo "$before") <(echo "$after"))"
		return 1
	fi
}

# carp0_ready: carp0 as test_add makes it, MASTER.
carp0_ready()
{
	local out

	link_exists "$MAIN" carp0 && return 0
	out=$(carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 1 advskew 10 \
		pass s3cret "$VIP/$PLEN") && out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms 1 10) + CARP_MARGIN_MS))) ||
		carp_ensure_fail "$out" "carp0 on main"
}

# carps_ready: carp0, and carp2 as test_default_parent makes it.
carps_ready()
{
	local out

	carp0_ready
	link_exists "$MAIN" carp2 && return 0
	out=$(carp_add "$MAIN" carp2 dev eth0 vhid 2 10.0.0.7/24) ||
		carp_ensure_fail "$out" "carp2 on main"
}

test_add()
{
	local out js mac

	check_begin
	cli 0 -n "$MAIN" add carp0 dev eth0 vhid 1 advbase 1 advskew 10 \
		pass s3cret "$VIP/$PLEN"
	check_err $? "$CLI_MSG"
	log_test "add carp0 dev eth0 vhid 1 advskew 10 pass ... $VIP/$PLEN"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

	check_begin
	link_exists "$MAIN" carp0 || check_fail_msg "no carp0 link"
	ip -n "$MAIN" link show dev carp0 | grep -q '[<,]UP[,>]' ||
		check_fail_msg "carp0 is not up"
	has_addr "$MAIN" carp0 "$VIP/$PLEN" || check_fail_msg "no $VIP/$PLEN on carp0"
	out=$(ip -n "$MAIN" -4 -o addr show dev carp0)
	[[ $out == *"metric 1024"* && $out != *noprefixroute* ]] ||
		check_fail_msg "address not at metric 1024: $out"
	out=$(ip -n "$MAIN" route show 10.0.0.0/24 dev carp0)
	[[ $out == *"src $VIP metric 1024"* ]] ||
		check_fail_msg "carp0's subnet route: '$out'"
	out=$(ip -n "$MAIN" route get "$CLIENT_IP")
	[[ $out == *"dev eth0 src $MAIN_IP"* ]] ||
		check_fail_msg "the host's own traffic leaves: '$out'"
	mac=$(mac_of "$MAIN" carp0)
	[ "$mac" = "$(vmac_of 1)" ] || check_fail_msg "carp0 link address $mac"
	log_test "carp0 up, address at metric 1024, own traffic on eth0, vmac"

	check_begin
	out=$(wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms 1 10) + CARP_MARGIN_MS)))
	check_err $? "$out"
	js=$(carpctl -n "$MAIN" -j show carp0)
	check_err $? "show -j failed"
	out=$(json_check "$js" 'len(d) == 1 and {k: v for k, v in d[0].items()
		if k != "last_change_ms"} == {"ifname": "carp0",
		"dev": "eth0", "vhid": 1, "advbase": 1, "advskew": 10,
		"state": "MASTER", "vmac": "00:00:5e:00:01:01",
		"lladdr": "virtual", "auth": True,
		"addresses": ["10.0.0.1/24"], "peer": None, "peer6": None,
		"peers": [], "peers6": [],
		"demote": 0, "last_reason": "master timed out",
		"balancing": "none", "carpver": 2,
		"nodes": [{"vhid": 1, "advskew": 10,
		"state": "MASTER", "last_reason": "master timed out",
		"reason": "master-down",
		"last_change_ms": d[0]["nodes"][0]["last_change_ms"]}]} and
		type(d[0]["last_change_ms"]) is int and d[0]["last_change_ms"] >= 0 and
		type(d[0]["nodes"][0]["last_change_ms"]) is int')
	check_err $? "show -j: $js $out"
	out=$(json_check "$js" 'all(type(d[0][k]) is int for k in ("vhid", "advbase", "advskew", "demote"))')
	check_err $? "numbers are not JSON numbers: $js $out"
	log_test "show -j: every field, typed"

	check_begin
	js=$(carpctl -n "$MAIN" -j stats carp0)
	check_err $? "stats -j failed"
	out=$(json_check "$js" 'len(d) == 1 and d[0]["ifname"] == "carp0" and
		sorted(d[0]) == sorted(["ifname", "ipackets", "opackets",
		"badttl", "badlen", "badsum", "badver", "badauth", "echo",
		"onomem", "transitions", "replay", "badsrc", "ipackets6",
		"opackets6", "conflicts", "conflict_ms"]) and
		all(type(v) is int and v >= 0 for k, v in d[0].items() if k != "ifname")
		and d[0]["opackets"] >= 1 and d[0]["transitions"] >= 2')
	check_err $? "stats -j: $js $out"
	log_test "stats -j: every counter, MASTER has sent and changed state"
}

test_table()
{
	local out row

	carp0_ready
	check_begin
	cli 0 -n "$MAIN" show
	check_err $? "$CLI_MSG"
	head -n 1 <<<"$OUT" | grep -Eq '^NAME +DEV +VHID +ADVBASE +ADVSKEW +STATE +ADDRESSES +CHANGED +REASON *$' ||
		check_fail_msg "header: $(head -n 1 <<<"$OUT")"
	row=$(awk '$1 == "carp0"' <<<"$OUT")
	[ "$(awk '{ print $2, $3, $4, $5, $6, $7 }' <<<"$row")" = \
	  "eth0 1 1 10 MASTER $VIP/$PLEN" ] || check_fail_msg "row: '$row'"
	grep -Eq ' [0-9]+(\.[0-9]s|m[0-9]{2}s|h[0-9]{2}m|d[0-9]{2}h) ago +master timed out *$' <<<"$row" ||
		check_fail_msg "row: no CHANGED/REASON: '$row'"
	cli 0 -n "$MAIN" show carp0
	check_err $? "$CLI_MSG"
	# all but CHANGED, which moves on by itself
	[ "$(awk '$1 == "carp0" { print $1, $2, $3, $4, $5, $6, $7 }' <<<"$OUT")" = \
	  "$(awk '{ print $1, $2, $3, $4, $5, $6, $7 }' <<<"$row")" ] ||
		check_fail_msg "show carp0 differs: $OUT"
	log_test "show: table with header and the device's row"

	check_begin
	cli 0 -n "$MAIN" stats carp0
	check_err $? "$CLI_MSG"
	head -n 1 <<<"$OUT" | grep -Eq '^NAME +COUNTER +VALUE *$' ||
		check_fail_msg "header: $(head -n 1 <<<"$OUT")"
	for c in ipackets opackets badttl badlen badsum badver badauth echo \
		 onomem transitions replay badsrc ipackets6 opackets6 conflicts \
		 conflict_ms; do
		awk -v c="$c" '$1 == "carp0" && $2 == c && $3 ~ /^[0-9]+$/ { f = 1 }
			END { exit !f }' <<<"$OUT" || check_fail_msg "no $c line"
	done
	log_test "stats: table with every counter"

	check_begin
	cli 0 -n "$MAIN" -p show
	check_err $? "$CLI_MSG"
	[ "$(wc -l <<<"$OUT")" -gt 1 ] || check_fail_msg "-p is not indented"
	python3 -c 'import json, sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' \
		"$(no_age <<<"$OUT")" "$(carpctl -n "$MAIN" -j show | no_age)" ||
		check_fail_msg "-p and -j differ"
	log_test "-p: indented JSON, same data as -j"
}

test_netns()
{
	local out a b

	carp0_ready
	check_begin
	a=$(carpctl -n "$MAIN" -j show | no_age)
	b=$(ip netns exec "$MAIN" carpctl -j show | no_age)
	[ "$a" = "$b" ] || check_fail_msg "-n: '$a' vs netns exec: '$b'"
	cli 0 -n "$SPARE" -j show
	check_err $? "$CLI_MSG"
	[ "$(tr -d ' \n' <<<"$OUT")" = "[]" ] ||
		check_fail_msg "spare's namespace shows '$OUT'"
	cli 0 -n "$SPARE" show
	check_err $? "$CLI_MSG"
	[ -z "$OUT" ] || check_fail_msg "spare's table is not empty: '$OUT'"
	cli 2 -n "$SPARE" show carp0
	check_err $? "$CLI_MSG"
	cli 1 -n nosuchns-carp show
	check_err $? "$CLI_MSG"
	log_test "-n NETNS: same as ip netns exec; other namespaces see nothing"

	check_begin
	b=$(carpctl --netns "$MAIN" --json show | no_age)
	[ "$a" = "$b" ] || check_fail_msg "--netns --json: '$b'"
	b=$(carpctl -net "$MAIN" -js sh | no_age)
	[ "$a" = "$b" ] || check_fail_msg "-net -js sh: '$b'"
	cli 0 -n "$MAIN" a carp3 d eth0 v 3 advb 2 advs 5 p pw 10.0.0.30/24
	check_err $? "$CLI_MSG"
	out=$(json_check "$(carpctl -n "$MAIN" -j show carp3)" 'd[0]["dev"] == "eth0"
		and d[0]["vhid"] == 3 and d[0]["advbase"] == 2 and
		d[0]["advskew"] == 5 and d[0]["auth"] and
		d[0]["addresses"] == ["10.0.0.30/24"]')
	check_err $? "a carp3 ...: $out $(carpctl -n "$MAIN" -j show carp3)"
	cli 0 -n "$MAIN" se carp3 advs 6
	check_err $? "$CLI_MSG"
	[ "$(carp_field "$MAIN" carp3 advskew)" = 6 ] || check_fail_msg "se carp3 advs 6"
	cli 0 -n "$MAIN" st carp3
	check_err $? "$CLI_MSG"
	grep -q transitions <<<"$OUT" || check_fail_msg "st carp3: $OUT"
	cli 0 -n "$MAIN" de carp3
	check_err $? "$CLI_MSG"
	link_exists "$MAIN" carp3 && check_fail_msg "de carp3 left it"
	reject 1 s carp0
	check_err $? "$CLI_MSG"
	reject 1 set carp0 adv 3
	check_err $? "$CLI_MSG"
	log_test "abbreviations: options, commands, keywords; ambiguous rejected"
}

test_set()
{
	local out

	carp0_ready
	check_begin
	cli 0 -n "$MAIN" set carp0 advskew 20 advbase 2
	check_err $? "$CLI_MSG"
	out=$(json_check "$(carpctl -n "$MAIN" -j show carp0)" 'd[0]["advskew"] == 20
		and d[0]["advbase"] == 2 and d[0]["vhid"] == 1 and d[0]["auth"]
		and d[0]["addresses"] == ["10.0.0.1/24"]')
	check_err $? "after set advskew/advbase: $out $(carpctl -n "$MAIN" -j show carp0)"
	log_test "set advskew 20 advbase 2"

	check_begin
	cli 0 -n "$MAIN" set carp0 vhid 7
	check_err $? "$CLI_MSG"
	out=$(json_check "$(carpctl -n "$MAIN" -j show carp0)" 'd[0]["vhid"] == 7
		and d[0]["vmac"] == "00:00:5e:00:01:07" and d[0]["advskew"] == 20')
	check_err $? "after set vhid 7: $out $(carpctl -n "$MAIN" -j show carp0)"
	[ "$(mac_of "$MAIN" carp0)" = "$(vmac_of 7)" ] ||
		check_fail_msg "link address $(mac_of "$MAIN" carp0)"
	log_test "set vhid 7: vmac follows"

	check_begin
	cli 0 -n "$MAIN" set carp0 pass ""
	check_err $? "$CLI_MSG"
	[ "$(carp_field "$MAIN" carp0 auth)" = false ] || check_fail_msg "pass \"\" kept auth"
	cli 0 -n "$MAIN" set carp0 pass other
	check_err $? "$CLI_MSG"
	[ "$(carp_field "$MAIN" carp0 auth)" = true ] || check_fail_msg "pass other: no auth"
	log_test "set pass \"\" removes the password, set pass sets it"

	check_begin
	cli 0 -n "$MAIN" set carp0 10.0.0.5/24 10.0.0.6/24
	check_err $? "$CLI_MSG"
	out=$(json_check "$(carpctl -n "$MAIN" -j show carp0)" \
		'sorted(d[0]["addresses"]) == ["10.0.0.5/24", "10.0.0.6/24"]')
	check_err $? "addresses: $out $(carpctl -n "$MAIN" -j show carp0)"
	has_addr "$MAIN" carp0 10.0.0.5/24 || check_fail_msg "no 10.0.0.5/24 in ip addr"
	has_addr "$MAIN" carp0 10.0.0.6/24 || check_fail_msg "no 10.0.0.6/24 in ip addr"
	has_addr "$MAIN" carp0 "$VIP/$PLEN" && check_fail_msg "$VIP/$PLEN not removed"
	cli 0 -n "$MAIN" set carp0 vhid 1 advbase 1 advskew 10 "$VIP/$PLEN"
	check_err $? "$CLI_MSG"
	out=$(json_check "$(carpctl -n "$MAIN" -j show carp0)" 'd[0]["vhid"] == 1
		and d[0]["advbase"] == 1 and d[0]["advskew"] == 10 and
		d[0]["addresses"] == ["10.0.0.1/24"] and d[0]["auth"]')
	check_err $? "after set back: $out $(carpctl -n "$MAIN" -j show carp0)"
	log_test "set addresses replaces them; set several words at once"
}

test_default_parent()
{
	local out

	carp0_ready
	check_begin
	cli 0 -n "$MAIN" add carp2 vhid 2 10.0.0.7/24
	check_err $? "$CLI_MSG"
	[ "$(carp_field "$MAIN" carp2 dev)" = eth0 ] ||
		check_fail_msg "default parent '$(carp_field "$MAIN" carp2 dev)'"
	out=$(json_check "$(carpctl -n "$MAIN" -j show carp2)" 'd[0]["advbase"] == 1
		and d[0]["advskew"] == 0 and not d[0]["auth"]')
	check_err $? "defaults: $out $(carpctl -n "$MAIN" -j show carp2)"
	reject 1 add carp4 vhid 4 192.168.77.1/24
	check_err $? "$CLI_MSG"
	log_test "add without dev: parent from the subnet, defaults; no subnet rejected"
}

# The parent of an IPv6 virtual address, by prefix, as for IPv4.
test_default_parent6()
{
	carp0_ready
	ip -n "$MAIN" -6 -o addr show dev eth0 | grep -q " 2001:db8::2/64 " ||
		ip -n "$MAIN" addr add 2001:db8::2/64 dev eth0 nodad
	check_begin
	cli 0 -n "$MAIN" add carp6 vhid 6 2001:db8::6/64
	check_err $? "$CLI_MSG"
	[ "$(carp_field "$MAIN" carp6 dev)" = eth0 ] ||
		check_fail_msg "IPv6-only carp6: parent '$(carp_field "$MAIN" carp6 dev)'"
	cli 0 -n "$MAIN" del carp6
	check_err $? "$CLI_MSG"
	# an IPv4 address decides, wherever it is in the list
	cli 0 -n "$MAIN" add carp6 vhid 6 2001:db8:77::6/64 10.0.0.6/24
	check_err $? "$CLI_MSG"
	[ "$(carp_field "$MAIN" carp6 dev)" = eth0 ] ||
		check_fail_msg "mixed carp6: parent '$(carp_field "$MAIN" carp6 dev)'"
	cli 0 -n "$MAIN" del carp6
	check_err $? "$CLI_MSG"
	reject 1 add carp6 vhid 6 2001:db8:77::6/64
	check_err $? "$CLI_MSG"
	grep -q "no interface has a subnet containing 2001:db8:77::6/64" <<<"$ERR" ||
		check_fail_msg "no prefix: '$ERR'"
	reject 1 add carp6 vhid 6 fe80::6/64
	check_err $? "$CLI_MSG"
	grep -q "link-local" <<<"$ERR" || check_fail_msg "link-local: '$ERR'"
	log_test "add without dev: the parent of an IPv6 address by prefix; none, link-local rejected"
}

test_limits()
{
	local out

	carp0_ready
	check_begin
	cli 0 -n "$MAIN" add carp8 dev eth0 vhid 255 advbase 255 advskew 254 \
		pass 12345678901234567890 10.0.0.8/24
	check_err $? "$CLI_MSG"
	out=$(json_check "$(carpctl -n "$MAIN" -j show carp8)" 'd[0]["vhid"] == 255
		and d[0]["advbase"] == 255 and d[0]["advskew"] == 254 and d[0]["auth"]
		and d[0]["vmac"] == "00:00:5e:00:01:ff"')
	check_err $? "carp8: $out $(carpctl -n "$MAIN" -j show carp8)"
	cli 0 -n "$MAIN" del carp8
	check_err $? "$CLI_MSG"
	log_test "limits accepted: vhid 255, advbase 255, advskew 254, 20-byte pass"
}

test_syntax_errors()
{
	local out a=10.0.0.9/24
	local -a cases=(
		"add carp9 dev eth0 vhid 0 $a"
		"add carp9 dev eth0 vhid 256 $a"
		"add carp9 dev eth0 vhid abc $a"
		"add carp9 dev eth0 vhid 9 advskew 255 $a"
		"add carp9 dev eth0 vhid 9 advbase 0 $a"
		"add carp9 dev eth0 vhid 9 advbase 256 $a"
		"add carp9 dev eth0 vhid 9 pass 123456789012345678901 $a"
		"add carp9 dev eth0 vhid 9 10.0.0.300/24"
		"add carp9 dev eth0 vhid 9 10.0.0.9/33"
		"add carp9 dev eth0 vhid 9 frob $a"
		"add carp9 dev eth0 vhid 9 vhid 10 $a"
		"add carp9 dev eth0 advskew 5 $a"
		"add carp9 dev eth0 vhid 9"
		"add carp9 dev nosuchdev vhid 9 $a"
		"set carp0 vhid 0"
		"set carp0 vhid 256"
		"set carp0 advskew 255"
		"set carp0 advbase 0 advskew 0"
		"set carp0 pass 123456789012345678901"
		"set carp0 advskew 5 advskew 6"
		"set carp0 frob"
		"set carp0 10.0.0.1/40"
		"set carp0"
		"set carp0 dev eth0"
		"del"
		"frob carp0"
	)
	local c

	carps_ready
	out=$(wait_states $(($(carp_down_ms 1 10) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$MAIN" carp2 MASTER)
	[ -n "$out" ] && echo "INFO: $out"
	for c in "${cases[@]}"; do
		check_begin
		# shellcheck disable=SC2086 # the case is a word list
		reject 1 $c
		check_err $? "$CLI_MSG"
		log_test "exit 1, no change: carpctl $c"
	done
}

test_kernel_errors()
{
	local out c
	local -a cases=(
		"add carp5 dev eth0 vhid 1 10.0.0.9/24"
		"add carp0 dev eth0 vhid 9 10.0.0.9/24"
		"add eth0 dev eth0 vhid 9 10.0.0.9/24"
		"set carp2 vhid 1"
		"set carp2 vhid 1 advskew 99"
		"set eth0 advskew 5"
		"del eth0"
		"del nosuch0"
		"show nosuch0"
		"stats nosuch0"
	)

	carps_ready
	for c in "${cases[@]}"; do
		check_begin
		# shellcheck disable=SC2086 # the case is a word list
		reject 2 $c
		check_err $? "$CLI_MSG"
		log_test "exit 2, no change: carpctl $c"
	done

	check_begin
	link_exists "$MAIN" eth0 || check_fail_msg "eth0 is gone"
	has_addr "$MAIN" eth0 "$MAIN_IP/$PLEN" || check_fail_msg "eth0 lost its address"
	[ "$(carp_field "$MAIN" carp2 vhid)" = 2 ] || check_fail_msg "carp2 vhid changed"
	[ "$(carp_field "$MAIN" carp2 advskew)" = 0 ] || check_fail_msg "carp2 advskew changed"
	log_test "rejected requests left eth0 and carp2 alone"
}

test_del()
{
	local out

	carps_ready
	check_begin
	cli 0 -n "$MAIN" del carp2
	check_err $? "$CLI_MSG"
	cli 0 -n "$MAIN" del carp0
	check_err $? "$CLI_MSG"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 still exists"
	link_exists "$MAIN" carp2 && check_fail_msg "carp2 still exists"
	ip -n "$MAIN" -4 -o addr show | grep -q " $VIP/" &&
		check_fail_msg "$VIP still configured"
	cli 0 -n "$MAIN" -j show
	check_err $? "$CLI_MSG"
	[ "$(tr -d ' \n' <<<"$OUT")" = "[]" ] || check_fail_msg "show -j: '$OUT'"
	cli 0 -n "$MAIN" show
	check_err $? "$CLI_MSG"
	[ -z "$OUT" ] || check_fail_msg "show: '$OUT'"
	cli 2 -n "$MAIN" del carp0
	check_err $? "$CLI_MSG"
	log_test "del: device and address gone, show empty, second del exit 2"
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
