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
	vips = kzalloc(struct_size(vips, addr, n), GFP_KERNEL_ACCOUNT);
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

	ASSERT_RTNL();
	list_for_each_entry(port, &cn->ports, node) {
		list_for_each_entry(carp, &port->carps, port_node)
			carp_setrun_all(carp, advertise);
	}
}

/*
 * Recompute what the netns advertises as its demotion: the administrator's,
 * the lost parent links', the fired holds' and the tracked interfaces'. RTNL.
 */
void carp_net_demote_update(struct carp_net *cn)
{
	int demote = clamp(cn->demotion + cn->link_demotion +
			   cn->hold_demotion + cn->track_demotion, 0,
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
	bool lost = port && netif_running(carp->dev) &&
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

	carp_setrun_all(carp, false);
	carp_link_demote_update(carp);
	return 0;
}

static int carp_stop(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);

	carp_set_init_all(carp, CARP_REASON_DEVICE_DOWN, "device down");
	carp_timers_stop(carp);
	carp_link_demote_update(carp);
	return 0;
}

/*
 * What the stack routes through carp0 leaves through the parent, from the
 * virtual MAC (the header is already built with carp0's address), and only
 * while MASTER (with load balancing: of the flow's vhid; a device that
 * keeps its virtual MAC off the wire sends from the parent's, which with
 * lladdr parent is carp0's own unless the parent's just changed). The
 * destination MAC is the stack's: carp0 resolves its neighbours itself,
 * with ARP and neighbour discovery from the virtual MAC and address, and
 * the answers come back to it (carp_rx_copy()).
 */
static netdev_tx_t carp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct carp_port *port = READ_ONCE(carp->port);
	unsigned int len = skb->len;

	if (!port || !carp_xmit_ours(carp, skb)) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (carp_hides_vmac(carp) &&
	    !ether_addr_equal(skb->data + ETH_ALEN, port->parent->dev_addr)) {
		if (skb_ensure_writable(skb, ETH_HLEN)) {
			DEV_STATS_INC(dev, tx_dropped);
			kfree_skb(skb);
			return NETDEV_TX_OK;
		}
		ether_addr_copy(((struct ethhdr *)skb->data)->h_source,
				port->parent->dev_addr);
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

/* The device's peers, once no packet path can reach it (ndo_uninit). */
static void carp_peers_free(struct carp_dev *carp)
{
	struct carp_peers *peers = rtnl_dereference(carp->peers);

	RCU_INIT_POINTER(carp->peers, NULL);
	if (peers)
		kfree_rcu(peers, rcu);
}

static int carp_init(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);

	carp->cn = carp_pernet(dev_net(dev));
	return 0;
}

/*
 * Never more than the parent carries, as macvlan: what carp0 sends leaves
 * through the parent, which would drop a larger frame.
 */
static int carp_change_mtu(struct net_device *dev, int new_mtu)
{
	struct carp_dev *carp = netdev_priv(dev);

	ASSERT_RTNL();
	if (carp->port && new_mtu > carp->port->parent->mtu)
		return -EINVAL;
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

static void carp_port_put(struct carp_port *port);

static void carp_uninit(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);

	/* detached already (carp_detach()): only the hold on the port is left */
	if (carp->port_ref) {
		carp_port_put(carp->port_ref);
		carp->port_ref = NULL;
	}
	carp_vips_free(carp);
	carp_peers_free(carp);
	if (carp->tfm)
		crypto_free_shash(carp->tfm);
	carp->tfm = NULL;
	if (vhs) {
		/* every vhid is INIT: no timer comes back */
		carp_timers_stop(carp);
		RCU_INIT_POINTER(carp->vhosts, NULL);
		kfree_rcu(vhs, rcu);
	}
}

static const struct net_device_ops carp_netdev_ops = {
	.ndo_init		= carp_init,
	.ndo_open		= carp_open,
	.ndo_stop		= carp_stop,
	.ndo_uninit		= carp_uninit,
	.ndo_start_xmit		= carp_xmit,
	.ndo_change_mtu		= carp_change_mtu,
	.ndo_get_iflink		= carp_get_iflink,
	/* no ndo_set_mac_address: the MAC follows the vhid or the parent */
};

/*
 * The offloads carp0 offers the stack whatever its parent can do, as vlan
 * and macvlan do: what carp0 sends goes to the parent's
 * dev_queue_xmit(), which segments and checksums in software what the
 * parent's hardware cannot. Without them TCP routed through carp0 (a
 * VIP-only subnet) is cut into MTU-sized segments and checksummed by the
 * protocol itself: bench section 3 measured a sixth of the parent's
 * throughput.
 */
#define CARP_OFFLOADS	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
			 NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE)

static void carp_setup(struct net_device *dev)
{
	struct carp_dev *carp = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &carp_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->flags &= ~IFF_MULTICAST;
	dev->features |= CARP_OFFLOADS;
	dev->hw_features |= CARP_OFFLOADS;
	carp_set_lltx(dev);
	carp_set_netns_local(dev);
	dev->max_mtu = ETH_MAX_MTU;
	dev->rtnl_link_ops = &carp_link_ops;

	carp->dev = dev;
	spin_lock_init(&carp->lock);
	carp->state = CARP_STATE_INIT;
	carp->advbase = 1;
	INIT_LIST_HEAD(&carp->port_node);
	timer_setup(&carp->garp_timer, carp_announce_timeout, 0);
}

