// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: generic netlink ("carp" family) and rtnetlink plumbing.
 *
 * Both sockets ask for extended acks; the error callback keeps the
 * kernel's message (NLMSGERR_ATTR_MSG) so that it can be printed instead
 * of a bare strerror(). Each request is sent, then answers are read until
 * its ack, its error or the end of its dump.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED		0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS		0x200
#endif
/*
 * The metric of the prefix route of a virtual address (IFA_RT_PRIORITY).
 * The route is carp0's and the stack uses it only while carp0's carrier is
 * on (MASTER); where the parent has an address of its own in the same
 * subnet, the parent's route (metric 0 for IPv4, 256 for IPv6) must win,
 * so that the host's own traffic keeps its own source address and does
 * not move with the virtual one.
 */
#define CARP_VIP_ROUTE_METRIC	1024
/* enum nlmsgerr_attrs; spelled out for older UAPI headers. */
#define EXTACK_MSG		1
#define EXTACK_MISS_TYPE	5

static struct nl_sock *genl_sk;
static struct nl_sock *rt_sk;
static struct nl_sock *mon_sk;		/* subscribed to "monitor" */
static int carp_family = -1;

/* The last failed request; its message is kernel_msg()'s. */
static struct {
	int err;		/* negative errno reported by the kernel */
	bool have_msg;		/* kernel_msg() holds NLMSGERR_ATTR_MSG */
} last;

static void reset_err(void)
{
	last.err = 0;
	last.have_msg = false;
	kernel_msg_clear();
}

/* Extended ack TLVs start @off bytes into the payload of @nlh. */
static void parse_extack(struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *a;
	int rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	a = (struct nlattr *)((char *)nlmsg_data(nlh) + off);
	nla_for_each_attr(a, a, (int)(nlh->nlmsg_len - NLMSG_HDRLEN - off),
			  rem) {
		switch (nla_type(a)) {
		case EXTACK_MSG:
			last.have_msg = kernel_msg_setn(nla_data(a),
							nla_len(a));
			break;
		case EXTACK_MISS_TYPE:
			if (!last.have_msg && nla_len(a) >= 4)
				kernel_msg_set("kernel: missing attribute %u",
					       nla_get_u32(a));
			break;
		}
	}
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);

	(void)nla;
	(void)arg;
	/* Unless capped, the rejected request follows the error code. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	last.err = e->error < 0 ? e->error : -e->error;
	parse_extack(nlh, NLMSG_ALIGN(off));
	return NL_STOP;
}

struct talk {
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
	unsigned int seq;
	bool done;
	int perr;		/* the parser's error */
};

static int seq_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	/* Skip leftovers of an earlier request. */
	return nlmsg_hdr(msg)->nlmsg_seq == t->seq ? NL_OK : NL_SKIP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	int err;

	if (!t->parse)
		return NL_OK;
	err = t->parse(msg, t->arg);
	if (err < 0) {
		t->perr = err;
		return NL_STOP;
	}
	return NL_OK;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct talk *t = arg;
	int e;

	t->done = true;
	/* A dump that failed half-way ends with a negative error. */
	if (nlmsg_datalen(nlh) >= (int)sizeof(e)) {
		memcpy(&e, nlmsg_data(nlh), sizeof(e));
		if (e < 0) {
			last.err = e;
			parse_extack(nlh, NLMSG_ALIGN(sizeof(e)));
		}
	}
	return NL_STOP;
}

static int lib_err(int nlerr)
{
	kernel_msg_set("netlink: %s", nl_geterror(nlerr));
	return -EIO;
}

/* Send @msg (freed here) and read its answers; @parse sees each reply. */
static int nl_talk(struct nl_sock *sk, struct nl_msg *msg,
		   int (*parse)(struct nl_msg *, void *), void *arg)
{
	struct talk t = { .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int err;

	reset_err();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_cb, &t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, NULL);

	err = nl_send_auto(sk, msg);
	if (err < 0) {
		err = lib_err(err);
		goto out;
	}
	t.seq = nlmsg_hdr(msg)->nlmsg_seq;

	err = 0;
	while (!t.done && !last.err && !t.perr) {
		err = nl_recvmsgs(sk, cb);
		if (last.err)
			break;
		if (err < 0) {
			err = lib_err(err);
			goto out;
		}
	}
	err = last.err ? last.err : t.perr;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return err;
}

static void sock_setup(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	/* Best effort: old kernels just give no messages. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_enable_msg_peek(sk);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, err_cb, NULL);
}

int nl_open(void)
{
	int err;

	if (genl_sk)
		return 0;
	genl_sk = nl_socket_alloc();
	if (!genl_sk)
		return sys_err("out of memory");
	err = genl_connect(genl_sk);
	if (err < 0) {
		nl_socket_free(genl_sk);
		genl_sk = NULL;
		return sys_err("cannot open a generic netlink socket: %s",
			       nl_geterror(err));
	}
	sock_setup(genl_sk);

	/* Asking the controller for a missing family autoloads the module. */
	reset_err();
	carp_family = genl_ctrl_resolve(genl_sk, CARP_GENL_NAME);
	if (carp_family < 0) {
		nl_socket_free(genl_sk);
		genl_sk = NULL;
		return sys_err("carp kernel module not available (generic netlink family \"%s\" not found)",
			       CARP_GENL_NAME);
	}
	return 0;
}

