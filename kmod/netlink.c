// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "carp": the configuration interface
 * (see uapi/carp.h for the ABI).
 */
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/rtnetlink.h>

#include "carp.h"

/*
 * Every command has a policy of its own, which names the attributes a
 * request of that command may carry. Attributes only the kernel sends
 * (counters, addresses, the virtual MAC, reasons, times, ...) are
 * refused in every request with a message that names them: a program
 * that echoes a reply back, or believes it can set a counter, learns why
 * at once instead of seeing its attribute ignored. An attribute another
 * command takes but this one does not has no policy entry here, which
 * strict validation (every command, see resv_start_op) refuses as
 * "Unsupported attribute" with its offset in the extended ack.
 */
#define CARP_REJECT(msg)	{ .type = NLA_REJECT, .reject_message = msg }
#define CARP_REPLY_ONLY(name)	CARP_REJECT(name " is only in replies, never in a request")
#define CARP_STATE_REPLY	CARP_REJECT("CARP_A_STATE is only in replies and in SET_DEVICE")

/* The same set of reply-only attributes in every request policy. */
#define CARP_POLICY_REPLY_ONLY						\
	[CARP_A_HAS_KEY]	= CARP_REPLY_ONLY("CARP_A_HAS_KEY"),	\
	[CARP_A_ADDRS]		= CARP_REPLY_ONLY("CARP_A_ADDRS"),	\
	[CARP_A_STATS]		= CARP_REPLY_ONLY("CARP_A_STATS"),	\
	[CARP_A_VMAC]		= CARP_REPLY_ONLY("CARP_A_VMAC"),	\
	[CARP_A_DEMOTE]		= CARP_REPLY_ONLY("CARP_A_DEMOTE"),	\
	[CARP_A_DEMOTION]	= CARP_REPLY_ONLY("CARP_A_DEMOTION"),	\
	[CARP_A_LAST_CHANGE]	= CARP_REPLY_ONLY("CARP_A_LAST_CHANGE"), \
	[CARP_A_LAST_REASON]	= CARP_REPLY_ONLY("CARP_A_LAST_REASON"), \
	[CARP_A_OLD_STATE]	= CARP_REPLY_ONLY("CARP_A_OLD_STATE"),	\
	[CARP_A_REASON]		= CARP_REPLY_ONLY("CARP_A_REASON"),	\
	[CARP_A_TIME]		= CARP_REPLY_ONLY("CARP_A_TIME"),	\
	[CARP_A_OTHER]		= CARP_REPLY_ONLY("CARP_A_OTHER"),	\
	[CARP_A_HOLDS]		= CARP_REPLY_ONLY("CARP_A_HOLDS"),	\
	[CARP_A_TRACKS]		= CARP_REPLY_ONLY("CARP_A_TRACKS"),	\
	[CARP_A_VRRP_MASTER_INTERVAL] = CARP_REPLY_ONLY("CARP_A_VRRP_MASTER_INTERVAL")

/*
 * A request's CARP_A_NODE: a vhid and its advskew; the rest is replies'.
 * This and the two peer-list policies are rtnetlink's too (link.c).
 */
const struct nla_policy carp_node_req_policy[CARP_NODE_A_MAX + 1] = {
	[CARP_NODE_A_VHID]	= NLA_POLICY_RANGE(NLA_U8, CARP_VHID_MIN, CARP_VHID_MAX),
	[CARP_NODE_A_ADVSKEW]	= NLA_POLICY_MAX(NLA_U8, CARP_ADVSKEW_MAX),
	[CARP_NODE_A_STATE]	= CARP_REPLY_ONLY("CARP_NODE_A_STATE"),
	[CARP_NODE_A_LAST_CHANGE] = CARP_REPLY_ONLY("CARP_NODE_A_LAST_CHANGE"),
	[CARP_NODE_A_REASON]	= CARP_REPLY_ONLY("CARP_NODE_A_REASON"),
	[CARP_NODE_A_LAST_REASON] = CARP_REPLY_ONLY("CARP_NODE_A_LAST_REASON"),
};

/* The entries of a request's CARP_A_PEERS and CARP_A_PEERS6. */
const struct nla_policy carp_peers_policy[CARP_A_PEER_ADDR + 1] = {
	[CARP_A_PEER_ADDR]	= NLA_POLICY_EXACT_LEN(4),
};

