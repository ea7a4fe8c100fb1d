#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Split brain heals loudly. The switch drops CARP (IP protocol 112) between
# main and the spare, so that both become MASTER; when it carries it again
# the better one must not wait for its next regular advertisement.
#
#   main:  carp0 vhid 1, advbase 2, advskew 0, net.carp.preempt=1
#   spare: carp0 vhid 1, advbase 1, advskew 0, demotion 10 (worse than main
#          although it advertises twice as often)
#
# Proves, after the switch carries CARP again (the spare's advertisements
# first, then main's): main stays MASTER (no transition) and the spare
# steps down; main answers the spare's first advertisement with one of its
# own at once (within a quarter of its 2 s interval, twice: a regular one
# falls there with odds of 1 in 16) and
# with a gratuitous ARP for the VIP (it sends none otherwise: it made no
# transition); main counts one conflict each time, `carpctl monitor -j`
# reports it with the spare's address and what it advertised, and
# `carpctl watch carp0 conflict SCRIPT` runs the script with CARP_OTHER.
# When the spare cannot hear main (its eth0 drops protocol 112; main hears
# the spare every 234 ms), the conflict is one, its time
# (conflict_ms) grows with it, and main re-announces at most once a second
# (gratuitous ARPs on the wire, opackets), not at the spare's rate.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_heal test_heal_again test_one_way"

PASS=secret
MAIN_ADVBASE=2
SPARE_ADVBASE=1
SPARE_DEMOTE=10
MAIN_AD_MS=$(carp_adv_ms "$MAIN_ADVBASE" 0)
# advertised by the spare: advskew 0 plus its demotion
SPARE_DOWN_MS=$(carp_down_ms "$SPARE_ADVBASE" "$SPARE_DEMOTE")
# "at once": well within main's interval, whatever the VM's stalls
AT_ONCE_MS=$((MAIN_AD_MS / 4))

# carp_cut PORT...: the switch drops IP protocol 112 entering from each
# PORT (sw_main, sw_spare); carp_cut with no port: it drops none again.
carp_cut()
{
	local port

	for port in sw_main sw_spare; do
		tc -n "$SW" qdisc del dev "$port" clsact 2>/dev/null
	done
	for port in "$@"; do
		tc -n "$SW" qdisc add dev "$port" clsact &&
		# flower reads ip_proto as a name or in hex: 0x70 is 112
		tc -n "$SW" filter add dev "$port" ingress protocol ip \
			flower ip_proto 0x70 action drop || return 1
	done
}

# spare_deaf on|off: the spare's eth0 drops every IP protocol 112 frame it
# receives (main's advertisements never reach its carp0), or none again.
spare_deaf()
{
	tc -n "$SPARE" qdisc del dev eth0 clsact 2>/dev/null
	[ "$1" = on ] || return 0
	tc -n "$SPARE" qdisc add dev eth0 clsact &&
	tc -n "$SPARE" filter add dev eth0 ingress protocol ip \
		flower ip_proto 0x70 action drop
}

# bg_start TAG NS ARGS...: `carpctl -n NS ARGS...` in the background, its
# output in $CARP_TMP/TAG.out and .err, its pid in BG[TAG]; returns once
# it waits in ppoll(2), i.e. listens to the monitor group (bounded).
declare -A BG=()
_in_ppoll()
{
	local nr

	read -r nr _ <"/proc/$1/syscall" 2>/dev/null && [ "$nr" = 271 ]
}

bg_start()
{
	local tag=$1 ns=$2; shift 2

	carpctl -n "$ns" "$@" >"$CARP_TMP/$tag.out" 2>"$CARP_TMP/$tag.err" &
	BG[$tag]=$!
	CARP_BG_PIDS+=("$!")
	loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" _in_ppoll "${BG[$tag]}" ||
		{ echo "carpctl $*: not listening: $(cat "$CARP_TMP/$tag.err")"; return 1; }
}

# pair_ready: main MASTER, the spare BACKUP, both cables in, the switch
# carrying CARP, main's monitor and watch running (what test_setup makes;
# not in a subshell: their pids).
pair_ready()
{
	local out

	carp_cut
	if ! _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP; then
		carpctl -n "$MAIN" del carp0 2>/dev/null
		carpctl -n "$SPARE" del carp0 2>/dev/null
		out=$(pair_add) || carp_ensure_fail "$out" "main MASTER, spare BACKUP"
	fi
	[ -n "${BG[mon]}" ] && return 0
	cat >"$CARP_TMP/conflict.sh" <<-EOF
	#!/bin/sh
	echo "\$1 \$2 \$CARP_EVENT \$CARP_VHID \$CARP_OTHER \$CARP_OTHER_ADVBASE \$CARP_OTHER_ADVSKEW \$CARP_OTHER_DEMOTE \$CARP_REASON" >>"$CARP_TMP/conflicts"
	EOF
	chmod +x "$CARP_TMP/conflict.sh"
	bg_start mon "$MAIN" -j monitor carp0 >"$CARP_TMP/msg" &&
		bg_start watch "$MAIN" watch carp0 conflict "$CARP_TMP/conflict.sh" \
			>>"$CARP_TMP/msg" ||
		carp_ensure_fail "$(cat "$CARP_TMP/msg")" "monitor and watch on main"
}

