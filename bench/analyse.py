#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Numbers out of what the bench sections recorded; each subcommand prints
# one JSON result row (see lib_bench.sh, bench_row) on stdout.
#
#   analyse.py gaps TABLE LABEL... -- PROBE EVENTS PCAP OLD_IP NEW FLOOR_MS
#       Failover gaps. PROBE: probe.py's replies; EVENTS: "T TIME [WHAT]"
#       lines, the moments the master was pulled or told to leave; PCAP:
#       the advertisements (IP protocol 112) as the switch saw them. For
#       each event: gap = first reply from NEW after it - the last reply of
#       anyone else before that; "after the last ad" = that first reply -
#       the last advertisement from OLD_IP before the event; added = that -
#       FLOOR_MS (the protocol's master-down interval). Also whether OLD_IP
#       sent an advertisement between the event and the takeover (a
#       bow-out) and what it said (advbase/advskew for CARP, priority for
#       VRRP).
#   analyse.py planned TABLE LABEL... -- (as gaps)
#       The same for a master told to leave: gap median and worst, and what
#       the leaving master last sent before the takeover ("advbase 255
#       advskew 255": a CARP bow-out; "VRRPv3 priority 0": VRRP's goodbye),
#       in how many runs (the last, not the first: an order takes a moment
#       to run, and a routine advertisement may go out in between). Also,
#       in the raw data, the time from each order to the first reply of
#       NEW.
#   analyse.py intervals TABLE LABEL... -- PCAP SRC_IP EXPECT_MS
#       Intervals between successive advertisements from SRC_IP, per vhid:
#       vhids, advertisements, late ones (an interval over 1.5 x EXPECT_MS:
#       one missed or far behind), mean, standard deviation, p50, p99, min,
#       max.
#   analyse.py flood TABLE LABEL... -- PCAP MAIN_IP SPARE_IP EXPECT_MS T0 T1
#       The master's advertisements between T0 and T1 (the flood): how many
#       (and how many one every EXPECT_MS makes), interval mean, p99 and
#       max; and how many the spare sent (0: it never took over).
#   analyse.py stats NUMBERS...: {"median":, "max":, "min":, "mean":}
import json
import math
import os
import statistics
import sys

# carp_pkt.py: one directory up in the kselftest tree (bench/ sits in
# drivers/net/carp), in ../selftests in the repository.
_up = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path[:0] = [_up, os.path.join(_up, "selftests")]
from carp_pkt import (LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL,  # noqa: E402
                      pcap_read)


def pcap_frames(path):
    """(time, ip_src, ip_dst, proto, payload) of every IPv4 frame."""
    linktype, records = pcap_read(path)
    for t, p, _ in records:
        if linktype == LINKTYPE_ETHERNET:
            if len(p) < 34 or p[12:14] != b"\x08\x00":
                continue
            pl = p[14:]
        elif linktype == LINKTYPE_LINUX_SLL:
            if len(p) < 36 or p[14:16] != b"\x08\x00":
                continue
            pl = p[16:]
        else:
            continue
        ihl = (pl[0] & 15) * 4
        yield (t, ".".join(map(str, pl[12:16])), ".".join(map(str, pl[16:20])),
               pl[9], pl[ihl:])


def ads(path, src=None):
    """(time, src, vhid, byte2, advbase) of protocol-112 frames.

    CARP: byte 2 is advskew, byte 5 advbase; VRRP: byte 2 is the priority.
    """
    out = []
    for t, s, _, proto, body in pcap_frames(path):
        if proto != 112 or len(body) < 8 or (src and s != src):
            continue
        out.append((t, s, body[1], body[2], body[5], body[0] >> 4))
    return out


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def r1(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) \
        else round(x, 1)


def num(v):
    """A label that reads as a number is stored as one."""
    if not isinstance(v, str):
        return v
    for f in (int, float):
        try:
            return f(v)
        except ValueError:
            pass
    return v


def row(table, cols, vals, raw=None):
    d = {"table": table, "cols": cols, "vals": [num(v) for v in vals]}
    if raw is not None:
        d["raw"] = raw
    print(json.dumps(d))


