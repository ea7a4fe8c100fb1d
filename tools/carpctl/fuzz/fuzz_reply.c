// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl fuzz target: the kernel's replies through nl.c's parsers and
 * the show, stats, demote and monitor printers. Input: messages, each a
 * two-byte length (little-endian) and that many bytes: a kind byte, then
 * the attributes as they would follow the generic netlink header. Kind
 * (low two bits): a CARP_CMD_GET_DEVICE reply (all of them make one
 * multi-part dump), a CARP_CMD_GET_NET reply, a CARP_CMD_STATE_NOTIFY
 * event (with bit 3 set: CARP_CMD_CONFLICT_NOTIFY), or an RTM_NEWADDR (the attributes after a struct ifaddrmsg taken
 * from the input); bit 2 of the kind: an NLMSG_ERROR with the bytes as
 * struct nlmsgerr and extended ack instead. Checks: no memory error, the
 * JSON output is valid, each table line ends in a newline, every line of
 * the Prometheus output is a comment or a sample of the format.
 */
#define _GNU_SOURCE
#include "../nl.c"
#include "../cmd_show.c"
#include "../cmd_monitor.c"
#include "../cmd_demote.c"
#include "../prom.c"

#include "fuzz.h"

struct carpctl_opts opts;

#define FAMILY	0x20	/* the carp family's id, as the controller said */

static struct nl_msg *genl_reply(uint8_t cmd, const uint8_t *attrs,
				 size_t len)
{
	struct nl_msg *msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN +
					      NLMSG_ALIGN(len) + 64);
	void *p;

	if (!msg || !genlmsg_put(msg, 0, 1, FAMILY, 0, NLM_F_MULTI, cmd,
				 CARP_GENL_VERSION))
		abort();
	p = nlmsg_reserve(msg, len, NLMSG_ALIGNTO);
	if (len && !p)
		abort();
	if (len)
		memcpy(p, attrs, len);
	return msg;
}

static void error_msg(const uint8_t *b, size_t len)
{
	struct nlmsghdr *nlh;
	size_t total = NLMSG_HDRLEN + len;

	if (len < sizeof(struct nlmsgerr))
		return;
	nlh = calloc(1, NLMSG_ALIGN(total));
	if (!nlh)
		abort();
	nlh->nlmsg_len = total;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = b[0] & 1 ? NLM_F_CAPPED | NLM_F_ACK_TLVS :
			   NLM_F_ACK_TLVS;
	memcpy(nlmsg_data(nlh), b, len);
	reset_err();
	err_cb(NULL, nlmsg_data(nlh), NULL);
	if (strnlen(kernel_msg(), KERNEL_MSG_LEN) >= KERNEL_MSG_LEN)
		fuzz_fail("extack message not terminated");
	free(nlh);
}

static void newaddr(const uint8_t *b, size_t len, struct addr_list *al)
{
	struct nl_msg *msg;
	struct ifaddrmsg ifa;
	void *p;

	if (len < sizeof(ifa))
		return;
	memcpy(&ifa, b, sizeof(ifa));
	msg = nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_MULTI);
	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0)
		abort();
	len -= sizeof(ifa);
	p = nlmsg_reserve(msg, len, NLMSG_ALIGNTO);
	if (len && !p)
		abort();
	if (len)
		memcpy(p, b + sizeof(ifa), len);
	if (addr_parse(msg, al) == -ENOMEM)
		abort();
	nlmsg_free(msg);
}

/* What @fn prints into a buffer; then checked. */
static char *capture(void (*fn)(const void *), const void *arg, size_t *len)
{
	FILE *saved = stdout, *f;
	char *buf = NULL;

	f = open_memstream(&buf, len);
	if (!f)
		abort();
	stdout = f;
	fn(arg);
	stdout = saved;
	fclose(f);
	return buf;
}

static const struct carp_netinfo *cur_ni;

static void do_show(const void *l)
{
	if (opts.json)
		show_json(l);
	else
		show_table(l);
}

static void do_stats(const void *l)
{
	if (opts.json)
		stats_json(l, cur_ni);
	else
		stats_table(l, cur_ni);
}

static void do_prom(const void *l)
{
	stats_prometheus(stdout, l, cur_ni, 1748779200123ULL);
}

