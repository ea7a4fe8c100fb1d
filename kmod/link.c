// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink: the "carp" link kind's attributes (IFLA_CARP_* in
 * IFLA_INFO_DATA), so that `ip link add/set/show` create, change and show
 * a carp device as they do a macvlan.
 *
 * A request's attributes are read by the code that reads genl's: each
 * IFLA_CARP_* goes into the slot of the CARP_A_* of the same meaning, and
 * carp_nl_config() or carp_nl_config_new() checks and parses them into a
 * struct carp_config. carp_dev_new() and carp_dev_configure() apply it, as
 * for genl's NEW_DEVICE and SET_DEVICE: one way to create a device, one
 * way to change it. genl keeps what rtnetlink does not carry: virtual
 * addresses, counters, forced states, the netns's demotion, holds and
 * tracks, and events with their reasons.
 *
 * Replies and notifications carry the configuration and the state, never
 * the key: anyone may read them (`ip -d link show`).
 */
#include <linux/netdevice.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "carp.h"

#define CARP_LINK_REPLY_ONLY(name)					\
	{ .type = NLA_REJECT,						\
	  .reject_message = name " is only in replies, never in a request" }

const struct nla_policy carp_link_policy[IFLA_CARP_MAX + 1] = {
	/* every attribute, nests included, exactly as long as its type */
	[IFLA_CARP_UNSPEC]	= { .strict_start_type = IFLA_CARP_UNSPEC + 1 },
	[IFLA_CARP_VHID]	= NLA_POLICY_RANGE(NLA_U8, CARP_VHID_MIN, CARP_VHID_MAX),
	[IFLA_CARP_ADVBASE]	= NLA_POLICY_RANGE(NLA_U8, CARP_ADVBASE_MIN, CARP_ADVBASE_MAX),
	[IFLA_CARP_ADVSKEW]	= NLA_POLICY_MAX(NLA_U8, CARP_ADVSKEW_MAX),
	[IFLA_CARP_KEY]		= { .type = NLA_BINARY, .len = CARP_KEY_LEN },
	[IFLA_CARP_PEERS]	= NLA_POLICY_NESTED(carp_peers_policy),
	[IFLA_CARP_PEERS6]	= NLA_POLICY_NESTED(carp_peers6_policy),
	[IFLA_CARP_NODES]	= NLA_POLICY_NESTED_ARRAY(carp_node_req_policy),
	[IFLA_CARP_BALANCING]	= NLA_POLICY_MAX(NLA_U8, CARP_BAL_MAX),
	[IFLA_CARP_LLADDR]	= NLA_POLICY_MAX(NLA_U8, CARP_LLADDR_MAX),
	[IFLA_CARP_STATE]	= CARP_LINK_REPLY_ONLY("IFLA_CARP_STATE"),
	[IFLA_CARP_HAS_KEY]	= CARP_LINK_REPLY_ONLY("IFLA_CARP_HAS_KEY"),
	[IFLA_CARP_VERSION]	= NLA_POLICY_RANGE(NLA_U8, CARP_PROTO_CARP, CARP_PROTO_VRRP),
	[IFLA_CARP_VRRP_PRIO]	= NLA_POLICY_RANGE(NLA_U8, CARP_VRRP_PRIO_MIN, CARP_VRRP_PRIO_MAX),
	[IFLA_CARP_VRRP_INTERVAL] = NLA_POLICY_RANGE(NLA_U16, CARP_VRRP_INTERVAL_MIN,
						     CARP_VRRP_INTERVAL_MAX),
	[IFLA_CARP_VRRP_PREEMPT] = NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_CARP_VRRP_FAMILY]	= NLA_POLICY_RANGE(NLA_U8, CARP_VRRP_FAMILY_INET,
						   CARP_VRRP_FAMILY_INET6),
	[IFLA_CARP_VRRP_ACCEPT]	= NLA_POLICY_MAX(NLA_U8, 1),
};

/* IFLA_CARP_* that configure, and the CARP_A_* genl reads them as. */
static const u8 carp_link_attr[][2] = {
	{ IFLA_CARP_VHID,	CARP_A_VHID },
	{ IFLA_CARP_ADVBASE,	CARP_A_ADVBASE },
	{ IFLA_CARP_ADVSKEW,	CARP_A_ADVSKEW },
	{ IFLA_CARP_KEY,	CARP_A_KEY },
	{ IFLA_CARP_PEERS,	CARP_A_PEERS },
	{ IFLA_CARP_PEERS6,	CARP_A_PEERS6 },
	{ IFLA_CARP_NODES,	CARP_A_NODES },
	{ IFLA_CARP_BALANCING,	CARP_A_BALANCING },
	{ IFLA_CARP_LLADDR,	CARP_A_LLADDR },
	{ IFLA_CARP_VERSION,	CARP_A_VERSION },
	{ IFLA_CARP_VRRP_PRIO,	CARP_A_VRRP_PRIO },
	{ IFLA_CARP_VRRP_INTERVAL, CARP_A_VRRP_INTERVAL },
	{ IFLA_CARP_VRRP_PREEMPT, CARP_A_VRRP_PREEMPT },
	{ IFLA_CARP_VRRP_FAMILY, CARP_A_VRRP_FAMILY },
	{ IFLA_CARP_VRRP_ACCEPT, CARP_A_VRRP_ACCEPT },
};

