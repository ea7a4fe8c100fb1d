// SPDX-License-Identifier: GPL-2.0
/*
 * CARP over IPv6, as FreeBSD and OpenBSD do it: advertisements to ff02::12
 * (next header 112, hop limit 255) from the parent's link-local address,
 * and neighbour discovery for the virtual IPv6 addresses.
 *
 * Linux answers a neighbour solicitation only for an address of the
 * interface it arrived on, and the virtual addresses live on the carp
 * device: so the MASTER answers them itself, from the virtual MAC (or the
 * parent's: lladdr parent), and a BACKUP never does. On becoming MASTER
 * it announces every virtual IPv6 address with an unsolicited neighbour
 * advertisement (the counterpart of the gratuitous ARP).
 *
 * A host booted with ipv6.disable=1 still delivers frames of type 0x86DD
 * to the ingress hook, but addrconf never initialised: the address hash
 * (net->ipv6.inet6_addr_lst) and nd_tbl are empty shells, and any lookup in
 * them dereferences NULL. Every entry into this file from the wire, a
 * timer or the transmit path therefore first asks ipv6_mod_enabled(), as
 * the bridge and nft_fib do. Such a host can have no IPv6 address, so
 * nothing here is lost by it.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <linux/pkt_sched.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "carp.h"

const struct in6_addr carp_group_v6 = CARP_GROUP_V6_INIT;

/* Sort by memcmp() order and drop duplicates. */
void carp_vips6_sort(struct carp_vips6 *vips6)
{
	struct in6_addr a;
	unsigned int i, j;

	for (i = 1; i < vips6->n; i++) {
		a = vips6->addr[i];
		for (j = i; j > 0 && memcmp(&vips6->addr[j - 1], &a,
					    sizeof(a)) > 0; j--)
			vips6->addr[j] = vips6->addr[j - 1];
		vips6->addr[j] = a;
	}
	for (i = 0, j = 0; i < vips6->n; i++) {
		if (j && ipv6_addr_equal(&vips6->addr[j - 1], &vips6->addr[i]))
			continue;
		vips6->addr[j++] = vips6->addr[i];
	}
	vips6->n = j;
}

/*
 * The solicited-node group of virtual address @addr in (@add) or out of
 * the parent's link-layer multicast filter, counted: a NIC that filters
 * multicast must pass neighbour solicitations for a virtual address, and
 * the group addrconf joins on carp0 is carp0's, whose frames arrive on
 * the parent. Atomic context.
 */
void carp_mc6_snma(struct net_device *parent, const struct in6_addr *addr,
		   bool add)
{
	struct in6_addr snma;
	u8 mac[ETH_ALEN];

	addrconf_addr_solict_mult(addr, &snma);
	ipv6_eth_mc_map(&snma, mac);
	if (add)
		dev_mc_add(parent, mac);
	else
		dev_mc_del(parent, mac);
}

/*
 * Move the solicited-node groups of carp's virtual addresses to @parent
 * (NULL: off the current one), under carp->lock, so that the inet6addr
 * notifier and attach/detach agree on what the filter holds. RTNL.
 */
void carp_mc6_attach(struct carp_dev *carp, struct net_device *parent)
{
	const struct carp_vips6 *vips6;
	unsigned int i;

	ASSERT_RTNL();
	spin_lock_bh(&carp->lock);
	vips6 = rcu_dereference_protected(carp->vips6,
					  lockdep_is_held(&carp->lock));
	for (i = 0; vips6 && i < vips6->n; i++) {
		if (carp->mc6_parent)
			carp_mc6_snma(carp->mc6_parent, &vips6->addr[i], false);
		if (parent)
			carp_mc6_snma(parent, &vips6->addr[i], true);
	}
	carp->mc6_parent = parent;
	spin_unlock_bh(&carp->lock);
}

/* Is @addr one of the parent's own addresses (an echo of our own ad)? */
bool carp_parent_has_addr6(const struct net_device *parent,
			   const struct in6_addr *addr)
{
	return ipv6_chk_addr_and_flags(dev_net(parent), addr, parent, false,
				       1, 0);
}

