#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A carp device that generic netlink NEW cannot register is freed, whatever
# the point where registration failed. With the bonding module loaded, a
# device named "bonding_masters" clashes with bonding's sysfs file of that
# name in every namespace: register_netdevice() fails in
# netdev_register_kobject(), after ndo_init, and leaves the net_device to
# the caller. Anyone who is root in a user namespace can ask for that name,
# as often as they like.
#
#   host: eth0 (dummy), 10.0.0.2/24; carpctl add bonding_masters dev eth0 ...
#
# Proves:
#  - on this kernel the name clashes (a dummy device of that name is
#    refused too), and carpctl add of a carp device of that name fails and
#    leaves no such device;
#  - 1000 such refused requests, run in a memory cgroup of their own, leave
#    its charge (memory.current) less than 1.5 MiB above where it was once
#    warmed up: a net_device left behind by each would be at least 4 KiB,
#    4 MiB in all (the allocations are memcg-accounted: alloc_netdev() and
#    carp's own);
#  - afterwards a carp device is created and deleted as usual.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_refused test_memory test_usable"

TRIES=1000
WARMUP=100
LIMIT=$((1536 * 1024))
CG=""
CG_MOUNT=""
H=""

cleanup()
{
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	[ -n "$CG_MOUNT" ] && umount "$CG_MOUNT" 2>/dev/null
	carp_cleanup
}

# batch_in_cgroup FILE: carpctl -force -batch FILE in namespace H, in $CG.
batch_in_cgroup()
{
	bash -c 'echo $$ >"$1/cgroup.procs" && exec ip netns exec "$2" carpctl -force -batch "$3"' \
		_ "$CG" "$H" "$1" >/dev/null 2>&1
}

cg_current()
{
	cat "$CG/memory.current"
}

# _charge_below BASE: memory.current is less than BASE + LIMIT (freeing
# after an RCU grace period may take a moment).
_charge_below()
{
	(($(cg_current) < $1 + LIMIT))
}

require_carp
require_cmd carpctl
trap cleanup EXIT
carp_tmpdir
setup_ns H || { echo "FAIL: cannot create a namespace"; exit "$ksft_fail"; }
ip -n "$H" link add eth0 type dummy &&
	ip -n "$H" link set eth0 up &&
	ip -n "$H" addr add 10.0.0.2/24 dev eth0 ||
	{ echo "FAIL: cannot set up eth0"; exit "$ksft_fail"; }

if [ ! -d /sys/module/bonding ]; then
	# no bond0 in the initial namespace: only bonding_masters is wanted
	modprobe bonding max_bonds=0 2>/dev/null ||
		carp_skip "bonding module not available"
fi
if ip -n "$H" link add bonding_masters type dummy 2>/dev/null; then
	ip -n "$H" link del bonding_masters
	carp_skip "the name bonding_masters does not clash on this kernel"
fi

# The name clashes (checked above), and carpctl add of it fails and leaves
# nothing.
test_refused()
{
	local out

	check_begin
	out=$(carpctl -n "$H" add bonding_masters dev eth0 vhid 1 10.0.0.1/24 2>&1)
	(($? != 0)) || check_fail_msg "carpctl add bonding_masters succeeded: $out"
	link_exists "$H" bonding_masters &&
		check_fail_msg "a device bonding_masters exists after the refused add"
	log_test "NEW of a carp device named bonding_masters fails cleanly ($out)"
}

test_memory()
{
	local root i base

	check_begin
	# a cgroup v2 hierarchy with the memory controller, mounted if need be
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -z "$root" ]; then
		CG_MOUNT=$CARP_TMP/cgroup
		mkdir -p "$CG_MOUNT"
		mount -t cgroup2 none "$CG_MOUNT" || carp_skip "cannot mount cgroup2"
		root=$CG_MOUNT
	fi
	grep -qw memory "$root/cgroup.controllers" ||
		carp_skip "no memory controller in cgroup2"
	echo +memory >"$root/cgroup.subtree_control" 2>/dev/null
	CG=$root/carp_lifecycle.$$
	mkdir "$CG" && [ -r "$CG/memory.current" ] ||
		carp_skip "cannot create a memory cgroup under $root"

	for ((i = 0; i < WARMUP; i++)); do
		echo "add bonding_masters dev eth0 vhid 1 10.0.0.1/24"
	done >"$CARP_TMP/warmup"
	for ((i = 0; i < TRIES; i++)); do
		echo "add bonding_masters dev eth0 vhid 1 10.0.0.1/24"
	done >"$CARP_TMP/tries"
	# the first requests charge what stays: carpctl's pages, slab pages
	batch_in_cgroup "$CARP_TMP/warmup"
	base=$(cg_current)
	batch_in_cgroup "$CARP_TMP/tries"
	if ! loopy_wait "sleep 0.2" "$CARP_MARGIN_MS" _charge_below "$base"; then
		check_fail_msg "memory.current grew by $(($(cg_current) - base)) bytes over $TRIES refused requests (limit $LIMIT)"
	fi
	link_exists "$H" bonding_masters &&
		check_fail_msg "a device bonding_masters exists after the refused adds"
	log_test "$TRIES refused NEW requests leave no memory behind ($(($(cg_current) - base)) bytes)"
}

# (advbase 0, advskew 100: elected in 1.17 s; the interval is not the
# point here)
test_usable()
{
	local out

	check_begin
	out=$(carp_add "$H" carp0 dev eth0 vhid 1 advbase 0 advskew 100 \
		10.0.0.1/24)
	check_err $? "$out"
	out=$(wait_state "$H" carp0 MASTER $(($(carp_down_ms 0 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	carp_del "$H" carp0
	check_err $? "cannot delete carp0"
	log_test "a carp device is created, elected and deleted afterwards"
}

carp_run_tests

exit "$EXIT_STATUS"
