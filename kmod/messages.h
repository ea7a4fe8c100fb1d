/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CARP wire format, as FreeBSD and OpenBSD put it on the wire
 * (sys/netinet/ip_carp.h). Every multi-byte field is big-endian.
 */
#ifndef _CARP_MESSAGES_H
#define _CARP_MESSAGES_H

#include <linux/types.h>
#include <linux/in.h>
#include <linux/in6.h>

#define CARP_VERSION		2
#define CARP_TYPE_ADVERTISEMENT	1
#define CARP_AUTHLEN		7	/* header length in 32-bit words, minus 2 */
#define CARP_TTL		255
#define CARP_DIGEST_LEN		20	/* SHA1 */

#ifndef IPPROTO_CARP
#define IPPROTO_CARP		112	/* shared with VRRP */
#endif

/* 224.0.0.18, the IPv4 group CARP (and VRRP) advertise to. */
#define CARP_GROUP_V4		htonl(0xe0000012)

/* ff02::12, the IPv6 group CARP (and VRRP) advertise to. */
#define CARP_GROUP_V6_INIT \
	{ { { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12 } } }

/*
 * struct carp_header - a CARP advertisement (36 bytes)
 * @ver_type:	version (high nibble) and type (low nibble): 0x21
 * @vhid:	virtual host id, 1..255
 * @advskew:	skew of the advertisement interval, in 1/256 s
 * @authlen:	CARP_AUTHLEN; VRRPv2 has its address count here
 * @demote:	demotion counter of the sender (0: not demoted)
 * @advbase:	base advertisement interval, in seconds
 * @cksum:	internet checksum over the whole CARP header
 * @counter:	64-bit counter, big-endian, covered by the HMAC
 * @md:		HMAC-SHA1 over version, type, vhid, the virtual IPv4
 *		addresses in ascending order, the virtual IPv6 addresses in
 *		ascending order, and @counter
 */
struct carp_header {
	u8	ver_type;
	u8	vhid;
	u8	advskew;
	u8	authlen;
	u8	demote;
	u8	advbase;
	__sum16	cksum;
	__be32	counter[2];
	u8	md[CARP_DIGEST_LEN];
} __packed;

static inline u8 carp_hdr_version(const struct carp_header *ch)
{
	return ch->ver_type >> 4;
}

static inline u8 carp_hdr_type(const struct carp_header *ch)
{
	return ch->ver_type & 0x0f;
}

/* Virtual MAC of a vhid: the IANA VRRP/CARP block, 00:00:5e:00:01:<vhid>. */
static inline void carp_vmac(u8 *mac, u8 vhid)
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = 0x01;
	mac[5] = vhid;
}

/*
 * The multicast virtual MAC of OpenBSD's "balancing ip", 01:00:5e:00:01:<vhid>
 * (it maps IPv4 group 224.0.1.<vhid> too: frames to it may be real
 * multicast).
 */
static inline void carp_vmac_mcast(u8 *mac, u8 vhid)
{
	carp_vmac(mac, vhid);
	mac[0] = 0x01;
}

/*
 * Any kind of virtual MAC: CARP's and VRRP's of IPv4, balancing ip's
 * multicast one, and VRRP's of IPv6 (vrrp_vmac6()).
 */
static inline bool carp_is_vmac(const u8 *mac)
{
	return (mac[0] & ~0x01) == 0x00 && mac[1] == 0x00 && mac[2] == 0x5e &&
	       mac[3] == 0x00 && (mac[4] == 0x01 || mac[4] == 0x02);
}

/*
 * VRRPv3 (RFC 5798), the other protocol on IP protocol 112, which a carp
 * device speaks in its place when created with carpver 3.
 */
#define VRRP_VERSION		3
#define VRRP_TYPE_ADVERTISEMENT	1
#define VRRP_TTL		255
#define VRRP_PRIO_BOWOUT	0	/* the master is leaving */
#define VRRP_PRIO_OWNER		255	/* the owner of the addresses */
#define VRRP_INTERVAL_MASK	0x0fff	/* centiseconds, 12 bits */

/*
 * struct vrrp_header - a VRRPv3 advertisement, without its addresses
 * @ver_type:	version (high nibble) and type (low nibble): 0x31
 * @vrid:	virtual router id, 1..255
 * @priority:	1..254; 255 the address owner, 0 the master leaving
 * @count:	number of addresses that follow, all of the packet's family
 * @interval:	4 reserved bits (0), then the advertisement interval in
 *		centiseconds (12 bits)
 * @cksum:	internet checksum over the VRRP message and the IPv4 or IPv6
 *		pseudo-header (RFC 5798 5.2.8)
 */
struct vrrp_header {
	u8	ver_type;
	u8	vrid;
	u8	priority;
	u8	count;
	__be16	interval;
	__sum16	cksum;
} __packed;

static inline u16 vrrp_hdr_interval(const struct vrrp_header *vh)
{
	return ntohs(vh->interval) & VRRP_INTERVAL_MASK;
}

/* VRRP's IPv6 virtual MAC, 00:00:5e:00:02:<vrid> (IPv4's is carp_vmac()). */
static inline void vrrp_vmac6(u8 *mac, u8 vrid)
{
	carp_vmac(mac, vrid);
	mac[4] = 0x02;
}

#endif /* _CARP_MESSAGES_H */
