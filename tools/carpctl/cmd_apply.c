// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the apply command. The carp devices of the namespace are made
 * what the add lines of a file say, by the smallest changes, so that a
 * reload of an unchanged or slightly changed configuration costs no
 * failover: a device that matches gets no request at all, a changed one
 * a single set of what differs (the kernel keeps a vhid's state across it).
 *
 * All or nothing: the whole file is read, checked and compared with the
 * kernel before the first change, and a change the kernel refuses undoes
 * the ones made before it (but for a key, which cannot be read back).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "json.h"
#include "nl.h"
#include "parse.h"
#include "plan.h"

/* One add line of the file, and what apply does with it. */
struct want {
	struct carp_conf c;
	unsigned int link;		/* the parent's ifindex */
	char parent[IF_NAMESIZE];
	unsigned int lineno;
	const struct carp_info *have;	/* the device now, or NULL */
	int changes;			/* plan_diff(); 0 if !have */
	struct carp_conf set;		/* the request that makes them */
};

/* What to do with a device of the kernel the file does not name. */
enum fate { KEEP, PRUNE_FIRST, PRUNE_LAST };

struct apply {
	const char *file;
	const char *name;		/* in messages: "stdin" for "-" */
	bool prune, dry_run;
	struct want *w;
	size_t n;
	struct carp_list have;
	enum fate *fate;		/* per have.v[], for those not in w */
	bool *named;			/* per have.v[]: in the file */
	struct json j;
	char loc[PATH_MAX + 32];	/* "FILE:LINE" for err_location */
};

/* ------------------------------------------------------------------ */
/* The command line. */

enum { A_PRUNE, A_DRY_RUN, A_MAX };

static const char *const apply_options[A_MAX] = {
	[A_PRUNE]	= "prune",
	[A_DRY_RUN]	= "dry-run",
};

static int parse_args(int argc, char **argv, struct apply *a)
{
	const char *w;
	int i, k;

	for (i = 0; i < argc; i++) {
		w = argv[i];
		if (w[0] != '-' || !w[1])
			break;
		if (!strcmp(w, "-n")) {
			a->dry_run = true;
			continue;
		}
		k = match_keyword(w + (w[1] == '-' ? 2 : 1), apply_options,
				  A_MAX);
		if (k == KW_AMBIGUOUS)
			return ambiguous_err("option", w, apply_options, A_MAX);
		if (k == KW_NONE)
			return syntax_err("apply: unknown option \"%s\"", esc(w));
		if (k == A_PRUNE)
			a->prune = true;
		else
			a->dry_run = true;
	}
	if (i == argc)
		return syntax_err("apply: missing FILE (\"-\" for stdin)");
	if (i + 1 < argc)
		return syntax_err("apply: unknown word \"%s\" after FILE",
				  esc(argv[i + 1]));
	a->file = argv[i];
	a->name = strcmp(a->file, "-") ? a->file : "stdin";
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading the file: every line checked, nothing changed. */

static void set_location(struct apply *a, const char *name,
			 unsigned int lineno)
{
	snprintf(a->loc, sizeof(a->loc), "%s:%u", name, lineno);
	err_location = a->loc;
}

static struct want *want_new(struct apply *a)
{
	struct want *v = realloc(a->w, (a->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	a->w = v;
	memset(&v[a->n], 0, sizeof(v[a->n]));
	return &v[a->n++];
}

static int check_name_once(const struct apply *a, const struct want *w)
{
	size_t i;

	for (i = 0; &a->w[i] != w; i++)
		if (!strcmp(a->w[i].c.ifname, w->c.ifname))
			return syntax_err("%s is added twice (line %u too)",
					  w->c.ifname, a->w[i].lineno);
	return 0;
}

/*
 * One line of words: an add line becomes a want, anything else is
 * refused. apply states what must be, so a line that changes or deletes
 * (set, del, demote) has no meaning in it; refusing it keeps the file
 * from being applied in part.
 */
static int read_line(struct apply *a, int n, char **argv, unsigned int first)
{
	const char *cmd;
	struct want *w;
	int rc;

	cmd = command_name(argv[0]);
	if (!cmd)
		return EXIT_SYNTAX;
	if (strcmp(cmd, "add"))
		return syntax_err("apply takes add lines only, not \"%s\"",
				  cmd);
	w = want_new(a);
	if (!w)
		return sys_err("out of memory");
	w->lineno = first;
	rc = conf_parse("add", n - 1, argv + 1, true, &w->c);
	/*
	 * The parent's name is one of the line's words, freed after it: the
	 * want keeps a copy, or none if the line was refused half-way.
	 */
	if (rc) {
		w->c.parent = NULL;
		return rc;
	}
	if (w->c.parent) {
		w->c.parent = strdup(w->c.parent);
		if (!w->c.parent)
			return sys_err("out of memory");
	}
	return check_name_once(a, w);
}

static int read_file(struct apply *a)
{
	unsigned int first = 0;
	const char *why;
	struct batch b;
	int got, n, rc = 0;
	char **argv;

	if (batch_open(&b, a->file))
		return syntax_err("cannot open \"%s\": %s", esc(a->file),
				  strerror(errno));
	while (!rc && (got = batch_next(&b, &first, &why))) {
		set_location(a, b.name, first);
		n = got < 0 ? -1 : split_words(b.cmd, &argv, &why);
		if (n < 0)
			rc = syntax_err("%s", why);
		else if (n)
			rc = read_line(a, n, argv, first);
		if (n >= 0)
			free_words(argv);
	}
	err_location = NULL;
	if (!rc && ferror(b.f))
		rc = sys_err("cannot read \"%s\": %s", esc(a->file),
			     strerror(errno));
	batch_close(&b);
	return rc;
}

/*
 * What each line needs besides its words (a vhid, an address, a parent
 * that exists or is found from the address), as add checks it: this
 * reads the kernel, so it comes once the whole file has been read.
 */
static int resolve(struct apply *a)
{
	struct want *w;
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < a->n; i++) {
		w = &a->w[i];
		set_location(a, a->name, w->lineno);
		rc = conf_add_check(&w->c, &w->link);
		if (!rc && !if_indextoname(w->link, w->parent))
			rc = sys_err("parent of %s: %s", w->c.ifname,
				     strerror(errno));
	}
	err_location = NULL;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Comparing with the kernel: still nothing changed. */

static const struct carp_info *have_named(const struct apply *a,
					  const char *ifname, size_t *idx)
{
	size_t i;

	for (i = 0; i < a->have.n; i++) {
		if (!strcmp(a->have.v[i].ifname, ifname)) {
			if (idx)
				*idx = i;
			return &a->have.v[i];
		}
	}
	return NULL;
}

/* The vhids of an add line; the first one if it has a single vhid. */
static int want_vhids(const struct carp_conf *c, int *v)
{
	int i;

	if (!c->nnodes) {
		v[0] = c->vhid;
		return 1;
	}
	for (i = 0; i < c->nnodes; i++)
		v[i] = c->nodes[i].vhid;
	return c->nnodes;
}

static bool have_vhid(const struct carp_info *ci, int vhid)
{
	size_t i;

	for (i = 0; i < ci->nnodes; i++)
		if (ci->nodes[i].vhid == vhid)
			return true;
	return false;
}

/*
 * Whether two devices of one parent may share a vhid, as the kernel has
 * it: only VRRPv3 devices of two families (each family its own virtual
 * routers and MAC); @fa and @fb are their plan_vrrp_family(), 0 for CARP.
 */
static bool vhid_shareable(int fa, int fb)
{
	return fa && fb && fa != fb;
}

static int have_vrrp_family(const struct carp_info *ci)
{
	return ci->version == CARP_PROTO_VRRP ? ci->vrrp_family : 0;
}

/*
 * A vhid is one device's on its parent (or one VRRPv3 device's of each
 * family). Two lines may not share one; and a device the file does not
 * name keeps its own unless pruned, in which case it goes first, so that
 * the line can take its vhid.
 */
static int check_vhids(struct apply *a, const struct want *w)
{
	int v[CARP_NODES_MAX], n = want_vhids(&w->c, v), i;
	int family = plan_vrrp_family(&w->c);
	const struct carp_info *ci;
	size_t j;

	for (i = 0; i < n; i++) {
		for (j = 0; &a->w[j] != w; j++) {
			int u[CARP_NODES_MAX], m = want_vhids(&a->w[j].c, u);

			if (vhid_shareable(family,
					   plan_vrrp_family(&a->w[j].c)))
				continue;
			while (m--)
				if (a->w[j].link == w->link && u[m] == v[i])
					return syntax_err("vhid %d on %s is %s's too (line %u)",
							  v[i], w->parent,
							  a->w[j].c.ifname,
							  a->w[j].lineno);
		}
		for (j = 0; j < a->have.n; j++) {
			ci = &a->have.v[j];
			if (a->named[j] || !ci->has_link ||
			    ci->link != w->link || !have_vhid(ci, v[i]) ||
			    vhid_shareable(family, have_vrrp_family(ci)))
				continue;
			if (!a->prune)
				return syntax_err("vhid %d on %s is %s's, which the file does not name (delete it, or apply with --prune)",
						  v[i], w->parent, ci->ifname);
			a->fate[j] = PRUNE_FIRST;
		}
	}
	return 0;
}

static int compare(struct apply *a)
{
	struct want *w;
	size_t i, idx;
	int err;

	err = nl_dump_devices(&a->have);
	if (err)
		return kernel_err(err, "cannot list carp devices");
	a->fate = calloc(a->have.n + 1, sizeof(*a->fate));
	a->named = calloc(a->have.n + 1, sizeof(*a->named));
	if (!a->fate || !a->named)
		return sys_err("out of memory");
	for (i = 0; i < a->n; i++)
		if (have_named(a, a->w[i].c.ifname, &idx))
			a->named[idx] = true;
	for (i = 0; i < a->have.n; i++)
		a->fate[i] = a->named[i] || !a->prune ? KEEP : PRUNE_LAST;
	for (i = 0; i < a->n; i++) {
		w = &a->w[i];
		set_location(a, a->name, w->lineno);
		err = check_vhids(a, w);
		if (err)
			break;
		w->have = have_named(a, w->c.ifname, NULL);
		if (!w->have && if_nametoindex(w->c.ifname)) {
			err = syntax_err("%s exists and is not a carp device",
					 w->c.ifname);
			break;
		}
		if (!w->have)
			continue;
		w->changes = plan_diff(&w->c, w->link, w->have, &w->set);
		if (w->changes < 0) {
			err = sys_err("out of memory");
			break;
		}
	}
	err_location = NULL;
	return err;
}

/* ------------------------------------------------------------------ */
/* The plan, one line a change, as text or JSON. */

static void print_step(struct apply *a, const char *op, const char *ifname,
		       const char *text)
{
	if (opts.json) {
		json_begin_object(&a->j);
		json_key(&a->j, "op");
		json_string(&a->j, op);
		json_key(&a->j, "ifname");
		json_string(&a->j, ifname);
		json_key(&a->j, "change");
		json_string(&a->j, text);
		json_end_object(&a->j);
		return;
	}
	printf("%s %s%s%s\n", op, ifname, *text ? " " : "", text);
}

struct set_printer {
	struct apply *a;
	const char *ifname;
};

static void print_set(void *arg, const char *text)
{
	struct set_printer *p = arg;

	print_step(p->a, "set", p->ifname, text);
}

static void print_add(struct apply *a, const struct want *w)
{
	char line[4096];

	plan_format_add(&w->c, w->parent, line, sizeof(line));
	print_step(a, "add", w->c.ifname, line);
}

/*
 * A new parent, a new protocol (carpver) or a VRRPv3 device's new family
 * (vrrpfamily): none changes in place.
 */
static void print_replace(struct apply *a, const struct want *w)
{
	char old[IF_NAMESIZE] = "?", why[IF_NAMESIZE * 2 + 80];
	char line[sizeof(why) + 48];
	int n = 0;

	if (w->have->has_link)
		if_indextoname(w->have->link, old);
	why[0] = '\0';
	if (w->changes & PLAN_LINK)
		n = snprintf(why, sizeof(why), "parent %s -> %s", old,
			     w->parent);
	if (w->changes & PLAN_VERSION)
		snprintf(why + n, sizeof(why) - n, "%scarpver %d -> %d",
			 n ? ", " : "", w->have->version,
			 w->c.version >= 0 ? w->c.version : CARP_PROTO_CARP);
	if (w->changes & PLAN_VRRP_FAMILY)
		snprintf(why + n, sizeof(why) - n, "%svrrpfamily %s -> %s",
			 n ? ", " : "",
			 carp_vrrp_family_str(w->have->vrrp_family),
			 carp_vrrp_family_str(plan_vrrp_family(&w->c)));
	snprintf(line, sizeof(line),
		 "(%s: cannot change in place, added again)", why);
	print_step(a, "del", w->c.ifname, line);
	print_add(a, w);
}

static void print_prunes(struct apply *a, enum fate fate)
{
	size_t i;

	for (i = 0; i < a->have.n; i++)
		if (a->fate[i] == fate)
			print_step(a, "del", a->have.v[i].ifname,
				   fate == PRUNE_FIRST ?
				   "(not in the file; first, its vhid is wanted)" :
				   "");
}

/* In the order apply makes them: see run_plan(). */
static int print_plan(struct apply *a)
{
	struct set_printer p = { .a = a };
	struct want *w;
	size_t i;
	int rc = 0;

	if (opts.json) {
		json_init(&a->j, stdout, opts.pretty);
		json_begin_array(&a->j);
	}
	print_prunes(a, PRUNE_FIRST);
	for (i = 0; !rc && i < a->n; i++) {
		w = &a->w[i];
		if (!w->have || !w->changes || (w->changes & PLAN_RECREATE))
			continue;
		p.ifname = w->c.ifname;
		rc = plan_describe(&w->c, w->have, w->changes, print_set, &p);
	}
	for (i = 0; i < a->n; i++)
		if (!a->w[i].have)
			print_add(a, &a->w[i]);
	for (i = 0; i < a->n; i++)
		if (a->w[i].have && (a->w[i].changes & PLAN_RECREATE))
			print_replace(a, &a->w[i]);
	print_prunes(a, PRUNE_LAST);
	if (opts.json) {
		json_end_array(&a->j);
		fputc('\n', stdout);
	}
	fflush(stdout);
	return rc ? sys_err("out of memory") : 0;
}

/* ------------------------------------------------------------------ */
/* Making the changes, and undoing them if one is refused. */

enum step_op { S_PRUNE, S_SET, S_ADD, S_REPLACE };

struct step {
	enum step_op op;
	size_t idx;		/* into a->w, or into a->have for S_PRUNE */
};

/*
 * The add request that makes @ci again, as the kernel reports it: its
 * vhids, timing, peers and addresses; not its key, which it never shows.
 * A VRRPv3 device: its protocol, VRID, settings and addresses, none of
 * CARP's words (the kernel would refuse them, even at their defaults);
 * its family and Accept_Mode only where they are not add's defaults, as
 * a module before them takes neither.
 */
static void conf_of_info(const struct carp_info *ci, struct carp_conf *c)
{
	unsigned int what = PLAN_ADVBASE | PLAN_PEER | PLAN_PEER6 | PLAN_ADDRS;

	if (ci->version == CARP_PROTO_VRRP) {
		plan_undo(ci, PLAN_VHID | PLAN_VRRP_PRIO | PLAN_VRRP_INTERVAL |
			  PLAN_VRRP_PREEMPT | PLAN_ADDRS, c);
		c->version = CARP_PROTO_VRRP;
		if (ci->vrrp_family != CARP_VRRP_FAMILY_INET)
			c->vrrp_family = ci->vrrp_family;
		if (ci->vrrp_accept > 0)
			c->vrrp_accept = 1;
		return;
	}
	if (ci->nnodes > 1)
		what |= PLAN_NODES | PLAN_BALANCING;
	else
		what |= PLAN_VHID | PLAN_ADVSKEW;
	plan_undo(ci, what, c);
}

static int readd(const struct carp_info *ci)
{
	struct carp_conf c;

	if (!ci->has_link)
		return sys_err("%s cannot be made again: it had no parent",
			       ci->ifname);
	conf_of_info(ci, &c);
	return conf_add_create(&c, ci->link);
}

static int do_step(struct apply *a, const struct step *s)
{
	const struct want *w = s->op == S_PRUNE ? NULL : &a->w[s->idx];
	int err, rc;

	switch (s->op) {
	case S_PRUNE:
		err = nl_del_device(a->have.v[s->idx].ifname);
		/* gone already: what was asked */
		if (err && err != -ENODEV)
			return kernel_err(err, "cannot delete %s",
					  a->have.v[s->idx].ifname);
		return 0;
	case S_SET:
		return conf_set(&w->set);
	case S_ADD:
		return conf_add_create(&w->c, w->link);
	case S_REPLACE:
		err = nl_del_device(w->c.ifname);
		if (err && err != -ENODEV)
			return kernel_err(err, "cannot delete %s",
					  w->c.ifname);
		rc = conf_add_create(&w->c, w->link);
		/* the old one back, so that undo_step() finds it as it was */
		if (rc && readd(w->have))
			sys_err("%s is deleted", w->c.ifname);
		return rc;
	}
	return 0;
}

/* Undo a step that was made; 0, or the exit status, having said why. */
static int undo_step(struct apply *a, const struct step *s)
{
	const struct want *w = s->op == S_PRUNE ? NULL : &a->w[s->idx];
	struct carp_conf undo;
	int err;

	switch (s->op) {
	case S_PRUNE:
		return readd(&a->have.v[s->idx]);
	case S_SET:
		plan_undo(w->have, w->changes, &undo);
		if (undo.vhid < 0 && undo.advskew < 0 && !undo.nnodes &&
		    undo.balancing < 0 && undo.advbase < 0 && !undo.has_peer &&
		    !undo.has_peer6 && !undo.naddrs && undo.lladdr < 0 &&
		    undo.vrrp_prio < 0 && undo.vrrp_interval < 0 &&
		    undo.vrrp_preempt < 0 && undo.vrrp_accept < 0)
			return 0;
		return conf_set(&undo);
	case S_ADD:
		err = nl_del_device(w->c.ifname);
		return err ? kernel_err(err, "cannot delete %s", w->c.ifname) : 0;
	case S_REPLACE:
		err = nl_del_device(w->c.ifname);
		if (err && err != -ENODEV)
			return kernel_err(err, "cannot delete %s", w->c.ifname);
		return readd(w->have);
	}
	return 0;
}

static const char *step_name(const struct apply *a, const struct step *s)
{
	return s->op == S_PRUNE ? a->have.v[s->idx].ifname :
				  a->w[s->idx].c.ifname;
}

/* Whether undoing @s loses a key the kernel had (it cannot be put back). */
static bool step_loses_key(const struct apply *a, const struct step *s)
{
	if (s->op == S_PRUNE)
		return a->have.v[s->idx].has_key;
	if (s->op == S_REPLACE)
		return a->w[s->idx].have->has_key;
	return s->op == S_SET &&
	       (a->w[s->idx].changes & (PLAN_KEY | PLAN_KEY_DEL));
}

/*
 * Undo steps[0..n), last first. Any that fails or cannot be undone whole
 * is named: the administrator must know what is left as the file said.
 */
static int undo_steps(struct apply *a, const struct step *steps, size_t n)
{
	char left[512] = "", keys[512] = "";
	size_t lu = 0, ku = 0;

	while (n--) {
		if (undo_step(a, &steps[n]) && lu < sizeof(left))
			lu += snprintf(left + lu, sizeof(left) - lu, " %s",
				       step_name(a, &steps[n]));
		else if (step_loses_key(a, &steps[n]) && ku < sizeof(keys))
			ku += snprintf(keys + ku, sizeof(keys) - ku, " %s",
				       step_name(a, &steps[n]));
	}
	if (lu)
		return sys_err("%s was applied in part: could not undo%s",
			       esc(a->name), left);
	if (ku)
		return sys_err("%s was not applied; the changes were undone, but the keys of%s are what the file says or none (a key cannot be read back)",
			       esc(a->name), keys);
	return sys_err("%s was not applied; the changes made before were undone",
		       esc(a->name));
}

static int add_step(struct step **v, size_t *n, enum step_op op, size_t idx)
{
	struct step *p = realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return -1;
	p[*n].op = op;
	p[*n].idx = idx;
	*v = p;
	(*n)++;
	return 0;
}

/*
 * The order: devices pruned for their vhid, then sets (a vhid a set gives
 * up may be one an add takes), adds, the devices that change parent, and
 * the rest pruned last, so that the steps most likely to be refused come
 * before those that cannot be undone whole.
 */
static int build_steps(const struct apply *a, struct step **v, size_t *n)
{
	size_t i;
	int e = 0;

	for (i = 0; i < a->have.n; i++)
		if (a->fate[i] == PRUNE_FIRST)
			e |= add_step(v, n, S_PRUNE, i);
	for (i = 0; i < a->n; i++)
		if (a->w[i].have && a->w[i].changes &&
		    !(a->w[i].changes & PLAN_RECREATE))
			e |= add_step(v, n, S_SET, i);
	for (i = 0; i < a->n; i++)
		if (!a->w[i].have)
			e |= add_step(v, n, S_ADD, i);
	for (i = 0; i < a->n; i++)
		if (a->w[i].have && (a->w[i].changes & PLAN_RECREATE))
			e |= add_step(v, n, S_REPLACE, i);
	for (i = 0; i < a->have.n; i++)
		if (a->fate[i] == PRUNE_LAST)
			e |= add_step(v, n, S_PRUNE, i);
	return e;
}

static int run_plan(struct apply *a)
{
	struct step *steps = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (build_steps(a, &steps, &n)) {
		free(steps);
		return sys_err("out of memory");
	}
	for (i = 0; !rc && i < n; i++) {
		/* a refused set or add names the line it came from */
		if (steps[i].op != S_PRUNE)
			set_location(a, a->name, a->w[steps[i].idx].lineno);
		rc = do_step(a, &steps[i]);
		err_location = NULL;
		if (rc)
			undo_steps(a, steps, i);
	}
	free(steps);
	return rc;
}

/* ------------------------------------------------------------------ */

static void apply_free(struct apply *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->w[i].c.addrs);
		free((char *)a->w[i].c.parent);
	}
	free(a->w);
	carp_list_free(&a->have);
	free(a->fate);
	free(a->named);
}

int cmd_apply(int argc, char **argv)
{
	struct apply a = { 0 };
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	rc = read_file(&a);
	if (!rc)
		rc = resolve(&a);
	if (!rc)
		rc = nl_open();
	if (!rc)
		rc = compare(&a);
	if (!rc)
		rc = print_plan(&a);
	if (!rc && !a.dry_run)
		rc = run_plan(&a);
	apply_free(&a);
	return rc;
}