static int rt_open(void)
{
	int err;

	if (rt_sk)
		return 0;
	reset_err();
	rt_sk = nl_socket_alloc();
	if (!rt_sk)
		return -ENOMEM;
	err = nl_connect(rt_sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(rt_sk);
		rt_sk = NULL;
		return lib_err(err);
	}
	sock_setup(rt_sk);
	return 0;
}

void nl_close_all(void)
{
	if (genl_sk)
		nl_socket_free(genl_sk);
	if (rt_sk)
		nl_socket_free(rt_sk);
	if (mon_sk)
		nl_socket_free(mon_sk);
	genl_sk = rt_sk = mon_sk = NULL;
}

/* ------------------------------------------------------------------ */
/* Generic netlink: the carp family. */

static struct nla_policy carp_policy[CARP_A_MAX + 1] = {
	[CARP_A_IFINDEX]	= { .type = NLA_U32 },
	[CARP_A_IFNAME]		= { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[CARP_A_LINK]		= { .type = NLA_U32 },
	[CARP_A_VHID]		= { .type = NLA_U8 },
	[CARP_A_ADVBASE]	= { .type = NLA_U8 },
	[CARP_A_ADVSKEW]	= { .type = NLA_U8 },
	[CARP_A_HAS_KEY]	= { .type = NLA_FLAG },
	[CARP_A_STATE]		= { .type = NLA_U8 },
	[CARP_A_ADDRS]		= { .type = NLA_NESTED },
	[CARP_A_STATS]		= { .type = NLA_NESTED },
	[CARP_A_VMAC]		= { .minlen = 6 },
	[CARP_A_DEMOTE]		= { .type = NLA_U8 },
	[CARP_A_DEMOTION]	= { .type = NLA_U32 },
	[CARP_A_LAST_CHANGE]	= { .type = NLA_U64 },
	[CARP_A_LAST_REASON]	= { .type = NLA_STRING },
	[CARP_A_PEER]		= { .minlen = 4 },
	[CARP_A_PEER6]		= { .minlen = 16 },
	[CARP_A_OLD_STATE]	= { .type = NLA_U8 },
	[CARP_A_REASON]		= { .type = NLA_U8 },
	[CARP_A_TIME]		= { .type = NLA_U64 },
	[CARP_A_NODES]		= { .type = NLA_NESTED },
	[CARP_A_BALANCING]	= { .type = NLA_U8 },
	[CARP_A_OTHER]		= { .minlen = 4 },
	[CARP_A_HOLDS]		= { .type = NLA_NESTED },
	[CARP_A_TRACKS]		= { .type = NLA_NESTED },
	[CARP_A_LLADDR]		= { .type = NLA_U8 },
	[CARP_A_PEERS]		= { .type = NLA_NESTED },
	[CARP_A_PEERS6]		= { .type = NLA_NESTED },
	[CARP_A_VERSION]	= { .type = NLA_U8 },
	[CARP_A_VRRP_PRIO]	= { .type = NLA_U8 },
	[CARP_A_VRRP_INTERVAL]	= { .type = NLA_U16 },
	[CARP_A_VRRP_PREEMPT]	= { .type = NLA_U8 },
	[CARP_A_VRRP_MASTER_INTERVAL] = { .type = NLA_U16 },
	[CARP_A_VRRP_FAMILY]	= { .type = NLA_U8 },
	[CARP_A_VRRP_ACCEPT]	= { .type = NLA_U8 },
};

static struct nla_policy carp_hold_policy[CARP_HOLD_A_MAX + 1] = {
	[CARP_HOLD_A_NAME]	= { .type = NLA_STRING },
	[CARP_HOLD_A_DEMOTE]	= { .type = NLA_U8 },
	[CARP_HOLD_A_FIRED]	= { .type = NLA_FLAG },
};

static struct nla_policy carp_track_policy[CARP_TRACK_A_MAX + 1] = {
	[CARP_TRACK_A_IFINDEX]	= { .type = NLA_U32 },
	[CARP_TRACK_A_IFNAME]	= { .type = NLA_STRING },
	[CARP_TRACK_A_DEMOTE]	= { .type = NLA_U8 },
	[CARP_TRACK_A_DOWN]	= { .type = NLA_FLAG },
};

static struct nla_policy carp_node_policy[CARP_NODE_A_MAX + 1] = {
	[CARP_NODE_A_VHID]		= { .type = NLA_U8 },
	[CARP_NODE_A_ADVSKEW]		= { .type = NLA_U8 },
	[CARP_NODE_A_STATE]		= { .type = NLA_U8 },
	[CARP_NODE_A_LAST_CHANGE]	= { .type = NLA_U64 },
	[CARP_NODE_A_REASON]		= { .type = NLA_U8 },
	[CARP_NODE_A_LAST_REASON]	= { .type = NLA_STRING },
};

static struct nla_policy carp_addr_policy[CARP_ADDR_A_MAX + 1] = {
	[CARP_ADDR_A_FAMILY]	= { .type = NLA_U16 },
	[CARP_ADDR_A_ADDR]	= { .minlen = 4 },
	[CARP_ADDR_A_PREFIXLEN]	= { .type = NLA_U8 },
};

static int parse_addrs(struct nlattr *nest, struct carp_info *ci)
{
	struct nlattr *tb[CARP_ADDR_A_MAX + 1], *a;
	struct carp_addr *v;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CARP_A_ADDR)
			continue;
		if (nla_parse_nested(tb, CARP_ADDR_A_MAX, a, carp_addr_policy))
			return -EPROTO;
		int family = tb[CARP_ADDR_A_FAMILY] ?
			     nla_get_u16(tb[CARP_ADDR_A_FAMILY]) : AF_INET;
		unsigned int max = family == AF_INET6 ? 128 : 32;

