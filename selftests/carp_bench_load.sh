#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest
#
# The benchmark's smoke test (carp_bench_smoke.sh), its sections
# adverts scale balance subsecond: cost per advertisement and under a
# flood, scale, load balancing, sub-second intervals.

SMOKE_SECTIONS="adverts scale balance subsecond"
source "$(dirname "$(readlink -f "$0")")/carp_bench_smoke.sh"
