// SPDX-License-Identifier: GPL-2.0
/*
 * VRRPv3 (RFC 5798): what a carp device created with carpver 3 computes
 * differently from CARP. Everything here is a pure function of its
 * arguments, so that the in-module self-test can run every case: the
 * timers, the election, the checks of a received advertisement and its
 * checksum. The device's VRRP state, and the sending and receiving of the
 * packets, are CARP's code with this header in place of CARP's.
 *
 * Units: the wire and every computation here are in centiseconds, as the
 * RFC has them; the callers convert to nanoseconds for the hrtimers.
 */

#include <linux/kernel.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "carp.h"

/*
 * Skew_Time (RFC 5798 6.1), in centiseconds: ((256 - Priority) x
 * Master_Adver_Interval) / 256. The better a backup, the sooner its
 * master-down timer fires after the master's last advertisement, so that
 * the best one takes over before the others wake up.
 */
u32 vrrp_skew_cs(u8 prio, u16 master_int)
{
	return (256 - (u32)prio) * master_int / 256;
}

/*
 * Master_Down_Interval (RFC 5798 6.1), in centiseconds: three of the
 * master's advertisement intervals, as learnt from its advertisements,
 * plus our skew.
 */
u32 vrrp_master_down_cs(u8 prio, u16 master_int)
{
	return 3 * (u32)master_int + vrrp_skew_cs(prio, master_int);
}

/*
 * Compare two primary addresses as the RFC does ("greater than"): as
 * unsigned numbers in network byte order, which memcmp() of the bytes is.
 */
static int vrrp_addr_cmp(const struct vrrp_prio *a, const struct vrrp_prio *b)
{
	if (a->v6)
		return memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
	return memcmp(&a->addr.v4, &b->addr.v4, sizeof(a->addr.v4));
}

/*
 * What a valid advertisement from another router means for us (RFC 5798
 * 6.4.2 and 6.4.3). Unlike CARP, a better BACKUP never takes over on an
 * advertisement: with preemption it ignores the worse master's
 * advertisements and takes over when its master-down timer fires; without
 * it, it listens to any master.
 *
 * MASTER: a bow-out (priority 0) is answered at once, so that the backups
 * do not take over for nothing; a better priority, or an equal one from a
 * greater primary address, makes us BACKUP.
 * BACKUP: a bow-out fires the master-down timer after Skew_Time; a master
 * we listen to restarts it with its learnt interval.
 */
enum vrrp_verdict vrrp_decide(enum carp_state state,
			      const struct vrrp_prio *ours,
			      const struct vrrp_prio *theirs, bool preempt)
{
	switch (state) {
	case CARP_STATE_MASTER:
		if (theirs->priority == VRRP_PRIO_BOWOUT)
			return VRRP_V_ADVERTISE;
		if (theirs->priority > ours->priority ||
		    (theirs->priority == ours->priority &&
		     vrrp_addr_cmp(theirs, ours) > 0))
			return VRRP_V_STEP_DOWN;
		return VRRP_V_NONE;
	case CARP_STATE_BACKUP:
		if (theirs->priority == VRRP_PRIO_BOWOUT)
			return VRRP_V_SKEW;
		if (!preempt || theirs->priority >= ours->priority)
			return VRRP_V_WAIT;
		return VRRP_V_NONE;
	case CARP_STATE_INIT:
		break;
	}
	return VRRP_V_NONE;
}

/*
 * The checksum of the @len bytes of a VRRPv3 message at @vh, with the IPv4
 * pseudo-header (RFC 5798 5.2.8). Over a message whose @cksum is 0 it is
 * the value to put there; over a received one it is 0 if it is intact.
 */
__sum16 vrrp_csum4(const struct vrrp_header *vh, unsigned int len,
		   __be32 saddr, __be32 daddr)
{
	return csum_tcpudp_magic(saddr, daddr, len, IPPROTO_CARP,
				 csum_partial(vh, len, 0));
}

/* The same with the IPv6 pseudo-header (RFC 8200 8.1). */
__sum16 vrrp_csum6(const struct vrrp_header *vh, unsigned int len,
		   const struct in6_addr *saddr, const struct in6_addr *daddr)
{
	return csum_ipv6_magic(saddr, daddr, len, IPPROTO_CARP,
			       csum_partial(vh, len, 0));
}

