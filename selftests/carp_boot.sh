#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# carp-vm-kernel: newest (what it proves is user space: carpctl, its files,
# the boot units or the spec-driven client; the module paths it drives run
# on every kernel in the other tests)
#
# Persistence at boot: `make install-tools` and carp-setup (what carp.service
# runs) applying /etc/carp/carp.conf and /etc/carp/sysctl.conf.
#
#   main: carp9 (vhid 9) made by hand first; then carp-setup start with
#         carp0 (vhid 1, 10.0.0.1/24) and carp1 (vhid 2, advbase 2,
#         advskew 50, two IPv4 and one IPv6 address) from a carp.conf with
#         comments, blank lines and quoting, and net.carp.preempt=1,
#         net.carp.log=2 from a sysctl.conf
#   spare: carp0 (vhid 1, advskew 100) from its own carp.conf
#
# Proves:
# - `make install-tools DESTDIR=D PREFIX=/usr` puts carpctl, carp-setup,
#   carp.service (ExecStart naming /usr/sbin/carp-setup), the boot hold's
#   carp-release.service and carp-ready.target, the bash
#   completion, the man page, the examples and /etc/carp/carp.conf and
#   sysctl.conf in D; the installed carp-setup and carpctl are what the rest
#   of the test runs.
# - start: the devices exist with the configured parent, vhid, advbase,
#   advskew, key and every address; the sysctls are set in the namespace
#   where it ran (and only there); the state machine runs: main's devices
#   become MASTER, the spare's BACKUP, the client reaches 10.0.0.1 through
#   the virtual MAC; a second start is refused and changes nothing.
# - stop deletes exactly the devices the file created: carp0 and carp1 go,
#   the hand-made carp9 stays; the spare then takes over.
# - start with a broken line (a syntax error on line 5; a line the kernel
#   refuses on line 3) exits non-zero, names FILE:LINE, and deletes the
#   devices the earlier lines created (all or nothing), leaving carp9; the
#   corrected file then starts cleanly.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_install test_start test_restart test_stop
	test_broken_syntax test_broken_kernel test_clean_start"

VIP1=10.0.0.1/24
VIP2A=10.0.0.21/24
VIP2B=10.0.0.22/24
VIP2C=2001:db8::21/64

carp_repo_init

SETUP=$DEST/usr/sbin/carp-setup

# setup NS ARGS...: the installed carp-setup in NS, with the installed
# carpctl; stdout and stderr in $CARP_TMP/setup.out.
setup()
{
	local ns=$1; shift

	ip netns exec "$ns" env PATH="$DEST/usr/sbin:$PATH" \
		"$SETUP" -r "$CARP_TMP/run-${ns%%-*}" "$@" >"$CARP_TMP/setup.out" 2>&1
}

# field_is NS DEV KEY VALUE
field_is()
{
	local v

	v=$(carp_field "$1" "$2" "$3")
	[ "$v" = "$4" ] || check_fail_msg "$2: $3 is '$v', expected '$4'"
}

# The configuration files of the sub-tests.
cat >"$CARP_TMP/carp.conf" <<EOF
# carp.conf of main, written by carp_boot.sh

add carp0 dev eth0 vhid 1 advskew 0 pass "boot one" $VIP1    # IPv4
	# an indented comment
add carp1 dev eth0 vhid 2 advbase 2 advskew 50 pass 'boot two' $VIP2A $VIP2B $VIP2C
EOF
cat >"$CARP_TMP/sysctl.conf" <<EOF
# sysctl.conf of main
net.carp.preempt = 1
net.carp.log = 2
EOF
cat >"$CARP_TMP/spare.conf" <<EOF
add carp0 dev eth0 vhid 1 advskew 100 pass "boot one" $VIP1
EOF

cat >"$CARP_TMP/broken.conf" <<EOF
# line 1
add carp0 dev eth0 vhid 1 advskew 0 $VIP1

add carp1 dev eth0 vhid 2 $VIP2A
add carp2 dev eth0 vhid 300 10.0.0.30/24
add carp3 dev eth0 vhid 3 10.0.0.31/24
EOF
cat >"$CARP_TMP/broken2.conf" <<EOF
add carp0 dev eth0 vhid 1 advskew 0 $VIP1
# vhid 9 is carp9's on this parent: the kernel refuses
add carp1 dev eth0 vhid 9 $VIP2A
EOF

# install_ready: the tools installed in DEST (what test_install makes).
install_ready()
{
	carp_tools_installed "$SETUP" \
		"make install-tools DESTDIR: every file in place"
}

# carp9_ready: main's carp9, a device not from any file.
carp9_ready()
{
	local out

	link_exists "$MAIN" carp9 && return 0
	out=$(carp_add "$MAIN" carp9 dev eth0 vhid 9 10.0.0.90/24) ||
		carp_ensure_fail "$out" "carp9 on main"
}

