#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark (bench/, `make bench`) with tiny counts, so that it cannot
# rot: every section runs its real code paths -- carp, ucarp and keepalived
# on the same topology, the probes (10 ms only; make bench adds 1 ms
# ones), the captures, adflood, the analysis and the report -- and its
# output must be well formed. No timing is asserted:
# the benchmark never fails on a number.
#
# Proves: each section exits 0 and writes its table; every row's numbers
# parse; table 1 and 2 have a row for every tool (carp leaving by carpctl
# del: the other ways run in make bench) with at least one measured run; the data path has throughput and
# latency for the VIP and the parent; the CPU cost was measured for carp
# and keepalived (ucarp's in make bench: it is measured with carp's
# frames, and section 1 runs ucarp); under the flood of forged
# advertisements carp's main stayed MASTER (no transition, the spare sent
# nothing) and kept advertising; the timer
# table has every vhid; the device table has as many rows as devices made;
# the load-balancing table has 1, 2 and 3 hosts, each MASTER of its share
# of the vhids, and a throughput for each; report.py renders it all.

#
# SMOKE_SECTIONS (default: all six) runs a part of it: the suite runs it in
# two halves, carp_bench_failover.sh and carp_bench_load.sh, so that
# neither comes near the runner's timeout in a VM that shares its cores.

lib_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
source "$lib_dir/lib_carp.sh"
: "${SMOKE_SECTIONS:=failover planned datapath adverts scale balance subsecond}"

# bench/ is copied beside the tests (check.sh); in a checkout it is ../bench
BENCH=$lib_dir/bench
[ -r "$BENCH/lib_bench.sh" ] || BENCH=$lib_dir/../bench

require_carp
require_cmd jq tcpdump ucarp keepalived iperf3
[ -r "$BENCH/lib_bench.sh" ] || carp_skip "bench/ not found"
[ -x "$BENCH/adflood" ] || carp_skip "bench/adflood not built (make -C bench)"
carp_tmpdir
trap carp_cleanup EXIT

export BENCH_OUT=$CARP_TMP/out
export BENCH_RUNS=1 BENCH_PLANNED_RUNS=1 BENCH_PLANNED_WAYS=del
# section 1: every tool at 1 s, carp and keepalived at their smallest
# interval too (ucarp's, often not steady, is make bench's alone); 10 ms
# probes (1 ms probes are the same code at another interval: make bench's)
export BENCH_MODES="std min" BENCH_PROBES="0.01"
export BENCH_SUBSEC_TOOLS="carp keepalived"
export BENCH_IPERF_S=1 BENCH_IPERF_ROUNDS=1 BENCH_PINGS=20
export BENCH_FLOOD_S=2 BENCH_COST_RATE=2000 BENCH_FLOOD_RATE=100000
export BENCH_SCALE_S=2 BENCH_SCALE_VHIDS=8 BENCH_DEVICES=40 BENCH_LB_FLOWS=3
export BENCH_SUB_S=2 BENCH_STEADY_S=3 BENCH_SUB_SKEWS=10 BENCH_SUB_VHIDS="1 16"
R=$BENCH_OUT/results.jsonl
mkdir -p "$BENCH_OUT"
: >"$R"

# rows TABLE_PREFIX: the rows of that table, one JSON array a line (a check
# that picks one row slurps them, jq -s: jq 1.6's -e fails when the last
# input gave no output)
rows()
{
	jq -c --arg t "$1" 'select(.table | startswith($t)) | select(.vals) | .vals' "$R"
}

# numeric TABLE_PREFIX FIRST_COL...: those columns of every row are numbers
numeric()
{
	local t=$1; shift

	rows "$t" | jq -e --argjson c "$(printf '%s\n' "$@" | jq -s .)" \
		'. as $r | all($c[]; ($r[.] | type) == "number")' |
		grep -vqx true && return 1
	[ -n "$(rows "$t")" ]
}

