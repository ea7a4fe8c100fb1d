// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the diff behind apply. A device is compared field by field
 * with what its add line would create (the defaults of add filled in), so
 * that a line that matches costs no request at all, and a change becomes
 * one set carrying only what differs: the kernel keeps a vhid's state
 * across a set that leaves its vhids alone, and only a set that changes
 * nothing may be left out without losing anything.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carpctl.h"
#include "parse.h"
#include "plan.h"

/* The vhids of a device and their advskews, sorted by vhid (as the kernel). */
struct nodeset {
	int n;
	struct vhid_skew v[CARP_NODES_MAX];
};

static void nodes_sort(struct nodeset *s)
{
	struct vhid_skew x;
	int i, j;

	for (i = 1; i < s->n; i++) {
		x = s->v[i];
		for (j = i; j > 0 && s->v[j - 1].vhid > x.vhid; j--)
			s->v[j] = s->v[j - 1];
		s->v[j] = x;
	}
}

/* What add makes of @c: carpnodes, or one vhid at advskew 0 unless given. */
static void want_nodes(const struct carp_conf *c, struct nodeset *s)
{
	if (c->nnodes) {
		s->n = c->nnodes;
		memcpy(s->v, c->nodes, c->nnodes * sizeof(s->v[0]));
	} else {
		s->n = 1;
		s->v[0].vhid = c->vhid;
		s->v[0].advskew = c->advskew >= 0 ? c->advskew : 0;
	}
	nodes_sort(s);
}

static void have_nodes(const struct carp_info *ci, struct nodeset *s)
{
	size_t i;

	s->n = ci->nnodes < CARP_NODES_MAX ? ci->nnodes : CARP_NODES_MAX;
	for (i = 0; i < (size_t)s->n; i++) {
		s->v[i].vhid = ci->nodes[i].vhid;
		s->v[i].advskew = ci->nodes[i].advskew;
	}
	nodes_sort(s);
}

static bool same_vhids(const struct nodeset *a, const struct nodeset *b)
{
	int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].vhid != b->v[i].vhid)
			return false;
	return true;
}

static bool same_nodes(const struct nodeset *a, const struct nodeset *b)
{
	int i;

	if (!same_vhids(a, b))
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].advskew != b->v[i].advskew)
			return false;
	return true;
}

/* add's default: two or more vhids share the traffic by ip. */
static int want_balancing(const struct carp_conf *c, const struct nodeset *s)
{
	if (c->balancing >= 0)
		return c->balancing;
	return s->n > 1 ? CARP_BAL_IP : CARP_BAL_NONE;
}

/* The MAC mode a line asks for (add's default: the virtual MAC) and has. */
static int want_lladdr(const struct carp_conf *c)
{
	return c->lladdr >= 0 ? c->lladdr : CARP_LLADDR_VIRTUAL;
}

static int want_advbase(const struct carp_conf *c)
{
	return c->advbase >= 0 ? c->advbase : 1;
}

/* The protocol, and VRRPv3's settings with add's defaults (the kernel's). */
static int want_version(const struct carp_conf *c)
{
	return c->version >= 0 ? c->version : CARP_PROTO_CARP;
}

static int want_vrrp_prio(const struct carp_conf *c)
{
	return c->vrrp_prio >= 0 ? c->vrrp_prio : CARP_VRRP_PRIO_DEFAULT;
}

static int want_vrrp_interval(const struct carp_conf *c)
{
	return c->vrrp_interval >= 0 ? c->vrrp_interval :
				       CARP_VRRP_INTERVAL_DEFAULT;
}

static int want_vrrp_preempt(const struct carp_conf *c)
{
	return c->vrrp_preempt >= 0 ? c->vrrp_preempt : 1;
}

/* RFC 5798's default, the kernel's. */
static int want_vrrp_accept(const struct carp_conf *c)
{
	return c->vrrp_accept >= 0 ? c->vrrp_accept : 0;
}

