// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl unit tests: apply's diff (plan.c), a request (an add line)
 * against a kernel report, and the phrases of the plan.
 */
#include <arpa/inet.h>

#include "../carpctl.h"
#include "../parse.h"
#include "../plan.h"
#include "harness.h"

struct carpctl_opts opts;

/* 10.0.0.1/24, 10.0.0.5/24, 2001:db8::5/64, fe80::1/64 */
static struct carp_addr addrs[4];

/* carp1 on ifindex 2, vhid 1 advskew 100 advbase 1, 10.0.0.1/24, no key. */
static void have_init(struct carp_info *ci)
{
	static struct carp_node_info node;

	node = (struct carp_node_info){ .vhid = 1, .advskew = 100 };
	memset(ci, 0, sizeof(*ci));
	strcpy(ci->ifname, "carp1");
	ci->has_link = true;
	ci->link = 2;
	ci->vhid = 1;
	ci->advskew = 100;
	ci->advbase = 1;
	ci->balancing = CARP_BAL_NONE;
	ci->version = CARP_PROTO_CARP;
	ci->addrs = &addrs[0];
	ci->naddrs = 1;
	ci->nodes = &node;
	ci->nnodes = 1;
}

/* The same, as an add line says it. */
static void want_init(struct carp_conf *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->ifname, "carp1");
	c->vhid = 1;
	c->advskew = 100;
	c->advbase = c->state = c->balancing = -1;
	c->version = c->vrrp_prio = c->vrrp_interval = c->vrrp_preempt = -1;
	c->vrrp_accept = c->vrrp_family = -1;
	c->addrs = &addrs[0];
	c->naddrs = 1;
}

static char lines[1024];

static void collect(void *arg, const char *text)
{
	(void)arg;
	strcat(lines, text);
	strcat(lines, "\n");
}

static const char *describe(const struct carp_conf *w,
			    const struct carp_info *h, int changes)
{
	lines[0] = '\0';
	plan_describe(w, h, changes, collect, NULL);
	return lines;
}

static void test_same(void)
{
	struct carp_conf w, set;
	struct carp_info h;

	have_init(&h);
	want_init(&w);
	if (plan_diff(&w, 2, &h, &set) != 0)
		fail("same device: changes");
	/* add's defaults: advskew 0, advbase 1 */
	h.advskew = h.nodes[0].advskew = 0;
	w.advskew = -1;
	if (plan_diff(&w, 2, &h, &set) != 0)
		fail("defaults: changes");
}

static void test_advskew(void)
{
	struct carp_conf w, set;
	struct carp_info h;
	int ch;

	have_init(&h);
	want_init(&w);
	w.advskew = 150;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != PLAN_ADVSKEW)
		fail("advskew: changes %#x", ch);
	if (set.advskew != 150 || set.vhid >= 0 || set.advbase >= 0 ||
	    set.naddrs || set.has_key || set.has_peer || set.nnodes ||
	    set.balancing >= 0 || strcmp(set.ifname, "carp1"))
		fail("advskew: the set carries more than advskew");
	check_str("advskew phrase", describe(&w, &h, ch),
		  "advskew 100 -> 150\n");
}

static void test_link(void)
{
	struct carp_conf w, set;
	struct carp_info h;

	have_init(&h);
	want_init(&w);
	if (plan_diff(&w, 3, &h, &set) != PLAN_LINK)
		fail("parent change is not PLAN_LINK");
}

static void test_addrs_key_peer(void)
{
	struct carp_conf w, set;
	struct carp_info h;
	int ch;

	have_init(&h);
	want_init(&w);
	w.addrs = &addrs[1];
	w.naddrs = 2;
	w.has_key = true;
	w.keylen = 3;
	memcpy(w.key, "abc", 3);
	w.has_peer = true;
	w.peers.n = 1;
	inet_pton(AF_INET, "10.0.0.3", &w.peers.addr[0]);
	w.advbase = 0;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != (PLAN_ADDRS | PLAN_KEY | PLAN_PEER | PLAN_ADVBASE))
		fail("addrs, key, peer, advbase: changes %#x", ch);
	if (set.naddrs != 2 || set.keylen != 3 || !set.has_peer ||
	    set.advbase != 0)
		fail("addrs, key, peer, advbase: the set");
	check_str("phrases", describe(&w, &h, ch),
		  "advbase 1 -> 0\n"
		  "peer none -> 10.0.0.3\n"
		  "pass (sent again: a key cannot be read back)\n"
		  "addresses +10.0.0.5/24 +2001:db8::5/64 -10.0.0.1/24\n");
	/* a key the line does not give is taken away */
	want_init(&w);
	h.has_key = true;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != PLAN_KEY_DEL || !set.has_key || set.keylen)
		fail("key removal: changes %#x", ch);
}