/*
 * Whether the @len bytes at @vh (pulled, and as long as the IP header
 * says) are a well-formed VRRPv3 advertisement of the family @v6: the
 * counter to drop it with, or CARP_STAT_UNSPEC. The checksum is checked
 * by the caller, which has the addresses; the TTL too.
 *
 * At least one address, and all @count of them (RFC 5798 7.1: the packet
 * "MUST" be complete, "including fixed fields, and IPvX address(es)");
 * whether they are ours is for the caller to log, not to drop on (7.1's
 * "MAY"). A zero interval is no advertisement interval: the master-down
 * time would be Skew_Time alone.
 */
enum carp_stat vrrp_check(const struct vrrp_header *vh, unsigned int len,
			  bool v6)
{
	unsigned int alen = v6 ? sizeof(struct in6_addr) : sizeof(__be32);

	if (len < sizeof(*vh) || !vh->count ||
	    len < sizeof(*vh) + vh->count * alen)
		return CARP_STAT_BADLEN;
	if (vh->ver_type != (VRRP_VERSION << 4 | VRRP_TYPE_ADVERTISEMENT) ||
	    !vrrp_hdr_interval(vh))
		return CARP_STAT_BADVER;
	return CARP_STAT_UNSPEC;
}

/* Advertisements per 256 s of a VRRPv3 MASTER at @interval cs (1..4095). */
u32 vrrp_ads_rate(u16 interval)
{
	return DIV_ROUND_UP(256 * 100, (u32)interval);
}

/*
 * May a VRRPv3 vhid at @interval cs run beside the other vhids of the
 * namespace, which ask for @others advertisements per 256 s? The bound
 * and its reasons are carp_interval_check()'s.
 */
int vrrp_interval_check(u16 interval, u64 others,
			struct netlink_ext_ack *extack)
{
	if (others + vrrp_ads_rate(interval) > (u64)CARP_ADS_PER_SEC_MAX * 256) {
		NL_SET_ERR_MSG(extack,
			       "the carp devices of this namespace would send more than 16384 advertisements a second: use longer intervals");
		return -ERANGE;
	}
	return 0;
}

/*
 * What a request may say of a VRRPv3 device (@vrrp) or a CARP one: each
 * protocol's own words only, so that nothing configured is silently
 * unused. A VRRPv3 device has one VRID, no authentication (RFC 5798 gave
 * it up), and for now no unicast peers. 0 or -EINVAL, said in @extack.
 */
int vrrp_config_check(const struct carp_config *cfg, bool vrrp,
		      struct netlink_ext_ack *extack)
{
	if (!vrrp) {
		if (cfg->vrrp_prio >= 0 || cfg->vrrp_interval >= 0 ||
		    cfg->vrrp_preempt >= 0 || cfg->vrrp_family >= 0 ||
		    cfg->vrrp_accept >= 0) {
			NL_SET_ERR_MSG(extack,
				       "vrrpprio, vrrpinterval, vrrppreempt, vrrpaccept and vrrpfamily are VRRPv3's: the device speaks CARP (carpver 2)");
			return -EINVAL;
		}
		return 0;
	}
	if (cfg->advbase >= 0 || cfg->advskew >= 0) {
		NL_SET_ERR_MSG(extack,
			       "VRRPv3 times and ranks by vrrpinterval and vrrpprio, not advbase and advskew");
		return -EINVAL;
	}
	if (cfg->keylen > 0) {
		NL_SET_ERR_MSG(extack,
			       "VRRPv3 has no authentication: no pass (see the nftables recipe in carp.rst)");
		return -EINVAL;
	}
	if (cfg->nnodes >= 0 || cfg->balancing > 0) {
		NL_SET_ERR_MSG(extack,
			       "VRRPv3 has one VRID per device: no carpnodes or balancing");
		return -EINVAL;
	}
	if (cfg->set_peer || cfg->set_peer6) {
		NL_SET_ERR_MSG(extack,
			       "unicast peers are CARP's only: a VRRPv3 device advertises to 224.0.0.18");
		return -EINVAL;
	}
	return 0;
}
