// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: stats in the Prometheus text exposition format (0.0.4).
 *
 * What a device has once is labelled with its name (device="carp0"); what
 * each of its vhids has (state, advskew, last change) also with the vhid,
 * so that a load-balanced device (carpnodes) gives one series per vhid. A
 * state is one-hot, one sample per state with a "state" label, as
 * node_exporter writes enumerations: a query needs no table of numbers.
 * The counters are grouped by what they count, a dropped advertisement
 * under the name carpctl stats gives its counter (reason="badauth"), and
 * the namespace's counters, which outlive its devices, are families of
 * their own (carp_netns_*), so that a sum over devices counts nothing
 * twice.
 *
 * A VRRPv3 device (carpver 3) has no advbase nor advskew (the kernel
 * reports CARP's defaults, meaningless): it has carp_vrrp_* families
 * instead, and carp_version tells the protocol of each device. Those are
 * written only when some device speaks VRRPv3, so that the output of CARP
 * devices alone stays what it was before VRRPv3.
 *
 * Each family is written whole, its # HELP and # TYPE lines before its
 * first sample: none is announced twice, none without a sample.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "carpctl.h"
#include "device.h"
#include "json.h"
#include "prom.h"

struct prom_family {
	const char *name;
	const char *type;	/* "gauge" or "counter" */
	const char *help;	/* no backslash nor newline: written as is */
};

/*
 * Where the output goes, the family whose header was written last, and
 * the time of the kernel's answers (ms since the epoch).
 */
struct prom {
	FILE *f;
	const struct prom_family *cur;
	uint64_t now_ms;
};

/* The labels of a sample, each left out if NULL (vhid: if negative). */
struct prom_labels {
	const char *device;
	int vhid;
	const char *key;	/* a third label: state, ip_version, reason */
	const char *value;
};

/* ------------------------------------------------------------------ */
/* The families. */

static const struct prom_family fam_state = {
	"carp_state", "gauge",
	"Whether the vhid is in the state of label state (1) or not (0): INIT, BACKUP or MASTER.",
};

static const struct prom_family fam_changed = {
	"carp_state_change_timestamp_seconds", "gauge",
	"When the vhid last changed state, in seconds since the epoch.",
};

static const struct prom_family fam_advskew = {
	"carp_advskew", "gauge",
	"The advertisement skew of the vhid, in 1/256 s.",
};

static const struct prom_family fam_advbase = {
	"carp_advbase_seconds", "gauge",
	"The advertisement base interval of the device.",
};

static const struct prom_family fam_version = {
	"carp_version", "gauge",
	"The protocol the device speaks: 2 (CARP) or 3 (VRRPv3).",
};

static const struct prom_family fam_vrrp_prio = {
	"carp_vrrp_priority", "gauge",
	"The VRRPv3 priority of the device (1..255, 255: the addresses' owner).",
};

static const struct prom_family fam_vrrp_interval = {
	"carp_vrrp_interval_seconds", "gauge",
	"The VRRPv3 advertisement interval of the device.",
};

static const struct prom_family fam_vrrp_master_interval = {
	"carp_vrrp_master_interval_seconds", "gauge",
	"RFC 5798's Master_Adver_Interval of the device: the advertisement interval of the VRRPv3 master it last heard, its own until then.",
};

static const struct prom_family fam_vrrp_preempt = {
	"carp_vrrp_preempt", "gauge",
	"Whether the VRRPv3 device takes over from a master of lower priority (1) or not (0): RFC 5798's Preempt_Mode.",
};

static const struct prom_family fam_vrrp_accept = {
	"carp_vrrp_accept", "gauge",
	"Whether the VRRPv3 device as master accepts packets to the addresses it does not own (1) or not (0): RFC 5798's Accept_Mode.",
};

static const struct prom_family fam_demote = {
	"carp_demote", "gauge",
	"The demotion the device advertises (0..255).",
};

static const struct prom_family fam_demotion = {
	"carp_netns_demotion", "gauge",
	"The administrative demotion of the network namespace (carpctl demote).",
};

static const struct prom_family fam_demotion_adv = {
	"carp_netns_demotion_advertised", "gauge",
	"The demotion of the network namespace as advertised: the administrative one plus 240 per device whose parent lost its link, at most 255.",
};

/* A counter family of the devices, and its twin of the namespace. */
struct counter_family {
	struct prom_family dev, netns;
};

#define NETNS_HELP	" Of the network namespace, deleted devices included."
#define CONFLICTS_HELP	\
	"Conflicts: another master, worse than this one, heard while MASTER."
#define CONFLICT_MS_HELP	\
	"Time from each conflict's first advertisement to its last, in ms."
#define SENT_HELP	"Advertisements sent, by IP version."
#define RECEIVED_HELP	"Advertisements received and accepted, by IP version."
#define DROPPED_HELP	\
	"Advertisements received and dropped, by reason (the counters of carpctl stats)."
#define UNSENT_HELP	\
	"Advertisements not sent, by reason (the counters of carpctl stats)."

static const struct counter_family fam_transitions = {
	{ "carp_transitions_total", "counter", "State changes." },
	{ "carp_netns_transitions_total", "counter",
	  "State changes." NETNS_HELP },
};

/*
 * Counters are integers here, as the kernel keeps them: the time is in
 * ms, the unit of its counter, rather than in fractional seconds.
 */
static const struct counter_family fam_conflicts = {
	{ "carp_conflicts_total", "counter", CONFLICTS_HELP },
	{ "carp_netns_conflicts_total", "counter",
	  CONFLICTS_HELP NETNS_HELP },
};

static const struct counter_family fam_conflict_ms = {
	{ "carp_conflict_milliseconds_total", "counter", CONFLICT_MS_HELP },
	{ "carp_netns_conflict_milliseconds_total", "counter",
	  CONFLICT_MS_HELP NETNS_HELP },
};

static const struct counter_family fam_sent = {
	{ "carp_advertisements_sent_total", "counter", SENT_HELP },
	{ "carp_netns_advertisements_sent_total", "counter",
	  SENT_HELP NETNS_HELP },
};

static const struct counter_family fam_received = {
	{ "carp_advertisements_received_total", "counter", RECEIVED_HELP },
	{ "carp_netns_advertisements_received_total", "counter",
	  RECEIVED_HELP NETNS_HELP },
};

static const struct counter_family fam_dropped = {
	{ "carp_advertisements_dropped_total", "counter", DROPPED_HELP },
	{ "carp_netns_advertisements_dropped_total", "counter",
	  DROPPED_HELP NETNS_HELP },
};

static const struct counter_family fam_unsent = {
	{ "carp_advertisements_unsent_total", "counter", UNSENT_HELP },
	{ "carp_netns_advertisements_unsent_total", "counter",
	  UNSENT_HELP NETNS_HELP },
};

/* The counter families, in the order they are written. */
static const struct counter_family *const counter_families[] = {
	&fam_transitions, &fam_conflicts, &fam_conflict_ms, &fam_sent,
	&fam_received, &fam_dropped, &fam_unsent,
};

/*
 * Where each counter goes. @key is its label; @value that label's value,
 * or NULL for the counter's name (carp_stat_str()). A counter with a name
 * but no family here would be left out: test_output checks there is none.
 */
struct prom_stat {
	const struct counter_family *family;
	const char *key, *value;
};

#define BY_REASON(fam)	{ &(fam), "reason", NULL }

static const struct prom_stat prom_stats[CARP_STAT_MAX + 1] = {
	[CARP_STAT_IPACKETS]	= { &fam_received, "ip_version", "4" },
	[CARP_STAT_IPACKETS6]	= { &fam_received, "ip_version", "6" },
	[CARP_STAT_OPACKETS]	= { &fam_sent, "ip_version", "4" },
	[CARP_STAT_OPACKETS6]	= { &fam_sent, "ip_version", "6" },
	[CARP_STAT_TRANSITIONS]	= { &fam_transitions, NULL, NULL },
	[CARP_STAT_CONFLICTS]	= { &fam_conflicts, NULL, NULL },
	[CARP_STAT_CONFLICT_MS]	= { &fam_conflict_ms, NULL, NULL },
	[CARP_STAT_BADTTL]	= BY_REASON(fam_dropped),
	[CARP_STAT_BADLEN]	= BY_REASON(fam_dropped),
	[CARP_STAT_BADSUM]	= BY_REASON(fam_dropped),
	[CARP_STAT_BADVER]	= BY_REASON(fam_dropped),
	[CARP_STAT_BADAUTH]	= BY_REASON(fam_dropped),
	[CARP_STAT_ECHO]	= BY_REASON(fam_dropped),
	[CARP_STAT_REPLAY]	= BY_REASON(fam_dropped),
	[CARP_STAT_BADSRC]	= BY_REASON(fam_dropped),
	[CARP_STAT_BADVHID]	= BY_REASON(fam_dropped),
	[CARP_STAT_BADIF]	= BY_REASON(fam_dropped),
	[CARP_STAT_ONOMEM]	= BY_REASON(fam_unsent),
};

/* ------------------------------------------------------------------ */
/* Writing samples. */

static void prom_header(struct prom *p, const struct prom_family *fam)
{
	if (p->cur == fam)
		return;
	p->cur = fam;
	fprintf(p->f, "# HELP %s %s\n# TYPE %s %s\n", fam->name, fam->help,
		fam->name, fam->type);
}

/*
 * A label value between double quotes: backslash, double quote and
 * newline escaped as the format says. The format is UTF-8 and a single
 * bad byte makes a scraper refuse the whole file, yet a device name may
 * hold any byte: what is not UTF-8 becomes U+FFFD.
 */
static void prom_label_value(FILE *f, const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t len = strlen(value), i = 0, n;

	putc('"', f);
	while (i < len) {
		n = s[i] < 0x80 ? 1 : utf8_seq_len(s + i, len - i);
		if (s[i] == '\\' || s[i] == '"')
			fprintf(f, "\\%c", s[i]);
		else if (s[i] == '\n')
			fputs("\\n", f);
		else if (n)
			fwrite(s + i, 1, n, f);
		else
			fputs("\xef\xbf\xbd", f);
		i += n ? n : 1;
	}
	putc('"', f);
}

static void prom_label(FILE *f, bool *first, const char *key,
		       const char *value)
{
	fprintf(f, "%s%s=", *first ? "{" : ",", key);
	*first = false;
	prom_label_value(f, value);
}

static void prom_sample(struct prom *p, const struct prom_family *fam,
			const struct prom_labels *l, const char *value)
{
	bool first = true;
	char vhid[12];

	prom_header(p, fam);
	fputs(fam->name, p->f);
	if (l->device)
		prom_label(p->f, &first, "device", l->device);
	if (l->vhid >= 0) {
		snprintf(vhid, sizeof(vhid), "%d", l->vhid);
		prom_label(p->f, &first, "vhid", vhid);
	}
	if (l->key)
		prom_label(p->f, &first, l->key, l->value);
	if (!first)
		putc('}', p->f);
	fprintf(p->f, " %s\n", value);
}

static void prom_u64(struct prom *p, const struct prom_family *fam,
		     const struct prom_labels *l, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	prom_sample(p, fam, l, buf);
}

/*
 * A time in centiseconds (VRRPv3's unit) as seconds, a float of the
 * format written exactly in decimal from the integer (4095: 40.95, 50:
 * 0.5, 100: 1), as the timestamps are from ms: no double to round.
 */
static void prom_cs(struct prom *p, const struct prom_family *fam,
		    const struct prom_labels *l, uint64_t cs)
{
	char buf[32];

	if (cs % 100 == 0)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)cs / 100);
	else if (cs % 10 == 0)
		snprintf(buf, sizeof(buf), "%llu.%llu",
			 (unsigned long long)cs / 100,
			 (unsigned long long)cs % 100 / 10);
	else
		snprintf(buf, sizeof(buf), "%llu.%02llu",
			 (unsigned long long)cs / 100,
			 (unsigned long long)cs % 100);
	prom_sample(p, fam, l, buf);
}

