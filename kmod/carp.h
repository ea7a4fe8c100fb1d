/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carp: Common Address Redundancy Protocol for Linux.
 *
 * Objects and who protects them:
 *
 *  struct carp_net	one per network namespace: the list of ports and the
 *			sysctls. Lists change under RTNL; packet paths read
 *			them under RCU.
 *  struct carp_port	one per parent device carrying at least one carp
 *			device: the netdev ingress hook, the unicast (virtual
 *			MAC) and multicast (224.0.0.18, ff02::12)
 *			memberships. Created and freed under RTNL.
 *  struct carp_dev	netdev_priv() of a carp device: configuration, CARP
 *			state, timers and counters, protected by carp->lock.
 *  struct carp_vhost	one vhid of a carp device and its election; a
 *			device holds one or more (struct carp_vhosts).
 */
#ifndef _CARP_H
#define _CARP_H

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/hrtimer.h>
#include <linux/inetdevice.h>
#include <net/neighbour.h>
#include <net/netns/generic.h>
#include <crypto/hash.h>

#include "uapi/carp.h"
#include "messages.h"

struct carp_net {
	struct list_head ports;		/* carp_port.node; RTNL writes, RCU reads */
	struct ctl_table_header *sysctl_hdr;

	/* sysctls under net.carp; read locklessly (READ_ONCE) */
	int preempt;			/* 0 or 1 */
	int preempt_delay;		/* s, 0..CARP_PREEMPT_DELAY_MAX */
	int allow;			/* 0: every carp device stays INIT */
	int log;			/* 0 quiet, 1 changes + auth, 2 all drops */
	int demotion;			/* administrative demotion, 0..255; RTNL */
	int garp_repeat;		/* announcements of a real-MAC takeover */

	/*
	 * CARP_LINK_DEMOTION for each carp device whose parent lost its
	 * link (carp_dev.link_demoted); RTNL. What is advertised, @demote,
	 * is the sum with @demotion capped to the one-byte wire field, so
	 * the value compared locally is always the value sent.
	 */
	int link_demotion;
	int demote;			/* RTNL writes, READ_ONCE readers */

	/*
	 * Holds and tracked interfaces (demotion.c). The lists change under
	 * RTNL; a hold's socket is also matched under @hold_lock, from the
	 * netlink core's release notifier, which must not take RTNL: it
	 * marks the hold and @hold_work applies its demotion.
	 */
	struct list_head holds;		/* carp_hold.node */
	unsigned int nholds;
	spinlock_t hold_lock;		/* holds: the list and their portids */
	struct work_struct hold_work;
	int hold_demotion;		/* the fired holds'; RTNL */
	struct list_head tracks;	/* carp_track.node */
	unsigned int ntracks;
	int track_demotion;		/* the tracked interfaces down; RTNL */

	atomic64_t stats[CARP_STAT_MAX + 1];	/* every device's, and more */
};

/*
 * A demotion held off by a netlink socket: fired (counted in
 * hold_demotion) once that socket closed, until taken again.
 */
struct carp_hold {
	struct list_head node;		/* in carp_net.holds */
	char name[CARP_HOLD_NAME_LEN];
	u32 portid;			/* the holding socket, 0: none; hold_lock */
	bool released;			/* its socket closed; hold_lock */
	bool fired;			/* counted in hold_demotion; RTNL */
	u8 demote;
};

/* An interface of the netns whose loss demotes (counted while down). */
struct carp_track {
	struct list_head node;		/* in carp_net.tracks */
	int ifindex;
	bool down;			/* counted in track_demotion */
	u8 demote;
};

/* What losing a parent's link adds to the demotion (FreeBSD's ifdown_adj). */
#define CARP_LINK_DEMOTION	240
#define CARP_DEMOTE_MAX		255	/* the wire field is one byte */

/* The longest net.carp.preempt_delay, in seconds: an hour. */
#define CARP_PREEMPT_DELAY_MAX	3600

/*
 * Advertisements a second that the vhids of one namespace may ask for
 * together (see carp_interval_check()); bench section 7b measures what
 * they cost.
 */
#define CARP_ADS_PER_SEC_MAX	16384

