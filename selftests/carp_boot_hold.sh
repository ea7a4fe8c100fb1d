#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Booting without taking over: net.carp.preempt_delay, and the boot hold of
# carp.service (carp-setup -d N / CARP_BOOT_DEMOTE, released by
# carp-release.service).
#
#   main (the better host, "booting"): carp0 vhid 1, advbase 0, advskew 150
#   spare (a healthy MASTER meanwhile): carp0 vhid 1, advbase 0, advskew 200
#
# advbase 0: nothing here depends on one-second timing (the intervals are
# 586 ms and 781 ms, main's master-down 1.76 s), and sub-second intervals
# make the test fast. preempt_delay is $DELAY s.
#
# Proves:
# - net.carp.preempt_delay defaults to 0 in every namespace, takes 0..3600
#   and refuses -1 and 3601 (the value stays), and is per namespace.
# - main's carp0 created (it joins the protocol) with preempt=1 and
#   preempt_delay=$DELAY while the spare is MASTER: main is BACKUP and
#   nothing changes on either host (state, transitions) until shortly
#   before $DELAY s; then main preempts ("preempting a worse master"), not
#   before $DELAY s and within $DELAY s, one interval of the spare and the
#   margin; the spare is BACKUP.
# - the same when main's cable is plugged back in (its link comes up: it
#   joins again): held for $DELAY s from there, then preempts.
# - alone (no master), main with preempt_delay=3600 becomes MASTER after
#   its master-down time ("master timed out"); and held under the spare, it
#   takes over at once when the spare bows out ("remote master is stale"):
#   the delay never stands in the way of a takeover.
# - the boot hold, by the commands the installed units run (their
#   ExecStart, ExecStop and ExecReload lines; CARP_BOOT_DEMOTE in the
#   environment, as carp.service's EnvironmentFile sets it; systemd itself
#   is not here): carp.service's start with CARP_BOOT_DEMOTE=50 and
#   preempt=1 leaves main BACKUP with demotion 50 while the spare is
#   MASTER, for longer than a master-down time; carp-release.service's
#   command takes the 50 away and main preempts at once; a second release
#   changes nothing.
# - alone, main holding demotion 50 becomes MASTER after its master-down
#   time: the hold only ranks.
# - reload keeps a hold in force, stop ends it, and both take away exactly
#   the hold: a demotion added meanwhile by someone else (demote +7) stays.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_sysctl test_install test_delay_boot test_delay_plug
	test_delay_alone test_delay_bowout test_hold test_hold_alone
	test_hold_reload_stop"

ADVBASE=0
MAIN_SKEW=150
SPARE_SKEW=200
DELAY=5
# The hold is watched until this long before it ends (polling is slow).
HOLD_SLACK_MS=700
# A jiffy at HZ 100 or more: how much last_change_ms may lose to truncation.
TICK_MS=10
BOOT_DEMOTE=50

carp_repo_init

UNITS=$DEST/usr/lib/systemd/system

cat >"$CARP_TMP/carp.conf" <<EOF
add carp0 dev eth0 vhid 1 advbase $ADVBASE advskew $MAIN_SKEW $VIP/$PLEN
EOF
cat >"$CARP_TMP/sysctl.conf" <<EOF
net.carp.preempt = 1
EOF

# sysctl_set NS NAME VALUE, sysctl_get NS NAME: net.carp.NAME.
sysctl_set()
{
	ip netns exec "$1" sysctl -qw "net.carp.$2=$3" 2>/dev/null
}

sysctl_get()
{
	ip netns exec "$1" sysctl -n "net.carp.$2"
}

# demotion_get NS: the administrative demotion of NS.
demotion_get()
{
	carpctl -n "$1" demote | awk '$1 == "demotion" { print $2 }'
}

# install_ready: the tools and units installed in DEST.
install_ready()
{
	carp_tools_installed "$UNITS/carp-release.service" \
		"make install-tools DESTDIR: the boot hold's units"
}

