// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: what the answers of the kernel allocated, freed.
 */
#include <stdlib.h>

#include "device.h"

void carp_info_free(struct carp_info *ci)
{
	free(ci->addrs);
	ci->addrs = NULL;
	ci->naddrs = 0;
	free(ci->nodes);
	ci->nodes = NULL;
	ci->nnodes = 0;
}

void carp_list_free(struct carp_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		carp_info_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