struct carp_port {
	struct list_head node;		/* in carp_net.ports */
	struct list_head carps;		/* carp_dev.port_node; RTNL writes, RCU reads */
	/*
	 * The carp devices holding the port: from carp_attach() to their
	 * ndo_uninit, as macvlan holds its port, so that the port outlives
	 * every walk of @carps that deletes devices (they leave @carps at
	 * once, but are unregistered later in the same RTNL section). RTNL.
	 */
	unsigned int refs;
	struct net_device *parent;
	netdevice_tracker parent_tracker;
	/*
	 * The parent's in_dev and inet6_dev holding our memberships of
	 * 224.0.0.18 and ff02::12, each held by a reference. IPv4 and IPv6
	 * destroy them (with every membership) when the parent's MTU drops
	 * below 68 or 1280 and create new ones when it is back:
	 * carp_port_mc_sync() then joins the new ones. RTNL.
	 */
	struct in_device *in_dev;
	struct inet6_dev *in6_dev;
	struct nf_hook_ops ingress;	/* .priv is this port */
	struct rcu_head rcu;
};

/* The virtual IPv4 addresses of a carp device, sorted in ascending order. */
struct carp_vips {
	struct rcu_head rcu;
	unsigned int n;
	__be32 addr[];
};

/*
 * The virtual IPv6 addresses of a carp device (any unicast scope), sorted in
 * ascending memcmp() order, as the BSDs feed them to the HMAC (a link-local
 * one with its scope bits clear: Linux never embeds them in the address).
 */
struct carp_vips6 {
	struct rcu_head rcu;
	unsigned int n;
	struct in6_addr addr[];
};

/*
 * The unicast peers of a carp device (peers.c), each family's in the order
 * given; a family with none advertises to its multicast group and hears
 * anyone. At most CARP_PEERS_MAX of both together, so the lists have room
 * for any. Replaced as a whole under RTNL and carp->lock, read under
 * either or RCU (carp_peers()), freed after a grace period.
 */
struct carp_peers {
	struct rcu_head rcu;
	unsigned int n, n6;
	__be32 addr[CARP_PEERS_MAX];
	struct in6_addr addr6[CARP_PEERS_MAX];
};

/*
 * Replay protection (replay.c): the counters recently accepted, and the
 * counter streams recently heard, whoever sent them (the source address
 * is not authenticated). The BSDs increment by one; ucarp sends a random
 * counter each time.
 */
#define CARP_REPLAY_RECENT	64
#define CARP_REPLAY_STREAMS	4
/* How far back a sequential stream's counter may not go (see replay.c). */
#define CARP_REPLAY_WINDOW	BIT_ULL(40)
/* How far up a counter may jump and still continue its stream. */
#define CARP_REPLAY_STEP	BIT_ULL(16)

struct carp_replay_stream {
	u64 last;			/* last counter accepted in it */
	bool sequential;		/* it has continued at least once */
	unsigned long used;		/* jiffies, for replacement */
};

struct carp_replay {
	u64 recent[CARP_REPLAY_RECENT];
	unsigned int nrecent, next;
	struct carp_replay_stream streams[CARP_REPLAY_STREAMS];
	unsigned int nstreams;
};

/*
 * One vhid of a carp device and its own election (OpenBSD's "carp vhost
 * entry"). An ordinary device has one; a load-balanced one (carpnodes) has
 * up to CARP_NODES_MAX. Everything here is protected by carp->lock, except
 * what never changes while the vhost is reachable (@carp, @vhid) and
 * @state, which the packet paths also read locklessly (READ_ONCE).
 */
/*
 * A conflict as its MASTER sees it: another master of the vhid, worse than
 * us, still advertising (a split brain that is healing, or one-way
 * reachability that keeps it from hearing us). See carp_conflict_step().
 * Times are ktime_get_ns(); carp->lock.
 */
struct carp_conflict {
	u64 last_ns;			/* its last advertisement; 0: none */
	u64 announced_ns;		/* our last re-announcement */
	u32 rem_ns;			/* of the time not yet counted in ms */
};

/* What carp_conflict_step() asks for. */
#define CARP_CONFLICT_NEW	BIT(0)	/* a new conflict: count, report */
#define CARP_CONFLICT_ANNOUNCE	BIT(1)	/* advertise and announce now */

