// SPDX-License-Identifier: GPL-2.0
/*
 * Load balancing, as OpenBSD's carpnodes/balancing: one carp device with
 * several vhids, each host MASTER of some of them, every host receiving
 * the group's traffic. A host takes a flow only if it is MASTER of the
 * vhid the flow hashes to; the others drop it. The hash is OpenBSD's
 * (carp_lsdrop()): the source and destination addresses folded by XOR,
 * taken modulo the number of vhids, so an OpenBSD host can share the
 * group, both directions of a flow land on the same vhid, and a flow
 * stays on one host for as long as that vhid's MASTER does.
 *
 * An ordinary device is the case of one vhid: every flow lands on it and
 * the rules below become "only the MASTER".
 *
 * How each mode gets the traffic to every host, and what it puts on the
 * wire (see Documentation/carp.rst for what a switch must do):
 *
 *   ip          the virtual MAC is multicast, 01:00:5e:00:01:<vhid>: a
 *               switch floods it. It cannot be a source address: frames
 *               go out from the parent's own MAC.
 *   ip-stealth  the unicast virtual MAC, never a source address: a switch
 *               never learns where it is and floods it.
 *   ip-unicast  the unicast virtual MAC, used as a source as usual: the
 *               network itself must deliver it everywhere (a hub, or
 *               switch ports that do not learn).
 *   arp         no host gets everything: each vhid has its own unicast
 *               MAC, 00:00:5e:00:01:<vhid>, and answers the ARP requests
 *               (neighbour solicitations) of one share of the requesters,
 *               chosen by OpenBSD's keyed hash of the requester's MAC
 *               (carp_arp_node()), from its MASTER only. Each vhid's
 *               advertisements and answers leave from its MAC, so a
 *               switch learns it at its MASTER's port;
 *               a requester sends everything to that one host, which takes
 *               all of it (the flow rule has nothing left to decide).
 *               Everything else leaves from the parent's own MAC: a host
 *               must never teach a switch a vhid MAC it is not MASTER of.
 *
 * A device with its parent's MAC (lladdr parent, for networks that drop
 * forged source MACs) has no virtual MAC at all: neighbours send its
 * traffic to one host's own MAC, which only that host receives. It shares
 * nothing, so it has a single vhid (carp_lladdr_resolve()).
 */
#include <crypto/sha1.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <net/ipv6.h>

#include "carp.h"

/* OpenBSD's fold of an IPv4 address pair: the same in both directions. */
u32 carp_fold4(__be32 a, __be32 b)
{
	return ntohl(a ^ b);
}

/* ... and of an IPv6 pair: every 32-bit word of both, by XOR. */
u32 carp_fold6(const struct in6_addr *a, const struct in6_addr *b)
{
	__be32 fold = 0;
	unsigned int i;

	for (i = 0; i < 4; i++)
		fold ^= a->s6_addr32[i] ^ b->s6_addr32[i];
	return ntohl(fold);
}

/* Which of @n vhids (in vhid order) a flow of @fold belongs to. */
unsigned int carp_flow_node(u32 fold, unsigned int n)
{
	return fold % n;
}

/* Is @carp in balancing arp (each vhid answers its own requesters)? */
bool carp_arp_balanced(const struct carp_dev *carp)
{
	return READ_ONCE(carp->balancing) == CARP_BAL_ARP;
}

/* Are we MASTER of any of @carp's vhids? Under RCU. */
static bool carp_masters_any(const struct carp_dev *carp)
{
	const struct carp_vhosts *vhs = carp_vhosts(carp);
	unsigned int i;

	for (i = 0; i < vhs->n; i++) {
		if (READ_ONCE(vhs->vh[i].state) == CARP_STATE_MASTER)
			return true;
	}
	return false;
}

/*
 * Are we MASTER of the vhid a flow of @fold belongs to? Under RCU. In
 * balancing arp a flow comes to the host whose vhid MAC its sender
 * resolved the address to, so any MASTER takes what reaches it (frames to
 * a vhid MAC it is not MASTER of are dropped in carp_vmac_frame_ours()).
 */
bool carp_flow_ours(const struct carp_dev *carp, u32 fold)
{
	const struct carp_vhosts *vhs = carp_vhosts(carp);

	if (carp_arp_balanced(carp))
		return carp_masters_any(carp);
	return READ_ONCE(vhs->vh[carp_flow_node(fold, vhs->n)].state) ==
	       CARP_STATE_MASTER;
}

/*
 * Do we answer for the addresses (ARP, neighbour discovery, other frames
 * to the virtual MAC)? The MASTER of the first vhid: one answer, whatever
 * the number of hosts. In balancing arp nobody answers for all of them
 * (carp_arp_vhost() picks the vhid per requester), and nobody announces
 * them: one gratuitous ARP would move every neighbour to one MAC. Under
 * RCU.
 */
