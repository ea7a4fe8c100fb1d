#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the bench sections (bench/*.sh): the selftests' topology
# (lib_carp.sh: netns MAIN, SPARE, CLIENT on a bridge in SW; VIP 10.0.0.1),
# the failover tools driven alike, the UDP probes, and the result
# rows.
#
# A section is one script. It appends JSON rows to $BENCH_OUT/results.jsonl:
#   {"table": T, "cols": [...], "vals": [...]}  one row of table T
#   {"table": T, "note": "..."}                 a line under table T
# report.py prints the tables in the order their first row came; a new
# section needs nothing else.
#
# The tools (same topology, same vhid 1, same VIP, one at a time):
#   carp        carp.ko: carp0 on eth0; main advskew 0, spare 100; preempt
#   carpvrrp    carp.ko in VRRPv3 mode (carpver 3): carp0 on eth0, configured
#               as keepalived below: main vrrpprio 200, spare 156;
#               vrrppreempt on; vrrpaccept on (the MASTER answers the probes
#               sent to the VIP, as keepalived does by default)
#   ucarp       Debian's ucarp on eth0, up/down scripts add/remove the VIP
#               (--shutdown: the down-script at exit too);
#               main advskew 0, spare 100; --preempt
#   keepalived  Debian's keepalived, VRRPv3 on eth0, the VIP on eth0; main
#               priority 200, spare 156 (skew time (256 - 156)/256 advert
#               intervals, as carp's advskew 100); preempt (its default)
# and modes: "std" (advertisements every 1 s), "min" (the shortest
# interval the tool supports: carp advbase 0 with advskew 1, i.e. 1/256 s,
# the spare advskew 2; ucarp the same with the spare at advskew 3, as its
# master-down time is one interval of its own; keepalived advert_int 0.01,
# carpvrrp vrrpinterval 1, the same 10 ms)
# and, for carp only, "min10" (advbase 0, advskew 10/20: 39 ms).
#
# tool_has_mode TOOL MODE: whether the tool runs in that mode.

# shellcheck disable=SC2034,SC2154 # globals shared with the sections
BENCH_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# Inside the kselftest tree (the smoke test), bench/ sits in the selftests'
# directory; in the repository, beside selftests/.
if [ -r "$BENCH_DIR/../lib_carp.sh" ]; then
	# shellcheck source=../selftests/lib_carp.sh
	source "$BENCH_DIR/../lib_carp.sh"
else
	# shellcheck source=../selftests/lib_carp.sh
	source "$BENCH_DIR/../selftests/lib_carp.sh"
fi

: "${BENCH_OUT:=/tmp/carp-bench}"
mkdir -p "$BENCH_OUT"
BENCH_RESULTS=$BENCH_OUT/results.jsonl
: "${BENCH_ADFLOOD:=$BENCH_DIR/adflood}"
BENCH_PASS=bench-secret
BENCH_PORT=7007
BENCH_PROBE_S=0.01
# Waits are bounded by the protocol's time plus this margin (ms).
: "${BENCH_MARGIN_MS:=$CARP_MARGIN_MS}"

declare -A TOOL_PID=()

bench_log()
{
	local up

	read -r up _ </proc/uptime
	echo "bench: [$up] $*"
}

# bench_row TABLE COLS_JSON VALUE...: one result row; values that parse as
# numbers are stored as numbers.
bench_row()
{
	local table=$1 cols=$2; shift 2

	jq -cn --arg t "$table" --argjson c "$cols" \
		'{table: $t, cols: $c, vals: [$ARGS.positional[] | (tonumber? // .)]}' \
		--args "$@" >>"$BENCH_RESULTS"
}

bench_note()
{
	jq -cn --arg t "$1" --arg n "$2" '{table: $t, note: $n}' >>"$BENCH_RESULTS"
}

# bench_raw: copy analyse.py's row (stdin) into the results and echo it.
bench_raw()
{
	tee -a "$BENCH_RESULTS"
}

fcalc()
{
	awk "BEGIN { printf \"%.1f\", $* }"
}

##############################################################################
# The tools

tool_has_mode()
{
	[ "$2" != min10 ] || [ "$1" = carp ]
}

# tool_is_carp TOOL: carp.ko's (carp0, carpctl), in either protocol.
tool_is_carp()
{
	[ "$1" = carp ] || [ "$1" = carpvrrp ]
}

# tool_interval_ms TOOL MODE: the master's advertisement interval.
tool_interval_ms()
{
	case $1/$2 in
	carp/min|ucarp/min)	fcalc "1000 / 256" ;;
	carp/min10)	fcalc "10 * 1000 / 256" ;;
	keepalived/min|carpvrrp/min)	echo 10 ;;
	*)		echo 1000 ;;
	esac
}

