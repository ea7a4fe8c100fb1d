// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: a tiny streaming JSON writer.
 *
 * Compact output is one line; pretty output indents by four spaces, as
 * iproute2 does. The top-level value is followed by a newline.
 */
#include <string.h>

#include "json.h"

size_t utf8_seq_len(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void json_write_string(FILE *f, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	putc('"', f);
	while (i < len) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
			} else if (c < 0x80) {
				putc(c, f);
			} else {
				n = utf8_seq_len(s + i, len - i);
				if (!n) {
					/* Not UTF-8: keep the byte as Latin-1. */
					fprintf(f, "\\u%04x", c);
					break;
				}
				fwrite(s + i, 1, n, f);
				i += n;
				continue;
			}
		}
		i++;
	}
	putc('"', f);
}

static void indent(struct json *j)
{
	int i;

	putc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("    ", j->f);
}

/* Separator and indentation before any value or key. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (!j->empty[j->depth])
		putc(',', j->f);
	j->empty[j->depth] = false;
	if (j->pretty)
		indent(j);
}

/* After a complete value: a top-level value ends the document. */
static void json_done(struct json *j)
{
	if (j->depth == 0) {
		putc('\n', j->f);
		fflush(j->f);
	}
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->after_key = false;
	j->depth = 0;
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	putc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->empty[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	bool empty = j->empty[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty && j->pretty)
		indent(j);
	putc(c, j->f);
	json_done(j);
}

void json_begin_object(struct json *j)
{
	json_open(j, '{');
}

void json_end_object(struct json *j)
{
	json_close(j, '}');
}

void json_begin_array(struct json *j)
{
	json_open(j, '[');
}

void json_end_array(struct json *j)
{
	json_close(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_write_string(j->f, key, strlen(key));
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	json_sep(j);
	json_write_string(j->f, s, strlen(s));
	json_done(j);
}

void json_uint(struct json *j, unsigned long long v)
{
	json_sep(j);
	fprintf(j->f, "%llu", v);
	json_done(j);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->f);
	json_done(j);
}

void json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->f);
	json_done(j);
}
