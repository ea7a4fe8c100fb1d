// SPDX-License-Identifier: GPL-2.0
/*
 * link_carp.so: the "carp" link type for iproute2's ip(8), so that
 *
 *	ip link add carp0 link eth0 type carp vhid 1 advskew 100 pass secret
 *	ip link set carp0 type carp advskew 50
 *	ip link add vrrp0 link eth0 type carp vhid 2 carpver 3 vrrpprio 200
 *	ip link add vrrp6 link eth0 type carp vhid 2 carpver 3 vrrpfamily inet6
 *	ip -d link show carp0
 *
 * configure and show a carp device through rtnetlink (IFLA_CARP_* in
 * IFLA_INFO_DATA, kmod/uapi/carp.h). ip dlopen()s $IP_LIB_DIR/link_carp.so
 * (default /usr/lib/<multiarch>/ip) and looks up carp_link_util.
 *
 * The words and value syntax are carpctl's (add and set), so that one
 * language configures carp either way. Addresses are not ip link's
 * business: they are added with "ip address add" (carpctl add does both).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "carp.h"

/*
 * What this plugin uses of the ip binary, which exports its symbols to
 * plugins. Debian ships no iproute2 headers, so the layout and prototypes
 * are declared here. Checked against the iproute2 v6.1.0 tag (Debian
 * bookworm's iproute2 6.1.0): struct link_util and struct iplink_req in
 * ip/ip_common.h, include/json_print.h, include/color.h, include/utils.h
 * and include/libnetlink.h; how they are called in ip/iplink.c
 * (get_link_kind(), iplink_modify(), do_help()) and ip/ipaddress.c
 * (print_linktype()); and that bookworm's /usr/sbin/ip exports each
 * function used (nm -D). tools/iproute2/test.sh runs the plugin under that
 * binary. A change of struct link_util in a later iproute2 would need
 * this copy to follow it.
 */
struct link_util {
	struct link_util	*next;
	const char		*id;
	int			maxattr;
	int			(*parse_opt)(struct link_util *lu, int argc,
					     char **argv, struct nlmsghdr *n);
	void			(*print_opt)(struct link_util *lu, FILE *f,
					     struct rtattr *tb[]);
	void			(*print_xstats)(struct link_util *lu, FILE *f,
						struct rtattr *xstats);
	void			(*print_help)(struct link_util *lu, int argc,
					      char **argv, FILE *f);
	int			(*parse_ifla_xstats)(struct link_util *lu,
						     int argc, char **argv);
	int			(*print_ifla_xstats)(struct nlmsghdr *n,
						     void *arg);
};

/* The request parse_opt() adds to: its nlmsghdr is the start of this. */
struct iplink_req {
	struct nlmsghdr		n;
	struct ifinfomsg	i;
	char			buf[1024];
};

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

bool is_json_context(void);
void open_json_object(const char *str);
void close_json_object(void);
void open_json_array(enum output_type type, const char *delim);
void close_json_array(enum output_type type, const char *delim);
int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
int print_color_bool(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, bool value);

int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr16(struct nlmsghdr *n, int maxlen, int type, __u16 data);
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);

/* Nonzero if @prefix is not a prefix of @string (ip's own abbreviations). */
bool matches(const char *prefix, const char *string);
void incomplete_command(void) __attribute__((noreturn));
void invarg(const char *msg, const char *arg) __attribute__((noreturn));
void duparg(const char *key, const char *arg) __attribute__((noreturn));
void missarg(const char *key) __attribute__((noreturn));

extern struct link_util carp_link_util;

/* Room in the request ip hands to parse_opt(). */
#define CARP_REQ_LEN	((int)sizeof(struct iplink_req))

/*
 * The words, with the shortest abbreviation each takes: carpctl's, so
 * that "p" is pass and "pe" peer, and "adv" names neither advbase nor
 * advskew; "c" to "carp" stay carpnodes and "v" vhid, as before VRRPv3's
 * words. carp_word() takes the first that matches: no two may share a
 * prefix at least as long as both minimums ("vrrppri", "vrrppre",
 * "vrrpa", "vrrpf").
 */
enum {
	W_VHID, W_ADVBASE, W_ADVSKEW, W_PASS, W_PEER, W_PEER6, W_CARPNODES,
	W_BALANCING, W_LLADDR, W_CARPVER, W_VRRPPRIO, W_VRRPINTERVAL,
	W_VRRPPREEMPT, W_VRRPACCEPT, W_VRRPFAMILY, W_HELP, W_MAX
};