/* A MASTER re-announces at most this often during one conflict. */
#define CARP_CONFLICT_ANNOUNCE_NS	NSEC_PER_SEC

struct carp_vhost {
	struct carp_dev *carp;
	u8 vhid;			/* 0: the device is not configured */
	u8 advskew;
	enum carp_state state;
	u64 counter;			/* of the last advertisement sent */
	struct hrtimer ad_timer;	/* MASTER: send the next advertisement */
	struct hrtimer md_timer;	/* BACKUP: declare the master down */
	u64 last_change;		/* jiffies64 of the last state change */
	const char *last_reason;	/* a string literal */
	enum carp_reason last_why;	/* its kind */
	/*
	 * ktime_get_ns() when it last left INIT, joining the protocol: where
	 * net.carp.preempt_delay counts from (see carp_preempt_delay_over()).
	 */
	u64 joined_ns;
	/*
	 * VRRPv3: the master's advertisement interval in centiseconds, as
	 * its last advertisement said (RFC 5798's Master_Adver_Interval);
	 * our own until one is heard. Master_Down_Interval follows it.
	 */
	u16 master_int;
	struct carp_replay replay;
	struct carp_conflict conflict;	/* as MASTER; reset on every change */
};

/*
 * The vhids of a carp device, sorted by vhid: vh[0] leads (it names the
 * virtual MAC; its MASTER answers ARP and neighbour solicitations). The
 * set is replaced as a whole, under RTNL and carp->lock, once every timer
 * of the old one is stopped (its vhosts stay INIT: no timer comes back);
 * it is read under RCU (any flavour), RTNL or carp->lock: see
 * carp_vhosts(). Only advskew changes in place.
 */
struct carp_vhosts {
	struct rcu_head rcu;
	unsigned int n;			/* 1..CARP_NODES_MAX */
	struct carp_vhost vh[];
};

struct carp_dev {
	struct net_device *dev;
	struct carp_net *cn;		/* of dev's netns, which never changes */
	struct carp_port *port;		/* NULL until attached; RTNL */
	/* The port this device holds (port->refs) until its ndo_uninit. */
	struct carp_port *port_ref;
	struct list_head port_node;	/* in port->carps */
	bool link_demoted;		/* counted in cn->link_demotion; RTNL */

	/* Published under RTNL (inetaddr notifier), read under RCU. */
	struct carp_vips __rcu *vips;
	/* Published under carp->lock (inet6addr notifier), read under RCU. */
	struct carp_vips6 __rcu *vips6;
	/*
	 * The parent whose multicast filter holds the solicited-node group of
	 * every address in vips6 (see carp_mc6_attach()); carp->lock.
	 */
	struct net_device *mc6_parent;

	/*
	 * Taken with spin_lock_bh(): the netfilter hook and the timers run in
	 * softirq context, netlink and notifiers in process context. Nothing
	 * is sent while it is held.
	 */
	spinlock_t lock;
	struct carp_vhosts __rcu *vhosts;	/* never NULL once initialised */
	/* enum carp_balancing; written under RTNL and the lock (with vhosts) */
	u8 balancing;
	/* enum carp_lladdr; written under RTNL and the lock, read locklessly */
	u8 lladdr;
	/*
	 * The announcements a new MASTER still owes (see carp_announce()),
	 * sent by @garp_timer; both under the lock.
	 */
	unsigned int garp_left;
	struct timer_list garp_timer;
	/*
	 * The device's state: MASTER if it is MASTER of any vhid, else BACKUP
	 * if any is BACKUP, else INIT; its carrier follows it. Also read
	 * locklessly (READ_ONCE).
	 */
	enum carp_state state;
	u8 advbase;
	/*
	 * The protocol: CARP_PROTO_CARP or CARP_PROTO_VRRP, fixed before
	 * the device is registered, so read without the lock, as is a
	 * VRRPv3 device's family (CARP_VRRP_FAMILY_*). VRRPv3's
	 * configuration, under the lock: priority 1..255, interval in
	 * centiseconds, Preempt_Mode, and Accept_Mode (also read locklessly
	 * by the ingress hook).
	 */
	u8 version;
	u8 vrrp_family;
	u8 vrrp_prio;
	u16 vrrp_interval;
	bool vrrp_preempt;
	bool vrrp_accept;
	bool has_key;
	struct carp_peers __rcu *peers;	/* NULL: multicast only */
	struct crypto_shash *tfm;	/* hmac(sha1) keyed with the password */
	/*
	 * balancing arp's hash key, from the password (carp_arp_key()): set
	 * with the tfm, under the lock once the device is registered; read
	 * locklessly (READ_ONCE) by the ARP and neighbour discovery paths.
	 */
	u64 arp_key;
	u64 stats[CARP_STAT_MAX + 1];
	/* the last state change of any of its vhids */
	u64 last_change;		/* jiffies64 */
	const char *last_reason;	/* a string literal */
	enum carp_reason last_why;	/* its kind */
};