/*
 * conf_parse() fills in an add line's family from IPv6 addresses; it is
 * found again here for a request made otherwise (the tests').
 */
static int want_vrrp_family(const struct carp_conf *c)
{
	if (c->vrrp_family >= 0)
		return c->vrrp_family;
	if (addrs_vrrp_family(c->addrs, c->naddrs) == CARP_VRRP_FAMILY_INET6)
		return CARP_VRRP_FAMILY_INET6;
	return CARP_VRRP_FAMILY_INET;
}

int plan_vrrp_family(const struct carp_conf *c)
{
	return want_version(c) == CARP_PROTO_VRRP ? want_vrrp_family(c) : 0;
}

static const char *onoff(int v)
{
	return v ? "on" : "off";
}

/* A family's peers: what a line wants (none if not given), what a device has. */
static size_t want_npeers(const struct carp_conf *c, bool v6)
{
	if (v6)
		return c->has_peer6 ? c->peers.n6 : 0;
	return c->has_peer ? c->peers.n : 0;
}

static size_t have_npeers(const struct carp_info *ci, bool v6)
{
	return v6 ? ci->peers.n6 : ci->peers.n;
}

/* The same peers of a family in the same order (the order is the wire's). */
static bool same_peers(const struct carp_peers *a, size_t na,
		       const struct carp_peers *b, size_t nb, bool v6)
{
	if (na != nb)
		return false;
	if (v6)
		return !memcmp(a->addr6, b->addr6, na * sizeof(a->addr6[0]));
	return !memcmp(a->addr, b->addr, na * sizeof(a->addr[0]));
}

/* Copy @n peers of a family from @from into @to. */
static void copy_peers(struct carp_peers *to, const struct carp_peers *from,
		       size_t n, bool v6)
{
	if (v6) {
		to->n6 = n;
		memcpy(to->addr6, from->addr6, n * sizeof(to->addr6[0]));
	} else {
		to->n = n;
		memcpy(to->addr, from->addr, n * sizeof(to->addr[0]));
	}
}

/* The same addresses, each with the same prefix length: 1, 0, or -1. */
static int same_addrs(const struct carp_addr *a, size_t na,
		      const struct carp_addr *b, size_t nb)
{
	struct carp_addr *sa, *sb;
	size_t i;
	int same;

	if (na != nb)
		return 0;
	sa = addrs_sorted(a, na);
	sb = addrs_sorted(b, nb);
	same = sa && sb ? 1 : -1;
	for (i = 0; same == 1 && i < na; i++)
		if (addr_order(&sa[i], &sb[i]))
			same = 0;
	free(sa);
	free(sb);
	return same;
}

static void conf_blank(struct carp_conf *c, const char *ifname)
{
	memset(c, 0, sizeof(*c));
	c->vhid = c->advbase = c->advskew = c->state = c->balancing = -1;
	c->lladdr = c->version = -1;
	c->vrrp_prio = c->vrrp_interval = c->vrrp_preempt = -1;
	c->vrrp_accept = c->vrrp_family = -1;
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
}

/* The vhids and advskews: vhid and advskew while it has one, else carpnodes. */
static unsigned int diff_nodes(const struct carp_conf *want,
			       const struct nodeset *w,
			       const struct nodeset *h, struct carp_conf *set)
{
	unsigned int changes = 0;

	if (same_nodes(w, h))
		return 0;
	if (!want->nnodes && h->n == 1) {
		if (w->v[0].vhid != h->v[0].vhid) {
			set->vhid = w->v[0].vhid;
			changes |= PLAN_VHID;
		}
		if (w->v[0].advskew != h->v[0].advskew) {
			set->advskew = w->v[0].advskew;
			changes |= PLAN_ADVSKEW;
		}
		return changes;
	}
	set->nnodes = w->n;
	memcpy(set->nodes, w->v, w->n * sizeof(w->v[0]));
	return PLAN_NODES;
}

static unsigned int diff_peers(const struct carp_conf *want,
			       const struct carp_info *have,
			       struct carp_conf *set)
{
	unsigned int changes = 0;

