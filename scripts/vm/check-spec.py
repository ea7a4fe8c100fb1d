#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check Documentation/netlink/specs/carp.yaml against what it describes.

1. The spec is valid against the kernel's YAML netlink schema.

2. The spec agrees with the hand-written UAPI header kmod/uapi/carp.h:
   every constant, enum entry, attribute, counter and command the spec
   names has the same value in the header (compiled with _Static_assert),
   and the header's enums have nothing the spec lacks.

3. The spec's requests agree with the kernel's hand-written policies and
   op table (kmod/netlink.c). The kernel's own generator,
   tools/net/ynl/ynl-gen-c.py of LINUX_SOURCE_DIR, renders the spec's
   kernel side (--mode kernel --source, and --header must work too); its
   policies and split op table are compared with carp_genl_ops and the
   policies it names, command by command: the same commands, do and dump
   where the kernel has doit and dumpit, the same flags (GENL_*_PERM,
   validate) and, for each request, the same attributes accepted, each
   with the same type and the same range (integers) or length (strings,
   binary), nests compared the same way down. The kernel's NLA_REJECT
   entries (reply-only attributes refused by name) are its own extra: they
   are not accepted, and a spec request must not list them. Inside a nest
   the spec cannot refuse them (one policy serves a nested set in requests
   and replies alike), so there they are printed as notes; as is the one
   NLA_POLICY_NESTED_ARRAY (CARP_A_NODES), compared with the spec's nest of
   multi-attr CARP_A_NODE nests, element policy against element policy
   (netlink.c itself refuses elements of another type). The spec is
   not generated into the tree because the kernel's policies say more than
   a spec can (those rejects, with their messages) and the module builds
   for kernels whose generator differs; this comparison keeps the two from
   drifting apart instead.

