// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl fuzz target: the value parsers, each with a round trip: what
 * is accepted, written back the way carpctl writes it, parses to the same
 * value. The first byte picks the parser: parse_uint(), parse_demote(),
 * parse_carpnodes(), parse_prefix() or escn() (whose output must be
 * printable, UTF-8, and unescape to its input); the rest is the word.
 */
#include <arpa/inet.h>
#include <limits.h>

#include "../carpctl.h"
#include "../parse.h"
#include "../json.h"
#include "fuzz.h"

static void check_uint(const char *s)
{
	unsigned long v, w;
	char buf[32];

	if (parse_uint(s, 0, ULONG_MAX, &v))
		return;
	if (!*s || strspn(s, "0123456789") != strlen(s))
		fuzz_fail("parse_uint() took \"%s\"", s);
	snprintf(buf, sizeof(buf), "%lu", v);
	if (parse_uint(buf, 0, ULONG_MAX, &w) || w != v)
		fuzz_fail("parse_uint(%s) round trip", buf);
	if (!parse_uint(s, v + 1 ? v + 1 : v, ULONG_MAX, &w) && v != ULONG_MAX)
		fuzz_fail("parse_uint(\"%s\") out of range taken", s);
}

static void check_demote(const char *s)
{
	bool rel, rel2;
	long v, w;
	char buf[32];

	if (parse_demote(s, &rel, &v))
		return;
	if (v < -CARP_DEMOTE_ARG_MAX || v > CARP_DEMOTE_ARG_MAX ||
	    (!rel && v < 0))
		fuzz_fail("parse_demote(\"%s\") = %ld", s, v);
	snprintf(buf, sizeof(buf), rel ? "%+ld" : "%ld", v);
	if (parse_demote(buf, &rel2, &w) || rel2 != rel || w != v)
		fuzz_fail("parse_demote(%s) round trip", buf);
}

static void check_carpnodes(const char *s)
{
	struct vhid_skew a[CARP_NODES_MAX], b[CARP_NODES_MAX];
	char why[128], buf[CARP_NODES_MAX * 8 + 1];
	size_t len = 0;
	int n, m, i, k;

	n = parse_carpnodes(s, a, why, sizeof(why));
	if (n < 0) {
		if (!memchr(why, '\0', sizeof(why)) || !why[0])
			fuzz_fail("parse_carpnodes(): no reason");
		for (i = 0; why[i]; i++)
			if ((unsigned char)why[i] < 0x20)
				fuzz_fail("a control byte in the reason");
		return;
	}
	if (n < 1 || n > CARP_NODES_MAX)
		fuzz_fail("%d nodes", n);
	for (i = 0; i < n; i++) {
		if (a[i].vhid < CARP_VHID_MIN || a[i].vhid > CARP_VHID_MAX ||
		    a[i].advskew < 0 || a[i].advskew > CARP_ADVSKEW_MAX)
			fuzz_fail("node %d:%d", a[i].vhid, a[i].advskew);
		for (k = 0; k < i; k++)
			if (a[k].vhid == a[i].vhid)
				fuzz_fail("vhid %d twice", a[i].vhid);
		len += snprintf(buf + len, sizeof(buf) - len, "%s%d:%d",
				i ? "," : "", a[i].vhid, a[i].advskew);
	}
	m = parse_carpnodes(buf, b, why, sizeof(why));
	if (m != n || memcmp(a, b, n * sizeof(*a)))
		fuzz_fail("parse_carpnodes(%s) round trip", buf);
}

static void check_prefix(const char *s)
{
	struct carp_addr a, b;
	char buf[ADDR_STRLEN];

	if (parse_prefix(s, &a))
		return;
	if (!a.plen || a.plen > (a.v6 ? 128u : 32u))
		fuzz_fail("parse_prefix(\"%s\"): /%u", s, a.plen);
	if (addr_not_unicast(a.v6 ? AF_INET6 : AF_INET,
			     a.v6 ? (void *)&a.addr6 : (void *)&a.addr))
		fuzz_fail("parse_prefix(\"%s\") took a non-unicast address", s);
	format_prefix(&a, buf);
	if (parse_prefix(buf, &b) || !addr_equal(&a, &b))
		fuzz_fail("parse_prefix(%s) round trip", buf);
	if (!a.v6 && !prefix_contains(&a, a.addr))
		fuzz_fail("%s does not contain its own address", buf);
}

static int hexval(int c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void check_esc(const uint8_t *data, size_t size)
{
	const unsigned char *e = (const unsigned char *)escn((const char *)data,
							     size);
	size_t elen = strlen((const char *)e), i, n, o = 0;
	unsigned char *back = malloc(size + 1);

	if (!back)
		abort();
	for (i = 0; i < elen; i++) {
		if (e[i] < 0x20 || e[i] == 0x7f)
			fuzz_fail("escn(): a control byte %#x", e[i]);
		if (e[i] >= 0x80) {
			n = utf8_seq_len(e + i, elen - i);
			if (!n || (e[i] == 0xc2 && e[i + 1] < 0xa0))
				fuzz_fail("escn(): not UTF-8, or C1");
			memcpy(back + o, e + i, n);
			o += n;
			i += n - 1;
			continue;
		}
		if (e[i] == '"')
			fuzz_fail("escn(): a bare quote");
		if (e[i] != '\\') {
			back[o++] = e[i];
			continue;
		}
		i++;
		if (e[i] == 'x') {
			back[o++] = hexval(e[i + 1]) * 16 + hexval(e[i + 2]);
			i += 2;
		} else if (strchr("abtnvfr", e[i]) && e[i]) {
			back[o++] = "\a\b\t\n\v\f\r"[strchr("abtnvfr", e[i]) -
						     "abtnvfr"];
		} else if (e[i] == '"' || e[i] == '\\') {
			back[o++] = e[i];
		} else {
			fuzz_fail("escn(): \\%c", e[i]);
		}
		if (o > size)
			fuzz_fail("escn(): longer when unescaped");
	}
	if (o != size || memcmp(back, data, size))
		fuzz_fail("escn() does not unescape to its input");
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (!size)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	switch (data[0] % 5) {
	case 0:
		check_uint(s);
		break;
	case 1:
		check_demote(s);
		break;
	case 2:
		check_carpnodes(s);
		break;
	case 3:
		check_prefix(s);
		break;
	case 4:
		check_esc(data + 1, size - 1);
		break;
	}
	free(s);
	return 0;
}
