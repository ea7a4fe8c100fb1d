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
import os
import socket
import struct
import sys

# carp_pkt.py: one directory up in the kselftest tree (bench/ sits in
# drivers/net/carp), in ../selftests in the repository.
_up = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path[:0] = [_up, os.path.join(_up, "selftests")]
from carp_pkt import (MCAST4, carp_adv, carp_hmac, csum16,  # noqa: E402
                      eth_header, ipv4_header)


def main():
    kind, smac, sip, vip = sys.argv[1:5]
    src = socket.inet_aton(sip)
    if kind == "carp":
        ctr = struct.pack("!Q", 1 << 40)
        md = carp_hmac(b"not the key", 1, [socket.inet_aton(vip)], ctr)
        p = carp_adv(1, 0, 1, ctr, md)
    elif kind == "vrrp3":
        p = struct.pack("!BBBBH", 0x31, 1, 50, 1, 100) + b"\0\0" + \
            socket.inet_aton(vip)
        pseudo = src + MCAST4 + struct.pack("!BBH", 0, 112, len(p))
        p = p[:6] + struct.pack("!H", csum16(pseudo + p)) + p[8:]
    else:
        sys.exit("frames.py: carp or vrrp3")
    eth = eth_header(bytes.fromhex(smac.replace(":", "")))
    print((eth + ipv4_header(src, len(p)) + p).hex())


if __name__ == "__main__":
    main()
