// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the show and stats commands, as a table or as JSON.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "json.h"
#include "nl.h"
#include "parse.h"
#include "prom.h"

/* The counters of a device (@netns false) or of the namespace. */
static bool stat_shown(int s, bool netns)
{
	return carp_stat_str(s) && (netns || !carp_stat_netns_only(s));
}

static int by_name(const void *a, const void *b)
{
	const struct carp_info *x = a, *y = b;

	return strcmp(x->ifname, y->ifname);
}

/*
 * By name. An empty dump leaves no array at all, and qsort() must not be
 * given NULL even for no elements (UBSan, found by fuzz_reply).
 */
static void sort_by_name(struct carp_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_name);
}

/* [NAME]: one device (an error if missing) or all of them, by name. */
static int collect(const char *cmd, int argc, char **argv,
		   struct carp_list *l)
{
	int rc, err;

	l->v = NULL;
	l->n = 0;
	rc = parse_device_arg(cmd, argc, argv, false);
	if (rc)
		return rc;
	rc = nl_open();
	if (rc)
		return rc;

	if (argc == 0) {
		err = nl_dump_devices(l);
		if (err)
			return kernel_err(err, "cannot list carp devices");
		sort_by_name(l);
		return EXIT_OK;
	}
	l->v = calloc(1, sizeof(*l->v));
	if (!l->v)
		return sys_err("out of memory");
	err = nl_get_device(argv[0], &l->v[0]);
	if (err) {
		free(l->v);
		l->v = NULL;
		return kernel_err(err, "%s", argv[0]);
	}
	l->n = 1;
	return EXIT_OK;
}

/* The parent's name, or "if<N>" when it cannot be resolved here. */
static const char *parent_name(const struct carp_info *ci, char *buf)
{
	if (!ci->has_link)
		return NULL;
	if (!if_indextoname(ci->link, buf))
		snprintf(buf, IFNAMSIZ, "if%u", ci->link);
	return buf;
}

static const char *vmac_string(const struct carp_info *ci, char *buf)
{
	const unsigned char *m = ci->vmac;

	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	return d;
}

/*
 * Output as iproute2's print_*(PRINT_ANY, key, fmt, value): a field is
 * printed once, to where it goes. With @j, as the member @key of the
 * object under way; else as the text of its table cell, into @cell
 * (malloc'ed), "-" for none (no parent, no change yet).
 */
enum { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = PRINT_FP | PRINT_JSON };

struct show_out {
	struct json *j;		/* NULL: the table */
	char *cell;
};

/* @s, or null ("-") if NULL. */
static void print_string(struct show_out *o, int mode, const char *key,
			 const char *s)
{
	if (!o->j) {
		if (mode & PRINT_FP)
			o->cell = xstrdup(s ? s : "-");
		return;
	}
	if (!(mode & PRINT_JSON))
		return;
	json_key(o->j, key);
	if (s)
		json_string(o->j, s);
	else
		json_null(o->j);
}

/* @v, or null ("-") if not @has. */
static void print_u64(struct show_out *o, int mode, const char *key, bool has,
		      uint64_t v)
{
	char buf[24];

	if (!o->j || !has) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
		print_string(o, mode, key, has ? buf : NULL);
		return;
	}
	if (!(mode & PRINT_JSON))
		return;
	json_key(o->j, key);
	json_uint(o->j, v);
}

/* @v, or null ("-") if negative: none (a reason before the first change). */
static void print_int(struct show_out *o, int mode, const char *key, int v)
{
	print_u64(o, mode, key, v >= 0, v);
}

static void print_bool(struct show_out *o, int mode, const char *key, bool v)
{
	if (!o->j) {
		if (mode & PRINT_FP)
			o->cell = xstrdup(v ? "yes" : "no");
		return;
	}
	if (!(mode & PRINT_JSON))
		return;
	json_key(o->j, key);
	json_bool(o->j, v);
}

/* A device that show gives lines of its own: several vhids, or balancing. */
static bool balanced(const struct carp_info *ci)
{
	return ci->nnodes > 1 || ci->balancing > CARP_BAL_NONE;
}

