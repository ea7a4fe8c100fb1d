// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: IPv4 addresses with a prefix length.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "carpctl.h"

static uint32_t prefix_mask(unsigned int plen)
{
	return plen ? htonl(~0U << (32 - plen)) : 0;
}

int parse_prefix(const char *s, struct carp_addr *out)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen = 32;
	uint32_t host;

	if (len >= sizeof(buf))
		return syntax_err("invalid IPv4 address \"%s\"", s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* inet_pton() wants exactly four decimal octets: no "10.1". */
	if (inet_pton(AF_INET, buf, &out->addr) != 1)
		return syntax_err("invalid IPv4 address \"%s\"", s);
	if (slash && parse_uint(slash + 1, 0, 32, &plen))
		return syntax_err("invalid prefix length in \"%s\" (expected 0..32)",
				  s);

	host = ntohl(out->addr.s_addr);
	if (host == 0 || host == 0xffffffff || (host >> 28) == 0xe)
		return syntax_err("\"%s\" is not a unicast address", s);
	out->plen = plen;
	return 0;
}

const char *format_prefix(const struct carp_addr *a, char *buf)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->addr, ip, sizeof(ip));
	snprintf(buf, ADDR_STRLEN, "%s/%u", ip, a->plen);
	return buf;
}

bool prefix_contains(const struct carp_addr *net, struct in_addr addr)
{
	uint32_t mask = prefix_mask(net->plen);

	return (net->addr.s_addr & mask) == (addr.s_addr & mask);
}

bool addr_equal(const struct carp_addr *a, const struct carp_addr *b)
{
	return a->addr.s_addr == b->addr.s_addr && a->plen == b->plen;
}
