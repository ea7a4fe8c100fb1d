/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: configure carp(4) devices over generic netlink.
 *
 * Shared declarations of the carpctl objects.
 */
#ifndef CARPCTL_H
#define CARPCTL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>

#include "../../kmod/uapi/carp.h"

#ifndef CARPCTL_VERSION
#define CARPCTL_VERSION "0.1.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses, as ip(8). */
#define EXIT_OK		0
#define EXIT_SYNTAX	1	/* usage or validation error */
#define EXIT_KERNEL	2	/* the kernel (or the system) said no */

/* Global options, set once in main(). */
struct carpctl_opts {
	bool json;
	bool pretty;
	bool force;
	const char *netns;
	const char *batch;
};

extern struct carpctl_opts opts;

#include "err.h"

/* ------------------------------------------------------------------ */
/* parse.c: keywords, integers, names, shell-like words */

/*
 * @s (@len bytes) as it may appear between double quotes in a message:
 * '"' and '\\' escaped, control characters (C0, DEL, C1) as \n, \t, ...
 * or \xNN, bytes that are not UTF-8 as \xNN; valid UTF-8 kept. The
 * buffer stays valid for the next few calls (a ring of 8).
 */
const char *escn(const char *s, size_t len);
const char *esc(const char *s);
/*
 * @s on @f with any control byte left in it (of a kernel message, a file
 * name) written as \xNN: a message stays one line and cannot drive the
 * terminal.
 */
void fput_safe(const char *s, FILE *f);

/* Index of the keyword @word is a unique prefix of; exact match wins. */
#define KW_NONE		(-1)
#define KW_AMBIGUOUS	(-2)
int match_keyword(const char *word, const char *const *kw, size_t n);
/* The same, but a prefix of kw[i] must be at least min[i] long (0: any). */
int match_keyword_min(const char *word, const char *const *kw,
		      const unsigned char *min, size_t n);

/* Strict decimal integer in [min, max]; 0 on success, -1 otherwise. */
int parse_uint(const char *s, unsigned long min, unsigned long max,
	       unsigned long *out);

/*
 * A demotion argument: "N" (absolute, *relative = false) or "+N" / "-N"
 * (*relative = true, *out signed), N in 0..CARP_DEMOTE_ARG_MAX.
 * 0 on success, -1 otherwise.
 */
#define CARP_DEMOTE_ARG_MAX	255
int parse_demote(const char *s, bool *relative, long *out);

/* One vhid of a load-balanced device (carpnodes), as given. */
struct carp_node {
	int vhid;			/* 1..255 */
	int advskew;			/* 0..254 */
};

/*
 * "VHID:SKEW[,VHID:SKEW...]", OpenBSD's carpnodes: 1..CARP_NODES_MAX
 * nodes with distinct vhids 1..255 and advskews 0..254, kept in the order
 * given. The number of nodes, or -1 with what is wrong (a phrase, as
 * "vhid 3 given twice") in @why.
 */
int parse_carpnodes(const char *s, struct carp_node *out, char *why,
		    size_t len);

/* "12.3s ago", "5m02s ago", ... into @buf. */
const char *format_ago(uint64_t ms, char *buf, size_t len);

/* 0 if @name is a valid interface name (as dev_valid_name()). */
int check_ifname(const char *what, const char *name);

/*
 * Split @line into words with shell-like quoting ('...', "...", \x);
 * an unquoted '#' at the start of a word starts a comment. On success
 * *argv is a NULL-terminated malloc'ed array (free with free_words()).
 * Returns the number of words, or -1 (with *errp set) on a syntax error.
 */
int split_words(const char *line, char ***argv, const char **errp);
void free_words(char **argv);
/*
 * Whether @line (one line of a batch file, without its newline) ends in a
 * backslash that escapes the newline, as split_words() reads it: neither
 * quoted, nor escaped, nor in a comment. @in_word: the line goes on with a
 * word of the line before (a '#' at its start starts no comment).
 */
bool line_continues(const char *line, bool in_word);

