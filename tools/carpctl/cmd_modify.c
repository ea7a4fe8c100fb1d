// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the add, set and del commands, and what apply reuses of them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "nl.h"
#include "parse.h"

enum {
	W_DEV, W_VHID, W_ADVBASE, W_ADVSKEW, W_PASS, W_STATE, W_PEER, W_PEER6,
	W_CARPNODES, W_BALANCING, W_LLADDR, W_CARPVER, W_VRRPPRIO,
	W_VRRPINTERVAL, W_VRRPPREEMPT, W_VRRPACCEPT, W_VRRPFAMILY, W_MAX
};

static const char *const conf_words[W_MAX] = {
	[W_DEV]		= "dev",
	[W_VHID]	= "vhid",
	[W_ADVBASE]	= "advbase",
	[W_ADVSKEW]	= "advskew",
	[W_PASS]	= "pass",
	[W_STATE]	= "state",
	[W_PEER]	= "peer",
	[W_PEER6]	= "peer6",
	[W_CARPNODES]	= "carpnodes",
	[W_BALANCING]	= "balancing",
	[W_LLADDR]	= "lladdr",
	[W_CARPVER]	= "carpver",
	[W_VRRPPRIO]	= "vrrpprio",
	[W_VRRPINTERVAL] = "vrrpinterval",
	[W_VRRPPREEMPT]	= "vrrppreempt",
	[W_VRRPACCEPT]	= "vrrpaccept",
	[W_VRRPFAMILY]	= "vrrpfamily",
};

/*
 * "p" and "pa" stay pass, as before peer existed; "pe" stays peer. So
 * the words of VRRPv3 take nothing from the older ones: "c" to "carp"
 * stay carpnodes (carpver needs "carpv"), "v" stays vhid ("vr" to "vrrp"
 * are ambiguous between the five vrrp words).
 */
static const unsigned char conf_min[W_MAX] = {
	[W_PEER]	= 2,
	[W_PEER6]	= 5,
	[W_CARPVER]	= 5,
	[W_VRRPPRIO]	= 2,
	[W_VRRPINTERVAL] = 2,
	[W_VRRPPREEMPT]	= 2,
	[W_VRRPACCEPT]	= 2,
	[W_VRRPFAMILY]	= 2,
};

/*
 * One address of a peer list: "A.B.C.D" (X:Y::Z with @v6), a unicast
 * address (addr_not_unicast(), as the kernel checks it).
 */
static int parse_peer_one(const char *word, const char *val, bool v6,
			  void *out)
{
	const char *why;

	if (inet_pton(v6 ? AF_INET6 : AF_INET, val, out) != 1)
		return syntax_err("invalid %s \"%s\" (expected %s address or none)",
				  word, esc(val), v6 ? "an IPv6" : "an IPv4");
	why = addr_not_unicast(v6 ? AF_INET6 : AF_INET, out);
	if (why)
		return syntax_err("invalid %s \"%s\" (%s)", word, esc(val), why);
	return 0;
}

/*
 * "A.B.C.D[,A.B.C.D...]" (IPv6 with @v6): the whole list of a family's
 * peers, at most CARP_PEERS_MAX; or "none" (0.0.0.0 and :: too, alone:
 * back to multicast). Duplicates and the limit of both families together
 * are the kernel's to refuse, which says why.
 */
static int parse_peers_word(const char *word, const char *val, bool v6,
			    struct carp_peers *p)
{
	size_t *n = v6 ? &p->n6 : &p->n;
	char buf[INET6_ADDRSTRLEN];
	const char *s = val, *end;
	size_t len;
	int rc;

	*n = 0;
	if (!strcmp(val, "none") || !strcmp(val, v6 ? "::" : "0.0.0.0"))
		return 0;
	for (;;) {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		if (*n == CARP_PEERS_MAX)
			return syntax_err("invalid %s \"%s\" (at most %d addresses)",
					  word, esc(val), CARP_PEERS_MAX);
		if (!len || len >= sizeof(buf))
			return syntax_err("invalid %s \"%s\" (expected %s address or none)",
					  word, esc(val), v6 ? "an IPv6" : "an IPv4");
		memcpy(buf, s, len);
		buf[len] = '\0';
		rc = parse_peer_one(word, buf, v6,
				    v6 ? (void *)&p->addr6[*n] :
				    (void *)&p->addr[*n]);
		if (rc)
			return rc;
		(*n)++;
		if (!end)
			return 0;
		s = end + 1;
	}
}

/* The states "set NAME state STATE" may force, as FreeBSD's ifconfig. */
static const char *const state_words[] = { "master", "backup" };
static const int state_values[] = { CARP_STATE_MASTER, CARP_STATE_BACKUP };

