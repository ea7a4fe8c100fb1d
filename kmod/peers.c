// SPDX-License-Identifier: GPL-2.0
/*
 * Unicast peers (struct carp_peers): for networks that carry no multicast,
 * a MASTER advertises to each listed peer of a family instead of that
 * family's group, and a BACKUP hears only the listed peers. A request's
 * lists are built and checked here in full before anything changes; the
 * device's are replaced as a whole (device.c) and read under RCU.
 */
#include <linux/slab.h>
#include <net/ipv6.h>

#include "carp.h"

/*
 * What is not a unicast peer: the same table as carpctl's
 * (tools/carpctl/addr.c, carpctl(8)): 0.0.0.0/8, 127.0.0.0/8,
 * 224.0.0.0/4 and 240.0.0.0/4 (which holds 255.255.255.255).
 * ipv4_is_zeronet() is no help: it checks only 0.0.0.0.
 */
bool carp_peer_unicast(__be32 addr)
{
	return (addr & htonl(0xff000000)) &&
	       !ipv4_is_loopback(addr) &&
	       !ipv4_is_multicast(addr) &&
	       (addr & htonl(0xf0000000)) != htonl(0xf0000000);
}

/* The IPv6 half of that table: ::, ff00::/8, ::1 and ::ffff:0:0/96. */
bool carp_peer6_unicast(const struct in6_addr *addr)
{
	return !ipv6_addr_any(addr) &&
	       !(ipv6_addr_type(addr) & (IPV6_ADDR_MULTICAST |
					 IPV6_ADDR_LOOPBACK |
					 IPV6_ADDR_MAPPED));
}

bool carp_peers_has(const struct carp_peers *peers, __be32 addr)
{
	unsigned int i;

	for (i = 0; peers && i < peers->n; i++) {
		if (peers->addr[i] == addr)
			return true;
	}
	return false;
}

bool carp_peers_has6(const struct carp_peers *peers,
		     const struct in6_addr *addr)
{
	unsigned int i;

	for (i = 0; peers && i < peers->n6; i++) {
		if (ipv6_addr_equal(&peers->addr6[i], addr))
			return true;
	}
	return false;
}

/*
 * Append @addr to the IPv4 list of @peers: -EINVAL if it is not unicast,
 * -EEXIST if it is listed already, -E2BIG if @peers is full (both
 * families count). @peers is unchanged on error.
 */
int carp_peers_add(struct carp_peers *peers, __be32 addr)
{
	if (!carp_peer_unicast(addr))
		return -EINVAL;
	if (carp_peers_has(peers, addr))
		return -EEXIST;
	if (peers->n + peers->n6 >= CARP_PEERS_MAX)
		return -E2BIG;
	peers->addr[peers->n++] = addr;
	return 0;
}

/* The same for the IPv6 list. */
int carp_peers_add6(struct carp_peers *peers, const struct in6_addr *addr)
{
	if (!carp_peer6_unicast(addr))
		return -EINVAL;
	if (carp_peers_has6(peers, addr))
		return -EEXIST;
	if (peers->n + peers->n6 >= CARP_PEERS_MAX)
		return -E2BIG;
	peers->addr6[peers->n6++] = *addr;
	return 0;
}

/*
 * The peers a device has once @cfg applies to its current ones @cur
 * (NULL: none): the lists @cfg sets, and the current list of each other
 * family. NULL when both are empty (multicast only), an ERR_PTR when out
 * of memory or over CARP_PEERS_MAX together (-E2BIG). Nothing is changed:
 * the caller publishes the result.
 */
struct carp_peers *carp_peers_merge(const struct carp_config *cfg,
				    const struct carp_peers *cur)
{
	const struct carp_peers *v4 = cfg->set_peer ? cfg->peers : cur;
	const struct carp_peers *v6 = cfg->set_peer6 ? cfg->peers : cur;
	unsigned int n = v4 ? v4->n : 0, n6 = v6 ? v6->n6 : 0;
	struct carp_peers *peers;

	if (!n && !n6)
		return NULL;
	if (n + n6 > CARP_PEERS_MAX)
		return ERR_PTR(-E2BIG);
	peers = kzalloc(sizeof(*peers), GFP_KERNEL_ACCOUNT);
	if (!peers)
		return ERR_PTR(-ENOMEM);
	peers->n = n;
	if (n)
		memcpy(peers->addr, v4->addr, n * sizeof(peers->addr[0]));
	peers->n6 = n6;
	if (n6)
		memcpy(peers->addr6, v6->addr6, n6 * sizeof(peers->addr6[0]));
	return peers;
}