/*
 * The port of @parent in @net, or NULL: under RTNL (which writes the list)
 * or RCU (the hooks).
 */
struct carp_port *carp_port_of(struct net *net, const struct net_device *parent)
{
	struct carp_net *cn = carp_pernet(net);
	struct carp_port *port;

	/* notifiers run for a new netns's devices before our pernet init */
	if (!cn)
		return NULL;
	list_for_each_entry_rcu(port, &cn->ports, node, lockdep_rtnl_is_held()) {
		if (port->parent == parent)
			return port;
	}
	return NULL;
}

/*
 * Hold the parent's current in_dev and inet6_dev, joined to 224.0.0.18
 * and ff02::12 (real IGMP and MLD membership, so that snooping switches
 * deliver advertisements), dropping the ones held before if the parent
 * has new ones: IPv4 and IPv6 destroy theirs, memberships and all, when
 * the parent's MTU drops below 68 or 1280, and create new ones when it
 * comes back (NETDEV_CHANGEMTU, NETDEV_UP). A dead one holds no
 * membership any more: it is only put. With @leave, the memberships are
 * dropped and nothing is held any more. Without IPv6 (ipv6.disable=1, or
 * IPv6 off on the parent) there is no inet6_dev. RTNL.
 */
static void carp_port_mc_sync(struct carp_port *port, bool leave)
{
	struct in_device *in_dev = leave ? NULL : __in_dev_get_rtnl(port->parent);
	struct inet6_dev *idev = NULL;

	ASSERT_RTNL();
	if (port->in_dev != in_dev) {
		if (port->in_dev) {
			if (!port->in_dev->dead)
				ip_mc_dec_group(port->in_dev, CARP_GROUP_V4);
			in_dev_put(port->in_dev);
		}
		port->in_dev = in_dev;
		if (in_dev) {
			in_dev_hold(in_dev);
			ip_mc_inc_group(in_dev, CARP_GROUP_V4);
		}
	}

	if (!ipv6_mod_enabled())
		return;
	if (!leave)
		idev = __in6_dev_get(port->parent);
	if (port->in6_dev == idev)
		return;
	if (port->in6_dev) {
		/* only the live one is the parent's: ipv6_dev_mc_dec() finds it */
		if (!port->in6_dev->dead)
			ipv6_dev_mc_dec(port->parent, &carp_group_v6);
		in6_dev_put(port->in6_dev);
		port->in6_dev = NULL;
	}
	if (idev && !ipv6_dev_mc_inc(port->parent, &carp_group_v6)) {
		in6_dev_hold(idev);
		port->in6_dev = idev;
	}
}

/* The port of @parent, held once more (port->refs); created if need be. */
static struct carp_port *carp_port_get(struct net_device *parent,
				       struct netlink_ext_ack *extack)
{
	struct net *net = dev_net(parent);
	struct carp_port *port = carp_port_of(net, parent);
	int err;

	if (port) {
		port->refs++;
		return port;
	}
	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&port->carps);
	port->refs = 1;
	port->parent = parent;
	netdev_hold(parent, &port->parent_tracker, GFP_KERNEL);
	err = carp_port_hook(net, port);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot hook the parent device");
		netdev_put(parent, &port->parent_tracker);
		kfree(port);
		return ERR_PTR(err);
	}
	carp_port_mc_sync(port, false);
	list_add_tail_rcu(&port->node, &carp_pernet(net)->ports);
	return port;
}

/*
 * Drop a hold on @port; the last one destroys it. Packet paths may still
 * read it under RCU until the ingress hook is gone and a grace period has
 * passed (kfree_rcu); under RTNL nothing can reach it any more.
 */
static void carp_port_put(struct carp_port *port)
{
	struct net *net = dev_net(port->parent);

	ASSERT_RTNL();
	if (--port->refs)
		return;
	WARN_ON_ONCE(!list_empty(&port->carps));
	list_del_rcu(&port->node);
	carp_port_unhook(net, port);
	carp_port_mc_sync(port, true);
	netdev_put(port->parent, &port->parent_tracker);
	kfree_rcu(port, rcu);
}

/*
 * May @a and @b, two devices of one parent, use the same number? Only as
 * VRRPv3 virtual routers of different families: RFC 5798 numbers each
 * family's virtual routers apart, and gives each its own virtual MAC
 * (00:00:5e:00:01:VRID, :02:VRID), so IPv4's VRID 1 and IPv6's VRID 1
 * are two routers, as keepalived and routers run them. A CARP vhid
 * speaks both families from 00:00:5e:00:01:vhid: it shares its number
 * with nobody.
 */
static bool carp_vhid_shareable(const struct carp_dev *a,
				const struct carp_dev *b)
{
	return carp_is_vrrp(a) && carp_is_vrrp(b) &&
	       a->vrrp_family != b->vrrp_family;
}

/* Does a carp device on @port other than @carp use @vhid? RTNL. */
static bool carp_vhid_taken(struct carp_port *port, u8 vhid,
			    const struct carp_dev *carp)
{
	const struct carp_vhosts *vhs;
	struct carp_dev *other;
	unsigned int i;

	list_for_each_entry(other, &port->carps, port_node) {
		if (other == carp || carp_vhid_shareable(carp, other))
			continue;
		vhs = rtnl_dereference(other->vhosts);
		for (i = 0; i < vhs->n; i++) {
			if (vhs->vh[i].vhid == vhid)
				return true;
		}
	}
	return false;
}