bool carp_leads(const struct carp_dev *carp)
{
	return !carp_arp_balanced(carp) &&
	       READ_ONCE(carp_vhosts(carp)->vh[0].state) == CARP_STATE_MASTER;
}

/*
 * balancing arp's hash key for the password @key (@keylen bytes, 0: none),
 * computed once when the password is set. OpenBSD derives it from the
 * HMAC state of its advertisements (carp_hmac_prepare_ctx()): the SHA1 of
 * the inner pad (the password padded with zeros to a block, XOR 0x36) and
 * the version and type bytes, its first four 32-bit words read in host
 * order and folded in pairs by XOR. We read them little-endian, as every
 * OpenBSD host of a group does on amd64, arm64 or i386 (an OpenBSD host of
 * the other byte order hashes differently even from another OpenBSD host).
 * carp_hash() also adds the password's first four bytes to c: that is
 * folded in here too. The result is b (high word) and c (low word) of
 * carp_arp_hash(). The message is one block and two bytes, so the
 * library's SHA1 block function does it without an allocation. Pure: the
 * selftest runs it.
 */
u64 carp_arp_key(const u8 *key, unsigned int keylen)
{
	u32 digest[SHA1_DIGEST_WORDS], ws[SHA1_WORKSPACE_WORDS];
	u8 block[SHA1_BLOCK_SIZE];
	unsigned int i;
	u32 b, c;

	keylen = min_t(unsigned int, keylen, CARP_KEY_LEN);
	memset(block, 0x36, sizeof(block));
	for (i = 0; i < keylen; i++)
		block[i] ^= key[i];
	sha1_init(digest);
	sha1_transform(digest, (const char *)block, ws);
	/* the last block: version, type, the padding bit and the length */
	memset(block, 0, sizeof(block));
	block[0] = CARP_VERSION;
	block[1] = CARP_TYPE_ADVERTISEMENT;
	block[2] = 0x80;
	block[SHA1_BLOCK_SIZE - 2] = ((SHA1_BLOCK_SIZE + 2) * 8) >> 8;
	block[SHA1_BLOCK_SIZE - 1] = ((SHA1_BLOCK_SIZE + 2) * 8) & 0xff;
	sha1_transform(digest, (const char *)block, ws);
	memzero_explicit(ws, sizeof(ws));
	memzero_explicit(block, sizeof(block));

	/* digest[i] holds bytes 4i..4i+3 big-endian: read little-endian */
	b = swab32(digest[0] ^ digest[1]);
	c = swab32(digest[2] ^ digest[3]);
	for (i = 0; i < min_t(unsigned int, keylen, 4); i++)
		c += (u32)key[i] << (8 * i);
	memzero_explicit(digest, sizeof(digest));
	return (u64)b << 32 | c;
}

/*
 * OpenBSD's carp_hash() of a requester's MAC @mac (6 bytes) under the hash
 * key @arp_key (carp_arp_key()): Bob Jenkins' 96-bit mix (as the bridge's
 * hash of old) of a = the golden ratio plus the MAC's first four bytes and
 * b plus its last two, both read little-endian, and c; the result is c.
 * Pure: the selftest runs it.
 */
u32 carp_arp_hash(u64 arp_key, const u8 *mac)
{
	u32 a = 0x9e3779b9 + (mac[0] | mac[1] << 8 | mac[2] << 16 |
			      (u32)mac[3] << 24);
	u32 b = upper_32_bits(arp_key) + (mac[4] | mac[5] << 8);
	u32 c = lower_32_bits(arp_key);

	a = (a - b - c) ^ (c >> 13);
	b = (b - c - a) ^ (a << 8);
	c = (c - a - b) ^ (b >> 13);
	a = (a - b - c) ^ (c >> 12);
	b = (b - c - a) ^ (a << 16);
	c = (c - a - b) ^ (b >> 5);
	a = (a - b - c) ^ (c >> 3);
	b = (b - c - a) ^ (a << 10);
	c = (c - a - b) ^ (b >> 15);
	return c;
}

/*
 * Which of @n vhids (in vhid order, all of them whatever their state)
 * answers the requester of MAC @mac in balancing arp: OpenBSD's
 * carp_iamatch(), carp_hash() of the MAC modulo n, so that an OpenBSD host
 * and this one answer disjoint requesters. Pure: the selftest runs it.
 */
unsigned int carp_arp_node(u64 arp_key, const u8 *mac, unsigned int n)
{
	return carp_arp_hash(arp_key, mac) % n;
}

