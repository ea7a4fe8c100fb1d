/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: the netlink layer, every request carpctl makes of the kernel:
 * the "carp" generic netlink family (devices, the namespace, the
 * "monitor" group) and rtnetlink (addresses, link state).
 *
 * Every function returns 0 or a negative errno unless it says otherwise.
 * On failure, the kernel's extended ack message, if any, is in
 * kernel_msg() (err.h), else "".
 */
#ifndef CARPCTL_NL_H
#define CARPCTL_NL_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"

/* Open the genl socket and resolve "carp": 0, or prints and returns 2. */
int nl_open(void);
void nl_close_all(void);

int nl_get_device(const char *ifname, struct carp_info *out);
int nl_dump_devices(struct carp_list *out);
int nl_new_device(const struct carp_conf *c, unsigned int link);
int nl_set_device(const struct carp_conf *c);
int nl_del_device(const char *ifname);
int nl_get_net(struct carp_netinfo *out);
int nl_set_net(int32_t demote_adj);
/*
 * A hold for this process's generic netlink socket: it fires when the
 * socket closes (carpctl's exit), so keep it open as long as the hold.
 */
int nl_new_hold(const char *name, int demote);
int nl_del_hold(const char *name);
int nl_new_track(unsigned int ifindex, int demote);
int nl_del_track(unsigned int ifindex);
/* The generic netlink socket's descriptor (after nl_open()). */
int nl_genl_fd(void);

/*
 * Subscribe to state changes, on a socket of its own (opens the genl
 * socket too): 0, or prints and returns the exit status.
 */
int nl_monitor_open(void);
int nl_monitor_fd(void);		/* to poll(); -1 if not open */
void nl_monitor_close(void);
/*
 * Read what the socket holds now (never blocks) and call @fn for each
 * event, in order; a non-zero return of @fn stops and is returned.
 * -ENOBUFS: the socket overflowed, events were lost.
 */
int nl_monitor_read(int (*fn)(const struct carp_event *ev, void *arg),
		    void *arg);

/* rtnetlink */
int nl_add_address(unsigned int ifindex, const struct carp_addr *a);
int nl_del_address(unsigned int ifindex, const struct carp_addr *a);
int nl_set_link_up(unsigned int ifindex);
/* The IPv4 addresses of every interface in the netns, malloc'ed. */
int nl_list_addresses(struct rt_addr **out, size_t *n);

#endif /* CARPCTL_NL_H */
