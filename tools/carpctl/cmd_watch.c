// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the watch command, a script on every change to and from MASTER
 * (as ucarp's upscript/downscript and keepalived's notify scripts), and
 * on every conflict (another master heard while MASTER).
 *
 * A device with several vhids (carpnodes) is MASTER while it is MASTER of
 * any of them: the state of each vhid is followed from its events, and up
 * runs when the first one becomes MASTER, down when the last one stops.
 *
 * One process, one loop: the events of the "monitor" group are queued in
 * the order they arrive; one script runs at a time, in its own process
 * group, and the next starts when it has exited. A script still running
 * after the timeout gets SIGTERM, then SIGKILL WATCH_KILL_GRACE_S later
 * (the whole process group both times), and the watch goes on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "nl.h"
#include "parse.h"

#define WATCH_TIMEOUT_S		30	/* default script timeout */
#define WATCH_TIMEOUT_MAX_S	86400
#define WATCH_KILL_GRACE_S	2	/* from SIGTERM to SIGKILL */
#define WATCH_SETTLE_MAX_S	3600
#define WATCH_RETRIES_MAX	100
#define WATCH_RETRY_MAX_S	30	/* the longest backoff */

/* The scripts, by the word that names them (watch_words[] starts alike). */
enum { EV_UP, EV_DOWN, EV_CONFLICT, EV_MAX };
static const char *const event_names[EV_MAX] = { "up", "down", "conflict" };

/* CARP_MASTER_VHIDS: "1 3 200", at most every vhid. */
#define MASTER_VHIDS_LEN	(4 * (CARP_VHID_MAX + 1))

struct job {
	int event;			/* EV_* */
	struct carp_event ev;		/* ev.old_state -1: read, not an event */
	const char *reason;		/* CARP_REASON of such a job */
	char master_vhids[MASTER_VHIDS_LEN];	/* CARP_MASTER_VHIDS */
	struct timespec not_before;	/* settle, or a retry's backoff */
	unsigned int tries;		/* runs so far */
};

struct watch {
	const char *name;
	const char *script[EV_MAX];	/* NULL: nothing to run */
	unsigned long timeout_s;	/* 0: none */
	unsigned long settle_s;		/* up/down wait this long; 0: none */
	unsigned long retries;		/* a failed script runs again */
	bool master;			/* after every queued event */
	/* each vhid's state after every queued event; [0]: no vhid said */
	unsigned char vhid_state[CARP_VHID_MAX + 1];

	struct job *queue;
	size_t head, len, cap;

	pid_t child;			/* 0: none running */
	struct job running;
	struct timespec started;
	int signalled;			/* 0, SIGTERM, SIGKILL: sent already */
	struct timespec next_kill;	/* when to send the next signal */
};

static __attribute__((format(printf, 2, 3)))
void watch_msg(const struct watch *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "carpctl: watch %s: ", esc(w->name));
	fput_safe(buf, stderr);
	fputc('\n', stderr);
}

static void now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static void ts_add(struct timespec *ts, unsigned long s)
{
	ts->tv_sec += (time_t)s;
}

/* Room for one more job in the ring. */
static int queue_grow(struct watch *w)
{
	size_t cap = w->cap ? 2 * w->cap : 8, i;
	struct job *q;

	if (w->len < w->cap)
		return 0;
	q = malloc(cap * sizeof(*q));
	if (!q)
		return -ENOMEM;
	for (i = 0; i < w->len; i++)
		q[i] = w->queue[(w->head + i) % w->cap];
	free(w->queue);
	w->queue = q;
	w->head = 0;
	w->cap = cap;
	return 0;
}

/* Milliseconds from @from to @to (negative if @to is past). */
static long long ms_between(const struct timespec *from,
			    const struct timespec *to)
{
	return (long long)(to->tv_sec - from->tv_sec) * 1000 +
	       (to->tv_nsec - from->tv_nsec) / 1000000;
}

/* The vhids @w is MASTER of, "1 3 200", into @buf. */
static void master_vhids(const struct watch *w, char *buf, size_t len)
{
	size_t used = 0;
	int v;

	buf[0] = '\0';
	for (v = 1; v <= CARP_VHID_MAX && used < len; v++)
		if (w->vhid_state[v] == CARP_STATE_MASTER)
			used += snprintf(buf + used, len - used, "%s%d",
					 used ? " " : "", v);
}