static int parse_state_word(const char *val, int *out)
{
	char lower[16];
	size_t i;
	int k;

	for (i = 0; val[i] && i < sizeof(lower) - 1; i++)
		lower[i] = tolower((unsigned char)val[i]);
	lower[i] = '\0';
	k = val[i] ? KW_NONE : match_keyword(lower, state_words,
					     ARRAY_SIZE(state_words));
	if (k == KW_AMBIGUOUS)	/* cannot happen with these two words */
		return ambiguous_err("state", val, state_words,
				     ARRAY_SIZE(state_words));
	if (k == KW_NONE)
		return syntax_err("invalid state \"%s\" (expected master or backup)",
				  esc(val));
	*out = state_values[k];
	return 0;
}

static int parse_carpnodes_word(const char *val, struct carp_conf *c)
{
	char why[128];
	int n;

	n = parse_carpnodes(val, c->nodes, why, sizeof(why));
	if (n < 0)
		return syntax_err("invalid carpnodes \"%s\" (%s)", esc(val),
				  why);
	c->nnodes = n;
	return 0;
}

static int parse_balancing_word(const char *val, int *out)
{
	int k = match_keyword(val, carp_balancing_words,
			      ARRAY_SIZE(carp_balancing_words));

	if (k == KW_AMBIGUOUS)
		return ambiguous_err("balancing", val, carp_balancing_words,
				     ARRAY_SIZE(carp_balancing_words));
	if (k == KW_NONE)
		return syntax_err("invalid balancing \"%s\" (expected none, ip, ip-stealth, ip-unicast or arp)",
				  esc(val));
	*out = k;
	return 0;
}

static int parse_lladdr_word(const char *val, int *out)
{
	int k = match_keyword(val, carp_lladdr_words,
			      ARRAY_SIZE(carp_lladdr_words));

	if (k == KW_AMBIGUOUS)	/* cannot happen with these two words */
		return ambiguous_err("lladdr", val, carp_lladdr_words,
				     ARRAY_SIZE(carp_lladdr_words));
	if (k == KW_NONE)
		return syntax_err("invalid lladdr \"%s\" (expected virtual or parent)",
				  esc(val));
	*out = k;
	return 0;
}

/*
 * vrrppreempt and vrrpaccept: "on" or "off", as FreeBSD's ifconfig words
 * a switch.
 */
static const char *const onoff_words[] = { "off", "on" };

static int parse_onoff_word(const char *word, const char *val, int *out)
{
	int k = match_keyword(val, onoff_words, ARRAY_SIZE(onoff_words));

	if (k == KW_AMBIGUOUS)
		return ambiguous_err(word, val, onoff_words,
				     ARRAY_SIZE(onoff_words));
	if (k == KW_NONE)
		return syntax_err("invalid %s \"%s\" (expected on or off)",
				  word, esc(val));
	*out = k;
	return 0;
}

static int parse_carpver_word(const char *val, int *out)
{
	unsigned long v;

	if (parse_uint(val, CARP_PROTO_CARP, CARP_PROTO_VRRP, &v))
		return syntax_err("invalid carpver \"%s\" (expected 2, CARP, or 3, VRRPv3)",
				  esc(val));
	*out = v;
	return 0;
}

/* What a VRRPv3 device with addresses of both families is told. */
#define VRRP_ONE_FAMILY	"a VRRPv3 device is one address family (RFC 5798 runs IPv4 and IPv6 as separate virtual routers): add one device per family, they may share the vrid"

/* vrrpfamily: ip(8)'s words for the two families. */
static const char *const family_words[] = { "inet", "inet6" };
static const int family_values[] = { CARP_VRRP_FAMILY_INET,
				     CARP_VRRP_FAMILY_INET6 };

static int parse_family_word(const char *val, int *out)
{
	int k = match_keyword(val, family_words, ARRAY_SIZE(family_words));

	if (k == KW_AMBIGUOUS)
		return ambiguous_err("vrrpfamily", val, family_words,
				     ARRAY_SIZE(family_words));
	if (k == KW_NONE)
		return syntax_err("invalid vrrpfamily \"%s\" (expected inet or inet6)",
				  esc(val));
	*out = family_values[k];
	return 0;
}

/*
 * A VRRPv3 device advertises the addresses of its family alone (an
 * address of the other one would never move to a backup), and an IPv6
 * one advertises from its first address, which must be link-local (RFC
 * 5798 5.2.9; the kernel puts link-local ones first): @c's addresses are
 * all of @family, with a link-local one among IPv6 ones. @whose names
 * the family in the message: the word that gave it, or the device.
 * Refused before anything changes.
 */
