// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: checks of what show, monitor and watch make of the kernel's
 * answers (make test), with the netlink calls replaced by fixtures: the
 * table and JSON of show for an ordinary device (from a module with and
 * without CARP_A_NODES) and a load-balanced one, the Prometheus output of
 * stats (every counter in a family, a name to escape, a load-balanced
 * device, the namespace, VRRPv3 devices), monitor's lines, and which scripts watch runs,
 * with what environment, as the vhids of a device change state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../cmd_show.c"
#include "../cmd_monitor.c"
#include "../cmd_watch.c"
#include "../prom.c"
#include "harness.h"

struct carpctl_opts opts;

/* ------------------------------------------------------------------ */
/* What carpctl would have asked the kernel. */

static struct carp_list fixture;

int nl_open(void)
{
	return 0;
}

/* The fixture's devices, shared: carp_info_free() leaves them be. */
int nl_dump_devices(struct carp_list *out)
{
	/* as nl.c's: an empty dump allocates nothing */
	out->v = NULL;
	out->n = 0;
	if (!fixture.n)
		return 0;
	out->v = malloc(fixture.n * sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	memcpy(out->v, fixture.v, fixture.n * sizeof(*out->v));
	out->n = fixture.n;
	return 0;
}

int nl_get_device(const char *ifname, struct carp_info *out)
{
	size_t i;

	for (i = 0; i < fixture.n; i++) {
		if (!strcmp(fixture.v[i].ifname, ifname)) {
			*out = fixture.v[i];
			return 0;
		}
	}
	return -ENODEV;
}

/* The namespace, if a check sets one; else GET_NET fails. */
static const struct carp_netinfo *net_fixture;

int nl_get_net(struct carp_netinfo *out)
{
	if (!net_fixture)
		return -EOPNOTSUPP;
	*out = *net_fixture;
	return 0;
}

void carp_info_free(struct carp_info *ci)
{
	(void)ci;
}

void carp_list_free(struct carp_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int nl_monitor_open(void)
{
	return 0;
}

int nl_monitor_fd(void)
{
	return -1;
}

int nl_monitor_read(int (*fn)(const struct carp_event *ev, void *arg),
		    void *arg)
{
	(void)fn;
	(void)arg;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fixtures. */

static struct carp_node_info nodes3[] = {
	{ .vhid = 1, .advskew = 0, .state = CARP_STATE_MASTER,
	  .reason = CARP_REASON_MASTER_DOWN, .has_last_change = true,
	  .last_change_ms = 3200, .last_reason = "master timed out" },
	{ .vhid = 2, .advskew = 100, .state = CARP_STATE_BACKUP,
	  .reason = CARP_REASON_LINK_UP, .has_last_change = true,
	  .last_change_ms = 65000, .last_reason = "link up" },
	{ .vhid = 30, .advskew = 200, .state = CARP_STATE_BACKUP,
	  .reason = CARP_REASON_PREEMPTED, .has_last_change = true,
	  .last_change_ms = 11100000,
	  .last_reason = "preempted by a better master" },
};

static struct carp_node_info node1[] = {
	{ .vhid = 9, .advskew = 20, .state = CARP_STATE_MASTER,
	  .reason = CARP_REASON_MASTER_DOWN, .has_last_change = true,
	  .last_change_ms = 4000, .last_reason = "master timed out" },
};

static struct carp_node_info node7[] = {
	{ .vhid = 7, .advskew = 100, .state = CARP_STATE_BACKUP,
	  .reason = CARP_REASON_LINK_UP, .has_last_change = true,
	  .last_change_ms = 12345, .last_reason = "link up" },
};

static struct carp_node_info node5[] = {
	{ .vhid = 5, .advskew = 0, .state = CARP_STATE_INIT, .reason = -1 },
};

static struct carp_addr addr0 = { .plen = 24 };
static struct carp_addr addr1 = { .plen = 24 };
static struct carp_addr addr2 = { .plen = 32 };
/* fe80::1/64 and 2001:db8::1/64, as the kernel lists them */
static struct carp_addr addrs6[] = {
	{ .v6 = true, .plen = 64,
	  .addr6 = { .s6_addr = { 0xfe, 0x80, [15] = 1 } } },
	{ .v6 = true, .plen = 64,
	  .addr6 = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } } },
};

/*
 * carp0: three vhids, balancing ip; carp1 and carp2: one vhid each. In
 * the dump's order (not by name: show sorts).
 */
static struct carp_info devs[] = {
	{ .ifname = "carp1", .ifindex = 6, .vhid = 7, .advbase = 1,
	  .advskew = 100, .state = CARP_STATE_BACKUP,
	  .vmac = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x07 },
	  .addrs = &addr1, .naddrs = 1,
	  .has_last_change = true, .last_change_ms = 12345,
	  .last_reason = "link up", .balancing = CARP_BAL_NONE,
	  .lladdr = CARP_LLADDR_VIRTUAL, .version = CARP_PROTO_CARP,
	  .nodes = node7, .nnodes = ARRAY_SIZE(node7) },
	{ .ifname = "carp0", .ifindex = 5, .vhid = 1, .advbase = 1,
	  .advskew = 0, .state = CARP_STATE_MASTER, .has_key = true,
	  .vmac = { 0x01, 0x00, 0x5e, 0x00, 0x01, 0x01 },
	  .addrs = &addr0, .naddrs = 1,
	  .has_last_change = true, .last_change_ms = 3200,
	  .last_reason = "master timed out", .balancing = CARP_BAL_IP,
	  .version = CARP_PROTO_CARP,
	  .nodes = nodes3, .nnodes = ARRAY_SIZE(nodes3) },
	{ .ifname = "carp2", .ifindex = 7, .vhid = 9, .advbase = 2,
	  .advskew = 20, .state = CARP_STATE_MASTER,
	  .vmac = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x09 },
	  .addrs = &addr2, .naddrs = 1,
	  .has_last_change = true, .last_change_ms = 4000,
	  .last_reason = "master timed out", .balancing = CARP_BAL_NONE,
	  .version = CARP_PROTO_CARP,
	  .nodes = node1, .nnodes = ARRAY_SIZE(node1) },
};

/*
 * VRRPv3 devices: vrrp0, a BACKUP that has heard its master; vrrp1, a
 * MASTER without preemption, accepting, no master's interval yet; vrrp6,
 * IPv6's (a link-local address and a global one), VRID 1 as vrrp0's. The
 * kernel's CARP fields (advbase 1, advskew 0) are not shown.
 */
static struct carp_node_info vnode1[] = {
	{ .vhid = 1, .advskew = 0, .state = CARP_STATE_BACKUP,
	  .reason = CARP_REASON_LINK_UP, .has_last_change = true,
	  .last_change_ms = 12345, .last_reason = "link up" },
};

static struct carp_node_info vnode2[] = {
	{ .vhid = 20, .advskew = 0, .state = CARP_STATE_MASTER,
	  .reason = CARP_REASON_MASTER_DOWN, .has_last_change = true,
	  .last_change_ms = 4000, .last_reason = "master timed out" },
};