/* MASTER of some vhid (or of "no vhid", from an event without one). */
static bool watch_is_master(const struct watch *w)
{
	int v;

	for (v = 0; v <= CARP_VHID_MAX; v++)
		if (w->vhid_state[v] == CARP_STATE_MASTER)
			return true;
	return false;
}

static int queue_push(struct watch *w, int event,
		      const struct carp_event *ev, const char *reason)
{
	struct job *q;

	if (queue_grow(w))
		return -ENOMEM;
	q = &w->queue[(w->head + w->len++) % w->cap];
	q->event = event;
	q->ev = *ev;
	q->reason = reason;
	q->tries = 0;
	master_vhids(w, q->master_vhids, sizeof(q->master_vhids));
	now(&q->not_before);
	if (event != EV_CONFLICT)
		ts_add(&q->not_before, w->settle_s);
	return 0;
}

/*
 * After a change of the vhids' states (@ev, the change, or a state read):
 * up when the device becomes MASTER of some vhid, down when it is MASTER
 * of none any more. They alternate: a change that does not move the
 * device in or out of MASTER as seen so far (another vhid still is or
 * already was MASTER, or the start raced with it: the state read already
 * had it) runs nothing. @reason: CARP_REASON of a state read (NULL: from
 * the event).
 */
static int watch_queue(struct watch *w, const struct carp_event *ev,
		       const char *reason)
{
	bool master = watch_is_master(w);
	int event = master ? EV_UP : EV_DOWN;
	struct job *last;

	if (master == w->master)
		return 0;
	w->master = master;
	/*
	 * settle: a change undone while its job still waits undoes the job
	 * too (up and down still alternate, and the state the scripts last
	 * saw is the state again).
	 */
	if (w->settle_s && w->len) {
		last = &w->queue[(w->head + w->len - 1) % w->cap];
		if (last->event == (master ? EV_DOWN : EV_UP)) {
			w->len--;
			return 0;
		}
	}
	/* with settle, a job even without a script: a change to undo */
	if (!w->script[event] && !w->settle_s)
		return 0;
	return queue_push(w, event, ev, reason);
}

static int watch_event(const struct carp_event *ev, void *arg)
{
	struct watch *w = arg;

	if (strcmp(ev->ifname, w->name))
		return 0;
	/* a conflict leaves every state as it was: its own script, if any */
	if (ev->kind == CARP_EV_CONFLICT)
		return w->script[EV_CONFLICT] ?
		       queue_push(w, EV_CONFLICT, ev, "conflict") : 0;
	if (ev->vhid <= CARP_VHID_MAX)
		w->vhid_state[ev->vhid > 0 ? ev->vhid : 0] = ev->state;
	return watch_queue(w, ev, NULL);
}

static void set_env_uint(const char *key, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	setenv(key, buf, 1);
}

/* A conflict's: the other master, as it advertised itself. */
static void set_conflict_env(const struct carp_event *ev)
{
	char other[ADDR_STRLEN];

	setenv("CARP_OTHER", format_host(&ev->other, other), 1);
	set_env_uint("CARP_OTHER_ADVBASE", ev->advbase);
	set_env_uint("CARP_OTHER_ADVSKEW", ev->advskew);
	if (ev->demote >= 0)
		set_env_uint("CARP_OTHER_DEMOTE", ev->demote);
}

/* In the child: the environment, then the script. Never returns. */
static void run_script(const struct watch *w, const struct job *j)
{
	const char *script = w->script[j->event];
	const struct carp_event *ev = &j->ev;
	char *argv[4];
	sigset_t none;
	int fd;

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	fd = open("/dev/null", O_RDONLY);
	if (fd > 0) {
		dup2(fd, 0);
		close(fd);
	}

	setenv("CARP_EVENT", event_names[j->event], 1);
	setenv("CARP_IFNAME", ev->ifname, 1);
	set_env_uint("CARP_IFINDEX", ev->ifindex);
	if (ev->vhid >= 0)
		set_env_uint("CARP_VHID", ev->vhid);
	setenv("CARP_OLD_STATE",
	       ev->old_state >= 0 ? carp_state_str(ev->old_state) : "", 1);
	setenv("CARP_NEW_STATE", carp_state_str(ev->state), 1);
	setenv("CARP_REASON", j->reason ? j->reason :
	       carp_reason_str(ev->reason), 1);
	setenv("CARP_REASON_TEXT", ev->reason_text, 1);
	setenv("CARP_MASTER_VHIDS", j->master_vhids, 1);
	if (ev->kind == CARP_EV_CONFLICT)
		set_conflict_env(ev);
	if (ev->has_time)
		set_env_uint("CARP_TIME_NS", ev->time_ns);
	set_env_uint("CARP_TRY", j->tries + 1);

	argv[0] = (char *)script;
	argv[1] = (char *)ev->ifname;
	argv[2] = (char *)event_names[j->event];
	argv[3] = NULL;
	execv(script, argv);
	fprintf(stderr, "carpctl: watch %s: cannot run %s script %s: %s\n",
		w->name, event_names[j->event], script, strerror(errno));
	_exit(127);
}

