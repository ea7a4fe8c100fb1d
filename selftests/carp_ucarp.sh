#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interoperation with a CARP implementation no one here wrote: Debian's
# ucarp (user space, HMAC-SHA1 of the password, source MAC
# 00:00:5e:00:00:<vhid>, a random counter in every advertisement). carp.ko
# on main, ucarp on the spare, vhid 7, one password, one virtual address,
# advbase 1; the client captures the segment.
#
# a) carp.ko more frequent (advskew 0) than ucarp (advskew 100): carp.ko is
#    MASTER and ucarp stays BACKUP for 10 s -- its up-script never runs, it
#    never says MASTER, and only main advertises on the wire; so ucarp
#    accepts carp.ko's advertisements (if it did not, it would take over
#    after 3 s). Then main's cable is pulled: ucarp becomes MASTER (up-script
#    runs) within its master-down interval and advertises. Plugged back
#    with net.carp.preempt=1, carp.ko preempts ucarp (down-script).
# b) ucarp more frequent (advskew 0) than carp.ko (advskew 100): ucarp is
#    MASTER, carp.ko stays BACKUP for 10 s while its ipackets grows and
#    badauth stays 0, and main sends nothing; so carp.ko accepts ucarp's
#    advertisements (source MAC and counter as ucarp sends them). Then ucarp
#    is killed (SIGKILL, no goodbye): carp.ko becomes MASTER within its
#    master-down interval plus the margin and advertises. Restarted with
#    --preempt, ucarp preempts carp.ko, which goes BACKUP.
# c), d) the same at advbase 0 (sub-second intervals, OpenBSD's and
#    ucarp's): carp.ko advskew 50 against ucarp advskew 200 (c), ucarp
#    advskew 50 against carp.ko advskew 100 (d). At advbase 0 ucarp cannot
#    hold BACKUP (see carp_master_case): c) checks that carp.ko stays
#    MASTER through ucarp's claims instead.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_carp_master_adv1 test_ucarp_master_adv1
	test_carp_master_adv0 test_ucarp_master_adv0"

VHID=7
PASS="ucarp-Interop"
HOLD_MS=10000
UCARP_PID=""
UCARP_LOG=""
MARKER=""
UCARP_MAC=$(printf '00:00:5e:00:00:%02x' "$VHID")
CARP_MAC=$(vmac_of "$VHID")

# ucarp_start ADVBASE ADVSKEW [-P]: ucarp on the spare's eth0, in the
# background (-P: preempting). Its up/down scripts append "up"/"down" to
# $MARKER.
ucarp_start()
{
	local base=$1 skew=$2 preempt=${3:-}

	UCARP_LOG=$CARP_TMP/ucarp-$skew.log
	MARKER=$CARP_TMP/marker-$skew
	: >"$MARKER"
	printf '#!/bin/sh\necho up >>%s\n' "$MARKER" >"$CARP_TMP/up-$skew.sh"
	printf '#!/bin/sh\necho down >>%s\n' "$MARKER" >"$CARP_TMP/down-$skew.sh"
	chmod +x "$CARP_TMP/up-$skew.sh" "$CARP_TMP/down-$skew.sh"
	carp_info "ucarp start, advbase $base, advskew $skew"
	ip netns exec "$SPARE" ucarp -i eth0 -s "$SPARE_IP" -v "$VHID" \
		-p "$PASS" -a "$VIP" -b "$base" -k "$skew" ${preempt:+"$preempt"} \
		-u "$CARP_TMP/up-$skew.sh" -d "$CARP_TMP/down-$skew.sh" \
		>"$UCARP_LOG" 2>&1 &
	UCARP_PID=$!
	CARP_BG_PIDS+=("$UCARP_PID")
}

# ucarp_kill SIGNAL
ucarp_kill()
{
	[ -n "$UCARP_PID" ] || return 0
	carp_info "ucarp kill -$1"
	kill "-$1" "$UCARP_PID" 2>/dev/null
	wait "$UCARP_PID" 2>/dev/null
	UCARP_PID=""
}

# marker_last: the last script ucarp ran (up, down or nothing).
marker_last()
{
	tail -n 1 "$MARKER"
}

marker_last_is()
{
	[ "$(marker_last)" = "$1" ]
}

# wait_marker WORD TIMEOUT_MS
wait_marker()
{
	loopy_wait "sleep 0.1" "$2" marker_last_is "$1" && return 0
	echo "ucarp's last script is '$(marker_last)', not $1 after $2 ms; log: $(tail -n 3 "$UCARP_LOG")"
	return 1
}