static struct carp_info vdevs[] = {
	{ .ifname = "vrrp0", .ifindex = 8, .vhid = 1, .advbase = 1,
	  .advskew = 0, .state = CARP_STATE_BACKUP,
	  .vmac = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x01 },
	  .addrs = &addr1, .naddrs = 1,
	  .has_last_change = true, .last_change_ms = 12345,
	  .last_reason = "link up", .balancing = CARP_BAL_NONE,
	  .lladdr = CARP_LLADDR_VIRTUAL, .version = CARP_PROTO_VRRP,
	  .vrrp_prio = 200, .vrrp_interval = 100, .vrrp_preempt = true,
	  .vrrp_family = CARP_VRRP_FAMILY_INET, .vrrp_master_interval = 50,
	  .nodes = vnode1, .nnodes = ARRAY_SIZE(vnode1) },
	{ .ifname = "vrrp1", .ifindex = 9, .vhid = 20, .advbase = 1,
	  .advskew = 0, .state = CARP_STATE_MASTER,
	  .vmac = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x14 },
	  .addrs = &addr2, .naddrs = 1,
	  .has_last_change = true, .last_change_ms = 4000,
	  .last_reason = "master timed out", .balancing = CARP_BAL_NONE,
	  .lladdr = CARP_LLADDR_VIRTUAL, .version = CARP_PROTO_VRRP,
	  .vrrp_prio = 255, .vrrp_interval = 4095, .vrrp_preempt = false,
	  .vrrp_accept = 1, .vrrp_family = CARP_VRRP_FAMILY_INET,
	  .nodes = vnode2, .nnodes = ARRAY_SIZE(vnode2) },
	{ .ifname = "vrrp6", .ifindex = 10, .vhid = 1, .advbase = 1,
	  .advskew = 0, .state = CARP_STATE_BACKUP,
	  .vmac = { 0x00, 0x00, 0x5e, 0x00, 0x02, 0x01 },
	  .addrs = addrs6, .naddrs = ARRAY_SIZE(addrs6),
	  .has_last_change = true, .last_change_ms = 12345,
	  .last_reason = "link up", .balancing = CARP_BAL_NONE,
	  .lladdr = CARP_LLADDR_VIRTUAL, .version = CARP_PROTO_VRRP,
	  .vrrp_prio = 100, .vrrp_interval = 100, .vrrp_preempt = true,
	  .vrrp_family = CARP_VRRP_FAMILY_INET6, .vrrp_master_interval = 100,
	  .nodes = vnode1, .nnodes = ARRAY_SIZE(vnode1) },
};

static void fixtures(void)
{
	addr0.addr.s_addr = htonl(0x0a000001);
	addr1.addr.s_addr = htonl(0x0a000101);
	addr2.addr.s_addr = htonl(0x0a000201);
	fixture.v = devs;
	fixture.n = ARRAY_SIZE(devs);
}

/* ------------------------------------------------------------------ */

/* What `carpctl [-j] show [NAME]` prints, malloc'ed. */
static char *show(bool json, const char *name)
{
	char *argv[] = { (char *)name, NULL };
	struct capture out;
	int rc;

	capture_begin(&out, &stdout);
	opts.json = json;
	rc = cmd_show(name ? 1 : 0, argv);
	if (rc)
		fail("show %s: status %d", name ? name : "", rc);
	return capture_end(&out);
}

static void check_show(void)
{
	char *out;

	/* the first two rows are exactly what an ordinary device had */
	out = show(false, NULL);
	check_str("show",
		  out,
	      "NAME   DEV  VHID  ADVBASE  ADVSKEW  STATE   ADDRESSES    CHANGED    REASON\n"
	      "carp0  -    1     1        0        MASTER  10.0.0.1/24  3.2s ago   master timed out\n"
	      "  carpnodes 1:0,2:100,30:200 balancing ip\n"
	      "  vhid 1   MASTER  3.2s ago   master timed out\n"
	      "  vhid 2   BACKUP  1m05s ago  link up\n"
	      "  vhid 30  BACKUP  3h05m ago  preempted by a better master\n"
	      "carp1  -    7     1        100      BACKUP  10.0.1.1/24  12.3s ago  link up\n"
	      "carp2  -    9     2        20       MASTER  10.0.2.1/32  4.0s ago   master timed out\n");
	free(out);

	/* no device: nothing, from an empty dump (no array at all) */
	fixture.n = 0;
	out = show(false, NULL);
	check_str("show, no device", out, "");
	free(out);
	out = show(true, NULL);
	check_str("-j show, no device", out, "[]\n");
	free(out);
	fixture.n = ARRAY_SIZE(devs);

	out = show(false, "carp1");
	check_str("show carp1 (one node, no key)", out,
		  "NAME   DEV  VHID  ADVBASE  ADVSKEW  STATE   ADDRESSES    CHANGED    REASON\n"
	      "carp1  -    7     1        100      BACKUP  10.0.1.1/24  12.3s ago  link up\n");
	free(out);

	out = show(false, "carp2");
	check_str("show carp2 (one node, balancing none)", out,
		  "NAME   DEV  VHID  ADVBASE  ADVSKEW  STATE   ADDRESSES    CHANGED   REASON\n"
	      "carp2  -    9     2        20       MASTER  10.0.2.1/32  4.0s ago  master timed out\n");
	free(out);

	out = show(true, "carp0");
	check_str("-j show carp0", out,
		  "[{\"ifname\":\"carp0\",\"dev\":null,\"vhid\":1,\"carpver\":2,\"advbase\":1,"
	      "\"advskew\":0,\"state\":\"MASTER\",\"vmac\":\"01:00:5e:00:01:01\","
	      "\"lladdr\":\"virtual\",\"auth\":true,\"addresses\":[\"10.0.0.1/24\"],\"peer\":null,"
	      "\"peer6\":null,\"peers\":[],\"peers6\":[],\"demote\":0,\"last_change_ms\":3200,"
	      "\"last_reason\":\"master timed out\",\"balancing\":\"ip\","
	      "\"nodes\":["
	      "{\"vhid\":1,\"advskew\":0,\"state\":\"MASTER\","
	      "\"last_change_ms\":3200,\"last_reason\":\"master timed out\","
	      "\"reason\":\"master-down\"},"
	      "{\"vhid\":2,\"advskew\":100,\"state\":\"BACKUP\","
	      "\"last_change_ms\":65000,\"last_reason\":\"link up\","
	      "\"reason\":\"link-up\"},"
	      "{\"vhid\":30,\"advskew\":200,\"state\":\"BACKUP\","
	      "\"last_change_ms\":11100000,"
	      "\"last_reason\":\"preempted by a better master\","
	      "\"reason\":\"preempted\"}]}]\n");
	free(out);

	out = show(true, "carp1");
	check_str("-j show carp1", out,
		  "[{\"ifname\":\"carp1\",\"dev\":null,\"vhid\":7,\"carpver\":2,\"advbase\":1,"
	      "\"advskew\":100,\"state\":\"BACKUP\",\"vmac\":\"00:00:5e:00:01:07\","
	      "\"lladdr\":\"virtual\",\"auth\":false,\"addresses\":[\"10.0.1.1/24\"],\"peer\":null,"
	      "\"peer6\":null,\"peers\":[],\"peers6\":[],\"demote\":0,\"last_change_ms\":12345,"
	      "\"last_reason\":\"link up\",\"balancing\":\"none\",\"nodes\":[{\"vhid\":7,\"advskew\":100,\"state\":\"BACKUP\",\"last_change_ms\":12345,\"last_reason\":\"link up\",\"reason\":\"link-up\"}]}]\n");
	free(out);

	out = show(true, "carp2");
	check_str("-j show carp2", out,
		  "[{\"ifname\":\"carp2\",\"dev\":null,\"vhid\":9,\"carpver\":2,\"advbase\":2,"
	      "\"advskew\":20,\"state\":\"MASTER\",\"vmac\":\"00:00:5e:00:01:09\","
	      "\"lladdr\":\"virtual\",\"auth\":false,\"addresses\":[\"10.0.2.1/32\"],\"peer\":null,"
	      "\"peer6\":null,\"peers\":[],\"peers6\":[],\"demote\":0,\"last_change_ms\":4000,"
	      "\"last_reason\":\"master timed out\",\"balancing\":\"none\","
	      "\"nodes\":[{\"vhid\":9,\"advskew\":20,\"state\":\"MASTER\","
	      "\"last_change_ms\":4000,\"last_reason\":\"master timed out\","
	      "\"reason\":\"master-down\"}]}]\n");
	free(out);

	/* with the parent's MAC: a column of its own, in every row */
	devs[2].lladdr = CARP_LLADDR_PARENT;
	memcpy(devs[2].vmac, "\x52\x54\x00\x12\x34\x56", 6);
	out = show(false, NULL);
	check_str("show, carp2 with lladdr parent", out,
		  "NAME   DEV  VHID  ADVBASE  ADVSKEW  STATE   LLADDR   ADDRESSES    CHANGED    REASON\n"
	      "carp0  -    1     1        0        MASTER  virtual  10.0.0.1/24  3.2s ago   master timed out\n"
	      "  carpnodes 1:0,2:100,30:200 balancing ip\n"
	      "  vhid 1   MASTER  3.2s ago   master timed out\n"
	      "  vhid 2   BACKUP  1m05s ago  link up\n"
	      "  vhid 30  BACKUP  3h05m ago  preempted by a better master\n"
	      "carp1  -    7     1        100      BACKUP  virtual  10.0.1.1/24  12.3s ago  link up\n"
	      "carp2  -    9     2        20       MASTER  parent   10.0.2.1/32  4.0s ago   master timed out\n");
	free(out);
	out = show(true, "carp2");
	check_str("-j show carp2, lladdr parent", out,
		  "[{\"ifname\":\"carp2\",\"dev\":null,\"vhid\":9,\"carpver\":2,\"advbase\":2,"
	      "\"advskew\":20,\"state\":\"MASTER\",\"vmac\":\"52:54:00:12:34:56\","
	      "\"lladdr\":\"parent\",\"auth\":false,\"addresses\":[\"10.0.2.1/32\"],"
	      "\"peer\":null,\"peer6\":null,\"peers\":[],\"peers6\":[],\"demote\":0,\"last_change_ms\":4000,"
	      "\"last_reason\":\"master timed out\",\"balancing\":\"none\","
	      "\"nodes\":[{\"vhid\":9,\"advskew\":20,\"state\":\"MASTER\","
	      "\"last_change_ms\":4000,\"last_reason\":\"master timed out\","
	      "\"reason\":\"master-down\"}]}]\n");
	free(out);
	devs[2].lladdr = CARP_LLADDR_VIRTUAL;
	memcpy(devs[2].vmac, "\x00\x00\x5e\x00\x01\x09", 6);

	/* peer lists: every peer in the table; the first as "peer" in JSON */
	devs[0].peers.n = 2;
	devs[0].peers.addr[0].s_addr = htonl(0x0a000102);
	devs[0].peers.addr[1].s_addr = htonl(0x0a000103);
	devs[0].peers.n6 = 1;
	inet_pton(AF_INET6, "fe80::3", &devs[0].peers.addr6[0]);
	out = show(false, "carp1");
	check_str("show carp1 with peers", out,
		  "NAME   DEV  VHID  ADVBASE  ADVSKEW  STATE   ADDRESSES    PEER               PEER6    CHANGED    REASON\n"
	      "carp1  -    7     1        100      BACKUP  10.0.1.1/24  10.0.1.2,10.0.1.3  fe80::3  12.3s ago  link up\n");
	free(out);
	out = show(true, "carp1");
	check_str("-j show carp1 with peers", out,
		  "[{\"ifname\":\"carp1\",\"dev\":null,\"vhid\":7,\"carpver\":2,\"advbase\":1,"
	      "\"advskew\":100,\"state\":\"BACKUP\",\"vmac\":\"00:00:5e:00:01:07\","
	      "\"lladdr\":\"virtual\",\"auth\":false,\"addresses\":[\"10.0.1.1/24\"],\"peer\":\"10.0.1.2\","
	      "\"peer6\":\"fe80::3\",\"peers\":[\"10.0.1.2\",\"10.0.1.3\"],\"peers6\":[\"fe80::3\"],"
	      "\"demote\":0,\"last_change_ms\":12345,"
	      "\"last_reason\":\"link up\",\"balancing\":\"none\",\"nodes\":[{\"vhid\":7,\"advskew\":100,\"state\":\"BACKUP\",\"last_change_ms\":12345,\"last_reason\":\"link up\",\"reason\":\"link-up\"}]}]\n");
	free(out);
	memset(&devs[0].peers, 0, sizeof(devs[0].peers));

	/* balancing arp: the word, in both forms */
	devs[1].balancing = CARP_BAL_ARP;
	out = show(false, "carp0");
	if (!strstr(out, "\n  carpnodes 1:0,2:100,30:200 balancing arp\n"))
		fail("show carp0, balancing arp: %s", out);
	free(out);
	out = show(true, "carp0");
	if (!strstr(out, ",\"balancing\":\"arp\","))
		fail("-j show carp0, balancing arp: %s", out);
	free(out);
	devs[1].balancing = CARP_BAL_IP;
}

