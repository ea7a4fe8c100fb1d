/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl: the reader of batch files (-batch FILE, apply FILE): one
 * command a line, backslash-newline joining lines, as iproute2's -batch.
 */
#ifndef CARPCTL_BATCH_H
#define CARPCTL_BATCH_H

#include <stddef.h>
#include <stdio.h>

struct batch {
	FILE *f;
	const char *name;		/* "stdin" or the file's name */
	unsigned int lineno;		/* of the last line read */
	char *line;			/* that line (getline()'s buffer) */
	size_t cap;
	char *cmd;			/* the command being assembled */
	size_t len, size;
};

/*
 * Open @file ("-": stdin) into @b: 0, or -1 with errno set. The name
 * messages give it is "stdin" for "-".
 */
int batch_open(struct batch *b, const char *file);
void batch_close(struct batch *b);

/*
 * The next command into b->cmd: one line, or several where a line ends in
 * a backslash that escapes its newline (as iproute2's -batch and sh join
 * them: the backslash and the newline go, nothing else). *first is the
 * number of its first line. Returns 1, 0 at the end of the file, or -1
 * with *why set; b->lineno is then the line at fault, and the next call
 * starts afresh on the line after it.
 */
int batch_next(struct batch *b, unsigned int *first, const char **why);

#endif /* CARPCTL_BATCH_H */