		if (!tb[CARP_ADDR_A_ADDR] ||
		    (family != AF_INET && family != AF_INET6) ||
		    nla_len(tb[CARP_ADDR_A_ADDR]) < (family == AF_INET6 ? 16 : 4))
			continue;
		v = realloc(ci->addrs, (ci->naddrs + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ci->addrs = v;
		v += ci->naddrs++;
		memset(v, 0, sizeof(*v));
		v->v6 = family == AF_INET6;
		if (v->v6)
			memcpy(&v->addr6, nla_data(tb[CARP_ADDR_A_ADDR]), 16);
		else
			memcpy(&v->addr, nla_data(tb[CARP_ADDR_A_ADDR]), 4);
		v->plen = tb[CARP_ADDR_A_PREFIXLEN] ?
			  nla_get_u8(tb[CARP_ADDR_A_PREFIXLEN]) : max;
		if (v->plen > max)
			v->plen = max;
	}
	return 0;
}

/*
 * CARP_A_PEERS (@v6: CARP_A_PEERS6) into @p: its addresses, in order, as
 * many as fit (a newer kernel's longer list is cut, not refused).
 */
static void parse_peers(struct nlattr *nest, bool v6, struct carp_peers *p)
{
	size_t *n = v6 ? &p->n6 : &p->n;
	int len = v6 ? 16 : 4, rem;
	struct nlattr *a;

	*n = 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != (v6 ? CARP_A_PEER_ADDR6 : CARP_A_PEER_ADDR) ||
		    nla_len(a) < len || *n == CARP_PEERS_MAX)
			continue;
		memcpy(v6 ? (void *)&p->addr6[*n] : (void *)&p->addr[*n],
		       nla_data(a), len);
		(*n)++;
	}
}

/*
 * The peers of a device: the lists, or from a kernel before them its one
 * CARP_A_PEER and CARP_A_PEER6 (0.0.0.0 and :: meaning none).
 */
static void parse_peer_attrs(struct nlattr **tb, struct carp_peers *p)
{
	memset(p, 0, sizeof(*p));
	if (tb[CARP_A_PEERS]) {
		parse_peers(tb[CARP_A_PEERS], false, p);
	} else if (tb[CARP_A_PEER]) {
		memcpy(&p->addr[0], nla_data(tb[CARP_A_PEER]), 4);
		p->n = p->addr[0].s_addr != htonl(INADDR_ANY);
	}
	if (tb[CARP_A_PEERS6]) {
		parse_peers(tb[CARP_A_PEERS6], true, p);
	} else if (tb[CARP_A_PEER6]) {
		memcpy(&p->addr6[0], nla_data(tb[CARP_A_PEER6]), 16);
		p->n6 = !IN6_IS_ADDR_UNSPECIFIED(&p->addr6[0]);
	}
}

static int parse_nodes(struct nlattr *nest, struct carp_info *ci)
{
	struct nlattr *tb[CARP_NODE_A_MAX + 1], *a;
	struct carp_node_info *v;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CARP_A_NODE)
			continue;
		if (nla_parse_nested(tb, CARP_NODE_A_MAX, a, carp_node_policy))
			return -EPROTO;
		/* the module reports each of these for every vhid */
		if (!tb[CARP_NODE_A_VHID] || !tb[CARP_NODE_A_ADVSKEW] ||
		    !tb[CARP_NODE_A_STATE])
			return -EPROTO;
		v = realloc(ci->nodes, (ci->nnodes + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ci->nodes = v;
		v += ci->nnodes++;
		memset(v, 0, sizeof(*v));
		v->vhid = nla_get_u8(tb[CARP_NODE_A_VHID]);
		v->advskew = nla_get_u8(tb[CARP_NODE_A_ADVSKEW]);
		v->state = nla_get_u8(tb[CARP_NODE_A_STATE]);
		/* no reason, change or words before the first change */
		v->reason = tb[CARP_NODE_A_REASON] ?
			    nla_get_u8(tb[CARP_NODE_A_REASON]) : -1;
		if (tb[CARP_NODE_A_LAST_CHANGE]) {
			v->has_last_change = true;
			v->last_change_ms =
				nla_get_u64(tb[CARP_NODE_A_LAST_CHANGE]);
		}
		if (tb[CARP_NODE_A_LAST_REASON])
			nla_strlcpy(v->last_reason,
				    tb[CARP_NODE_A_LAST_REASON],
				    sizeof(v->last_reason));
	}
	return 0;
}

static void parse_stats(struct nlattr *nest, uint64_t *stats)
{
	struct nlattr *a;
	int rem, type;

	nla_for_each_nested(a, nest, rem) {
		type = nla_type(a);
		/* Unknown counters are newer than us: skip them. */
		if (type <= CARP_STAT_PAD || type > CARP_STAT_MAX ||
		    nla_len(a) < (int)sizeof(uint64_t))
			continue;
		stats[type] = nla_get_u64(a);
	}
}

