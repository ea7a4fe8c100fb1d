// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks: what carp sees of the wire.
 *
 * NFPROTO_NETDEV ingress, one hook per parent (struct carp_port): claims
 * CARP advertisements for our vhids and keeps the wire's traffic for a
 * virtual address away from a host that is not its MASTER (IPv4:
 * carp_ingress4() in proto.c; IPv6 and neighbour discovery:
 * carp_ingress6() in proto6.c), and lets the MASTER's stack accept frames
 * sent to the virtual MAC (eth_type_trans() marked them PACKET_OTHERHOST,
 * or PACKET_MULTICAST for balancing ip's multicast MAC, which IP and ARP
 * would drop, or TCP). With load balancing "MASTER"
 * means MASTER of the vhid the flow hashes to (balance.c).
 *
 * NFPROTO_ARP output, one per netns: Linux answers ARP for any local
 * address from the interface's own MAC. For a virtual address only the
 * MASTER (of the first vhid) may speak, and only with the virtual MAC (or,
 * with lladdr parent, the parent's own: then the hook only silences the
 * BACKUP). In balancing arp the MASTER of the vhid chosen by the other
 * side's address speaks, with that vhid's MAC.
 *
 * With lladdr parent the wire's traffic for a virtual address comes to
 * the MASTER's own MAC, PACKET_HOST already; a BACKUP gets it only from a
 * neighbour that has not learnt of a takeover yet, and drops it in
 * carp_ingress4() and carp_ingress6() as any traffic for an address it is
 * not MASTER of, whatever the destination MAC.
 *
 * NFPROTO_IPV4 and NFPROTO_IPV6 post-routing, one each per netns: a host
 * that is not MASTER of a virtual address never sends from it (a socket
 * bound to it on a BACKUP would otherwise put the MASTER's address on the
 * wire from another host); with load balancing, a host sends only its own
 * flows. The IPv6 one is registered on hosts without IPv6 too, where
 * nothing reaches it: the hook lists are netfilter's, not the IPv6
 * module's.
 */
#include <linux/ip.h>
#include <linux/if_arp.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter_netdev.h>
#include <net/ip.h>

#include "carp.h"

/* The vhid of a device on @port whose virtual MAC @mac is. Under RCU. */
static const struct carp_vhost *carp_port_vmac_owner(struct carp_port *port,
						     const u8 *mac)
{
	const struct carp_vhost *vh;
	struct carp_dev *carp;

	list_for_each_entry_rcu(carp, &port->carps, port_node) {
		vh = carp_vmac_vhost(carp, mac);
		if (vh)
			return vh;
	}
	return NULL;
}

static unsigned int carp_ingress(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct carp_port *port = priv;
	const struct carp_vhost *vh;
	unsigned int verdict;

	/*
	 * A frame of a VLAN on top of the parent passes here first, its tag
	 * already in the skb: it is the VLAN device's (and that one's own
	 * carp port's), not ours.
	 */
	if (skb_vlan_tag_present(skb))
		return NF_ACCEPT;
	if (skb->protocol == htons(ETH_P_IPV6)) {
		verdict = carp_ingress6(port, skb);
		if (verdict != NF_ACCEPT)
			return verdict;
	}
	if (skb->protocol == htons(ETH_P_IP)) {
		verdict = carp_ingress4(port, skb);
		if (verdict != NF_ACCEPT)
			return verdict;
	}

	if (skb_mac_header_was_set(skb) && carp_is_vmac(eth_hdr(skb)->h_dest)) {
		vh = carp_port_vmac_owner(port, eth_hdr(skb)->h_dest);
		if (vh) {
			if (!carp_vmac_frame_ours(vh, skb))
				return NF_DROP;
			/* real multicast to a MAC that balancing ip shares */
			if (skb->pkt_type == PACKET_MULTICAST &&
			    !carp_frame_unicast(skb))
				return NF_ACCEPT;
			skb->pkt_type = PACKET_HOST;
		}
	}
	if (skb->protocol == htons(ETH_P_ARP))
		carp_ingress_arp(port, skb);
	return NF_ACCEPT;
}

/*
 * carp's ingress hook runs after every other ingress hook of the parent
 * (hooks of one place run in the order of their priorities, whatever the
 * order they were registered in): an administrator's nftables chain on
 * the ingress hook, of the netdev or the inet family, at any priority
 * below this sees CARP before carp does and may drop it, as pf on the BSDs
 * filters CARP before carp(4) sees it. That chain is where CARP is
 * filtered, not the input chain: carp takes its advertisements at ingress,
 * before IP, so that it counts its own advertisements reflected back (IPv4
 * would drop them as martians, their source being local), hears them
 * whatever the parent's rp_filter says, and costs no connection tracking
 * entry per advertisement.
 */
#define CARP_INGRESS_PRIORITY	INT_MAX

int carp_port_hook(struct net *net, struct carp_port *port)
{
	port->ingress.hook = carp_ingress;
	port->ingress.priv = port;
	port->ingress.pf = NFPROTO_NETDEV;
	port->ingress.hooknum = NF_NETDEV_INGRESS;
	port->ingress.priority = CARP_INGRESS_PRIORITY;
	port->ingress.dev = port->parent;
	return nf_register_net_hook(net, &port->ingress);
}

