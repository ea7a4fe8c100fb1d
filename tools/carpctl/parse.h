/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: parsing of what the user gives (keywords, integers, names,
 * addresses, batch lines), and the escaping of it in messages.
 */
#ifndef CARPCTL_PARSE_H
#define CARPCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "device.h"

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
/* "demote N" of a hold or a track: N in 1..CARP_DEMOTE_ARG_MAX. */
int parse_demote_by(const char *val, int *out);
int parse_demote(const char *s, bool *relative, long *out);

/*
 * "VHID:SKEW[,VHID:SKEW...]", OpenBSD's carpnodes: 1..CARP_NODES_MAX
 * nodes with distinct vhids 1..255 and advskews 0..254, kept in the order
 * given. The number of nodes, or -1 with what is wrong (a phrase, as
 * "vhid 3 given twice") in @why.
 */
int parse_carpnodes(const char *s, struct vhid_skew *out, char *why,
		    size_t len);

/* "12.3s ago", "5m02s ago", ... into @buf. */
const char *format_ago(uint64_t ms, char *buf, size_t len);

/* 0 if @name is a valid interface name (as dev_valid_name()). */
int check_ifname(const char *what, const char *name);
/*
 * The arguments of a command that takes a device name and nothing else
 * ("del NAME", "show [NAME]"): 0 if they are that, else the exit status.
 */
int parse_device_arg(const char *cmd, int argc, char **argv, bool required);

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

/* addr.c: IPv4 and IPv6 prefixes */

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
/* "a.b.c.d" or "x::y", the address alone, into @buf (ADDR_STRLEN bytes). */
const char *format_host(const struct carp_addr *a, char *buf);
bool prefix_contains(const struct carp_addr *net, struct in_addr addr);
/* Whether the prefix @net holds the address @a (either family). */
bool prefix_holds(const struct carp_addr *net, const struct carp_addr *a);
bool addr_equal(const struct carp_addr *a, const struct carp_addr *b);
/*
 * qsort()/bsearch() order of address lists: family, address, prefix
 * length. addrs_sorted(): a sorted malloc'ed copy of @v (a list of
 * thousands compares in n log n), NULL if out of memory.
 */
int addr_order(const void *x, const void *y);
/* The first two keys of addr_order(): family, then address. */
int addr_host_order(const struct carp_addr *a, const struct carp_addr *b);
struct carp_addr *addrs_sorted(const struct carp_addr *v, size_t n);
/* The same address, whatever the prefix length. */
bool addr_same_host(const struct carp_addr *a, const struct carp_addr *b);
/* An IPv6 link-local address (fe80::/10). */
bool addr_linklocal(const struct carp_addr *a);
/*
 * The family of the addresses @v (@n of them) as a VRRPv3 device has one:
 * CARP_VRRP_FAMILY_INET or _INET6 when all are of it, 0 when there are
 * none, -1 when both families are there.
 */
int addrs_vrrp_family(const struct carp_addr *v, size_t n);

#endif /* CARPCTL_PARSE_H */