static const struct {
	const char *word;
	size_t min;
} carp_words[W_MAX] = {
	[W_VHID]	= { "vhid", 1 },
	[W_ADVBASE]	= { "advbase", 4 },
	[W_ADVSKEW]	= { "advskew", 4 },
	[W_PASS]	= { "pass", 1 },
	[W_PEER]	= { "peer", 2 },
	[W_PEER6]	= { "peer6", 5 },
	[W_CARPNODES]	= { "carpnodes", 1 },
	[W_BALANCING]	= { "balancing", 1 },
	[W_LLADDR]	= { "lladdr", 1 },
	[W_CARPVER]	= { "carpver", 5 },
	[W_VRRPPRIO]	= { "vrrpprio", 7 },
	[W_VRRPINTERVAL] = { "vrrpinterval", 5 },
	[W_VRRPPREEMPT]	= { "vrrppreempt", 7 },
	[W_VRRPACCEPT]	= { "vrrpaccept", 5 },
	[W_VRRPFAMILY]	= { "vrrpfamily", 5 },
	[W_HELP]	= { "help", 1 },
};

static const char *const carp_balancing_names[CARP_BAL_MAX + 1] = {
	[CARP_BAL_NONE]		= "none",
	[CARP_BAL_IP]		= "ip",
	[CARP_BAL_IP_STEALTH]	= "ip-stealth",
	[CARP_BAL_IP_UNICAST]	= "ip-unicast",
	[CARP_BAL_ARP]		= "arp",
};

static const char *const carp_lladdr_names[CARP_LLADDR_MAX + 1] = {
	[CARP_LLADDR_VIRTUAL]	= "virtual",
	[CARP_LLADDR_PARENT]	= "parent",
};

/* vrrppreempt's and vrrpaccept's values, by value. */
static const char *const carp_onoff_names[] = { "off", "on" };

/* vrrpfamily's values: ip(8)'s words for CARP_VRRP_FAMILY_INET, _INET6. */
static const char *const carp_family_names[] = { "inet", "inet6" };

/* What the command line says; -1 (0 for the counts): not given. */
struct carp_opts {
	int vhid;
	int advbase;
	int advskew;
	int keylen;
	char key[CARP_KEY_LEN];
	int npeers;
	struct in_addr peers[CARP_PEERS_MAX];
	int npeers6;
	struct in6_addr peers6[CARP_PEERS_MAX];
	int nnodes;
	struct {
		__u8 vhid;
		__u8 advskew;
	} nodes[CARP_NODES_MAX];
	int balancing;
	int lladdr;
	int version;		/* CARP_PROTO_CARP or CARP_PROTO_VRRP */
	int vrrp_prio;
	int vrrp_interval;	/* cs */
	int vrrp_preempt;
	int vrrp_accept;
	int vrrp_family;	/* CARP_VRRP_FAMILY_INET or _INET6 */
};

static void carp_usage(FILE *f)
{
	fprintf(f,
		"Usage: ... carp [ vhid VHID ] [ advbase SECONDS ] [ advskew SKEW ]\n"
		"\t\t[ carpnodes VHID:SKEW[,VHID:SKEW...] ]\n"
		"\t\t[ balancing { none | ip | ip-stealth | ip-unicast | arp } ]\n"
		"\t\t[ pass SECRET ]\n"
		"\t\t[ peer { ADDR[,ADDR...] | none } ]\n"
		"\t\t[ peer6 { ADDR6[,ADDR6...] | none } ]\n"
		"\t\t[ lladdr { virtual | parent } ]\n"
		"\t\t[ carpver { 2 | 3 } ] [ vrrpfamily { inet | inet6 } ]\n"
		"\t\t[ vrrpprio PRIO ] [ vrrpinterval CS ]\n"
		"\t\t[ vrrppreempt { on | off } ] [ vrrpaccept { on | off } ]\n"
		"\n"
		"Where:\tVHID := %d-%d\n"
		"\tSECONDS := %d-%d (0: the interval is SKEW/256 s alone)\n"
		"\tSKEW := 0-%d\n"
		"\tSECRET := at most %d bytes (\"\": none)\n"
		"\tADDR, ADDR6 := unicast peers, at most %d in all (none: multicast)\n"
		"\tcarpnodes: up to %d vhids, instead of vhid and advskew\n"
		"\tcarpver 3: VRRPv3 (RFC 5798), at creation only, with\n"
		"\t\tPRIO := %d-%d (default %d) and CS := %d-%d centiseconds\n"
		"\t\t(default %d) instead of advskew and advbase; no pass,\n"
		"\t\tpeers or carpnodes; vrrpfamily (at creation only, default\n"
		"\t\tinet): the family of the addresses it advertises, an\n"
		"\t\tinet6 one from a link-local address (fe80::1/64);\n"
		"\t\tvrrpaccept (default off): whether, as master, it accepts\n"
		"\t\tpackets to addresses it does not own\n"
		"\n"
		"\"ip link add NAME link PARENT type carp\" needs vhid or carpnodes.\n"
		"The words are carpctl(8)'s; add the virtual addresses with\n"
		"\"ip address add\" (carpctl add does both).\n",
		CARP_VHID_MIN, CARP_VHID_MAX, CARP_ADVBASE_MIN,
		CARP_ADVBASE_MAX, CARP_ADVSKEW_MAX, CARP_KEY_LEN,
		CARP_PEERS_MAX, CARP_NODES_MAX, CARP_VRRP_PRIO_MIN,
		CARP_VRRP_PRIO_MAX, CARP_VRRP_PRIO_DEFAULT,
		CARP_VRRP_INTERVAL_MIN, CARP_VRRP_INTERVAL_MAX,
		CARP_VRRP_INTERVAL_DEFAULT);
}

