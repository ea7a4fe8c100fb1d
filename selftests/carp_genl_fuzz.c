// SPDX-License-Identifier: GPL-2.0
/*
 * carp_genl_fuzz: send many random and mutated generic netlink messages to
 * the "carp" family and read every reply.
 *
 *   carp_genl_fuzz [-n COUNT] [-s SEED] [-u] [-v]
 *
 * Deterministic for a given seed (the messages do not depend on the
 * replies, except for the list of devices read once at the start). Every
 * message is followed by an NLMSG_NOOP with NLM_F_ACK, so that all replies
 * to it, including the rest of a dump, are read before the next one.
 *
 * The messages: a share (-w, 60% by default) are valid requests of a
 * command, built to pass the policy and reach its handler: the real
 * devices' names and ifindexes, parents that exist, vhids, keys, peers and
 * carpnodes in range, device names the kernel refuses late
 * ("bonding_masters" while bonding is loaded, "all" and "default" that
 * devinet's sysctls refuse once the device is registered, and "." or ".."
 * refused before), and some of them with one reply-only attribute added
 * (which the policy must refuse). The rest are random: every command
 * 0..CARP_CMD_MAX + 3, with and without NLM_F_DUMP and NLM_F_ACK;
 * attributes of the right and of wrong types and lengths, missing,
 * duplicated, oversized, nested garbage (also inside CARP_A_ADDRS,
 * CARP_A_STATS and CARP_A_NODES), unknown attribute numbers, the real
 * devices' ifindexes and names as well as random ones; truncated
 * genetlink headers, random bytes and bit flips of a well-formed message.
 *
 * Per command it counts the answers: "handler" (the request reached the
 * command's handler: data, an ack of success, or an error the handler
 * gave) and "core" (refused before: by the genetlink header checks, the
 * permission check, an unknown command or the attribute policy), each by
 * errno. An error is the core's when its extended ack message is one of
 * the core's own (lib/nlattr.c, net/netlink/genetlink.c) or a policy's
 * reject message ("... is only in replies ..."), or when it has no
 * message and no missing-attribute report and is EPERM, EOPNOTSUPP,
 * EINVAL or ENOENT (permission, no such command or dump, a header too
 * short). Errors the handlers give carry their own messages, or are
 * errors the core never gives (EEXIST, ENODEV, ENOMEM, ...); an EINVAL
 * without a message that a handler passes on from register_netdevice()
 * (a name like ".") is counted as the core's.
 *
 * Fails (exit 1) when:
 *  - any reply carries CARP_A_KEY (the key is write-only, for anyone);
 *  - with -u (the caller lacks CAP_NET_ADMIN over the netns): a well-formed
 *    modifying request (NEW/SET/DEL_DEVICE, SET_NET) gets anything but
 *    EPERM, or the initial dump of the devices fails;
 *  - a reply is malformed, or the replies to a message never end (5 s).
 * Prints a summary of the errors seen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

/* From kmod/uapi/carp.h (not installed in the selftests tree). */
#define CARP_GENL_NAME		"carp"
#define CARP_KEY_LEN		20
enum {
	CARP_CMD_UNSPEC,
	CARP_CMD_GET_DEVICE,
	CARP_CMD_NEW_DEVICE,
	CARP_CMD_SET_DEVICE,
	CARP_CMD_DEL_DEVICE,
	CARP_CMD_GET_NET,
	CARP_CMD_SET_NET,
	CARP_CMD_STATE_NOTIFY,
	CARP_CMD_CONFLICT_NOTIFY,
	CARP_CMD_NEW_HOLD,
	CARP_CMD_DEL_HOLD,
	CARP_CMD_NEW_TRACK,
	CARP_CMD_DEL_TRACK,
	__CARP_CMD_MAX
};

#define CARP_CMD_MAX (__CARP_CMD_MAX - 1)
enum {
	CARP_A_UNSPEC,
	CARP_A_IFINDEX,
	CARP_A_IFNAME,
	CARP_A_LINK,
	CARP_A_VHID,
	CARP_A_ADVBASE,
	CARP_A_ADVSKEW,
	CARP_A_KEY,
	CARP_A_HAS_KEY,
	CARP_A_STATE,
	CARP_A_ADDRS,
	CARP_A_STATS,
	CARP_A_VMAC,
	CARP_A_PAD,
	CARP_A_DEMOTE,
	CARP_A_DEMOTION,
	CARP_A_DEMOTE_ADJ,
	CARP_A_LAST_CHANGE,
	CARP_A_LAST_REASON,
	CARP_A_PEER,
	CARP_A_PEER6,
	CARP_A_OLD_STATE,
	CARP_A_REASON,
	CARP_A_TIME,
	CARP_A_NODES,
	CARP_A_BALANCING,
	CARP_A_OTHER,
	CARP_A_HOLD_NAME,
	CARP_A_DEMOTE_BY,
	CARP_A_HOLDS,
	CARP_A_TRACKS,
	__CARP_A_MAX
};

#define CARP_A_MAX (__CARP_A_MAX - 1)
#define CARP_A_NODE		1
#define CARP_NODE_A_VHID	1
#define CARP_NODE_A_ADVSKEW	2
#define CARP_NODE_A_MAX		7	/* 3..6: reply-only, 7: pad */
#define CARP_NODES_MAX		32

