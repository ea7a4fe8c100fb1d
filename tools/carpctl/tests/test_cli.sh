#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# carpctl: command-line checks that need no kernel module (make test).
# Every rejected command must print exactly one "carpctl: " line on stderr.

CARPCTL=${1:-./carpctl}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check_run WHAT RC STATUS PATTERN: a run that ended with exit status RC
# (its stderr in $tmp/err) ended with STATUS, and if it failed, with one
# line on stderr that PATTERN (grep -E) matches after "carpctl: ".
check_run() {
	what=$1 rc=$2 want=$3 pattern=$4
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $what: exit $rc, want $want ($(cat "$tmp/err"))" >&2
		fail=1
	elif [ "$want" != 0 ] && [ "$lines" != 1 ]; then
		echo "FAIL: $what: $lines lines on stderr, want 1" >&2
		fail=1
	elif [ -n "$pattern" ] && ! grep -Eq "^carpctl: $pattern" "$tmp/err"; then
		echo "FAIL: $what: stderr '$(cat "$tmp/err")'" >&2
		fail=1
	fi
}

# expect STATUS PATTERN ARGS...: exit status and a grep -E on stderr
expect() {
	want=$1 pattern=$2
	shift 2
	"$CARPCTL" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	check_run "carpctl $*" $? "$want" "$pattern"
}

A=10.0.0.1/24

expect 1 'invalid vhid "256"'		add carp0 vhid 256 $A
expect 1 'invalid vhid "0"'		add carp0 vhid 0 $A
expect 1 'invalid vhid "abc"'		add carp0 vhid abc $A
expect 1 'invalid vhid "-1"'		add carp0 vhid -1 $A
expect 1 'invalid vhid "1x"'		add carp0 vhid 1x $A
expect 1 'invalid vhid " 1"'		add carp0 vhid " 1" $A
expect 1 'advbase 0 needs an advskew of 1 or more'	add carp0 vhid 1 advbase 0 $A
expect 1 'advbase 0 needs an advskew of 1 or more'	add carp0 carpnodes 1:5,2:0 advbase 0 $A
expect 1 'advbase 0 needs an advskew of 1 or more'	set carp0 advbase 0 advskew 0
expect 1 'invalid advbase "256"'	add carp0 vhid 1 advbase 256 $A
expect 1 'invalid advskew "255"'	add carp0 vhid 1 advskew 255 $A
expect 1 'pass is 21 bytes'		add carp0 vhid 1 pass 123456789012345678901 $A
expect 1 'invalid prefix length'	add carp0 vhid 1 10.0.0.1/33
expect 1 'invalid prefix length'	add carp0 vhid 1 10.0.0.1/
expect 1 'invalid IPv4 address'		add carp0 vhid 1 10.0.0/24
expect 1 'invalid IPv4 address'		add carp0 vhid 1 10.0.0.256
expect 1 'invalid IPv4 address'		add carp0 vhid 1 1.2.3.4.5
expect 1 'add: vhid is required \(or carpnodes\)$' add carp0 $A
expect 1 'add: at least one address'	add carp0 vhid 1
expect 1 'add: missing device name'	add
expect 1 'add: missing device name'	add vhid 1 $A
expect 1 'device name .* too long'	add carp0123456789ab vhid 1 $A
expect 1 'vhid given twice'		add carp0 vhid 1 vhid 2 $A
expect 1 'address 10.0.0.1/24 given twice' add carp0 vhid 1 $A 10.0.0.1/24
expect 1 'missing value for vhid'	add carp0 vhid
expect 1 'add: unknown word "foo"'	add carp0 vhid 1 foo $A
expect 1 'ambiguous keyword "adv"'	add carp0 vhid 1 adv 3 $A
expect 1 'parent device "nosuchdev0" does not exist' \
					add carp0 dev nosuchdev0 vhid 1 $A
expect 1 'invalid vhid "300"'		a carp0 v 300 $A
expect 1 'invalid advskew "999"'	a carp0 advs 999 v 1 $A
expect 1 'set: nothing to change'	set carp0
expect 1 'set: the parent device'	set carp0 dev eth0
expect 1 'invalid advskew'		se carp0 advskew 300
expect 1 'del: missing device name'	del
expect 1 'del: unknown word "x"'	del carp0 x
expect 1 'show: unknown word "x"'	show carp0 x
expect 1 'stats: unknown word "x"'	stats carp0 x
expect 1 'ambiguous command "s" \(set, show, stats\)' s
expect 1 'unknown command "frob"'	frob
expect 1 'missing command'
expect 1 'unknown option "-x"'		-x show
expect 1 'option "-n" needs a value'	-n
expect 1 'network namespace "nosuchns" does not exist' -n nosuchns show
expect 1 '-batch takes no command'	-batch - show
expect 1 'cannot open batch file'	-batch /nonexistent/file

# Unicast peer.
expect 1 'invalid peer "10.0.0" \(expected an IPv4 address or none\)' set carp0 peer 10.0.0
expect 1 'invalid peer "10.0.0.3/24"'	set carp0 pe 10.0.0.3/24
expect 1 'invalid peer "None"'		set carp0 peer None
expect 1 'missing value for peer'	set carp0 peer
expect 1 'peer given twice'		set carp0 peer none peer 10.0.0.3
expect 1 'pass is 21 bytes'		set carp0 p 123456789012345678901
expect 1 'pass is 21 bytes'		set carp0 pa 123456789012345678901
expect 1 'invalid peer "x"'		add carp0 vhid 1 peer x $A
"$CARPCTL" help add | grep -q 'peer { PEER | none }' ||
	{ echo "FAIL: help add: no peer" >&2; fail=1; }
