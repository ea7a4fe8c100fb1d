#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest (what it proves is user space: carpctl, its files,
# the boot units or the spec-driven client; the module paths it drives run
# on every kernel in the other tests)
#
# carpctl -o prometheus stats: the Prometheus text exposition format
# (0.0.4) that node_exporter's textfile collector reads, and -O FILE.
# vhid 1 with a pass, advbase 0 (nothing here depends on the interval, and
# sub-second intervals make the test fast); main advskew 100 (MASTER),
# spare advskew 200 (BACKUP, master-down 2.34 s).
#
# Every exposition is read by a strict parser (PROM_PY): each line a
# # HELP, a # TYPE or a sample; names and label names as the format says,
# label values with its escapes only; each family one group of lines with
# exactly one TYPE before its samples; no series twice; counters named
# *_total with non-negative integer values.
#
# Proves: the states (one-hot, per vhid), advskew, advbase, demote and
# every counter agree with `carpctl -j show` and `-j stats` read around it
# (a counter lies between the two reads), the namespace's families are
# there without NAME only; -O FILE writes the same atomically (no file but
# FILE left, mode 0666 less the umask) and a failing command leaves FILE
# as it was; after a failover the spare's transitions counter grew and its
# MASTER sample moved from BACKUP, main shows INIT while its cable is out;
# an advertisement with a wrong password is counted under reason
# "badauth", one for a vhid nobody has under the namespace's "badvhid"; a
# load-balanced device whose name needs escaping gives one series per
# vhid, with its label unescaped back to the name.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_setup test_match test_outfile test_failover test_dropped
	test_carpnodes"

ADVBASE=0
MAIN_SKEW=100
SPARE_SKEW=200
PASS=s3cret
# A load-balanced device on main alone; '"' and '\' must be escaped.
LB_DEV='lb"\1'
LB_VIP=10.0.0.50/24

# prom.py validate FILE | get FILE NAME [LABEL=VALUE...] |
#         match FILE SHOW_JSON STATS_BEFORE STATS_AFTER
# validate: the strict parse alone. get: the value of the one sample of
# NAME with exactly those labels. match: the exposition against carpctl's
# JSON (a counter between the two stats reads). Prints what is wrong and
# exits 1.
PROM_PY='
import json, math, re, sys, time

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
SAMPLE = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")

def fail(msg):
    print(msg)
    sys.exit(1)

def labels(s, where):
    try:
        return labels_of(s, where)
    except IndexError:
        fail("%s: labels cut short" % where)

def labels_of(s, where):
    """{a="x",b="y"} into a dict, the escapes of the format undone."""
    out, i = {}, 1
    while s[i] != "}":
        m = LABEL.match(s, i)
        if not m or m.group(0).startswith("__") or s[m.end():m.end() + 2] != "=\"":
            fail("%s: bad label at %r" % (where, s[i:]))
        i, v = m.end() + 2, ""
        while s[i] != "\"":
            if s[i] == "\\":
                esc = {"\\": "\\", "\"": "\"", "n": "\n"}.get(s[i + 1])
                if esc is None:
                    fail("%s: bad escape %r" % (where, s[i:i + 2]))
                v, i = v + esc, i + 2
            elif s[i] == "\n":
                fail("%s: raw newline in a label value" % where)
            else:
                v, i = v + s[i], i + 1
        if m.group(0) in out:
            fail("%s: label %s twice" % (where, m.group(0)))
        out[m.group(0)] = v
        i += 1
        if s[i] == ",":
            i += 1
        elif s[i] != "}":
            fail("%s: expected , or } at %r" % (where, s[i:]))
    if i != len(s) - 1:
        fail("%s: text after the labels" % where)
    return out

