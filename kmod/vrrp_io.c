// SPDX-License-Identifier: GPL-2.0
/*
 * The VRRPv3 advertisements of a carp device created with carpver 3: built
 * in place of CARP's header (carp_alloc_advert()), checked and acted on in
 * place of carp_rcv_common(). What they decide is vrrp.c's; the timers and
 * states are CARP's (state.c).
 *
 * A VRRPv3 device is a virtual router of one family, chosen at its
 * creation: RFC 5798 runs IPv4 and IPv6 as separate virtual routers, with
 * different virtual MACs (00:00:5e:00:01:VRID and :02:VRID), and a carp
 * device has one MAC. It advertises its addresses of that family, and
 * advertisements of the other family go on untouched (to the device of
 * that family with the same VRID, if there is one).
 */
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>

#include "carp.h"

/*
 * How many of a device's @n addresses an advertisement lists: all, up to
 * the 255 that its one-byte count can say. Zero when there are none:
 * RFC 5798 wants at least one, so a device without an address of its
 * family advertises nothing.
 */
unsigned int vrrp_naddrs(unsigned int n)
{
	return min_t(unsigned int, n, U8_MAX);
}

/*
 * The first @n of @vips6 into @addr, link-local ones first: RFC 5798
 * 5.2.9 wants the virtual router's link-local address first, and
 * receivers (keepalived) take the first as the router's own.
 */
static void vrrp_fill6(struct in6_addr *addr, const struct carp_vips6 *vips6,
		       unsigned int n)
{
	unsigned int i, pass, k = 0;
	bool ll;

	for (pass = 0; pass < 2; pass++) {	/* link-local, then the rest */
		for (i = 0; i < vips6->n && k < n; i++) {
			ll = ipv6_addr_type(&vips6->addr[i]) & IPV6_ADDR_LINKLOCAL;
			if (ll == !pass)
				addr[k++] = vips6->addr[i];
		}
	}
}

/*
 * Fill @h, followed by room for @n addresses (vrrp_naddrs()) of @vips or
 * @vips6 (the device's family's), as @vh's next advertisement; a leaving
 * MASTER's says priority 0 (@bow_out). The checksum is left 0: it covers
 * the IP addresses, which the caller fills in later (vrrp_csum4(),
 * vrrp_csum6()). carp->lock held, under RCU.
 */
void vrrp_fill(struct carp_vhost *vh, bool bow_out,
	       const struct carp_vips *vips, const struct carp_vips6 *vips6,
	       struct vrrp_header *h, unsigned int n)
{
	h->ver_type = VRRP_VERSION << 4 | VRRP_TYPE_ADVERTISEMENT;
	h->vrid = vh->vhid;
	h->priority = bow_out ? VRRP_PRIO_BOWOUT : vrrp_prio_own(vh);
	h->count = n;
	h->interval = htons(vh->carp->vrrp_interval & VRRP_INTERVAL_MASK);
	h->cksum = 0;
	if (vips6)
		vrrp_fill6((struct in6_addr *)(h + 1), vips6, n);
	else
		memcpy(h + 1, vips->addr, n * sizeof(vips->addr[0]));
}

/*
 * Whether the @plen bytes of a VRRPv3 message at @h (pulled) come intact
 * from @rx's source to its destination: its checksum, over the pseudo-
 * header of its family.
 */
static bool vrrp_csum_ok(const struct vrrp_header *h, unsigned int plen,
			 const struct carp_rx *rx)
{
	if (rx->v6)
		return !vrrp_csum6(h, plen, &rx->src.v6, &rx->dst.v6);
	return !vrrp_csum4(h, plen, rx->src.v4, rx->dst.v4);
}

/*
 * How @port's parent ranks as the sender of an advertisement of @rx's
 * family, for the tie of equal priorities: its primary address, the
 * source of its own advertisements (IPv4: its first address; IPv6: its
 * link-local one). Under RCU, before carp->lock is taken: the IPv6
 * address is read under the inet6_dev's own lock.
 */
static void vrrp_own_addr(struct carp_port *port, const struct carp_rx *rx,
			  struct vrrp_prio *ours)
{
	ours->v6 = rx->v6;
	if (!rx->v6)
		ours->addr.v4 = carp_parent_addr(port->parent);
	else if (!carp_parent_lladdr(port->parent, &ours->addr.v6))
		ours->addr.v6 = in6addr_any;
}

/*
 * A VRRPv3 advertisement for @vh, a vhid of a VRRPv3 device of the
 * advertisement's family (carp_rcv_vhost()), whose IP header was read
 * into @rx, under RCU: checked (TTL or hop limit, length, version and
 * type, addresses present, checksum) before it may change any state, as
 * RFC 5798 7.1 lists, then handed to vrrp_advert_received(). Whether the
 * addresses it lists are ours is not checked: 7.1 leaves dropping a
 * mismatch optional, and keepalived and FreeBSD only log it. NF_STOLEN.
 */
unsigned int vrrp_rcv(struct carp_port *port, struct carp_vhost *vh,
		      struct sk_buff *skb, const struct carp_rx *rx)
{
	const unsigned int alen = rx->v6 ? sizeof(struct in6_addr) :
					   sizeof(__be32);
	struct carp_dev *carp = vh->carp;
	enum carp_stat bad = CARP_STAT_UNSPEC;
	unsigned int plen = rx->plen, tx;
	struct vrrp_prio theirs = {}, ours = {};
	const struct vrrp_header *h;
	bool echo = false;

	if (rx->ttl != VRRP_TTL)
		bad = CARP_STAT_BADTTL;
	else if (plen < sizeof(*h) || plen > sizeof(*h) + U8_MAX * alen ||
		 skb->len < rx->off + plen ||
		 !pskb_may_pull(skb, rx->off + plen))
		bad = CARP_STAT_BADLEN;
	/* may have moved: the caller's pointers are stale from here on */
	h = (const struct vrrp_header *)(skb_network_header(skb) + rx->off);
	if (bad == CARP_STAT_UNSPEC)
		bad = vrrp_check(h, plen, rx->v6);
	if (bad == CARP_STAT_UNSPEC && !vrrp_csum_ok(h, plen, rx))
		bad = CARP_STAT_BADSUM;
	if (bad == CARP_STAT_UNSPEC)
		echo = rx->v6 ? carp_parent_has_addr6(port->parent, &rx->src.v6) :
				carp_parent_has_addr(port->parent, rx->src.v4);
	if (bad == CARP_STAT_UNSPEC && !echo)
		vrrp_own_addr(port, rx, &ours);

	spin_lock(&carp->lock);
	if (bad != CARP_STAT_UNSPEC)
		return carp_rcv_discard(vh, skb, rx, bad);
	/* ours, come back through a reflecting switch */
	if (echo)
		return carp_rcv_discard(vh, skb, rx, CARP_STAT_ECHO);
	carp_stat_inc(carp, rx->v6 ? CARP_STAT_IPACKETS6 : CARP_STAT_IPACKETS);
	theirs.priority = h->priority;
	theirs.v6 = rx->v6;
	if (rx->v6)
		theirs.addr.v6 = rx->src.v6;
	else
		theirs.addr.v4 = rx->src.v4;
	tx = vrrp_advert_received(vh, &ours, &theirs, vrrp_hdr_interval(h));
	spin_unlock(&carp->lock);
	consume_skb(skb);
	carp_do_tx(vh, tx);
	return NF_STOLEN;
}
