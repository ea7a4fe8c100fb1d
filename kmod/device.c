// SPDX-License-Identifier: GPL-2.0
/*
 * The carp network device (rtnl_link kind "carp") and its attachment to a
 * parent device (struct carp_port). Everything here runs under RTNL.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/igmp.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ndisc.h>
#include <net/rtnetlink.h>

#include "carp.h"
#include "compat.h"

static void carp_vips_free(struct carp_dev *carp)
{
	struct carp_vips *old = rtnl_dereference(carp->vips);
	struct carp_vips6 *old6;

	RCU_INIT_POINTER(carp->vips, NULL);
	if (old)
		kfree_rcu(old, rcu);
	spin_lock_bh(&carp->lock);
	old6 = rcu_replace_pointer(carp->vips6, NULL,
				   lockdep_is_held(&carp->lock));
	spin_unlock_bh(&carp->lock);
	if (old6)
		kfree_rcu(old6, rcu);
}

/* Re-read the device's IPv4 addresses into carp->vips, sorted. */
static void carp_vips_update(struct carp_dev *carp)
{
	struct in_device *in_dev = __in_dev_get_rtnl(carp->dev);
	struct carp_vips *vips, *old;
	const struct in_ifaddr *ifa;
	unsigned int n = 0;

	if (in_dev) {
		in_dev_for_each_ifa_rtnl(ifa, in_dev)
			n++;
	}
	vips = kzalloc(struct_size(vips, addr, n), GFP_KERNEL);
	if (!vips)
		return;		/* keep the old list: the HMAC stays consistent */
	if (in_dev) {
		in_dev_for_each_ifa_rtnl(ifa, in_dev)
			vips->addr[vips->n++] = ifa->ifa_local;
	}
	carp_vips_sort(vips);

	old = rtnl_dereference(carp->vips);
	rcu_assign_pointer(carp->vips, vips);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * Run the protocol again on every carp device of a netns after a change
 * that concerns them all (allow, demotion); with @advertise every MASTER
 * announces its new values at once. RTNL.
 */
void carp_net_rerun(struct carp_net *cn, bool advertise)
{
	struct carp_port *port;
	struct carp_dev *carp;
	unsigned int tx;

	ASSERT_RTNL();
	list_for_each_entry(port, &cn->ports, node) {
		list_for_each_entry(carp, &port->carps, port_node) {
			spin_lock_bh(&carp->lock);
			tx = carp_setrun(carp);
			if (advertise && carp->state == CARP_STATE_MASTER)
				tx |= CARP_TX_AD;
			spin_unlock_bh(&carp->lock);
			carp_do_tx(carp, tx);
		}
	}
}

/* Recompute what the netns advertises as its demotion. RTNL. */
static void carp_net_demote_update(struct carp_net *cn)
{
	int demote = clamp(cn->demotion + cn->link_demotion, 0,
			   CARP_DEMOTE_MAX);

	ASSERT_RTNL();
	if (demote == cn->demote)
		return;
	WRITE_ONCE(cn->demote, demote);
	carp_net_rerun(cn, true);
}

/*
 * Add @delta to the administrative demotion, kept within 0..255 so that it
 * can never go negative nor grow past what the wire can say (a later
 * "-N" removes exactly what it can). RTNL.
 */
int carp_demote_adjust(struct carp_net *cn, int delta)
{
	ASSERT_RTNL();
	WRITE_ONCE(cn->demotion,
		   clamp(cn->demotion + delta, 0, CARP_DEMOTE_MAX));
	carp_net_demote_update(cn);
	return cn->demotion;
}

/*
 * A configured, running device whose parent lost its link demotes its
 * whole netns by CARP_LINK_DEMOTION, as the BSDs do: a host with a dead
 * interface then yields its other vhids too. Each device adds it at most
 * once and removes exactly that when the link is back, or when it is
 * downed or removed. RTNL.
 */
static void carp_link_demote_update(struct carp_dev *carp)
{
	const struct carp_port *port = carp->port;
	bool lost = carp->vhid && port && netif_running(carp->dev) &&
		    !(netif_running(port->parent) &&
		      netif_carrier_ok(port->parent));

	ASSERT_RTNL();
	if (lost == carp->link_demoted)
		return;
	carp->link_demoted = lost;
	carp->cn->link_demotion += lost ? CARP_LINK_DEMOTION :
					  -CARP_LINK_DEMOTION;
	carp_net_demote_update(carp->cn);
}

static int carp_open(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct inet6_dev *idev = __in6_dev_get(dev);

	/*
	 * Both hosts of a pair own the same virtual MAC: an IPv6 link-local
	 * address derived from it would collide. carp0 gets none.
	 */
	if (idev)
		WRITE_ONCE(idev->cnf.addr_gen_mode, IN6_ADDR_GEN_MODE_NONE);
	/* its IPv6 virtual addresses survive down/up, as the IPv4 ones */
	if (idev)
		WRITE_ONCE(idev->cnf.keep_addr_on_down, 1);

	spin_lock_bh(&carp->lock);
	carp_setrun(carp);
	spin_unlock_bh(&carp->lock);
	carp_link_demote_update(carp);
	return 0;
}

static int carp_stop(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);
	unsigned int tx;

	spin_lock_bh(&carp->lock);
	tx = carp_set_init(carp, CARP_REASON_DEVICE_DOWN, "device down");
	spin_unlock_bh(&carp->lock);
	carp_timers_stop(carp);
	carp_do_tx(carp, tx);
	carp_link_demote_update(carp);
	return 0;
}

