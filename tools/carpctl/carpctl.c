// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: configure carp(4) devices over generic netlink.
 *
 * main(): global options, network namespace, batch mode and dispatch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "carpctl.h"
#include "err.h"
#include "nl.h"
#include "outfile.h"
#include "parse.h"

#define NETNS_RUN_DIR	"/run/netns"

struct carpctl_opts opts;
/* ------------------------------------------------------------------ */
/* Commands and their usage. */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
	size_t min_abbrev;	/* shortest prefix accepted; 0: any */
};

static const struct command commands[] = {
	{ "add", cmd_add,
	  "NAME [dev PARENT] { vhid VHID [advskew SKEW] | carpnodes NODES }\n"
	  "        [balancing BALANCING] [advbase SECONDS] [pass SECRET]\n"
	  "        [peer { PEER | none }] [peer6 { PEER6 | none }]\n"
	  "        [lladdr { virtual | parent }] ADDR[/PLEN]...\n"
	  "    | NAME [dev PARENT] vhid VHID carpver 3 [vrrpfamily { inet | inet6 }]\n"
	  "        [vrrpprio PRIO] [vrrpinterval CS] [vrrppreempt { on | off }]\n"
	  "        [vrrpaccept { on | off }] [lladdr { virtual | parent }]\n"
	  "        ADDR[/PLEN]...",
	  "create a carp device with its virtual addresses, and bring it up;\n"
	  "carpnodes: one device, several vhids (load balancing);\n"
	  "lladdr parent: the parent's MAC, not the virtual one;\n"
	  "carpver 3: it speaks VRRPv3 (RFC 5798) instead of CARP, without\n"
	  "authentication (no pass), for addresses of one family: vrrpfamily's,\n"
	  "else the addresses' (IPv6 ones with a link-local one, e.g. fe80::1/64)", 0 },
	{ "set", cmd_set,
	  "NAME [vhid VHID] [advskew SKEW] [carpnodes NODES]\n"
	  "        [balancing BALANCING] [advbase SECONDS] [pass SECRET]\n"
	  "        [peer { PEER | none }] [peer6 { PEER6 | none }]\n"
	  "        [lladdr { virtual | parent }]\n"
	  "        [vrrpprio PRIO] [vrrpinterval CS] [vrrppreempt { on | off }]\n"
	  "        [vrrpaccept { on | off }]\n"
	  "        [state { master | backup }] [ADDR[/PLEN]...]",
	  "change a carp device; addresses given replace its addresses;\n"
	  "state forces MASTER or BACKUP now (the protocol goes on from there);\n"
	  "carpnodes replaces the vhids (never with vhid or advskew);\n"
	  "vrrpprio, vrrpinterval, vrrppreempt and vrrpaccept: a VRRPv3\n"
	  "device's, instead of advskew and advbase (carpver and vrrpfamily\n"
	  "are chosen by add)", 0 },
	{ "del", cmd_del, "NAME", "delete a carp device", 0 },
	/* "d" and "de" stay "del", as before "demote" existed. */
	{ "demote", cmd_demote, "[ N | +N | -N ]",
	  "show the namespace's demotion (administrative, and advertised:\n"
	  "plus 240 per carp device whose parent lost its link, at most 255);\n"
	  "+N/-N add to the administrative one (kept within 0..255), N sets it\n"
	  "(read, then adjusted by the difference: not atomic)", 3 },
	{ "show", cmd_show, "[NAME]", "show one or every carp device", 0 },
	{ "stats", cmd_stats, "[NAME]",
	  "show the protocol counters; without NAME also the namespace's;\n"
	  "-o prometheus: the states, settings and counters in the Prometheus\n"
	  "text format (node_exporter's textfile collector; with -O FILE)", 0 },
	{ "monitor", cmd_monitor, "[NAME]",
	  "print every state change and conflict as it happens (of NAME\n"
	  "only), one line or (-j) one JSON object each, until SIGINT or\n"
	  "SIGTERM:\n"
	  "  carp0 vhid 1 BACKUP -> MASTER (master-down: master timed out)\n"
	  "  carp0 vhid 1 conflict: another master 10.0.0.3 (advbase 1\n"
	  "    advskew 100 demote 0); staying MASTER\n"
	  "REASON := { master-down | preempt | preempted | demoted | admin |\n"
	  "            link-up | link-down | device-down | config }", 0 },
	{ "watch", cmd_watch,
	  "NAME [up SCRIPT] [down SCRIPT] [conflict SCRIPT]\n"
	  "        [timeout SECONDS] [settle SECONDS] [retry N]",
	  "run SCRIPT on every change of NAME to MASTER (up) and from MASTER\n"
	  "(down), and on every conflict (another master heard while MASTER;\n"
	  "CARP_OTHER, CARP_OTHER_ADVBASE, _ADVSKEW, _DEMOTE in the\n"
	  "environment), one at a time and in order; up once at start if NAME is\n"
	  "MASTER then. With carpnodes, NAME is MASTER while it is MASTER of\n"
	  "any of its vhids. Arguments: NAME up|down; environment: CARP_EVENT,\n"
	  "CARP_IFNAME, CARP_IFINDEX, CARP_VHID, CARP_OLD_STATE, CARP_NEW_STATE\n"
	  "(of the vhid that changed), CARP_REASON (as monitor's REASON, or\n"
	  "start), CARP_REASON_TEXT, CARP_MASTER_VHIDS (\"1 3\"), CARP_TIME_NS,\n"
	  "CARP_TRY. A script still running after the timeout (default 30 s,\n"
	  "0: none) gets SIGTERM, 2 s later SIGKILL. settle: up and down wait\n"
	  "that long, and a change undone meanwhile runs nothing; retry: a\n"
	  "script that fails runs again up to N times (after 1, 2, 4... s)\n"
	  "while the state stays. Runs until SIGINT or SIGTERM", 0 },
	/* "h" stays "help", as before "hold" existed. */
	{ "hold", cmd_hold,
	  "NAME [demote N] -- COMMAND [ARG...]\n"
	  "        | del NAME",
	  "run COMMAND holding off a demotion of N (default 240): when\n"
	  "COMMAND ends, or carpctl does (even by SIGKILL), the kernel demotes\n"
	  "this namespace by N until the hold NAME is taken again or deleted;\n"
	  "exits with COMMAND's status (128 + N if signal N killed it)", 3 },
	{ "track", cmd_track, "{ add IFNAME [demote N] | del IFNAME }",
	  "demote this namespace by N (default 240) while IFNAME is down\n"
	  "or has no carrier; demote lists holds and tracked interfaces", 0 },
	/* "a" and "ad" stay "add", as before "apply" existed. */
	{ "apply", cmd_apply, "[--prune] [-n | --dry-run] { FILE | - }",
	  "make the carp devices what the add lines of FILE say, by the\n"
	  "smallest changes: a device that matches is left alone, a changed\n"
	  "one is changed in place (one set; a new parent: deleted and added\n"
	  "again), a missing one is added; --prune deletes the carp devices\n"
	  "FILE does not name. FILE is read, checked and compared with the\n"
	  "kernel before anything changes; only add lines are allowed. A key\n"
	  "(pass) cannot be read back: it is sent again whenever FILE gives\n"
	  "one. --dry-run prints the changes, one a line, and makes none", 2 },
	{ "help", cmd_help, "[COMMAND]", "show this help, or a command's", 0 },
};