#ifndef NLMSGERR_ATTR_MISS_TYPE
#define NLMSGERR_ATTR_MISS_TYPE	5
#endif

#define BUFSZ		(128 * 1024)
#define MAX_DEVS	64
#define MAX_ERRNO	256
#define NCMDS		(CARP_CMD_MAX + 4)	/* the commands sent: 0..MAX+3 */

static uint64_t rng_state;
static int fd;
static uint16_t family;
static uint32_t seq = 1;
static bool unpriv, verbose;

static unsigned int ndevs;

/* The carp devices of the initial dump, by name. */
static bool collecting;
static unsigned int ncarps;
static char carp_name[MAX_DEVS][IF_NAMESIZE];
static uint32_t dev_index[MAX_DEVS];
static char dev_name[MAX_DEVS][IF_NAMESIZE];

static unsigned long n_err[MAX_ERRNO], n_ok_ack, n_data, n_done, n_sent;
static unsigned long n_sendfail, failures, n_valid;
static unsigned int valid_pct = 60;

/*
 * Per command: [0] reached the handler, [1] refused by the core; index 0
 * of the errno dimension counts successes (data or an ack of 0).
 */
static unsigned long n_by[NCMDS][2][MAX_ERRNO];
static unsigned long n_cmd[NCMDS];

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int pct)
{
	return rn(100) < pct;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define __printf(a, b) __attribute__((format(printf, a, b)))

static __printf(1, 2) void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "carp_genl_fuzz: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

/* ------------------------------------------------------------------ */
/* Building messages. */

struct msg {
	unsigned char buf[BUFSZ];
	size_t len;
};

static struct nlattr *put(struct msg *m, uint16_t type, const void *data,
			  size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t tot = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + tot > sizeof(m->buf) - 64 || NLA_HDRLEN + len > 0xffff)
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
	memset((unsigned char *)a + NLA_HDRLEN + len, 0,
	       tot - NLA_HDRLEN - len);
	m->len += tot;
	return a;
}

static void put_u8(struct msg *m, uint16_t t, uint8_t v)
{
	put(m, t, &v, 1);
}

static void put_u32(struct msg *m, uint16_t t, uint32_t v)
{
	put(m, t, &v, 4);
}

static struct nlattr *nest_start(struct msg *m, uint16_t t)
{
	return put(m, t | (chance(80) ? NLA_F_NESTED : 0), NULL, 0);
}

static void nest_end(struct msg *m, struct nlattr *a)
{
	if (a)
		a->nla_len = (unsigned char *)m->buf + m->len - (unsigned char *)a;
}

static void rand_bytes(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = rnd();
}

static void put_random(struct msg *m, uint16_t t, size_t maxlen)
{
	static unsigned char junk[BUFSZ / 2];
	size_t len = rn(maxlen + 1);

	rand_bytes(junk, len);
	put(m, t, junk, len);
}

static uint32_t pick_ifindex(void)
{
	static const uint32_t odd[] = { 0, 1, 0x7fffffff, 0xffffffff, 65536 };

	if (ndevs && chance(60))
		return dev_index[rn(ndevs)];
	if (chance(50))
		return odd[rn(ARRAY_SIZE(odd))];
	return rn(64);
}

/*
 * Names the kernel refuses, late or early: "bonding_masters" is a file of
 * /sys/class/net while bonding is loaded, so the device's sysfs link
 * fails after its kobject was added; "all" and "default" collide with
 * devinet's and addrconf's sysctl directories on NETDEV_REGISTER, after
 * the kobject too; "." and ".." and the others are refused by
 * dev_get_valid_name(), "fz%d" is expanded by it.
 */
static const char *const odd_names[] = {
	"bonding_masters", "all", "default", ".", "..", "a/b", "a:b", "a b",
	"fz%d", "lo", "",
};

static void put_ifname(struct msg *m, uint16_t t)
{
	char name[40];
	size_t len;
	const char *o;

	if (chance(10)) {
		o = odd_names[rn(ARRAY_SIZE(odd_names))];
		put(m, t, o, strlen(o) + 1);
		return;
	}
	switch (rn(6)) {
	case 0:
	case 1:
		if (ndevs) {
			const char *d = dev_name[rn(ndevs)];

			put(m, t, d, strlen(d) + 1);
			break;
		}
		goto fz;
	case 2:
fz:
		snprintf(name, sizeof(name), "fz%u", rn(8));
		put(m, t, name, strlen(name) + 1);
		break;
	case 3:		/* no NUL */
		snprintf(name, sizeof(name), "fz%u", rn(8));
		put(m, t, name, strlen(name));
		break;
	case 4:		/* too long, or empty */
		len = rn(sizeof(name) - 1);
		memset(name, 'a' + rn(26), len);
		name[len] = 0;
		put(m, t, name, len + 1);
		break;
	default:
		put_random(m, t, 24);
		break;
	}
}

