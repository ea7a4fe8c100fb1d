// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl fuzz target: match_keyword_min(), keywords and abbreviations,
 * against a plain reading of its rule: an exact match wins; else the one
 * keyword the word is a prefix of (at least min[i] long), KW_AMBIGUOUS
 * for two or more, KW_NONE for none or an empty word. Input: lines, the
 * word first, then up to 16 keywords, each led by a byte whose low three
 * bits are its minimum prefix length.
 */
#include "../carpctl.h"
#include "../err.h"
#include "../parse.h"
#include "fuzz.h"

#define MAXKW	16

static int oracle(const char *word, char *const *kw, const unsigned char *min,
		  size_t n)
{
	size_t len = strlen(word), i;
	int found = KW_NONE;

	if (!len)
		return KW_NONE;
	for (i = 0; i < n; i++)
		if (!strcmp(word, kw[i]))
			return i;
	for (i = 0; i < n; i++) {
		if (len < min[i] || strlen(kw[i]) < len ||
		    memcmp(word, kw[i], len))
			continue;
		if (found != KW_NONE)
			return KW_AMBIGUOUS;
		found = i;
	}
	return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *kw[MAXKW], *word, *p;
	unsigned char min[MAXKW];
	size_t n = 0;
	int got, want;

	word = s;
	p = strchr(s, '\n');
	while (p && n < MAXKW) {
		*p++ = '\0';
		min[n] = *p ? (*p++ & 7) : 0;
		kw[n++] = p;
		p = strchr(p, '\n');
	}
	if (p)
		*p = '\0';

	got = match_keyword_min(word, (const char *const *)kw, min, n);
	want = oracle(word, kw, min, n);
	/*
	 * A keyword listed twice: the first exact match is taken, and the
	 * two prefixes make it ambiguous unless the word is exact.
	 */
	if (got != want)
		fuzz_fail("match_keyword_min(\"%s\") %d, want %d", word, got,
			  want);
	got = match_keyword(word, (const char *const *)kw, n);
	if (got >= 0 && strncmp(word, kw[got], strlen(word)))
		fuzz_fail("\"%s\" is no prefix of \"%s\"", word, kw[got]);
	if (got == KW_AMBIGUOUS &&
	    ambiguous_err("keyword", word, (const char *const *)kw, n) !=
	    EXIT_SYNTAX)
		fuzz_fail("ambiguous_err() status");
	free(s);
	return 0;
}
