#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# UDP probes to a virtual address, answered by whichever host holds it.
#
#   probe.py echo NAME PORT
#       Answer every datagram on PORT with "NAME SEQ", from the address it
#       was sent to (IP_PKTINFO), so a reply to the virtual address comes
#       from the virtual address. Runs until killed.
#   probe.py probe DST PORT INTERVAL_S OUT
#       Send "SEQ" to DST:PORT every INTERVAL_S on an absolute schedule (a
#       late send does not shift the next) and write one line per reply to
#       OUT, line-buffered: "R TIME SEQ NAME" (TIME: time.time() at
#       receipt, the clock tcpdump stamps with). Runs until SIGTERM/SIGINT.
import select
import signal
import socket
import struct
import sys
import time

# Linux value; Python before 3.12 does not name it
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)


def echo(name, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind(("0.0.0.0", port))
    tag = name.encode()
    while True:
        data, anc, _, peer = s.recvmsg(64, socket.CMSG_SPACE(12))
        pkt = None
        for lvl, typ, val in anc:
            if lvl == socket.IPPROTO_IP and typ == IP_PKTINFO:
                # struct in_pktinfo { ifindex; spec_dst; addr }: reply
                # from the address the probe was sent to
                _, _, dst = struct.unpack("I4s4s", val[:12])
                pkt = struct.pack("I4s4s", 0, dst, b"\0" * 4)
        msg = tag + b" " + data
        try:
            if pkt:
                s.sendmsg([msg], [(socket.IPPROTO_IP, IP_PKTINFO,
                                   pkt)], 0, peer)
            else:
                s.sendto(msg, peer)
        except OSError:
            pass


def probe(dst, port, interval, out):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    f = open(out, "w", buffering=1)
    seq = 0
    t0 = time.monotonic()
    nxt = t0
    while not stop:
        now = time.monotonic()
        if now >= nxt:
            try:
                s.sendto(str(seq).encode(), (dst, port))
            except OSError:
                pass        # no route/neighbour yet: a lost probe
            seq += 1
            nxt = t0 + seq * interval
            if nxt < now:   # far behind (a stalled VM): skip, don't burst
                seq = int((now - t0) / interval) + 1
                nxt = t0 + seq * interval
        try:
            r, _, _ = select.select([s], [], [], max(0.0, nxt - now))
        except InterruptedError:
            continue
        while r:
            try:
                data = s.recv(64)
            except BlockingIOError:
                break
            t = time.time()
            parts = data.decode(errors="replace").split()
            if len(parts) == 2:
                f.write("R %.6f %s %s\n" % (t, parts[1], parts[0]))
    f.close()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "echo":
        echo(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 6 and sys.argv[1] == "probe":
        probe(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(__doc__ if __doc__ else "usage: probe.py echo|probe ...")
