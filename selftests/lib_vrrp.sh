# SPDX-License-Identifier: GPL-2.0
#
# VRRPv3 helpers for the carp selftests, sourced after lib_carp.sh by the
# tests that run carp.ko in VRRPv3 mode beside Debian's keepalived. The
# test sets VRID and INT_CS (the advertisement interval, cs) and, for
# other addresses than $VIP/$PLEN, the array VRRP_ADDRS.

KA_PID=""
KA_LOG=""
KA_ADDRS=()

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

# vrrp_from TAG IP [PRIO]: VRRPv3 advertisements of VRID captured from IP
# (of priority PRIO).
vrrp_from()
{
	capture_count "$1" \
		'$1 == "p112" && $5 == ip && $9 == 3 && $11 == vr && (p == "" || $12 == p)' \
		"ip=$2" "vr=$VRID" "p=${3:-}"
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
