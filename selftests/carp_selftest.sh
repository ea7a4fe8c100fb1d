#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-module self-tests (kmod/selftest.c, built with `make DEBUG=1`):
# HMAC vectors for IPv4, IPv6 and mixed address lists, every case of the
# state decision (with demotion), and the replay window. They run when the
# module loads, and a failing one makes the load fail.
#
# check.sh builds the debug flavour beside the normal module and puts it
# here as carp-debug.ko. Proves: on this kernel the debug module loads
# and logs that every self-test passed, and no self-test logged a failure;
# the normal module is loaded again afterwards.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

KO=$lib_dir/carp-debug.ko

restore()
{
	[ -d /sys/module/carp ] && rmmod carp 2>/dev/null
	modprobe carp 2>/dev/null
}

require_carp
[ -f "$KO" ] || {
	echo "FAIL: $KO missing (check.sh builds it: make KVER=\$(uname -r) DEBUG=1)"
	exit "$ksft_fail"
}
trap restore EXIT

check_begin
out=$(rmmod carp 2>&1)
check_err $? "rmmod carp: $out"
marker="carp_selftest.sh: loading the debug module ($$)"
echo "$marker" >/dev/kmsg
out=$(insmod "$KO" 2>&1)
check_err $? "insmod carp-debug.ko: $out"
log=$(dmesg | awk -v m="$marker" 'index($0, m) { on = 1 } on')
grep -q "carp selftest: all tests passed" <<<"$log" ||
	check_fail_msg "no 'all tests passed' line: $(grep carp <<<"$log" | tail -n 5)"
grep "carp selftest: .*\(failed\|no hmac\|does not\|lost\|not replaced\)" <<<"$log" &&
	check_fail_msg "a self-test failed"
log_test "in-module self-tests pass at load ($(uname -r))"

check_begin
out=$(rmmod carp 2>&1)
check_err $? "rmmod of the debug module: $out"
out=$(modprobe carp 2>&1)
check_err $? "modprobe carp: $out"
modinfo -F filename carp | grep -q updates/carp.ko ||
	check_fail_msg "modprobe does not find the staged carp.ko"
log_test "the normal module is back"

exit "$EXIT_STATUS"
