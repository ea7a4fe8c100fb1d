/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels carp builds for (Debian's 6.1 and 6.12).
 * Every one of them lives here. Kbuild detects each API from the headers
 * (CARP_HAVE_*), since distribution kernels backport changes.
 */
#ifndef _CARP_COMPAT_H
#define _CARP_COMPAT_H

#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <linux/sysctl.h>

/* 6.5 sized sysctl tables; older kernels stop at an empty sentinel. */
#ifdef CARP_HAVE_SYSCTL_SZ
#define carp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define carp_register_net_sysctl(net, path, table, n) \
	({ (void)(n); register_net_sysctl(net, path, table); })
#endif

/* 6.11 made the table a sysctl handler receives const. */
#ifdef CARP_HAVE_CONST_CTL_TABLE
#define CARP_CTL_CONST const
#else
#define CARP_CTL_CONST
#endif

/* 6.11 turned NETIF_F_LLTX into a device flag. */
static inline void carp_set_lltx(struct net_device *dev)
{
#ifdef CARP_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * A carp device cannot change netns: its parent stays behind. The feature
 * bit became dev->netns_local in 6.12, later renamed netns_immutable
 * (Debian's 6.12 has the later name).
 */
static inline void carp_set_netns_local(struct net_device *dev)
{
#if defined(CARP_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(CARP_HAVE_NETNS_LOCAL)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

#endif /* _CARP_COMPAT_H */
