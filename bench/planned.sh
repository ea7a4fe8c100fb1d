#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 2. Planned switchover: the master is told to leave, BENCH_PLANNED_RUNS
# times per way of leaving, while the client probes the VIP every 10 ms
# (as in failover.sh). A master that leaves gracefully announces it, so the
# backup takes over after about one advertisement's transit, not after its
# master-down interval (3.4 s here).
#
#   carp  carpctl del carp0            (then added back)
#   carp  carpctl set carp0 advskew 240 (spare has preempt; then 0 again)
#   carp  carpctl demote +100          (netns-wide; then -100)
#   carp  kill -9 of the command run by `carpctl hold bench demote 100 --
#         sleep ...` (the kernel demotes when carpctl's socket closes;
#         then the hold is taken again)
#   carp  rmmod carp                   (every carp device goes, the spare's
#                                       too: the spare runs ucarp --preempt
#                                       here; then modprobe and add again)
#   carpvrrp   the same ways, in VRRPv3 mode (carpver 3, vrrpprio 200,
#              the spare 156): del, rmmod (module unload) send priority 0,
#              the backup takes over after its Skew_Time; advskew is
#              `carpctl set carp0 vrrpprio 100` (then 200 again), demote
#              and hold lower the priority by 100 too: a worse master
#              keeps advertising and the better backup, which never
#              preempts on an advertisement in VRRP, takes over when its
#              master-down timer fires. rmmod's backup is keepalived.
#   ucarp      SIGTERM (--shutdown: its down-script runs; restarted)
#   keepalived SIGTERM (restarted)
#
# BENCH_PLANNED_WAYS (default "del advskew demote hold rmmod"): carp's and
# carpvrrp's ways.
# BENCH_TOOLS (default "carp ucarp carpvrrp keepalived").
#
# Reported: the gap (last reply of main to the first of the spare), median
# and worst, and what main sent on leaving (its last advertisement after
# the order and before the spare's first reply, as the switch saw it); in
# the raw rows, the time from each order to the spare's first reply.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_bench.sh"

RUNS=${BENCH_PLANNED_RUNS:-10}
TOOLS=${BENCH_TOOLS:-carp ucarp carpvrrp keepalived}
WAYS=${BENCH_PLANNED_WAYS:-del advskew demote hold rmmod}
TABLE="2. Planned switchover, $RUNS runs each"
COLS='["tool", "the master leaves by", "backup", "runs", "gap median (ms)", "gap worst (ms)", "the leaving master sent"]'
MTOOL="" STOOL=""
HOLD_PID=""

_held()
{
	pgrep -P "$HOLD_PID" >/dev/null
}

# hold_up: main runs `sleep` under the hold "bench" (not in a subshell:
# HOLD_PID is carpctl's pid).
hold_up()
{
	carpctl -n "$MAIN" hold bench demote 100 -- sleep 1000000 \
		>/dev/null 2>&1 &
	HOLD_PID=$!
	loopy_wait "sleep 0.05" 5000 _held
}

# hold_down: the held command ended and the hold deleted.
hold_down()
{
	[ -n "$HOLD_PID" ] || return 0
	pkill -9 -P "$HOLD_PID" sleep
	wait "$HOLD_PID" 2>/dev/null
	HOLD_PID=""
	carpctl -n "$MAIN" hold del bench 2>/dev/null
	return 0
}

_steady2()
{
	tool_is_master "$MTOOL" main && ! tool_is_master "$STOOL" spare
}

# leave WHAT / back WHAT: make main leave; bring it back as it was.
leave()
{
	case $1 in
	del)		carpctl -n "$MAIN" del carp0 ;;
	advskew)	if [ "$MTOOL" = carpvrrp ]; then
				carpctl -n "$MAIN" set carp0 vrrpprio 100
			else
				carpctl -n "$MAIN" set carp0 advskew 240
			fi ;;
	demote)		carpctl -n "$MAIN" demote +100 >/dev/null ;;
	hold)		pkill -9 -P "$HOLD_PID" sleep ;;
	rmmod)		rmmod carp ;;
	stop)		tool_stop "$MTOOL" main ;;
	esac
}

back()
{
	case $1 in
	del)		tool_start "$MTOOL" std main ;;
	advskew)	if [ "$MTOOL" = carpvrrp ]; then
				carpctl -n "$MAIN" set carp0 vrrpprio 200
			else
				carpctl -n "$MAIN" set carp0 advskew 0
			fi ;;
	demote)		carpctl -n "$MAIN" demote -100 >/dev/null ;;
	hold)		wait "$HOLD_PID" 2>/dev/null
			hold_up ;;
	rmmod)		slowwait 10 test ! -d /sys/module/carp
			modprobe carp && tool_start "$MTOOL" std main ;;
	stop)		tool_start "$MTOOL" std main ;;
	esac
}

