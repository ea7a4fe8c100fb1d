#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Writes the seed corpora of the carpctl fuzz targets (fuzz/corpus/TARGET/
# seed-*), as committed: run it again after changing an input format.
# The attribute numbers are those of kmod/uapi/carp.h.
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# enum carp_attr
(A_IFINDEX, A_IFNAME, A_LINK, A_VHID, A_ADVBASE, A_ADVSKEW, A_KEY, A_HAS_KEY,
 A_STATE, A_ADDRS, A_STATS, A_VMAC, A_PAD, A_DEMOTE, A_DEMOTION,
 A_DEMOTE_ADJ, A_LAST_CHANGE, A_LAST_REASON, A_PEER, A_PEER6, A_OLD_STATE,
 A_REASON, A_TIME, A_NODES, A_BALANCING, A_OTHER, A_HOLD_NAME, A_DEMOTE_BY,
 A_HOLDS, A_TRACKS, A_LLADDR, A_PEERS, A_PEERS6, A_VERSION, A_VRRP_PRIO,
 A_VRRP_INTERVAL, A_VRRP_PREEMPT, A_VRRP_MASTER_INTERVAL, A_VRRP_FAMILY,
 A_VRRP_ACCEPT) = range(1, 41)
NLA_F_NESTED = 0x8000


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack('<HH', n, t) + payload + b'\0' * ((4 - n % 4) % 4)


def u8(t, v):
    return nla(t, struct.pack('B', v))


def u16(t, v):
    return nla(t, struct.pack('<H', v))


def u32(t, v):
    return nla(t, struct.pack('<I', v))


def u64(t, v):
    return nla(t, struct.pack('<Q', v))


def s(t, v):
    return nla(t, v.encode() + b'\0')


def addr(family, raw, plen):
    return nla(NLA_F_NESTED | 1, nla(1, struct.pack('<H', family)) +
               nla(2, raw) + nla(3, struct.pack('B', plen)))


def device(name, vhid, nodes=None, peer=False, stats=True, vrrp=None,
           family=None):
    # everything the module always reports; stats=False: a malformed one;
    # vrrp: (prio, interval, preempt, master interval or None), VRRPv3's;
    # family: (family, accept) of a module that reports them
    b = u32(A_IFINDEX, 5) + s(A_IFNAME, name) + u32(A_LINK, 1)
    if vrrp:
        b += u8(A_VERSION, 3) + u8(A_VRRP_PRIO, vrrp[0])
        b += u16(A_VRRP_INTERVAL, vrrp[1]) + u8(A_VRRP_PREEMPT, vrrp[2])
        if vrrp[3] is not None:
            b += u16(A_VRRP_MASTER_INTERVAL, vrrp[3])
    if family:
        b += u8(A_VRRP_FAMILY, family[0]) + u8(A_VRRP_ACCEPT, family[1])
    b += u8(A_VHID, vhid) + u8(A_ADVBASE, 1) + u8(A_ADVSKEW, 0)
    b += nla(A_HAS_KEY, b'') + u8(A_STATE, 2)
    b += nla(NLA_F_NESTED | A_ADDRS,
             addr(2, bytes([10, 0, 0, 1]), 24) +
             addr(10, bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [1]), 64))
    if stats:
        b += nla(NLA_F_NESTED | A_STATS,
                 b''.join(u64(k, k * 1000) for k in range(2, 18)))
    b += nla(A_VMAC, bytes([0, 0, 0x5e, 0, 1, vhid])) + u8(A_DEMOTE, 0)
    b += u64(A_LAST_CHANGE, 3200) + s(A_LAST_REASON, 'master timed out')
    if peer:
        b += nla(A_PEER, bytes([10, 0, 0, 3]))
        b += nla(A_PEER6, bytes([0xfe, 0x80] + [0] * 13 + [3]))
        b += nla(NLA_F_NESTED | A_PEERS, nla(1, bytes([10, 0, 0, 3])) +
                 nla(1, bytes([10, 0, 0, 4])))
        b += nla(NLA_F_NESTED | A_PEERS6,
                 nla(1, bytes([0xfe, 0x80] + [0] * 13 + [3])))
    b += u8(A_LLADDR, 1 if peer else 0)
    b += u8(A_BALANCING, 1 if nodes and len(nodes) > 1 else 0)
    b += nla(NLA_F_NESTED | A_NODES, b''.join(
        nla(NLA_F_NESTED | 1, u8(1, v) + u8(2, k) + u8(3, 2) +
            u64(4, 65000) + u8(5, 1) + s(6, 'link up'))
        for v, k in (nodes or [(vhid, 0)])))
    return b


def msg(kind, body):
    b = bytes([kind]) + body
    return struct.pack('<H', len(b)) + b


