// SPDX-License-Identifier: GPL-2.0
/*
 * The CARP state machine: INIT, BACKUP, MASTER, driven by two timers and by
 * received advertisements, as FreeBSD's carp_setrun()/carp_input_c(). Each
 * vhid of a device (struct carp_vhost) runs its own.
 *
 * Every function taking a struct carp_vhost here runs with carp->lock
 * held, except carp_do_tx() and the timer callbacks, which take it
 * themselves. They return CARP_TX_* bits: what to send once the lock is
 * dropped. The carp_*_all() helpers take the lock for each vhid in turn.
 */
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/time64.h>

#include "carp.h"

/* Interval in 1/256 s: how the BSDs compare two senders. */
static u32 carp_tv(u8 advbase, u8 advskew)
{
	return (u32)advbase * 256 + advskew;
}

/*
 * Master-down time in 1/256 s of a BACKUP advertising @p. With advbase 1
 * or more it is 3 x advbase + advskew/256, as both BSDs have it: a backup
 * waits three whole master intervals, and its advskew only orders the
 * backups. At advbase 0 that formula degenerates to advskew/256, a single
 * interval of its own: a backup at advskew 2 behind a master at advskew 1
 * would take over after two of the master's intervals, on the first late
 * advertisement. There OpenBSD waits three of its own intervals,
 * 3 x advskew/256, and so do we: the rule is the same "three intervals
 * lost", only the interval is the backup's own.
 */
static u32 carp_md_tv(const struct carp_prio *p)
{
	if (!p->advbase)
		return 3 * (u32)p->advskew;
	return 3 * carp_tv(p->advbase, 0) + p->advskew;
}

/* Advertisements per 256 s of a vhid at @advbase and @advskew as MASTER. */
u32 carp_ads_rate(u8 advbase, u8 advskew)
{
	return DIV_ROUND_UP(256 * 256, carp_tv(advbase, advskew));
}

/*
 * Whether @nodes at @advbase may run, the other vhids of the namespace
 * asking for @others advertisements per 256 s. Pure: the selftest runs it.
 *
 * advbase 0 makes the interval advskew/256 s alone: advskew 0 would be an
 * interval of zero, a timer firing without end. OpenBSD silently sends
 * every 1/256 s then; we refuse it, so that what is configured is what is
 * advertised.
 *
 * The vhids of a namespace together, each counted as if MASTER, may ask
 * for CARP_ADS_PER_SEC_MAX advertisements a second: each one is built,
 * signed and sent from a timer in softirq context, and checked by every
 * BACKUP. Past what the CPUs can do the timers slip, and a late
 * advertisement is a takeover nobody asked for: a request that would
 * pass the bound is refused rather than accepted and left to slip.
 */
int carp_interval_check(u8 advbase, const struct carp_nodes *nodes,
			u64 others, struct netlink_ext_ack *extack)
{
	u64 rate = others;
	unsigned int i;

	for (i = 0; i < nodes->n; i++) {
		if (!advbase && !nodes->node[i].advskew) {
			NL_SET_ERR_MSG(extack,
				       "advbase 0 needs an advskew of 1 or more (the interval is advskew/256 s)");
			return -EINVAL;
		}
		rate += carp_ads_rate(advbase, nodes->node[i].advskew);
	}
	static_assert(CARP_ADS_PER_SEC_MAX == 16384, "the message says 16384");
	if (rate > (u64)CARP_ADS_PER_SEC_MAX * 256) {
		NL_SET_ERR_MSG(extack,
			       "the carp devices of this namespace would send more than 16384 advertisements a second: use longer intervals");
		return -ERANGE;
	}
	return 0;
}

/*
 * Start @t to fire in @tv/256 s. High-resolution timers, run in softirq
 * context as the timer wheel's are: the wheel rounds a 1 s timer up by up
 * to 1/8 (HZ=250: 1000 ms fires at 1024 ms, 3390 ms at up to 3584 ms),
 * which would delay every advertisement and every takeover.
 */
static void carp_arm(struct hrtimer *t, u32 tv)
{
	hrtimer_start(t, ns_to_ktime(div_u64((u64)tv * NSEC_PER_SEC, 256)),
		      HRTIMER_MODE_REL_SOFT);
}