	if (!same_peers(&want->peers, want_npeers(want, false), &have->peers,
			have_npeers(have, false), false)) {
		set->has_peer = true;
		copy_peers(&set->peers, &want->peers, want_npeers(want, false),
			   false);
		changes |= PLAN_PEER;
	}
	if (!same_peers(&want->peers, want_npeers(want, true), &have->peers,
			have_npeers(have, true), true)) {
		set->has_peer6 = true;
		copy_peers(&set->peers, &want->peers, want_npeers(want, true),
			   true);
		changes |= PLAN_PEER6;
	}
	return changes;
}

/*
 * The key cannot be read back, only whether there is one: a line that
 * gives one sends it again (the kernel swaps the HMAC key alone, see
 * carp_dev_configure()); a line without one takes the device's away.
 */
static unsigned int diff_key(const struct carp_conf *want,
			     const struct carp_info *have,
			     struct carp_conf *set)
{
	bool want_key = want->has_key && want->keylen;

	if (!want_key && !have->has_key)
		return 0;
	set->has_key = true;
	set->keylen = want_key ? want->keylen : 0;
	memcpy(set->key, want->key, set->keylen);
	return want_key ? PLAN_KEY : PLAN_KEY_DEL;
}

/*
 * VRRPv3's priority, interval, preemption and Accept_Mode, each with
 * add's default; not Accept_Mode where the module does not report it (one
 * before it was a setting would refuse it).
 */
static unsigned int diff_vrrp(const struct carp_conf *want,
			      const struct carp_info *have,
			      struct carp_conf *set)
{
	unsigned int changes = 0;

	if (want_vrrp_prio(want) != have->vrrp_prio) {
		set->vrrp_prio = want_vrrp_prio(want);
		changes |= PLAN_VRRP_PRIO;
	}
	if (want_vrrp_interval(want) != have->vrrp_interval) {
		set->vrrp_interval = want_vrrp_interval(want);
		changes |= PLAN_VRRP_INTERVAL;
	}
	if (want_vrrp_preempt(want) != (int)have->vrrp_preempt) {
		set->vrrp_preempt = want_vrrp_preempt(want);
		changes |= PLAN_VRRP_PREEMPT;
	}
	if (have->vrrp_accept >= 0 &&
	    want_vrrp_accept(want) != have->vrrp_accept) {
		set->vrrp_accept = want_vrrp_accept(want);
		changes |= PLAN_VRRP_ACCEPT;
	}
	return changes;
}

int plan_diff(const struct carp_conf *want, unsigned int link,
	      const struct carp_info *have, struct carp_conf *set)
{
	unsigned int changes = 0;
	struct nodeset w, h;
	bool vrrp;
	int bal, same;

	conf_blank(set, want->ifname);
	if (!have->has_link || have->link != link)
		changes |= PLAN_LINK;
	/* the kernel takes carpver and vrrpfamily at creation only */
	if (want_version(want) != have->version)
		changes |= PLAN_VERSION;
	else if (have->version == CARP_PROTO_VRRP &&
		 want_vrrp_family(want) != have->vrrp_family)
		changes |= PLAN_VRRP_FAMILY;
	if (changes)
		return changes;
	want_nodes(want, &w);
	have_nodes(have, &h);
	/*
	 * VRRPv3 has neither advskew nor advbase (the kernel keeps CARP's
	 * defaults, which no set may change): its VRID alone counts, and
	 * its own settings.
	 */
	vrrp = have->version == CARP_PROTO_VRRP;
	if (vrrp && w.n == 1 && h.n == 1)
		w.v[0].advskew = h.v[0].advskew;
	changes = diff_nodes(want, &w, &h, set);
	bal = want_balancing(want, &w);
	if (bal != have->balancing) {
		set->balancing = bal;
		changes |= PLAN_BALANCING;
	}
	if (!vrrp && want_advbase(want) != have->advbase) {
		set->advbase = want_advbase(want);
		changes |= PLAN_ADVBASE;
	}
	if (vrrp)
		changes |= diff_vrrp(want, have, set);
	if (want_lladdr(want) != have->lladdr) {
		set->lladdr = want_lladdr(want);
		changes |= PLAN_LLADDR;
	}
	changes |= diff_peers(want, have, set);
	changes |= diff_key(want, have, set);
	same = same_addrs(want->addrs, want->naddrs, have->addrs,
			  have->naddrs);
	if (same < 0)
		return -1;
	if (!same) {
		set->addrs = want->addrs;
		set->naddrs = want->naddrs;
		changes |= PLAN_ADDRS;
	}
	return changes;
}

