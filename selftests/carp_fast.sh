#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sub-second CARP: advbase 0, as OpenBSD has it. The interval is
# advskew/256 s alone and a BACKUP's master-down time three of its own
# intervals, 3 x advskew/256 s. main advskew 50 (195 ms), spare advskew 100
# (master-down 1171 ms), vhid 1.
#
# Proves:
# a) advbase 0 with an advskew of 0 (an interval of zero) is refused by
#    add, by set (advbase 0 on a device at advskew 0, advskew 0 on a device
#    at advbase 0) and for any node of carpnodes, with carpctl's one line
#    naming the rule, and nothing created or changed: carpctl refuses it
#    itself (exit 1) where the command says both advbase and advskew, the
#    kernel (exit 2, its extack) where the device holds one of them;
#    The vhids of a namespace may ask for 16384 advertisements a second
#    together (each counted as MASTER): add and set past it are refused
#    with a message naming the bound, nothing changes, and room made by a
#    longer interval is usable;
# b) the pair comes up (main MASTER, spare BACKUP); `carpctl show` says
#    advbase 0; on the wire main advertises advbase 0 advskew 50, several
#    times a second (at advbase 1 it could send at most once);
# c) steady state: 5 s (25 of main's intervals, 4 of the spare's
#    master-down times) without a transition on either host;
# d) main's cable pulled: the spare's first advertisement follows main's
#    last one on the wire by its master-down time, not less; the spare is
#    MASTER within master-down plus the margin; its gratuitous ARP leaves
#    with its first advertisement, before the second (nothing waits for a
#    tick or a workqueue);
# e) main plugged back with net.carp.preempt=1: main preempts at once
#    (it hears the spare's slower advertisement), the spare is BACKUP.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_refused test_budget test_up test_steady test_pull
	test_preempt_back"

ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100
STEADY_MS=5000
ZERO_MSG="advbase 0 needs an advskew of 1 or more"

# refused WHAT RC CMD...: the carpctl command fails with exit RC (1:
# carpctl refused it, 2: the kernel did) and one line naming the rule.
refused()
{
	local what=$1 want=$2; shift 2
	local out rc

	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		check_fail_msg "$what: exit $rc, expected $want ($out)"
	elif [ "$(wc -l <<<"$out")" -ne 1 ] || [[ "$out" != *"$ZERO_MSG"* ]]; then
		check_fail_msg "$what: expected one line with '$ZERO_MSG', got: $out"
	fi
}

# pair_ready: main MASTER, spare BACKUP, main's preempt off (what test_up
# makes).
pair_ready()
{
	carp_preempt "$MAIN" 0
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW"
}

# capture_ready: the capture of test_up running, main's advertisements in
# it.
capture_ready()
{
	[ -n "${CAP_PID[fast]}" ] && return 0
	capture_start fast "$CLIENT" eth0 ip proto 112 or arp >"$CARP_TMP/msg" ||
		carp_ensure_fail "$(cat "$CARP_TMP/msg")" "capture"
	capture_wait fast '$1 == "p112" && $5 == main' 2 "$CARP_MARGIN_MS" ||
		carp_ensure_fail "no advertisement from main" "capture"
}

# main_pulled: main's cable out, the spare MASTER (what test_pull leaves).
main_pulled()
{
	local out

	[ "$(link_operstate "$SW" sw_main)" != UP ] &&
		carp_state_is "$SPARE" carp0 MASTER && return 0
	pair_ready
	out=$(carp_pull_main "$SPARE_SKEW") ||
		carp_ensure_fail "$out" "cable pull on main: spare MASTER"
}

test_refused()
{
	local out

	check_begin
	refused "add advbase 0 advskew 0" 1 carpctl -n "$MAIN" add carp0 \
		dev eth0 vhid 1 advbase 0 "$VIP/$PLEN"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 was created"
	refused "add advbase 0, carpnodes 1:10,2:0" 1 carpctl -n "$MAIN" add \
		carp0 dev eth0 carpnodes 1:10,2:0 advbase 0 "$VIP/$PLEN"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 was created (carpnodes)"

	out=$(carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 1 advskew 0 \
		"$VIP/$PLEN")
	check_err $? "$out"
	refused "set advbase 0 at advskew 0" 2 carpctl -n "$MAIN" set carp0 \
		advbase 0
	out=$(carp_field "$MAIN" carp0 advbase)
	[ "$out" = 1 ] || check_fail_msg "advbase is '$out' after a refused set"
	out=$(carp_set "$MAIN" carp0 advbase 0 advskew 3)
	check_err $? "advbase 0 advskew 3 refused: $out"
	refused "set advskew 0 at advbase 0" 2 carpctl -n "$MAIN" set carp0 \
		advskew 0
	out=$(carp_field "$MAIN" carp0 advskew)
	[ "$out" = 3 ] || check_fail_msg "advskew is '$out' after a refused set"
	carp_del "$MAIN" carp0
	log_test "advbase 0 with advskew 0 refused (add, set, carpnodes), nothing changed"
}