/*
 * VRRPv3 devices: "-" for ADVBASE and ADVSKEW and a line of their own
 * under the row; beside a CARP device, whose row stays as it was. In
 * JSON carpver 3, null advbase and advskew, and VRRPv3's own keys: its
 * family, as ip(8) words it, and its modes as booleans.
 */
static void check_show_vrrp(void)
{
	struct carp_info v[4] = { vdevs[1], devs[2], vdevs[2], vdevs[0] };
	char *out;

	fixture.v = v;
	fixture.n = ARRAY_SIZE(v);
	out = show(false, NULL);
	check_str("show, VRRPv3 and CARP", out,
		  "NAME   DEV  VHID  ADVBASE  ADVSKEW  STATE   ADDRESSES                  CHANGED    REASON\n"
	      "carp2  -    9     2        20       MASTER  10.0.2.1/32                4.0s ago   master timed out\n"
	      "vrrp0  -    1     -        -        BACKUP  10.0.1.1/24                12.3s ago  link up\n"
	      "  vrrp3 inet vrid 1 prio 200 interval 100cs preempt on accept off master-interval 50cs\n"
	      "vrrp1  -    20    -        -        MASTER  10.0.2.1/32                4.0s ago   master timed out\n"
	      "  vrrp3 inet vrid 20 prio 255 interval 4095cs preempt off accept on\n"
	      "vrrp6  -    1     -        -        BACKUP  fe80::1/64,2001:db8::1/64  12.3s ago  link up\n"
	      "  vrrp3 inet6 vrid 1 prio 100 interval 100cs preempt on accept off master-interval 100cs\n");
	free(out);
	out = show(true, "vrrp0");
	check_str("-j show vrrp0", out,
		  "[{\"ifname\":\"vrrp0\",\"dev\":null,\"vhid\":1,\"carpver\":3,"
	      "\"vrrpfamily\":\"inet\",\"advbase\":null,\"advskew\":null,"
	      "\"vrrpprio\":200,\"vrrpinterval\":100,\"vrrppreempt\":true,"
	      "\"vrrpaccept\":false,\"vrrp_master_interval\":50,"
	      "\"state\":\"BACKUP\","
	      "\"vmac\":\"00:00:5e:00:01:01\",\"lladdr\":\"virtual\","
	      "\"auth\":false,\"addresses\":[\"10.0.1.1/24\"],\"peer\":null,"
	      "\"peer6\":null,\"peers\":[],\"peers6\":[],\"demote\":0,"
	      "\"last_change_ms\":12345,\"last_reason\":\"link up\","
	      "\"balancing\":\"none\",\"nodes\":[{\"vhid\":1,\"advskew\":null,"
	      "\"state\":\"BACKUP\",\"last_change_ms\":12345,"
	      "\"last_reason\":\"link up\",\"reason\":\"link-up\"}]}]\n");
	free(out);
	out = show(true, "vrrp1");
	if (!strstr(out, ",\"vrrpprio\":255,\"vrrpinterval\":4095,"
		    "\"vrrppreempt\":false,\"vrrpaccept\":true,"
		    "\"vrrp_master_interval\":null,"))
		fail("-j show vrrp1: %s", out);
	free(out);
	out = show(true, "vrrp6");
	if (!strstr(out, "\"carpver\":3,\"vrrpfamily\":\"inet6\",") ||
	    !strstr(out, ",\"addresses\":[\"fe80::1/64\",\"2001:db8::1/64\"],"))
		fail("-j show vrrp6: %s", out);
	free(out);
	/* a CARP device has none of them */
	out = show(true, "carp2");
	if (strstr(out, "vrrpfamily") || strstr(out, "vrrpaccept"))
		fail("-j show carp2: VRRPv3's keys: %s", out);
	free(out);
	/* a module before Accept_Mode was a setting: its MASTER accepts */
	v[0].vrrp_accept = -1;
	out = show(true, "vrrp1");
	if (!strstr(out, ",\"vrrpaccept\":true,"))
		fail("-j show vrrp1, accept not reported: %s", out);
	free(out);
	fixture.v = devs;
	fixture.n = ARRAY_SIZE(devs);
}