static int check_vrrp_addrs(const char *cmd, const struct carp_conf *c,
			    int family, const char *whose)
{
	bool v6 = family == CARP_VRRP_FAMILY_INET6, ll = false;
	char buf[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < c->naddrs; i++) {
		if (c->addrs[i].v6 != v6)
			return syntax_err("%s: %s takes %s addresses only, not %s",
					  cmd, whose, v6 ? "IPv6" : "IPv4",
					  format_prefix(&c->addrs[i], buf));
		ll |= addr_linklocal(&c->addrs[i]);
	}
	if (v6 && c->naddrs && !ll)
		return syntax_err("%s: a VRRPv3 IPv6 device needs a link-local address (RFC 5798 5.2.9), e.g. fe80::1/64",
				  cmd);
	return 0;
}

/*
 * RFC 5798 runs IPv4 and IPv6 as separate virtual routers: a VRRPv3
 * device is of one family, vrrpfamily's, else its addresses', else IPv4
 * (the kernel's default). add sends the family its IPv6 addresses say,
 * so that "carpver 3 fe80::1/64 2001:db8::1/64" needs no vrrpfamily; IPv4
 * it leaves to the default, as before vrrpfamily existed. On set the
 * device's own family counts, once known (conf_set()).
 */
static int check_vrrp_family(const char *cmd, struct carp_conf *c, bool add)
{
	int family = addrs_vrrp_family(c->addrs, c->naddrs);
	char whose[32];

	if (family < 0)
		return syntax_err("%s: " VRRP_ONE_FAMILY, cmd);
	if (c->vrrp_family >= 0)
		family = c->vrrp_family;
	else if (add && family == CARP_VRRP_FAMILY_INET6)
		c->vrrp_family = family;
	/* no address and no vrrpfamily: nothing to check */
	if (!family)
		return 0;
	snprintf(whose, sizeof(whose), "vrrpfamily %s",
		 carp_vrrp_family_str(family));
	return check_vrrp_addrs(cmd, c, family, whose);
}

/*
 * The words of each protocol, refused with the other when the command
 * says which one the device speaks (add: CARP unless carpver 3), before
 * anything is created: the kernel refuses the same (vrrp_config_check()),
 * but only once asked. A VRRPv3 device has one VRID, no key, no peers
 * and addresses of one family. On set without carpver the device's own
 * protocol decides: the kernel's to say (conf_set() checks the addresses),
 * but for addresses that vrrpfamily already says are wrong.
 */
static int check_version(const char *cmd, struct carp_conf *c,
			 const bool *seen, bool add)
{
	static const struct {
		int word;
		const char *why;
	} carp_only[] = {
		{ W_ADVBASE,	"VRRPv3 times by vrrpinterval" },
		{ W_ADVSKEW,	"VRRPv3 ranks by vrrpprio" },
		{ W_PEER,	"a VRRPv3 device advertises to 224.0.0.18 (ff02::12) only" },
		{ W_PEER6,	"a VRRPv3 device advertises to 224.0.0.18 (ff02::12) only" },
		{ W_CARPNODES,	"a VRRPv3 device has one VRID, its vhid" },
	};
	static const int vrrp_only[] = { W_VRRPPRIO, W_VRRPINTERVAL,
					 W_VRRPPREEMPT, W_VRRPACCEPT,
					 W_VRRPFAMILY };
	size_t i;

	if (c->version == CARP_PROTO_VRRP) {
		for (i = 0; i < ARRAY_SIZE(carp_only); i++) {
			if (seen[carp_only[i].word])
				return syntax_err("%s: %s is CARP's, not carpver 3's: %s",
						  cmd,
						  conf_words[carp_only[i].word],
						  carp_only[i].why);
		}
		if (c->has_key && c->keylen)
			return syntax_err("%s: VRRPv3 (carpver 3) has no authentication: no pass",
					  cmd);
		if (c->balancing > CARP_BAL_NONE)
			return syntax_err("%s: balancing is CARP's, not carpver 3's: a VRRPv3 device has one VRID, its vhid",
					  cmd);
		return check_vrrp_family(cmd, c, add);
	}
	if (c->version < 0 && !add)
		return c->vrrp_family >= 0 ? check_vrrp_family(cmd, c, add) : 0;
	for (i = 0; i < ARRAY_SIZE(vrrp_only); i++) {
		if (!seen[vrrp_only[i]])
			continue;
		if (c->version < 0)
			return syntax_err("%s: %s is VRRPv3's: give carpver 3 with it",
					  cmd, conf_words[vrrp_only[i]]);
		return syntax_err("%s: %s is VRRPv3's, not carpver 2's (CARP)",
				  cmd, conf_words[vrrp_only[i]]);
	}
	return 0;
}

