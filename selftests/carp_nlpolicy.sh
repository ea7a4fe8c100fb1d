#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the generic netlink family accepts in a request, byte by byte (a
# raw netlink client in Python, no carpctl or libnl between), and where
# rtnetlink's IFLA_LINK is looked up.
#
# Proves: (a) each reply-only attribute (has-key, addrs, stats, vmac, other,
# demote, demotion, last-change, last-reason, old-state, reason, time;
# state outside SET_DEVICE; a node's state, last-change, reason and
# last-reason) in an otherwise valid request of every command is refused
# with EINVAL, an extended ack message naming it and the offset of that
# attribute, and the request changes nothing (no advskew set, no device
# created or deleted, no demotion); an attribute of another command (a
# vhid in DEL_DEVICE, a MAC mode in GET_DEVICE) is refused too and deletes
# nothing, as are a MAC mode past enum carp_lladdr (ERANGE) and lladdr
# parent with two vhids; the same requests without it succeed; (b) every command, GET_DEVICE to
# DEL_DEVICE included, has its genetlink header checked: a non-zero
# reserved field and nlmsg_flags other than REQUEST, ACK, ECHO and DUMP
# are refused; a peer of 0/8, 127/8, 224/4 or 240/4 (carpctl's address
# table) is refused by the kernel itself, in a peer list too, as are a
# list with a duplicate, an entry of another size (ERANGE) or type, a list with
# the single form beside it and more than 32 peers together, each with
# its message (and the entry's offset); (c) carpctl, which sends only
# request attributes, still
# adds, sets, shows and deletes; (d) `ip link add carpx link pa netns B
# type carp` run in namespace A looks pa up in A (where the request names
# it), not in B: B holds a decoy device with pa's ifindex, which must not
# become the parent; the request is refused, as a carp device lives in
# its parent's namespace, and creates nothing; in A the same command
# without netns creates carpx on pa.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_policy test_carpctl test_link_netns"

NA=""
NB=""
PY=""

cleanup()
{
	cleanup_all_ns
	[ -z "$PY" ] || rm -f "$PY"
}

require_carp
trap cleanup EXIT
setup_ns NA NB || { echo "FAIL: cannot create namespaces"; exit "$ksft_fail"; }
ip -n "$NA" link add pa type dummy || carp_skip "no dummy devices"
ip -n "$NA" link set pa up
carp_add "$NA" c0 dev pa vhid 1 10.5.0.1/24 >/dev/null ||
	{ echo "FAIL: carpctl add c0"; exit "$ksft_fail"; }

PY=$(mktemp /tmp/carp_nlpolicy.XXXXXX.py)
cat >"$PY" <<'EOF'
import errno, socket, struct, sys

NLMSG_ERROR, NLMSG_DONE = 2, 3
F_REQUEST, F_ACK, F_DUMP = 1, 4, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
ATTR_MSG, ATTR_OFFS = 1, 2
GET, NEW, SET, DEL, GET_NET, SET_NET = 1, 2, 3, 4, 5, 6
NEW_HOLD, DEL_HOLD, NEW_TRACK, DEL_TRACK = 9, 10, 11, 12
IFNAME, LINK, VHID, ADVSKEW, STATE, NODES, DEMOTE_ADJ = 2, 3, 4, 6, 9, 24, 16
HOLD_NAME, DEMOTE_BY = 27, 28
NODE, NODE_VHID, NODE_ADVSKEW = 1, 1, 2

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.bind((0, 0))
s.setsockopt(270, 11, 1)        # NETLINK_EXT_ACK
seq = 0

def attr(t, data):
    return struct.pack('HH', 4 + len(data), t) + data + b'\0' * (-len(data) % 4)

def u8(t, v): return attr(t, struct.pack('B', v))
def u32(t, v): return attr(t, struct.pack('I', v))
def s32(t, v): return attr(t, struct.pack('i', v))
def u64(t, v): return attr(t, struct.pack('Q', v))
def sz(t, v): return attr(t, v.encode() + b'\0')
def nest(t, *a): return attr(t | 0x8000, b''.join(a))