expect 1 'invalid peer6 "10.0.0.3" \(expected an IPv6 address or none\)' set carp0 peer6 10.0.0.3
expect 1 'invalid peer6 "2001:db8::3/64"' set carp0 peer6 2001:db8::3/64
expect 1 'missing value for peer6'	set carp0 peer6
expect 1 'peer6 given twice'		set carp0 peer6 none peer6 2001:db8::3
expect 1 'invalid peer "2001:db8::3"'	set carp0 pe 2001:db8::3
"$CARPCTL" help set | grep -q 'peer6 { PEER6 | none }' ||
	{ echo "FAIL: help set: no peer6" >&2; fail=1; }

# Load balancing: carpnodes and balancing.
expect 1 'invalid carpnodes "1" \(node "1": expected VHID:SKEW\)$' add carp0 carpnodes 1 $A
expect 1 'invalid carpnodes "1:0,2" \(node "2": expected VHID:SKEW\)$' set carp0 carpnodes 1:0,2
expect 1 'invalid carpnodes "" \(expected VHID:SKEW\[,VHID:SKEW\.\.\.\]\)$' set carp0 carpnodes ""
expect 1 'invalid carpnodes "1:0," \(empty node\)$' set carp0 carpnodes 1:0,
expect 1 'invalid carpnodes "0:0" \(vhid "0": expected an integer 1\.\.255\)$' set carp0 carpnodes 0:0
expect 1 'invalid carpnodes "256:0" \(vhid "256": expected an integer 1\.\.255\)$' set carp0 carpnodes 256:0
expect 1 'invalid carpnodes "1:255" \(advskew "255": expected an integer 0\.\.254\)$' set carp0 carpn 1:255
expect 1 'invalid carpnodes "1:0,2:100,1:200" \(vhid 1 given twice\)$' set carp0 carpnodes 1:0,2:100,1:200
nodes33=$(i=1; while [ $i -le 33 ]; do printf '%s%d:0' "${sep-}" $i; sep=,; i=$((i + 1)); done)
expect 1 'invalid carpnodes ".*" \(more than 32 nodes\)$' set carp0 carpnodes "$nodes33"
expect 1 'missing value for carpnodes$'	set carp0 carpnodes
expect 1 'carpnodes given twice$'	set carp0 carpnodes 1:0 c 2:0
expect 1 'add: carpnodes and vhid cannot be given together' add carp0 vhid 1 carpnodes 1:0,2:0 $A
expect 1 'add: carpnodes and vhid cannot be given together' add carp0 carpnodes 1:0,2:0 v 1 $A
expect 1 'set: carpnodes and advskew cannot be given together' set carp0 advskew 5 carpnodes 1:0,2:0
expect 1 'set: carpnodes and vhid cannot be given together' se carp0 c 1:0 vh 2 advs 3
expect 1 'invalid balancing "foo" \(expected none, ip, ip-stealth, ip-unicast or arp\)$' set carp0 balancing foo
expect 1 'invalid balancing "IP"'	set carp0 balancing IP
expect 1 'invalid balancing ""'		set carp0 balancing ""
expect 1 'ambiguous balancing "i" \(ip, ip-stealth, ip-unicast\)$' set carp0 balancing i
expect 1 'ambiguous balancing "ip-" \(ip-stealth, ip-unicast\)$' set carp0 b ip-
expect 1 'missing value for balancing$'	set carp0 balancing
expect 1 'balancing given twice$'	set carp0 balancing ip bal ip-stealth
expect 1 'balancing ip needs two or more vhids \(carpnodes\)$' set carp0 carpnodes 1:0 balancing ip
expect 1 'balancing ip-stealth needs two or more vhids' add carp0 vhid 1 balancing ip-s $A
expect 1 'balancing ip-unicast needs two or more vhids' add carp0 carpnodes 7:0 b ip-u $A
expect 1 'balancing arp needs two or more vhids \(carpnodes\)$' add carp0 vhid 1 balancing arp $A
expect 1 'balancing arp needs two or more vhids' set carp0 carpnodes 4:0 b a
expect 1 'balancing none takes a single vhid, carpnodes has 3$' add carp0 carpnodes 1:0,2:100,3:200 balancing none $A
expect 1 'add: vhid is required \(or carpnodes\)$' add carp0 balancing ip $A

# Real MAC: lladdr virtual|parent, a single vhid without balancing.
expect 1 'invalid lladdr "foo" \(expected virtual or parent\)$' set carp0 lladdr foo
expect 1 'invalid lladdr ""'		set carp0 lladdr ""
expect 1 'invalid lladdr "PARENT"'	add carp0 vhid 1 lladdr PARENT $A
expect 1 'missing value for lladdr$'	set carp0 lladdr
expect 1 'lladdr given twice$'		set carp0 lladdr parent lladdr virtual
expect 1 'lladdr parent takes a single vhid without balancing' add carp0 carpnodes 1:0,2:100 lladdr parent $A
expect 1 'lladdr parent takes a single vhid without balancing' set carp0 lladdr p balancing ip-stealth
expect 1 'lladdr parent takes a single vhid without balancing' set carp0 l parent carpnodes 1:0,2:0
expect 1 'lladdr parent takes a single vhid without balancing' add carp0 carpnodes 1:0,2:0 b arp lladdr parent $A
expect 1 'add: vhid is required \(or carpnodes\)$' add carp0 lladdr parent $A
expect 1 'add: at least one address'	add carp0 carpnodes 1:0,2:100
expect 1 'invalid carpnodes "1:0;2:0"'	a carp0 ca 1:0\;2:0 $A
"$CARPCTL" help add | grep -q '{ vhid VHID \[advskew SKEW\] | carpnodes NODES }' ||
	{ echo "FAIL: help add: no carpnodes" >&2; fail=1; }