const struct nla_policy carp_peers6_policy[CARP_A_PEER_ADDR6 + 1] = {
	[CARP_A_PEER_ADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

/* GET_DEVICE (doit; the dump takes the same and ignores the device) and DEL_DEVICE. */
static const struct nla_policy carp_dev_policy[CARP_A_MAX + 1] = {
	[CARP_A_IFINDEX]	= { .type = NLA_U32 },
	[CARP_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[CARP_A_STATE]		= CARP_STATE_REPLY,
	CARP_POLICY_REPLY_ONLY,
};

/* The configuration NEW_DEVICE and SET_DEVICE share. */
#define CARP_POLICY_CONFIG						\
	[CARP_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }, \
	[CARP_A_LINK]		= { .type = NLA_U32 },			\
	[CARP_A_VHID]		= NLA_POLICY_RANGE(NLA_U8, CARP_VHID_MIN, CARP_VHID_MAX), \
	[CARP_A_ADVBASE]	= NLA_POLICY_RANGE(NLA_U8, CARP_ADVBASE_MIN, CARP_ADVBASE_MAX), \
	[CARP_A_ADVSKEW]	= NLA_POLICY_MAX(NLA_U8, CARP_ADVSKEW_MAX),	\
	[CARP_A_KEY]		= { .type = NLA_BINARY, .len = CARP_KEY_LEN }, \
	[CARP_A_PEER]		= NLA_POLICY_EXACT_LEN(4),		\
	[CARP_A_PEER6]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[CARP_A_PEERS]		= NLA_POLICY_NESTED(carp_peers_policy), \
	[CARP_A_PEERS6]		= NLA_POLICY_NESTED(carp_peers6_policy), \
	[CARP_A_NODES]		= NLA_POLICY_NESTED_ARRAY(carp_node_req_policy), \
	[CARP_A_BALANCING]	= NLA_POLICY_MAX(NLA_U8, CARP_BAL_MAX), \
	[CARP_A_LLADDR]		= NLA_POLICY_MAX(NLA_U8, CARP_LLADDR_MAX), \
	[CARP_A_VERSION]	= NLA_POLICY_RANGE(NLA_U8, CARP_PROTO_CARP, CARP_PROTO_VRRP), \
	[CARP_A_VRRP_PRIO]	= NLA_POLICY_RANGE(NLA_U8, CARP_VRRP_PRIO_MIN, \
						   CARP_VRRP_PRIO_MAX), \
	[CARP_A_VRRP_INTERVAL]	= NLA_POLICY_RANGE(NLA_U16, CARP_VRRP_INTERVAL_MIN, \
						   CARP_VRRP_INTERVAL_MAX), \
	[CARP_A_VRRP_PREEMPT]	= NLA_POLICY_MAX(NLA_U8, 1), \
	[CARP_A_VRRP_FAMILY]	= NLA_POLICY_RANGE(NLA_U8, CARP_VRRP_FAMILY_INET, \
						   CARP_VRRP_FAMILY_INET6), \
	[CARP_A_VRRP_ACCEPT]	= NLA_POLICY_MAX(NLA_U8, 1)

/* NEW_DEVICE: named by CARP_A_IFNAME only (it has no ifindex yet). */
static const struct nla_policy carp_new_policy[CARP_A_MAX + 1] = {
	CARP_POLICY_CONFIG,
	[CARP_A_STATE]		= CARP_STATE_REPLY,
	CARP_POLICY_REPLY_ONLY,
};

/* SET_DEVICE: the configuration, and a state to force. */
static const struct nla_policy carp_set_policy[CARP_A_MAX + 1] = {
	[CARP_A_IFINDEX]	= { .type = NLA_U32 },
	CARP_POLICY_CONFIG,
	[CARP_A_STATE]		= NLA_POLICY_MAX(NLA_U8, CARP_STATE_MASTER),
	CARP_POLICY_REPLY_ONLY,
};

/* GET_NET takes no attribute; SET_NET only CARP_A_DEMOTE_ADJ. */
static const struct nla_policy carp_get_net_policy[CARP_A_MAX + 1] = {
	[CARP_A_STATE]		= CARP_STATE_REPLY,
	CARP_POLICY_REPLY_ONLY,
};

static const struct nla_policy carp_set_net_policy[CARP_A_MAX + 1] = {
	[CARP_A_DEMOTE_ADJ]	= NLA_POLICY_RANGE(NLA_S32, -CARP_DEMOTE_MAX,
						   CARP_DEMOTE_MAX),
	[CARP_A_STATE]		= CARP_STATE_REPLY,
	CARP_POLICY_REPLY_ONLY,
};

/* NEW_HOLD and DEL_HOLD (which ignores CARP_A_DEMOTE_BY). */
static const struct nla_policy carp_hold_policy[CARP_A_MAX + 1] = {
	[CARP_A_HOLD_NAME]	= { .type = NLA_NUL_STRING, .len = CARP_HOLD_NAME_LEN - 1 },
	[CARP_A_DEMOTE_BY]	= NLA_POLICY_RANGE(NLA_U8, 1, CARP_DEMOTE_MAX),
	[CARP_A_STATE]		= CARP_STATE_REPLY,
	CARP_POLICY_REPLY_ONLY,
};

/* NEW_TRACK and DEL_TRACK (which ignores CARP_A_DEMOTE_BY). */
static const struct nla_policy carp_track_policy[CARP_A_MAX + 1] = {
	[CARP_A_LINK]		= { .type = NLA_U32 },
	[CARP_A_DEMOTE_BY]	= NLA_POLICY_RANGE(NLA_U8, 1, CARP_DEMOTE_MAX),
	[CARP_A_STATE]		= CARP_STATE_REPLY,
	CARP_POLICY_REPLY_ONLY,
};

/* The groups, indexed by these. */
enum carp_mcgrp {
	CARP_MCGRP_MONITOR,
};

/*
 * Anyone may listen to state changes, as anyone may read the state with
 * CARP_CMD_GET_DEVICE: no GENL_MCAST_CAP_* flag (6.6 and later).
 */
static const struct genl_multicast_group carp_mcgrps[] = {
	[CARP_MCGRP_MONITOR] = { .name = CARP_GENL_MCGRP_MONITOR },
};

static struct genl_family carp_genl_family;

/* The IPv6 virtual addresses, under RCU. */
static int carp_fill_addrs6(struct sk_buff *skb, struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);
	const struct inet6_ifaddr *ifp;
	struct nlattr *addr;
	int err = 0;

	if (!idev)
		return 0;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifp, &idev->addr_list, if_list) {
		addr = nla_nest_start(skb, CARP_A_ADDR);
		if (!addr ||
		    nla_put_u16(skb, CARP_ADDR_A_FAMILY, AF_INET6) ||
		    nla_put_in6_addr(skb, CARP_ADDR_A_ADDR, &ifp->addr) ||
		    nla_put_u8(skb, CARP_ADDR_A_PREFIXLEN, ifp->prefix_len)) {
			err = -EMSGSIZE;
			break;
		}
		nla_nest_end(skb, addr);
	}
	read_unlock_bh(&idev->lock);
	return err;
}

static int carp_fill_addrs(struct sk_buff *skb, struct net_device *dev)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;
	struct nlattr *addrs, *addr;

	addrs = nla_nest_start(skb, CARP_A_ADDRS);
	if (!addrs)
		return -EMSGSIZE;
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			addr = nla_nest_start(skb, CARP_A_ADDR);
			if (!addr ||
			    nla_put_u16(skb, CARP_ADDR_A_FAMILY, AF_INET) ||
			    nla_put_in_addr(skb, CARP_ADDR_A_ADDR, ifa->ifa_local) ||
			    nla_put_u8(skb, CARP_ADDR_A_PREFIXLEN, ifa->ifa_prefixlen))
				return -EMSGSIZE;
			nla_nest_end(skb, addr);
		}
	}
	if (carp_fill_addrs6(skb, dev))
		return -EMSGSIZE;
	nla_nest_end(skb, addrs);
	return 0;
}

