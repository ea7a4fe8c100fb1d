// SPDX-License-Identifier: GPL-2.0
/*
 * CARP advertisements on the wire: building, checking and the HMAC.
 */
#include <linux/ip.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/pkt_sched.h>
#include <net/ip.h>
#include <net/arp.h>
#include <net/checksum.h>
#include <net/neighbour.h>
#include <net/ipv6.h>
#include <crypto/algapi.h>

#include "carp.h"

/*
 * Sort the virtual addresses by numeric value, as the BSDs feed them to the
 * HMAC, and drop duplicates (one address with two prefixes).
 */
void carp_vips_sort(struct carp_vips *vips)
{
	unsigned int i, j;
	__be32 a;

	for (i = 1; i < vips->n; i++) {
		a = vips->addr[i];
		for (j = i; j > 0 && ntohl(vips->addr[j - 1]) > ntohl(a); j--)
			vips->addr[j] = vips->addr[j - 1];
		vips->addr[j] = a;
	}
	for (i = 0, j = 0; i < vips->n; i++) {
		if (j && vips->addr[j - 1] == vips->addr[i])
			continue;
		vips->addr[j++] = vips->addr[i];
	}
	vips->n = j;
}

/*
 * The HMAC-SHA1 transform of a device, keyed by its password (@keylen 0:
 * the empty password, what the BSDs and ucarp use without one).
 */
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

/*
 * HMAC-SHA1 keyed by the password over version, type, vhid, the virtual
 * IPv4 addresses in ascending numeric order, the virtual IPv6 addresses in
 * ascending memcmp() order (16 bytes each; Linux keeps no scope in them,
 * which the BSDs clear) and the 64-bit counter, as the BSDs and ucarp
 * compute it. carp->lock held (it protects the tfm); @vips, @vips6 under
 * RCU.
 */
int carp_hmac(struct carp_dev *carp, const struct carp_vips *vips,
	      const struct carp_vips6 *vips6, u8 vhid,
	      const __be32 counter[2], u8 *md)
{
	SHASH_DESC_ON_STACK(desc, carp->tfm);
	const u8 head[3] = { CARP_VERSION, CARP_TYPE_ADVERTISEMENT, vhid };
	unsigned int i;
	int err;

	desc->tfm = carp->tfm;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, head, sizeof(head));
	for (i = 0; vips && !err && i < vips->n; i++)
		err = crypto_shash_update(desc, (const u8 *)&vips->addr[i],
					  sizeof(vips->addr[i]));
	for (i = 0; vips6 && !err && i < vips6->n; i++)
		err = crypto_shash_update(desc, vips6->addr[i].s6_addr,
					  sizeof(vips6->addr[i]));
	if (!err)
		err = crypto_shash_update(desc, (const u8 *)counter,
					  2 * sizeof(counter[0]));
	if (!err)
		err = crypto_shash_final(desc, md);
	shash_desc_zero(desc);
	return err;
}

/* The parent's own primary IPv4 address: the source of advertisements. */
__be32 carp_parent_addr(const struct net_device *parent)
{
	const struct in_device *in_dev = __in_dev_get_rcu(parent);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev) {
		if (!(ifa->ifa_flags & IFA_F_SECONDARY))
			return ifa->ifa_local;
	}
	return 0;
}

/* Is @addr one of the parent's own addresses (an echo of our own ad)? */
bool carp_parent_has_addr(const struct net_device *parent, __be32 addr)
{
	const struct in_device *in_dev = __in_dev_get_rcu(parent);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev) {
		if (ifa->ifa_local == addr)
			return true;
	}
	return false;
}

/*
 * The MAC that @dev's neighbour table @tbl (arp_tbl, nd_tbl) knows for @key
 * into @mac, under RCU: true. Else resolution is started, the entry
 * created if need be, and @mac is left alone: false.
 */
bool carp_neigh_mac(struct neigh_table *tbl, struct net_device *dev,
		    const void *key, u8 *mac)
{
	struct neighbour *n = __neigh_lookup_noref(tbl, key, dev);

	if (n && (READ_ONCE(n->nud_state) & NUD_VALID)) {
		neigh_ha_snapshot(mac, n, dev);
		return true;
	}
	if (n) {
		neigh_event_send(n, NULL);
		return false;
	}
	n = __neigh_create(tbl, key, dev, true);
	if (!IS_ERR(n)) {
		neigh_event_send(n, NULL);
		neigh_release(n);
	}
	return false;
}

/*
 * Ethernet destination of a unicast advertisement (under RCU): the peer's
 * MAC from the parent's neighbour table. Until that is known the
 * advertisement goes to the Ethernet broadcast address (the peer still
 * takes it: the IP destination is its own), and resolution is started.
 */