"$CARPCTL" help set | grep -q '\[carpnodes NODES\]' ||
	{ echo "FAIL: help set: no carpnodes" >&2; fail=1; }
"$CARPCTL" help | grep -q 'BALANCING := { none | ip | ip-stealth | ip-unicast | arp }' ||
	{ echo "FAIL: help: no BALANCING" >&2; fail=1; }
"$CARPCTL" help watch | grep -q 'CARP_MASTER_VHIDS' ||
	{ echo "FAIL: help watch: no CARP_MASTER_VHIDS" >&2; fail=1; }

# VRRPv3 (carpver 3): its words and ranges; CARP's words, a key and
# addresses of two families refused with it, its words without it, before
# anything is sent.
expect 1 'invalid carpver "4" \(expected 2, CARP, or 3, VRRPv3\)$' add carp0 vhid 1 carpver 4 $A
expect 1 'invalid carpver "1"'		set carp0 carpver 1
expect 1 'invalid carpver "v3"'		set carp0 carpv v3
expect 1 'invalid vrrpprio "0" \(expected an integer 1\.\.255\)$' add carp0 vhid 1 carpver 3 vrrpprio 0 $A
expect 1 'invalid vrrpprio "256"'	set carp0 vrrpprio 256
expect 1 'invalid vrrpinterval "0" \(expected an integer 1\.\.4095\)$' set carp0 vrrpinterval 0
expect 1 'invalid vrrpinterval "4096"'	set carp0 vrrpi 4096
expect 1 'invalid vrrpinterval "1s"'	set carp0 vrrpinterval 1s
expect 1 'invalid vrrppreempt "yes" \(expected on or off\)$' set carp0 vrrppreempt yes
expect 1 'invalid vrrppreempt "ON"'	set carp0 vrrppre ON
expect 1 'ambiguous vrrppreempt "o" \(off, on\)$' set carp0 vrrppreempt o
expect 1 'ambiguous keyword "vr" \(vrrpprio, vrrpinterval, vrrppreempt, vrrpaccept, vrrpfamily\)$' set carp0 vr 1
expect 1 'ambiguous keyword "vrrp" \(vrrpprio, vrrpinterval, vrrppreempt, vrrpaccept, vrrpfamily\)$' set carp0 vrrp 1
expect 1 'ambiguous keyword "vrrpp" \(vrrpprio, vrrppreempt\)$' set carp0 vrrpp 1
expect 1 'missing value for carpver$'	set carp0 carpver
expect 1 'vrrpprio given twice$'	set carp0 vrrpprio 1 vrrppri 2
# "c" to "carp" stay carpnodes, "v" vhid: carpver needs "carpv"
expect 1 'invalid carpnodes "3"'	set carp0 carp 3
expect 1 'invalid vhid "0"'		set carp0 v 0
expect 1 'invalid vrrpaccept "yes" \(expected on or off\)$' set carp0 vrrpaccept yes
expect 1 'ambiguous vrrpaccept "o" \(off, on\)$' set carp0 vrrpa o
expect 1 'missing value for vrrpaccept$'	set carp0 vrrpaccept
expect 1 'vrrpaccept given twice$'	set carp0 vrrpaccept on vrrpacc off
expect 1 'invalid vrrpfamily "inet4" \(expected inet or inet6\)$' add carp0 vhid 1 carpver 3 vrrpfamily inet4 $A
expect 1 'invalid vrrpfamily "4"'	set carp0 vrrpfamily 4
expect 1 'invalid vrrpfamily "INET6"'	set carp0 vrrpf INET6
expect 1 'ambiguous vrrpfamily "in" \(inet, inet6\)$' set carp0 vrrpfamily in
expect 1 'vrrpfamily given twice$'	set carp0 vrrpfamily inet vrrpf inet
# one family a device (RFC 5798: a virtual router per family), an IPv6
# one with a link-local address (5.2.9), vrrpfamily as its addresses say
mixed='a VRRPv3 device is one address family \(RFC 5798 runs IPv4 and IPv6 as separate virtual routers\): add one device per family, they may share the vrid$'
expect 1 "add: $mixed"			add carp0 vhid 1 carpver 3 $A 2001:db8::1/64
expect 1 "add: $mixed"			add carp0 vhid 1 carpver 3 fe80::1/64 $A
expect 1 "add: $mixed"			add carp0 vhid 1 carpver 3 vrrpfamily inet6 fe80::1/64 $A
expect 1 "set: $mixed"			set carp0 carpver 3 fe80::1/64 10.0.0.5/24
lladdr='a VRRPv3 IPv6 device needs a link-local address \(RFC 5798 5\.2\.9\), e\.g\. fe80::1/64$'
expect 1 "add: $lladdr"			add carp0 vhid 1 carpver 3 2001:db8::1/64
expect 1 "add: $lladdr"			add carp0 vhid 1 carpver 3 vrrpf inet6 2001:db8::1/64 2001:db8::2/64
expect 1 "set: $lladdr"			set carp0 carpver 3 2001:db8::1/64
expect 1 "set: $lladdr"			set carp0 vrrpfamily inet6 2001:db8::1/64
expect 1 'add: vrrpfamily inet6 takes IPv6 addresses only, not 10\.0\.0\.1/24$' \
					add carp0 vhid 1 carpver 3 vrrpfamily inet6 $A
expect 1 'add: vrrpfamily inet takes IPv4 addresses only, not fe80::1/64$' \
					add carp0 vhid 1 carpver 3 vrrpfamily inet fe80::1/64
expect 1 'set: vrrpfamily inet takes IPv4 addresses only, not 2001:db8::1/64$' \
					set carp0 vrrpfamily inet 2001:db8::1/64
