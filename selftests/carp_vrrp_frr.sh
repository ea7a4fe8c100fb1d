#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VRRPv3 (RFC 5798) mode against FRR's vrrpd (Debian's frr), VRID 7, one
# virtual address, advertisement interval 0.5 s on both. carp.ko on main
# (carp0, carpver 3); on the spare FRR's zebra and vrrpd, which needs it,
# both run in the spare's namespace as the frr user from a directory of
# this test (configuration, pid files, logs, the vty and zebra sockets:
# nothing under /etc/frr or /run/frr), the virtual address on a macvlan of
# eth0 with the virtual MAC, in bridge mode, as FRR's documentation says
# (vrrpd keeps it in protodown while BACKUP). The client captures the
# segment. FRR's state is followed in vrrpd's log ("Backup -> Master", a
# read without a fork) and checked with `vtysh -c 'show vrrp 7 json'` (a
# vtysh takes over half a second of the VM's CPU under TCG).
#
# a) carp.ko better (priority 200) than FRR (100): carp.ko MASTER, FRR
#    BACKUP for HOLD_MS, only main advertising; main's cable pulled: FRR
#    MASTER and advertising; plugged back: carp.ko preempts, FRR BACKUP.
# b) FRR better (200) than carp.ko (100): carp.ko BACKUP, hearing every
#    advertisement, having learnt FRR's interval, silent; `vrrp 7
#    shutdown` in FRR (it bows out with priority 0): carp.ko MASTER in
#    Skew_Time, well before a master-down interval; `no vrrp 7 shutdown`:
#    FRR preempts, carp.ko BACKUP; vrrpd killed (SIGKILL, no bow-out):
#    carp.ko MASTER after the master-down interval.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"
source "$lib_dir/lib_vrrp.sh"

ALL_TESTS="test_carp_master test_frr_master"

VRID=7
INT_CS=50
INT_MS=$((INT_CS * 10))
HOLD_MS=3000
VMAC=$(vmac_of "$VRID")
FRR_BIN=/usr/lib/frr
# the macvlan, named as FRR's documentation and ifupdown2 name it
MVL=vrrp4-2-$VRID

FRR_DIR=""
ZEBRA_PID=""
VRRPD_PID=""
VRRPD_LOG=""
VRRPD_RUNS=0

# _frr_gone PID
_frr_gone()
{
	! kill -0 "$1" 2>/dev/null
}

# _frr_kill SIGNAL PID: bounded; SIGKILL if SIGNAL did not end it.
_frr_kill()
{
	[ -n "$2" ] || return 0
	kill "-$1" "$2" 2>/dev/null
	carp_poll 0.1 "$CARP_MARGIN_MS" _frr_gone "$2"
	kill -KILL "$2" 2>/dev/null
	wait "$2" 2>/dev/null
}

# frr_zebra_ready: the macvlan with the virtual address on the spare and
# zebra running (once; vrrpd comes and goes). Prints what failed. Not in
# $(...), as frr_start.
frr_zebra_ready()
{
	local out i

	[ -n "$ZEBRA_PID" ] && kill -0 "$ZEBRA_PID" 2>/dev/null && return 0
	if [ -z "$FRR_DIR" ]; then
		# the daemons run as frr: it must reach its directory
		chmod 711 "$CARP_TMP"
		FRR_DIR=$CARP_TMP/frr
		mkdir -p "$FRR_DIR"
		echo "hostname spare" >"$FRR_DIR/zebra.conf"
		chown -R frr:frr "$FRR_DIR" || { echo "cannot give $FRR_DIR to frr"; return 1; }
	fi
	if ! link_exists "$SPARE" "$MVL"; then
		# (addrgenmode given at creation is refused with EAFNOSUPPORT
		# on 6.12, whatever the link type: set afterwards)
		out=$(ip -n "$SPARE" link add "$MVL" link eth0 type macvlan mode bridge 2>&1 &&
		      ip -n "$SPARE" link set "$MVL" addrgenmode random 2>&1 &&
		      ip -n "$SPARE" link set "$MVL" address "$VMAC" 2>&1 &&
		      ip -n "$SPARE" addr add "$VIP/$PLEN" dev "$MVL" 2>&1 &&
		      ip -n "$SPARE" link set "$MVL" up 2>&1) ||
			{ echo "macvlan $MVL on the spare: $out"; return 1; }
	fi
	rm -f "$FRR_DIR/zserv.api"
	carp_info "zebra start"
	ip netns exec "$SPARE" "$FRR_BIN/zebra" -f "$FRR_DIR/zebra.conf" \
		-i "$FRR_DIR/zebra.pid" -z "$FRR_DIR/zserv.api" \
		--vty_socket "$FRR_DIR" -P 0 --log "file:$FRR_DIR/zebra.log" \
		>"$FRR_DIR/zebra.out" 2>&1 &
	ZEBRA_PID=$!
	# up once it listens for its clients
	for i in zserv.api zebra.vty; do
		carp_poll 0.1 "$CARP_MARGIN_MS" test -S "$FRR_DIR/$i" || {
			echo "zebra did not start: $(tail -n 3 "$FRR_DIR/zebra.out" "$FRR_DIR/zebra.log" 2>&1)"
			return 1
		}
	done
}