def talk(fam, cmd, attrs=b'', flags=F_ACK, reserved=0, version=1):
    """(error, ext-ack message, offset of the bad attribute, data replies)"""
    global seq
    seq += 1
    body = struct.pack('BBH', cmd, version, reserved) + attrs
    s.send(struct.pack('IHHII', 16 + len(body), fam, F_REQUEST | flags, seq, 0) + body)
    err, msg, offs, data = None, '', None, 0
    while err is None:
        buf = s.recv(65536)
        while len(buf) >= 16:
            ln, typ, fl, sq, _ = struct.unpack('IHHII', buf[:16])
            if sq == seq and typ == NLMSG_ERROR:
                err = -struct.unpack('i', buf[16:20])[0]
                tl = buf[20:ln]
                if not fl & NLM_F_CAPPED:
                    tl = tl[struct.unpack('I', tl[:4])[0]:]
                else:
                    tl = tl[16:]
                while fl & NLM_F_ACK_TLVS and len(tl) >= 4:
                    al, at = struct.unpack('HH', tl[:4])
                    if al < 4:
                        break
                    if at == ATTR_MSG:
                        msg = tl[4:al].rstrip(b'\0').decode()
                    elif at == ATTR_OFFS:
                        offs = struct.unpack('I', tl[4:8])[0]
                    tl = tl[(al + 3) & ~3:]
            elif sq == seq and typ == NLMSG_DONE:
                err = 0
            elif sq == seq:
                data += 1
            buf = buf[(ln + 3) & ~3:]
    return err, msg, offs, data

def family():
    global seq
    seq += 1
    body = struct.pack('BBH', 3, 1, 0) + sz(2, 'carp')   # CTRL_CMD_GETFAMILY
    s.send(struct.pack('IHHII', 16 + len(body), 16, F_REQUEST, seq, 0) + body)
    buf = s.recv(65536)[20:]
    while buf:
        al, at = struct.unpack('HH', buf[:4])
        if at == 1:
            return struct.unpack('H', buf[4:6])[0]
        buf = buf[(al + 3) & ~3:]
    sys.exit('no carp family')

fam = family()
link = int(sys.argv[1])
bad = 0

def check(what, got, want_err, want_msg=None, want_offs=None):
    global bad
    err, msg, offs, _ = got
    ok = err == want_err and (want_msg is None or want_msg in msg) and \
        (want_offs is None or offs == want_offs)
    if not ok:
        bad += 1
        print(f'FAIL: {what}: error {err} "{msg}" offset {offs}, '
              f'want {want_err} "{want_msg or ""}" offset {want_offs}')

