// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: parsing of keywords, integers, interface names and batch lines.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "carpctl.h"
#include "err.h"
#include "json.h"
#include "parse.h"

int match_keyword_min(const char *word, const char *const *kw,
		      const unsigned char *min, size_t n)
{
	size_t len = strlen(word), i;
	int found = KW_NONE;

	if (!len)
		return KW_NONE;
	for (i = 0; i < n; i++) {
		if (!strcmp(word, kw[i]))
			return i;
		if (min && len < min[i])
			continue;
		if (!strncmp(word, kw[i], len))
			found = found == KW_NONE ? (int)i : KW_AMBIGUOUS;
	}
	return found;
}

int match_keyword(const char *word, const char *const *kw, size_t n)
{
	return match_keyword_min(word, kw, NULL, n);
}

int parse_uint(const char *s, unsigned long min, unsigned long max,
	       unsigned long *out)
{
	unsigned long v;
	char *end;

	/* strtoul() would accept blanks, a sign and "0x"; we do not. */
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_demote(const char *s, bool *relative, long *out)
{
	unsigned long v;
	int sign = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '+' ? 1 : -1;
	if (parse_uint(s, 0, CARP_DEMOTE_ARG_MAX, &v))
		return -1;
	*relative = sign != 0;
	*out = sign < 0 ? -(long)v : (long)v;
	return 0;
}

/* @n bytes at @s as parse_uint() takes them. */
static int parse_uint_n(const char *s, size_t n, unsigned long min,
			unsigned long max, unsigned long *out)
{
	char buf[24];

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_uint(buf, min, max, out);
}

int parse_carpnodes(const char *s, struct vhid_skew *out, char *why,
		    size_t len)
{
	const char *p = s, *end, *colon;
	unsigned long vhid, skew;
	int n = 0, i;

	if (!*s) {
		snprintf(why, len, "expected VHID:SKEW[,VHID:SKEW...]");
		return -1;
	}
	for (;; p = end + 1) {
		end = strchrnul(p, ',');
		colon = memchr(p, ':', end - p);
		if (end == p) {
			snprintf(why, len, "empty node");
			return -1;
		}
		if (!colon) {
			snprintf(why, len, "node \"%s\": expected VHID:SKEW",
				 escn(p, end - p));
			return -1;
		}
		if (parse_uint_n(p, colon - p, CARP_VHID_MIN, CARP_VHID_MAX,
				 &vhid)) {
			snprintf(why, len, "vhid \"%s\": expected an integer %d..%d",
				 escn(p, colon - p), CARP_VHID_MIN,
				 CARP_VHID_MAX);
			return -1;
		}
		if (parse_uint_n(colon + 1, end - colon - 1, 0,
				 CARP_ADVSKEW_MAX, &skew)) {
			snprintf(why, len, "advskew \"%s\": expected an integer 0..%d",
				 escn(colon + 1, end - colon - 1),
				 CARP_ADVSKEW_MAX);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (out[i].vhid == (int)vhid) {
				snprintf(why, len, "vhid %lu given twice", vhid);
				return -1;
			}
		}
		if (n == CARP_NODES_MAX) {
			snprintf(why, len, "more than %d nodes", CARP_NODES_MAX);
			return -1;
		}
		out[n].vhid = vhid;
		out[n].advskew = skew;
		n++;
		if (!*end)
			return n;
	}
}

const char *format_ago(uint64_t ms, char *buf, size_t len)
{
	unsigned long long s = ms / 1000;

	if (ms < 60 * 1000)
		snprintf(buf, len, "%llu.%llus ago", s,
			 (unsigned long long)(ms % 1000) / 100);
	else if (s < 60 * 60)
		snprintf(buf, len, "%llum%02llus ago", s / 60, s % 60);
	else if (s < 24 * 60 * 60)
		snprintf(buf, len, "%lluh%02llum ago", s / 3600,
			 s / 60 % 60);
	else
		snprintf(buf, len, "%llud%02lluh ago", s / 86400,
			 s / 3600 % 24);
	return buf;
}

int check_ifname(const char *what, const char *name)
{
	const char *p;

	if (!*name)
		return syntax_err("%s must not be empty", what);
	if (strlen(name) >= IFNAMSIZ)
		return syntax_err("%s \"%s\" is too long (at most %d characters)",
				  what, esc(name), IFNAMSIZ - 1);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return syntax_err("invalid %s \"%s\"", what, esc(name));
	for (p = name; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p))
			return syntax_err("invalid %s \"%s\"", what, esc(name));
	return 0;
}

int parse_device_arg(const char *cmd, int argc, char **argv, bool required)
{
	if (argc < 1 && required)
		return syntax_err("%s: missing device name", cmd);
	if (argc > 1)
		return syntax_err("%s: unknown word \"%s\"", cmd,
				  esc(argv[1]));
	return argc ? check_ifname("device name", argv[0]) : 0;
}