static int parse_info(struct nl_msg *msg, struct carp_info *ci)
{
	struct nlattr *tb[CARP_A_MAX + 1];
	int err;

	memset(ci, 0, sizeof(*ci));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CARP_A_MAX, carp_policy))
		goto bad;
	/*
	 * The module reports all of these for every device (carp_fill());
	 * CARP_A_LINK only while the device has a parent, the last change
	 * only after the first one.
	 */
	if (!tb[CARP_A_IFNAME] || !tb[CARP_A_IFINDEX] || !tb[CARP_A_VHID] ||
	    !tb[CARP_A_ADVBASE] || !tb[CARP_A_ADVSKEW] || !tb[CARP_A_STATE] ||
	    !tb[CARP_A_VMAC] || !tb[CARP_A_DEMOTE] || !tb[CARP_A_BALANCING] ||
	    !tb[CARP_A_LLADDR] || !tb[CARP_A_NODES] || !tb[CARP_A_ADDRS] ||
	    !tb[CARP_A_STATS])
		goto bad;
	nla_strlcpy(ci->ifname, tb[CARP_A_IFNAME], sizeof(ci->ifname));
	ci->ifindex = nla_get_u32(tb[CARP_A_IFINDEX]);
	if (tb[CARP_A_LINK]) {
		ci->has_link = true;
		ci->link = nla_get_u32(tb[CARP_A_LINK]);
	}
	ci->vhid = nla_get_u8(tb[CARP_A_VHID]);
	ci->advbase = nla_get_u8(tb[CARP_A_ADVBASE]);
	ci->advskew = nla_get_u8(tb[CARP_A_ADVSKEW]);
	ci->state = nla_get_u8(tb[CARP_A_STATE]);
	ci->has_key = !!tb[CARP_A_HAS_KEY];
	memcpy(ci->vmac, nla_data(tb[CARP_A_VMAC]), 6);
	err = parse_addrs(tb[CARP_A_ADDRS], ci);
	if (err) {
		carp_info_free(ci);
		if (err == -EPROTO)
			goto bad;
		return err;
	}
	parse_stats(tb[CARP_A_STATS], ci->stats);
	ci->demote = nla_get_u8(tb[CARP_A_DEMOTE]);
	parse_peer_attrs(tb, &ci->peers);
	if (tb[CARP_A_LAST_CHANGE]) {
		ci->has_last_change = true;
		ci->last_change_ms = nla_get_u64(tb[CARP_A_LAST_CHANGE]);
	}
	if (tb[CARP_A_LAST_REASON])
		nla_strlcpy(ci->last_reason, tb[CARP_A_LAST_REASON],
			    sizeof(ci->last_reason));
	ci->balancing = nla_get_u8(tb[CARP_A_BALANCING]);
	ci->lladdr = nla_get_u8(tb[CARP_A_LLADDR]);
	/* a module before VRRPv3 reports no version: it speaks CARP */
	ci->version = tb[CARP_A_VERSION] ? nla_get_u8(tb[CARP_A_VERSION]) :
		      CARP_PROTO_CARP;
	if (ci->version == CARP_PROTO_VRRP) {
		/* the module reports these three for every VRRPv3 device */
		if (!tb[CARP_A_VRRP_PRIO] || !tb[CARP_A_VRRP_INTERVAL] ||
		    !tb[CARP_A_VRRP_PREEMPT]) {
			carp_info_free(ci);
			goto bad;
		}
		ci->vrrp_prio = nla_get_u8(tb[CARP_A_VRRP_PRIO]);
		ci->vrrp_interval = nla_get_u16(tb[CARP_A_VRRP_INTERVAL]);
		ci->vrrp_preempt = nla_get_u8(tb[CARP_A_VRRP_PREEMPT]);
		/* once the device ran: its own until a master is heard */
		if (tb[CARP_A_VRRP_MASTER_INTERVAL])
			ci->vrrp_master_interval =
				nla_get_u16(tb[CARP_A_VRRP_MASTER_INTERVAL]);
		/*
		 * A module before IPv6 VRRPv3 reports neither: its devices
		 * are IPv4's, and its MASTER always accepts (-1: Accept_Mode
		 * on, and not a setting it takes).
		 */
		ci->vrrp_family = tb[CARP_A_VRRP_FAMILY] ?
				  nla_get_u8(tb[CARP_A_VRRP_FAMILY]) :
				  CARP_VRRP_FAMILY_INET;
		ci->vrrp_accept = tb[CARP_A_VRRP_ACCEPT] ?
				  !!nla_get_u8(tb[CARP_A_VRRP_ACCEPT]) : -1;
	}
	err = parse_nodes(tb[CARP_A_NODES], ci);
	if (!err && !ci->nnodes)
		err = -EPROTO;		/* a device has at least one vhid */
	if (err) {
		carp_info_free(ci);
		if (err == -EPROTO)
			goto bad;
		return err;
	}
	return 0;
bad:
	kernel_msg_set("malformed CARP_CMD_GET_DEVICE reply from the kernel");
	return -EPROTO;
}

static struct nl_msg *carp_msg(uint8_t cmd, int flags, const char *ifname)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, carp_family, 0,
			 flags, cmd, CARP_GENL_VERSION))
		goto fail;
	if (ifname && nla_put_string(msg, CARP_A_IFNAME, ifname) < 0)
		goto fail;
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

struct get_ctx {
	struct carp_info *ci;
	int n;
};

static int get_parse(struct nl_msg *msg, void *arg)
{
	struct get_ctx *g = arg;
	int err;

	if (g->n)	/* one answer expected; ignore any other */
		return 0;
	err = parse_info(msg, g->ci);
	if (!err)
		g->n++;
	return err;
}