def reply_seeds():
    net = u32(A_DEMOTION, 10) + u8(A_DEMOTE, 250) + nla(
        NLA_F_NESTED | A_STATS, b''.join(u64(k, k) for k in range(2, 18)))
    event = (u32(A_IFINDEX, 5) + s(A_IFNAME, 'carp0') + u8(A_VHID, 1) +
             u8(A_OLD_STATE, 1) + u8(A_STATE, 2) + u8(A_REASON, 1) +
             s(A_LAST_REASON, 'master timed out') +
             u64(A_TIME, 1748779200123456789))
    holds = nla(NLA_F_NESTED | A_HOLDS,
                nla(NLA_F_NESTED | 1, s(1, 'web') + u8(2, 240) + nla(3, b'')) +
                nla(NLA_F_NESTED | 1, s(1, 'db') + u8(2, 100)))
    tracks = nla(NLA_F_NESTED | A_TRACKS,
                 nla(NLA_F_NESTED | 1, u32(1, 3) + s(2, 'eth1') + u8(3, 240) +
                     nla(4, b'')) +
                 nla(NLA_F_NESTED | 1, u32(1, 9) + u8(3, 7)))
    conflict = (u32(A_IFINDEX, 5) + s(A_IFNAME, 'carp0') + u8(A_VHID, 1) +
                nla(A_OTHER, bytes([10, 0, 0, 3])) + u8(A_ADVBASE, 0) +
                u8(A_ADVSKEW, 110) + u8(A_DEMOTE, 10) +
                u64(A_TIME, 1748779200123456789))
    conflict6 = (s(A_IFNAME, 'carp0') + nla(A_OTHER, bytes(15) + b'\x01') +
                 u8(A_ADVBASE, 1) + u8(A_ADVSKEW, 0))
    ifa = struct.pack('<BBBBI', 2, 24, 0, 0, 2)
    newaddr = ifa + nla(2, bytes([10, 0, 0, 2])) + nla(1, bytes([10, 0, 0, 2]))
    err = (struct.pack('<i', -22) + struct.pack('<IHHII', 36, 0x1e, 5, 1, 0) +
           nla(1, b'peer must be a unicast address\n\0') + nla(5, struct.pack('<I', 19)))
    return {
        'one-device': b'\0' + msg(0, device('carp0', 1)),
        'dump-three': b'\0' + msg(0, device('carp1', 7, peer=True)) +
        msg(0, device('carp0', 1, nodes=[(1, 0), (2, 100), (30, 200)])) +
        msg(0, device('carp2', 9, nodes=[(9, 20)])),
        'malformed-device': b'\0' + msg(0, device('carp0', 1, stats=False)),
        'net': b'\0' + msg(1, net) + msg(0, device('carp0', 1)),
        'event': b'\0' + msg(2, event) + msg(2, event[:-12]),
        'net-holds': b'\0' + msg(1, net + holds + tracks),
        'conflict': b'\0' + msg(10, conflict) + msg(10, conflict6) +
        msg(10, conflict[:-20]),
        'newaddr': b'\0' + msg(3, newaddr) + msg(3, ifa),
        'error': b'\0' + msg(4, err) + msg(5, err),
        'empty-attrs': b'\0' + msg(0, s(A_IFNAME, 'x')) + msg(1, b'') + msg(2, b''),
        'vrrp': b'\0' + msg(0, device('vrrp0', 51, vrrp=(200, 100, 1, 300))) +
        msg(0, device('vrrp1', 52, vrrp=(255, 4095, 0, None))) +
        msg(0, device('carp0', 1) + u8(A_VERSION, 2)),
        'vrrp-malformed': b'\0' + msg(0, device('vrrp0', 51) + u8(A_VERSION, 3)),
        # -o prometheus: a CARP device beside a VRRPv3 one (carp_version of
        # both), intervals in cs that are not whole seconds, the namespace
        'vrrp-prom': b'\0' + msg(1, net) + msg(0, device('carp0', 1)) +
        msg(0, device('vrrp0', 51, vrrp=(1, 5, 0, 150))),
        # IPv6's VRRPv3 and Accept_Mode: one of each family on VRID 51,
        # a family the module should not report, a CARP device with them
        'vrrp-family': b'\0' + msg(1, net) +
        msg(0, device('vrrp4', 51, vrrp=(200, 100, 1, None), family=(4, 1))) +
        msg(0, device('vrrp6', 51, vrrp=(100, 100, 0, 100), family=(6, 0))) +
        msg(0, device('vrrp9', 52, vrrp=(100, 100, 1, None), family=(9, 7))) +
        msg(0, device('carp0', 1, family=(6, 1)) + u8(A_VERSION, 2)),
    }