void plan_undo(const struct carp_info *have, unsigned int changes,
	       struct carp_conf *undo)
{
	struct nodeset h;

	conf_blank(undo, have->ifname);
	have_nodes(have, &h);
	if (changes & PLAN_VHID)
		undo->vhid = h.v[0].vhid;
	if (changes & PLAN_ADVSKEW)
		undo->advskew = h.v[0].advskew;
	if (changes & PLAN_NODES) {
		undo->nnodes = h.n;
		memcpy(undo->nodes, h.v, h.n * sizeof(h.v[0]));
	}
	if (changes & PLAN_BALANCING)
		undo->balancing = have->balancing;
	if (changes & PLAN_ADVBASE)
		undo->advbase = have->advbase;
	if (changes & PLAN_LLADDR)
		undo->lladdr = have->lladdr;
	if (changes & PLAN_VRRP_PRIO)
		undo->vrrp_prio = have->vrrp_prio;
	if (changes & PLAN_VRRP_INTERVAL)
		undo->vrrp_interval = have->vrrp_interval;
	if (changes & PLAN_VRRP_PREEMPT)
		undo->vrrp_preempt = have->vrrp_preempt;
	if (changes & PLAN_VRRP_ACCEPT)
		undo->vrrp_accept = have->vrrp_accept;
	if (changes & PLAN_PEER) {
		undo->has_peer = true;
		copy_peers(&undo->peers, &have->peers, have->peers.n, false);
	}
	if (changes & PLAN_PEER6) {
		undo->has_peer6 = true;
		copy_peers(&undo->peers, &have->peers, have->peers.n6, true);
	}
	if (changes & PLAN_ADDRS) {
		undo->addrs = have->addrs;
		undo->naddrs = have->naddrs;
	}
}

/* ------------------------------------------------------------------ */
/* The words of the plan. */

static void format_nodes(const struct nodeset *s, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < s->n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%d:%d",
				 i ? "," : "", s->v[i].vhid, s->v[i].advskew);
}

/* A list of peers as text: CARP_PEERS_MAX IPv6 addresses and commas. */
#define PEERS_STRLEN	(CARP_PEERS_MAX * INET6_ADDRSTRLEN)

/*
 * A family's @n peers as carpctl takes them: comma-separated, or "none".
 * @buf has PEERS_STRLEN bytes.
 */
static const char *format_peers(const struct carp_peers *p, size_t n, bool v6,
				char *buf)
{
	size_t i, used = 0;

	if (!n)
		return "none";
	for (i = 0; i < n; i++) {
		if (i)
			buf[used++] = ',';
		inet_ntop(v6 ? AF_INET6 : AF_INET,
			  v6 ? (const void *)&p->addr6[i] :
			  (const void *)&p->addr[i], buf + used, INET6_ADDRSTRLEN);
		used += strlen(buf + used);
	}
	return buf;
}

/* A growing string, for a list of addresses of any length. */
struct text {
	char *s;
	size_t len, cap;
	bool nomem;
};

