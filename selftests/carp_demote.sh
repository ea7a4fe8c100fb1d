#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Forced state, demotion, the last state change and the namespace's
# counters, end to end through carpctl (vhid 1, advbase 1; main advskew 0,
# spare advskew 100; spare has net.carp.preempt=1 throughout).
#
# Proves:
# - `carpctl demote` reads 0/0 in every namespace; +N, -N and N change the
#   administrative demotion (= net.carp.demotion) of that namespace only;
#   the kernel keeps it within 0..255 (+N past 255 gives 255, -N past 0
#   gives 0, both exit 0); out-of-range arguments are rejected (exit 1)
#   and change nothing; the sysctl cannot leave 0..255 either.
# - `set carp0 state master` on the worse BACKUP: it advertises (a BACKUP
#   never does), then steps down on the better master's next advertisement
#   (FreeBSD: a MASTER steps down on an ad at least as frequent as its own);
#   the better master never leaves MASTER.
# - `set carp0 state backup` on the MASTER: BACKUP at once with the reason
#   of a forced change; it bows out, so the spare takes over before main's
#   own master-down, and main (preempt 0) stays BACKUP.
# - `demote +240` on main: main and its device report 240, its ads carry
#   advskew 0+240 and demote byte 240 (its configured advskew stays 0), and
#   the spare (preempt) takes over on the next one, long before any
#   master-down; `demote -240` (main preempt=1) gives MASTER back. A second
#   +240 clamps at 255: ads with advskew 254 (capped) and demote 255; -240
#   then leaves 15.
# - `set carp0 state master` on the better BACKUP whose MASTER is worse,
#   with preempt=0 (so it would never have taken over by itself, checked
#   for longer than its master-down): it becomes and stays MASTER, the
#   worse one steps down; the forced reason is reported.
# - Pulling main's cable adds 240 per carp device on that parent to the
#   advertised demotion while it is down, leaving the administrative one
#   alone (0 -> 240; with two devices 10 -> 255, capped); changing the
#   administrative one meanwhile works (+10: 250); plugging back removes
#   exactly the link part. Other namespaces are not affected. Forcing a state on the
#   INIT device is refused (exit 2, the kernel's one-line message) and
#   nothing of that request applies.
# - last_change_ms restarts at a state change and grows otherwise; the
#   reasons (forced, preempt, step-down, master down, link) are reported.
# - `carpctl stats` without a name adds the namespace's counters: badvhid
#   counts an advertisement for a vhid no device has, and the counters of
#   a deleted device stay in the namespace's sums.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_demote_cmd test_setup test_force_worse_master
	test_force_backup test_demote_failover test_force_better_master
	test_link_demotion test_netns_stats"

SPARE_SKEW=100
LINK_DEMOTION=240

# The kernel's words for a change of state (CARP_A_LAST_REASON), as ERE.
REASON_FORCED='^forced by admin$'
REASON_STEP_DOWN='^a better master advertised$'
REASON_PREEMPT='^preempting a worse master$'
REASON_MASTER_DOWN='^master timed out$'
REASON_STALE='^remote master is stale$'
REASON_LINK_DOWN='^parent link down$'

##############################################################################
# Helpers

# demote_get NS: "ADMIN ADVERTISED" from `carpctl demote` (its text form,
# which takes one carpctl run and no JSON parser: this is polled a lot).
demote_get()
{
	local out k1 v1 k2 v2

	out=$(carpctl -n "$1" demote 2>/dev/null) || return 1
	{ read -r k1 v1 && read -r k2 v2; } <<<"$out" || return 1
	[ "$k1" = demotion ] && [ "$k2" = advertised ] || return 1
	echo "$v1 $v2"
}

_demote_is()
{
	[ "$(demote_get "$1")" = "$2 $3" ]
}

# demote_show NS: "administrative/advertised", for messages.
demote_show()
{
	local v

	v=$(demote_get "$1")
	echo "${v/ //}"
}

# check_demote NS ADMIN ADVERTISED WHAT
check_demote()
{
	_demote_is "$1" "$2" "$3" ||
		check_fail_msg "$4: ${1%%-*} demotion $(demote_show "$1"), want $2/$3"
}

# wait_demote NS ADMIN ADVERTISED TIMEOUT_MS
wait_demote()
{
	if loopy_wait "sleep 0.1" "$4" _demote_is "$1" "$2" "$3"; then
		return 0
	fi
	echo "${1%%-*}: demotion $(demote_show "$1") after $4 ms, want $2/$3"
	return 1
}