/*
 * @data (IFLA_INFO_DATA, checked against carp_link_policy; NULL if the
 * request has none) into @cfg, for a new device (@new) or a change.
 * cfg->peers is the caller's to free.
 */
static int carp_link_config(struct nlattr *data[], struct carp_config *cfg,
			    bool new, struct netlink_ext_ack *extack)
{
	struct nlattr *attrs[CARP_A_MAX + 1] = {};
	unsigned int i;

	for (i = 0; data && i < ARRAY_SIZE(carp_link_attr); i++)
		attrs[carp_link_attr[i][1]] = data[carp_link_attr[i][0]];
	if (new)
		return carp_nl_config_new(attrs, cfg, extack);
	return carp_nl_config(attrs, cfg, extack);
}

/*
 * What `ip link add` may say of carp0's link layer, as for macvlan: its
 * MAC is not the caller's to choose (it is its first vhid's virtual MAC,
 * or its parent's with lladdr parent), and its MTU no more than the
 * parent's (carp_change_mtu()). Refused rather than silently overridden.
 */
static int carp_newlink_l2(const struct net_device *dev, struct nlattr *tb[],
			   const struct net_device *parent,
			   struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG(extack,
			       "a carp device's MAC is its vhid's (or its parent's: lladdr parent), not set by address");
		return -EINVAL;
	}
	if (tb[IFLA_MTU] && dev->mtu > parent->mtu) {
		NL_SET_ERR_MSG(extack, "MTU larger than the parent's");
		return -EINVAL;
	}
	return 0;
}

int carp_newlink(struct net *src_net, struct net_device *dev,
		 struct nlattr *tb[], struct nlattr *data[],
		 struct netlink_ext_ack *extack)
{
	struct net_device *parent;
	struct carp_config cfg;
	unsigned int mtu;
	int err;

	if (!tb[IFLA_LINK]) {
		NL_SET_ERR_MSG(extack, "a carp device needs a parent: link DEV");
		return -EINVAL;
	}
	/*
	 * IFLA_LINK is an ifindex in @src_net, the namespace the request
	 * names its link in (the caller's, or IFLA_LINK_NETNSID's), as for
	 * macvlan and vlan; @dev may be created elsewhere (IFLA_NET_NS_*,
	 * IFLA_TARGET_NETNSID), where the same number is another device or
	 * none.
	 */
	parent = __dev_get_by_index(src_net, nla_get_u32(tb[IFLA_LINK]));
	if (!parent) {
		NL_SET_ERR_MSG(extack, "parent device not found");
		return -ENODEV;
	}
	/*
	 * A carp device lives in its parent's namespace: the parent's
	 * namespace lists its carp devices, counts their advertisements and
	 * demotes them, and the device can never move (netns_immutable).
	 */
	if (!net_eq(dev_net(parent), dev_net(dev))) {
		NL_SET_ERR_MSG(extack,
			       "a carp device must be created in its parent's network namespace");
		return -EINVAL;
	}
	err = carp_newlink_l2(dev, tb, parent, extack) ?:
	      carp_link_config(data, &cfg, true, extack);
	if (err)
		return err;
	mtu = tb[IFLA_MTU] ? dev->mtu : 0;
	err = carp_dev_new(dev, parent, &cfg, extack);
	kfree(cfg.peers);
	/*
	 * Attaching gave carp0 its parent's MTU; an MTU asked for is kept
	 * instead. It cannot fail: carp_newlink_l2() checked it against the
	 * parent, and the core against carp0's own bounds.
	 */
	if (!err && mtu && mtu != dev->mtu)
		WARN_ON_ONCE(dev_set_mtu(dev, mtu));
	return err;
}

int carp_changelink(struct net_device *dev, struct nlattr *tb[],
		    struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct carp_config cfg;
	int err;

	if (tb[IFLA_LINK] &&
	    (!carp->port ||
	     nla_get_u32(tb[IFLA_LINK]) != carp->port->parent->ifindex)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "the parent of a carp device cannot be changed");
		return -EOPNOTSUPP;
	}
	err = carp_link_config(data, &cfg, false, extack);
	if (!err)
		err = carp_dev_configure(carp, &cfg, extack);
	kfree(cfg.peers);
	return err;
}

