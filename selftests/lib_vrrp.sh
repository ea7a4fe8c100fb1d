# SPDX-License-Identifier: GPL-2.0
#
# VRRPv3 helpers for the carp selftests, sourced after lib_carp.sh by the
# tests that run carp.ko in VRRPv3 mode beside Debian's keepalived. The
# test sets VRID, INT_CS (the advertisement interval, cs) and HOLD_MS,
# and, for other addresses than $VIP/$PLEN, the array VRRP_ADDRS; for
# IPv6, VRRP_FAMILY=6 and, once the topology is up, VRRP_MAIN_SRC and
# VRRP_SPARE_SRC (the hosts' link-local addresses, their advertisements'
# source; IPv4: their own addresses).

KA_PID=""
KA_LOG=""
KA_ADDRS=()
: "${VRRP_FAMILY:=4}"
VRRP_MAIN_SRC=$MAIN_IP
VRRP_SPARE_SRC=$SPARE_IP

# The VRRPv3 advertisements of a capture, a line each, IPv4 and IPv6 alike:
#   v4|v6 TIME ETHSRC ETHDST SRC DST TTL VER TYPE VRID PRIO COUNT INTERVAL
#         CSUM_OK ADDRS
# INTERVAL is the 16-bit field (the reserved bits too); CSUM_OK is 1 if the
# checksum over the family's pseudo-header holds; ADDRS the addresses in
# the order sent, comma-separated.
VRRP_SHOW_PY='
def a6(b):
    return socket.inet_ntop(socket.AF_INET6, bytes(b))

def show(kind, t, p, src, dst, ttl, pseudo_src_dst, b, alen, fmt):
    if len(b) < 8:
        return
    if kind == "v6":
        pseudo = pseudo_src_dst + struct.pack("!I", len(b)) + bytes([0, 0, 0, 112])
    else:
        pseudo = pseudo_src_dst + bytes([0, 112]) + struct.pack("!H", len(b))
    addrs = [fmt(b[8 + alen * i:8 + alen * (i + 1)]) for i in range(b[3])
             if len(b) >= 8 + alen * (i + 1)]
    print(kind, t, mac(p[6:12]), mac(p[0:6]), src, dst, ttl, b[0] >> 4,
          b[0] & 15, b[1], b[2], b[3], struct.unpack("!H", b[4:6])[0],
          int(csum16(pseudo + b) == 0), ",".join(addrs) or "-")

for t, p in frames(sys.argv[1]):
    t = "%.6f" % t
    et = struct.unpack("!H", p[12:14])[0]
    pl = p[14:]
    if et == 0x0800 and len(pl) >= 20 and pl[9] == 112:
        b = pl[(pl[0] & 15) * 4:struct.unpack("!H", pl[2:4])[0]]
        show("v4", t, p, ip(pl[12:16]), ip(pl[16:20]), pl[8], pl[12:20], b,
             4, ip)
    elif et == 0x86dd and len(pl) >= 40 and pl[6] == 112:
        b = pl[40:40 + struct.unpack("!H", pl[4:6])[0]]
        show("v6", t, p, a6(pl[8:24]), a6(pl[24:40]), pl[7], pl[8:40], b,
             16, a6)
'

vrrp_show()
{
	python3 -c "$CARP_PCAP_PY$VRRP_SHOW_PY" "${CAP_FILE[$1]}"
}

# vrrp_count TAG AWK_CONDITION [VAR=VALUE...]: lines of vrrp_show
# matching; the condition can use main and spare (their advertisements'
# source) and fam ("v4" or "v6").
vrrp_count()
{
	local tag=$1 cond=$2; shift 2
	local -a vars=(-v "main=$VRRP_MAIN_SRC" -v "spare=$VRRP_SPARE_SRC"
		       -v "fam=v$VRRP_FAMILY")
	local v

	for v in "$@"; do
		vars+=(-v "$v")
	done
	vrrp_show "$tag" | awk "${vars[@]}" "$cond { n++ } END { print n + 0 }"
}

_vrrp_count_ge()
{
	local tag=$1 cond=$2 want=$3; shift 3

	(($(vrrp_count "$tag" "$cond" "$@") >= want))
}

# vrrp_wait TAG AWK_CONDITION N TIMEOUT_MS: until N lines match.
vrrp_wait()
{
	loopy_wait "sleep 0.2" "$4" _vrrp_count_ge "$1" "$2" "$3"
}