/* "1:0,2:100,3:200", malloc'ed. */
static char *nodes_string(const struct carp_info *ci)
{
	size_t i, len = 0;
	char *s;

	s = malloc(ci->nnodes * sizeof(",255:254") + 2);
	if (!s) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	strcpy(s, "-");
	for (i = 0; i < ci->nnodes; i++)
		len += sprintf(s + len, "%s%d:%d", i ? "," : "",
			       ci->nodes[i].vhid, ci->nodes[i].advskew);
	return s;
}

/* A VRRPv3 device: no advbase or advskew, its own fields instead. */
static bool vrrp(const struct carp_info *ci)
{
	return ci->version == CARP_PROTO_VRRP;
}

/* One vhid of a device, as an object of "nodes" (VRRPv3: no advskew). */
static void node_json(struct json *j, const struct carp_node_info *n,
		      bool no_skew)
{
	struct show_out o = { .j = j };

	json_begin_object(j);
	print_int(&o, PRINT_JSON, "vhid", n->vhid);
	print_int(&o, PRINT_JSON, "advskew", no_skew ? -1 : n->advskew);
	print_string(&o, PRINT_JSON, "state", carp_state_str(n->state));
	print_u64(&o, PRINT_JSON, "last_change_ms", n->has_last_change,
		  n->last_change_ms);
	print_string(&o, PRINT_JSON, "last_reason",
		     n->last_reason[0] ? n->last_reason : NULL);
	print_string(&o, PRINT_JSON, "reason",
		     n->reason >= 0 ? carp_reason_str(n->reason) : NULL);
	json_end_object(j);
}

/*
 * The fields of show, each printed by a function of its own both ways:
 * in this order, as the members of a device's JSON object and as the
 * columns of the table. A field with no @head is JSON only (the table
 * puts the vhids of a balanced device on lines of their own). A column
 * with @wanted is there only when it holds something for some device:
 * PEER (PEER6) for IPv4 (IPv6) unicast peers, DEMOTE for a demotion.
 * REASON is last, as it may hold blanks.
 */
struct show_field {
	const char *key;
	const char *head;
	bool (*wanted)(const struct carp_info *ci);
	void (*print)(struct show_out *o, const char *key,
		      const struct carp_info *ci);
};

static void show_ifname(struct show_out *o, const char *key,
			const struct carp_info *ci)
{
	print_string(o, PRINT_ANY, key, ci->ifname);
}

static void show_dev(struct show_out *o, const char *key,
		     const struct carp_info *ci)
{
	char buf[IFNAMSIZ];

	print_string(o, PRINT_ANY, key, parent_name(ci, buf));
}

static void show_vhid(struct show_out *o, const char *key,
		      const struct carp_info *ci)
{
	print_int(o, PRINT_ANY, key, ci->vhid);
}

/* 2 (CARP) or 3 (VRRPv3), JSON only: the table says it under a row. */
static void show_carpver(struct show_out *o, const char *key,
			 const struct carp_info *ci)
{
	print_int(o, PRINT_JSON, key, ci->version);
}

/* CARP's timing: null ("-") for a VRRPv3 device, which has none. */
static void show_advbase(struct show_out *o, const char *key,
			 const struct carp_info *ci)
{
	print_int(o, PRINT_ANY, key, vrrp(ci) ? -1 : ci->advbase);
}

static void show_advskew(struct show_out *o, const char *key,
			 const struct carp_info *ci)
{
	print_int(o, PRINT_ANY, key, vrrp(ci) ? -1 : ci->advskew);
}

/* Whether a VRRPv3 device's MASTER accepts (-1: a module that always does). */
static bool vrrp_accepts(const struct carp_info *ci)
{
	return ci->vrrp_accept != 0;
}

/*
 * VRRPv3's, JSON only and only for a VRRPv3 device (a CARP device's
 * object stays as it was): the family ("inet" or "inet6"), the priority,
 * the interval and the master's, in centiseconds (the master's: its own
 * until a master is heard, null before the device first ran), and
 * whether it preempts and accepts.
 */