# frr_start PRIO: vrrpd on the spare's eth0, VRRPv3 VRID $VRID, priority
# PRIO, interval INT_CS, $VIP; logs to $VRRPD_LOG. Prints what failed.
# Not in $(...): it starts the daemons (their pids are this shell's).
frr_start()
{
	local prio=$1

	frr_zebra_ready || return 1
	VRRPD_RUNS=$((VRRPD_RUNS + 1))
	VRRPD_LOG=$FRR_DIR/vrrpd-$VRRPD_RUNS.log
	cat >"$FRR_DIR/vrrpd.conf" <<-EOF
	interface eth0
	 vrrp $VRID version 3
	 vrrp $VRID priority $prio
	 vrrp $VRID advertisement-interval $INT_MS
	 vrrp $VRID ip $VIP
	EOF
	chown frr:frr "$FRR_DIR/vrrpd.conf"
	rm -f "$FRR_DIR/vrrpd.vty"
	carp_info "vrrpd start, priority $prio"
	ip netns exec "$SPARE" "$FRR_BIN/vrrpd" -f "$FRR_DIR/vrrpd.conf" \
		-i "$FRR_DIR/vrrpd.pid" -z "$FRR_DIR/zserv.api" \
		--vty_socket "$FRR_DIR" -P 0 --log "file:$VRRPD_LOG" \
		>"$FRR_DIR/vrrpd.out" 2>&1 &
	VRRPD_PID=$!
	carp_poll 0.1 "$CARP_MARGIN_MS" test -S "$FRR_DIR/vrrpd.vty" || {
		echo "vrrpd did not start: $(tail -n 3 "$FRR_DIR/vrrpd.out" "$VRRPD_LOG" 2>&1)"
		return 1
	}
}

# frr_stop SIGNAL: stop vrrpd (TERM: it bows out first, priority 0).
frr_stop()
{
	[ -n "$VRRPD_PID" ] || return 0
	carp_info "vrrpd kill -$1"
	_frr_kill "$1" "$VRRPD_PID"
	VRRPD_PID=""
}

frr_cleanup()
{
	frr_stop TERM
	_frr_kill TERM "$ZEBRA_PID"
	ZEBRA_PID=""
	carp_cleanup
}

# vtysh_spare ARGS...: vtysh of the spare's daemons.
vtysh_spare()
{
	ip netns exec "$SPARE" vtysh --vty_socket "$FRR_DIR" "$@"
}

# frr_vrrp CMD: one command in vrrpd's configuration of eth0 (e.g.
# "vrrp 7 shutdown"); prints vtysh's output and errors.
frr_vrrp()
{
	carp_info "vtysh: $1"
	vtysh_spare -c "configure terminal" -c "interface eth0" -c "$1" 2>&1
}

# frr_state: vrrpd's IPv4 state, as it logs its changes ("Backup ->
# Master"): Initialize, Backup or Master (empty before the first).
frr_state()
{
	local line st=""

	[ -r "$VRRPD_LOG" ] || return 0
	while IFS= read -r line; do
		[[ $line =~ \[VRID\ $VRID\]\ \[IPv4\]\ [A-Za-z]+\ -\>\ ([A-Za-z]+) ]] &&
			st=${BASH_REMATCH[1]}
	done <"$VRRPD_LOG"
	echo "$st"
}

_frr_state_is()
{
	[ "$(frr_state)" = "$1" ]
}

# frr_show: a summary of `show vrrp 7 json` (IPv4): status, priority,
# the master's interval learnt (ms), counters; FRR_STATUS, FRR_MASTER_INT
# and FRR_ADVER_RX set from it. Not in $(...).
frr_show()
{
	local out k s=""

	FRR_STATUS="" FRR_MASTER_INT="" FRR_ADVER_RX=""
	out=$(vtysh_spare -c "show vrrp $VRID json" 2>&1)
	for k in status effectivePriority masterAdverInterval adverTx adverRx transitions; do
		# the first of each key is the IPv4 router's ("v4" comes first)
		_json_scalar "$out" "$k" && s+="$k=$JSON_VAL "
		case $k in
		status)	FRR_STATUS=$JSON_VAL ;;
		masterAdverInterval) FRR_MASTER_INT=$JSON_VAL ;;
		adverRx) FRR_ADVER_RX=$JSON_VAL ;;
		esac
	done
	FRR_SHOW=${s:-$out}
}