# wanted SECTION: is it one of SMOKE_SECTIONS?
wanted()
{
	[[ " $SMOKE_SECTIONS " == *" $1 "* ]]
}

# section NAME [VAR=VALUE...]: run bench/NAME.sh, with those variables
section()
{
	local s=$1 t0

	check_begin
	t0=$(timestamp_ms)
	env "${@:2}" bash "$BENCH/$s.sh" >"$CARP_TMP/$s.log" 2>&1
	check_err $? "$s.sh failed: $(tail -n 5 "$CARP_TMP/$s.log")"
	echo "# bench $s: $(( ($(timestamp_ms) - t0) / 1000 )) s"
	[ "$RET" -eq 0 ] || sed 's/^/# /' "$CARP_TMP/$s.log" | tail -n 40
}

if wanted failover; then
	section failover
	# PROBES|TOOL|SETTINGS|RUNS: the rows expected in table 1, and how
	# many of their runs at least were measured.
	while IFS='|' read -r probes tool set want; do
		n=$(jq -r --arg p ", $probes probes" --arg t "$tool" --arg s "$set," \
			'select(.vals and (.table | endswith($p)) and .vals[0] == $t and
				(.vals[1] | startswith($s))) | .vals[4]' "$R")
		[ "${n:-x}" -ge "$want" ] 2>/dev/null ||
			check_fail_msg "$tool ($set) with $probes probes: '$n' measured failovers, want $want or more"
	done <<-EOF
	10 ms|carp|advbase 1|1
	10 ms|carp|advbase 0|1
	10 ms|ucarp|advbase 1|1
	10 ms|keepalived|advert_int 1|1
	10 ms|keepalived|advert_int 0.01|1
	10 ms|carpvrrp|vrrpinterval 100|1
	EOF
	# the numbers of every row with a measured run parse
	rows "1." | jq -se 'map(select(.[4] > 0)) | length >= 5 and
		all(.[]; .[2:10] | all(type == "number"))' >/dev/null ||
		check_fail_msg "table 1: numbers do not parse: $(rows "1.")"
	log_test "bench failover: rows for carp, ucarp, keepalived and carpvrrp at 1 s, carp and keepalived at their smallest interval, numbers parse"
fi

if wanted planned; then
	section planned
	# TOOL|HOW: the rows expected in table 2
	while IFS='|' read -r tool how; do
		n=$(rows "2." | jq -r --arg t "$tool" --arg h "$how" \
			'select(.[0] == $t and .[1] == $h) | .[3]')
		[ "${n:-0}" -ge 1 ] 2>/dev/null || check_fail_msg "$tool, '$how': no measured switchover ($n)"
	done <<-EOF
	carp|carpctl del carp0
	carpvrrp|carpctl del carp0
	ucarp|SIGTERM (--shutdown)
	keepalived|SIGTERM
	EOF
	numeric "2." 3 4 5 || check_fail_msg "table 2: numbers do not parse: $(rows "2.")"
	log_test "bench planned: carpctl del (carp, carpvrrp), ucarp's and keepalived's stop"
fi

if wanted datapath; then
	section datapath
	[ "$(rows "3." | wc -l)" -eq 3 ] || check_fail_msg "table 3: $(rows "3.")"
	numeric "3." 1 2 3 4 5 || check_fail_msg "table 3: numbers do not parse: $(rows "3.")"
	log_test "bench data path: throughput both ways and latency, VIP, VIP-only subnet and parent"
fi