/*
 * What the kernel would refuse anyway, refused here when the command
 * itself says how many vhids the device gets: carpnodes replaces vhid and
 * advskew, balancing needs two or more vhids, none exactly one, and
 * lladdr parent a single vhid without balancing.
 */
static int check_nodes(const char *cmd, const struct carp_conf *c, bool add)
{
	int nodes = c->nnodes;

	if (c->nnodes && (c->vhid >= 0 || c->advskew >= 0))
		return syntax_err("%s: carpnodes and %s cannot be given together (carpnodes sets every vhid and its advskew)",
				  cmd, c->vhid >= 0 ? "vhid" : "advskew");
	if (!nodes && add && c->vhid >= 0)
		nodes = 1;
	if (c->balancing > CARP_BAL_NONE && nodes == 1)
		return syntax_err("balancing %s needs two or more vhids (carpnodes)",
				  carp_balancing_str(c->balancing));
	if (c->balancing == CARP_BAL_NONE && nodes > 1)
		return syntax_err("balancing none takes a single vhid, carpnodes has %d",
				  nodes);
	if (c->lladdr == CARP_LLADDR_PARENT &&
	    (nodes > 1 || c->balancing > CARP_BAL_NONE))
		return syntax_err("lladdr parent takes a single vhid without balancing (balancing needs a MAC every host receives)");
	return 0;
}

/*
 * advbase 0 makes the interval advskew/256 s alone, so every advskew must
 * be 1 or more; refused here when the command says both (add: advskew 0
 * unless given), as the kernel would.
 */
static int check_interval(const struct carp_conf *c, bool add)
{
	int i, skew = c->advskew >= 0 ? c->advskew : add ? 0 : -1;

	if (c->advbase != 0)
		return 0;
	/* carpnodes gives every vhid's advskew: those are the ones that count */
	if (c->nnodes)
		skew = 1;
	for (i = 0; i < c->nnodes; i++) {
		if (!c->nodes[i].advskew)
			skew = 0;
	}
	if (skew != 0)
		return 0;
	return syntax_err("advbase 0 needs an advskew of 1 or more (the interval is advskew/256 s)");
}

static int parse_int_word(const char *word, const char *val,
			  unsigned long min, unsigned long max, int *out)
{
	unsigned long v;

	if (parse_uint(val, min, max, &v))
		return syntax_err("invalid %s \"%s\" (expected an integer %lu..%lu)",
				  word, esc(val), min, max);
	*out = v;
	return 0;
}

/* Room for the addresses doubles as it fills: thousands may be given. */
static int add_prefix(struct carp_conf *c, const char *word, size_t *cap)
{
	struct carp_addr a, *v;
	int rc;

	rc = parse_prefix(word, &a);
	if (rc)
		return rc;
	if (c->naddrs == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		v = realloc(c->addrs, *cap * sizeof(*v));
		if (!v)
			return sys_err("out of memory");
		c->addrs = v;
	}
	c->addrs[c->naddrs++] = a;
	return 0;
}

/* By address (IPv4 first), then by position: for check_dup_addrs(). */
static int by_host(const void *x, const void *y, void *arg)
{
	const struct carp_addr *v = arg;
	const struct carp_addr *a = &v[*(const size_t *)x];
	const struct carp_addr *b = &v[*(const size_t *)y];
	int d = addr_host_order(a, b);

	if (d)
		return d;
	return a < b ? -1 : a > b;
}

/*
 * No address twice, whatever the prefix lengths: sorted, in n log n (a
 * pairwise check took 10 s for 60000 addresses). The one named is the
 * first to repeat an earlier one, as the command line reads.
 */
static int check_dup_addrs(const struct carp_conf *c)
{
	size_t *idx, i, dup = SIZE_MAX;
	char buf[ADDR_STRLEN];

	if (c->naddrs < 2)
		return 0;
	idx = malloc(c->naddrs * sizeof(*idx));
	if (!idx)
		return sys_err("out of memory");
	for (i = 0; i < c->naddrs; i++)
		idx[i] = i;
	qsort_r(idx, c->naddrs, sizeof(*idx), by_host, c->addrs);
	/* the second of each run of one address repeats the first */
	for (i = 1; i < c->naddrs; i++)
		if (addr_same_host(&c->addrs[idx[i - 1]], &c->addrs[idx[i]]) &&
		    (i < 2 || !addr_same_host(&c->addrs[idx[i - 2]],
					      &c->addrs[idx[i]])) &&
		    idx[i] < dup)
			dup = idx[i];
	free(idx);
	if (dup == SIZE_MAX)
		return 0;
	return syntax_err("address %s given twice",
			  format_prefix(&c->addrs[dup], buf));
}

