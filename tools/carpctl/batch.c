// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the reader of batch files, shared by -batch and apply so that
 * both read a file the same way, line for line.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "batch.h"
#include "parse.h"

int batch_open(struct batch *b, const char *file)
{
	bool is_stdin = !strcmp(file, "-");

	memset(b, 0, sizeof(*b));
	b->name = is_stdin ? "stdin" : file;
	b->f = is_stdin ? stdin : fopen(file, "r");
	return b->f ? 0 : -1;
}

void batch_close(struct batch *b)
{
	free(b->line);
	free(b->cmd);
	if (b->f && b->f != stdin)
		fclose(b->f);
	b->f = NULL;
	b->line = b->cmd = NULL;
}

/* Append @n bytes of @s to the command; -1 if out of memory. */
static int batch_append(struct batch *b, const char *s, size_t n)
{
	char *p;

	if (b->len + n + 1 > b->size) {
		size_t size = 2 * (b->len + n + 1);

		p = realloc(b->cmd, size);
		if (!p)
			return -1;
		b->cmd = p;
		b->size = size;
	}
	memcpy(b->cmd + b->len, s, n);
	b->len += n;
	b->cmd[b->len] = '\0';
	return 0;
}

int batch_next(struct batch *b, unsigned int *first, const char **why)
{
	bool more = false, in_word = false;
	ssize_t n;

	b->len = 0;
	if (batch_append(b, "", 0))
		goto nomem;
	for (;;) {
		n = getline(&b->line, &b->cap, b->f);
		if (n < 0) {
			if (!more)
				return 0;
			*why = "backslash at end of file";
			return -1;
		}
		if (!more)
			*first = b->lineno + 1;
		b->lineno++;
		/*
		 * A NUL would end the line early for everything below, and
		 * the rest would go unnoticed: the line is refused instead.
		 */
		if (memchr(b->line, '\0', n)) {
			*first = b->lineno;
			*why = "NUL byte in line";
			return -1;
		}
		if (n && b->line[n - 1] == '\n')
			b->line[--n] = '\0';
		more = line_continues(b->line, in_word);
		if (more) {
			/* the backslash goes; a word may go on after it */
			in_word = n > 1 ? !isspace((unsigned char)b->line[n - 2]) :
				  in_word;
			n--;
		}
		if (batch_append(b, b->line, n))
			goto nomem;
		if (!more)
			return 1;
	}
nomem:
	*why = "out of memory";
	return -1;
}