expect 1 'add: at least one address'	add carp0 dev lo vhid 1 carpver 3 vrrpfamily inet6
expect 1 "add: advbase is CARP's, not carpver 3's: VRRPv3 times by vrrpinterval\$" add carp0 vhid 1 carpver 3 advbase 1 $A
expect 1 "add: advskew is CARP's, not carpver 3's: VRRPv3 ranks by vrrpprio\$" add carp0 vhid 1 carpver 3 advskew 0 $A
expect 1 "set: peer is CARP's, not carpver 3's: a VRRPv3 device advertises to 224.0.0.18 \\(ff02::12\\) only\$" set carp0 carpver 3 peer none
expect 1 "add: peer6 is CARP's, not carpver 3's" add carp0 vhid 1 carpver 3 peer6 fe80::3 $A
expect 1 "add: carpnodes is CARP's, not carpver 3's: a VRRPv3 device has one VRID, its vhid\$" add carp0 carpver 3 carpnodes 1:0,2:0 $A
expect 1 "add: balancing is CARP's, not carpver 3's" add carp0 vhid 1 carpver 3 balancing ip $A
expect 1 'add: VRRPv3 \(carpver 3\) has no authentication: no pass$' add carp0 vhid 1 carpver 3 pass secret $A
expect 1 "add: vrrpprio is VRRPv3's: give carpver 3 with it\$" add carp0 vhid 1 vrrpprio 200 $A
expect 1 "add: vrrppreempt is VRRPv3's, not carpver 2's \\(CARP\\)\$" add carp0 vhid 1 carpver 2 vrrppreempt on $A
expect 1 "set: vrrpinterval is VRRPv3's, not carpver 2's" set carp0 carpver 2 vrrpinterval 50
expect 1 "add: vrrpfamily is VRRPv3's: give carpver 3 with it\$" add carp0 vhid 1 vrrpfamily inet $A
expect 1 "add: vrrpaccept is VRRPv3's: give carpver 3 with it\$" add carp0 vhid 1 vrrpaccept off $A
expect 1 "add: vrrpfamily is VRRPv3's, not carpver 2's \\(CARP\\)\$" add carp0 vhid 1 carpver 2 vrrpfamily inet6 fe80::1/64
expect 1 "set: vrrpaccept is VRRPv3's, not carpver 2's" set carp0 carpver 2 vrrpaccept on
expect 1 'add: vhid is required \(or carpnodes\)$' add carp0 carpver 3 $A
"$CARPCTL" help add | grep -q 'vhid VHID carpver 3 \[vrrpfamily { inet | inet6 }\]' ||
	{ echo "FAIL: help add: no carpver 3" >&2; fail=1; }
"$CARPCTL" help set | grep -q '\[vrrpprio PRIO\] \[vrrpinterval CS\] \[vrrppreempt { on | off }\]' ||
	{ echo "FAIL: help set: no vrrp words" >&2; fail=1; }
"$CARPCTL" help set | grep -q '\[vrrpaccept { on | off }\]' ||
	{ echo "FAIL: help set: no vrrpaccept" >&2; fail=1; }
"$CARPCTL" help | grep -q 'CS := 1\.\.4095 centiseconds' ||
	{ echo "FAIL: help: no CS" >&2; fail=1; }

