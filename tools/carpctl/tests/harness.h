/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl unit tests: what every test program shares. A check that fails
 * says so on stderr, "FAIL what: ...", and the program goes on to the
 * next check; harness_end() then makes its exit status.
 */
#ifndef CARPCTL_TEST_HARNESS_H
#define CARPCTL_TEST_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static inline __attribute__((format(printf, 1, 2)))
void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("FAIL ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

/* @got is @want, both text of one or more lines. */
static inline void check_str(const char *what, const char *got,
			     const char *want)
{
	if (strcmp(got, want))
		fail("%s:\n--- got:\n%s\n--- want:\n%s\n---", what, got, want);
}

/* What is written to a stream (stdout, stderr) between two calls. */
struct capture {
	FILE **stream;
	FILE *saved;
	char *buf;
	size_t len;
};

static inline void capture_begin(struct capture *c, FILE **stream)
{
	FILE *f;

	c->buf = NULL;
	c->len = 0;
	fflush(*stream);
	f = open_memstream(&c->buf, &c->len);
	if (!f) {
		perror("open_memstream");
		exit(2);
	}
	c->stream = stream;
	c->saved = *stream;
	*stream = f;
}

/* What was written, malloc'ed and NUL-terminated; free() it. */
static inline char *capture_end(struct capture *c)
{
	fclose(*c->stream);
	*c->stream = c->saved;
	return c->buf;
}

/* The exit status of a test program called @name. */
static inline int harness_end(const char *name)
{
	if (failures)
		return 1;
	printf("%s: ok\n", name);
	return 0;
}

#endif /* CARPCTL_TEST_HARNESS_H */
