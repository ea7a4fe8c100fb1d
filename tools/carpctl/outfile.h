/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: -O FILE, what goes to standard output written to FILE
 * atomically: a reader of FILE sees the old content or the new, whole.
 */
#ifndef CARPCTL_OUTFILE_H
#define CARPCTL_OUTFILE_H

struct outfile {
	const char *path;
	char *tmp;		/* the new file, until it is renamed */
};

/*
 * Send standard output to a new file next to @path: 0, or prints and
 * returns the exit status.
 */
int outfile_open(struct outfile *o, const char *path);
/*
 * With @rc 0 (carpctl succeeded), put the new file in place of @path;
 * otherwise remove it, leaving @path as it was. Returns @rc, or the exit
 * status of what failed here.
 */
int outfile_close(struct outfile *o, int rc);

#endif /* CARPCTL_OUTFILE_H */