static void put_addrs(struct msg *m)
{
	struct nlattr *outer = nest_start(m, CARP_A_ADDRS), *in;
	unsigned int i, n = rn(5);
	unsigned char a[16];

	for (i = 0; i < n; i++) {
		in = nest_start(m, chance(80) ? 1 : rn(8));
		if (chance(80)) {
			uint16_t fam = chance(50) ? 2 : (chance(80) ? 10 : rn(65536));

			put(m, 1, &fam, chance(90) ? 2 : rn(5));
		}
		rand_bytes(a, sizeof(a));
		if (chance(80))
			put(m, 2, a, chance(70) ? (chance(50) ? 4 : 16) : rn(17));
		if (chance(80))
			put_u8(m, 3, rn(256));
		if (chance(10))
			put_random(m, rn(8), 40);
		nest_end(m, in);
	}
	if (chance(10))
		put_random(m, rn(4), 64);
	nest_end(m, outer);
}

static void put_stats(struct msg *m)
{
	struct nlattr *outer = nest_start(m, CARP_A_STATS);
	unsigned int i, n = rn(6);
	uint64_t v;

	for (i = 0; i < n; i++) {
		v = rnd();
		if (chance(70))
			put(m, rn(20), &v, 8);
		else
			put_random(m, rn(20), 16);
	}
	nest_end(m, outer);
}

/* CARP_A_NODES: vhids and advskews, sometimes a reply-only node attribute. */
static void put_nodes(struct msg *m, bool valid)
{
	struct nlattr *outer = nest_start(m, CARP_A_NODES), *in;
	unsigned int i, n = chance(90) ? 1 + rn(4) : rn(CARP_NODES_MAX + 3);
	uint64_t v;

	if (valid && outer)
		outer->nla_type |= NLA_F_NESTED;
	for (i = 0; i < n; i++) {
		in = put(m, (valid || chance(90) ? CARP_A_NODE : rn(4)) | NLA_F_NESTED,
			 NULL, 0);
		if (valid || chance(90))
			put_u8(m, CARP_NODE_A_VHID, valid ? 1 + rn(40) : rn(256));
		if (chance(70))
			put_u8(m, CARP_NODE_A_ADVSKEW, valid ? rn(255) : rn(256));
		if (!valid && chance(20)) {
			v = rnd();
			put(m, 3 + rn(CARP_NODE_A_MAX - 1), &v, chance(50) ? 1 : 8);
		}
		nest_end(m, in);
	}
	nest_end(m, outer);
}

/* A value for attribute t, mostly of the right type, sometimes not. */
static void put_attr(struct msg *m, uint16_t t)
{
	unsigned char b[16];
	uint32_t v;

	if (chance(8)) {	/* wrong length or type */
		put_random(m, t, chance(90) ? 24 : 8000);
		return;
	}
	switch (t) {
	case CARP_A_IFINDEX:
	case CARP_A_LINK:
		put_u32(m, t, pick_ifindex());
		break;
	case CARP_A_IFNAME:
	case CARP_A_LAST_REASON:
		put_ifname(m, t);
		break;
	case CARP_A_VHID:
	case CARP_A_ADVBASE:
	case CARP_A_ADVSKEW:
	case CARP_A_STATE:
	case CARP_A_DEMOTE:
	case CARP_A_OLD_STATE:
	case CARP_A_REASON:
	case CARP_A_BALANCING:
		v = chance(70) ? rn(4) : rn(256);
		if (t == CARP_A_VHID && chance(60))
			v = 1 + rn(12);
		put_u8(m, t, v);
		break;
	case CARP_A_KEY:
		put_random(m, t, chance(90) ? CARP_KEY_LEN : 300);
		break;
	case CARP_A_HAS_KEY:
		put(m, t, NULL, 0);
		break;
	case CARP_A_ADDRS:
		put_addrs(m);
		break;
	case CARP_A_STATS:
		put_stats(m);
		break;
	case CARP_A_VMAC:
		put_random(m, t, 8);
		break;
	case CARP_A_DEMOTION:
	case CARP_A_DEMOTE_ADJ:
		v = chance(50) ? (uint32_t)((int32_t)rn(600) - 300) : (uint32_t)rnd();
		put_u32(m, t, v);
		break;
	case CARP_A_LAST_CHANGE:
	case CARP_A_TIME:
		put_random(m, t, 8);
		break;
	case CARP_A_NODES:
		put_nodes(m, false);
		break;
	case CARP_A_PEER:
	case CARP_A_PEER6: {
		static const unsigned char p4[][4] = {
			{ 0, 0, 0, 0 }, { 10, 0, 0, 3 }, { 224, 0, 0, 18 },
			{ 255, 255, 255, 255 }, { 127, 0, 0, 1 },
		};
		size_t len = t == CARP_A_PEER ? 4 : 16;

		rand_bytes(b, sizeof(b));
		if (t == CARP_A_PEER && chance(60))
			memcpy(b, p4[rn(5)], 4);
		if (t == CARP_A_PEER6 && chance(30))
			memset(b, 0, 16);
		if (t == CARP_A_PEER6 && chance(20))
			b[0] = 0xff;
		put(m, t, b, chance(85) ? len : rn(20));
		break;
	}
	default:
		put_random(m, t, 64);
		break;
	}
}

