/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: what it knows of carp devices, their vhids and the network
 * namespace, as asked for on the command line and as the kernel reports
 * them; and the names it prints for their states, reasons and counters.
 */
#ifndef CARPCTL_DEVICE_H
#define CARPCTL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <net/if.h>

#include "../../kmod/uapi/carp.h"

/* An IPv4 or IPv6 prefix: a virtual address and its length. */
struct carp_addr {
	struct in_addr addr;	/* network order (IPv4) */
	unsigned int plen;	/* 0..32, IPv6: 0..128 */
	bool v6;		/* an IPv6 address: @addr6 */
	struct in6_addr addr6;
};

/* One vhid of a load-balanced device, as carpnodes gives it. */
struct vhid_skew {
	int vhid;			/* 1..255 */
	int advskew;			/* 0..254 */
};

/*
 * The unicast peers of a device, each family's in order; a family with none
 * uses multicast.
 */
struct carp_peers {
	size_t n;
	struct in_addr addr[CARP_PEERS_MAX];
	size_t n6;
	struct in6_addr addr6[CARP_PEERS_MAX];
};

/* A request, as parsed from the command line. */
struct carp_conf {
	char ifname[IFNAMSIZ];
	const char *parent;		/* "dev", add only */
	int vhid;			/* -1: not given */
	int advbase;
	int advskew;
	int state;			/* CARP_STATE_MASTER/_BACKUP: forced */
	bool has_peer;			/* peers.addr given (none: n 0) */
	bool has_peer6;			/* peers.addr6 given */
	struct carp_peers peers;
	bool has_key;
	size_t keylen;
	unsigned char key[CARP_KEY_LEN];
	struct carp_addr *addrs;
	size_t naddrs;
	struct vhid_skew nodes[CARP_NODES_MAX];
	int nnodes;			/* 0: carpnodes not given */
	int balancing;			/* enum carp_balancing; -1: not given */
	int lladdr;			/* enum carp_lladdr; -1: not given */
	/* VRRPv3 (carpver 3); each -1: not given */
	int version;			/* CARP_PROTO_CARP or _VRRP */
	int vrrp_prio;			/* 1..255 */
	int vrrp_interval;		/* 1..4095 cs */
	int vrrp_preempt;		/* 0 or 1 */
	int vrrp_accept;		/* 0 or 1 */
	int vrrp_family;		/* CARP_VRRP_FAMILY_INET or _INET6 */
};

/* One vhid of a carp device, as reported in CARP_A_NODES. */
struct carp_node_info {
	int vhid, advskew, state;
	/* The last change, once there was one: before, -1, false and "". */
	int reason;			/* enum carp_reason */
	bool has_last_change;
	uint64_t last_change_ms;	/* ms since its last state change */
	char last_reason[64];
};

/*
 * A carp device, as reported by CARP_CMD_GET_DEVICE: nl.c refuses a reply
 * without any field that the module always reports.
 */
struct carp_info {
	unsigned int ifindex;
	char ifname[IFNAMSIZ];
	bool has_link;			/* it has a parent (it may lose it) */
	unsigned int link;
	int vhid, advbase, advskew, state;
	bool has_key;
	unsigned char vmac[6];
	struct carp_addr *addrs;
	size_t naddrs;
	uint64_t stats[CARP_STAT_MAX + 1];
	int demote;
	struct carp_peers peers;	/* none: multicast */
	/* The last change, once there was one: before, false and "". */
	bool has_last_change;
	uint64_t last_change_ms;	/* ms since the last state change */
	char last_reason[64];
	int balancing;			/* enum carp_balancing */
	int lladdr;			/* enum carp_lladdr */
	int version;			/* CARP_PROTO_CARP (a module before
					 * VRRPv3 too) or CARP_PROTO_VRRP
					 */
	/* A VRRPv3 device's (version CARP_PROTO_VRRP) only. */
	int vrrp_prio;			/* 1..255 */
	int vrrp_interval;		/* cs */
	bool vrrp_preempt;
	int vrrp_accept;		/* RFC 5798's Accept_Mode, 0 or 1;
					 * -1: a module before it was a
					 * setting, whose MASTER accepts
					 */
	int vrrp_family;		/* CARP_VRRP_FAMILY_INET (a module
					 * before IPv6 VRRPv3 too) or _INET6
					 */
	int vrrp_master_interval;	/* cs, as a BACKUP learned it; 0: none */
	struct carp_node_info *nodes;	/* by vhid, the first one leads; */
	size_t nnodes;			/* at least one */
};

