/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels carp builds for (Debian's 6.1 and 6.12).
 * Every version test in the module lives here.
 */
#ifndef _CARP_COMPAT_H
#define _CARP_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

/* 6.5 sized sysctl tables; older kernels stop at an empty sentinel. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define carp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define carp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl(net, path, table)
#endif

/* 6.11 turned NETIF_F_LLTX into a device flag. */
static inline void carp_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * A carp device cannot change netns: its parent stays behind. The flag
 * became a device bit in 6.12 (Debian's 6.12 has the later name).
 */
static inline void carp_set_netns_local(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->netns_immutable = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

#endif /* _CARP_COMPAT_H */