/*
 * Peer lists: the same list is no change, another order is (the order is
 * the wire's), a family the line leaves out goes back to none, and undo
 * restores the whole list.
 */
static void test_peer_lists(void)
{
	struct carp_conf w, set, undo;
	struct carp_info h;
	char buf[256];
	int ch;

	have_init(&h);
	h.peers.n = 2;
	inet_pton(AF_INET, "10.0.0.2", &h.peers.addr[0]);
	inet_pton(AF_INET, "10.0.0.3", &h.peers.addr[1]);
	h.peers.n6 = 1;
	inet_pton(AF_INET6, "fe80::3", &h.peers.addr6[0]);
	want_init(&w);
	w.has_peer = w.has_peer6 = true;
	w.peers = h.peers;
	if (plan_diff(&w, 2, &h, &set) != 0)
		fail("same peers: changes");
	w.peers.addr[0] = h.peers.addr[1];
	w.peers.addr[1] = h.peers.addr[0];
	inet_pton(AF_INET, "10.0.0.4", &w.peers.addr[2]);
	w.peers.n = 3;
	w.has_peer6 = false;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != (PLAN_PEER | PLAN_PEER6) || !set.has_peer ||
	    set.peers.n != 3 || !set.has_peer6 || set.peers.n6)
		fail("peer lists: changes %#x", ch);
	check_str("peer list phrases", describe(&w, &h, ch),
		  "peer 10.0.0.2,10.0.0.3 -> 10.0.0.3,10.0.0.2,10.0.0.4\n"
		  "peer6 fe80::3 -> none\n");
	plan_undo(&h, ch, &undo);
	if (!undo.has_peer || undo.peers.n != 2 ||
	    undo.peers.addr[1].s_addr != h.peers.addr[1].s_addr ||
	    !undo.has_peer6 || undo.peers.n6 != 1)
		fail("peer lists undo");
	plan_format_add(&w, "eth0", buf, sizeof(buf));
	check_str("add line with peers", buf,
		  "dev eth0 vhid 1 advskew 100 advbase 1 peer 10.0.0.3,10.0.0.2,10.0.0.4 10.0.0.1/24");
}

static void test_nodes(void)
{
	struct carp_node_info n[2] = { { .vhid = 3, .advskew = 0 },
				       { .vhid = 2, .advskew = 100 } };
	struct carp_conf w, set, undo;
	struct carp_info h;
	int ch;

	have_init(&h);
	h.nodes = n;
	h.nnodes = 2;
	h.balancing = CARP_BAL_IP;
	want_init(&w);
	w.vhid = w.advskew = -1;
	w.nnodes = 2;
	w.nodes[0] = (struct vhid_skew){ 2, 100 };
	w.nodes[1] = (struct vhid_skew){ 3, 0 };
	if (plan_diff(&w, 2, &h, &set) != 0)
		fail("carpnodes in another order: changes");
	w.nodes[1].advskew = 50;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != PLAN_NODES || set.nnodes != 2)
		fail("carpnodes advskew: changes %#x", ch);
	check_str("carpnodes phrase", describe(&w, &h, ch),
		  "carpnodes 2:100,3:0 -> 2:100,3:50\n");
	plan_undo(&h, ch, &undo);
	if (undo.nnodes != 2 || undo.nodes[1].advskew != 0 || undo.vhid >= 0)
		fail("carpnodes undo");
	w.nodes[1].vhid = 4;
	w.balancing = CARP_BAL_IP_STEALTH;
	ch = plan_diff(&w, 2, &h, &set);
	check_str("new identity", describe(&w, &h, ch),
		  "carpnodes 2:100,3:0 -> 2:100,4:50 (new identity: restarts from INIT)\n"
		  "balancing ip -> ip-stealth (new identity: restarts from INIT)\n");
}

