#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest (what it proves is user space: carpctl, its files,
# the boot units or the spec-driven client; the module paths it drives run
# on every kernel in the other tests)
#
# A matrix of bad carpctl invocations against live devices.
#
# Main has carp0 (eth0, vhid 1, with a key), carp3 (eth0, vhid 3) and carp2
# (on a second device, eth1, vhid 1). Every case of the table below, alone
# and as the one bad line of a -batch file among good ones, is checked:
#  - alone: exit status 1 for a syntax error, 2 for a refusal of the
#    kernel (as iproute2); exactly one line on stderr, starting with
#    "carpctl: " and naming the problem (for the kernel's refusals: its
#    extack message, which only the kernel can know, e.g. vhid taken on
#    that parent, parent is a carp device or loopback, peer multicast);
#    nothing on stdout; `carpctl -j show` (without last_change_ms), the
#    demotion, `ip -o link` and `ip -o addr` identical before and after;
#  - in a batch (good line, bad line, good line): without -force the run
#    stops at the bad line (the first good line applied, the last not),
#    with -force it goes on (the last line, which puts carp3's advskew
#    back, applied); the same exit status; one stderr line, naming
#    FILE:2; and afterwards all is as before.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_syntax_errors test_kernel_refusals"

A=10.0.0.9/24
B=""
MSG=""
SNAP=""
RC=0

# What must not change; few processes, for speed under TCG. The
# last_change_ms of each device grows by itself: cut out by sed (bash's
# own extglob substitution over this JSON took 2 s a snapshot under TCG,
# most of the test's time).
snapshot()
{
	printf 'show\ndemote\n' | carpctl -n "$MAIN" -j -batch - |
		sed -E 's/"last_change_ms":[0-9]+,//g'
	printf 'link show\naddr show\n' | ip -n "$MAIN" -o -batch -
}

# The table: WANT_RC|what the message must contain (ERE)|carpctl words.
CASES=(
	"1|vhid|add carp9 dev eth0 vhid 0 $A"
	"1|vhid|add carp9 dev eth0 vhid 256 $A"
	"1|vhid|add carp9 dev eth0 vhid -1 $A"
	"1|vhid|add carp9 dev eth0 vhid abc $A"
	"1|vhid|add carp9 dev eth0 vhid 1x $A"
	"1|vhid|set carp0 vhid 0"
	"1|advskew|add carp9 dev eth0 vhid 9 advskew 255 $A"
	"1|advskew|add carp9 dev eth0 vhid 9 advskew 256 $A"
	"1|advskew|set carp0 advskew -1"
	"1|advbase|add carp9 dev eth0 vhid 9 advbase 0 $A"
	"1|advbase|add carp9 dev eth0 vhid 9 advbase 256 $A"
	"1|advbase|set carp0 advbase x"
	"1|pass.*21|add carp9 dev eth0 vhid 9 pass 123456789012345678901 $A"
	"1|pass.*21|set carp0 pass 123456789012345678901"
	"1|address.*10\\.0\\.0/24|add carp9 dev eth0 vhid 9 10.0.0/24"
	"1|prefix.*/33|add carp9 dev eth0 vhid 9 10.0.0.1/33"
	"1|prefix.*/129|add carp9 dev eth0 vhid 9 2001:db8::1/129"
	"1|224\\.0\\.0\\.1.*unicast|add carp9 dev eth0 vhid 9 224.0.0.1/24"
	"1|::1.*unicast|add carp9 dev eth0 vhid 9 ::1"
	"1|address.*1\\.2\\.3\\.4\\.5|set carp0 1.2.3.4.5"
	"1|address.*1:::2|set carp0 1:::2/64"
	"1|unknown word \"zork\"|add carp9 dev eth0 vhid 9 zork $A"
	"1|nosuch.*does not exist|add carp9 dev nosuch vhid 9 $A"
	"1|too long|add carp0123456789abcd dev eth0 vhid 9 $A"
	"1|invalid device name|add a/b dev eth0 vhid 9 $A"
	"1|too long|set carp0123456789abcd advskew 5"
	"1|address is required|add carp9 dev eth0 vhid 9"
	"1|vhid is required|add carp9 dev eth0 $A"
	"1|missing device name|add"
	"1|missing value for vhid|add carp9 dev eth0 $A vhid"
	"1|nothing to change|set carp0"
	"1|missing device name|del"
	"1|unknown word|del carp0 carp3"
	"1|vhid given twice|add carp9 dev eth0 vhid 9 vhid 10 $A"
	"1|advskew given twice|set carp0 advskew 5 advskew 6"
	"1|given twice|add carp9 dev eth0 vhid 9 $A $A"
	"1|peer.*10\\.0\\.0\"|add carp9 dev eth0 vhid 9 peer 10.0.0 $A"
	"1|peer6.*1::2::3|set carp0 peer6 1::2::3"
	"1|state.*init|set carp0 state init"
	"1|state|add carp9 dev eth0 vhid 9 state master $A"
	"1|parent.*cannot be changed|set carp0 dev eth1"
	"1|demotion.*256|demote 256"
	"1|demotion.*\\+x|demote +x"
	"1|frob|frob carp0"
	"2|vhid already in use on this parent|add carp9 dev eth0 vhid 1 $A"
	"2|vhid already in use on this parent|add carp9 dev eth0 vhid 3 advskew 7 $A"
	"2|vhid already in use on this parent|set carp3 vhid 1"
	"2|vhid already in use on this parent|set carp3 advskew 50 vhid 1"
	"2|name already in use|add carp0 dev eth0 vhid 9 $A"
	"2|name already in use|add eth1 dev eth0 vhid 9 $A"
	"2|parent cannot be a carp device|add carp9 dev carp0 vhid 9 $A"
	"2|Ethernet|add carp9 dev lo vhid 9 $A"
	"1|invalid peer \"224\\.0\\.0\\.18\" \\(multicast|add carp9 dev eth0 vhid 9 peer 224.0.0.18 $A"
	"1|invalid peer \"255\\.255\\.255\\.255\" \\(reserved|set carp0 peer 255.255.255.255"
	"1|invalid peer6 \"ff02::1\" \\(multicast|set carp0 advskew 9 peer6 ff02::1"
	"2|no such device|del nosuch0"
	"2|no such device|set nosuch0 advskew 5"
	"2|no such device|set nosuch0 10.0.0.9/24"
	"2|not a carp device|set eth1 advskew 5"
	"2|not a carp device|del eth0"
	"2|cannot add 2001:db8::3/64 to carp3|set carp3 advskew 50 2001:db8::3/64"
	"2|cannot add 2001:db8::3/64 to carp3|set carp3 10.0.0.34/24 2001:db8::3/64"
	"2|vhid already in use on this parent|set carp3 vhid 1 10.0.0.34/24"
	"2|vhid already in use on this parent|set carp3 vhid 1 10.0.0.34/24 10.0.0.35/24"
)