static void show_vrrp_family(struct show_out *o, const char *key,
			     const struct carp_info *ci)
{
	if (vrrp(ci))
		print_string(o, PRINT_JSON, key,
			     carp_vrrp_family_str(ci->vrrp_family));
}

static void show_vrrp_prio(struct show_out *o, const char *key,
			   const struct carp_info *ci)
{
	if (vrrp(ci))
		print_int(o, PRINT_JSON, key, ci->vrrp_prio);
}

static void show_vrrp_interval(struct show_out *o, const char *key,
			       const struct carp_info *ci)
{
	if (vrrp(ci))
		print_int(o, PRINT_JSON, key, ci->vrrp_interval);
}

static void show_vrrp_preempt(struct show_out *o, const char *key,
			      const struct carp_info *ci)
{
	if (vrrp(ci))
		print_bool(o, PRINT_JSON, key, ci->vrrp_preempt);
}

static void show_vrrp_accept(struct show_out *o, const char *key,
			     const struct carp_info *ci)
{
	if (vrrp(ci))
		print_bool(o, PRINT_JSON, key, vrrp_accepts(ci));
}

static void show_vrrp_master_interval(struct show_out *o, const char *key,
				      const struct carp_info *ci)
{
	if (vrrp(ci))
		print_u64(o, PRINT_JSON, key, ci->vrrp_master_interval > 0,
			  ci->vrrp_master_interval);
}

static void show_state(struct show_out *o, const char *key,
		       const struct carp_info *ci)
{
	print_string(o, PRINT_ANY, key, carp_state_str(ci->state));
}

static void show_vmac(struct show_out *o, const char *key,
		      const struct carp_info *ci)
{
	char mac[18];

	print_string(o, PRINT_JSON, key, vmac_string(ci, mac));
}

/* A column only when some device has its parent's MAC. */
static bool real_mac(const struct carp_info *ci)
{
	return ci->lladdr == CARP_LLADDR_PARENT;
}

static void show_lladdr(struct show_out *o, const char *key,
			const struct carp_info *ci)
{
	print_string(o, PRINT_ANY, key, carp_lladdr_str(ci->lladdr));
}

static void show_auth(struct show_out *o, const char *key,
		      const struct carp_info *ci)
{
	print_bool(o, PRINT_JSON, key, ci->has_key);
}

/* A JSON array, or one cell with the addresses comma-separated. */
static void show_addrs(struct show_out *o, const char *key,
		       const struct carp_info *ci)
{
	char ab[ADDR_STRLEN], *s;
	size_t k, len = 0;

	if (o->j) {
		json_key(o->j, key);
		json_begin_array(o->j);
		for (k = 0; k < ci->naddrs; k++)
			json_string(o->j, format_prefix(&ci->addrs[k], ab));
		json_end_array(o->j);
		return;
	}
	s = malloc(ci->naddrs * (ADDR_STRLEN + 1) + 2);
	if (!s) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	strcpy(s, "-");
	for (k = 0; k < ci->naddrs; k++)
		len += sprintf(s + len, "%s%s", k ? "," : "",
			       format_prefix(&ci->addrs[k], ab));
	o->cell = s;
}

static bool has_peer(const struct carp_info *ci)
{
	return ci->peers.n;
}

static bool has_peer6(const struct carp_info *ci)
{
	return ci->peers.n6;
}

/* The @i-th peer of a family, as text. */
static const char *peer_str(const struct carp_peers *p, bool v6, size_t i,
			    char *buf)
{
	return inet_ntop(v6 ? AF_INET6 : AF_INET,
			 v6 ? (const void *)&p->addr6[i] :
			 (const void *)&p->addr[i], buf, INET6_ADDRSTRLEN);
}

/*
 * "peer" ("peer6"): in JSON the first peer or null, as before lists
 * existed; in the table every peer, comma-separated.
 */