/* A device to name: a carp device of the dump or one the fuzzer creates. */
static void put_device(struct msg *m)
{
	char name[IF_NAMESIZE];

	if (ndevs && chance(20)) {
		put_u32(m, CARP_A_IFINDEX, dev_index[rn(ndevs)]);
		return;
	}
	if (ncarps && chance(50)) {
		const char *c = carp_name[rn(ncarps)];

		put(m, CARP_A_IFNAME, c, strlen(c) + 1);
		return;
	}
	snprintf(name, sizeof(name), "fz%u", rn(8));
	put(m, CARP_A_IFNAME, name, strlen(name) + 1);
}

/* A reply-only attribute, each with a value of its own type. */
static void put_reply_only(struct msg *m, uint8_t cmd)
{
	static const uint16_t ro[] = {
		CARP_A_HAS_KEY, CARP_A_ADDRS, CARP_A_STATS, CARP_A_VMAC,
		CARP_A_DEMOTE, CARP_A_DEMOTION, CARP_A_LAST_CHANGE,
		CARP_A_LAST_REASON, CARP_A_OLD_STATE, CARP_A_REASON,
		CARP_A_TIME, CARP_A_STATE, CARP_A_NODES, CARP_A_OTHER,
	};
	uint16_t t = ro[rn(ARRAY_SIZE(ro))];
	struct nlattr *outer, *in;
	uint64_t v = rnd();

	switch (t) {
	case CARP_A_HAS_KEY:
		put(m, t, NULL, 0);
		break;
	case CARP_A_ADDRS:
	case CARP_A_STATS:
		if (t == CARP_A_ADDRS)
			put_addrs(m);
		else
			put_stats(m);
		break;
	case CARP_A_VMAC:
		put(m, t, &v, 6);
		break;
	case CARP_A_OTHER:
		put(m, t, &v, 4);
		break;
	case CARP_A_DEMOTION:
		put_u32(m, t, rn(256));
		break;
	case CARP_A_LAST_CHANGE:
	case CARP_A_TIME:
		put(m, t, &v, 8);
		break;
	case CARP_A_LAST_REASON:
		put(m, t, "master timed out", 17);
		break;
	case CARP_A_STATE:
		/* SET_DEVICE takes it: there it is no reply-only attribute */
		put_u8(m, t, cmd == CARP_CMD_SET_DEVICE ? 3 + rn(250) : rn(3));
		break;
	case CARP_A_NODES:	/* a node with its state, reason, ... */
		outer = put(m, CARP_A_NODES | NLA_F_NESTED, NULL, 0);
		in = put(m, CARP_A_NODE | NLA_F_NESTED, NULL, 0);
		put_u8(m, CARP_NODE_A_VHID, 1 + rn(40));
		put(m, 3 + rn(4), &v, 8);
		nest_end(m, in);
		nest_end(m, outer);
		break;
	default:
		put_u8(m, t, rn(256));
		break;
	}
}

/* The configuration of NEW_DEVICE and SET_DEVICE, each value in range. */
static void put_valid_config(struct msg *m, bool new)
{
	static const unsigned char p4[][4] = {
		{ 0, 0, 0, 0 }, { 10, 9, 0, 3 }, { 10, 0, 0, 3 }, { 192, 0, 2, 7 },
	};
	unsigned char b[CARP_KEY_LEN + 16];

	if (chance(80) && (new || chance(50)))
		put_u8(m, CARP_A_VHID, 1 + rn(40));
	else if (chance(50))
		put_nodes(m, true);
	if (chance(20))
		put_u8(m, CARP_A_BALANCING, rn(4));
	if (chance(30))
		put_u8(m, CARP_A_ADVBASE, 1 + rn(5));
	if (chance(30))
		put_u8(m, CARP_A_ADVSKEW, rn(255));
	if (chance(30)) {
		rand_bytes(b, sizeof(b));
		put(m, CARP_A_KEY, b, rn(CARP_KEY_LEN + 1));
	}
	if (chance(15))
		put(m, CARP_A_PEER, p4[rn(ARRAY_SIZE(p4))], 4);
	if (chance(10)) {
		memset(b, 0, 16);
		if (chance(70)) {
			b[0] = 0x20;
			b[1] = 0x01;
			b[2] = 0x0d;
			b[3] = 0xb8;
			b[15] = 1 + rn(9);
		}
		put(m, CARP_A_PEER6, b, 16);
	}
}

/*
 * A request built to pass the policy and reach the handler of its
 * command; with @reply_only one reply-only attribute added, which the
 * policy must refuse.
 */