/* ------------------------------------------------------------------ */
/* The devices' families. */

/* A VRRPv3 device: no advbase nor advskew, the carp_vrrp_* families. */
static bool is_vrrp(const struct carp_info *ci)
{
	return ci->version == CARP_PROTO_VRRP;
}

static const int prom_states[] = {
	CARP_STATE_INIT, CARP_STATE_BACKUP, CARP_STATE_MASTER,
};

/* One sample per state, 1 for the vhid's and 0 for the others. */
static void vhid_state(struct prom *p, const struct carp_info *ci,
		       const struct carp_node_info *n)
{
	struct prom_labels l = { ci->ifname, n->vhid, "state", NULL };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(prom_states); k++) {
		l.value = carp_state_str(prom_states[k]);
		prom_u64(p, &fam_state, &l, n->state == prom_states[k]);
	}
}

/* The time of the change, ms precise; nothing if it is not known. */
static void vhid_changed(struct prom *p, const struct carp_info *ci,
			 const struct carp_node_info *n)
{
	struct prom_labels l = { ci->ifname, n->vhid, NULL, NULL };
	uint64_t t;
	char buf[32];

	if (!n->has_last_change || n->last_change_ms > p->now_ms)
		return;
	t = p->now_ms - n->last_change_ms;
	snprintf(buf, sizeof(buf), "%llu.%03llu", (unsigned long long)t / 1000,
		 (unsigned long long)t % 1000);
	prom_sample(p, &fam_changed, &l, buf);
}