void carp_port_unhook(struct net *net, struct carp_port *port)
{
	nf_unregister_net_hook(net, &port->ingress);
}

/*
 * The port of the device a packet leaves by (@state->out), or NULL: not a
 * parent, or no carp device in the netns at all. Under RCU (the hooks).
 */
static struct carp_port *carp_out_port(const struct nf_hook_state *state)
{
	if (!state->out || list_empty(&carp_pernet(state->net)->ports))
		return NULL;
	return carp_port_of(state->net, state->out);
}

/*
 * An ARP packet leaving @state->out, link header built. If its sender is a
 * virtual address: the MASTER's (of the first vhid) goes out with the
 * virtual MAC (with lladdr parent, the parent's) as sender and, unless the
 * device keeps it off the wire, as link source; anybody else's (a
 * BACKUP's reply, a request Linux sourced from the address) must not
 * claim the address: replies are dropped, requests are re-sourced from
 * the parent's own address.
 *
 * In balancing arp the requester chooses the vhid by its MAC, the target
 * hardware address of our reply (Linux copies the request's sender
 * hardware address there); the MASTER of that vhid replies with that
 * vhid's MAC as sender and link source, so that the switch learns the MAC
 * at its port, and everybody else's reply is dropped. A request from the
 * address has no requester MAC to choose by (it is what it asks for): it
 * is re-sourced as a BACKUP's, and a gratuitous one, which would move
 * every neighbour to one vhid, never leaves.
 */
static unsigned int carp_arp_out(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct net_device *dev = state->out;
	const struct carp_vhost *vh;
	struct carp_port *port;
	struct carp_dev *carp;
	struct arphdr *arp;
	struct ethhdr *eth;
	__be32 sip, tip, own;
	u8 *p;

	port = carp_out_port(state);
	if (!port || dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN)
		return NF_ACCEPT;
	if (skb_network_offset(skb) != ETH_HLEN ||
	    !pskb_may_pull(skb, ETH_HLEN + arp_hdr_len(dev)))
		return NF_ACCEPT;
	arp = arp_hdr(skb);
	if (arp->ar_pro != htons(ETH_P_IP) || arp->ar_hln != ETH_ALEN ||
	    arp->ar_pln != 4)
		return NF_ACCEPT;
	p = (u8 *)(arp + 1);		/* sha, sip, tha, tip */
	memcpy(&sip, p + ETH_ALEN, 4);
	memcpy(&tip, p + 2 * ETH_ALEN + 4, 4);

	carp = carp_port_vip_owner(port, sip);
	if (!carp)
		return NF_ACCEPT;
	if (skb_ensure_writable(skb, ETH_HLEN + arp_hdr_len(dev)))
		return NF_DROP;
	eth = (struct ethhdr *)skb->data;
	arp = arp_hdr(skb);
	p = (u8 *)(arp + 1);

	if (carp_arp_balanced(carp)) {
		vh = arp->ar_op == htons(ARPOP_REPLY) && sip != tip ?
		     carp_arp_vhost(carp, p + ETH_ALEN + 4) : NULL;
		if (vh) {
			carp_vmac(p, vh->vhid);
			ether_addr_copy(eth->h_source, p);
			return NF_ACCEPT;
		}
	} else if (carp_leads(carp)) {
		ether_addr_copy(p, carp_lladdr_of(carp, dev));
		ether_addr_copy(eth->h_source, carp_hides_vmac(carp) ?
				dev->dev_addr : carp->dev->dev_addr);
		return NF_ACCEPT;
	}
	if (arp->ar_op != htons(ARPOP_REQUEST) || sip == tip)
		return NF_DROP;
	own = inet_select_addr(dev, tip, RT_SCOPE_LINK);
	if (!own || carp_port_vip_owner(port, own))
		return NF_DROP;
	memcpy(p + ETH_ALEN, &own, 4);
	return NF_ACCEPT;
}

/*
 * IPv4 leaving a parent from a virtual address: only from its MASTER (of
 * the flow's vhid).
 */
static unsigned int carp_ip_out(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct carp_port *port = carp_out_port(state);
	const struct iphdr *iph = ip_hdr(skb);
	struct carp_dev *carp;

	if (!port)
		return NF_ACCEPT;
	carp = carp_port_vip_owner(port, iph->saddr);
	if (!carp || carp_flow_ours(carp, carp_fold4(iph->saddr, iph->daddr)))
		return NF_ACCEPT;
	DEV_STATS_INC(carp->dev, tx_dropped);
	return NF_DROP;
}

/* IPv6 leaving a parent: carp_egress6() (proto6.c) decides. */
static unsigned int carp_ip6_out(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct carp_port *port = carp_out_port(state);

	return port ? carp_egress6(port, skb) : NF_ACCEPT;
}

static const struct nf_hook_ops carp_net_hook_ops[] = {
	{
		.hook = carp_arp_out,
		.pf = NFPROTO_ARP,
		.hooknum = NF_ARP_OUT,
		.priority = 0,
	},
	{
		.hook = carp_ip_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_LAST,
	},
	{
		.hook = carp_ip6_out,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP6_PRI_LAST,
	},
};

int carp_arp_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, carp_net_hook_ops,
				     ARRAY_SIZE(carp_net_hook_ops));
}

void carp_arp_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, carp_net_hook_ops,
				ARRAY_SIZE(carp_net_hook_ops));
}
