// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: checks of what nl.c makes of rtnetlink's and the carp family's
 * replies, and of the requests add and set make of a command line
 * (cmd_modify.c's conf_parse(), nl.c's put_conf()) (make test), on
 * synthetic messages: no netlink socket is opened.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <malloc.h>

#include "../nl.c"
#include "../cmd_modify.c"
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
 * (unless @partial), preemption, the master's interval if @master_int,
 * the family and Accept_Mode unless @family is 0 (a module before them).
 */
static struct nl_msg *device_reply_family(int version, bool partial,
					  int master_int, int family,
					  int accept)
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
					master_int) < 0) ||
	     (family && (nla_put_u8(msg, CARP_A_VRRP_FAMILY, family) < 0 ||
			 nla_put_u8(msg, CARP_A_VRRP_ACCEPT, accept) < 0))))
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

static struct nl_msg *device_reply(int version, bool partial, int master_int)
{
	return device_reply_family(version, partial, master_int, 0, 0);
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

/*
 * A VRRPv3 device's family and Accept_Mode, as reported; from a module
 * before them, IPv4 and -1 (its MASTER always accepts).
 */
static void check_parse_info_family(void)
{
	struct carp_info ci;
	struct nl_msg *msg;

	msg = device_reply(CARP_PROTO_VRRP, false, 0);
	if (parse_info(msg, &ci) || ci.vrrp_family != CARP_VRRP_FAMILY_INET ||
	    ci.vrrp_accept != -1)
		fail("parse_info: no family, no Accept_Mode read as %d, %d",
		     ci.vrrp_family, ci.vrrp_accept);
	else
		carp_info_free(&ci);
	nlmsg_free(msg);

	msg = device_reply_family(CARP_PROTO_VRRP, false, 0,
				  CARP_VRRP_FAMILY_INET6, 1);
	if (parse_info(msg, &ci) || ci.vrrp_family != CARP_VRRP_FAMILY_INET6 ||
	    ci.vrrp_accept != 1)
		fail("parse_info: family 6, accept 1 read as %d, %d",
		     ci.vrrp_family, ci.vrrp_accept);
	else
		carp_info_free(&ci);
	nlmsg_free(msg);

	msg = device_reply_family(CARP_PROTO_VRRP, false, 0,
				  CARP_VRRP_FAMILY_INET, 0);
	if (parse_info(msg, &ci) || ci.vrrp_family != CARP_VRRP_FAMILY_INET ||
	    ci.vrrp_accept != 0)
		fail("parse_info: family 4, accept 0 read as %d, %d",
		     ci.vrrp_family, ci.vrrp_accept);
	else
		carp_info_free(&ci);
	nlmsg_free(msg);
}

/* The words of @line, split at blanks, into @argv (at most 15). */
static int words(char *line, char **argv)
{
	int n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " ", &save); w && n < 15;
	     w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	return n;
}

/*
 * What "carpctl @cmd @args" (add or set) sends: conf_parse(), then
 * put_conf() into a request, read back. CARP_A_VRRP_FAMILY's and
 * CARP_A_VRRP_ACCEPT's values into *family and *accept, -1 if not sent;
 * the status of conf_parse() (its message on stderr, captured and freed).
 */
static int sent(const char *cmd, const char *args, int *family, int *accept)
{
	struct nlattr *tb[CARP_A_MAX + 1];
	char line[256], *argv[16];
	struct capture err;
	struct carp_conf c;
	struct nl_msg *msg;
	int rc, n;

	*family = *accept = -1;
	snprintf(line, sizeof(line), "%s", args);
	n = words(line, argv);
	capture_begin(&err, &stderr);
	rc = conf_parse(cmd, n, argv, !strcmp(cmd, "add"), &c);
	free(capture_end(&err));
	if (rc) {
		free(c.addrs);
		return rc;
	}
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, 0, 0, 0x20, 0, 0, CARP_CMD_NEW_DEVICE,
				 CARP_GENL_VERSION) ||
	    put_conf(msg, &c) ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, CARP_A_MAX, carp_policy)) {
		fprintf(stderr, "test_nl: cannot make a request\n");
		exit(2);
	}
	if (tb[CARP_A_VRRP_FAMILY])
		*family = nla_get_u8(tb[CARP_A_VRRP_FAMILY]);
	if (tb[CARP_A_VRRP_ACCEPT])
		*accept = nla_get_u8(tb[CARP_A_VRRP_ACCEPT]);
	nlmsg_free(msg);
	free(c.addrs);
	return rc;
}

static void sends(const char *cmd, const char *args, int want_family,
		  int want_accept)
{
	int family, accept, rc;

	rc = sent(cmd, args, &family, &accept);
	if (rc || family != want_family || accept != want_accept)
		fail("%s %s: status %d, family %d, accept %d; want 0, %d, %d",
		     cmd, args, rc, family, accept, want_family, want_accept);
}