/* CARP's only: a VRRPv3 device's is a leftover, always 0. */
static void vhid_advskew(struct prom *p, const struct carp_info *ci,
			 const struct carp_node_info *n)
{
	struct prom_labels l = { ci->ifname, n->vhid, NULL, NULL };

	if (!is_vrrp(ci))
		prom_u64(p, &fam_advskew, &l, n->advskew);
}

/* A family of every vhid of every device, written by @fn for each. */
static void each_vhid(struct prom *p, const struct carp_list *l,
		      void (*fn)(struct prom *p, const struct carp_info *ci,
				 const struct carp_node_info *n))
{
	size_t i, k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->v[i].nnodes; k++)
			fn(p, &l->v[i], &l->v[i].nodes[k]);
}

/*
 * A gauge of each device that has it (@field not negative), its value
 * written by @write: prom_u64(), or prom_cs() for centiseconds.
 */
static void each_device(struct prom *p, const struct carp_list *l,
			const struct prom_family *fam,
			int (*field)(const struct carp_info *ci),
			void (*write)(struct prom *p,
				      const struct prom_family *fam,
				      const struct prom_labels *l, uint64_t v))
{
	struct prom_labels pl = { NULL, -1, NULL, NULL };
	size_t i;

	for (i = 0; i < l->n; i++) {
		pl.device = l->v[i].ifname;
		if (field(&l->v[i]) >= 0)
			write(p, fam, &pl, field(&l->v[i]));
	}
}