static bool is_conf_word(const char *s)
{
	int i;

	for (i = 0; i < W_MAX; i++)
		if (!strcmp(s, conf_words[i]))
			return true;
	return false;
}

/*
 * A host booted with ipv6.disable=1 has no AF_INET6 at all: rtnetlink
 * would refuse each IPv6 address with a bare "Operation not supported",
 * and only once the device exists. Say why before anything changes.
 */
static int check_ipv6_host(const struct carp_conf *c)
{
	char buf[ADDR_STRLEN];
	size_t i;
	int fd;

	for (i = 0; i < c->naddrs && !c->addrs[i].v6; i++)
		;
	if (i == c->naddrs)
		return EXIT_OK;
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		close(fd);
		return EXIT_OK;
	}
	if (errno != EAFNOSUPPORT)
		return EXIT_OK;	/* the kernel will tell what is wrong */
	return sys_err("cannot use %s: IPv6 is disabled on this host (ipv6.disable=1)",
		       format_prefix(&c->addrs[i], buf));
}

/*
 * NAME, then BSD ifconfig(8)-like words in any order: dev PARENT, vhid N,
 * advbase S, advskew K, pass SECRET, peer A.B.C.D[,A.B.C.D...]|none,
 * peer6 X:Y::Z[,X:Y::Z...]|none,
 * carpnodes V:K[,V:K...], balancing MODE, lladdr virtual|parent, state
 * STATE (set only), FreeBSD's carpver 2|3, vrrpprio P and vrrpinterval CS
 * (and vrrppreempt on|off, vrrpaccept on|off, vrrpfamily inet|inet6) and
 * addresses A.B.C.D[/PLEN] or X:Y::Z[/PLEN]. Then what can be checked
 * before anything changes: no address twice, the words of the protocol
 * the device speaks, vhids and balancing that go together, IPv6 on the
 * host if an address needs it.
 */
int conf_parse(const char *cmd, int argc, char **argv, bool add,
	       struct carp_conf *c)
{
	bool seen[W_MAX] = { false };
	const char *w, *val;
	size_t cap = 0;
	int i, k, rc;

	memset(c, 0, sizeof(*c));
	c->vhid = c->advbase = c->advskew = c->state = c->balancing = -1;
	c->lladdr = c->version = -1;
	c->vrrp_prio = c->vrrp_interval = c->vrrp_preempt = -1;
	c->vrrp_accept = c->vrrp_family = -1;

	if (argc < 1 || is_conf_word(argv[0]))
		return syntax_err("%s: missing device name", cmd);
	rc = check_ifname("device name", argv[0]);
	if (rc)
		return rc;
	strcpy(c->ifname, argv[0]);

