#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 5. Scale.
# a) Timer accuracy: carp devices on main's eth0, all MASTER, advbase 1;
#    the switch captures their advertisements for BENCH_SCALE_S seconds;
#    the intervals between successive advertisements of each vhid (mean,
#    standard deviation = jitter, p50, p99, min, max), with 1 vhid and with
#    BENCH_SCALE_VHIDS (255: every vhid there is).
# b) 1000 devices (BENCH_DEVICES) on four dummy parents in one netns:
#    `carpctl -batch` create, until all are MASTER, `carpctl -j show` dump,
#    `carpctl -batch` delete -- and the same for 1000 macvlan devices with
#    `ip -batch` (another virtual device on a parent), for scale.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_bench.sh"

SECS=${BENCH_SCALE_S:-30}
NDEV=${BENCH_DEVICES:-1000}
NVHID=${BENCH_SCALE_VHIDS:-255}
TA="5a. Advertisement timer accuracy, advbase 1, ${SECS} s"
CA='["carp devices on one parent", "vhids seen", "ads", "late (> 1.5 s)", "interval mean (ms)", "stdev (ms)", "p50 (ms)", "p99 (ms)", "min (ms)", "max (ms)"]'
TB="5b. $NDEV devices on 4 parents in one netns"
CB='["devices", "create (ms)", "all MASTER after (ms)", "dump (ms)", "dump rows", "delete (ms)"]'

ms_since()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }'
}

count_master()
{
	carpctl -n "$1" -j show | jq '[.[] | select(.state == "MASTER")] | length'
}

_all_master()
{
	[ "$(count_master "$1")" = "$2" ]
}

jitter()
{
	local n=$1 tag=jit$1 v

	for v in $(seq 1 "$n"); do
		echo "add v$v dev eth0 vhid $v advbase 1 10.100.$v.1/32"
	done >"$CARP_TMP/add$n"
	if ! out=$(carpctl -n "$MAIN" -batch "$CARP_TMP/add$n" 2>&1); then
		bench_note "$TA" "$n vhids: $out"
		return 1
	fi
	loopy_wait "sleep 0.5" $((3000 + 30000 + BENCH_MARGIN_MS)) _all_master "$MAIN" "$n" ||
		bench_log "only $(count_master "$MAIN") of $n MASTER"
	capture_start "$tag" "$SW" sw_main ip proto 112 >/dev/null
	sleep "$SECS"	# the observation period itself
	capture_stop "$tag"
	sed 's/^add \(v[0-9]*\) .*/del \1/' "$CARP_TMP/add$n" >"$CARP_TMP/del$n"
	carpctl -n "$MAIN" -batch "$CARP_TMP/del$n"
	python3 "$BENCH_DIR/analyse.py" intervals "$TA" "$CA" "$n" -- \
		"${CAP_FILE[$tag]}" "$MAIN_IP" 1000 | bench_raw
}

thousand()
{
	local ns p v t create up dump rows del

	setup_ns BIG || return 1
	ns=$BIG
	for p in 0 1 2 3; do
		ip -n "$ns" link add "d$p" type dummy && ip -n "$ns" link set "d$p" up
	done
	for v in $(seq 0 $((NDEV - 1))); do
		p=$((v % 4))
		echo "add c$v dev d$p vhid $((v / 4 % 255 + 1)) advbase 1 10.$((101 + p)).$((v / 4 / 250)).$((v / 4 % 250 + 1))/32"
	done >"$CARP_TMP/big-add"
	sed 's/^add \(c[0-9]*\) .*/del \1/' "$CARP_TMP/big-add" >"$CARP_TMP/big-del"
	t=$EPOCHREALTIME
	carpctl -n "$ns" -batch "$CARP_TMP/big-add" || bench_log "carpctl batch add failed"
	create=$(ms_since "$t")
	loopy_wait "sleep 0.5" $((3000 + 120000 + BENCH_MARGIN_MS)) _all_master "$ns" "$NDEV"
	up=$(ms_since "$t")
	t=$EPOCHREALTIME
	rows=$(carpctl -n "$ns" -j show | jq length)
	dump=$(ms_since "$t")
	t=$EPOCHREALTIME
	carpctl -n "$ns" -batch "$CARP_TMP/big-del" || bench_log "carpctl batch del failed"
	del=$(ms_since "$t")
	bench_row "$TB" "$CB" "carp (carpctl -batch, -j show)" "$create" "$up" "$dump" "$rows" "$del"

	for v in $(seq 0 $((NDEV - 1))); do
		echo "link add link d$((v % 4)) name m$v type macvlan"
	done >"$CARP_TMP/mv-add"
	for v in $(seq 0 $((NDEV - 1))); do
		echo "link del m$v"
	done >"$CARP_TMP/mv-del"
	t=$EPOCHREALTIME
	ip -n "$ns" -batch "$CARP_TMP/mv-add" || bench_log "ip batch add failed"
	create=$(ms_since "$t")
	t=$EPOCHREALTIME
	rows=$(ip -n "$ns" -j -d link show type macvlan | jq length)
	dump=$(ms_since "$t")
	t=$EPOCHREALTIME
	ip -n "$ns" -batch "$CARP_TMP/mv-del" || bench_log "ip batch del failed"
	del=$(ms_since "$t")
	bench_row "$TB" "$CB" "macvlan (ip -batch, ip -j -d link show)" "$create" "-" "$dump" "$rows" "$del"
}

bench_init
jitter 1
jitter "$NVHID"
bench_note "$TA" "the switch's capture (tcpdump on main's switch port) of main's advertisements; intervals per vhid, pooled. A MASTER advertises every advbase + advskew/256 s = 1000 ms here."
thousand
bench_note "$TB" "wall-clock time of each command as the shell saw it. carp devices: four dummy parents, 250 vhids each, one /32 address each; macvlan: the same number of devices on the same parents, for comparison with another stacked virtual device."
exit 0
