// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: checks of parse_demote(), parse_carpnodes(),
 * carp_balancing_str() and format_ago() (make test).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "../carpctl.h"
#include "../parse.h"
#include "harness.h"

static void demote_ok(const char *s, bool want_rel, long want)
{
	bool rel = !want_rel;
	long v = 12345;

	if (parse_demote(s, &rel, &v) || rel != want_rel || v != want) {
		fail("parse_demote(\"%s\"): relative %d value %ld, want %d %ld",
		     s, rel, v, want_rel, want);
	}
}

static void demote_bad(const char *s)
{
	bool rel;
	long v;

	if (!parse_demote(s, &rel, &v)) {
		fail("parse_demote(\"%s\") accepted (%ld)",
		     s, v);
	}
}

/* "V:S,V:S" -> the nodes of @want ("1:0,2:100"), in order. */
static void nodes_ok(const char *s, int want_n, const struct vhid_skew *want)
{
	struct vhid_skew got[CARP_NODES_MAX];
	char why[128] = "";
	int n, i;

	memset(got, 0xff, sizeof(got));
	n = parse_carpnodes(s, got, why, sizeof(why));
	if (n != want_n) {
		fail("parse_carpnodes(\"%s\"): %d nodes (%s), want %d",
		     s, n, why, want_n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (got[i].vhid != want[i].vhid ||
		    got[i].advskew != want[i].advskew) {
			fail("parse_carpnodes(\"%s\"): node %d is %d:%d, want %d:%d",
			     s, i, got[i].vhid, got[i].advskew,
				want[i].vhid, want[i].advskew);
		}
	}
}

/* @s is refused, and @why says so. */
static void nodes_bad(const char *s, const char *want_why)
{
	struct vhid_skew got[CARP_NODES_MAX];
	char why[128] = "";
	int n;

	n = parse_carpnodes(s, got, why, sizeof(why));
	if (n >= 0 || strcmp(why, want_why)) {
		fail("parse_carpnodes(\"%s\"): %d, \"%s\", want -1, \"%s\"",
		     s, n, why, want_why);
	}
}

/* "1:0,2:0,...,N:0" */
static const char *many_nodes(int n)
{
	static char buf[512];
	size_t len = 0;
	int i;

	for (i = 1; i <= n; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%d:%d",
				i > 1 ? "," : "", i, 254 - i);
	return buf;
}

static void balancing(int bal, const char *want)
{
	if (strcmp(carp_balancing_str(bal), want)) {
		fail("carp_balancing_str(%d): \"%s\", want \"%s\"",
		     bal, carp_balancing_str(bal), want);
	}
}

static void ago(unsigned long long ms, const char *want)
{
	char buf[32];

	format_ago(ms, buf, sizeof(buf));
	if (strcmp(buf, want)) {
		fail("format_ago(%llu): \"%s\", want \"%s\"",
		     ms, buf, want);
	}
}

/*
 * parse_prefix(@s): refused (@ok false) with one line on stderr, or @want
 * ("10.0.0.1/24") without any.
 */
static void prefix(const char *s, bool ok, const char *want)
{
	char buf[ADDR_STRLEN], *err, *nl;
	struct capture msg;
	struct carp_addr a;
	int rc;

	memset(&a, 0x5a, sizeof(a));
	capture_begin(&msg, &stderr);
	rc = parse_prefix(s, &a);
	err = capture_end(&msg);
	nl = strchr(err, '\n');
	if (ok ? *err : (strncmp(err, "carpctl: ", 9) || !nl || nl[1]))
		fail("parse_prefix(\"%s\"): message \"%s\"", s, err);
	free(err);
	if (ok != !rc || (ok && strcmp(format_prefix(&a, buf), want))) {
		fail("parse_prefix(\"%s\"): %d %s, want %s",
		     s, rc, rc ? "" : format_prefix(&a, buf),
			ok ? want : "refused");
	}
}

/* addr_not_unicast() of @s (IPv4 or IPv6) is @want (NULL: unicast). */
static void unicast(const char *s, const char *want)
{
	int family = strchr(s, ':') ? AF_INET6 : AF_INET;
	unsigned char a[16];
	const char *got;

	if (inet_pton(family, s, a) != 1) {
		fail("unicast(\"%s\"): not an address", s);
		return;
	}
	got = addr_not_unicast(family, a);
	if (got != want && (!got || !want || strcmp(got, want))) {
		fail("addr_not_unicast(\"%s\"): %s, want %s",
		     s, got ? got : "unicast", want ? want : "unicast");
	}
}

/* esc() of @len bytes at @s is @want. */
static void escaped(const char *s, size_t len, const char *want)
{
	const char *got = escn(s, len);

	if (strcmp(got, want)) {
		fail("escn(\"%s\"): \"%s\", want \"%s\"",
		     want, got, want);
	}
}

int main(void)
{
	demote_ok("0", false, 0);
	demote_ok("255", false, 255);
	demote_ok("007", false, 7);
	demote_ok("+240", true, 240);
	demote_ok("-240", true, -240);
	demote_ok("+0", true, 0);
	demote_ok("-0", true, 0);
	demote_ok("-255", true, -255);
	demote_bad("256");
	demote_bad("+256");
	demote_bad("-256");
	demote_bad("");
	demote_bad("+");
	demote_bad("-");
	demote_bad("++1");
	demote_bad("+-1");
	demote_bad(" 1");
	demote_bad("1 ");
	demote_bad("0x1");
	demote_bad("18446744073709551617");

	nodes_ok("1:0", 1, (const struct vhid_skew[]){ { 1, 0 } });
	nodes_ok("1:0,2:100,3:200", 3, (const struct vhid_skew[]){
		 { 1, 0 }, { 2, 100 }, { 3, 200 } });
	/* kept as given: the kernel sorts them */
	nodes_ok("3:200,1:0", 2, (const struct vhid_skew[]){
		 { 3, 200 }, { 1, 0 } });
	nodes_ok("255:254,1:0", 2, (const struct vhid_skew[]){
		 { 255, 254 }, { 1, 0 } });
	nodes_ok("007:010", 1, (const struct vhid_skew[]){ { 7, 10 } });
	{
		struct vhid_skew want[CARP_NODES_MAX];
		int i;

		for (i = 0; i < CARP_NODES_MAX; i++) {
			want[i].vhid = i + 1;
			want[i].advskew = 254 - (i + 1);
		}
		nodes_ok(many_nodes(CARP_NODES_MAX), CARP_NODES_MAX, want);
	}
	nodes_bad(many_nodes(CARP_NODES_MAX + 1), "more than 32 nodes");
	nodes_bad("", "expected VHID:SKEW[,VHID:SKEW...]");
	nodes_bad("1", "node \"1\": expected VHID:SKEW");
	nodes_bad("1:0,2", "node \"2\": expected VHID:SKEW");
	nodes_bad("1:0,", "empty node");
	nodes_bad(",1:0", "empty node");
	nodes_bad("1:0,,2:0", "empty node");
	nodes_bad("0:0", "vhid \"0\": expected an integer 1..255");
	nodes_bad("256:0", "vhid \"256\": expected an integer 1..255");
	nodes_bad(":0", "vhid \"\": expected an integer 1..255");
	nodes_bad("+1:0", "vhid \"+1\": expected an integer 1..255");
	nodes_bad(" 1:0", "vhid \" 1\": expected an integer 1..255");
	nodes_bad("x:0", "vhid \"x\": expected an integer 1..255");
	nodes_bad("99999999999999999999999999:0",
		  "vhid \"99999999999999999999999999\": expected an integer 1..255");
	nodes_bad("1:255", "advskew \"255\": expected an integer 0..254");
	nodes_bad("1:", "advskew \"\": expected an integer 0..254");
	nodes_bad("1:-1", "advskew \"-1\": expected an integer 0..254");
	nodes_bad("1:0:3", "advskew \"0:3\": expected an integer 0..254");
	nodes_bad("1:0 ", "advskew \"0 \": expected an integer 0..254");
	nodes_bad("1:0,1:100", "vhid 1 given twice");
	nodes_bad("2:0,1:0,02:5", "vhid 2 given twice");

	balancing(CARP_BAL_NONE, "none");
	balancing(CARP_BAL_IP, "ip");
	balancing(CARP_BAL_IP_STEALTH, "ip-stealth");
	balancing(CARP_BAL_IP_UNICAST, "ip-unicast");
	balancing(CARP_BAL_ARP, "arp");
	balancing(CARP_BAL_MAX + 1, "unknown");
	balancing(-1, "unknown");

	ago(0, "0.0s ago");
	ago(12345, "12.3s ago");
	ago(59999, "59.9s ago");
	ago(60000, "1m00s ago");
	ago(312000, "5m12s ago");
	ago(3599999, "59m59s ago");
	ago(3600000, "1h00m ago");
	ago(11100000, "3h05m ago");
	ago(86400000, "1d00h ago");
	ago(187200000ULL, "2d04h ago");
	ago(18446744073709551615ULL, "213503982334d14h ago");

	unicast("10.0.0.1", NULL);
	unicast("1.0.0.0", NULL);
	unicast("126.255.255.255", NULL);
	unicast("169.254.1.1", NULL);
	unicast("223.255.255.255", NULL);
	unicast("0.0.0.0", "this network, 0.0.0.0/8");
	unicast("0.1.2.3", "this network, 0.0.0.0/8");
	unicast("127.0.0.1", "loopback, 127.0.0.0/8");
	unicast("127.255.255.255", "loopback, 127.0.0.0/8");
	unicast("224.0.0.18", "multicast, 224.0.0.0/4");
	unicast("239.255.255.255", "multicast, 224.0.0.0/4");
	unicast("240.0.0.1", "reserved, 240.0.0.0/4");
	unicast("255.255.255.255", "reserved, 240.0.0.0/4");
	unicast("2001:db8::1", NULL);
	unicast("fe80::1", NULL);
	unicast("fd00::1", NULL);
	unicast("::2", NULL);
	unicast("::", "unspecified, ::/128");
	unicast("::1", "loopback, ::1/128");
	unicast("ff02::12", "multicast, ff00::/8");
	unicast("ff00::", "multicast, ff00::/8");
	unicast("feff::1", NULL);
	unicast("::ffff:10.0.0.1", "IPv4-mapped, ::ffff:0.0.0.0/96");
	unicast("::fffe:10.0.0.1", NULL);

	prefix("10.0.0.1/24", true, "10.0.0.1/24");
	prefix("10.0.0.1", true, "10.0.0.1/32");
	prefix("10.0.0.1/1", true, "10.0.0.1/1");
	prefix("10.0.0.1/0", false, NULL);
	prefix("127.0.0.1", false, NULL);
	prefix("0.1.2.3", false, NULL);
	prefix("240.0.0.1", false, NULL);
	prefix("fe80::1/64", true, "fe80::1/64");
	prefix("2001:db8::1", true, "2001:db8::1/128");
	prefix("2001:db8::1/0", false, NULL);
	prefix("::1", false, NULL);
	{
		struct carp_addr net6, net4 = { .plen = 24 };
		struct in_addr ip = { htonl(0x0a000001) };

		/* the family first: no 64-bit shift for an IPv6 /64 */
		parse_prefix("2001:db8::/64", &net6);
		net4.addr.s_addr = htonl(0x0a000000);
		if (prefix_contains(&net6, ip) || !prefix_contains(&net4, ip))
			fail("prefix_contains");
	}
	/* prefix_holds: NET ADDR HOLDS, both families, odd lengths */
	{
		static const struct { const char *net, *a; bool in; } t[] = {
			{ "10.0.0.2/24", "10.0.0.7", true },
			{ "10.0.0.2/24", "10.0.1.7", false },
			{ "2001:db8::2/64", "2001:db8::7", true },
			{ "2001:db8::2/64", "2001:db8:0:1::7", false },
			{ "2001:db8::2/61", "2001:db8:0:7::1", true },
			{ "2001:db8::2/61", "2001:db8:0:8::1", false },
			{ "2001:db8::2/128", "2001:db8::2", true },
			{ "2001:db8::2/128", "2001:db8::3", false },
			{ "2001:db8::2/1", "3001::1", true },
			{ "2001:db8::2/1", "8001::1", false },
			{ "10.0.0.2/8", "2001:db8::7", false },
			{ "2001:db8::2/64", "10.0.0.7", false },
		};
		struct carp_addr net, a;
		size_t i;

		for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			if (parse_prefix(t[i].net, &net) ||
			    parse_prefix(t[i].a, &a)) {
				fail("prefix_holds: cannot parse %s or %s",
				     t[i].net, t[i].a);
				continue;
			}
			if (prefix_holds(&net, &a) != t[i].in)
				fail("prefix_holds(%s, %s) != %d", t[i].net,
				     t[i].a, t[i].in);
		}
	}

	escaped("carp0", 5, "carp0");
	escaped("a\nb", 3, "a\\nb");
	escaped("q\"x\\y", 5, "q\\\"x\\\\y");
	escaped("\a\b\t\n\v\f\r", 7, "\\a\\b\\t\\n\\v\\f\\r");
	escaped("\x1b[31m", 5, "\\x1b[31m");
	escaped("a\0b", 3, "a\\x00b");
	escaped("\x7f\xff\xc3", 3, "\\x7f\\xff\\xc3");
	/* C1 controls are escaped even as UTF-8; other UTF-8 is kept */
	escaped("\xc2\x9b\xc2\xa0", 4, "\\xc2\\x9b\xc2\xa0");
	escaped("caf\xc3\xa9 \xe2\x82\xac", 9, "caf\xc3\xa9 \xe2\x82\xac");
	escaped("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	escaped("", 0, "");

	return harness_end("test_parse");
}