# pair_add: the devices; main preempts the spare. Prints what went wrong.
pair_add()
{
	carp_preempt "$MAIN" 1 &&
	carpctl -n "$SPARE" demote "$SPARE_DEMOTE" >/dev/null &&
	carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase "$SPARE_ADVBASE" \
		advskew 0 pass "$PASS" "$VIP/$PLEN" &&
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$MAIN_ADVBASE" \
		advskew 0 pass "$PASS" "$VIP/$PLEN" || return 1
	wait_states $((SPARE_DOWN_MS + MAIN_AD_MS + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP || return 1
	expect_states_for "$MAIN_AD_MS" "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP
}

test_setup()
{
	local out

	check_begin
	out=$(pair_add)
	check_err $? "$out"
	log_test "main MASTER, the spare (demoted, advertising more often) BACKUP"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

# split: the switch drops CARP both ways until the spare is MASTER too.
# Prints what went wrong.
split()
{
	carp_cut sw_main sw_spare || { echo "tc: cannot drop protocol 112"; return 1; }
	wait_state "$SPARE" carp0 MASTER $((SPARE_DOWN_MS + CARP_MARGIN_MS)) ||
		return 1
	wait_state "$MAIN" carp0 MASTER 0
}

# at_once TAG: main's first advertisement after the spare's first one in
# capture TAG follows it within AT_ONCE_MS; main announced the VIP after
# it. Prints what went wrong, else the heal's duration.
at_once()
{
	capture_show "$1" | awk -v main="$MAIN_IP" -v spare="$SPARE_IP" \
		-v vip="$VIP" -v limit="$AT_ONCE_MS" '
		$1 == "p112" && $5 == spare { if (ts == "") ts = $2; tl = $2 }
		$1 == "p112" && $5 == main && ts != "" && tm == "" { tm = $2 }
		$1 == "arp" && $7 == vip && $3 ~ /^00:00:5e:00:01:/ &&
			ts != "" && $2 >= ts { garp++ }
		END {
			if (ts == "") { print "no advertisement of the spare"; exit 1 }
			if (tm == "") { print "main did not advertise after the spare"; exit 1 }
			d = (tm - ts) * 1000
			if (d > limit) {
				printf "main advertised %.1f ms after the spare, not at once (within %d ms)\n", d, limit
				exit 1
			}
			if (!garp) { print "main did not announce " vip " again"; exit 1 }
			printf "main answered in %.1f ms; the spare advertised for %.1f ms\n", d, (tl - ts) * 1000
		}'
}

# heal: split, then the switch carries CARP again in two steps: first the
# spare's advertisements only, so that main hears a worse master (were
# both let through at once, main's next regular advertisement could reach
# the spare first, and there would be no conflict to see), then main's
# too. Captured on main's eth0 (both ways: main's advertisements do not
# pass the switch in the first step). Checks of the caller's.
heal()
{
	local out n0 t0 o0 n

	pair_ready
	check_begin
	n0=$(carp_stat "$MAIN" carp0 conflicts)
	t0=$(carp_stat "$MAIN" carp0 transitions)
	o0=$(grep -c '"event":"conflict"' "$CARP_TMP/mon.out")
	out=$(split)
	check_err $? "split: $out"
	capture_start heal "$MAIN" eth0 ip proto 112 or arp ||
		check_fail_msg "no capture"
	carp_cut sw_main || check_fail_msg "tc: cannot drop protocol 112"
	out=$(wait_counter_ge "$MAIN" carp0 conflicts $((n0 + 1)) \
		$(($(carp_adv_ms "$SPARE_ADVBASE" "$SPARE_DEMOTE") + CARP_MARGIN_MS)))
	check_err $? "main counted no conflict: $out"
	carp_cut
	out=$(wait_state "$SPARE" carp0 BACKUP $((MAIN_AD_MS + CARP_MARGIN_MS)))
	check_err $? "the spare did not step down: $out"
	capture_stop heal
	out=$(at_once heal)
	check_err $? "$out"
	[ "$RET" -eq 0 ] && echo "    $out"
	[ "$(carp_state "$MAIN" carp0)" = MASTER ] &&
		[ "$(carp_stat "$MAIN" carp0 transitions)" = "$t0" ] ||
		check_fail_msg "main left MASTER"
	n=$(carp_stat "$MAIN" carp0 conflicts)
	[ "$n" = $((n0 + 1)) ] || check_fail_msg "conflicts $n0 -> $n, expected one more"
	# the event and the script: bounded waits, they follow the state
	out=$(slowwait 5 sh -c "[ \$(grep -c '\"event\":\"conflict\"' '$CARP_TMP/mon.out') -gt $o0 ]" &&
	      tail -n 1 "$CARP_TMP/mon.out")
	check_err $? "monitor: no conflict event: $(tail -n 3 "$CARP_TMP/mon.out")"
	jq -e --arg o "$SPARE_IP" --argjson b "$SPARE_ADVBASE" \
		--argjson s "$SPARE_DEMOTE" \
		'.event == "conflict" and .ifname == "carp0" and .vhid == 1 and
		 .other == $o and .other_advbase == $b and .other_advskew == $s and
		 .other_demote == $s and (.time_ns > 0)' <<<"$out" >/dev/null ||
		check_fail_msg "monitor: $out"
	out=$(slowwait 5 grep -q . "$CARP_TMP/conflicts" &&
	      tail -n 1 "$CARP_TMP/conflicts")
	[ "$out" = "carp0 conflict conflict 1 $SPARE_IP $SPARE_ADVBASE $SPARE_DEMOTE $SPARE_DEMOTE conflict" ] ||
		check_fail_msg "watch's conflict script: '$out'"
	: >"$CARP_TMP/conflicts"
}

test_heal()
{
	heal
	log_test "split healed: main answers at once, re-announces, reports one conflict"
}

test_heal_again()
{
	heal
	log_test "split healed again: the same, a second conflict"
}

# The spare drops what it receives of protocol 112: MASTER, it never hears
# main, which hears it every 234 ms for HOLD_MS.
test_one_way()
{
	local hold=3000 out n0 ms0 op0 n ms op garp w mo t0 t1

	pair_ready
	check_begin
	t0=$(carp_stat "$SPARE" carp0 transitions)
	n0=$(carp_stat "$MAIN" carp0 conflicts)
	ms0=$(carp_stat "$MAIN" carp0 conflict_ms)
	op0=$(carp_stat "$MAIN" carp0 opackets)
	# the spare's advertisements reach the switch; main's ARP as it sends it
	# (the spare's own announcements look the same on the wire)
	capture_start oneway "$SW" br0 ip proto 112 &&
		capture_start mainarp "$MAIN" eth0 -Q out arp ||
		check_fail_msg "no capture"
	# Deaf first, faster second: a spare that hears main at advbase 0
	# times out between main's advertisements (its master-down, 0.7 s,
	# is shorter than main's interval, 2 s), becomes MASTER, hears main's
	# answer, steps down, and so on: flaps that are not the one-way case.
	spare_deaf on || check_fail_msg "tc: cannot drop protocol 112"
	out=$(carp_set "$SPARE" carp0 advbase 0 advskew 50)
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms 0 $((50 + SPARE_DEMOTE))) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for "$hold" "$MAIN" carp0 MASTER)
	check_err $? "$out"
	t1=$(carp_stat "$SPARE" carp0 transitions)
	n=$(carp_stat "$MAIN" carp0 conflicts)
	ms=$(carp_stat "$MAIN" carp0 conflict_ms)
	op=$(carp_stat "$MAIN" carp0 opackets)
	capture_stop oneway
	capture_stop mainarp
	spare_deaf off
	# the spare's advertisements main heard: w ms from the first to the
	# last; main's own on the wire in that time: mo
	capture_show oneway >"$CARP_TMP/oneway.txt"
	w=$(awk -v s="$SPARE_IP" '$1 == "p112" && $5 == s {
		if (f == "") f = $2; l = $2 } END { printf "%d", (l - f) * 1000 }' \
		"$CARP_TMP/oneway.txt")
	mo=$(awk -v s="$SPARE_IP" -v m="$MAIN_IP" '$1 == "p112" && $5 == s {
		if (f == "") f = $2; l = $2 } $1 == "p112" && $5 == m { t[++n] = $2 }
		END { for (i = 1; i <= n; i++) c += t[i] >= f && t[i] <= l; print c + 0 }' \
		"$CARP_TMP/oneway.txt")
	garp=$(capture_count mainarp '$1 == "arp" && $7 == vip')
	[ "$t1" = $((t0 + 1)) ] ||
		check_fail_msg "the spare changed state $((t1 - t0)) times: it heard main"
	[ "$n" = $((n0 + 1)) ] || check_fail_msg "conflicts $n0 -> $n, expected one more"
	((ms - ms0 >= w / 2 && ms - ms0 <= w + CARP_MARGIN_MS)) ||
		check_fail_msg "conflict_ms grew by $((ms - ms0)) over $w ms of the spare's advertisements"
	# at most one a second (one more for the rounding), not one per ad
	((garp >= 2 && garp <= w / 1000 + 2)) ||
		check_fail_msg "$garp announcements of $VIP in $w ms"
	((mo <= w / MAIN_AD_MS + w / 1000 + 3)) ||
		check_fail_msg "main sent $mo advertisements in $w ms"
	((op - op0 >= mo)) ||
		check_fail_msg "opackets grew by $((op - op0)), $mo seen on the wire"
	log_test "one-way: one conflict, its time counted ($((ms - ms0)) ms of $w), $garp re-announcements"

	check_begin
	out=$(wait_state "$SPARE" carp0 BACKUP $((MAIN_AD_MS + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "one-way ends: the spare hears main and steps down"
}

require_cmd tc tcpdump jq
carp_test_init
carp_run_tests

exit "$EXIT_STATUS"
