// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the hold command. `hold NAME [demote N] -- COMMAND...` takes
 * the hold NAME for carpctl's own netlink socket and runs COMMAND as its
 * child; when COMMAND ends, carpctl ends with its status, and the kernel,
 * seeing the socket close, demotes the netns by N. carpctl killed, even
 * with SIGKILL, closes the socket too: the hold fails safe whatever dies.
 * `hold del NAME` deletes a hold and its demotion.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "carpctl.h"
#include "err.h"
#include "nl.h"
#include "parse.h"

/* The signals carpctl passes on to COMMAND, as a shell's exec would. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				 SIGUSR1, SIGUSR2 };

static volatile sig_atomic_t child_pid;

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* A hold's name: 1..31 printable characters, not a word of this command. */
static int check_hold_name(const char *name)
{
	const char *p;

	if (!*name || strlen(name) >= CARP_HOLD_NAME_LEN)
		return syntax_err("invalid hold name \"%s\" (1 to %d characters)",
				  esc(name), CARP_HOLD_NAME_LEN - 1);
	for (p = name; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			return syntax_err("invalid hold name \"%s\" (no blanks or control characters)",
					  esc(name));
	}
	if (!strcmp(name, "del") || !strcmp(name, "--"))
		return syntax_err("invalid hold name \"%s\" (a word of the command)",
				  esc(name));
	return EXIT_OK;
}

/* In the child: the signals as they were, then COMMAND. Never returns. */
static void run_command(char **argv, const sigset_t *oldmask)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(forwarded); i++)
		signal(forwarded[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "carpctl: hold: cannot run %s: %s\n", esc(argv[0]),
		strerror(errno));
	_exit(127);
}

/* Wait for @pid: its exit status, or 128 + the signal that killed it. */
static int wait_command(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return sys_err("hold: waitpid: %s", strerror(errno));
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * COMMAND as a child, carpctl waiting with the hold's socket open. The
 * socket is close-on-exec: COMMAND and its children do not keep the hold
 * alive once carpctl is gone.
 */
static int run_held(char **argv)
{
	struct sigaction sa;
	sigset_t block, old;
	size_t i;
	pid_t pid;
	int fd = nl_genl_fd();

	if (fd < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC))
		return sys_err("hold: cannot make the socket close-on-exec");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	/* no signal between fork() and child_pid: they wait until set */
	sigemptyset(&block);
	for (i = 0; i < ARRAY_SIZE(forwarded); i++) {
		sigaddset(&block, forwarded[i]);
		if (sigaction(forwarded[i], &sa, NULL))
			return sys_err("hold: cannot set up signals: %s",
				       strerror(errno));
	}
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return sys_err("hold: cannot fork: %s", strerror(errno));
	if (!pid)
		run_command(argv, &old);
	child_pid = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return wait_command(pid);
}

/* hold del NAME */
static int hold_del(int argc, char **argv)
{
	int rc, err;

	if (!argc)
		return syntax_err("hold del: missing hold name");
	if (argc > 1)
		return syntax_err("hold del: unknown word \"%s\"", esc(argv[1]));
	rc = check_hold_name(argv[0]);
	if (rc)
		return rc;
	rc = nl_open();
	if (rc)
		return rc;
	err = nl_del_hold(argv[0]);
	if (err)
		return kernel_err(err, "cannot delete hold %s", argv[0]);
	return EXIT_OK;
}

/*
 * hold NAME [demote N] -- COMMAND [ARG...]: COMMAND's exit status, 128 +
 * a signal that killed it, or carpctl's own (1, 2) if it did not run.
 */
int cmd_hold(int argc, char **argv)
{
	const char *name;
	int demote = 0, rc, err, i = 1;

	if (argc >= 1 && !strcmp(argv[0], "del"))
		return hold_del(argc - 1, argv + 1);
	if (argc < 1)
		return syntax_err("hold: missing hold name");
	name = argv[0];
	rc = check_hold_name(name);
	if (rc)
		return rc;
	if (i < argc && match_keyword(argv[i], (const char *const[]){ "demote" },
				      1) == 0) {
		if (i + 1 >= argc)
			return syntax_err("missing value for demote");
		rc = parse_demote_by(argv[i + 1], &demote);
		if (rc)
			return rc;
		i += 2;
	}
	if (i >= argc)
		return syntax_err("hold: missing -- and the command to run");
	if (strcmp(argv[i], "--"))
		return syntax_err("hold: unknown word \"%s\" (the command comes after --)",
				  esc(argv[i]));
	if (++i >= argc)
		return syntax_err("hold: missing the command to run after --");
	rc = nl_open();
	if (rc)
		return rc;
	err = nl_new_hold(name, demote);
	if (err)
		return kernel_err(err, "cannot take hold %s", name);
	return run_held(argv + i);
}
