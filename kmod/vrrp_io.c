// SPDX-License-Identifier: GPL-2.0
/*
 * The VRRPv3 advertisements of a carp device created with carpver 3: built
 * in place of CARP's header (carp_alloc_advert()), checked and acted on in
 * place of carp_rcv_common(). What they decide is vrrp.c's; the timers and
 * states are CARP's (state.c).
 *
 * A VRRPv3 device is a virtual router of IPv4: RFC 5798 runs IPv4 and IPv6
 * as separate virtual routers, with different virtual MACs
 * (00:00:5e:00:01:VRID and :02:VRID), and a carp device has one MAC. Its
 * IPv6 addresses are not advertised, and IPv6 advertisements of its VRID
 * go on untouched.
 */
#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "carp.h"

/*
 * How many of @vips an advertisement lists: all, up to the 255 that its
 * one-byte count can say. Zero when there are none: RFC 5798 wants at
 * least one, so a device without an IPv4 address advertises nothing.
 */
unsigned int vrrp_naddrs(const struct carp_vips *vips)
{
	return vips ? min_t(unsigned int, vips->n, U8_MAX) : 0;
}

/*
 * Fill @h, followed by room for @n of @vips (vrrp_naddrs()), as @vh's next
 * advertisement; a leaving MASTER's says priority 0 (@bow_out). The
 * checksum is left 0: it covers the IP addresses, which the caller fills
 * in later (vrrp_csum4()). carp->lock held, under RCU.
 */
void vrrp_fill(struct carp_vhost *vh, bool bow_out,
	       const struct carp_vips *vips, struct vrrp_header *h,
	       unsigned int n)
{
	h->ver_type = VRRP_VERSION << 4 | VRRP_TYPE_ADVERTISEMENT;
	h->vrid = vh->vhid;
	h->priority = bow_out ? VRRP_PRIO_BOWOUT : vrrp_prio_own(vh);
	h->count = n;
	h->interval = htons(vh->carp->vrrp_interval & VRRP_INTERVAL_MASK);
	h->cksum = 0;
	memcpy(h + 1, vips->addr, n * sizeof(vips->addr[0]));
}

/*
 * A VRRPv3 advertisement for @vh, a vhid of a VRRPv3 device, whose IP
 * header was read into @rx, under RCU: checked (TTL, length, version and
 * type, addresses present, checksum) before it may change any state, as
 * RFC 5798 7.1 lists, then handed to vrrp_advert_received(). Whether the
 * addresses it lists are ours is not checked: 7.1 leaves dropping a
 * mismatch optional, and keepalived and FreeBSD only log it. NF_STOLEN,
 * except for IPv6 (another virtual router: NF_ACCEPT).
 */
unsigned int vrrp_rcv(struct carp_port *port, struct carp_vhost *vh,
		      struct sk_buff *skb, const struct carp_rx *rx)
{
	struct carp_dev *carp = vh->carp;
	enum carp_stat bad = CARP_STAT_UNSPEC;
	unsigned int plen = rx->plen, tx;
	const struct vrrp_header *h;
	struct vrrp_prio theirs;
	bool echo = false;

	if (rx->v6)
		return NF_ACCEPT;
	if (rx->ttl != VRRP_TTL)
		bad = CARP_STAT_BADTTL;
	else if (plen < sizeof(*h) ||
		 plen > sizeof(*h) + U8_MAX * sizeof(__be32) ||
		 skb->len < rx->off + plen ||
		 !pskb_may_pull(skb, rx->off + plen))
		bad = CARP_STAT_BADLEN;
	/* may have moved: the caller's pointers are stale from here on */
	h = (const struct vrrp_header *)(skb_network_header(skb) + rx->off);
	if (bad == CARP_STAT_UNSPEC)
		bad = vrrp_check(h, plen, false);
	if (bad == CARP_STAT_UNSPEC &&
	    vrrp_csum4(h, plen, rx->src.v4, rx->dst.v4))
		bad = CARP_STAT_BADSUM;
	if (bad == CARP_STAT_UNSPEC)
		echo = carp_parent_has_addr(port->parent, rx->src.v4);

	spin_lock(&carp->lock);
	if (bad != CARP_STAT_UNSPEC) {
		carp_stat_inc(carp, bad);
		spin_unlock(&carp->lock);
		carp_log_drop(vh, rx, bad);
		kfree_skb(skb);
		return NF_STOLEN;
	}
	if (echo) {
		/* ours, come back through a reflecting switch */
		carp_stat_inc(carp, CARP_STAT_ECHO);
		spin_unlock(&carp->lock);
		consume_skb(skb);
		return NF_STOLEN;
	}
	carp_stat_inc(carp, CARP_STAT_IPACKETS);
	theirs = (struct vrrp_prio){
		.priority = h->priority,
		.addr.v4 = rx->src.v4,
	};
	tx = vrrp_advert_received(vh, &theirs, vrrp_hdr_interval(h));
	spin_unlock(&carp->lock);
	consume_skb(skb);
	carp_do_tx(vh, tx);
	return NF_STOLEN;
}
