#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's smoke test (carp_bench_smoke.sh), its sections
# adverts scale balance: cost per advertisement and under a flood, scale, load balancing.

SMOKE_SECTIONS="adverts scale balance"
source "$(dirname "$(readlink -f "$0")")/carp_bench_smoke.sh"