static uint8_t build_valid(struct msg *m, bool reply_only)
{
	static const uint8_t cmds[] = {
		CARP_CMD_GET_DEVICE, CARP_CMD_GET_DEVICE, CARP_CMD_GET_DEVICE,
		CARP_CMD_NEW_DEVICE, CARP_CMD_NEW_DEVICE, CARP_CMD_NEW_DEVICE,
		CARP_CMD_NEW_DEVICE, CARP_CMD_SET_DEVICE, CARP_CMD_SET_DEVICE,
		CARP_CMD_SET_DEVICE, CARP_CMD_SET_DEVICE, CARP_CMD_SET_DEVICE,
		CARP_CMD_DEL_DEVICE, CARP_CMD_GET_NET, CARP_CMD_SET_NET,
		CARP_CMD_NEW_HOLD, CARP_CMD_DEL_HOLD, CARP_CMD_NEW_TRACK,
		CARP_CMD_DEL_TRACK,
	};
	uint8_t cmd = cmds[rn(ARRAY_SIZE(cmds))];
	char name[IF_NAMESIZE];

	switch (cmd) {
	case CARP_CMD_GET_DEVICE:
	case CARP_CMD_DEL_DEVICE:
		put_device(m);
		break;
	case CARP_CMD_NEW_DEVICE:
		snprintf(name, sizeof(name), "fz%u", rn(8));
		if (chance(25))
			put_ifname(m, CARP_A_IFNAME);
		else
			put(m, CARP_A_IFNAME, name, strlen(name) + 1);
		put_u32(m, CARP_A_LINK, pick_ifindex());
		put_valid_config(m, true);
		break;
	case CARP_CMD_SET_DEVICE:
		put_device(m);
		put_valid_config(m, false);
		if (chance(15))
			put_u8(m, CARP_A_STATE, 1 + rn(2));
		if (chance(5))
			put_u32(m, CARP_A_LINK, pick_ifindex());
		break;
	case CARP_CMD_SET_NET:
		put_u32(m, CARP_A_DEMOTE_ADJ, (uint32_t)((int32_t)rn(61) - 30));
		break;
	case CARP_CMD_NEW_HOLD:
	case CARP_CMD_DEL_HOLD:
		snprintf(name, sizeof(name), "fz%u", rn(8));
		put(m, CARP_A_HOLD_NAME, name, strlen(name) + 1);
		if (cmd == CARP_CMD_NEW_HOLD)
			put_u8(m, CARP_A_DEMOTE_BY, 1 + rn(255));
		break;
	case CARP_CMD_NEW_TRACK:
	case CARP_CMD_DEL_TRACK:
		put_u32(m, CARP_A_LINK, pick_ifindex());
		if (cmd == CARP_CMD_NEW_TRACK)
			put_u8(m, CARP_A_DEMOTE_BY, 1 + rn(255));
		break;
	default:
		break;
	}
	if (reply_only)
		put_reply_only(m, cmd);
	return cmd;
}

static void build(struct msg *m, uint32_t *mseq, bool *wellformed,
		  uint8_t *cmdp)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g;
	uint16_t flags = NLM_F_REQUEST;
	unsigned int i, n;
	uint8_t cmd;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	if (chance(valid_pct)) {
		n_valid++;
		cmd = build_valid(m, chance(15));
		if (cmd == CARP_CMD_GET_DEVICE && chance(30))
			flags |= NLM_F_DUMP;
		if (chance(50))
			flags |= NLM_F_ACK;
		g->cmd = cmd;
		g->version = 1;
		*wellformed = true;
		nlh->nlmsg_len = m->len;
		nlh->nlmsg_type = family;
		nlh->nlmsg_flags = flags;
		nlh->nlmsg_seq = *mseq = seq++;
		*cmdp = cmd;
		return;
	}
	cmd = chance(90) ? 1 + rn(CARP_CMD_MAX) : rn(CARP_CMD_MAX + 4);
	if (chance(30))
		flags |= NLM_F_DUMP;
	if (chance(50))
		flags |= NLM_F_ACK;
	if (chance(3))
		flags |= rnd() & 0xff00;

	g->cmd = cmd;
	g->version = chance(95) ? 1 : rn(256);
	g->reserved = chance(95) ? 0 : rn(65536);

	/* The attributes, each once in a random order, most present. */
	n = 1 + CARP_A_MAX;
	for (i = 1; i <= n; i++) {
		uint16_t t = 1 + rn(CARP_A_MAX);

		if (i == 1 && chance(70))	/* name the device */
			t = chance(50) ? CARP_A_IFINDEX : CARP_A_IFNAME;
		if (chance(cmd == CARP_CMD_NEW_DEVICE ? 45 : 25))
			put_attr(m, t);
		if (chance(3))		/* duplicate */
			put_attr(m, t);
	}
	if (cmd == CARP_CMD_NEW_DEVICE && chance(50)) {
		put_ifname(m, CARP_A_IFNAME);
		put_u32(m, CARP_A_LINK, pick_ifindex());
		put_u8(m, CARP_A_VHID, 1 + rn(12));
	}
	if (chance(5))		/* unknown attribute numbers */
		put_random(m, CARP_A_MAX + 1 + rn(40), 32);
	if (chance(3))		/* type 0 */
		put_random(m, 0, 16);
	if (chance(2))		/* oversized */
		put_random(m, 1 + rn(CARP_A_MAX + 2), 60000);

	*wellformed = true;
	nlh->nlmsg_len = m->len;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = *mseq = seq++;
	nlh->nlmsg_pid = 0;
	*cmdp = cmd;

	/* Mutations of the message as a whole. */
	if (chance(4)) {	/* bit flips in the attributes */
		unsigned int k, nf = 1 + rn(8);
		size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

		if (m->len > off) {
			for (k = 0; k < nf; k++)
				m->buf[off + rn(m->len - off)] ^= 1 << rn(8);
			*wellformed = false;
		}
	}
	if (chance(3)) {	/* truncated: headers too short, cut attrs */
		m->len = rn(m->len + 1);
		if (m->len < NLMSG_HDRLEN)
			m->len = NLMSG_HDRLEN;
		nlh->nlmsg_len = m->len;
		*wellformed = false;
	}
	if (chance(2)) {	/* the length field lies */
		nlh->nlmsg_len = rn(m->len + 64);
		/*
		 * Shorter than the message: the kernel parses what follows
		 * as the next message, with a random sequence number; zero
		 * it so that this one ends the batch, as the kernel sees it.
		 */
		if (nlh->nlmsg_len < m->len)
			memset(m->buf + NLMSG_ALIGN(nlh->nlmsg_len), 0,
			       m->len - NLMSG_ALIGN(nlh->nlmsg_len));
		*wellformed = false;
	}
	if (chance(2)) {	/* nothing but random attribute bytes */
		size_t len = rn(512);

		rand_bytes(m->buf + NLMSG_HDRLEN + GENL_HDRLEN, len);
		m->len = NLMSG_HDRLEN + GENL_HDRLEN + len;
		nlh->nlmsg_len = m->len;
		*wellformed = false;
	}
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		*wellformed = false;
}

