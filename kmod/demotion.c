// SPDX-License-Identifier: GPL-2.0
/*
 * Demotions that follow the health of the host, besides the
 * administrator's (net.carp.demotion) and the lost parent links':
 *
 * - A hold: a demotion that a netlink socket holds off. `carpctl hold NAME
 *   demote N -- COMMAND` takes one and lives exactly as long as COMMAND.
 *   When the socket closes, whatever the cause (exit, crash, kill -9, the
 *   OOM killer), the hold fires, and its N counts until a socket takes the
 *   hold again (the service is back) or it is deleted. Nothing polls: the
 *   netlink core tells us of every socket it releases (NETLINK_URELEASE).
 * - A tracked interface: its N counts while that interface of the netns is
 *   down or has no carrier (OpenBSD's interface group demotion,
 *   keepalived's track_interface).
 *
 * Both add to what the netns advertises (carp_net_demote_update()), so a
 * MASTER advertises its new priority at once and a BACKUP with
 * net.carp.preempt=1 takes over at once.
 *
 * Locking: the lists of struct carp_net change under RTNL (the holds'
 * under hold_lock as well), and so do hold_demotion and track_demotion.
 * The release notifier runs in the context of the closing task, possibly
 * with locks held that RTNL nests inside, so it must not take RTNL: under
 * hold_lock it only marks the holds of that socket released (at once, so
 * that a new socket given the same port id can never be taken for the old
 * one) and queues hold_work, which applies their demotion under RTNL.
 */
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "carp.h"

/* The hold named @name, or NULL. RTNL. */
static struct carp_hold *carp_hold_find(struct carp_net *cn, const char *name)
{
	struct carp_hold *h;

	list_for_each_entry(h, &cn->holds, node) {
		if (!strcmp(h->name, name))
			return h;
	}
	return NULL;
}

/*
 * Apply what hold_work was queued for: every released hold not yet counted
 * now counts. RTNL.
 */
static void carp_holds_fire(struct carp_net *cn)
{
	struct carp_hold *h;
	bool released;

	ASSERT_RTNL();
	list_for_each_entry(h, &cn->holds, node) {
		spin_lock_bh(&cn->hold_lock);
		released = h->released;
		spin_unlock_bh(&cn->hold_lock);
		if (!released || h->fired)
			continue;
		h->fired = true;
		cn->hold_demotion += h->demote;
	}
	carp_net_demote_update(cn);
}

static void carp_hold_work(struct work_struct *work)
{
	struct carp_net *cn = container_of(work, struct carp_net, hold_work);

	rtnl_lock();
	carp_holds_fire(cn);
	rtnl_unlock();
}

/*
 * Take the hold @name for the socket @portid, demoting by @demote once it
 * fires: a new hold, or one whose socket closed (taken again: its
 * demotion, if it counted, no longer does), or this socket's own (a new
 * @demote). RTNL.
 */
int carp_hold_take(struct carp_net *cn, const char *name, u8 demote,
		   u32 portid, struct netlink_ext_ack *extack)
{
	struct carp_hold *h;

	ASSERT_RTNL();
	if (!*name) {
		NL_SET_ERR_MSG(extack, "a hold needs a name");
		return -EINVAL;
	}
	h = carp_hold_find(cn, name);
	if (!h) {
		if (cn->nholds >= CARP_HOLDS_MAX) {
			NL_SET_ERR_MSG(extack, "too many holds in this namespace");
			return -ENOSPC;
		}
		h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
		if (!h)
			return -ENOMEM;
		strscpy(h->name, name, sizeof(h->name));
		h->released = true;
		cn->nholds++;
		spin_lock_bh(&cn->hold_lock);
		list_add_tail(&h->node, &cn->holds);
	} else {
		spin_lock_bh(&cn->hold_lock);
	}
	if (!h->released && h->portid != portid) {
		spin_unlock_bh(&cn->hold_lock);
		NL_SET_ERR_MSG(extack, "the hold is held by another socket");
		return -EBUSY;
	}
	h->portid = portid;
	h->released = false;
	spin_unlock_bh(&cn->hold_lock);
	if (h->fired)
		cn->hold_demotion -= h->demote;
	h->fired = false;
	h->demote = demote;
	carp_net_demote_update(cn);
	return 0;
}

static void carp_hold_free(struct carp_net *cn, struct carp_hold *h)
{
	if (h->fired)
		cn->hold_demotion -= h->demote;
	spin_lock_bh(&cn->hold_lock);
	list_del(&h->node);
	spin_unlock_bh(&cn->hold_lock);
	cn->nholds--;
	kfree(h);
}

/* Delete the hold @name, held or not, and its demotion. RTNL. */
int carp_hold_del(struct carp_net *cn, const char *name,
		  struct netlink_ext_ack *extack)
{
	struct carp_hold *h;

	ASSERT_RTNL();
	h = carp_hold_find(cn, name);
	if (!h) {
		NL_SET_ERR_MSG(extack, "no such hold");
		return -ENOENT;
	}
	carp_hold_free(cn, h);
	carp_net_demote_update(cn);
	return 0;
}

/*
 * The netlink core releases a bound socket: the holds of a generic
 * netlink socket of that port id in that netns are released. The socket
 * holds a reference on its netns, so the netns, and our data in it, live
 * through this call; hold_work is cancelled before they go.
 */
