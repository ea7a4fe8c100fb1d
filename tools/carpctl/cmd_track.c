// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the track command, demotion while another interface is down
 * (OpenBSD's interface group demotion, keepalived's track_interface):
 * `track add IFNAME [demote N]`, `track del IFNAME`. `demote` lists them.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "carpctl.h"
#include "err.h"
#include "nl.h"
#include "parse.h"

static const char *const track_words[] = { "add", "del" };

/* IFNAME's ifindex in carpctl's netns, or prints and returns 0. */
static unsigned int track_ifindex(const char *ifname)
{
	unsigned int ifindex;

	if (check_ifname("interface name", ifname))
		return 0;
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		sys_err("no interface \"%s\"", esc(ifname));
	return ifindex;
}

static int track_add(int argc, char **argv)
{
	unsigned int ifindex;
	int demote = 0, rc, err;

	if (!argc)
		return syntax_err("track add: missing interface name");
	if (argc > 1) {
		if (match_keyword(argv[1], (const char *const[]){ "demote" }, 1))
			return syntax_err("track add: unknown word \"%s\"",
					  esc(argv[1]));
		if (argc < 3)
			return syntax_err("missing value for demote");
		rc = parse_demote_by(argv[2], &demote);
		if (rc)
			return rc;
		if (argc > 3)
			return syntax_err("track add: unknown word \"%s\"",
					  esc(argv[3]));
	}
	if (check_ifname("interface name", argv[0]))
		return EXIT_SYNTAX;
	rc = nl_open();
	if (rc)
		return rc;
	ifindex = track_ifindex(argv[0]);
	if (!ifindex)
		return EXIT_KERNEL;
	err = nl_new_track(ifindex, demote);
	if (err == -EOPNOTSUPP)
		return unsupported_err("tracked interfaces");
	if (err)
		return kernel_err(err, "cannot track %s", argv[0]);
	return EXIT_OK;
}

static int track_del(int argc, char **argv)
{
	unsigned int ifindex;
	int rc, err;

	if (!argc)
		return syntax_err("track del: missing interface name");
	if (argc > 1)
		return syntax_err("track del: unknown word \"%s\"", esc(argv[1]));
	if (check_ifname("interface name", argv[0]))
		return EXIT_SYNTAX;
	rc = nl_open();
	if (rc)
		return rc;
	ifindex = track_ifindex(argv[0]);
	if (!ifindex)
		return EXIT_KERNEL;
	err = nl_del_track(ifindex);
	if (err == -EOPNOTSUPP)
		return unsupported_err("tracked interfaces");
	if (err)
		return kernel_err(err, "cannot stop tracking %s", argv[0]);
	return EXIT_OK;
}

/* track { add IFNAME [demote N] | del IFNAME } */
int cmd_track(int argc, char **argv)
{
	int k;

	if (!argc)
		return syntax_err("track: add or del? (demote lists the tracked interfaces)");
	k = match_keyword(argv[0], track_words, ARRAY_SIZE(track_words));
	if (k == KW_AMBIGUOUS)
		return ambiguous_err("keyword", argv[0], track_words,
				     ARRAY_SIZE(track_words));
	if (k == KW_NONE)
		return syntax_err("track: unknown word \"%s\" (add or del)",
				  esc(argv[0]));
	return k == 0 ? track_add(argc - 1, argv + 1) :
			track_del(argc - 1, argv + 1);
}