int nl_get_device(const char *ifname, struct carp_info *out)
{
	struct get_ctx g = { .ci = out };
	struct nl_msg *msg;
	int err;

	memset(out, 0, sizeof(*out));
	msg = carp_msg(CARP_CMD_GET_DEVICE, 0, ifname);
	if (!msg)
		return -ENOMEM;
	err = nl_talk(genl_sk, msg, get_parse, &g);
	if (err) {
		if (g.n)
			carp_info_free(out);
		return err;
	}
	if (!g.n) {
		kernel_msg_set("the kernel sent no reply for %s", ifname);
		return -EPROTO;
	}
	return 0;
}

static int dump_parse(struct nl_msg *msg, void *arg)
{
	struct carp_list *l = arg;
	struct carp_info *v;
	int err;

	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	err = parse_info(msg, &v[l->n]);
	if (!err)
		l->n++;
	return err;
}

int nl_dump_devices(struct carp_list *out)
{
	struct nl_msg *msg;
	int err;

	out->v = NULL;
	out->n = 0;
	msg = carp_msg(CARP_CMD_GET_DEVICE, NLM_F_DUMP, NULL);
	if (!msg)
		return -ENOMEM;
	err = nl_talk(genl_sk, msg, dump_parse, out);
	if (err)
		carp_list_free(out);
	return err;
}

/* CARP_A_NODES: a CARP_A_NODE nest per node, in the order given. */
static int put_nodes(struct nl_msg *msg, const struct carp_conf *c)
{
	struct nlattr *nodes, *node;
	int i;

	nodes = nla_nest_start(msg, NLA_F_NESTED | CARP_A_NODES);
	if (!nodes)
		return -1;
	for (i = 0; i < c->nnodes; i++) {
		node = nla_nest_start(msg, NLA_F_NESTED | CARP_A_NODE);
		if (!node ||
		    nla_put_u8(msg, CARP_NODE_A_VHID, c->nodes[i].vhid) < 0 ||
		    nla_put_u8(msg, CARP_NODE_A_ADVSKEW,
			       c->nodes[i].advskew) < 0)
			return -1;
		nla_nest_end(msg, node);
	}
	nla_nest_end(msg, nodes);
	return 0;
}

/*
 * A family's peers: a list of none or one as CARP_A_PEER (CARP_A_PEER6),
 * which every kernel takes; a longer one as CARP_A_PEERS (CARP_A_PEERS6),
 * which a kernel before lists refuses, saying so, rather than keeping one.
 */