static int carp_word(const char *arg)
{
	int i;

	for (i = 0; i < W_MAX; i++)
		if (strlen(arg) >= carp_words[i].min &&
		    !matches(arg, carp_words[i].word))
			return i;
	return -1;
}

/*
 * A decimal integer min..max, digits only as carpctl takes it: no sign,
 * blanks or "0x" that strtoul() would accept. The first @len bytes of @s.
 */
static int carp_uint(const char *s, size_t len, unsigned long min,
		     unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* invarg() with a message made of @fmt: "Error: argument "ARG" is wrong: ..." */
static void __attribute__((noreturn, format(printf, 2, 3)))
carp_invarg(const char *arg, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	invarg(msg, arg);
}

static int carp_int_arg(const char *word, const char *arg, unsigned long min,
			unsigned long max)
{
	unsigned long v;

	if (carp_uint(arg, strlen(arg), min, max, &v))
		carp_invarg(arg, "%s must be an integer %lu..%lu", word, min,
			    max);
	return v;
}

/* One of @names (abbreviations taken), or an error listing them all. */
static int carp_name_arg(const char *word, const char *arg,
			 const char *const *names, int n)
{
	char list[96] = "";
	int i, found = -1;

	for (i = 0; i < n; i++) {
		if (!strcmp(arg, names[i]))
			return i;
		if (*arg && !matches(arg, names[i]))
			found = found == -1 ? i : -2;
	}
	if (found >= 0)
		return found;
	for (i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? (i == n - 1 ? " or " : ", ") : "",
			 names[i]);
	carp_invarg(arg, "%s %s: expected %s",
		    found == -2 ? "ambiguous" : "unknown", word, list);
}

/*
 * "A[,B...]" (IPv6 with @v6), at most CARP_PEERS_MAX, or "none" (0.0.0.0
 * or :: alone too): the whole list of that family's peers. Whether each is
 * unicast, and not given twice, the kernel checks and says.
 */
static int carp_peers_arg(const char *word, const char *arg, bool v6,
			  void *out)
{
	size_t alen = v6 ? sizeof(struct in6_addr) : sizeof(struct in_addr);
	const char *s = arg, *end;
	char buf[INET6_ADDRSTRLEN];
	size_t len;
	int n = 0;

	if (!strcmp(arg, "none") || !strcmp(arg, v6 ? "::" : "0.0.0.0"))
		return 0;
	for (;;) {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		if (n == CARP_PEERS_MAX)
			carp_invarg(arg, "%s: at most %d addresses", word,
				    CARP_PEERS_MAX);
		if (!len || len >= sizeof(buf))
			carp_invarg(arg, "%s: expected %s address[,address...] or none",
				    word, v6 ? "an IPv6" : "an IPv4");
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (inet_pton(v6 ? AF_INET6 : AF_INET, buf,
			      (char *)out + n * alen) != 1)
			carp_invarg(arg, "%s: \"%s\" is not an %s address", word,
				    buf, v6 ? "IPv6" : "IPv4");
		n++;
		if (!end)
			return n;
		s = end + 1;
	}
}

/* "VHID:SKEW[,VHID:SKEW...]": every vhid of the device, none twice. */
static void carp_nodes_arg(const char *arg, struct carp_opts *o)
{
	const char *p = arg, *end, *colon;
	unsigned long vhid, skew;
	int i;

	for (;; p = end + 1) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		colon = memchr(p, ':', end - p);
		if (!colon)
			carp_invarg(arg, "carpnodes: expected VHID:SKEW[,VHID:SKEW...]");
		if (carp_uint(p, colon - p, CARP_VHID_MIN, CARP_VHID_MAX, &vhid))
			carp_invarg(arg, "carpnodes: \"%.*s\": vhid must be an integer %d..%d",
				    (int)(end - p), p, CARP_VHID_MIN,
				    CARP_VHID_MAX);
		if (carp_uint(colon + 1, end - colon - 1, 0, CARP_ADVSKEW_MAX,
			      &skew))
			carp_invarg(arg, "carpnodes: \"%.*s\": advskew must be an integer 0..%d",
				    (int)(end - p), p, CARP_ADVSKEW_MAX);
		for (i = 0; i < o->nnodes; i++)
			if (o->nodes[i].vhid == vhid)
				carp_invarg(arg, "carpnodes: vhid %lu given twice",
					    vhid);
		if (o->nnodes == CARP_NODES_MAX)
			carp_invarg(arg, "carpnodes: more than %d vhids",
				    CARP_NODES_MAX);
		o->nodes[o->nnodes].vhid = vhid;
		o->nodes[o->nnodes].advskew = skew;
		o->nnodes++;
		if (!*end)
			return;
	}
}

