// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: -O FILE, standard output written to FILE atomically.
 *
 * A reader of FILE (node_exporter's textfile collector, every few
 * seconds) must never see half of it: the output goes to a new file in
 * FILE's directory, as FILE.XXXXXX (a name the collector, which reads
 * *.prom only, passes over), and rename() puts it in FILE's place once
 * the command succeeded. rename() is atomic within one file system only,
 * hence the same directory. On failure the new file is removed and FILE
 * keeps its last good content: a scraper sees stale metrics (its
 * node_textfile_mtime_seconds tells how stale), never broken ones.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carpctl.h"
#include "err.h"
#include "outfile.h"
#include "parse.h"

/*
 * mkstemp() creates the file 0600, but FILE is read by others (the
 * collector runs as its own user): it gets what a shell redirection
 * would have given it, 0666 less the umask.
 */
static int outfile_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	return fchmod(fd, 0666 & ~mask);
}

int outfile_open(struct outfile *o, const char *path)
{
	int fd;

	o->path = path;
	if (asprintf(&o->tmp, "%s.XXXXXX", path) < 0) {
		o->tmp = NULL;
		return sys_err("out of memory");
	}
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return sys_err("cannot create a file next to \"%s\": %s",
			       esc(path), strerror(errno));
	}
	fflush(stdout);
	if (outfile_mode(fd) || dup2(fd, STDOUT_FILENO) < 0) {
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return sys_err("cannot write \"%s\": %s", esc(path),
			       strerror(errno));
	}
	close(fd);
	return EXIT_OK;
}

/*
 * Everything written and on disk before the rename: after a crash FILE
 * is the old file or the whole new one, never an empty one.
 */
static int outfile_flush(void)
{
	if (fflush(stdout) || ferror(stdout))
		return -1;
	return fsync(STDOUT_FILENO);
}

int outfile_close(struct outfile *o, int rc)
{
	if (!o->tmp)
		return rc;
	if (!rc && outfile_flush())
		rc = sys_err("cannot write \"%s\": %s", esc(o->path),
			     strerror(errno));
	if (!rc && rename(o->tmp, o->path))
		rc = sys_err("cannot rename \"%s\" to \"%s\": %s",
			     esc(o->tmp), esc(o->path), strerror(errno));
	if (rc)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}