static bool carp_vips6_has(const struct carp_vips6 *vips6,
			   const struct in6_addr *addr)
{
	unsigned int i;

	for (i = 0; vips6 && i < vips6->n; i++) {
		if (ipv6_addr_equal(&vips6->addr[i], addr))
			return true;
	}
	return false;
}

/* The carp device on @port that owns virtual address @addr, under RCU. */
static struct carp_dev *carp_port_vip6_owner(struct carp_port *port,
					     const struct in6_addr *addr)
{
	struct carp_dev *carp;

	list_for_each_entry_rcu(carp, &port->carps, port_node) {
		if (carp_vips6_has(rcu_dereference(carp->vips6), addr))
			return carp;
	}
	return NULL;
}

/*
 * The parent's link-local address, the source of advertisements (as
 * ipv6_get_lladdr(), which is not exported): a non-tentative one if there
 * is one, else a tentative one (it still says who we are).
 */
bool carp_parent_lladdr(struct net_device *parent, struct in6_addr *addr)
{
	const struct inet6_ifaddr *ifp;
	struct inet6_dev *idev;
	bool found = false;

	rcu_read_lock();
	idev = __in6_dev_get(parent);
	if (idev) {
		read_lock_bh(&idev->lock);
		list_for_each_entry(ifp, &idev->addr_list, if_list) {
			if (ifp->scope != IFA_LINK ||
			    (ifp->flags & IFA_F_DADFAILED))
				continue;
			if (!found || !(ifp->flags & IFA_F_TENTATIVE))
				*addr = ifp->addr;
			found = true;
			if (!(ifp->flags & IFA_F_TENTATIVE))
				break;
		}
		read_unlock_bh(&idev->lock);
	}
	rcu_read_unlock();
	return found;
}

/* An IPv6 header with the fields CARP and ND packets share. */
static void carp_ip6_header(struct ipv6hdr *ip6h, unsigned int plen, u8 nexthdr,
			    const struct in6_addr *saddr,
			    const struct in6_addr *daddr)
{
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(plen);
	ip6h->nexthdr = nexthdr;
	ip6h->hop_limit = CARP_TTL;	/* 255, as ND requires too */
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
}

/*
 * Ethernet destination of a unicast advertisement to @peer (under RCU):
 * the peer's MAC from the parent's neighbour table. Until that is known
 * the advertisement goes to the MAC of the peer's solicited-node group,
 * which its NIC passes (the IP destination is still its own), and
 * resolution is started.
 */
static void carp_peer6_mac(struct net_device *parent,
			   const struct in6_addr *peer, u8 *mac)
{
	struct in6_addr snma;

	if (carp_neigh_mac(&nd_tbl, parent, peer, mac))
		return;
	addrconf_addr_solict_mult(peer, &snma);
	ipv6_eth_mc_map(&snma, mac);
}

/*
 * Address @skb, an advertisement from carp_alloc_advert(), from @saddr to
 * @daddr (the group, or a unicast peer) and give it its link header.
 * carp->lock held. False (the skb freed) if the parent cannot make the
 * header.
 */
static bool carp_advert6_to(struct carp_vhost *vh, struct sk_buff *skb,
			    const struct in6_addr *saddr,
			    const struct in6_addr *daddr)
{
	struct net_device *parent = vh->carp->port->parent;
	unsigned int plen = skb->len - sizeof(struct ipv6hdr);
	u8 dst_mac[ETH_ALEN], src_mac[ETH_ALEN];

	carp_ip6_header(ipv6_hdr(skb), plen, IPPROTO_CARP, saddr, daddr);
	/* VRRPv3's checksum covers a pseudo-header: the addresses are known now */
	if (carp_is_vrrp(vh->carp)) {
		struct vrrp_header *h = (struct vrrp_header *)skb_transport_header(skb);

		h->cksum = 0;
		h->cksum = vrrp_csum6(h, plen, saddr, daddr);
	}
	skb->protocol = htons(ETH_P_IPV6);
	skb->priority = TC_PRIO_CONTROL;
	skb->dev = parent;
	if (ipv6_addr_equal(daddr, &carp_group_v6)) {
		ipv6_eth_mc_map(daddr, dst_mac);
	} else {
		rcu_read_lock();
		carp_peer6_mac(parent, daddr, dst_mac);
		rcu_read_unlock();
	}
	carp_advert_smac(vh, parent, src_mac);
	if (dev_hard_header(skb, parent, ETH_P_IPV6, dst_mac, src_mac,
			    skb->len) < 0) {
		kfree_skb(skb);
		return false;
	}
	carp_stat_inc(vh->carp, CARP_STAT_OPACKETS6);
	return true;
}