static void show_peer_family(struct show_out *o, const char *key,
			     const struct carp_info *ci, bool v6)
{
	size_t k, n = v6 ? ci->peers.n6 : ci->peers.n, len = 0;
	char ab[INET6_ADDRSTRLEN], *s;

	if (o->j || n <= 1) {
		print_string(o, PRINT_ANY, key,
			     n ? peer_str(&ci->peers, v6, 0, ab) : NULL);
		return;
	}
	s = malloc(n * INET6_ADDRSTRLEN + 1);
	if (!s) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	for (k = 0; k < n; k++)
		len += sprintf(s + len, "%s%s", k ? "," : "",
			       peer_str(&ci->peers, v6, k, ab));
	o->cell = s;
}

static void show_peer(struct show_out *o, const char *key,
		      const struct carp_info *ci)
{
	show_peer_family(o, key, ci, false);
}

static void show_peer6(struct show_out *o, const char *key,
		       const struct carp_info *ci)
{
	show_peer_family(o, key, ci, true);
}

/* "peers" ("peers6"), JSON only: every peer of the family, [] for none. */
static void show_peers_family(struct show_out *o, const char *key,
			      const struct carp_info *ci, bool v6)
{
	size_t k, n = v6 ? ci->peers.n6 : ci->peers.n;
	char ab[INET6_ADDRSTRLEN];

	if (!o->j)
		return;
	json_key(o->j, key);
	json_begin_array(o->j);
	for (k = 0; k < n; k++)
		json_string(o->j, peer_str(&ci->peers, v6, k, ab));
	json_end_array(o->j);
}

static void show_peers(struct show_out *o, const char *key,
		       const struct carp_info *ci)
{
	show_peers_family(o, key, ci, false);
}

static void show_peers6(struct show_out *o, const char *key,
			const struct carp_info *ci)
{
	show_peers_family(o, key, ci, true);
}

static bool demoted(const struct carp_info *ci)
{
	return ci->demote > 0;
}

static void show_demote(struct show_out *o, const char *key,
			const struct carp_info *ci)
{
	print_int(o, PRINT_ANY, key, ci->demote);
}

/* In ms as a JSON number, as "3.2s ago" in the table. */
static void show_changed(struct show_out *o, const char *key,
			 const struct carp_info *ci)
{
	char ago[32];

	print_u64(o, PRINT_JSON, key, ci->has_last_change,
		  ci->last_change_ms);
	print_string(o, PRINT_FP, key, ci->has_last_change ?
		     format_ago(ci->last_change_ms, ago, sizeof(ago)) : NULL);
}

static void show_reason(struct show_out *o, const char *key,
			const struct carp_info *ci)
{
	print_string(o, PRINT_ANY, key,
		     ci->last_reason[0] ? ci->last_reason : NULL);
}

static void show_balancing(struct show_out *o, const char *key,
			   const struct carp_info *ci)
{
	print_string(o, PRINT_JSON, key, carp_balancing_str(ci->balancing));
}

static void show_nodes(struct show_out *o, const char *key,
		       const struct carp_info *ci)
{
	size_t k;

	if (!o->j)
		return;
	json_key(o->j, key);
	json_begin_array(o->j);
	for (k = 0; k < ci->nnodes; k++)
		node_json(o->j, &ci->nodes[k], vrrp(ci));
	json_end_array(o->j);
}