# unit_run UNIT KEY: in main, the command of UNIT's KEY= line (ExecStart,
# ExecStop, ExecReload) as installed, from DEST, with the environment
# carp.service's EnvironmentFile would give it; output in
# $CARP_TMP/unit.out.
unit_run()
{
	local line

	line=$(sed -n "s,^$2=,,p" "$UNITS/$1")
	[ -n "$line" ] || { echo "$1: no $2" >"$CARP_TMP/unit.out"; return 2; }
	# shellcheck disable=SC2086 # the unit's words, as systemd splits them
	ip netns exec "$MAIN" env PATH="$DEST/usr/sbin:$PATH" \
		CARP_BOOT_DEMOTE="$BOOT_DEMOTE" CARP_CONF="$CARP_TMP/carp.conf" \
		CARP_SYSCTL="$CARP_TMP/sysctl.conf" CARP_RUNDIR="$CARP_TMP/run" \
		${line//\/usr\/sbin\//$DEST/usr/sbin/} >"$CARP_TMP/unit.out" 2>&1
}

# main_clean: main without carp0, without a boot hold or demotion, with
# preempt and preempt_delay 0; both cables in.
main_clean()
{
	cable_plug main
	cable_plug spare
	if [ -e "$CARP_TMP/run/devices" ] || [ -e "$CARP_TMP/run/hold" ]; then
		unit_run carp.service ExecStop ||
			carp_ensure_fail "$(cat "$CARP_TMP/unit.out")" "carp.service stop"
	fi
	link_exists "$MAIN" carp0 && carp_del "$MAIN" carp0
	carpctl -n "$MAIN" demote 0 >/dev/null &&
		sysctl_set "$MAIN" preempt 0 && sysctl_set "$MAIN" preempt_delay 0 ||
		carp_ensure_fail "cannot reset main's demotion and sysctls" "main clean"
}

# spare_alone: main clean, the spare's carp0 a healthy MASTER.
spare_alone()
{
	local out

	main_clean
	if ! link_exists "$SPARE" carp0; then
		out=$(carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
			advskew "$SPARE_SKEW" "$VIP/$PLEN") ||
			carp_ensure_fail "$out" "spare's carp0"
	fi
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS))) ||
		carp_ensure_fail "$out" "spare alone: MASTER"
}

# nobody: main clean, no carp0 on the spare.
nobody()
{
	main_clean
	link_exists "$SPARE" carp0 && carp_del "$SPARE" carp0
}

# main_add: main's carp0, as carp.conf has it.
main_add()
{
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" "$VIP/$PLEN"
}

# delay_set VALUE: main's preempt on, its preempt_delay VALUE.
delay_set()
{
	sysctl_set "$MAIN" preempt 1 && sysctl_set "$MAIN" preempt_delay "$1" ||
		carp_ensure_fail "cannot set main's preempt and preempt_delay" \
			"preempt=1, preempt_delay=$1"
}

# reason_is NS REASON: carp0's last change was for REASON.
reason_is()
{
	local r

	r=$(carp_field "$1" carp0 last_reason)
	[ "$r" = "$2" ] || { echo "${1%%-*}: last change '$r', expected '$2'"; return 1; }
}

# held_quiet T0 MAIN_TRANSITIONS SPARE_TRANSITIONS: neither host changed
# state since the counters were read, until the hold's end, T0 + DELAY.
# The hold may end while the counters are read (each read is a process,
# slow on a loaded VM): then what moved must be main's preemption and the
# spare's step-down it causes, one change each at most, and main's change
# at T0 + DELAY or later by the kernel's own account of when it happened.
# That account is an age, last_change_ms, read by a process that starts
# at NOW and ends at LATER: the change happened between NOW - age and
# LATER - age, less a jiffy of truncation (TICK_MS). CI once failed on
# NOW - age, 26 ms short of the hold: a bound, not the change's time.
# LATER - age is taken: a hold that ends early by more than the read's
# own duration, printed on failure, still fails. Main's counter is read
# again after that: the first read may have come just before its
# preemption, the spare's just after.
held_quiet()
{
	local t0=$1 mtr=$2 str=$3 mt st now ago later

	mt=$(carp_stat "$MAIN" carp0 transitions)
	st=$(carp_stat "$SPARE" carp0 transitions)
	[ "$mt" = "$mtr" ] && [ "$st" = "$str" ] && return 0
	now=$(timestamp_ms)
	ago=$(carp_field "$MAIN" carp0 last_change_ms)
	later=$(timestamp_ms)
	mt=$(carp_stat "$MAIN" carp0 transitions)
	if [ "$mt" = $((mtr + 1)) ] && [ "$st" -le $((str + 1)) ] &&
	   ((later - ago + TICK_MS >= t0 + DELAY * 1000)); then
		return 0
	fi
	echo "a transition during the hold: main $mtr -> $mt, spare $str -> $st" \
	     "(main's last change $((now - ago - t0)) to $((later - ago - t0)) ms after joining)"
	return 1
}