/* The counters; a device has no badvhid/badif (only its netns counts them). */
static int carp_fill_stats(struct sk_buff *skb, const u64 *stats, bool netns)
{
	struct nlattr *nest = nla_nest_start(skb, CARP_A_STATS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = CARP_STAT_IPACKETS; i <= CARP_STAT_MAX; i++) {
		if (!netns && (i == CARP_STAT_BADVHID || i == CARP_STAT_BADIF))
			continue;
		if (nla_put_u64_64bit(skb, i, stats[i], CARP_STAT_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The device's vhids, each with its state; caller holds RCU or RTNL. */
static int carp_fill_nodes(struct sk_buff *skb, struct carp_dev *carp)
{
	const struct carp_vhosts *vhs = carp_vhosts(carp);
	const struct carp_vhost *vh;
	struct nlattr *nodes, *node;
	struct {
		u8 advskew;
		enum carp_state state;
		u64 last_change;
		const char *last_reason;
		enum carp_reason last_why;
	} snap;
	unsigned int i;

	nodes = nla_nest_start(skb, CARP_A_NODES);
	if (!nodes)
		return -EMSGSIZE;
	for (i = 0; i < vhs->n; i++) {
		vh = &vhs->vh[i];
		spin_lock_bh(&carp->lock);
		snap.advskew = vh->advskew;
		snap.state = vh->state;
		snap.last_change = vh->last_change;
		snap.last_reason = vh->last_reason;
		snap.last_why = vh->last_why;
		spin_unlock_bh(&carp->lock);
		node = nla_nest_start(skb, CARP_A_NODE);
		if (!node ||
		    nla_put_u8(skb, CARP_NODE_A_VHID, vh->vhid) ||
		    nla_put_u8(skb, CARP_NODE_A_ADVSKEW, snap.advskew) ||
		    nla_put_u8(skb, CARP_NODE_A_STATE, snap.state) ||
		    (snap.last_reason &&
		     (nla_put_u64_64bit(skb, CARP_NODE_A_LAST_CHANGE,
					jiffies64_to_msecs(get_jiffies_64() -
							   snap.last_change),
					CARP_NODE_A_PAD) ||
		      nla_put_u8(skb, CARP_NODE_A_REASON, snap.last_why) ||
		      nla_put_string(skb, CARP_NODE_A_LAST_REASON,
				     snap.last_reason))))
			return -EMSGSIZE;
		nla_nest_end(skb, node);
	}
	nla_nest_end(skb, nodes);
	return 0;
}

/*
 * Each non-empty peer list of @peers as a nest of its addresses, @type for
 * IPv4 and @type6 for IPv6: genl's CARP_A_PEERS (6) and rtnetlink's
 * IFLA_CARP_PEERS (6). Caller holds RCU or RTNL.
 */
int carp_nl_put_peers(struct sk_buff *skb, const struct carp_peers *peers,
		      int type, int type6)
{
	struct nlattr *nest;
	unsigned int i;

	if (!peers)
		return 0;
	if (peers->n) {
		nest = nla_nest_start(skb, type);
		if (!nest)
			return -EMSGSIZE;
		for (i = 0; i < peers->n; i++) {
			if (nla_put_in_addr(skb, CARP_A_PEER_ADDR,
					    peers->addr[i]))
				return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	if (peers->n6) {
		nest = nla_nest_start(skb, type6);
		if (!nest)
			return -EMSGSIZE;
		for (i = 0; i < peers->n6; i++) {
			if (nla_put_in6_addr(skb, CARP_A_PEER_ADDR6,
					     &peers->addr6[i]))
				return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

/*
 * The unicast peers: each non-empty list, and its first address in
 * CARP_A_PEER (6) as before lists existed. Caller holds RCU or RTNL.
 */
static int carp_fill_peers(struct sk_buff *skb, const struct carp_dev *carp)
{
	const struct carp_peers *peers = carp_peers(carp);

	if (!peers)
		return 0;
	if ((peers->n && nla_put_in_addr(skb, CARP_A_PEER, peers->addr[0])) ||
	    (peers->n6 &&
	     nla_put_in6_addr(skb, CARP_A_PEER6, &peers->addr6[0])))
		return -EMSGSIZE;
	return carp_nl_put_peers(skb, peers, CARP_A_PEERS, CARP_A_PEERS6);
}

/* One device into @skb; caller holds RCU or RTNL. The key never leaves. */
static int carp_fill(struct sk_buff *skb, struct carp_dev *carp, u32 portid,
		     u32 seq, int flags)
{
	struct carp_port *port = READ_ONCE(carp->port);
	const struct carp_vhost *vh0 = &carp_vhosts(carp)->vh[0];
	u64 stats[CARP_STAT_MAX + 1], last_change;
	u8 vhid, advbase, advskew, state, balancing, lladdr;
	u16 vrrp_interval, master_int;
	u8 vrrp_prio, vrrp_preempt, vrrp_accept;
	const char *last_reason;
	enum carp_reason last_why;
	struct carp_prio own;
	bool has_key;
	void *hdr;

	spin_lock_bh(&carp->lock);
	vhid = vh0->vhid;
	advbase = carp->advbase;
	advskew = vh0->advskew;
	state = carp->state;
	balancing = carp->balancing;
	lladdr = carp->lladdr;
	has_key = carp->has_key;
	memcpy(stats, carp->stats, sizeof(stats));
	last_change = carp->last_change;
	last_reason = carp->last_reason;
	last_why = carp->last_why;
	carp_prio_own(vh0, &own);
	vrrp_prio = carp->vrrp_prio;
	vrrp_interval = carp->vrrp_interval;
	vrrp_preempt = carp->vrrp_preempt;
	vrrp_accept = carp->vrrp_accept;
	master_int = vh0->master_int;
	spin_unlock_bh(&carp->lock);

	hdr = genlmsg_put(skb, portid, seq, &carp_genl_family, flags,
			  CARP_CMD_GET_DEVICE);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CARP_A_IFINDEX, carp->dev->ifindex) ||
	    nla_put_string(skb, CARP_A_IFNAME, carp->dev->name) ||
	    (port && nla_put_u32(skb, CARP_A_LINK, port->parent->ifindex)) ||
	    nla_put_u8(skb, CARP_A_VHID, vhid) ||
	    nla_put_u8(skb, CARP_A_ADVBASE, advbase) ||
	    nla_put_u8(skb, CARP_A_ADVSKEW, advskew) ||
	    nla_put_u8(skb, CARP_A_STATE, state) ||
	    (has_key && nla_put_flag(skb, CARP_A_HAS_KEY)) ||
	    nla_put(skb, CARP_A_VMAC, ETH_ALEN, carp->dev->dev_addr) ||
	    nla_put_u8(skb, CARP_A_DEMOTE, own.demote) ||
	    carp_fill_peers(skb, carp) ||
	    (last_reason &&
	     (nla_put_u64_64bit(skb, CARP_A_LAST_CHANGE,
				jiffies64_to_msecs(get_jiffies_64() - last_change),
				CARP_A_PAD) ||
	      nla_put_string(skb, CARP_A_LAST_REASON, last_reason) ||
	      nla_put_u8(skb, CARP_A_REASON, last_why))) ||
	    nla_put_u8(skb, CARP_A_BALANCING, balancing) ||
	    nla_put_u8(skb, CARP_A_LLADDR, lladdr) ||
	    nla_put_u8(skb, CARP_A_VERSION, carp->version) ||
	    (carp_is_vrrp(carp) &&
	     (nla_put_u8(skb, CARP_A_VRRP_PRIO, vrrp_prio) ||
	      nla_put_u16(skb, CARP_A_VRRP_INTERVAL, vrrp_interval) ||
	      nla_put_u8(skb, CARP_A_VRRP_PREEMPT, vrrp_preempt) ||
	      nla_put_u8(skb, CARP_A_VRRP_FAMILY, carp->vrrp_family) ||
	      nla_put_u8(skb, CARP_A_VRRP_ACCEPT, vrrp_accept) ||
	      (master_int &&
	       nla_put_u16(skb, CARP_A_VRRP_MASTER_INTERVAL, master_int)))) ||
	    carp_fill_nodes(skb, carp) ||
	    carp_fill_addrs(skb, carp->dev) ||
	    carp_fill_stats(skb, stats, false)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static struct carp_dev *carp_from_info(struct genl_info *info)
{
	int ifindex = 0;
	const char *name = NULL;

	if (info->attrs[CARP_A_IFINDEX])
		ifindex = nla_get_u32(info->attrs[CARP_A_IFINDEX]);
	if (info->attrs[CARP_A_IFNAME])
		name = nla_data(info->attrs[CARP_A_IFNAME]);
	return carp_dev_get(genl_info_net(info), ifindex, name, info->extack);
}

static int carp_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct carp_dev *carp;
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	carp = carp_from_info(info);
	if (IS_ERR(carp)) {
		err = PTR_ERR(carp);
		goto out;
	}
	rcu_read_lock();
	err = carp_fill(msg, carp, info->snd_portid, info->snd_seq, 0);
	rcu_read_unlock();
out:
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: how many devices were sent already. */
static int carp_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct carp_port *port;
	struct carp_dev *carp;
	long idx = 0, skip = cb->args[0];
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(port, &carp_pernet(net)->ports, node) {
		list_for_each_entry_rcu(carp, &port->carps, port_node) {
			if (idx++ < skip)
				continue;
			err = carp_fill(skb, carp, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI);
			if (err) {
				idx--;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	cb->args[0] = idx;
	/* a full skb with devices in it: send it and come back for more */
	if (err && idx == skip)
		return err;
	return skb->len;
}

/*
 * CARP_A_NODES into @cfg: each a CARP_A_NODE with a vhid and an advskew
 * (default 0); the policy checked their ranges. Sorting and duplicates:
 * carp_nodes_resolve().
 */
static int carp_nl_nodes(struct nlattr *attr, struct carp_config *cfg,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CARP_NODE_A_MAX + 1];
	struct nlattr *node;
	int rem, err;

	cfg->nnodes = 0;
	nla_for_each_nested(node, attr, rem) {
		if (nla_type(node) != CARP_A_NODE) {
			NL_SET_ERR_MSG_ATTR(extack, node, "CARP_A_NODES holds CARP_A_NODE only");
			return -EINVAL;
		}
		if (cfg->nnodes == CARP_NODES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, node, "carpnodes takes 1 to 32 VHID:ADVSKEW");
			return -E2BIG;
		}
		err = nla_parse_nested(tb, CARP_NODE_A_MAX, node,
				       carp_node_req_policy, extack);
		if (err)
			return err;
		if (!tb[CARP_NODE_A_VHID]) {
			NL_SET_ERR_MSG_ATTR(extack, node, "a carpnode needs a vhid");
			return -EINVAL;
		}
		cfg->node[cfg->nnodes].vhid = nla_get_u8(tb[CARP_NODE_A_VHID]);
		cfg->node[cfg->nnodes].advskew = tb[CARP_NODE_A_ADVSKEW] ?
			nla_get_u8(tb[CARP_NODE_A_ADVSKEW]) : 0;
		cfg->nnodes++;
	}
	if (!cfg->nnodes) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "carpnodes takes 1 to 32 VHID:ADVSKEW");
		return -EINVAL;
	}
	return 0;
}

/* Why carp_peers_add() (6) refused @attr, in the request's extack. */
static int carp_nl_peer_err(int err, bool v6, const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	switch (err) {
	case -EINVAL:
		if (v6)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "peer6 must be a unicast IPv6 address (:: means multicast)");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "peer must be a unicast address (0.0.0.0: multicast)");
		break;
	case -EEXIST:
		if (v6)
			NL_SET_ERR_MSG_ATTR(extack, attr, "peer6 listed twice");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr, "peer listed twice");
		return -EINVAL;
	case -E2BIG:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "at most 32 peers per device (IPv4 and IPv6 together)");
		break;
	}
	return err;
}

/*
 * The IPv4 list a request sets: CARP_A_PEER (one address, or 0.0.0.0:
 * none) or CARP_A_PEERS (the whole list; empty: none), into @peers.
 */
static int carp_nl_peers4(struct nlattr **attrs, struct carp_peers *peers,
			  struct netlink_ext_ack *extack)
{
	const struct nlattr *one = attrs[CARP_A_PEER];
	struct nlattr *nla;
	int rem, err;

	if (one && attrs[CARP_A_PEERS]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[CARP_A_PEERS],
				    "give peer or peers, not both");
		return -EINVAL;
	}
	if (one && nla_get_in_addr(one)) {
		err = carp_peers_add(peers, nla_get_in_addr(one));
		if (err)
			return carp_nl_peer_err(err, false, one, extack);
	}
	if (!attrs[CARP_A_PEERS])
		return 0;
	nla_for_each_nested(nla, attrs[CARP_A_PEERS], rem) {
		err = carp_peers_add(peers, nla_get_in_addr(nla));
		if (err)
			return carp_nl_peer_err(err, false, nla, extack);
	}
	return 0;
}

/* The same for the IPv6 list: CARP_A_PEER6 (:: none) or CARP_A_PEERS6. */
static int carp_nl_peers6(struct nlattr **attrs, struct carp_peers *peers,
			  struct netlink_ext_ack *extack)
{
	const struct nlattr *one = attrs[CARP_A_PEER6];
	struct in6_addr addr;
	struct nlattr *nla;
	int rem, err;

	if (one && attrs[CARP_A_PEERS6]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[CARP_A_PEERS6],
				    "give peer6 or peers6, not both");
		return -EINVAL;
	}
	if (one) {
		addr = nla_get_in6_addr(one);
		err = ipv6_addr_any(&addr) ? 0 : carp_peers_add6(peers, &addr);
		if (err)
			return carp_nl_peer_err(err, true, one, extack);
	}
	if (attrs[CARP_A_PEERS6]) {
		nla_for_each_nested(nla, attrs[CARP_A_PEERS6], rem) {
			addr = nla_get_in6_addr(nla);
			err = carp_peers_add6(peers, &addr);
			if (err)
				return carp_nl_peer_err(err, true, nla, extack);
		}
	}
	if (peers->n6 && !ipv6_mod_enabled()) {
		NL_SET_ERR_MSG_ATTR(extack, one ?: attrs[CARP_A_PEERS6],
				    "IPv6 is disabled on this host (ipv6.disable=1)");
		return -EAFNOSUPPORT;
	}
	return 0;
}

/*
 * The peer lists a request sets, into cfg->peers (NULL if it sets
 * neither). On error nothing is left allocated.
 */
static int carp_nl_peers(struct nlattr **attrs, struct carp_config *cfg,
			 struct netlink_ext_ack *extack)
{
	struct carp_peers *peers;
	int err;

	cfg->set_peer = attrs[CARP_A_PEER] || attrs[CARP_A_PEERS];
	cfg->set_peer6 = attrs[CARP_A_PEER6] || attrs[CARP_A_PEERS6];
	cfg->peers = NULL;
	if (!cfg->set_peer && !cfg->set_peer6)
		return 0;
	peers = kzalloc(sizeof(*peers), GFP_KERNEL_ACCOUNT);
	if (!peers)
		return -ENOMEM;
	err = carp_nl_peers4(attrs, peers, extack) ?:
	      carp_nl_peers6(attrs, peers, extack);
	if (err) {
		kfree(peers);
		return err;
	}
	cfg->peers = peers;
	return 0;
}

/*
 * The request's configuration attributes into @cfg (absent: unchanged),
 * checking what the policy cannot: the peer lists (carp_nl_peers()),
 * carpnodes come instead of vhid and advskew. cfg->peers is the caller's
 * to free (NULL on error). rtnetlink's attributes come here too, by their
 * CARP_A_ names (link.c).
 */
int carp_nl_config(struct nlattr **attrs, struct carp_config *cfg,
		   struct netlink_ext_ack *extack)
{
	int err;

	cfg->peers = NULL;
	cfg->nnodes = -1;
	if (attrs[CARP_A_NODES]) {
		if (attrs[CARP_A_VHID] || attrs[CARP_A_ADVSKEW]) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[CARP_A_NODES],
					    "carpnodes replaces vhid and advskew: give one or the other");
			return -EINVAL;
		}
		err = carp_nl_nodes(attrs[CARP_A_NODES], cfg, extack);
		if (err)
			return err;
	}
	cfg->balancing = attrs[CARP_A_BALANCING] ?
			 nla_get_u8(attrs[CARP_A_BALANCING]) : -1;
	cfg->lladdr = attrs[CARP_A_LLADDR] ?
		      nla_get_u8(attrs[CARP_A_LLADDR]) : -1;
	cfg->vhid = attrs[CARP_A_VHID] ? nla_get_u8(attrs[CARP_A_VHID]) : -1;
	cfg->advbase = attrs[CARP_A_ADVBASE] ?
		       nla_get_u8(attrs[CARP_A_ADVBASE]) : -1;
	cfg->advskew = attrs[CARP_A_ADVSKEW] ?
		       nla_get_u8(attrs[CARP_A_ADVSKEW]) : -1;
	cfg->key = attrs[CARP_A_KEY] ? nla_data(attrs[CARP_A_KEY]) : NULL;
	cfg->keylen = attrs[CARP_A_KEY] ? nla_len(attrs[CARP_A_KEY]) : -1;
	cfg->version = attrs[CARP_A_VERSION] ?
		       nla_get_u8(attrs[CARP_A_VERSION]) : -1;
	cfg->vrrp_prio = attrs[CARP_A_VRRP_PRIO] ?
			 nla_get_u8(attrs[CARP_A_VRRP_PRIO]) : -1;
	cfg->vrrp_interval = attrs[CARP_A_VRRP_INTERVAL] ?
			     nla_get_u16(attrs[CARP_A_VRRP_INTERVAL]) : -1;
	cfg->vrrp_preempt = attrs[CARP_A_VRRP_PREEMPT] ?
			    nla_get_u8(attrs[CARP_A_VRRP_PREEMPT]) : -1;
	cfg->vrrp_family = attrs[CARP_A_VRRP_FAMILY] ?
			   nla_get_u8(attrs[CARP_A_VRRP_FAMILY]) : -1;
	cfg->vrrp_accept = attrs[CARP_A_VRRP_ACCEPT] ?
			   nla_get_u8(attrs[CARP_A_VRRP_ACCEPT]) : -1;
	return carp_nl_peers(attrs, cfg, extack);
}