/* The vhids of @carp, in any context that may read them (see above). */
static inline struct carp_vhosts *carp_vhosts(const struct carp_dev *carp)
{
	return rcu_dereference_check(carp->vhosts,
				     rcu_read_lock_any_held() ||
				     lockdep_rtnl_is_held() ||
				     lockdep_is_held(&carp->lock));
}

/* The unicast peers of @carp (NULL: none), as carp_vhosts(). */
static inline struct carp_peers *carp_peers(const struct carp_dev *carp)
{
	return rcu_dereference_check(carp->peers,
				     rcu_read_lock_any_held() ||
				     lockdep_rtnl_is_held() ||
				     lockdep_is_held(&carp->lock));
}

/*
 * How a sender ranks (lower is better): demotion first, as OpenBSD, then
 * the interval advbase + advskew/256, as every CARP. Our own is always
 * what we put on the wire.
 */
struct carp_prio {
	u8 demote;
	u8 advbase;
	u8 advskew;
};

/*
 * How a VRRPv3 router ranks (vrrp.c): its priority, then, between equals,
 * its primary address, the source of its advertisements (greater wins).
 */
struct vrrp_prio {
	u8 priority;
	bool v6;
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
};

/* Decision on a valid VRRPv3 advertisement from another router (vrrp.c). */
enum vrrp_verdict {
	VRRP_V_NONE,		/* discard it */
	VRRP_V_STEP_DOWN,	/* MASTER -> BACKUP, learn its interval */
	VRRP_V_WAIT,		/* BACKUP: learn its interval, restart the timer */
	VRRP_V_SKEW,		/* BACKUP: it bowed out, master-down in Skew_Time */
	VRRP_V_ADVERTISE,	/* MASTER: another bowed out, advertise now */
};

/* What a state change asks the caller to do once carp->lock is dropped. */
#define CARP_TX_AD	BIT(0)	/* send an advertisement now */
#define CARP_TX_GARP	BIT(1)	/* announce every virtual address */
#define CARP_TX_BOWOUT	BIT(2)	/* leaving MASTER: tell the backups at once */
/* Report a new conflict: the caller has the other master's address. */
#define CARP_TX_CONFLICT BIT(3)

/*
 * How far apart the announcements of one takeover go (net.carp.garp_repeat
 * of them): far enough that a frame lost to a burst on the wire or to a
 * switch port still coming up is not followed by its twin into the same
 * loss, close enough that the last of ten leaves within two seconds.
 */
#define CARP_GARP_INTERVAL_MS	200
#define CARP_GARP_REPEAT_MAX	10
#define CARP_GARP_REPEAT_DEFAULT 3

/* A bow-out advertises the slowest possible interval (as the BSDs do). */
#define CARP_BOWOUT_ADVBASE	255
#define CARP_BOWOUT_ADVSKEW	255

/* Decision on a valid advertisement from another host (pure: state.c). */
enum carp_verdict {
	CARP_V_NONE,		/* nothing to do */
	CARP_V_STEP_DOWN,	/* MASTER -> BACKUP: a more frequent master */
	CARP_V_PREEMPT,		/* BACKUP -> MASTER: preempting a slower one */
	CARP_V_STALE,		/* BACKUP -> MASTER: that master will time out */
	CARP_V_WAIT,		/* BACKUP: master alive, restart the timer */
};

