#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carpctl's bash completion (make test): source it, fill COMP_WORDS and
# COMP_CWORD as bash would, call the function `complete -p carpctl` names,
# compare COMPREPLY. Device names come from a stub `ip` on PATH that lists
# two carp devices (carp0@eth0, carp1@eth1) and the parents lo, eth0, eth1,
# and answers for `-n ns1` with carp5 only, so the namespace is honoured.
# The checks: global options and commands (and their abbreviations), device
# names for del/show/stats/set/monitor/watch, parents after "dev", the
# keywords of add and set, apply's options and FILE (without those already
# given, nor vhid and advskew after carpnodes or carpnodes after them, nor
# lladdr after carpnodes or balancing, nor CARP's words with VRRPv3's or
# the other way round; add's vrrp words only after carpver 3), the values
# of state, peer, balancing, lladdr, carpver, vrrpfamily, vrrppreempt and
# vrrpaccept, the netns
# names after -n, the formats after -o.

COMPLETION=${1:?usage: $0 COMPLETION_FILE}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/ip" <<'EOF'
#!/bin/sh
case "$*" in
"netns list")
	echo "ns1 (id: 0)"; echo "ns2" ;;
"-n ns1 -o link show type carp")
	echo "9: carp5@eth0: <BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue" ;;
"-o link show type carp")
	echo "5: carp0@eth0: <BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue"
	echo "6: carp1@eth1: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue" ;;
"-o link show")
	echo "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00"
	echo "2: eth0: <BROADCAST,MULTICAST,UP> mtu 1500\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff"
	echo "3: eth1: <BROADCAST,MULTICAST,UP> mtu 1500\    link/ether 52:54:00:12:34:57 brd ff:ff:ff:ff:ff:ff" ;;
esac
EOF
chmod +x "$tmp/ip"
PATH=$tmp:$PATH