/*
 * The configuration of a new device (genl NEW_DEVICE, rtnetlink newlink):
 * a vhid or carpnodes; CARP unless carpver 3 is given; for CARP advbase 1
 * and advskew 0, for VRRPv3 priority 100, interval 100 cs and preemption,
 * unless given. Each protocol's words only: vrrp_config_check().
 */
int carp_nl_config_new(struct nlattr **attrs, struct carp_config *cfg,
		       struct netlink_ext_ack *extack)
{
	int err;

	if (!attrs[CARP_A_VHID] && !attrs[CARP_A_NODES]) {
		NL_SET_ERR_MSG(extack, "a carp device needs a vhid (or carpnodes)");
		return -EINVAL;
	}
	err = carp_nl_config(attrs, cfg, extack);
	if (err)
		return err;
	if (cfg->version < 0)
		cfg->version = CARP_PROTO_CARP;
	err = vrrp_config_check(cfg, cfg->version == CARP_PROTO_VRRP, extack);
	if (err) {
		kfree(cfg->peers);
		cfg->peers = NULL;
		return err;
	}
	if (cfg->vrrp_prio < 0)
		cfg->vrrp_prio = CARP_VRRP_PRIO_DEFAULT;
	if (cfg->vrrp_interval < 0)
		cfg->vrrp_interval = CARP_VRRP_INTERVAL_DEFAULT;
	if (cfg->vrrp_preempt < 0)
		cfg->vrrp_preempt = 1;
	if (cfg->vrrp_family < 0)
		cfg->vrrp_family = CARP_VRRP_FAMILY_INET;
	if (cfg->vrrp_accept < 0)
		cfg->vrrp_accept = 0;	/* RFC 5798 6.1's default */
	if (cfg->version == CARP_PROTO_VRRP &&
	    cfg->vrrp_family == CARP_VRRP_FAMILY_INET6 && !ipv6_mod_enabled()) {
		NL_SET_ERR_MSG(extack,
			       "IPv6 is disabled on this host (ipv6.disable=1): no VRRPv3 device of IPv6");
		kfree(cfg->peers);
		cfg->peers = NULL;
		return -EAFNOSUPPORT;
	}
	if (cfg->advbase < 0)
		cfg->advbase = 1;
	if (cfg->advskew < 0)
		cfg->advskew = 0;
	return 0;
}