/* One vhid and its advskew, as configured (carpnodes VHID:ADVSKEW). */
struct carp_node {
	u8 vhid;
	u8 advskew;
};

/* The vhids of a device and how they share the traffic. */
struct carp_nodes {
	unsigned int n;
	u8 balancing;			/* enum carp_balancing */
	struct carp_node node[CARP_NODES_MAX];
};

/*
 * A configuration request (NEW or SET): each field, or "unchanged"
 * (-1, or keylen -1, or !set_peer / !set_peer6). @nnodes >= 0: carpnodes
 * (@node, never together with @vhid or @advskew). @peers holds the peer
 * lists the request sets (the IPv4 one if @set_peer, the IPv6 one if
 * @set_peer6), NULL if neither; the request owns it and frees it.
 */
struct carp_config {
	int vhid;
	int advbase;
	int advskew;
	int nnodes;
	struct carp_node node[CARP_NODES_MAX];
	int balancing;
	const u8 *key;
	int keylen;
	bool set_peer;
	bool set_peer6;
	struct carp_peers *peers;
	int lladdr;			/* enum carp_lladdr, -1: unchanged */
	int version;			/* CARP_PROTO_*, -1: not given */
	int vrrp_prio;
	int vrrp_interval;
	int vrrp_preempt;
	int vrrp_family;		/* CARP_VRRP_FAMILY_*, at creation */
	int vrrp_accept;
};

/* Does @carp speak VRRPv3 rather than CARP? Fixed for its lifetime. */
static inline bool carp_is_vrrp(const struct carp_dev *carp)
{
	return carp->version == CARP_PROTO_VRRP;
}

/* Is @carp a VRRPv3 virtual router of IPv6? Fixed for its lifetime. */
static inline bool carp_is_vrrp6(const struct carp_dev *carp)
{
	return carp_is_vrrp(carp) && carp->vrrp_family == CARP_VRRP_FAMILY_INET6;
}

/* main.c */
extern unsigned int carp_net_id;

/* The carp state of @net: NULL before our pernet init has run for it. */
static inline struct carp_net *carp_pernet(const struct net *net)
{
	return net_generic(net, carp_net_id);
}

/* device.c */
extern struct rtnl_link_ops carp_link_ops;
void carp_net_rerun(struct carp_net *cn, bool advertise);
int carp_demote_adjust(struct carp_net *cn, int delta);
void carp_net_demote_update(struct carp_net *cn);

/* demotion.c */
void carp_demotion_net_init(struct carp_net *cn);
void carp_demotion_net_exit(struct carp_net *cn);
int carp_hold_take(struct carp_net *cn, const char *name, u8 demote,
		   u32 portid, struct netlink_ext_ack *extack);
int carp_hold_del(struct carp_net *cn, const char *name,
		  struct netlink_ext_ack *extack);
int carp_track_add(struct net *net, int ifindex, u8 demote,
		   struct netlink_ext_ack *extack);
int carp_track_del(struct carp_net *cn, int ifindex,
		   struct netlink_ext_ack *extack);
void carp_track_event(struct net_device *dev, unsigned long event);
int carp_demotion_register(void);
void carp_demotion_unregister(void);
int carp_nodes_resolve(const struct carp_config *cfg,
		       const struct carp_vhosts *cur, u8 cur_balancing,
		       struct carp_nodes *out, struct netlink_ext_ack *extack);
int carp_lladdr_resolve(const struct carp_config *cfg, u8 cur_lladdr,
			const struct carp_nodes *nodes,
			struct netlink_ext_ack *extack);
struct carp_dev *carp_dev_get(struct net *net, int ifindex, const char *name,
			      struct netlink_ext_ack *extack);
int carp_dev_new(struct net_device *dev, struct net_device *parent,
		 const struct carp_config *cfg, struct netlink_ext_ack *extack);
int carp_dev_create(struct net *net, const char *name,
		    struct net_device *parent, const struct carp_config *cfg,
		    struct netlink_ext_ack *extack);
int carp_dev_configure(struct carp_dev *carp, const struct carp_config *cfg,
		       struct netlink_ext_ack *extack);
int carp_netdev_event(struct notifier_block *nb, unsigned long event,
		      void *ptr);
