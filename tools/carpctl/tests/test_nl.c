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

/*
 * A CARP_CMD_GET_DEVICE reply with every field the module always reports
 * (vhid 1, one node), then CARP_A_VERSION @version unless negative (a
 * module before VRRPv3), and VRRPv3's fields: priority and interval
 * (unless @partial), preemption, and the master's interval if @master_int.
 */
static struct nl_msg *device_reply(int version, bool partial, int master_int)
{
	static const unsigned char vmac[6] = { 0, 0, 0x5e, 0, 1, 1 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest, *node;

	if (!msg ||
	    !genlmsg_put(msg, 0, 0, 0x20, 0, 0, CARP_CMD_GET_DEVICE,
			 CARP_GENL_VERSION) ||
	    nla_put_u32(msg, CARP_A_IFINDEX, 5) < 0 ||
	    nla_put_string(msg, CARP_A_IFNAME, "carp0") < 0 ||
	    nla_put_u8(msg, CARP_A_VHID, 1) < 0 ||
	    nla_put_u8(msg, CARP_A_ADVBASE, 1) < 0 ||
	    nla_put_u8(msg, CARP_A_ADVSKEW, 0) < 0 ||
	    nla_put_u8(msg, CARP_A_STATE, CARP_STATE_BACKUP) < 0 ||
	    nla_put(msg, CARP_A_VMAC, 6, vmac) < 0 ||
	    nla_put_u8(msg, CARP_A_DEMOTE, 0) < 0 ||
	    nla_put_u8(msg, CARP_A_BALANCING, CARP_BAL_NONE) < 0 ||
	    nla_put_u8(msg, CARP_A_LLADDR, CARP_LLADDR_VIRTUAL) < 0)
		goto nomem;
	if (version >= 0 && nla_put_u8(msg, CARP_A_VERSION, version) < 0)
		goto nomem;
	if (version == CARP_PROTO_VRRP &&
	    ((!partial && (nla_put_u8(msg, CARP_A_VRRP_PRIO, 200) < 0 ||
			   nla_put_u16(msg, CARP_A_VRRP_INTERVAL, 4095) < 0)) ||
	     nla_put_u8(msg, CARP_A_VRRP_PREEMPT, 0) < 0 ||
	     (master_int && nla_put_u16(msg, CARP_A_VRRP_MASTER_INTERVAL,
					master_int) < 0)))
		goto nomem;
	nest = nla_nest_start(msg, NLA_F_NESTED | CARP_A_NODES);
	node = nest ? nla_nest_start(msg, NLA_F_NESTED | CARP_A_NODE) : NULL;
	if (!node || nla_put_u8(msg, CARP_NODE_A_VHID, 1) < 0 ||
	    nla_put_u8(msg, CARP_NODE_A_ADVSKEW, 0) < 0 ||
	    nla_put_u8(msg, CARP_NODE_A_STATE, CARP_STATE_BACKUP) < 0)
		goto nomem;
	nla_nest_end(msg, node);
	nla_nest_end(msg, nest);
	/* libnl drops an empty nest: one address, one counter */
	nest = nla_nest_start(msg, NLA_F_NESTED | CARP_A_ADDRS);
	node = nest ? nla_nest_start(msg, NLA_F_NESTED | CARP_A_ADDR) : NULL;
	if (!node || nla_put_u16(msg, CARP_ADDR_A_FAMILY, AF_INET) < 0 ||
	    nla_put(msg, CARP_ADDR_A_ADDR, 4, "\x0a\0\0\x01") < 0 ||
	    nla_put_u8(msg, CARP_ADDR_A_PREFIXLEN, 24) < 0)
		goto nomem;
	nla_nest_end(msg, node);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, NLA_F_NESTED | CARP_A_STATS);
	if (!nest || nla_put_u64(msg, CARP_STAT_IPACKETS, 1) < 0)
		goto nomem;
	nla_nest_end(msg, nest);
	return msg;
nomem:
	fprintf(stderr, "test_nl: out of memory\n");
	exit(2);
}

/*
 * The protocol of a device: CARP if the module does not say (one before
 * VRRPv3); VRRPv3's fields read whole (a u16 interval past 255); a
 * VRRPv3 device without them is a malformed reply, not a device of
 * priority 0.
 */
static void check_parse_info_vrrp(void)
{
	struct carp_info ci;
	struct nl_msg *msg;

	msg = device_reply(-1, false, 0);
	if (parse_info(msg, &ci) || ci.version != CARP_PROTO_CARP)
		fail("parse_info: no CARP_A_VERSION is not CARP (%d)",
		     ci.version);
	else
		carp_info_free(&ci);
	nlmsg_free(msg);

	msg = device_reply(CARP_PROTO_CARP, false, 0);
	if (parse_info(msg, &ci) || ci.version != CARP_PROTO_CARP ||
	    ci.vrrp_prio || ci.vrrp_interval)
		fail("parse_info: a CARP device read wrong");
	else
		carp_info_free(&ci);
	nlmsg_free(msg);

	msg = device_reply(CARP_PROTO_VRRP, false, 0);
	if (parse_info(msg, &ci) || ci.version != CARP_PROTO_VRRP ||
	    ci.vrrp_prio != 200 || ci.vrrp_interval != 4095 ||
	    ci.vrrp_preempt || ci.vrrp_master_interval)
		fail("parse_info: a VRRPv3 device read wrong");
	else
		carp_info_free(&ci);
	nlmsg_free(msg);

	msg = device_reply(CARP_PROTO_VRRP, false, 300);
	if (parse_info(msg, &ci) || ci.vrrp_master_interval != 300)
		fail("parse_info: the master's interval read wrong");
	else
		carp_info_free(&ci);
	nlmsg_free(msg);

	msg = device_reply(CARP_PROTO_VRRP, true, 0);
	if (parse_info(msg, &ci) != -EPROTO)
		fail("parse_info: a VRRPv3 device without its priority taken");
	nlmsg_free(msg);
}

int main(void)
{
	check_addr_parse();
	check_addr_parse6();
	check_parse_info_vrrp();

	return harness_end("test_nl");
}
