// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: checks of what nl.c makes of rtnetlink's and the carp family's
 * replies (make test), on synthetic messages: no socket is opened.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <malloc.h>

#include "../nl.c"
#include "../parse.h"
#include "harness.h"

/* An RTM_NEWADDR of @ifindex: IPv4 @addr/@plen in IFA_LOCAL. */
static struct nl_msg *newaddr(unsigned int ifindex, uint32_t addr,
			      unsigned int plen)
{
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET,
		.ifa_prefixlen = plen,
		.ifa_index = ifindex,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_MULTI);
	uint32_t be = htonl(addr);

	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, IFA_LOCAL, 4, &be) < 0) {
		fprintf(stderr, "test_nl: out of memory\n");
		exit(2);
	}
	return msg;
}

/*
 * Defect: addr_parse() set addr and plen of the realloc'd element but not
 * v6, which prefix_contains() reads: find_parent() then skipped a subnet
 * that holds the address, depending on what the heap held. The allocator
 * is told to fill new blocks with garbage so that the check is not luck.
 */
static void check_addr_parse(void)
{
	struct addr_list l = { NULL, 0 };
	struct carp_addr vip = { .plen = 32 };
	unsigned char v6;
	struct nl_msg *msg;
	size_t i;

	mallopt(M_PERTURB, 0x41);
	vip.addr.s_addr = htonl(0x0a000001);
	for (i = 0; i < 4; i++) {
		msg = newaddr(2 + i, 0x0a000002 + i, 24);
		if (addr_parse(msg, &l))
			fail("addr_parse: error");
		nlmsg_free(msg);
	}
	mallopt(M_PERTURB, 0);
	if (l.n != 4)
		fail("addr_parse: %zu addresses, want 4", l.n);
	for (i = 0; i < l.n; i++) {
		/* a byte copy: reading garbage as bool is itself undefined */
		memcpy(&v6, &l.v[i].a.v6, 1);
		if (v6 != 0) {
			fail("addr_parse: address %zu has v6 byte %u, want 0",
			     i, v6);
			continue;
		}
		if (!prefix_contains(&l.v[i].a, vip.addr)) {
			fail("addr_parse: 10.0.0.%zu/24 does not contain 10.0.0.1",
			     i + 2);
		}
	}
	free(l.v);
}

/*
 * IPv6 addresses are kept too (find_parent() looks up an IPv6 virtual
 * address's parent by prefix), with their whole address and length.
 */
static void check_addr_parse6(void)
{
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET6,
		.ifa_prefixlen = 64,
		.ifa_index = 7,
	};
	struct addr_list l = { NULL, 0 };
	struct carp_addr vip = { .plen = 128, .v6 = true };
	struct in6_addr a;
	struct nl_msg *msg;

	inet_pton(AF_INET6, "2001:db8::11", &a);
	inet_pton(AF_INET6, "2001:db8::1", &vip.addr6);
	msg = nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_MULTI);
	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, IFA_ADDRESS, 16, &a) < 0) {
		fprintf(stderr, "test_nl: out of memory\n");
		exit(2);
	}
	if (addr_parse(msg, &l))
		fail("addr_parse: error on an IPv6 address");
	nlmsg_free(msg);
	if (l.n != 1)
		fail("addr_parse: %zu IPv6 addresses, want 1", l.n);
	else if (!l.v[0].a.v6 || l.v[0].a.plen != 64 || l.v[0].ifindex != 7 ||
		 memcmp(&l.v[0].a.addr6, &a, 16) || !prefix_holds(&l.v[0].a, &vip))
		fail("addr_parse: 2001:db8::11/64 of ifindex 7 read wrong");
	free(l.v);
}

int main(void)
{
	check_addr_parse();
	check_addr_parse6();

	return harness_end("test_nl");
}