static void carp_peer_mac(struct net_device *parent, __be32 peer, u8 *mac)
{
	if (!carp_neigh_mac(&arp_tbl, parent, &peer, mac))
		eth_broadcast_addr(mac);
}

/*
 * Fill @ch with the next advertisement: a new counter (one per packet, as
 * the BSDs: the IPv4 and the IPv6 advertisement of one interval differ),
 * the HMAC and the checksum. carp->lock held. A bow-out advertisement
 * claims advbase and advskew 255: every backup sees a master that will
 * time out anyway and takes over at once, so a planned hand-over costs no
 * master-down interval.
 */
static int carp_prepare_ad(struct carp_vhost *vh, bool bow_out,
			   struct carp_header *ch)
{
	struct carp_dev *carp = vh->carp;
	struct carp_prio own;
	int err;

	memset(ch, 0, sizeof(*ch));
	vh->counter++;
	carp_prio_own(vh, &own);
	ch->ver_type = (CARP_VERSION << 4) | CARP_TYPE_ADVERTISEMENT;
	ch->vhid = vh->vhid;
	ch->advskew = bow_out ? CARP_BOWOUT_ADVSKEW : own.advskew;
	ch->authlen = CARP_AUTHLEN;
	ch->demote = own.demote;
	ch->advbase = bow_out ? CARP_BOWOUT_ADVBASE : own.advbase;
	ch->counter[0] = htonl(upper_32_bits(vh->counter));
	ch->counter[1] = htonl(lower_32_bits(vh->counter));

	rcu_read_lock();
	err = carp_hmac(carp, rcu_dereference(carp->vips),
			rcu_dereference(carp->vips6), vh->vhid,
			ch->counter, ch->md);
	rcu_read_unlock();
	if (err)
		return err;
	ch->cksum = ip_compute_csum(ch, sizeof(*ch));
	return 0;
}

/*
 * An advertisement for the parent: room for its link header, an IP header
 * of @nhlen bytes for the caller to fill (the network header), then the
 * CARP header, filled by carp_prepare_ad(), or a VRRPv3 device's header
 * and addresses of its family (vrrp_fill()). carp->lock held. NULL when
 * out of memory (counted), or for a VRRPv3 device without an address of
 * its family.
 */
struct sk_buff *carp_alloc_advert(struct carp_vhost *vh, bool bow_out,
				  unsigned int nhlen)
{
	struct carp_dev *carp = vh->carp;
	struct net_device *parent = carp->port->parent;
	int hlen = LL_RESERVED_SPACE(parent);
	unsigned int len = sizeof(struct carp_header), n = 0;
	const struct carp_vips6 *vips6 = NULL;
	const struct carp_vips *vips = NULL;
	struct sk_buff *skb;

	/* VRRP's length depends on the addresses: one RCU section for both */
	rcu_read_lock();
	if (carp_is_vrrp6(carp)) {
		vips6 = rcu_dereference(carp->vips6);
		n = vrrp_naddrs(vips6 ? vips6->n : 0);
		len = sizeof(struct vrrp_header) + n * sizeof(struct in6_addr);
	} else if (carp_is_vrrp(carp)) {
		vips = rcu_dereference(carp->vips);
		n = vrrp_naddrs(vips ? vips->n : 0);
		len = sizeof(struct vrrp_header) + n * sizeof(__be32);
	}
	if (carp_is_vrrp(carp) && !n) {
		rcu_read_unlock();
		return NULL;	/* nothing to advertise */
	}
	skb = alloc_skb(hlen + nhlen + len + parent->needed_tailroom,
			GFP_ATOMIC);
	if (skb) {
		skb_reserve(skb, hlen);
		skb_reset_network_header(skb);
		skb_put(skb, nhlen);
		skb_set_transport_header(skb, nhlen);
		if (n) {
			vrrp_fill(vh, bow_out, vips, vips6, skb_put(skb, len),
				  n);
			rcu_read_unlock();
			return skb;
		}
		rcu_read_unlock();
		if (!carp_prepare_ad(vh, bow_out, skb_put(skb, len)))
			return skb;
		kfree_skb(skb);
	} else {
		rcu_read_unlock();
	}
	carp_stat_inc(carp, CARP_STAT_ONOMEM);
	return NULL;
}

/*
 * Address @skb, an advertisement from carp_alloc_advert(), to @daddr (the
 * group, or a unicast peer) and give it its link header. carp->lock held.
 * False (the skb freed) if the parent cannot make the header.
 */
