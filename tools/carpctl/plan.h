/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: what apply must change of a carp device to make it what an add
 * line says (the diff of a request and a kernel report), and the words
 * it prints for each change. Pure: no netlink, so the tests feed it
 * structures.
 */
#ifndef CARPCTL_PLAN_H
#define CARPCTL_PLAN_H

#include <stddef.h>

#include "device.h"

/*
 * What differs, one bit each; PLAN_LINK, PLAN_VERSION and
 * PLAN_VRRP_FAMILY (PLAN_RECREATE) cannot be changed in place: the device
 * is deleted and added again.
 */
enum {
	PLAN_VHID	= 1 << 0,
	PLAN_ADVSKEW	= 1 << 1,
	PLAN_NODES	= 1 << 2,	/* the vhids and advskews, as carpnodes */
	PLAN_BALANCING	= 1 << 3,
	PLAN_ADVBASE	= 1 << 4,
	PLAN_PEER	= 1 << 5,
	PLAN_PEER6	= 1 << 6,
	PLAN_KEY	= 1 << 7,	/* sent again: it cannot be compared */
	PLAN_KEY_DEL	= 1 << 8,	/* the device has a key, the line none */
	PLAN_ADDRS	= 1 << 9,
	PLAN_LINK	= 1 << 10,
	PLAN_LLADDR	= 1 << 11,
	PLAN_VERSION	= 1 << 12,	/* carpver: CARP or VRRPv3 */
	PLAN_VRRP_PRIO	= 1 << 13,
	PLAN_VRRP_INTERVAL = 1 << 14,
	PLAN_VRRP_PREEMPT = 1 << 15,
	PLAN_VRRP_ACCEPT = 1 << 16,
	PLAN_VRRP_FAMILY = 1 << 17,	/* a VRRPv3 device's: IPv4 or IPv6 */
	PLAN_RECREATE	= PLAN_LINK | PLAN_VERSION | PLAN_VRRP_FAMILY,
};

/*
 * The changes that make @have (the kernel's) what @want says (an add line,
 * conf_parse()d, with its parent's ifindex @link), as a bit mask; 0 if it
 * already is. *set gets the request that makes them: the name and only
 * what differs (set->addrs, if given, points into want->addrs); or -1
 * if out of memory. A device to make again (PLAN_RECREATE) gets no more
 * bits than those.
 */
int plan_diff(const struct carp_conf *want, unsigned int link,
	      const struct carp_info *have, struct carp_conf *set);

/*
 * The request that puts back what @changes changed of @have (for undoing
 * a set): the addresses point into have->addrs. A key is never put back
 * (it cannot be read): PLAN_KEY and PLAN_KEY_DEL are left out; nor are
 * the version and the VRRPv3 family, which a set cannot change.
 */
void plan_undo(const struct carp_info *have, unsigned int changes,
	       struct carp_conf *undo);

/*
 * Each change of @changes (plan_diff()'s, PLAN_LINK aside) as one phrase
 * ("advskew 100 -> 150"), in a fixed order, to @emit (with @arg); -1 if
 * out of memory, else 0. A change of the vhids or of the balancing mode
 * says that the device restarts from INIT: the kernel gives it a new
 * identity, and a MASTER gives its addresses up for a moment.
 */
typedef void (*plan_emit_fn)(void *arg, const char *text);
int plan_describe(const struct carp_conf *want,
		  const struct carp_info *have, unsigned int changes,
		  plan_emit_fn emit, void *arg);

/*
 * The VRRPv3 family the add line @c makes (CARP_VRRP_FAMILY_INET or
 * _INET6: vrrpfamily, else its addresses', else IPv4), or 0 for a CARP
 * device.
 */
int plan_vrrp_family(const struct carp_conf *c);

/*
 * The words of the add line of @c after its name ("dev PARENT vhid ...",
 * "dev PARENT vhid N carpver 3 vrrpfamily ..." for VRRPv3), with add's
 * defaults and the key shown as "*", into @buf (@len bytes; cut short if
 * too small).
 */
void plan_format_add(const struct carp_conf *c, const char *parent,
		     char *buf, size_t len);

#endif /* CARPCTL_PLAN_H */