static int carp_nl_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct net *net = genl_info_net(info);
	struct net_device *parent;
	struct carp_config cfg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CARP_A_IFNAME) ||
	    GENL_REQ_ATTR_CHECK(info, CARP_A_LINK))
		return -EINVAL;
	err = carp_nl_config_new(attrs, &cfg, info->extack);
	if (err)
		return err;
	rtnl_lock();
	parent = __dev_get_by_index(net, nla_get_u32(attrs[CARP_A_LINK]));
	if (!parent) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[CARP_A_LINK],
				    "parent device not found");
		err = -ENODEV;
		goto out;
	}
	err = carp_dev_create(net, nla_data(attrs[CARP_A_IFNAME]), parent,
			      &cfg, info->extack);
out:
	rtnl_unlock();
	kfree(cfg.peers);
	return err;
}

/*
 * SET with CARP_A_STATE: the administrator forces MASTER or BACKUP. Checked
 * before anything of the request applies (RTNL keeps it true until then).
 */
static int carp_nl_check_state(struct carp_dev *carp, struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	u8 state = nla_get_u8(attr);
	bool running;

	if (state != CARP_STATE_MASTER && state != CARP_STATE_BACKUP) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "only master or backup can be forced");
		return -EINVAL;
	}
	spin_lock_bh(&carp->lock);
	running = carp_can_run(carp);
	spin_unlock_bh(&carp->lock);
	if (!running) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "device is not running (INIT): it, its parent and the parent's link must be up");
		return -ENETDOWN;
	}
	return 0;
}