/*
 * The IPv6 advertisement (see carp_build_advert()), from the parent's
 * link-local address to ff02::12; with unicast peers, one copy to each
 * IPv6 peer (the same counter and HMAC, as in IPv4), from the parent's
 * address that source selection picks for it (its link-local one for a
 * link-local peer), linked by skb->next. A peer the parent has no source
 * address for yet is skipped. carp->lock held. NULL if none could be
 * built.
 */
struct sk_buff *carp_build_advert6(struct carp_vhost *vh, bool bow_out)
{
	struct carp_dev *carp = vh->carp;
	const struct carp_peers *peers = carp_peers(carp);
	struct net_device *parent = carp->port->parent;
	struct sk_buff *skb, *copy, *head = NULL, **tail = &head;
	unsigned int i, n = peers ? peers->n6 : 0;
	struct in6_addr saddr;

	if (!n && !carp_parent_lladdr(parent, &saddr))
		return NULL;
	skb = carp_alloc_advert(vh, bow_out, sizeof(struct ipv6hdr));
	if (!skb)
		return NULL;
	if (!n)
		return carp_advert6_to(vh, skb, &saddr, &carp_group_v6) ?
		       skb : NULL;
	/* copies made before the link header, which differs for each peer */
	for (i = 0; i < n; i++) {
		if (ipv6_dev_get_saddr(dev_net(parent), parent,
				       &peers->addr6[i], 0, &saddr))
			continue;
		copy = i + 1 < n ? skb_copy(skb, GFP_ATOMIC) : skb;
		if (!copy) {
			carp_stat_inc(carp, CARP_STAT_ONOMEM);
			continue;
		}
		if (copy == skb)
			skb = NULL;
		if (carp_advert6_to(vh, copy, &saddr, &peers->addr6[i])) {
			*tail = copy;
			tail = &copy->next;
		}
	}
	consume_skb(skb);
	return head;
}

/*
 * Whether the device's IPv6 forwards: then its neighbour advertisements
 * carry the Router flag, as the stack's own do (ndisc_recv_ns() reads the
 * receiving device's forwarding). Without it a Linux neighbour takes an
 * advertisement of a router's address as "router became host" and deletes
 * the default routes it learned through that address (rt6_clean_tohost()):
 * a MASTER that routes would lose its clients' gateway on every failover
 * and every NUD probe. Under RCU (the device's inet6_dev).
 */
static bool carp_forwards6(const struct carp_dev *carp)
{
	const struct inet6_dev *idev = __in6_dev_get(carp->dev);

	return idev && READ_ONCE(idev->cnf.forwarding) > 0;
}

/*
 * A neighbour advertisement for virtual address @target, naming @lladdr in
 * the target link-layer option, with the override flag, from Ethernet
 * source @smac: to @daddr at @dst_mac, solicited or not, with the Router
 * flag or not.
 */
