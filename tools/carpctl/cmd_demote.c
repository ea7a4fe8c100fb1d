// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl: the demote command (the network namespace's demotion, and
 * the holds and tracked interfaces that add to it).
 */
#include <errno.h>
#include <stdio.h>

#include "carpctl.h"
#include "device.h"
#include "err.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

static int read_net(struct carp_netinfo *ni)
{
	int err;

	err = nl_get_net(ni);
	if (err)
		return kernel_err(err, "cannot read the demotion");
	return EXIT_OK;
}

/*
 *   hold nginx demote 240 held
 *   track eth1 demote 240 down
 */
static void print_sources_text(const struct carp_netinfo *ni)
{
	const struct carp_track_info *t;
	size_t i;

	for (i = 0; i < ni->nholds; i++)
		printf("hold %s demote %d %s\n", esc(ni->holds[i].name),
		       ni->holds[i].demote,
		       ni->holds[i].fired ? "fired" : "held");
	for (i = 0; i < ni->ntracks; i++) {
		t = &ni->tracks[i];
		if (t->ifname[0])
			printf("track %s", t->ifname);
		else
			printf("track ifindex %u", t->ifindex);
		printf(" demote %d %s\n", t->demote, t->down ? "down" : "up");
	}
}

static void print_sources_json(struct json *j, const struct carp_netinfo *ni)
{
	const struct carp_track_info *t;
	size_t i;

	json_key(j, "holds");
	json_begin_array(j);
	for (i = 0; i < ni->nholds; i++) {
		json_begin_object(j);
		json_key(j, "name");
		json_string(j, ni->holds[i].name);
		json_key(j, "demote");
		json_uint(j, ni->holds[i].demote);
		json_key(j, "fired");
		json_bool(j, ni->holds[i].fired);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "tracks");
	json_begin_array(j);
	for (i = 0; i < ni->ntracks; i++) {
		t = &ni->tracks[i];
		json_begin_object(j);
		json_key(j, "ifname");
		if (t->ifname[0])
			json_string(j, t->ifname);
		else
			json_null(j);
		json_key(j, "ifindex");
		json_uint(j, t->ifindex);
		json_key(j, "demote");
		json_uint(j, t->demote);
		json_key(j, "down");
		json_bool(j, t->down);
		json_end_object(j);
	}
	json_end_array(j);
}

static void print_net(const struct carp_netinfo *ni)
{
	struct json j;

	if (!opts.json) {
		printf("demotion %ld\n", ni->demotion);
		printf("advertised %d\n", ni->demote);
		print_sources_text(ni);
		return;
	}
	json_init(&j, stdout, opts.pretty);
	json_begin_object(&j);
	json_key(&j, "demotion");
	json_uint(&j, ni->demotion);
	json_key(&j, "demote");
	json_uint(&j, ni->demote);
	print_sources_json(&j, ni);
	json_end_object(&j);
}

/*
 * demote: print the administrative and the advertised demotion.
 * demote +N / -N: add to the administrative demotion (the kernel keeps it
 * within 0..255). demote N: set it to N, as a read and an adjustment by
 * the difference (not atomic: a change in between is added on top).
 */
int cmd_demote(int argc, char **argv)
{
	struct carp_netinfo ni;
	bool relative = false;
	long v = 0, adj;
	int rc, err;

	if (argc > 1)
		return syntax_err("demote: unknown word \"%s\"", esc(argv[1]));
	if (argc == 1 && parse_demote(argv[0], &relative, &v))
		return syntax_err("invalid demotion \"%s\" (expected N, +N or -N, N an integer 0..%d)",
				  esc(argv[0]), CARP_DEMOTE_ARG_MAX);
	rc = nl_open();
	if (rc)
		return rc;

	if (!argc || !relative) {
		rc = read_net(&ni);
		if (rc)
			return rc;
	}
	if (!argc) {
		print_net(&ni);
		return EXIT_OK;
	}
	adj = relative ? v : v - ni.demotion;
	if (!relative && !adj)
		return EXIT_OK;
	err = nl_set_net(adj);
	if (err)
		return kernel_err(err, "cannot change the demotion");
	return EXIT_OK;
}
