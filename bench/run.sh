#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [SECTION...]: the benchmark, inside a VM (or any machine where
# `modprobe carp` works and carpctl is on PATH), as root. Runs each section
# (bench/SECTION.sh; default: all of BENCH_SECTIONS) one after the other;
# they append their rows to $BENCH_OUT/results.jsonl (default
# /tmp/carp-bench), then prints the tables (report.py).
#
# A section is a script of its own: adding one is adding bench/NAME.sh
# (source lib_bench.sh, bench_init, bench_row/bench_note) and its name to
# BENCH_SECTIONS below.
#
# Counts (environment; the defaults are the full run):
#   BENCH_RUNS=20 (1.)  BENCH_PLANNED_RUNS=10 (2.)  BENCH_IPERF_S=5
#   BENCH_IPERF_ROUNDS=5 BENCH_PINGS=500 (3.)  BENCH_FLOOD_S=10
#   BENCH_COST_RATE=10000 BENCH_FLOOD_RATE=100000 BENCH_COST_ROUNDS=1 (4.)
#   BENCH_SCALE_S=30
#   BENCH_DEVICES=1000 (5.)  BENCH_LB_FLOWS=6 (6.)  BENCH_SUB_S=20
#   BENCH_STEADY_S=600 (7.)
#   BENCH_TOOLS="carp ucarp carpvrrp keepalived" (failover, planned, adverts)
set -u

BENCH_DIR=$(dirname "$(readlink -f "$0")")
: "${BENCH_SECTIONS:=failover planned datapath adverts scale balance subsecond}"
: "${BENCH_OUT:=/tmp/carp-bench}"
export BENCH_OUT
mkdir -p "$BENCH_OUT"
: >"$BENCH_OUT/results.jsonl"

sections=("$@")
[ ${#sections[@]} -gt 0 ] || read -r -a sections <<<"$BENCH_SECTIONS"

rc=0
for s in "${sections[@]}"; do
	echo "================ bench: $s ================"
	t0=$EPOCHREALTIME
	if ! bash "$BENCH_DIR/$s.sh"; then
		echo "bench: section $s failed"
		jq -cn --arg s "$s" '{table: "Sections", cols: ["section", "status"], vals: [$s, "FAILED"]}' \
			>>"$BENCH_OUT/results.jsonl"
		rc=1
	fi
	echo "bench: section $s took $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
done
echo "================ bench: results ================"
python3 "$BENCH_DIR/report.py" "$BENCH_OUT/results.jsonl"
exit "$rc"