def gaps(labels, probe, events, pcap, old_ip, new, floor_ms, planned):
    replies = []
    for line in open(probe):
        p = line.split()
        if len(p) == 4 and p[0] == "R":
            replies.append((float(p[1]), p[3]))
    replies.sort()
    evs = []
    for line in open(events):
        p = line.split()
        if len(p) >= 2 and p[0] == "T":
            evs.append((float(p[1]), " ".join(p[2:])))
    adv = ads(pcap, old_ip) if pcap != "-" else []
    gap, after, bow, lost, order = [], [], [], 0, []
    for t, _ in evs:
        first_new = next((r for r in replies if r[0] > t and r[1] == new),
                         None)
        if not first_new:
            lost += 1
            continue
        before = [r for r in replies if r[0] < first_new[0] and r[1] != new]
        if not before:
            lost += 1
            continue
        gap.append((first_new[0] - before[-1][0]) * 1000)
        order.append((first_new[0] - t) * 1000)
        last_ad = [a for a in adv if a[0] <= t]
        if last_ad:
            after.append((first_new[0] - last_ad[-1][0]) * 1000)
        said = [a for a in adv if t < a[0] <= first_new[0]]
        if said:
            a = said[-1] if planned else said[0]
            bow.append("advbase %d advskew %d" % (a[4], a[3])
                       if a[5] == 2 else "VRRPv%d priority %d" % (a[5], a[3]))
    med = statistics.median(gap) if gap else None
    worst = max(gap) if gap else None
    amed = statistics.median(after) if after else None
    aworst = max(after) if after else None
    added = (amed - floor_ms) if amed is not None else None
    addw = (aworst - floor_ms) if aworst is not None else None
    if planned:
        if bow:
            said = max(set(bow), key=bow.count)
            said = "%s (%d of %d)" % (said, bow.count(said), len(gap))
        else:
            said = "nothing"
        vals = labels + [len(gap), r1(med), r1(worst), said]
    else:
        vals = labels + [len(gap), r1(med), r1(worst), r1(amed), r1(added),
                         r1(addw)]
    raw = {"runs": len(evs), "measured": len(gap), "lost": lost,
           "gaps_ms": [r1(g) for g in gap],
           "after_last_ad_ms": [r1(a) for a in after],
           "old_spoke": bow, "event_to_new_ms": [r1(o) for o in order],
           "floor_ms": floor_ms}
    return vals, raw


def intervals(pcap, src, expect_ms, window=None):
    per = {}
    for a in ads(pcap, src):
        if window and not window[0] <= a[0] <= window[1]:
            continue
        per.setdefault(a[2], []).append(a[0])
    iv = []
    for ts in per.values():
        ts.sort()
        iv += [(b - a) * 1000 for a, b in zip(ts, ts[1:])]
    n = sum(len(ts) for ts in per.values())
    res = {
        "vhids": len(per), "ads": n,
        "mean": statistics.mean(iv) if iv else None,
        "stdev": statistics.pstdev(iv) if iv else None,
        "p50": pct(iv, 50), "p99": pct(iv, 99),
        "min": min(iv) if iv else None, "max": max(iv) if iv else None,
    }
    if window:
        res["expected"] = (window[1] - window[0]) * 1000.0 / expect_ms
    # a missed or very late advertisement
    res["late"] = sum(1 for x in iv if x > 1.5 * expect_ms)
    return res


def main():
    a = sys.argv[1:]
    if not a:
        sys.exit("usage: analyse.py gaps|intervals|stats ...")
    cmd = a.pop(0)
    if cmd == "stats":
        xs = [float(x) for x in a]
        print(json.dumps({"median": statistics.median(xs), "max": max(xs),
                          "min": min(xs), "mean": statistics.mean(xs)}))
        return
    table = a.pop(0)
    sep = a.index("--")
    labels, args = a[:sep], a[sep + 1:]
    cols = json.loads(labels.pop(0))
    if cmd in ("gaps", "planned"):
        probe, events, pcap, old_ip, new, floor_ms = args
        vals, raw = gaps(labels, probe, events, pcap, old_ip, new,
                         float(floor_ms), cmd == "planned")
        row(table, cols, vals, raw)
    elif cmd == "intervals":
        pcap, src, expect_ms = args
        r = intervals(pcap, src, float(expect_ms))
        vals = labels + [r["vhids"], r["ads"], r["late"],
                         r1(r["mean"]), r1(r["stdev"]), r1(r["p50"]),
                         r1(r["p99"]), r1(r["min"]), r1(r["max"])]
        row(table, cols, vals, r)
    elif cmd == "flood":
        pcap, main_ip, spare_ip, expect_ms, t0, t1 = args
        win = (float(t0), float(t1))
        r = intervals(pcap, main_ip, float(expect_ms), win)
        spare = len([a for a in ads(pcap, spare_ip)
                     if win[0] <= a[0] <= win[1]])
        vals = labels + [r["ads"], int(r["expected"]), r1(r["mean"]),
                         r1(r["p99"]), r1(r["max"]), spare]
        r["spare_ads"] = spare
        row(table, cols, vals, r)
    else:
        sys.exit("unknown subcommand " + cmd)


if __name__ == "__main__":
    main()