/*
 * The most any device's attributes take, whatever it holds: a reply is
 * sized before it is filled, and a notification must not fail for want
 * of room.
 */
size_t carp_link_get_size(const struct net_device *dev)
{
	const size_t node = nla_total_size(0) +		/* CARP_A_NODE */
			    3 * nla_total_size(sizeof(u8));

	return 6 * nla_total_size(sizeof(u8)) +	/* VHID ... STATE */
	       nla_total_size(0) +			/* HAS_KEY */
	       5 * nla_total_size(sizeof(u8)) +	/* VERSION, VRRP_PRIO .. _ACCEPT */
	       nla_total_size(sizeof(u16)) +		/* VRRP_INTERVAL */
	       2 * nla_total_size(0) +			/* PEERS, PEERS6 */
	       CARP_PEERS_MAX * nla_total_size(sizeof(struct in6_addr)) +
	       nla_total_size(0) + CARP_NODES_MAX * node;	/* NODES */
}

/* Every vhid, its advskew and its state. */
static int carp_link_fill_nodes(struct sk_buff *skb, struct carp_dev *carp,
				const struct carp_vhosts *vhs)
{
	struct nlattr *nodes, *node;
	unsigned int i;
	u8 advskew, state;

	nodes = nla_nest_start(skb, IFLA_CARP_NODES);
	if (!nodes)
		return -EMSGSIZE;
	for (i = 0; i < vhs->n; i++) {
		spin_lock_bh(&carp->lock);
		advskew = vhs->vh[i].advskew;
		state = vhs->vh[i].state;
		spin_unlock_bh(&carp->lock);
		node = nla_nest_start(skb, CARP_A_NODE);
		if (!node ||
		    nla_put_u8(skb, CARP_NODE_A_VHID, vhs->vh[i].vhid) ||
		    nla_put_u8(skb, CARP_NODE_A_ADVSKEW, advskew) ||
		    nla_put_u8(skb, CARP_NODE_A_STATE, state))
			return -EMSGSIZE;
		nla_nest_end(skb, node);
	}
	nla_nest_end(skb, nodes);
	return 0;
}

/*
 * Under RTNL (rtnl_fill_ifinfo()): the vhids and the peer lists are only
 * replaced under it; advskew and the states change under carp->lock.
 */
int carp_link_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);
	const struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	u8 advbase, advskew, state, balancing, lladdr, prio, preempt, accept;
	u16 interval;
	bool has_key;

	if (!vhs)	/* ndo_uninit ran: nothing left to report */
		return 0;
	spin_lock_bh(&carp->lock);
	advbase = carp->advbase;
	advskew = vhs->vh[0].advskew;
	state = vhs->vh[0].state;
	balancing = carp->balancing;
	lladdr = carp->lladdr;
	has_key = carp->has_key;
	prio = carp->vrrp_prio;
	interval = carp->vrrp_interval;
	preempt = carp->vrrp_preempt;
	accept = carp->vrrp_accept;
	spin_unlock_bh(&carp->lock);

	if (nla_put_u8(skb, IFLA_CARP_VERSION, carp->version) ||
	    (carp_is_vrrp(carp) &&
	     (nla_put_u8(skb, IFLA_CARP_VRRP_PRIO, prio) ||
	      nla_put_u16(skb, IFLA_CARP_VRRP_INTERVAL, interval) ||
	      nla_put_u8(skb, IFLA_CARP_VRRP_PREEMPT, preempt) ||
	      nla_put_u8(skb, IFLA_CARP_VRRP_FAMILY, carp->vrrp_family) ||
	      nla_put_u8(skb, IFLA_CARP_VRRP_ACCEPT, accept))) ||
	    nla_put_u8(skb, IFLA_CARP_VHID, vhs->vh[0].vhid) ||
	    nla_put_u8(skb, IFLA_CARP_ADVBASE, advbase) ||
	    nla_put_u8(skb, IFLA_CARP_ADVSKEW, advskew) ||
	    nla_put_u8(skb, IFLA_CARP_STATE, state) ||
	    nla_put_u8(skb, IFLA_CARP_BALANCING, balancing) ||
	    nla_put_u8(skb, IFLA_CARP_LLADDR, lladdr) ||
	    (has_key && nla_put_flag(skb, IFLA_CARP_HAS_KEY)) ||
	    carp_nl_put_peers(skb, rtnl_dereference(carp->peers),
			      IFLA_CARP_PEERS, IFLA_CARP_PEERS6) ||
	    carp_link_fill_nodes(skb, carp, vhs))
		return -EMSGSIZE;
	return 0;
}
