# SPDX-License-Identifier: GPL-2.0
#
# carp_pkt.py: the packet helpers of the Python tests (carp_wire.py,
# carp_flood.py, carp_scapy.py) and of the benchmark (bench/frames.py,
# bench/analyse.py), written from the formats alone and sharing no code with
# the module:
#
#   csum16        the Internet checksum (RFC 1071)
#   pcap_read     the records of a pcap file, as tcpdump -w writes it
#   carp_hmac     the HMAC-SHA1 of a CARP v2 advertisement, as the BSDs
#                 compute it (carp(4), ip_carp.c), and vip_addrs, the
#                 addresses it covers
#   carp_adv      a CARP v2 advertisement (the 36 bytes after the IP header)
#   arp_node      which vhid answers a requester in balancing arp: OpenBSD's
#                 carp_hash() of its MAC, keyed by the password, modulo the
#                 number of vhids (also from the shell:
#                 python3 carp_pkt.py arp-node PASSWORD MAC N)
#   eth_header, ipv4_header, ipv6_header
#                 the headers in front of it, to the CARP group
#
# A test runs it from its own directory (selftests/, drivers/net/carp in a
# kernel tree); bench/ finds it one directory up, or in ../selftests.

import hashlib
import hmac
import socket
import struct
import sys

MCAST4 = socket.inet_aton("224.0.0.18")
MCAST6 = socket.inet_pton(socket.AF_INET6, "ff02::12")
ETH_MCAST4 = bytes.fromhex("01005e000012")
ETH_MCAST6 = bytes.fromhex("333300000012")
PROTO_CARP = 112
ADV_LEN = 36                # header 8, counter 8, HMAC-SHA1 20

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113    # tcpdump -i any


def csum16(b):
    """The Internet checksum of b; 0 over bytes that hold their right one."""
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s >> 16) + (s & 0xffff)
    return ~s & 0xffff


def _pcap_records(data, e, nsec):
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        if off + incl > len(data):
            break           # the last record, cut short by the writer
        yield sec + frac / (1e9 if nsec else 1e6), data[off:off + incl], orig
        off += incl


def pcap_read(path):
    """The link type of a pcap file and an iterator over its records.

    Each record is (time in seconds, the frame as captured, its length on
    the wire). A file too short for the file header (tcpdump killed before
    it wrote anything) has link type None and no records; a file that is
    not pcap (either byte order, micro- or nanosecond times) ends the
    program.
    """
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return None, iter(())
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = "<"
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        e = ">"
    else:
        raise SystemExit("%s: not a pcap file" % path)
    nsec = magic in (0xa1b23c4d, 0x4d3cb2a1)
    linktype = struct.unpack(e + "I", data[20:24])[0]
    return linktype, _pcap_records(data, e, nsec)


def vip_addrs(vips):
    """The IPv4 addresses vips (text), packed, in the order the HMAC covers
    them: ascending (bytes in network order compare as the numbers do)."""
    return sorted(socket.inet_aton(v) for v in vips)


def carp_hmac(key, vhid, addrs, counter):
    """HMAC-SHA1 keyed by the password key over 0x02 0x01 (version 2, type
    1, whatever the advertisement says), vhid, the packed addresses addrs in
    the order given (the BSDs hash the IPv4 ones ascending, see vip_addrs,
    then the IPv6 ones) and the 8 counter bytes."""
    return hmac.new(key, bytes([2, 1, vhid]) + b"".join(addrs) + counter,
                    hashlib.sha1).digest()


def carp_adv(vhid, advskew, advbase, counter, md, version=2, cut=ADV_LEN,
             sum_off=0):
    """A CARP advertisement (type 1, authlen 7, demotion 0) with the 8
    counter bytes and HMAC md given, cut to its first cut bytes; the
    checksum over those, plus sum_off (a wrong one for sum_off != 0)."""
    p = struct.pack("!BBBBBBH", (version << 4) | 1, vhid, advskew, 7, 0,
                    advbase, 0) + counter + md
    p = p[:cut]
    c = (csum16(p) + sum_off) & 0xffff
    return p[:6] + struct.pack("!H", c) + p[8:]


def eth_header(smac, ipv6=False):
    """The Ethernet header from smac (6 bytes) to the CARP group."""
    if ipv6:
        return ETH_MCAST6 + smac + b"\x86\xdd"
    return ETH_MCAST4 + smac + b"\x08\x00"


def ipv4_header(src, plen, ttl=255, ident=0, frag=0, opts=b"",
                proto=PROTO_CARP):
    """An IPv4 header from src (packed) to 224.0.0.18, DSCP CS6, for plen
    bytes of payload after the options opts; its checksum right."""
    ihl = 5 + len(opts) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xc0, ihl * 4 + plen,
                    ident, frag, ttl, proto, 0, src, MCAST4) + opts
    return h[:10] + struct.pack("!H", csum16(h)) + h[12:]


def ipv6_header(src, plen, hlim=255):
    """An IPv6 header from src (packed) to ff02::12, next header CARP."""
    return struct.pack("!IHBB16s16s", 6 << 28, plen, PROTO_CARP, hlim, src,
                       MCAST6)


M32 = 0xffffffff


def arp_key(key):
    """The two words OpenBSD's carp_hash() starts b and c from, for the
    password key (bytes, at most 20; b"" without one): the SHA1 of the HMAC
    inner pad (the password padded with zeros to 64 bytes, each byte XOR
    0x36) and the bytes 0x02 0x01, read as five 32-bit words in
    little-endian order (what an amd64 OpenBSD host reads), b = w0 ^ w1
    and c = w2 ^ w3, plus the password's first four bytes read
    little-endian added to c."""
    pad = bytes(k ^ 0x36 for k in key.ljust(64, b"\0"))
    w = struct.unpack("<5I", hashlib.sha1(pad + b"\x02\x01").digest())
    c = (w[2] ^ w[3]) + struct.unpack("<I", key[:4].ljust(4, b"\0"))[0]
    return w[0] ^ w[1], c & M32


def arp_hash(key, mac):
    """OpenBSD's carp_hash() of mac (6 bytes) for the password key: Bob
    Jenkins' 96-bit mix of a = 0x9e3779b9 plus the first four bytes of mac
    and b plus the last two (both read little-endian), and c."""
    b, c = arp_key(key)
    a = (0x9e3779b9 + struct.unpack("<I", mac[:4])[0]) & M32
    b = (b + struct.unpack("<H", mac[4:])[0]) & M32
    for sa, sb, sc in ((13, 8, 13), (12, 16, 5), (3, 10, 15)):
        a = ((a - b - c) & M32) ^ (c >> sa)
        b = ((b - c - a) & M32) ^ ((a << sb) & M32)
        c = ((c - a - b) & M32) ^ (b >> sc)
    return c


def arp_node(key, mac, n):
    """The index (0-based, in vhid order) of the vhid of n that answers a
    requester of MAC mac in balancing arp."""
    return arp_hash(key, mac) % n


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "arp-node":
        sys.exit("usage: carp_pkt.py arp-node PASSWORD MAC N")
    print(arp_node(sys.argv[2].encode(),
                   bytes.fromhex(sys.argv[3].replace(":", "")),
                   int(sys.argv[4])))