void free_words(char **argv)
{
	char **w;

	if (!argv)
		return;
	for (w = argv; *w; w++)
		free(*w);
	free(argv);
}

/* The array doubles as it fills: a batch line may hold 60000 words. */
static int push_word(char ***argv, int *n, size_t *cap, const char *buf,
		     size_t len)
{
	char **v = *argv;

	if ((size_t)*n + 2 > *cap) {
		*cap = 2 * (*n + 2);
		v = realloc(*argv, *cap * sizeof(*v));
		if (!v)
			return -1;
		*argv = v;
	}
	v[*n] = strndup(buf, len);
	if (!v[*n])
		return -1;
	v[++*n] = NULL;
	return 0;
}

bool line_continues(const char *line, bool in_word)
{
	const char *p = line;
	char q;

	while (*p) {
		if (isspace((unsigned char)*p)) {
			in_word = false;
			p++;
			continue;
		}
		if (*p == '#' && !in_word)
			return false;
		in_word = true;
		if (*p == '\'' || *p == '"') {
			/* as split_words() reads a quoted part */
			for (q = *p++; *p && *p != q; p++)
				if (q == '"' && *p == '\\' && p[1] &&
				    strchr("\"\\$`", p[1]))
					p++;
			if (!*p)
				return false;	/* unterminated: not ours to say */
			p++;
		} else if (*p == '\\') {
			if (!p[1])
				return true;
			p += 2;
		} else {
			p++;
		}
	}
	return false;
}

int split_words(const char *line, char ***argvp, const char **errp)
{
	char **argv = NULL, *buf;
	const char *p = line;
	size_t len, cap = 1;
	int n = 0;

	*errp = NULL;
	buf = malloc(strlen(line) + 1);
	argv = calloc(1, sizeof(*argv));
	if (!buf || !argv)
		goto nomem;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;

		len = 0;
		while (*p && !isspace((unsigned char)*p)) {
			if (*p == '\'') {
				for (p++; *p && *p != '\''; p++)
					buf[len++] = *p;
				if (!*p) {
					*errp = "unterminated single quote";
					goto err;
				}
				p++;
			} else if (*p == '"') {
				for (p++; *p && *p != '"'; p++) {
					if (*p == '\\' && p[1] &&
					    strchr("\"\\$`", p[1]))
						p++;
					buf[len++] = *p;
				}
				if (!*p) {
					*errp = "unterminated double quote";
					goto err;
				}
				p++;
			} else if (*p == '\\') {
				if (!p[1]) {
					*errp = "backslash at end of line";
					goto err;
				}
				buf[len++] = p[1];
				p += 2;
			} else {
				buf[len++] = *p++;
			}
		}
		if (push_word(&argv, &n, &cap, buf, len))
			goto nomem;
	}
	free(buf);
	*argvp = argv;
	return n;

nomem:
	*errp = "out of memory";
err:
	free(buf);
	free_words(argv);
	return -1;
}

/*
 * A ring of buffers, so that a message may hold several escaped words;
 * each is freed when its slot comes round again.
 */
#define ESC_SLOTS	8

const char *escn(const char *str, size_t len)
{
	static char *slot[ESC_SLOTS];
	static unsigned int next;
	static const char named[] = "abtnvfr";
	const unsigned char *s = (const unsigned char *)str;
	char *out, *o;
	size_t i, n;

	/* at most four bytes out ("\xff") for each byte in */
	out = malloc(4 * len + 1);
	if (!out)
		return "(out of memory)";
	free(slot[next]);
	slot[next] = out;
	next = (next + 1) % ESC_SLOTS;

	for (i = 0, o = out; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			*o++ = '\\';
			*o++ = s[i];
		} else if (s[i] >= '\a' && s[i] <= '\r') {
			*o++ = '\\';
			*o++ = named[s[i] - '\a'];
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			*o++ = s[i];
		} else if (s[i] >= 0x80 &&
			   (n = utf8_seq_len(s + i, len - i)) &&
			   !(s[i] == 0xc2 && s[i + 1] < 0xa0)) {
			/* UTF-8, but not a C1 control (U+0080..U+009F) */
			memcpy(o, s + i, n);
			o += n;
			i += n - 1;
		} else {
			o += sprintf(o, "\\x%02x", s[i]);
		}
	}
	*o = '\0';
	return out;
}

const char *esc(const char *s)
{
	return escn(s, strlen(s));
}

void fput_safe(const char *str, FILE *f)
{
	const unsigned char *s = (const unsigned char *)str;

	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\x%02x", *s);
		else
			putc(*s, f);
	}
}

int parse_demote_by(const char *val, int *out)
{
	unsigned long v;

	if (parse_uint(val, 1, CARP_DEMOTE_ARG_MAX, &v))
		return syntax_err("invalid demote \"%s\" (expected 1..%d)",
				  esc(val), CARP_DEMOTE_ARG_MAX);
	*out = (int)v;
	return EXIT_OK;
}