/*
 * balancing arp: the vhid that answers the requester of MAC @mac (the ARP
 * sender hardware address, the source link-layer address option of a
 * neighbour solicitation), if we are its MASTER (else NULL: another host
 * answers, or nobody while the vhid has none). Under RCU; the vhid lives
 * as long as the read section.
 */
const struct carp_vhost *carp_arp_vhost(const struct carp_dev *carp,
					const u8 *mac)
{
	const struct carp_vhosts *vhs = carp_vhosts(carp);
	const struct carp_vhost *vh;

	vh = &vhs->vh[carp_arp_node(READ_ONCE(carp->arp_key), mac, vhs->n)];
	return READ_ONCE(vh->state) == CARP_STATE_MASTER ? vh : NULL;
}

/*
 * The vhid whose MAC @mac (a virtual MAC: carp_is_vmac()) is, on @carp:
 * the first for the device's own MAC, in balancing arp also any other by
 * its own. NULL if none. Under RCU.
 */
const struct carp_vhost *carp_vmac_vhost(const struct carp_dev *carp,
					 const u8 *mac)
{
	const struct carp_vhosts *vhs = carp_vhosts(carp);
	unsigned int i;

	if (ether_addr_equal(carp->dev->dev_addr, mac))
		return &vhs->vh[0];
	if (!carp_arp_balanced(carp) || is_multicast_ether_addr(mac))
		return NULL;
	for (i = 1; i < vhs->n; i++) {
		if (vhs->vh[i].vhid == mac[ETH_ALEN - 1])
			return &vhs->vh[i];
	}
	return NULL;
}

/* What a frame is to the flow rules. */
enum carp_frame_kind {
	CARP_FRAME_OTHER,	/* not IP (ARP, ...) */
	CARP_FRAME_GROUP,	/* IP to a multicast or broadcast address */
	CARP_FRAME_FLOW,	/* unicast IP: a flow, of fold *@fold */
};

/* Under RCU; the network header is set. */
static enum carp_frame_kind carp_frame_kind(struct sk_buff *skb, u32 *fold)
{
	unsigned int off = skb_network_offset(skb);
	const struct ipv6hdr *ip6h;
	const struct iphdr *iph;

	if (skb->protocol == htons(ETH_P_IP) &&
	    pskb_may_pull(skb, off + sizeof(*iph))) {
		iph = (const struct iphdr *)(skb->data + off);
		if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr))
			return CARP_FRAME_GROUP;
		*fold = carp_fold4(iph->saddr, iph->daddr);
		return CARP_FRAME_FLOW;
	}
	if (skb->protocol == htons(ETH_P_IPV6) &&
	    pskb_may_pull(skb, off + sizeof(*ip6h))) {
		ip6h = (const struct ipv6hdr *)(skb->data + off);
		if (ipv6_addr_is_multicast(&ip6h->daddr))
			return CARP_FRAME_GROUP;
		*fold = carp_fold6(&ip6h->saddr, &ip6h->daddr);
		return CARP_FRAME_FLOW;
	}
	return CARP_FRAME_OTHER;
}

/*
 * A frame to @carp's virtual MAC (or sent through the carp device): may
 * this host take it? IP by its flow (a group destination is nobody's flow:
 * yes); anything else only where we lead. Under RCU.
 */
bool carp_frame_ours(const struct carp_dev *carp, struct sk_buff *skb)
{
	u32 fold;

	if (carp_arp_balanced(carp))
		return carp_masters_any(carp);
	switch (carp_frame_kind(skb, &fold)) {
	case CARP_FRAME_FLOW:
		return carp_flow_ours(carp, fold);
	case CARP_FRAME_GROUP:
		return true;
	case CARP_FRAME_OTHER:
		break;
	}
	return carp_leads(carp);
}

/*
 * A frame carp0's stack sends: may it leave this host? Unicast IP by its
 * flow, as a received frame; anything else (ARP, neighbour discovery and
 * MLD to groups, any multicast) only from the host that answers for the
 * addresses (carp_leads()), or with load balancing from any MASTER (its
 * frames leave from the parent's MAC: carp_hides_vmac()). Received group
 * traffic is everybody's, but a BACKUP that sent any would put the
 * virtual MAC on the wire from the wrong port, and switches would move
 * the address's traffic to it. Under RCU (the transmit path).
 */
bool carp_xmit_ours(const struct carp_dev *carp, struct sk_buff *skb)
{
	u32 fold;

	if (carp_frame_kind(skb, &fold) == CARP_FRAME_FLOW)
		return carp_flow_ours(carp, fold);
	if (READ_ONCE(carp->balancing) == CARP_BAL_NONE)
		return carp_leads(carp);
	return carp_masters_any(carp);
}