/* ------------------------------------------------------------------ */
/* stats -o prometheus */

/* 2025-06-01T12:00:00.123Z, the time of the answers */
#define PROM_NOW_MS	1748779200123ULL

/* Every counter carpctl has a name for is in some family. */
static void check_prom_families(void)
{
	int s;

	for (s = 0; s <= CARP_STAT_MAX; s++)
		if (carp_stat_str(s) && !prom_stats[s].family)
			fail("prometheus: counter %s has no family",
			     carp_stat_str(s));
}

/* Label values: the format's three escapes, and U+FFFD for a bad byte. */
static void check_prom_escape(void)
{
	struct capture out;
	char *buf;

	capture_begin(&out, &stdout);
	prom_label_value(stdout, "a\"b\\c\nd");
	prom_label_value(stdout, "x\xff" "y\xc3\xa9" "z\xe2\x82");
	buf = capture_end(&out);
	check_str("prometheus: label values", buf,
		  "\"a\\\"b\\\\c\\nd\"\"x\xef\xbf\xbdy\xc3\xa9z\xef\xbf\xbd\xef\xbf\xbd\"");
	free(buf);
}

static struct carp_netinfo prom_net = {
	.demotion = 0, .demote = 240,
	.stats = { [CARP_STAT_IPACKETS] = 30, [CARP_STAT_OPACKETS] = 41,
		   [CARP_STAT_BADAUTH] = 5, [CARP_STAT_TRANSITIONS] = 9,
		   [CARP_STAT_BADVHID] = 7, [CARP_STAT_BADIF] = 1 },
};

/*
 * carp0: three vhids, with counters; carp1: one vhid, its counters all 0;
 * a name a label must escape, INIT, with a counter. By name, as stats
 * sorts them.
 */