static const struct show_field show_fields[] = {
	{ "ifname",		"NAME",		NULL,		show_ifname },
	{ "dev",		"DEV",		NULL,		show_dev },
	{ "vhid",		"VHID",		NULL,		show_vhid },
	{ "carpver",		NULL,		NULL,		show_carpver },
	{ "vrrpfamily",		NULL,		NULL,		show_vrrp_family },
	{ "advbase",		"ADVBASE",	NULL,		show_advbase },
	{ "advskew",		"ADVSKEW",	NULL,		show_advskew },
	{ "vrrpprio",		NULL,		NULL,		show_vrrp_prio },
	{ "vrrpinterval",	NULL,		NULL,		show_vrrp_interval },
	{ "vrrppreempt",	NULL,		NULL,		show_vrrp_preempt },
	{ "vrrpaccept",		NULL,		NULL,		show_vrrp_accept },
	{ "vrrp_master_interval", NULL,		NULL,
	  show_vrrp_master_interval },
	{ "state",		"STATE",	NULL,		show_state },
	{ "vmac",		NULL,		NULL,		show_vmac },
	{ "lladdr",		"LLADDR",	real_mac,	show_lladdr },
	{ "auth",		NULL,		NULL,		show_auth },
	{ "addresses",		"ADDRESSES",	NULL,		show_addrs },
	{ "peer",		"PEER",		has_peer,	show_peer },
	{ "peer6",		"PEER6",	has_peer6,	show_peer6 },
	{ "peers",		NULL,		NULL,		show_peers },
	{ "peers6",		NULL,		NULL,		show_peers6 },
	{ "demote",		"DEMOTE",	demoted,	show_demote },
	{ "last_change_ms",	"CHANGED",	NULL,		show_changed },
	{ "last_reason",	"REASON",	NULL,		show_reason },
	{ "balancing",		NULL,		NULL,		show_balancing },
	{ "nodes",		NULL,		NULL,		show_nodes },
};

#define SHOW_FIELDS	ARRAY_SIZE(show_fields)

static void show_json(const struct carp_list *l)
{
	struct json j;
	struct show_out o = { .j = &j };
	size_t i, f;

	json_init(&j, stdout, opts.pretty);
	json_begin_array(&j);
	for (i = 0; i < l->n; i++) {
		json_begin_object(&j);
		for (f = 0; f < SHOW_FIELDS; f++)
			show_fields[f].print(&o, show_fields[f].key, &l->v[i]);
		json_end_object(&j);
	}
	json_end_array(&j);
}

static void print_row(const char *const *cells, const int *width, int ncols)
{
	int c;

	for (c = 0; c < ncols - 1; c++)
		printf("%-*s  ", width[c], cells[c]);
	printf("%s\n", cells[ncols - 1]);
}

/*
 * Columns as wide as their widest cell, two blanks apart; @after (if not
 * NULL) holds what to print after each row (NULL: nothing), outside the
 * columns.
 */
static void print_table(const char *const *head, int ncols, char ***rows,
			size_t nrows, char *const *after)
{
	int width[SHOW_FIELDS] = { 0 }, c, w;
	size_t r;

	for (c = 0; c < ncols; c++) {
		width[c] = strlen(head[c]);
		for (r = 0; r < nrows; r++) {
			w = strlen(rows[r][c]);
			if (w > width[c])
				width[c] = w;
		}
	}
	print_row(head, width, ncols);
	for (r = 0; r < nrows; r++) {
		print_row((const char *const *)rows[r], width, ncols);
		if (after && after[r])
			fputs(after[r], stdout);
	}
}

static void free_rows(char ***rows, size_t nrows, int ncols)
{
	size_t r;
	int c;

	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++)
			free(rows[r][c]);
		free(rows[r]);
	}
	free(rows);
}

static char ***alloc_rows(size_t nrows, int ncols)
{
	char ***rows = calloc(nrows ? nrows : 1, sizeof(*rows));
	size_t r;

	if (!rows)
		goto nomem;
	for (r = 0; r < nrows; r++) {
		rows[r] = calloc(ncols, sizeof(**rows));
		if (!rows[r])
			goto nomem;
	}
	return rows;
nomem:
	perror("carpctl");
	exit(EXIT_KERNEL);
}

/*
 * What a balanced device adds under its row, malloc'ed (NULL: nothing):
 *   carpnodes 1:0,2:100,3:200 balancing ip
 *   vhid 1  MASTER  3.2s ago  master timed out
 *   vhid 2  BACKUP  3.1s ago  link up
 *   ...
 * each line indented by two blanks, the nodes' fields in columns.
 */
