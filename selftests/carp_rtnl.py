#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A raw rtnetlink client for the carp link kind, with nothing between it
# and the kernel (no `ip`, no plugin), for what `ip` cannot show: the
# attributes exactly as the kernel sends them, requests `ip` would refuse
# before sending, and RTM_NEWLINK notifications.
#
#   carp_rtnl.py get IFNAME
#       IFLA_INFO_DATA of IFNAME as JSON: {"types": [attribute numbers],
#       "vhid": .., "advbase": .., "advskew": .., "state": ..,
#       "balancing": .., "lladdr": .., "has_key": bool,
#       "nodes": [[vhid, advskew, state], ...], "peers": [...],
#       "peers6": [...]}
#   carp_rtnl.py new IFNAME PARENT ATTR...   RTM_NEWLINK, NLM_F_CREATE|EXCL
#   carp_rtnl.py set IFNAME ATTR...          RTM_NEWLINK on IFNAME
#       ATTR: NAME=INT (vhid advbase advskew balancing lladdr state
#       has_key: u8), key=TEXT, TYPE:HEX (raw attribute of IFLA_INFO_DATA)
#       Prints "error N: MESSAGE" (the extended ack) and exits 1 on error.
#   carp_rtnl.py monitor IFNAME STATE|NAME=INT SECONDS
#       Waits for an RTM_NEWLINK of IFNAME whose IFLA_CARP_STATE is STATE
#       (0 INIT, 1 BACKUP, 2 MASTER), or whose attribute NAME (as "get"
#       names them: advskew, advbase, ...) is INT; prints "seen" or
#       "timeout" (exit 1). Prints "listening" on stdout once subscribed.

import ipaddress
import json
import select
import socket
import struct
import sys
import time

RTM_NEWLINK, RTM_GETLINK = 16, 18
NLMSG_ERROR = 2
F_REQUEST, F_ACK, F_EXCL, F_CREATE = 1, 4, 0x200, 0x400
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
IFLA_IFNAME, IFLA_LINK, IFLA_LINKINFO = 3, 5, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
RTNLGRP_LINK = 1

# enum IFLA_CARP_* (kmod/uapi/carp.h)
A = {"vhid": 1, "advbase": 2, "advskew": 3, "key": 4, "peers": 5,
     "peers6": 6, "nodes": 7, "balancing": 8, "lladdr": 9, "state": 10,
     "has_key": 11}
U8 = ("vhid", "advbase", "advskew", "balancing", "lladdr", "state")


def attr(t, data):
    return struct.pack("HH", 4 + len(data), t) + data + \
        b"\0" * (-len(data) % 4)


def attrs(buf):
    while len(buf) >= 4:
        ln, t = struct.unpack("HH", buf[:4])
        if ln < 4:
            return
        yield t & 0x3fff, buf[4:ln]
        buf = buf[(ln + 3) & ~3:]


def sock(groups=0):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.bind((0, groups))
    s.setsockopt(270, 11, 1)        # NETLINK_EXT_ACK
    return s


def request(s, typ, flags, body):
    s.send(struct.pack("IHHII", 16 + len(body), typ, F_REQUEST | flags, 1,
                       0) + body)
    while True:
        buf = s.recv(65536)
        while len(buf) >= 16:
            ln, t, fl, _, _ = struct.unpack("IHHII", buf[:16])
            if t == NLMSG_ERROR:
                err = -struct.unpack("i", buf[16:20])[0]
                tl = buf[20:ln]
                tl = tl[16:] if fl & NLM_F_CAPPED else \
                    tl[struct.unpack("I", tl[:4])[0]:]
                msg = ""
                for at, v in attrs(tl if fl & NLM_F_ACK_TLVS else b""):
                    if at == 1:
                        msg = v.rstrip(b"\0").decode()
                return err, msg, None
            if t == RTM_NEWLINK:
                return 0, "", buf[16:ln]
            buf = buf[(ln + 3) & ~3:]