# held_then_preempts T0: main joined the protocol after T0 (ms) with
# preempt_delay $DELAY under the spare MASTER: main BACKUP and no
# transition on either host until HOLD_SLACK_MS before T0 + DELAY; then
# main preempts, not before T0 + DELAY, within DELAY, the spare's interval
# and the margin; the spare BACKUP. Prints how long main took, or what
# went wrong.
held_then_preempts()
{
	local t0=$1 now hold mtr str t1

	wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS" || return 1
	mtr=$(carp_stat "$MAIN" carp0 transitions)
	str=$(carp_stat "$SPARE" carp0 transitions)
	now=$(timestamp_ms)
	hold=$((DELAY * 1000 - HOLD_SLACK_MS - (now - t0)))
	if ((hold < 1000)); then
		echo "main BACKUP only $((now - t0)) ms after joining: too late to watch a $DELAY s hold"
		return 1
	fi
	expect_states_for "$hold" "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER ||
		return 1
	held_quiet "$t0" "$mtr" "$str" || return 1
	now=$(timestamp_ms)
	wait_state "$MAIN" carp0 MASTER $((DELAY * 1000 - (now - t0) + \
		$(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) || return 1
	t1=$(timestamp_ms)
	if ((t1 - t0 < DELAY * 1000)); then
		echo "main MASTER $((t1 - t0)) ms after joining, before preempt_delay ($DELAY s)"
		return 1
	fi
	reason_is "$MAIN" "preempting a worse master" || return 1
	wait_state "$SPARE" carp0 BACKUP \
		$(($(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)) || return 1
	echo "$((t1 - t0))"
}

test_sysctl()
{
	local ns v

	check_begin
	for ns in "$MAIN" "$SPARE" "$CLIENT"; do
		v=$(sysctl_get "$ns" preempt_delay)
		[ "$v" = 0 ] || check_fail_msg "preempt_delay is '$v' in ${ns%%-*}"
	done
	log_test "net.carp.preempt_delay defaults to 0"

	check_begin
	for v in 3600 0 1 3600; do
		sysctl_set "$MAIN" preempt_delay "$v" || check_fail_msg "$v refused"
		[ "$(sysctl_get "$MAIN" preempt_delay)" = "$v" ] ||
			check_fail_msg "$v set, $(sysctl_get "$MAIN" preempt_delay) read"
	done
	for v in -1 3601 100000; do
		sysctl_set "$MAIN" preempt_delay "$v" && check_fail_msg "$v accepted"
		[ "$(sysctl_get "$MAIN" preempt_delay)" = 3600 ] ||
			check_fail_msg "after $v: $(sysctl_get "$MAIN" preempt_delay), expected 3600 kept"
	done
	for ns in "$SPARE" "$CLIENT"; do
		v=$(sysctl_get "$ns" preempt_delay)
		[ "$v" = 0 ] || check_fail_msg "${ns%%-*}'s changed to '$v'"
	done
	log_test "net.carp.preempt_delay: 0..3600, -1 and 3601 refused, per namespace"
	sysctl_set "$MAIN" preempt_delay 0
}

test_install()
{
	local u

	check_begin
	if ! make -s -C "$REPO" install-tools DESTDIR="$DEST" PREFIX=/usr \
		>"$CARP_TMP/make.out" 2>&1; then
		check_fail_msg "make install-tools: $(tail -n 5 "$CARP_TMP/make.out")"
	fi
	for u in carp.service carp-release.service carp-ready.target; do
		[ -s "$UNITS/$u" ] || check_fail_msg "$u not installed"
	done
	grep -qx 'ExecStart=/usr/sbin/carp-setup release' "$UNITS/carp-release.service" ||
		check_fail_msg "carp-release.service: ExecStart is not /usr/sbin/carp-setup release"
	grep -qx 'EnvironmentFile=-/etc/default/carp' "$UNITS/carp.service" ||
		check_fail_msg "carp.service reads no /etc/default/carp"
	log_test "make install-tools DESTDIR: carp-release.service, carp-ready.target"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_delay_boot()
{
	local out t0

	spare_alone
	delay_set "$DELAY"
	check_begin
	t0=$(timestamp_ms)
	out=$(main_add)
	check_err $? "$out"
	out=$(held_then_preempts "$t0")
	check_err $? "$out"
	log_test "preempt_delay=$DELAY: main created under a MASTER, BACKUP for $DELAY s, then preempts (${out##* } ms)"
}

# main MASTER, the spare BACKUP, main with preempt_delay $DELAY (what
# test_delay_boot leaves).
delay_pair_ready()
{
	local out t0

	if [ "$(link_operstate "$SW" sw_main)" = UP ] &&
	   [ "$(sysctl_get "$MAIN" preempt_delay)" = "$DELAY" ] &&
	   _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP; then
		return 0
	fi
	spare_alone
	delay_set "$DELAY"
	t0=$(timestamp_ms)
	out=$(main_add && held_then_preempts "$t0") ||
		carp_ensure_fail "$out" "main MASTER after its preempt_delay"
}

test_delay_plug()
{
	local out t0

	delay_pair_ready
	check_begin
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	t0=$(timestamp_ms)
	cable_plug main
	out=$(held_then_preempts "$t0")
	check_err $? "$out"
	log_test "preempt_delay=$DELAY: cable plugged back, BACKUP for $DELAY s, then preempts (${out##* } ms)"
}

test_delay_alone()
{
	local out

	nobody
	delay_set 3600
	check_begin
	out=$(main_add)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(reason_is "$MAIN" "master timed out")
	check_err $? "$out"
	log_test "preempt_delay=3600, no master: MASTER after master-down"
}

test_delay_bowout()
{
	local out

	spare_alone
	delay_set 3600
	check_begin
	out=$(main_add)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") * 2)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "held: $out"
	carp_del "$SPARE" carp0
	out=$(wait_state "$MAIN" carp0 MASTER "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(reason_is "$MAIN" "remote master is stale")
	check_err $? "$out"
	log_test "preempt_delay=3600, held: the master bows out, main MASTER at once"
}

test_hold()
{
	local out v

	install_ready
	spare_alone
	check_begin
	unit_run carp.service ExecStart
	check_err $? "carp.service start: $(cat "$CARP_TMP/unit.out")"
	v=$(demotion_get "$MAIN")
	[ "$v" = "$BOOT_DEMOTE" ] || check_fail_msg "main's demotion is '$v', expected $BOOT_DEMOTE"
	[ "$(sysctl_get "$MAIN" preempt)" = 1 ] || check_fail_msg "sysctl.conf not applied"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	# a main ignoring the hold would preempt at the spare's next ad
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + 2000)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "boot hold $BOOT_DEMOTE, preempt=1: main BACKUP under a healthy MASTER"

	check_begin
	unit_run carp-release.service ExecStart
	check_err $? "carp-release.service: $(cat "$CARP_TMP/unit.out")"
	v=$(demotion_get "$MAIN")
	[ "$v" = 0 ] || check_fail_msg "main's demotion is '$v' after the release"
	out=$(wait_takeover carp0 "$MAIN" \
		$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$SPARE" $(($(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(reason_is "$MAIN" "preempting a worse master")
	check_err $? "$out"
	unit_run carp-release.service ExecStart
	check_err $? "a second release: $(cat "$CARP_TMP/unit.out")"
	v=$(demotion_get "$MAIN")
	[ "$v" = 0 ] || check_fail_msg "main's demotion is '$v' after a second release"
	log_test "carp-release.service: the hold released, main preempts; once only"
}

test_hold_alone()
{
	local out

	install_ready
	nobody
	check_begin
	unit_run carp.service ExecStart
	check_err $? "carp.service start: $(cat "$CARP_TMP/unit.out")"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" $((MAIN_SKEW + BOOT_DEMOTE))) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(reason_is "$MAIN" "master timed out")
	check_err $? "$out"
	[ "$(demotion_get "$MAIN")" = "$BOOT_DEMOTE" ] ||
		check_fail_msg "main's demotion is '$(demotion_get "$MAIN")'"
	log_test "boot hold $BOOT_DEMOTE, no master: MASTER after master-down"
}

test_hold_reload_stop()
{
	local v

	install_ready
	nobody
	check_begin
	unit_run carp.service ExecStart
	check_err $? "carp.service start: $(cat "$CARP_TMP/unit.out")"
	carpctl -n "$MAIN" demote +7 >/dev/null
	check_err $? "demote +7"
	unit_run carp.service ExecReload
	check_err $? "carp.service reload: $(cat "$CARP_TMP/unit.out")"
	link_exists "$MAIN" carp0 || check_fail_msg "no carp0 after the reload"
	v=$(demotion_get "$MAIN")
	[ "$v" = $((BOOT_DEMOTE + 7)) ] ||
		check_fail_msg "demotion '$v' after the reload, expected $((BOOT_DEMOTE + 7))"
	unit_run carp.service ExecStop
	check_err $? "carp.service stop: $(cat "$CARP_TMP/unit.out")"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 left after stop"
	v=$(demotion_get "$MAIN")
	[ "$v" = 7 ] || check_fail_msg "demotion '$v' after stop, expected 7 (the hold only taken away)"
	carpctl -n "$MAIN" demote -7 >/dev/null
	log_test "reload keeps the hold, stop ends it; other demotion stays"
}

carp_run_tests

exit "$EXIT_STATUS"
