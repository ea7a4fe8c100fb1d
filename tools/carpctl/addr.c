// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: IPv4 and IPv6 addresses with a prefix length.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carpctl.h"
#include "err.h"
#include "parse.h"

/*
 * What is not a unicast address: refused as a virtual address and as a
 * peer alike, and documented as this one table in carpctl(8) (ADDRESSES).
 * The kernel checks a peer against the same table (kmod/netlink.c); the
 * virtual addresses it never sees, they go over rtnetlink. IPv4 and IPv6
 * link-local addresses (169.254.0.0/16, fe80::/10) are unicast: allowed.
 */
struct addr_rule {
	int family;
	unsigned char net[16];		/* network order */
	unsigned int plen;
	const char *what;		/* as messages give it */
};

static const struct addr_rule addr_rules[] = {
	{ AF_INET,  { 0 }, 8,			"this network, 0.0.0.0/8" },
	{ AF_INET,  { 127 }, 8,			"loopback, 127.0.0.0/8" },
	{ AF_INET,  { 224 }, 4,			"multicast, 224.0.0.0/4" },
	/* with the limited broadcast address, 255.255.255.255 */
	{ AF_INET,  { 240 }, 4,			"reserved, 240.0.0.0/4" },
	{ AF_INET6, { 0 }, 128,			"unspecified, ::/128" },
	{ AF_INET6, { [15] = 1 }, 128,		"loopback, ::1/128" },
	{ AF_INET6, { 0xff }, 8,		"multicast, ff00::/8" },
	{ AF_INET6, { [10] = 0xff, [11] = 0xff }, 96,
						"IPv4-mapped, ::ffff:0.0.0.0/96" },
};

/* The first @plen bits of @a and @b are the same. */
static bool bits_equal(const unsigned char *a, const unsigned char *b,
		       unsigned int plen)
{
	unsigned int full = plen / 8, rest = plen % 8;
	unsigned char mask;

	if (memcmp(a, b, full))
		return false;
	if (!rest)
		return true;
	mask = 0xff << (8 - rest);
	return !((a[full] ^ b[full]) & mask);
}

const char *addr_not_unicast(int family, const void *addr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(addr_rules); i++)
		if (addr_rules[i].family == family &&
		    bits_equal(addr, addr_rules[i].net, addr_rules[i].plen))
			return addr_rules[i].what;
	return NULL;
}

/* A virtual IPv6 address: global, unique local or link-local. */
static int parse_prefix6(const char *s, struct carp_addr *out)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen = 128;
	struct in6_addr *a = &out->addr6;
	const char *why;

	memset(out, 0, sizeof(*out));
	if (len >= sizeof(buf))
		return syntax_err("invalid IPv6 address \"%s\"", esc(s));
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, a) != 1)
		return syntax_err("invalid IPv6 address \"%s\"", esc(s));
	/* /0 would make every address on the link the carp device's */
	if (slash && parse_uint(slash + 1, 1, 128, &plen))
		return syntax_err("invalid prefix length in \"%s\" (expected 1..128)",
				  esc(s));
	why = addr_not_unicast(AF_INET6, a);
	if (why)
		return syntax_err("\"%s\" is not a unicast address (%s)",
				  esc(s), why);
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
	const char *why;

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
	if (slash && parse_uint(slash + 1, 1, 32, &plen))
		return syntax_err("invalid prefix length in \"%s\" (expected 1..32)",
				  esc(s));
	why = addr_not_unicast(AF_INET, &out->addr);
	if (why)
		return syntax_err("\"%s\" is not a unicast address (%s)",
				  esc(s), why);
	out->plen = plen;
	return 0;
}

const char *format_host(const struct carp_addr *a, char *buf)
{
	if (a->v6)
		inet_ntop(AF_INET6, &a->addr6, buf, ADDR_STRLEN);
	else
		inet_ntop(AF_INET, &a->addr, buf, ADDR_STRLEN);
	return buf;
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
	uint32_t mask;

	/* an IPv4 address is in no IPv6 prefix; nor is /33 and up a mask */
	if (net->v6 || net->plen > 32)
		return false;
	mask = net->plen ? htonl(~0U << (32 - net->plen)) : 0;
	return (net->addr.s_addr & mask) == (addr.s_addr & mask);
}

bool prefix_holds(const struct carp_addr *net, const struct carp_addr *a)
{
	unsigned int full, rest;
	const uint8_t *n, *x;

	if (net->v6 != a->v6)
		return false;
	if (!a->v6)
		return prefix_contains(net, a->addr);
	if (net->plen > 128)
		return false;
	n = net->addr6.s6_addr;
	x = a->addr6.s6_addr;
	full = net->plen / 8;
	rest = net->plen % 8;
	if (memcmp(n, x, full))
		return false;
	return !rest || !((n[full] ^ x[full]) & (0xff00 >> rest));
}

bool addr_same_host(const struct carp_addr *a, const struct carp_addr *b)
{
	return !addr_host_order(a, b);
}

bool addr_equal(const struct carp_addr *a, const struct carp_addr *b)
{
	return addr_same_host(a, b) && a->plen == b->plen;
}

int addr_host_order(const struct carp_addr *a, const struct carp_addr *b)
{
	if (a->v6 != b->v6)
		return a->v6 - b->v6;
	return a->v6 ? memcmp(&a->addr6, &b->addr6, sizeof(a->addr6)) :
		       memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

int addr_order(const void *x, const void *y)
{
	const struct carp_addr *a = x, *b = y;
	int d = addr_host_order(a, b);

	if (d)
		return d;
	return (a->plen > b->plen) - (a->plen < b->plen);
}

struct carp_addr *addrs_sorted(const struct carp_addr *v, size_t n)
{
	struct carp_addr *s = malloc((n ? n : 1) * sizeof(*s));

	if (s && n) {
		memcpy(s, v, n * sizeof(*s));
		qsort(s, n, sizeof(*s), addr_order);
	}
	return s;
}

bool addr_linklocal(const struct carp_addr *a)
{
	return a->v6 && IN6_IS_ADDR_LINKLOCAL(&a->addr6);
}

int addrs_vrrp_family(const struct carp_addr *v, size_t n)
{
	size_t n6 = 0, i;

	for (i = 0; i < n; i++)
		n6 += v[i].v6;
	if (!n)
		return 0;
	if (!n6)
		return CARP_VRRP_FAMILY_INET;
	return n6 == n ? CARP_VRRP_FAMILY_INET6 : -1;
}