int carp_inetaddr_event(struct notifier_block *nb, unsigned long event,
			void *ptr);
int carp_inet6addr_event(struct notifier_block *nb, unsigned long event,
			 void *ptr);
void carp_port_destroy_all(struct net *net, struct list_head *kill);
struct carp_port *carp_port_of(struct net *net, const struct net_device *parent);

/* proto.c */
bool carp_neigh_mac(struct neigh_table *tbl, struct net_device *dev,
		    const void *key, u8 *mac);
void carp_vips_sort(struct carp_vips *vips);
struct crypto_shash *carp_key_tfm(const u8 *key, unsigned int keylen);
int carp_hmac(struct carp_dev *carp, const struct carp_vips *vips,
	      const struct carp_vips6 *vips6, u8 vhid,
	      const __be32 counter[2], u8 *md);
struct sk_buff *carp_build_advert(struct carp_vhost *vh, bool bow_out);
void carp_send_adverts(struct sk_buff *skb);
void carp_send_garp(struct carp_dev *carp);
void carp_announce(struct carp_dev *carp, bool new_mac);
void carp_announce_timeout(struct timer_list *t);
void carp_announce_stop(struct carp_dev *carp);
unsigned int carp_rcv_v4(struct carp_port *port, struct sk_buff *skb);
struct carp_dev *carp_port_vip_owner(struct carp_port *port, __be32 addr);
__be32 carp_parent_addr(const struct net_device *parent);
bool carp_parent_has_addr(const struct net_device *parent, __be32 addr);
unsigned int carp_ingress4(struct carp_port *port, struct sk_buff *skb);
void carp_ingress_arp(struct carp_port *port, struct sk_buff *skb);
void carp_rx_copy(struct carp_dev *carp, struct sk_buff *skb);
void carp_rx_on(struct carp_dev *carp, struct sk_buff *skb);

/* Where a received advertisement came from (proto.c, proto6.c). */
struct carp_rx {
	bool v6;
	u8 ttl;			/* TTL or hop limit */
	unsigned int off;	/* of the CARP header from skb->data */
	unsigned int plen;	/* CARP payload length the IP header claims */
	union {
		__be32 v4;
		struct in6_addr v6;
	} src, dst;
};

struct carp_vhost *carp_rcv_vhost(struct carp_net *cn, struct carp_port *port,
				  const struct carp_header *ch, bool v6);
unsigned int carp_rcv_discard(struct carp_vhost *vh, struct sk_buff *skb,
			      const struct carp_rx *rx, enum carp_stat why)
	__releases(&vh->carp->lock);
unsigned int carp_rcv_common(struct carp_port *port, struct carp_vhost *vh,
			     struct sk_buff *skb, const struct carp_rx *rx);
void carp_log_drop(struct carp_vhost *vh, const struct carp_rx *rx,
		   enum carp_stat why);

/* proto6.c */
extern const struct in6_addr carp_group_v6;
void carp_vips6_sort(struct carp_vips6 *vips6);
struct sk_buff *carp_alloc_advert(struct carp_vhost *vh, bool bow_out,
				  unsigned int nhlen);
struct sk_buff *carp_build_advert6(struct carp_vhost *vh, bool bow_out);
void carp_send_una6(struct carp_dev *carp, struct net_device *parent);
void carp_mc6_snma(struct net_device *parent, const struct in6_addr *addr,
		   bool add);
void carp_mc6_attach(struct carp_dev *carp, struct net_device *parent);
unsigned int carp_rcv_v6(struct carp_port *port, struct sk_buff *skb);
unsigned int carp_ingress6(struct carp_port *port, struct sk_buff *skb);
unsigned int carp_egress6(struct carp_port *port, struct sk_buff *skb);
bool carp_parent_has_addr6(const struct net_device *parent,
			   const struct in6_addr *addr);
bool carp_parent_lladdr(struct net_device *parent, struct in6_addr *addr);

/* state.c */
enum carp_verdict carp_decide(enum carp_state state,
			      const struct carp_prio *ours,
			      const struct carp_prio *theirs, bool preempt);