static int carp_err(const char *msg)
{
	fprintf(stderr, "Error: carp: %s\n", msg);
	return -1;
}

/*
 * What the command line alone shows wrong, refused before anything is
 * sent, as carpctl does: carpnodes replaces vhid and advskew; balancing
 * takes two or more vhids, none exactly one; lladdr parent one vhid
 * without balancing; advbase 0 an advskew of 1 or more. A new device
 * needs a vhid. The kernel checks all of it again.
 *
 * Which words go with which protocol (CARP's advbase, advskew, pass,
 * peers and carpnodes; VRRPv3's vrrpfamily, vrrpprio, vrrpinterval,
 * vrrppreempt, vrrpaccept) is left to the kernel, whose message ip
 * prints, and so is a set's vrrpfamily that differs from the device's,
 * or one that does not fit the addresses: this is the path that reaches
 * its check with nothing on the way (selftests/carp_vrrp.sh relies on
 * it), where carpctl refuses them itself. Addresses are not ip link's.
 */
static int carp_check(const struct carp_opts *o, bool add)
{
	int i, nodes = o->nnodes, skew;

	if (o->nnodes && o->vhid >= 0)
		return carp_err("carpnodes and vhid cannot be given together (carpnodes sets every vhid and its advskew)");
	if (o->nnodes && o->advskew >= 0)
		return carp_err("carpnodes and advskew cannot be given together (carpnodes sets every vhid and its advskew)");
	if (add && o->vhid < 0 && !o->nnodes)
		missarg("vhid");
	if (!nodes && add)
		nodes = 1;
	if (o->balancing > CARP_BAL_NONE && nodes == 1)
		return carp_err("balancing other than none needs two or more vhids (carpnodes)");
	if (o->balancing == CARP_BAL_NONE && nodes > 1)
		return carp_err("balancing none takes a single vhid");
	if (o->lladdr == CARP_LLADDR_PARENT &&
	    (nodes > 1 || o->balancing > CARP_BAL_NONE))
		return carp_err("lladdr parent takes a single vhid without balancing");
	if (o->advbase != 0)
		return 0;
	skew = o->advskew >= 0 ? o->advskew : add ? 0 : -1;
	if (o->nnodes) {
		skew = 1;
		for (i = 0; i < o->nnodes; i++)
			if (!o->nodes[i].advskew)
				skew = 0;
	}
	if (!skew)
		return carp_err("advbase 0 needs an advskew of 1 or more (the interval is advskew/256 s)");
	return 0;
}

/* The nest of one family's peers; empty: back to multicast. */
static int carp_put_peers(struct nlmsghdr *n, int type, int entry,
			  const void *addrs, int count, int alen)
{
	struct rtattr *nest;
	int i;

	nest = addattr_nest(n, CARP_REQ_LEN, type | NLA_F_NESTED);
	if (!nest)
		return -1;
	for (i = 0; i < count; i++)
		if (addattr_l(n, CARP_REQ_LEN, entry,
			      (const char *)addrs + i * alen, alen))
			return -1;
	return addattr_nest_end(n, nest) < 0 ? -1 : 0;
}