# tool_floor_ms TOOL MODE: the backup's master-down interval, the least a
# takeover can take after the master's last advertisement.
tool_floor_ms()
{
	case $1/$2 in
	carp/std|ucarp/std)	fcalc "3 * 1000 + 100 * 1000 / 256" ;;
	carp/min)		fcalc "3 * 2 * 1000 / 256" ;;
	carp/min10)		fcalc "3 * 20 * 1000 / 256" ;;
	ucarp/min)		fcalc "3 * 0 + 3 * 1000 / 256" ;;
	keepalived/std)		fcalc "3 * 1000 + (256 - 156) * 1000 / 256" ;;
	keepalived/min)		fcalc "3 * 10 + (256 - 156) * 10 / 256" ;;
	# carp.ko reckons RFC 5798's timers in centiseconds, as the RFC
	# states them: Skew_Time (256 - 156) x 1 / 256 cs is 0 at vrrpinterval
	# 1 (keepalived reckons in microseconds: 3.9 ms)
	carpvrrp/std)		fcalc "10 * (3 * 100 + int((256 - 156) * 100 / 256))" ;;
	carpvrrp/min)		fcalc "10 * (3 * 1 + int((256 - 156) * 1 / 256))" ;;
	esac
}

# tool_settings TOOL MODE: how the pair is configured, for the tables.
tool_settings()
{
	case $1/$2 in
	carp/std)	echo "advbase 1, advskew 0/100" ;;
	carp/min)	echo "advbase 0, advskew 1/2" ;;
	carp/min10)	echo "advbase 0, advskew 10/20" ;;
	ucarp/std)	echo "advbase 1, advskew 0/100" ;;
	ucarp/min)	echo "advbase 0, advskew 1/3" ;;
	keepalived/std)	echo "advert_int 1, priority 200/156" ;;
	keepalived/min)	echo "advert_int 0.01, priority 200/156" ;;
	carpvrrp/std)	echo "vrrpinterval 100, vrrpprio 200/156" ;;
	carpvrrp/min)	echo "vrrpinterval 1, vrrpprio 200/156" ;;
	esac
}

# tool_start TOOL MODE HOST: run TOOL on HOST (main or spare) in the
# background (carp, carpvrrp: add carp0).
tool_start()
{
	local tool=$1 mode=$2 host=$3
	local ns ip skew prio base int dir

	ns=$(host_ns "$host")
	[ "$host" = main ] && ip=$MAIN_IP || ip=$SPARE_IP
	dir=$CARP_TMP/$tool-$host
	mkdir -p "$dir"
	bench_log "start $tool ($mode) on $host"
	case $tool in
	carp)
		case $mode in
		min)	base=0; [ "$host" = main ] && skew=1 || skew=2 ;;
		min10)	base=0; [ "$host" = main ] && skew=10 || skew=20 ;;
		*)	base=1; [ "$host" = main ] && skew=0 || skew=100 ;;
		esac
		carp_preempt "$ns" 1
		carp_add "$ns" carp0 dev eth0 vhid 1 advbase "$base" \
			advskew "$skew" pass "$BENCH_PASS" "$VIP/$PLEN"
		;;
	carpvrrp)
		[ "$host" = main ] && prio=200 || prio=156
		[ "$mode" = min ] && int=1 || int=100
		carp_add "$ns" carp0 dev eth0 vhid 1 carpver 3 vrrpprio "$prio" \
			vrrpinterval "$int" vrrppreempt on vrrpaccept on \
			"$VIP/$PLEN"
		;;
	ucarp)
		if [ "$mode" = min ]; then
			base=0
			[ "$host" = main ] && skew=1 || skew=3
		else
			base=1
			[ "$host" = main ] && skew=0 || skew=100
		fi
		printf '#!/bin/sh\nexec ip addr add %s/%s dev eth0\n' "$VIP" "$PLEN" >"$dir/up"
		printf '#!/bin/sh\nexec ip addr del %s/%s dev eth0 2>/dev/null\n' "$VIP" "$PLEN" >"$dir/down"
		chmod +x "$dir/up" "$dir/down"
		ip netns exec "$ns" ucarp -i eth0 -s "$ip" -v 1 -p "$BENCH_PASS" \
			-a "$VIP" -b "$base" -k "$skew" -P -z -f none \
			-u "$dir/up" -d "$dir/down" >>"$dir/log" 2>&1 &
		TOOL_PID[$host]=$!
		CARP_BG_PIDS+=("$!")
		;;
	keepalived)
		[ "$host" = main ] && prio=200 || prio=156
		[ "$mode" = min ] && int=0.01 || int=1
		cat >"$dir/conf" <<-EOF
		global_defs {
			router_id bench-$host
		}
		vrrp_instance bench {
			state BACKUP
			interface eth0
			virtual_router_id 1
			version 3
			priority $prio
			advert_int $int
			virtual_ipaddress {
				$VIP/$PLEN dev eth0
			}
		}
		EOF
		ip netns exec "$ns" keepalived -n -G -P -f "$dir/conf" \
			-p "$dir/pid" -r "$dir/vrrp.pid" -c "$dir/chk.pid" \
			>>"$dir/log" 2>&1 &
		TOOL_PID[$host]=$!
		CARP_BG_PIDS+=("$!")
		;;
	esac
}