def parse(path):
    """{(name, frozenset(labels)): value}, after every check of the format."""
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("not UTF-8: %s" % e)
    if text and not text.endswith("\n"):
        fail("the last line has no newline")
    types, helps, done, cur, series = {}, set(), set(), None, {}
    for n, line in enumerate(text.split("\n")[:-1], 1):
        where = "line %d %r" % (n, line)
        if line.startswith("#"):
            f = line.split(" ", 3)
            if len(f) < 4 or f[0] != "#" or f[1] not in ("HELP", "TYPE") or not NAME.match(f[2]):
                fail("%s: not a HELP or TYPE line" % where)
            name = f[2]
            if name != cur:
                if name in done or name in types or name in helps:
                    fail("%s: family %s not in one group" % (where, name))
                if cur:
                    done.add(cur)
                cur = name
            if f[1] == "TYPE":
                if name in types or f[3] not in TYPES:
                    fail("%s: second or bad TYPE" % where)
                if any(k[0] == name for k in series):
                    fail("%s: TYPE after a sample" % where)
                types[name] = f[3]
            else:
                if name in helps or re.search(r"\\[^\\n]", f[3]):
                    fail("%s: second HELP, or a bad escape" % where)
                helps.add(name)
            continue
        m = SAMPLE.match(line)
        if not m:
            fail("%s: not a sample" % where)
        name, lab, value = m.group(1), labels(m.group(2) or "{}", where), m.group(3)
        if name != cur:
            fail("%s: a sample of %s outside its group" % (where, name))
        if name not in types:
            fail("%s: no TYPE before the sample" % where)
        try:
            v = float(value)
        except ValueError:
            fail("%s: value %r is not a number" % (where, value))
        if math.isnan(v):
            fail("%s: NaN" % where)
        if types[name] == "counter":
            if not name.endswith("_total") or not re.fullmatch(r"[0-9]+", value):
                fail("%s: a counter must be *_total, a non-negative integer" % where)
            v = int(value)
        key = (name, frozenset(lab.items()))
        if key in series:
            fail("%s: series twice" % where)
        series[key] = v
    return series

def get(series, name, **lab):
    return series.get((name, frozenset(lab.items())))

def family_devices(series):
    return {dict(k[1]).get("device") for k in series if not k[0].startswith("carp_netns_")}

# Where carpctl -j stats counters are in the exposition.
def counter_key(stat, device):
    base = {} if device is None else {"device": device}
    fam = "carp_netns_" if device is None else "carp_"
    ipv = {"ipackets": ("received", "4"), "ipackets6": ("received", "6"),
           "opackets": ("sent", "4"), "opackets6": ("sent", "6")}
    if stat in ("transitions", "conflicts"):
        return fam + stat + "_total", base
    if stat == "conflict_ms":
        return fam + "conflict_milliseconds_total", base
    if stat in ipv:
        return (fam + "advertisements_%s_total" % ipv[stat][0],
                dict(base, ip_version=ipv[stat][1]))
    if stat == "onomem":
        return fam + "advertisements_unsent_total", dict(base, reason=stat)
    return fam + "advertisements_dropped_total", dict(base, reason=stat)

def match(series, show, before, after):
    now, errs = time.time(), []
    def expect(what, got, want):
        if got != want:
            errs.append("%s: %r, want %r" % (what, got, want))
    for d in show:
        dev = d["ifname"]
        vhids = d["nodes"] or [d]
        for n in vhids:
            v = str(n["vhid"])
            for st in ("INIT", "BACKUP", "MASTER"):
                expect("%s vhid %s state %s" % (dev, v, st),
                       get(series, "carp_state", device=dev, vhid=v, state=st),
                       1 if n["state"] == st else 0)
            expect("%s vhid %s advskew" % (dev, v),
                   get(series, "carp_advskew", device=dev, vhid=v), n["advskew"])
            # the time of the change, not its age: at most what show
            # said it was, read before; a TCG VM may lag a while after
            ts = get(series, "carp_state_change_timestamp_seconds", device=dev, vhid=v)
            if n.get("last_change_ms") is None:
                expect("%s vhid %s change time" % (dev, v), ts, None)
                continue
            latest = now - n["last_change_ms"] / 1000
            if ts is None or not latest - 60 <= ts <= latest + 0.5:
                errs.append("%s vhid %s changed at %r, not by %.3f" % (dev, v, ts, latest))
        expect(dev + " advbase", get(series, "carp_advbase_seconds", device=dev), d["advbase"])
        expect(dev + " demote", get(series, "carp_demote", device=dev), d["demote"])
    expect("devices", family_devices(series), {d["ifname"] for d in show})
    for b, a in zip(before, after):
        dev = b["ifname"]
        for stat in b:
            if stat == "ifname":
                continue
            name, lab = counter_key(stat, dev)
            got = get(series, name, **lab)
            if got is None or not b[stat] <= got <= a[stat]:
                errs.append("%s %s: %r, not within %d..%d" % (dev, stat, got, b[stat], a[stat]))
    if errs:
        fail("; ".join(errs))

series = parse(sys.argv[2])
if sys.argv[1] == "get":
    v = get(series, sys.argv[3], **dict(x.split("=", 1) for x in sys.argv[4:]))
    if v is None:
        fail("no sample %s %s" % (sys.argv[3], " ".join(sys.argv[4:])))
    print(int(v) if v == int(v) else v)