	for (i = 1; i < argc; i++) {
		w = argv[i];
		k = match_keyword_min(w, conf_words, conf_min, W_MAX);
		if (k == KW_AMBIGUOUS)
			return ambiguous_err("keyword", w, conf_words, W_MAX);
		if (k == KW_NONE) {
			if (!isdigit((unsigned char)w[0]) && !strchr(w, ':'))
				return syntax_err("%s: unknown word \"%s\"",
						  cmd, esc(w));
			rc = add_prefix(c, w, &cap);
			if (rc)
				return rc;
			continue;
		}
		if (k == W_DEV && !add)
			return syntax_err("set: the parent device cannot be changed (delete the device and add it again)");
		if (k == W_STATE && add)
			return syntax_err("add: a state can only be forced on a running device, with \"set NAME state master|backup\"");
		if (seen[k])
			return syntax_err("%s given twice", conf_words[k]);
		seen[k] = true;
		if (i + 1 >= argc)
			return syntax_err("missing value for %s", conf_words[k]);
		val = argv[++i];

		switch (k) {
		case W_DEV:
			rc = check_ifname("parent device name", val);
			c->parent = val;
			break;
		case W_VHID:
			rc = parse_int_word("vhid", val, CARP_VHID_MIN,
					    CARP_VHID_MAX, &c->vhid);
			break;
		case W_ADVBASE:
			rc = parse_int_word("advbase", val, CARP_ADVBASE_MIN,
					    CARP_ADVBASE_MAX, &c->advbase);
			break;
		case W_ADVSKEW:
			rc = parse_int_word("advskew", val, 0,
					    CARP_ADVSKEW_MAX, &c->advskew);
			break;
		case W_STATE:
			rc = parse_state_word(val, &c->state);
			break;
		case W_PEER:
			rc = parse_peers_word("peer", val, false, &c->peers);
			c->has_peer = true;
			break;
		case W_PEER6:
			rc = parse_peers_word("peer6", val, true, &c->peers);
			c->has_peer6 = true;
			break;
		case W_PASS:
			c->keylen = strlen(val);
			if (c->keylen > CARP_KEY_LEN)
				return syntax_err("pass is %zu bytes long, at most %d are allowed",
						  c->keylen, CARP_KEY_LEN);
			memcpy(c->key, val, c->keylen);
			c->has_key = true;
			break;
		case W_CARPNODES:
			rc = parse_carpnodes_word(val, c);
			break;
		case W_BALANCING:
			rc = parse_balancing_word(val, &c->balancing);
			break;
		case W_LLADDR:
			rc = parse_lladdr_word(val, &c->lladdr);
			break;
		case W_CARPVER:
			rc = parse_carpver_word(val, &c->version);
			break;
		case W_VRRPPRIO:
			rc = parse_int_word("vrrpprio", val, CARP_VRRP_PRIO_MIN,
					    CARP_VRRP_PRIO_MAX, &c->vrrp_prio);
			break;
		case W_VRRPINTERVAL:
			rc = parse_int_word("vrrpinterval", val,
					    CARP_VRRP_INTERVAL_MIN,
					    CARP_VRRP_INTERVAL_MAX,
					    &c->vrrp_interval);
			break;
		case W_VRRPPREEMPT:
			rc = parse_onoff_word("vrrppreempt", val,
					      &c->vrrp_preempt);
			break;
		case W_VRRPACCEPT:
			rc = parse_onoff_word("vrrpaccept", val,
					      &c->vrrp_accept);
			break;
		case W_VRRPFAMILY:
			rc = parse_family_word(val, &c->vrrp_family);
			break;
		}
		if (rc)
			return rc;
	}
	rc = check_dup_addrs(c);
	if (!rc)
		rc = check_version(cmd, c, seen, add);
	if (rc)
		return rc;
	rc = check_nodes(cmd, c, add);
	if (!rc)
		rc = check_interval(c, add);
	if (rc)
		return rc;
	return check_ipv6_host(c);
}

/* @a is in @sorted (addrs_sorted()), the same address and prefix length. */
static bool addr_in(const struct carp_addr *a, const struct carp_addr *sorted,
		    size_t n)
{
	return n && bsearch(a, sorted, n, sizeof(*sorted), addr_order);
}

static bool is_carp(const struct carp_list *l, unsigned int ifindex)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return true;
	return false;
}

/*
 * The non-carp interface with the longest subnet (IPv4) or prefix (IPv6)
 * containing @vip, of the interfaces' own addresses. A link-local IPv6
 * address is in the fe80::/64 of every link: it names none.
 */
static int find_parent(const struct carp_addr *vip, unsigned int *link)
{
	struct carp_list carps = { NULL, 0 };
	struct rt_addr *ra = NULL, *best = NULL;
	char buf[ADDR_STRLEN];
	size_t n = 0, i;
	int err, rc = 0;

	if (vip->v6 && IN6_IS_ADDR_LINKLOCAL(&vip->addr6))
		return syntax_err("%s is link-local, on every link: name the parent with \"dev PARENT\"",
				  format_prefix(vip, buf));
	err = nl_dump_devices(&carps);
	if (err)
		return kernel_err(err, "cannot list carp devices");
	err = nl_list_addresses(&ra, &n);
	if (err) {
		rc = rt_err(err, "cannot list the interfaces' addresses");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!ra[i].a.plen || is_carp(&carps, ra[i].ifindex))
			continue;
		if (!prefix_holds(&ra[i].a, vip))
			continue;
		if (best && best->a.plen >= ra[i].a.plen)
			continue;
		best = &ra[i];
	}
	if (best)
		*link = best->ifindex;
	else
		rc = syntax_err("no interface has a subnet containing %s; name the parent with \"dev PARENT\"",
				format_prefix(vip, buf));
out:
	free(ra);
	carp_list_free(&carps);
	return rc;
}

/*
 * The address that finds the parent: the first IPv4 one, else the first
 * IPv6 one that is not link-local (a VRRPv3 device of IPv6 has one of
 * each, the link-local one often first), else the first one, which
 * find_parent() refuses.
 */
static const struct carp_addr *parent_addr(const struct carp_conf *c)
{
	size_t i;

	for (i = 0; i < c->naddrs; i++)
		if (!c->addrs[i].v6)
			return &c->addrs[i];
	for (i = 0; i < c->naddrs; i++)
		if (!addr_linklocal(&c->addrs[i]))
			return &c->addrs[i];
	return &c->addrs[0];
}