#define NCOMMANDS ARRAY_SIZE(commands)

static void usage_one(FILE *f, const struct command *c)
{
	fprintf(f, "carpctl %s %s\n", c->name, c->args);
}

void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: carpctl [OPTIONS] COMMAND [ARGS]\n"
		"       carpctl [OPTIONS] -batch FILE\n"
		"OPTIONS := { -j[son] | -p[retty] | -o[utput] FORMAT | -O FILE |\n"
		"             -n[etns] NETNS | -b[atch] FILE | -f[orce] | -V[ersion] |\n"
		"             -h[elp] }\n"
		"FORMAT := { text | json | prometheus } (-j: json; prometheus: stats only)\n"
		"-O FILE: standard output written to FILE atomically (a new file in\n"
		"         its directory renamed over it on success)\n"
		"COMMAND := { add | set | del | demote | show | stats | monitor |\n"
		"             watch | apply | help }\n"
		"\n");
	for (i = 0; i < NCOMMANDS; i++)
		usage_one(f, &commands[i]);
	fprintf(f,
		"\n"
		"VHID := 1..255   SECONDS := 1..255   SKEW := 0..254   N := 0..255\n"
		"NODES := VHID:SKEW[,VHID:SKEW...] (distinct vhids, at most %d)\n"
		"BALANCING := { none | ip | ip-stealth | ip-unicast | arp } (default\n"
		"             with two or more vhids: ip)\n"
		"SECRET := at most %d bytes   ADDR := IPv4 or IPv6 address (/32, /128 if no /PLEN)\n"
		"PEER := the other hosts' unicast IPv4 addresses, comma-separated\n"
		"        (none: multicast)   PEER6 := the same, IPv6\n"
		"        (at most %d peers, IPv4 and IPv6 together)\n"
		"PRIO := %d..%d (VRRPv3 priority, default %d; %d: the addresses' owner)\n"
		"CS := %d..%d centiseconds (VRRPv3 advertisement interval, default %d)\n"
		"Commands and keywords may be abbreviated to any unique prefix\n"
		"(demote to dem: d and de are del; apply to ap: a and ad are add;\n"
		"peer to pe: p and pa are pass; peer6 only in full; carpver to\n"
		"carpv: c to carp are carpnodes; v is vhid).\n",
		CARP_NODES_MAX, CARP_KEY_LEN, CARP_PEERS_MAX,
		CARP_VRRP_PRIO_MIN, CARP_VRRP_PRIO_MAX, CARP_VRRP_PRIO_DEFAULT,
		CARP_VRRP_PRIO_MAX, CARP_VRRP_INTERVAL_MIN,
		CARP_VRRP_INTERVAL_MAX, CARP_VRRP_INTERVAL_DEFAULT);
}