static int carp_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct carp_config cfg;
	struct carp_dev *carp;
	int err;

	rtnl_lock();
	carp = carp_from_info(info);
	if (IS_ERR(carp)) {
		err = PTR_ERR(carp);
		goto out;
	}
	if (attrs[CARP_A_LINK] &&
	    (!carp->port ||
	     nla_get_u32(attrs[CARP_A_LINK]) != carp->port->parent->ifindex)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[CARP_A_LINK],
				    "the parent of a carp device cannot be changed");
		err = -EOPNOTSUPP;
		goto out;
	}
	if (attrs[CARP_A_STATE]) {
		err = carp_nl_check_state(carp, attrs[CARP_A_STATE],
					  info->extack);
		if (err)
			goto out;
	}
	err = carp_nl_config(attrs, &cfg, info->extack);
	if (!err)
		err = carp_dev_configure(carp, &cfg, info->extack);
	kfree(cfg.peers);
	/* after the configuration: the state is forced on the new values */
	if (!err && attrs[CARP_A_STATE])
		carp_force_state_all(carp, nla_get_u8(attrs[CARP_A_STATE]));
	/*
	 * Announced to RTNLGRP_LINK as an rtnetlink change is (the core ends
	 * changelink with the same call): `ip monitor` and anything that
	 * caches links see the new configuration, whoever made it.
	 */
	if (!err)
		netdev_state_change(carp->dev);
out:
	rtnl_unlock();
	return err;
}

static int carp_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct carp_dev *carp;
	LIST_HEAD(kill);
	int err = 0;

	rtnl_lock();
	carp = carp_from_info(info);
	if (IS_ERR(carp)) {
		err = PTR_ERR(carp);
	} else {
		carp_link_ops.dellink(carp->dev, &kill);
		unregister_netdevice_many(&kill);
	}
	rtnl_unlock();
	return err;
}