static void check_prom(void)
{
	struct carp_info v[3] = { devs[1], devs[0] };
	struct carp_list l = { v, ARRAY_SIZE(v) };
	struct capture out;
	char *buf;

	v[0].stats[CARP_STAT_IPACKETS] = 10;
	v[0].stats[CARP_STAT_OPACKETS] = 20;
	v[0].stats[CARP_STAT_OPACKETS6] = 3;
	v[0].stats[CARP_STAT_BADAUTH] = 1;
	v[0].stats[CARP_STAT_TRANSITIONS] = 4;
	v[0].stats[CARP_STAT_CONFLICTS] = 2;
	v[0].stats[CARP_STAT_CONFLICT_MS] = 1530;
	v[0].stats[CARP_STAT_BADVHID] = 99;	/* a device has none */
	v[2] = (struct carp_info){ .ifname = "c\"a\\rp", .vhid = 5,
				   .advbase = 1, .state = CARP_STATE_INIT,
				   .nodes = node5, .nnodes = 1,
				   .stats = { [CARP_STAT_BADSRC] = 2 } };

	capture_begin(&out, &stdout);
	stats_prometheus(stdout, &l, &prom_net, PROM_NOW_MS);
	buf = capture_end(&out);
	check_str("prometheus: devices and namespace", buf,
		  "# HELP carp_state Whether the vhid is in the state of label state (1) or not (0): INIT, BACKUP or MASTER.\n"
	      "# TYPE carp_state gauge\n"
	      "carp_state{device=\"carp0\",vhid=\"1\",state=\"INIT\"} 0\n"
	      "carp_state{device=\"carp0\",vhid=\"1\",state=\"BACKUP\"} 0\n"
	      "carp_state{device=\"carp0\",vhid=\"1\",state=\"MASTER\"} 1\n"
	      "carp_state{device=\"carp0\",vhid=\"2\",state=\"INIT\"} 0\n"
	      "carp_state{device=\"carp0\",vhid=\"2\",state=\"BACKUP\"} 1\n"
	      "carp_state{device=\"carp0\",vhid=\"2\",state=\"MASTER\"} 0\n"
	      "carp_state{device=\"carp0\",vhid=\"30\",state=\"INIT\"} 0\n"
	      "carp_state{device=\"carp0\",vhid=\"30\",state=\"BACKUP\"} 1\n"
	      "carp_state{device=\"carp0\",vhid=\"30\",state=\"MASTER\"} 0\n"
	      "carp_state{device=\"carp1\",vhid=\"7\",state=\"INIT\"} 0\n"
	      "carp_state{device=\"carp1\",vhid=\"7\",state=\"BACKUP\"} 1\n"
	      "carp_state{device=\"carp1\",vhid=\"7\",state=\"MASTER\"} 0\n"
	      "carp_state{device=\"c\\\"a\\\\rp\",vhid=\"5\",state=\"INIT\"} 1\n"
	      "carp_state{device=\"c\\\"a\\\\rp\",vhid=\"5\",state=\"BACKUP\"} 0\n"
	      "carp_state{device=\"c\\\"a\\\\rp\",vhid=\"5\",state=\"MASTER\"} 0\n"
	      "# HELP carp_state_change_timestamp_seconds When the vhid last changed state, in seconds since the epoch.\n"
	      "# TYPE carp_state_change_timestamp_seconds gauge\n"
	      "carp_state_change_timestamp_seconds{device=\"carp0\",vhid=\"1\"} 1748779196.923\n"
	      "carp_state_change_timestamp_seconds{device=\"carp0\",vhid=\"2\"} 1748779135.123\n"
	      "carp_state_change_timestamp_seconds{device=\"carp0\",vhid=\"30\"} 1748768100.123\n"
	      "carp_state_change_timestamp_seconds{device=\"carp1\",vhid=\"7\"} 1748779187.778\n"
	      "# HELP carp_advskew The advertisement skew of the vhid, in 1/256 s.\n"
	      "# TYPE carp_advskew gauge\n"
	      "carp_advskew{device=\"carp0\",vhid=\"1\"} 0\n"
	      "carp_advskew{device=\"carp0\",vhid=\"2\"} 100\n"
	      "carp_advskew{device=\"carp0\",vhid=\"30\"} 200\n"
	      "carp_advskew{device=\"carp1\",vhid=\"7\"} 100\n"
	      "carp_advskew{device=\"c\\\"a\\\\rp\",vhid=\"5\"} 0\n"
	      "# HELP carp_advbase_seconds The advertisement base interval of the device.\n"
	      "# TYPE carp_advbase_seconds gauge\n"
	      "carp_advbase_seconds{device=\"carp0\"} 1\n"
	      "carp_advbase_seconds{device=\"carp1\"} 1\n"
	      "carp_advbase_seconds{device=\"c\\\"a\\\\rp\"} 1\n"
	      "# HELP carp_demote The demotion the device advertises (0..255).\n"
	      "# TYPE carp_demote gauge\n"
	      "carp_demote{device=\"carp0\"} 0\n"
	      "carp_demote{device=\"carp1\"} 0\n"
	      "carp_demote{device=\"c\\\"a\\\\rp\"} 0\n"
	      "# HELP carp_transitions_total State changes.\n"
	      "# TYPE carp_transitions_total counter\n"
	      "carp_transitions_total{device=\"carp0\"} 4\n"
	      "carp_transitions_total{device=\"carp1\"} 0\n"
	      "carp_transitions_total{device=\"c\\\"a\\\\rp\"} 0\n"
	      "# HELP carp_conflicts_total Conflicts: another master, worse than this one, heard while MASTER.\n"
	      "# TYPE carp_conflicts_total counter\n"
	      "carp_conflicts_total{device=\"carp0\"} 2\n"
	      "carp_conflicts_total{device=\"carp1\"} 0\n"
	      "carp_conflicts_total{device=\"c\\\"a\\\\rp\"} 0\n"
	      "# HELP carp_conflict_milliseconds_total Time from each conflict's first advertisement to its last, in ms.\n"
	      "# TYPE carp_conflict_milliseconds_total counter\n"
	      "carp_conflict_milliseconds_total{device=\"carp0\"} 1530\n"
	      "carp_conflict_milliseconds_total{device=\"carp1\"} 0\n"
	      "carp_conflict_milliseconds_total{device=\"c\\\"a\\\\rp\"} 0\n"
	      "# HELP carp_advertisements_sent_total Advertisements sent, by IP version.\n"
	      "# TYPE carp_advertisements_sent_total counter\n"
	      "carp_advertisements_sent_total{device=\"carp0\",ip_version=\"4\"} 20\n"
	      "carp_advertisements_sent_total{device=\"carp0\",ip_version=\"6\"} 3\n"
	      "carp_advertisements_sent_total{device=\"carp1\",ip_version=\"4\"} 0\n"
	      "carp_advertisements_sent_total{device=\"carp1\",ip_version=\"6\"} 0\n"
	      "carp_advertisements_sent_total{device=\"c\\\"a\\\\rp\",ip_version=\"4\"} 0\n"
	      "carp_advertisements_sent_total{device=\"c\\\"a\\\\rp\",ip_version=\"6\"} 0\n"
	      "# HELP carp_advertisements_received_total Advertisements received and accepted, by IP version.\n"
	      "# TYPE carp_advertisements_received_total counter\n"
	      "carp_advertisements_received_total{device=\"carp0\",ip_version=\"4\"} 10\n"
	      "carp_advertisements_received_total{device=\"carp0\",ip_version=\"6\"} 0\n"
	      "carp_advertisements_received_total{device=\"carp1\",ip_version=\"4\"} 0\n"
	      "carp_advertisements_received_total{device=\"carp1\",ip_version=\"6\"} 0\n"
	      "carp_advertisements_received_total{device=\"c\\\"a\\\\rp\",ip_version=\"4\"} 0\n"
	      "carp_advertisements_received_total{device=\"c\\\"a\\\\rp\",ip_version=\"6\"} 0\n"
	      "# HELP carp_advertisements_dropped_total Advertisements received and dropped, by reason (the counters of carpctl stats).\n"
	      "# TYPE carp_advertisements_dropped_total counter\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"badttl\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"badlen\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"badsum\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"badver\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"badauth\"} 1\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"echo\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"replay\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp0\",reason=\"badsrc\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"badttl\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"badlen\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"badsum\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"badver\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"badauth\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"echo\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"replay\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"carp1\",reason=\"badsrc\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"badttl\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"badlen\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"badsum\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"badver\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"badauth\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"echo\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"replay\"} 0\n"
	      "carp_advertisements_dropped_total{device=\"c\\\"a\\\\rp\",reason=\"badsrc\"} 2\n"
	      "# HELP carp_advertisements_unsent_total Advertisements not sent, by reason (the counters of carpctl stats).\n"
	      "# TYPE carp_advertisements_unsent_total counter\n"
	      "carp_advertisements_unsent_total{device=\"carp0\",reason=\"onomem\"} 0\n"
	      "carp_advertisements_unsent_total{device=\"carp1\",reason=\"onomem\"} 0\n"
	      "carp_advertisements_unsent_total{device=\"c\\\"a\\\\rp\",reason=\"onomem\"} 0\n"
	      "# HELP carp_netns_demotion The administrative demotion of the network namespace (carpctl demote).\n"
	      "# TYPE carp_netns_demotion gauge\n"
	      "carp_netns_demotion 0\n"
	      "# HELP carp_netns_demotion_advertised The demotion of the network namespace as advertised: the administrative one plus 240 per device whose parent lost its link, at most 255.\n"
	      "# TYPE carp_netns_demotion_advertised gauge\n"
	      "carp_netns_demotion_advertised 240\n"
	      "# HELP carp_netns_transitions_total State changes. Of the network namespace, deleted devices included.\n"
	      "# TYPE carp_netns_transitions_total counter\n"
	      "carp_netns_transitions_total 9\n"
	      "# HELP carp_netns_conflicts_total Conflicts: another master, worse than this one, heard while MASTER. Of the network namespace, deleted devices included.\n"
	      "# TYPE carp_netns_conflicts_total counter\n"
	      "carp_netns_conflicts_total 0\n"
	      "# HELP carp_netns_conflict_milliseconds_total Time from each conflict's first advertisement to its last, in ms. Of the network namespace, deleted devices included.\n"
	      "# TYPE carp_netns_conflict_milliseconds_total counter\n"
	      "carp_netns_conflict_milliseconds_total 0\n"
	      "# HELP carp_netns_advertisements_sent_total Advertisements sent, by IP version. Of the network namespace, deleted devices included.\n"
	      "# TYPE carp_netns_advertisements_sent_total counter\n"
	      "carp_netns_advertisements_sent_total{ip_version=\"4\"} 41\n"
	      "carp_netns_advertisements_sent_total{ip_version=\"6\"} 0\n"
	      "# HELP carp_netns_advertisements_received_total Advertisements received and accepted, by IP version. Of the network namespace, deleted devices included.\n"
	      "# TYPE carp_netns_advertisements_received_total counter\n"
	      "carp_netns_advertisements_received_total{ip_version=\"4\"} 30\n"
	      "carp_netns_advertisements_received_total{ip_version=\"6\"} 0\n"
	      "# HELP carp_netns_advertisements_dropped_total Advertisements received and dropped, by reason (the counters of carpctl stats). Of the network namespace, deleted devices included.\n"
	      "# TYPE carp_netns_advertisements_dropped_total counter\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badttl\"} 0\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badlen\"} 0\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badsum\"} 0\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badver\"} 0\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badauth\"} 5\n"
	      "carp_netns_advertisements_dropped_total{reason=\"echo\"} 0\n"
	      "carp_netns_advertisements_dropped_total{reason=\"replay\"} 0\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badvhid\"} 7\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badif\"} 1\n"
	      "carp_netns_advertisements_dropped_total{reason=\"badsrc\"} 0\n"
	      "# HELP carp_netns_advertisements_unsent_total Advertisements not sent, by reason (the counters of carpctl stats). Of the network namespace, deleted devices included.\n"
	      "# TYPE carp_netns_advertisements_unsent_total counter\n"
	      "carp_netns_advertisements_unsent_total{reason=\"onomem\"} 0\n");
	free(buf);

	/* no device, no namespace: nothing at all, not even a header */
	l.n = 0;
	capture_begin(&out, &stdout);
	stats_prometheus(stdout, &l, NULL, PROM_NOW_MS);
	buf = capture_end(&out);
	check_str("prometheus: nothing", buf, "");
	free(buf);
}

/* stats_prometheus() of @v[0..n), without the namespace, malloc'ed. */
static char *prom_of(struct carp_info *v, size_t n)
{
	struct carp_list l = { v, n };
	struct capture out;

	capture_begin(&out, &stdout);
	stats_prometheus(stdout, &l, NULL, PROM_NOW_MS);
	return capture_end(&out);
}

/*
 * @s without the lines that name a VRRPv3 device (device="vrrp...") or
 * the families only they bring (carp_version, carp_vrrp_*), malloc'ed:
 * what is left of a CARP device's output beside VRRPv3 ones.
 */
static char *prom_carp_lines(const char *s)
{
	static const char *const vrrp_only[] = {
		"# HELP carp_version ", "# TYPE carp_version ",
		"carp_version{", "# HELP carp_vrrp_", "# TYPE carp_vrrp_",
		"carp_vrrp_",
	};
	char *out = malloc(strlen(s) + 1), *o = out;
	const char *nl;
	size_t k, len;
	bool skip;

	if (!out)
		abort();
	for (; *s; s += len) {
		nl = strchr(s, '\n');
		len = nl ? (size_t)(nl - s) + 1 : strlen(s);
		skip = memmem(s, len, "device=\"vrrp", 12) != NULL;
		for (k = 0; k < ARRAY_SIZE(vrrp_only); k++)
			skip |= !strncmp(s, vrrp_only[k], strlen(vrrp_only[k]));
		if (!skip) {
			memcpy(o, s, len);
			o += len;
		}
	}
	*o = '\0';
	return out;
}

