// SPDX-License-Identifier: GPL-2.0
/*
 * carp: Common Address Redundancy Protocol for Linux.
 *
 * Module entry: per-netns state and sysctls, notifiers, registration.
 */
#include <linux/module.h>
#include <linux/inetdevice.h>
#include <linux/sysctl.h>
#include <linux/sched/signal.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "carp.h"
#include "compat.h"

unsigned int carp_net_id __read_mostly;

static int carp_demote_max = CARP_DEMOTE_MAX;
static int carp_log_max = 2;
static int carp_preempt_delay_max = CARP_PREEMPT_DELAY_MAX;
static int carp_garp_repeat_max = CARP_GARP_REPEAT_MAX;

/* Parse an int sysctl write into @val without storing it yet. */
static int carp_sysctl_parse(CARP_CTL_CONST struct ctl_table *table,
			     int write, void *buffer, size_t *lenp,
			     loff_t *ppos, int *val)
{
	struct ctl_table tmp = *table;

	*val = READ_ONCE(*(int *)table->data);
	tmp.data = val;
	return proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
}

/*
 * allow and demotion concern every carp device of the netns: a write is
 * applied under RTNL (trylock, as devinet's sysctls: never sleep on RTNL
 * in a sysctl handler).
 */
static int carp_sysctl_allow(CARP_CTL_CONST struct ctl_table *table,
			     int write, void *buffer, size_t *lenp,
			     loff_t *ppos)
{
	struct carp_net *cn = container_of((int *)table->data,
					   struct carp_net, allow);
	int val, err;

	err = carp_sysctl_parse(table, write, buffer, lenp, ppos, &val);
	if (err || !write)
		return err;
	if (!rtnl_trylock())
		return restart_syscall();
	if (cn->allow != val) {
		WRITE_ONCE(cn->allow, val);
		carp_net_rerun(cn, false);
	}
	rtnl_unlock();
	return 0;
}

static int carp_sysctl_demotion(CARP_CTL_CONST struct ctl_table *table,
				int write, void *buffer, size_t *lenp,
				loff_t *ppos)
{
	struct carp_net *cn = container_of((int *)table->data,
					   struct carp_net, demotion);
	int val, err;

	err = carp_sysctl_parse(table, write, buffer, lenp, ppos, &val);
	if (err || !write)
		return err;
	if (!rtnl_trylock())
		return restart_syscall();
	carp_demote_adjust(cn, val - cn->demotion);
	rtnl_unlock();
	return 0;
}

/* net.carp.*: a template, copied for each netns with .data pointed there. */
enum {
	CARP_SYSCTL_PREEMPT,
	CARP_SYSCTL_ALLOW,
	CARP_SYSCTL_LOG,
	CARP_SYSCTL_DEMOTION,
	CARP_SYSCTL_PREEMPT_DELAY,
	CARP_SYSCTL_GARP_REPEAT,
	CARP_SYSCTL_N
};