How the C is read: the generator's output and kmod/netlink.c go through
the C preprocessor (gcc -E, #include lines dropped), which expands the
file's own macros (CARP_POLICY_CONFIG, CARP_REPLY_ONLY, ...) exactly as
the compiler does and leaves the kernel's NLA_POLICY_*() and every
constant as written. A small parser then reads the designated
initializers of each "struct nla_policy NAME[] = {...}" and of the op
tables, and every constant expression they use (CARP_A_VHID,
IFNAMSIZ - 1, sizeof(struct in6_addr), -CARP_DEMOTE_MAX, ...) is
evaluated by compiling and running one C program against the real UAPI
header and libc (kmod's own numeric CARP_* defines added). Only the
meaning of the policy macros is modelled here (POLICY_FORMS below, after
include/net/netlink.h and lib/nlattr.c); compiling the policies
themselves would need the kernel's include/net/netlink.h, which does not
build in user space. Validation is strict for every carp command
(resv_start_op 0, checked), so an attribute without a policy entry, or
above maxattr, is refused, as a reject is.

What the 6.12 generator cannot render is handled openly: a binary
attribute's max-len (ynl-gen-c.py learned NLA_POLICY_MAX_LEN after 6.12)
is taken out of the generator's copy of the spec and compared from the
spec itself, and GENERATOR_LIMITS lists, with the reason, the kernel
checks the spec has no way to state; each must still match the kernel
exactly, and one no longer needed is an error.

The generator runs in a temporary tree holding a MAINTAINERS file: its
find_kernel_root() looks for one upwards and never returns without it.

usage: check-spec.py LINUX_SOURCE_DIR REPO_DIR
"""
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

GEN_TIMEOUT = 120

# Kernel checks the spec cannot state: (C attribute, check) -> (the
# kernel's value, why). A negative minimum needs a named constant in the
# generator's schema (a literal must be >= 0), and the UAPI header has
# none for CARP_A_DEMOTE_ADJ (its bound is kmod's CARP_DEMOTE_MAX).
GENERATOR_LIMITS = {
    ('CARP_A_DEMOTE_ADJ', 'min'): (
        -255, 'a negative minimum needs a UAPI constant, and carp.h has none'),
}

INT_BOUNDS = {
    'u8': (0, 2**8 - 1), 'u16': (0, 2**16 - 1),
    'u32': (0, 2**32 - 1), 'u64': (0, 2**64 - 1),
    's8': (-2**7, 2**7 - 1), 's16': (-2**15, 2**15 - 1),
    's32': (-2**31, 2**31 - 1), 's64': (-2**63, 2**63 - 1),
}

NLA_KIND = {'NLA_' + t.upper(): t for t in INT_BOUNDS}
NLA_KIND.update({
    'NLA_FLAG': 'flag', 'NLA_STRING': 'string',
    'NLA_NUL_STRING': 'nul-string', 'NLA_BINARY': 'binary',
    'NLA_NESTED': 'nest', 'NLA_REJECT': 'reject', 'NLA_UNSPEC': 'unspec',
})

# NLA_POLICY_*(args) -> (type from the first argument or fixed, check):
# what include/net/netlink.h makes of them, as validate_nla() reads it.
POLICY_FORMS = {
    'NLA_POLICY_RANGE': (None, 'range'),
    'NLA_POLICY_MIN': (None, 'min'),
    'NLA_POLICY_MAX': (None, 'max'),
    'NLA_POLICY_EXACT_LEN': ('NLA_BINARY', 'exact'),
    'NLA_POLICY_MIN_LEN': ('NLA_BINARY', 'min'),
    'NLA_POLICY_MAX_LEN': ('NLA_BINARY', 'max'),
    'NLA_POLICY_NESTED': ('NLA_NESTED', 'nest'),
    'NLA_POLICY_NESTED_ARRAY': ('NLA_NESTED_ARRAY', 'nest'),
}

OPEN, CLOSE = ('(', '[', '{'), (')', ']', '}')

CAP_FLAGS = {'GENL_CMD_CAP_DO', 'GENL_CMD_CAP_DUMP', 'GENL_CMD_CAP_HASPOL'}


class CheckError(Exception):
    pass


def read(path):
    with open(path) as f:
        return f.read()


def cname(prefix, name):
    if not prefix.endswith('-'):
        prefix += '-'
    return (prefix + name).upper().replace('-', '_')


# -- 2. the UAPI header ---------------------------------------------------

def check_header(spec, repo):
    expect = {}
    for d in spec.get('definitions', []):
        if d['type'] == 'const':
            expect[cname('carp', d['name'])] = d['value']
        elif d['type'] == 'enum':
            for i, e in enumerate(d['entries']):
                expect[cname(d['name-prefix'], e)] = i
    for aset in spec['attribute-sets']:
        val = 0
        for a in aset['attributes']:
            val = a.get('value', val)
            expect[cname(aset['name-prefix'], a['name'])] = val
            val += 1
    val = 0
    for op in spec['operations']['list']:
        val = op.get('value', val)
        expect[cname(spec['operations']['name-prefix'], op['name'])] = val
        val += 1

    header = os.path.abspath(os.path.join(repo, 'kmod/uapi/carp.h'))
    text = read(header)
    # every enumerator of the header must be in the spec (or be a __MAX)
    for name in re.findall(r'^\t(CARP_[A-Z0-9_]+)\s*[,=]', text, re.M):
        if name not in expect and not name.endswith('_UNSPEC'):
            sys.exit(f'{name} is in {header} but not in the spec')

    src = '#include "%s"\n' % header
    for name, value in sorted(expect.items()):
        src += f'_Static_assert({name} == {value}, "{name} != {value}");\n'
    with tempfile.NamedTemporaryFile('w', suffix='.c') as f:
        f.write(src)
        f.flush()
        r = subprocess.run(['gcc', '-fsyntax-only', '-Wall', f.name],
                           capture_output=True, text=True)
    if r.returncode:
        sys.exit('spec and header disagree:\n' + r.stderr)
    print(f'spec valid; {len(expect)} values agree with {header}', flush=True)


# -- 3a. the generator ----------------------------------------------------

def spec_consts(spec):
    return {d['name']: d['value'] for d in spec.get('definitions', [])
            if d['type'] == 'const'}


def strip_unrenderable(spec, generator):
    """Take out what the generator cannot render; return it by C name."""
    if 'NLA_POLICY_MAX_LEN' in read(generator):
        return spec, {}
    consts = spec_consts(spec)
    spec = copy.deepcopy(spec)
    taken = {}
    for aset in spec['attribute-sets']:
        for a in aset['attributes']:
            checks = a.get('checks', {})
            if a['type'] != 'binary' or 'max-len' not in checks:
                continue
            limit = checks.pop('max-len')
            taken[cname(aset['name-prefix'], a['name'])] = \
                consts.get(limit, limit)
            if not checks:
                del a['checks']
    return spec, taken


def generate(lsrc, spec, spdx):
    """Run ynl-gen-c.py --mode kernel on the spec; return its source."""
    generator = os.path.abspath(os.path.join(
        lsrc, 'tools/net/ynl/ynl-gen-c.py'))
    spec, taken = strip_unrenderable(spec, generator)
    with tempfile.TemporaryDirectory() as tree:
        specs = os.path.join(tree, 'Documentation/netlink/specs')
        os.makedirs(specs)
        schemas = os.path.join(lsrc, 'Documentation/netlink')
        for name in os.listdir(schemas):
            if name.endswith('.yaml'):
                shutil.copy(os.path.join(schemas, name),
                            os.path.dirname(specs))
        open(os.path.join(tree, 'MAINTAINERS'), 'w').close()
        with open(os.path.join(specs, 'carp.yaml'), 'w') as f:
            f.write(spdx + '\n')
            yaml.safe_dump(spec, f, sort_keys=False)
        for mode in ('--header', '--source'):
            cmd = [sys.executable, generator, '--mode', 'kernel', '--spec',
                   'Documentation/netlink/specs/carp.yaml', mode,
                   '-o', 'carp-nl' + ('.h' if mode == '--header' else '.c')]
            try:
                r = subprocess.run(cmd, cwd=tree, capture_output=True,
                                   text=True, timeout=GEN_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise CheckError(f'ynl-gen-c.py {mode} did not finish '
                                 f'within {GEN_TIMEOUT} s')
            if r.returncode:
                raise CheckError(f'ynl-gen-c.py --mode kernel {mode} failed '
                                 f'on the spec:\n{r.stdout}{r.stderr}')
        return read(os.path.join(tree, 'carp-nl.c')), taken


# -- 3b. reading the C ----------------------------------------------------

def preprocess(text, what):
    """Expand the file's own macros; leave everything else as written."""
    text = re.sub(r'^\s*#\s*include\b.*$', '', text, flags=re.M)
    r = subprocess.run(['gcc', '-E', '-P', '-undef', '-x', 'c',
                        '-DIS_ENABLED(x)=1', '-'],
                       input=text, capture_output=True, text=True)
    if r.returncode:
        raise CheckError(f'cannot preprocess {what}:\n{r.stderr}')
    return r.stdout


TOKEN = re.compile(r'\s*(?:("(?:[^"\\\n]|\\.)*")|([A-Za-z_]\w*)|'
                   r'(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|(\S))')


def tokenize(text):
    toks, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        toks.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return toks


class Parser:
    """Designated initializers: { [expr] = init, .field = init, init }."""

    def __init__(self, toks, pos):
        self.toks, self.pos = toks, pos

    def peek(self):
        if self.pos >= len(self.toks):
            raise CheckError('an initializer runs to the end of the file')
        return self.toks[self.pos]

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok != want:
            near = ' '.join(self.toks[self.pos - 5:self.pos + 5])
            raise CheckError(f'expected {want!r}, found {tok!r} in {near}')
        self.pos += 1
        return tok

    def expr(self, stops):
        depth, out = 0, []
        while depth or self.peek() not in stops:
            tok = self.take()
            depth += (tok in OPEN) - (tok in CLOSE)
            out.append(tok)
        return out

    def init(self):
        if self.peek() != '{':
            return ('expr', self.expr({',', '}'}))
        self.take('{')
        items = []
        while self.peek() != '}':
            key = None
            if self.peek() == '[':
                self.take()
                key = ' '.join(self.expr({']'}))
                self.take(']')
                self.take('=')
            elif self.peek() == '.':
                self.take()
                key = '.' + self.take()
                self.take('=')
            items.append((key, self.init()))
            if self.peek() == ',':
                self.take()
        self.take('}')
        return ('list', items)


def parse_objects(text):
    """struct nla_policy / genl_ops / genl_split_ops / genl_family NAME."""
    toks = tokenize(text)
    objs = {}
    kinds = ('nla_policy', 'genl_ops', 'genl_split_ops', 'genl_family')
    for i, tok in enumerate(toks[:-2]):
        if tok != 'struct' or toks[i + 1] not in kinds:
            continue
        j = i + 3
        while j < len(toks) and toks[j] not in ('=', ';', '(', ')', ','):
            j += 1
        if j < len(toks) and toks[j] == '=' and toks[j + 1] == '{':
            name = toks[i + 2]
            objs[name] = (toks[i + 1], Parser(toks, j + 1).init())
    return objs


def split_args(toks):
    args, depth, cur = [], 0, []
    for tok in toks:
        if tok == ',' and not depth:
            args.append(cur)
            cur = []
            continue
        depth += (tok in OPEN) - (tok in CLOSE)
        cur.append(tok)
    args.append(cur)
    return args


def join_strings(toks):
    return ''.join(t[1:-1] for t in toks if t.startswith('"'))


class Entry:
    """One policy entry, as validation reads it."""

    def __init__(self, kind, lo=None, hi=None, nest=None, msg=None):
        self.kind, self.lo, self.hi = kind, lo, hi
        self.nest, self.msg = nest, msg

    @property
    def accepted(self):
        return self.kind not in ('reject', 'unspec')

    def describe(self):
        if self.kind in INT_BOUNDS:
            return f'{self.kind} {self.lo}..{self.hi}'
        if self.kind == 'binary':
            if self.lo == self.hi:
                return f'binary of exactly {self.lo} bytes'
            if self.hi is None:
                return f'binary of {self.lo} bytes or more'
            return f'binary of {self.lo}..{self.hi} bytes'
        if self.kind in ('string', 'nul-string'):
            if self.hi is None:
                return f'{self.kind} of any length'
            return f'{self.kind} of at most {self.hi} bytes'
        if self.kind in ('nest', 'nested-array'):
            return f'{self.kind} of {self.nest}'
        if self.kind == 'reject':
            return f'NLA_REJECT "{self.msg}"'
        if self.kind == 'unspec':
            return 'no policy entry'
        return self.kind


class Policies:
    """The policies and op tables of one C file, constants evaluated."""

    def __init__(self, origin, text):
        self.origin = origin
        self.objs = parse_objects(text)
        self.exprs = {}

    def need(self, toks):
        text = ' '.join(toks)
        self.exprs.setdefault(text, None)
        return text

    def collect(self):
        """Every constant expression the policies and op tables use."""
        for kind, (_, items) in self.objs.values():
            for key, (form, val) in items:
                if kind == 'nla_policy':
                    self.need(key.split())
                    if form == 'list':
                        for field, (_, v) in val:
                            if field == '.len':
                                self.need(v)
                        continue
                    name, args = self.call(val)
                    if POLICY_FORMS.get(name, (None,))[0] is None:
                        args = args[1:]
                    if name not in ('NLA_POLICY_NESTED',
                                    'NLA_POLICY_NESTED_ARRAY'):
                        for arg in args:
                            self.need(arg)
                elif kind == 'genl_family':
                    if key == '.resv_start_op':
                        self.need(val)
                else:
                    for field, (_, v) in val:
                        if field in ('.cmd', '.maxattr'):
                            self.need(v)

    def call(self, toks):
        if len(toks) < 3 or toks[1] != '(' or toks[-1] != ')':
            raise CheckError(f'{self.origin}: cannot read the policy '
                             f'entry {" ".join(toks)}')
        return toks[0], split_args(toks[2:-1])

    def value(self, toks):
        return self.exprs[' '.join(toks)]

    def entry(self, form, val):
        if form == 'expr':
            name, args = self.call(val)
            if name not in POLICY_FORMS:
                raise CheckError(f'{self.origin}: {name}() is not known '
                                 f'to this check (add it to POLICY_FORMS)')
            fixed, check = POLICY_FORMS[name]
            if fixed is None:
                nla, args = args[0][0], args[1:]
            else:
                nla = fixed
            if check == 'nest':
                kind = 'nested-array' if nla == 'NLA_NESTED_ARRAY' else 'nest'
                return Entry(kind, nest=args[0][0])
            kind = NLA_KIND.get(nla)
            nums = [self.value(a) for a in args]
            if kind in INT_BOUNDS:
                lo, hi = INT_BOUNDS[kind]
            elif kind == 'binary':
                lo, hi = 0, None
            else:
                raise CheckError(f'{self.origin}: {name}({nla}, ...) is '
                                 f'not known to this check')
            if check == 'range':
                lo, hi = nums
            elif check == 'min':
                lo = nums[0]
            elif check == 'max':
                hi = nums[0]
            elif check == 'exact':
                lo = hi = nums[0]
            return Entry(kind, lo, hi)
        fields = dict(val)
        unknown = set(fields) - {'.type', '.len', '.reject_message'}
        if unknown:
            raise CheckError(f'{self.origin}: policy fields {sorted(unknown)}'
                             f' are not known to this check')
        nla = fields['.type'][1][0] if '.type' in fields else 'NLA_UNSPEC'
        kind = NLA_KIND.get(nla)
        if kind is None:
            raise CheckError(f'{self.origin}: {nla} is not known to this '
                             f'check')
        length = self.value(fields['.len'][1]) if '.len' in fields else 0
        if kind in INT_BOUNDS:
            return Entry(kind, *INT_BOUNDS[kind])
        if kind == 'binary':
            return Entry(kind, 0, length or None)
        if kind in ('string', 'nul-string'):
            return Entry(kind, None, length or None)
        if kind == 'reject':
            return Entry(kind, msg=join_strings(fields.get(
                '.reject_message', ('expr', []))[1]))
        return Entry(kind)

    def policy(self, name, maxattr=None):
        """attribute value -> (C name, Entry), above maxattr left out."""
        if name not in self.objs or self.objs[name][0] != 'nla_policy':
            raise CheckError(f'{self.origin}: no policy {name}')
        out = {}
        for key, (form, val) in self.objs[name][1][1]:
            attr = self.exprs[key]
            if maxattr is None or attr <= maxattr:
                out[attr] = (key, self.entry(form, val))
        return out

    def ops(self):
        """cmd -> {'do'/'dump': (policy, maxattr), 'flags', 'validate'}."""
        tables = [n for n, (k, _) in self.objs.items()
                  if k in ('genl_ops', 'genl_split_ops')]
        if len(tables) != 1:
            raise CheckError(f'{self.origin}: {len(tables)} op tables')
        ops = {}
        for _, (form, val) in self.objs[tables[0]][1][1]:
            fields = {k: v[1] for k, v in val}
            cmd = self.value(fields['.cmd'])
            op = ops.setdefault(cmd, {'name': ' '.join(fields['.cmd'])})
            pol = None
            if '.policy' in fields:
                pol = (fields['.policy'][0],
                       self.value(fields['.maxattr']))
            flags = set(t for t in fields.get('.flags', []) if t != '|')
            op.setdefault('flags', set()).update(flags - CAP_FLAGS)
            op['validate'] = ' '.join(fields.get('.validate', []))
            for mode in ('do', 'dump'):
                if '.' + mode + 'it' in fields:
                    if mode in op:
                        raise CheckError(f'{self.origin}: two {mode} of '
                                         f'{op["name"]}')
                    op[mode] = pol
        return tables[0], ops


def evaluate(repo, sets):
    """Evaluate every constant expression of both files with one C program."""
    exprs = sorted(set(e for p in sets for e in p.exprs))
    private = ''
    for name in sorted(os.listdir(os.path.join(repo, 'kmod'))):
        if name.endswith('.h'):
            text = read(os.path.join(repo, 'kmod', name))
            for m in re.finditer(r'^#define\s+(CARP_\w+)\s+(-?\d+)\b',
                                 text, re.M):
                private += (f'#ifndef {m[1]}\n#define {m[1]} {m[2]}\n'
                            f'#endif\n')
    header = os.path.abspath(os.path.join(repo, 'kmod/uapi/carp.h'))
    src = ('#include <stdio.h>\n#include <net/if.h>\n'
           '#include <netinet/in.h>\n'
           f'#include "{header}"\n{private}\nint main(void)\n{{\n')
    for e in exprs:
        src += f'\tprintf("%lld\\n", (long long)({e}));\n'
    src += '\treturn 0;\n}\n'
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, 'eval.c'), 'w') as f:
            f.write(src)
        exe = os.path.join(tmp, 'eval')
        r = subprocess.run(['gcc', '-w', '-o', exe, f.name],
                           capture_output=True, text=True)
        if r.returncode:
            raise CheckError('cannot evaluate the constants of the '
                             f'policies:\n{r.stderr}')
        out = subprocess.run([exe], capture_output=True, text=True,
                             check=True).stdout.split()
    values = dict(zip(exprs, (int(v) for v in out)))
    for p in sets:
        p.exprs = values