# ensure_setup NS start|stop ARGS...: carp-setup in NS started (with ARGS)
# or stopped, unless it already is.
ensure_setup()
{
	local ns=$1 what=$2; shift 2
	local started=0

	[ -e "$CARP_TMP/run-${ns%%-*}/devices" ] && started=1
	if [ "$what" = start ] && ((!started)); then
		setup "$ns" "$@" start ||
			carp_ensure_fail "$(cat "$CARP_TMP/setup.out")" "carp-setup start"
	elif [ "$what" = stop ] && ((started)); then
		setup "$ns" stop ||
			carp_ensure_fail "$(cat "$CARP_TMP/setup.out")" "carp-setup stop"
	fi
}

# started_ready: main and the spare started from their files, main MASTER
# of both vhids, the spare BACKUP (what test_start makes).
started_ready()
{
	local out

	install_ready
	carp9_ready
	ensure_setup "$MAIN" start -c "$CARP_TMP/carp.conf" -s "$CARP_TMP/sysctl.conf"
	ensure_setup "$SPARE" start -c "$CARP_TMP/spare.conf" -s /nonexistent
	out=$(wait_states $(($(carp_down_ms 2 50) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$MAIN" carp1 MASTER "$SPARE" carp0 BACKUP) ||
		carp_ensure_fail "$out" "started: main MASTER, spare BACKUP"
}

# stopped_ready: main stopped (carp9 kept), the spare started (what
# test_stop leaves).
stopped_ready()
{
	install_ready
	carp9_ready
	ensure_setup "$MAIN" stop
	ensure_setup "$SPARE" start -c "$CARP_TMP/spare.conf" -s /nonexistent
}

test_install()
{
	local f

	check_begin
	if ! make -s -C "$REPO" install-tools DESTDIR="$DEST" PREFIX=/usr \
		>"$CARP_TMP/make.out" 2>&1; then
		check_fail_msg "make install-tools: $(tail -n 5 "$CARP_TMP/make.out")"
	fi
	for f in usr/sbin/carpctl usr/sbin/carp-setup usr/lib/systemd/system/carp.service \
		 usr/lib/systemd/system/carp-release.service \
		 usr/lib/systemd/system/carp-ready.target \
		 usr/share/bash-completion/completions/carpctl usr/share/man/man8/carpctl.8 \
		 usr/share/doc/carp/examples/carp.conf usr/share/doc/carp/examples/interfaces \
		 etc/carp/carp.conf etc/carp/sysctl.conf; do
		[ -s "$DEST/$f" ] || check_fail_msg "$f not installed"
	done
	[ -x "$SETUP" ] && [ -x "$DEST/usr/sbin/carpctl" ] || check_fail_msg "not executable"
	grep -qx 'ExecStart=/usr/sbin/carp-setup start' "$DEST/usr/lib/systemd/system/carp.service" ||
		check_fail_msg "carp.service: ExecStart is not /usr/sbin/carp-setup start"
	log_test "make install-tools DESTDIR: every file in place"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

test_start()
{
	local out v

	install_ready
	check_begin
	out=$(carp_add "$MAIN" carp9 dev eth0 vhid 9 10.0.0.90/24)
	check_err $? "$out"
	setup "$MAIN" -c "$CARP_TMP/carp.conf" -s "$CARP_TMP/sysctl.conf" start
	check_err $? "carp-setup start: $(cat "$CARP_TMP/setup.out")"
	field_is "$MAIN" carp0 dev eth0
	field_is "$MAIN" carp0 vhid 1
	field_is "$MAIN" carp0 advbase 1
	field_is "$MAIN" carp0 advskew 0
	field_is "$MAIN" carp0 auth true
	field_is "$MAIN" carp0 addresses "$VIP1"
	field_is "$MAIN" carp1 dev eth0
	field_is "$MAIN" carp1 vhid 2
	field_is "$MAIN" carp1 advbase 2
	field_is "$MAIN" carp1 advskew 50
	field_is "$MAIN" carp1 auth true
	v=$(carp_field "$MAIN" carp1 addresses | sort | tr '\n' ' ')
	[ "$v" = "$VIP2A $VIP2B $VIP2C " ] || check_fail_msg "carp1: addresses '$v'"
	v=$(sort "$CARP_TMP/run-main/devices" 2>/dev/null | tr '\n' ' ')
	[ "$v" = "carp0 carp1 " ] || check_fail_msg "recorded devices: '$v'"
	log_test "start: devices with vhid, advbase, advskew, key, addresses"

	check_begin
	v=$(ip netns exec "$MAIN" sysctl -n net.carp.preempt net.carp.log | tr '\n' ' ')
	[ "$v" = "1 2 " ] || check_fail_msg "main: preempt, log = $v, expected 1 2"
	v=$(ip netns exec "$SPARE" sysctl -n net.carp.preempt net.carp.log | tr '\n' ' ')
	[ "$v" = "0 1 " ] || check_fail_msg "spare (not configured): preempt, log = $v, expected 0 1"
	log_test "start: sysctl.conf applied in its namespace only"

	check_begin
	out=$(wait_states $(($(carp_down_ms 2 50) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$MAIN" carp1 MASTER)
	check_err $? "$out"
	setup "$SPARE" -c "$CARP_TMP/spare.conf" -s /nonexistent start
	check_err $? "carp-setup start on spare: $(cat "$CARP_TMP/setup.out")"
	out=$(wait_state "$SPARE" carp0 BACKUP $(($(carp_down_ms 1 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(client_reaches "$VIP")
	check_err $? "$out"
	log_test "start: the state machine runs (main MASTER, spare BACKUP, client reaches the vmac)"
}

test_restart()
{
	local rc

	started_ready
	check_begin
	setup "$MAIN" -c "$CARP_TMP/carp.conf" -s "$CARP_TMP/sysctl.conf" start
	rc=$?
	[ "$rc" -ne 0 ] || check_fail_msg "a second start succeeded: $(cat "$CARP_TMP/setup.out")"
	grep -q 'already started' "$CARP_TMP/setup.out" ||
		check_fail_msg "second start: $(cat "$CARP_TMP/setup.out")"
	carp_state_is "$MAIN" carp0 MASTER || check_fail_msg "carp0 is $(carp_state "$MAIN" carp0)"
	log_test "a second start is refused and changes nothing"
}

test_stop()
{
	local out

	started_ready
	check_begin
	setup "$MAIN" stop
	check_err $? "carp-setup stop: $(cat "$CARP_TMP/setup.out")"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 still exists"
	link_exists "$MAIN" carp1 && check_fail_msg "carp1 still exists"
	link_exists "$MAIN" carp9 || check_fail_msg "carp9 (not from the file) was deleted"
	[ ! -e "$CARP_TMP/run-main/devices" ] || check_fail_msg "device list left behind"
	out=$(wait_state "$SPARE" carp0 MASTER $(($(carp_down_ms 1 100) + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "stop: the file's devices deleted, others kept; spare takes over"
}

test_broken_syntax()
{
	local rc d

	stopped_ready
	check_begin
	setup "$MAIN" -c "$CARP_TMP/broken.conf" start
	rc=$?
	[ "$rc" -ne 0 ] || check_fail_msg "start with a broken line 5 succeeded"
	grep -q "broken.conf:5: invalid vhid \"300\"" "$CARP_TMP/setup.out" ||
		check_fail_msg "no FILE:5 in: $(cat "$CARP_TMP/setup.out")"
	for d in carp0 carp1 carp2 carp3; do
		link_exists "$MAIN" "$d" && check_fail_msg "$d exists after the failed start"
	done
	link_exists "$MAIN" carp9 || check_fail_msg "carp9 was deleted"
	log_test "start, syntax error on line 5: non-zero, FILE:5 named, lines 1-4 undone"
}

test_broken_kernel()
{
	local rc

	stopped_ready
	check_begin
	setup "$MAIN" -c "$CARP_TMP/broken2.conf" start
	rc=$?
	[ "$rc" -ne 0 ] || check_fail_msg "start with a refused line 3 succeeded"
	grep -q "broken2.conf:3: " "$CARP_TMP/setup.out" ||
		check_fail_msg "no FILE:3 in: $(cat "$CARP_TMP/setup.out")"
	link_exists "$MAIN" carp0 && check_fail_msg "carp0 exists after the failed start"
	link_exists "$MAIN" carp1 && check_fail_msg "carp1 exists after the failed start"
	link_exists "$MAIN" carp9 || check_fail_msg "carp9 was deleted"
	log_test "start, kernel refuses line 3: non-zero, FILE:3 named, line 1 undone"
}

test_clean_start()
{
	local out

	stopped_ready
	check_begin
	setup "$MAIN" -c "$CARP_TMP/carp.conf" -s "$CARP_TMP/sysctl.conf" start
	check_err $? "start after the failures: $(cat "$CARP_TMP/setup.out")"
	link_exists "$MAIN" carp0 && link_exists "$MAIN" carp1 ||
		check_fail_msg "devices missing after a clean start"
	# preempt=1 and advskew 0 < 100: main takes vhid 1 back.
	out=$(wait_states $(($(carp_down_ms 2 50) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP "$MAIN" carp1 MASTER)
	check_err $? "$out"
	setup "$MAIN" stop
	check_err $? "final stop: $(cat "$CARP_TMP/setup.out")"
	log_test "the corrected file starts cleanly after failed starts"
}

carp_run_tests

exit "$EXIT_STATUS"