/* The same in VRRPv3's unit, centiseconds. */
static void vrrp_arm(struct hrtimer *t, u32 cs)
{
	hrtimer_start(t, ns_to_ktime((u64)cs * 10 * NSEC_PER_MSEC),
		      HRTIMER_MODE_REL_SOFT);
}

const char *carp_state_name(enum carp_state state)
{
	switch (state) {
	case CARP_STATE_INIT:
		return "INIT";
	case CARP_STATE_BACKUP:
		return "BACKUP";
	case CARP_STATE_MASTER:
		return "MASTER";
	}
	return "?";
}

/* Rank key: demotion above everything, then the interval. */
static u32 carp_prio_key(const struct carp_prio *p)
{
	return (u32)p->demote << 16 | carp_tv(p->advbase, p->advskew);
}

/*
 * What @vh advertises: the device's advbase, and the vhid's advskew plus
 * the namespace's demotion (as FreeBSD folds it in, so that peers which
 * ignore the demote byte, FreeBSD's and ucarp, yield too), capped at the
 * largest skew; the demote byte carries the demotion for OpenBSD. The
 * timers and every comparison use exactly these values.
 */
void carp_prio_own(const struct carp_vhost *vh, struct carp_prio *prio)
{
	int demote = READ_ONCE(vh->carp->cn->demote);

	prio->demote = demote;
	prio->advbase = vh->carp->advbase;
	prio->advskew = min_t(int, vh->advskew + demote, CARP_ADVSKEW_MAX);
}

/* Does @parent own every address of @vips6 (and is there one)? */
static bool vrrp_owner6(const struct net_device *parent,
			const struct carp_vips6 *vips6)
{
	unsigned int i;

	if (!vips6 || !vips6->n)
		return false;
	for (i = 0; i < vips6->n; i++) {
		if (!carp_parent_has_addr6(parent, &vips6->addr[i]))
			return false;
	}
	return true;
}

/*
 * Does the parent own every virtual address of @carp's family (and is
 * there one)? Then it is what RFC 5798 calls the address owner. Under
 * RCU.
 */
static bool vrrp_owner(const struct carp_dev *carp)
{
	const struct carp_port *port = READ_ONCE(carp->port);
	const struct carp_vips *vips = rcu_dereference(carp->vips);
	unsigned int i;

	if (!port)
		return false;
	if (carp_is_vrrp6(carp))
		return vrrp_owner6(port->parent, rcu_dereference(carp->vips6));
	if (!vips || !vips->n)
		return false;
	for (i = 0; i < vips->n; i++) {
		if (!carp_parent_has_addr(port->parent, vips->addr[i]))
			return false;
	}
	return true;
}

/*
 * Does @carp, a MASTER, refuse the wire's packets to its addresses? A
 * VRRPv3 device without Accept_Mode does, unless it owns them (RFC 5798
 * 6.4.3): a virtual router that is not the owner forwards for the
 * address, it is not the host behind it. ARP and neighbour discovery are
 * the callers' to let through. Under RCU (the ingress hook).
 */
bool vrrp_refuses(const struct carp_dev *carp)
{
	return carp_is_vrrp(carp) && !READ_ONCE(carp->vrrp_accept) &&
	       !vrrp_owner(carp);
}

/*
 * The priority a VRRPv3 vhid advertises and is compared by: the
 * configured one less the namespace's demotion (as CARP adds it to the
 * advskew), never below 1 (0 is a bow-out). 255 is the address owner's
 * (RFC 5798 5.2.4): configured on a host whose parent does not own every
 * virtual address, it is 254, so that a mistaken 255 cannot take an
 * owner's place (an owner becomes MASTER at once, and always wins).
 * carp->lock held.
 */
u8 vrrp_prio_own(const struct carp_vhost *vh)
{
	const struct carp_dev *carp = vh->carp;
	int demote = READ_ONCE(carp->cn->demote);
	int prio = carp->vrrp_prio;

	if (prio == VRRP_PRIO_OWNER) {
		rcu_read_lock();
		if (!vrrp_owner(carp))
			prio--;
		rcu_read_unlock();
	}
	return max(prio - demote, 1);
}