static int carp_put_nodes(struct nlmsghdr *n, const struct carp_opts *o)
{
	struct rtattr *nest, *node;
	int i;

	nest = addattr_nest(n, CARP_REQ_LEN, IFLA_CARP_NODES | NLA_F_NESTED);
	if (!nest)
		return -1;
	for (i = 0; i < o->nnodes; i++) {
		node = addattr_nest(n, CARP_REQ_LEN, CARP_A_NODE | NLA_F_NESTED);
		if (!node ||
		    addattr8(n, CARP_REQ_LEN, CARP_NODE_A_VHID,
			     o->nodes[i].vhid) ||
		    addattr8(n, CARP_REQ_LEN, CARP_NODE_A_ADVSKEW,
			     o->nodes[i].advskew))
			return -1;
		addattr_nest_end(n, node);
	}
	addattr_nest_end(n, nest);
	return 0;
}

static int carp_put_u8(struct nlmsghdr *n, int type, int v)
{
	return v < 0 ? 0 : addattr8(n, CARP_REQ_LEN, type, v);
}

/* Into IFLA_INFO_DATA, which ip has opened: what the command line gave. */
static int carp_put(struct nlmsghdr *n, const struct carp_opts *o,
		    bool peers, bool peers6)
{
	if (carp_put_u8(n, IFLA_CARP_VHID, o->vhid) ||
	    carp_put_u8(n, IFLA_CARP_ADVBASE, o->advbase) ||
	    carp_put_u8(n, IFLA_CARP_ADVSKEW, o->advskew) ||
	    carp_put_u8(n, IFLA_CARP_BALANCING, o->balancing) ||
	    carp_put_u8(n, IFLA_CARP_LLADDR, o->lladdr) ||
	    carp_put_u8(n, IFLA_CARP_VERSION, o->version) ||
	    carp_put_u8(n, IFLA_CARP_VRRP_PRIO, o->vrrp_prio) ||
	    carp_put_u8(n, IFLA_CARP_VRRP_PREEMPT, o->vrrp_preempt) ||
	    carp_put_u8(n, IFLA_CARP_VRRP_ACCEPT, o->vrrp_accept) ||
	    carp_put_u8(n, IFLA_CARP_VRRP_FAMILY, o->vrrp_family))
		return -1;
	if (o->vrrp_interval >= 0 &&
	    addattr16(n, CARP_REQ_LEN, IFLA_CARP_VRRP_INTERVAL,
		      o->vrrp_interval))
		return -1;
	if (o->keylen >= 0 &&
	    addattr_l(n, CARP_REQ_LEN, IFLA_CARP_KEY, o->key, o->keylen))
		return -1;
	if (peers &&
	    carp_put_peers(n, IFLA_CARP_PEERS, CARP_A_PEER_ADDR, o->peers,
			   o->npeers, sizeof(o->peers[0])))
		return -1;
	if (peers6 &&
	    carp_put_peers(n, IFLA_CARP_PEERS6, CARP_A_PEER_ADDR6, o->peers6,
			   o->npeers6, sizeof(o->peers6[0])))
		return -1;
	if (o->nnodes && carp_put_nodes(n, o))
		return -1;
	return 0;
}

static int carp_parse_opt(struct link_util *lu, int argc, char **argv,
			  struct nlmsghdr *n)
{
	bool seen[W_MAX] = { false };
	struct carp_opts o;
	const char *arg;
	size_t len;
	int w;

	(void)lu;
	memset(&o, 0, sizeof(o));
	o.vhid = o.advbase = o.advskew = o.keylen = -1;
	o.balancing = o.lladdr = o.version = -1;
	o.vrrp_prio = o.vrrp_interval = o.vrrp_preempt = -1;
	o.vrrp_accept = o.vrrp_family = -1;