/*
 * carp0 is NOARP: IPv6 resolves every neighbour on it to carp0's own MAC.
 * What it sends to such a neighbour (a reply from a link-local virtual
 * address) goes to the MAC the parent knows for the destination; while
 * the parent does not know it yet, resolution starts there and the packet
 * is dropped (false).
 */
static bool carp_xmit_resolve6(struct net_device *parent,
			       struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	struct ethhdr *eth;
	bool ok;

	if (!pskb_may_pull(skb, ETH_HLEN + sizeof(*ip6h)) ||
	    skb_ensure_writable(skb, ETH_HLEN))
		return false;
	eth = (struct ethhdr *)skb->data;
	ip6h = (const struct ipv6hdr *)(skb->data + ETH_HLEN);
	rcu_read_lock();
	ok = carp_neigh_mac(&nd_tbl, parent, &ip6h->daddr, eth->h_dest);
	rcu_read_unlock();
	return ok;
}

/*
 * What the stack routes through carp0 leaves through the parent, from the
 * virtual MAC (the header is already built with carp0's address), and only
 * while MASTER.
 */
static netdev_tx_t carp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct carp_port *port = READ_ONCE(carp->port);
	unsigned int len = skb->len;

	if (!port || READ_ONCE(carp->state) != CARP_STATE_MASTER) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (skb->protocol == htons(ETH_P_IPV6) &&
	    ether_addr_equal(skb->data, dev->dev_addr) &&
	    !carp_xmit_resolve6(port->parent, skb)) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	skb->dev = port->parent;
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS) {
		DEV_STATS_INC(dev, tx_packets);
		DEV_STATS_ADD(dev, tx_bytes, len);
	} else {
		DEV_STATS_INC(dev, tx_dropped);
	}
	return NETDEV_TX_OK;
}

static int carp_get_iflink(const struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct carp_port *port = READ_ONCE(carp->port);

	return port ? port->parent->ifindex : 0;
}

static int carp_init(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);

	carp->cn = carp_pernet(dev_net(dev));
	if (!carp->tfm) {
		/* created by rtnetlink: no key until carpctl sets one */
		carp->tfm = carp_key_tfm(NULL, 0);
		if (IS_ERR(carp->tfm)) {
			int err = PTR_ERR(carp->tfm);

			carp->tfm = NULL;
			return err;
		}
	}
	return 0;
}

static void carp_uninit(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);

	carp_vips_free(carp);
	if (carp->tfm)
		crypto_free_shash(carp->tfm);
	carp->tfm = NULL;
}

static const struct net_device_ops carp_netdev_ops = {
	.ndo_init		= carp_init,
	.ndo_open		= carp_open,
	.ndo_stop		= carp_stop,
	.ndo_uninit		= carp_uninit,
	.ndo_start_xmit		= carp_xmit,
	.ndo_get_iflink		= carp_get_iflink,
	/* no ndo_set_mac_address: the MAC follows the vhid */
};