static void carp_send_na(struct net_device *parent, const u8 *lladdr,
			 const u8 *smac, const struct in6_addr *target,
			 const struct in6_addr *daddr, const u8 *dst_mac,
			 bool solicited, bool router)
{
	unsigned int len = sizeof(struct nd_msg) + 8;	/* + TLLA option */
	int hlen = LL_RESERVED_SPACE(parent);
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct nd_msg *msg;

	skb = alloc_skb(hlen + sizeof(*ip6h) + len + parent->needed_tailroom,
			GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, hlen);
	skb_reset_network_header(skb);
	ip6h = skb_put(skb, sizeof(*ip6h));
	skb_set_transport_header(skb, sizeof(*ip6h));
	msg = skb_put_zero(skb, len);

	msg->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	msg->icmph.icmp6_router = router;
	msg->icmph.icmp6_solicited = solicited;
	msg->icmph.icmp6_override = 1;
	msg->target = *target;
	msg->opt[0] = ND_OPT_TARGET_LL_ADDR;
	msg->opt[1] = 1;		/* in units of 8 bytes */
	ether_addr_copy(&msg->opt[2], lladdr);
	carp_ip6_header(ip6h, len, IPPROTO_ICMPV6, target, daddr);
	msg->icmph.icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						 len, IPPROTO_ICMPV6,
						 csum_partial(msg, len, 0));

	skb->protocol = htons(ETH_P_IPV6);
	skb->priority = TC_PRIO_CONTROL;
	skb->dev = parent;
	if (dev_hard_header(skb, parent, ETH_P_IPV6, dst_mac, smac,
			    skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}

/*
 * The Ethernet source of a neighbour advertisement for the device's
 * addresses: the virtual MAC, unless the device keeps it off the wire.
 */
static const u8 *carp_na_smac(const struct carp_dev *carp,
			      const struct net_device *parent)
{
	return carp_hides_vmac(carp) ? parent->dev_addr : carp->dev->dev_addr;
}

/*
 * Unsolicited neighbour advertisement (to ff02::1, override) for every
 * virtual IPv6 address, through @parent: neighbours and switches learn
 * where the master now is. Under RCU, from carp_send_garp(), which read
 * the port once and checked that the device leads.
 */
void carp_send_una6(struct carp_dev *carp, struct net_device *parent)
{
	const struct carp_vips6 *vips6;
	u8 dst_mac[ETH_ALEN];
	unsigned int i;
	bool router;

	if (!ipv6_mod_enabled())
		return;
	ipv6_eth_mc_map(&in6addr_linklocal_allnodes, dst_mac);
	router = carp_forwards6(carp);
	vips6 = rcu_dereference(carp->vips6);
	for (i = 0; vips6 && i < vips6->n; i++)
		carp_send_na(parent, carp_lladdr_of(carp, parent),
			     carp_na_smac(carp, parent), &vips6->addr[i],
			     &in6addr_linklocal_allnodes, dst_mac, false,
			     router);
}

/*
 * An IPv6 packet of next header 112, to ff02::12 or to one of the parent's
 * addresses (peer mode), arrived on a parent (ingress hook, under RCU); as
 * carp_rcv_v4().
 */
unsigned int carp_rcv_v6(struct carp_port *port, struct sk_buff *skb)
{
	struct carp_net *cn = carp_pernet(dev_net(port->parent));
	const struct ipv6hdr *ip6h;
	struct carp_header *ch;
	struct carp_vhost *vh;
	struct carp_rx rx = {};

	if (!READ_ONCE(cn->allow))
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, sizeof(*ip6h) + 6))
		return NF_ACCEPT;	/* cannot even tell whose it is */
	ip6h = ipv6_hdr(skb);
	ch = (struct carp_header *)(skb_network_header(skb) + sizeof(*ip6h));
	vh = carp_rcv_vhost(cn, port, ch, true);
	if (!vh)
		return NF_ACCEPT;

	rx.v6 = true;
	rx.ttl = ip6h->hop_limit;
	rx.off = sizeof(*ip6h);
	rx.plen = ntohs(ip6h->payload_len);
	rx.src.v6 = ip6h->saddr;
	rx.dst.v6 = ip6h->daddr;
	return carp_rcv_common(port, vh, skb, &rx);
}

/*
 * The source link-layer address (an Ethernet MAC) of the neighbour
 * solicitation @msg, whose options fill @len bytes; NULL if it has none.
 * The message is linear and its length checked.
 */
static const u8 *carp_ns_slla(const struct nd_msg *msg, unsigned int len)
{
	const u8 *opt = msg->opt;
	unsigned int olen;

	while (len >= sizeof(struct nd_opt_hdr)) {
		olen = opt[1] * 8;
		if (!olen || olen > len)
			return NULL;	/* malformed: the stack drops it */
		if (opt[0] == ND_OPT_SOURCE_LL_ADDR)
			return olen == 8 ? opt + 2 : NULL;
		opt += olen;
		len -= olen;
	}
	return NULL;
}