/*
 * A frame to the MAC of @vh (carp_vmac_vhost()): may this host take it?
 * In balancing arp only the MASTER of that vhid, whatever the frame: the
 * requesters it answered send everything there. Otherwise as
 * carp_frame_ours(). Under RCU.
 */
bool carp_vmac_frame_ours(const struct carp_vhost *vh, struct sk_buff *skb)
{
	if (carp_arp_balanced(vh->carp))
		return READ_ONCE(vh->state) == CARP_STATE_MASTER;
	return carp_frame_ours(vh->carp, skb);
}

/*
 * Is a frame to the virtual MAC one for this host's stack (PACKET_HOST)?
 * Not IP to a group: balancing ip's MAC is also IPv4 group 224.0.1.<vhid>'s.
 */
bool carp_frame_unicast(struct sk_buff *skb)
{
	u32 fold;

	return carp_frame_kind(skb, &fold) != CARP_FRAME_GROUP;
}

/* Does @carp use its parent's MAC instead of a virtual one? */
bool carp_real_mac(const struct carp_dev *carp)
{
	return READ_ONCE(carp->lladdr) == CARP_LLADDR_PARENT;
}

/*
 * Does @carp keep its virtual MAC off the wire as a source address? A
 * device with its parent's MAC has none to show: its frames leave from
 * the parent's current MAC, which carp0's own copy only follows (the
 * parent's NETDEV_CHANGEADDR comes after the change). In balancing arp
 * the device's MAC is its first vhid's, which this host may not be MASTER
 * of: only advertisements and answers show a vhid's MAC, each their own.
 */
bool carp_hides_vmac(const struct carp_dev *carp)
{
	u8 bal = READ_ONCE(carp->balancing);

	return bal == CARP_BAL_IP || bal == CARP_BAL_IP_STEALTH ||
	       bal == CARP_BAL_ARP || carp_real_mac(carp);
}

/*
 * The MAC the neighbours are told for the virtual addresses (ARP, the
 * target link-layer option of neighbour advertisements): the device's
 * own, or with lladdr parent the parent's as it is now. Under RCU.
 */
const u8 *carp_lladdr_of(const struct carp_dev *carp,
			 const struct net_device *parent)
{
	return carp_real_mac(carp) ? parent->dev_addr : carp->dev->dev_addr;
}

/*
 * The device's MAC in mode @balancing and @lladdr, named by its first
 * vhid (IPv6's VRRPv3 MAC for a VRRPv3 device of IPv6, @vrrp6); with
 * lladdr parent, @parent's (none yet: the vhid's until it is attached).
 */
void carp_dev_mac(u8 *mac, u8 balancing, u8 lladdr, u8 vhid, bool vrrp6,
		  const struct net_device *parent)
{
	if (lladdr == CARP_LLADDR_PARENT && parent)
		ether_addr_copy(mac, parent->dev_addr);
	else if (balancing == CARP_BAL_IP)
		carp_vmac_mcast(mac, vhid);
	else if (vrrp6)
		vrrp_vmac6(mac, vhid);
	else
		carp_vmac(mac, vhid);
}

/*
 * The source MAC of @vh's advertisements: the device's virtual MAC; with
 * ip-unicast and arp each vhid's own (as OpenBSD; in arp mode this is what
 * teaches a switch where each vhid's MASTER is, the first advertisement
 * after a takeover included); where the virtual MAC must not be a source
 * (or there is none: lladdr parent), the parent's. carp->lock held.
 */
void carp_advert_smac(const struct carp_vhost *vh,
		      const struct net_device *parent, u8 *mac)
{
	const struct carp_dev *carp = vh->carp;

	if (carp->balancing == CARP_BAL_ARP)
		carp_vmac(mac, vh->vhid);
	else if (carp_hides_vmac(carp))
		ether_addr_copy(mac, parent->dev_addr);
	else if (carp->balancing == CARP_BAL_IP_UNICAST)
		carp_vmac(mac, vh->vhid);
	else
		ether_addr_copy(mac, carp->dev->dev_addr);
}

/*
 * The parent's NIC must pass frames to the virtual MAC: its unicast
 * filter, or for the multicast one its multicast filter. RTNL.
 */
int carp_mac_filter_add(struct net_device *parent, const u8 *mac)
{
	if (is_multicast_ether_addr(mac))
		return dev_mc_add(parent, mac);
	return dev_uc_add(parent, mac);
}

void carp_mac_filter_del(struct net_device *parent, const u8 *mac)
{
	if (is_multicast_ether_addr(mac))
		dev_mc_del(parent, mac);
	else
		dev_uc_del(parent, mac);
}