# Forced state (set only) and demotion.
expect 1 'invalid state "init" \(expected master or backup\)' set carp0 state init
expect 1 'invalid state "foo"'		se carp0 st foo
expect 1 'invalid state ""'		set carp0 state ""
expect 1 'invalid state "masterx"'	set carp0 state masterx
expect 1 'missing value for state'	set carp0 state
expect 1 'state given twice'		set carp0 state master state backup
expect 1 'add: a state can only be forced' add carp0 vhid 1 state master $A
expect 1 'invalid advskew "255"'	set carp0 state master advskew 255
for d in 256 +256 -256 1x +1x ++1 +-1 -+1 + - "" " 1" "+ 1" 0x10 1.5 \
	 99999999999999999999 +99999999999999999999; do
	re=$(printf '%s' "$d" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
	expect 1 "invalid demotion \"$re\" \\(expected N, \\+N or -N" demote "$d"
done
expect 1 'demote: unknown word "x"'	demote +1 x
expect 1 'demote: unknown word "2"'	dem 1 2
expect 1 'ambiguous command "s" \(set, show, stats\)' s
# "d" and "de" stay del; demote abbreviates to "dem".
expect 1 'del: missing device name'	d
expect 1 'del: missing device name'	de
expect 1 'invalid demotion "x"'		dem x
expect 1 'invalid demotion "x"'		demo x
expect 0 '' dem help
expect 0 '' help dem
expect 0 '' set help
"$CARPCTL" help demote | grep -q 'carpctl demote \[ N | +N | -N \]' ||
	{ echo "FAIL: help demote" >&2; fail=1; }
"$CARPCTL" help set | grep -q 'state { master | backup }' ||
	{ echo "FAIL: help set: no state" >&2; fail=1; }
"$CARPCTL" help | grep -q 'COMMAND := { add | set | del | demote | show | stats | monitor |' ||
	{ echo "FAIL: help: no demote" >&2; fail=1; }
"$CARPCTL" help | grep -q '^ *watch | apply | help }' ||
	{ echo "FAIL: help: no watch or apply" >&2; fail=1; }

# apply: the whole file is read and checked before the kernel is asked
# anything, so every error of a line is found here, with FILE:LINE.
"$CARPCTL" help apply | grep -q 'carpctl apply \[--prune\] \[-n | --dry-run\] { FILE | - }' ||
	{ echo "FAIL: help apply" >&2; fail=1; }
expect 0 ''				apply help
expect 1 'apply: missing FILE'		apply
expect 1 'apply: missing FILE'		apply --prune -n
expect 1 'apply: unknown option "--x"'	apply --x f
expect 1 'apply: unknown word "g" after FILE' apply f g
expect 1 'cannot open "/nonexistent/f"'	apply /nonexistent/f
printf '# comment\n\nadd carp0 vhid 1 \\\n  %s\nset carp0 advskew 3\n' $A >"$tmp/f"
expect 1 "$tmp/f:5: apply takes add lines only, not \"set\"\$" apply "$tmp/f"
expect 1 "$tmp/f:5: apply takes add lines only" apply -n --prune "$tmp/f"
printf 'add carp0 vhid 1 %s\nadd carp1 vhid 2 advskew 300 %s\n' $A $A >"$tmp/f"
expect 1 "$tmp/f:2: invalid advskew \"300\""	apply --dry-run "$tmp/f"
printf 'add carp0 vhid 1 %s\na carp0 vhid 2 %s\n' $A $A >"$tmp/f"
"$CARPCTL" apply - <"$tmp/f" >"$tmp/out" 2>"$tmp/err"
check_run "apply - (carp0 twice)" $? 1 'stdin:2: carp0 is added twice \(line 1 too\)$'
# a line refused after its "dev" word (the parent's name is the line's)
printf 'add carp0 vhid 1 %s\nadd carp1 dev eth0 vhid 300 %s\n' $A $A >"$tmp/f"
expect 1 "$tmp/f:2: invalid vhid \"300\" "	apply "$tmp/f"
printf 'add carp0 dev nosuchdev0 vhid 1 %s\n' $A >"$tmp/f"
expect 1 "$tmp/f:1: parent device \"nosuchdev0\" does not exist" apply "$tmp/f"
printf 'frob carp0\n' >"$tmp/f"
expect 1 "$tmp/f:1: unknown command \"frob\""	apply "$tmp/f"
printf 'add carp0 vhid 1 "%s\n' $A >"$tmp/f"
expect 1 "$tmp/f:1: "				apply "$tmp/f"
# "a" and "ad" stay add, "ap" is apply
expect 1 'add: missing device name'	a
expect 1 'apply: missing FILE'		ap

# monitor and watch.
expect 1 'monitor: unknown word "y"'	monitor carp0 y
expect 1 'device name .* too long'	monitor carp0123456789ab
expect 1 'watch: missing device name'	watch
expect 1 'watch: missing device name'	watch up /bin/true
expect 1 'hold: missing hold name'	hold
expect 1 'invalid hold name "del"'	hold del del
expect 1 'hold del: missing hold name'	hold del
expect 1 'invalid hold name "a b"'	hold 'a b' -- true
expect 1 'invalid hold name "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \(1 to 31'	hold xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx -- true
expect 1 'invalid demote "0" \(expected 1..255\)'	hold web demote 0 -- true
expect 1 'invalid demote "256"'	hold web demote 256 -- true
expect 1 'missing value for demote'	hold web demote
expect 1 'hold: missing -- and the command to run'	hold web
expect 1 'hold: unknown word "true" \(the command comes after --\)'	hold web true
expect 1 'hold: missing the command to run after --'	hold web demote 10 --
expect 1 'track: add or del\?'	track
expect 1 'track: unknown word "x" \(add or del\)'	track x
expect 1 'track add: missing interface name'	track add
expect 1 'track add: unknown word "x"'	track add eth0 x
expect 1 'invalid demote "0"'	track add eth0 demote 0
expect 1 'track del: unknown word "demote"'	track del eth0 demote 5
expect 1 'watch: an up, down or conflict script is required' watch carp0
expect 1 'watch: an up, down or conflict script is required' wat carp0 timeout 5
expect 1 'invalid settle "x" \(expected seconds, 0..3600\)'	watch carp0 up /bin/true settle x
expect 1 'invalid retry "101" \(expected a count, 0..100\)'	watch carp0 up /bin/true retry 101
expect 1 'settle given twice'	watch carp0 up /bin/true s 1 settle 2
expect 1 'missing value for conflict'	watch carp0 conflict
expect 1 'conflict script "/nonexistent" cannot be run' watch carp0 c /nonexistent
expect 1 'missing value for up'		watch carp0 up
expect 1 'missing value for down'	watch carp0 up /bin/true do
expect 1 'up given twice'		watch carp0 up /bin/true u /bin/true
expect 1 'up script "/nonexistent/x" cannot be run' watch carp0 up /nonexistent/x
: >"$tmp/noexec"
chmod 644 "$tmp/noexec"
expect 1 'down script ".*/noexec" cannot be run' watch carp0 down "$tmp/noexec"
expect 1 'up: empty script name'	watch carp0 up ""
expect 1 'invalid timeout "x"'		watch carp0 up /bin/true timeout x
expect 1 'invalid timeout "86401"'	watch carp0 up /bin/true timeout 86401
expect 1 'invalid timeout "-1"'		watch carp0 up /bin/true t -1
expect 1 'watch: unknown word "foo"'	watch carp0 up /bin/true foo
expect 1 'device name .* too long'	watch carp0123456789ab up /bin/true
expect 0 '' help monitor
expect 0 '' help wa
expect 0 '' mon help
"$CARPCTL" help monitor | grep -q 'carpctl monitor \[NAME\]' ||
	{ echo "FAIL: help monitor" >&2; fail=1; }
"$CARPCTL" help watch | grep -q 'carpctl watch NAME \[up SCRIPT\] \[down SCRIPT\] \[conflict SCRIPT\]' ||
	{ echo "FAIL: help watch" >&2; fail=1; }

# Accepted words get as far as the kernel. Checked only where there is no
# carp module (then every request ends in "not available", exit 2), so that
# this never changes a live system.
if "$CARPCTL" show 2>&1 >/dev/null | grep -q 'carp kernel module not available'; then
	for args in "set carp0 state master" "set carp0 state backup" \
		    "set carp0 state MASTER" "set carp0 st b" "se carp0 st m" \
		    "set carp0 state master advskew 10 vhid 3" \
		    "demote" "dem" "demote +240" "demote -240" "demote 0" \
		    "demote 255" "demote +0" "demote -0" "demote 007" \
		    "demote -255" "stats" "stats carp0" \
		    "-o prometheus stats" "-o prom stats carp0" "-o text stats" \
		    "-o json show" "-o j -o t show carp0" \
		    "set carp0 peer 10.0.0.3" "set carp0 pe none" \
		    "add carp0 vhid 1 peer 10.0.0.3 $A" "set carp0 p x" \
		    "monitor" "mon carp0" "m" "watch carp0 up /bin/true" \
		    "wa carp0 d /bin/true t 0" \
		    "watch carp0 up /bin/true down /bin/true timeout 5" \
		    "set carp0 peer6 2001:db8::3" "set carp0 peer6 none" "set carp0 pee none" \
		    "add carp0 vhid 1 peer6 fe80::3 fe80::1/64" \
		    "add carp0 vhid 1 abcd::1/64 $A" \
		    "add carp0 carpnodes 1:0,2:100,3:200 balancing ip pass secret $A" \
		    "add carp0 carpnodes 1:5,2:7 advbase 0 $A" \
		    "add carp0 carpnodes 1:0,2:100,3:200 $A" \
		    "add carp0 carpnodes 5:0 $A" "add carp0 vhid 1 balancing none $A" \
		    "a carp0 carpn 3:0,1:254 bal ip-s $A" \
		    "add carp0 carpnodes 1:0,255:254 balancing ip-unicast $A" \
		    "set carp0 carpnodes 1:0,2:100 balancing ip-stealth" \
		    "set carp0 balancing ip-unicast" "set carp0 balancing ip" \
		    "set carp0 b none" "set carp0 c 1:0" "se carp0 c 1:0,2:0 b ip-u" \
		    "set carp0 carpnodes 1:0,2:100 10.0.0.5/24" \
		    "add carp0 vhid 1 lladdr parent $A" "set carp0 lladdr virtual" \
		    "set carp0 ll p" "add carp0 vhid 1 lladdr v balancing none $A" \
		    "add carp0 carpnodes $(i=1; while [ $i -le 32 ]; do printf '%s%d:%d' "${s-}" $i $i; s=,; i=$((i + 1)); done) $A" \
		    "add carp0 vhid 1 carpver 3 vrrpprio 200 vrrpinterval 100 $A" \
		    "add carp0 dev lo vhid 255 carpver 3 vrrppreempt off balancing none lladdr parent $A 10.0.1.1" \
		    "a carp0 v 1 carpv 3 vrrppri 1 vrrpi 4095 vrrppre of $A" \
		    "add carp0 vhid 1 carpver 2 advskew 5 $A" \
		    "set carp0 vrrpprio 255" "set carp0 vrrpinterval 1" \
		    "set carp0 vrrppreempt on" "set carp0 carpver 3" \
		    "set carp0 carpver 2 advskew 5" "set carp0 vrrppri 1 10.0.0.5/24" \
		    "add carp0 dev lo vhid 1 carpver 3 fe80::1/64 2001:db8::1/64" \
		    "add carp0 dev lo vhid 1 carpver 3 2001:db8::1/64 fe80::1/64" \
		    "add carp0 dev lo vhid 1 carpver 3 fe80::1/64" \
		    "add carp0 dev lo vhid 1 carpv 3 vrrpf inet6 vrrpa on FE80::1/64" \
		    "add carp0 vhid 1 carpver 3 vrrpfamily inet vrrpaccept off $A" \
		    "add carp0 vhid 1 carpver 3 vrrpaccept of vrrppreempt of $A" \
		    "set carp0 vrrpaccept on" "set carp0 vrrpfamily inet6" \
		    "set carp0 carpver 3 vrrpfamily inet $A" \
		    "set carp0 carpver 3 fe80::1/64 2001:db8::1/64" \
		    "set carp0 vrrpf inet6 fe80::1/64"; do
		# shellcheck disable=SC2086 # split the words
		expect 2 'carp kernel module not available' $args
	done
else
	echo "test_cli: a carp module is loaded: accepted-word checks skipped"
fi

expect 0 '' -V
expect 0 '' --version
expect 0 '' help
expect 0 '' help sh
expect 0 '' -h
expect 0 '' add help
"$CARPCTL" -V | grep -qx 'carpctl [0-9.]*' || { echo "FAIL: -V" >&2; fail=1; }

# Batch: comments, blank lines, quoting; stops at the first error
# unless -force, which still exits non-zero.
cat >"$tmp/batch" <<'EOB'
# a comment

help del   # trailing comment
add carp0 vhid 999 10.0.0.1
add "carp 0" vhid 1 10.0.0.1
add carp0 vhid 1 pass 'unterminated
EOB
"$CARPCTL" -batch "$tmp/batch" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	grep -q "batch:4: invalid vhid" "$tmp/err" ||
	{ echo "FAIL: batch stops at the first error (rc $rc)" >&2; fail=1; }
"$CARPCTL" -force -batch - <"$tmp/batch" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ "$(wc -l <"$tmp/err")" = 3 ] &&
	grep -q "stdin:6: unterminated single quote" "$tmp/err" ||
	{ echo "FAIL: batch -force (rc $rc)" >&2; fail=1; }