# tool_stop TOOL HOST: stop it cleanly (carp, carpvrrp: delete carp0; the
# daemons: SIGTERM and wait), then remove what it may have left.
tool_stop()
{
	local tool=$1 host=$2
	local ns pid

	ns=$(host_ns "$host")
	case $tool in
	carp|carpvrrp)
		carpctl -n "$ns" del carp0 2>/dev/null
		;;
	*)
		pid=${TOOL_PID[$host]:-}
		if [ -n "$pid" ]; then
			kill -TERM "$pid" 2>/dev/null
			# bounded: keepalived takes a moment to say goodbye
			slowwait 20 bash -c "! kill -0 $pid 2>/dev/null"
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		fi
		TOOL_PID[$host]=
		ip -n "$ns" addr del "$VIP/$PLEN" dev eth0 2>/dev/null
		;;
	esac
	return 0
}

# tool_is_master TOOL HOST
tool_is_master()
{
	local ns

	ns=$(host_ns "$2")
	if tool_is_carp "$1"; then
		carp_state_is "$ns" carp0 MASTER
	else
		has_addr "$ns" eth0 "$VIP/$PLEN"
	fi
}

_steady()
{
	tool_is_master "$1" main && ! tool_is_master "$1" spare
}

# tool_wait_steady TOOL MODE: main MASTER, spare not, within the protocol's
# time from scratch (plus margin).
tool_wait_steady()
{
	local t

	t=$(awk -v f="$(tool_floor_ms "$1" "$2")" -v m="$BENCH_MARGIN_MS" \
		'BEGIN { printf "%d", 2 * f + 2000 + m }')
	loopy_wait "sleep 0.05" "$t" _steady "$1"
}

# tool_pair_up TOOL MODE: main, then spare; main MASTER.
tool_pair_up()
{
	local tool=$1 mode=$2

	tool_start "$tool" "$mode" main || return 1
	loopy_wait "sleep 0.1" $((4000 + BENCH_MARGIN_MS)) tool_is_master "$tool" main ||
		{ echo "$tool: main never became MASTER"; return 1; }
	tool_start "$tool" "$mode" spare || return 1
	tool_wait_steady "$tool" "$mode" ||
		{ echo "$tool: main/spare not MASTER/BACKUP"; return 1; }
}

tool_pair_down()
{
	tool_stop "$1" main
	tool_stop "$1" spare
}

##############################################################################
# Probes: an echo responder on main and on spare, the prober on the client
# (probe.py); the replies go to $CARP_TMP/probe.log.

PROBE_LOG=""
PROBE_PID=""

probes_start()
{
	local host ns

	PROBE_LOG=$CARP_TMP/probe.$RANDOM.log
	for host in main spare; do
		ns=$(host_ns "$host")
		ip netns exec "$ns" python3 "$BENCH_DIR/probe.py" echo "$host" \
			"$BENCH_PORT" &
		CARP_BG_PIDS+=("$!")
	done
	ip netns exec "$CLIENT" python3 "$BENCH_DIR/probe.py" probe "$VIP" \
		"$BENCH_PORT" "$BENCH_PROBE_S" "$PROBE_LOG" &
	PROBE_PID=$!
	CARP_BG_PIDS+=("$PROBE_PID")
	# replies from main
	slowwait 30 probe_last_is main
}

probes_stop()
{
	kill -TERM "$PROBE_PID" 2>/dev/null
	wait "$PROBE_PID" 2>/dev/null
}

# probe_last_is WHO: the latest reply came from WHO.
probe_last_is()
{
	[ -s "$PROBE_LOG" ] &&
		[ "$(tail -n 1 "$PROBE_LOG" | awk '{ print $4 }')" = "$1" ]
}

# probe_wait WHO TIMEOUT_MS
probe_wait()
{
	loopy_wait "sleep 0.02" "$2" probe_last_is "$1"
}

# bench_init: lib_carp's topology and cleanup, the results file.
bench_init()
{
	require_carp
	require_cmd jq tcpdump
	trap bench_cleanup EXIT
	carp_tmpdir
	if ! carp_topo_create; then
		echo "bench: cannot build the topology"
		exit 1
	fi
}

bench_cleanup()
{
	local host f

	for host in main spare; do
		[ -z "${TOOL_PID[$host]:-}" ] || kill -KILL "${TOOL_PID[$host]}" 2>/dev/null
	done
	# the daemons' logs, for a look afterwards
	mkdir -p "$BENCH_OUT/logs"
	for f in "$CARP_TMP"/*/log; do
		[ -f "$f" ] || continue
		cp "$f" "$BENCH_OUT/logs/$(basename "$0" .sh)-$(basename "$(dirname "$f")").log"
	done
	carp_cleanup
}