/* ------------------------------------------------------------------ */
/* Replies. */

static int nl_send(const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

static void send_noop(uint32_t s)
{
	struct nlmsghdr h = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = s,
	};

	if (nl_send(&h, sizeof(h)))
		fail("cannot send a NOOP: %s", strerror(errno));
}

/* Check one genetlink reply from our family for attributes it must not carry. */
static void check_reply(const struct nlmsghdr *h, uint8_t cmd)
{
	const unsigned char *p = NLMSG_DATA(h);
	size_t len = h->nlmsg_len - NLMSG_HDRLEN;
	const struct nlattr *a;

	if (len < GENL_HDRLEN) {
		fail("reply of %u bytes, no genetlink header", h->nlmsg_len);
		return;
	}
	p += GENL_HDRLEN;
	len -= GENL_HDRLEN;
	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len) {
			fail("malformed attribute in a reply to command %u", cmd);
			return;
		}
		if ((a->nla_type & NLA_TYPE_MASK) == CARP_A_KEY)
			fail("a reply to command %u carries CARP_A_KEY", cmd);
		if (collecting && a->nla_type == CARP_A_IFNAME &&
		    ncarps < MAX_DEVS && a->nla_len > NLA_HDRLEN)
			snprintf(carp_name[ncarps++], IF_NAMESIZE, "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

/* The extended ack of the last error: its message, a missing attribute. */
static char last_msg[256];
static bool last_miss;

static void parse_ext_ack(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const unsigned char *p = (const unsigned char *)&e->msg;
	size_t len = h->nlmsg_len - NLMSG_HDRLEN, skip;
	const struct nlattr *a;

	last_msg[0] = 0;
	last_miss = false;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	skip = sizeof(e->error) + ((h->nlmsg_flags & NLM_F_CAPPED) ?
				   NLMSG_HDRLEN : e->msg.nlmsg_len);
	if (len <= skip)
		return;
	p += skip - sizeof(e->error);
	len -= skip;
	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return;
		if (a->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(last_msg, sizeof(last_msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
		if (a->nla_type == NLMSGERR_ATTR_MISS_TYPE)
			last_miss = true;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			return;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Was the error of the last request given before its handler ran (by the
 * genetlink core or the attribute policy)? See the top of the file.
 */
static bool refused_by_core(int err)
{
	static const char *const core[] = {
		"Array element too short", "Attribute failed policy validation",
		"NLA_F_NESTED is missing", "NLA_F_NESTED not expected",
		"Unknown attribute type", "Unsupported attribute",
		"allowed policy recursion depth exceeded",
		"binary attribute size out of range",
		"bytes leftover after parsing attributes",
		"integer out of range", "invalid attribute length",
		"reserved bit set", "genlmsghdr.reserved field is not 0",
		"ambiguous or reserved bits set in nlmsg_flags",
	};
	unsigned int i;

	if (last_msg[0]) {
		if (strstr(last_msg, " is only in replies"))
			return true;
		for (i = 0; i < ARRAY_SIZE(core); i++)
			if (!strcmp(last_msg, core[i]))
				return true;
		return false;
	}
	if (last_miss)
		return false;
	return err == -EPERM || err == -EOPNOTSUPP || err == -EINVAL ||
	       err == -ENOENT;
}

/*
 * Read until the ack of the NOOP numbered sync has come and the dump
 * answering mseq (if one started) is done. Returns the error of the
 * request mseq (0: acked or answered, 1: no ack and no error seen).
 */
static int drain(uint32_t mseq, uint32_t sync, uint8_t cmd)
{
	static unsigned char buf[BUFSZ];
	bool synced = false, dumping = false;
	int result = 1;

	while (!synced || dumping) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fail("receive buffer overrun");
				continue;
			}
			fail("recv after message %u: %s (dumping %d synced %d)",
			     mseq, strerror(errno), dumping, synced);
			return -EIO;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_seq == sync) {
					synced = true;
					continue;
				}
				if (h->nlmsg_seq != mseq) {
					fail("error for unknown seq %u", h->nlmsg_seq);
					continue;
				}
				result = e->error;
				dumping = false;
				if (e->error)
					parse_ext_ack(h);
				if (e->error == 0)
					n_ok_ack++;
				else if (-e->error < MAX_ERRNO)
					n_err[-e->error]++;
				continue;
			}
			if (h->nlmsg_seq != mseq) {
				fail("reply type %u for unknown seq %u",
				     h->nlmsg_type, h->nlmsg_seq);
				continue;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				dumping = false;
				n_done++;
				if (result == 1)
					result = 0;
				continue;
			}
			if (h->nlmsg_flags & NLM_F_MULTI)
				dumping = true;
			if (h->nlmsg_type != family) {
				fail("reply of type %u", h->nlmsg_type);
				continue;
			}
			n_data++;
			if (result == 1)
				result = 0;
			check_reply(h, cmd);
		}
	}
	return result;
}