printf 'help\n# nothing\n\n' | "$CARPCTL" -batch - >/dev/null 2>&1 ||
	{ echo "FAIL: clean batch" >&2; fail=1; }


# batch_expect STATUS PATTERN [OPTIONS...]: carpctl -batch - on stdin,
# as expect.
batch_expect() {
	want=$1 pattern=$2
	shift 2
	"$CARPCTL" "$@" -batch - >"$tmp/out" 2>"$tmp/err"
	check_run "batch $pattern" $? "$want" "$pattern"
}

# A backslash at the end of a batch line joins the next line to it, as
# iproute2's -batch does: never a word holding a newline.
printf 'help \\\ndel\n' | batch_expect 0 ''
grep -q 'Usage: carpctl del NAME' "$tmp/out" ||
	{ echo "FAIL: batch: 'help \\' + 'del' is not 'help del'" >&2; fail=1; }
printf 'add carp0 vhid 1 pass \\\n' | batch_expect 1 'stdin:1: backslash at end of file'
printf 'set carp0 advskew 1\\\n0 vhid\n' | batch_expect 1 'stdin:1: missing value for vhid'
printf 'set carp0 adv\\\nskew 300\n' | batch_expect 1 'stdin:1: invalid advskew "300"'
printf 'help # a comment \\\nfrob\n' | batch_expect 1 'stdin:2: unknown command "frob"'
printf 'help "del\\\n"\n' | batch_expect 1 'stdin:1: unterminated double quote'
printf 'set carp0 pass \\\n\nfrob\n' | batch_expect 1 'stdin:1: missing value for pass'
printf 'help \\\\\nfrob\n' | batch_expect 1 'stdin:1: unknown command "\\\\"'
printf 'set carp0 pass x \\\nfrob\n' | batch_expect 1 'stdin:1: set: unknown word "frob"' -force

