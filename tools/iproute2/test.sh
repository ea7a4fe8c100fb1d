#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh: link_carp.so under this host's own ip(8), with no carp module
# (make test; root, for a network namespace):
#   - "ip link help carp" prints the usage, naming every keyword;
#   - bad values are refused by the plugin with one line on stderr and a
#     non-zero exit, before any RTM_NEWLINK is sent (strace says);
#   - the RTM_NEWLINK that add and set send (strace -e write= dumps it,
#     nlcarp.py decodes IFLA_INFO_DATA by carp.h's numbers) holds exactly
#     the attributes and values the command line gave. The kernel then
#     refuses the unknown kind: only the message is checked;
#   - "ip -d monitor file" prints the RTM_NEWLINKs nlcarp.py makes, as the
#     kernel would send them for a carp device, with the carp line;
#   - "ip -j -d link show" prints them as JSON in linkinfo.info_data, with
#     fake_carp.so (LD_PRELOAD) making a vxlan device's reply a carp one's.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
UAPI=$HERE/../../kmod/uapi/carp.h
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export IP_LIB_DIR=$HERE
T=$(mktemp -d /tmp/carp-iproute2.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0 n=0

ok()
{
	n=$((n + 1))
	echo "ok $n $*"
}

bad()
{
	n=$((n + 1))
	echo "not ok $n $*"
	fail=1
}

for tool in ip strace unshare; do
	command -v "$tool" >/dev/null || { echo "test.sh: $tool is missing" >&2; exit 1; }
done
[ -f "$HERE/link_carp.so" ] || { echo "test.sh: build link_carp.so first" >&2; exit 1; }

# run_ip ARGS...: ip ARGS in a fresh netns holding veth v0 (peer v1);
# stderr in $T/err, the RTM_NEWLINK decoded in $T/msg; ip's status.
run_ip()
{
	local rc

	unshare -n sh -c 'ip link add v0 type veth peer name v1 &&
		exec strace -qq -o "$0" -e trace=sendmsg -e write=all -s 0 ip "$@"' \
		"$T/strace" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	"$PY" "$HERE/nlcarp.py" decode "$UAPI" <"$T/strace" >"$T/msg"
	return "$rc"
}

# sends WANT ARGS...: ip link ARGS sends the RTM_NEWLINK decoded as WANT.
sends()
{
	local want=$1; shift

	run_ip link "$@"
	if [ "$(cat "$T/msg")" = "$want" ]; then
		ok "ip link $*"
	else
		bad "ip link $*: sent \"$(cat "$T/msg")\", expected \"$want\""
	fi
}

# refused ARGS...: ip link add carp0 link v0 type carp ARGS fails, one line
# on stderr (the plugin's: not ip's "Garbage instead of arguments"),
# nothing sent.
refused()
{
	local rc

	run_ip link add carp0 link v0 type carp "$@"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	   grep -q '^Error: ' "$T/err" && ! grep -q Garbage "$T/err" &&
	   [ "$(cat "$T/msg")" = "no RTM_NEWLINK" ]; then
		ok "refused: $* ($(cat "$T/err"))"
	else
		bad "refused: $*: exit $rc, sent \"$(cat "$T/msg")\", stderr:" \
			"$(cat "$T/err")"
	fi
}

# 1. Usage.
help=$(ip link help carp 2>&1)
missing=
for w in vhid advbase advskew pass peer peer6 carpnodes balancing none ip \
	 ip-stealth ip-unicast arp lladdr virtual parent carpver vrrpprio \
	 vrrpinterval vrrppreempt vrrpfamily inet inet6 vrrpaccept; do
	grep -qw -- "$w" <<<"$help" || missing="$missing $w"
done
[ -z "$missing" ] && grep -q '^Usage: ... carp' <<<"$help" &&
	ok "ip link help carp" || bad "ip link help carp: missing$missing"

# 2. Bad values, refused before anything is sent.
refused vhid 0
refused vhid 256
refused vhid 1x
refused vhid -1
refused vhid 1 advskew 255
refused vhid 1 advbase 256
refused vhid 1 balancing foo
refused vhid 1 balancing ip		# needs two or more vhids
refused vhid 1 lladdr foo
refused vhid 1 peer 300.1.1.1
refused vhid 1 peer 10.0.0.1,
refused vhid 1 peer6 10.0.0.1
refused carpnodes 1:300
refused carpnodes 0:1
refused carpnodes 1:1,1:2
refused carpnodes 1:1,2:2 vhid 3
refused vhid 1 pass 123456789012345678901
grep -q 123456789012345678901 "$T/err" &&
	bad "the rejected secret was echoed" || ok "the rejected secret is not echoed"
refused vhid 1 advbase 0		# advskew 0 then
refused vhid 1 vhid 2
refused vhid 1 frobnicate 1
refused advskew 10			# add needs a vhid
refused vhid 1 carpver 4
refused vhid 1 carpver 3 vrrpprio 0
refused vhid 1 carpver 3 vrrpprio 256
refused vhid 1 carpver 3 vrrpinterval 0
refused vhid 1 carpver 3 vrrpinterval 4096
refused vhid 1 carpver 3 vrrppreempt yes
refused vhid 1 vrrppreempt on vrrppreempt off
refused vhid 1 carpver 3 vrrpfamily inet4
refused vhid 1 carpver 3 vrrpfamily 6
refused vhid 1 carpver 3 vrrpfamily ine		# inet or inet6
refused vhid 1 carpver 3 vrrpaccept yes
refused vhid 1 carpver 3 vrrpaccept o
refused vhid 1 vrrpaccept on vrrpacc off
refused vhid 1 vrrpfamily inet vrrpf inet6
refused vhid 1 vrrp 3				# a prefix of five words, none long enough

# 3. What add and set send.
sends "create VHID=1 ADVSKEW=100 KEY='secret'" \
	add carp0 link v0 type carp vhid 1 advskew 100 pass secret
sends "create VHID=7 ADVBASE=3 KEY='' PEERS= PEERS6= LLADDR=1" \
	add carp0 link v0 type carp vhid 7 advbase 3 pass "" peer none \
	peer6 :: lladdr parent
sends "create ADVBASE=0 PEERS=10.0.0.3,10.0.0.4 PEERS6=fe80::1,2001:db8::2 NODES=1:10,2:20 BALANCING=2" \
	add carp0 link v0 type carp carpnodes 1:10,2:20 balancing ip-stealth \
	advbase 0 peer 10.0.0.3,10.0.0.4 peer6 fe80::1,2001:db8::2
sends "create VHID=255 ADVSKEW=254 KEY='12345678901234567890' BALANCING=0 LLADDR=0" \
	add carp0 link v0 type carp v 255 advs 254 p 12345678901234567890 \
	b n l v
sends "change ADVSKEW=50" set v0 type carp advskew 50
sends "change PEERS=192.0.2.1 NODES=3:0,4:1 BALANCING=4" \
	set v0 type carp pe 192.0.2.1 carpnodes 3:0,4:1 balancing arp
sends "create VHID=2 VERSION=3 VRRP_PRIO=200 VRRP_INTERVAL=4095 VRRP_PREEMPT=0" \
	add carp0 link v0 type carp vhid 2 carpver 3 vrrpprio 200 \
	vrrpinterval 4095 vrrppreempt off
sends "create VHID=255 KEY='' BALANCING=0 LLADDR=1 VERSION=3 VRRP_PREEMPT=1" \
	add carp0 link v0 type carp v 255 carpv 3 vrrppre on pass "" \
	balancing none lladdr parent
sends "change VRRP_PRIO=1 VRRP_INTERVAL=1" set v0 type carp vrrppri 1 vrrpi 1
sends "create VHID=9 VERSION=3 VRRP_FAMILY=6 VRRP_ACCEPT=1" \
	add carp0 link v0 type carp vhid 9 carpver 3 vrrpfamily inet6 vrrpaccept on
sends "create VHID=9 VERSION=3 VRRP_FAMILY=4 VRRP_ACCEPT=0" \
	add carp0 link v0 type carp v 9 carpv 3 vrrpf inet vrrpa of
sends "change VRRP_ACCEPT=1" set v0 type carp vrrpaccept on
# a set's vrrpfamily is sent: the kernel says whether it is the device's
sends "change VRRP_FAMILY=6" set v0 type carp vrrpfamily inet6
sends "change ADVSKEW=5 VERSION=2" set v0 type carp carpver 2 advskew 5
# which words go with which protocol is the kernel's to say, as it does
# through ip: sent as given
sends "create VHID=1 ADVSKEW=10 KEY='secret' VERSION=3" \
	add carp0 link v0 type carp vhid 1 carpver 3 advskew 10 pass secret
sends "create VHID=1 VRRP_PRIO=200" add carp0 link v0 type carp vhid 1 vrrpprio 200

# 4. What ip -d shows of the kernel's RTM_NEWLINK.
"$PY" "$HERE/nlcarp.py" reply "$UAPI" "$T/reply"
shown=$(ip -d monitor file "$T/reply" 2>&1)
for want in \
	"carp vhid 1 advbase 1 advskew 100 state MASTER balancing none lladdr virtual auth peer 10.0.0.3,10.0.0.4 " \
	"carp vhid 5 advbase 0 advskew 10 state BACKUP balancing ip-stealth lladdr virtual peer6 2001:db8::2 nodes 5:10:BACKUP,6:20:INIT " \
	"carp vhid 9 carpver 3 vrrpprio 200 vrrpinterval 300 vrrppreempt off state BACKUP balancing none lladdr virtual " \
	"carp vhid 9 carpver 3 vrrpfamily inet6 vrrpprio 100 vrrpinterval 100 vrrppreempt on vrrpaccept on state MASTER balancing none lladdr virtual "; do
	if grep -qxF "    $want" <<<"$shown"; then
		ok "ip -d shows \"$want\""
	else
		bad "ip -d does not show \"$want\":" "$shown"
	fi
done

# 5. What ip -j -d link show prints (a vxlan device dressed as carp).
${CC:-cc} -O2 -Wall -Wextra -Werror -fPIC -shared -o "$T/fake_carp.so" \
	"$HERE/fake_carp.c" -ldl || bad "fake_carp.so does not build"
want0='{"vhid": 1, "carpver": 2, "advbase": 1, "advskew": 100, "state": "MASTER", "balancing": "none", "lladdr": "virtual", "auth": true, "peers": ["10.0.0.3", "10.0.0.4"], "peers6": [], "nodes": [{"vhid": 1, "advskew": 100, "state": "MASTER"}]}'
want1='{"vhid": 5, "advbase": 0, "advskew": 10, "state": "BACKUP", "balancing": "ip-stealth", "lladdr": "virtual", "auth": false, "peers": [], "peers6": ["2001:db8::2"], "nodes": [{"vhid": 5, "advskew": 10, "state": "BACKUP"}, {"vhid": 6, "advskew": 20, "state": "INIT"}]}'
want2='{"vhid": 9, "carpver": 3, "vrrpprio": 200, "vrrpinterval": 300, "vrrppreempt": false, "state": "BACKUP", "balancing": "none", "lladdr": "virtual", "auth": false, "peers": [], "peers6": [], "nodes": [{"vhid": 9, "state": "BACKUP"}]}'
want3='{"vhid": 9, "carpver": 3, "vrrpfamily": "inet6", "vrrpprio": 100, "vrrpinterval": 100, "vrrppreempt": true, "vrrpaccept": true, "state": "MASTER", "balancing": "none", "lladdr": "virtual", "auth": false, "peers": [], "peers6": [], "nodes": [{"vhid": 9, "state": "MASTER"}]}'
for i in 0 1 2 3; do
	"$PY" "$HERE/nlcarp.py" data "$UAPI" "$T/data$i" "$i"
	unshare -n sh -c 'ip link add carp0 type vxlan id 1 dstport 4789 local 10.1.1.1 &&
		LD_PRELOAD="$0" FAKE_CARP_DATA="$1" ip -j -d link show carp0' \
		"$T/fake_carp.so" "$T/data$i" >"$T/json" 2>"$T/err"
	got=$("$PY" -c 'import json, sys
info = json.load(sys.stdin)[0]["linkinfo"]
assert info["info_kind"] == "carp", info
print(json.dumps(info["info_data"]))' <"$T/json" 2>&1)
	want=want$i
	if [ "$got" = "${!want}" ]; then
		ok "ip -j -d link show: $got"
	else
		bad "ip -j -d link show: got $got $(cat "$T/err"), expected ${!want}"
	fi
done

echo "# $n tests, $([ "$fail" -eq 0 ] && echo "all passed" || echo "some failed")"
exit "$fail"
