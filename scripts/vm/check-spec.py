#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check Documentation/netlink/specs/carp.yaml against the kernel's YAML
netlink schema and against the hand-written UAPI header kmod/uapi/carp.h:
every constant, enum entry, attribute, counter and command the spec names
must have the same value in the header (compiled with _Static_assert), and
the header's enums must have nothing the spec lacks.

usage: check-spec.py LINUX_SOURCE_DIR REPO_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml


def cname(prefix, name):
    if not prefix.endswith('-'):
        prefix += '-'
    return (prefix + name).upper().replace('-', '_')


def main():
    lsrc, repo = sys.argv[1], sys.argv[2]
    spec_path = os.path.join(repo, 'Documentation/netlink/specs/carp.yaml')
    spec = yaml.safe_load(open(spec_path))
    schema = yaml.safe_load(open(os.path.join(
        lsrc, 'Documentation/netlink', spec['protocol'] + '.yaml')))
    jsonschema.validate(spec, schema)

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
    text = open(header).read()
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
    print(f'spec valid; {len(expect)} values agree with {header}')


if __name__ == '__main__':
    main()