/* Is the next job due (its settle or backoff over)? */
static bool watch_head_due(const struct watch *w)
{
	struct timespec t;

	if (!w->len)
		return false;
	now(&t);
	return ms_between(&t, &w->queue[w->head].not_before) <= 0;
}

static int watch_start_next(struct watch *w)
{
	pid_t pid;

	w->running = w->queue[w->head];
	w->head = (w->head + 1) % w->cap;
	w->len--;
	/* a settled change that has no script */
	if (!w->script[w->running.event])
		return 0;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		watch_msg(w, "cannot run the %s script: %s",
			  event_names[w->running.event], strerror(errno));
		return -errno;
	}
	if (!pid)
		run_script(w, &w->running);
	/* the child saw the runs before this one (CARP_TRY is one more) */
	w->running.tries++;
	/* also here: a kill() before the child's own setpgid() must work */
	setpgid(pid, pid);
	w->child = pid;
	w->signalled = 0;
	now(&w->started);
	w->next_kill = w->started;
	ts_add(&w->next_kill, w->timeout_s);
	return 0;
}

/* Seconds before run @tries + 1 of a failed script: 1, 2, 4, ... 30. */
static unsigned long retry_backoff_s(unsigned int tries)
{
	return tries >= 5 ? WATCH_RETRY_MAX_S : 1UL << (tries - 1);
}

/*
 * A failed script runs again (retry N) while what it was run for still
 * holds: no later change is queued (for up and down; a conflict is run
 * again regardless). First in the queue, after its backoff. @why: how it
 * failed. Returns whether it was queued.
 */
static bool watch_retry(struct watch *w, const char *why)
{
	const char *what = event_names[w->running.event];
	struct job *j;
	size_t i;

	if (w->running.tries > w->retries || mon_stop_signal())
		return false;
	for (i = 0; w->running.event != EV_CONFLICT && i < w->len; i++) {
		if (w->queue[(w->head + i) % w->cap].event != EV_CONFLICT) {
			watch_msg(w, "%s script %s %s: not run again, the state changed since",
				  what, w->script[w->running.event], why);
			return false;
		}
	}
	if (queue_grow(w))
		return false;
	w->head = (w->head + w->cap - 1) % w->cap;
	w->len++;
	j = &w->queue[w->head];
	*j = w->running;
	now(&j->not_before);
	ts_add(&j->not_before, retry_backoff_s(j->tries));
	watch_msg(w, "%s script %s %s: run %u of %lu in %lu s", what,
		  w->script[j->event], why, j->tries + 1, w->retries + 1,
		  retry_backoff_s(j->tries));
	return true;
}

/* The running script exited (or was killed): say so unless it went well. */
static void watch_reap(struct watch *w)
{
	const char *what = event_names[w->running.event];
	const char *script = w->script[w->running.event];
	char why[128];
	int status;
	pid_t pid;

	pid = waitpid(w->child, &status, WNOHANG);
	if (pid != w->child)
		return;
	w->child = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status))
		snprintf(why, sizeof(why), "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "ended by signal %d (%s)%s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)),
			 w->signalled ? ": killed after the timeout" : "");
	else
		return;
	if (!watch_retry(w, why))
		watch_msg(w, "%s script %s %s", what, script, why);
}