/*
 * Are any of the vhids of @nodes (carp's own, or those a request asks
 * for) used by another carp device on @parent? Says so in @extack.
 */
static bool carp_nodes_taken(struct net_device *parent,
			     const struct carp_nodes *nodes,
			     const struct carp_dev *carp,
			     struct netlink_ext_ack *extack)
{
	struct carp_port *port = carp_port_of(dev_net(parent), parent);
	unsigned int i;

	for (i = 0; port && i < nodes->n; i++) {
		if (nodes->node[i].vhid &&
		    carp_vhid_taken(port, nodes->node[i].vhid, carp)) {
			NL_SET_ERR_MSG(extack,
				       "vhid already in use on this parent device (one number, one virtual MAC: only a VRRPv3 device of IPv4 and one of IPv6 may share it)");
			return true;
		}
	}
	return false;
}

/* The vhids and mode @carp has now, as a request would give them. RTNL. */
static void carp_nodes_of(const struct carp_dev *carp, struct carp_nodes *out)
{
	const struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	unsigned int i;

	out->n = vhs->n;
	out->balancing = carp->balancing;
	for (i = 0; i < vhs->n; i++) {
		out->node[i].vhid = vhs->vh[i].vhid;
		out->node[i].advskew = vhs->vh[i].advskew;
	}
}

/*
 * The parent's NIC must pass frames to the device's MAC (@lladdr: the
 * mode that made it), unless that is the parent's own: an entry for it
 * would add nothing, and on a NIC without a unicast filter any entry
 * turns on promiscuous mode. RTNL.
 */
static int carp_filter_add(struct net_device *parent, u8 lladdr,
			   const u8 *mac)
{
	if (lladdr == CARP_LLADDR_PARENT)
		return 0;
	return carp_mac_filter_add(parent, mac);
}

static void carp_filter_del(struct net_device *parent, u8 lladdr,
			    const u8 *mac)
{
	if (lladdr != CARP_LLADDR_PARENT)
		carp_mac_filter_del(parent, mac);
}

/* The first @n vhids' own MACs out of the parent's filter, but the first's. */
static void carp_vhid_filters_del_n(struct net_device *parent,
				    const struct carp_vhosts *vhs,
				    unsigned int n)
{
	u8 mac[ETH_ALEN];
	unsigned int i;

	for (i = 1; i < n; i++) {
		carp_vmac(mac, vhs->vh[i].vhid);
		dev_uc_del(parent, mac);
	}
}

/*
 * In balancing arp (@balancing) every vhid answers with its own MAC, which
 * the parent's NIC must pass too; the first vhid's is the device's own
 * (carp_filter_add()). RTNL.
 */
static int carp_vhid_filters_add(struct net_device *parent, u8 balancing,
				 const struct carp_vhosts *vhs)
{
	u8 mac[ETH_ALEN];
	unsigned int i;
	int err;

	if (balancing != CARP_BAL_ARP)
		return 0;
	for (i = 1; i < vhs->n; i++) {
		carp_vmac(mac, vhs->vh[i].vhid);
		err = dev_uc_add(parent, mac);
		if (err) {
			carp_vhid_filters_del_n(parent, vhs, i);
			return err;
		}
	}
	return 0;
}

static void carp_vhid_filters_del(struct net_device *parent, u8 balancing,
				  const struct carp_vhosts *vhs)
{
	if (balancing == CARP_BAL_ARP)
		carp_vhid_filters_del_n(parent, vhs, vhs->n);
}

/* Attach a registered carp device to its parent. */
static int carp_attach(struct carp_dev *carp, struct net_device *parent,
		       struct netlink_ext_ack *extack)
{
	struct carp_port *port;
	struct carp_nodes nodes;
	int err;

	carp_nodes_of(carp, &nodes);
	if (carp_nodes_taken(parent, &nodes, carp, extack))
		return -EEXIST;
	err = netdev_upper_dev_link(parent, carp->dev, extack);
	if (err)
		return err;
	port = carp_port_get(parent, extack);
	if (IS_ERR(port)) {
		netdev_upper_dev_unlink(parent, carp->dev);
		return PTR_ERR(port);
	}
	err = carp_filter_add(parent, carp->lladdr, carp->dev->dev_addr);
	if (!err) {
		err = carp_vhid_filters_add(parent, carp->balancing,
					    rtnl_dereference(carp->vhosts));
		if (err)
			carp_filter_del(parent, carp->lladdr,
					carp->dev->dev_addr);
	}
	if (err) {
		NL_SET_ERR_MSG(extack, "parent device cannot accept the virtual MAC");
		carp_port_put(port);
		netdev_upper_dev_unlink(parent, carp->dev);
		return err;
	}
	list_add_tail_rcu(&carp->port_node, &port->carps);
	WRITE_ONCE(carp->port, port);
	carp->port_ref = port;
	carp_mc6_attach(carp, parent);
	WRITE_ONCE(carp->dev->mtu, parent->mtu);
	return 0;
}