static void carp_setup(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &carp_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->flags |= IFF_NOARP;
	dev->flags &= ~IFF_MULTICAST;
	carp_set_lltx(dev);
	carp_set_netns_local(dev);
	dev->max_mtu = ETH_MAX_MTU;
	dev->rtnl_link_ops = &carp_link_ops;

	carp->dev = dev;
	spin_lock_init(&carp->lock);
	carp->state = CARP_STATE_INIT;
	carp->advbase = 1;
	INIT_LIST_HEAD(&carp->port_node);
	carp_timers_init(carp);
	get_random_bytes(&carp->counter, sizeof(carp->counter));
}

struct crypto_shash *carp_key_tfm(const u8 *key, unsigned int keylen)
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash("hmac(sha1)", 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	/* HMAC pads the key with zeros, as the BSDs pad the password */
	err = crypto_shash_setkey(tfm, key, keylen);
	if (err) {
		crypto_free_shash(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

static struct carp_port *carp_port_find_rtnl(struct net *net,
					     const struct net_device *parent)
{
	struct carp_net *cn = carp_pernet(net);
	struct carp_port *port;

	/* notifiers run for a new netns's devices before our pernet init */
	if (!cn)
		return NULL;
	list_for_each_entry(port, &cn->ports, node) {
		if (port->parent == parent)
			return port;
	}
	return NULL;
}

static struct carp_port *carp_port_get(struct net_device *parent,
				       struct netlink_ext_ack *extack)
{
	struct net *net = dev_net(parent);
	struct carp_port *port = carp_port_find_rtnl(net, parent);
	int err;

	if (port)
		return port;
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&port->carps);
	port->parent = parent;
	netdev_hold(parent, &port->parent_tracker, GFP_KERNEL);
	err = carp_port_hook(net, port);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot hook the parent device");
		netdev_put(parent, &port->parent_tracker);
		kfree(port);
		return ERR_PTR(err);
	}
	/* Real IGMP membership, so snooping switches deliver advertisements. */
	port->in_dev = __in_dev_get_rtnl(parent);
	if (port->in_dev) {
		in_dev_hold(port->in_dev);
		ip_mc_inc_group(port->in_dev, CARP_GROUP_V4);
	}
	/* and MLD: ff02::12 (none if IPv6 is off on the parent) */
	port->mld_joined = !ipv6_dev_mc_inc(parent, &carp_group_v6);
	list_add_tail_rcu(&port->node, &carp_pernet(net)->ports);
	return port;
}

static void carp_port_put(struct carp_port *port)
{
	struct net *net = dev_net(port->parent);

	if (!list_empty(&port->carps))
		return;
	list_del_rcu(&port->node);
	carp_port_unhook(net, port);
	if (port->in_dev) {
		ip_mc_dec_group(port->in_dev, CARP_GROUP_V4);
		in_dev_put(port->in_dev);
	}
	if (port->mld_joined)
		ipv6_dev_mc_dec(port->parent, &carp_group_v6);
	netdev_put(port->parent, &port->parent_tracker);
	kfree_rcu(port, rcu);
}

static bool carp_vhid_taken(struct carp_port *port, u8 vhid,
			    const struct carp_dev *except)
{
	struct carp_dev *other;

	list_for_each_entry(other, &port->carps, port_node) {
		if (other != except && other->vhid == vhid)
			return true;
	}
	return false;
}

static void carp_set_vhid_mac(struct carp_dev *carp, u8 vhid)
{
	u8 mac[ETH_ALEN];

	carp_vmac(mac, vhid);
	eth_hw_addr_set(carp->dev, mac);
}

/* Attach a registered carp device to its parent. */
static int carp_attach(struct carp_dev *carp, struct net_device *parent,
		       struct netlink_ext_ack *extack)
{
	struct carp_port *port;
	int err;

	if (carp->vhid) {
		port = carp_port_find_rtnl(dev_net(parent), parent);
		if (port && carp_vhid_taken(port, carp->vhid, carp)) {
			NL_SET_ERR_MSG(extack, "vhid already in use on this parent device");
			return -EEXIST;
		}
	}
	err = netdev_upper_dev_link(parent, carp->dev, extack);
	if (err)
		return err;
	port = carp_port_get(parent, extack);
	if (IS_ERR(port)) {
		netdev_upper_dev_unlink(parent, carp->dev);
		return PTR_ERR(port);
	}
	err = dev_uc_add(parent, carp->dev->dev_addr);
	if (err) {
		NL_SET_ERR_MSG(extack, "parent device cannot accept the virtual MAC");
		carp_port_put(port);
		netdev_upper_dev_unlink(parent, carp->dev);
		return err;
	}
	list_add_tail_rcu(&carp->port_node, &port->carps);
	WRITE_ONCE(carp->port, port);
	carp_mc6_attach(carp, parent);
	carp->dev->mtu = parent->mtu;
	return 0;
}

static void carp_detach(struct carp_dev *carp)
{
	struct carp_port *port = carp->port;
	unsigned int tx;

	if (!port)
		return;
	spin_lock_bh(&carp->lock);
	tx = carp_set_init(carp, CARP_REASON_DEVICE_DOWN, "removed");
	spin_unlock_bh(&carp->lock);
	carp_timers_stop(carp);
	carp_do_tx(carp, tx);
	carp_mc6_attach(carp, NULL);
	list_del_rcu(&carp->port_node);
	WRITE_ONCE(carp->port, NULL);
	carp_link_demote_update(carp);
	dev_uc_del(port->parent, carp->dev->dev_addr);
	netdev_upper_dev_unlink(port->parent, carp->dev);
	carp_port_put(port);
}

static int carp_validate_parent(struct net_device *parent,
				struct netlink_ext_ack *extack)
{
	if (parent->type != ARPHRD_ETHER || parent->addr_len != ETH_ALEN ||
	    (parent->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG(extack, "parent must be an Ethernet device");
		return -EINVAL;
	}
	if (parent->rtnl_link_ops == &carp_link_ops) {
		NL_SET_ERR_MSG(extack, "parent cannot be a carp device");
		return -EINVAL;
	}
	return 0;
}

/* Register @dev (set up by carp_setup) and attach it to @parent. */
static int carp_register(struct net_device *dev, struct net_device *parent,
			 struct netlink_ext_ack *extack)
{
	struct carp_dev *carp = netdev_priv(dev);
	int err;

	err = carp_validate_parent(parent, extack);
	if (err)
		return err;
	carp_set_vhid_mac(carp, carp->vhid);
	netif_carrier_off(dev);
	err = register_netdevice(dev);
	if (err)
		return err;
	err = carp_attach(carp, parent, extack);
	if (err) {
		unregister_netdevice(dev);
		return err;
	}
	return 0;
}

static int carp_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct net_device *parent;

	if (!tb[IFLA_LINK]) {
		NL_SET_ERR_MSG(extack, "a carp device needs a parent: link DEV");
		return -EINVAL;
	}
	parent = __dev_get_by_index(dev_net(dev), nla_get_u32(tb[IFLA_LINK]));
	if (!parent) {
		NL_SET_ERR_MSG(extack, "parent device not found");
		return -ENODEV;
	}
	return carp_register(dev, parent, extack);
}

static void carp_dellink(struct net_device *dev, struct list_head *head)
{
	carp_detach(netdev_priv(dev));
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops carp_link_ops = {
	.kind		= "carp",
	.priv_size	= sizeof(struct carp_dev),
	.setup		= carp_setup,
	.newlink	= carp_newlink,
	.dellink	= carp_dellink,
};

/* NEW: @cfg has vhid, advbase and advskew set; key and peer optional. */
int carp_dev_create(struct net *net, const char *name,
		    struct net_device *parent, const struct carp_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct carp_dev *carp;
	int err;

	if (__dev_get_by_name(net, name)) {
		NL_SET_ERR_MSG(extack, "device name already in use");
		return -EEXIST;
	}
	dev = alloc_netdev(sizeof(struct carp_dev), name, NET_NAME_USER,
			   carp_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	carp = netdev_priv(dev);
	carp->vhid = cfg->vhid;
	carp->advbase = cfg->advbase;
	carp->advskew = cfg->advskew;
	carp->peer = cfg->set_peer ? cfg->peer : 0;
	if (cfg->set_peer6)
		carp->peer6 = cfg->peer6;
	carp->has_key = cfg->keylen > 0;
	carp->tfm = carp_key_tfm(cfg->key, max(cfg->keylen, 0));
	if (IS_ERR(carp->tfm)) {
		err = PTR_ERR(carp->tfm);
		carp->tfm = NULL;
		NL_SET_ERR_MSG(extack, "cannot set up hmac(sha1) with this key");
		free_netdev(dev);
		return err;
	}
	err = carp_register(dev, parent, extack);
	if (err && dev->reg_state == NETREG_UNINITIALIZED) {
		/* not registered: ndo_uninit did not run (NULL-safe if it did) */
		crypto_free_shash(carp->tfm);
		free_netdev(dev);
	}
	return err;
}

/*
 * Apply a SET (see struct carp_config). Everything is checked and allocated
 * first, so a rejected request changes nothing.
 */
int carp_dev_configure(struct carp_dev *carp, const struct carp_config *cfg,
		       struct netlink_ext_ack *extack)
{
	int vhid = cfg->vhid, advbase = cfg->advbase, advskew = cfg->advskew;
	int keylen = cfg->keylen;
	struct crypto_shash *tfm = NULL, *old;
	struct carp_port *port = carp->port;
	bool new_vhid = vhid >= 0 && vhid != carp->vhid;
	u8 old_mac[ETH_ALEN];
	unsigned int tx = 0;
	bool retimed;
	int err;

	if (new_vhid && port && carp_vhid_taken(port, vhid, carp)) {
		NL_SET_ERR_MSG(extack, "vhid already in use on this parent device");
		return -EEXIST;
	}
	if (keylen >= 0) {
		tfm = carp_key_tfm(cfg->key, keylen);
		if (IS_ERR(tfm)) {
			NL_SET_ERR_MSG(extack, "cannot set up hmac(sha1) with this key");
			return PTR_ERR(tfm);
		}
	}
	if (new_vhid && port) {
		u8 mac[ETH_ALEN];

		carp_vmac(mac, vhid);
		err = dev_uc_add(port->parent, mac);
		if (err) {
			NL_SET_ERR_MSG(extack, "parent device cannot accept the virtual MAC");
			if (tfm)
				crypto_free_shash(tfm);
			return err;
		}
	}

	/* A new vhid is a new identity: start over from INIT. */
	if (new_vhid) {
		spin_lock_bh(&carp->lock);
		tx = carp_set_init(carp, CARP_REASON_CONFIG, "vhid changed");
		spin_unlock_bh(&carp->lock);
		carp_timers_stop(carp);
		carp_do_tx(carp, tx);
		ether_addr_copy(old_mac, carp->dev->dev_addr);
		carp_set_vhid_mac(carp, vhid);
		if (port)
			dev_uc_del(port->parent, old_mac);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, carp->dev);
	}

	spin_lock_bh(&carp->lock);
	retimed = (advbase >= 0 && advbase != carp->advbase) ||
		  (advskew >= 0 && advskew != carp->advskew);
	if (new_vhid)
		WRITE_ONCE(carp->vhid, vhid);
	if (advbase >= 0)
		carp->advbase = advbase;
	if (advskew >= 0)
		carp->advskew = advskew;
	if (cfg->set_peer)
		carp->peer = cfg->peer;
	if (cfg->set_peer6)
		carp->peer6 = cfg->peer6;
	old = NULL;
	if (tfm) {
		old = carp->tfm;
		carp->tfm = tfm;
		carp->has_key = keylen > 0;
	}
	tx = carp_setrun(carp);
	/*
	 * A MASTER announces new timing at once, as a demotion: made worse, a
	 * preempting backup takes over now, not at the next advertisement.
	 */
	if (retimed && carp->state == CARP_STATE_MASTER)
		tx |= CARP_TX_AD;
	spin_unlock_bh(&carp->lock);
	if (old)
		crypto_free_shash(old);
	carp_do_tx(carp, tx);
	carp_link_demote_update(carp);
	return 0;
}

/* A carp device by ifindex or name in @net, with an extack if not found. */
struct carp_dev *carp_dev_get(struct net *net, int ifindex, const char *name,
			      struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (!ifindex && !name) {
		NL_SET_ERR_MSG(extack, "no device given (ifindex or ifname)");
		return ERR_PTR(-EINVAL);
	}
	if (ifindex)
		dev = __dev_get_by_index(net, ifindex);
	else
		dev = __dev_get_by_name(net, name);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (dev->rtnl_link_ops != &carp_link_ops) {
		NL_SET_ERR_MSG(extack, "not a carp device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/* Parent events: link state drives INIT <-> BACKUP; removal removes us. */
int carp_netdev_event(struct notifier_block *nb, unsigned long event,
		      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct carp_dev *carp, *tmp;
	struct carp_port *port;
	unsigned int tx;
	LIST_HEAD(kill);

	port = carp_port_find_rtnl(dev_net(dev), dev);
	if (!port)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_GOING_DOWN:
		/* the parent can still send: bow out before it goes */
		list_for_each_entry(carp, &port->carps, port_node) {
			spin_lock_bh(&carp->lock);
			tx = carp_set_init(carp, CARP_REASON_LINK_DOWN,
					   "parent going down");
			spin_unlock_bh(&carp->lock);
			carp_do_tx(carp, tx);
		}
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		list_for_each_entry(carp, &port->carps, port_node) {
			spin_lock_bh(&carp->lock);
			tx = carp_setrun(carp);
			spin_unlock_bh(&carp->lock);
			carp_do_tx(carp, tx);
			carp_link_demote_update(carp);
		}
		break;
	case NETDEV_CHANGEMTU:
		list_for_each_entry(carp, &port->carps, port_node)
			dev_set_mtu(carp->dev, dev->mtu);
		break;
	case NETDEV_UNREGISTER:
		/* carp_dellink may free the port with its last device */
		list_for_each_entry_safe(carp, tmp, &port->carps, port_node)
			carp_dellink(carp->dev, &kill);
		unregister_netdevice_many(&kill);
		break;
	}
	return NOTIFY_DONE;
}

/* Addresses of a carp device are its virtual addresses. */
int carp_inetaddr_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	struct carp_dev *carp;
	unsigned int tx = 0;

	if (dev->rtnl_link_ops != &carp_link_ops)
		return NOTIFY_DONE;
	carp = netdev_priv(dev);
	carp_vips_update(carp);
	if (event == NETDEV_UP) {
		spin_lock_bh(&carp->lock);
		if (carp->state == CARP_STATE_MASTER)
			tx = CARP_TX_GARP;
		spin_unlock_bh(&carp->lock);
	}
	carp_do_tx(carp, tx);
	return NOTIFY_DONE;
}

/*
 * The IPv6 addresses of a carp device are its virtual IPv6 addresses,
 * link-local ones included, as the BSDs have them in the HMAC (carp0 gets
 * no link-local address of its own: see carp_open()). The inet6addr chain
 * is atomic (and not always under RTNL): carp->vips6 is updated from the
 * event's address alone, under carp->lock. IPv6 allows no two prefixes
 * for one address on a device.
 */
int carp_inet6addr_event(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct inet6_ifaddr *ifp = ptr;
	struct net_device *dev = ifp->idev->dev;
	struct carp_vips6 *vips6, *old;
	struct carp_dev *carp;
	unsigned int tx = 0, i, n;
	bool was, up = event == NETDEV_UP;

	if (dev->rtnl_link_ops != &carp_link_ops ||
	    (event != NETDEV_UP && event != NETDEV_DOWN))
		return NOTIFY_DONE;
	carp = netdev_priv(dev);

	spin_lock_bh(&carp->lock);
	old = rcu_dereference_protected(carp->vips6,
					lockdep_is_held(&carp->lock));
	n = old ? old->n : 0;
	vips6 = kzalloc(struct_size(vips6, addr, n + 1), GFP_ATOMIC);
	if (!vips6) {
		/* keep the old list: the HMAC stays consistent */
		spin_unlock_bh(&carp->lock);
		netdev_warn(dev, "out of memory: virtual IPv6 addresses not updated\n");
		return NOTIFY_DONE;
	}
	for (i = 0; i < n; i++) {
		if (!ipv6_addr_equal(&old->addr[i], &ifp->addr))
			vips6->addr[vips6->n++] = old->addr[i];
	}
	was = vips6->n < n;
	if (up)
		vips6->addr[vips6->n++] = ifp->addr;
	carp_vips6_sort(vips6);
	rcu_assign_pointer(carp->vips6, vips6);
	if (carp->mc6_parent && was != up)
		carp_mc6_snma(carp->mc6_parent, &ifp->addr, !was);
	if (up && carp->state == CARP_STATE_MASTER)
		tx = CARP_TX_GARP;
	spin_unlock_bh(&carp->lock);
	if (old)
		kfree_rcu(old, rcu);
	carp_do_tx(carp, tx);
	return NOTIFY_DONE;
}

/* netns going away: queue every carp device in it for unregistration. */
void carp_port_destroy_all(struct net *net, struct list_head *kill)
{
	struct carp_port *port, *ptmp;
	struct carp_dev *carp, *tmp;

	list_for_each_entry_safe(port, ptmp, &carp_pernet(net)->ports, node)
		list_for_each_entry_safe(carp, tmp, &port->carps, port_node)
			carp_dellink(carp->dev, kill);
}