/*
 * VRRPv3 devices beside a CARP one: no carp_advskew nor
 * carp_advbase_seconds for them (the kernel's 1 and 0 are CARP's
 * leftovers), carp_version for every device, and carp_vrrp_priority,
 * carp_vrrp_interval_seconds (cs as exact decimal seconds),
 * carp_vrrp_master_interval_seconds (vrrp0's only: vrrp1 has none),
 * carp_vrrp_preempt and carp_vrrp_accept (0 or 1). The
 * CARP device's lines are byte for byte those of it alone, but for its
 * carp_version; CARP devices alone have no carp_version (check_prom).
 */
static void check_prom_vrrp(void)
{
	struct carp_info v[3] = { devs[2], vdevs[0], vdevs[1] };
	char *buf, *carp, *alone, *head;

	buf = prom_of(v, ARRAY_SIZE(v));
	head = strstr(buf, "# HELP carp_transitions_total ");
	if (!head)
		fail("prometheus, VRRPv3: no counters:\n%s", buf);
	else
		*head = '\0';
	check_str("prometheus: VRRPv3 and CARP devices", buf,
		  "# HELP carp_state Whether the vhid is in the state of label state (1) or not (0): INIT, BACKUP or MASTER.\n"
	      "# TYPE carp_state gauge\n"
	      "carp_state{device=\"carp2\",vhid=\"9\",state=\"INIT\"} 0\n"
	      "carp_state{device=\"carp2\",vhid=\"9\",state=\"BACKUP\"} 0\n"
	      "carp_state{device=\"carp2\",vhid=\"9\",state=\"MASTER\"} 1\n"
	      "carp_state{device=\"vrrp0\",vhid=\"1\",state=\"INIT\"} 0\n"
	      "carp_state{device=\"vrrp0\",vhid=\"1\",state=\"BACKUP\"} 1\n"
	      "carp_state{device=\"vrrp0\",vhid=\"1\",state=\"MASTER\"} 0\n"
	      "carp_state{device=\"vrrp1\",vhid=\"20\",state=\"INIT\"} 0\n"
	      "carp_state{device=\"vrrp1\",vhid=\"20\",state=\"BACKUP\"} 0\n"
	      "carp_state{device=\"vrrp1\",vhid=\"20\",state=\"MASTER\"} 1\n"
	      "# HELP carp_state_change_timestamp_seconds When the vhid last changed state, in seconds since the epoch.\n"
	      "# TYPE carp_state_change_timestamp_seconds gauge\n"
	      "carp_state_change_timestamp_seconds{device=\"carp2\",vhid=\"9\"} 1748779196.123\n"
	      "carp_state_change_timestamp_seconds{device=\"vrrp0\",vhid=\"1\"} 1748779187.778\n"
	      "carp_state_change_timestamp_seconds{device=\"vrrp1\",vhid=\"20\"} 1748779196.123\n"
	      "# HELP carp_advskew The advertisement skew of the vhid, in 1/256 s.\n"
	      "# TYPE carp_advskew gauge\n"
	      "carp_advskew{device=\"carp2\",vhid=\"9\"} 20\n"
	      "# HELP carp_advbase_seconds The advertisement base interval of the device.\n"
	      "# TYPE carp_advbase_seconds gauge\n"
	      "carp_advbase_seconds{device=\"carp2\"} 2\n"
	      "# HELP carp_version The protocol the device speaks: 2 (CARP) or 3 (VRRPv3).\n"
	      "# TYPE carp_version gauge\n"
	      "carp_version{device=\"carp2\"} 2\n"
	      "carp_version{device=\"vrrp0\"} 3\n"
	      "carp_version{device=\"vrrp1\"} 3\n"
	      "# HELP carp_vrrp_priority The VRRPv3 priority of the device (1..255, 255: the addresses' owner).\n"
	      "# TYPE carp_vrrp_priority gauge\n"
	      "carp_vrrp_priority{device=\"vrrp0\"} 200\n"
	      "carp_vrrp_priority{device=\"vrrp1\"} 255\n"
	      "# HELP carp_vrrp_interval_seconds The VRRPv3 advertisement interval of the device.\n"
	      "# TYPE carp_vrrp_interval_seconds gauge\n"
	      "carp_vrrp_interval_seconds{device=\"vrrp0\"} 1\n"
	      "carp_vrrp_interval_seconds{device=\"vrrp1\"} 40.95\n"
	      "# HELP carp_vrrp_master_interval_seconds RFC 5798's Master_Adver_Interval of the device: the advertisement interval of the VRRPv3 master it last heard, its own until then.\n"
	      "# TYPE carp_vrrp_master_interval_seconds gauge\n"
	      "carp_vrrp_master_interval_seconds{device=\"vrrp0\"} 0.5\n"
	      "# HELP carp_vrrp_preempt Whether the VRRPv3 device takes over from a master of lower priority (1) or not (0): RFC 5798's Preempt_Mode.\n"
	      "# TYPE carp_vrrp_preempt gauge\n"
	      "carp_vrrp_preempt{device=\"vrrp0\"} 1\n"
	      "carp_vrrp_preempt{device=\"vrrp1\"} 0\n"
	      "# HELP carp_vrrp_accept Whether the VRRPv3 device as master accepts packets to the addresses it does not own (1) or not (0): RFC 5798's Accept_Mode.\n"
	      "# TYPE carp_vrrp_accept gauge\n"
	      "carp_vrrp_accept{device=\"vrrp0\"} 0\n"
	      "carp_vrrp_accept{device=\"vrrp1\"} 1\n"
	      "# HELP carp_demote The demotion the device advertises (0..255).\n"
	      "# TYPE carp_demote gauge\n"
	      "carp_demote{device=\"carp2\"} 0\n"
	      "carp_demote{device=\"vrrp0\"} 0\n"
	      "carp_demote{device=\"vrrp1\"} 0\n");
	free(buf);

	/* carp2's lines, counters included, as when it is alone */
	buf = prom_of(v, ARRAY_SIZE(v));
	carp = prom_carp_lines(buf);
	alone = prom_of(v, 1);
	if (strstr(alone, "carp_version") || strstr(alone, "carp_vrrp_"))
		fail("prometheus, CARP alone: VRRPv3 families:\n%s", alone);
	check_str("prometheus: the CARP device beside VRRPv3 ones", carp,
		  alone);
	free(alone);
	free(carp);
	free(buf);

	/* vrrp1 alone: no CARP timing family at all, no master's interval */
	buf = prom_of(&v[2], 1);
	if (strstr(buf, "carp_advskew") || strstr(buf, "carp_advbase") ||
	    strstr(buf, "carp_vrrp_master_interval") ||
	    !strstr(buf, "\ncarp_version{device=\"vrrp1\"} 3\n") ||
	    !strstr(buf, "\ncarp_vrrp_priority{device=\"vrrp1\"} 255\n") ||
	    !strstr(buf, "\ncarp_vrrp_interval_seconds{device=\"vrrp1\"} 40.95\n") ||
	    !strstr(buf, "\ncarp_vrrp_preempt{device=\"vrrp1\"} 0\n") ||
	    !strstr(buf, "\ncarp_vrrp_accept{device=\"vrrp1\"} 1\n"))
		fail("prometheus: vrrp1 alone:\n%s", buf);
	free(buf);

	/* a module that does not report Accept_Mode: its MASTER accepts */
	v[1].vrrp_accept = -1;
	buf = prom_of(&v[1], 1);
	if (!strstr(buf, "\ncarp_vrrp_accept{device=\"vrrp0\"} 1\n"))
		fail("prometheus: accept not reported:\n%s", buf);
	free(buf);

	/* centiseconds as decimal seconds, exactly */
	v[1].vrrp_interval = 5;
	v[1].vrrp_master_interval = 150;
	buf = prom_of(&v[1], 1);
	if (!strstr(buf, "\ncarp_vrrp_interval_seconds{device=\"vrrp0\"} 0.05\n") ||
	    !strstr(buf, "\ncarp_vrrp_master_interval_seconds{device=\"vrrp0\"} 1.5\n"))
		fail("prometheus: 5 cs and 150 cs:\n%s", buf);
	free(buf);
}

