#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# carp_flood.py IFACE SECONDS VIPS SRC4 SRC6: flood IFACE with hostile CARP
# frames for SECONDS, built byte by byte (carp_pkt.py) and sent through an
# AF_PACKET socket (as fast as Python goes), one class after the other,
# round robin. Prints one JSON object: frames sent per class.
#
# Every class is aimed at vhid 1, advskew 0 (better than any real master)
# unless said otherwise; none carries the right HMAC:
#   badauth   IPv4, a wrong key
#   badauth6  IPv6 to ff02::12, a wrong key
#   ipopts    IPv4 with options (router alert), a wrong key: badauth
#   badlen    IPv4, CARP payload cut to 20 bytes
#   badsum    IPv4, CARP checksum off by one
#   badver    IPv4, CARP version 1
#   badttl    IPv4, TTL 254 (else valid-looking)
#   badvhid   IPv4, vhid 77 that nobody has: the netns counter
#   iphdr     IPv4 header checksum wrong: the stack's, never carp's
#   frag      IPv4 first fragment (MF): never taken as an advertisement
#   random    36 random bytes as CARP payload (vhid byte 201)
import json
import os
import socket
import struct
import sys
import time

from carp_pkt import (carp_adv, carp_hmac, eth_header, ipv4_header,
                      ipv6_header, vip_addrs)

IFACE, SECONDS = sys.argv[1], float(sys.argv[2])
VIPS = vip_addrs(sys.argv[3].split(","))


def carp(vhid=1, ver=2, key=b"wrong key", advskew=0, cut=36, sum_off=0):
    ctr = struct.pack("!Q", int(time.time() * 1000) << 8)
    md = carp_hmac(key, vhid, VIPS, ctr)
    return carp_adv(vhid, advskew, 1, ctr, md, version=ver, cut=cut,
                    sum_off=sum_off)


def ipv4(payload, ttl=255, opts=b"", frag=0, bad_hsum=False):
    h = ipv4_header(SRC4, len(payload), ttl=ttl, ident=0x1234, frag=frag,
                    opts=opts)
    if bad_hsum:
        c = struct.unpack("!H", h[10:12])[0] ^ 0x5555
        h = h[:10] + struct.pack("!H", c) + h[12:]
    return ETH4 + h + payload


def ipv6(payload, hlim=255):
    return ETH6 + ipv6_header(SRC6, len(payload), hlim) + payload


sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((IFACE, 0))
mac = sock.getsockname()[4]
ETH4 = eth_header(mac)
ETH6 = eth_header(mac, ipv6=True)
SRC4 = socket.inet_aton(sys.argv[4])
SRC6 = socket.inet_pton(socket.AF_INET6, sys.argv[5])
RA = b"\x94\x04\x00\x00"

classes = {
    "badauth": ipv4(carp()),
    "badauth6": ipv6(carp()),
    "ipopts": ipv4(carp(), opts=RA),
    "badlen": ipv4(carp(cut=20)),
    "badsum": ipv4(carp(sum_off=1)),
    "badver": ipv4(carp(ver=1)),
    "badttl": ipv4(carp(), ttl=254),
    "badvhid": ipv4(carp(vhid=77)),
    "iphdr": ipv4(carp(), bad_hsum=True),
    "frag": ipv4(carp(), frag=0x2000),
}
frames = list(classes.items())
sent = dict.fromkeys(list(classes) + ["random"], 0)
refused = 0


def send(name, f):
    global refused
    try:
        sock.send(f)
        sent[name] += 1
    except OSError:         # ENOBUFS: the device's queue is full
        refused += 1


end = time.monotonic() + SECONDS
while time.monotonic() < end:
    for _ in range(20):
        for name, f in frames:
            send(name, f)
        r = bytearray(os.urandom(36))
        r[1] = 201
        send("random", ipv4(bytes(r)))
sent["refused"] = refused
print(json.dumps(sent))