int conf_add_check(struct carp_conf *c, unsigned int *link)
{
	int rc;

	*link = 0;
	if (c->vhid < 0 && !c->nnodes)
		return syntax_err("add: vhid is required (or carpnodes)");
	if (!c->naddrs)
		return syntax_err("add: at least one address is required");
	if (c->parent) {
		*link = if_nametoindex(c->parent);
		if (!*link)
			return syntax_err("parent device \"%s\" does not exist",
					  esc(c->parent));
	}
	rc = nl_open();
	if (rc || c->parent)
		return rc;
	return find_parent(parent_addr(c), link);
}

int conf_add_create(const struct carp_conf *c, unsigned int link)
{
	char buf[ADDR_STRLEN], msg[512];
	struct carp_info ci;
	unsigned int ifindex;
	size_t i;
	int err;

	err = nl_new_device(c, link);
	if (err)
		return kernel_err(err, "cannot create %s", c->ifname);

	/* From here on, a failure removes the half-made device. */
	ifindex = if_nametoindex(c->ifname);
	if (!ifindex) {
		err = nl_get_device(c->ifname, &ci);
		if (err) {
			kernel_err_format(msg, sizeof(msg), err, true,
					  "cannot find %s", c->ifname);
			goto undo;
		}
		ifindex = ci.ifindex;
		carp_info_free(&ci);
	}
	for (i = 0; i < c->naddrs; i++) {
		err = nl_add_address(ifindex, &c->addrs[i]);
		if (err) {
			kernel_err_format(msg, sizeof(msg), err, true,
					  "cannot add %s to %s",
					  format_prefix(&c->addrs[i], buf),
					  c->ifname);
			goto undo;
		}
	}
	err = nl_set_link_up(ifindex);
	if (err) {
		kernel_err_format(msg, sizeof(msg), err, true,
				  "cannot bring %s up", c->ifname);
		goto undo;
	}
	return EXIT_OK;

undo:
	err = nl_del_device(c->ifname);
	if (err)
		return sys_err("%s (and %s could not be removed: %s)", msg,
			       c->ifname, kernel_msg()[0] ? kernel_msg() :
			       strerror(-err));
	return sys_err("%s", msg);
}

int cmd_add(int argc, char **argv)
{
	unsigned int link;
	struct carp_conf c;
	int rc;

	rc = conf_parse("add", argc, argv, true, &c);
	if (!rc)
		rc = conf_add_check(&c, &link);
	if (!rc)
		rc = conf_add_create(&c, link);
	free(c.addrs);
	return rc;
}

/*
 * Add to the device (@add), or remove from it, each of @v (@n of them)
 * that is not in @sorted (@nsorted, from addrs_sorted()): 0, or the exit
 * status. An address there already, or gone already, is no error;
 * *touched is set if some address was asked for.
 */
static int apply_addrs(const char *ifname, unsigned int ifindex, bool add,
		       const struct carp_addr *v, size_t n,
		       const struct carp_addr *sorted, size_t nsorted,
		       bool *touched)
{
	char buf[ADDR_STRLEN];
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		if (addr_in(&v[i], sorted, nsorted))
			continue;
		err = add ? nl_add_address(ifindex, &v[i]) :
			    nl_del_address(ifindex, &v[i]);
		if (err && err != (add ? -EEXIST : -EADDRNOTAVAIL))
			return rt_err(err, "cannot %s %s %s %s",
				      add ? "add" : "remove",
				      format_prefix(&v[i], buf),
				      add ? "to" : "from", ifname);
		*touched = true;
	}
	return EXIT_OK;
}

/* Make the device's IPv4 addresses exactly @c's. */
static int replace_addrs(const struct carp_conf *c, struct carp_info *ci)
{
	struct carp_addr *want = NULL, *have = NULL;
	unsigned int ifindex = ci->ifindex;
	bool added = false, deleted = false;
	int pass, err, rc = EXIT_OK;

	if (!ifindex)
		ifindex = if_nametoindex(c->ifname);
	if (!ifindex)
		return sys_err("%s: %s", c->ifname, strerror(ENODEV));
	want = addrs_sorted(c->addrs, c->naddrs);
	if (!want)
		return sys_err("out of memory");

	/*
	 * Add the missing ones first, so the device never goes without an
	 * address, then remove the others. Removing a primary address also
	 * removes its secondaries (unless promote_secondaries is set), so
	 * check once more afterwards and put back what went away.
	 */
	for (pass = 0; pass < 2; pass++) {
		free(have);
		have = addrs_sorted(ci->addrs, ci->naddrs);
		if (!have) {
			rc = sys_err("out of memory");
			goto out;
		}
		rc = apply_addrs(c->ifname, ifindex, true, c->addrs,
				 c->naddrs, have, ci->naddrs, &added);
		if (rc || pass)
			goto out;
		rc = apply_addrs(c->ifname, ifindex, false, ci->addrs,
				 ci->naddrs, want, c->naddrs, &deleted);
		if (rc)
			goto out;
		if (!deleted)
			break;
		carp_info_free(ci);
		err = nl_get_device(c->ifname, ci);
		if (err) {
			rc = kernel_err(err, "%s", c->ifname);
			goto out;
		}
	}
out:
	free(have);
	free(want);
	return rc;
}

