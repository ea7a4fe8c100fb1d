// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the names of states, reasons, balancing and MAC modes and
 * counters, as every command prints them (and the completion and the
 * manual spell them).
 */
#include "carpctl.h"
#include "device.h"

const char *carp_state_str(int state)
{
	switch (state) {
	case CARP_STATE_INIT:
		return "INIT";
	case CARP_STATE_BACKUP:
		return "BACKUP";
	case CARP_STATE_MASTER:
		return "MASTER";
	}
	return "UNKNOWN";
}

/* The kind of a change, as the JSON output and CARP_REASON name it. */
static const char *const reason_names[] = {
	[CARP_REASON_UNSPEC]		= "unknown",
	[CARP_REASON_MASTER_DOWN]	= "master-down",
	[CARP_REASON_PREEMPT]		= "preempt",
	[CARP_REASON_PREEMPTED]		= "preempted",
	[CARP_REASON_DEMOTED]		= "demoted",
	[CARP_REASON_ADMIN]		= "admin",
	[CARP_REASON_LINK_UP]		= "link-up",
	[CARP_REASON_LINK_DOWN]		= "link-down",
	[CARP_REASON_DEVICE_DOWN]	= "device-down",
	[CARP_REASON_CONFIG]		= "config",
};

const char *carp_reason_str(int reason)
{
	if (reason < 0 || reason >= (int)ARRAY_SIZE(reason_names) ||
	    !reason_names[reason])
		return "unknown";
	return reason_names[reason];
}

const char *const carp_balancing_words[CARP_BAL_MAX + 1] = {
	[CARP_BAL_NONE]		= "none",
	[CARP_BAL_IP]		= "ip",
	[CARP_BAL_IP_STEALTH]	= "ip-stealth",
	[CARP_BAL_IP_UNICAST]	= "ip-unicast",
	[CARP_BAL_ARP]		= "arp",
};

const char *carp_balancing_str(int bal)
{
	if (bal < 0 || bal > CARP_BAL_MAX || !carp_balancing_words[bal])
		return "unknown";
	return carp_balancing_words[bal];
}

const char *const carp_lladdr_words[CARP_LLADDR_MAX + 1] = {
	[CARP_LLADDR_VIRTUAL]	= "virtual",
	[CARP_LLADDR_PARENT]	= "parent",
};

const char *carp_lladdr_str(int lladdr)
{
	if (lladdr < 0 || lladdr > CARP_LLADDR_MAX ||
	    !carp_lladdr_words[lladdr])
		return "unknown";
	return carp_lladdr_words[lladdr];
}

/* ip(8)'s words for the two families, as vrrpfamily takes them. */
const char *carp_vrrp_family_str(int family)
{
	switch (family) {
	case CARP_VRRP_FAMILY_INET:
		return "inet";
	case CARP_VRRP_FAMILY_INET6:
		return "inet6";
	}
	return "unknown";
}

static const char *const stat_names[CARP_STAT_MAX + 1] = {
	[CARP_STAT_IPACKETS]	= "ipackets",
	[CARP_STAT_OPACKETS]	= "opackets",
	[CARP_STAT_BADTTL]	= "badttl",
	[CARP_STAT_BADLEN]	= "badlen",
	[CARP_STAT_BADSUM]	= "badsum",
	[CARP_STAT_BADVER]	= "badver",
	[CARP_STAT_BADAUTH]	= "badauth",
	[CARP_STAT_ECHO]	= "echo",
	[CARP_STAT_ONOMEM]	= "onomem",
	[CARP_STAT_TRANSITIONS]	= "transitions",
	[CARP_STAT_REPLAY]	= "replay",
	[CARP_STAT_BADVHID]	= "badvhid",
	[CARP_STAT_BADIF]	= "badif",
	[CARP_STAT_BADSRC]	= "badsrc",
	[CARP_STAT_IPACKETS6]	= "ipackets6",
	[CARP_STAT_OPACKETS6]	= "opackets6",
	[CARP_STAT_CONFLICTS]	= "conflicts",
	[CARP_STAT_CONFLICT_MS]	= "conflict_ms",
};

const char *carp_stat_str(int stat)
{
	if (stat < 0 || stat > CARP_STAT_MAX)
		return NULL;
	return stat_names[stat];
}

/*
 * These count advertisements that no device could take: only the network
 * namespace has them.
 */
bool carp_stat_netns_only(int stat)
{
	return stat == CARP_STAT_BADVHID || stat == CARP_STAT_BADIF;
}