/*
 * What a valid advertisement from another host means for us. Pure, so the
 * selftest can run every case. "Better" is the lower carp_prio_key().
 *
 * A MASTER steps down when the other master is at least as good. A BACKUP
 * takes over at once when preempting a worse master (@preempt: allowed
 * now, see carp_may_preempt()), or when that master
 * advertises so rarely that it would time out anyway (its interval exceeds
 * our master-down time, carp_md_tv(), whatever its demotion); otherwise it
 * restarts its master-down timer.
 */
enum carp_verdict carp_decide(enum carp_state state,
			      const struct carp_prio *ours,
			      const struct carp_prio *theirs, bool preempt)
{
	u32 key = carp_prio_key(ours), their_key = carp_prio_key(theirs);

	switch (state) {
	case CARP_STATE_MASTER:
		return key >= their_key ? CARP_V_STEP_DOWN : CARP_V_NONE;
	case CARP_STATE_BACKUP:
		if (preempt && key < their_key)
			return CARP_V_PREEMPT;
		if (carp_md_tv(ours) < carp_tv(theirs->advbase, theirs->advskew))
			return CARP_V_STALE;
		return CARP_V_WAIT;
	case CARP_STATE_INIT:
		break;
	}
	return CARP_V_NONE;
}

/* The device's state: the best of its vhids' (MASTER > BACKUP > INIT). */
static enum carp_state carp_dev_state(const struct carp_dev *carp)
{
	const struct carp_vhosts *vhs = carp_vhosts(carp);
	enum carp_state best = CARP_STATE_INIT;
	unsigned int i;

	for (i = 0; i < vhs->n; i++) {
		if (vhs->vh[i].state == CARP_STATE_MASTER)
			return CARP_STATE_MASTER;
		if (vhs->vh[i].state == CARP_STATE_BACKUP)
			best = CARP_STATE_BACKUP;
	}
	return best;
}

/*
 * Every state change goes through here: logged, counted, reported to the
 * "monitor" group (@why: enum carp_reason, the kind of @reason). The
 * device's own state, and its carrier, follow.
 */
static void carp_set_state(struct carp_vhost *vh, enum carp_state state,
			   enum carp_reason why, const char *reason)
{
	struct carp_dev *carp = vh->carp;
	enum carp_state old = vh->state;

	if (old == state)
		return;
	/* as the BSDs log every transition; a flapping pair is rate-limited */
	if (READ_ONCE(carp->cn->log) >= 1 && net_ratelimit())
		netdev_info(carp->dev, "vhid %u: %s -> %s (%s)\n", vh->vhid,
			    carp_state_name(old), carp_state_name(state),
			    reason);
	WRITE_ONCE(vh->state, state);
	/* joining the protocol starts the preempt delay: carp_may_preempt() */
	if (old == CARP_STATE_INIT)
		vh->joined_ns = ktime_get_ns();
	/* the leading vhid's announcements are a MASTER's too */
	if (old == CARP_STATE_MASTER && vh == &carp_vhosts(carp)->vh[0])
		carp_announce_stop(carp);
	/* a conflict is a MASTER's: any change ends the one in progress */
	vh->conflict = (struct carp_conflict){};
	vh->last_change = get_jiffies_64();
	vh->last_reason = reason;
	vh->last_why = why;
	carp->last_change = vh->last_change;
	carp->last_reason = reason;
	carp->last_why = why;
	carp_stat_inc(carp, CARP_STAT_TRANSITIONS);

	state = carp_dev_state(carp);
	if (state != carp->state) {
		WRITE_ONCE(carp->state, state);
		/* operstate follows the device's state: UP only as MASTER */
		if (state == CARP_STATE_MASTER)
			netif_carrier_on(carp->dev);
		else
			netif_carrier_off(carp->dev);
	}
	/* under carp->lock: one device's events leave in order */
	carp_nl_notify_state(vh, old, vh->state, why, reason);
}