/* ------------------------------------------------------------------ */
/* Setup: the family id and the devices. */

static int resolve_family(void)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		unsigned char attrs[64];
	} req = {
		.h.nlmsg_type = GENL_ID_CTRL,
		.h.nlmsg_flags = NLM_F_REQUEST,
		.h.nlmsg_seq = seq++,
		.g.cmd = CTRL_CMD_GETFAMILY,
		.g.version = 1,
	};
	static unsigned char buf[16384];
	struct nlattr *a = (struct nlattr *)req.attrs;
	struct nlmsghdr *h;
	ssize_t n;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(CARP_GENL_NAME);
	memcpy(req.attrs + NLA_HDRLEN, CARP_GENL_NAME, sizeof(CARP_GENL_NAME));
	req.h.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	if (nl_send(&req, req.h.nlmsg_len))
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -1;
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
		unsigned char *p;
		size_t len;

		if (h->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			fprintf(stderr, "carp_genl_fuzz: no \"carp\" family: %s\n",
				strerror(-e->error));
			return -1;
		}
		p = (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
		len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		while (len >= NLA_HDRLEN) {
			a = (struct nlattr *)p;
			if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
				break;
			if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
				memcpy(&family, p + NLA_HDRLEN, 2);
				return 0;
			}
			if ((size_t)NLA_ALIGN(a->nla_len) >= len)
				break;
			len -= NLA_ALIGN(a->nla_len);
			p += NLA_ALIGN(a->nla_len);
		}
	}
	return -1;
}

/* Every link of the netns: names and indexes the fuzzer aims at. */
static void collect_links(void)
{
	struct if_nameindex *ni = if_nameindex(), *p;

	if (!ni)
		return;
	for (p = ni; p->if_index && ndevs < MAX_DEVS; p++) {
		dev_index[ndevs] = p->if_index;
		snprintf(dev_name[ndevs], IF_NAMESIZE, "%s", p->if_name);
		ndevs++;
	}
	if_freenameindex(ni);
}

/* The initial dump of the carp devices, which anybody may do. */
static int initial_dump(void)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
	} req = {
		.h.nlmsg_len = sizeof(req),
		.h.nlmsg_type = family,
		.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.g.cmd = CARP_CMD_GET_DEVICE,
		.g.version = 1,
	};
	unsigned long before = n_data;
	uint32_t s;
	int err;

	s = seq++;
	req.h.nlmsg_seq = s;
	if (nl_send(&req, sizeof(req)))
		return -errno;
	send_noop(seq);
	collecting = true;
	err = drain(s, seq++, CARP_CMD_GET_DEVICE);
	collecting = false;
	printf("carp_genl_fuzz: initial dump: %lu carp device(s), status %d\n",
	       n_data - before, err);
	return err;
}

static bool modifying(uint8_t cmd)
{
	return cmd == CARP_CMD_NEW_DEVICE || cmd == CARP_CMD_SET_DEVICE ||
	       cmd == CARP_CMD_DEL_DEVICE || cmd == CARP_CMD_SET_NET ||
	       cmd == CARP_CMD_NEW_HOLD || cmd == CARP_CMD_DEL_HOLD ||
	       cmd == CARP_CMD_NEW_TRACK || cmd == CARP_CMD_DEL_TRACK;
}

/*
 * What a caller without CAP_NET_ADMIN gets for a modifying command: the
 * genetlink core refuses, for every command of this family, a non-zero
 * reserved field or unknown nlmsg_flags (EINVAL), then a dump of a command
 * that has none
 * (EOPNOTSUPP), before it checks the permission; all else must be EPERM.
 */
static int unpriv_error(const unsigned char *buf)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	const struct genlmsghdr *g = NLMSG_DATA(h);

	uint16_t flags = h->nlmsg_flags;
	bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;

	/* genl_header_check(), for every command (resv_start_op 0) */
	if (dump)
		flags &= ~NLM_F_DUMP;
	if (g->reserved || (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)))
		return -EINVAL;
	/*
	 * A dump of a command without one: EOPNOTSUPP before the permission
	 * check from 6.2 on (split ops), EPERM first before.
	 */
	if (dump)
		return -EOPNOTSUPP;
	return -EPERM;
}