static void carp_detach(struct carp_dev *carp)
{
	struct carp_port *port = carp->port;

	if (!port)
		return;
	carp_set_init_all(carp, CARP_REASON_DEVICE_DOWN, "removed");
	carp_timers_stop(carp);
	carp_mc6_attach(carp, NULL);
	list_del_rcu(&carp->port_node);
	WRITE_ONCE(carp->port, NULL);
	carp_link_demote_update(carp);
	carp_filter_del(port->parent, carp->lladdr, carp->dev->dev_addr);
	carp_vhid_filters_del(port->parent, carp->balancing,
			      rtnl_dereference(carp->vhosts));
	netdev_upper_dev_unlink(port->parent, carp->dev);
	/*
	 * The port stays held until ndo_uninit (carp_uninit()): a caller
	 * walking port->carps to delete every device (the parent's
	 * NETDEV_UNREGISTER, a dying netns) reads it after its last device
	 * left, outside any RCU read-side section.
	 */
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

/*
 * How the stack treats carp0, set once when it is registered (sysctl may
 * change it afterwards, as on any interface):
 * - routes through carp0, the prefix routes of its virtual addresses
 *   among them, count only while its carrier is on, that is while this
 *   host is MASTER: a BACKUP ignores them (ignore_routes_with_linkdown,
 *   IPv4 and IPv6), so that it never routes into a subnet where it may not
 *   speak from the virtual address, and the routes come back with the
 *   carrier on takeover, with no route to add or remove;
 * - no duplicate address detection on carp0: every host of the group
 *   holds its addresses by design, and a takeover must not wait a second
 *   for DAD (the kernel turns DAD off for NOARP devices; carp0 resolves
 *   its neighbours and is not one);
 * - no router advertisements accepted on carp0: they arrive on the
 *   parent, and carp0 would otherwise send router solicitations from a
 *   link-local virtual address, as if the group's gateway were a host.
 * Without IPv6 (ipv6.disable=1) carp0 has no inet6_dev.
 */
static void carp_stack_conf(struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (in_dev)
		IN_DEV_CONF_SET(in_dev, IGNORE_ROUTES_WITH_LINKDOWN, 1);
	if (idev) {
		WRITE_ONCE(idev->cnf.ignore_routes_with_linkdown, 1);
		WRITE_ONCE(idev->cnf.accept_dad, 0);
		WRITE_ONCE(idev->cnf.accept_ra, 0);
	}
}

/* Register @dev (set up by carp_setup) and attach it to @parent. */
static int carp_register(struct net_device *dev, struct net_device *parent,
			 struct netlink_ext_ack *extack)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	u8 mac[ETH_ALEN];
	int err;

	err = carp_validate_parent(parent, extack);
	if (err)
		return err;
	carp_dev_mac(mac, carp->balancing, carp->lladdr, vhs->vh[0].vhid,
		     carp_is_vrrp6(carp), parent);
	eth_hw_addr_set(dev, mac);
	/* no GSO packet larger than the parent takes (carp0 never segments) */
	netif_inherit_tso_max(dev, parent);
	netif_carrier_off(dev);
	err = register_netdevice(dev);
	if (err)
		return err;
	carp_stack_conf(dev);
	err = carp_attach(carp, parent, extack);
	if (err) {
		unregister_netdevice(dev);
		return err;
	}
	return 0;
}