static char *nodes_lines(const struct carp_info *ci)
{
	int wv = 1, ws = 1, wc = 1, w;
	char ago[32], vhid[8], *buf = NULL, *nodes;
	const struct carp_node_info *n;
	size_t len = 0, i;
	FILE *f;

	if (!balanced(ci))
		return NULL;
	f = open_memstream(&buf, &len);
	if (!f) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	fputs(" ", f);
	nodes = nodes_string(ci);
	fprintf(f, " carpnodes %s", nodes);
	free(nodes);
	fprintf(f, " balancing %s\n", carp_balancing_str(ci->balancing));
	for (i = 0; i < ci->nnodes; i++) {
		n = &ci->nodes[i];
		w = snprintf(vhid, sizeof(vhid), "%d", n->vhid);
		wv = w > wv ? w : wv;
		w = strlen(carp_state_str(n->state));
		ws = w > ws ? w : ws;
		w = n->has_last_change ?
		    (int)strlen(format_ago(n->last_change_ms, ago,
					   sizeof(ago))) : 1;
		wc = w > wc ? w : wc;
	}
	for (i = 0; i < ci->nnodes; i++) {
		n = &ci->nodes[i];
		snprintf(vhid, sizeof(vhid), "%d", n->vhid);
		fprintf(f, "  vhid %-*s  %-*s  %-*s  %s\n",
			wv, vhid,
			ws, carp_state_str(n->state),
			wc, n->has_last_change ?
			format_ago(n->last_change_ms, ago, sizeof(ago)) : "-",
			n->last_reason[0] ? n->last_reason : "-");
	}
	if (fclose(f)) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	return buf;
}

/*
 * What a VRRPv3 device adds under its row, in place of ADVBASE and
 * ADVSKEW (shown as "-"), malloc'ed (NULL: a CARP device, nothing):
 *   vrrp3 inet vrid 1 prio 200 interval 100cs preempt on accept off
 *   master-interval 100cs
 * on one line indented by two blanks; master-interval once the device
 * has run.
 */
static char *vrrp_line(const struct carp_info *ci)
{
	char line[160];
	int n;

	if (!vrrp(ci))
		return NULL;
	n = snprintf(line, sizeof(line),
		     "  vrrp3 %s vrid %d prio %d interval %dcs preempt %s accept %s",
		     carp_vrrp_family_str(ci->vrrp_family), ci->vhid,
		     ci->vrrp_prio, ci->vrrp_interval,
		     ci->vrrp_preempt ? "on" : "off",
		     vrrp_accepts(ci) ? "on" : "off");
	if (ci->vrrp_master_interval > 0)
		n += snprintf(line + n, sizeof(line) - n,
			      " master-interval %dcs",
			      ci->vrrp_master_interval);
	snprintf(line + n, sizeof(line) - n, "\n");
	return xstrdup(line);
}

/* Whether field @f is a column of the table of @l. */
static bool column_shown(const struct show_field *f, const struct carp_list *l)
{
	size_t i;

	if (!f->head)
		return false;
	if (!f->wanted)
		return true;
	for (i = 0; i < l->n; i++)
		if (f->wanted(&l->v[i]))
			return true;
	return false;
}

static void show_table(const struct carp_list *l)
{
	const struct show_field *cols[SHOW_FIELDS];
	const char *head[SHOW_FIELDS];
	struct show_out o = { .j = NULL };
	char ***rows, **after;
	int c, ncols = 0;
	size_t i, f;

	if (!l->n)
		return;
	for (f = 0; f < SHOW_FIELDS; f++) {
		if (!column_shown(&show_fields[f], l))
			continue;
		cols[ncols] = &show_fields[f];
		head[ncols++] = show_fields[f].head;
	}

	rows = alloc_rows(l->n, ncols);
	after = calloc(l->n, sizeof(*after));
	if (!after) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	for (i = 0; i < l->n; i++) {
		/* a VRRPv3 device has one VRID: never nodes lines */
		after[i] = vrrp(&l->v[i]) ? vrrp_line(&l->v[i]) :
					    nodes_lines(&l->v[i]);
		for (c = 0; c < ncols; c++) {
			o.cell = NULL;
			cols[c]->print(&o, cols[c]->key, &l->v[i]);
			rows[i][c] = o.cell ? o.cell : xstrdup("-");
		}
	}
	print_table(head, ncols, rows, l->n, after);
	free_rows(rows, l->n, ncols);
	for (i = 0; i < l->n; i++)
		free(after[i]);
	free(after);
}

