/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: configure carp(4) devices over generic netlink.
 *
 * What every part shares: exit statuses, global options, the commands.
 * The rest is declared by concern: device.h (the data model), parse.h,
 * nl.h (netlink), err.h (error reporting), json.h.
 */
#ifndef CARPCTL_H
#define CARPCTL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#ifndef CARPCTL_VERSION
#define CARPCTL_VERSION "0.1.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses, as ip(8). */
#define EXIT_OK		0
#define EXIT_SYNTAX	1	/* usage or validation error */
#define EXIT_KERNEL	2	/* the kernel (or the system) said no */

/* Output formats (-o); json is also -j. */
enum carpctl_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_PROMETHEUS,	/* stats only */
	FORMAT_MAX
};

/* Global options, set once in main(). */
struct carpctl_opts {
	bool json;			/* format is FORMAT_JSON */
	bool pretty;
	bool force;
	enum carpctl_format format;
	const char *netns;
	const char *batch;
	const char *outfile;		/* -O: stdout goes there, atomically */
};

extern struct carpctl_opts opts;

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
int cmd_hold(int argc, char **argv);
int cmd_track(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* carpctl.c */
/*
 * The full name of the command @word names (an abbreviation, as on the
 * command line), or NULL after printing why it names none.
 */
const char *command_name(const char *word);
void usage_command(FILE *f, const char *cmd);
void usage(FILE *f);

/* cmd_monitor.c */
/*
 * SIGINT and SIGTERM set the stop signal, SIGCHLD only wakes: all three
 * blocked from now on except while waiting in ppoll() with *waitmask.
 */
int mon_signals_setup(sigset_t *waitmask);
int mon_stop_signal(void);		/* 0, or the signal that asks to stop */

/*
 * cmd_modify.c: what add and set do once their words are parsed, for
 * apply to do the same from a file.
 *
 * conf_parse(): NAME and the words of add (@add) or set into @c, checked
 * as far as they can be without the kernel; c->addrs is malloc'ed.
 * conf_add_check(): what add needs besides (a vhid, an address, the
 * parent, found from the first IPv4 address if not named) into *link;
 * it reads the kernel, never writes. conf_add_create(): create the
 * device, give it its addresses, bring it up; a failure leaves nothing.
 * conf_set(): change a device as "set" does (@c's addresses, if any,
 * replace its own). Each returns 0 or the exit status, having printed why.
 */
struct carp_conf;
int conf_parse(const char *cmd, int argc, char **argv, bool add,
	       struct carp_conf *c);
int conf_add_check(struct carp_conf *c, unsigned int *link);
int conf_add_create(const struct carp_conf *c, unsigned int link);
int conf_set(const struct carp_conf *c);

#endif /* CARPCTL_H */