/* Every carp device of the namespace. */
struct carp_list {
	struct carp_info *v;
	size_t n;
};

/* A hold (CARP_A_HOLD): a demotion held off by a socket until it closes. */
struct carp_hold_info {
	char name[CARP_HOLD_NAME_LEN];
	int demote;
	bool fired;			/* its socket closed: it counts */
};

/* A tracked interface (CARP_A_TRACK): demotes while down. */
struct carp_track_info {
	unsigned int ifindex;
	char ifname[IFNAMSIZ];		/* "": not reported */
	int demote;
	bool down;			/* down or no carrier: it counts */
};

/* The network namespace, as reported by CARP_CMD_GET_NET. */
struct carp_netinfo {
	long demotion;			/* administrative */
	int demote;			/* advertised */
	uint64_t stats[CARP_STAT_MAX + 1];
	struct carp_hold_info holds[CARP_HOLDS_MAX];
	size_t nholds;
	struct carp_track_info tracks[CARP_TRACKS_MAX];
	size_t ntracks;
};

/* What an event of the "monitor" group is. */
enum carp_event_kind {
	CARP_EV_STATE,			/* CARP_CMD_STATE_NOTIFY */
	CARP_EV_CONFLICT,		/* CARP_CMD_CONFLICT_NOTIFY */
};

/*
 * An event, as multicast to the "monitor" group: a state change, or a
 * conflict (another, worse master heard by a MASTER).
 */
struct carp_event {
	enum carp_event_kind kind;
	unsigned int ifindex;
	char ifname[IFNAMSIZ];
	int vhid;			/* -1: not reported */
	int old_state, state;		/* enum carp_state; state changes */
	/* A conflict: the other master, as it advertised itself. */
	struct carp_addr other;
	int advbase, advskew, demote;
	int reason;			/* enum carp_reason; -1: not reported */
	char reason_text[64];		/* "": not reported */
	bool has_time;
	uint64_t time_ns;		/* CLOCK_REALTIME of the change */
};

/* An IPv4 address of some interface of the namespace (rtnetlink). */
struct rt_addr {
	unsigned int ifindex;
	struct carp_addr a;
};

/* device.c: what the kernel's answers allocated, freed. */
void carp_info_free(struct carp_info *ci);
void carp_list_free(struct carp_list *l);

/* names.c: the names carpctl prints and takes */

/* "INIT", "BACKUP", "MASTER", or "UNKNOWN". */
const char *carp_state_str(int state);
/* enum carp_reason as monitor's REASON ("master-down", ...), or "unknown". */
const char *carp_reason_str(int reason);
/* The words of enum carp_balancing: none, ip, ip-stealth, ip-unicast,
 * arp.
 */
extern const char *const carp_balancing_words[CARP_BAL_MAX + 1];
/* The word of @bal, or "unknown". */
const char *carp_balancing_str(int bal);
/* The words of enum carp_lladdr: virtual, parent. */
extern const char *const carp_lladdr_words[CARP_LLADDR_MAX + 1];
/* The word of @lladdr, or "unknown". */
const char *carp_lladdr_str(int lladdr);
/* The word of a VRRPv3 family (CARP_VRRP_FAMILY_*): inet, inet6, or
 * "unknown".
 */
const char *carp_vrrp_family_str(int family);
/* The name of counter @stat (enum carp_stat), or NULL if it has none. */
const char *carp_stat_str(int stat);
/* Whether counter @stat is the network namespace's only (badvhid, badif). */
bool carp_stat_netns_only(int stat);

#endif /* CARPCTL_DEVICE_H */