static void text_add(struct text *t, const char *s)
{
	size_t n = strlen(s);
	char *p;

	if (t->nomem)
		return;
	if (t->len + n + 1 > t->cap) {
		t->cap = 2 * (t->len + n + 1);
		p = realloc(t->s, t->cap);
		if (!p) {
			t->nomem = true;
			return;
		}
		t->s = p;
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

/* Each of @v not in @other (sorted), as " +A/P" (@sign '+') or " -A/P". */
static void text_addrs(struct text *t, char sign, const struct carp_addr *v,
		       size_t n, const struct carp_addr *other, size_t nother)
{
	char buf[ADDR_STRLEN + 2];
	size_t i;

	for (i = 0; i < n; i++) {
		if (nother && bsearch(&v[i], other, nother, sizeof(*other),
				      addr_order))
			continue;
		buf[0] = ' ';
		buf[1] = sign;
		format_prefix(&v[i], buf + 2);
		text_add(t, buf);
	}
}

/* "addresses +A/P -B/Q": what goes on, then what goes away. */
static int describe_addrs(const struct carp_conf *want,
			  const struct carp_info *have, plan_emit_fn emit,
			  void *arg)
{
	struct carp_addr *w = addrs_sorted(want->addrs, want->naddrs);
	struct carp_addr *h = addrs_sorted(have->addrs, have->naddrs);
	struct text t = { NULL, 0, 0, !w || !h };

	text_add(&t, "addresses");
	text_addrs(&t, '+', want->addrs, want->naddrs, h, have->naddrs);
	text_addrs(&t, '-', have->addrs, have->naddrs, w, want->naddrs);
	if (!t.nomem)
		emit(arg, t.s);
	free(t.s);
	free(w);
	free(h);
	return t.nomem ? -1 : 0;
}

#define RESTARTS " (new identity: restarts from INIT)"

static void describe_nodes(const struct carp_conf *want,
			   const struct carp_info *have, unsigned int changes,
			   plan_emit_fn emit, void *arg)
{
	char line[2 * 8 * CARP_NODES_MAX + 64], a[8 * CARP_NODES_MAX],
	     b[8 * CARP_NODES_MAX];
	struct nodeset w, h;

	want_nodes(want, &w);
	have_nodes(have, &h);
	if (changes & PLAN_VHID) {
		snprintf(line, sizeof(line), "vhid %d -> %d" RESTARTS,
			 h.v[0].vhid, w.v[0].vhid);
		emit(arg, line);
	}
	if (changes & PLAN_ADVSKEW) {
		snprintf(line, sizeof(line), "advskew %d -> %d",
			 h.v[0].advskew, w.v[0].advskew);
		emit(arg, line);
	}
	if (changes & PLAN_NODES) {
		format_nodes(&h, a, sizeof(a));
		format_nodes(&w, b, sizeof(b));
		snprintf(line, sizeof(line), "carpnodes %s -> %s%s", a, b,
			 same_vhids(&w, &h) ? "" : RESTARTS);
		emit(arg, line);
	}
	if (changes & PLAN_BALANCING) {
		snprintf(line, sizeof(line), "balancing %s -> %s" RESTARTS,
			 carp_balancing_str(have->balancing),
			 carp_balancing_str(want_balancing(want, &w)));
		emit(arg, line);
	}
}

/* "peer OLD -> NEW" and "peer6 OLD -> NEW", each whole list. */
static void describe_peers(const struct carp_conf *want,
			   const struct carp_info *have, unsigned int changes,
			   plan_emit_fn emit, void *arg)
{
	char line[2 * PEERS_STRLEN + 16], a[PEERS_STRLEN], b[PEERS_STRLEN];
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		if (!(changes & (v6 ? PLAN_PEER6 : PLAN_PEER)))
			continue;
		snprintf(line, sizeof(line), "%s %s -> %s",
			 v6 ? "peer6" : "peer",
			 format_peers(&have->peers, have_npeers(have, v6), v6, a),
			 format_peers(&want->peers, want_npeers(want, v6), v6, b));
		emit(arg, line);
	}
}

int plan_describe(const struct carp_conf *want,
		  const struct carp_info *have, unsigned int changes,
		  plan_emit_fn emit, void *arg)
{
	char line[128];

	describe_nodes(want, have, changes, emit, arg);
	if (changes & PLAN_ADVBASE) {
		snprintf(line, sizeof(line), "advbase %d -> %d", have->advbase,
			 want_advbase(want));
		emit(arg, line);
	}
	if (changes & PLAN_VRRP_PRIO) {
		snprintf(line, sizeof(line), "vrrpprio %d -> %d",
			 have->vrrp_prio, want_vrrp_prio(want));
		emit(arg, line);
	}
	if (changes & PLAN_VRRP_INTERVAL) {
		snprintf(line, sizeof(line), "vrrpinterval %d -> %d",
			 have->vrrp_interval, want_vrrp_interval(want));
		emit(arg, line);
	}
	if (changes & PLAN_VRRP_PREEMPT) {
		snprintf(line, sizeof(line), "vrrppreempt %s -> %s",
			 onoff(have->vrrp_preempt),
			 onoff(want_vrrp_preempt(want)));
		emit(arg, line);
	}
	if (changes & PLAN_VRRP_ACCEPT) {
		snprintf(line, sizeof(line), "vrrpaccept %s -> %s",
			 onoff(have->vrrp_accept),
			 onoff(want_vrrp_accept(want)));
		emit(arg, line);
	}
	if (changes & PLAN_LLADDR) {
		snprintf(line, sizeof(line), "lladdr %s -> %s",
			 carp_lladdr_str(have->lladdr),
			 carp_lladdr_str(want_lladdr(want)));
		emit(arg, line);
	}
	describe_peers(want, have, changes, emit, arg);
	if (changes & PLAN_KEY)
		emit(arg, "pass (sent again: a key cannot be read back)");
	if (changes & PLAN_KEY_DEL)
		emit(arg, "pass (removed)");
	if (changes & PLAN_ADDRS)
		return describe_addrs(want, have, emit, arg);
	return 0;
}

/* snprintf() at @used of @buf (@len bytes), nothing once it is full. */
static __attribute__((format(printf, 4, 5)))
size_t cat(char *buf, size_t len, size_t used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used >= len)
		return used;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	return n < 0 ? len : used + n;
}

