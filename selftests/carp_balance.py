#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for the load-balancing selftest (carp_balance.sh).

  carp_balance.py serve NAME VIP PORT
      In a server's netns: answer every UDP datagram to VIP:PORT with NAME,
      and every line on a TCP connection to VIP:PORT with NAME and a newline.
      Both sockets are bound to the virtual address, so replies come from it.

  carp_balance.py probe VIP PORT SRC...
      In the client's netns: one UDP flow from each SRC to VIP:PORT. A flow
      that gets no answer is asked again (TCG loses the odd packet), for up
      to 4 s, then every answer that still arrives within a second is
      collected, so a flow answered twice is seen. Prints a JSON object:
      {SRC: [NAME, ...]}, every answer of every flow.

  carp_balance.py tcp VIP PORT ROUNDS SRC...
      One TCP connection from each SRC, ROUNDS lines each, 0.2 s apart.
      Prints {SRC: [NAME, ...]} (one name per line answered) or, for a
      connection that failed, {SRC: ["error: ..."]}.

  carp_balance.py owner VIP N SRC...
      Which of N vhids (by index, in vhid order) each flow belongs to:
      OpenBSD's hash, ntohl(src ^ dst) % N (IPv6: the four 32-bit words of
      src ^ dst folded by XOR first). Prints {SRC: INDEX}.

Addresses may be IPv4 or IPv6 (all of one family).
"""
import ipaddress
import json
import select
import socket
import sys
import threading
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(name, vip, port):
    udp = socket.socket(family(vip), socket.SOCK_DGRAM)
    udp.bind((vip, port))
    tcp = socket.socket(family(vip), socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((vip, port))
    tcp.listen(128)
    reply = name.encode()

    def conn(c):
        with c, c.makefile("rb") as f:
            for _ in f:
                c.sendall(reply + b"\n")

    def accept():
        while True:
            c, _ = tcp.accept()
            threading.Thread(target=conn, args=(c,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    print("ready", flush=True)
    while True:
        _, peer = udp.recvfrom(512)
        udp.sendto(reply, peer)


def probe(vip, port, srcs):
    socks = {}
    for src in srcs:
        s = socket.socket(family(src), socket.SOCK_DGRAM)
        s.bind((src, 0))
        s.setblocking(False)
        socks[s] = src
    answers = {src: [] for src in srcs}

    def collect(until):
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select(list(socks), [], [], left)
            for s in ready:
                try:
                    data, _ = s.recvfrom(512)
                except BlockingIOError:
                    continue
                answers[socks[s]].append(data.decode())

    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        for s, src in socks.items():
            if not answers[src]:
                s.sendto(b"probe", (vip, port))
        collect(min(deadline, time.monotonic() + 0.5))
        if all(answers.values()):
            break
    collect(time.monotonic() + 1)
    print(json.dumps(answers))


def tcp(vip, port, rounds, srcs):
    out = {}
    for src in srcs:
        try:
            with socket.create_connection((vip, port), timeout=5,
                                          source_address=(src, 0)) as c:
                f = c.makefile("rb")
                names = []
                for _ in range(rounds):
                    c.sendall(b"hello\n")
                    names.append(f.readline().decode().strip())
                    time.sleep(0.2)
                out[src] = names
        except OSError as e:
            out[src] = ["error: " + str(e)]
    print(json.dumps(out))


def fold(a, b):
    x = int(ipaddress.ip_address(a)) ^ int(ipaddress.ip_address(b))
    f = 0
    while x:
        f ^= x & 0xffffffff
        x >>= 32
    return f


def owner(vip, n, srcs):
    print(json.dumps({s: fold(s, vip) % n for s in srcs}))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve(args[0], args[1], int(args[2]))
    elif cmd == "probe":
        probe(args[0], int(args[1]), args[2:])
    elif cmd == "tcp":
        tcp(args[0], int(args[1]), int(args[2]), args[3:])
    elif cmd == "owner":
        owner(args[0], int(args[1]), args[2:])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
