// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: IPv4 and IPv6 addresses with a prefix length.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "carpctl.h"

static uint32_t prefix_mask(unsigned int plen)
{
	return plen ? htonl(~0U << (32 - plen)) : 0;
}

/* A virtual IPv6 address: global or unique local, not link-local. */
static int parse_prefix6(const char *s, struct carp_addr *out)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen = 128;
	struct in6_addr *a = &out->addr6;

	memset(out, 0, sizeof(*out));
	if (len >= sizeof(buf))
		return syntax_err("invalid IPv6 address \"%s\"", esc(s));
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, a) != 1)
		return syntax_err("invalid IPv6 address \"%s\"", esc(s));
	if (slash && parse_uint(slash + 1, 0, 128, &plen))
		return syntax_err("invalid prefix length in \"%s\" (expected 0..128)",
				  esc(s));
	if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
	    IN6_IS_ADDR_MULTICAST(a) || IN6_IS_ADDR_V4MAPPED(a))
		return syntax_err("\"%s\" is not a unicast address", esc(s));
	out->v6 = true;
	out->plen = plen;
	return 0;
}

int parse_prefix(const char *s, struct carp_addr *out)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen = 32;
	uint32_t host;

	if (strchr(s, ':'))
		return parse_prefix6(s, out);
	memset(out, 0, sizeof(*out));
	if (len >= sizeof(buf))
		return syntax_err("invalid IPv4 address \"%s\"", esc(s));
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* inet_pton() wants exactly four decimal octets: no "10.1". */
	if (inet_pton(AF_INET, buf, &out->addr) != 1)
		return syntax_err("invalid IPv4 address \"%s\"", esc(s));
	if (slash && parse_uint(slash + 1, 0, 32, &plen))
		return syntax_err("invalid prefix length in \"%s\" (expected 0..32)",
				  esc(s));

	host = ntohl(out->addr.s_addr);
	if (host == 0 || host == 0xffffffff || (host >> 28) == 0xe)
		return syntax_err("\"%s\" is not a unicast address", esc(s));
	out->plen = plen;
	return 0;
}

const char *format_prefix(const struct carp_addr *a, char *buf)
{
	char ip[INET6_ADDRSTRLEN];

	if (a->v6)
		inet_ntop(AF_INET6, &a->addr6, ip, sizeof(ip));
	else
		inet_ntop(AF_INET, &a->addr, ip, sizeof(ip));
	snprintf(buf, ADDR_STRLEN, "%s/%u", ip, a->plen);
	return buf;
}

bool prefix_contains(const struct carp_addr *net, struct in_addr addr)
{
	uint32_t mask = prefix_mask(net->plen);

	if (net->v6)
		return false;
	return (net->addr.s_addr & mask) == (addr.s_addr & mask);
}

bool addr_same_host(const struct carp_addr *a, const struct carp_addr *b)
{
	if (a->v6 != b->v6)
		return false;
	if (a->v6)
		return !memcmp(&a->addr6, &b->addr6, sizeof(a->addr6));
	return a->addr.s_addr == b->addr.s_addr;
}

bool addr_equal(const struct carp_addr *a, const struct carp_addr *b)
{
	return addr_same_host(a, b) && a->plen == b->plen;
}