test_up()
{
	local out n

	check_begin
	capture_start fast "$CLIENT" eth0 ip proto 112 or arp >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	out=$(carp_field "$MAIN" carp0 advbase)
	[ "$out" = 0 ] || check_fail_msg "carpctl show: advbase '$out'"
	log_test "advbase 0: main MASTER (advskew $MAIN_SKEW), spare BACKUP (advskew $SPARE_SKEW)"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

	check_begin
	# p112 fields: $12 advskew, $13 advbase
	capture_wait fast '$1 == "p112" && $5 == main' 10 "$CARP_MARGIN_MS"
	check_err $? "fewer than 10 advertisements from main"
	out=$(capture_count fast \
		'$1 == "p112" && $5 == main && !($12 == 50 && $13 == 0)')
	((out == 0)) ||
		check_fail_msg "main sent $out advertisements not advbase 0 advskew 50: $(capture_show fast | head -n 3)"
	# the most advertisements of main within one second of the capture
	n=$(capture_show fast | awk -v m="$MAIN_IP" '
		$1 == "p112" && $5 == m { t[k++] = $2 }
		END {
			for (i = 0; i < k; i++) {
				for (j = i; j < k && t[j] - t[i] <= 1; j++)
					;
				if (j - i > best)
					best = j - i
			}
			print best + 0
		}')
	((n >= 3)) ||
		check_fail_msg "at most $n advertisements from main in a second"
	log_test "on the wire: advbase 0 advskew $MAIN_SKEW, up to $n advertisements a second"
}

test_steady()
{
	local out m0 s0 m1 s1

	pair_ready
	check_begin
	m0=$(carp_stat "$MAIN" carp0 transitions)
	s0=$(carp_stat "$SPARE" carp0 transitions)
	out=$(expect_states_for "$STEADY_MS" "$MAIN" carp0 MASTER \
		"$SPARE" carp0 BACKUP)
	check_err $? "$out"
	m1=$(carp_stat "$MAIN" carp0 transitions)
	s1=$(carp_stat "$SPARE" carp0 transitions)
	[ "$m0" = "$m1" ] && [ "$s0" = "$s1" ] ||
		check_fail_msg "transitions main $m0 -> $m1, spare $s0 -> $s1"
	log_test "steady for $STEADY_MS ms: no transition"
}

test_pull()
{
	local out down last first second garp

	pair_ready
	capture_ready
	check_begin
	down=$(carp_down_ms 0 "$SPARE_SKEW")
	cable_pull main
	out=$(wait_state "$SPARE" carp0 MASTER $((down + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_wait fast '$1 == "p112" && $5 == spare' 2 "$CARP_MARGIN_MS"
	check_err $? "not two advertisements from the spare"
	capture_stop fast
	# 20 ms: the capture's and the timer's clocks read apart
	capture_gap_check fast "$down" 20
	last=$CAP_LAST first=$CAP_FIRST
	log_test "cable pull on main: spare MASTER; first ad ${CAP_GAP:-?} ms after main's last (master-down $down ms)"

	check_begin
	# the takeover announces at once: the spare's gratuitous ARP leaves
	# with its first advertisement, before its second one
	second=$(capture_show fast | awk -v s="$SPARE_IP" '$1 == "p112" && $5 == s && ++n == 2 { print $2; exit }')
	# (after main's last advertisement: main's own, at set-up, are older)
	garp=$(capture_show fast | awk -v v="$VIP" -v m="$(vmac_of 1)" -v t="$last" \
		'$1 == "arp" && $2 > t && $3 == m && $7 == v && $9 == v { print $2; exit }')
	if [ -z "$garp" ]; then
		check_fail_msg "no gratuitous ARP for $VIP from the spare"
	elif [ -n "$second" ] && awk -v g="$garp" -v s="$second" 'BEGIN { exit !(g >= s) }'; then
		check_fail_msg "gratuitous ARP at $garp, after the spare's second advertisement ($second)"
	elif awk -v g="$garp" -v f="$first" 'BEGIN { exit !(g < f) }'; then
		check_fail_msg "gratuitous ARP at $garp, before the spare's first advertisement ($first)"
	fi
	log_test "takeover: the gratuitous ARP leaves with the first advertisement"
}

test_preempt_back()
{
	local out

	main_pulled
	check_begin
	carp_preempt "$MAIN" 1
	cable_plug main
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms 0 "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "main plugged back, preempt on: main MASTER, spare BACKUP"
}

# The budget: 16384 advertisements a second per namespace, every vhid
# counted as MASTER. 64 devices at advskew 1 (256 a second each) reach it
# exactly; on a parent that is down, so that nothing is sent meanwhile.
test_budget()
{
	local ns=$CLIENT i out

	check_begin
	ip -n "$ns" link add d0 type dummy
	for i in $(seq 1 64); do
		echo "add f$i dev d0 vhid $i advbase 0 advskew 1 10.200.$i.1/32"
	done >"$CARP_TMP/budget"
	out=$(carpctl -n "$ns" -batch "$CARP_TMP/budget" 2>&1)
	check_err $? "64 devices at 256 advertisements a second refused: $out"
	out=$(carpctl -n "$ns" add g1 dev d0 vhid 100 advbase 1 10.201.0.1/32 2>&1)
	[ $? -eq 2 ] && [[ "$out" == *"more than 16384 advertisements a second"* ]] ||
		check_fail_msg "a 65th device (1 a second) past the budget: '$out'"
	link_exists "$ns" g1 && check_fail_msg "g1 was created past the budget"
	out=$(carpctl -n "$ns" set f1 advskew 2 2>&1)
	check_err $? "a longer interval refused: $out"
	out=$(carp_add "$ns" g1 dev d0 vhid 100 advbase 1 10.201.0.1/32)
	check_err $? "room made by f1's longer interval not usable: $out"
	out=$(carpctl -n "$ns" set f1 advskew 1 2>&1)
	[ $? -eq 2 ] && [[ "$out" == *"more than 16384 advertisements a second"* ]] ||
		check_fail_msg "f1 back to advskew 1 past the budget: '$out'"
	out=$(carp_field "$ns" f1 advskew)
	[ "$out" = 2 ] || check_fail_msg "f1's advskew is '$out' after a refused set"
	ip -n "$ns" link del d0
	log_test "budget: 16384 advertisements a second per namespace, add and set past it refused"
}

require_cmd tcpdump
carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
