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

/*
 * Start (@add) or stop tracking @ifname, resolved in carpctl's netns:
 * the exit status, said why.
 */
static int track_request(const char *ifname, bool add, int demote)
{
	unsigned int ifindex;
	int rc, err;

	if (check_ifname("interface name", ifname))
		return EXIT_SYNTAX;
	rc = nl_open();
	if (rc)
		return rc;
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		return sys_err("no interface \"%s\"", esc(ifname));
	err = add ? nl_new_track(ifindex, demote) : nl_del_track(ifindex);
	if (err)
		return kernel_err(err, add ? "cannot track %s" :
				  "cannot stop tracking %s", ifname);
	return EXIT_OK;
}

static int track_add(int argc, char **argv)
{
	int demote = 0, rc;

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
	return track_request(argv[0], true, demote);
}

static int track_del(int argc, char **argv)
{
	if (!argc)
		return syntax_err("track del: missing interface name");
	if (argc > 1)
		return syntax_err("track del: unknown word \"%s\"", esc(argv[1]));
	return track_request(argv[0], false, 0);
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