static void carp_dellink(struct net_device *dev, struct list_head *head)
{
	carp_detach(netdev_priv(dev));
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops carp_link_ops = {
	.kind		= "carp",
	.priv_size	= sizeof(struct carp_dev),
	.maxtype	= IFLA_CARP_MAX,
	.policy		= carp_link_policy,
	.setup		= carp_setup,
	.newlink	= carp_newlink,
	.changelink	= carp_changelink,
	.dellink	= carp_dellink,
	.get_size	= carp_link_get_size,
	.fill_info	= carp_link_fill_info,
};

/*
 * The vhids a request asks for, sorted (the first one leads, as OpenBSD
 * sorts them), and the balancing mode: @cfg over what the device has
 * (@cur and @cur_balancing; @cur NULL for a new device). One vhid shares
 * nothing (balancing none); several share the traffic (balancing ip
 * unless the request says which). Pure: the selftest runs it.
 */
int carp_nodes_resolve(const struct carp_config *cfg,
		       const struct carp_vhosts *cur, u8 cur_balancing,
		       struct carp_nodes *out, struct netlink_ext_ack *extack)
{
	struct carp_node node;
	unsigned int i, j;
	int bal;

	if (cfg->nnodes >= 0) {
		out->n = cfg->nnodes;
		memcpy(out->node, cfg->node, out->n * sizeof(out->node[0]));
	} else if (cfg->vhid >= 0 || cfg->advskew >= 0) {
		if (cur && cur->n > 1) {
			NL_SET_ERR_MSG(extack,
				       "the device has several carpnodes: change its vhids and advskews with carpnodes");
			return -EINVAL;
		}
		out->n = 1;
		out->node[0].vhid = cfg->vhid >= 0 ? cfg->vhid :
				    cur ? cur->vh[0].vhid : 0;
		out->node[0].advskew = cfg->advskew >= 0 ? cfg->advskew :
				       cur ? cur->vh[0].advskew : 0;
	} else {
		out->n = cur ? cur->n : 1;
		for (i = 0; i < out->n; i++) {
			out->node[i].vhid = cur ? cur->vh[i].vhid : 0;
			out->node[i].advskew = cur ? cur->vh[i].advskew : 0;
		}
	}
	if (!out->n || out->n > CARP_NODES_MAX) {
		NL_SET_ERR_MSG(extack, "carpnodes takes 1 to 32 VHID:ADVSKEW");
		return -EINVAL;
	}
	for (i = 1; i < out->n; i++) {
		node = out->node[i];
		for (j = i; j > 0 && out->node[j - 1].vhid > node.vhid; j--)
			out->node[j] = out->node[j - 1];
		out->node[j] = node;
	}
	for (i = 1; i < out->n; i++) {
		if (out->node[i].vhid == out->node[i - 1].vhid) {
			NL_SET_ERR_MSG(extack, "a vhid appears twice in carpnodes");
			return -EINVAL;
		}
	}

	bal = cfg->balancing >= 0 ? cfg->balancing : cur_balancing;
	if (out->n == 1 && bal != CARP_BAL_NONE) {
		if (cfg->balancing >= 0) {
			NL_SET_ERR_MSG(extack, "balancing needs two or more carpnodes");
			return -EINVAL;
		}
		bal = CARP_BAL_NONE;
	}
	if (out->n > 1 && bal == CARP_BAL_NONE) {
		if (cfg->balancing == CARP_BAL_NONE) {
			NL_SET_ERR_MSG(extack,
				       "several carpnodes share the traffic: balancing must be ip, ip-stealth, ip-unicast or arp");
			return -EINVAL;
		}
		bal = CARP_BAL_IP;
	}
	out->balancing = bal;
	return 0;
}

/*
 * The MAC mode a request asks for (@cfg over the device's @cur_lladdr)
 * with the vhids and balancing @nodes it resolved to, or an error. The
 * parent's MAC reaches one host: the one whose MAC it is, so neighbours'
 * traffic for a load-balanced group could never reach the others
 * (ip-stealth too: its switches flood the virtual MAC only because no
 * host ever sends from it, and a host's own MAC they learn). Pure: the
 * selftest runs it.
 */
int carp_lladdr_resolve(const struct carp_config *cfg, u8 cur_lladdr,
			const struct carp_nodes *nodes,
			struct netlink_ext_ack *extack)
{
	int lladdr = cfg->lladdr >= 0 ? cfg->lladdr : cur_lladdr;

	if (lladdr == CARP_LLADDR_PARENT && nodes->balancing == CARP_BAL_ARP) {
		NL_SET_ERR_MSG(extack,
			       "lladdr parent takes a single vhid: balancing arp answers with each vhid's own virtual MAC");
		return -EINVAL;
	}
	if (lladdr == CARP_LLADDR_PARENT && nodes->balancing != CARP_BAL_NONE) {
		NL_SET_ERR_MSG(extack,
			       "lladdr parent takes a single vhid: balancing needs a MAC that every host receives");
		return -EINVAL;
	}
	return lladdr;
}

/* Would @nodes give @carp another identity (vhids or mode)? RTNL. */
static bool carp_nodes_renew(const struct carp_dev *carp,
			     const struct carp_nodes *nodes)
{
	const struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	unsigned int i;

	if (nodes->n != vhs->n || nodes->balancing != carp->balancing)
		return true;
	for (i = 0; i < vhs->n; i++) {
		if (nodes->node[i].vhid != vhs->vh[i].vhid)
			return true;
	}
	return false;
}

/*
 * Advertisements per 256 s that the carp devices of @net other than @skip
 * ask for, each vhid counted as MASTER. RTNL (the devices and their vhids
 * cannot change meanwhile).
 */
static u64 carp_net_ads_rate(struct net *net, const struct carp_dev *skip)
{
	const struct carp_vhosts *vhs;
	const struct carp_dev *carp;
	struct net_device *dev;
	unsigned int i;
	u64 rate = 0;

	for_each_netdev(net, dev) {
		if (dev->rtnl_link_ops != &carp_link_ops)
			continue;
		carp = netdev_priv(dev);
		if (carp == skip)
			continue;
		vhs = rtnl_dereference(carp->vhosts);
		if (carp_is_vrrp(carp) && vhs) {
			rate += vrrp_ads_rate(carp->vrrp_interval);
			continue;
		}
		for (i = 0; vhs && i < vhs->n; i++)
			rate += carp_ads_rate(carp->advbase,
					      vhs->vh[i].advskew);
	}
	return rate;
}

/* Why carp_peers_merge() failed, in @extack. */
static int carp_peers_err(int err, struct netlink_ext_ack *extack)
{
	if (err == -E2BIG)
		NL_SET_ERR_MSG(extack, "at most 32 peers per device (IPv4 and IPv6 together)");
	return err;
}

/*
 * The one way a carp device comes to be: @dev, allocated with carp_setup()
 * and not registered (by rtnetlink's newlink, or carp_dev_create() for
 * genl's NEW_DEVICE), configured from @cfg (a vhid or carpnodes, advbase
 * and advskew; the rest optional), registered and attached to @parent. On
 * error nothing of ours is left in @dev, which is the caller's to free:
 * register_netdevice() may have failed before ndo_init, in it, or after
 * (then ndo_uninit has freed the key, the vhids and the peers and cleared
 * the pointers; otherwise they are freed here).
 */
int carp_dev_new(struct net_device *dev, struct net_device *parent,
		 const struct carp_config *cfg, struct netlink_ext_ack *extack)
{
	struct carp_dev *carp = netdev_priv(dev);
	struct carp_peers *peers;
	struct carp_vhosts *vhs;
	struct carp_nodes nodes;
	u64 others = carp_net_ads_rate(dev_net(dev), NULL);
	int err, lladdr;

	err = carp_nodes_resolve(cfg, NULL, CARP_BAL_NONE, &nodes, extack);
	if (!err && cfg->version == CARP_PROTO_VRRP)
		err = vrrp_interval_check(cfg->vrrp_interval, others, extack);
	else if (!err)
		err = carp_interval_check(cfg->advbase, &nodes, others, extack);
	if (err)
		return err;
	lladdr = carp_lladdr_resolve(cfg, CARP_LLADDR_VIRTUAL, &nodes, extack);
	if (lladdr < 0)
		return lladdr;
	carp->advbase = cfg->advbase;
	carp->version = cfg->version;
	carp->vrrp_prio = cfg->vrrp_prio;
	carp->vrrp_interval = cfg->vrrp_interval;
	carp->vrrp_preempt = cfg->vrrp_preempt;
	carp->vrrp_family = cfg->vrrp_family;
	carp->vrrp_accept = cfg->vrrp_accept;
	carp->balancing = nodes.balancing;
	carp->lladdr = lladdr;
	carp->has_key = cfg->keylen > 0;
	peers = carp_peers_merge(cfg, NULL);
	if (IS_ERR(peers))
		return carp_peers_err(PTR_ERR(peers), extack);
	RCU_INIT_POINTER(carp->peers, peers);
	vhs = carp_vhosts_alloc(carp, &nodes);
	if (!vhs) {
		err = -ENOMEM;
		goto err;
	}
	RCU_INIT_POINTER(carp->vhosts, vhs);
	carp->arp_key = carp_arp_key(cfg->key, max(cfg->keylen, 0));
	carp->tfm = carp_key_tfm(cfg->key, max(cfg->keylen, 0));
	if (IS_ERR(carp->tfm)) {
		err = PTR_ERR(carp->tfm);
		carp->tfm = NULL;
		NL_SET_ERR_MSG(extack, "cannot set up hmac(sha1) with this key");
		goto err;
	}
	err = carp_register(dev, parent, extack);
	if (!err)
		return 0;
err:
	crypto_free_shash(carp->tfm);
	carp->tfm = NULL;
	kfree(rtnl_dereference(carp->vhosts));
	RCU_INIT_POINTER(carp->vhosts, NULL);
	kfree(rtnl_dereference(carp->peers));
	RCU_INIT_POINTER(carp->peers, NULL);
	return err;
}

/*
 * genl's NEW_DEVICE: a device named @name in @net, as rtnetlink's newlink
 * would make it. A device that failed to register is freed here, as
 * rtnl_newlink_create() frees it: free_netdev() leaves it to
 * netdev_run_todo() at rtnl_unlock() if it got as far as
 * NETREG_UNREGISTERING (dev->needs_free_netdev is only honoured there,
 * which never sees a device that did not register).
 */
int carp_dev_create(struct net *net, const char *name,
		    struct net_device *parent, const struct carp_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct net_device *dev;
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
	err = carp_dev_new(dev, parent, cfg, extack);
	if (err)
		free_netdev(dev);
	return err;
}

/*
 * A new MAC for @carp (RTNL): its own copy, the notifiers (the neighbour
 * tables of carp0 and bridges above it), and its mode @lladdr with it, so
 * that the packet paths' view of the mode and the MAC change together as
 * far as they can (both are read without the lock).
 */
static void carp_set_mac(struct carp_dev *carp, u8 lladdr, const u8 *mac)
{
	spin_lock_bh(&carp->lock);
	WRITE_ONCE(carp->lladdr, lladdr);
	spin_unlock_bh(&carp->lock);
	if (ether_addr_equal(carp->dev->dev_addr, mac))
		return;
	eth_hw_addr_set(carp->dev, mac);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, carp->dev);
}