static void test_format_add(void)
{
	struct carp_conf w;
	char buf[256];

	want_init(&w);
	w.has_key = true;
	w.keylen = 1;
	plan_format_add(&w, "eth0", buf, sizeof(buf));
	check_str("add line", buf,
		  "dev eth0 vhid 1 advskew 100 advbase 1 pass * 10.0.0.1/24");
	plan_format_add(&w, "eth0", buf, 12);
	check_str("add line cut short", buf, "dev eth0 vh");
}

/* carp1 as a VRRPv3 device: VRID 1, add's defaults, as the kernel has it. */
static void have_vrrp(struct carp_info *ci)
{
	have_init(ci);
	ci->version = CARP_PROTO_VRRP;
	ci->advskew = ci->nodes[0].advskew = 0;
	ci->vrrp_prio = 100;
	ci->vrrp_interval = 100;
	ci->vrrp_preempt = true;
	ci->vrrp_accept = 0;
	ci->vrrp_family = CARP_VRRP_FAMILY_INET;
}

static void want_vrrp(struct carp_conf *c)
{
	want_init(c);
	c->advskew = -1;
	c->version = CARP_PROTO_VRRP;
}

/*
 * VRRPv3: an unchanged line is no change (add's defaults, and no advbase
 * or advskew to compare); each setting is a set of its own word, undone
 * by the old value; a new carpver cannot be made in place.
 */
static void test_vrrp(void)
{
	struct carp_conf w, set, undo;
	struct carp_info h;
	char buf[256];
	int ch;

	have_vrrp(&h);
	want_vrrp(&w);
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != 0)
		fail("same VRRPv3 device: changes %#x", ch);
	/* the kernel's CARP fields of a VRRPv3 device count for nothing */
	h.advbase = 7;
	h.advskew = h.nodes[0].advskew = 9;
	w.vrrp_prio = 100;
	w.vrrp_interval = 100;
	w.vrrp_preempt = 1;
	w.vrrp_accept = 0;
	w.vrrp_family = CARP_VRRP_FAMILY_INET;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != 0)
		fail("VRRPv3 with its defaults given: changes %#x", ch);
	w.vrrp_prio = 200;
	w.vrrp_interval = 50;
	w.vrrp_preempt = 0;
	w.vrrp_accept = 1;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != (PLAN_VRRP_PRIO | PLAN_VRRP_INTERVAL | PLAN_VRRP_PREEMPT |
		   PLAN_VRRP_ACCEPT))
		fail("VRRPv3 settings: changes %#x", ch);
	if (set.vrrp_prio != 200 || set.vrrp_interval != 50 ||
	    set.vrrp_preempt != 0 || set.vrrp_accept != 1 ||
	    set.vrrp_family >= 0 || set.version >= 0 || set.advskew >= 0 ||
	    set.advbase >= 0 || set.vhid >= 0 || set.has_key ||
	    set.has_peer || set.has_peer6)
		fail("VRRPv3 settings: the set carries more than they");
	check_str("VRRPv3 phrases", describe(&w, &h, ch),
		  "vrrpprio 100 -> 200\n"
		  "vrrpinterval 100 -> 50\n"
		  "vrrppreempt on -> off\n"
		  "vrrpaccept off -> on\n");
	plan_undo(&h, ch, &undo);
	if (undo.vrrp_prio != 100 || undo.vrrp_interval != 100 ||
	    undo.vrrp_preempt != 1 || undo.vrrp_accept != 0 ||
	    undo.vrrp_family >= 0 || undo.version >= 0)
		fail("VRRPv3 undo");
	w.vhid = 2;
	ch = plan_diff(&w, 2, &h, &set);
	if (!(ch & PLAN_VHID) || (ch & PLAN_ADVSKEW) || set.advskew >= 0)
		fail("VRRPv3 new VRID: changes %#x, advskew %d", ch,
		     set.advskew);
	plan_format_add(&w, "eth0", buf, sizeof(buf));
	check_str("VRRPv3 add line", buf,
		  "dev eth0 vhid 2 carpver 3 vrrpfamily inet vrrpprio 200 vrrpinterval 50 vrrppreempt off vrrpaccept on 10.0.0.1/24");
	/* CARP to VRRPv3 and back: added again, never a set */
	want_init(&w);
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != PLAN_VERSION)
		fail("VRRPv3 device, CARP line: changes %#x", ch);
	have_init(&h);
	want_vrrp(&w);
	ch = plan_diff(&w, 3, &h, &set);
	if (ch != (PLAN_VERSION | PLAN_LINK))
		fail("CARP device, VRRPv3 line on a new parent: changes %#x",
		     ch);
	if (!(ch & PLAN_RECREATE))
		fail("a new carpver is not made again");
}