static void carp_arm_ad(struct carp_vhost *vh)
{
	struct carp_prio own;

	if (carp_is_vrrp(vh->carp)) {
		vrrp_arm(&vh->ad_timer, vh->carp->vrrp_interval);
		return;
	}
	carp_prio_own(vh, &own);
	carp_arm(&vh->ad_timer, carp_tv(own.advbase, own.advskew));
}

/*
 * BACKUP waits its master-down time for a master: see carp_md_tv(); in
 * VRRPv3, Master_Down_Interval by the master's learnt interval.
 */
static void carp_arm_md(struct carp_vhost *vh)
{
	struct carp_prio own;

	if (carp_is_vrrp(vh->carp)) {
		vrrp_arm(&vh->md_timer,
			 vrrp_master_down_cs(vrrp_prio_own(vh), vh->master_int));
		return;
	}
	carp_prio_own(vh, &own);
	carp_arm(&vh->md_timer, carp_md_tv(&own));
}

/* Is the parent able to carry advertisements? */
static bool carp_parent_ok(const struct carp_port *port)
{
	return port && netif_running(port->parent) &&
	       netif_carrier_ok(port->parent);
}

/*
 * Can the device take part at all: allowed in its netns, up, parent up
 * with carrier.
 */
bool carp_can_run(const struct carp_dev *carp)
{
	return READ_ONCE(carp->cn->allow) &&
	       netif_running(carp->dev) && carp_parent_ok(carp->port);
}

/*
 * A new MASTER advertises at once and announces the addresses so that
 * neighbours and switches learn where they now live. With load balancing
 * only the MASTER of the first vhid does (it answers ARP: see
 * carp_leads()); the others' takeovers change nothing a neighbour knows.
 */
static unsigned int carp_become_master(struct carp_vhost *vh,
				       enum carp_reason why,
				       const char *reason)
{
	hrtimer_try_to_cancel(&vh->md_timer);
	carp_set_state(vh, CARP_STATE_MASTER, why, reason);
	carp_arm_ad(vh);
	if (vh != &carp_vhosts(vh->carp)->vh[0])
		return CARP_TX_AD;
	return CARP_TX_AD | CARP_TX_GARP;
}

/* Leave the protocol: no timers, no advertisements. */
unsigned int carp_set_init(struct carp_vhost *vh, enum carp_reason why,
			   const char *reason)
{
	unsigned int tx = vh->state == CARP_STATE_MASTER ? CARP_TX_BOWOUT : 0;

	hrtimer_try_to_cancel(&vh->ad_timer);
	hrtimer_try_to_cancel(&vh->md_timer);
	carp_set_state(vh, CARP_STATE_INIT, why, reason);
	return tx;
}

/*
 * (Re)start the protocol after a change of link, configuration or timing:
 * INIT becomes BACKUP and waits for a master; BACKUP restarts its wait; a
 * MASTER keeps its role on the new interval.
 */
unsigned int carp_setrun(struct carp_vhost *vh)
{
	struct carp_dev *carp = vh->carp;

	if (!READ_ONCE(carp->cn->allow))
		return carp_set_init(vh, CARP_REASON_CONFIG,
				     "disabled by net.carp.allow");
	if (!netif_running(carp->dev))
		return carp_set_init(vh, CARP_REASON_DEVICE_DOWN,
				     "device down");
	if (!carp_can_run(carp))
		return carp_set_init(vh, CARP_REASON_LINK_DOWN,
				     "parent link down");

	switch (vh->state) {
	case CARP_STATE_INIT:
		/*
		 * VRRPv3's Startup (RFC 5798 6.4.1): the address owner is
		 * MASTER at once; the others wait a Master_Down_Interval of
		 * their own advertisement interval.
		 */
		if (carp_is_vrrp(carp)) {
			vh->master_int = carp->vrrp_interval;
			if (vrrp_prio_own(vh) == VRRP_PRIO_OWNER)
				return carp_become_master(vh,
							  CARP_REASON_LINK_UP,
							  "link up, address owner");
		}
		carp_set_state(vh, CARP_STATE_BACKUP, CARP_REASON_LINK_UP,
			       "link up");
		fallthrough;
	case CARP_STATE_BACKUP:
		hrtimer_try_to_cancel(&vh->ad_timer);
		carp_arm_md(vh);
		break;
	case CARP_STATE_MASTER:
		hrtimer_try_to_cancel(&vh->md_timer);
		carp_arm_ad(vh);
		break;
	}
	return 0;
}