# frr_check STATE: part of a check; vtysh says vrrpd (IPv4) is in STATE.
frr_check()
{
	frr_show
	[ "$FRR_STATUS" = "$1" ] ||
		check_fail_msg "vtysh: FRR is '$FRR_STATUS', not $1 ($FRR_SHOW)"
}

# wait_frr STATE TIMEOUT_MS: until vrrpd logs STATE (Backup, Master).
wait_frr()
{
	carp_poll 0.1 "$2" _frr_state_is "$1" && return 0
	echo "FRR is '$(frr_state)', not $1 after $2 ms: $(tail -n 3 "$VRRPD_LOG" 2>&1)"
	return 1
}

# frr_ended: at the end of a sub-test, vrrpd stopped, carp0 deleted.
frr_ended()
{
	frr_stop TERM
	carp_del "$MAIN" carp0 2>/dev/null
}

test_carp_master()
{
	local out n_main n_spare cap=fc

	check_begin
	out=$(main_add 200)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_start "$cap" "$CLIENT" eth0 ip proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	frr_start 100 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(wait_frr Backup "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "a) carp.ko MASTER (priority 200), FRR's vrrpd (100) started as BACKUP"
	[ "$RET" -eq 0 ] || { capture_stop "$cap"; frr_ended; return 1; }

	check_begin
	out=$(expect_states_for "$HOLD_MS" "$MAIN" carp0 MASTER)
	check_err $? "$out"
	_frr_state_is Backup || check_fail_msg "FRR left BACKUP: $(frr_state)"
	frr_check Backup
	((${FRR_ADVER_RX:-0} >= HOLD_MS / INT_MS - 1)) ||
		check_fail_msg "FRR received only '$FRR_ADVER_RX' advertisements ($FRR_SHOW)"
	[ "$FRR_MASTER_INT" = "$INT_MS" ] ||
		check_fail_msg "FRR learnt a master interval of '$FRR_MASTER_INT' ms from carp.ko, not $INT_MS"
	n_main=$(vrrp_from "$cap" "$MAIN_IP" 200)
	n_spare=$(vrrp_from "$cap" "$SPARE_IP")
	((n_main >= HOLD_MS / INT_MS - 1)) ||
		check_fail_msg "only $n_main advertisements from main in $HOLD_MS ms"
	((n_spare == 0)) ||
		check_fail_msg "FRR advertised $n_spare times: split brain"
	log_test "a) for $((HOLD_MS / 1000)) s: carp.ko MASTER, FRR BACKUP (adverRx $FRR_ADVER_RX, master interval ${FRR_MASTER_INT} ms learnt), only main advertises ($n_main)"

	check_begin
	cable_pull main
	out=$(wait_frr Master $(($(vrrp_down_ms 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_wait "$cap" '$1 == "p112" && $5 == spare && $9 == 3 && $11 == vr && $12 == 100' 2 \
		$((2 * INT_MS + CARP_MARGIN_MS)) "vr=$VRID"
	check_err $? "FRR does not advertise: $(capture_show "$cap" | tail -n 2)"
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	frr_check Master
	log_test "a) main's cable pulled: FRR MASTER and advertises (priority 100)"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_frr Backup "$CARP_MARGIN_MS")
	check_err $? "$out"
	frr_check Backup
	log_test "a) main plugged back: carp.ko preempts FRR (VRRP's default), FRR BACKUP"

	capture_stop "$cap"
	frr_ended
}

test_frr_master()
{
	local out ip0 ip1 n_main cap=ff bow first gap

	check_begin
	frr_start 200 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(wait_frr Master $(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_start "$cap" "$CLIENT" eth0 ip proto 112 >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(main_add 100)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "b) FRR's vrrpd MASTER (priority 200), carp.ko (100) BACKUP"
	[ "$RET" -eq 0 ] || { capture_stop "$cap"; frr_ended; return 1; }

	check_begin
	ip0=$(carp_stat "$MAIN" carp0 ipackets)
	out=$(expect_states_for "$HOLD_MS" "$MAIN" carp0 BACKUP)
	check_err $? "$out"
	ip1=$(carp_stat "$MAIN" carp0 ipackets)
	((ip1 - ip0 >= HOLD_MS / INT_MS - 1)) ||
		check_fail_msg "carp.ko took only $((ip1 - ip0)) of FRR's advertisements in $HOLD_MS ms ($(carp_diag "$MAIN" carp0))"
	[ "$(carp_field "$MAIN" carp0 vrrp_master_interval)" = "$INT_CS" ] ||
		check_fail_msg "master interval learnt: '$(carp_field "$MAIN" carp0 vrrp_master_interval)', expected $INT_CS"
	n_main=$(vrrp_from "$cap" "$MAIN_IP")
	((n_main == 0)) || check_fail_msg "carp.ko (BACKUP) advertised $n_main times"
	_frr_state_is Master || check_fail_msg "FRR left MASTER: $(frr_state)"
	frr_check Master
	log_test "b) for $((HOLD_MS / 1000)) s: carp.ko BACKUP, ipackets +$((ip1 - ip0)), master interval ${INT_CS} cs learnt, silent"

	check_begin
	out=$(frr_vrrp "vrrp $VRID shutdown")
	check_err $? "vtysh: $out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_wait "$cap" '$1 == "p112" && $5 == main && $9 == 3' 1 \
		$((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "carp.ko does not advertise"
	# on the wire: FRR's priority-0 advertisement, then ours, within
	# Skew_Time (+ the VM's delays), not a master-down interval
	bow=$(capture_show "$cap" | awk -v s="$SPARE_IP" \
		'$1 == "p112" && $5 == s && $12 == 0 { print $2; exit }')
	first=$(capture_show "$cap" | awk -v m="$MAIN_IP" \
		'$1 == "p112" && $5 == m { print $2; exit }')
	gap=""
	if [ -z "$bow" ]; then
		check_fail_msg "no priority-0 advertisement from FRR"
	elif [ -z "$first" ]; then
		check_fail_msg "no advertisement from main"
	else
		gap=$(awk -v a="$bow" -v b="$first" 'BEGIN { printf "%d", (b - a) * 1000 }')
		((gap < 3 * INT_MS)) ||
			check_fail_msg "main's first advertisement $gap ms after the bow-out: a master-down interval ($(vrrp_down_ms 100) ms), not Skew_Time ($(vrrp_skew_ms 100) ms)"
	fi
	frr_check Initialize
	log_test "b) 'vrrp $VRID shutdown' in FRR: its bow-out (priority 0) answered, carp.ko MASTER ${gap:-?} ms later (Skew_Time $(vrrp_skew_ms 100) ms)"

	check_begin
	out=$(frr_vrrp "no vrrp $VRID shutdown")
	check_err $? "vtysh: $out"
	out=$(wait_state "$MAIN" carp0 BACKUP $(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_frr Master "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for $((4 * INT_MS)) "$MAIN" carp0 BACKUP)
	check_err $? "$out"
	frr_check Master
	log_test "b) 'no vrrp $VRID shutdown': FRR preempts, carp.ko BACKUP"

	check_begin
	frr_stop KILL
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	capture_wait "$cap" '$1 == "p112" && $5 == main && $9 == 3' 2 \
		$((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "carp.ko does not advertise"
	# on the wire: main's first advertisement after FRR's last one, a
	# master-down interval later (a timer fires late, never early)
	gap=$(capture_show "$cap" | awk -v s="$SPARE_IP" -v m="$MAIN_IP" '
		$1 == "p112" && $5 == s { last = $2; first = "" }
		$1 == "p112" && $5 == m && last != "" && first == "" { first = $2 }
		END { if (last != "" && first != "") printf "%d", (first - last) * 1000 }')
	if [ -z "$gap" ]; then
		check_fail_msg "no advertisement of FRR's followed by one of main's: $(capture_show "$cap" | tail -n 3)"
	elif ((gap < $(vrrp_down_ms 100) - INT_MS / 5 ||
	       gap > $(vrrp_down_ms 100) + CARP_MARGIN_MS)); then
		check_fail_msg "main's first advertisement $gap ms after FRR's last, the master-down interval is $(vrrp_down_ms 100) ms"
	fi
	log_test "b) vrrpd killed (no bow-out): carp.ko MASTER ${gap:-?} ms after FRR's last advertisement (master-down $(vrrp_down_ms 100) ms)"

	capture_stop "$cap"
	frr_ended
}

carp_test_init
require_cmd tcpdump vtysh
[ -x "$FRR_BIN/zebra" ] && [ -x "$FRR_BIN/vrrpd" ] ||
	carp_skip "FRR's zebra and vrrpd not in $FRR_BIN (Debian's frr)"
id frr >/dev/null 2>&1 || carp_skip "no user frr (Debian's frr)"
trap frr_cleanup EXIT

carp_run_tests

exit "$EXIT_STATUS"