/* What `carpctl -o prometheus stats [NAME]` prints, malloc'ed. */
static char *stats_prom(const char *name)
{
	char *argv[] = { (char *)name, NULL };
	struct capture out;
	int rc;

	capture_begin(&out, &stdout);
	opts.json = false;
	opts.format = FORMAT_PROMETHEUS;
	rc = cmd_stats(name ? 1 : 0, argv);
	opts.format = FORMAT_TEXT;
	if (rc)
		fail("-o prometheus stats %s: status %d", name ? name : "", rc);
	return capture_end(&out);
}

/* cmd_stats: the namespace without NAME only, as the other formats. */
static void check_prom_stats(void)
{
	char *out;

	net_fixture = &prom_net;
	out = stats_prom("carp2");
	if (!strstr(out, "\ncarp_state{device=\"carp2\",vhid=\"9\",state=\"MASTER\"} 1\n") ||
	    strstr(out, "carp_netns_") || strstr(out, "carp1"))
		fail("-o prometheus stats carp2:\n%s", out);
	free(out);
	out = stats_prom(NULL);
	if (!strstr(out, "\ncarp_state{device=\"carp1\",vhid=\"7\",state=\"BACKUP\"} 1\n") ||
	    !strstr(out, "\ncarp_netns_advertisements_dropped_total{reason=\"badvhid\"} 7\n"))
		fail("-o prometheus stats:\n%s", out);
	free(out);
	net_fixture = NULL;
}

/* ------------------------------------------------------------------ */

static struct carp_event event(const char *ifname, int vhid, int old,
			       int state, int reason, const char *text)
{
	struct carp_event ev = { .ifindex = 5, .vhid = vhid,
				 .old_state = old, .state = state,
				 .reason = reason, .has_time = true,
				 .time_ns = 1748779200123456789ULL };

	snprintf(ev.ifname, sizeof(ev.ifname), "%s", ifname);
	snprintf(ev.reason_text, sizeof(ev.reason_text), "%s", text);
	return ev;
}

static void check_monitor(void)
{
	struct carp_event ev = event("carp0", 30, CARP_STATE_BACKUP,
				     CARP_STATE_MASTER,
				     CARP_REASON_MASTER_DOWN,
				     "master timed out");
	struct capture out;
	char *buf;

	capture_begin(&out, &stdout);
	opts.json = false;
	print_event(&ev);
	opts.json = true;
	print_event(&ev);
	buf = capture_end(&out);
	check_str("monitor: a vhid's change", buf,
		  "carp0 vhid 30 BACKUP -> MASTER (master-down: master timed out)\n"
	      "{\"event\":\"state\",\"ifname\":\"carp0\",\"ifindex\":5,\"vhid\":30,"
	      "\"old_state\":\"BACKUP\",\"state\":\"MASTER\","
	      "\"reason\":\"master-down\",\"reason_text\":\"master timed out\","
	      "\"time\":\"2025-06-01T12:00:00.123456Z\","
	      "\"time_ns\":1748779200123456789}\n");
	free(buf);
}

/* A conflict's event, with an IPv4 and an IPv6 other master. */
static struct carp_event conflict_event(const char *ifname, int vhid,
					const char *other)
{
	struct carp_event ev = event(ifname, vhid, CARP_STATE_MASTER,
				     CARP_STATE_MASTER, -1, "");

	ev.kind = CARP_EV_CONFLICT;
	ev.advbase = 0;
	ev.advskew = 110;
	ev.demote = 10;
	ev.other.v6 = strchr(other, ':') != NULL;
	if (inet_pton(ev.other.v6 ? AF_INET6 : AF_INET, other,
		      ev.other.v6 ? (void *)&ev.other.addr6 :
				    (void *)&ev.other.addr) != 1)
		exit(2);
	return ev;
}

static void check_monitor_conflict(void)
{
	struct carp_event ev4 = conflict_event("carp0", 1, "10.0.0.3");
	struct carp_event ev6 = conflict_event("carp0", 1, "2001:db8::3");
	struct capture out;
	char *buf;

	ev6.demote = -1;
	capture_begin(&out, &stdout);
	opts.json = false;
	print_event(&ev4);
	print_event(&ev6);
	opts.json = true;
	print_event(&ev4);
	buf = capture_end(&out);
	check_str("monitor: a conflict", buf,
		  "carp0 vhid 1 conflict: another master 10.0.0.3 (advbase 0 advskew 110 demote 10); staying MASTER\n"
		  "carp0 vhid 1 conflict: another master 2001:db8::3 (advbase 0 advskew 110); staying MASTER\n"
		  "{\"event\":\"conflict\",\"ifname\":\"carp0\",\"ifindex\":5,\"vhid\":1,"
		  "\"other\":\"10.0.0.3\",\"other_advbase\":0,\"other_advskew\":110,"
		  "\"other_demote\":10,"
		  "\"time\":\"2025-06-01T12:00:00.123456Z\","
		  "\"time_ns\":1748779200123456789}\n");
	free(buf);
}

/* ------------------------------------------------------------------ */

/* The queued jobs of @w, "up 1 [1]; down 2 []; ..." (event, CARP_VHID, CARP_MASTER_VHIDS). */
static char *queued(struct watch *w)
{
	char *buf = NULL;
	size_t len = 0, i;
	const struct job *j;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		exit(2);
	for (i = 0; i < w->len; i++) {
		j = &w->queue[(w->head + i) % w->cap];
		fprintf(f, "%s%s %d [%s]", i ? "; " : "",
			event_names[j->event], j->ev.vhid, j->master_vhids);
	}
	fclose(f);
	return buf;
}

static void feed(struct watch *w, const char *ifname, int vhid, int old,
		 int state)
{
	struct carp_event ev = event(ifname, vhid, old, state,
				     CARP_REASON_UNSPEC, "");

	if (watch_event(&ev, w))
		fail("watch %s: vhid %d %s -> %s refused", ifname, vhid,
		     carp_state_str(old), carp_state_str(state));
}

static void watch_init(struct watch *w, const char *name)
{
	memset(w, 0, sizeof(*w));
	w->name = name;
	w->script[EV_UP] = "/up";
	w->script[EV_DOWN] = "/down";
}

static void check_watch_q(struct watch *w, const char *what,
			  const char *want)
{
	char *got = queued(w);

	check_str(what, got, want);
	free(got);
}

