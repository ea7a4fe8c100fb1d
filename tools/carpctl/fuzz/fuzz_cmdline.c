// SPDX-License-Identifier: GPL-2.0
/*
 * carpctl fuzz target: a whole command line, or a whole batch file,
 * through main()'s dispatch and the command parsers. Only the netlink
 * layer (nl.h) is stubbed: nothing reaches a kernel, the stubs answer
 * with a fixed device and alternate success and failure; the commands,
 * the parsers and the error reporting linked are carpctl's own. Input: a first byte (bit 0:
 * a batch file, else one line split into words; bit 1: -force; bit 2: -j;
 * bit 3: -o prometheus),
 * then the text. Checks: the exit status is 0, 1 or 2, and every message
 * is one line without a control byte.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <unistd.h>
#include <sys/mman.h>

int carpctl_main(int argc, char **argv);
#define main carpctl_main
#include "../carpctl.c"
#undef main

#include "fuzz.h"

/* ------------------------------------------------------------------ */
/* nl.c, stubbed. */

static unsigned int calls;

static int maybe_fail(void)
{
	return ++calls % 3 ? 0 : -EINVAL;
}

int nl_open(void)
{
	return 0;
}

void nl_close_all(void)
{
}

static struct carp_addr stub_addrs[2];

static void stub_info(const char *ifname, struct carp_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->ifname, sizeof(out->ifname), "%s", ifname);
	out->ifindex = 5;
	out->vhid = 1;
	out->advbase = 1;
	out->advskew = 0;
	out->state = CARP_STATE_MASTER;
	out->demote = 0;
	out->balancing = CARP_BAL_NONE;
	out->lladdr = CARP_LLADDR_VIRTUAL;
	out->addrs = calloc(2, sizeof(*out->addrs));
	out->nodes = calloc(1, sizeof(*out->nodes));
	if (!out->addrs || !out->nodes)
		abort();
	out->nodes[0] = (struct carp_node_info){ .vhid = 1, .advskew = 0,
		.state = CARP_STATE_MASTER, .reason = -1 };
	out->nnodes = 1;
	memcpy(out->addrs, stub_addrs, sizeof(stub_addrs));
	out->naddrs = 2;
}

int nl_get_device(const char *ifname, struct carp_info *out)
{
	if (maybe_fail()) {
		memset(out, 0, sizeof(*out));
		return -ENODEV;
	}
	stub_info(ifname, out);
	return 0;
}

int nl_dump_devices(struct carp_list *out)
{
	out->v = calloc(2, sizeof(*out->v));
	if (!out->v)
		abort();
	stub_info("carp1", &out->v[0]);
	stub_info("carp0", &out->v[1]);
	out->n = 2;
	return 0;
}

int nl_new_device(const struct carp_conf *c, unsigned int link)
{
	(void)c;
	(void)link;
	return maybe_fail();
}

int nl_set_device(const struct carp_conf *c)
{
	(void)c;
	return maybe_fail();
}

int nl_del_device(const char *ifname)
{
	(void)ifname;
	return maybe_fail();
}

int nl_get_net(struct carp_netinfo *out)
{
	memset(out, 0, sizeof(*out));
	out->demotion = 10;
	out->demote = 10;
	return maybe_fail();
}

int nl_set_net(int32_t demote_adj)
{
	(void)demote_adj;
	return maybe_fail();
}

/* A hold is never taken: hold would run the fuzzer's words as a command. */
int nl_new_hold(const char *name, int demote)
{
	(void)name;
	(void)demote;
	return -EPERM;
}

int nl_del_hold(const char *name)
{
	(void)name;
	return maybe_fail();
}

int nl_new_track(unsigned int ifindex, int demote)
{
	(void)ifindex;
	(void)demote;
	return maybe_fail();
}

int nl_del_track(unsigned int ifindex)
{
	(void)ifindex;
	return maybe_fail();
}

int nl_genl_fd(void)
{
	return -1;
}

/* monitor and watch stop here: they would wait for events. */
int nl_monitor_open(void)
{
	return sys_err("monitor: stubbed");
}

int nl_monitor_fd(void)
{
	return -1;
}

void nl_monitor_close(void)
{
}

int nl_monitor_read(int (*fn)(const struct carp_event *ev, void *arg),
		    void *arg)
{
	(void)fn;
	(void)arg;
	return 0;
}