/* The running script's timeout: SIGTERM, then SIGKILL. */
static void watch_timeouts(struct watch *w)
{
	const char *what = event_names[w->running.event];
	struct timespec t;

	if (!w->child || !w->timeout_s || w->signalled == SIGKILL)
		return;
	now(&t);
	if (ms_between(&t, &w->next_kill) > 0)
		return;
	if (!w->signalled) {
		watch_msg(w, "%s script %s (pid %d) still running after %lu s: timeout, sending SIGTERM",
			  what, w->script[w->running.event], (int)w->child,
			  w->timeout_s);
		kill(-w->child, SIGTERM);
		w->signalled = SIGTERM;
		w->next_kill = t;
		ts_add(&w->next_kill, WATCH_KILL_GRACE_S);
	} else {
		watch_msg(w, "%s script %s (pid %d) ignored SIGTERM for %d s: sending SIGKILL",
			  what, w->script[w->running.event], (int)w->child,
			  WATCH_KILL_GRACE_S);
		kill(-w->child, SIGKILL);
		w->signalled = SIGKILL;
	}
}

/*
 * @ms (>= 0) as a ppoll() timeout, rounded up a millisecond so that it
 * never wakes just before the deadline. tv_nsec stays below 1e9: ppoll()
 * refuses anything else with EINVAL (and the watch ended on that once).
 */
static void wait_ts(long long ms, struct timespec *ts)
{
	ms++;
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = ms % 1000 * 1000000;
}

/*
 * How long ppoll() may sleep: until the next signal is due, or the next
 * job (NULL: ever).
 */
static struct timespec *watch_wait(const struct watch *w,
				   struct timespec *ts)
{
	struct timespec t;
	long long ms = -1;

	now(&t);
	if (w->child && w->timeout_s && w->signalled != SIGKILL)
		ms = ms_between(&t, &w->next_kill);
	else if (!w->child && w->len)
		ms = ms_between(&t, &w->queue[w->head].not_before);
	else
		return NULL;
	if (ms < 0)
		ms = 0;
	wait_ts(ms, ts);
	return ts;
}

/* Each vhid's state as read in @ci, instead of what the events said. */
static void watch_set_states(struct watch *w, const struct carp_info *ci)
{
	const struct carp_node_info *n;
	size_t i;

	memset(w->vhid_state, CARP_STATE_INIT, sizeof(w->vhid_state));
	for (i = 0; i < ci->nnodes; i++) {
		n = &ci->nodes[i];
		if (n->vhid > 0)
			w->vhid_state[n->vhid] = n->state;
	}
}

/* The device's state now: 0, or prints and returns the exit status. */
static int watch_sync(struct watch *w, bool start)
{
	struct carp_event ev;
	struct carp_info ci;
	size_t i;
	int err;

	err = nl_get_device(w->name, &ci);
	if (err)
		return kernel_err(err, "%s", w->name);
	watch_set_states(w, &ci);
	memset(&ev, 0, sizeof(ev));
	ev.ifindex = ci.ifindex;
	snprintf(ev.ifname, sizeof(ev.ifname), "%s", ci.ifname);
	ev.vhid = ci.vhid;
	/* CARP_VHID: the first vhid it is MASTER of, if any */
	for (i = 0; i < ci.nnodes; i++) {
		if (ci.nodes[i].state == CARP_STATE_MASTER) {
			ev.vhid = ci.nodes[i].vhid;
			break;
		}
	}
	ev.state = ci.state;
	ev.old_state = -1;
	ev.reason = -1;
	snprintf(ev.reason_text, sizeof(ev.reason_text), "%s",
		 start ? "MASTER when the watch started" :
		 "state read again after lost events");
	carp_info_free(&ci);
	if (start) {
		/* as keepalived: a MASTER at start runs up once */
		w->master = false;
		if (!watch_is_master(w))
			return 0;
	}
	if (watch_queue(w, &ev, start ? "start" : "resync"))
		return sys_err("out of memory");
	return 0;
}

/* The scripts' words first, in EV_* order, then the numbers. */
static const char *const watch_words[] = { "up", "down", "conflict", "timeout",
					   "settle", "retry" };
#define W_TIMEOUT	EV_MAX
#define W_SETTLE	(EV_MAX + 1)
#define W_RETRY		(EV_MAX + 2)

