// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl fuzz target: split_words() (a batch line's words, shell-like
 * quoting) and line_continues(). The words of a line, each put back in
 * single quotes, split into the same words again; a line continues
 * exactly when split_words() finds a backslash at its end.
 */
#include "../carpctl.h"
#include "../parse.h"
#include "fuzz.h"

/* The words of @argv, each in single quotes, one blank apart. */
static char *requote(char **argv)
{
	size_t len = 1, i;
	char *s, *o, *p;

	for (i = 0; argv[i]; i++)
		len += 4 * strlen(argv[i]) + 3;
	s = malloc(len);
	if (!s)
		abort();
	o = s;
	for (i = 0; argv[i]; i++) {
		*o++ = '\'';
		for (p = argv[i]; *p; p++) {
			if (*p == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else {
				*o++ = *p;
			}
		}
		*o++ = '\'';
		*o++ = ' ';
	}
	*o = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_str(data, size), **argv, **again, *q;
	const char *why;
	bool cont;
	int n, m, i;

	cont = line_continues(line, size && data[0] == ' ');
	n = split_words(line, &argv, &why);
	if (size && data[0] != ' ' &&
	    cont != (n < 0 && !strcmp(why, "backslash at end of line")))
		fuzz_fail("line_continues() %d, split_words() %d (%s)", cont,
			  n, n < 0 ? why : "");
	if (n < 0) {
		if (!why)
			fuzz_fail("split_words() failed without a reason");
		free(line);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!argv[i])
			fuzz_fail("word %d of %d is NULL", i, n);
	if (argv[n])
		fuzz_fail("argv not NULL-terminated");

	q = requote(argv);
	m = split_words(q, &again, &why);
	if (m != n)
		fuzz_fail("%d words, requoted %d", n, m);
	for (i = 0; i < n; i++)
		if (strcmp(argv[i], again[i]))
			fuzz_fail("word %d changed when requoted", i);
	if (line_continues(q, false))
		fuzz_fail("a requoted line continues");
	free_words(again);
	free_words(argv);
	free(q);
	free(line);
	return 0;
}