/*
 * Apply a SET (see struct carp_config). Everything is checked and allocated
 * first, so a rejected request changes nothing. New vhids or a new mode
 * are a new identity: the device starts over from INIT with a new set of
 * vhids (and maybe a new MAC); new advskews or timing keep the states. A
 * new lladdr keeps them too: a MASTER announces its new MAC at once.
 */
int carp_dev_configure(struct carp_dev *carp, const struct carp_config *cfg,
		       struct netlink_ext_ack *extack)
{
	struct carp_vhosts *cur = rtnl_dereference(carp->vhosts), *vhs = NULL;
	struct carp_peers *peers = NULL, *old_peers = NULL;
	struct crypto_shash *tfm = NULL, *old;
	struct carp_port *port = carp->port;
	u64 arp_key = 0;
	u8 old_mac[ETH_ALEN], mac[ETH_ALEN], old_lladdr = carp->lladdr;
	bool renew, new_mac, refilter, retimed;
	struct carp_nodes nodes;
	u8 old_balancing;
	unsigned int i;
	u64 others = carp_net_ads_rate(dev_net(carp->dev), carp);
	int err, lladdr;

	if (cfg->version >= 0 && cfg->version != carp->version) {
		NL_SET_ERR_MSG(extack,
			       "carpver is chosen when the device is created: delete it and add it again");
		return -EINVAL;
	}
	if (cfg->vrrp_family >= 0 && carp_is_vrrp(carp) &&
	    cfg->vrrp_family != carp->vrrp_family) {
		NL_SET_ERR_MSG(extack,
			       "vrrpfamily is chosen when the device is created: delete it and add it again");
		return -EINVAL;
	}
	err = vrrp_config_check(cfg, carp_is_vrrp(carp), extack) ?:
	      carp_nodes_resolve(cfg, cur, carp->balancing, &nodes, extack);
	if (!err && carp_is_vrrp(carp))
		err = vrrp_interval_check(cfg->vrrp_interval >= 0 ?
					  cfg->vrrp_interval :
					  carp->vrrp_interval, others, extack);
	else if (!err)
		err = carp_interval_check(cfg->advbase >= 0 ? cfg->advbase :
					  carp->advbase, &nodes, others,
					  extack);
	if (err)
		return err;
	lladdr = carp_lladdr_resolve(cfg, old_lladdr, &nodes, extack);
	if (lladdr < 0)
		return lladdr;
	renew = carp_nodes_renew(carp, &nodes);
	if (renew && port &&
	    carp_nodes_taken(port->parent, &nodes, carp, extack))
		return -EEXIST;
	if (cfg->set_peer || cfg->set_peer6) {
		peers = carp_peers_merge(cfg, rtnl_dereference(carp->peers));
		if (IS_ERR(peers))
			return carp_peers_err(PTR_ERR(peers), extack);
	}
	if (cfg->keylen >= 0) {
		arp_key = carp_arp_key(cfg->key, cfg->keylen);
		tfm = carp_key_tfm(cfg->key, cfg->keylen);
		if (IS_ERR(tfm)) {
			NL_SET_ERR_MSG(extack, "cannot set up hmac(sha1) with this key");
			err = PTR_ERR(tfm);
			tfm = NULL;
			goto err_peers;
		}
	}
	if (renew) {
		vhs = carp_vhosts_alloc(carp, &nodes);
		if (!vhs) {
			err = -ENOMEM;
			goto err_tfm;
		}
	}
	ether_addr_copy(old_mac, carp->dev->dev_addr);
	carp_dev_mac(mac, nodes.balancing, lladdr, nodes.node[0].vhid,
		     carp_is_vrrp6(carp), port ? port->parent : NULL);
	new_mac = !ether_addr_equal(mac, old_mac);
	/* the parent's filter holds the old MAC unless it was the parent's */
	refilter = new_mac || lladdr != old_lladdr;
	if (refilter && port) {
		err = carp_filter_add(port->parent, lladdr, mac);
		if (err) {
			NL_SET_ERR_MSG(extack, "parent device cannot accept the virtual MAC");
			goto err_vhs;
		}
	}
	if (renew && port) {
		err = carp_vhid_filters_add(port->parent, nodes.balancing, vhs);
		if (err) {
			NL_SET_ERR_MSG(extack, "parent device cannot accept the virtual MAC");
			if (refilter)
				carp_filter_del(port->parent, lladdr, mac);
			goto err_vhs;
		}
	}

