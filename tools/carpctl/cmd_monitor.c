// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the monitor command, state changes as they happen (the
 * "monitor" multicast group of the carp family), as `ip monitor`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

/* ------------------------------------------------------------------ */
/* SIGINT and SIGTERM end monitor and watch cleanly. */

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

static void on_child(int sig)
{
	(void)sig;	/* only to interrupt ppoll() */
}

int mon_signals_setup(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: the signal ends the wait in ppoll() */
	sa.sa_handler = on_stop;
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL))
		return -errno;
	/*
	 * Blocked except inside ppoll(), so that none can slip in between
	 * the checks and the wait.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, waitmask))
		return -errno;
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGCHLD);
	return 0;
}

int mon_stop_signal(void)
{
	return stop_sig;
}

/* ------------------------------------------------------------------ */

static void format_time(uint64_t ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06lluZ",
		 (unsigned long long)(ns % 1000000000ULL / 1000));
}

/*
 *   carp0 vhid 1 conflict: another master 10.0.0.3 (advbase 0 advskew 110
 *   demote 10); staying MASTER
 */
static void print_conflict_text(const struct carp_event *ev)
{
	char other[ADDR_STRLEN];

	printf("%s", ev->ifname);
	if (ev->vhid >= 0)
		printf(" vhid %d", ev->vhid);
	printf(" conflict: another master %s (advbase %d advskew %d",
	       format_host(&ev->other, other), ev->advbase, ev->advskew);
	if (ev->demote >= 0)
		printf(" demote %d", ev->demote);
	printf("); staying MASTER\n");
	fflush(stdout);
}

/* The JSON keys a conflict has beyond a state change's. */
static void print_conflict_json(struct json *j, const struct carp_event *ev)
{
	char other[ADDR_STRLEN];

	json_key(j, "other");
	json_string(j, format_host(&ev->other, other));
	json_key(j, "other_advbase");
	json_uint(j, ev->advbase);
	json_key(j, "other_advskew");
	json_uint(j, ev->advskew);
	if (ev->demote >= 0) {
		json_key(j, "other_demote");
		json_uint(j, ev->demote);
	}
}

/*
 * One line per event:
 *   carp0 vhid 1 BACKUP -> MASTER (master-down: master timed out)
 * or one JSON object per line; "event" says which kind ("state",
 * "conflict").
 */
static void print_event(const struct carp_event *ev)
{
	char when[64];
	struct json j;

	if (!opts.json && ev->kind == CARP_EV_CONFLICT) {
		print_conflict_text(ev);
		return;
	}
	if (!opts.json) {
		printf("%s", ev->ifname);
		if (ev->vhid >= 0)
			printf(" vhid %d", ev->vhid);
		printf(" %s -> %s (%s", carp_state_str(ev->old_state),
		       carp_state_str(ev->state), carp_reason_str(ev->reason));
		if (ev->reason_text[0])
			printf(": %s", ev->reason_text);
		printf(")\n");
		fflush(stdout);
		return;
	}
	/* one object a line even with -p: a stream of events */
	json_init(&j, stdout, false);
	json_begin_object(&j);
	json_key(&j, "event");
	json_string(&j, ev->kind == CARP_EV_CONFLICT ? "conflict" : "state");
	json_key(&j, "ifname");
	json_string(&j, ev->ifname);
	json_key(&j, "ifindex");
	json_uint(&j, ev->ifindex);
	if (ev->vhid >= 0) {
		json_key(&j, "vhid");
		json_uint(&j, ev->vhid);
	}
	if (ev->kind == CARP_EV_CONFLICT) {
		print_conflict_json(&j, ev);
	} else {
		json_key(&j, "old_state");
		json_string(&j, carp_state_str(ev->old_state));
		json_key(&j, "state");
		json_string(&j, carp_state_str(ev->state));
		json_key(&j, "reason");
		json_string(&j, carp_reason_str(ev->reason));
		json_key(&j, "reason_text");
		json_string(&j, ev->reason_text);
	}
	if (ev->has_time) {
		format_time(ev->time_ns, when, sizeof(when));
		json_key(&j, "time");
		json_string(&j, when);
		json_key(&j, "time_ns");
		json_uint(&j, ev->time_ns);
	}
	json_end_object(&j);
	fflush(stdout);
}

static int monitor_event(const struct carp_event *ev, void *arg)
{
	const char *name = arg;

	if (!name || !strcmp(name, ev->ifname))
		print_event(ev);
	return 0;
}

/*
 * monitor [NAME]: print every state change (of NAME only, if given; it
 * need not exist yet) until SIGINT or SIGTERM.
 */
int cmd_monitor(int argc, char **argv)
{
	const char *name = NULL;
	sigset_t waitmask;
	struct pollfd pfd;
	int rc, err;

	rc = parse_device_arg("monitor", argc, argv, false);
	if (rc)
		return rc;
	if (argc == 1)
		name = argv[0];
	rc = nl_monitor_open();
	if (rc)
		return rc;
	if (mon_signals_setup(&waitmask))
		return sys_err("monitor: cannot set up signals: %s",
			       strerror(errno));

	pfd.fd = nl_monitor_fd();
	pfd.events = POLLIN;
	while (!mon_stop_signal()) {
		if (ppoll(&pfd, 1, NULL, &waitmask) < 0) {
			if (errno == EINTR)
				continue;
			return sys_err("monitor: %s", strerror(errno));
		}
		err = nl_monitor_read(monitor_event, (void *)name);
		if (err == -ENOBUFS) {
			fflush(stdout);
			fprintf(stderr, "carpctl: monitor: events lost (socket buffer overflow)\n");
		} else if (err) {
			return sys_err("monitor: %s", strerror(-err));
		}
	}
	return EXIT_OK;
}
