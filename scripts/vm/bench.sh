#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: what `make bench` runs. Installs the dependencies, builds
# carp.ko, carpctl and the flood sender (bench/adflood) for each kernel to
# benchmark, boots it in QEMU, installs the module there and runs
# bench/run.sh (every section: carp, ucarp, keepalived and carp in
# VRRPv3 mode on the same topology in the same VM); then prints the tables and writes them, with
# the command, date, kernels and machine, to bench/RESULTS.md.
#
#   BENCH_KVER=... / KVERS="..."  the kernel(s) (default: the newest one
#                         only; the figures that matter are ratios)
#   BENCH_SMP=2 BENCH_MEM=2048   the VM (default: 2 vCPUs, one per host core)
#   BENCH_TIMEOUT=secs    per VM (default 5400)
#   BENCH_RESULTS=FILE    where to write the Markdown (default bench/RESULTS.md)
#   BENCH_*               counts and sections, passed to the VM (bench/run.sh)
# It never fails on a number: the exit status says whether every section
# ran.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"

"$HERE/install-deps.sh"
"$HERE/extract-linux-source.sh" build/linux-source
NET_LIB=$REPO/build/linux-source/tools/testing/selftests/net/lib.sh

kvers=${BENCH_KVER:-${KVERS:-}}
if [ -z "$kvers" ]; then
	kvers=$(for d in /lib/modules/*/build; do
		k=${d#/lib/modules/}; k=${k%/build}
		[ -d "$d" ] && [ -f "/boot/vmlinuz-$k" ] && echo "$k"
	done | sort -V | tail -n 1)
fi
[ -n "$kvers" ] || { echo "bench: no kernel with headers found" >&2; exit 1; }

make carpctl
make -C bench adflood

# What the VM is told: every BENCH_* variable of ours.
envs=""
while IFS='=' read -r name _; do
	case $name in
	BENCH_KVER|BENCH_SMP|BENCH_MEM|BENCH_TIMEOUT|BENCH_RESULTS) ;;
	BENCH_*) envs+="export $name=$(printf '%q' "${!name}"); " ;;
	esac
done < <(env)

runs=() rc=0
for k in $kvers; do
	echo "================ bench: kernel $k ================"
	out=$REPO/build/bench/$k
	rm -rf "$out"
	mkdir -p "$out/vm-out"
	make KVER="$k" module
	"$HERE/stage-module.sh" "$k" "build/$k/carp.ko" "$out/modroot"
	krc=0
	# shellcheck disable=SC2016 # expanded in the VM
	"$HERE/run-vm.sh" --kver "$k" --smp "${BENCH_SMP:-2}" \
		--mem "${BENCH_MEM:-2048}" --timeout "${BENCH_TIMEOUT:-5400}" \
		--out "$out/vm-out" -- "
set -e
scripts/vm/vm-install-module.sh $(printf '%q' "$out/modroot")
export PATH=\$PWD/tools/carpctl:\$PATH
export NET_LIB=$(printf '%q' "$NET_LIB") BENCH_OUT=/out
$envs
set +e
bash bench/run.sh
" || krc=$?
	[ "$krc" -eq 0 ] || { echo "bench: kernel $k: the run exited $krc"; rc=1; }
	[ -s "$out/vm-out/results.jsonl" ] && runs+=("$k=$out/vm-out/results.jsonl")
done
[ ${#runs[@]} -gt 0 ] || { echo "bench: no results" >&2; exit 1; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
machine="$cpu, $(nproc) cores, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); host kernel $(uname -r); guest: QEMU $(qemu-system-x86_64 --version | awk 'NR == 1 { print $4 }') TCG (no KVM), ${BENCH_SMP:-2} vCPUs, ${BENCH_MEM:-2048} MiB"
cmd="make bench"
while IFS='=' read -r name _; do
	case $name in
	BENCH_*|KVERS) cmd="$name=$(printf '%q' "${!name}") $cmd" ;;
	esac
done < <(env | sort -r)
echo "================ bench: results ================"
# the tree measured: its commit, "+ changes" when it differs from it
commit=$(git -C "$REPO" describe --always --dirty=' + changes' 2>/dev/null || echo unknown)
python3 bench/report.py --md "${BENCH_RESULTS:-bench/RESULTS.md}" --cmd "$cmd" \
	--machine "$machine" --commit "$commit" "${runs[@]}"
exit "$rc"
