#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# report.py RESULTS.jsonl
#     The tables of one run (rows and notes as lib_bench.sh writes them),
#     as Markdown, on stdout.
# report.py --md OUT --cmd CMD --machine TEXT [--date D] [--commit C]
#           KVER=RESULTS.jsonl...
#     The same for every kernel, written to OUT (bench/RESULTS.md) with the
#     command, date, commit, kernels and machine; also printed.
import argparse
import json
import sys
import time


def cell(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        if v == int(v):
            return str(int(v))
        # ratios keep three decimals, times one
        return ("%.3f" % v if abs(v) < 10 else "%.1f" % v).rstrip("0")
    return str(v).replace("|", "\\|")


def tables(path):
    order, rows, notes, cols = [], {}, {}, {}
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        d = json.loads(line)
        t = d["table"]
        if t not in order:
            order.append(t)
            rows[t], notes[t] = [], []
        if "note" in d:
            notes[t].append(d["note"])
        else:
            cols.setdefault(t, d["cols"])
            rows[t].append(d["vals"])
    out = []
    for t in order:
        out.append("### " + t)
        out.append("")
        if t in cols:
            out.append("| " + " | ".join(cols[t]) + " |")
            out.append("|" + "|".join("---" for _ in cols[t]) + "|")
            for r in rows[t]:
                out.append("| " + " | ".join(cell(v) for v in r) + " |")
            out.append("")
        for n in notes[t]:
            out.append("- " + n)
        if notes[t]:
            out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
        print(tables(sys.argv[1]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--md", required=True)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--date", default=time.strftime("%Y-%m-%d %H:%M %Z"))
    ap.add_argument("--commit", default="")
    ap.add_argument("runs", nargs="+", metavar="KVER=RESULTS")
    a = ap.parse_args()
    doc = ["# carp benchmark results", "",
           "Written by `make bench` (scripts/vm/bench.sh; the sections are "
           "bench/*.sh, see Documentation/carp.rst, Benchmarks). Absolute "
           "times are those of a QEMU TCG guest, many times slower than "
           "hardware: compare the tools with each other and carp with its "
           "parent device, not with other machines.", "",
           "- command: `%s`" % a.cmd,
           "- date: %s" % a.date,
           "- commit: %s" % (a.commit or "unknown"),
           "- kernels: %s" % ", ".join(r.split("=", 1)[0] for r in a.runs),
           "- machine: %s" % a.machine, ""]
    for r in a.runs:
        kver, path = r.split("=", 1)
        doc += ["## Kernel %s" % kver, "", tables(path)]
    text = "\n".join(doc).rstrip() + "\n"
    open(a.md, "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