	for (; argc > 0; argc--, argv++) {
		w = carp_word(*argv);
		if (w < 0) {
			fprintf(stderr, "Error: carp: unknown word \"%s\", try \"ip link help carp\"\n",
				*argv);
			return -1;
		}
		if (w == W_HELP) {
			carp_usage(stdout);
			return -1;
		}
		if (seen[w])
			duparg(carp_words[w].word, argc > 1 ? argv[1] : "");
		seen[w] = true;
		argv++;
		if (--argc <= 0)
			incomplete_command();
		arg = *argv;

		switch (w) {
		case W_VHID:
			o.vhid = carp_int_arg("vhid", arg, CARP_VHID_MIN,
					      CARP_VHID_MAX);
			break;
		case W_ADVBASE:
			o.advbase = carp_int_arg("advbase", arg,
						 CARP_ADVBASE_MIN,
						 CARP_ADVBASE_MAX);
			break;
		case W_ADVSKEW:
			o.advskew = carp_int_arg("advskew", arg, 0,
						 CARP_ADVSKEW_MAX);
			break;
		case W_PASS:
			/* the secret is not echoed in the error */
			len = strlen(arg);
			if (len > CARP_KEY_LEN)
				carp_invarg("pass", "pass is %zu bytes long, at most %d are allowed",
					    len, CARP_KEY_LEN);
			memcpy(o.key, arg, len);
			o.keylen = len;
			break;
		case W_PEER:
			o.npeers = carp_peers_arg("peer", arg, false, o.peers);
			break;
		case W_PEER6:
			o.npeers6 = carp_peers_arg("peer6", arg, true,
						   o.peers6);
			break;
		case W_CARPNODES:
			carp_nodes_arg(arg, &o);
			break;
		case W_BALANCING:
			o.balancing = carp_name_arg("balancing", arg,
						    carp_balancing_names,
						    CARP_BAL_MAX + 1);
			break;
		case W_LLADDR:
			o.lladdr = carp_name_arg("lladdr", arg,
						 carp_lladdr_names,
						 CARP_LLADDR_MAX + 1);
			break;
		case W_CARPVER:
			o.version = carp_int_arg("carpver", arg,
						 CARP_PROTO_CARP,
						 CARP_PROTO_VRRP);
			break;
		case W_VRRPPRIO:
			o.vrrp_prio = carp_int_arg("vrrpprio", arg,
						   CARP_VRRP_PRIO_MIN,
						   CARP_VRRP_PRIO_MAX);
			break;
		case W_VRRPINTERVAL:
			o.vrrp_interval = carp_int_arg("vrrpinterval", arg,
						       CARP_VRRP_INTERVAL_MIN,
						       CARP_VRRP_INTERVAL_MAX);
			break;
		case W_VRRPPREEMPT:
			o.vrrp_preempt = carp_name_arg("vrrppreempt", arg,
						       carp_onoff_names, 2);
			break;
		case W_VRRPACCEPT:
			o.vrrp_accept = carp_name_arg("vrrpaccept", arg,
						      carp_onoff_names, 2);
			break;
		case W_VRRPFAMILY:
			o.vrrp_family = carp_name_arg("vrrpfamily", arg,
						      carp_family_names, 2) ?
					CARP_VRRP_FAMILY_INET6 :
					CARP_VRRP_FAMILY_INET;
			break;
		}
	}
	if (carp_check(&o, n->nlmsg_flags & NLM_F_CREATE))
		return -1;
	return carp_put(n, &o, seen[W_PEER], seen[W_PEER6]);
}

static const char *carp_state_name(unsigned int state)
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

static const char *carp_name(const char *const *names, unsigned int n,
			     unsigned int v)
{
	return v < n ? names[v] : "unknown";
}

/* A u8 attribute, or -1 if absent or too short to hold one. */
static int carp_get_u8(const struct rtattr *rta)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(__u8))
		return -1;
	return *(const __u8 *)RTA_DATA(rta);
}