/* After a refused set: put back the addresses @old had (best effort). */
static void restore_addrs(const struct carp_conf *old)
{
	struct carp_info now = { 0 };

	if (!nl_get_device(old->ifname, &now))
		replace_addrs(old, &now);
	carp_info_free(&now);
}

/*
 * The addresses a set gives a VRRPv3 device: of its family, fixed at
 * creation (a vrrpfamily of the set that says otherwise is the kernel's
 * to refuse, but these addresses would be wrong either way).
 */
static int check_device_addrs(const struct carp_conf *c,
			      const struct carp_info *ci)
{
	char whose[IFNAMSIZ + 32];

	if (addrs_vrrp_family(c->addrs, c->naddrs) < 0)
		return syntax_err("set: " VRRP_ONE_FAMILY);
	snprintf(whose, sizeof(whose), "%s (vrrpfamily %s)", ci->ifname,
		 carp_vrrp_family_str(ci->vrrp_family));
	return check_vrrp_addrs("set", c, ci->vrrp_family, whose);
}

/* Does @c change anything besides the addresses? */
static bool conf_has_attrs(const struct carp_conf *c)
{
	return c->vhid >= 0 || c->advbase >= 0 || c->advskew >= 0 ||
	       c->has_key || c->state >= 0 || c->has_peer || c->has_peer6 ||
	       c->nnodes || c->balancing >= 0 || c->lladdr >= 0 ||
	       c->version >= 0 || c->vrrp_prio >= 0 ||
	       c->vrrp_interval >= 0 || c->vrrp_preempt >= 0 ||
	       c->vrrp_accept >= 0 || c->vrrp_family >= 0;
}

int conf_set(const struct carp_conf *c)
{
	struct carp_info ci = { 0 };
	struct carp_conf old = { 0 };
	bool attrs = conf_has_attrs(c);
	int rc, err;

	rc = nl_open();
	if (rc)
		goto out;
	/*
	 * The addresses first: should they or the rest be refused, the old
	 * addresses can be put back, as a key (write-only) could not be.
	 */
	if (c->naddrs) {
		err = nl_get_device(c->ifname, &ci);
		if (err) {
			rc = kernel_err(err, "%s", c->ifname);
			goto out;
		}
		/* the device says which protocol it speaks, and its family */
		if (ci.version == CARP_PROTO_VRRP) {
			rc = check_device_addrs(c, &ci);
			if (rc)
				goto out;
		}
		old.naddrs = ci.naddrs;
		old.addrs = calloc(ci.naddrs + 1, sizeof(*old.addrs));
		if (!old.addrs) {
			rc = sys_err("out of memory");
			goto out;
		}
		memcpy(old.addrs, ci.addrs, ci.naddrs * sizeof(*old.addrs));
		strcpy(old.ifname, c->ifname);
		rc = replace_addrs(c, &ci);
		if (rc) {
			restore_addrs(&old);
			goto out;
		}
	}
	if (attrs) {
		err = nl_set_device(c);
		if (err) {
			rc = kernel_err(err, "cannot change %s", c->ifname);
			if (c->naddrs)
				restore_addrs(&old);
			goto out;
		}
	}
out:
	carp_info_free(&ci);
	free(old.addrs);
	return rc;
}

int cmd_set(int argc, char **argv)
{
	struct carp_conf c;
	int rc;

	rc = conf_parse("set", argc, argv, false, &c);
	if (!rc && !conf_has_attrs(&c) && !c.naddrs)
		rc = syntax_err("set: nothing to change");
	if (!rc)
		rc = conf_set(&c);
	free(c.addrs);
	return rc;
}

int cmd_del(int argc, char **argv)
{
	int rc, err;

	rc = parse_device_arg("del", argc, argv, true);
	if (rc)
		return rc;
	rc = nl_open();
	if (rc)
		return rc;
	err = nl_del_device(argv[0]);
	if (err)
		return kernel_err(err, "cannot delete %s", argv[0]);
	return EXIT_OK;
}
