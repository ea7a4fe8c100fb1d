// SPDX-License-Identifier: GPL-2.0
/*
 * fake_carp.so, test.sh's LD_PRELOAD: makes ip believe a vxlan device is a
 * carp device, so that "ip -j -d link show" runs link_carp.so's print_opt()
 * on the host, where no carp module can be loaded. In every RTM_NEWLINK
 * ip receives, the kind "vxlan" becomes "carp" and IFLA_INFO_DATA's payload
 * becomes the attributes in the file $FAKE_CARP_DATA (nlcarp.py data),
 * the rest of the payload one attribute of a type no carp attribute has.
 * Both are rewritten in place, the message keeps its size: ip's peek
 * (MSG_PEEK | MSG_TRUNC) and its read then agree.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

ssize_t recvmsg(int fd, struct msghdr *msg, int flags);

static char fake_data[1024];
static int fake_len = -1;

static void fake_load(void)
{
	const char *path = getenv("FAKE_CARP_DATA");
	FILE *f;

	fake_len = 0;
	f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return;
	fake_len = fread(fake_data, 1, sizeof(fake_data), f);
	fclose(f);
}

static void fake_linkinfo(struct rtattr *linkinfo)
{
	struct rtattr *rta, *kind = NULL;
	int rem = RTA_PAYLOAD(linkinfo), room;

	for (rta = RTA_DATA(linkinfo); RTA_OK(rta, rem);
	     rta = RTA_NEXT(rta, rem)) {
		if (rta->rta_type == IFLA_INFO_KIND &&
		    RTA_PAYLOAD(rta) == sizeof("vxlan") &&
		    !memcmp(RTA_DATA(rta), "vxlan", sizeof("vxlan")))
			kind = rta;
		if ((rta->rta_type & NLA_TYPE_MASK) != IFLA_INFO_DATA || !kind)
			continue;
		room = RTA_PAYLOAD(rta);
		if (fake_len != room && fake_len + (int)RTA_LENGTH(0) > room)
			return;
		memcpy(RTA_DATA(kind), "carp", sizeof("carp"));
		kind->rta_len = RTA_LENGTH(sizeof("carp"));
		memcpy(RTA_DATA(rta), fake_data, fake_len);
		if (fake_len != room) {
			struct rtattr *fill = (void *)((char *)RTA_DATA(rta) +
						       fake_len);

			fill->rta_type = 0x3fff;	/* no carp attribute */
			fill->rta_len = room - fake_len;
		}
	}
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	struct nlmsghdr *h;
	struct rtattr *rta;
	ssize_t n;
	int len, rem;

	if (!real)
		real = (ssize_t (*)(int, struct msghdr *, int))
			dlsym(RTLD_NEXT, "recvmsg");
	n = real(fd, msg, flags);
	if (n <= 0 || msg->msg_iovlen < 1)
		return n;
	if (fake_len < 0)
		fake_load();
	len = n < (ssize_t)msg->msg_iov[0].iov_len ? n : (int)msg->msg_iov[0].iov_len;
	for (h = msg->msg_iov[0].iov_base; NLMSG_OK(h, len);
	     h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type != RTM_NEWLINK)
			continue;
		rem = IFLA_PAYLOAD(h);
		for (rta = IFLA_RTA(NLMSG_DATA(h)); RTA_OK(rta, rem);
		     rta = RTA_NEXT(rta, rem))
			if ((rta->rta_type & NLA_TYPE_MASK) == IFLA_LINKINFO)
				fake_linkinfo(rta);
	}
	return n;
}