static bool carp_advert4_to(struct carp_vhost *vh, struct sk_buff *skb,
			    __be32 daddr)
{
	static const u8 group_mac[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
	struct carp_dev *carp = vh->carp;
	struct net_device *parent = carp->port->parent;
	u8 dst_mac[ETH_ALEN], src_mac[ETH_ALEN];
	struct iphdr *iph = ip_hdr(skb);

	if (daddr == CARP_GROUP_V4) {
		ether_addr_copy(dst_mac, group_mac);
	} else {
		rcu_read_lock();
		carp_peer_mac(parent, daddr, dst_mac);
		rcu_read_unlock();
	}
	iph->daddr = daddr;
	ip_send_check(iph);
	/* VRRPv3's checksum covers a pseudo-header: the addresses are known now */
	if (carp_is_vrrp(carp)) {
		struct vrrp_header *h = (struct vrrp_header *)skb_transport_header(skb);
		unsigned int len = skb_tail_pointer(skb) - (u8 *)h;

		h->cksum = 0;
		h->cksum = vrrp_csum4(h, len, iph->saddr, daddr);
	}
	/* from the virtual MAC, unicast too: switches learn where it lives */
	carp_advert_smac(vh, parent, src_mac);
	if (dev_hard_header(skb, parent, ETH_P_IP, dst_mac, src_mac,
			    skb->len) < 0) {
		kfree_skb(skb);
		return false;
	}
	carp_stat_inc(carp, CARP_STAT_OPACKETS);
	return true;
}

/*
 * The IPv4 advertisement (see carp_build_advert()): to 224.0.0.18, or one
 * copy to each IPv4 peer, linked by skb->next. Every copy carries the same
 * counter and HMAC: each peer hears the advertisement once, so its replay
 * window sees the counter once. carp->lock held.
 */
static struct sk_buff *carp_build_advert4(struct carp_vhost *vh,
					  bool bow_out)
{
	struct carp_dev *carp = vh->carp;
	const struct carp_peers *peers = carp_peers(carp);
	struct net_device *parent = carp->port->parent;
	struct sk_buff *skb, *copy, *head = NULL, **tail = &head;
	unsigned int i, n = peers ? peers->n : 0;
	struct iphdr *iph;

	skb = carp_alloc_advert(vh, bow_out, sizeof(*iph));
	if (!skb)
		return NULL;
	iph = ip_hdr(skb);

	rcu_read_lock();
	iph->saddr = carp_parent_addr(parent);
	rcu_read_unlock();
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = IPTOS_LOWDELAY;
	iph->tot_len = htons(skb->len);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	static_assert(CARP_TTL == VRRP_TTL);
	iph->ttl = CARP_TTL;
	iph->protocol = IPPROTO_CARP;

	skb->protocol = htons(ETH_P_IP);
	skb->priority = TC_PRIO_CONTROL;
	skb->dev = parent;
	if (!n)
		return carp_advert4_to(vh, skb, CARP_GROUP_V4) ? skb : NULL;
	/* copies made before the link header, which differs for each peer */
	for (i = 1; i < n; i++) {
		copy = skb_copy(skb, GFP_ATOMIC);
		if (!copy) {
			carp_stat_inc(carp, CARP_STAT_ONOMEM);
			continue;
		}
		if (carp_advert4_to(vh, copy, peers->addr[i])) {
			*tail = copy;
			tail = &copy->next;
		}
	}
	if (carp_advert4_to(vh, skb, peers->addr[0])) {
		skb->next = head;
		head = skb;
	}
	return head;
}

/*
 * Build the next advertisements, ready for carp_send_adverts(): one per
 * address family the device has virtual addresses of, as FreeBSD (IPv4
 * also when it has none at all), or with unicast peers one per peer of
 * the family, all linked by skb->next. carp->lock held;
 * the caller sends them after unlocking. NULL (counted) when out of
 * memory.
 */
struct sk_buff *carp_build_advert(struct carp_vhost *vh, bool bow_out)
{
	struct carp_dev *carp = vh->carp;
	const struct carp_vips6 *vips6;
	const struct carp_vips *vips;
	struct sk_buff *skb = NULL, *skb6 = NULL, *last;
	bool v4, v6;

	rcu_read_lock();
	vips = rcu_dereference(carp->vips);
	vips6 = rcu_dereference(carp->vips6);
	if (carp_is_vrrp(carp)) {
		/* one family (RFC 5798 runs each apart) */
		v6 = ipv6_mod_enabled() && carp_is_vrrp6(carp);
		v4 = !carp_is_vrrp6(carp);
	} else {
		v6 = ipv6_mod_enabled() && vips6 && vips6->n;
		v4 = !v6 || (vips && vips->n);
	}
	rcu_read_unlock();

	if (v4)
		skb = carp_build_advert4(vh, bow_out);
	if (v6)
		skb6 = carp_build_advert6(vh, bow_out);
	if (!skb)
		return skb6;
	last = skb;
	while (last->next)
		last = last->next;
	last->next = skb6;
	return skb;
}

/* Send what carp_build_advert() built; carp->lock not held. */
void carp_send_adverts(struct sk_buff *skb)
{
	struct sk_buff *next;

	while (skb) {
		next = skb->next;
		skb_mark_not_on_list(skb);
		dev_queue_xmit(skb);
		skb = next;
	}
}

/*
 * Gratuitous ARP for every virtual address, from the virtual MAC (or the
 * parent's, with lladdr parent), so the neighbours and the switches learn
 * where the master now is (and an unsolicited neighbour advertisement for
 * every virtual IPv6 address).
 *
 * Only while the device leads (MASTER of its first vhid), checked again
 * here under carp->lock: a takeover decided in softirq sends this after
 * dropping the lock, and the device may have bowed out since (device
 * down, deleted, reconfigured); announcing then would pull the traffic
 * back from the new master. Sending is left outside the lock, as
 * everywhere, so a bow-out racing with the sending itself can still pass
 * it; that window is the time to build a few frames.
 *
 * The port is read once: carp_detach() clears carp->port while a takeover
 * may be running in softirq. The port itself stays valid under RCU
 * (kfree_rcu), and its parent with it, as in carp_xmit().
 */
void carp_send_garp(struct carp_dev *carp)
{
	struct carp_port *port;
	struct carp_vips *vips;
	struct sk_buff *skb;
	unsigned int i;
	bool leads;

	spin_lock_bh(&carp->lock);
	leads = carp_leads(carp);
	spin_unlock_bh(&carp->lock);
	if (!leads)
		return;

	rcu_read_lock();
	port = READ_ONCE(carp->port);
	if (!port)
		goto out;
	vips = rcu_dereference(carp->vips);
	for (i = 0; vips && i < vips->n; i++) {
		skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, vips->addr[i],
				 port->parent, vips->addr[i], NULL,
				 carp_lladdr_of(carp, port->parent), NULL);
		if (skb)
			arp_xmit(skb);
	}
	carp_send_una6(carp, port->parent);
out:
	rcu_read_unlock();
}