# The reply-only attributes, each a valid value of its type.
reply_only = [
    ('CARP_A_HAS_KEY', attr(8, b'')),
    ('CARP_A_ADDRS', attr(10, nest(1, attr(1, struct.pack('H', 2)),
                                   attr(2, bytes([10, 5, 0, 1])), u8(3, 24)))),
    ('CARP_A_STATS', attr(11, u64(2, 1))),
    ('CARP_A_VMAC', attr(12, bytes([0, 0, 0x5e, 0, 1, 1]))),
    ('CARP_A_DEMOTE', u8(14, 3)),
    ('CARP_A_DEMOTION', u32(15, 3)),
    ('CARP_A_LAST_CHANGE', u64(17, 1000)),
    ('CARP_A_LAST_REASON', sz(18, 'master timed out')),
    ('CARP_A_OLD_STATE', u8(21, 1)),
    ('CARP_A_REASON', u8(22, 1)),
    ('CARP_A_TIME', u64(23, 1)),
    ('CARP_A_OTHER', attr(26, bytes([10, 0, 0, 3]))),
    ('CARP_A_HOLDS', attr(29, nest(1, sz(1, 'h')))),
    ('CARP_A_TRACKS', attr(30, nest(1, u32(1, 1)))),
]
# A valid request of each command; the attribute under test goes last.
valid = {
    GET: sz(IFNAME, 'c0'),
    NEW: sz(IFNAME, 'c1') + u32(LINK, link) + u8(VHID, 9),
    SET: sz(IFNAME, 'c0') + u8(ADVSKEW, 77),
    DEL: sz(IFNAME, 'c0'),
    GET_NET: b'',
    SET_NET: s32(DEMOTE_ADJ, 5),
    NEW_HOLD: sz(HOLD_NAME, 'p') + u8(DEMOTE_BY, 1),
    DEL_HOLD: sz(HOLD_NAME, 'p'),
    NEW_TRACK: u32(LINK, link) + u8(DEMOTE_BY, 1),
    DEL_TRACK: u32(LINK, link),
}
HDR = 20    # nlmsghdr + genlmsghdr: the offset of the first attribute
for cmd, base in valid.items():
    extra = reply_only + ([] if cmd == SET else [('CARP_A_STATE', u8(STATE, 2))])
    for name, a in extra:
        check(f'command {cmd} with {name}', talk(fam, cmd, base + a),
              errno.EINVAL, name, HDR + len(base))
    # Nests as replies carry them (NLA_F_NESTED): the core's strict
    # check refuses them before their policy entry, by offset only.
    for name, a in [('CARP_A_ADDRS', nest(10, nest(1, u8(3, 24)))),
                    ('CARP_A_STATS', nest(11, u64(2, 1)))]:
        check(f'command {cmd} with {name} (NLA_F_NESTED)', talk(fam, cmd, base + a),
              errno.EINVAL, None, HDR + len(base))
for name, t in [('CARP_NODE_A_STATE', 3), ('CARP_NODE_A_LAST_CHANGE', 4),
                ('CARP_NODE_A_REASON', 5), ('CARP_NODE_A_LAST_REASON', 6)]:
    v = sz(t, 'x') if t == 6 else (u64(t, 1) if t == 4 else u8(t, 1))
    for cmd in (NEW, SET):
        base = sz(IFNAME, 'c1' if cmd == NEW else 'c0') + \
            (u32(LINK, link) if cmd == NEW else b'')
        req = base + nest(NODES, nest(NODE, u8(NODE_VHID, 9), v))
        check(f'command {cmd} with {name} in a node', talk(fam, cmd, req),
              errno.EINVAL, name, HDR + len(base) + 8 + 8)
# An attribute of another command: a DEL_DEVICE that names a vhid, a
# GET_DEVICE a MAC mode (configuration, not a reply-only attribute).
check('DEL_DEVICE with CARP_A_VHID', talk(fam, DEL, valid[DEL] + u8(VHID, 1)),
      errno.EINVAL, None, HDR + len(valid[DEL]))
LLADDR = 31
check('GET_DEVICE with CARP_A_LLADDR', talk(fam, GET, valid[GET] + u8(LLADDR, 1)),
      errno.EINVAL, None, HDR + len(valid[GET]))
# A MAC mode past enum carp_lladdr (the policy's range: ERANGE);
# lladdr parent with two vhids.
check('SET_DEVICE lladdr 2', talk(fam, SET, valid[SET] + u8(LLADDR, 2)),
      errno.ERANGE, 'out of range', HDR + len(valid[SET]))
check('NEW_DEVICE lladdr parent, two vhids',
      talk(fam, NEW, sz(IFNAME, 'c1') + u32(LINK, link) + u8(LLADDR, 1) +
           nest(NODES, nest(NODE, u8(NODE_VHID, 9)), nest(NODE, u8(NODE_VHID, 10)))),
      errno.EINVAL, 'lladdr parent')