int nl_add_address(unsigned int ifindex, const struct carp_addr *a)
{
	(void)ifindex;
	(void)a;
	return maybe_fail();
}

int nl_del_address(unsigned int ifindex, const struct carp_addr *a)
{
	(void)ifindex;
	(void)a;
	return maybe_fail();
}

int nl_set_link_up(unsigned int ifindex)
{
	(void)ifindex;
	return maybe_fail();
}

int nl_list_addresses(struct rt_addr **out, size_t *n)
{
	struct rt_addr *v = calloc(4, sizeof(*v));

	if (!v)
		abort();
	v[0].ifindex = 2;
	v[0].a.addr.s_addr = htonl(0x0a000002);
	v[0].a.plen = 24;
	v[1].ifindex = 3;
	v[1].a.addr.s_addr = htonl(0xc0a80002);
	v[1].a.plen = 16;
	v[2].ifindex = 5;	/* a carp device's: skipped */
	v[2].a.addr.s_addr = htonl(0x0a000001);
	v[2].a.plen = 24;
	v[3].ifindex = 2;
	v[3].a.v6 = true;
	inet_pton(AF_INET6, "2001:db8::2", &v[3].a.addr6);
	v[3].a.plen = 64;
	*out = v;
	*n = 4;
	return 0;
}

/* ------------------------------------------------------------------ */

static char *errbuf;
static size_t errlen;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	stub_addrs[0].addr.s_addr = htonl(0x0a000001);
	stub_addrs[0].plen = 24;
	stub_addrs[1].v6 = true;
	stub_addrs[1].addr6.s6_addr[0] = 0x20;
	stub_addrs[1].addr6.s6_addr[15] = 1;
	stub_addrs[1].plen = 64;
	/* what the commands print is not checked: away with it */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	/* "apply -" reads standard input: an empty file, not the terminal */
	if (!freopen("/dev/null", "r", stdin))
		abort();
	return 0;
}

/* Every message one line, "carpctl: ..." with no control byte. */
static void check_messages(void)
{
	size_t i;

	for (i = 0; i < errlen; i++) {
		if (errbuf[i] == '\n') {
			if (i + 1 < errlen && strncmp(errbuf + i + 1, "carpctl: ", 9))
				fuzz_fail("a message of two lines");
			continue;
		}
		if ((unsigned char)errbuf[i] < 0x20 || errbuf[i] == 0x7f)
			fuzz_fail("a control byte %#x in a message", errbuf[i]);
	}
	if (errlen && (strncmp(errbuf, "carpctl: ", 9) ||
		       errbuf[errlen - 1] != '\n'))
		fuzz_fail("a message not of one whole line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *saved = stderr, *f;
	char path[64], **argv;
	const char *why;
	int rc, n, fd;

	if (!size)
		return 0;
	/*
	 * "apply /dev/zero" would read without end: a file the input names
	 * under /dev, /proc or /sys tests that file, not carpctl.
	 */
	if (memmem(data, size, "/dev/", 5) || memmem(data, size, "/proc/", 6) ||
	    memmem(data, size, "/sys/", 5))
		return 0;
	memset(&opts, 0, sizeof(opts));
	err_location = NULL;
	opts.force = data[0] & 2;
	opts.json = data[0] & 4;
	opts.format = data[0] & 8 ? FORMAT_PROMETHEUS :
		      opts.json ? FORMAT_JSON : FORMAT_TEXT;
	if (opts.format == FORMAT_PROMETHEUS)
		opts.json = false;

	errbuf = NULL;
	errlen = 0;
	f = open_memstream(&errbuf, &errlen);
	if (!f)
		abort();
	stderr = f;
	if (data[0] & 1) {
		fd = memfd_create("batch", MFD_CLOEXEC);
		if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		rc = run_batch(path);
		close(fd);
	} else {
		char *line = fuzz_str(data + 1, size - 1);

		n = split_words(line, &argv, &why);
		rc = n < 0 ? syntax_err("%s", why) : dispatch(n, argv);
		if (n >= 0)
			free_words(argv);
		free(line);
	}
	stderr = saved;
	fclose(f);
	if (rc < 0 || rc > EXIT_KERNEL)
		fuzz_fail("exit status %d", rc);
	if (rc && !errlen)
		fuzz_fail("exit status %d without a message", rc);
	check_messages();
	free(errbuf);
	return 0;
}