elif sys.argv[1] == "match":
    js = [json.load(open(p)) for p in sys.argv[3:6]]
    match(series, *js)
'

prom_py()
{
	python3 -c "$PROM_PY" "$@"
}

# prom_get NS NAME [LABEL=VALUE...]: the value of one sample of NS's
# exposition (checked whole), or fails with what is wrong.
prom_get()
{
	local ns=$1; shift

	carpctl -n "$ns" -o prometheus stats >"$CARP_TMP/get.prom" ||
		{ echo "carpctl -o prometheus stats failed"; return 1; }
	prom_py get "$CARP_TMP/get.prom" "$@"
}

# prom_match NS [NAME]: the exposition of NS (NAME only) against `-j show`
# and `-j stats` around it. Prints what went wrong.
prom_match()
{
	local ns=$1 t=$CARP_TMP; shift

	carpctl -n "$ns" -j show "$@" >"$t/show.json" &&
	carpctl -n "$ns" -j stats "$@" >"$t/before.json" &&
	carpctl -n "$ns" -o prometheus stats "$@" >"$t/m.prom" &&
	carpctl -n "$ns" -j stats "$@" >"$t/after.json" ||
		{ echo "carpctl failed"; return 1; }
	prom_py match "$t/m.prom" "$t/show.json" "$t/before.json" "$t/after.json"
}

pair_ready()
{
	carp_pair_ready 1 "$MAIN_SKEW" "$SPARE_SKEW" pass "$PASS"
}

test_setup()
{
	carp_pair_setup "main MASTER, spare BACKUP" 1 "$MAIN_SKEW" \
		"$SPARE_SKEW" pass "$PASS"
}

test_match()
{
	local out ns

	pair_ready
	for ns in "$MAIN" "$SPARE"; do
		check_begin
		out=$(prom_match "$ns")
		check_err $? "$out"
		grep -q '^carp_netns_demotion 0$' "$CARP_TMP/m.prom" ||
			check_fail_msg "no carp_netns_demotion 0"
		log_test "${ns%%-*}: the exposition is valid and agrees with -j show and -j stats"
	done

	check_begin
	out=$(prom_match "$MAIN" carp0)
	check_err $? "$out"
	! grep -q '^carp_netns_' "$CARP_TMP/m.prom" ||
		check_fail_msg "stats carp0 has the namespace's families"
	log_test "stats carp0: the device only"
}

test_outfile()
{
	local d=$CARP_TMP/textfile out rc

	pair_ready
	mkdir -p "$d"
	check_begin
	(umask 022 && carpctl -n "$MAIN" -o prometheus -O "$d/carp.prom" stats) \
		>"$CARP_TMP/stdout"
	check_err $? "-O FILE failed"
	[ -s "$CARP_TMP/stdout" ] && check_fail_msg "output on stdout with -O"
	out=$(prom_py validate "$d/carp.prom")
	check_err $? "$out"
	grep -q '^carp_state{device="carp0",vhid="1",state="MASTER"} 1$' "$d/carp.prom" ||
		check_fail_msg "no MASTER sample in the file"
	[ "$(stat -c %a "$d/carp.prom")" = 644 ] ||
		check_fail_msg "mode $(stat -c %a "$d/carp.prom"), want 644"
	log_test "-O FILE: the exposition, mode 644 under umask 022"

	check_begin
	cp "$d/carp.prom" "$CARP_TMP/good.prom"
	out=$(carpctl -n "$MAIN" -o prometheus -O "$d/carp.prom" stats nosuch 2>&1)
	rc=$?
	((rc == 2)) || check_fail_msg "stats nosuch: exit $rc"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] ||
		check_fail_msg "not one line: $out"
	cmp -s "$d/carp.prom" "$CARP_TMP/good.prom" ||
		check_fail_msg "FILE changed by a failed run"
	[ "$(ls -A "$d")" = carp.prom ] ||
		check_fail_msg "left in the directory: $(ls -A "$d")"
	log_test "-O FILE: a failure ($out) leaves FILE and nothing else"
}