void carp_prio_own(const struct carp_vhost *vh, struct carp_prio *prio);
u32 carp_ads_rate(u8 advbase, u8 advskew);
int carp_interval_check(u8 advbase, const struct carp_nodes *nodes,
			u64 others, struct netlink_ext_ack *extack);
const char *carp_state_name(enum carp_state state);
unsigned int carp_setrun(struct carp_vhost *vh);
unsigned int carp_set_init(struct carp_vhost *vh, enum carp_reason why,
			   const char *reason);
unsigned int carp_force_state(struct carp_vhost *vh, enum carp_state state);
bool carp_preempt_delay_over(u64 now, u64 joined, unsigned int delay);
unsigned int carp_advert_received(struct carp_vhost *vh,
				  const struct carp_prio *theirs);
unsigned int vrrp_advert_received(struct carp_vhost *vh,
				  struct vrrp_prio *ours,
				  const struct vrrp_prio *theirs, u16 interval);
unsigned int carp_conflict_step(struct carp_conflict *c, u64 now,
				const struct carp_prio *theirs, u64 *ms);
void carp_do_tx(struct carp_vhost *vh, unsigned int tx);
void carp_setrun_all(struct carp_dev *carp, bool advertise);
void carp_set_init_all(struct carp_dev *carp, enum carp_reason why,
		       const char *reason);
void carp_force_state_all(struct carp_dev *carp, enum carp_state state);
struct carp_vhosts *carp_vhosts_alloc(struct carp_dev *carp,
				      const struct carp_nodes *nodes);
void carp_timers_stop(struct carp_dev *carp);
bool carp_can_run(const struct carp_dev *carp);

/* vrrp.c */
u32 vrrp_skew_cs(u8 prio, u16 master_int);
u32 vrrp_master_down_cs(u8 prio, u16 master_int);
enum vrrp_verdict vrrp_decide(enum carp_state state,
			      const struct vrrp_prio *ours,
			      const struct vrrp_prio *theirs, bool preempt);
__sum16 vrrp_csum4(const struct vrrp_header *vh, unsigned int len,
		   __be32 saddr, __be32 daddr);
__sum16 vrrp_csum6(const struct vrrp_header *vh, unsigned int len,
		   const struct in6_addr *saddr, const struct in6_addr *daddr);
enum carp_stat vrrp_check(const struct vrrp_header *vh, unsigned int len,
			  bool v6);
u32 vrrp_ads_rate(u16 interval);
int vrrp_interval_check(u16 interval, u64 others,
			struct netlink_ext_ack *extack);
u8 vrrp_prio_own(const struct carp_vhost *vh);
bool vrrp_refuses(const struct carp_dev *carp);
int vrrp_config_check(const struct carp_config *cfg, bool vrrp,
		      struct netlink_ext_ack *extack);

/* vrrp_io.c */
unsigned int vrrp_naddrs(unsigned int n);
void vrrp_fill(struct carp_vhost *vh, bool bow_out,
	       const struct carp_vips *vips, const struct carp_vips6 *vips6,
	       struct vrrp_header *h, unsigned int n);
unsigned int vrrp_rcv(struct carp_port *port, struct carp_vhost *vh,
		      struct sk_buff *skb, const struct carp_rx *rx);

/* balance.c */
u32 carp_fold4(__be32 a, __be32 b);
u32 carp_fold6(const struct in6_addr *a, const struct in6_addr *b);
unsigned int carp_flow_node(u32 fold, unsigned int n);
bool carp_flow_ours(const struct carp_dev *carp, u32 fold);
bool carp_arp_balanced(const struct carp_dev *carp);
u64 carp_arp_key(const u8 *key, unsigned int keylen);
u32 carp_arp_hash(u64 arp_key, const u8 *mac);
unsigned int carp_arp_node(u64 arp_key, const u8 *mac, unsigned int n);
const struct carp_vhost *carp_arp_vhost(const struct carp_dev *carp,
					const u8 *mac);
const struct carp_vhost *carp_vmac_vhost(const struct carp_dev *carp,
					 const u8 *mac);
