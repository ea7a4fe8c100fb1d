// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: checks of parse_demote() and format_ago() (make test).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../carpctl.h"

static int failures;

/* parse.o reports through these; the checks here do not reach them. */
int syntax_err(const char *fmt, ...)
{
	(void)fmt;
	return EXIT_SYNTAX;
}

int sys_err(const char *fmt, ...)
{
	(void)fmt;
	return EXIT_KERNEL;
}

static void demote_ok(const char *s, bool want_rel, long want)
{
	bool rel = !want_rel;
	long v = 12345;

	if (parse_demote(s, &rel, &v) || rel != want_rel || v != want) {
		fprintf(stderr, "FAIL parse_demote(\"%s\"): relative %d value %ld, want %d %ld\n",
			s, rel, v, want_rel, want);
		failures++;
	}
}

static void demote_bad(const char *s)
{
	bool rel;
	long v;

	if (!parse_demote(s, &rel, &v)) {
		fprintf(stderr, "FAIL parse_demote(\"%s\") accepted (%ld)\n",
			s, v);
		failures++;
	}
}

static void ago(unsigned long long ms, const char *want)
{
	char buf[32];

	format_ago(ms, buf, sizeof(buf));
	if (strcmp(buf, want)) {
		fprintf(stderr, "FAIL format_ago(%llu): \"%s\", want \"%s\"\n",
			ms, buf, want);
		failures++;
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

	if (failures)
		return 1;
	printf("test_parse: ok\n");
	return 0;
}