# vrrp_from TAG FROM [PRIO]: VRRPv3 advertisements of VRID and of the
# test's family captured from FROM (main, spare, or an address), of
# priority PRIO.
vrrp_from()
{
	local who=$2

	case $who in
	main)	who=$VRRP_MAIN_SRC ;;
	spare)	who=$VRRP_SPARE_SRC ;;
	esac
	vrrp_count "$1" \
		'$1 == fam && $5 == who && $8 == 3 && $10 == vr && (p == "" || $11 == p)' \
		"who=$who" "vr=$VRID" "p=${3:-}"
}

# vrrp_capture TAG: the client's capture of VRRPv3 of the test's family.
vrrp_capture()
{
	local filter="ip proto 112"

	[ "$VRRP_FAMILY" = 4 ] || filter="ip6 proto 112"
	capture_start "$1" "$CLIENT" eth0 "$filter" >"$CARP_TMP/msg"
}

# vrrp_down_ms PRIO: RFC 5798's Master_Down_Interval at INT_CS, in ms.
vrrp_down_ms()
{
	echo $(((3 * INT_CS + (256 - $1) * INT_CS / 256) * 10))
}

# vrrp_skew_ms PRIO: Skew_Time at INT_CS, in ms.
vrrp_skew_ms()
{
	echo $(((256 - $1) * INT_CS / 256 * 10))
}

# vrrp_add NS PRIO [WORDS...]: carp0 of NS in VRRPv3 mode, with the
# addresses VRRP_ADDRS (default: $VIP/$PLEN).
vrrp_add()
{
	local ns=$1 prio=$2; shift 2

	carp_add "$ns" carp0 dev eth0 vhid "$VRID" carpver 3 \
		vrrpprio "$prio" vrrpinterval "$INT_CS" "$@" \
		"${VRRP_ADDRS[@]:-$VIP/$PLEN}"
}

# main_add PRIO [WORDS...]: main's carp0 in VRRPv3 mode.
main_add()
{
	vrrp_add "$MAIN" "$@"
}