# A NUL byte in a batch line is an error naming the line, not the end of it.
printf 'del carp0\0 junk\n' | batch_expect 1 'stdin:1: NUL byte in line'
printf 'help\0junk\n' | batch_expect 1 'stdin:1: NUL byte in line'
printf 'help\nhelp \0\nfrob\n' | batch_expect 1 'stdin:2: NUL byte in line'
printf 'help\0\nhelp\n' | batch_expect 1 'stdin:1: NUL byte in line' -force

# Words in messages are escaped: one line, no terminal control.
expect 1 'unknown command "a\\nb"'	"$(printf 'a\nb')"
expect 1 'add: unknown word "\\x1b\[31mred"' add carp0 vhid 1 "$(printf '\033[31mred')" $A
expect 1 'unknown command "q\\"x\\\\y"'	'q"x\y'
expect 1 'unknown command "\\t\\r\\x7f\\xff\\xc2\\x9b"' "$(printf '\t\r\177\377\302\233')"
expect 1 'unknown command "caf'"$(printf '\303\251')"'"' "$(printf 'caf\303\251')"
printf 'frob\033]0;x\007\n' | batch_expect 1 'stdin:1: unknown command "frob\\x1b\]0;x\\a"'
if grep -q "$(printf '\033')" "$tmp/err"; then
	echo "FAIL: an escape sequence reached stderr" >&2
	fail=1
fi

# Virtual addresses and peers: one table of what is not a unicast address.
expect 1 '"127.0.0.1" is not a unicast address \(loopback, 127.0.0.0/8\)$' add carp0 vhid 1 127.0.0.1
expect 1 '"0.1.2.3/24" is not a unicast address \(this network, 0.0.0.0/8\)$' add carp0 vhid 1 0.1.2.3/24
expect 1 '"240.0.0.1" is not a unicast address \(reserved, 240.0.0.0/4\)$' add carp0 vhid 1 240.0.0.1
expect 1 '"255.255.255.255" is not a unicast address \(reserved, 240.0.0.0/4\)$' add carp0 vhid 1 255.255.255.255
expect 1 '"224.0.0.18" is not a unicast address \(multicast, 224.0.0.0/4\)$' add carp0 vhid 1 224.0.0.18
expect 1 '"::1" is not a unicast address \(loopback, ::1/128\)$' add carp0 vhid 1 ::1
expect 1 '"::" is not a unicast address \(unspecified, ::/128\)$' add carp0 vhid 1 ::
expect 1 '"ff02::12" is not a unicast address \(multicast, ff00::/8\)$' add carp0 vhid 1 ff02::12
expect 1 '"::ffff:10.0.0.1" is not a unicast address \(IPv4-mapped, ::ffff:0.0.0.0/96\)$' add carp0 vhid 1 ::ffff:10.0.0.1
expect 1 'invalid prefix length in "10.0.0.1/0" \(expected 1..32\)$' add carp0 vhid 1 10.0.0.1/0
expect 1 'invalid prefix length in "2001:db8::1/0" \(expected 1..128\)$' add carp0 vhid 1 2001:db8::1/0
expect 1 'invalid peer "224.0.0.1" \(multicast, 224.0.0.0/4\)$' set carp0 peer 224.0.0.1
expect 1 'invalid peer "127.0.0.2" \(loopback, 127.0.0.0/8\)$' set carp0 peer 127.0.0.2
expect 1 'invalid peer "0.0.0.1" \(this network, 0.0.0.0/8\)$' set carp0 peer 0.0.0.1
expect 1 'invalid peer "255.255.255.255" \(reserved, 240.0.0.0/4\)$' set carp0 peer 255.255.255.255
expect 1 'invalid peer6 "ff02::1" \(multicast, ff00::/8\)$' set carp0 peer6 ff02::1
expect 1 'invalid peer6 "::1" \(loopback, ::1/128\)$' set carp0 peer6 ::1
expect 1 'invalid peer6 "::ffff:10.0.0.3" \(IPv4-mapped, ::ffff:0.0.0.0/96\)$' set carp0 peer6 ::ffff:10.0.0.3
# Peer lists: comma-separated, each address checked; none only alone.
expect 1 'invalid peer "224.0.0.18" \(multicast, 224.0.0.0/4\)$' set carp0 peer 10.0.0.3,224.0.0.18
expect 1 'invalid peer "10.0.0.3," \(expected an IPv4 address or none\)$' set carp0 peer 10.0.0.3,
expect 1 'invalid peer ",10.0.0.3" \(expected an IPv4 address or none\)$' set carp0 peer ,10.0.0.3
expect 1 'invalid peer "none" \(expected an IPv4 address or none\)$' set carp0 peer 10.0.0.3,none
expect 1 'invalid peer "0.0.0.0" \(this network, 0.0.0.0/8\)$' set carp0 peer 10.0.0.3,0.0.0.0
expect 1 'invalid peer6 "10.0.0.4" \(expected an IPv6 address or none\)$' set carp0 peer6 fe80::3,10.0.0.4
expect 1 'invalid peer6 "ff02::12" \(multicast, ff00::/8\)$' set carp0 peer6 2001:db8::3,ff02::12
many=$(seq -s, -f '10.0.1.%g' 1 33)
expect 1 'invalid peer ".*" \(at most 32 addresses\)$' set carp0 peer "$many"
if "$CARPCTL" show 2>&1 >/dev/null | grep -q 'carp kernel module not available'; then
	for args in "add carp0 vhid 1 169.254.1.1/16" "add carp0 vhid 1 dev lo fe80::1/64" \
		    "set carp0 peer 0.0.0.0" "set carp0 peer6 ::" \
		    "add carp0 vhid 1 10.0.0.1/1" "add carp0 vhid 1 dev lo 2001:db8::1/1" \
		    "set carp0 peer 10.0.0.3 peer6 fe80::3" \
		    "set carp0 peer 10.0.0.3,10.0.0.4 peer6 fe80::3,2001:db8::4" \
		    "set carp0 peer $(seq -s, -f '10.0.1.%g' 1 32)"; do
		# shellcheck disable=SC2086 # split the words
		expect 2 'carp kernel module not available' $args
	done