# -- 3c. the comparison ---------------------------------------------------

class Compare:
    def __init__(self, kernel, spec, taken):
        self.k, self.s, self.taken = kernel, spec, taken
        self.errors, self.notes = [], []
        self.limits_used = set()

    def err(self, msg):
        self.errors.append(msg)

    def note(self, msg):
        if msg not in self.notes:
            self.notes.append(msg)

    def spec_entry(self, name, entry):
        """The spec's entry, with what was taken from the generator."""
        if name in self.taken:
            if entry.kind != 'binary' or entry.hi is not None:
                raise CheckError(f'{name}: max-len was taken from the '
                                 f'spec but the generator rendered '
                                 f'{entry.describe()}')
            entry = Entry('binary', entry.lo, self.taken[name])
        return entry

    def entries(self, where, name, ke, se):
        """Compare one attribute both accept."""
        if ke.kind == 'nested-array' and se.kind == 'nest':
            # NLA_POLICY_NESTED_ARRAY takes elements of any type; the
            # spec's multi-attr nest one type. carp_nl_nodes() refuses the
            # other types (netlink.c), so the commands accept the same.
            inner = {a: (n, e) for a, (n, e) in
                     self.s.policy(se.nest).items() if e.accepted}
            if len(inner) == 1:
                (iname, ie), = inner.values()
                if ie.kind == 'nest':
                    self.note(f'{name}: the kernel\'s '
                              f'NLA_POLICY_NESTED_ARRAY({ke.nest}) takes '
                              f'elements of any type, the spec\'s nest only '
                              f'{iname}; netlink.c refuses the other types')
                    self.policies(f'{where} > {name} > {iname}',
                                  self.k.policy(ke.nest),
                                  self.s.policy(ie.nest), nested=True)
                    return
        if ke.kind != se.kind:
            self.err(f'{where}: {name}: the kernel takes {ke.describe()}, '
                     f'the spec {se.describe()}')
            return
        if ke.kind in ('nest', 'nested-array'):
            self.policies(f'{where} > {name}', self.k.policy(ke.nest),
                          self.s.policy(se.nest), nested=True)
            return
        for check, kv, sv in (('min', ke.lo, se.lo), ('max', ke.hi, se.hi)):
            if kv == sv:
                continue
            limit = GENERATOR_LIMITS.get((name, check))
            if limit and kv == limit[0] and ke.kind in INT_BOUNDS and \
                    sv == INT_BOUNDS[ke.kind][check == 'max']:
                self.limits_used.add((name, check))
                self.note(f'{name}: the kernel\'s {check} {kv} is not in the '
                          f'spec: {limit[1]}')
                continue
            self.err(f'{where}: {name}: the kernel takes {ke.describe()}, '
                     f'the spec {se.describe()}')
            return

    def policies(self, where, kpol, spol, nested=False):
        for attr in sorted(set(kpol) | set(spol)):
            kname, ke = kpol.get(attr, (None, Entry('unspec')))
            sname, se = spol.get(attr, (None, Entry('unspec')))
            name = kname or sname
            if sname:
                se = self.spec_entry(sname, se)
            if ke.accepted and se.accepted:
                self.entries(where, name, ke, se)
            elif ke.accepted:
                self.err(f'{where}: {name}: the kernel accepts it '
                         f'({ke.describe()}), the spec\'s request does not '
                         f'list it')
            elif se.accepted and ke.kind == 'reject' and nested:
                # One YNL policy serves a nested set in requests and
                # replies alike: it cannot refuse a reply-only member.
                self.note(f'{name}: the kernel refuses it in requests '
                          f'(NLA_REJECT), the spec\'s nested policy '
                          f'accepts it ({se.describe()}): YNL gives a nested '
                          f'set one policy, for requests and replies alike')
            elif se.accepted:
                why = (f'refuses it ("{ke.msg}")' if ke.kind == 'reject'
                       else 'does not accept it')
                self.err(f'{where}: {name}: the spec\'s request lists it '
                         f'({se.describe()}), the kernel {why}')

    def run(self, opnames):
        ktable, kops = self.k.ops()
        _, sops = self.s.ops()
        fam = [o for k, o in self.k.objs.values() if k == 'genl_family']
        if len(fam) != 1:
            raise CheckError(f'{self.k.origin}: {len(fam)} genl_family')
        resv = [v for k, (_, v) in fam[0][1] if k == '.resv_start_op']
        if not resv or self.k.value(resv[0]) > min(kops):
            self.err(f'{self.k.origin}: commands below resv_start_op are '
                     f'validated loosely; this check assumes strict')
        for cmd in sorted(set(kops) | set(sops)):
            ko, so = kops.get(cmd), sops.get(cmd)
            label = opnames.get(cmd, (ko or so)['name'])
            if not so:
                self.err(f'{label}: in {ktable}, not a do or dump of the '
                         f'spec')
                continue
            if not ko:
                self.err(f'{label}: a do or dump of the spec, not in '
                         f'{ktable}')
                continue
            if ko['flags'] != so['flags']:
                self.err(f'{label}: flags {sorted(ko["flags"])} in the '
                         f'kernel, {sorted(so["flags"])} in the spec')
            if ko['validate'] != so['validate']:
                self.err(f'{label}: validate "{ko["validate"]}" in the '
                         f'kernel, "{so["validate"]}" in the spec')
            for mode in ('do', 'dump'):
                if (mode in ko) != (mode in so):
                    self.err(f'{label}: {mode}it in '
                             f'{"the kernel" if mode in ko else "the spec"}'
                             f' only')
                    continue
                if mode not in ko:
                    continue
                kpol = self.k.policy(*ko[mode]) if ko[mode] else {}
                spol = self.s.policy(*so[mode]) if so[mode] else {}
                self.policies(f'{label} {mode}', kpol, spol)
        for key in sorted(set(GENERATOR_LIMITS) - self.limits_used):
            self.err(f'GENERATOR_LIMITS{key}: the kernel no longer has '
                     f'{GENERATOR_LIMITS[key][0]} there and the spec '
                     f'nothing; update or remove the entry')
        return len(kops)


