/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carpctl fuzz targets: what they share. Each target is a libFuzzer
 * harness (clang -fsanitize=fuzzer,address,undefined); a check that
 * fails calls fuzz_fail(), which aborts, so that libFuzzer keeps the
 * input as a crash.
 */
#ifndef CARPCTL_FUZZ_H
#define CARPCTL_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define fuzz_fail(...) do {						\
	fprintf(stderr, "fuzz check failed: " __VA_ARGS__);		\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

/* @data as a C string, cut at its first NUL; free() it. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* ------------------------------------------------------------------ */
/* A strict JSON checker (RFC 8259, strict UTF-8) for what carpctl writes. */

struct jcheck {
	const unsigned char *p, *end;
	int depth;
};

static inline void jc_ws(struct jcheck *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' ||
				 *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static inline bool jc_lit(struct jcheck *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return false;
	j->p += n;
	return true;
}

static inline bool jc_hex4(struct jcheck *j, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++, j->p++) {
		if (j->p >= j->end)
			return false;
		if (*j->p >= '0' && *j->p <= '9')
			*v = *v * 16 + *j->p - '0';
		else if (*j->p >= 'a' && *j->p <= 'f')
			*v = *v * 16 + *j->p - 'a' + 10;
		else if (*j->p >= 'A' && *j->p <= 'F')
			*v = *v * 16 + *j->p - 'A' + 10;
		else
			return false;
	}
	return true;
}

/* One strict UTF-8 sequence (no overlong forms, surrogates, > U+10FFFF). */
static inline bool jc_utf8(struct jcheck *j)
{
	const unsigned char *s = j->p;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return false;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if ((size_t)(j->end - s) < n || s[1] < lo || s[1] > hi)
		return false;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return false;
	j->p += n;
	return true;
}

static inline bool jc_string(struct jcheck *j)
{
	unsigned int v, w;

	if (j->p >= j->end || *j->p++ != '"')
		return false;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return false;
		if (*j->p >= 0x80) {
			if (!jc_utf8(j))
				return false;
			continue;
		}
		if (*j->p++ != '\\')
			continue;
		if (j->p >= j->end)
			return false;
		if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
			j->p++;
			continue;
		}
		if (*j->p++ != 'u' || !jc_hex4(j, &v))
			return false;
		if (v >= 0xdc00 && v <= 0xdfff)
			return false;
		if (v >= 0xd800 && v <= 0xdbff) {
			if (!jc_lit(j, "\\u") || !jc_hex4(j, &w) ||
			    w < 0xdc00 || w > 0xdfff)
				return false;
		}
	}
	if (j->p >= j->end)
		return false;
	j->p++;
	return true;
}

static inline bool jc_value(struct jcheck *j);

static inline bool jc_number(struct jcheck *j)
{
	const unsigned char *start = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return false;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	/* carpctl writes integers only */
	return j->p > start;
}

static inline bool jc_container(struct jcheck *j, char open, char close)
{
	bool first = true;

	if (++j->depth > 64)
		return false;
	j->p++;		/* open */
	(void)open;
	for (;;) {
		jc_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
		if (!first) {
			if (j->p >= j->end || *j->p++ != ',')
				return false;
			jc_ws(j);
		}
		first = false;
		if (close == '}') {
			if (!jc_string(j))
				return false;
			jc_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return false;
			jc_ws(j);
		}
		if (!jc_value(j))
			return false;
	}
}

static inline bool jc_value(struct jcheck *j)
{
	jc_ws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		return jc_container(j, '{', '}');
	case '[':
		return jc_container(j, '[', ']');
	case '"':
		return jc_string(j);
	case 't':
		return jc_lit(j, "true");
	case 'f':
		return jc_lit(j, "false");
	case 'n':
		return jc_lit(j, "null");
	}
	return jc_number(j);
}

/*
 * @s is zero or more JSON documents, each followed by a newline (as -j
 * writes them); true if every one is valid.
 */
static inline bool json_valid_docs(const char *s, size_t len)
{
	struct jcheck j = { (const unsigned char *)s,
			    (const unsigned char *)s + len, 0 };

	for (;;) {
		jc_ws(&j);
		if (j.p == j.end)
			return true;
		if (!jc_value(&j))
			return false;
	}
}

#endif /* CARPCTL_FUZZ_H */
