// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the pure parts, run at load in a debug build (make DEBUG=1):
 * the HMAC against vectors computed independently (Python's hmac module,
 * as the BSDs and ucarp define the input), the address ordering, every
 * case of the state decision, the replay window, the load-balancing flow
 * hash (OpenBSD's, so the vectors are its arithmetic), which vhid answers
 * which requester MAC in balancing arp (OpenBSD's keyed hash), how a
 * request's carpnodes and balancing resolve, peer lists, the master-down
 * timer's callback against a re-arm it raced with, how a MASTER tells one
 * conflict (another master heard) from the next, and when
 * net.carp.preempt_delay lets a BACKUP preempt.
 */
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/inet.h>
#include <net/ipv6.h>

#include "carp.h"

struct carp_hmac_vector {
	const char *key;
	u8 vhid;
	const char *addrs[3];	/* in any order: the code sorts them */
	u8 md[CARP_DIGEST_LEN];
	const char *addrs6[3];	/* likewise, IPv6 (after the IPv4 ones) */
};

/* counter 01 02 03 04 05 06 07 08 in every vector */
static const struct carp_hmac_vector carp_hmac_vectors[] = {
	{ "secret", 1, { "10.0.0.1" },
	  { 0xc0, 0xd3, 0x25, 0x26, 0xb3, 0x3c, 0xb0, 0x64, 0x64, 0xae,
	    0xc3, 0xd8, 0x8c, 0xb0, 0xee, 0xb0, 0x7b, 0x08, 0x22, 0x37 } },
	{ "", 7, { "10.0.0.1" },
	  { 0x9e, 0x98, 0x15, 0xc7, 0x2c, 0xb2, 0xda, 0x9b, 0xc0, 0x80,
	    0x32, 0xe4, 0x84, 0x24, 0x35, 0xfc, 0x87, 0x17, 0x43, 0x66 } },
	{ "secretpassword", 200, { "10.0.0.200", "9.0.0.1", "10.0.0.1" },
	  { 0x51, 0xb7, 0xbd, 0xec, 0xca, 0xde, 0xa5, 0xbd, 0xbe, 0x8b,
	    0x1c, 0xad, 0xbf, 0xf1, 0xd5, 0x16, 0x75, 0x80, 0x77, 0xf8 } },
	/* IPv4 ascending, then IPv6 in ascending memcmp() order */
	{ "secret", 1, { "10.0.0.1" },
	  { 0x24, 0x68, 0x54, 0xe2, 0x66, 0xd1, 0x25, 0xfa, 0x41, 0x8d,
	    0x74, 0x51, 0x8a, 0xa2, 0x2a, 0xd9, 0x3c, 0xf9, 0x30, 0x02 },
	  { "fd00::5", "2001:db8::1" } },
	{ "v6only", 42, { NULL },
	  { 0x88, 0xa1, 0x6a, 0xfa, 0x58, 0x81, 0x55, 0xda, 0xd1, 0x69,
	    0xa8, 0xe3, 0x8e, 0xc2, 0x30, 0xe6, 0x8e, 0xd3, 0x00, 0xc9 },
	  { "2001:db8::1" } },
};

static bool carp_selftest_hmac(void)
{
	const __be32 counter[2] = { htonl(0x01020304), htonl(0x05060708) };
	struct carp_dev *carp;
	struct carp_vips6 *vips6;
	struct carp_vips *vips;
	u8 md[CARP_DIGEST_LEN];
	bool ok = true;
	int i, j;

	carp = kzalloc(sizeof(*carp), GFP_KERNEL);
	vips = kzalloc(struct_size(vips, addr, 4), GFP_KERNEL);
	vips6 = kzalloc(struct_size(vips6, addr, 4), GFP_KERNEL);
	if (!carp || !vips || !vips6) {
		ok = false;
		goto out;
	}
	spin_lock_init(&carp->lock);
	for (i = 0; i < ARRAY_SIZE(carp_hmac_vectors); i++) {
		const struct carp_hmac_vector *v = &carp_hmac_vectors[i];

		carp->tfm = carp_key_tfm(v->key, strlen(v->key));
		if (IS_ERR(carp->tfm)) {
			pr_err("carp selftest: no hmac(sha1)\n");
			ok = false;
			break;
		}
		vips->n = 0;
		for (j = 0; j < ARRAY_SIZE(v->addrs) && v->addrs[j]; j++)
			vips->addr[vips->n++] = in_aton(v->addrs[j]);
		/* a duplicate must not count twice */
		if (v->addrs[0])
			vips->addr[vips->n++] = in_aton(v->addrs[0]);
		carp_vips_sort(vips);
		vips6->n = 0;
		for (j = 0; j < ARRAY_SIZE(v->addrs6) && v->addrs6[j]; j++)
			in6_pton(v->addrs6[j], -1,
				 vips6->addr[vips6->n++].s6_addr, -1, NULL);
		carp_vips6_sort(vips6);
		spin_lock_bh(&carp->lock);
		if (carp_hmac(carp, vips, vips6, v->vhid, counter, md) ||
		    memcmp(md, v->md, sizeof(md))) {
			pr_err("carp selftest: hmac vector %d failed\n", i + 1);
			ok = false;
		}
		spin_unlock_bh(&carp->lock);
		crypto_free_shash(carp->tfm);
	}
out:
	kfree(vips6);
	kfree(vips);
	kfree(carp);
	return ok;
}

struct carp_decide_case {
	enum carp_state state;
	struct carp_prio ours, theirs;	/* demote, advbase, advskew */
	bool preempt;
	enum carp_verdict verdict;
};

static const struct carp_decide_case carp_decide_cases[] = {
	/* MASTER steps down to a more frequent or equal master */
	{ CARP_STATE_MASTER, { 0, 1, 100 }, { 0, 1, 0 }, false, CARP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, { 0, 1, 100 }, { 0, 1, 100 }, false, CARP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, { 0, 2, 0 }, { 0, 1, 255 }, false, CARP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, { 0, 1, 0 }, { 0, 1, 100 }, false, CARP_V_NONE },
	{ CARP_STATE_MASTER, { 0, 1, 0 }, { 0, 1, 100 }, true, CARP_V_NONE },
	/* demotion ranks above the interval (OpenBSD) */
	{ CARP_STATE_MASTER, { 1, 1, 0 }, { 0, 1, 100 }, false, CARP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, { 0, 1, 100 }, { 1, 1, 0 }, false, CARP_V_NONE },
	{ CARP_STATE_MASTER, { 5, 1, 0 }, { 5, 1, 0 }, false, CARP_V_STEP_DOWN },
	/* BACKUP preempts a worse master only with preempt on */
	{ CARP_STATE_BACKUP, { 0, 1, 0 }, { 0, 1, 100 }, true, CARP_V_PREEMPT },
	{ CARP_STATE_BACKUP, { 0, 1, 0 }, { 0, 1, 100 }, false, CARP_V_WAIT },
	{ CARP_STATE_BACKUP, { 0, 1, 100 }, { 0, 1, 0 }, true, CARP_V_WAIT },
	{ CARP_STATE_BACKUP, { 0, 1, 100 }, { 0, 1, 100 }, true, CARP_V_WAIT },
	{ CARP_STATE_BACKUP, { 0, 1, 100 }, { 240, 1, 0 }, true, CARP_V_PREEMPT },
	{ CARP_STATE_BACKUP, { 240, 1, 0 }, { 0, 1, 100 }, true, CARP_V_WAIT },
	/* a master slower than our master-down time is as good as gone */
	{ CARP_STATE_BACKUP, { 0, 1, 0 }, { 0, 255, 255 }, false, CARP_V_STALE },
	{ CARP_STATE_BACKUP, { 0, 1, 0 }, { 0, 3, 1 }, false, CARP_V_STALE },
	{ CARP_STATE_BACKUP, { 0, 1, 0 }, { 0, 3, 0 }, false, CARP_V_WAIT },
	{ CARP_STATE_BACKUP, { 0, 100, 0 }, { 0, 255, 255 }, false, CARP_V_WAIT },
	/* ... even a bow-out from a less demoted master */
	{ CARP_STATE_BACKUP, { 240, 1, 254 }, { 0, 255, 255 }, false, CARP_V_STALE },
	/* advbase 0: the interval is advskew/256 s, master-down three of ours */
	{ CARP_STATE_MASTER, { 0, 0, 1 }, { 0, 1, 0 }, false, CARP_V_NONE },
	{ CARP_STATE_MASTER, { 0, 1, 0 }, { 0, 0, 1 }, false, CARP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, { 0, 0, 2 }, { 0, 0, 1 }, false, CARP_V_STEP_DOWN },
	{ CARP_STATE_BACKUP, { 0, 0, 2 }, { 0, 0, 1 }, false, CARP_V_WAIT },
	{ CARP_STATE_BACKUP, { 0, 0, 2 }, { 0, 0, 6 }, false, CARP_V_WAIT },
	{ CARP_STATE_BACKUP, { 0, 0, 2 }, { 0, 0, 7 }, false, CARP_V_STALE },
	{ CARP_STATE_BACKUP, { 0, 0, 2 }, { 0, 1, 0 }, false, CARP_V_STALE },
	{ CARP_STATE_BACKUP, { 0, 0, 100 }, { 0, 1, 0 }, false, CARP_V_WAIT },
	{ CARP_STATE_BACKUP, { 0, 0, 1 }, { 0, 0, 2 }, true, CARP_V_PREEMPT },
	/* INIT ignores everything */
	{ CARP_STATE_INIT, { 0, 1, 0 }, { 0, 1, 0 }, true, CARP_V_NONE },
};

static bool carp_selftest_decide(void)
{
	bool ok = true;
	int i;

	for (i = 0; i < ARRAY_SIZE(carp_decide_cases); i++) {
		const struct carp_decide_case *c = &carp_decide_cases[i];

		if (carp_decide(c->state, &c->ours, &c->theirs,
				c->preempt) != c->verdict) {
			pr_err("carp selftest: decision case %d failed\n", i + 1);
			ok = false;
		}
	}
	return ok;
}

/*
 * advbase 0 is refused with any vhid at advskew 0 (a zero interval), and
 * so is a namespace asking for more than CARP_ADS_PER_SEC_MAX
 * advertisements a second (@others: the other devices', per 256 s).
 */
static bool carp_selftest_interval(void)
{
	static const struct {
		u8 advbase;
		unsigned int n;
		u8 advskew[2];
		u64 others;
		int err;
	} cases[] = {
		{ 1, 1, { 0 }, 0, 0 },
		{ 0, 1, { 1 }, 0, 0 },
		{ 0, 1, { 0 }, 0, -EINVAL },
		{ 0, 2, { 5, 1 }, 0, 0 },
		{ 0, 2, { 5, 0 }, 0, -EINVAL },
		{ 255, 2, { 0, 0 }, 0, 0 },
		/* 256 a second at advskew 1: exactly at the bound, then past */
		{ 0, 1, { 1 }, (CARP_ADS_PER_SEC_MAX - 256) * 256ULL, 0 },
		{ 0, 1, { 1 }, (CARP_ADS_PER_SEC_MAX - 255) * 256ULL, -ERANGE },
		{ 1, 1, { 0 }, CARP_ADS_PER_SEC_MAX * 256ULL, -ERANGE },
		{ 1, 1, { 0 }, (CARP_ADS_PER_SEC_MAX - 1) * 256ULL, 0 },
	};
	struct carp_nodes nodes = {};
	bool ok = true;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nodes.n = cases[i].n;
		for (j = 0; j < nodes.n; j++) {
			nodes.node[j].vhid = j + 1;
			nodes.node[j].advskew = cases[i].advskew[j];
		}
		if (carp_interval_check(cases[i].advbase, &nodes,
					cases[i].others, NULL) != cases[i].err) {
			pr_err("carp selftest: interval case %u failed\n", i + 1);
			ok = false;
		}
	}
	/* the rate: per 256 s, rounded up */
	if (carp_ads_rate(1, 0) != 256 || carp_ads_rate(0, 1) != 65536 ||
	    carp_ads_rate(0, 3) != 21846 || carp_ads_rate(255, 255) != 2) {
		pr_err("carp selftest: advertisement rates wrong\n");
		ok = false;
	}
	return ok;
}

/*
 * One step of a replay scenario: @counter is @accepted or not. The source
 * address is not an input: it is not authenticated, so a replay may come
 * from any.
 */
struct carp_replay_step {
	u64 counter;
	bool accepted;
};

static const struct carp_replay_step carp_replay_steps[] = {
	/* a BSD peer: random start, then +1 */
	{ 1000, true },
	{ 1000, false },	/* exact copy */
	{ 1001, true },		/* continues the stream: now sequential */
	{ 1002, true },
	{ 1000, false },	/* an old one */
	{ 500, false },		/* older, but not in the recent list */
	{ 1002 - CARP_REPLAY_WINDOW, true },	/* beyond the window: a reboot */
	{ 1004, true },		/* one lost on the way: still the stream */
	{ 1003, false },	/* the lost one, sent later */
	/* a ucarp peer: random every time */
	{ 0x9e3779b97f4a7c15ULL, true },
	{ 0x123456789abcULL, true },
	{ 0xfedcba9876543210ULL, true },
	{ 0x123456789abcULL, false },	/* exact copy of a recent one */
	{ 0x9e3779b97f4a7c15ULL, false },
	/* a dual-stack sender heard in one family only: +2 each time */
	{ 5000000, true },
	{ 5000002, true },
	{ 5000004, true },
	{ 4999990, false },	/* older than its stream: a replay */
	{ 999, false },		/* the BSD peer's stream outlived ucarp's churn */
};

static bool carp_selftest_replay(void)
{
	struct carp_replay *r = kzalloc(sizeof(*r), GFP_KERNEL);
	bool ok = true, accepted;
	unsigned long now = 1;
	u64 base;
	int i;

	if (!r)
		return false;
	for (i = 0; i < ARRAY_SIZE(carp_replay_steps); i++) {
		const struct carp_replay_step *st = &carp_replay_steps[i];

		accepted = carp_replay_check(r, st->counter);
		if (accepted)
			carp_replay_accept(r, st->counter, now++);
		if (accepted != st->accepted) {
			pr_err("carp selftest: replay step %d failed\n", i + 1);
			ok = false;
		}
	}
	/* the recent list forgets: CARP_REPLAY_RECENT later, a copy passes */
	for (i = 0; i < CARP_REPLAY_RECENT; i++)
		carp_replay_accept(r, 0x5000 + 2 * i, now++);
	if (!carp_replay_check(r, 0x123456789abcULL)) {
		pr_err("carp selftest: replay list does not age\n");
		ok = false;
	}
	/* many random (ucarp) streams do not push out a sequential one */
	for (i = 0; i < 4 * CARP_REPLAY_STREAMS; i++)
		carp_replay_accept(r, (u64)(i + 7) << 32, now++);
	if (carp_replay_check(r, 1002)) {
		pr_err("carp selftest: replay lost a sequential stream to random ones\n");
		ok = false;
	}
	/* as many newer sequential streams as slots replace it */
	for (i = 0; i < CARP_REPLAY_STREAMS; i++) {
		base = (u64)(i + 100) << 48;
		carp_replay_accept(r, base, now++);
		carp_replay_accept(r, base + 1, now++);
	}
	if (!carp_replay_check(r, 1002)) {
		pr_err("carp selftest: replay streams are not replaced\n");
		ok = false;
	}
	kfree(r);
	return ok;
}

/*
 * Advertisements of a worse master, as a MASTER hears them: when each
 * comes (ms from the start), how often that master advertises, and what
 * carp_conflict_step() must answer, with the time it adds (ms).
 */
struct carp_conflict_case {
	u32 at_ms;
	u8 advbase, advskew;	/* the other master's: its interval */
	unsigned int what;
	u64 ms;
};

#define CARP_CF_NEW	(CARP_CONFLICT_NEW | CARP_CONFLICT_ANNOUNCE)

static const struct carp_conflict_case carp_conflict_steps[] = {
	{ 1000, 1, 0, CARP_CF_NEW, 0 },		/* the first: report, announce */
	{ 1500, 1, 0, 0, 500 },			/* 0.5 s both MASTER, no announce */
	{ 2000, 1, 0, CARP_CONFLICT_ANNOUNCE, 500 },	/* 1 s since the last one */
	{ 5000, 1, 0, CARP_CONFLICT_ANNOUNCE, 3000 },	/* three intervals: the same */
	{ 8001, 1, 0, CARP_CF_NEW, 0 },		/* past three intervals: a new one */
	{ 8005, 0, 2, 0, 4 },			/* at 7.8 ms: whole ms counted... */
	{ 8010, 0, 2, 0, 5 },
	{ 8034, 0, 2, CARP_CF_NEW, 0 },		/* ...past 23.4 ms: a new one */
	{ 9035, 0, 2, CARP_CF_NEW, 0 },
};

static bool carp_selftest_conflict(void)
{
	struct carp_conflict c = {};
	unsigned int i, what;
	bool ok = true;
	u64 ms, rem_ms = 0;

	for (i = 0; i < ARRAY_SIZE(carp_conflict_steps); i++) {
		const struct carp_conflict_case *st = &carp_conflict_steps[i];
		struct carp_prio theirs = {
			.advbase = st->advbase, .advskew = st->advskew,
		};

		what = carp_conflict_step(&c, (u64)st->at_ms * NSEC_PER_MSEC,
					  &theirs, &ms);
		if (what != st->what || ms != st->ms) {
			pr_err("carp selftest: conflict step %u: %u, %llu ms\n",
			       i + 1, what, ms);
			ok = false;
		}
	}
	/* sub-millisecond gaps add up instead of being lost */
	c = (struct carp_conflict){};
	for (i = 0; i <= 10; i++) {
		carp_conflict_step(&c, 1000000000ULL + i * 300000ULL,
				   &(struct carp_prio){ .advskew = 1 }, &ms);
		rem_ms += ms;
	}
	if (rem_ms != 3) {
		pr_err("carp selftest: conflict time of 10 x 0.3 ms is %llu ms\n",
		       rem_ms);
		ok = false;
	}
	return ok;
}

struct carp_flow_case {
	const char *a, *b;	/* IPv4 or IPv6, both of one family */
	unsigned int n;		/* vhids */
	unsigned int node;	/* the flow's vhid, by index */
};

/*
 * ntohl(a ^ b) % n, IPv6 folded word by word first (OpenBSD carp_lsdrop);
 * the folds computed with Python's ipaddress module.
 */
static const struct carp_flow_case carp_flow_cases[] = {
	{ "10.0.0.10", "10.0.0.1", 3, 11 % 3 },
	{ "10.0.0.1", "10.0.0.10", 3, 11 % 3 },	/* both directions */
	{ "10.0.0.10", "10.0.0.1", 1, 0 },	/* one vhid takes all */
	{ "10.0.1.37", "10.0.0.1", 2, 0x124 % 2 },
	{ "192.168.7.200", "10.0.0.1", 32, 0xcaa807c9 % 32 },
	{ "2001:db8::10", "2001:db8::1", 3, 0x11 % 3 },
	{ "2001:db8:1::5", "2001:db8::1", 5, 0x10004 % 5 },
	{ "fe80::1:2:3:4", "2001:db8::1", 7, 0xde830dbf % 7 },
};

static bool carp_selftest_flow(void)
{
	struct in6_addr a6, b6;
	bool ok = true, v6;
	__be32 a, b;
	u32 fold;
	int i;

	for (i = 0; i < ARRAY_SIZE(carp_flow_cases); i++) {
		const struct carp_flow_case *c = &carp_flow_cases[i];

		v6 = strchr(c->a, ':');
		if (v6) {
			in6_pton(c->a, -1, a6.s6_addr, -1, NULL);
			in6_pton(c->b, -1, b6.s6_addr, -1, NULL);
			fold = carp_fold6(&a6, &b6);
			if (fold != carp_fold6(&b6, &a6))
				ok = false;
		} else {
			a = in_aton(c->a);
			b = in_aton(c->b);
			fold = carp_fold4(a, b);
		}
		if (carp_flow_node(fold, c->n) != c->node) {
			pr_err("carp selftest: flow case %d failed\n", i + 1);
			ok = false;
		}
	}
	return ok;
}

/*
 * balancing arp: OpenBSD's hash key for a password (b and c as
 * carp_arp_key() packs them) and the vhid that answers a requester's MAC,
 * carp_hash() % n. Computed independently by arp_key() and arp_hash() in
 * selftests/carp_pkt.py (Python's hashlib, written from OpenBSD's C, as
 * an amd64 OpenBSD host reads the SHA1 words), the mix cross-checked
 * against OpenBSD's mix() macro compiled on the host:
 *
 *   python3 -c 'import carp_pkt as c; print(c.arp_key(b"secret"))'
 *   python3 carp_pkt.py arp-node secret 02:00:00:00:00:0a 3
 */
static const struct {
	const char *key;
	unsigned int keylen;
	u64 arp_key;
} carp_arp_keys[] = {
	{ "", 0, 0x8c8215a2d04168fdULL },	/* no password */
	{ "secret", 6, 0x082cb93c01d2b179ULL },
	{ "0123456789abcdefghij", 20, 0xf1dcfebe9b7db563ULL },
	{ "\xff\x80\x01\x02", 4, 0x355f519c3d80474aULL },
};

static const struct {
	const char *key;
	u8 mac[ETH_ALEN];
	u32 hash;
	unsigned int n, node;
} carp_arp_cases[] = {
	{ "secret", { 0x02, 0, 0, 0, 0, 0x0a }, 0x8264ddee, 3, 2 },
	{ "secret", { 0x02, 0, 0, 0, 0, 0x0a }, 0x8264ddee, 32, 14 },
	{ "secret", { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, 0x9e7a1b31, 2, 1 },
	{ "secret", { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, 0x9e7a1b31, 7, 6 },
	{ "", { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, 0xcd22e899, 32, 25 },
	{ "S", { 0, 0, 0x5e, 0, 0x01, 0x01 }, 0xee5d15e5, 3, 2 },
	{ "\xff\x80\x01\x02", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	  0x98e96ffe, 32, 30 },
};

static bool carp_selftest_arp(void)
{
	bool ok = true;
	u64 key;
	int i;

	for (i = 0; i < ARRAY_SIZE(carp_arp_keys); i++) {
		if (carp_arp_key(carp_arp_keys[i].key,
				 carp_arp_keys[i].keylen) !=
		    carp_arp_keys[i].arp_key) {
			pr_err("carp selftest: arp key %d failed\n", i + 1);
			ok = false;
		}
	}
	for (i = 0; i < ARRAY_SIZE(carp_arp_cases); i++) {
		key = carp_arp_key(carp_arp_cases[i].key,
				   strlen(carp_arp_cases[i].key));
		if (carp_arp_hash(key, carp_arp_cases[i].mac) !=
		    carp_arp_cases[i].hash ||
		    carp_arp_node(key, carp_arp_cases[i].mac,
				  carp_arp_cases[i].n) != carp_arp_cases[i].node) {
			pr_err("carp selftest: arp case %d failed\n", i + 1);
			ok = false;
		}
	}
	return ok;
}

struct carp_nodes_case {
	/* what the device has: no vhids (new), or these and this mode */
	unsigned int cur_n;
	struct carp_node cur[3];
	u8 cur_balancing;
	/* the request */
	int vhid, advskew, balancing, nnodes;
	struct carp_node node[3];
	/* the outcome: an errno, or these vhids (sorted) and this mode */
	int err;
	unsigned int n;
	struct carp_node out[3];
	u8 out_balancing;
};

static const struct carp_nodes_case carp_nodes_cases[] = {
	/* a new ordinary device */
	{ 0, {}, 0, 5, -1, -1, -1, {}, 0, 1, { { 5, 0 } }, CARP_BAL_NONE },
	/* new carpnodes: sorted by vhid, balancing ip by default */
	{ 0, {}, 0, -1, -1, -1, 3, { { 3, 200 }, { 1, 0 }, { 2, 100 } },
	  0, 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_IP },
	{ 0, {}, 0, -1, -1, CARP_BAL_IP_STEALTH, 2, { { 9, 1 }, { 4, 2 } },
	  0, 2, { { 4, 2 }, { 9, 1 } }, CARP_BAL_IP_STEALTH },
	/* a vhid twice; balancing without a second vhid; none with two */
	{ 0, {}, 0, -1, -1, -1, 2, { { 1, 0 }, { 1, 5 } }, -EINVAL },
	{ 0, {}, 0, -1, -1, CARP_BAL_IP, 1, { { 1, 0 } }, -EINVAL },
	{ 0, {}, 0, 1, -1, CARP_BAL_IP_UNICAST, -1, {}, -EINVAL },
	{ 0, {}, 0, -1, -1, CARP_BAL_NONE, 2, { { 1, 0 }, { 2, 0 } },
	  -EINVAL },
	/* balancing arp: two or more vhids, as every mode */
	{ 0, {}, 0, -1, -1, CARP_BAL_ARP, 2, { { 2, 100 }, { 1, 0 } },
	  0, 2, { { 1, 0 }, { 2, 100 } }, CARP_BAL_ARP },
	{ 0, {}, 0, -1, -1, CARP_BAL_ARP, 1, { { 1, 0 } }, -EINVAL },
	{ 0, {}, 0, 1, -1, CARP_BAL_ARP, -1, {}, -EINVAL },
	{ 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_ARP,
	  -1, -1, -1, 1, { { 7, 9 } }, 0, 1, { { 7, 9 } }, CARP_BAL_NONE },
	/* a balanced device: vhid or advskew alone make no sense */
	{ 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_IP,
	  -1, 50, -1, -1, {}, -EINVAL },
	{ 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_IP,
	  7, -1, -1, -1, {}, -EINVAL },
	/* ... other changes keep its vhids, or change its mode */
	{ 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_IP,
	  -1, -1, -1, -1, {}, 0, 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } },
	  CARP_BAL_IP },
	{ 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_IP,
	  -1, -1, CARP_BAL_IP_UNICAST, -1, {}, 0, 3,
	  { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_IP_UNICAST },
	/* ... and back to one vhid: no balancing any more */
	{ 3, { { 1, 0 }, { 2, 100 }, { 3, 200 } }, CARP_BAL_IP,
	  -1, -1, -1, 1, { { 7, 9 } }, 0, 1, { { 7, 9 } }, CARP_BAL_NONE },
	/* an ordinary device: a new advskew keeps its vhid */
	{ 1, { { 4, 10 } }, CARP_BAL_NONE, -1, 20, -1, -1, {}, 0, 1,
	  { { 4, 20 } }, CARP_BAL_NONE },
	/* ... carpnodes make it balanced */
	{ 1, { { 4, 10 } }, CARP_BAL_NONE, -1, -1, -1, 2,
	  { { 4, 10 }, { 5, 0 } }, 0, 2, { { 4, 10 }, { 5, 0 } },
	  CARP_BAL_IP },
};

static bool carp_selftest_nodes(void)
{
	struct carp_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	struct carp_vhosts *cur = kzalloc(struct_size(cur, vh, 3), GFP_KERNEL);
	struct carp_nodes *out = kzalloc(sizeof(*out), GFP_KERNEL);
	bool ok = cfg && cur && out;
	unsigned int j;
	int i, err;

	for (i = 0; ok && i < ARRAY_SIZE(carp_nodes_cases); i++) {
		const struct carp_nodes_case *c = &carp_nodes_cases[i];

		cur->n = c->cur_n;
		for (j = 0; j < c->cur_n; j++) {
			cur->vh[j].vhid = c->cur[j].vhid;
			cur->vh[j].advskew = c->cur[j].advskew;
		}
		memset(cfg, 0, sizeof(*cfg));
		cfg->vhid = c->vhid;
		cfg->advskew = c->advskew;
		cfg->balancing = c->balancing;
		cfg->nnodes = c->nnodes;
		for (j = 0; c->nnodes > 0 && j < c->nnodes; j++)
			cfg->node[j] = c->node[j];
		err = carp_nodes_resolve(cfg, c->cur_n ? cur : NULL,
					 c->cur_balancing, out, NULL);
		if (err != c->err ||
		    (!err && (out->n != c->n ||
			      out->balancing != c->out_balancing ||
			      memcmp(out->node, c->out,
				     c->n * sizeof(c->out[0]))))) {
			pr_err("carp selftest: carpnodes case %d failed\n", i + 1);
			ok = false;
		}
	}
	kfree(out);
	kfree(cur);
	kfree(cfg);
	return ok;
}

/*
 * A carp device for the tests of the state machine: never registered, no
 * parent (carp->port NULL: nothing is sent), advbase 1, one vhid (1,
 * advskew 0), INIT, in a namespace of its own (log 0: nothing is logged;
 * preempt 0, preempt_delay 0).
 */
struct carp_selftest_dev {
	struct carp_net *cn;
	struct net_device *dev;
	struct carp_vhosts *vhs;
};

static struct carp_vhost *carp_selftest_dev_alloc(struct carp_selftest_dev *t)
{
	struct carp_nodes nodes = { .n = 1, .node = { { .vhid = 1 } } };
	struct carp_dev *carp;

	t->cn = kzalloc(sizeof(*t->cn), GFP_KERNEL);
	t->dev = alloc_netdev(sizeof(*carp), "carpst%d", NET_NAME_UNKNOWN,
			      ether_setup);
	t->vhs = NULL;
	if (!t->cn || !t->dev)
		return NULL;
	carp = netdev_priv(t->dev);
	carp->dev = t->dev;
	carp->cn = t->cn;
	carp->advbase = 1;
	spin_lock_init(&carp->lock);
	timer_setup(&carp->garp_timer, carp_announce_timeout, 0);
	t->vhs = carp_vhosts_alloc(carp, &nodes);
	if (!t->vhs)
		return NULL;
	RCU_INIT_POINTER(carp->vhosts, t->vhs);
	return &t->vhs->vh[0];
}

static void carp_selftest_dev_free(struct carp_selftest_dev *t)
{
	if (t->vhs) {
		hrtimer_cancel(&t->vhs->vh[0].ad_timer);
		hrtimer_cancel(&t->vhs->vh[0].md_timer);
	}
	kfree(t->vhs);
	if (t->dev) {
		timer_delete_sync(&((struct carp_dev *)netdev_priv(t->dev))->garp_timer);
		free_netdev(t->dev);
	}
	kfree(t->cn);
}

/*
 * lladdr parent goes with a single vhid only, asked for or kept: cases of
 * (request's lladdr, device's, resolved balancing) and the answer.
 */
static const struct {
	int lladdr;
	u8 cur, balancing;
	int want;
} carp_lladdr_cases[] = {
	{ -1, CARP_LLADDR_VIRTUAL, CARP_BAL_NONE, CARP_LLADDR_VIRTUAL },
	{ -1, CARP_LLADDR_PARENT, CARP_BAL_NONE, CARP_LLADDR_PARENT },
	{ CARP_LLADDR_PARENT, CARP_LLADDR_VIRTUAL, CARP_BAL_NONE,
	  CARP_LLADDR_PARENT },
	{ CARP_LLADDR_VIRTUAL, CARP_LLADDR_PARENT, CARP_BAL_IP,
	  CARP_LLADDR_VIRTUAL },
	{ CARP_LLADDR_PARENT, CARP_LLADDR_VIRTUAL, CARP_BAL_IP, -EINVAL },
	{ CARP_LLADDR_PARENT, CARP_LLADDR_VIRTUAL, CARP_BAL_IP_STEALTH,
	  -EINVAL },
	{ -1, CARP_LLADDR_PARENT, CARP_BAL_IP_UNICAST, -EINVAL },
	{ CARP_LLADDR_PARENT, CARP_LLADDR_VIRTUAL, CARP_BAL_ARP, -EINVAL },
};

static bool carp_selftest_lladdr(void)
{
	struct carp_config cfg = {};
	struct carp_nodes nodes = { .n = 1 };
	bool ok = true;
	int i, got;

	for (i = 0; i < ARRAY_SIZE(carp_lladdr_cases); i++) {
		cfg.lladdr = carp_lladdr_cases[i].lladdr;
		nodes.balancing = carp_lladdr_cases[i].balancing;
		got = carp_lladdr_resolve(&cfg, carp_lladdr_cases[i].cur,
					  &nodes, NULL);
		if (got != carp_lladdr_cases[i].want) {
			pr_err("carp selftest: lladdr case %d failed\n", i + 1);
			ok = false;
		}
	}
	return ok;
}

/*
 * Peer lists: what is no unicast peer, duplicates, the limit of both
 * families together, and how a request's lists merge with the device's
 * (a family the request does not set keeps its list).
 */
static const char *const carp_peer_bad[] = {
	"0.0.0.0", "0.1.2.3", "127.0.0.2", "224.0.0.18", "239.1.1.1",
	"240.0.0.1", "255.255.255.255",
};

static const char *const carp_peer6_bad[] = {
	"::", "::1", "ff02::12", "ff05::2", "::ffff:10.0.0.1",
};

static bool carp_selftest_peers(void)
{
	struct carp_peers *p = kzalloc(sizeof(*p), GFP_KERNEL);
	struct carp_peers *cur = kzalloc(sizeof(*cur), GFP_KERNEL);
	struct carp_config cfg = {};
	struct carp_peers *got = NULL;
	struct in6_addr a6;
	bool ok = true;
	unsigned int i;

	if (!p || !cur) {
		pr_err("carp selftest: out of memory for the peer test: failed\n");
		ok = false;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(carp_peer_bad); i++) {
		if (carp_peers_add(p, in_aton(carp_peer_bad[i])) != -EINVAL) {
			pr_err("carp selftest: peer %s taken: failed\n",
			       carp_peer_bad[i]);
			ok = false;
		}
	}
	for (i = 0; i < ARRAY_SIZE(carp_peer6_bad); i++) {
		if (!in6_pton(carp_peer6_bad[i], -1, a6.s6_addr, -1, NULL) ||
		    carp_peers_add6(p, &a6) != -EINVAL) {
			pr_err("carp selftest: peer6 %s taken: failed\n",
			       carp_peer6_bad[i]);
			ok = false;
		}
	}
	if (p->n || p->n6 ||
	    carp_peers_add(p, in_aton("10.0.0.2")) ||
	    carp_peers_add(p, in_aton("10.0.0.3")) ||
	    carp_peers_add(p, in_aton("10.0.0.2")) != -EEXIST ||
	    !in6_pton("fe80::2", -1, a6.s6_addr, -1, NULL) ||
	    carp_peers_add6(p, &a6) || carp_peers_add6(p, &a6) != -EEXIST ||
	    p->n != 2 || p->n6 != 1 ||
	    !carp_peers_has(p, in_aton("10.0.0.3")) ||
	    carp_peers_has(p, in_aton("10.0.0.4")) ||
	    !carp_peers_has6(p, &a6)) {
		pr_err("carp selftest: peer list of 10.0.0.2,10.0.0.3 and fe80::2: failed\n");
		ok = false;
	}
	/* 32 together: the 33rd is refused whatever its family */
	for (i = 0; i < CARP_PEERS_MAX - 3; i++)
		ok &= !carp_peers_add(p, htonl(0x0a010000 + i));
	if (carp_peers_add(p, in_aton("10.2.0.1")) != -E2BIG ||
	    carp_peers_add6(p, &a6) != -EEXIST ||
	    !in6_pton("2001:db8::9", -1, a6.s6_addr, -1, NULL) ||
	    carp_peers_add6(p, &a6) != -E2BIG ||
	    p->n + p->n6 != CARP_PEERS_MAX) {
		pr_err("carp selftest: peer limit: failed\n");
		ok = false;
	}

	/* the device has 10.9.0.1 and 2001:db8::1; the request sets IPv4 */
	cur->addr[cur->n++] = in_aton("10.9.0.1");
	in6_pton("2001:db8::1", -1, cur->addr6[cur->n6++].s6_addr, -1, NULL);
	memset(p, 0, sizeof(*p));
	p->addr[p->n++] = in_aton("10.0.0.2");
	p->addr[p->n++] = in_aton("10.0.0.3");
	cfg.peers = p;
	cfg.set_peer = true;
	got = carp_peers_merge(&cfg, cur);
	if (IS_ERR_OR_NULL(got) || got->n != 2 || got->n6 != 1 ||
	    got->addr[1] != in_aton("10.0.0.3") ||
	    !ipv6_addr_equal(&got->addr6[0], &cur->addr6[0])) {
		pr_err("carp selftest: peer merge keeping IPv6: failed\n");
		ok = false;
	}
	if (!IS_ERR_OR_NULL(got))
		kfree(got);
	/* emptying both: multicast, no list */
	memset(p, 0, sizeof(*p));
	cfg.set_peer6 = true;
	got = carp_peers_merge(&cfg, cur);
	if (got) {
		pr_err("carp selftest: peer merge to none: failed\n");
		ok = false;
		if (!IS_ERR(got))
			kfree(got);
	}
	/* over the limit only together: 31 IPv6 kept, 2 IPv4 set */
	cfg.set_peer6 = false;
	cur->n6 = CARP_PEERS_MAX - 1;
	p->n = 2;
	got = carp_peers_merge(&cfg, cur);
	if (got != ERR_PTR(-E2BIG)) {
		pr_err("carp selftest: peer merge over the limit: failed\n");
		ok = false;
		if (!IS_ERR_OR_NULL(got))
			kfree(got);
	}
out:
	kfree(p);
	kfree(cur);
	return ok;
}

/*
 * The master-down timer against the receive path: an advertisement that
 * comes in while the timer's callback waits for carp->lock re-arms the
 * timer (queued again), and the callback, once it has the lock, must not
 * take over: the master is alive. When the two meet cannot be steered
 * from here, but what the callback then finds can be set up exactly: its
 * timer queued again, as carp_advert_received() leaves it, and the
 * callback run as the expiry that lost the race. A callback whose timer
 * was not re-armed takes over.
 */
static bool carp_selftest_md_race(void)
{
	struct carp_selftest_dev t;
	struct carp_vhost *vh;
	bool ok = false;

	vh = carp_selftest_dev_alloc(&t);
	if (!vh) {
		pr_err("carp selftest: out of memory for the master-down test: failed\n");
		goto out;
	}
	vh->state = CARP_STATE_BACKUP;
	hrtimer_start(&vh->md_timer, ktime_set(3600, 0), HRTIMER_MODE_REL_SOFT);
	vh->md_timer.function(&vh->md_timer);
	ok = READ_ONCE(vh->state) == CARP_STATE_BACKUP;
	if (!ok)
		pr_err("carp selftest: master-down expiry after a re-arm took over: failed\n");
	hrtimer_cancel(&vh->md_timer);

	vh->md_timer.function(&vh->md_timer);
	if (READ_ONCE(vh->state) != CARP_STATE_MASTER) {
		pr_err("carp selftest: master-down expiry did not take over: failed\n");
		ok = false;
	}
out:
	carp_selftest_dev_free(&t);
	return ok;
}

/* carp_preempt_delay_over(): seconds of preempt_delay against ns since joining. */
static bool carp_selftest_preempt_delay(void)
{
	static const struct {
		u64 since;		/* ns from joining to now */
		unsigned int delay;	/* s */
		bool released;
	} cases[] = {
		/* delay 0: today's preempt, from the moment it joins */
		{ 0, 0, true },
		{ 1, 0, true },
		{ 0, 3, false },
		{ 3ULL * NSEC_PER_SEC - 1, 3, false },
		{ 3ULL * NSEC_PER_SEC, 3, true },
		{ 3ULL * NSEC_PER_SEC + 1, 3, true },
		/* the largest delay does not overflow */
		{ 3600ULL * NSEC_PER_SEC - 1, CARP_PREEMPT_DELAY_MAX, false },
		{ 3600ULL * NSEC_PER_SEC, CARP_PREEMPT_DELAY_MAX, true },
		{ 3600ULL * 24 * NSEC_PER_SEC, CARP_PREEMPT_DELAY_MAX, true },
	};
	/* joined long after boot, as in life; and at 0, as never joined */
	static const u64 joined[] = { 0, 1000ULL * NSEC_PER_SEC };
	bool ok = true;
	int i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		for (j = 0; j < ARRAY_SIZE(joined); j++)
			if (carp_preempt_delay_over(joined[j] + cases[i].since,
						    joined[j], cases[i].delay) !=
			    cases[i].released) {
				pr_err("carp selftest: preempt_delay case %d failed\n",
				       i + 1);
				ok = false;
			}
	return ok;
}

/* Under carp->lock, as the receive path: an advertisement from @theirs. */
static enum carp_state carp_selftest_advert(struct carp_vhost *vh,
					    const struct carp_prio *theirs)
{
	spin_lock_bh(&vh->carp->lock);
	carp_advert_received(vh, theirs);
	spin_unlock_bh(&vh->carp->lock);
	return READ_ONCE(vh->state);
}

/*
 * The hold on the way an advertisement goes (carp_advert_received() reads
 * the clock and the sysctls itself): leaving INIT starts it; while it
 * holds, a worse master that is alive is left alone but a stale one (a
 * bow-out) is taken over; preempt_delay 0 preempts; going from MASTER to
 * BACKUP does not start a new hold.
 */
static bool carp_selftest_preempt_delay_path(void)
{
	static const struct carp_prio worse = { 0, 1, 100 };
	static const struct carp_prio bowout = { 0, CARP_BOWOUT_ADVBASE,
						 CARP_BOWOUT_ADVSKEW };
	struct carp_selftest_dev t;
	struct carp_vhost *vh;
	u64 before, joined;
	bool ok = true;

	vh = carp_selftest_dev_alloc(&t);
	if (!vh) {
		pr_err("carp selftest: out of memory for the preempt_delay test: failed\n");
		ok = false;
		goto out;
	}
	t.cn->preempt = 1;
	t.cn->preempt_delay = CARP_PREEMPT_DELAY_MAX;
	before = ktime_get_ns();
	spin_lock_bh(&vh->carp->lock);
	carp_force_state(vh, CARP_STATE_BACKUP);
	spin_unlock_bh(&vh->carp->lock);
	joined = vh->joined_ns;
	if (joined < before || joined > ktime_get_ns()) {
		pr_err("carp selftest: leaving INIT did not start the preempt delay: failed\n");
		ok = false;
	}
	if (carp_selftest_advert(vh, &worse) != CARP_STATE_BACKUP) {
		pr_err("carp selftest: preempted during preempt_delay: failed\n");
		ok = false;
	}
	if (carp_selftest_advert(vh, &bowout) != CARP_STATE_MASTER) {
		pr_err("carp selftest: preempt_delay kept a stale master: failed\n");
		ok = false;
	}
	spin_lock_bh(&vh->carp->lock);
	carp_force_state(vh, CARP_STATE_BACKUP);
	spin_unlock_bh(&vh->carp->lock);
	if (vh->joined_ns != joined) {
		pr_err("carp selftest: MASTER to BACKUP restarted the preempt delay: failed\n");
		ok = false;
	}
	t.cn->preempt_delay = 0;
	if (carp_selftest_advert(vh, &worse) != CARP_STATE_MASTER) {
		pr_err("carp selftest: preempt_delay 0 did not preempt: failed\n");
		ok = false;
	}
out:
	carp_selftest_dev_free(&t);
	return ok;
}

/* VRRPv3's timers (RFC 5798 6.1), in centiseconds. */
static const struct {
	u8 prio;
	u16 master_int;
	u32 skew, down;
} vrrp_timer_cases[] = {
	{ 100, 100, 60, 360 },		/* 156 x 100 / 256 = 60.9 */
	{ 254, 100, 0, 300 },
	{ 255, 100, 0, 300 },
	{ 1, 100, 99, 399 },
	{ 1, 4095, 4079, 16364 },	/* the longest: 163.64 s */
	{ 200, 1, 0, 3 },
	{ 128, 10, 5, 35 },
};

struct vrrp_decide_case {
	enum carp_state state;
	u8 ours, theirs;		/* priorities */
	__be32 our_addr, their_addr;
	bool preempt;
	enum vrrp_verdict verdict;
};

#define VRRP_A2	htonl(0x0a000002)	/* 10.0.0.2 */
#define VRRP_A3	htonl(0x0a000003)	/* 10.0.0.3 */
#define VRRP_AH	htonl(0xc0a80001)	/* 192.168.0.1: greater as a number */

static const struct vrrp_decide_case vrrp_decide_cases[] = {
	/* MASTER: a better priority, or an equal one from a greater address */
	{ CARP_STATE_MASTER, 100, 200, VRRP_A2, VRRP_A3, true, VRRP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, 100, 200, VRRP_A2, VRRP_A3, false, VRRP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, 200, 100, VRRP_A2, VRRP_A3, true, VRRP_V_NONE },
	{ CARP_STATE_MASTER, 100, 100, VRRP_A2, VRRP_A3, true, VRRP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, 100, 100, VRRP_A3, VRRP_A2, true, VRRP_V_NONE },
	{ CARP_STATE_MASTER, 100, 100, VRRP_A3, VRRP_AH, true, VRRP_V_STEP_DOWN },
	{ CARP_STATE_MASTER, 100, 100, VRRP_AH, VRRP_A3, true, VRRP_V_NONE },
	/* ... our own address (an echo the caller missed): nothing */
	{ CARP_STATE_MASTER, 100, 100, VRRP_A2, VRRP_A2, true, VRRP_V_NONE },
	{ CARP_STATE_MASTER, 254, 255, VRRP_A3, VRRP_A2, true, VRRP_V_STEP_DOWN },
	/* ... and answers a bow-out at once, whatever the priorities */
	{ CARP_STATE_MASTER, 100, 0, VRRP_A2, VRRP_A3, true, VRRP_V_ADVERTISE },
	{ CARP_STATE_MASTER, 1, 0, VRRP_A2, VRRP_AH, false, VRRP_V_ADVERTISE },
	/* BACKUP: listens to an equal or better master, or to any without
	 * preemption; ignores a worse one with it (and takes over later)
	 */
	{ CARP_STATE_BACKUP, 100, 200, VRRP_A2, VRRP_A3, true, VRRP_V_WAIT },
	{ CARP_STATE_BACKUP, 100, 100, VRRP_A3, VRRP_A2, true, VRRP_V_WAIT },
	{ CARP_STATE_BACKUP, 200, 100, VRRP_A2, VRRP_A3, true, VRRP_V_NONE },
	{ CARP_STATE_BACKUP, 200, 100, VRRP_A2, VRRP_A3, false, VRRP_V_WAIT },
	{ CARP_STATE_BACKUP, 255, 254, VRRP_A2, VRRP_A3, true, VRRP_V_NONE },
	/* ... and a bow-out makes it wait only its skew */
	{ CARP_STATE_BACKUP, 100, 0, VRRP_A2, VRRP_A3, true, VRRP_V_SKEW },
	{ CARP_STATE_BACKUP, 100, 0, VRRP_A2, VRRP_A3, false, VRRP_V_SKEW },
	/* INIT ignores everything */
	{ CARP_STATE_INIT, 100, 200, VRRP_A2, VRRP_A3, true, VRRP_V_NONE },
	{ CARP_STATE_INIT, 100, 0, VRRP_A2, VRRP_A3, true, VRRP_V_NONE },
};

/*
 * Two advertisements, built by scapy's VRRPv3 layer and their checksums
 * recomputed by hand (pseudo-header included): 10.0.0.2 to 224.0.0.18,
 * VRID 1, priority 200, 100 cs, 10.0.0.1; fe80::2 to ff02::12, VRID 7,
 * priority 100, 4095 cs, fe80::1 and 2001:db8::1.
 */
static const u8 vrrp_ad4[] = {
	0x31, 0x01, 0xc8, 0x01, 0x00, 0x64, 0x12, 0x07, 0x0a, 0x00, 0x00, 0x01,
};

static const u8 vrrp_ad6[] = {
	0x31, 0x07, 0x64, 0x02, 0x0f, 0xff, 0x30, 0x8b,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
};

static bool carp_selftest_vrrp_timers(void)
{
	bool ok = true;
	int i;

	for (i = 0; i < ARRAY_SIZE(vrrp_timer_cases); i++) {
		u8 prio = vrrp_timer_cases[i].prio;
		u16 mi = vrrp_timer_cases[i].master_int;

		if (vrrp_skew_cs(prio, mi) != vrrp_timer_cases[i].skew ||
		    vrrp_master_down_cs(prio, mi) != vrrp_timer_cases[i].down) {
			pr_err("carp selftest: VRRP timer case %d failed\n", i + 1);
			ok = false;
		}
	}
	return ok;
}

static bool carp_selftest_vrrp_decide(void)
{
	bool ok = true;
	int i;

	for (i = 0; i < ARRAY_SIZE(vrrp_decide_cases); i++) {
		const struct vrrp_decide_case *c = &vrrp_decide_cases[i];
		struct vrrp_prio ours = { .priority = c->ours };
		struct vrrp_prio theirs = { .priority = c->theirs };

		ours.addr.v4 = c->our_addr;
		theirs.addr.v4 = c->their_addr;
		if (vrrp_decide(c->state, &ours, &theirs, c->preempt) !=
		    c->verdict) {
			pr_err("carp selftest: VRRP decision case %d failed\n", i + 1);
			ok = false;
		}
	}
	return ok;
}

/* vrrp_check() of a copy of @ad changed at byte @at to @val, @len long. */
static enum carp_stat vrrp_check_changed(const u8 *ad, size_t adlen,
					 unsigned int len, int at, u8 val,
					 bool v6)
{
	u8 buf[sizeof(vrrp_ad6) + 4] = {};

	memcpy(buf, ad, adlen);
	if (at >= 0)
		buf[at] = val;
	return vrrp_check((const struct vrrp_header *)buf, len, v6);
}

static bool carp_selftest_vrrp_packet(void)
{
	const struct in6_addr s6 = { { { 0xfe, 0x80, [15] = 2 } } };
	const struct in6_addr d6 = { { { 0xff, 0x02, [15] = 0x12 } } };
	const __be32 s4 = htonl(0x0a000002), d4 = CARP_GROUP_V4;
	const struct vrrp_header *h4 = (const void *)vrrp_ad4;
	const struct vrrp_header *h6 = (const void *)vrrp_ad6;
	u8 buf[sizeof(vrrp_ad6)];
	struct vrrp_header *b = (void *)buf;
	bool ok = true;
	int i;
	static const struct {
		bool v6;
		unsigned int len;
		int at;
		u8 val;
		enum carp_stat want;
	} cases[] = {
		{ false, sizeof(vrrp_ad4), -1, 0, CARP_STAT_UNSPEC },
		{ false, sizeof(vrrp_ad4) + 4, -1, 0, CARP_STAT_UNSPEC },
		{ false, 7, -1, 0, CARP_STAT_BADLEN },
		{ false, sizeof(vrrp_ad4) - 1, -1, 0, CARP_STAT_BADLEN },
		{ false, sizeof(vrrp_ad4), 3, 0, CARP_STAT_BADLEN },
		{ false, sizeof(vrrp_ad4), 3, 2, CARP_STAT_BADLEN },
		{ false, sizeof(vrrp_ad4), 0, 0x21, CARP_STAT_BADVER },
		{ false, sizeof(vrrp_ad4), 0, 0x32, CARP_STAT_BADVER },
		{ false, sizeof(vrrp_ad4), 5, 0, CARP_STAT_BADVER },
		{ true, sizeof(vrrp_ad6), -1, 0, CARP_STAT_UNSPEC },
		{ true, sizeof(vrrp_ad6) - 16, -1, 0, CARP_STAT_BADLEN },
		{ true, sizeof(vrrp_ad4), -1, 0, CARP_STAT_BADLEN },
	};

	if (vrrp_hdr_interval(h4) != 100 || vrrp_hdr_interval(h6) != 4095 ||
	    vrrp_csum4(h4, sizeof(vrrp_ad4), s4, d4) ||
	    vrrp_csum6(h6, sizeof(vrrp_ad6), &s6, &d6)) {
		pr_err("carp selftest: VRRP checksum of an intact advertisement\n");
		ok = false;
	}
	/* built: the checksum over a zero field is the one on the wire */
	memcpy(buf, vrrp_ad4, sizeof(vrrp_ad4));
	b->cksum = 0;
	if (vrrp_csum4(b, sizeof(vrrp_ad4), s4, d4) != h4->cksum) {
		pr_err("carp selftest: VRRP IPv4 checksum built\n");
		ok = false;
	}
	memcpy(buf, vrrp_ad6, sizeof(vrrp_ad6));
	b->cksum = 0;
	if (vrrp_csum6(b, sizeof(vrrp_ad6), &s6, &d6) != h6->cksum) {
		pr_err("carp selftest: VRRP IPv6 checksum built\n");
		ok = false;
	}
	/* one bit changed anywhere, or another source: not intact */
	memcpy(buf, vrrp_ad4, sizeof(vrrp_ad4));
	buf[2] ^= 1;
	if (!vrrp_csum4(b, sizeof(vrrp_ad4), s4, d4) ||
	    !vrrp_csum4(h4, sizeof(vrrp_ad4), htonl(0x0a000003), d4)) {
		pr_err("carp selftest: VRRP checksum missed a change\n");
		ok = false;
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const u8 *ad = vrrp_ad4;
		size_t adlen = sizeof(vrrp_ad4);

		if (cases[i].v6) {
			ad = vrrp_ad6;
			adlen = sizeof(vrrp_ad6);
		}
		if (vrrp_check_changed(ad, adlen, cases[i].len, cases[i].at,
				       cases[i].val, cases[i].v6) !=
		    cases[i].want) {
			pr_err("carp selftest: VRRP check case %d failed\n", i + 1);
			ok = false;
		}
	}
	return ok;
}

/*
 * Each protocol's words only (vrrp_config_check()), and VRRPv3's share of
 * the namespace's advertisement budget (vrrp_ads_rate(), per 256 s).
 */
static bool carp_selftest_vrrp_config(void)
{
	static const struct {
		bool vrrp;
		int advbase, advskew, keylen, nnodes, balancing;
		bool peer;
		int prio, interval, preempt;
		int want;
	} cases[] = {
		/* a plain request of either protocol */
		{ false, -1, -1, -1, -1, -1, false, -1, -1, -1, 0 },
		{ true, -1, -1, -1, -1, -1, false, 200, 100, 1, 0 },
		/* CARP's words on a VRRPv3 device; an empty key is no key */
		{ true, 1, -1, -1, -1, -1, false, -1, -1, -1, -EINVAL },
		{ true, -1, 0, -1, -1, -1, false, -1, -1, -1, -EINVAL },
		{ true, -1, -1, 6, -1, -1, false, -1, -1, -1, -EINVAL },
		{ true, -1, -1, 0, -1, -1, false, -1, -1, -1, 0 },
		{ true, -1, -1, -1, 2, -1, false, -1, -1, -1, -EINVAL },
		{ true, -1, -1, -1, -1, CARP_BAL_IP, false, -1, -1, -1, -EINVAL },
		{ true, -1, -1, -1, -1, CARP_BAL_NONE, false, -1, -1, -1, 0 },
		{ true, -1, -1, -1, -1, -1, true, -1, -1, -1, -EINVAL },
		/* VRRPv3's words on a CARP device */
		{ false, -1, -1, -1, -1, -1, false, 100, -1, -1, -EINVAL },
		{ false, -1, -1, -1, -1, -1, false, -1, 100, -1, -EINVAL },
		{ false, -1, -1, -1, -1, -1, false, -1, -1, 0, -EINVAL },
	};
	struct carp_config cfg = {};
	bool ok = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		cfg.advbase = cases[i].advbase;
		cfg.advskew = cases[i].advskew;
		cfg.keylen = cases[i].keylen;
		cfg.nnodes = cases[i].nnodes;
		cfg.balancing = cases[i].balancing;
		cfg.set_peer = cases[i].peer;
		cfg.vrrp_prio = cases[i].prio;
		cfg.vrrp_interval = cases[i].interval;
		cfg.vrrp_preempt = cases[i].preempt;
		cfg.vrrp_family = -1;
		cfg.vrrp_accept = -1;
		if (vrrp_config_check(&cfg, cases[i].vrrp, NULL) !=
		    cases[i].want) {
			pr_err("carp selftest: VRRP config case %u failed\n", i + 1);
			ok = false;
		}
	}
	/* vrrpfamily and vrrpaccept are VRRPv3's words too */
	for (i = 0; i < 4; i++) {
		cfg = (struct carp_config){
			.advbase = -1, .advskew = -1, .keylen = -1,
			.nnodes = -1, .balancing = -1, .vrrp_prio = -1,
			.vrrp_interval = -1, .vrrp_preempt = -1,
			.vrrp_family = i & 1 ? CARP_VRRP_FAMILY_INET6 : -1,
			.vrrp_accept = i & 1 ? -1 : 1,
		};
		if (vrrp_config_check(&cfg, i < 2, NULL) != (i < 2 ? 0 : -EINVAL)) {
			pr_err("carp selftest: VRRP family/accept case %u failed\n",
			       i + 1);
			ok = false;
		}
	}
	/* 1 cs: 100 a second; 4095 cs: one in 40.95 s, rounded up */
	if (vrrp_ads_rate(1) != 25600 || vrrp_ads_rate(100) != 256 ||
	    vrrp_ads_rate(4095) != 7 ||
	    vrrp_interval_check(1, (u64)CARP_ADS_PER_SEC_MAX * 256 - 25600,
				NULL) ||
	    vrrp_interval_check(1, (u64)CARP_ADS_PER_SEC_MAX * 256 - 25599,
				NULL) != -ERANGE) {
		pr_err("carp selftest: VRRP advertisement rate failed\n");
		ok = false;
	}
	return ok;
}

bool __init carp_selftest(void)
{
	bool ok = carp_selftest_hmac() & carp_selftest_decide() &
		  carp_selftest_interval() &
		  carp_selftest_replay() & carp_selftest_flow() &
		  carp_selftest_arp() &
		  carp_selftest_nodes() & carp_selftest_lladdr() &
		  carp_selftest_peers() & carp_selftest_md_race() &
		  carp_selftest_conflict() & carp_selftest_preempt_delay() &
		  carp_selftest_preempt_delay_path() &
		  carp_selftest_vrrp_timers() & carp_selftest_vrrp_decide() &
		  carp_selftest_vrrp_packet() & carp_selftest_vrrp_config();

	if (ok)
		pr_info("carp selftest: all tests passed\n");
	return ok;
}
