#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed's story, live: two servers share 10.0.0.1, the main one with
# advskew 0, the spare with advskew 100, preempt on. Pull the main server's
# cable: the spare answers for 10.0.0.1 and the client keeps working. Plug it
# back: the main server takes the address back.
#
# Runs as root inside the test VM (`make demo`), or on any Linux host with
# carp.ko installed (`modprobe carp`) and carpctl on PATH. Everything happens
# in network namespaces made here: main, spare, client and a switch.
set -u

NS_SW=demo-switch NS_MAIN=demo-main NS_SPARE=demo-spare NS_CLIENT=demo-client
VIP=10.0.0.1

say() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
run() { printf '\033[2m%s\033[0m\n' "\$ $*"; "$@"; }
die() { echo "demo: $*" >&2; exit 1; }

cleanup() {
	for ns in $NS_CLIENT $NS_MAIN $NS_SPARE $NS_SW; do
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT

state() { carpctl -n "$1" -j show carp0 2>/dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])' 2>/dev/null; }

# wait_state NS STATE SECONDS: poll until NS's carp0 is in STATE.
wait_state() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(state "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	die "$1 did not become $2 within $3 s"
}

show_both() {
	run carpctl -n $NS_MAIN show
	run carpctl -n $NS_SPARE show
	# the same device as any link, through carp's plugin for ip
	run ip -n $NS_MAIN -d link show carp0
	run ip -n $NS_SPARE -d link show carp0
}

ping_vip() {
	run ip netns exec $NS_CLIENT ping -c 3 -i 0.3 -W 1 $VIP
	run ip -n $NS_CLIENT neigh show $VIP
}

command -v carpctl >/dev/null || die "carpctl not on PATH"
modprobe carp || die "cannot load the carp module"
cleanup

say "A switch and three hosts: main 10.0.0.2, spare 10.0.0.3, client 10.0.0.10"
for ns in $NS_SW $NS_MAIN $NS_SPARE $NS_CLIENT; do ip netns add $ns; done
ip -n $NS_SW link add br0 type bridge
ip -n $NS_SW link set br0 up
for h in main spare client; do
	ns=demo-$h
	ip -n $NS_SW link add "cable-$h" type veth peer name eth0 netns "$ns"
	ip -n $NS_SW link set "cable-$h" master br0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
ip -n $NS_MAIN addr add 10.0.0.2/24 dev eth0
ip -n $NS_SPARE addr add 10.0.0.3/24 dev eth0
ip -n $NS_CLIENT addr add 10.0.0.10/24 dev eth0

say "On both: sysctl net.carp.preempt=1 (FreeBSD: net.inet.carp.preempt=1)"
run ip netns exec $NS_MAIN sysctl -w net.carp.preempt=1
run ip netns exec $NS_SPARE sysctl -w net.carp.preempt=1

say "main:  ifconfig carp0 vhid 1 pass secretpassword advskew 0 10.0.0.1/24"
run carpctl -n $NS_MAIN add carp0 vhid 1 pass secretpassword advskew 0 $VIP/24
say "spare: ifconfig carp0 vhid 1 pass secretpassword advskew 100 10.0.0.1/24"
run carpctl -n $NS_SPARE add carp0 vhid 1 pass secretpassword advskew 100 $VIP/24

say "The main server advertises more often (advskew 0): it becomes MASTER"
wait_state $NS_MAIN MASTER 15
wait_state $NS_SPARE BACKUP 15
show_both

say "The client reaches 10.0.0.1 through the virtual MAC 00:00:5e:00:01:01"
ping_vip

say "Pull the main server's cable"
run ip -n $NS_SW link set cable-main down
say "main drops to INIT; the spare hears nothing for 3 x advbase + advskew/256 s and takes over"
t0=$(date +%s.%N)
wait_state $NS_SPARE MASTER 15
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" \
	'BEGIN { printf "spare became MASTER %.1f s after the cable was pulled\n", b - a }'
show_both

say "The client still gets answers from 10.0.0.1, same virtual MAC"
ping_vip

say "Plug the cable back: preempt is on, so main takes the address back"
run ip -n $NS_SW link set cable-main up
wait_state $NS_MAIN MASTER 15
wait_state $NS_SPARE BACKUP 15
show_both
ping_vip

say "What each side counted"
run carpctl -n $NS_MAIN stats
run carpctl -n $NS_SPARE stats

say "Done: failover and failback, no split brain."