/* CARP's only, as advskew. */
static int advbase_of(const struct carp_info *ci)
{
	return is_vrrp(ci) ? -1 : ci->advbase;
}

/* As -j show's carpver: nl.c makes it 2 when an older module has none. */
static int version_of(const struct carp_info *ci)
{
	return ci->version;
}

static int vrrp_prio_of(const struct carp_info *ci)
{
	return is_vrrp(ci) ? ci->vrrp_prio : -1;
}

static int vrrp_interval_of(const struct carp_info *ci)
{
	return is_vrrp(ci) ? ci->vrrp_interval : -1;
}

/* None (0) until the device first left INIT: left out, not written as 0. */
static int vrrp_master_interval_of(const struct carp_info *ci)
{
	return is_vrrp(ci) && ci->vrrp_master_interval > 0 ?
	       ci->vrrp_master_interval : -1;
}

static int vrrp_preempt_of(const struct carp_info *ci)
{
	return is_vrrp(ci) ? ci->vrrp_preempt : -1;
}

/* A module that does not report Accept_Mode (-1) always accepts. */
static int vrrp_accept_of(const struct carp_info *ci)
{
	return is_vrrp(ci) ? ci->vrrp_accept != 0 : -1;
}

/*
 * VRRPv3's families, and the version of every device, only when some
 * device of @l speaks VRRPv3: CARP devices alone get no carp_version.
 */