# demote NS ARG: `carpctl demote ARG`, which must succeed.
demote()
{
	local out

	out=$(carpctl -n "$1" demote "$2" 2>&1) ||
		check_fail_msg "carpctl -n ${1%%-*} demote $2: $out"
}

_netns_stat_ge()
{
	local v

	v=$(netns_stat "$1" "$2") || return 1
	((v >= $3))
}

# ad_show TAG: "SRC ADVSKEW DEMOTE" for each CARP advertisement captured.
ad_show()
{
	capture_show "$1" | awk '$1 == "p112" { print $5, $12, $14 }'
}

# ad_count TAG SRC ADVSKEW DEMOTE: advertisements from SRC with those bytes.
ad_count()
{
	ad_show "$1" | awk -v s="$2" -v k="$3" -v d="$4" \
		'$1 == s && $2 == k && $3 == d { n++ } END { print n + 0 }'
}

_ad_count_ge()
{
	(($(ad_count "$1" "$2" "$3" "$4") >= $5))
}

# wait_ad TAG SRC ADVSKEW DEMOTE TIMEOUT_MS: one such advertisement.
wait_ad()
{
	if loopy_wait "sleep 0.2" "$5" _ad_count_ge "$1" "$2" "$3" "$4" 1; then
		return 0
	fi
	echo "no advertisement from $2 with advskew $3 demote $4 within $5 ms;" \
	     "seen: $(ad_show "$1" | sort | uniq -c | tr '\n' ';')"
	return 1
}

reason_of()
{
	carp_field "$1" "$2" last_reason
}

# check_reason NS DEV ERE WHAT
check_reason()
{
	local r

	r=$(reason_of "$1" "$2")
	grep -Eq "$3" <<<"$r" ||
		check_fail_msg "$4: ${1%%-*} $2 reason '$r', want /$3/"
}

# pair_ready: main MASTER, the spare BACKUP with preempt, no demotion, no
# carp1 (what test_setup makes).
pair_ready()
{
	carp_preempt "$SPARE" 1
	carp_preempt "$MAIN" 0
	carpctl -n "$MAIN" demote 0 >/dev/null 2>&1
	carpctl -n "$MAIN" del carp1 2>/dev/null
	carp_pair_ready 1 0 "$SPARE_SKEW"
}