/*
 * A VRRPv3 device's family: fixed at creation, so a line of the other
 * family adds the device again (whether vrrpfamily or its addresses say
 * it); a line of the same family, said or not, changes nothing. A module
 * that does not report Accept_Mode (-1) is never asked to change it.
 */
static void test_vrrp_family(void)
{
	struct carp_conf w, set;
	struct carp_info h;
	char buf[256];
	int ch;

	have_vrrp(&h);
	h.addrs = &addrs[2];
	h.naddrs = 2;
	h.vrrp_family = CARP_VRRP_FAMILY_INET6;
	want_vrrp(&w);
	w.addrs = &addrs[2];
	w.naddrs = 2;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != 0)
		fail("same VRRPv3 IPv6 device, family from the addresses: changes %#x",
		     ch);
	w.vrrp_family = CARP_VRRP_FAMILY_INET6;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != 0)
		fail("same VRRPv3 IPv6 device, vrrpfamily inet6: changes %#x",
		     ch);
	plan_format_add(&w, "eth0", buf, sizeof(buf));
	check_str("VRRPv3 IPv6 add line", buf,
		  "dev eth0 vhid 1 carpver 3 vrrpfamily inet6 vrrpprio 100 vrrpinterval 100 vrrppreempt on vrrpaccept off 2001:db8::5/64 fe80::1/64");
	if (plan_vrrp_family(&w) != CARP_VRRP_FAMILY_INET6)
		fail("plan_vrrp_family: %d, want 6", plan_vrrp_family(&w));
	/* the IPv4 line of the same name: made again, nothing else */
	want_vrrp(&w);
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != PLAN_VRRP_FAMILY || !(ch & PLAN_RECREATE))
		fail("VRRPv3 IPv6 device, IPv4 line: changes %#x", ch);
	if (plan_vrrp_family(&w) != CARP_VRRP_FAMILY_INET)
		fail("plan_vrrp_family of an IPv4 line: %d", plan_vrrp_family(&w));
	want_init(&w);
	if (plan_vrrp_family(&w) != 0)
		fail("plan_vrrp_family of a CARP line: %d", plan_vrrp_family(&w));
	/* a CARP line for it: a new carpver, the family is no question */
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != PLAN_VERSION)
		fail("VRRPv3 IPv6 device, CARP line: changes %#x", ch);

	have_vrrp(&h);
	want_vrrp(&w);
	h.vrrp_accept = -1;
	w.vrrp_accept = 1;
	ch = plan_diff(&w, 2, &h, &set);
	if (ch != 0 || set.vrrp_accept >= 0)
		fail("Accept_Mode not reported: changes %#x", ch);
}

int main(void)
{
	if (parse_prefix("10.0.0.1/24", &addrs[0]) ||
	    parse_prefix("10.0.0.5/24", &addrs[1]) ||
	    parse_prefix("2001:db8::5/64", &addrs[2]) ||
	    parse_prefix("fe80::1/64", &addrs[3]))
		return 2;
	test_same();
	test_advskew();
	test_link();
	test_addrs_key_peer();
	test_peer_lists();
	test_nodes();
	test_format_add();
	test_vrrp();
	test_vrrp_family();
	return harness_end("test_plan");
}
