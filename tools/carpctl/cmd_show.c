// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the show and stats commands, as a table or as JSON.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

/* Counters only the network namespace has: no device sees those packets. */
static bool netns_only(int s)
{
	return s == CARP_STAT_BADVHID || s == CARP_STAT_BADIF;
}

/* The counters of a device (@netns false) or of the namespace. */
static bool stat_shown(int s, bool netns)
{
	return carp_stat_str(s) && (netns || !netns_only(s));
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
	if (argc > 1)
		return syntax_err("%s: unknown word \"%s\"", cmd,
				  esc(argv[1]));
	if (argc == 1) {
		rc = check_ifname("device name", argv[0]);
		if (rc)
			return rc;
	}
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
	/* RFC 5798's virtual router MAC, should the kernel not say. */
	unsigned char fallback[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01,
				      (unsigned char)ci->vhid };
	const unsigned char *m = ci->has_vmac ? ci->vmac : fallback;

	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static void json_int_or_null(struct json *j, const char *key, int v)
{
	json_key(j, key);
	if (v < 0)
		json_null(j);
	else
		json_uint(j, v);
}

/* A device that show gives lines of its own: several vhids, or balancing. */
static bool balanced(const struct carp_info *ci)
{
	return (ci->has_nodes && ci->nnodes > 1) ||
	       ci->balancing > CARP_BAL_NONE;
}

/* "1:0,2:100,3:200" ("-" for a value not reported), malloc'ed. */
static char *nodes_string(const struct carp_info *ci)
{
	char vhid[8], skew[8], *s;
	size_t i, len = 0;

	s = malloc(ci->nnodes * sizeof(",255:254") + 2);
	if (!s) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	strcpy(s, "-");
	for (i = 0; i < ci->nnodes; i++) {
		snprintf(vhid, sizeof(vhid), "%d", ci->nodes[i].vhid);
		snprintf(skew, sizeof(skew), "%d", ci->nodes[i].advskew);
		len += sprintf(s + len, "%s%s:%s", i ? "," : "",
			       ci->nodes[i].vhid < 0 ? "-" : vhid,
			       ci->nodes[i].advskew < 0 ? "-" : skew);
	}
	return s;
}

/* "balancing" and "nodes", each null if the module does not report it. */
static void nodes_json(struct json *j, const struct carp_info *ci)
{
	const struct carp_node_info *n;
	size_t k;

	json_key(j, "balancing");
	if (ci->balancing >= 0)
		json_string(j, carp_balancing_str(ci->balancing));
	else
		json_null(j);
	json_key(j, "nodes");
	if (!ci->has_nodes) {
		json_null(j);
		return;
	}
	json_begin_array(j);
	for (k = 0; k < ci->nnodes; k++) {
		n = &ci->nodes[k];
		json_begin_object(j);
		json_int_or_null(j, "vhid", n->vhid);
		json_int_or_null(j, "advskew", n->advskew);
		json_key(j, "state");
		json_string(j, carp_state_str(n->state));
		json_key(j, "last_change_ms");
		if (n->has_last_change)
			json_uint(j, n->last_change_ms);
		else
			json_null(j);
		json_key(j, "last_reason");
		if (n->last_reason[0])
			json_string(j, n->last_reason);
		else
			json_null(j);
		json_key(j, "reason");
		if (n->reason >= 0)
			json_string(j, carp_reason_str(n->reason));
		else
			json_null(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static void show_json(const struct carp_list *l)
{
	char buf[IFNAMSIZ], mac[18], ab[ADDR_STRLEN];
	const struct carp_info *ci;
	const char *dev;
	struct json j;
	size_t i, k;

	json_init(&j, stdout, opts.pretty);
	json_begin_array(&j);
	for (i = 0; i < l->n; i++) {
		ci = &l->v[i];
		json_begin_object(&j);
		json_key(&j, "ifname");
		json_string(&j, ci->ifname);
		json_key(&j, "dev");
		dev = parent_name(ci, buf);
		if (dev)
			json_string(&j, dev);
		else
			json_null(&j);
		json_int_or_null(&j, "vhid", ci->vhid);
		json_int_or_null(&j, "advbase", ci->advbase);
		json_int_or_null(&j, "advskew", ci->advskew);
		json_key(&j, "state");
		json_string(&j, carp_state_str(ci->state));
		json_key(&j, "vmac");
		json_string(&j, vmac_string(ci, mac));
		json_key(&j, "auth");
		json_bool(&j, ci->has_key);
		json_key(&j, "addresses");
		json_begin_array(&j);
		for (k = 0; k < ci->naddrs; k++)
			json_string(&j, format_prefix(&ci->addrs[k], ab));
		json_end_array(&j);
		json_key(&j, "peer");
		if (ci->has_peer)
			json_string(&j, inet_ntop(AF_INET, &ci->peer, ab,
						  sizeof(ab)));
		else
			json_null(&j);
		json_key(&j, "peer6");
		if (ci->has_peer6)
			json_string(&j, inet_ntop(AF_INET6, &ci->peer6, ab,
						  sizeof(ab)));
		else
			json_null(&j);
		json_int_or_null(&j, "demote", ci->demote);
		json_key(&j, "last_change_ms");
		if (ci->has_last_change)
			json_uint(&j, ci->last_change_ms);
		else
			json_null(&j);
		json_key(&j, "last_reason");
		if (ci->last_reason[0])
			json_string(&j, ci->last_reason);
		else
			json_null(&j);
		nodes_json(&j, ci);
		json_end_object(&j);
	}
	json_end_array(&j);
}

/*
 * PEER (PEER6) is there only when some device has an IPv4 (IPv6) unicast
 * peer, DEMOTE only
 * when some device advertises a demotion; REASON is last, as it may hold
 * blanks.
 */
enum {
	C_NAME, C_DEV, C_VHID, C_ADVBASE, C_ADVSKEW, C_STATE, C_ADDRS,
	C_PEER, C_PEER6, C_DEMOTE, C_CHANGED, C_REASON, C_MAX
};

static const char *const show_cols[C_MAX] = {
	"NAME", "DEV", "VHID", "ADVBASE", "ADVSKEW", "STATE", "ADDRESSES",
	"PEER", "PEER6", "DEMOTE", "CHANGED", "REASON",
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	return d;
}

static char *int_cell(int v)
{
	char buf[16];

	if (v < 0)
		return xstrdup("-");
	snprintf(buf, sizeof(buf), "%d", v);
	return xstrdup(buf);
}

static char *addrs_cell(const struct carp_info *ci)
{
	char ab[ADDR_STRLEN], *s;
	size_t k, len = 0;

	s = malloc(ci->naddrs * (ADDR_STRLEN + 1) + 2);
	if (!s) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	s[0] = '\0';
	for (k = 0; k < ci->naddrs; k++)
		len += sprintf(s + len, "%s%s", k ? "," : "",
			       format_prefix(&ci->addrs[k], ab));
	if (!ci->naddrs)
		strcpy(s, "-");
	return s;
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
	int width[C_MAX] = { 0 }, c, w;
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
	if (ci->has_nodes) {
		nodes = nodes_string(ci);
		fprintf(f, " carpnodes %s", nodes);
		free(nodes);
	}
	fprintf(f, " balancing %s\n", ci->balancing < 0 ? "-" :
		carp_balancing_str(ci->balancing));
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
			wv, n->vhid < 0 ? "-" : vhid,
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

static void show_table(const struct carp_list *l)
{
	char buf[IFNAMSIZ], ago[32], ab[INET6_ADDRSTRLEN], ***rows, **after;
	const char *head[C_MAX], *dev;
	const struct carp_info *ci;
	bool demoted = false, peers = false, peers6 = false;
	int c, ncols = 0;
	size_t i;

	if (!l->n)
		return;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].demote > 0)
			demoted = true;
		if (l->v[i].has_peer)
			peers = true;
		if (l->v[i].has_peer6)
			peers6 = true;
	}
	for (c = 0; c < C_MAX; c++)
		if ((c != C_DEMOTE || demoted) && (c != C_PEER || peers) &&
		    (c != C_PEER6 || peers6))
			head[ncols++] = show_cols[c];

	rows = alloc_rows(l->n, ncols);
	after = calloc(l->n, sizeof(*after));
	if (!after) {
		perror("carpctl");
		exit(EXIT_KERNEL);
	}
	for (i = 0; i < l->n; i++) {
		ci = &l->v[i];
		after[i] = nodes_lines(ci);
		dev = parent_name(ci, buf);
		c = 0;
		rows[i][c++] = xstrdup(ci->ifname);
		rows[i][c++] = xstrdup(dev ? dev : "-");
		rows[i][c++] = int_cell(ci->vhid);
		rows[i][c++] = int_cell(ci->advbase);
		rows[i][c++] = int_cell(ci->advskew);
		rows[i][c++] = xstrdup(carp_state_str(ci->state));
		rows[i][c++] = addrs_cell(ci);
		if (peers)
			rows[i][c++] = xstrdup(ci->has_peer ?
					       inet_ntop(AF_INET, &ci->peer, ab,
							 sizeof(ab)) : "-");
		if (peers6)
			rows[i][c++] = xstrdup(ci->has_peer6 ?
					       inet_ntop(AF_INET6, &ci->peer6,
							 ab, sizeof(ab)) : "-");
		if (demoted)
			rows[i][c++] = int_cell(ci->demote);
		rows[i][c++] = xstrdup(ci->has_last_change ?
				       format_ago(ci->last_change_ms, ago,
						  sizeof(ago)) : "-");
		rows[i][c++] = xstrdup(ci->last_reason[0] ?
				       ci->last_reason : "-");
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

int cmd_stats(int argc, char **argv)
{
	struct carp_netinfo ni, *nip = NULL;
	struct carp_list l;
	int rc, err;

	rc = collect("stats", argc, argv, &l);
	if (rc)
		return rc;
	if (!argc) {
		/* A module without CARP_CMD_GET_NET: the devices only. */
		err = nl_get_net(&ni);
		if (!err && ni.has_stats) {
			nip = &ni;
		} else if (err && err != -EOPNOTSUPP) {
			carp_list_free(&l);
			return kernel_err(err, "cannot read the namespace's counters");
		}
	}
	if (opts.json)
		stats_json(&l, nip);
	else
		stats_table(&l, nip);
	carp_list_free(&l);
	return EXIT_OK;
}