static int watch_parse(struct watch *w, int argc, char **argv)
{
	bool seen[ARRAY_SIZE(watch_words)] = { false };
	const char *val;
	int i, k, rc;

	if (argc < 1 || match_keyword(argv[0], watch_words,
				      ARRAY_SIZE(watch_words)) >= 0)
		return syntax_err("watch: missing device name");
	rc = check_ifname("device name", argv[0]);
	if (rc)
		return rc;
	w->name = argv[0];
	w->timeout_s = WATCH_TIMEOUT_S;
	for (i = 1; i < argc; i++) {
		k = match_keyword(argv[i], watch_words,
				  ARRAY_SIZE(watch_words));
		if (k == KW_AMBIGUOUS)
			return ambiguous_err("keyword", argv[i], watch_words,
					     ARRAY_SIZE(watch_words));
		if (k == KW_NONE)
			return syntax_err("watch: unknown word \"%s\"",
					  esc(argv[i]));
		if (seen[k])
			return syntax_err("%s given twice", watch_words[k]);
		seen[k] = true;
		if (i + 1 >= argc)
			return syntax_err("missing value for %s",
					  watch_words[k]);
		val = argv[++i];
		if (k == W_TIMEOUT) {
			if (parse_uint(val, 0, WATCH_TIMEOUT_MAX_S,
				       &w->timeout_s))
				return syntax_err("invalid timeout \"%s\" (expected seconds, 0..%d; 0: none)",
						  esc(val), WATCH_TIMEOUT_MAX_S);
			continue;
		}
		if (k == W_SETTLE) {
			if (parse_uint(val, 0, WATCH_SETTLE_MAX_S, &w->settle_s))
				return syntax_err("invalid settle \"%s\" (expected seconds, 0..%d)",
						  esc(val), WATCH_SETTLE_MAX_S);
			continue;
		}
		if (k == W_RETRY) {
			if (parse_uint(val, 0, WATCH_RETRIES_MAX, &w->retries))
				return syntax_err("invalid retry \"%s\" (expected a count, 0..%d)",
						  esc(val), WATCH_RETRIES_MAX);
			continue;
		}
		if (!*val)
			return syntax_err("%s: empty script name",
					  watch_words[k]);
		if (access(val, X_OK))
			return syntax_err("%s script \"%s\" cannot be run: %s",
					  watch_words[k], esc(val),
					  strerror(errno));
		w->script[k] = val;
	}
	if (!w->script[EV_UP] && !w->script[EV_DOWN] && !w->script[EV_CONFLICT])
		return syntax_err("watch: an up, down or conflict script is required");
	return EXIT_OK;
}

/*
 * watch NAME [up SCRIPT] [down SCRIPT] [conflict SCRIPT] [timeout SECS]:
 * until SIGINT or
 * SIGTERM; then the running script may finish (within its timeout), the
 * queued ones are dropped.
 */
int cmd_watch(int argc, char **argv)
{
	struct timespec ts, *wait;
	struct watch w = { 0 };
	sigset_t waitmask;
	struct pollfd pfd;
	int rc, err;

	rc = watch_parse(&w, argc, argv);
	if (rc)
		return rc;
	/* subscribe first, then read the state: no change falls between */
	rc = nl_monitor_open();
	if (rc)
		return rc;
	rc = watch_sync(&w, true);
	if (rc)
		return rc;
	if (mon_signals_setup(&waitmask))
		return sys_err("watch: cannot set up signals: %s",
			       strerror(errno));

	pfd.fd = nl_monitor_fd();
	pfd.events = POLLIN;
	rc = EXIT_OK;
	for (;;) {
		if (w.child)
			watch_reap(&w);
		if (mon_stop_signal() && !w.child)
			break;
		if (!w.child && watch_head_due(&w) && !mon_stop_signal() &&
		    watch_start_next(&w)) {
			rc = EXIT_KERNEL;
			break;
		}
		watch_timeouts(&w);
		wait = watch_wait(&w, &ts);
		/* stopping: no more events, only the running script */
		pfd.fd = mon_stop_signal() ? -1 : nl_monitor_fd();
		if (ppoll(&pfd, 1, wait, &waitmask) < 0 && errno != EINTR) {
			rc = sys_err("watch: %s", strerror(errno));
			break;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		err = nl_monitor_read(watch_event, &w);
		if (err == -ENOBUFS) {
			watch_msg(&w, "events lost (socket buffer overflow): reading the state again");
			rc = watch_sync(&w, false);
			if (rc)
				break;
		} else if (err) {
			rc = sys_err("watch: %s", strerror(-err));
			break;
		}
	}
	if (w.len)
		watch_msg(&w, "stopping: %zu queued script(s) not run", w.len);
	free(w.queue);
	return rc;
}
