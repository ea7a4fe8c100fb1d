#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# carp_wire.py PCAP KEY=VALUE...: check every IPv4 protocol-112 frame of a
# pcap file (Ethernet, as tcpdump -w writes it) byte for byte against the
# CARP v2 advertisement format of the BSDs (carp(4), ip_carp.c), written
# from the format alone, sharing no code with the module:
#
#   Ethernet  dst 01:00:5e:00:00:12, src 00:00:5e:00:01:<vhid>, type 0x0800
#   IPv4      version 4, no options, total length 56, TTL 255, protocol 112,
#             from src= to 224.0.0.18, header checksum valid
#   CARP      byte 0 = version 2 << 4 | type 1, vhid, advskew, authlen 7,
#             demotion 0, advbase, checksum over the 36 bytes valid,
#             64-bit counter, HMAC-SHA1 keyed by the password over
#             0x02 0x01 <vhid> <virtual IPv4 addresses, ascending, 4 bytes
#             each> <the 8 counter bytes as sent>
#   counter   one more than in the previous advertisement
#
# Keys: vhid advbase advskew pass vips (comma list, any order) src min (at
# least that many advertisements); order=given hashes the addresses in the
# order given instead of ascending (a negative control: it must fail when
# the list is not sorted). tshark=FILE compares the fields tshark decoded
# (one line per advertisement: ip.src carp.version carp.type carp.vhid
# carp.advskew carp.authlen carp.demotion carp.adver_int carp.counter
# carp.checksum.status carp.hmac) with this decoder's.
# Prints a summary; exits 1 with one line per problem.

import socket
import struct
import sys

from carp_pkt import (ETH_MCAST4, LINKTYPE_ETHERNET, MCAST4, carp_hmac,
                      csum16, pcap_read)


def frames(path):
    """(frame, length on the wire) of every frame of an Ethernet capture."""
    linktype, records = pcap_read(path)
    if linktype not in (None, LINKTYPE_ETHERNET):
        sys.exit("%s: not an Ethernet capture" % path)
    for _, f, orig in records:
        yield f, orig


def main():
    path = sys.argv[1]
    a = dict(x.split("=", 1) for x in sys.argv[2:])
    vhid, advbase = int(a["vhid"]), int(a["advbase"])
    advskew = int(a["advskew"])
    key = a.get("pass", "").encode()
    vips = [socket.inet_aton(v) for v in a["vips"].split(",")]
    if a.get("order") != "given":
        vips.sort()		# bytes in network order: numeric order
    src = socket.inet_aton(a["src"])
    want = int(a.get("min", 1))
    vmac = bytes([0, 0, 0x5e, 0, 1, vhid])
    errs = []
    ads = []

    for n, (f, orig) in enumerate(frames(path), 1):
        if len(f) < 34 or f[12:14] != b"\x08\x00" or f[23] != 112:
            continue
        bad = []
        ip = f[14:34]
        if orig != len(f):
            bad.append("frame cut by the capture (%d of %d)" % (len(f), orig))
        if f[0:6] != ETH_MCAST4:
            bad.append("eth dst %s" % f[0:6].hex(":"))
        if f[6:12] != vmac:
            bad.append("eth src %s, not %s" % (f[6:12].hex(":"), vmac.hex(":")))
        if ip[0] != 0x45:
            bad.append("IP version/ihl byte %#x, not 0x45" % ip[0])
        tot = struct.unpack("!H", ip[2:4])[0]
        if tot != 56:
            bad.append("IP total length %d, not 56" % tot)
        if ip[8] != 255:
            bad.append("TTL %d, not 255" % ip[8])
        if csum16(ip) != 0:
            bad.append("IP header checksum %#06x wrong" %
                       struct.unpack("!H", ip[10:12])[0])
        if ip[12:16] != src:
            bad.append("IP src %s, not %s" % (socket.inet_ntoa(ip[12:16]),
                                               a["src"]))
        if ip[16:20] != MCAST4:
            bad.append("IP dst %s" % socket.inet_ntoa(ip[16:20]))
        c = f[34:34 + 36]
        if len(c) < 36:
            bad.append("CARP header is %d bytes, not 36" % len(c))
        else:
            exp = [("version/type", c[0], 0x21), ("vhid", c[1], vhid),
                   ("advskew", c[2], advskew), ("authlen", c[3], 7),
                   ("demotion", c[4], 0), ("advbase", c[5], advbase)]
            for name, got, want_v in exp:
                if got != want_v:
                    bad.append("%s %d, not %d" % (name, got, want_v))
            if csum16(c) != 0:
                bad.append("CARP checksum %#06x wrong" %
                           struct.unpack("!H", c[6:8])[0])
            ctr = c[8:16]
            md = carp_hmac(key, vhid, vips, ctr)
            if c[16:36] != md:
                bad.append("HMAC %s, expected %s" % (c[16:36].hex(), md.hex()))
            ctrv = struct.unpack("!Q", ctr)[0]
            if ads and ctrv != ads[-1][0] + 1:
                bad.append("counter %d after %d" % (ctrv, ads[-1][0]))
            ads.append((ctrv, c, ip))
        for b in bad:
            errs.append("frame %d: %s" % (n, b))

    if len(ads) < want:
        errs.append("%d advertisements captured, expected at least %d" %
                    (len(ads), want))

    if "tshark" in a:
        lines = [x.split() for x in open(a["tshark"]).read().splitlines()
                 if x.strip()]
        if len(lines) != len(ads):
            errs.append("tshark decoded %d packets as CARP, there are %d"
                        % (len(lines), len(ads)))
        for i, (t, (ctrv, c, ip)) in enumerate(zip(lines, ads), 1):
            mine = [socket.inet_ntoa(ip[12:16]), str(c[0] >> 4),
                    str(c[0] & 15), str(c[1]), str(c[2]), str(c[3]),
                    str(c[4]), str(c[5]), str(ctrv), "1", c[16:36].hex()]
            if t != mine:
                errs.append("ad %d: tshark says %s, expected %s" %
                            (i, " ".join(t), " ".join(mine)))

    for e in errs:
        print(e)
    if errs:
        return 1
    print("%d advertisements checked, counter %d..%d" %
          (len(ads), ads[0][0], ads[-1][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
