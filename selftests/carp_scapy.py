#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# carp_scapy.py KEY=VALUE...: build CARP advertisements with scapy's own
# CARP layer (scapy.contrib.carp) and send them on an interface (packet
# socket). With serve=1, read requests from stdin, one a line: an ID and
# KEY=VALUE words overriding those of the command line; print "ready" once
# set up and "done ID" (or "error ID ...") after each, so that scapy's slow
# start is paid once. Keys (default):
#   iface (eth0) smac (the interface's) src (IPv4 source, required)
#   vhid (1) advbase (1) advskew (0) pass ("") vips (10.0.0.1; comma list)
#   counter (random 64-bit; n-th ad sends counter+n) ttl (255) version (2)
#   badsum (0: scapy computes the checksum; 1: one more than the right one)
#   len (36: the CARP header is cut to that many bytes)
#   hmac (bsd: HMAC-SHA1 keyed by pass over 0x02 0x01 vhid, the addresses
#         in ascending order and the 8 counter bytes, as the BSDs compute
#         it; scapy: CARP.build_hmac_sha1(pass, vips), scapy's helper, which
#         hashes version and type as one byte 0x21 and leaves the counter
#         out, so it is NOT what a BSD peer sends)
#   count (1) interval (1.0 s between two)
# Prints one line per ad sent: counter and HMAC.

import random
import socket
import struct
import sys
import time

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.l2 import Ether                # noqa: E402
from scapy.layers.inet import IP                 # noqa: E402
from scapy.packet import Raw                     # noqa: E402
from scapy.contrib.carp import CARP              # noqa: E402

from carp_pkt import carp_hmac, vip_addrs        # noqa: E402


def send(a, sock):
    g = lambda k, d: int(a.get(k, d))      # noqa: E731
    vhid, advbase, advskew = g("vhid", 1), g("advbase", 1), g("advskew", 0)
    ttl, ver, plen = g("ttl", 255), g("version", 2), g("len", 36)
    count, badsum = g("count", 1), g("badsum", 0)
    interval = float(a.get("interval", 1.0))
    key = a.get("pass", "").encode()
    vips = a.get("vips", "10.0.0.1").split(",")
    ctr0 = int(a["counter"]) if "counter" in a else random.getrandbits(64)
    kind = a.get("hmac", "bsd")

    for i in range(count):
        ctr = (ctr0 + i) & (2 ** 64 - 1)
        c = CARP(version=ver, type=1, vhid=vhid, advskew=advskew, authlen=7,
                 demotion=0, advbase=advbase, counter1=ctr >> 32,
                 counter2=ctr & 0xffffffff)
        if kind == "bsd":
            md = carp_hmac(key, vhid, vip_addrs(vips),
                           struct.pack("!Q", ctr))
        elif kind == "scapy":
            md = c.build_hmac_sha1(pw=key, ip4l=vips)
        else:
            raise ValueError("hmac=%s: bsd or scapy" % kind)
        (c.hmac1, c.hmac2, c.hmac3, c.hmac4, c.hmac5) = struct.unpack("!5I", md)
        if badsum:
            good = struct.unpack("!H", bytes(c)[6:8])[0]
            c.chksum = (good + 1) & 0xffff or 1
        body = bytes(c)[:plen]
        pkt = (Ether(src=a["smac"], dst="01:00:5e:00:00:12") /
               IP(src=a["src"], dst="224.0.0.18", ttl=ttl, proto=112) /
               Raw(body))
        sock.send(bytes(pkt))
        print("sent counter %d hmac %s len %d" % (ctr, md.hex(), len(body)),
              flush=True)
        if i + 1 < count:
            time.sleep(interval)


def main():
    base = dict(x.split("=", 1) for x in sys.argv[1:])
    iface = base.setdefault("iface", "eth0")
    if "smac" not in base:
        with open("/sys/class/net/%s/address" % iface) as f:
            base["smac"] = f.read().strip()
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    if base.get("serve") != "1":
        send(base, sock)
        return 0
    # Serve: build one packet now (scapy's lazy set-up is slow under TCG),
    # then one request per line: ID KEY=VALUE..., answered "done ID".
    bytes(IP() / CARP())
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        a = dict(base)
        try:
            a.update(x.split("=", 1) for x in words[1:])
            send(a, sock)
            print("done %s" % words[0], flush=True)
        except Exception as e:                  # noqa: BLE001
            print("error %s %s" % (words[0], e), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
