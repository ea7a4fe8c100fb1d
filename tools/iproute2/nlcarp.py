#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""test.sh's netlink side, with the numbers read from kmod/uapi/carp.h.

  nlcarp.py decode UAPI_H < STRACE_LOG
      The RTM_NEWLINK that `strace -e trace=sendmsg -e write=all ip link ...`
      shows ip sending, as one line: "create" or "change", then each
      attribute of IFLA_INFO_DATA in attribute order, NAME=VALUE with the
      IFLA_CARP_ prefix dropped; "no RTM_NEWLINK" if none was sent.
  nlcarp.py reply UAPI_H OUT
      Writes a file of RTM_NEWLINK messages such as the kernel sends for a
      carp device, for `ip -d monitor file OUT` (rtmon's format: the raw
      messages, one after the other).
  nlcarp.py data UAPI_H OUT N
      Writes the IFLA_INFO_DATA attributes of the N-th (0 to 3) of those
      devices, for fake_carp.so.
"""
import ipaddress
import re
import socket
import struct
import sys

RTM_NEWLINK = 16
NLM_F_CREATE = 0x400
IFLA_IFNAME = 3
IFLA_LINKINFO = 18
IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
NLA_TYPE_MASK = 0x3fff
NLA_F_NESTED = 0x8000


def uapi(path):
    """Every enum constant and numeric #define of the header, by name."""
    text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
    names = {}
    for m in re.finditer(r'#define\s+(\w+)\s+(\d+)\b', text):
        names[m.group(1)] = int(m.group(2))
    for body in re.findall(r'enum\s*\w*\s*\{(.*?)\}', text, flags=re.S):
        v = 0
        for item in body.split(','):
            item = item.strip()
            if not item:
                continue
            name, _, val = item.partition('=')
            if val:
                v = int(val.strip(), 0)
            names[name.strip()] = v
            v += 1
    return names