static struct ctl_table carp_sysctl_template[CARP_SYSCTL_N + 1] = {
	[CARP_SYSCTL_PREEMPT] = {
		.procname	= "preempt",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	[CARP_SYSCTL_ALLOW] = {
		.procname	= "allow",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= carp_sysctl_allow,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	[CARP_SYSCTL_LOG] = {
		.procname	= "log",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &carp_log_max,
	},
	[CARP_SYSCTL_DEMOTION] = {
		.procname	= "demotion",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= carp_sysctl_demotion,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &carp_demote_max,
	},
	/*
	 * Read on each advertisement (carp_may_preempt()): like preempt, a
	 * write needs no lock and takes effect at the next one.
	 */
	[CARP_SYSCTL_PREEMPT_DELAY] = {
		.procname	= "preempt_delay",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &carp_preempt_delay_max,
	},
	/* read at each takeover: see carp_announce() */
	[CARP_SYSCTL_GARP_REPEAT] = {
		.procname	= "garp_repeat",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &carp_garp_repeat_max,
	},
	{ }
};

static int __net_init carp_net_init(struct net *net)
{
	struct carp_net *cn = carp_pernet(net);
	struct ctl_table *table;
	int err;

	INIT_LIST_HEAD(&cn->ports);
	carp_demotion_net_init(cn);
	cn->preempt = 0;
	cn->preempt_delay = 0;
	cn->allow = 1;
	cn->log = 1;
	cn->garp_repeat = CARP_GARP_REPEAT_DEFAULT;

	table = kmemdup(carp_sysctl_template, sizeof(carp_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[CARP_SYSCTL_PREEMPT].data = &cn->preempt;
	table[CARP_SYSCTL_ALLOW].data = &cn->allow;
	table[CARP_SYSCTL_LOG].data = &cn->log;
	table[CARP_SYSCTL_DEMOTION].data = &cn->demotion;
	table[CARP_SYSCTL_PREEMPT_DELAY].data = &cn->preempt_delay;
	table[CARP_SYSCTL_GARP_REPEAT].data = &cn->garp_repeat;
	cn->sysctl_hdr = carp_register_net_sysctl(net, "net/carp", table,
						  ARRAY_SIZE(carp_sysctl_template) - 1);
	if (!cn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	err = carp_arp_hooks_register(net);
	if (err) {
		unregister_net_sysctl_table(cn->sysctl_hdr);
		kfree(table);
	}
	return err;
}

static void __net_exit carp_net_exit(struct net *net)
{
	struct carp_net *cn = carp_pernet(net);
	const struct ctl_table *table = cn->sysctl_hdr->ctl_table_arg;

	carp_arp_hooks_unregister(net);
	unregister_net_sysctl_table(cn->sysctl_hdr);
	kfree(table);
	carp_demotion_net_exit(cn);
}

/* Runs before the core's own device cleanup of a dying netns. */
static void __net_exit carp_net_exit_batch(struct list_head *net_list)
{
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		carp_port_destroy_all(net, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations carp_net_ops = {
	.init		= carp_net_init,
	.exit		= carp_net_exit,
	.exit_batch	= carp_net_exit_batch,
	.id		= &carp_net_id,
	.size		= sizeof(struct carp_net),
};

static struct notifier_block carp_netdev_nb = {
	.notifier_call = carp_netdev_event,
};

static struct notifier_block carp_inetaddr_nb = {
	.notifier_call = carp_inetaddr_event,
};

static struct notifier_block carp_inet6addr_nb = {
	.notifier_call = carp_inet6addr_event,
};

static int __init carp_init(void)
{
	int err;

	if (!carp_selftest())
		return -ENOTRECOVERABLE;

	err = register_pernet_device(&carp_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&carp_netdev_nb);
	if (err)
		goto err_pernet;
	err = register_inetaddr_notifier(&carp_inetaddr_nb);
	if (err)
		goto err_netdev_nb;
	err = register_inet6addr_notifier(&carp_inet6addr_nb);
	if (err)
		goto err_inetaddr_nb;
	err = rtnl_link_register(&carp_link_ops);
	if (err)
		goto err_inet6addr_nb;
	err = carp_demotion_register();
	if (err)
		goto err_link;
	err = carp_genl_init();
	if (err)
		goto err_demotion;
	pr_info("CARP (Common Address Redundancy Protocol) loaded\n");
	return 0;

err_demotion:
	carp_demotion_unregister();
err_link:
	rtnl_link_unregister(&carp_link_ops);
err_inet6addr_nb:
	unregister_inet6addr_notifier(&carp_inet6addr_nb);
err_inetaddr_nb:
	unregister_inetaddr_notifier(&carp_inetaddr_nb);
err_netdev_nb:
	unregister_netdevice_notifier(&carp_netdev_nb);
err_pernet:
	unregister_pernet_device(&carp_net_ops);
	return err;
}

static void __exit carp_exit(void)
{
	carp_genl_exit();
	/* no hold is taken any more; the pernet exits cancel queued work */
	carp_demotion_unregister();
	rtnl_link_unregister(&carp_link_ops);	/* deletes every carp device */
	unregister_inet6addr_notifier(&carp_inet6addr_nb);
	unregister_inetaddr_notifier(&carp_inetaddr_nb);
	unregister_netdevice_notifier(&carp_netdev_nb);
	unregister_pernet_device(&carp_net_ops);
	rcu_barrier();	/* kfree_rcu() of ports and address lists */
}

module_init(carp_init);
module_exit(carp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CARP: Common Address Redundancy Protocol");
MODULE_AUTHOR("The carp authors");
MODULE_VERSION("0.1.0");
MODULE_ALIAS_RTNL_LINK("carp");
MODULE_ALIAS_GENL_FAMILY(CARP_GENL_NAME);