static int carp_netlink_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;
	struct carp_net *cn;
	struct carp_hold *h;
	bool any = false;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	cn = carp_pernet(n->net);
	if (!cn)
		return NOTIFY_DONE;
	/* entries are added and deleted under hold_lock too */
	spin_lock_bh(&cn->hold_lock);
	list_for_each_entry(h, &cn->holds, node) {
		if (!h->released && h->portid == n->portid) {
			h->released = true;
			h->portid = 0;
			any = true;
		}
	}
	spin_unlock_bh(&cn->hold_lock);
	if (any)
		schedule_work(&cn->hold_work);
	return NOTIFY_DONE;
}

static struct notifier_block carp_netlink_nb = {
	.notifier_call = carp_netlink_event,
};

/* The tracked interface @ifindex, or NULL. RTNL. */
static struct carp_track *carp_track_find(struct carp_net *cn, int ifindex)
{
	struct carp_track *t;

	list_for_each_entry(t, &cn->tracks, node) {
		if (t->ifindex == ifindex)
			return t;
	}
	return NULL;
}

/* Count @t as down or not, as @dev is now. RTNL. */
static void carp_track_update(struct carp_net *cn, struct carp_track *t,
			      const struct net_device *dev)
{
	bool down = !netif_running(dev) || !netif_carrier_ok(dev);

	if (down == t->down)
		return;
	t->down = down;
	cn->track_demotion += down ? t->demote : -t->demote;
	carp_net_demote_update(cn);
}

/* Track @ifindex of @net, or change its demotion. RTNL. */
int carp_track_add(struct net *net, int ifindex, u8 demote,
		   struct netlink_ext_ack *extack)
{
	struct carp_net *cn = carp_pernet(net);
	struct net_device *dev;
	struct carp_track *t;

	ASSERT_RTNL();
	dev = __dev_get_by_index(net, ifindex);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such interface to track");
		return -ENODEV;
	}
	/* its carrier follows its state: it would demote itself */
	if (dev->rtnl_link_ops == &carp_link_ops) {
		NL_SET_ERR_MSG(extack, "a carp device cannot be tracked");
		return -EINVAL;
	}
	t = carp_track_find(cn, ifindex);
	if (t) {
		/* counted again below with its new demotion */
		if (t->down)
			cn->track_demotion -= t->demote;
		t->down = false;
	} else {
		if (cn->ntracks >= CARP_TRACKS_MAX) {
			NL_SET_ERR_MSG(extack, "too many tracked interfaces in this namespace");
			return -ENOSPC;
		}
		t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
		if (!t)
			return -ENOMEM;
		t->ifindex = ifindex;
		list_add_tail(&t->node, &cn->tracks);
		cn->ntracks++;
	}
	t->demote = demote;
	carp_track_update(cn, t, dev);
	carp_net_demote_update(cn);
	return 0;
}

static void carp_track_free(struct carp_net *cn, struct carp_track *t)
{
	if (t->down)
		cn->track_demotion -= t->demote;
	list_del(&t->node);
	cn->ntracks--;
	kfree(t);
}

/* Stop tracking @ifindex. RTNL. */
int carp_track_del(struct carp_net *cn, int ifindex,
		   struct netlink_ext_ack *extack)
{
	struct carp_track *t;

	ASSERT_RTNL();
	t = carp_track_find(cn, ifindex);
	if (!t) {
		NL_SET_ERR_MSG(extack, "that interface is not tracked");
		return -ENOENT;
	}
	carp_track_free(cn, t);
	carp_net_demote_update(cn);
	return 0;
}

/*
 * Every netdev event (carp_netdev_event(), RTNL): a tracked interface that
 * goes down, loses or regains its carrier, or leaves the netns (unregister,
 * or moved: the old netns sees it unregister).
 */
void carp_track_event(struct net_device *dev, unsigned long event)
{
	struct carp_net *cn = carp_pernet(dev_net(dev));
	struct carp_track *t;

	/* notifiers run for a new netns's devices before our pernet init */
	if (!cn || list_empty(&cn->tracks))
		return;
	t = carp_track_find(cn, dev->ifindex);
	if (!t)
		return;
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		carp_track_update(cn, t, dev);
		break;
	case NETDEV_UNREGISTER:
		carp_track_free(cn, t);
		carp_net_demote_update(cn);
		break;
	}
}

void carp_demotion_net_init(struct carp_net *cn)
{
	INIT_LIST_HEAD(&cn->holds);
	INIT_LIST_HEAD(&cn->tracks);
	spin_lock_init(&cn->hold_lock);
	INIT_WORK(&cn->hold_work, carp_hold_work);
}

/*
 * The netns goes: no socket of it is left to release a hold, and its
 * devices are gone, so nothing queues hold_work again once it is
 * cancelled.
 */
void carp_demotion_net_exit(struct carp_net *cn)
{
	struct carp_track *t, *tt;
	struct carp_hold *h, *th;

	cancel_work_sync(&cn->hold_work);
	list_for_each_entry_safe(h, th, &cn->holds, node) {
		list_del(&h->node);
		kfree(h);
	}
	list_for_each_entry_safe(t, tt, &cn->tracks, node) {
		list_del(&t->node);
		kfree(t);
	}
}

int carp_demotion_register(void)
{
	return netlink_register_notifier(&carp_netlink_nb);
}

void carp_demotion_unregister(void)
{
	netlink_unregister_notifier(&carp_netlink_nb);
}