bool carp_vmac_frame_ours(const struct carp_vhost *vh, struct sk_buff *skb);
bool carp_leads(const struct carp_dev *carp);
bool carp_frame_ours(const struct carp_dev *carp, struct sk_buff *skb);
bool carp_xmit_ours(const struct carp_dev *carp, struct sk_buff *skb);
bool carp_frame_unicast(struct sk_buff *skb);
bool carp_hides_vmac(const struct carp_dev *carp);
bool carp_real_mac(const struct carp_dev *carp);
const u8 *carp_lladdr_of(const struct carp_dev *carp,
			 const struct net_device *parent);
void carp_dev_mac(u8 *mac, u8 balancing, u8 lladdr, u8 vhid, bool vrrp6,
		  const struct net_device *parent);
void carp_advert_smac(const struct carp_vhost *vh,
		      const struct net_device *parent, u8 *mac);
int carp_mac_filter_add(struct net_device *parent, const u8 *mac);
void carp_mac_filter_del(struct net_device *parent, const u8 *mac);

/* peers.c */
bool carp_peer_unicast(__be32 addr);
bool carp_peer6_unicast(const struct in6_addr *addr);
bool carp_peers_has(const struct carp_peers *peers, __be32 addr);
bool carp_peers_has6(const struct carp_peers *peers,
		     const struct in6_addr *addr);
int carp_peers_add(struct carp_peers *peers, __be32 addr);
int carp_peers_add6(struct carp_peers *peers, const struct in6_addr *addr);
struct carp_peers *carp_peers_merge(const struct carp_config *cfg,
				    const struct carp_peers *cur);

/* replay.c */
bool carp_replay_check(const struct carp_replay *r, u64 counter);
void carp_replay_accept(struct carp_replay *r, u64 counter, unsigned long now);

/* netfilter.c */
int carp_port_hook(struct net *net, struct carp_port *port);
void carp_port_unhook(struct net *net, struct carp_port *port);
int carp_arp_hooks_register(struct net *net);
void carp_arp_hooks_unregister(struct net *net);

/* netlink.c */
int carp_genl_init(void);
void carp_genl_exit(void);
void carp_nl_notify_state(struct carp_vhost *vh, enum carp_state old,
			  enum carp_state state, enum carp_reason why,
			  const char *reason);
void carp_nl_notify_conflict(struct carp_vhost *vh, const struct carp_rx *rx,
			     const struct carp_prio *theirs);
extern const struct nla_policy carp_node_req_policy[CARP_NODE_A_MAX + 1];
extern const struct nla_policy carp_peers_policy[CARP_A_PEER_ADDR + 1];
extern const struct nla_policy carp_peers6_policy[CARP_A_PEER_ADDR6 + 1];
int carp_nl_config(struct nlattr **attrs, struct carp_config *cfg,
		   struct netlink_ext_ack *extack);
int carp_nl_config_new(struct nlattr **attrs, struct carp_config *cfg,
		       struct netlink_ext_ack *extack);
int carp_nl_put_peers(struct sk_buff *skb, const struct carp_peers *peers,
		      int type, int type6);

/* link.c */
extern const struct nla_policy carp_link_policy[IFLA_CARP_MAX + 1];
int carp_newlink(struct net *src_net, struct net_device *dev,
		 struct nlattr *tb[], struct nlattr *data[],
		 struct netlink_ext_ack *extack);
int carp_changelink(struct net_device *dev, struct nlattr *tb[],
		    struct nlattr *data[], struct netlink_ext_ack *extack);
size_t carp_link_get_size(const struct net_device *dev);
int carp_link_fill_info(struct sk_buff *skb, const struct net_device *dev);

#ifdef DEBUG
bool carp_selftest(void);
#else
static inline bool carp_selftest(void)
{
	return true;
}
#endif

static inline void carp_stat_inc(struct carp_dev *carp, enum carp_stat stat)
{
	carp->stats[stat]++;	/* carp->lock held */
	atomic64_inc(&carp->cn->stats[stat]);
}

static inline void carp_stat_add(struct carp_dev *carp, enum carp_stat stat,
				 u64 n)
{
	carp->stats[stat] += n;	/* carp->lock held */
	atomic64_add(n, &carp->cn->stats[stat]);
}

static inline void carp_net_stat_inc(struct carp_net *cn, enum carp_stat stat)
{
	atomic64_inc(&cn->stats[stat]);
}

#endif /* _CARP_H */