/* A u16 attribute, or -1 if absent or too short to hold one. */
static int carp_get_u16(const struct rtattr *rta)
{
	__u16 v;

	if (!rta || RTA_PAYLOAD(rta) < sizeof(v))
		return -1;
	memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

/* Each attribute of the nest @nest, whatever its flags. */
#define carp_for_each_nested(rta, nest, rem)				\
	for ((rta) = RTA_DATA(nest), (rem) = RTA_PAYLOAD(nest);	\
	     RTA_OK(rta, rem); (rta) = RTA_NEXT(rta, rem))

/*
 * A family's peers: in text "peer A,B" (as they are given), only if there
 * are any; in JSON always, the array "peers" ("peers6") as carpctl -j
 * show has it, [] for none (multicast).
 */
static void carp_print_peers(const struct rtattr *nest, bool v6)
{
	int family = v6 ? AF_INET6 : AF_INET, count = 0, rem;
	size_t alen = v6 ? sizeof(struct in6_addr) : sizeof(struct in_addr);
	char buf[INET6_ADDRSTRLEN];
	struct rtattr *rta;

	open_json_array(PRINT_JSON, v6 ? "peers6" : "peers");
	if (nest) {
		carp_for_each_nested(rta, nest, rem) {
			if ((rta->rta_type & NLA_TYPE_MASK) !=
			    (v6 ? CARP_A_PEER_ADDR6 : CARP_A_PEER_ADDR) ||
			    RTA_PAYLOAD(rta) != alen ||
			    !inet_ntop(family, RTA_DATA(rta), buf, sizeof(buf)))
				continue;
			if (!count++)
				print_color_string(PRINT_FP, COLOR_NONE, NULL,
						   "%s ", v6 ? "peer6" : "peer");
			print_color_string(PRINT_ANY,
					   v6 ? COLOR_INET6 : COLOR_INET, NULL,
					   count > 1 ? ",%s" : "%s", buf);
		}
	}
	close_json_array(PRINT_JSON, NULL);
	if (count)
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s", " ");
}

/*
 * One vhid of the device, as "1:100:MASTER" or a JSON object (@vrrp: its
 * VRID, without the advskew VRRPv3 does not have).
 */
static void carp_print_node(const struct rtattr *node, bool text, bool first,
			    bool vrrp)
{
	const struct rtattr *tb[CARP_NODE_A_MAX + 1] = { NULL };
	int vhid, skew, state, rem, type;
	struct rtattr *rta;

	carp_for_each_nested(rta, node, rem) {
		type = rta->rta_type & NLA_TYPE_MASK;
		if (type <= CARP_NODE_A_MAX)
			tb[type] = rta;
	}
	vhid = carp_get_u8(tb[CARP_NODE_A_VHID]);
	skew = carp_get_u8(tb[CARP_NODE_A_ADVSKEW]);
	state = carp_get_u8(tb[CARP_NODE_A_STATE]);
	if (vhid < 0 || skew < 0)
		return;

	open_json_object(NULL);
	print_color_uint(PRINT_JSON, COLOR_NONE, "vhid", NULL, vhid);
	if (!vrrp)
		print_color_uint(PRINT_JSON, COLOR_NONE, "advskew", NULL, skew);
	if (state >= 0)
		print_color_string(PRINT_JSON, COLOR_NONE, "state", NULL,
				   carp_state_name(state));
	close_json_object();
	if (!text)
		return;
	print_color_uint(PRINT_FP, COLOR_NONE, NULL, first ? "%u" : ",%u",
			 vhid);
	print_color_uint(PRINT_FP, COLOR_NONE, NULL, ":%u", skew);
	if (state >= 0)
		print_color_string(PRINT_FP, COLOR_NONE, NULL, ":%s",
				   carp_state_name(state));
}

/*
 * Every vhid: in JSON always, the array "nodes" of carpctl -j show; in
 * text "nodes 1:100:MASTER,2:0:BACKUP" only when there are several (the
 * first is the device's vhid, advskew and state already printed).
 */
static void carp_print_nodes(const struct rtattr *nest, bool vrrp)
{
	struct rtattr *rta;
	int count = 0, rem, i = 0;

	open_json_array(PRINT_JSON, "nodes");
	if (nest) {
		carp_for_each_nested(rta, nest, rem)
			count++;
		if (count > 1)
			print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s",
					   "nodes ");
		carp_for_each_nested(rta, nest, rem)
			if ((rta->rta_type & NLA_TYPE_MASK) == CARP_A_NODE)
				carp_print_node(rta, count > 1, !i++, vrrp);
	}
	close_json_array(PRINT_JSON, NULL);
	if (count > 1)
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s", " ");
}

/*
 * "KEY V " in text, "KEY": V in JSON; nothing for a negative @v (the
 * attribute is absent: carp_get_u8(), carp_get_u16()).
 */
static void carp_print_uint(const char *key, int v)
{
	char fmt[32];

	if (v < 0)
		return;
	snprintf(fmt, sizeof(fmt), "%s %%u ", key);
	print_color_uint(PRINT_ANY, COLOR_NONE, key, fmt, v);
}

/* A switch: "KEY on|off " in text, a boolean in JSON; nothing if absent. */
static void carp_print_onoff(struct rtattr *tb[], int type, const char *key)
{
	char fmt[32];
	int v = carp_get_u8(tb[type]);

	if (v < 0)
		return;
	print_color_bool(PRINT_JSON, COLOR_NONE, key, NULL, v);
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	print_color_string(PRINT_FP, COLOR_NONE, NULL, fmt, v ? "on" : "off");
}