# shellcheck source=/dev/null
source "$COMPLETION" || { echo "FAIL: cannot source $COMPLETION" >&2; exit 1; }
func=$(complete -p carpctl 2>/dev/null | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[ -n "$func" ] || { echo "FAIL: no completion function registered for carpctl" >&2; exit 1; }

# expect "EXPECTED WORDS" WORD...: the last WORD is the one being completed.
expect()
{
	local want=$1 got; shift

	COMP_WORDS=(carpctl "$@")
	COMP_CWORD=$#
	COMP_LINE="carpctl $*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$func" carpctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	# shellcheck disable=SC2086 # a word list
	want=$(printf "%s\n" $want | sed "/^$/d" | sort | tr "\n" " ")
	if [ "$got" != "$want" ]; then
		echo "FAIL: carpctl $* <TAB>: got '$got', want '$want'" >&2
		fail=1
	fi
}

expect "add set del show stats demote help monitor watch hold track apply" ""
expect "set show stats" s
expect "demote del" d
expect "-json -pretty -output -O -netns -batch -force -Version -help" -
expect "-output" -o
expect "text json prometheus" -o ""
expect "prometheus" -output p
expect "set show stats" -o prometheus s
expect "carp5" -o prometheus -n ns1 stats ""
expect "carp1" -O /tmp/carp.prom -o prometheus stats carp1
expect "-netns" -n
expect "ns1 ns2" -n ""
expect "set show stats" -n ns1 s
expect "carp0 carp1" del ""
expect "carp0 carp1" show ""
expect "carp1" stats carp1
expect "carp0 carp1" sh ""
expect "carp0 carp1" set ""
expect "carp0 carp1" monitor ""
expect "carp0 carp1" watch ""
expect "carp5" -n ns1 del ""
expect "carp5" -j -n ns1 show ""
expect "" add ""
expect "dev vhid advbase advskew pass peer peer6 carpnodes balancing lladdr carpver" add carp2 ""
expect "advbase advskew" add carp2 adv
expect "dev advbase advskew pass peer peer6 balancing lladdr carpver" add carp2 vhid 3 ""
expect "advbase advskew pass peer peer6 balancing lladdr carpver" add carp2 dev eth0 vhid 3 ""
expect "eth0 eth1" add carp2 dev ""
expect "eth1" add carp2 vhid 3 dev eth1
expect "" add carp2 vhid ""
expect "vhid advbase advskew pass peer peer6 state carpnodes balancing lladdr vrrpprio vrrpinterval vrrppreempt vrrpaccept" set carp0 ""
expect "carpnodes carpver" add carp2 car
expect "balancing" set carp0 b
expect "dev advbase pass peer peer6 balancing" add carp2 carpnodes 1:0,2:100 ""
expect "advbase pass peer peer6 state" set carp0 carpnodes 1:0,2:100 balancing ip ""
expect "vhid advbase pass peer peer6 state balancing lladdr" set carp0 advskew 5 ""
expect "" add carp2 carpnodes ""
expect "none ip ip-stealth ip-unicast arp" add carp2 carpnodes 1:0,2:0 balancing ""
expect "ip ip-stealth ip-unicast" set carp0 balancing i
expect "ip-stealth ip-unicast" set carp0 balancing ip-
expect "arp" set carp0 balancing a
expect "ip-unicast" set carp0 balancing ip-u
expect "virtual parent" add carp2 vhid 3 lladdr ""
expect "parent" set carp0 lladdr p
expect "lladdr" set carp0 l
expect "none" set carp0 peer6 ""
expect "master backup" set carp0 state ""
expect "master" set carp0 state m
expect "none" set carp0 peer ""
expect "2 3" add carp2 vhid 3 carpver ""
expect "dev lladdr vrrpfamily vrrpprio vrrpinterval vrrppreempt vrrpaccept" add carp2 vhid 3 carpver 3 ""
expect "vrrpprio vrrppreempt" add carp2 vhid 3 carpver 3 vrrpp
expect "vrrpfamily" add carp2 vhid 3 carpver 3 vrrpf
expect "vrrpaccept" add carp2 vhid 3 carpver 3 vrrpa
expect "lladdr vrrpfamily vrrpinterval vrrppreempt vrrpaccept" add carp2 dev eth0 carpver 3 vhid 3 vrrpprio 200 ""
expect "dev lladdr vrrpprio vrrpinterval vrrppreempt vrrpaccept" add carp2 vhid 3 carpver 3 vrrpfamily inet6 ""
expect "on off" add carp2 vhid 3 carpver 3 vrrppreempt ""
expect "on off" add carp2 vhid 3 carpver 3 vrrpaccept ""
expect "inet inet6" add carp2 vhid 3 carpver 3 vrrpfamily ""
expect "inet inet6" add carp2 vhid 3 carpver 3 vrrpfamily i
expect "inet6" add carp2 vhid 3 carpver 3 vrrpfamily inet6
expect "off" set carp0 vrrppreempt of
expect "on" set carp0 vrrpaccept on
expect "" set carp0 vrrpinterval ""
expect "vhid state lladdr vrrpinterval vrrppreempt vrrpaccept" set carp0 vrrpprio 50 ""
expect "vhid state lladdr vrrpprio vrrpinterval vrrppreempt" set carp0 vrrpaccept on ""
expect "dev vhid lladdr carpver vrrpfamily vrrpinterval vrrppreempt vrrpaccept" add carp2 vrrpprio 50 ""
expect "dev vhid lladdr carpver vrrpprio vrrpinterval vrrppreempt vrrpaccept" add carp2 vrrpfamily inet6 ""
expect "dev vhid advskew pass peer peer6 carpnodes balancing lladdr" add carp2 advbase 2 ""
expect "up down conflict timeout settle retry" watch carp0 ""
expect "/proc" watch carp0 conflict /pro
expect "add set del show stats demote help monitor watch hold track apply" help ""
expect "del" hold ""
expect "demote --" hold web ""
expect "--" hold web demote 100 ""
expect "add del" track ""
expect "demote" track add eth0 ""
expect "stats" help st
expect "" show carp0 ""
expect "apply add" a
expect "--prune --dry-run" apply --
expect "--prune" ap --p
expect "--dry-run" apply --prune --d
touch "$tmp/carp.conf"
expect "$tmp/carp.conf" apply --prune "$tmp/carp.c"
expect "$tmp/carp.conf" appl -n "$tmp/carp.c"
expect "" apply "$tmp/carp.conf" ""

[ $fail = 0 ] && echo "test_completion: ok"
exit $fail