# check_run WANT RE PREFIX: exit status $RC and the output
# files of one run; appends to MSG.
check_run()
{
	local want=$1 re=$2 prefix=$3 err out

	mapfile -t err <"$B/err"
	out=$(<"$B/out")
	[ "$RC" = "$want" ] || MSG+=" exit $RC, not $want;"
	[ "${#err[@]}" = 1 ] && [[ ${err[0]} == "carpctl: $prefix"* ]] ||
		MSG+=" stderr not one 'carpctl: $prefix' line;"
	[[ ${err[*]} =~ $re ]] || MSG+=" message does not match /$re/;"
	[ -z "$out" ] || MSG+=" stdout: '$out';"
	MSG+="${MSG:+ stderr: ${err[*]};}"
}

# run_case WANT RE LINE: carpctl -n main LINE alone, then as line 2 of a
# batch between two good lines, without and with -force. Sets MSG.
run_case()
{
	local want=$1 re=$2 line=$3 m js after

	MSG=""
	# shellcheck disable=SC2086 # the case is a word list
	carpctl -n "$MAIN" $line >"$B/out" 2>"$B/err" </dev/null
	RC=$?
	check_run "$want" "$re" ""
	[ -z "$MSG" ] || MSG=" alone:$MSG"

	printf 'set carp3 advskew 11\n%s\nset carp3 advskew 22\n' "$line" >"$B/batch"
	carpctl -n "$MAIN" -batch "$B/batch" >"$B/out" 2>"$B/err" </dev/null
	RC=$?
	m=$MSG
	MSG=""
	check_run "$want" "$re" "$B/batch:2: "
	js=$(carpctl -n "$MAIN" -j show carp3)
	[[ $js =~ \"advskew\":11, ]] ||
		MSG+=" not line 1 alone applied: $js;"
	[ -z "$MSG" ] || m+=" -batch:$MSG"

	# The last line puts advskew back: all must then be as before.
	printf 'set carp3 advskew 33\n%s\nset carp3 advskew 0\n' "$line" >"$B/batch"
	carpctl -n "$MAIN" -force -batch "$B/batch" >"$B/out" 2>"$B/err" </dev/null
	RC=$?
	MSG=""
	check_run "$want" "$re" "$B/batch:2: "
	[ -z "$MSG" ] || m+=" -force -batch:$MSG"

	after=$(snapshot)
	if [ "$after" != "$SNAP" ]; then
		m+=" changed: $(diff <(echo "$SNAP") <(echo "$after") | head -n 10);"
		SNAP=$after
	fi
	MSG=${m:+carpctl $line:$m}
	[ -z "$MSG" ]
}

setup()
{
	local out

	ip -n "$MAIN" link add eth1 type veth peer name eth1p || return 1
	ip -n "$MAIN" link set eth1 up || return 1
	ip -n "$MAIN" link set eth1p up || return 1
	ip -n "$MAIN" addr add 10.1.0.2/24 dev eth1 || return 1
	carp_add "$MAIN" carp0 dev eth0 vhid 1 pass s3cret "$VIP/$PLEN" || return 1
	carp_add "$MAIN" carp3 dev eth0 vhid 3 10.0.0.33/24 || return 1
	carp_add "$MAIN" carp2 dev eth1 vhid 1 10.1.0.1/24 || return 1
	# carp3 takes no IPv6 address: the kernel refuses the one of a set.
	ip netns exec "$MAIN" sysctl -qw net.ipv6.conf.carp3.disable_ipv6=1 || return 1
	# Alone on their vhids, all become MASTER and then stay so.
	out=$(wait_states $(($(carp_down_ms 1 0) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$MAIN" carp3 MASTER "$MAIN" carp2 MASTER)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

# run_cases WANT: the cases of the table whose exit status is WANT, each a
# check.
run_cases()
{
	local c want re rest words

	for c in "${CASES[@]}"; do
		want=${c%%|*}
		[ "$want" = "$1" ] || continue
		rest=${c#*|}
		re=${rest%%|*}
		words=${rest#*|}

		check_begin
		run_case "$want" "$re" "$words"
		check_err $? "$MSG"
		log_test "exit $want, one line, no change, alone and in a batch: carpctl $words"
	done
}

# carpctl's own refusals (exit 1).
test_syntax_errors()
{
	run_cases 1
}

# The kernel's refusals (exit 2).
test_kernel_refusals()
{
	run_cases 2
}

carp_test_init
B=$CARP_TMP
setup || { echo "FAIL: setup"; exit "$ksft_fail"; }
SNAP=$(snapshot)

carp_run_tests

exit "$EXIT_STATUS"
