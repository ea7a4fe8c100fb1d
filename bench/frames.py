#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# frames.py KIND SRC_MAC SRC_IP VIP: one forged advertisement as an
# Ethernet frame in hex (for adflood), to 224.0.0.18 (01:00:5e:00:00:12),
# TTL 255, every checksum right:
#   carp   CARP v2, vhid 1, advbase 1, advskew 0 (it would win if accepted),
#          an HMAC made with the wrong key: dropped at the HMAC check, after
#          all the work an advertisement costs
#   vrrp3  VRRPv3, vrid 1, priority 50 (below the master's 200: looked at
#          and ignored; VRRPv3 has no authentication, a higher priority
#          would take over), advert_int 1 s, VIP
import hashlib
import hmac
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s >> 16) + (s & 0xffff)
    return ~s & 0xffff


def main():
    kind, smac, sip, vip = sys.argv[1:5]
    src = socket.inet_aton(sip)
    dst = socket.inet_aton("224.0.0.18")
    if kind == "carp":
        ctr = struct.pack("!Q", 1 << 40)
        md = hmac.new(b"not the key", bytes([2, 1, 1]) +
                      socket.inet_aton(vip) + ctr, hashlib.sha1).digest()
        p = struct.pack("!BBBBBBH", 0x21, 1, 0, 7, 0, 1, 0) + ctr + md
        p = p[:6] + struct.pack("!H", csum(p)) + p[8:]
    elif kind == "vrrp3":
        p = struct.pack("!BBBBH", 0x31, 1, 50, 1, 100) + b"\0\0" + \
            socket.inet_aton(vip)
        pseudo = src + dst + struct.pack("!BBH", 0, 112, len(p))
        p = p[:6] + struct.pack("!H", csum(pseudo + p)) + p[8:]
    else:
        sys.exit("frames.py: carp or vrrp3")
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xc0, 20 + len(p), 0, 0, 255,
                     112, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = bytes.fromhex("01005e000012") + \
        bytes.fromhex(smac.replace(":", "")) + b"\x08\x00"
    print((eth + ip + p).hex())


if __name__ == "__main__":
    main()