# spare_ready: main BACKUP (preempt 0), the spare MASTER (what
# test_force_backup leaves).
spare_ready()
{
	local out

	[ "$(link_operstate "$SW" sw_main)" = UP ] &&
		_states_are "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER &&
		_demote_is "$MAIN" 0 0 && return 0
	pair_ready
	out=$(carpctl -n "$MAIN" set carp0 state backup 2>&1) ||
		carp_ensure_fail "$out" "state backup on the MASTER"
	out=$(wait_states $(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER) ||
		carp_ensure_fail "$out" "state backup on the MASTER: the spare MASTER"
}

# carp1_ready: main MASTER, the spare BACKUP and main's carp1 (vhid 2),
# main's preempt on (what test_link_demotion leaves).
carp1_ready()
{
	local out

	if ! link_exists "$MAIN" carp1; then
		pair_ready
		out=$(carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase 1 10.0.0.21/24) ||
			carp_ensure_fail "$out" "main's carp1"
	fi
	carp_preempt "$MAIN" 1
}

##############################################################################
# Tests

test_setup()
{
	local out

	check_begin
	carp_preempt "$SPARE" 1
	out=$(carp_pair_up 1 0 "$SPARE_SKEW")
	check_err $? "$out"
	log_test "main MASTER, spare BACKUP"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_demote_cmd()
{
	local ns out v rc

	check_begin
	for ns in "$MAIN" "$SPARE" "$CLIENT"; do
		check_demote "$ns" 0 0 "default"
		v=$(ip netns exec "$ns" sysctl -n net.carp.demotion 2>&1)
		[ "$v" = 0 ] || check_fail_msg "net.carp.demotion in ${ns%%-*}: '$v'"
	done
	out=$(carpctl -n "$MAIN" demote 2>&1)
	[ "$out" = $'demotion 0\nadvertised 0' ] ||
		check_fail_msg "carpctl demote printed '$out'"
	out=$(carpctl -n "$MAIN" dem 2>&1)
	[ "$out" = $'demotion 0\nadvertised 0' ] ||
		check_fail_msg "carpctl dem printed '$out'"
	out=$(carpctl -n "$MAIN" -j demote 2>&1)
	[ "$out" = '{"demotion":0,"demote":0,"holds":[],"tracks":[]}' ] ||
		check_fail_msg "carpctl -j demote printed '$out'"
	log_test "demotion: 0/0 by default in every namespace, as text and JSON"

	check_begin
	demote "$MAIN" +10
	check_demote "$MAIN" 10 10 "+10"
	v=$(ip netns exec "$MAIN" sysctl -n net.carp.demotion)
	[ "$v" = 10 ] || check_fail_msg "net.carp.demotion is '$v' after +10"
	check_demote "$SPARE" 0 0 "spare, after main's +10"
	check_demote "$CLIENT" 0 0 "client, after main's +10"
	demote "$MAIN" -3
	check_demote "$MAIN" 7 7 "-3"
	demote "$MAIN" 20
	check_demote "$MAIN" 20 20 "20 (absolute)"
	demote "$MAIN" 20
	check_demote "$MAIN" 20 20 "20 again"
	ip netns exec "$MAIN" sysctl -qw net.carp.demotion=5
	check_err $? "sysctl -w net.carp.demotion=5"
	check_demote "$MAIN" 5 5 "sysctl net.carp.demotion=5"
	log_test "demote +N, -N, N and net.carp.demotion agree, per namespace"

	check_begin
	demote "$MAIN" 250
	demote "$MAIN" +10
	check_demote "$MAIN" 255 255 "250 then +10"
	demote "$MAIN" +255
	check_demote "$MAIN" 255 255 "255 then +255"
	demote "$MAIN" -100
	check_demote "$MAIN" 155 155 "255 then -100"
	demote "$MAIN" -255
	check_demote "$MAIN" 0 0 "155 then -255"
	demote "$MAIN" -1
	check_demote "$MAIN" 0 0 "0 then -1"
	demote "$MAIN" 255
	check_demote "$MAIN" 255 255 "255"
	for v in 256 +256 -256 x; do
		carpctl -n "$MAIN" demote "$v" >/dev/null 2>&1
		rc=$?
		[ $rc = 1 ] || check_fail_msg "demote $v: exit $rc, want 1"
	done
	check_demote "$MAIN" 255 255 "after rejected arguments"
	ip netns exec "$MAIN" sysctl -qw net.carp.demotion=256 2>/dev/null
	v=$(ip netns exec "$MAIN" sysctl -n net.carp.demotion)
	((v >= 0 && v <= 255)) || check_fail_msg "sysctl accepted 256: '$v'"
	ip netns exec "$MAIN" sysctl -qw net.carp.demotion=-1 2>/dev/null
	v=$(ip netns exec "$MAIN" sysctl -n net.carp.demotion)
	((v >= 0 && v <= 255)) || check_fail_msg "sysctl accepted -1: '$v'"
	demote "$MAIN" 0
	check_demote "$MAIN" 0 0 "0"
	log_test "demotion stays within 0..255 (kernel clamps +N/-N; 256 rejected)"
}

test_force_worse_master()
{
	local out tr_main tr_spare lc0 lc1 lc2

	pair_ready
	check_begin
	capture_start ads "$CLIENT" eth0 ip proto 112 || check_fail_msg "no capture"
	out=$(wait_ad ads "$MAIN_IP" 0 0 $(($(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	# spare is BACKUP (carp_pair_up) and has sent nothing
	(($(ad_count ads "$SPARE_IP" "$SPARE_SKEW" 0) == 0)) ||
		check_fail_msg "spare advertised as BACKUP"
	tr_main=$(carp_stat "$MAIN" carp0 transitions)
	tr_spare=$(carp_stat "$SPARE" carp0 transitions)
	lc0=$(carp_field "$SPARE" carp0 last_change_ms)

	out=$(carpctl -n "$SPARE" set carp0 state master 2>&1)
	check_err $? "set state master: $out"
	# A forced MASTER advertises at once (and every 1 + 100/256 s).
	out=$(wait_ad ads "$SPARE_IP" "$SPARE_SKEW" 0 \
		$(($(carp_adv_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "forced MASTER did not advertise: $out"
	# main advertises every second, more often: spare steps down.
	out=$(wait_state "$SPARE" carp0 BACKUP \
		$(($(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	lc1=$(carp_field "$SPARE" carp0 last_change_ms)
	out=$(wait_counter_ge "$SPARE" carp0 transitions $((tr_spare + 2)) \
		"$CARP_MARGIN_MS")
	check_err $? "$out"
	check_reason "$SPARE" carp0 "$REASON_STEP_DOWN" "stepped down"
	out=$(expect_states_for $(($(carp_down_ms 1 "$SPARE_SKEW") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tr_main" ] ||
		check_fail_msg "main changed state ($tr_main -> $(carp_stat "$MAIN" carp0 transitions) transitions)"
	lc2=$(carp_field "$SPARE" carp0 last_change_ms)
	((lc1 < lc0)) ||
		check_fail_msg "spare's last_change_ms did not restart: $lc0 -> $lc1"
	((lc2 > lc1)) ||
		check_fail_msg "spare's last_change_ms did not grow: $lc1 -> $lc2"
	capture_stop ads
	log_test "state master on the worse BACKUP: advertises, steps down on the better master's next ad"
}

test_force_backup()
{
	local out st reason

	pair_ready
	check_begin
	out=$(carpctl -n "$MAIN" set carp0 state backup 2>&1)
	check_err $? "set state backup: $out"
	st=$(carp_state "$MAIN" carp0)
	reason=$(reason_of "$MAIN" carp0)
	[ "$st" = BACKUP ] || check_fail_msg "main '$st' right after state backup"
	grep -Eq "$REASON_FORCED" <<<"$reason" ||
		check_fail_msg "main's reason '$reason', want /$REASON_FORCED/"
	# The forced BACKUP bows out, so the spare takes over at once, before
	# main's own master-down (3 s, shorter than the spare's 3 + 100/256 s)
	# could make main MASTER again; main (preempt 0) then stays BACKUP.
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms 1 0) + 2000)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	check_reason "$MAIN" carp0 "$REASON_FORCED" "after state backup"
	check_reason "$SPARE" carp0 "$REASON_PREEMPT|$REASON_STALE" "spare after main's bow-out"
	log_test "state backup on the MASTER: BACKUP at once, the spare takes over, main stays BACKUP"
}

# main back to MASTER, spare BACKUP (main preempt=1: on spare's next ad).
restore_main()
{
	local out

	carp_preempt "$MAIN" 1
	out=$(wait_states $(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "restore: $out"
}

test_demote_failover()
{
	local out demote_wire

	spare_ready
	check_begin
	restore_main
	capture_start ads "$CLIENT" eth0 ip proto 112 || check_fail_msg "no capture"
	demote "$MAIN" +240
	check_demote "$MAIN" 240 240 "+240"
	[ "$(carp_field "$MAIN" carp0 demote)" = 240 ] ||
		check_fail_msg "main carp0 demote '$(carp_field "$MAIN" carp0 demote)'"
	[ "$(carp_field "$MAIN" carp0 advskew)" = 0 ] ||
		check_fail_msg "main carp0 advskew changed to '$(carp_field "$MAIN" carp0 advskew)'"
	check_demote "$SPARE" 0 0 "spare, after main's +240"
	out=$(wait_ad ads "$MAIN_IP" 240 240 \
		$(($(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "main's demoted ads: $out"
	# main still advertises, so the spare's master-down never runs out:
	# only preemption makes it MASTER.
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_adv_ms 1 240) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 BACKUP \
		$(($(carp_adv_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	check_reason "$SPARE" carp0 "$REASON_PREEMPT" "spare took over"
	check_reason "$MAIN" carp0 "$REASON_STEP_DOWN" "main stepped down"
	log_test "demote +240: ads say advskew 240 demote 240, the spare preempts"

	check_begin
	demote "$MAIN" -240
	check_demote "$MAIN" 0 0 "-240"
	[ "$(carp_field "$MAIN" carp0 demote)" = 0 ] ||
		check_fail_msg "main carp0 demote '$(carp_field "$MAIN" carp0 demote)'"
	out=$(wait_states $(($(carp_adv_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	check_reason "$MAIN" carp0 "$REASON_PREEMPT" "main took back"
	log_test "demote -240: main (preempt) is MASTER again"

	check_begin
	# One step: main must still be MASTER when it advertises 255.
	demote "$MAIN" +255
	check_demote "$MAIN" 255 255 "+255"
	[ "$(carp_field "$MAIN" carp0 demote)" = 255 ] ||
		check_fail_msg "main carp0 demote '$(carp_field "$MAIN" carp0 demote)'"
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_adv_ms 1 254) + CARP_MARGIN_MS)))
	check_err $? "$out"
	# main steps down, so the demoted ad may be its first and last one
	out=$(wait_ad ads "$MAIN_IP" 254 255 "$CARP_MARGIN_MS")
	check_err $? "$out"
	demote_wire=$(ad_show ads | awk -v s="$MAIN_IP" '$1 == s && ($2 > 254 || $3 > 255)')
	[ -z "$demote_wire" ] || check_fail_msg "out of range on the wire: $demote_wire"
	demote "$MAIN" -240
	check_demote "$MAIN" 15 15 "255 then -240"
	demote "$MAIN" 0
	check_demote "$MAIN" 0 0 "0"
	restore_main
	capture_stop ads
	log_test "demote 255: ads say advskew 254 (capped) demote 255; -240 leaves 15"
}

test_force_better_master()
{
	local out

	pair_ready
	carp_preempt "$MAIN" 1
	check_begin
	demote "$MAIN" +240
	out=$(wait_states $(($(carp_adv_ms 1 240) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	carp_preempt "$MAIN" 0
	demote "$MAIN" -240
	check_demote "$MAIN" 0 0 "-240"
	# Without preempt a BACKUP waits for the master to go away: the
	# spare keeps advertising, main stays BACKUP past its master-down.
	out=$(expect_states_for $(($(carp_down_ms 1 0) + 2000)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "preempt 0: undemoted main waits as BACKUP behind the worse spare"

	check_begin
	out=$(carpctl -n "$MAIN" set carp0 state master 2>&1)
	check_err $? "set state master: $out"
	out=$(wait_state "$MAIN" carp0 MASTER "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp0 BACKUP \
		$(($(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_down_ms 1 "$SPARE_SKEW") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	check_reason "$MAIN" carp0 "$REASON_FORCED" "forced MASTER"
	check_reason "$SPARE" carp0 "$REASON_STEP_DOWN" "spare stepped down"
	log_test "state master on the better BACKUP: stays MASTER, the worse one steps down"
	carp_preempt "$MAIN" 1
}

test_link_demotion()
{
	local out rc

	pair_ready
	carp_preempt "$MAIN" 1
	check_begin
	check_demote "$MAIN" 0 0 "before the pull"
	cable_pull main
	out=$(wait_demote "$MAIN" 0 "$LINK_DEMOTION" "$CARP_MARGIN_MS")
	check_err $? "cable pulled: $out"
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	[ "$(carp_field "$MAIN" carp0 demote)" = "$LINK_DEMOTION" ] ||
		check_fail_msg "main carp0 demote '$(carp_field "$MAIN" carp0 demote)'"
	check_reason "$MAIN" carp0 "$REASON_LINK_DOWN" "cable pulled"
	# A state cannot be forced on an INIT device; nothing of the request
	# applies (the advskew neither); one line with the kernel's message.
	out=$(carpctl -n "$MAIN" set carp0 advskew 5 state master 2>&1)
	rc=$?
	[ $rc = 2 ] || check_fail_msg "state master on INIT: exit $rc ($out)"
	{ [ "$(wc -l <<<"$out")" = 1 ] &&
	  grep -q '^carpctl: .*not running' <<<"$out"; } ||
		check_fail_msg "state master on INIT said: '$out'"
	[ "$(carp_state "$MAIN" carp0)" = INIT ] ||
		check_fail_msg "main carp0 left INIT: $(carp_state "$MAIN" carp0)"
	[ "$(carp_field "$MAIN" carp0 advskew)" = 0 ] ||
		check_fail_msg "rejected request changed advskew to $(carp_field "$MAIN" carp0 advskew)"
	check_demote "$SPARE" 0 0 "spare, main's cable pulled"
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	check_reason "$SPARE" carp0 "$REASON_MASTER_DOWN" "spare took over"
	# The administrative part changes independently meanwhile.
	demote "$MAIN" 10
	check_demote "$MAIN" 10 $((10 + LINK_DEMOTION)) "10 while down"
	cable_plug main
	out=$(wait_demote "$MAIN" 10 10 "$CARP_MARGIN_MS")
	check_err $? "cable plugged: $out"
	[ "$(carp_field "$MAIN" carp0 demote)" = 10 ] ||
		check_fail_msg "main carp0 demote '$(carp_field "$MAIN" carp0 demote)' after the plug"
	# Demoted (the demote byte ranks first), main does not preempt; at 0
	# it does (preempt 1).
	demote "$MAIN" 0
	out=$(wait_states $(($(carp_adv_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "cable pull: advertised demotion 0 -> 240 while down (+10 -> 250), 10 after"

	check_begin
	out=$(carp_add "$MAIN" carp1 dev eth0 vhid 2 advbase 1 10.0.0.21/24)
	check_err $? "$out"
	demote "$MAIN" 10
	cable_pull main
	out=$(wait_demote "$MAIN" 10 255 "$CARP_MARGIN_MS")
	check_err $? "cable pulled, two devices: $out"
	demote "$MAIN" -10
	check_demote "$MAIN" 0 255 "-10 while down"
	cable_plug main
	out=$(wait_demote "$MAIN" 0 0 "$CARP_MARGIN_MS")
	check_err $? "cable plugged, two devices: $out"
	out=$(wait_states $(($(carp_adv_ms 1 "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "cable pull with two devices: 10 -> 255 (capped), -10 meanwhile, 0 after"
}

test_netns_stats()
{
	local out bv tr0 tr1 ops0 ops1 dev_ops

	carp1_ready
	check_begin
	out=$(carpctl -n "$MAIN" -j stats | python3 -c '
import json, sys
d = json.load(sys.stdin)
dev = ["ipackets", "opackets", "badttl", "badlen", "badsum", "badver",
       "badauth", "echo", "onomem", "transitions", "replay", "badsrc",
       "ipackets6", "opackets6", "conflicts", "conflict_ms"]
names = [x["ifname"] for x in d]
assert names == ["carp0", "carp1", None], names
for x in d[:-1]:
    assert sorted(x) == sorted(["ifname"] + dev), x
assert sorted(d[-1]) == sorted(["ifname", "badvhid", "badif"] + dev), d[-1]
assert all(type(v) is int for x in d for k, v in x.items() if k != "ifname")
for k in dev:
    assert d[-1][k] >= sum(x[k] for x in d[:-1]), k
' 2>&1)
	check_err $? "stats -j without a name: $out"
	out=$(carpctl -n "$MAIN" stats 2>&1)
	grep -Eq '^\(netns\) +badvhid +[0-9]+ *$' <<<"$out" ||
		check_fail_msg "stats table: no (netns) badvhid row: $out"
	out=$(carpctl -n "$MAIN" -j stats carp0 | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d) == 1 and d[0]["ifname"] == "carp0" and "badvhid" not in d[0]
' 2>&1)
	check_err $? "stats -j carp0: $out"
	log_test "stats: the namespace's counters follow the devices' (JSON and table)"

	check_begin
	# carp1 (alone on vhid 2) has sent a few ads of its own.
	out=$(wait_state "$MAIN" carp1 MASTER \
		$(($(carp_down_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_counter_ge "$MAIN" carp1 opackets 3 \
		$((3 * $(carp_adv_ms 1 0) + CARP_MARGIN_MS)))
	check_err $? "$out"
	bv=$(netns_stat "$MAIN" badvhid)
	check_err $? "no badvhid"
	carp_inject vhid=77
	loopy_wait "sleep 0.1" "$CARP_MARGIN_MS" _netns_stat_ge "$MAIN" badvhid $((bv + 1)) ||
		check_fail_msg "badvhid stayed $(netns_stat "$MAIN" badvhid) (was $bv)"
	tr0=$(netns_stat "$MAIN" transitions)
	ops0=$(netns_stat "$MAIN" opackets)
	dev_ops=$(carp_stat "$MAIN" carp1 opackets)
	((dev_ops >= 3)) || check_fail_msg "carp1 sent $dev_ops ads"
	carp_del "$MAIN" carp1
	ops1=$(netns_stat "$MAIN" opackets)
	tr1=$(netns_stat "$MAIN" transitions)
	((ops1 >= ops0 && tr1 >= tr0)) ||
		check_fail_msg "deleting carp1 lowered the sums: opackets $ops0 -> $ops1, transitions $tr0 -> $tr1"
	log_test "namespace counters: badvhid counted, a deleted device's counters kept"
}

carp_test_init
require_cmd tcpdump

carp_run_tests

exit "$EXIT_STATUS"