static void check_watch(void)
{
	enum { I = CARP_STATE_INIT, B = CARP_STATE_BACKUP,
	       M = CARP_STATE_MASTER };
	struct carp_event ev;
	struct watch w;

	/* carp0: MASTER of vhid 1 at start: up once */
	watch_init(&w, "carp0");
	if (watch_sync(&w, true))
		fail("watch_sync %s: an error", w.name);
	check_watch_q(&w, "watch carp0: start", "up 1 [1]");
	/* MASTER of one more, then of one less: nothing */
	feed(&w, "carp0", 2, B, M);
	feed(&w, "carp0", 1, M, B);
	/* another device: nothing */
	feed(&w, "carp1", 7, B, M);
	feed(&w, "carp1", 7, M, B);
	check_watch_q(&w, "watch carp0: vhid 2 takes over from 1",
		      "up 1 [1]");
	/* the last one: down; then one again: up */
	feed(&w, "carp0", 2, M, I);
	feed(&w, "carp0", 30, B, M);
	feed(&w, "carp0", 1, B, M);
	feed(&w, "carp0", 30, M, B);
	feed(&w, "carp0", 1, M, I);
	check_watch_q(&w, "watch carp0: none, then vhid 30, vhid 1, none",
		      "up 1 [1]; down 2 []; up 30 [30]; down 1 []");
	free(w.queue);

	/* lost events: the states read again, up if it is MASTER now */
	watch_init(&w, "carp0");
	w.master = false;
	if (watch_sync(&w, false))
		fail("watch_sync %s: an error", w.name);
	check_watch_q(&w, "watch carp0: resync", "up 1 [1]");
	free(w.queue);

	/* carp1, one vhid: BACKUP at start runs nothing */
	watch_init(&w, "carp1");
	if (watch_sync(&w, true))
		fail("watch_sync %s: an error", w.name);
	feed(&w, "carp1", 7, B, M);
	/* a new vhid: the old one goes INIT, the new one starts */
	feed(&w, "carp1", 7, M, I);
	feed(&w, "carp1", 8, I, B);
	feed(&w, "carp1", 8, B, M);
	/* deleted while MASTER */
	feed(&w, "carp1", 8, M, I);
	check_watch_q(&w, "watch carp1: one vhid, changed while MASTER",
		      "up 7 [7]; down 7 []; up 8 [8]; down 8 []");
	free(w.queue);

	/* carp2: one node, MASTER at start */
	watch_init(&w, "carp2");
	w.script[EV_UP] = NULL;
	if (watch_sync(&w, true))
		fail("watch_sync %s: an error", w.name);
	feed(&w, "carp2", 9, M, B);
	feed(&w, "carp2", 9, B, M);
	check_watch_q(&w, "watch carp2: down script only", "down 9 []");
	free(w.queue);

	/* carp0 MASTER of two vhids at start: up once, with both */
	nodes3[2].state = M;
	watch_init(&w, "carp0");
	if (watch_sync(&w, true))
		fail("watch_sync %s: an error", w.name);
	feed(&w, "carp0", 1, M, B);
	feed(&w, "carp0", 30, M, I);
	check_watch_q(&w, "watch carp0: MASTER of vhids 1 and 30 at start",
		      "up 1 [1 30]; down 30 []");
	nodes3[2].state = B;
	free(w.queue);

	/* conflicts: their own script, in order, no state moved */
	watch_init(&w, "carp0");
	if (watch_sync(&w, true))
		fail("watch_sync %s: an error", w.name);
	w.script[EV_CONFLICT] = "/conflict";
	ev = conflict_event("carp0", 1, "10.0.0.3");
	if (watch_event(&ev, &w))
		fail("watch carp0: a conflict refused");
	feed(&w, "carp0", 1, M, B);
	ev = conflict_event("carp1", 1, "10.0.0.3");
	if (watch_event(&ev, &w))
		fail("watch carp0: carp1's conflict refused");
	check_watch_q(&w, "watch carp0: a conflict while MASTER, then down",
		      "up 1 [1]; conflict 1 [1]; down 1 []");
	free(w.queue);
	/* settle: a change undone while its job waits undoes the job */
	watch_init(&w, "carp1");
	w.settle_s = 5;
	if (watch_sync(&w, true))
		fail("watch_sync %s: an error", w.name);
	feed(&w, "carp1", 7, B, M);
	feed(&w, "carp1", 7, M, B);
	check_watch_q(&w, "watch settle: a flap cancels out", "");
	feed(&w, "carp1", 7, B, M);
	check_watch_q(&w, "watch settle: a change that stays", "up 7 [7]");
	if (watch_head_due(&w))
		fail("watch settle: the job is due before its settle time");
	/* no down script: the flap still cancels, up does not run twice */
	w.script[EV_DOWN] = NULL;
	w.len = 0;
	w.master = true;
	feed(&w, "carp1", 7, M, B);
	feed(&w, "carp1", 7, B, M);
	check_watch_q(&w, "watch settle: a flap without a down script", "");
	free(w.queue);

	/* retry: a failed run goes back first, while the state holds */
	watch_init(&w, "carp1");
	w.retries = 2;
	w.running = (struct job){ .event = EV_UP, .tries = 1 };
	w.running.ev.vhid = 7;
	if (!watch_retry(&w, "exited with status 1"))
		fail("watch retry: a first failure not retried");
	check_watch_q(&w, "watch retry: queued again", "up 7 []");
	if (watch_head_due(&w))
		fail("watch retry: run again without a backoff");
	w.len = 0;
	w.running.tries = 3;
	if (watch_retry(&w, "exited with status 1"))
		fail("watch retry: run more than retry + 1 times");
	w.running.tries = 1;
	feed(&w, "carp1", 7, B, M);
	feed(&w, "carp1", 7, M, B);
	if (watch_retry(&w, "exited with status 1"))
		fail("watch retry: retried though the state changed since");
	free(w.queue);

	/* without a conflict script, conflicts run nothing */
	watch_init(&w, "carp0");
	w.master = true;
	ev = conflict_event("carp0", 1, "10.0.0.3");
	if (watch_event(&ev, &w))
		fail("watch carp0: a conflict refused");
	check_watch_q(&w, "watch carp0: no conflict script", "");
	free(w.queue);
}

/* run_script(): the environment a script gets. */
static void check_watch_env(void)
{
	char dir[] = "/tmp/carpctl-test-XXXXXX", script[64], out[64];
	char line[256], *got = NULL;
	struct carp_event ev;
	struct watch w;
	size_t len = 0;
	int status = -1;
	FILE *f, *g;
	pid_t pid;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return;
	}
	snprintf(script, sizeof(script), "%s/script", dir);
	snprintf(out, sizeof(out), "%s/env", dir);
	f = fopen(script, "w");
	if (!f) {
		fail("watch env: %s: %s", script, strerror(errno));
		return;
	}
	fprintf(f, "#!/bin/sh\n"
		"{ echo \"$1 $2\"; env | grep '^CARP_' | sort; } >%s\n", out);
	fclose(f);
	chmod(script, 0755);

	/* vhid 30 becomes MASTER, the first of carp0's */
	watch_init(&w, "carp0");
	w.script[EV_UP] = script;
	ev = event("carp0", 30, CARP_STATE_BACKUP, CARP_STATE_MASTER,
		   CARP_REASON_MASTER_DOWN, "master timed out");
	if (watch_event(&ev, &w) || w.len != 1) {
		fail("watch env: nothing queued");
		return;
	}
	fflush(NULL);
	pid = fork();
	if (!pid) {
		/* only what carpctl sets, whatever runs the test */
		clearenv();
		setenv("PATH", "/usr/bin:/bin", 1);
		run_script(&w, &w.queue[w.head]);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		fail("watch env: script status %d", status);
	f = open_memstream(&got, &len);
	g = fopen(out, "r");
	while (f && g && fgets(line, sizeof(line), g))
		fputs(line, f);
	if (g)
		fclose(g);
	if (f)
		fclose(f);
	check_str("watch env", got ? got : "",
		  "carp0 up\n"
	      "CARP_EVENT=up\n"
	      "CARP_IFINDEX=5\n"
	      "CARP_IFNAME=carp0\n"
	      "CARP_MASTER_VHIDS=30\n"
	      "CARP_NEW_STATE=MASTER\n"
	      "CARP_OLD_STATE=BACKUP\n"
	      "CARP_REASON=master-down\n"
	      "CARP_REASON_TEXT=master timed out\n"
	      "CARP_TIME_NS=1748779200123456789\nCARP_TRY=1\n"
	      "CARP_VHID=30\n");
	free(got);
	free(w.queue);
	unlink(out);
	unlink(script);
	rmdir(dir);
}

/* the script timeout as a ppoll() timeout: valid and never early */
static void check_watch_wait(void)
{
	struct timespec ts;
	long long ms;

	for (ms = 0; ms < 3000; ms++) {
		wait_ts(ms, &ts);
		if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000 ||
		    ts.tv_sec * 1000 + ts.tv_nsec / 1000000 <= ms) {
			fail("watch wait %lld ms: %lld s %ld ns",
			     ms, (long long)ts.tv_sec, ts.tv_nsec);
			return;
		}
	}
}

int main(void)
{
	fixtures();
	check_show();
	check_show_vrrp();
	check_prom_families();
	check_prom_escape();
	check_prom();
	check_prom_vrrp();
	check_prom_stats();
	check_monitor();
	check_monitor_conflict();
	check_watch();
	check_watch_env();
	check_watch_wait();

	return harness_end("test_output");
}