/*
 * A neighbour solicitation for a virtual address: the MASTER (of the first
 * vhid: see carp_leads()) answers it with the virtual MAC and consumes it;
 * anything else goes on (the stack of a BACKUP never answers for an
 * address of another interface).
 *
 * In balancing arp the MAC in the solicitor's source link-layer address
 * option chooses the vhid, as the ARP sender's does (OpenBSD's
 * carp_iamatch6()), and the vhid's MASTER answers with that vhid's MAC, as
 * target link-layer address and Ethernet source. A solicitation without
 * the option is not answered, as on OpenBSD: nobody could say which host
 * answers it. That includes duplicate address detection (from ::, which
 * never carries it): the only answer that would reach it goes to all nodes
 * with the override flag, and would move every neighbour to one vhid's MAC.
 */
static unsigned int carp_rcv_ns(struct carp_port *port, struct sk_buff *skb)
{
	unsigned int off = sizeof(struct ipv6hdr), plen;
	const struct ipv6hdr *ip6h;
	const u8 *lladdr, *smac, *slla;
	const struct carp_vhost *vh;
	struct in6_addr daddr;
	struct carp_dev *carp;
	const struct nd_msg *msg;
	u8 dst_mac[ETH_ALEN], vmac[ETH_ALEN];

	if (!pskb_may_pull(skb, off + sizeof(*msg)))
		return NF_ACCEPT;
	ip6h = ipv6_hdr(skb);
	msg = (const struct nd_msg *)(skb_network_header(skb) + off);
	if (msg->icmph.icmp6_type != NDISC_NEIGHBOUR_SOLICITATION ||
	    msg->icmph.icmp6_code || ip6h->hop_limit != 255)
		return NF_ACCEPT;
	carp = carp_port_vip6_owner(port, &msg->target);
	if (!carp)
		return NF_ACCEPT;
	plen = ntohs(ip6h->payload_len);
	if (plen < sizeof(*msg) || skb->len < off + plen ||
	    !skb_mac_header_was_set(skb))
		return NF_ACCEPT;
	if (csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, plen, IPPROTO_ICMPV6,
			    skb_checksum(skb, off, plen, 0)))
		return NF_ACCEPT;

	if (carp_arp_balanced(carp)) {
		if (!pskb_may_pull(skb, off + plen))
			return NF_ACCEPT;
		ip6h = ipv6_hdr(skb);
		msg = (const struct nd_msg *)(skb_network_header(skb) + off);
		slla = ipv6_addr_any(&ip6h->saddr) ? NULL :
		       carp_ns_slla(msg, plen - sizeof(*msg));
		vh = slla ? carp_arp_vhost(carp, slla) : NULL;
		if (!vh)
			return NF_ACCEPT;
		carp_vmac(vmac, vh->vhid);
		lladdr = vmac;
		smac = vmac;
	} else if (carp_leads(carp)) {
		lladdr = carp_lladdr_of(carp, port->parent);
		smac = carp_na_smac(carp, port->parent);
	} else {
		return NF_ACCEPT;
	}

	if (ipv6_addr_any(&ip6h->saddr)) {
		/* duplicate address detection: tell everybody (RFC 4861) */
		daddr = in6addr_linklocal_allnodes;
		ipv6_eth_mc_map(&daddr, dst_mac);
	} else {
		daddr = ip6h->saddr;
		ether_addr_copy(dst_mac, eth_hdr(skb)->h_source);
	}
	carp_send_na(port->parent, lladdr, smac, &msg->target, &daddr,
		     dst_mac, !ipv6_addr_any(&ip6h->saddr),
		     carp_forwards6(carp));
	consume_skb(skb);
	return NF_STOLEN;
}

/*
 * IPv6 leaving a parent (post-routing hook, under RCU) from a virtual
 * address: only from its MASTER (of the flow's vhid), as IPv4's
 * carp_ip_out(). A socket bound to a virtual address on a BACKUP is routed
 * out of the parent, which holds the prefix route; without this its
 * packets would reach the wire from the BACKUP, with the parent's MAC.
 * The stack built the header it routes: it is in the linear data.
 */