def attrs(buf):
    """(type without flags, payload) of each attribute of @buf."""
    out = []
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from('<HH', buf, off)
        if alen < 4 or off + alen > len(buf):
            break
        out.append((atype & NLA_TYPE_MASK, buf[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


def sent_messages(log):
    """The buffers strace -e write= dumped, one bytes object each."""
    msgs, cur = [], None
    for line in log:
        if re.match(r'\s*\* \d+ bytes in buffer', line):
            cur = bytearray()
            msgs.append(cur)
            continue
        # " | 00000  4c 00 ...  a7 3b ...  ASCII |": 16 bytes in 49 columns
        m = re.match(r'\s*\| [0-9a-f]{5}  (.{49})', line)
        if cur is not None and m:
            cur += bytes.fromhex(m.group(1))
        else:
            cur = None
    return msgs


def decode(h, log):
    names = {v: k[len('IFLA_CARP_'):] for k, v in h.items()
             if k.startswith('IFLA_CARP_') and k != 'IFLA_CARP_MAX'}
    for m in sent_messages(log):
        length, mtype, flags = struct.unpack_from('<IHH', m)
        if mtype != RTM_NEWLINK or len(m) < length:
            continue
        data = None
        for t, p in attrs(m[32:length]):
            if t != IFLA_LINKINFO:
                continue
            info = dict(attrs(p))
            if info.get(IFLA_INFO_KIND, b'').rstrip(b'\0') == b'carp':
                data = info.get(IFLA_INFO_DATA, b'')
        words = ['create' if flags & NLM_F_CREATE else 'change']
        for t, p in sorted(attrs(data or b''), key=lambda a: a[0]):
            name = names.get(t, str(t))
            if name in ('VHID', 'ADVBASE', 'ADVSKEW', 'BALANCING', 'LLADDR',
                        'VERSION', 'VRRP_PRIO', 'VRRP_PREEMPT',
                        'VRRP_FAMILY', 'VRRP_ACCEPT'):
                val = str(p[0]) if len(p) == 1 else 'len%d' % len(p)
            elif name == 'VRRP_INTERVAL':
                val = (str(struct.unpack('<H', p)[0]) if len(p) == 2
                       else 'len%d' % len(p))
            elif name == 'KEY':
                val = repr(p.decode())
            elif name in ('PEERS', 'PEERS6'):
                want = (h['CARP_A_PEER_ADDR'] if name == 'PEERS'
                        else h['CARP_A_PEER_ADDR6'])
                val = ','.join(str(ipaddress.ip_address(bytes(a))) if at == want
                               else 'bad' for at, a in attrs(p))
            elif name == 'NODES':
                nodes = []
                for at, n in attrs(p):
                    f = dict(attrs(n))
                    nodes.append('%s%d:%d' % (
                        '' if at == h['CARP_A_NODE'] and len(f) == 2 else 'bad',
                        f.get(h['CARP_NODE_A_VHID'], b'\xff')[0],
                        f.get(h['CARP_NODE_A_ADVSKEW'], b'\xff')[0]))
                val = ','.join(nodes)
            else:
                val = p.hex()
            words.append('%s=%s' % (name, val))
        print(' '.join(words))
        return
    print('no RTM_NEWLINK')


def nla(atype, payload):
    a = struct.pack('<HH', 4 + len(payload), atype) + payload
    return a + b'\0' * (-len(a) % 4)


def nest(atype, items):
    return nla(atype | NLA_F_NESTED, b''.join(items))


def newlink(ifindex, name, data):
    body = struct.pack('<BxHiII', socket.AF_UNSPEC, 1, ifindex, 0x1043, 0)
    body += nla(IFLA_IFNAME, name.encode() + b'\0')
    body += nest(IFLA_LINKINFO, [nla(IFLA_INFO_KIND, b'carp\0'),
                                 nest(IFLA_INFO_DATA, data)])
    return struct.pack('<IHHII', 16 + len(body), RTM_NEWLINK, 0, 0, 0) + body


def devices(h):
    """IFLA_INFO_DATA of four carp devices, as the kernel reports them."""
    u8 = lambda name, v: nla(h['IFLA_CARP_' + name], bytes([v]))
    u16 = lambda name, v: nla(h['IFLA_CARP_' + name], struct.pack('<H', v))
    node = lambda vhid, skew, state: nest(h['CARP_A_NODE'], [
        nla(h['CARP_NODE_A_VHID'], bytes([vhid])),
        nla(h['CARP_NODE_A_ADVSKEW'], bytes([skew])),
        nla(h['CARP_NODE_A_STATE'], bytes([state]))])
    # carp0: one vhid, MASTER, a key, two IPv4 peers, multicast for IPv6;
    # CARP, as a module with VRRPv3 says
    one = [u8('VERSION', h['CARP_PROTO_CARP']),
           u8('VHID', 1), u8('ADVBASE', 1), u8('ADVSKEW', 100),
           u8('STATE', h['CARP_STATE_MASTER']),
           u8('BALANCING', h['CARP_BAL_NONE']),
           u8('LLADDR', h['CARP_LLADDR_VIRTUAL']),
           nla(h['IFLA_CARP_HAS_KEY'], b''),
           nest(h['IFLA_CARP_PEERS'], [
               nla(h['CARP_A_PEER_ADDR'], socket.inet_aton('10.0.0.3')),
               nla(h['CARP_A_PEER_ADDR'], socket.inet_aton('10.0.0.4'))]),
           nest(h['IFLA_CARP_PEERS6'], []),
           nest(h['IFLA_CARP_NODES'], [
               node(1, 100, h['CARP_STATE_MASTER'])])]
    # carp1: two vhids balanced, no key, an IPv6 peer; from a module
    # before VRRPv3 (no IFLA_CARP_VERSION)
    two = [u8('VHID', 5), u8('ADVBASE', 0), u8('ADVSKEW', 10),
           u8('STATE', h['CARP_STATE_BACKUP']),
           u8('BALANCING', h['CARP_BAL_IP_STEALTH']),
           u8('LLADDR', h['CARP_LLADDR_VIRTUAL']),
           nest(h['IFLA_CARP_PEERS'], []),
           nest(h['IFLA_CARP_PEERS6'], [
               nla(h['CARP_A_PEER_ADDR6'],
                   socket.inet_pton(socket.AF_INET6, '2001:db8::2'))]),
           nest(h['IFLA_CARP_NODES'], [
               node(5, 10, h['CARP_STATE_BACKUP']),
               node(6, 20, h['CARP_STATE_INIT'])])]
    # vrrp0: VRRPv3, VRID 9, BACKUP, no preemption, an interval past 255;
    # the kernel's CARP fields of it (advbase 1, advskew 0) not shown; from
    # a module before vrrpfamily and vrrpaccept (neither reported)
    three = [u8('VERSION', h['CARP_PROTO_VRRP']), u8('VRRP_PRIO', 200),
             u16('VRRP_INTERVAL', 300), u8('VRRP_PREEMPT', 0),
             u8('VHID', 9), u8('ADVBASE', 1), u8('ADVSKEW', 0),
             u8('STATE', h['CARP_STATE_BACKUP']),
             u8('BALANCING', h['CARP_BAL_NONE']),
             u8('LLADDR', h['CARP_LLADDR_VIRTUAL']),
             nest(h['IFLA_CARP_PEERS'], []),
             nest(h['IFLA_CARP_PEERS6'], []),
             nest(h['IFLA_CARP_NODES'], [
                 node(9, 0, h['CARP_STATE_BACKUP'])])]
    # vrrp6: IPv6's virtual router of VRID 9 too, MASTER, accepting
    four = [u8('VERSION', h['CARP_PROTO_VRRP']), u8('VRRP_PRIO', 100),
            u16('VRRP_INTERVAL', 100), u8('VRRP_PREEMPT', 1),
            u8('VRRP_FAMILY', h['CARP_VRRP_FAMILY_INET6']),
            u8('VRRP_ACCEPT', 1),
            u8('VHID', 9), u8('ADVBASE', 1), u8('ADVSKEW', 0),
            u8('STATE', h['CARP_STATE_MASTER']),
            u8('BALANCING', h['CARP_BAL_NONE']),
            u8('LLADDR', h['CARP_LLADDR_VIRTUAL']),
            nest(h['IFLA_CARP_PEERS'], []),
            nest(h['IFLA_CARP_PEERS6'], []),
            nest(h['IFLA_CARP_NODES'], [
                node(9, 0, h['CARP_STATE_MASTER'])])]
    return one, two, three, four


def reply(h, out):
    one, two, three, four = devices(h)
    with open(out, 'wb') as f:
        f.write(newlink(7, 'carp0', one) + newlink(8, 'carp1', two) +
                newlink(9, 'vrrp0', three) + newlink(10, 'vrrp6', four))


def data(h, out, which):
    with open(out, 'wb') as f:
        f.write(b''.join(devices(h)[which]))


def main():
    h = uapi(sys.argv[2])
    if sys.argv[1] == 'decode':
        decode(h, sys.stdin)
    elif sys.argv[1] == 'data':
        data(h, sys.argv[3], int(sys.argv[4]))
    else:
        reply(h, sys.argv[3])


if __name__ == '__main__':
    main()