fi

# The duplicate check is not quadratic: 60000 addresses parse at once.
{
	printf 'set carp0'
	i=0
	while [ $i -lt 60000 ]; do
		printf ' 10.%d.%d.1/24' $((i / 250)) $((i % 250))
		i=$((i + 1))
	done
	printf ' 10.0.0.1\n'
} >"$tmp/many"
start=$(date +%s)
"$CARPCTL" -batch "$tmp/many" >/dev/null 2>"$tmp/err"
rc=$?
took=$(($(date +%s) - start))
{ [ $rc = 1 ] && grep -q 'address 10.0.0.1/32 given twice' "$tmp/err" &&
	[ $took -lt 3 ]; } ||
	{ echo "FAIL: 60001 addresses: exit $rc in $took s ($(cat "$tmp/err"))" >&2; fail=1; }

# Output formats: -o FORMAT (-j is -o json), prometheus for stats only.
expect 1 'invalid output format "xml" \(expected text, json or prometheus\)$' -o xml stats
expect 1 'invalid output format ""'	-o "" stats
expect 1 'invalid output format "Text"'	-output Text show
expect 1 'option "-o" needs a value'	-o
expect 1 'option "-O" needs a value'	-o prometheus -O
expect 1 'show: no prometheus output \(-o prometheus is for stats\)$' -o prometheus show
expect 1 'monitor: no prometheus output' -j -o prom mon
expect 1 'demote: no prometheus output' -o p dem
expect 0 ''				-o prometheus help stats
"$CARPCTL" help | grep -q 'FORMAT := { text | json | prometheus }' ||
	{ echo "FAIL: help: no FORMAT" >&2; fail=1; }
"$CARPCTL" help stats | grep -q -- '-o prometheus' ||
	{ echo "FAIL: help stats: no -o prometheus" >&2; fail=1; }

# -O FILE: the output replaces FILE whole on success, with the mode a
# redirection would give it; on failure FILE and its directory stay as
# they were. Without a carp module every stats fails, as "stats nosuch"
# does with one.
mkdir "$tmp/ofile"
"$CARPCTL" help >"$tmp/help"
(umask 027 && "$CARPCTL" -O "$tmp/ofile/help" help) >"$tmp/stdout" 2>"$tmp/err"
check_run "carpctl -O FILE help" $? 0 ''
cmp -s "$tmp/help" "$tmp/ofile/help" && [ ! -s "$tmp/stdout" ] ||
	{ echo "FAIL: -O FILE help: not the output of help" >&2; fail=1; }
[ "$(stat -c %a "$tmp/ofile/help")" = 640 ] ||
	{ echo "FAIL: -O FILE: mode $(stat -c %a "$tmp/ofile/help"), want 640" >&2; fail=1; }
echo old >"$tmp/ofile/carp.prom"
if "$CARPCTL" show 2>&1 >/dev/null | grep -q 'carp kernel module not available'; then
	expect 2 'carp kernel module not available' -o prometheus -O "$tmp/ofile/carp.prom" stats
else
	expect 2 'nosuch: ' -o prometheus -O "$tmp/ofile/carp.prom" stats nosuch
fi
[ "$(cat "$tmp/ofile/carp.prom")" = old ] &&
	[ "$(find "$tmp/ofile" -type f | wc -l)" = 2 ] ||
	{ echo "FAIL: -O FILE on failure: $(ls "$tmp/ofile")" >&2; fail=1; }
expect 2 'cannot create a file next to "/nonexistent/carp.prom": No such file or directory$' \
	-O /nonexistent/carp.prom help

# -V and -h take no further word.
expect 1 'option "-V" takes no argument, but "junk" was given' -V junk
expect 1 'option "--help" takes no argument, but "x" was given' --help x
expect 1 'option "-h" takes no argument, but "show" was given' -j -h show

[ $fail = 0 ] && echo "test_cli: ok"
exit $fail