# The header of every command is checked.
for cmd, base in valid.items():
    check(f'command {cmd}, reserved 1', talk(fam, cmd, base, reserved=1),
          errno.EINVAL, 'reserved')
    check(f'command {cmd}, NLM_F_CREATE', talk(fam, cmd, base, flags=F_ACK | 0x400),
          errno.EINVAL, 'flags')
# A peer outside carpctl's address table (tools/carpctl/addr.c): refused
# by the kernel too, whoever sends it.
PEER = 19
for a in ('0.1.2.3', '127.0.0.1', '224.0.0.18', '240.0.0.1', '255.255.255.255'):
    check(f'SET_DEVICE peer {a}',
          talk(fam, SET, sz(IFNAME, 'c0') + attr(PEER, socket.inet_aton(a))),
          errno.EINVAL, 'unicast')
# Peer lists: each entry checked as the single peer is, no duplicate, no
# entry of another length or type, never with the single form, at most
# 32 peers; the extended ack points at the entry.
PEERS, PEERS6, PADDR = 32, 33, 1
ip4 = socket.inet_aton
ip6 = lambda a: socket.inet_pton(socket.AF_INET6, a)
c0 = sz(IFNAME, 'c0')
second = HDR + len(c0) + 4 + 8
check('SET_DEVICE peers 10.5.0.9,224.0.0.18',
      talk(fam, SET, c0 + nest(PEERS, attr(PADDR, ip4('10.5.0.9')),
                               attr(PADDR, ip4('224.0.0.18')))),
      errno.EINVAL, 'unicast', second)
check('SET_DEVICE peers 10.5.0.9,10.5.0.9',
      talk(fam, SET, c0 + nest(PEERS, attr(PADDR, ip4('10.5.0.9')),
                               attr(PADDR, ip4('10.5.0.9')))),
      errno.EINVAL, 'peer listed twice', second)
check('SET_DEVICE peers, an entry of 3 bytes',
      talk(fam, SET, c0 + nest(PEERS, attr(PADDR, ip4('10.5.0.9')),
                               attr(PADDR, b'\x0a\x05\x00'))),
      errno.ERANGE, 'size', second)
check('SET_DEVICE peers, an entry of type 2',
      talk(fam, SET, c0 + nest(PEERS, attr(2, ip4('10.5.0.9')))),
      errno.EINVAL, None, HDR + len(c0) + 4)
check('SET_DEVICE peer and peers',
      talk(fam, SET, c0 + attr(PEER, ip4('10.5.0.8')) +
           nest(PEERS, attr(PADDR, ip4('10.5.0.9')))),
      errno.EINVAL, 'not both')
check('SET_DEVICE peers6 2001:db8::9,ff02::12',
      talk(fam, SET, c0 + nest(PEERS6, attr(PADDR, ip6('2001:db8::9')),
                               attr(PADDR, ip6('ff02::12')))),
      errno.EINVAL, 'unicast', HDR + len(c0) + 4 + 20)
check('SET_DEVICE 20 peers and 13 peers6',
      talk(fam, SET, c0 +
           nest(PEERS, *(attr(PADDR, ip4(f'10.6.0.{i}')) for i in range(1, 21))) +
           nest(PEERS6, *(attr(PADDR, ip6(f'2001:db8::{i:x}')) for i in range(1, 14)))),
      errno.E2BIG, 'at most 32')
if bad:
    sys.exit(1)
# Nothing of the above applied; now the valid requests do.
check('GET_DEVICE', talk(fam, GET, valid[GET]), 0)
check('SET_DEVICE advskew 77', talk(fam, SET, valid[SET]), 0)
check('SET_DEVICE advskew 0', talk(fam, SET, sz(IFNAME, 'c0') + u8(ADVSKEW, 0)), 0)
check('SET_DEVICE peer 10.5.0.9', talk(fam, SET, sz(IFNAME, 'c0') + attr(PEER, socket.inet_aton('10.5.0.9'))), 0)
check('SET_DEVICE peer none', talk(fam, SET, sz(IFNAME, 'c0') + attr(PEER, bytes(4))), 0)
check('SET_DEVICE peers 10.5.0.9,10.5.0.10',
      talk(fam, SET, c0 + nest(PEERS, attr(PADDR, ip4('10.5.0.9')),
                               attr(PADDR, ip4('10.5.0.10')))), 0)