/*
 * Announce the addresses of @carp, which leads, now, and when neighbours
 * must learn a new MAC for them (@new_mac: a takeover with lladdr parent,
 * whose clients still send to the old MASTER's own MAC, or a change of
 * the device's MAC), net.carp.garp_repeat - 1 times more, every
 * CARP_GARP_INTERVAL_MS, as keepalived's garp_master_repeat: a client that
 * missed one frame would otherwise keep sending to the old MAC until its
 * cache entry expires. The first announcement leaves at once, from the
 * caller's context (a takeover in softirq); only the repeats wait for
 * @carp->garp_timer. Any context; carp->lock not held.
 *
 * A new announcement restarts the count. The repeats stop as soon as the
 * device no longer leads (carp_set_state() stops them), and the timer is
 * deleted for good in carp_timers_stop(), once every vhid is INIT: it is
 * armed only here and in its own callback, both under carp->lock and only
 * while the device leads, so nothing can arm it again after that.
 */
void carp_announce(struct carp_dev *carp, bool new_mac)
{
	unsigned int repeat = new_mac ? READ_ONCE(carp->cn->garp_repeat) : 1;
	bool leads;

	spin_lock_bh(&carp->lock);
	leads = carp_leads(carp);
	carp->garp_left = leads && repeat > 1 ? repeat - 1 : 0;
	if (carp->garp_left)
		mod_timer(&carp->garp_timer,
			  jiffies + msecs_to_jiffies(CARP_GARP_INTERVAL_MS));
	spin_unlock_bh(&carp->lock);
	if (leads)
		carp_send_garp(carp);
}

/* The next repeat of carp_announce(), in softirq context. */
void carp_announce_timeout(struct timer_list *t)
{
	struct carp_dev *carp = from_timer(carp, t, garp_timer);
	bool send;

	spin_lock_bh(&carp->lock);
	send = carp->garp_left && carp_leads(carp);
	carp->garp_left = send ? carp->garp_left - 1 : 0;
	if (carp->garp_left)
		mod_timer(&carp->garp_timer,
			  jiffies + msecs_to_jiffies(CARP_GARP_INTERVAL_MS));
	spin_unlock_bh(&carp->lock);
	/*
	 * The device is alive: carp_timers_stop() waits for this callback
	 * before the device can go (ndo_uninit), and its vhosts too (a
	 * renewal replaces them only after that).
	 */
	if (send)
		carp_send_garp(carp);
}