# ka_start PRIO: keepalived on the spare's eth0, VRRPv3 with the
# addresses VRRP_ADDRS (default: $VIP/$PLEN; IPv6 ones make it a virtual
# router of IPv6), in the background; it logs its states to $KA_LOG.
ka_start()
{
	local prio=$1 dir=$CARP_TMP/ka-$1 a

	mkdir -p "$dir"
	KA_LOG=$dir/log
	KA_ADDRS=("${VRRP_ADDRS[@]:-$VIP/$PLEN}")
	{
		cat <<-EOF
		vrrp_instance carp_vrrp {
			state BACKUP
			interface eth0
			virtual_router_id $VRID
			version 3
			priority $prio
			advert_int $((INT_CS / 100)).$(printf '%02d' $((INT_CS % 100)))
			virtual_ipaddress {
		EOF
		for a in "${KA_ADDRS[@]}"; do
			printf '\t\t%s dev eth0\n' "$a"
		done
		printf '\t}\n}\n'
	} >"$dir/conf"
	carp_info "keepalived start, priority $prio"
	ip netns exec "$SPARE" keepalived -n -l -D -G -P -f "$dir/conf" \
		-p "$dir/pid" -r "$dir/vrrp.pid" -c "$dir/chk.pid" \
		>"$KA_LOG" 2>&1 &
	KA_PID=$!
	CARP_BG_PIDS+=("$KA_PID")
}

# ka_stop SIGNAL: stop keepalived (TERM: it bows out first).
ka_stop()
{
	local a

	[ -n "$KA_PID" ] || return 0
	carp_info "keepalived kill -$1"
	kill "-$1" "$KA_PID" 2>/dev/null
	# bounded: keepalived takes a moment to say goodbye
	carp_poll 0.1 "$CARP_MARGIN_MS" _ka_gone "$KA_PID"
	kill -KILL "$KA_PID" 2>/dev/null
	wait "$KA_PID" 2>/dev/null
	# SIGKILL leaves its VRRP child and the addresses behind
	ip netns exec "$SPARE" pkill -KILL -x keepalived 2>/dev/null
	for a in "${KA_ADDRS[@]}"; do
		ip -n "$SPARE" addr del "$a" dev eth0 2>/dev/null
	done
	KA_PID=""
}

_ka_gone()
{
	! kill -0 "$1" 2>/dev/null
}

# ka_state: keepalived's last state, as it logs it (MASTER, BACKUP, ...).
ka_state()
{
	sed -n 's/.*Entering \([A-Z]*\) STATE.*/\1/p' "$KA_LOG" | tail -n 1
}

_ka_state_is()
{
	[ "$(ka_state)" = "$1" ]
}

# wait_ka STATE TIMEOUT_MS
wait_ka()
{
	carp_poll 0.1 "$2" _ka_state_is "$1" && return 0
	echo "keepalived is '$(ka_state)', not $1 after $2 ms: $(tail -n 3 "$KA_LOG")"
	return 1
}

# refused NS WORDS...: carpctl fails with one line naming WHY (the first
# word after --) and creates nothing.
refused()
{
	local ns=$1 why=$2 out; shift 2

	if out=$(carpctl -n "$ns" "$@" 2>&1); then
		echo "accepted: carpctl $*"
		return 1
	fi
	if ! grep -qi -- "$why" <<<"$out"; then
		echo "carpctl $*: '$out' does not say '$why'"
		return 1
	fi
	return 0
}

# vrrp_fam: "IPv4" or "IPv6", for the messages.
vrrp_fam()
{
	echo "IPv$VRRP_FAMILY"
}

# vrrp_ipackets: the counter of advertisements received of the family.
vrrp_ipackets()
{
	[ "$VRRP_FAMILY" = 4 ] && echo ipackets || echo ipackets6
}

# vrrp_case_carp_master L: sub-tests L) of a test: carp.ko better
# (priority 200) than keepalived (100): carp.ko MASTER, keepalived BACKUP
# for HOLD_MS, only main advertising; main's cable pulled: keepalived
# MASTER and advertising; plugged back: carp.ko preempts (VRRP's default),
# keepalived BACKUP.
vrrp_case_carp_master()
{
	local l=$1 out n_main n_spare cap=vm

	check_begin
	out=$(main_add 200)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	vrrp_capture "$cap"
	check_err $? "$(cat "$CARP_TMP/msg")"
	ka_start 100
	out=$(wait_ka BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$l) carp.ko MASTER (priority 200), keepalived (100, $(vrrp_fam)) started as BACKUP"
	[ "$RET" -eq 0 ] || { ka_stop TERM; carp_del "$MAIN" carp0; return 1; }

	check_begin
	out=$(expect_states_for "$HOLD_MS" "$MAIN" carp0 MASTER)
	check_err $? "$out"
	_ka_state_is BACKUP || check_fail_msg "keepalived left BACKUP: $(ka_state)"
	n_main=$(vrrp_from "$cap" main 200)
	n_spare=$(vrrp_from "$cap" spare)
	((n_main >= HOLD_MS / INT_MS - 1)) ||
		check_fail_msg "only $n_main advertisements from main in $HOLD_MS ms"
	((n_spare == 0)) ||
		check_fail_msg "keepalived advertised $n_spare times: split brain"
	log_test "$l) for $((HOLD_MS / 1000)) s: carp.ko MASTER, keepalived BACKUP, only main advertises ($n_main)"

	check_begin
	cable_pull main
	out=$(wait_ka MASTER $(($(vrrp_down_ms 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	vrrp_wait "$cap" '$1 == fam && $5 == spare && $8 == 3' 2 \
		$((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "keepalived does not advertise"
	out=$(wait_state "$MAIN" carp0 INIT "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$l) main's cable pulled: keepalived MASTER and advertises"

	check_begin
	cable_plug main
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_ka BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$l) main plugged back: carp.ko preempts keepalived (VRRP's default), keepalived BACKUP"

	capture_stop "$cap"
	ka_stop TERM
	carp_del "$MAIN" carp0
}

# vrrp_case_keepalived_master L: sub-tests L) of a test: keepalived better
# (200) than carp.ko (100): carp.ko BACKUP, hearing every advertisement,
# having learnt keepalived's interval, silent; keepalived stopped
# (SIGTERM: it bows out with priority 0): carp.ko MASTER in Skew_Time, well
# before a master-down interval, as carpctl monitor reports; keepalived
# restarted: it preempts. Then killed (SIGKILL, no bow-out): carp.ko
# MASTER after the master-down interval.
vrrp_case_keepalived_master()
{
	local l=$1 out ip0 ip1 n_main cap=vk bow first gap
	local ipk

	ipk=$(vrrp_ipackets)
	check_begin
	ka_start 200
	out=$(wait_ka MASTER $(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	vrrp_capture "$cap"
	check_err $? "$(cat "$CARP_TMP/msg")"
	out=$(main_add 100)
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$l) keepalived MASTER (priority 200, $(vrrp_fam)), carp.ko (100) BACKUP"
	[ "$RET" -eq 0 ] || { ka_stop TERM; carp_del "$MAIN" carp0; return 1; }

	# the events of the takeover to come, as monitor reports them
	carpctl -n "$MAIN" -j monitor carp0 >"$CARP_TMP/mon.out" 2>&1 &
	CARP_BG_PIDS+=("$!")

	check_begin
	ip0=$(carp_stat "$MAIN" carp0 "$ipk")
	out=$(expect_states_for "$HOLD_MS" "$MAIN" carp0 BACKUP)
	check_err $? "$out"
	ip1=$(carp_stat "$MAIN" carp0 "$ipk")
	((ip1 - ip0 >= HOLD_MS / INT_MS - 1)) ||
		check_fail_msg "carp.ko took only $((ip1 - ip0)) of keepalived's advertisements in $HOLD_MS ms ($(carp_diag "$MAIN" carp0))"
	[ "$(carp_field "$MAIN" carp0 vrrp_master_interval)" = "$INT_CS" ] ||
		check_fail_msg "master interval learnt: '$(carp_field "$MAIN" carp0 vrrp_master_interval)', expected $INT_CS"
	n_main=$(vrrp_from "$cap" main)
	((n_main == 0)) || check_fail_msg "carp.ko (BACKUP) advertised $n_main times"
	_ka_state_is MASTER || check_fail_msg "keepalived left MASTER: $(ka_state)"
	log_test "$l) for $((HOLD_MS / 1000)) s: carp.ko BACKUP, $ipk +$((ip1 - ip0)), master interval ${INT_CS} cs learnt, silent"

	check_begin
	ka_stop TERM
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	vrrp_wait "$cap" '$1 == fam && $5 == main' 1 $((2 * INT_MS + CARP_MARGIN_MS))
	check_err $? "carp.ko does not advertise"
	# on the wire: keepalived's priority-0 advertisement, then ours,
	# within Skew_Time (+ the VM's delays), not a master-down interval
	bow=$(vrrp_show "$cap" | awk -v s="$VRRP_SPARE_SRC" \
		'$5 == s && $11 == 0 { print $2; exit }')
	first=$(vrrp_show "$cap" | awk -v m="$VRRP_MAIN_SRC" \
		'$5 == m { print $2; exit }')
	if [ -z "$bow" ]; then
		check_fail_msg "no priority-0 advertisement from keepalived"
	elif [ -z "$first" ]; then
		check_fail_msg "no advertisement from main"
	else
		gap=$(awk -v a="$bow" -v b="$first" 'BEGIN { printf "%d", (b - a) * 1000 }')
		((gap < 3 * INT_MS)) ||
			check_fail_msg "main's first advertisement $gap ms after the bow-out: a master-down interval ($(vrrp_down_ms 100) ms), not Skew_Time ($(vrrp_skew_ms 100) ms)"
	fi
	log_test "$l) keepalived stopped: its bow-out (priority 0) answered, carp.ko MASTER ${gap:-?} ms later (Skew_Time $(vrrp_skew_ms 100) ms)"

	check_begin
	loopy_wait "sleep 0.2" "$CARP_MARGIN_MS" grep -q \
		'"event":"state","ifname":"carp0".*"old_state":"BACKUP","state":"MASTER".*"reason":"master-down"' \
		"$CARP_TMP/mon.out"
	check_err $? "carpctl monitor did not report carp0 BACKUP -> MASTER (master-down): $(tr '\n' '|' <"$CARP_TMP/mon.out")"
	log_test "$l) carpctl monitor -j: carp0 BACKUP -> MASTER, master-down, as for CARP"

	check_begin
	ka_start 200
	out=$(wait_state "$MAIN" carp0 BACKUP $(($(vrrp_down_ms 200) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_ka MASTER "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$l) keepalived restarted: it preempts, carp.ko BACKUP"

	check_begin
	ka_stop KILL
	out=$(wait_state "$MAIN" carp0 MASTER $(($(vrrp_down_ms 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "$l) keepalived killed (no bow-out): carp.ko MASTER after the master-down interval"

	capture_stop "$cap"
	carp_del "$MAIN" carp0
}