/* name{label="value",...} value, the value escaped as the format says */
static bool prom_line_valid(const char *s)
{
	if (!strncmp(s, "# HELP carp_", 12) || !strncmp(s, "# TYPE carp_", 12))
		return true;
	if (strncmp(s, "carp_", 5))
		return false;
	s += strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");
	if (*s == '{') {
		do {
			s++;
			s += strspn(s, "abcdefghijklmnopqrstuvwxyz_");
			if (strncmp(s, "=\"", 2))
				return false;
			for (s += 2; *s != '"'; s++) {
				if (!*s || *s == '\n' ||
				    (*s == '\\' && !strchr("\\\"n", *++s)))
					return false;
			}
			s++;
		} while (*s == ',');
		if (*s++ != '}')
			return false;
	}
	return *s == ' ' && s[1] >= '0' && s[1] <= '9' &&
	       strspn(s + 1, "0123456789.") == strlen(s + 1);
}

static void check_prom(char *buf, size_t len)
{
	char *line, *save = NULL;

	if (len && buf[len - 1] != '\n')
		fuzz_fail("prometheus: output does not end a line");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!prom_line_valid(line))
			fuzz_fail("prometheus: invalid line: %s", line);
	free(buf);
}

static void do_net(const void *ni)
{
	print_net(ni);
}

static void do_event(const void *ev)
{
	print_event(ev);
}

static void check_out(const char *what, char *buf, size_t len)
{
	if (opts.json && !json_valid_docs(buf, len))
		fuzz_fail("%s: invalid JSON: %s", what, buf);
	if (len && buf[len - 1] != '\n')
		fuzz_fail("%s: output does not end a line", what);
	free(buf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	carp_family = FAMILY;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct carp_list l = { NULL, 0 };
	struct addr_list al = { NULL, 0 };
	struct carp_netinfo ni;
	struct carp_event ev;
	struct nl_msg *msg;
	bool have_ni = false;
	size_t off = 1, len, n, events = 0;
	char *out;
	int pass;

	if (!size)
		return 0;
	memset(&ni, 0, sizeof(ni));
	ni.demotion = ni.demote = -1;
	while (off + 2 <= size) {
		len = data[off] | data[off + 1] << 8;
		off += 2;
		if (len > size - off)
			len = size - off;
		if (!len)
			continue;
		if (data[off] & 4) {
			error_msg(data + off + 1, len - 1);
		} else switch (data[off] & 3) {
		case 0:
			msg = genl_reply(CARP_CMD_GET_DEVICE, data + off + 1,
					 len - 1);
			if (dump_parse(msg, &l) == -ENOMEM)
				abort();
			nlmsg_free(msg);
			break;
		case 1:
			msg = genl_reply(CARP_CMD_GET_NET, data + off + 1,
					 len - 1);
			have_ni |= !net_parse(msg, &ni);
			nlmsg_free(msg);
			break;
		case 2:
			msg = genl_reply(data[off] & 8 ? CARP_CMD_CONFLICT_NOTIFY :
					 CARP_CMD_STATE_NOTIFY, data + off + 1,
					 len - 1);
			if (!parse_event(nlmsg_hdr(msg), &ev) && events++ < 8) {
				for (pass = 0; pass < 2; pass++) {
					opts.json = pass;
					out = capture(do_event, &ev, &n);
					check_out("monitor", out, n);
				}
			}
			nlmsg_free(msg);
			break;
		case 3:
			newaddr(data + off + 1, len - 1, &al);
			break;
		}
		off += len;
	}

	cur_ni = have_ni ? &ni : NULL;
	for (pass = 0; pass < 3; pass++) {
		opts.json = pass > 0;
		opts.pretty = pass > 1;
		sort_by_name(&l);
		out = capture(do_show, &l, &n);
		check_out("show", out, n);
		out = capture(do_stats, &l, &n);
		check_out("stats", out, n);
		if (have_ni && ni.demotion >= 0 && ni.demote >= 0) {
			out = capture(do_net, &ni, &n);
			check_out("demote", out, n);
		}
	}
	opts.json = opts.pretty = false;
	out = capture(do_prom, &l, &n);
	check_prom(out, n);
	carp_list_free(&l);
	free(al.v);
	return 0;
}