/*
 * The device no longer leads: the repeats it owed are void (a new MASTER
 * elsewhere announces its own). carp->lock held; the callback may be
 * running on another CPU, waiting for the lock: it finds nothing left.
 */
void carp_announce_stop(struct carp_dev *carp)
{
	carp->garp_left = 0;
	timer_delete(&carp->garp_timer);
}

/* The vhid @vhid of @carp, or NULL. Under RCU. */
static struct carp_vhost *carp_dev_find(struct carp_dev *carp, u8 vhid)
{
	const struct carp_vhosts *vhs = carp_vhosts(carp);
	unsigned int i;

	for (i = 0; i < vhs->n; i++) {
		if (vhs->vh[i].vhid == vhid)
			return (struct carp_vhost *)&vhs->vh[i];
	}
	return NULL;
}

/* Find the vhid @vhid of a carp device on this port, under RCU. */
static struct carp_vhost *carp_port_find(struct carp_port *port, u8 vhid)
{
	struct carp_vhost *vh;
	struct carp_dev *carp;

	if (!vhid)
		return NULL;
	list_for_each_entry_rcu(carp, &port->carps, port_node) {
		vh = carp_dev_find(carp, vhid);
		if (vh)
			return vh;
	}
	return NULL;
}

static void carp_log_badauth(struct carp_vhost *vh, const struct carp_rx *rx)
{
	struct carp_dev *carp = vh->carp;

	if (READ_ONCE(carp->cn->log) < 1)
		return;
	if (rx->v6)
		net_info_ratelimited("%s: vhid %u: advertisement from %pI6c fails authentication (different password or virtual address list)\n",
				     carp->dev->name, vh->vhid, &rx->src.v6);
	else
		net_info_ratelimited("%s: vhid %u: advertisement from %pI4 fails authentication (different password or virtual address list)\n",
				     carp->dev->name, vh->vhid, &rx->src.v4);
}

/* net.carp.log=1: a worse master heard while MASTER, rate-limited. */
static void carp_log_conflict(struct carp_vhost *vh, const struct carp_rx *rx)
{
	struct carp_dev *carp = vh->carp;

	if (READ_ONCE(carp->cn->log) < 1)
		return;
	if (rx->v6)
		net_info_ratelimited("%s: vhid %u: another master, %pI6c, advertises worse than us: staying MASTER, announcing again\n",
				     carp->dev->name, vh->vhid, &rx->src.v6);
	else
		net_info_ratelimited("%s: vhid %u: another master, %pI4, advertises worse than us: staying MASTER, announcing again\n",
				     carp->dev->name, vh->vhid, &rx->src.v4);
}

static const char *const carp_drop_reason[CARP_STAT_MAX + 1] = {
	[CARP_STAT_BADTTL]	= "TTL is not 255",
	[CARP_STAT_BADLEN]	= "bad length",
	[CARP_STAT_BADSUM]	= "bad checksum",
	[CARP_STAT_BADVER]	= "another protocol, version or type",
	[CARP_STAT_REPLAY]	= "replayed (counter already seen)",
	[CARP_STAT_BADSRC]	= "not from the configured peer",
};

/* net.carp.log=2: every dropped advertisement, rate-limited. */
void carp_log_drop(struct carp_vhost *vh, const struct carp_rx *rx,
		   enum carp_stat why)
{
	struct carp_dev *carp = vh->carp;

	if (READ_ONCE(carp->cn->log) < 2 || !carp_drop_reason[why])
		return;
	if (rx->v6)
		net_info_ratelimited("%s: vhid %u: advertisement from %pI6c dropped: %s\n",
				     carp->dev->name, vh->vhid, &rx->src.v6,
				     carp_drop_reason[why]);
	else
		net_info_ratelimited("%s: vhid %u: advertisement from %pI4 dropped: %s\n",
				     carp->dev->name, vh->vhid, &rx->src.v4,
				     carp_drop_reason[why]);
}

/*
 * A CARP advertisement for a vhid this parent does not carry: a vhid set
 * up on another parent of this netns (badif) or on none (badvhid), as the
 * BSDs count them. It goes on untouched: it may be VRRP.
 */
