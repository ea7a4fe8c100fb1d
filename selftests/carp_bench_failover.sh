#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest
#
# The benchmark's smoke test (carp_bench_smoke.sh), its sections
# failover planned datapath: unplanned and planned failover, data path.

SMOKE_SECTIONS="failover planned datapath"
source "$(dirname "$(readlink -f "$0")")/carp_bench_smoke.sh"
