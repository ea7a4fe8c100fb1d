#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP_CYCLES (default 50) cable pulls and plugs on the MASTER, with preempt
# on. (`make check` runs fewer to stay within CI's time; see check.sh.)
#
#   main: carp0 vhid 1 advskew 0, spare: advskew 100, net.carp.preempt=1
#
# Proves, for every cycle: after main's cable is pulled, the spare is MASTER
# within its master-down time; after it is plugged back, main is MASTER and
# the spare BACKUP again within a few advertisements. And over the whole
# run, with both states sampled every 100 ms in the background (carp0's
# carrier, which is on exactly while MASTER): the two
# hosts are never both MASTER for longer than one advertisement interval
# (plus the sampling's own granularity), and at the end exactly one is.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

CYCLES=${CARP_CYCLES:-50}
ADV_MS=$(carp_adv_ms 1 0)
SAMPLE_MS=100

# sampler MAIN_NS SPARE_NS: every SAMPLE_MS, "SECONDS MAIN SPARE" where each
# is MASTER or not, read from carp0's carrier (on exactly while MASTER)
# with rtnetlink from one long-lived process: starting carpctl or python3
# for each sample takes far longer than 100 ms under TCG.
SAMPLER_PY='
import ctypes, os, socket, struct, sys, time

libc = ctypes.CDLL(None, use_errno=True)

def sock_in(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, 0x40000000):      # CLONE_NEWNET
        sys.exit("setns " + ns + ": " + os.strerror(ctypes.get_errno()))
    os.close(fd)
    return socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)

socks = [sock_in(ns) for ns in sys.argv[1:3]]
name = b"carp0\0"
attr = struct.pack("HH", 4 + len(name), 3) + name + b"\0" * (-len(name) % 4)
req = struct.pack("IHHII", 16 + 16 + len(attr), 18, 1, 1, 0) + \
    struct.pack("BxHiII", 0, 0, 0, 0, 0) + attr

def state(s):
    s.send(req)
    m = s.recv(65536)
    if struct.unpack_from("H", m, 4)[0] != 16:
        return "none"
    off = 32
    while off + 4 <= len(m):
        alen, atype = struct.unpack_from("HH", m, off)
        if alen < 4:
            break
        if atype == 33:
            return "MASTER" if m[off + 4] else "other"
        off += (alen + 3) & ~3
    return "none"

while True:
    print("%.3f %s %s" % (time.time(), state(socks[0]), state(socks[1])),
          flush=True)
    time.sleep(0.1)
'

carp_test_init

check_begin
carp_preempt "$MAIN" 1 && carp_preempt "$SPARE" 1
check_err $? "net.carp.preempt"
out=$(carp_pair_up 1 0 100)
check_err $? "$out"
log_test "main MASTER, spare BACKUP, preempt on"
[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

python3 -c "$SAMPLER_PY" "$MAIN" "$SPARE" >"$CARP_TMP/samples" &
CARP_BG_PIDS+=("$!")

check_begin
failed=0
for ((i = 1; i <= CYCLES; i++)); do
	cable_pull main >/dev/null
	if ! out=$(wait_state "$SPARE" carp0 MASTER \
		   $(($(carp_down_ms 1 100) + CARP_MARGIN_MS))); then
		check_fail_msg "cycle $i, pulled: $out"
		failed=1
	fi
	cable_plug main >/dev/null
	if ! out=$(wait_states $((3 * ADV_MS + CARP_MARGIN_MS)) \
		   "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP); then
		check_fail_msg "cycle $i, plugged: $out"
		failed=1
	fi
	((failed)) && break
done
log_test "$CYCLES cable cycles: the spare takes over each time, main takes back"

check_begin
kill "${CARP_BG_PIDS[-1]}" 2>/dev/null
wait "${CARP_BG_PIDS[-1]}" 2>/dev/null
n=$(wc -l <"$CARP_TMP/samples")
secs=$(awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%d\n", b - a }' "$CARP_TMP/samples")
# at least 4 samples a second on average, however slow the machine
((n >= 4 * secs)) || check_fail_msg "only $n samples in $secs s"
# the longest stretch of consecutive samples with both MASTER, in ms
worst=$(awk '
	$2 == "MASTER" && $3 == "MASTER" {
		if (!start) start = $1
		last = $1
		next
	}
	start { d = (last - start) * 1000; if (d > max) max = d; start = 0 }
	END {
		if (start) { d = (last - start) * 1000; if (d > max) max = d }
		printf "%d\n", max
	}' "$CARP_TMP/samples")
both=$(awk '$2 == "MASTER" && $3 == "MASTER"' "$CARP_TMP/samples" | wc -l)
# the sampler must see each host as MASTER at times, or it proves nothing
for col in 2 3; do
	m=$(awk -v c=$col '$c == "MASTER"' "$CARP_TMP/samples" | wc -l)
	o=$(awk -v c=$col '$c == "other"' "$CARP_TMP/samples" | wc -l)
	((m > 0 && o > 0)) ||
		check_fail_msg "sampler column $col: $m MASTER, $o other samples"
done
echo "# $n samples in $secs s, $both with both MASTER, longest such stretch ${worst} ms"
((worst <= ADV_MS + 2 * SAMPLE_MS)) ||
	check_fail_msg "both MASTER for ${worst} ms (one interval: $ADV_MS ms)"
out=$(expect_states_for 2000 "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
check_err $? "$out"
log_test "never two MASTERs for longer than one advertisement interval"

exit "$EXIT_STATUS"
