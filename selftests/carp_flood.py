#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# carp_flood.py IFACE SECONDS VIPS SRC4 SRC6: flood IFACE with hostile CARP frames for
# SECONDS, built here byte by byte and sent through an AF_PACKET socket (as
# fast as Python goes), one class after the other, round robin. Prints one
# JSON object: frames sent per class.
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
import hashlib
import hmac
import json
import os
import socket
import struct
import sys
import time

IFACE, SECONDS = sys.argv[1], float(sys.argv[2])
VIPS = sorted(socket.inet_aton(v) for v in sys.argv[3].split(","))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s >> 16) + (s & 0xffff)
    return ~s & 0xffff


def carp(vhid=1, ver=2, key=b"wrong key", advskew=0, cut=36, sum_off=0):
    ctr = struct.pack("!Q", int(time.time() * 1000) << 8)
    md = hmac.new(key, bytes([2, 1, vhid]) + b"".join(VIPS) + ctr,
                  hashlib.sha1).digest()
    p = struct.pack("!BBBBBBH", (ver << 4) | 1, vhid, advskew, 7, 0, 1, 0) \
        + ctr + md
    p = p[:cut]
    c = (csum(p) + sum_off) & 0xffff
    return p[:6] + struct.pack("!H", c) + p[8:]


def ipv4(payload, ttl=255, opts=b"", frag=0, bad_hsum=False):
    ihl = 5 + len(opts) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xc0, ihl * 4 + len(payload),
                    0x1234, frag, ttl, 112, 0, SRC4,
                    socket.inet_aton("224.0.0.18")) + opts
    c = csum(h) ^ (0x5555 if bad_hsum else 0)
    h = h[:10] + struct.pack("!H", c) + h[12:]
    return ETH4 + h + payload


def ipv6(payload, hlim=255):
    h = struct.pack("!IHBB16s16s", 6 << 28, len(payload), 112, hlim, SRC6,
                    socket.inet_pton(socket.AF_INET6, "ff02::12"))
    return ETH6 + h + payload


sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((IFACE, 0))
mac = sock.getsockname()[4]
ETH4 = bytes.fromhex("01005e000012") + mac + b"\x08\x00"
ETH6 = bytes.fromhex("333300000012") + mac + b"\x86\xdd"
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