static int put_peers(struct nl_msg *msg, const struct carp_peers *p, bool v6)
{
	static const struct in6_addr none;
	size_t i, n = v6 ? p->n6 : p->n;
	int len = v6 ? 16 : 4;
	struct nlattr *nest;

	if (n <= 1)
		return nla_put(msg, v6 ? CARP_A_PEER6 : CARP_A_PEER, len,
			       !n ? (const void *)&none : v6 ?
			       (const void *)&p->addr6[0] :
			       (const void *)&p->addr[0]) < 0 ? -1 : 0;
	nest = nla_nest_start(msg, NLA_F_NESTED |
			      (v6 ? CARP_A_PEERS6 : CARP_A_PEERS));
	if (!nest)
		return -1;
	for (i = 0; i < n; i++) {
		if (nla_put(msg, v6 ? CARP_A_PEER_ADDR6 : CARP_A_PEER_ADDR, len,
			    v6 ? (const void *)&p->addr6[i] :
			    (const void *)&p->addr[i]) < 0)
			return -1;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * VHID, ADVBASE, ADVSKEW, KEY, PEER, PEER6, STATE, NODES, BALANCING,
 * LLADDR, VERSION and the VRRPv3 ones: those given.
 */
static int put_conf(struct nl_msg *msg, const struct carp_conf *c)
{
	if (c->vhid >= 0 && nla_put_u8(msg, CARP_A_VHID, c->vhid) < 0)
		return -1;
	if (c->advbase >= 0 && nla_put_u8(msg, CARP_A_ADVBASE, c->advbase) < 0)
		return -1;
	if (c->advskew >= 0 && nla_put_u8(msg, CARP_A_ADVSKEW, c->advskew) < 0)
		return -1;
	if (c->has_key && nla_put(msg, CARP_A_KEY, c->keylen, c->key) < 0)
		return -1;
	if (c->has_peer && put_peers(msg, &c->peers, false))
		return -1;
	if (c->has_peer6 && put_peers(msg, &c->peers, true))
		return -1;
	if (c->state >= 0 && nla_put_u8(msg, CARP_A_STATE, c->state) < 0)
		return -1;
	if (c->nnodes && put_nodes(msg, c))
		return -1;
	if (c->balancing >= 0 &&
	    nla_put_u8(msg, CARP_A_BALANCING, c->balancing) < 0)
		return -1;
	if (c->lladdr >= 0 && nla_put_u8(msg, CARP_A_LLADDR, c->lladdr) < 0)
		return -1;
	if (c->version >= 0 && nla_put_u8(msg, CARP_A_VERSION, c->version) < 0)
		return -1;
	if (c->vrrp_prio >= 0 &&
	    nla_put_u8(msg, CARP_A_VRRP_PRIO, c->vrrp_prio) < 0)
		return -1;
	if (c->vrrp_interval >= 0 &&
	    nla_put_u16(msg, CARP_A_VRRP_INTERVAL, c->vrrp_interval) < 0)
		return -1;
	if (c->vrrp_preempt >= 0 &&
	    nla_put_u8(msg, CARP_A_VRRP_PREEMPT, c->vrrp_preempt) < 0)
		return -1;
	if (c->vrrp_accept >= 0 &&
	    nla_put_u8(msg, CARP_A_VRRP_ACCEPT, c->vrrp_accept) < 0)
		return -1;
	if (c->vrrp_family >= 0 &&
	    nla_put_u8(msg, CARP_A_VRRP_FAMILY, c->vrrp_family) < 0)
		return -1;
	return 0;
}

int nl_new_device(const struct carp_conf *c, unsigned int link)
{
	struct nl_msg *msg = carp_msg(CARP_CMD_NEW_DEVICE, 0, c->ifname);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, CARP_A_LINK, link) < 0 || put_conf(msg, c)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nl_talk(genl_sk, msg, NULL, NULL);
}

int nl_set_device(const struct carp_conf *c)
{
	struct nl_msg *msg = carp_msg(CARP_CMD_SET_DEVICE, 0, c->ifname);

	if (!msg)
		return -ENOMEM;
	if (put_conf(msg, c)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nl_talk(genl_sk, msg, NULL, NULL);
}

int nl_del_device(const char *ifname)
{
	struct nl_msg *msg = carp_msg(CARP_CMD_DEL_DEVICE, 0, ifname);

	if (!msg)
		return -ENOMEM;
	return nl_talk(genl_sk, msg, NULL, NULL);
}

/* CARP_A_HOLDS; what does not parse is left out. */
static void parse_holds(struct nlattr *nest, struct carp_netinfo *ni)
{
	struct nlattr *tb[CARP_HOLD_A_MAX + 1], *a;
	struct carp_hold_info *h;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (ni->nholds >= ARRAY_SIZE(ni->holds) ||
		    nla_parse_nested(tb, CARP_HOLD_A_MAX, a, carp_hold_policy) ||
		    !tb[CARP_HOLD_A_NAME] || !tb[CARP_HOLD_A_DEMOTE])
			continue;
		h = &ni->holds[ni->nholds++];
		nla_strlcpy(h->name, tb[CARP_HOLD_A_NAME], sizeof(h->name));
		h->demote = nla_get_u8(tb[CARP_HOLD_A_DEMOTE]);
		h->fired = tb[CARP_HOLD_A_FIRED] != NULL;
	}
}

/* CARP_A_TRACKS; likewise. */
static void parse_tracks(struct nlattr *nest, struct carp_netinfo *ni)
{
	struct nlattr *tb[CARP_TRACK_A_MAX + 1], *a;
	struct carp_track_info *t;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (ni->ntracks >= ARRAY_SIZE(ni->tracks) ||
		    nla_parse_nested(tb, CARP_TRACK_A_MAX, a, carp_track_policy) ||
		    !tb[CARP_TRACK_A_IFINDEX] || !tb[CARP_TRACK_A_DEMOTE])
			continue;
		t = &ni->tracks[ni->ntracks++];
		t->ifindex = nla_get_u32(tb[CARP_TRACK_A_IFINDEX]);
		if (tb[CARP_TRACK_A_IFNAME])
			nla_strlcpy(t->ifname, tb[CARP_TRACK_A_IFNAME],
				    sizeof(t->ifname));
		t->demote = nla_get_u8(tb[CARP_TRACK_A_DEMOTE]);
		t->down = tb[CARP_TRACK_A_DOWN] != NULL;
	}
}

static int net_parse(struct nl_msg *msg, void *arg)
{
	struct carp_netinfo *ni = arg;
	struct nlattr *tb[CARP_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CARP_A_MAX, carp_policy)) {
		kernel_msg_set("malformed CARP_CMD_GET_NET reply from the kernel");
		return -EPROTO;
	}
	/* the module reports these three for every namespace */
	if (!tb[CARP_A_DEMOTION] || !tb[CARP_A_DEMOTE] || !tb[CARP_A_STATS]) {
		kernel_msg_set("malformed CARP_CMD_GET_NET reply from the kernel");
		return -EPROTO;
	}
	ni->demotion = nla_get_u32(tb[CARP_A_DEMOTION]);
	ni->demote = nla_get_u8(tb[CARP_A_DEMOTE]);
	parse_stats(tb[CARP_A_STATS], ni->stats);
	if (tb[CARP_A_HOLDS])
		parse_holds(tb[CARP_A_HOLDS], ni);
	if (tb[CARP_A_TRACKS])
		parse_tracks(tb[CARP_A_TRACKS], ni);
	return 0;
}

int nl_get_net(struct carp_netinfo *out)
{
	struct nl_msg *msg;

	memset(out, 0, sizeof(*out));
	msg = carp_msg(CARP_CMD_GET_NET, 0, NULL);
	if (!msg)
		return -ENOMEM;
	return nl_talk(genl_sk, msg, net_parse, out);
}