int cmd_show(int argc, char **argv)
{
	struct carp_list l;
	int rc;

	rc = collect("show", argc, argv, &l);
	if (rc)
		return rc;
	if (opts.json)
		show_json(&l);
	else
		show_table(&l);
	carp_list_free(&l);
	return EXIT_OK;
}

static void stats_json_counters(struct json *j, const uint64_t *stats,
				bool netns)
{
	int s;

	for (s = 0; s <= CARP_STAT_MAX; s++) {
		if (!stat_shown(s, netns))
			continue;
		json_key(j, carp_stat_str(s));
		json_uint(j, stats[s]);
	}
}

/* One object per device; @ni's counters last, under "ifname": null. */
static void stats_json(const struct carp_list *l,
		       const struct carp_netinfo *ni)
{
	struct json j;
	size_t i;

	json_init(&j, stdout, opts.pretty);
	json_begin_array(&j);
	for (i = 0; i < l->n; i++) {
		json_begin_object(&j);
		json_key(&j, "ifname");
		json_string(&j, l->v[i].ifname);
		stats_json_counters(&j, l->v[i].stats, false);
		json_end_object(&j);
	}
	if (ni) {
		json_begin_object(&j);
		json_key(&j, "ifname");
		json_null(&j);
		stats_json_counters(&j, ni->stats, true);
		json_end_object(&j);
	}
	json_end_array(&j);
}

static const char *const stats_cols[] = { "NAME", "COUNTER", "VALUE" };

/* The namespace's rows are named "(netns)". */
#define NETNS_ROW_NAME	"(netns)"

static size_t stats_rows(char ***rows, size_t r, const char *name,
			 const uint64_t *stats, bool netns)
{
	char buf[24];
	int s;

	for (s = 0; s <= CARP_STAT_MAX; s++) {
		if (!stat_shown(s, netns))
			continue;
		snprintf(buf, sizeof(buf), "%llu",
			 (unsigned long long)stats[s]);
		rows[r][0] = xstrdup(name);
		rows[r][1] = xstrdup(carp_stat_str(s));
		rows[r][2] = xstrdup(buf);
		r++;
	}
	return r;
}

static void stats_table(const struct carp_list *l,
			const struct carp_netinfo *ni)
{
	size_t i, r = 0, nrows = 0, ndev = 0, nnet = 0;
	char ***rows;
	int s;

	for (s = 0; s <= CARP_STAT_MAX; s++) {
		ndev += stat_shown(s, false);
		nnet += stat_shown(s, true);
	}
	nrows = ndev * l->n + (ni ? nnet : 0);
	if (!nrows)
		return;
	rows = alloc_rows(nrows, 3);
	for (i = 0; i < l->n; i++)
		r = stats_rows(rows, r, l->v[i].ifname, l->v[i].stats, false);
	if (ni)
		r = stats_rows(rows, r, NETNS_ROW_NAME, ni->stats, true);
	print_table(stats_cols, 3, rows, r, NULL);
	free_rows(rows, nrows, 3);
}

/* Now, in ms since the epoch: when the kernel answered, near enough. */
static uint64_t realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cmd_stats(int argc, char **argv)
{
	struct carp_netinfo ni, *nip = NULL;
	struct carp_list l;
	int rc, err;

	rc = collect("stats", argc, argv, &l);
	if (rc)
		return rc;
	if (!argc) {
		err = nl_get_net(&ni);
		if (err) {
			carp_list_free(&l);
			return kernel_err(err, "cannot read the namespace's counters");
		}
		nip = &ni;
	}
	if (opts.format == FORMAT_PROMETHEUS)
		stats_prometheus(stdout, &l, nip, realtime_ms());
	else if (opts.json)
		stats_json(&l, nip);
	else
		stats_table(&l, nip);
	carp_list_free(&l);
	return EXIT_OK;
}