unsigned int carp_egress6(struct carp_port *port, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct carp_dev *carp;

	carp = carp_port_vip6_owner(port, &ip6h->saddr);
	if (!carp ||
	    carp_flow_ours(carp, carp_fold6(&ip6h->saddr, &ip6h->daddr)))
		return NF_ACCEPT;
	DEV_STATS_INC(carp->dev, tx_dropped);
	return NF_DROP;
}

/* The ICMPv6 type of @skb, a packet without extension headers, or 0. */
static u8 carp_icmp6_type(struct sk_buff *skb)
{
	unsigned int off = sizeof(struct ipv6hdr);

	if (ipv6_hdr(skb)->nexthdr != IPPROTO_ICMPV6 ||
	    !pskb_may_pull(skb, off + 1))
		return 0;
	return skb_network_header(skb)[off];
}

/*
 * Is @skb (IPv6, its header pulled) a neighbour advertisement? To a
 * virtual address it answers carp0's solicitation (carp_rx_copy()). The
 * stack checks the rest; the type byte is pulled before it is read.
 */
static bool carp_is_na(struct sk_buff *skb)
{
	return carp_icmp6_type(skb) == NDISC_NEIGHBOUR_ADVERTISEMENT;
}

/*
 * Neighbour discovery to a virtual address passes whatever Accept_Mode
 * says (RFC 5798 6.4.3: a MASTER answers neighbour solicitations for its
 * addresses; advertisements to them answer carp0's own questions).
 */
static bool carp_is_nd(struct sk_buff *skb)
{
	u8 type = carp_icmp6_type(skb);

	return type == NDISC_NEIGHBOUR_SOLICITATION ||
	       type == NDISC_NEIGHBOUR_ADVERTISEMENT;
}

/*
 * IPv6 on a parent (ingress hook, under RCU): advertisements, neighbour
 * solicitations for a virtual address, and the wire's traffic for a
 * virtual address, which only its MASTER may take (with load balancing,
 * the MASTER of the flow's vhid). NF_ACCEPT: carry on with the frame (on a
 * host without IPv6, to the stack, which drops it).
 */
unsigned int carp_ingress6(struct carp_port *port, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	struct carp_dev *carp;
	unsigned int verdict;

	if (!ipv6_mod_enabled() || !pskb_may_pull(skb, sizeof(*ip6h)))
		return NF_ACCEPT;
	ip6h = ipv6_hdr(skb);
	if (ip6h->nexthdr == IPPROTO_CARP &&
	    (ipv6_addr_equal(&ip6h->daddr, &carp_group_v6) ||
	     carp_parent_has_addr6(port->parent, &ip6h->daddr)))
		return carp_rcv_v6(port, skb);
	if (ip6h->nexthdr == IPPROTO_ICMPV6) {
		verdict = carp_rcv_ns(port, skb);
		if (verdict != NF_ACCEPT)
			return verdict;
		ip6h = ipv6_hdr(skb);
	}
	carp = carp_port_vip6_owner(port, &ip6h->daddr);
	if (!carp)
		return NF_ACCEPT;
	if (!carp_flow_ours(carp, carp_fold6(&ip6h->saddr, &ip6h->daddr)))
		return NF_DROP;
	if (vrrp_refuses(carp) && !carp_is_nd(skb)) {
		DEV_STATS_INC(carp->dev, rx_dropped);
		return NF_DROP;
	}
	/* may have moved (carp_is_nd() pulls) */
	ip6h = ipv6_hdr(skb);
	/*
	 * The stack takes a link-local destination only on the device that
	 * holds the address (its route lookup is scoped to the interface the
	 * packet came in on): a link-local virtual address is carp0's, so
	 * the packet goes in there.
	 */
	if (ipv6_addr_type(&ip6h->daddr) & IPV6_ADDR_LINKLOCAL) {
		carp_rx_on(carp, skb);
		return NF_STOLEN;
	}
	if (carp_is_na(skb))
		carp_rx_copy(carp, skb);
	return NF_ACCEPT;
}