void plan_format_add(const struct carp_conf *c, const char *parent,
		     char *buf, size_t len)
{
	char nodes[8 * CARP_NODES_MAX], peers[PEERS_STRLEN], pfx[ADDR_STRLEN];
	struct nodeset w;
	size_t used, i;

	want_nodes(c, &w);
	used = cat(buf, len, 0, "dev %s", parent);
	if (want_version(c) == CARP_PROTO_VRRP) {
		used = cat(buf, len, used,
			   " vhid %d carpver 3 vrrpfamily %s vrrpprio %d vrrpinterval %d vrrppreempt %s vrrpaccept %s",
			   w.v[0].vhid,
			   carp_vrrp_family_str(want_vrrp_family(c)),
			   want_vrrp_prio(c), want_vrrp_interval(c),
			   onoff(want_vrrp_preempt(c)),
			   onoff(want_vrrp_accept(c)));
		goto addrs;
	}
	if (c->nnodes) {
		format_nodes(&w, nodes, sizeof(nodes));
		used = cat(buf, len, used, " carpnodes %s balancing %s", nodes,
			   carp_balancing_str(want_balancing(c, &w)));
	} else {
		used = cat(buf, len, used, " vhid %d advskew %d", w.v[0].vhid,
			   w.v[0].advskew);
	}
	used = cat(buf, len, used, " advbase %d%s", want_advbase(c),
		   c->has_key && c->keylen ? " pass *" : "");
	if (want_npeers(c, false))
		used = cat(buf, len, used, " peer %s",
			   format_peers(&c->peers, c->peers.n, false, peers));
	if (want_npeers(c, true))
		used = cat(buf, len, used, " peer6 %s",
			   format_peers(&c->peers, c->peers.n6, true, peers));
addrs:
	for (i = 0; i < c->naddrs; i++)
		used = cat(buf, len, used, " %s",
			   format_prefix(&c->addrs[i], pfx));
}