/* ------------------------------------------------------------------ */
/* names.c: the names carpctl prints and takes */

/* "INIT", "BACKUP", "MASTER", or "UNKNOWN". */
const char *carp_state_str(int state);
/* enum carp_reason as monitor's REASON ("master-down", ...), or "unknown". */
const char *carp_reason_str(int reason);
/* The words of enum carp_balancing: none, ip, ip-stealth, ip-unicast. */
extern const char *const carp_balancing_words[CARP_BAL_MAX + 1];
/* The word of @bal, or "unknown". */
const char *carp_balancing_str(int bal);
/* The name of counter @stat (enum carp_stat), or NULL if it has none. */
const char *carp_stat_str(int stat);

/* ------------------------------------------------------------------ */
/* addr.c: IPv4 and IPv6 prefixes */

struct carp_addr {
	struct in_addr addr;	/* network order (IPv4) */
	unsigned int plen;	/* 0..32, IPv6: 0..128 */
	bool v6;		/* an IPv6 address: @addr6 */
	struct in6_addr addr6;
};

/*
 * Why @addr (@family, network order) is not a unicast address, as
 * "loopback, 127.0.0.0/8", or NULL if it is one: the one table of what
 * carpctl takes neither as a virtual address nor as a peer.
 */
const char *addr_not_unicast(int family, const void *addr);

/*
 * "a.b.c.d[/len]" (no /len means /32) or "x:y::z[/len]" (/128), a unicast
 * address (addr_not_unicast()) and len at least 1; 0 on success, else a
 * syntax error.
 */
int parse_prefix(const char *s, struct carp_addr *out);
/* "a.b.c.d/len" or "x::y/len" into @buf (at least ADDR_STRLEN bytes). */
#define ADDR_STRLEN	(INET6_ADDRSTRLEN + 4)
const char *format_prefix(const struct carp_addr *a, char *buf);
bool prefix_contains(const struct carp_addr *net, struct in_addr addr);
bool addr_equal(const struct carp_addr *a, const struct carp_addr *b);
/* The same address, whatever the prefix length. */
bool addr_same_host(const struct carp_addr *a, const struct carp_addr *b);

/* ------------------------------------------------------------------ */
/* A request, as parsed from the command line. */

struct carp_conf {
	char ifname[IFNAMSIZ];
	const char *parent;		/* "dev", add only */
	int vhid;			/* -1: not given */
	int advbase;
	int advskew;
	int state;			/* CARP_STATE_MASTER/_BACKUP: forced */
	bool has_peer;
	struct in_addr peer;		/* 0.0.0.0: multicast */
	bool has_peer6;
	struct in6_addr peer6;		/* ::, multicast */
	bool has_key;
	size_t keylen;
	unsigned char key[CARP_KEY_LEN];
	struct carp_addr *addrs;
	size_t naddrs;
	struct carp_node nodes[CARP_NODES_MAX];
	int nnodes;			/* 0: carpnodes not given */
	int balancing;			/* enum carp_balancing; -1: not given */
};

/* One vhid of a carp device, as reported in CARP_A_NODES. */
struct carp_node_info {
	int vhid, advskew, state;	/* -1: not reported */
	int reason;			/* enum carp_reason; -1: not reported */
	bool has_last_change;
	uint64_t last_change_ms;	/* ms since its last state change */
	char last_reason[64];		/* "": not reported */
};

/* A carp device, as reported by CARP_CMD_GET_DEVICE. */
struct carp_info {
	unsigned int ifindex;
	char ifname[IFNAMSIZ];
	bool has_link;
	unsigned int link;
	int vhid, advbase, advskew, state;	/* -1: not reported */
	bool has_key;
	bool has_vmac;
	unsigned char vmac[6];
	struct carp_addr *addrs;
	size_t naddrs;
	bool has_stats;
	uint64_t stats[CARP_STAT_MAX + 1];
	int demote;			/* -1: not reported */
	bool has_peer;
	struct in_addr peer;		/* unicast peer, if has_peer */
	bool has_peer6;
	struct in6_addr peer6;		/* unicast peer, if has_peer6 */
	bool has_last_change;
	uint64_t last_change_ms;	/* ms since the last state change */
	char last_reason[64];		/* "": not reported */
	int balancing;			/* enum carp_balancing; -1: not reported */
	bool has_nodes;			/* CARP_A_NODES reported */
	struct carp_node_info *nodes;	/* by vhid, the first one leads */
	size_t nnodes;
};

