/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * carp: Common Address Redundancy Protocol for Linux.
 *
 * Generic netlink ABI, shared by carp.ko and carpctl.
 *
 * Family "carp", version 1. Every request names one carp device by
 * CARP_A_IFINDEX or CARP_A_IFNAME (in the caller's network namespace).
 *
 * CARP_CMD_GET_DEVICE   doit: one device; dumpit: every carp device in the
 *                       caller's netns. Anyone may read. CARP_A_KEY is never
 *                       returned; CARP_A_HAS_KEY says whether one is set.
 * CARP_CMD_NEW_DEVICE   create a carp device (CAP_NET_ADMIN in the netns):
 *                       CARP_A_IFNAME and CARP_A_LINK (parent ifindex) and
 *                       CARP_A_VHID (or CARP_A_NODES) are required;
 *                       CARP_A_ADVBASE (default 1),
 *                       CARP_A_ADVSKEW (default 0), CARP_A_KEY (default:
 *                       empty key), CARP_A_PEER or CARP_A_PEERS,
 *                       CARP_A_PEER6 or CARP_A_PEERS6 (default:
 *                       multicast) and
 *                       CARP_A_LLADDR (default: CARP_LLADDR_VIRTUAL) are
 *                       optional. The device is created down;
 *                       bring it up (rtnetlink) once its addresses are set.
 * CARP_CMD_SET_DEVICE   change any of CARP_A_VHID, CARP_A_ADVBASE,
 *                       CARP_A_ADVSKEW, CARP_A_KEY, CARP_A_PEER(S),
 *                       CARP_A_PEER(S)6,
 *                       CARP_A_LLADDR of an existing device.
 *                       Either every change applies or none does.
 *                       CARP_A_STATE (CARP_STATE_MASTER or _BACKUP) forces
 *                       that state now, as FreeBSD's `ifconfig carp0 state`;
 *                       the protocol runs on from there (a better master
 *                       still wins, a BACKUP takes over if no master speaks).
 *                       CARP_A_NODES and CARP_A_BALANCING: see below.
 * CARP_CMD_DEL_DEVICE   delete a carp device.
 * (VRRPv3)              CARP_A_VERSION 3 in NEW_DEVICE makes a device that
 *                       speaks VRRPv3 (RFC 5798) instead of CARP; it is
 *                       fixed at creation (SET refuses another). Such a
 *                       device takes CARP_A_VRRP_PRIO (default 100),
 *                       CARP_A_VRRP_INTERVAL (default 100 cs) and
 *                       CARP_A_VRRP_PREEMPT (default 1),
 *                       CARP_A_VRRP_ACCEPT (default 0) and, at creation,
 *                       CARP_A_VRRP_FAMILY (default 4), and none of
 *                       CARP_A_ADVBASE, CARP_A_ADVSKEW, CARP_A_KEY (VRRPv3
 *                       has no authentication), CARP_A_NODES or the peer
 *                       lists; a CARP device takes none of the VRRP ones.
 *                       RFC 5798 runs IPv4 and IPv6 as separate virtual
 *                       routers (each family its own virtual MAC): a
 *                       VRRPv3 device advertises the addresses of its
 *                       family only, and one of each family may share a
 *                       VRID on a parent.
 * CARP_CMD_GET_NET      the namespace as a whole (doit): CARP_A_DEMOTION (the
 *                       administrative demotion, = sysctl net.carp.demotion),
 *                       CARP_A_DEMOTE (what is advertised: administrative
 *                       plus link losses, 0..255) and CARP_A_STATS (the
 *                       namespace's counters, including those no device
 *                       sees: CARP_STAT_BADVHID, CARP_STAT_BADIF).
 * CARP_CMD_SET_NET      CARP_A_DEMOTE_ADJ (s32) adds to the administrative
 *                       demotion, which stays within 0..255
 *                       (CAP_NET_ADMIN in the netns).
 * CARP_CMD_STATE_NOTIFY never requested: multicast to the group
 *                       CARP_GENL_MCGRP_MONITOR of the device's netns on
 *                       every state change of a carp device, in the order
 *                       they happen: CARP_A_IFINDEX, CARP_A_IFNAME,
 *                       CARP_A_VHID, CARP_A_OLD_STATE, CARP_A_STATE (the
 *                       new one), CARP_A_REASON (enum carp_reason),
 *                       CARP_A_LAST_REASON (the same in words) and
 *                       CARP_A_TIME. Anyone may subscribe (as anyone may
 *                       read the state with CARP_CMD_GET_DEVICE).
 * CARP_CMD_NEW_HOLD     a demotion this socket holds off (CAP_NET_ADMIN in
 *                       the netns): CARP_A_HOLD_NAME and CARP_A_DEMOTE_BY.
 *                       When the socket that took it closes, whatever the
 *                       cause, the hold fires: its demotion counts until it
 *                       is taken again (by any socket) or deleted. A hold
 *                       held by another open socket: EBUSY. At most
 *                       CARP_HOLDS_MAX per netns.
 * CARP_CMD_DEL_HOLD     delete the hold CARP_A_HOLD_NAME (and its demotion).
 * CARP_CMD_NEW_TRACK    demote by CARP_A_DEMOTE_BY while the interface
 *                       CARP_A_LINK (an ifindex of the netns, not a carp
 *                       device) is down or has no carrier; again: a new
 *                       demotion. At most CARP_TRACKS_MAX per netns. An
 *                       interface that leaves the netns is no longer
 *                       tracked.
 * CARP_CMD_DEL_TRACK    stop tracking CARP_A_LINK.
 *                       CARP_CMD_GET_NET reports both in CARP_A_HOLDS and
 *                       CARP_A_TRACKS; the demotion they add is part of
 *                       CARP_A_DEMOTE.
 * CARP_CMD_CONFLICT_NOTIFY never requested: multicast to the same group
 *                       when a MASTER hears another MASTER of its vhid
 *                       that is worse than itself (a split brain healing:
 *                       it stays MASTER, advertises at once and announces
 *                       its addresses again), once per conflict:
 *                       CARP_A_IFINDEX, CARP_A_IFNAME, CARP_A_VHID,
 *                       CARP_A_OTHER (the other master's address, 4 or 16
 *                       bytes), its CARP_A_ADVBASE, CARP_A_ADVSKEW and
 *                       CARP_A_DEMOTE as it advertised them, and
 *                       CARP_A_TIME. CARP_STAT_CONFLICTS counts them.
 *
 * The virtual addresses are the IPv4 and IPv6 addresses of the carp device
 * itself, IPv6 link-local ones included (the device makes no link-local
 * address of its own), managed with rtnetlink exactly as for any
 * interface (carpctl adds them with IFA_F_NOPREFIXROUTE so the subnet
 * route stays on the parent).
 * GET_DEVICE reports them in CARP_A_ADDRS.
 *
 * Load balancing (OpenBSD's carpnodes and balancing): a device may carry up
 * to CARP_NODES_MAX vhids, each with its own advskew and its own election
 * (CARP_A_NODES: a nest of CARP_A_NODE nests of enum carp_node_attr; set
 * instead of CARP_A_VHID and CARP_A_ADVSKEW, never with them). They are
 * kept sorted by vhid; the first one leads: it names the virtual MAC and
 * its MASTER answers ARP and neighbour solicitations. With two or more
 * nodes CARP_A_BALANCING (enum carp_balancing, default CARP_BAL_IP) says
 * how every host receives the traffic, and each host accepts a flow only
 * if it is MASTER of node number ntohl(src ^ dst) % n (IPv6: the four
 * 32-bit words of both addresses folded by XOR), as OpenBSD does. With
 * CARP_BAL_ARP instead, node number carp_hash(MAC) % n answers an ARP
 * request or neighbour solicitation: OpenBSD's hash of the requester's MAC
 * (ARP sender hardware address, source link-layer address option) keyed
 * by the password (CARP_A_KEY, or the empty one), from its MASTER only,
 * with its own MAC 00:00:5e:00:01:<vhid>; a frame to that MAC is taken by
 * that node's MASTER. A device's CARP_A_VHID, CARP_A_ADVSKEW are its first
 * node's; its CARP_A_STATE is MASTER if it is MASTER of any node, else
 * BACKUP if any node is BACKUP, else INIT.
 *
 * Unicast peers (networks without multicast, such as clouds): instead of
 * 224.0.0.18 and ff02::12, a MASTER sends each advertisement to every
 * unicast peer of its family (the same advertisement, HMAC and counter, to
 * each), and a BACKUP accepts advertisements of that family only from a
 * listed peer. Each family has its own list, multicast while it is empty;
 * a device has at most CARP_PEERS_MAX peers of both families together.
 * CARP_A_PEER (CARP_A_PEER6) sets a list of one address, or empties it
 * with 0.0.0.0 (::); CARP_A_PEERS (CARP_A_PEERS6) sets the whole list, a
 * nest of CARP_A_PEER_ADDR (CARP_A_PEER_ADDR6) in the order given, which
 * an empty nest empties. A request gives one or the other form for a
 * family, never both; an address that is not unicast (the table of
 * carpctl(8), ADDRESSES) or is given twice is refused. GET_DEVICE
 * reports each non-empty list in both forms: CARP_A_PEER (CARP_A_PEER6)
 * is its first address.
 *
 * Every rejected request carries an extended ack message.
 *
 * A request carries only the attributes its command takes (listed
 * above; see Documentation/netlink.rst). Those marked "get" below, and the
 * notification's, only the kernel sends: in any request (CARP_A_STATE: in
 * any but CARP_CMD_SET_DEVICE; in a CARP_A_NODE: all but the vhid and
 * advskew) they are refused with EINVAL and a message naming them. The
 * genetlink header of every command is checked strictly (reserved 0;
 * nlmsg_flags REQUEST, ACK, ECHO and DUMP only).
 */
#ifndef _UAPI_LINUX_CARP_H
#define _UAPI_LINUX_CARP_H

#define CARP_GENL_NAME		"carp"
#define CARP_GENL_VERSION	1
#define CARP_GENL_MCGRP_MONITOR	"monitor"	/* state changes */

#define CARP_KEY_LEN		20	/* bytes: longest password the wire allows */
#define CARP_VHID_MIN		1
#define CARP_VHID_MAX		255
#define CARP_ADVBASE_MIN	0	/* 0: the interval is advskew/256 s alone */
#define CARP_ADVBASE_MAX	255
#define CARP_ADVSKEW_MAX	254	/* 255 is reserved for a bow-out */
#define CARP_NODES_MAX		32	/* vhids of one device (OpenBSD's too) */
#define CARP_PEERS_MAX		32	/* unicast peers of one device, both families */
#define CARP_HOLD_NAME_LEN	32	/* bytes of a hold's name, with its NUL */
#define CARP_HOLDS_MAX		64	/* holds of one netns */
#define CARP_TRACKS_MAX		64	/* tracked interfaces of one netns */

/* CARP_A_VERSION: the protocol a device speaks, its version field. */
#define CARP_PROTO_CARP		2	/* CARP (default) */
#define CARP_PROTO_VRRP		3	/* VRRPv3, RFC 5798 */
#define CARP_VRRP_PRIO_MIN	1
#define CARP_VRRP_PRIO_MAX	255	/* the addresses' owner only */
#define CARP_VRRP_PRIO_DEFAULT	100	/* RFC 5798's, keepalived's */
#define CARP_VRRP_INTERVAL_MIN	1	/* cs */
#define CARP_VRRP_INTERVAL_MAX	4095	/* cs: 12 bits on the wire */
#define CARP_VRRP_INTERVAL_DEFAULT 100	/* cs: RFC 5798's 1 s */
/* CARP_A_VRRP_FAMILY: the address family of a VRRPv3 virtual router. */
#define CARP_VRRP_FAMILY_INET	4	/* MAC 00:00:5e:00:01:VRID */
#define CARP_VRRP_FAMILY_INET6	6	/* MAC 00:00:5e:00:02:VRID */

enum carp_cmd {
	CARP_CMD_UNSPEC,
	CARP_CMD_GET_DEVICE,
	CARP_CMD_NEW_DEVICE,
	CARP_CMD_SET_DEVICE,
	CARP_CMD_DEL_DEVICE,
	CARP_CMD_GET_NET,
	CARP_CMD_SET_NET,
	CARP_CMD_STATE_NOTIFY,	/* multicast only: a state change */
	CARP_CMD_CONFLICT_NOTIFY, /* multicast only: a worse master heard */
	CARP_CMD_NEW_HOLD,
	CARP_CMD_DEL_HOLD,
	CARP_CMD_NEW_TRACK,
	CARP_CMD_DEL_TRACK,
	__CARP_CMD_MAX
};

#define CARP_CMD_MAX (__CARP_CMD_MAX - 1)

enum carp_state {
	CARP_STATE_INIT,
	CARP_STATE_BACKUP,
	CARP_STATE_MASTER,
};

/*
 * Why a state changed (CARP_A_REASON): the kind of each reason that
 * CARP_A_LAST_REASON gives in words.
 */
enum carp_reason {
	CARP_REASON_UNSPEC,
	CARP_REASON_MASTER_DOWN,	/* BACKUP -> MASTER: the master timed
					 * out, or bowed out
					 */
	CARP_REASON_PREEMPT,		/* BACKUP -> MASTER: preempting a worse
					 * master (net.carp.preempt)
					 */
	CARP_REASON_PREEMPTED,		/* MASTER -> BACKUP: a better master */
	CARP_REASON_DEMOTED,		/* MASTER -> BACKUP: the other master is
					 * better only because of our demotion
					 */
	CARP_REASON_ADMIN,		/* forced by admin (state master|backup) */
	CARP_REASON_LINK_UP,		/* INIT -> BACKUP: the device, its parent
					 * and the parent's link are up (->
					 * MASTER: a VRRPv3 address owner)
					 */
	CARP_REASON_LINK_DOWN,		/* -> INIT: the parent or its link went
					 * down
					 */
	CARP_REASON_DEVICE_DOWN,	/* -> INIT: the carp device was set down
					 * or is being removed
					 */
	CARP_REASON_CONFIG,		/* -> INIT: vhid changed, net.carp.allow
					 * is 0
					 */
};

/* How the hosts of a load-balanced group receive its traffic. */
enum carp_balancing {
	CARP_BAL_NONE,		/* one vhid: its MASTER takes everything */
	CARP_BAL_IP,		/* multicast virtual MAC 01:00:5e:00:01:<vhid>:
				 * switches flood it to every host
				 */
	CARP_BAL_IP_STEALTH,	/* unicast virtual MAC, never a source
				 * address: switches never learn it and flood
				 */
	CARP_BAL_IP_UNICAST,	/* unicast virtual MAC: the network must
				 * deliver it to every host (a hub, or ports
				 * that do not learn)
				 */
	CARP_BAL_ARP,		/* each ARP request (neighbour solicitation)
				 * is answered by one vhid, chosen by
				 * OpenBSD's hash of the requester's MAC
				 * keyed by the password, with that vhid's own
				 * unicast virtual MAC, by its MASTER only:
				 * switches learn each vhid's MAC at its
				 * MASTER's port and flood nothing
				 */
	__CARP_BAL_MAX
};

#define CARP_BAL_MAX (__CARP_BAL_MAX - 1)

/*
 * Which MAC a carp device uses (CARP_A_LLADDR, OpenBSD's `ifconfig carp0
 * lladdr`): the virtual MAC of its vhid, or its parent's own MAC, for
 * networks that drop frames from a MAC the port does not own (VMware's
 * "Forged Transmits: Reject", most clouds). With the parent's MAC no frame
 * carries a virtual MAC, the device's MAC follows the parent's, and the
 * neighbours must learn a new MAC on every takeover: a new MASTER
 * announces its addresses net.carp.garp_repeat times. A single vhid only
 * (balancing none): every balancing mode needs a MAC that all hosts
 * receive.
 */
enum carp_lladdr {
	CARP_LLADDR_VIRTUAL,	/* 00:00:5e:00:01:<vhid> (default) */
	CARP_LLADDR_PARENT,	/* the parent's MAC */
	__CARP_LLADDR_MAX
};

#define CARP_LLADDR_MAX (__CARP_LLADDR_MAX - 1)

enum carp_attr {
	CARP_A_UNSPEC,
	CARP_A_IFINDEX,		/* u32 */
	CARP_A_IFNAME,		/* string, < IFNAMSIZ */
	CARP_A_LINK,		/* u32: ifindex of the parent device */
	CARP_A_VHID,		/* u8: 1..255 */
	CARP_A_ADVBASE,		/* u8: seconds, 0..255 (0: advskew >= 1) */
	CARP_A_ADVSKEW,		/* u8: 1/256 s, 0..254 */
	CARP_A_KEY,		/* binary, 0..CARP_KEY_LEN bytes; write-only */
	CARP_A_HAS_KEY,		/* flag (get): a non-empty key is set */
	CARP_A_STATE,		/* u8: enum carp_state (get; set: forced) */
	CARP_A_ADDRS,		/* nest of CARP_A_ADDR (get) */
	CARP_A_STATS,		/* nest of enum carp_stat, each u64 (get) */
	CARP_A_VMAC,		/* binary, 6 bytes: the device's MAC (get):
				 * the virtual MAC, or the parent's with
				 * CARP_LLADDR_PARENT
				 */
	CARP_A_PAD,
	CARP_A_DEMOTE,		/* u8 (get): demotion advertised, 0..255 */
	CARP_A_DEMOTION,	/* u32 (get net): administrative demotion */
	CARP_A_DEMOTE_ADJ,	/* s32 (set net): add to the administrative one */
	CARP_A_LAST_CHANGE,	/* u64 (get): ms since the last state change */
	CARP_A_LAST_REASON,	/* string (get): why it changed */
	CARP_A_PEER,		/* binary, 4 bytes: IPv4 unicast peer;
				 * 0.0.0.0 (set): back to multicast
				 */
	CARP_A_PEER6,		/* binary, 16 bytes: IPv6 unicast peer;
				 * :: (set): back to multicast
				 */

	/* State changes (CARP_CMD_STATE_NOTIFY; CARP_A_REASON also get). */
	CARP_A_OLD_STATE,	/* u8: enum carp_state before the change */
	CARP_A_REASON,		/* u8: enum carp_reason of the last change */
	CARP_A_TIME,		/* u64: when, ns since the epoch (realtime) */

	/* Load balancing (see above). */
	CARP_A_NODES,		/* nest of CARP_A_NODE */
	CARP_A_BALANCING,	/* u8: enum carp_balancing */
	/* Conflicts (CARP_CMD_CONFLICT_NOTIFY). */
	CARP_A_OTHER,		/* binary, 4 or 16 bytes: the other master */
	/* Holds and tracked interfaces. */
	CARP_A_HOLD_NAME,	/* string, < CARP_HOLD_NAME_LEN */
	CARP_A_DEMOTE_BY,	/* u8: 1..255, what a hold or a track adds */
	CARP_A_HOLDS,		/* nest of CARP_A_HOLD (get net) */
	CARP_A_TRACKS,		/* nest of CARP_A_TRACK (get net) */
	/* Hypervisors that reject forged source MACs (see below). */
	CARP_A_LLADDR,		/* u8: enum carp_lladdr */
	/* Lists of unicast peers (see below). */
	CARP_A_PEERS,		/* nest of CARP_A_PEER_ADDR */
	CARP_A_PEERS6,		/* nest of CARP_A_PEER_ADDR6 */
	/* VRRPv3 (see above). */
	CARP_A_VERSION,		/* u8: CARP_PROTO_CARP or CARP_PROTO_VRRP */
	CARP_A_VRRP_PRIO,	/* u8: 1..255 (255: the addresses' owner) */
	CARP_A_VRRP_INTERVAL,	/* u16: advertisement interval, 1..4095 cs */
	CARP_A_VRRP_PREEMPT,	/* u8: 0 or 1, RFC 5798's Preempt_Mode */
	CARP_A_VRRP_MASTER_INTERVAL,	/* u16 (get): the master's interval
					 * as a BACKUP learned it, cs
					 */
	CARP_A_VRRP_FAMILY,	/* u8: CARP_VRRP_FAMILY_*, at creation */
	CARP_A_VRRP_ACCEPT,	/* u8: 0 or 1, RFC 5798's Accept_Mode */
	__CARP_A_MAX
};

#define CARP_A_MAX (__CARP_A_MAX - 1)

/* Inside CARP_A_ADDRS: each CARP_A_ADDR is a nest of these. */
#define CARP_A_ADDR 1
enum carp_addr_attr {
	CARP_ADDR_A_UNSPEC,
	CARP_ADDR_A_FAMILY,	/* u16: AF_INET or AF_INET6 */
	CARP_ADDR_A_ADDR,	/* binary: 4 (AF_INET) or 16 bytes, network order */
	CARP_ADDR_A_PREFIXLEN,	/* u8 */
	__CARP_ADDR_A_MAX
};

#define CARP_ADDR_A_MAX (__CARP_ADDR_A_MAX - 1)

/* Inside CARP_A_PEERS: each CARP_A_PEER_ADDR is 4 bytes, an IPv4 address. */
#define CARP_A_PEER_ADDR 1
/* Inside CARP_A_PEERS6: each CARP_A_PEER_ADDR6 is 16 bytes, an IPv6 address. */
#define CARP_A_PEER_ADDR6 1

/* Inside CARP_A_NODES: each CARP_A_NODE is a nest of these. */
#define CARP_A_NODE 1
enum carp_node_attr {
	CARP_NODE_A_UNSPEC,
	CARP_NODE_A_VHID,	/* u8: 1..255 */
	CARP_NODE_A_ADVSKEW,	/* u8: 0..254 */
	CARP_NODE_A_STATE,	/* u8 (get): enum carp_state of this vhid */
	CARP_NODE_A_LAST_CHANGE, /* u64 (get): ms since its last change */
	CARP_NODE_A_REASON,	/* u8 (get): enum carp_reason of that change */
	CARP_NODE_A_LAST_REASON, /* string (get): the same in words */
	CARP_NODE_A_PAD,
	__CARP_NODE_A_MAX
};

#define CARP_NODE_A_MAX (__CARP_NODE_A_MAX - 1)

/* Inside CARP_A_HOLDS: each CARP_A_HOLD is a nest of these. */
#define CARP_A_HOLD 1
enum carp_hold_attr {
	CARP_HOLD_A_UNSPEC,
	CARP_HOLD_A_NAME,	/* string */
	CARP_HOLD_A_DEMOTE,	/* u8: what it adds once fired */
	CARP_HOLD_A_FIRED,	/* flag: its socket closed, it counts */
	__CARP_HOLD_A_MAX
};

#define CARP_HOLD_A_MAX (__CARP_HOLD_A_MAX - 1)

/* Inside CARP_A_TRACKS: each CARP_A_TRACK is a nest of these. */
#define CARP_A_TRACK 1
enum carp_track_attr {
	CARP_TRACK_A_UNSPEC,
	CARP_TRACK_A_IFINDEX,	/* u32 */
	CARP_TRACK_A_IFNAME,	/* string */
	CARP_TRACK_A_DEMOTE,	/* u8: what it adds while down */
	CARP_TRACK_A_DOWN,	/* flag: down or no carrier, it counts */
	__CARP_TRACK_A_MAX
};

#define CARP_TRACK_A_MAX (__CARP_TRACK_A_MAX - 1)

/* Inside CARP_A_STATS: one u64 per counter, named after FreeBSD's carpstats. */
enum carp_stat {
	CARP_STAT_UNSPEC,
	CARP_STAT_PAD,
	CARP_STAT_IPACKETS,	/* advertisements received for this vhid */
	CARP_STAT_OPACKETS,	/* advertisements sent */
	CARP_STAT_BADTTL,	/* dropped: TTL not 255 */
	CARP_STAT_BADLEN,	/* dropped: shorter than a CARP header,
				 * longer than 1024 bytes, or shorter
				 * than its IP header says
				 */
	CARP_STAT_BADSUM,	/* dropped: bad checksum */
	CARP_STAT_BADVER,	/* dropped: CARP version not 2 */
	CARP_STAT_BADAUTH,	/* dropped: HMAC does not match */
	CARP_STAT_ECHO,		/* ignored: our own advertisement came back */
	CARP_STAT_ONOMEM,	/* advertisement not sent: no memory */
	CARP_STAT_TRANSITIONS,	/* state changes */
	CARP_STAT_REPLAY,	/* dropped: a counter already seen (replay) */
	CARP_STAT_BADVHID,	/* netns: CARP advertisement for no local vhid */
	CARP_STAT_BADIF,	/* netns: for a vhid configured on another parent */
	CARP_STAT_BADSRC,	/* dropped: not from the configured unicast peer */
	CARP_STAT_IPACKETS6,	/* as ipackets, over IPv6 (ipackets: IPv4) */
	CARP_STAT_OPACKETS6,	/* as opackets, over IPv6 (opackets: IPv4) */
	CARP_STAT_CONFLICTS,	/* as MASTER, another (worse) master heard */
	CARP_STAT_CONFLICT_MS,	/* ms from a conflict's first to last ad */
	__CARP_STAT_MAX
};

#define CARP_STAT_MAX (__CARP_STAT_MAX - 1)

/*
 * rtnetlink: a carp device's attributes in IFLA_LINKINFO's IFLA_INFO_DATA
 * (kind "carp"), as `ip link add NAME link PARENT type carp ...` sends them
 * (RTM_NEWLINK, CAP_NET_ADMIN) and RTM_GETLINK replies and RTM_NEWLINK
 * notifications report them to anyone. Creating needs IFLA_LINK (the
 * parent) and IFLA_CARP_VHID or IFLA_CARP_NODES; the rest takes the
 * defaults of CARP_CMD_NEW_DEVICE. Changing (RTM_NEWLINK on an existing
 * device, `ip link set NAME type carp ...`) takes any of them, as
 * CARP_CMD_SET_DEVICE does. The nests hold what their CARP_A_ namesakes
 * hold. RTM_NEWLINK is sent when carp0's carrier changes, that is when
 * its first vhid becomes MASTER or stops being it.
 */
enum {
	IFLA_CARP_UNSPEC,
	IFLA_CARP_VHID,		/* u8: 1..255, the first vhid */
	IFLA_CARP_ADVBASE,	/* u8: 0..255 s */
	IFLA_CARP_ADVSKEW,	/* u8: 0..254, of the first vhid */
	IFLA_CARP_KEY,		/* binary, 0..CARP_KEY_LEN bytes; write-only */
	IFLA_CARP_PEERS,	/* nest of CARP_A_PEER_ADDR (empty: none) */
	IFLA_CARP_PEERS6,	/* nest of CARP_A_PEER_ADDR6 (empty: none) */
	IFLA_CARP_NODES,	/* nest of CARP_A_NODE: several vhids (carpnodes);
				 * replies: always, each with its state
				 */
	IFLA_CARP_BALANCING,	/* u8: enum carp_balancing */
	IFLA_CARP_LLADDR,	/* u8: enum carp_lladdr */
	IFLA_CARP_STATE,	/* u8 (replies): enum carp_state of the first vhid */
	IFLA_CARP_HAS_KEY,	/* flag (replies): a non-empty key is set */
	IFLA_CARP_VERSION,	/* u8: CARP_PROTO_CARP or _VRRP, at creation */
	IFLA_CARP_VRRP_PRIO,	/* u8: 1..255 */
	IFLA_CARP_VRRP_INTERVAL, /* u16: 1..4095 cs */
	IFLA_CARP_VRRP_PREEMPT,	/* u8: 0 or 1 */
	IFLA_CARP_VRRP_FAMILY,	/* u8: CARP_VRRP_FAMILY_*, at creation */
	IFLA_CARP_VRRP_ACCEPT,	/* u8: 0 or 1 */
	__IFLA_CARP_MAX
};

#define IFLA_CARP_MAX (__IFLA_CARP_MAX - 1)

#endif /* _UAPI_LINUX_CARP_H */