static void carp_print_name(struct rtattr *tb[], int type, const char *key,
			    const char *name)
{
	char fmt[32];

	if (carp_get_u8(tb[type]) < 0)
		return;
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	print_color_string(PRINT_ANY, COLOR_NONE, key, fmt, name);
}

static const char *carp_family_name(int family)
{
	switch (family) {
	case CARP_VRRP_FAMILY_INET:
		return carp_family_names[0];
	case CARP_VRRP_FAMILY_INET6:
		return carp_family_names[1];
	}
	return "unknown";
}

/*
 * VRRPv3's, in place of advbase and advskew: "carpver 3 vrrpfamily inet
 * vrrpprio 200 vrrpinterval 100 vrrppreempt on vrrpaccept off" (the words
 * that set them), in JSON carpctl -j show's keys, vrrppreempt and
 * vrrpaccept booleans. Each only if reported: a module before vrrpfamily
 * and vrrpaccept has neither.
 */
static void carp_print_vrrp(struct rtattr *tb[])
{
	int family = carp_get_u8(tb[IFLA_CARP_VRRP_FAMILY]);

	carp_print_uint("carpver", carp_get_u8(tb[IFLA_CARP_VERSION]));
	carp_print_name(tb, IFLA_CARP_VRRP_FAMILY, "vrrpfamily",
			carp_family_name(family));
	carp_print_uint("vrrpprio", carp_get_u8(tb[IFLA_CARP_VRRP_PRIO]));
	carp_print_uint("vrrpinterval",
			carp_get_u16(tb[IFLA_CARP_VRRP_INTERVAL]));
	carp_print_onoff(tb, IFLA_CARP_VRRP_PREEMPT, "vrrppreempt");
	carp_print_onoff(tb, IFLA_CARP_VRRP_ACCEPT, "vrrpaccept");
}

/*
 * ip -d link show: "vhid 1 advbase 1 advskew 100 state MASTER balancing
 * none lladdr virtual auth peer 10.0.0.3 nodes ...", and in JSON the keys
 * of carpctl -j show (auth: a key is set; the key itself is never shown).
 * A VRRPv3 device (carpver 3) shows VRRPv3's settings instead of advbase
 * and advskew; a CARP device's line stays as before carpver existed, its
 * carpver (2) in JSON only.
 */
static void carp_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	int version;
	bool auth;

	(void)lu;
	(void)f;	/* ip's print helpers write to stdout, as ip does */
	if (!tb)
		return;
	version = carp_get_u8(tb[IFLA_CARP_VERSION]);
	carp_print_uint("vhid", carp_get_u8(tb[IFLA_CARP_VHID]));
	if (version == CARP_PROTO_VRRP) {
		carp_print_vrrp(tb);
	} else {
		if (version >= 0)
			print_color_uint(PRINT_JSON, COLOR_NONE, "carpver",
					 NULL, version);
		carp_print_uint("advbase", carp_get_u8(tb[IFLA_CARP_ADVBASE]));
		carp_print_uint("advskew", carp_get_u8(tb[IFLA_CARP_ADVSKEW]));
	}
	carp_print_name(tb, IFLA_CARP_STATE, "state",
			carp_state_name(carp_get_u8(tb[IFLA_CARP_STATE])));
	carp_print_name(tb, IFLA_CARP_BALANCING, "balancing",
			carp_name(carp_balancing_names, CARP_BAL_MAX + 1,
				  carp_get_u8(tb[IFLA_CARP_BALANCING])));
	carp_print_name(tb, IFLA_CARP_LLADDR, "lladdr",
			carp_name(carp_lladdr_names, CARP_LLADDR_MAX + 1,
				  carp_get_u8(tb[IFLA_CARP_LLADDR])));
	auth = tb[IFLA_CARP_HAS_KEY];
	print_color_bool(PRINT_JSON, COLOR_NONE, "auth", NULL, auth);
	if (auth)
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s", "auth ");
	carp_print_peers(tb[IFLA_CARP_PEERS], false);
	carp_print_peers(tb[IFLA_CARP_PEERS6], true);
	carp_print_nodes(tb[IFLA_CARP_NODES], version == CARP_PROTO_VRRP);
}

static void carp_print_help(struct link_util *lu, int argc, char **argv,
			    FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	carp_usage(f);
}

struct link_util carp_link_util = {
	.id		= "carp",
	.maxattr	= IFLA_CARP_MAX,
	.parse_opt	= carp_parse_opt,
	.print_opt	= carp_print_opt,
	.print_help	= carp_print_help,
};