static void refuses(const char *cmd, const char *args)
{
	int family, accept;

	if (!sent(cmd, args, &family, &accept))
		fail("%s %s: taken", cmd, args);
}

/*
 * add sends the family its IPv6 addresses say (so that the kernel makes an
 * IPv6 virtual router of it), or vrrpfamily's; IPv4's by default only if
 * vrrpfamily says so, as before the word existed. vrrpaccept as given.
 */
static void check_conf_vrrp(void)
{
	sends("add", "v dev lo vhid 1 carpver 3 10.0.0.1/24", -1, -1);
	sends("add", "v dev lo vhid 1 carpver 3 fe80::1/64 2001:db8::1/64",
	      CARP_VRRP_FAMILY_INET6, -1);
	sends("add", "v dev lo vhid 1 carpver 3 2001:db8::1/64 fe80::1/64",
	      CARP_VRRP_FAMILY_INET6, -1);
	sends("add", "v dev lo vhid 1 carpver 3 vrrpfamily inet6 fe80::1/64",
	      CARP_VRRP_FAMILY_INET6, -1);
	sends("add", "v dev lo vhid 1 carpver 3 vrrpfamily inet 10.0.0.1/24",
	      CARP_VRRP_FAMILY_INET, -1);
	sends("add", "v dev lo vhid 1 carpver 3 vrrpaccept on 10.0.0.1/24", -1,
	      1);
	sends("add", "v dev lo vhid 1 carpver 3 vrrpa of fe80::1/64",
	      CARP_VRRP_FAMILY_INET6, 0);
	sends("set", "v vrrpaccept on", -1, 1);
	sends("set", "v vrrpfamily inet6", CARP_VRRP_FAMILY_INET6, -1);
	/* set sends no family its addresses say: the device has its own */
	sends("set", "v carpver 3 fe80::1/64", -1, -1);
	refuses("add", "v dev lo vhid 1 carpver 3 fe80::1/64 10.0.0.1/24");
	refuses("add", "v dev lo vhid 1 carpver 3 2001:db8::1/64");
	refuses("add", "v dev lo vhid 1 carpver 3 vrrpfamily inet fe80::1/64");
	refuses("add", "v dev lo vhid 1 vrrpaccept on 10.0.0.1/24");
	refuses("set", "v carpver 2 vrrpfamily inet");
}

/*
 * set's addresses for a VRRPv3 device: of its family (what it reports),
 * with a link-local one among IPv6 ones; one line on stderr if not.
 */
static void device_addrs(const char *args, int family, const char *want)
{
	char line[256], *argv[16], *msg;
	struct carp_info ci = { .ifname = "vrrp0",
				.version = CARP_PROTO_VRRP };
	struct capture err;
	struct carp_conf c;
	int rc;

	ci.vrrp_family = family;
	snprintf(line, sizeof(line), "%s", args);
	capture_begin(&err, &stderr);
	rc = conf_parse("set", words(line, argv), argv, false, &c);
	if (!rc)
		rc = check_device_addrs(&c, &ci);
	msg = capture_end(&err);
	check_str(args, msg, want);
	if (!!rc != !!*want)
		fail("%s: status %d", args, rc);
	free(msg);
	free(c.addrs);
}

static void check_device_vrrp_addrs(void)
{
	device_addrs("vrrp0 10.0.0.1/24 10.0.0.2/24", CARP_VRRP_FAMILY_INET,
		     "");
	device_addrs("vrrp0 fe80::1/64 2001:db8::1/64",
		     CARP_VRRP_FAMILY_INET6, "");
	device_addrs("vrrp0 fe80::1/64", CARP_VRRP_FAMILY_INET,
		     "carpctl: set: vrrp0 (vrrpfamily inet) takes IPv4 addresses only, not fe80::1/64\n");
	device_addrs("vrrp0 10.0.0.1/24", CARP_VRRP_FAMILY_INET6,
		     "carpctl: set: vrrp0 (vrrpfamily inet6) takes IPv6 addresses only, not 10.0.0.1/24\n");
	device_addrs("vrrp0 2001:db8::1/64", CARP_VRRP_FAMILY_INET6,
		     "carpctl: set: a VRRPv3 IPv6 device needs a link-local address (RFC 5798 5.2.9), e.g. fe80::1/64\n");
	device_addrs("vrrp0 2001:db8::1/64 10.0.0.1/24", CARP_VRRP_FAMILY_INET6,
		     "carpctl: set: a VRRPv3 device is one address family (RFC 5798 runs IPv4 and IPv6 as separate virtual routers): add one device per family, they may share the vrid\n");
}

int main(void)
{
	check_addr_parse();
	check_addr_parse6();
	check_parse_info_vrrp();
	check_parse_info_family();
	check_conf_vrrp();
	check_device_vrrp_addrs();

	return harness_end("test_nl");
}
