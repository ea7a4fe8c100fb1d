// SPDX-License-Identifier: GPL-2.0
/*
 * The CARP state machine: INIT, BACKUP, MASTER, driven by two timers and by
 * received advertisements, as FreeBSD's carp_setrun()/carp_input_c().
 *
 * Every function taking a struct carp_dev here runs with carp->lock held,
 * except carp_do_tx() and the timer callbacks, which take it themselves.
 * They return CARP_TX_* bits: what to send once the lock is dropped.
 */
#include <linux/jiffies.h>
#include <linux/time64.h>

#include "carp.h"

/* Interval in 1/256 s: how the BSDs compare two senders. */
static u32 carp_tv(u8 advbase, u8 advskew)
{
	return (u32)advbase * 256 + advskew;
}

static unsigned long carp_tv_jiffies(u32 tv)
{
	return usecs_to_jiffies((u64)tv * USEC_PER_SEC / 256);
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
 * What we advertise: the configured advbase, and the configured advskew
 * plus the namespace's demotion (as FreeBSD folds it in, so that peers
 * which ignore the demote byte, FreeBSD's and ucarp, yield too), capped
 * at the largest skew; the demote byte carries the demotion for OpenBSD.
 * The timers and every comparison use exactly these values.
 */
void carp_prio_own(const struct carp_dev *carp, struct carp_prio *prio)
{
	int demote = READ_ONCE(carp->cn->demote);

	prio->demote = demote;
	prio->advbase = carp->advbase;
	prio->advskew = min_t(int, carp->advskew + demote, CARP_ADVSKEW_MAX);
}

/*
 * What a valid advertisement from another host means for us. Pure, so the
 * selftest can run every case. "Better" is the lower carp_prio_key().
 *
 * A MASTER steps down when the other master is at least as good. A BACKUP
 * takes over at once when preempting a worse master, or when that master
 * advertises so rarely that it would time out anyway (its interval exceeds
 * our master-down time of 3 x advbase + advskew/256, whatever its
 * demotion); otherwise it restarts its master-down timer.
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
		if (3 * carp_tv(ours->advbase, 0) + ours->advskew <
		    carp_tv(theirs->advbase, theirs->advskew))
			return CARP_V_STALE;
		return CARP_V_WAIT;
	case CARP_STATE_INIT:
		break;
	}
	return CARP_V_NONE;
}

/*
 * Every state change goes through here: logged, counted, reported to the
 * "monitor" group (@why: enum carp_reason, the kind of @reason).
 */
static void carp_set_state(struct carp_dev *carp, enum carp_state state,
			   enum carp_reason why, const char *reason)
{
	enum carp_state old = carp->state;

	if (old == state)
		return;
	/* as the BSDs log every transition; a flapping pair is rate-limited */
	if (READ_ONCE(carp->cn->log) >= 1 && net_ratelimit())
		netdev_info(carp->dev, "vhid %u: %s -> %s (%s)\n", carp->vhid,
			    carp_state_name(old), carp_state_name(state),
			    reason);
	WRITE_ONCE(carp->state, state);
	carp->last_change = get_jiffies_64();
	carp->last_reason = reason;
	carp->last_why = why;
	carp_stat_inc(carp, CARP_STAT_TRANSITIONS);
	/* operstate follows the CARP state: UP only as MASTER */
	if (state == CARP_STATE_MASTER)
		netif_carrier_on(carp->dev);
	else
		netif_carrier_off(carp->dev);
	/* under carp->lock: one device's events leave in order */
	carp_nl_notify_state(carp, old, state, why, reason);
}

static void carp_arm_ad(struct carp_dev *carp)
{
	struct carp_prio own;

	carp_prio_own(carp, &own);
	mod_timer(&carp->ad_timer, jiffies +
		  carp_tv_jiffies(carp_tv(own.advbase, own.advskew)));
}

/* BACKUP waits 3 x advbase + advskew/256 s for a master (FreeBSD). */
static void carp_arm_md(struct carp_dev *carp)
{
	struct carp_prio own;

	carp_prio_own(carp, &own);
	mod_timer(&carp->md_timer, jiffies +
		  carp_tv_jiffies(carp_tv(own.advbase, 0) * 3 + own.advskew));
}

/* Is the parent able to carry advertisements? */
static bool carp_parent_ok(const struct carp_port *port)
{
	return port && netif_running(port->parent) &&
	       netif_carrier_ok(port->parent);
}

/*
 * Can the device take part at all: configured, allowed in its netns, up,
 * parent up with carrier.
 */
bool carp_can_run(const struct carp_dev *carp)
{
	return carp->vhid && READ_ONCE(carp->cn->allow) &&
	       netif_running(carp->dev) && carp_parent_ok(carp->port);
}

static unsigned int carp_become_master(struct carp_dev *carp,
				       enum carp_reason why,
				       const char *reason)
{
	del_timer(&carp->md_timer);
	carp_set_state(carp, CARP_STATE_MASTER, why, reason);
	carp_arm_ad(carp);
	return CARP_TX_AD | CARP_TX_GARP;
}

/* Leave the protocol: no timers, no advertisements. */
unsigned int carp_set_init(struct carp_dev *carp, enum carp_reason why,
			   const char *reason)
{
	unsigned int tx = carp->state == CARP_STATE_MASTER ? CARP_TX_BOWOUT : 0;

	del_timer(&carp->ad_timer);
	del_timer(&carp->md_timer);
	carp_set_state(carp, CARP_STATE_INIT, why, reason);
	return tx;
}

/*
 * (Re)start the protocol after a change of link, configuration or timing:
 * INIT becomes BACKUP and waits for a master; BACKUP restarts its wait; a
 * MASTER keeps its role on the new interval.
 */
unsigned int carp_setrun(struct carp_dev *carp)
{
	if (!carp->vhid)
		return carp_set_init(carp, CARP_REASON_CONFIG, "no vhid");
	if (!READ_ONCE(carp->cn->allow))
		return carp_set_init(carp, CARP_REASON_CONFIG,
				     "disabled by net.carp.allow");
	if (!netif_running(carp->dev))
		return carp_set_init(carp, CARP_REASON_DEVICE_DOWN,
				     "device down");
	if (!carp_can_run(carp))
		return carp_set_init(carp, CARP_REASON_LINK_DOWN,
				     "parent link down");

	switch (carp->state) {
	case CARP_STATE_INIT:
		carp_set_state(carp, CARP_STATE_BACKUP, CARP_REASON_LINK_UP,
			       "link up");
		fallthrough;
	case CARP_STATE_BACKUP:
		del_timer(&carp->ad_timer);
		carp_arm_md(carp);
		break;
	case CARP_STATE_MASTER:
		del_timer(&carp->md_timer);
		carp_arm_ad(carp);
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
unsigned int carp_force_state(struct carp_dev *carp, enum carp_state state)
{
	unsigned int tx = 0;

	if (state == CARP_STATE_MASTER) {
		if (carp->state == CARP_STATE_MASTER)
			return CARP_TX_AD;
		return carp_become_master(carp, CARP_REASON_ADMIN,
					  "forced by admin");
	}
	if (carp->state == CARP_STATE_MASTER)
		tx = CARP_TX_BOWOUT;
	del_timer(&carp->ad_timer);
	carp_set_state(carp, CARP_STATE_BACKUP, CARP_REASON_ADMIN,
		       "forced by admin");
	carp_arm_md(carp);
	return tx;
}

unsigned int carp_advert_received(struct carp_dev *carp,
				  const struct carp_prio *theirs,
				  bool preempt)
{
	struct carp_prio own, undemoted;
	enum carp_reason why;

	carp_prio_own(carp, &own);
	switch (carp_decide(carp->state, &own, theirs, preempt)) {
	case CARP_V_STEP_DOWN:
		/* would we have stayed MASTER without our demotion? */
		undemoted = (struct carp_prio){
			.advbase = carp->advbase,
			.advskew = carp->advskew,
		};
		why = own.demote &&
		      carp_decide(CARP_STATE_MASTER, &undemoted, theirs,
				  preempt) == CARP_V_NONE ?
		      CARP_REASON_DEMOTED : CARP_REASON_PREEMPTED;
		del_timer(&carp->ad_timer);
		carp_set_state(carp, CARP_STATE_BACKUP, why,
			       "a better master advertised");
		carp_arm_md(carp);
		break;
	case CARP_V_PREEMPT:
		return carp_become_master(carp, CARP_REASON_PREEMPT,
					  "preempting a worse master");
	case CARP_V_STALE:
		return carp_become_master(carp, CARP_REASON_MASTER_DOWN,
					  "remote master is stale");
	case CARP_V_WAIT:
		carp_arm_md(carp);
		break;
	case CARP_V_NONE:
		break;
	}
	return 0;
}

/* Send what a state change asked for; carp->lock must not be held. */
void carp_do_tx(struct carp_dev *carp, unsigned int tx)
{
	struct carp_port *port = READ_ONCE(carp->port);
	struct sk_buff *skb = NULL;

	/* a bow-out needs a parent that can still send */
	if ((tx & CARP_TX_BOWOUT) &&
	    (!port || !netif_running(port->parent) ||
	     !netif_carrier_ok(port->parent)))
		tx &= ~CARP_TX_BOWOUT;
	if (tx & (CARP_TX_AD | CARP_TX_BOWOUT)) {
		spin_lock_bh(&carp->lock);
		if (tx & CARP_TX_BOWOUT)
			skb = carp_build_advert(carp, true);
		else if (carp->state == CARP_STATE_MASTER)
			skb = carp_build_advert(carp, false);
		spin_unlock_bh(&carp->lock);
		if (skb)
			carp_send_adverts(skb);
	}
	if (tx & CARP_TX_GARP)
		carp_send_garp(carp);
}

static void carp_ad_timeout(struct timer_list *t)
{
	struct carp_dev *carp = from_timer(carp, t, ad_timer);
	struct sk_buff *skb = NULL;

	spin_lock_bh(&carp->lock);
	if (carp->state == CARP_STATE_MASTER) {
		skb = carp_build_advert(carp, false);
		carp_arm_ad(carp);
	}
	spin_unlock_bh(&carp->lock);
	if (skb)
		carp_send_adverts(skb);
}

static void carp_md_timeout(struct timer_list *t)
{
	struct carp_dev *carp = from_timer(carp, t, md_timer);
	unsigned int tx = 0;

	spin_lock_bh(&carp->lock);
	if (carp->state == CARP_STATE_BACKUP)
		tx = carp_become_master(carp, CARP_REASON_MASTER_DOWN,
					"master timed out");
	spin_unlock_bh(&carp->lock);
	carp_do_tx(carp, tx);
}

void carp_timers_init(struct carp_dev *carp)
{
	timer_setup(&carp->ad_timer, carp_ad_timeout, 0);
	timer_setup(&carp->md_timer, carp_md_timeout, 0);
}

/*
 * Called in process context once the device is INIT: the callbacks re-arm
 * only as MASTER or BACKUP, so after these no timer can come back.
 */
void carp_timers_stop(struct carp_dev *carp)
{
	del_timer_sync(&carp->ad_timer);
	del_timer_sync(&carp->md_timer);
}