check('SET_DEVICE peers, empty', talk(fam, SET, c0 + nest(PEERS)), 0)
check('GET_NET', talk(fam, GET_NET), 0)
check('dump', talk(fam, GET, flags=F_DUMP), 0)
sys.exit(1 if bad else 0)
EOF

snap()
{
	# the configuration, not the state the protocol moves on by itself
	carpctl -n "$NA" -j show | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    print(d["ifname"], d["dev"], d["vhid"], d["advbase"], d["advskew"],
          d["auth"], d["addresses"], d["peer"], d["balancing"])'
	carpctl -n "$NA" demote
	ip -n "$NA" -o link show | awk '{ print $2 }'
}

pa=$(ip -n "$NA" -j link show dev pa | python3 -c \
	'import json, sys; print(json.load(sys.stdin)[0]["ifindex"])')

test_policy()
{
	local before after out

	check_begin
	before=$(snap)
	out=$(ip netns exec "$NA" python3 "$PY" "$pa" 2>&1)
	check_err $? "$out"
	after=$(snap)
	[ "$before" = "$after" ] ||
		check_fail_msg "namespace changed: $(diff <(echo "$before") <(echo "$after"))"
	log_test "reply-only attributes refused by name in every command; strict headers; nothing changed"
}

test_carpctl()
{
	local out

	check_begin
	carp_set "$NA" c0 advskew 30 >/dev/null
	check_err $? "carpctl set"
	[ "$(carp_field "$NA" c0 advskew)" = 30 ] || check_fail_msg "advskew not 30"
	carp_add "$NA" c2 dev pa vhid 2 pass s3cret 10.5.0.2/24 >/dev/null
	check_err $? "carpctl add"
	carp_set "$NA" c2 carpnodes 2:0,3:50 >/dev/null
	check_err $? "carpctl set carpnodes"
	out=$(carpctl -n "$NA" demote +10 2>&1)
	check_err $? "carpctl demote: $out"
	carpctl -n "$NA" demote -10 >/dev/null 2>&1
	carp_del "$NA" c2
	check_err $? "carpctl del"
	log_test "carpctl adds, sets, demotes and deletes as before"
}

test_link_netns()
{
	local out rc l

	check_begin
	# A decoy in B with the ifindex pa has in A.
	ip -n "$NB" link add decoy index "$pa" type dummy 2>/dev/null ||
		ip -n "$NB" link add decoy type dummy
	ip -n "$NB" link set decoy up
	out=$(ip -n "$NA" link add carpx link pa netns "$NB" type carp vhid 7 2>&1)
	rc=$?
	((rc != 0)) || check_fail_msg "a carp device created in another namespace than its parent's"
	[[ $out == *"parent's network namespace"* ]] ||
		check_fail_msg "not refused for the namespace: $out"
	link_exists "$NB" carpx && check_fail_msg "carpx created in B: $(carpctl -n "$NB" -j show)"
	[ "$(carpctl -n "$NB" -j show 2>&1)" = "[]" ] ||
		check_fail_msg "a carp device in B: $(carpctl -n "$NB" -j show 2>&1)"
	out=$(ip -n "$NA" link add carpx link pa type carp vhid 7 2>&1)
	check_err $? "ip link add carpx link pa: $out"
	l=$(carp_field "$NA" carpx dev 2>/dev/null)
	[ "$l" = pa ] || check_fail_msg "carpx's parent is '$l', not pa"
	ip -n "$NA" link del carpx 2>/dev/null
	log_test "ip link add link pa netns B: pa is looked up in A, refused; in A it is pa's"
}

carp_run_tests

exit "$EXIT_STATUS"