/*
 * The administrator's `state master|backup` (as FreeBSD's ifconfig carp0
 * state): MASTER takes over now; BACKUP leaves MASTER with a bow-out so a
 * backup elsewhere takes over at once. From there the protocol runs on.
 * The caller checked carp_can_run().
 */
unsigned int carp_force_state(struct carp_vhost *vh, enum carp_state state)
{
	unsigned int tx = 0;

	if (state == CARP_STATE_MASTER) {
		if (vh->state == CARP_STATE_MASTER)
			return CARP_TX_AD;
		return carp_become_master(vh, CARP_REASON_ADMIN,
					  "forced by admin");
	}
	if (vh->state == CARP_STATE_MASTER)
		tx = CARP_TX_BOWOUT;
	hrtimer_try_to_cancel(&vh->ad_timer);
	carp_set_state(vh, CARP_STATE_BACKUP, CARP_REASON_ADMIN,
		       "forced by admin");
	carp_arm_md(vh);
	return tx;
}

/* Is @p a bow-out, a leaving MASTER's last word (see carp_build_advert())? */
static bool carp_prio_bowout(const struct carp_prio *p)
{
	return p->advbase == CARP_BOWOUT_ADVBASE &&
	       p->advskew == CARP_BOWOUT_ADVSKEW;
}

/*
 * One more advertisement at @now (ns) of a master worse than us, the
 * MASTER, with @c the conflict so far. Pure, so the selftest can run it.
 *
 * Its advertisements belong to one conflict while they come no further
 * apart than three of its intervals (a backup would have declared it down
 * past that); the time between them is the time both were MASTER as far
 * as we can know it, returned in whole ms in @ms (the rest carried in @c).
 * A conflict's first advertisement is reported and re-announced at once;
 * then we re-announce at most once per CARP_CONFLICT_ANNOUNCE_NS, as a
 * master that keeps advertising cannot hear us, and flooding it would not
 * change that.
 */
unsigned int carp_conflict_step(struct carp_conflict *c, u64 now,
				const struct carp_prio *theirs, u64 *ms)
{
	u64 window = div_u64(3ULL * carp_tv(theirs->advbase, theirs->advskew) *
			     NSEC_PER_SEC, 256);
	unsigned int what = 0;
	u64 dual;

	*ms = 0;
	if (c->last_ns && now >= c->last_ns && now - c->last_ns <= window) {
		dual = c->rem_ns + (now - c->last_ns);
		*ms = div_u64(dual, NSEC_PER_MSEC);
		c->rem_ns = dual - *ms * NSEC_PER_MSEC;
		if (now - c->announced_ns >= CARP_CONFLICT_ANNOUNCE_NS)
			what |= CARP_CONFLICT_ANNOUNCE;
	} else {
		c->rem_ns = 0;
		what |= CARP_CONFLICT_NEW | CARP_CONFLICT_ANNOUNCE;
	}
	c->last_ns = now;
	if (what & CARP_CONFLICT_ANNOUNCE)
		c->announced_ns = now;
	return what;
}

/*
 * We are MASTER and another master, worse than us, advertised: two
 * masters, as after a switch between them healed. The BSDs wait for our
 * next regular advertisement to make it step down, and neighbours keep
 * what the other one announced meanwhile (its gratuitous ARP, the switch's
 * forwarding entry for the virtual MAC) until then. We advertise now, so
 * that it steps down at once, and announce our addresses again, as
 * keepalived's master does when it hears a lower priority; the caller
 * reports a new conflict with the other master's address.
 */