# series MAIN_TOOL SPARE_TOOL WHAT LABEL
series()
{
	local what=$3 label=$4
	local run events t out lost=0 tag=planned-$1-$3

	MTOOL=$1 STOOL=$2
	# (not in a subshell: tool_start records the daemons' pids)
	if ! { tool_start "$MTOOL" std main && loopy_wait "sleep 0.1" \
			$((4000 + BENCH_MARGIN_MS)) tool_is_master "$MTOOL" main &&
		   tool_start "$STOOL" std spare &&
		   loopy_wait "sleep 0.05" $((8000 + BENCH_MARGIN_MS)) _steady2; } \
			>"$CARP_TMP/msg" 2>&1; then
		out=$(cat "$CARP_TMP/msg")
		bench_note "$TABLE" "$MTOOL/$what: the pair did not come up: $out"
		tool_stop "$MTOOL" main
		tool_stop "$STOOL" spare
		return 1
	fi
	events=$CARP_TMP/events-$tag
	: >"$events"
	capture_start "$tag" "$SW" sw_spare ip proto 112 >/dev/null
	probes_start || bench_log "$MTOOL: main does not answer the probes"
	for run in $(seq 1 "$RUNS"); do
		if ! loopy_wait "sleep 0.05" $((8000 + BENCH_MARGIN_MS)) _steady2 ||
		   ! probe_wait main 5000; then
			bench_log "$MTOOL $what run $run: not steady, skipped"
			lost=$((lost + 1))
			continue
		fi
		sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", 0.5 + rand() }')"
		t=$EPOCHREALTIME
		echo "T $t $what" >>"$events"
		leave "$what" || bench_log "$MTOOL $what: leaving failed"
		if ! loopy_wait "sleep 0.01" $((4000 + BENCH_MARGIN_MS)) tool_is_master "$STOOL" spare ||
		   ! probe_wait spare "$BENCH_MARGIN_MS"; then
			bench_log "$MTOOL $what run $run: spare did not take over"
		fi
		back "$what" || bench_log "$MTOOL $what: coming back failed"
	done
	loopy_wait "sleep 0.05" $((8000 + BENCH_MARGIN_MS)) _steady2
	probes_stop
	capture_stop "$tag"
	tool_stop "$MTOOL" main
	tool_stop "$STOOL" spare
	out=${CAP_FILE[$tag]:-}
	[ -s "$out" ] || out=-
	python3 "$BENCH_DIR/analyse.py" planned "$TABLE" "$COLS" "$MTOOL" \
		"$label" "$STOOL" -- "$PROBE_LOG" "$events" "$out" "$MAIN_IP" \
		spare "$(tool_floor_ms "$MTOOL" std)" | bench_raw
	[ "$lost" -eq 0 ] ||
		bench_note "$TABLE" "$MTOOL/$what: $lost of $RUNS runs not steady before leaving, skipped"
}

bench_init
for tool in $TOOLS; do
	case $tool in
	carp|carpvrrp)
		# the same ways for both protocols but two: the worse master's
		# word, and rmmod's backup (unloading takes the spare's carp0
		# too): ucarp speaks CARP, keepalived VRRPv3
		if [ "$tool" = carp ]; then
			worse="carpctl set carp0 advskew 240"
			other=ucarp
		else
			worse="carpctl set carp0 vrrpprio 100"
			other=keepalived
		fi
		for way in $WAYS; do
			case $way in
			del)	 series "$tool" "$tool" del "carpctl del carp0" ;;
			advskew) series "$tool" "$tool" advskew "$worse" ;;
			demote)	 series "$tool" "$tool" demote "carpctl demote +100" ;;
			hold)	 hold_up && series "$tool" "$tool" hold "kill -9 of a held command"
				 hold_down ;;
			rmmod)	 series "$tool" "$other" rmmod "rmmod carp" ;;
			esac
		done
		;;
	ucarp)
		series ucarp ucarp stop "SIGTERM (--shutdown)"
		;;
	keepalived)
		series keepalived keepalived stop "SIGTERM"
		;;
	esac
done
note="a master that goes silent is replaced after the backup's master-down interval, $(tool_floor_ms carp std) ms here (advbase 1, backup advskew 100, or priority 156); one advertisement interval is 1000 ms. \"advbase 255 advskew 255\" is CARP's bow-out (the BSDs'); \"VRRPv3 priority 0\" is VRRP's, after which the backup waits its Skew_Time, (256 - 156)/256 s (about 390 ms), before taking over. rmmod takes every carp device of the kernel away, the backup's too, so its backup is ucarp --preempt for carp, keepalived for carpvrrp."
[[ " $TOOLS " != *" carpvrrp "* ]] ||
	note+=" carpvrrp is carp in VRRPv3 mode (vrrpprio 200/156): vrrpprio 100, demote and hold leave the master advertising a worse priority; a better VRRP backup does not preempt on an advertisement but when its master-down timer fires (RFC 5798 6.4.2), a master-down interval after the master's last advertisement of priority 200. The master serves until then: the gap is the handover alone, not the wait."
bench_note "$TABLE" "$note"
exit 0