void usage_command(FILE *f, const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name))
			continue;
		fprintf(f, "Usage: ");
		usage_one(f, &commands[i]);
		fprintf(f, "%s\n", commands[i].help);
	}
}

/* match_keyword(), but a command's prefix must be min_abbrev long. */
static int match_command(const char *word)
{
	size_t len = strlen(word), i;
	int found = KW_NONE;

	if (!len)
		return KW_NONE;
	for (i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(word, commands[i].name))
			return i;
		if (len < commands[i].min_abbrev ||
		    strncmp(word, commands[i].name, len))
			continue;
		found = found == KW_NONE ? (int)i : KW_AMBIGUOUS;
	}
	return found;
}

static int find_command(const char *word)
{
	int k = match_command(word);

	if (k == KW_AMBIGUOUS) {
		const char *names[NCOMMANDS];
		size_t i;

		for (i = 0; i < NCOMMANDS; i++)
			names[i] = commands[i].name;
		ambiguous_err("command", word, names, NCOMMANDS);
		return -1;
	}
	if (k == KW_NONE) {
		syntax_err("unknown command \"%s\" (try \"carpctl help\")",
			   esc(word));
		return -1;
	}
	return k;
}

const char *command_name(const char *word)
{
	int k = find_command(word);

	return k < 0 ? NULL : commands[k].name;
}

int cmd_help(int argc, char **argv)
{
	int k;

	if (argc == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return syntax_err("help: unknown word \"%s\"", esc(argv[1]));
	k = find_command(argv[0]);
	if (k < 0)
		return EXIT_SYNTAX;
	usage_command(stdout, commands[k].name);
	return EXIT_OK;
}

static int dispatch(int argc, char **argv)
{
	int k;

	if (argc < 1)
		return syntax_err("missing command (try \"carpctl help\")");
	k = find_command(argv[0]);
	if (k < 0)
		return EXIT_SYNTAX;
	/* Only stats has what a metric is made of. */
	if (opts.format == FORMAT_PROMETHEUS && commands[k].fn != cmd_stats &&
	    commands[k].fn != cmd_help)
		return syntax_err("%s: no prometheus output (-o prometheus is for stats)",
				  commands[k].name);
	/* "carpctl add help", as "ip link add help". */
	if (argc > 1 && !strcmp(argv[1], "help") &&
	    commands[k].fn != cmd_help) {
		usage_command(stdout, commands[k].name);
		return EXIT_OK;
	}
	return commands[k].fn(argc - 1, argv + 1);
}

/* ------------------------------------------------------------------ */
/* Batch mode. */

static int run_batch(const char *file)
{
	char loc[PATH_MAX + 32], **argv;
	int rc, worst = EXIT_OK, n, got;
	unsigned int first = 0;
	const char *why;
	struct batch b;

	if (batch_open(&b, file))
		return syntax_err("cannot open batch file \"%s\": %s", esc(file),
				  strerror(errno));

	while ((got = batch_next(&b, &first, &why))) {
		snprintf(loc, sizeof(loc), "%s:%u", b.name, first);
		err_location = loc;

		n = got < 0 ? -1 : split_words(b.cmd, &argv, &why);
		if (n < 0) {
			rc = syntax_err("%s", why);
		} else {
			rc = n ? dispatch(n, argv) : EXIT_OK;
			free_words(argv);
		}
		fflush(stdout);
		if (rc > worst)
			worst = rc;
		if (rc && !opts.force)
			break;
	}
	err_location = NULL;
	if (ferror(b.f))
		worst = sys_err("cannot read batch file \"%s\": %s", esc(file),
				strerror(errno));
	batch_close(&b);
	return worst;
}

/* ------------------------------------------------------------------ */
/* Network namespace, as "ip -n". */

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return syntax_err("invalid network namespace name \"%s\"",
				  esc(name));
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return syntax_err("network namespace \"%s\" does not exist",
					  esc(name));
		return sys_err("cannot open network namespace \"%s\": %s",
			       esc(name), strerror(errno));
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		close(fd);
		return sys_err("cannot enter network namespace \"%s\": %s",
			       esc(name), strerror(errno));
	}
	close(fd);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */

enum { O_JSON, O_PRETTY, O_OUTPUT, O_OUTFILE, O_NETNS, O_BATCH, O_FORCE,
       O_VERSION, O_HELP, O_MAX };

/* -O has no long name: "-o", "-ou"... stay -output's. */
static const char *const option_names[O_MAX] = {
	[O_JSON]	= "json",
	[O_PRETTY]	= "pretty",
	[O_OUTPUT]	= "output",
	[O_OUTFILE]	= "",
	[O_NETNS]	= "netns",
	[O_BATCH]	= "batch",
	[O_FORCE]	= "force",
	[O_VERSION]	= "version",
	[O_HELP]	= "help",
};

static const char *const format_words[FORMAT_MAX] = {
	[FORMAT_TEXT]		= "text",
	[FORMAT_JSON]		= "json",
	[FORMAT_PROMETHEUS]	= "prometheus",
};

/* -o FORMAT; the last of -o, -j and -p wins. */
static int set_format(const char *word)
{
	int k = match_keyword(word, format_words, FORMAT_MAX);

	if (k == KW_AMBIGUOUS)
		return ambiguous_err("output format", word, format_words,
				     FORMAT_MAX);
	if (k == KW_NONE)
		return syntax_err("invalid output format \"%s\" (expected %s)",
				  esc(word), "text, json or prometheus");
	opts.format = k;
	opts.json = k == FORMAT_JSON;
	if (!opts.json)
		opts.pretty = false;
	return EXIT_OK;
}

/* The command line's command, or the batch, with -O's file if given. */
static int run(int argc, char **argv)
{
	struct outfile out = { NULL, NULL };
	int rc;

	if (opts.outfile) {
		rc = outfile_open(&out, opts.outfile);
		if (rc)
			return rc;
	}
	if (opts.batch)
		rc = run_batch(opts.batch);
	else
		rc = dispatch(argc, argv);
	nl_close_all();
	fflush(stdout);
	return outfile_close(&out, rc);
}

int main(int argc, char **argv)
{
	const char *opt;
	int i, k, rc;

	for (i = 1; i < argc; i++) {
		opt = argv[i];
		if (opt[0] != '-' || !opt[1])
			break;
		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		opt += opt[1] == '-' ? 2 : 1;
		k = !strcmp(opt, "V") || !strcmp(opt, "Version") ? O_VERSION :
		    !strcmp(opt, "O") ? O_OUTFILE :
		    match_keyword(opt, option_names, O_MAX);
		if (k == KW_AMBIGUOUS)
			return ambiguous_err("option", argv[i], option_names,
					     O_MAX);
		if (k == KW_NONE)
			return syntax_err("unknown option \"%s\" (try \"carpctl help\")",
					  esc(argv[i]));
		/* as -batch takes no command: a word after them is a mistake */
		if ((k == O_VERSION || k == O_HELP) && i + 1 < argc)
			return syntax_err("option \"%s\" takes no argument, but \"%s\" was given",
					  esc(argv[i]), esc(argv[i + 1]));
		switch (k) {
		case O_JSON:
			opts.json = true;
			opts.format = FORMAT_JSON;
			break;
		case O_PRETTY:
			opts.pretty = opts.json = true;
			opts.format = FORMAT_JSON;
			break;
		case O_FORCE:
			opts.force = true;
			break;
		case O_VERSION:
			printf("carpctl %s\n", CARPCTL_VERSION);
			return EXIT_OK;
		case O_HELP:
			usage(stdout);
			return EXIT_OK;
		case O_NETNS:
		case O_BATCH:
		case O_OUTPUT:
		case O_OUTFILE:
			if (i + 1 >= argc)
				return syntax_err("option \"%s\" needs a value",
						  esc(argv[i]));
			if (k == O_NETNS)
				opts.netns = argv[++i];
			else if (k == O_BATCH)
				opts.batch = argv[++i];
			else if (k == O_OUTFILE)
				opts.outfile = argv[++i];
			else if (set_format(argv[++i]))
				return EXIT_SYNTAX;
			break;
		}
	}

	if (opts.batch && i < argc)
		return syntax_err("-batch takes no command, but \"%s\" was given",
				  esc(argv[i]));
	if (opts.netns) {
		rc = enter_netns(opts.netns);
		if (rc)
			return rc;
	}

	return run(argc - i, argv + i);
}