static unsigned int carp_conflict(struct carp_vhost *vh,
				  const struct carp_prio *theirs)
{
	struct carp_dev *carp = vh->carp;
	unsigned int what, tx = 0;
	u64 ms;

	what = carp_conflict_step(&vh->conflict, ktime_get_ns(), theirs, &ms);
	if (ms)
		carp_stat_add(carp, CARP_STAT_CONFLICT_MS, ms);
	if (what & CARP_CONFLICT_NEW) {
		carp_stat_inc(carp, CARP_STAT_CONFLICTS);
		tx |= CARP_TX_CONFLICT;
	}
	if (what & CARP_CONFLICT_ANNOUNCE) {
		tx |= CARP_TX_AD;
		/* as carp_become_master(): only the leading vhid answers ARP */
		if (vh == &carp_vhosts(carp)->vh[0])
			tx |= CARP_TX_GARP;
	}
	return tx;
}

/*
 * Has net.carp.preempt_delay ended: have @delay seconds passed from
 * @joined, when the vhid last left INIT, to @now? Both are
 * ktime_get_ns(), read under carp->lock in that order, so @now is never
 * the earlier one. Pure, so the selftest can run it.
 */
bool carp_preempt_delay_over(u64 now, u64 joined, unsigned int delay)
{
	return now - joined >= (u64)delay * NSEC_PER_SEC;
}

/*
 * May @vh preempt a worse master now: net.carp.preempt is on, and the
 * vhid joined the protocol (INIT to BACKUP: carp0, its parent or the
 * parent's link came up, net.carp.allow, a new vhid) at least
 * net.carp.preempt_delay seconds ago. A host that has just booted thus
 * leaves a working master alone until the services behind the addresses
 * are up. Until then it is a BACKUP as with preempt off, and only that:
 * the master-down timer and a stale master (CARP_V_STALE) still make it
 * MASTER, so the delay never leaves a vhid without a master.
 *
 * No timer ends the delay. The master it holds back from is alive (or our
 * master-down timer takes over anyway) and not stale, so it advertises
 * again within our master-down time, one of its intervals in practice:
 * that advertisement finds the delay over and preempts, exactly as when
 * preempt is switched on at run time. A timer would only save that one
 * interval, and would need stopping with the others on every way out of
 * BACKUP. The delay is read on each advertisement, so changing it moves
 * the end of every delay in progress.
 */
static bool carp_may_preempt(const struct carp_vhost *vh)
{
	const struct carp_net *cn = vh->carp->cn;
	/* VRRPv3's Preempt_Mode is the device's; the delay is the netns's */
	bool preempt = carp_is_vrrp(vh->carp) ? vh->carp->vrrp_preempt :
						READ_ONCE(cn->preempt);

	return preempt &&
	       carp_preempt_delay_over(ktime_get_ns(), vh->joined_ns,
				       READ_ONCE(cn->preempt_delay));
}

unsigned int carp_advert_received(struct carp_vhost *vh,
				  const struct carp_prio *theirs)
{
	bool preempt = carp_may_preempt(vh);
	struct carp_prio own, undemoted;
	enum carp_reason why;

	carp_prio_own(vh, &own);
	switch (carp_decide(vh->state, &own, theirs, preempt)) {
	case CARP_V_STEP_DOWN:
		/* would we have stayed MASTER without our demotion? */
		undemoted = (struct carp_prio){
			.advbase = vh->carp->advbase,
			.advskew = vh->advskew,
		};
		why = own.demote &&
		      carp_decide(CARP_STATE_MASTER, &undemoted, theirs,
				  preempt) == CARP_V_NONE ?
		      CARP_REASON_DEMOTED : CARP_REASON_PREEMPTED;
		hrtimer_try_to_cancel(&vh->ad_timer);
		carp_set_state(vh, CARP_STATE_BACKUP, why,
			       "a better master advertised");
		carp_arm_md(vh);
		break;
	case CARP_V_PREEMPT:
		return carp_become_master(vh, CARP_REASON_PREEMPT,
					  "preempting a worse master");
	case CARP_V_STALE:
		return carp_become_master(vh, CARP_REASON_MASTER_DOWN,
					  "remote master is stale");
	case CARP_V_WAIT:
		carp_arm_md(vh);
		break;
	case CARP_V_NONE:
		if (vh->state == CARP_STATE_MASTER && !carp_prio_bowout(theirs))
			return carp_conflict(vh, theirs);
		break;
	}
	return 0;
}