# ads_from TAG IP [ETHSRC]: advertisements of vhid $VHID captured from IP.
ads_from()
{
	capture_count "$1" \
		'$1 == "p112" && $5 == ip && $11 == vh && (mac == "" || $3 == mac)' \
		"ip=$2" "vh=$VHID" "mac=${3:-}"
}

# TAG ADVBASE CARP_SKEW UCARP_SKEW: carp.ko more frequent: MASTER; ucarp
# BACKUP; cable pull -> ucarp.
carp_master_case()
{
	local tag=$1 base=$2 cskew=$3 uskew=$4
	local out n_main n_spare cap=uc$1

	check_begin
	out=$(carp_add "$MAIN" carp0 dev eth0 vhid "$VHID" advbase "$base" \
		advskew "$cskew" pass "$PASS" "$VIP/$PLEN")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$base" "$cskew") + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_start "$cap" "$CLIENT" eth0 ip proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	ucarp_start "$base" "$uskew"
	# ucarp starts as BACKUP and runs its down-script.
	out=$(wait_marker down "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$tag) advbase $base: carp.ko MASTER (advskew $cskew), ucarp (advskew $uskew) started as BACKUP"
	[ "$RET" -eq 0 ] || return 1

	check_begin
	out=$(expect_states_for "$HOLD_MS" "$MAIN" carp0 MASTER)
	check_err $? "$out"
	n_main=$(ads_from "$cap" "$MAIN_IP" "$CARP_MAC")
	n_spare=$(ads_from "$cap" "$SPARE_IP")
	if ((base == 0)); then
		# ucarp cannot stay BACKUP below one second: it reads the wire
		# through libpcap without immediate mode, which hands it the
		# packets in blocks once a second, so its master-down timer
		# (at most 254/256 s) expires between blocks and it claims
		# MASTER until the next block. carp.ko must stay MASTER
		# throughout (the claims are from a worse master) and keep
		# advertising several times a second.
		((n_main >= 2 * HOLD_MS / 1000)) ||
			check_fail_msg "only $n_main ads from main in $HOLD_MS ms"
		log_test "$tag) for $((HOLD_MS / 1000)) s: carp.ko MASTER throughout ($n_main ads); ucarp's claims ($n_spare ads, libpcap's 1 s blocks) never displaced it"
	else
		marker_last_is down ||
			check_fail_msg "ucarp ran its up-script: $(tr '\n' ' ' <"$MARKER")"
		grep -q 'state: MASTER' "$UCARP_LOG" &&
			check_fail_msg "ucarp became MASTER: $(grep MASTER "$UCARP_LOG")"
		((n_main >= HOLD_MS / 1000 - 1)) ||
			check_fail_msg "only $n_main ads from main in $HOLD_MS ms"
		((n_spare == 0)) ||
			check_fail_msg "ucarp (spare) advertised $n_spare times: split brain"
		out=$(capture_count "$cap" '$1 == "p112" && !($5 == main && $3 == m)' \
			"m=$CARP_MAC")
		((out == 0)) ||
			check_fail_msg "other advertisements on the wire: $(capture_show "$cap" | grep -v "$CARP_MAC" | head -n 3)"
		log_test "$tag) for $((HOLD_MS / 1000)) s: carp.ko MASTER, ucarp BACKUP, only main advertises ($n_main ads)"
	fi

	check_begin
	cable_pull main
	# ucarp: master down after 3 x advbase + advskew/256 s (at advbase
	# 0, advskew/256 s: less than carp_down_ms, which bounds the wait).
	out=$(wait_marker up $(($(carp_down_ms "$base" "$uskew") + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_wait "$cap" '$1 == "p112" && $5 == spare && $3 == m' 2 \
		$((2 * $(carp_adv_ms "$base" "$uskew") + CARP_MARGIN_MS)) "m=$UCARP_MAC"
	check_err $? "ucarp does not advertise: $(ads_from "$cap" "$SPARE_IP") ads"
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$tag) main's cable pulled: ucarp MASTER (up-script ran) and advertises"

	check_begin
	carp_preempt "$MAIN" 1
	cable_plug main
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$base" "$cskew") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_marker down "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$tag) main plugged back, preempt on: carp.ko preempts ucarp (its down-script ran)"
	carp_preempt "$MAIN" 0

	capture_stop "$cap"
	ucarp_kill TERM
	carp_del "$MAIN" carp0
}

# TAG ADVBASE UCARP_SKEW CARP_SKEW: ucarp more frequent: MASTER; carp.ko
# BACKUP; ucarp killed -> carp.ko.
ucarp_master_case()
{
	local tag=$1 base=$2 uskew=$3 cskew=$4
	local out n_main n_spare ip0 ip1 t0 t1 cap=uc$1

	check_begin
	ucarp_start "$base" "$uskew"
	out=$(wait_marker up $(($(carp_down_ms "$base" "$uskew") + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_start "$cap" "$CLIENT" eth0 ip proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(carp_add "$MAIN" carp0 dev eth0 vhid "$VHID" advbase "$base" \
		advskew "$cskew" pass "$PASS" "$VIP/$PLEN")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$tag) advbase $base: ucarp MASTER (advskew $uskew), carp.ko (advskew $cskew) BACKUP"
	[ "$RET" -eq 0 ] || return 1

	check_begin
	ip0=$(carp_stat "$MAIN" carp0 ipackets)
	# from here: an advertisement that came between carp0's creation and
	# its address (carpctl adds it after) fails the HMAC, rightly
	ba0=$(carp_stat "$MAIN" carp0 badauth)
	out=$(expect_states_for "$HOLD_MS" "$MAIN" carp0 BACKUP)
	check_err $? "$out"
	ip1=$(carp_stat "$MAIN" carp0 ipackets)
	((ip1 - ip0 >= HOLD_MS / 1000 - 1)) ||
		check_fail_msg "carp.ko received only $((ip1 - ip0)) of ucarp's ads in $HOLD_MS ms"
	ba1=$(carp_stat "$MAIN" carp0 badauth)
	((ba1 == ba0)) ||
		check_fail_msg "badauth $ba0 -> $ba1: ucarp's HMAC rejected"
	marker_last_is up ||
		check_fail_msg "ucarp left MASTER: $(tr '\n' ' ' <"$MARKER")"
	n_main=$(ads_from "$cap" "$MAIN_IP")
	n_spare=$(ads_from "$cap" "$SPARE_IP" "$UCARP_MAC")
	((n_spare >= HOLD_MS / 1000 - 1)) ||
		check_fail_msg "only $n_spare ads from ucarp in $HOLD_MS ms"
	((n_main == 0)) ||
		check_fail_msg "carp.ko (main) advertised $n_main times: split brain"
	log_test "$tag) for $((HOLD_MS / 1000)) s: carp.ko BACKUP, ipackets +$((ip1 - ip0)), badauth 0, only ucarp advertises"

	check_begin
	t0=$(timestamp_ms)
	ucarp_kill KILL
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$base" "$cskew") + CARP_MARGIN_MS)))
	check_err $? "$out"
	t1=$(timestamp_ms)
	capture_wait "$cap" '$1 == "p112" && $5 == main && $3 == m' 2 \
		$((2 * $(carp_adv_ms "$base" "$cskew") + CARP_MARGIN_MS)) "m=$CARP_MAC"
	check_err $? "carp.ko does not advertise: $(ads_from "$cap" "$MAIN_IP") ads"
	log_test "$tag) ucarp killed: carp.ko MASTER after $((t1 - t0)) ms (master-down $(carp_down_ms "$base" "$cskew") ms), advertises"

	check_begin
	ucarp_start "$base" "$uskew" -P
	out=$(wait_state "$MAIN" carp0 BACKUP \
		$(($(carp_down_ms "$base" "$uskew") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_marker up "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$tag) ucarp restarted with --preempt: it preempts carp.ko, carp.ko BACKUP"
	ucarp_kill TERM

	capture_stop "$cap"
	carp_del "$MAIN" carp0
}

test_carp_master_adv1()
{
	carp_master_case a 1 0 100
}

test_ucarp_master_adv1()
{
	ucarp_master_case b 1 0 100
}

# advbase 0 (sub-second): the interval is advskew/256 s. ucarp's
# master-down there is advskew/256 s, a single interval of its own, so its
# advskew is four of carp.ko's intervals.
test_carp_master_adv0()
{
	carp_master_case c 0 50 200
}

test_ucarp_master_adv0()
{
	ucarp_master_case d 0 50 100
}

carp_test_init
require_cmd ucarp tcpdump

carp_run_tests

exit "$EXIT_STATUS"