int nl_set_net(int32_t demote_adj)
{
	struct nl_msg *msg = carp_msg(CARP_CMD_SET_NET, 0, NULL);

	if (!msg)
		return -ENOMEM;
	if (nla_put_s32(msg, CARP_A_DEMOTE_ADJ, demote_adj) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nl_talk(genl_sk, msg, NULL, NULL);
}

/* A request naming a hold or a tracked interface, with its demotion. */
static int demotion_request(int cmd, const char *name, unsigned int ifindex,
			    int demote)
{
	struct nl_msg *msg = carp_msg(cmd, 0, NULL);

	if (!msg)
		return -ENOMEM;
	if ((name && nla_put_string(msg, CARP_A_HOLD_NAME, name) < 0) ||
	    (ifindex && nla_put_u32(msg, CARP_A_LINK, ifindex) < 0) ||
	    (demote > 0 && nla_put_u8(msg, CARP_A_DEMOTE_BY, demote) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nl_talk(genl_sk, msg, NULL, NULL);
}

int nl_new_hold(const char *name, int demote)
{
	return demotion_request(CARP_CMD_NEW_HOLD, name, 0, demote);
}

int nl_del_hold(const char *name)
{
	return demotion_request(CARP_CMD_DEL_HOLD, name, 0, 0);
}

int nl_new_track(unsigned int ifindex, int demote)
{
	return demotion_request(CARP_CMD_NEW_TRACK, NULL, ifindex, demote);
}

int nl_del_track(unsigned int ifindex)
{
	return demotion_request(CARP_CMD_DEL_TRACK, NULL, ifindex, 0);
}

int nl_genl_fd(void)
{
	return genl_sk ? nl_socket_get_fd(genl_sk) : -1;
}

/* ------------------------------------------------------------------ */
/* The "monitor" multicast group: state changes as they happen. */

int nl_monitor_open(void)
{
	int rc, grp, err;

	rc = nl_open();
	if (rc)
		return rc;
	grp = genl_ctrl_resolve_grp(genl_sk, CARP_GENL_NAME,
				    CARP_GENL_MCGRP_MONITOR);
	if (grp < 0)
		return sys_err("the carp family has no multicast group \"%s\"",
			       CARP_GENL_MCGRP_MONITOR);
	mon_sk = nl_socket_alloc();
	if (!mon_sk)
		return sys_err("out of memory");
	nl_socket_disable_seq_check(mon_sk);
	err = genl_connect(mon_sk);
	if (err >= 0)
		err = nl_socket_add_membership(mon_sk, grp);
	if (err < 0) {
		nl_socket_free(mon_sk);
		mon_sk = NULL;
		return sys_err("cannot subscribe to carp state changes: %s",
			       nl_geterror(err));
	}
	/* Room for a burst (a netns going down); best effort. */
	nl_socket_set_buffer_size(mon_sk, 1 << 20, 0);
	return 0;
}

int nl_monitor_fd(void)
{
	return mon_sk ? nl_socket_get_fd(mon_sk) : -1;
}

void nl_monitor_close(void)
{
	if (mon_sk)
		nl_socket_free(mon_sk);
	mon_sk = NULL;
}

/* The common part of both events: device, vhid, time. */
static void parse_event_common(struct nlattr **tb, struct carp_event *ev)
{
	nla_strlcpy(ev->ifname, tb[CARP_A_IFNAME], sizeof(ev->ifname));
	if (tb[CARP_A_IFINDEX])
		ev->ifindex = nla_get_u32(tb[CARP_A_IFINDEX]);
	ev->vhid = tb[CARP_A_VHID] ? nla_get_u8(tb[CARP_A_VHID]) : -1;
	if (tb[CARP_A_TIME]) {
		ev->has_time = true;
		ev->time_ns = nla_get_u64(tb[CARP_A_TIME]);
	}
}

static int parse_state_event(struct nlattr **tb, struct carp_event *ev)
{
	if (!tb[CARP_A_STATE] || !tb[CARP_A_OLD_STATE])
		return -EPROTO;
	ev->kind = CARP_EV_STATE;
	ev->old_state = nla_get_u8(tb[CARP_A_OLD_STATE]);
	ev->state = nla_get_u8(tb[CARP_A_STATE]);
	ev->reason = tb[CARP_A_REASON] ? nla_get_u8(tb[CARP_A_REASON]) : -1;
	if (tb[CARP_A_LAST_REASON])
		nla_strlcpy(ev->reason_text, tb[CARP_A_LAST_REASON],
			    sizeof(ev->reason_text));
	return 0;
}

/* A conflict: the other master's address is 4 bytes (IPv4) or 16. */
static int parse_conflict_event(struct nlattr **tb, struct carp_event *ev)
{
	struct nlattr *a = tb[CARP_A_OTHER];

	if (!a || !tb[CARP_A_ADVBASE] || !tb[CARP_A_ADVSKEW])
		return -EPROTO;
	ev->kind = CARP_EV_CONFLICT;
	if (nla_len(a) == (int)sizeof(ev->other.addr)) {
		memcpy(&ev->other.addr, nla_data(a), sizeof(ev->other.addr));
		ev->other.plen = 32;
	} else if (nla_len(a) == (int)sizeof(ev->other.addr6)) {
		memcpy(&ev->other.addr6, nla_data(a), sizeof(ev->other.addr6));
		ev->other.v6 = true;
		ev->other.plen = 128;
	} else {
		return -EPROTO;
	}
	ev->advbase = nla_get_u8(tb[CARP_A_ADVBASE]);
	ev->advskew = nla_get_u8(tb[CARP_A_ADVSKEW]);
	ev->demote = tb[CARP_A_DEMOTE] ? nla_get_u8(tb[CARP_A_DEMOTE]) : -1;
	/* a MASTER reports a conflict, and stays MASTER */
	ev->old_state = CARP_STATE_MASTER;
	ev->state = CARP_STATE_MASTER;
	ev->reason = -1;
	return 0;
}

static int parse_event(struct nlmsghdr *nlh, struct carp_event *ev)
{
	struct nlattr *tb[CARP_A_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlh);

	if (nlh->nlmsg_type != carp_family ||
	    nlmsg_datalen(nlh) < (int)GENL_HDRLEN ||
	    (g->cmd != CARP_CMD_STATE_NOTIFY &&
	     g->cmd != CARP_CMD_CONFLICT_NOTIFY))
		return -ENOENT;
	if (genlmsg_parse(nlh, 0, tb, CARP_A_MAX, carp_policy) ||
	    !tb[CARP_A_IFNAME])
		return -EPROTO;
	memset(ev, 0, sizeof(*ev));
	parse_event_common(tb, ev);
	if (g->cmd == CARP_CMD_CONFLICT_NOTIFY)
		return parse_conflict_event(tb, ev);
	return parse_state_event(tb, ev);
}

int nl_monitor_read(int (*fn)(const struct carp_event *, void *),
		    void *arg)
{
	static unsigned char buf[65536];
	struct carp_event ev;
	struct nlmsghdr *nlh;
	ssize_t n;
	int len, rc;

	n = recv(nl_socket_get_fd(mon_sk), buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	len = (int)n;
	for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len)) {
		if (parse_event(nlh, &ev))
			continue;	/* not ours, or malformed: skip it */
		rc = fn(&ev, arg);
		if (rc)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* rtnetlink: addresses and link state. */

static struct rtnl_addr *rt_addr_build(unsigned int ifindex,
				       const struct carp_addr *a)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local;

	if (!ra)
		return NULL;
	if (a->v6)
		local = nl_addr_build(AF_INET6, &a->addr6, sizeof(a->addr6));
	else
		local = nl_addr_build(AF_INET, &a->addr, sizeof(a->addr));
	if (!local) {
		rtnl_addr_put(ra);
		return NULL;
	}
	nl_addr_set_prefixlen(local, a->plen);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, a->v6 ? AF_INET6 : AF_INET);
	rtnl_addr_set_local(ra, local);
	rtnl_addr_set_prefixlen(ra, a->plen);
	nl_addr_put(local);
	return ra;
}

static int rt_addr_request(bool add, unsigned int ifindex,
			   const struct carp_addr *a)
{
	struct rtnl_addr *ra;
	struct nl_msg *msg;
	int err;

	err = rt_open();
	if (err)
		return err;
	ra = rt_addr_build(ifindex, a);
	if (!ra)
		return -ENOMEM;
	if (add) {
		/*
		 * An IPv6 address is usable at once on takeover (no DAD;
		 * carp0 does none anyway, this says so to `ip addr`).
		 */
		rtnl_addr_set_flags(ra, a->v6 ? IFA_F_NODAD : 0);
		err = rtnl_addr_build_add_request(ra, NLM_F_EXCL, &msg);
		/* libnl has no setter for it: the message is flat, append */
		if (err >= 0 &&
		    nla_put_u32(msg, IFA_RT_PRIORITY, CARP_VIP_ROUTE_METRIC) < 0) {
			nlmsg_free(msg);
			err = -NLE_NOMEM;
		}
	} else {
		err = rtnl_addr_build_delete_request(ra, 0, &msg);
	}
	rtnl_addr_put(ra);
	if (err < 0)
		return lib_err(err);
	return nl_talk(rt_sk, msg, NULL, NULL);
}

int nl_add_address(unsigned int ifindex, const struct carp_addr *a)
{
	return rt_addr_request(true, ifindex, a);
}

int nl_del_address(unsigned int ifindex, const struct carp_addr *a)
{
	return rt_addr_request(false, ifindex, a);
}

int nl_set_link_up(unsigned int ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
		.ifi_flags = IFF_UP,
		.ifi_change = IFF_UP,
	};
	struct nl_msg *msg;
	int err;

	err = rt_open();
	if (err)
		return err;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nl_talk(rt_sk, msg, NULL, NULL);
}

struct addr_list {
	struct rt_addr *v;
	size_t n;
};

static int addr_parse(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IFA_MAX + 1], *a;
	struct addr_list *l = arg;
	struct ifaddrmsg *ifa;
	struct rt_addr *v;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlmsg_datalen(nlh) < (int)sizeof(*ifa))
		return 0;
	ifa = nlmsg_data(nlh);
	if (!(ifa->ifa_family == AF_INET && ifa->ifa_prefixlen <= 32) &&
	    !(ifa->ifa_family == AF_INET6 && ifa->ifa_prefixlen <= 128))
		return 0;
	if (nlmsg_parse(nlh, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return 0;
	/* IFA_LOCAL is the address of a point-to-point link's own end */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || nla_len(a) < (ifa->ifa_family == AF_INET6 ? 16 : 4))
		return 0;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	v += l->n++;
	/* All of it: find_parent() reads v6 and the other family's fields. */
	memset(v, 0, sizeof(*v));
	v->ifindex = ifa->ifa_index;
	v->a.v6 = ifa->ifa_family == AF_INET6;
	if (v->a.v6)
		memcpy(&v->a.addr6, nla_data(a), 16);
	else
		memcpy(&v->a.addr, nla_data(a), 4);
	v->a.plen = ifa->ifa_prefixlen;
	return 0;
}

int nl_list_addresses(struct rt_addr **out, size_t *n)
{
	/* every family: addr_parse() keeps IPv4 and IPv6 */
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
	struct addr_list l = { NULL, 0 };
	struct nl_msg *msg;
	int err;

	err = rt_open();
	if (err)
		return err;
	msg = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = nl_talk(rt_sk, msg, addr_parse, &l);
	if (err) {
		free(l.v);
		return err;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}