	if (renew) {
		carp_set_init_all(carp, CARP_REASON_CONFIG, "vhid changed");
		carp_timers_stop(carp);
		old_balancing = carp->balancing;
		spin_lock_bh(&carp->lock);
		rcu_assign_pointer(carp->vhosts, vhs);
		WRITE_ONCE(carp->balancing, nodes.balancing);
		spin_unlock_bh(&carp->lock);
		if (port)
			carp_vhid_filters_del(port->parent, old_balancing, cur);
		kfree_rcu(cur, rcu);
		cur = vhs;
	}
	carp_set_mac(carp, lladdr, mac);
	if (refilter && port)
		carp_filter_del(port->parent, old_lladdr, old_mac);

	spin_lock_bh(&carp->lock);
	retimed = cfg->advbase >= 0 && cfg->advbase != carp->advbase;
	for (i = 0; i < cur->n; i++) {
		retimed |= cur->vh[i].advskew != nodes.node[i].advskew;
		cur->vh[i].advskew = nodes.node[i].advskew;
	}
	if (cfg->advbase >= 0)
		carp->advbase = cfg->advbase;
	/* VRRPv3: a new priority or interval is new timing, as advskew's */
	retimed |= (cfg->vrrp_prio >= 0 && cfg->vrrp_prio != carp->vrrp_prio) ||
		   (cfg->vrrp_interval >= 0 &&
		    cfg->vrrp_interval != carp->vrrp_interval) ||
		   (cfg->vrrp_preempt >= 0 &&
		    cfg->vrrp_preempt != carp->vrrp_preempt);
	if (cfg->vrrp_prio >= 0)
		carp->vrrp_prio = cfg->vrrp_prio;
	if (cfg->vrrp_interval >= 0)
		carp->vrrp_interval = cfg->vrrp_interval;
	if (cfg->vrrp_preempt >= 0)
		carp->vrrp_preempt = cfg->vrrp_preempt;
	/* read by the ingress hook without the lock */
	if (cfg->vrrp_accept >= 0)
		WRITE_ONCE(carp->vrrp_accept, cfg->vrrp_accept);
	if (cfg->set_peer || cfg->set_peer6)
		old_peers = rcu_replace_pointer(carp->peers, peers,
						lockdep_is_held(&carp->lock));
	old = NULL;
	if (tfm) {
		old = carp->tfm;
		carp->tfm = tfm;
		WRITE_ONCE(carp->arp_key, arp_key);
		carp->has_key = cfg->keylen > 0;
	}
	spin_unlock_bh(&carp->lock);
	if (old_peers)
		kfree_rcu(old_peers, rcu);
	if (old)
		crypto_free_shash(old);
	/*
	 * A MASTER announces new timing at once, as a demotion: made worse, a
	 * preempting backup takes over now, not at the next advertisement.
	 */
	carp_setrun_all(carp, retimed);
	carp_link_demote_update(carp);
	/* a renewed device is no MASTER yet: it announces when it becomes one */
	if (new_mac && !renew)
		carp_announce(carp, true);
	return 0;

err_vhs:
	kfree(vhs);
err_tfm:
	if (tfm)
		crypto_free_shash(tfm);
err_peers:
	kfree(peers);
	return err;
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

/*
 * The parent's MTU changed from @old_mtu: a carp device follows a decrease
 * (carp_change_mtu() allows no more than the parent's), and an increase
 * only while it had the parent's MTU, so that a smaller one its
 * administrator chose stays. Below carp0's minimum (68) dev_set_mtu()
 * refuses: such a parent carries no IPv4 anyway, and carp0's addresses
 * are kept.
 */
static void carp_port_mtu(struct carp_port *port, unsigned int old_mtu)
{
	unsigned int mtu = port->parent->mtu;
	struct carp_dev *carp;

	list_for_each_entry(carp, &port->carps, port_node) {
		if (carp->dev->mtu > mtu ||
		    (carp->dev->mtu == old_mtu && mtu > old_mtu))
			dev_set_mtu(carp->dev, mtu);
	}
}

/*
 * The parent's MAC changed: a device with lladdr parent takes the new one
 * and, leading, announces it (the neighbours still send to the old one,
 * which no NIC answers to any more). The packet paths send from the
 * parent's current MAC already (carp_hides_vmac()). RTNL.
 */
static void carp_follow_parent_mac(struct carp_dev *carp)
{
	const struct net_device *parent = carp->port->parent;

	if (carp->lladdr != CARP_LLADDR_PARENT ||
	    ether_addr_equal(carp->dev->dev_addr, parent->dev_addr))
		return;
	carp_set_mac(carp, CARP_LLADDR_PARENT, parent->dev_addr);
	carp_announce(carp, true);
}

/*
 * Parent events: link state drives INIT <-> BACKUP; removal removes us.
 * Under RTNL (every netdev notifier is), which keeps the port alive: it
 * is only freed at the ndo_uninit of its last device (see carp_detach()).
 */
int carp_netdev_event(struct notifier_block *nb, unsigned long event,
		      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct netdev_notifier_info_ext *ext = ptr;
	struct carp_dev *carp, *tmp;
	struct carp_port *port;
	LIST_HEAD(kill);

	carp_track_event(dev, event);
	port = carp_port_of(dev_net(dev), dev);
	if (!port)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_PRE_TYPE_CHANGE:
		/*
		 * A bond enslaving a non-Ethernet device (IPoIB) takes its
		 * type and address length: carp reads and writes Ethernet
		 * addresses on the parent. Refused, as macvlan, ipvlan and
		 * 802.1Q do.
		 */
		return notifier_from_errno(-EOPNOTSUPP);
	case NETDEV_GOING_DOWN:
		/* the parent can still send: bow out before it goes */
		list_for_each_entry(carp, &port->carps, port_node)
			carp_set_init_all(carp, CARP_REASON_LINK_DOWN,
					  "parent going down");
		break;
	case NETDEV_UP:
		/* IPv6 may have made a new inet6_dev (see carp_port_mc_sync()) */
		carp_port_mc_sync(port, false);
		fallthrough;
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		list_for_each_entry(carp, &port->carps, port_node) {
			carp_setrun_all(carp, false);
			carp_link_demote_update(carp);
		}
		break;
	case NETDEV_CHANGEMTU:
		/* too small for IPv4 or IPv6 and back: new in_dev, inet6_dev */
		carp_port_mc_sync(port, false);
		carp_port_mtu(port, ext->ext.mtu);
		break;
	case NETDEV_CHANGEADDR:
		list_for_each_entry(carp, &port->carps, port_node)
			carp_follow_parent_mac(carp);
		break;
	case NETDEV_NOTIFY_PEERS:
	case NETDEV_BONDING_FAILOVER:
		/*
		 * The parent asks its upper devices to tell the neighbours
		 * where they now are (a bond's new active slave, a migrated
		 * VM): a MASTER announces its addresses again, or switches
		 * keep sending to the dead slave's port.
		 */
		list_for_each_entry(carp, &port->carps, port_node) {
			if (carp_leads(carp))
				carp_send_garp(carp);
		}
		break;
	case NETDEV_UNREGISTER:
		/* the port outlives the walk: see carp_detach() */
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

	if (dev->rtnl_link_ops != &carp_link_ops)
		return NOTIFY_DONE;
	carp = netdev_priv(dev);
	carp_vips_update(carp);
	/* the MASTER (of the first vhid) announces a new address */
	if (event == NETDEV_UP && carp_leads(carp))
		carp_send_garp(carp);
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
	bool was, announce, up = event == NETDEV_UP;
	unsigned int i, n;

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
	announce = up && carp_leads(carp);
	spin_unlock_bh(&carp->lock);
	if (old)
		kfree_rcu(old, rcu);
	if (announce)
		carp_send_garp(carp);
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