/* The network namespace, as reported by CARP_CMD_GET_NET. */
struct carp_netinfo {
	long demotion;			/* administrative; -1: not reported */
	int demote;			/* advertised; -1: not reported */
	bool has_stats;
	uint64_t stats[CARP_STAT_MAX + 1];
};

struct carp_list {
	struct carp_info *v;
	size_t n;
};

void carp_info_free(struct carp_info *ci);
void carp_list_free(struct carp_list *l);

/* ------------------------------------------------------------------ */
/* nl.c: generic netlink and rtnetlink */

/*
 * Every function below returns 0 or a negative errno. On failure the
 * kernel's extended ack message, if any, is in kernel_msg() (else "").
 */

/* Open the genl socket and resolve "carp": 0, or prints and returns 2. */
int carp_nl_open(void);
/*
 * 1 if the module knows the attribute @attr (enum carp_attr) or cannot
 * tell (its family has no policy of its own), 0 if it is older than the
 * attribute (its family's maxattr is lower), or a negative errno.
 */
int carp_nl_knows_attr(int attr);
void nl_close_all(void);

int carp_get(const char *ifname, struct carp_info *out);
int carp_dump(struct carp_list *out);
int carp_new(const struct carp_conf *c, unsigned int link);
int carp_set(const struct carp_conf *c);
int carp_del(const char *ifname);
/* -EOPNOTSUPP: the module predates CARP_CMD_GET_NET / CARP_CMD_SET_NET. */
int carp_get_net(struct carp_netinfo *out);
int carp_set_net(int32_t demote_adj);

/* A state change, as multicast to the "monitor" group. */
struct carp_event {
	unsigned int ifindex;
	char ifname[IFNAMSIZ];
	int vhid;			/* -1: not reported */
	int old_state, state;		/* enum carp_state */
	int reason;			/* enum carp_reason; -1: not reported */
	char reason_text[64];		/* "": not reported */
	bool has_time;
	uint64_t time_ns;		/* CLOCK_REALTIME of the change */
};

/*
 * Subscribe to state changes, on a socket of its own (opens the genl
 * socket too): 0, or prints and returns the exit status.
 */
int carp_monitor_open(void);
int carp_monitor_fd(void);		/* to poll(); -1 if not open */
void carp_monitor_close(void);
/*
 * Read what the socket holds now (never blocks) and call @fn for each
 * event, in order; a non-zero return of @fn stops and is returned.
 * -ENOBUFS: the socket overflowed, events were lost.
 */
int carp_monitor_read(int (*fn)(const struct carp_event *ev, void *arg),
		      void *arg);

int rt_addr_add(unsigned int ifindex, const struct carp_addr *a);
int rt_addr_del(unsigned int ifindex, const struct carp_addr *a);
int rt_link_up(unsigned int ifindex);

/* IPv4 addresses of every interface in the netns. */
struct rt_addr {
	unsigned int ifindex;
	struct carp_addr a;
};
int rt_addr_list(struct rt_addr **out, size_t *n);

/* ------------------------------------------------------------------ */
/* Commands. */

int cmd_add(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_del(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_demote(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* cmd_monitor.c */
/*
 * SIGINT and SIGTERM set the stop signal, SIGCHLD only wakes: all three
 * blocked from now on except while waiting in ppoll() with *waitmask.
 */
int mon_signals_setup(sigset_t *waitmask);
int mon_stop_signal(void);		/* 0, or the signal that asks to stop */

/* carpctl.c */
void usage_command(FILE *f, const char *cmd);
void usage(FILE *f);

#endif /* CARPCTL_H */