/*
 * A valid VRRPv3 advertisement of priority and primary address @theirs and
 * interval @interval (cs) for @vh, as RFC 5798 6.4.2 (BACKUP) and 6.4.3
 * (MASTER) act on it: see vrrp_decide(). A backup learns the master's
 * interval from every advertisement it listens to (Master_Adver_Interval).
 * With preemption, a worse master's advertisements are ignored and the
 * master-down timer, left running, takes over: VRRP preempts by timer, not
 * on the advertisement, so the worse master hears nothing until we are
 * MASTER. @ours holds our primary address of the advertisement's family
 * (read by the caller before it took the lock); our priority is filled
 * in here. carp->lock held.
 */
unsigned int vrrp_advert_received(struct carp_vhost *vh,
				  struct vrrp_prio *ours,
				  const struct vrrp_prio *theirs, u16 interval)
{
	enum vrrp_verdict v;

	ours->priority = vrrp_prio_own(vh);
	v = vrrp_decide(vh->state, ours, theirs, carp_may_preempt(vh));
	switch (v) {
	case VRRP_V_STEP_DOWN:
		vh->master_int = interval;
		hrtimer_try_to_cancel(&vh->ad_timer);
		carp_set_state(vh, CARP_STATE_BACKUP,
			       READ_ONCE(vh->carp->cn->demote) ?
			       CARP_REASON_DEMOTED : CARP_REASON_PREEMPTED,
			       "a better master advertised");
		carp_arm_md(vh);
		break;
	case VRRP_V_WAIT:
		vh->master_int = interval;
		carp_arm_md(vh);
		break;
	case VRRP_V_SKEW:
		/* it bowed out: the best backup takes over first */
		vrrp_arm(&vh->md_timer, vrrp_skew_cs(ours->priority,
						     vh->master_int));
		break;
	case VRRP_V_ADVERTISE:
		/* another one bowed out: tell the backups we are here */
		carp_arm_ad(vh);
		return CARP_TX_AD;
	case VRRP_V_NONE:
		break;
	}
	return 0;
}

/* Send what a state change of @vh asked for; carp->lock must not be held. */
void carp_do_tx(struct carp_vhost *vh, unsigned int tx)
{
	struct carp_dev *carp = vh->carp;
	struct carp_port *port = READ_ONCE(carp->port);
	struct sk_buff *skb = NULL;

	/* detached meanwhile (carp_detach()): nowhere to send */
	if (!port)
		return;
	/* a bow-out needs a parent that can still send */
	if ((tx & CARP_TX_BOWOUT) &&
	    (!netif_running(port->parent) || !netif_carrier_ok(port->parent)))
		tx &= ~CARP_TX_BOWOUT;
	if (tx & (CARP_TX_AD | CARP_TX_BOWOUT)) {
		spin_lock_bh(&carp->lock);
		if (tx & CARP_TX_BOWOUT)
			skb = carp_build_advert(vh, true);
		else if (vh->state == CARP_STATE_MASTER)
			skb = carp_build_advert(vh, false);
		spin_unlock_bh(&carp->lock);
		if (skb)
			carp_send_adverts(skb);
	}
	/* with the parent's MAC, the neighbours have a new MAC to learn */
	if (tx & CARP_TX_GARP)
		carp_announce(carp, carp_real_mac(carp));
}

/*
 * The device-wide operations, under RTNL (the set of vhids cannot change
 * meanwhile): each vhid in turn under carp->lock, then what it asked to
 * send.
 */

/* carp_setrun() every vhid; with @advertise a MASTER announces itself. */
void carp_setrun_all(struct carp_dev *carp, bool advertise)
{
	struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	unsigned int i, tx;

	for (i = 0; i < vhs->n; i++) {
		spin_lock_bh(&carp->lock);
		tx = carp_setrun(&vhs->vh[i]);
		if (advertise && vhs->vh[i].state == CARP_STATE_MASTER)
			tx |= CARP_TX_AD;
		spin_unlock_bh(&carp->lock);
		carp_do_tx(&vhs->vh[i], tx);
	}
}