static const char *const cmd_names[NCMDS] = {
	"UNSPEC", "GET_DEVICE", "NEW_DEVICE", "SET_DEVICE", "DEL_DEVICE",
	"GET_NET", "SET_NET", "STATE_NOTIFY", "CONFLICT_NOTIFY", "NEW_HOLD",
	"DEL_HOLD", "NEW_TRACK", "DEL_TRACK", "cmd 13", "cmd 14", "cmd 15",
};

/*
 * Per command: how many requests reached the handler and how many the core
 * refused, and the answers of each by errno (0: success).
 */
static void print_by_cmd(void)
{
	unsigned long reached = 0, total = 0, sum[2];
	unsigned int c, k, e;
	char line[1024];
	size_t o;

	for (c = 0; c < NCMDS; c++) {
		if (!n_cmd[c])
			continue;
		for (k = 0; k < 2; k++) {
			sum[k] = 0;
			for (e = 0; e < MAX_ERRNO; e++)
				sum[k] += n_by[c][k][e];
		}
		printf("carp_genl_fuzz: %-12s %6lu sent: handler %6lu, core %6lu\n",
		       cmd_names[c], n_cmd[c], sum[0], sum[1]);
		for (k = 0; k < 2; k++) {
			if (!sum[k])
				continue;
			o = snprintf(line, sizeof(line), "carp_genl_fuzz:   %s:",
				     k ? "core   " : "handler");
			for (e = 0; e < MAX_ERRNO && o < sizeof(line) - 32; e++)
				if (n_by[c][k][e])
					o += snprintf(line + o, sizeof(line) - o,
						      " %s%s %lu", e ? "-" : "",
						      e ? strerrorname_np(e) : "ok",
						      n_by[c][k][e]);
			puts(line);
		}
		reached += sum[0];
		total += n_cmd[c];
	}
	printf("carp_genl_fuzz: reached a handler: %lu of %lu (%lu%%)\n",
	       reached, total, total ? reached * 100 / total : 0);
}

int main(int argc, char **argv)
{
	static struct msg m;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	unsigned long count = 20000, i, n_unpriv_checked = 0;
	uint64_t seed = 1;
	int one = 1, bufsz = 4 << 20, c, err;

	while ((c = getopt(argc, argv, "n:s:uvw:")) != -1) {
		switch (c) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'u':
			unpriv = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'w':
			valid_pct = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-n COUNT] [-s SEED] [-u] [-v] [-w VALID%%]\n",
				argv[0]);
			return 2;
		}
	}
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("carp_genl_fuzz: netlink socket");
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (resolve_family())
		return 2;
	collect_links();
	printf("carp_genl_fuzz: family %u, %u links, seed %" PRIu64
	       ", %lu messages%s\n", family, ndevs, seed, count,
	       unpriv ? ", unprivileged" : "");

	err = initial_dump();
	if (err && unpriv)
		fail("unprivileged dump of the devices: %s", strerror(-err));

	for (i = 0; i < count; i++) {
		uint32_t mseq, sync;
		int want;
		bool wf;
		uint8_t cmd;

		build(&m, &mseq, &wf, &cmd);
		err = nl_send(m.buf, m.len);
		if (err) {
			n_sendfail++;
			continue;
		}
		n_sent++;
		sync = seq++;
		send_noop(sync);
		err = drain(mseq, sync, cmd);
		if (err == -EIO)
			break;
		if (cmd < NCMDS) {
			bool core = err < 0 && refused_by_core(err);

			n_cmd[cmd]++;
			n_by[cmd][core][err < 0 && -err < MAX_ERRNO ? -err : 0]++;
		}
		if (verbose)
			printf("msg %lu seq %u cmd %u flags %#x len %zu: %d\n",
			       i, mseq, cmd,
			       ((struct nlmsghdr *)m.buf)->nlmsg_flags, m.len, err);
		if (unpriv && wf && modifying(cmd)) {
			n_unpriv_checked++;
			want = unpriv_error(m.buf);
			if (err != want &&
			    !(want == -EOPNOTSUPP && err == -EPERM))
				fail("unprivileged command %u (message %lu) got %d, not %d",
				     cmd, i, err, want);
		}
		if (failures > 20)
			break;
	}

	printf("carp_genl_fuzz: sent %lu (send refused %lu, built valid %lu), acks 0 %lu, data %lu, done %lu\n",
	       n_sent, n_sendfail, n_valid, n_ok_ack, n_data, n_done);
	print_by_cmd();
	for (c = 1; c < MAX_ERRNO; c++)
		if (n_err[c])
			printf("carp_genl_fuzz:   error %d (%s): %lu\n", -c,
			       strerror(c), n_err[c]);
	if (unpriv)
		printf("carp_genl_fuzz: unprivileged modifying requests checked: %lu\n",
		       n_unpriv_checked);
	if (unpriv && !n_unpriv_checked)
		fail("no modifying request was checked");
	if (failures) {
		printf("carp_genl_fuzz: %lu failure(s)\n", failures);
		return 1;
	}
	printf("carp_genl_fuzz: OK\n");
	return 0;
}