/* The holds of @cn, in CARP_A_HOLDS. RTNL. */
static int carp_fill_holds(struct sk_buff *skb, struct carp_net *cn)
{
	struct nlattr *nest, *one;
	struct carp_hold *h;

	nest = nla_nest_start(skb, CARP_A_HOLDS);
	if (!nest)
		return -EMSGSIZE;
	list_for_each_entry(h, &cn->holds, node) {
		one = nla_nest_start(skb, CARP_A_HOLD);
		if (!one ||
		    nla_put_string(skb, CARP_HOLD_A_NAME, h->name) ||
		    nla_put_u8(skb, CARP_HOLD_A_DEMOTE, h->demote) ||
		    (h->fired && nla_put_flag(skb, CARP_HOLD_A_FIRED)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The tracked interfaces of @net, in CARP_A_TRACKS. RTNL. */
static int carp_fill_tracks(struct sk_buff *skb, struct net *net,
			    struct carp_net *cn)
{
	struct nlattr *nest, *one;
	struct net_device *dev;
	struct carp_track *t;

	nest = nla_nest_start(skb, CARP_A_TRACKS);
	if (!nest)
		return -EMSGSIZE;
	list_for_each_entry(t, &cn->tracks, node) {
		dev = __dev_get_by_index(net, t->ifindex);
		one = nla_nest_start(skb, CARP_A_TRACK);
		if (!one ||
		    nla_put_u32(skb, CARP_TRACK_A_IFINDEX, t->ifindex) ||
		    (dev && nla_put_string(skb, CARP_TRACK_A_IFNAME, dev->name)) ||
		    nla_put_u8(skb, CARP_TRACK_A_DEMOTE, t->demote) ||
		    (t->down && nla_put_flag(skb, CARP_TRACK_A_DOWN)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int carp_fill_net(struct sk_buff *skb, struct net *net,
			 struct carp_net *cn, u32 portid, u32 seq)
{
	u64 stats[CARP_STAT_MAX + 1];
	void *hdr;
	int i;

	for (i = 0; i <= CARP_STAT_MAX; i++)
		stats[i] = atomic64_read(&cn->stats[i]);
	hdr = genlmsg_put(skb, portid, seq, &carp_genl_family, 0,
			  CARP_CMD_GET_NET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CARP_A_DEMOTION, READ_ONCE(cn->demotion)) ||
	    nla_put_u8(skb, CARP_A_DEMOTE, READ_ONCE(cn->demote)) ||
	    carp_fill_stats(skb, stats, true) ||
	    carp_fill_holds(skb, cn) ||
	    carp_fill_tracks(skb, net, cn)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int carp_nl_get_net(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	/* the counters, and every hold and tracked interface at most */
	msg = nlmsg_new(NLMSG_GOODSIZE +
			CARP_HOLDS_MAX * (4 * NLA_HDRLEN + CARP_HOLD_NAME_LEN + 4) +
			CARP_TRACKS_MAX * (5 * NLA_HDRLEN + IFNAMSIZ + 8),
			GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	/* the lists of holds and tracks are RTNL's */
	rtnl_lock();
	err = carp_fill_net(msg, genl_info_net(info),
			    carp_pernet(genl_info_net(info)),
			    info->snd_portid, info->snd_seq);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int carp_nl_set_net(struct sk_buff *skb, struct genl_info *info)
{
	struct carp_net *cn = carp_pernet(genl_info_net(info));

	if (!info->attrs[CARP_A_DEMOTE_ADJ]) {
		NL_SET_ERR_MSG(info->extack, "nothing to change (CARP_A_DEMOTE_ADJ)");
		return -EINVAL;
	}
	rtnl_lock();
	carp_demote_adjust(cn, nla_get_s32(info->attrs[CARP_A_DEMOTE_ADJ]));
	rtnl_unlock();
	return 0;
}

/* What a hold or a track adds: CARP_A_DEMOTE_BY, default as a lost link. */
static u8 carp_demote_by(struct genl_info *info)
{
	return info->attrs[CARP_A_DEMOTE_BY] ?
	       nla_get_u8(info->attrs[CARP_A_DEMOTE_BY]) : CARP_LINK_DEMOTION;
}

/*
 * The hold is the requesting socket's: it fires when that socket closes
 * (see demotion.c), so the caller keeps the socket open as long as what
 * it guards runs.
 */
static int carp_nl_new_hold(struct sk_buff *skb, struct genl_info *info)
{
	struct carp_net *cn = carp_pernet(genl_info_net(info));
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CARP_A_HOLD_NAME))
		return -EINVAL;
	rtnl_lock();
	err = carp_hold_take(cn, nla_data(info->attrs[CARP_A_HOLD_NAME]),
			     carp_demote_by(info), info->snd_portid,
			     info->extack);
	rtnl_unlock();
	return err;
}

static int carp_nl_del_hold(struct sk_buff *skb, struct genl_info *info)
{
	struct carp_net *cn = carp_pernet(genl_info_net(info));
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CARP_A_HOLD_NAME))
		return -EINVAL;
	rtnl_lock();
	err = carp_hold_del(cn, nla_data(info->attrs[CARP_A_HOLD_NAME]),
			    info->extack);
	rtnl_unlock();
	return err;
}

static int carp_nl_new_track(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CARP_A_LINK))
		return -EINVAL;
	rtnl_lock();
	err = carp_track_add(genl_info_net(info),
			     nla_get_u32(info->attrs[CARP_A_LINK]),
			     carp_demote_by(info), info->extack);
	rtnl_unlock();
	return err;
}

static int carp_nl_del_track(struct sk_buff *skb, struct genl_info *info)
{
	struct carp_net *cn = carp_pernet(genl_info_net(info));
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CARP_A_LINK))
		return -EINVAL;
	rtnl_lock();
	err = carp_track_del(cn, nla_get_u32(info->attrs[CARP_A_LINK]),
			     info->extack);
	rtnl_unlock();
	return err;
}

static const struct genl_ops carp_genl_ops[] = {
	{
		.cmd	= CARP_CMD_GET_DEVICE,
		.doit	= carp_nl_get,
		.dumpit	= carp_nl_dump,
		.policy	= carp_dev_policy,
		.maxattr = CARP_A_MAX,
		/* anyone may read; the key is never dumped */
	},
	{
		.cmd	= CARP_CMD_NEW_DEVICE,
		.doit	= carp_nl_new,
		.policy	= carp_new_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CARP_CMD_SET_DEVICE,
		.doit	= carp_nl_set,
		.policy	= carp_set_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CARP_CMD_DEL_DEVICE,
		.doit	= carp_nl_del,
		.policy	= carp_dev_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CARP_CMD_GET_NET,
		.doit	= carp_nl_get_net,
		.policy	= carp_get_net_policy,
		.maxattr = CARP_A_MAX,
	},
	{
		.cmd	= CARP_CMD_SET_NET,
		.doit	= carp_nl_set_net,
		.policy	= carp_set_net_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CARP_CMD_NEW_HOLD,
		.doit	= carp_nl_new_hold,
		.policy	= carp_hold_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CARP_CMD_DEL_HOLD,
		.doit	= carp_nl_del_hold,
		.policy	= carp_hold_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CARP_CMD_NEW_TRACK,
		.doit	= carp_nl_new_track,
		.policy	= carp_track_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CARP_CMD_DEL_TRACK,
		.doit	= carp_nl_del_track,
		.policy	= carp_track_policy,
		.maxattr = CARP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

/*
 * resv_start_op is the first command the core checks strictly (reserved
 * header field zero, no nlmsg_flags but REQUEST, ACK, ECHO and DUMP, and
 * a command without a policy takes no attribute at all); commands below
 * it keep the loose checks of older families. This family is new: every
 * command is checked from the start, so it is 0, which the genetlink
 * documentation asks of new families. (A value past the last command
 * would do the opposite and exempt them all.) Each command brings its own
 * policy, and the family none: a command added without one gets the
 * core's reject-everything policy rather than accepting any attribute.
 */
static struct genl_family carp_genl_family __ro_after_init = {
	.name		= CARP_GENL_NAME,
	.version	= CARP_GENL_VERSION,
	.maxattr	= CARP_A_MAX,
	.netnsok	= true,
	.parallel_ops	= false,
	.module		= THIS_MODULE,
	.ops		= carp_genl_ops,
	.n_ops		= ARRAY_SIZE(carp_genl_ops),
	.mcgrps		= carp_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(carp_mcgrps),
	.resv_start_op	= 0,
};

/* The family is registered: notifications may be sent. */
static bool carp_genl_up;

/*
 * The start of an event of @vh's device to the "monitor" group: NULL when
 * nobody listens (nothing is built then) or there is no memory; else a
 * message of @cmd with the device and the vhid, @size bytes of event
 * attributes to follow (and the time), its header in *@hdr.
 */
static struct sk_buff *carp_nl_event_new(struct carp_vhost *vh, u8 cmd,
					 size_t size, void **hdr)
{
	struct carp_dev *carp = vh->carp;
	struct sk_buff *skb;

	if (!READ_ONCE(carp_genl_up) ||
	    !genl_has_listeners(&carp_genl_family, dev_net(carp->dev),
				CARP_MCGRP_MONITOR))
		return NULL;
	skb = genlmsg_new(nla_total_size(sizeof(u32)) +		/* IFINDEX */
			  nla_total_size(IFNAMSIZ) +			/* IFNAME */
			  nla_total_size(sizeof(u8)) +			/* VHID */
			  size + nla_total_size_64bit(sizeof(u64)),	/* TIME */
			  GFP_ATOMIC);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &carp_genl_family, 0, cmd);
	if (!*hdr ||
	    nla_put_u32(skb, CARP_A_IFINDEX, carp->dev->ifindex) ||
	    nla_put_string(skb, CARP_A_IFNAME, carp->dev->name) ||
	    nla_put_u8(skb, CARP_A_VHID, vh->vhid)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* The time, then the event to the group of @vh's netns; @err: don't. */
static void carp_nl_event_send(struct carp_vhost *vh, struct sk_buff *skb,
			       void *hdr, int err)
{
	if (err || nla_put_u64_64bit(skb, CARP_A_TIME, ktime_get_real_ns(),
				     CARP_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&carp_genl_family, dev_net(vh->carp->dev), skb,
				0, CARP_MCGRP_MONITOR, GFP_ATOMIC);
}

/*
 * A state change (carp_set_state()) to the "monitor" group of the device's
 * netns. Called with carp->lock held, from timers and the netfilter hook
 * (softirq) as well as from process context: GFP_ATOMIC, and nothing is
 * built while nobody listens. Sent under the lock, so that the events of
 * one device reach listeners in the order they happened. A listener whose
 * socket is full misses events (ENOBUFS on its next read), as with
 * rtnetlink.
 */
void carp_nl_notify_state(struct carp_vhost *vh, enum carp_state old,
			  enum carp_state state, enum carp_reason why,
			  const char *reason)
{
	struct sk_buff *skb;
	void *hdr;

	skb = carp_nl_event_new(vh, CARP_CMD_STATE_NOTIFY,
				3 * nla_total_size(sizeof(u8)) +	/* *STATE, REASON */
				nla_total_size(strlen(reason) + 1),	/* LAST_REASON */
				&hdr);
	if (!skb)
		return;
	carp_nl_event_send(vh, skb, hdr,
			   nla_put_u8(skb, CARP_A_OLD_STATE, old) ||
			   nla_put_u8(skb, CARP_A_STATE, state) ||
			   nla_put_u8(skb, CARP_A_REASON, why) ||
			   nla_put_string(skb, CARP_A_LAST_REASON, reason));
}

/*
 * A new conflict (carp_conflict()) to the same group: which vhid, the
 * other master's address and what it advertised. As carp_nl_notify_state(),
 * with carp->lock held, GFP_ATOMIC.
 */
void carp_nl_notify_conflict(struct carp_vhost *vh, const struct carp_rx *rx,
			     const struct carp_prio *theirs)
{
	struct sk_buff *skb;
	void *hdr;

	skb = carp_nl_event_new(vh, CARP_CMD_CONFLICT_NOTIFY,
				nla_total_size(sizeof(struct in6_addr)) +	/* OTHER */
				3 * nla_total_size(sizeof(u8)),	/* ADV*, DEMOTE */
				&hdr);
	if (!skb)
		return;
	carp_nl_event_send(vh, skb, hdr,
			   (rx->v6 ? nla_put_in6_addr(skb, CARP_A_OTHER, &rx->src.v6) :
				     nla_put_in_addr(skb, CARP_A_OTHER, rx->src.v4)) ||
			   nla_put_u8(skb, CARP_A_ADVBASE, theirs->advbase) ||
			   nla_put_u8(skb, CARP_A_ADVSKEW, theirs->advskew) ||
			   nla_put_u8(skb, CARP_A_DEMOTE, theirs->demote));
}

int __init carp_genl_init(void)
{
	int err = genl_register_family(&carp_genl_family);

	if (!err)
		WRITE_ONCE(carp_genl_up, true);
	return err;
}

/*
 * Devices still change state after this (their removal follows): no more
 * events. Every notification runs under spin_lock_bh(&carp->lock), an RCU
 * read-side section: once synchronize_net() returns, none is in flight.
 */
void carp_genl_exit(void)
{
	WRITE_ONCE(carp_genl_up, false);
	synchronize_net();
	genl_unregister_family(&carp_genl_family);
}