/* Every vhid to INIT, a MASTER bowing out; the timers may still be armed. */
void carp_set_init_all(struct carp_dev *carp, enum carp_reason why,
		       const char *reason)
{
	struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	unsigned int i, tx;

	for (i = 0; i < vhs->n; i++) {
		spin_lock_bh(&carp->lock);
		tx = carp_set_init(&vhs->vh[i], why, reason);
		spin_unlock_bh(&carp->lock);
		carp_do_tx(&vhs->vh[i], tx);
	}
}

/* The administrator forces every vhid (as OpenBSD's `state`). */
void carp_force_state_all(struct carp_dev *carp, enum carp_state state)
{
	struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	unsigned int i, tx;

	for (i = 0; i < vhs->n; i++) {
		tx = 0;
		spin_lock_bh(&carp->lock);
		if (carp_can_run(carp))
			tx = carp_force_state(&vhs->vh[i], state);
		spin_unlock_bh(&carp->lock);
		carp_do_tx(&vhs->vh[i], tx);
	}
}

static enum hrtimer_restart carp_ad_timeout(struct hrtimer *t)
{
	struct carp_vhost *vh = container_of(t, struct carp_vhost, ad_timer);
	struct carp_dev *carp = vh->carp;
	struct sk_buff *skb = NULL;

	spin_lock_bh(&carp->lock);
	if (vh->state == CARP_STATE_MASTER) {
		skb = carp_build_advert(vh, false);
		carp_arm_ad(vh);
	}
	spin_unlock_bh(&carp->lock);
	if (skb)
		carp_send_adverts(skb);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart carp_md_timeout(struct hrtimer *t)
{
	struct carp_vhost *vh = container_of(t, struct carp_vhost, md_timer);
	struct carp_dev *carp = vh->carp;
	unsigned int tx = 0;

	spin_lock_bh(&carp->lock);
	/*
	 * While this callback waited for the lock, an advertisement may
	 * have come in and re-armed the timer (carp_advert_received(),
	 * under the lock; hrtimer_start() on a running timer queues it
	 * again): the master is alive and this expiry is stale. Taking
	 * over now would make two masters until the next advertisement.
	 * The lock orders the re-arm before this check.
	 */
	if (vh->state == CARP_STATE_BACKUP && !hrtimer_is_queued(t))
		tx = carp_become_master(vh, CARP_REASON_MASTER_DOWN,
					"master timed out");
	spin_unlock_bh(&carp->lock);
	carp_do_tx(vh, tx);
	return HRTIMER_NORESTART;
}

/*
 * A set of vhids for @carp, every one INIT with its timers ready and a
 * random counter to start from (as the BSDs). Not yet published.
 */
struct carp_vhosts *carp_vhosts_alloc(struct carp_dev *carp,
				      const struct carp_nodes *nodes)
{
	struct carp_vhosts *vhs;
	struct carp_vhost *vh;
	unsigned int i;

	vhs = kzalloc(struct_size(vhs, vh, nodes->n), GFP_KERNEL_ACCOUNT);
	if (!vhs)
		return NULL;
	vhs->n = nodes->n;
	for (i = 0; i < vhs->n; i++) {
		vh = &vhs->vh[i];
		vh->carp = carp;
		vh->vhid = nodes->node[i].vhid;
		vh->advskew = nodes->node[i].advskew;
		vh->state = CARP_STATE_INIT;
		hrtimer_init(&vh->ad_timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_SOFT);
		vh->ad_timer.function = carp_ad_timeout;
		hrtimer_init(&vh->md_timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_SOFT);
		vh->md_timer.function = carp_md_timeout;
		get_random_bytes(&vh->counter, sizeof(vh->counter));
	}
	return vhs;
}

/*
 * Called in process context once every vhid is INIT: the callbacks re-arm
 * only as MASTER or BACKUP (the announcements' only while leading: see
 * carp_announce()), so after these no timer can come back. RTNL.
 */
void carp_timers_stop(struct carp_dev *carp)
{
	struct carp_vhosts *vhs = rtnl_dereference(carp->vhosts);
	unsigned int i;

	for (i = 0; i < vhs->n; i++) {
		hrtimer_cancel(&vhs->vh[i].ad_timer);
		hrtimer_cancel(&vhs->vh[i].md_timer);
	}
	timer_delete_sync(&carp->garp_timer);
}