def ifinfo(index=0):
    return struct.pack("BxHiII", socket.AF_UNSPEC, 0, index, 0, 0)


def info_data(msg):
    """IFLA_INFO_DATA of an RTM_NEWLINK body, or None."""
    for t, v in attrs(msg[16:]):
        if t == IFLA_LINKINFO:
            for it, iv in attrs(v):
                if it == IFLA_INFO_DATA:
                    return iv
    return None


def name_of(msg):
    for t, v in attrs(msg[16:]):
        if t == IFLA_IFNAME:
            return v.rstrip(b"\0").decode()
    return None


def decode(data):
    out = {"types": [], "has_key": False, "nodes": [], "peers": [],
           "peers6": []}
    names = {v: k for k, v in A.items()}
    for t, v in attrs(data):
        out["types"].append(t)
        n = names.get(t)
        if n in U8:
            out[n] = v[0]
        elif n == "has_key":
            out["has_key"] = True
        elif n == "peers":
            out["peers"] = [str(ipaddress.IPv4Address(a)) for _, a in attrs(v)]
        elif n == "peers6":
            out["peers6"] = [str(ipaddress.IPv6Address(a))
                             for _, a in attrs(v)]
        elif n == "nodes":
            for _, node in attrs(v):
                d = {nt: nv[0] for nt, nv in attrs(node)}
                out["nodes"].append([d.get(1), d.get(2), d.get(3)])
    return out


def build(args):
    out = b""
    for a in args:
        if "=" in a:
            k, v = a.split("=", 1)
            if k == "key":
                out += attr(A["key"], v.encode())
            else:
                out += attr(A[k], struct.pack("B", int(v)))
        else:
            t, h = a.split(":", 1)
            out += attr(int(t), bytes.fromhex(h))
    return out


def linkinfo(data):
    return attr(IFLA_LINKINFO | 0x8000, attr(IFLA_INFO_KIND, b"carp\0") +
                attr(IFLA_INFO_DATA | 0x8000, data))


def main():
    cmd = sys.argv[1]
    s = sock()
    if cmd == "get":
        err, msg, reply = request(s, RTM_GETLINK, 0,
                                  ifinfo() + attr(IFLA_IFNAME,
                                                  sys.argv[2].encode() + b"\0"))
        if err:
            sys.exit("error %d: %s" % (err, msg))
        data = info_data(reply)
        print(json.dumps(decode(data) if data is not None else None))
        return
    if cmd in ("new", "set"):
        name = sys.argv[2].encode() + b"\0"
        body = ifinfo() + attr(IFLA_IFNAME, name)
        rest = sys.argv[3:]
        flags = F_ACK
        if cmd == "new":
            body += attr(IFLA_LINK, struct.pack("I",
                                                socket.if_nametoindex(rest[0])))
            rest = rest[1:]
            flags |= F_CREATE | F_EXCL
        err, msg, _ = request(s, RTM_NEWLINK, flags, body + linkinfo(build(rest)))
        if err:
            print("error %d: %s" % (err, msg))
            sys.exit(1)
        return
    if cmd == "monitor":
        m = sock(1 << (RTNLGRP_LINK - 1))
        key, _, want = sys.argv[3].rpartition("=")
        key, want = key or "state", int(want)
        end = time.monotonic() + float(sys.argv[4])
        print("listening", flush=True)
        while time.monotonic() < end:
            r, _, _ = select.select([m], [], [], max(0, end - time.monotonic()))
            if not r:
                break
            buf = m.recv(65536)
            while len(buf) >= 16:
                ln, t = struct.unpack("IH", buf[:6])
                body = buf[16:ln]
                buf = buf[(ln + 3) & ~3:]
                if t != RTM_NEWLINK or name_of(body) != sys.argv[2]:
                    continue
                data = info_data(body)
                if data is not None and decode(data).get(key) == want:
                    print("seen", flush=True)
                    return
        print("timeout", flush=True)
        sys.exit(1)
    sys.exit("usage: carp_rtnl.py get|new|set|monitor ...")


if __name__ == "__main__":
    main()