test_failover()
{
	local out t0 t1 v

	pair_ready
	check_begin
	t0=$(prom_get "$SPARE" carp_transitions_total device=carp0)
	check_err $? "$t0"
	v=$(prom_get "$SPARE" carp_state device=carp0 vhid=1 state=BACKUP)
	[ "$v" = 1 ] || check_fail_msg "spare BACKUP sample: $v"
	out=$(carp_pull_main "$SPARE_SKEW")
	check_err $? "$out"
	t1=$(prom_get "$SPARE" carp_transitions_total device=carp0)
	check_err $? "$t1"
	((t1 > t0)) 2>/dev/null || check_fail_msg "transitions $t0 -> $t1"
	for v in INIT:0 BACKUP:0 MASTER:1; do
		[ "$(prom_get "$SPARE" carp_state device=carp0 vhid=1 \
			state="${v%:*}")" = "${v#*:}" ] ||
			check_fail_msg "spare state ${v%:*} is not ${v#*:}"
	done
	[ "$(prom_get "$MAIN" carp_state device=carp0 vhid=1 state=INIT)" = 1 ] ||
		check_fail_msg "main (cable out) is not INIT"
	out=$(prom_match "$SPARE")
	check_err $? "$out"
	log_test "failover: spare transitions $t0 -> $t1, state sample BACKUP -> MASTER"
	cable_plug main
}

# netns_stat_gt NS COUNTER VALUE: the namespace's COUNTER is above VALUE.
netns_stat_gt()
{
	local v

	v=$(netns_stat "$1" "$2") && ((v > $3))
}

# A wrong password (badauth) and a vhid nobody has (the namespace's
# badvhid), sent from the client to main, MASTER.
test_dropped()
{
	local out b0 b1 n0 n1

	pair_ready
	check_begin
	b0=$(prom_get "$MAIN" carp_advertisements_dropped_total device=carp0 reason=badauth)
	check_err $? "$b0"
	carp_inject advbase="$ADVBASE" advskew=1 pass=wrong
	check_err $? "cannot send the advertisement"
	out=$(wait_counter_ge "$MAIN" carp0 badauth $((b0 + 1)) "$CARP_MARGIN_MS")
	check_err $? "$out"
	b1=$(prom_get "$MAIN" carp_advertisements_dropped_total device=carp0 reason=badauth)
	((b1 > b0)) 2>/dev/null || check_fail_msg "badauth $b0 -> $b1"
	log_test "a wrong password: reason=\"badauth\" $b0 -> $b1"

	check_begin
	n0=$(prom_get "$MAIN" carp_netns_advertisements_dropped_total reason=badvhid)
	check_err $? "$n0"
	carp_inject vhid=99 advbase="$ADVBASE" advskew=1 pass="$PASS"
	check_err $? "cannot send the advertisement"
	carp_poll 0.1 "$CARP_MARGIN_MS" netns_stat_gt "$MAIN" badvhid "$n0"
	n1=$(prom_get "$MAIN" carp_netns_advertisements_dropped_total reason=badvhid)
	((n1 > n0)) 2>/dev/null || check_fail_msg "badvhid $n0 -> $n1"
	out=$(prom_match "$MAIN")
	check_err $? "$out"
	log_test "an unknown vhid: the namespace's reason=\"badvhid\" $n0 -> $n1"
}

# lb_masters: main MASTER of both vhids of $LB_DEV.
lb_masters()
{
	local out

	out=$(carpctl -n "$MAIN" -j show "$LB_DEV" 2>/dev/null) &&
		[[ $out == *'"vhid":2,"advskew":10,"state":"MASTER"'*'"vhid":3,"advskew":100,"state":"MASTER"'* ]]
}

test_carpnodes()
{
	local out

	pair_ready
	check_begin
	carpctl -n "$MAIN" del "$LB_DEV" 2>/dev/null
	out=$(carp_add "$MAIN" "$LB_DEV" dev eth0 carpnodes 2:10,3:100 \
		advbase "$ADVBASE" "$LB_VIP")
	check_err $? "$out"
	carp_poll 0.1 $(($(carp_down_ms "$ADVBASE" 100) + CARP_MARGIN_MS)) lb_masters ||
		check_fail_msg "$LB_DEV: not MASTER of vhids 2 and 3"
	out=$(prom_match "$MAIN")
	check_err $? "$out"
	for v in 2:10 3:100; do
		[ "$(prom_get "$MAIN" carp_advskew device="$LB_DEV" \
			vhid="${v%:*}")" = "${v#*:}" ] ||
			check_fail_msg "no advskew ${v#*:} for vhid ${v%:*}"
	done
	grep -qF 'carp_state{device="lb\"\\1",vhid="3",state="MASTER"} 1' \
		"$CARP_TMP/m.prom" || check_fail_msg "the label is not escaped"
	log_test "carpnodes 2:10,3:100 on a device named $LB_DEV: a series per vhid"
	carpctl -n "$MAIN" del "$LB_DEV"
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