static void carp_count_stranger(struct carp_net *cn,
				const struct carp_header *ch)
{
	struct carp_port *port;

	if (carp_hdr_version(ch) != CARP_VERSION || ch->authlen != CARP_AUTHLEN)
		return;
	list_for_each_entry_rcu(port, &cn->ports, node) {
		if (carp_port_find(port, ch->vhid)) {
			carp_net_stat_inc(cn, CARP_STAT_BADIF);
			return;
		}
	}
	carp_net_stat_inc(cn, CARP_STAT_BADVHID);
}

/*
 * Does @carp hear the advertisement @ch of IPv6 (@v6) or IPv4? Each
 * device hears its own protocol; the other goes on untouched. A VRRPv3
 * device hears VRRPv3 of its own family only: IPv4's VRID 1 and IPv6's
 * are two virtual routers (RFC 5798), maybe two devices. A CARP device
 * hears neither VRRPv3 nor VRRPv2 (which has its address count where CARP
 * has authlen 7), but any other version, to count it as bad.
 */
static bool carp_hears(const struct carp_dev *carp,
		       const struct carp_header *ch, bool v6)
{
	if (carp_is_vrrp(carp))
		return carp_hdr_version(ch) == VRRP_VERSION &&
		       carp_is_vrrp6(carp) == v6;
	return carp_hdr_version(ch) != VRRP_VERSION &&
	       (carp_hdr_version(ch) != CARP_VERSION ||
		ch->authlen == CARP_AUTHLEN);
}

/*
 * The vhid of @port that a received CARP header @ch (at least its first
 * six bytes pulled) of IPv6 (@v6) or IPv4 speaks to, or NULL: another
 * vhid (counted, as the BSDs count advertisements for vhids they do not
 * have), or another protocol of the same number (carp_hears()). Under
 * RCU.
 */
struct carp_vhost *carp_rcv_vhost(struct carp_net *cn, struct carp_port *port,
				  const struct carp_header *ch, bool v6)
{
	struct carp_vhost *vh;
	struct carp_dev *carp;
	bool known = false;

	if (ch->vhid) {
		list_for_each_entry_rcu(carp, &port->carps, port_node) {
			vh = carp_dev_find(carp, ch->vhid);
			if (vh && carp_hears(carp, ch, v6))
				return vh;
			known |= !!vh;
		}
	}
	if (!known)
		carp_count_stranger(cn, ch);
	return NULL;
}

/*
 * An IPv4 packet of protocol 112 arrived on a parent (netfilter ingress
 * hook, under RCU). Returns NF_ACCEPT for what is not ours (VRRP, other
 * vhids, everything while net.carp.allow is 0): it goes on untouched. Ours
 * is checked by carp_rcv_common().
 */
unsigned int carp_rcv_v4(struct carp_port *port, struct sk_buff *skb)
{
	struct carp_net *cn = carp_pernet(dev_net(port->parent));
	struct carp_header *ch;
	struct carp_vhost *vh;
	const struct iphdr *iph;
	struct carp_rx rx = {};
	unsigned int ihl;

	if (!READ_ONCE(cn->allow))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	ihl = iph->ihl * 4;
	if (ihl < sizeof(*iph) || !pskb_may_pull(skb, ihl + 6))
		return NF_ACCEPT;	/* cannot even tell whose it is */
	iph = ip_hdr(skb);
	/*
	 * The ingress hook runs before IP has checked anything: a broken
	 * IP header is the stack's to drop and count, not an advertisement.
	 */
	if (iph->version != 4 || ip_fast_csum((const u8 *)iph, iph->ihl))
		return NF_ACCEPT;
	ch = (struct carp_header *)(skb_network_header(skb) + ihl);

	/* unicast: only to one of our own addresses (the ingress hook sees
	 * other hosts' frames too on a promiscuous parent)
	 */
	if (!ipv4_is_multicast(iph->daddr) &&
	    !carp_parent_has_addr(port->parent, iph->daddr))
		return NF_ACCEPT;
	vh = carp_rcv_vhost(cn, port, ch, false);
	if (!vh)
		return NF_ACCEPT;

	rx.ttl = iph->ttl;
	rx.off = ihl;
	rx.plen = ntohs(iph->tot_len) > ihl ? ntohs(iph->tot_len) - ihl : 0;
	rx.src.v4 = iph->saddr;
	rx.dst.v4 = iph->daddr;
	return carp_rcv_common(port, vh, skb, &rx);
}

static bool carp_vips_has(const struct carp_vips *vips, __be32 addr)
{
	unsigned int i;

	for (i = 0; vips && i < vips->n; i++) {
		if (vips->addr[i] == addr)
			return true;
	}
	return false;
}