def check_policies(lsrc, repo, spec, spdx):
    gen, taken = generate(lsrc, spec, spdx)
    kpath = os.path.join(repo, 'kmod/netlink.c')
    kernel = Policies('kmod/netlink.c',
                      preprocess(read(kpath), kpath))
    generated = Policies('ynl-gen-c.py carp-nl.c',
                         preprocess(gen, 'the generated carp-nl.c'))
    for p in (kernel, generated):
        p.collect()
    evaluate(repo, (kernel, generated))

    opnames, val = {}, 0
    for op in spec['operations']['list']:
        val = op.get('value', val)
        opnames[val] = op['name']
        val += 1
    cmp = Compare(kernel, generated, taken)
    n = cmp.run(opnames)
    for msg in cmp.notes:
        print(f'note: {msg}')
    if cmp.errors:
        sys.exit('the spec and kmod/netlink.c differ:\n  ' +
                 '\n  '.join(cmp.errors))
    print(f'ynl-gen-c.py output agrees with kmod/netlink.c: {n} commands, '
          f'their do/dump, flags and request policies')


def main():
    lsrc, repo = sys.argv[1], sys.argv[2]
    spec_path = os.path.join(repo, 'Documentation/netlink/specs/carp.yaml')
    text = read(spec_path)
    spec = yaml.safe_load(text)
    schema = yaml.safe_load(read(os.path.join(
        lsrc, 'Documentation/netlink', spec['protocol'] + '.yaml')))
    jsonschema.validate(spec, schema)
    check_header(spec, repo)
    try:
        check_policies(lsrc, repo, spec, text.split('\n', 1)[0])
    except CheckError as e:
        sys.exit(str(e))


if __name__ == '__main__':
    main()