static void vrrp_families(struct prom *p, const struct carp_list *l)
{
	size_t i;

	for (i = 0; i < l->n && !is_vrrp(&l->v[i]); i++)
		;
	if (i == l->n)
		return;
	each_device(p, l, &fam_version, version_of, prom_u64);
	each_device(p, l, &fam_vrrp_prio, vrrp_prio_of, prom_u64);
	each_device(p, l, &fam_vrrp_interval, vrrp_interval_of, prom_cs);
	each_device(p, l, &fam_vrrp_master_interval, vrrp_master_interval_of,
		    prom_cs);
	each_device(p, l, &fam_vrrp_preempt, vrrp_preempt_of, prom_u64);
	each_device(p, l, &fam_vrrp_accept, vrrp_accept_of, prom_u64);
}

static int demote_of(const struct carp_info *ci)
{
	return ci->demote;
}

/*
 * The counters of @stats that go to @cf, as samples of its device family
 * (@dev) or of its namespace one (@dev NULL).
 */
static void counters(struct prom *p, const struct counter_family *cf,
		     const char *dev, const uint64_t *stats)
{
	struct prom_labels l = { dev, -1, NULL, NULL };
	int s;

	for (s = 0; s <= CARP_STAT_MAX; s++) {
		if (prom_stats[s].family != cf || !carp_stat_str(s) ||
		    (dev && carp_stat_netns_only(s)))
			continue;
		l.key = prom_stats[s].key;
		l.value = prom_stats[s].value ? prom_stats[s].value :
			  carp_stat_str(s);
		prom_u64(p, dev ? &cf->dev : &cf->netns, &l, stats[s]);
	}
}

static void device_counters(struct prom *p, const struct carp_list *l)
{
	size_t f, i;

	for (f = 0; f < ARRAY_SIZE(counter_families); f++)
		for (i = 0; i < l->n; i++)
			counters(p, counter_families[f], l->v[i].ifname,
				 l->v[i].stats);
}

/* ------------------------------------------------------------------ */
/* The namespace's families. */

static void netns_families(struct prom *p, const struct carp_netinfo *ni)
{
	struct prom_labels none = { NULL, -1, NULL, NULL };
	size_t f;

	prom_u64(p, &fam_demotion, &none, ni->demotion);
	prom_u64(p, &fam_demotion_adv, &none, ni->demote);
	for (f = 0; f < ARRAY_SIZE(counter_families); f++)
		counters(p, counter_families[f], NULL, ni->stats);
}

void stats_prometheus(FILE *f, const struct carp_list *l,
		      const struct carp_netinfo *ni, uint64_t now_ms)
{
	struct prom p = { .f = f, .now_ms = now_ms };

	each_vhid(&p, l, vhid_state);
	each_vhid(&p, l, vhid_changed);
	each_vhid(&p, l, vhid_advskew);
	each_device(&p, l, &fam_advbase, advbase_of, prom_u64);
	vrrp_families(&p, l);
	each_device(&p, l, &fam_demote, demote_of, prom_u64);
	device_counters(&p, l);
	if (ni)
		netns_families(&p, ni);
}