# ucarp's cost is measured with carp's frames and its start is section 1's:
# the smoke test measures carp's, carpvrrp's and keepalived's
if wanted adverts; then
	section adverts BENCH_TOOLS="carp carpvrrp keepalived"
	for tool in carp carpvrrp keepalived; do
		rows "4a." | jq -se --arg t "$tool" \
			'map(select(.[0] == $t)) | length == 1 and (.[0][2:] | all(type == "number"))' \
			>/dev/null || check_fail_msg "4a: $tool: $(rows "4a.")"
	done
	carp=$(rows "4b." | jq -c 'select(.[0] == "carp")')
	jq -e '.[3] >= 1 and .[8] == 0 and .[9] == "yes"' <<<"$carp" >/dev/null ||
		check_fail_msg "4b: carp did not stay MASTER and advertise under the flood: $carp"
	numeric "4b." 2 3 || check_fail_msg "4b: numbers do not parse: $(rows "4b.")"
	log_test "bench adverts: CPU per advertisement of every tool; carp MASTER throughout the flood"
fi

if wanted scale; then
	section scale
	rows "5a." | jq -se 'map(select(.[0] == 8)) | length == 1 and .[0][1] == 8' >/dev/null ||
		check_fail_msg "5a: not every vhid seen: $(rows "5a.")"
	numeric "5a." 0 1 2 4 5 || check_fail_msg "5a: numbers do not parse: $(rows "5a.")"
	rows "5b." | jq -se 'map(select(.[0] | startswith("carp"))) | length == 1 and .[0][4] == 40' >/dev/null ||
		check_fail_msg "5b: carp dump does not list 40 devices: $(rows "5b.")"
	numeric "5b." 1 3 4 5 || check_fail_msg "5b: numbers do not parse: $(rows "5b.")"
	log_test "bench scale: timer intervals per vhid, create/dump/delete of devices"
fi

if wanted balance; then
	section balance
	rows "6." | jq -se 'map(.[0]) == [1, 2, 3] and
		(map(.[2]) == ["3/0/0", "1/2/0", "1/1/1"]) and
		all(.[]; (.[1] | type) == "number" and .[1] > 0)' >/dev/null ||
		check_fail_msg "6: not 1, 2 and 3 hosts with their vhids and a throughput: $(rows "6.")"
	log_test "bench balance: 1, 2 and 3 balanced hosts, each with its vhids, throughput measured"
fi

if wanted subsecond; then
	section subsecond
	rows "7a." | jq -se 'map(.[2]) == ["idle", "hog", "jitter"] and
		all(.[]; .[3] > 0 and (.[4:] | all(type == "number")))' >/dev/null ||
		check_fail_msg "7a: not idle, hog and jitter rows with advertisements seen: $(rows "7a.")"
	rows "7b." | jq -se 'map(.[0]) == [1, 16] and all(.[]; .[3] > 0 and
		(.[2:] | all(type == "number")))' >/dev/null ||
		check_fail_msg "7b: not 1 and 16 vhids with advertisements seen: $(rows "7b.")"
	rows "7c." | jq -se 'length == 1 and .[0][2] > 0 and (.[0] | all(type == "number"))' >/dev/null ||
		check_fail_msg "7c: no steady-state row: $(rows "7c.")"
	log_test "bench subsecond: accuracy under load, cost at scale, steady state"
fi

check_begin
out=$(python3 "$BENCH/report.py" "$R" 2>&1)
check_err $? "report.py: $out"
# tables per section: 1 failover (10 ms probes), 2 planned, 3 data path, 4a/4b adverts,
# 5a/5b scale, 6 balance, 7a/7b/7c subsecond
want=0
for s in $SMOKE_SECTIONS; do
	case $s in
	adverts|scale) want=$((want + 2)) ;;
	subsecond) want=$((want + 3)) ;;
	*) want=$((want + 1)) ;;
	esac
done
n=$(grep -c '^### ' <<<"$out")
[ "$n" -eq "$want" ] || check_fail_msg "report has $n tables, not $want"
jq -e 'select(.table == "Sections")' "$R" >/dev/null &&
	check_fail_msg "a section failed: $(jq -c 'select(.table == "Sections")' "$R")"
sed 's/^/# /' <<<"$out"
log_test "bench report: its $want tables rendered"

exit "$EXIT_STATUS"