SEEDS = {
    'split': {
        'plain': b'add carp0 vhid 1 pass secret 10.0.0.1/24',
        'quotes': b'add "carp 0" vhid \'1\' pass "a\\"b\\\\c$`" x\\ y # c',
        'comment': b'# a comment',
        'continued': b'set carp0 advskew 1\\',
        'escaped-backslash': b'help \\\\',
        'unterminated': b'pass \'abc',
        'hash-in-word': b'a#b "#" \'#\'#x',
        'blanks': b' \t\v\f\r ',
    },
    'keyword': {
        'conf': b'pe\n\0dev\n\0vhid\n\0advbase\n\0advskew\n\0pass\n\0state\n'
                b'\x02peer\n\x05peer6\n\0carpnodes\n\0balancing\n\0lladdr',
        'conf-vrrp': b'vrrpp\n\0vhid\n\0carpnodes\n\x05carpver\n\x02vrrpprio\n'
                     b'\x02vrrpinterval\n\x02vrrppreempt',
        'conf-vrrp-family': b'vrrpa\n\0vhid\n\x02vrrpprio\n\x02vrrpinterval\n'
                            b'\x02vrrppreempt\n\x02vrrpaccept\n\x02vrrpfamily',
        'family': b'inet\n\0inet\n\0inet6',
        'commands': b'd\n\0add\n\0set\n\0del\n\x03demote\n\0show\n\0stats\n'
                    b'\0monitor\n\0watch\n\0help\n\x03hold\n\0track',
        'exact': b'ip\n\0none\n\0ip\n\0ip-stealth\n\0ip-unicast',
        'empty': b'\n\0a',
    },
    'number': {
        'uint': b'\x00255', 'uint-big': b'\x0018446744073709551616',
        'demote': b'\x01+240', 'demote-neg': b'\x01-0',
        'nodes': b'\x021:0,2:100,30:200', 'nodes-bad': b'\x021:0,1:5',
        'prefix4': b'\x0310.0.0.1/24', 'prefix6': b'\x032001:db8::1/64',
        'prefix-ll': b'\x03fe80::1/64', 'prefix-lo': b'\x03127.0.0.1',
        'esc': b'\x04a\n"\\\x1b[31m\xc2\x9b\xc3\xa9\xff',
    },
    'json': {
        'plain': b'carp0', 'utf8': b'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9f',
        'controls': b'\x00\x01\x1f\x7f"\\/\b\f\n\r\t',
        'invalid': b'\xff\xc3\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80',
    },
    'cmdline': {
        'add': b'\x00add carp0 vhid 1 pass secret advskew 100 10.0.0.1/24 2001:db8::1/64',
        'add-nodes': b'\x00a carp0 carpn 1:0,2:100 bal ip-s peer 10.0.0.3 10.0.0.1/24',
        'set': b'\x00set carp0 state master peer6 fe80::3 10.0.0.5/24 10.0.0.6',
        'peers': b'\x00set carp0 peer 10.0.0.3,10.0.0.4 peer6 fe80::3,fe80::4',
        'add-vrrp': b'\x00add vrrp0 vhid 51 carpver 3 vrrpprio 200 vrrpinterval 100 '
                    b'vrrppreempt off 10.0.0.1/24',
        'set-vrrp': b'\x00set vrrp0 carpv 3 vrrppri 1 vrrpi 4095 vrrppre on 10.0.0.5/24',
        'bad-vrrp': b'\x00add vrrp0 vhid 1 carpver 3 advskew 5 pass x 2001:db8::1/64',
        'add-vrrp6': b'\x00add vrrp6 dev lo vhid 51 carpver 3 vrrpaccept on '
                     b'2001:db8::1/64 fe80::1/64',
        'set-vrrp-family': b'\x00set vrrp6 vrrpf inet6 vrrpa off fe80::1/64',
        'bad-vrrp6': b'\x00add vrrp6 vhid 51 carpver 3 vrrpfamily inet 10.0.0.1/24 '
                     b'2001:db8::1/64',
        'show': b'\x04show', 'stats': b'\x00stats carp0',
        'demote': b'\x00demote +240', 'del': b'\x00del carp0',
        'watch': b'\x00watch carp0 up /bin/true conflict /bin/true timeout 5',
        'hold': b'\x00hold web demote 100 -- /bin/true',
        'hold-del': b'\x00hold del web',
        'track': b'\x00track add lo demote 50',
        'track-del': b'\x00tr d lo',
        'help': b'\x00help dem', 'bad': b'\x00add carp0 vhid 256 127.0.0.1',
        'batch': b'\x01# a comment\nhelp del\nadd carp0 vhid 1 \\\n10.0.0.1/24\n'
                 b'set carp0 pass "a b"\n',
        'batch-force': b'\x03add carp0 vhid 999 10.0.0.1\ndel carp0\0 junk\n'
                       b'help \\\nfrob\nset carp0 pass \\',
    },
    'reply': reply_seeds(),
}

for target, seeds in SEEDS.items():
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, 'seed-' + name), 'wb') as f:
            f.write(data)
print('mkcorpus: %d seeds' % sum(len(s) for s in SEEDS.values()), file=sys.stderr)
