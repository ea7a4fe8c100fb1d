/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: stats in the Prometheus text exposition format (version 0.0.4),
 * the format of node_exporter's textfile collector.
 */
#ifndef CARPCTL_PROM_H
#define CARPCTL_PROM_H

#include <stdint.h>
#include <stdio.h>

#include "device.h"

/*
 * The states, settings and counters of the devices of @l and, if @ni is
 * not NULL, of their network namespace, on @f. @now_ms is the time of the
 * kernel's answers (CLOCK_REALTIME, ms since the epoch): the last state
 * changes are written as the times they happened, not as their ages.
 */
void stats_prometheus(FILE *f, const struct carp_list *l,
		      const struct carp_netinfo *ni, uint64_t now_ms);

#endif /* CARPCTL_PROM_H */