/* The carp device on @port that owns virtual address @addr, under RCU. */
struct carp_dev *carp_port_vip_owner(struct carp_port *port, __be32 addr)
{
	struct carp_dev *carp;

	list_for_each_entry_rcu(carp, &port->carps, port_node) {
		if (carp_vips_has(rcu_dereference(carp->vips), addr))
			return carp;
	}
	return NULL;
}

/*
 * An IPv4 packet arriving on @port's parent (carp_ingress()), under RCU:
 * advertisements (multicast, or unicast to us in peer mode) go to
 * carp_rcv_v4(); the wire's traffic for a virtual address only its MASTER
 * may take (with load balancing, the MASTER of the flow's vhid).
 * NF_ACCEPT: carry on with the frame.
 */
unsigned int carp_ingress4(struct carp_port *port, struct sk_buff *skb)
{
	const struct iphdr *iph;
	struct carp_dev *carp;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	if (iph->protocol == IPPROTO_CARP && !ip_is_fragment(iph) &&
	    (ipv4_is_multicast(iph->daddr) || skb->pkt_type == PACKET_HOST ||
	     skb->pkt_type == PACKET_BROADCAST))
		return carp_rcv_v4(port, skb);
	carp = carp_port_vip_owner(port, iph->daddr);
	if (!carp)
		return NF_ACCEPT;
	if (!carp_flow_ours(carp, carp_fold4(iph->saddr, iph->daddr)))
		return NF_DROP;
	if (vrrp_refuses(carp)) {
		DEV_STATS_INC(carp->dev, rx_dropped);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

/*
 * A copy of @skb, received on the parent, received again on carp0: an
 * answer to a question carp0 asked. carp0 resolves its neighbours itself
 * (ARP and neighbour discovery from the virtual MAC and address), but the
 * answers arrive on the parent, whose stack would keep them. The frame
 * itself goes on to the parent too, which may have asked from the same
 * address (a socket bound to it, routed by the parent's own prefix route);
 * each stack takes an answer it waits for and ignores the rest. Ingress
 * hook, under RCU.
 */
void carp_rx_copy(struct carp_dev *carp, struct sk_buff *skb)
{
	struct sk_buff *copy;

	if (!netif_running(carp->dev))
		return;
	copy = skb_clone(skb, GFP_ATOMIC);
	if (copy)
		carp_rx_on(carp, copy);
}

/*
 * @skb, taken from the parent's ingress hook, received again as carp0's
 * (counted there): the stack takes some frames only on the device that
 * holds the address or asked the question. Ingress hook, under RCU.
 */
void carp_rx_on(struct carp_dev *carp, struct sk_buff *skb)
{
	struct net_device *dev = carp->dev;

	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	DEV_STATS_INC(dev, rx_packets);
	DEV_STATS_ADD(dev, rx_bytes, skb->len);
	netif_rx(skb);
}

/*
 * An ARP frame on @port's parent (ingress hook, under RCU): a reply to a
 * virtual address answers carp0 (carp_rx_copy()). ARP over Ethernet and
 * IPv4 only; the header and both address pairs are pulled before they are
 * read.
 */
void carp_ingress_arp(struct carp_port *port, struct sk_buff *skb)
{
	const unsigned int len = sizeof(struct arphdr) + 2 * (ETH_ALEN + 4);
	const struct arphdr *arp;
	struct carp_dev *carp;
	__be32 tip;

	if (!pskb_may_pull(skb, len))
		return;
	arp = arp_hdr(skb);
	if (arp->ar_op != htons(ARPOP_REPLY) ||
	    arp->ar_hrd != htons(ARPHRD_ETHER) ||
	    arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return;
	/* sender MAC, sender IP, target MAC, then the target IP */
	memcpy(&tip, (const u8 *)(arp + 1) + 2 * ETH_ALEN + 4, sizeof(tip));
	carp = carp_port_vip_owner(port, tip);
	if (carp)
		carp_rx_copy(carp, skb);
}

/* No unicast peer of the family, or @rx comes from one; under RCU. */
static bool carp_from_peer(const struct carp_dev *carp,
			   const struct carp_rx *rx)
{
	const struct carp_peers *peers = carp_peers(carp);

	if (!peers)
		return true;
	if (rx->v6)
		return !peers->n6 || carp_peers_has6(peers, &rx->src.v6);
	return !peers->n || carp_peers_has(peers, rx->src.v4);
}

/*
 * The end of an advertisement for @vh that is not acted on, CARP's or
 * VRRPv3's: @why counted (under carp->lock, which the caller holds and
 * this releases), then the packet dropped and logged, or, for an echo of
 * our own (CARP_STAT_ECHO), consumed. NF_STOLEN.
 */
unsigned int carp_rcv_discard(struct carp_vhost *vh, struct sk_buff *skb,
			      const struct carp_rx *rx, enum carp_stat why)
	__releases(&vh->carp->lock)
{
	carp_stat_inc(vh->carp, why);
	spin_unlock(&vh->carp->lock);
	if (why == CARP_STAT_ECHO) {
		consume_skb(skb);
		return NF_STOLEN;
	}
	carp_log_drop(vh, rx, why);
	kfree_skb(skb);
	return NF_STOLEN;
}

/*
 * An advertisement for vhid @vh (of a carp device on @port) whose IP header
 * was read into @rx, under RCU, for both address families. It is checked
 * (TTL or hop limit, length, checksum, version, echo, peer, HMAC, replay)
 * before it may change any state, and never goes further: always
 * NF_STOLEN.
 */
unsigned int carp_rcv_common(struct carp_port *port, struct carp_vhost *vh,
			     struct sk_buff *skb, const struct carp_rx *rx)
{
	struct carp_dev *carp = vh->carp;
	enum carp_stat bad = CARP_STAT_UNSPEC;
	unsigned int plen = rx->plen, tx = 0;
	u8 md[CARP_DIGEST_LEN];
	struct carp_prio theirs;
	struct carp_header *ch;
	bool echo = false, conflict;
	u64 counter;

	if (carp_is_vrrp(carp))
		return vrrp_rcv(port, vh, skb, rx);
	if (rx->ttl != CARP_TTL)
		bad = CARP_STAT_BADTTL;
	else if (plen < sizeof(*ch) || plen > 1024 ||
		 skb->len < rx->off + plen ||
		 !pskb_may_pull(skb, rx->off + plen))
		bad = CARP_STAT_BADLEN;
	/* may have moved: the caller's pointers are stale from here on */
	ch = (struct carp_header *)(skb_network_header(skb) + rx->off);
	if (bad == CARP_STAT_UNSPEC) {
		if (ip_compute_csum(ch, plen))
			bad = CARP_STAT_BADSUM;
		else if (carp_hdr_version(ch) != CARP_VERSION ||
			 carp_hdr_type(ch) != CARP_TYPE_ADVERTISEMENT)
			bad = CARP_STAT_BADVER;
		else if (rx->v6)
			echo = carp_parent_has_addr6(port->parent, &rx->src.v6);
		else
			echo = carp_parent_has_addr(port->parent, rx->src.v4);
	}

	spin_lock(&carp->lock);
	if (bad != CARP_STAT_UNSPEC)
		return carp_rcv_discard(vh, skb, rx, bad);
	/* ours, come back through a reflecting switch: never a peer */
	if (echo)
		return carp_rcv_discard(vh, skb, rx, CARP_STAT_ECHO);
	/* with unicast peers, only they speak for the vhid */
	if (!carp_from_peer(carp, rx))
		return carp_rcv_discard(vh, skb, rx, CARP_STAT_BADSRC);
	if (carp_hmac(carp, rcu_dereference(carp->vips),
		      rcu_dereference(carp->vips6), ch->vhid,
		      ch->counter, md) ||
	    crypto_memneq(md, ch->md, sizeof(md))) {
		carp_stat_inc(carp, CARP_STAT_BADAUTH);
		spin_unlock(&carp->lock);
		carp_log_badauth(vh, rx);
		kfree_skb(skb);
		return NF_STOLEN;
	}
	/* Authentic, but a copy of one seen before must not move us. */
	counter = (u64)ntohl(ch->counter[0]) << 32 | ntohl(ch->counter[1]);
	if (!carp_replay_check(&vh->replay, counter))
		return carp_rcv_discard(vh, skb, rx, CARP_STAT_REPLAY);
	carp_replay_accept(&vh->replay, counter, jiffies);
	carp_stat_inc(carp, rx->v6 ? CARP_STAT_IPACKETS6 : CARP_STAT_IPACKETS);
	theirs.demote = ch->demote;
	theirs.advbase = ch->advbase;
	theirs.advskew = ch->advskew;
	tx = carp_advert_received(vh, &theirs);
	conflict = tx & CARP_TX_CONFLICT;
	/* under carp->lock, in order with the state changes' events */
	if (conflict)
		carp_nl_notify_conflict(vh, rx, &theirs);
	tx &= ~CARP_TX_CONFLICT;
	spin_unlock(&carp->lock);
	if (conflict)
		carp_log_conflict(vh, rx);
	consume_skb(skb);
	carp_do_tx(vh, tx);
	return NF_STOLEN;
}
