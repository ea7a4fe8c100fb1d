#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP_CYCLES (default 50; `make check` too) cable pulls and plugs on the
# MASTER, with preempt on.
#
#   main: carp0 vhid 1 advbase 0 advskew 50 (an advertisement every
#         195 ms), spare: advskew 100 (master-down 3 x 390 ms = 1.17 s),
#         net.carp.preempt=1
#
# The sub-second timing is not what is tested here (carp_failover.sh
# fails over at advbase 1): it lets the 50 cycles run in about a third of
# the time they took at advbase 1.
#
# Proves, for every cycle: after main's cable is pulled, the spare is MASTER
# within its master-down time; after it is plugged back, main is MASTER and
# the spare BACKUP again within a few advertisements. And over the whole
# run, with both states sampled every 100 ms in the background (carp0's
# carrier, which is on exactly while MASTER): the two
# hosts are never both MASTER for longer than one advertisement interval
# (plus the sampling's own granularity), and at the end exactly one is.
#
# The cycles wait on the states as `carpctl monitor` reports them on each
# host, read from one FIFO with bash's read builtin, so that a wait ends as
# the event arrives and starts no process (polling `carpctl show` cost about
# 3 s a cycle under TCG). That the reports are complete is checked: each
# host's carp0 transitions counter equals the number of its events, and
# carpctl never said "events lost"; the final states are read with
# `carpctl show`.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_cycles"

CYCLES=${CARP_CYCLES:-50}
ADVBASE=0
MAIN_SKEW=50
SPARE_SKEW=100
ADV_MS=$(carp_adv_ms "$ADVBASE" "$MAIN_SKEW")
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

# State changes of both hosts: `carpctl -n NS monitor` for main and for
# the spare, each line prefixed with the host by sed, all into one FIFO
# (MON_FD). STATE[HOST] is the last state reported for HOST's carp0.
declare -A STATE=()
MON_FD=
MON_LAST=
MON_MSG=

mon_start()
{
	local host

	mkfifo "$CARP_TMP/mon" || return 1
	exec {MON_FD}<>"$CARP_TMP/mon"
	for host in main spare; do
		mkfifo "$CARP_TMP/mon-$host" || return 1
		carpctl -n "$(host_ns "$host")" monitor >"$CARP_TMP/mon-$host" \
			2>"$CARP_TMP/mon-$host.err" &
		CARP_BG_PIDS+=("$!")
		sed -u "s/^/$host /" <"$CARP_TMP/mon-$host" >"$CARP_TMP/mon" &
		CARP_BG_PIDS+=("$!")
	done
}

# _mon_read DEADLINE_US: one report ("HOST DEV vhid N OLD -> NEW (...)"),
# waited for until the deadline; sets MON_LAST to "HOST DEV" and updates
# STATE. Every state change is also kept in $CARP_TMP/events, every
# conflict in $CARP_TMP/conflicts.
_mon_read()
{
	local left host dev old new rest

	left=$(($1 - ${EPOCHREALTIME/./}))
	((left > 0)) || return 1
	IFS=' ' read -r -t "$((left / 1000000)).$(printf '%06d' $((left % 1000000)))" \
		-u "$MON_FD" host dev _ _ old _ new rest || return 1
	MON_LAST="$host $dev"
	# a conflict ("DEV vhid N conflict: ...") changes no state
	if [ "$old" = conflict: ]; then
		echo "$host $dev $old $new $rest" >>"$CARP_TMP/conflicts"
		return 0
	fi
	echo "$host $dev $old -> $new $rest" >>"$CARP_TMP/events"
	[ "$dev" != carp0 ] || STATE[$host]=$new
}

# mon_sync HOST: make sure HOST's monitor listens: add and delete a device
# sync0 (vhid 99, never MASTER) until it reports it (bounded).
mon_sync()
{
	local host=$1 ns deadline d1

	ns=$(host_ns "$host")
	deadline=$((${EPOCHREALTIME/./} + 2 * CARP_MARGIN_MS * 1000))
	while ((${EPOCHREALTIME/./} < deadline)); do
		carp_add "$ns" sync0 dev eth0 vhid 99 192.168.99.1/32 &&
			carp_del "$ns" sync0
		d1=$((${EPOCHREALTIME/./} + 1000000))
		while _mon_read "$d1"; do
			[ "$MON_LAST" = "$host sync0" ] && return 0
		done
	done
	echo "$host: carpctl monitor reported nothing: $(cat "$CARP_TMP/mon-$host.err")"
	return 1
}

# mon_wait TIMEOUT_MS HOST STATE [HOST STATE...]: until the last reported
# states are these; on failure MON_MSG says what they were.
_mon_states_are()
{
	while [ $# -ge 2 ]; do
		[ "${STATE[$1]:-}" = "$2" ] || return 1
		shift 2
	done
}

mon_wait()
{
	local timeout_ms=$1; shift
	local deadline=$((${EPOCHREALTIME/./} + timeout_ms * 1000))

	while ! _mon_states_are "$@"; do
		if ! _mon_read "$deadline"; then
			MON_MSG="after $timeout_ms ms: main ${STATE[main]:-?}, spare ${STATE[spare]:-?}"
			return 1
		fi
	done
}

carp_test_init

# One scenario: the checks at its end are over the whole run.
test_cycles()
{
	local out failed i n secs worst both col host c

	check_begin
	mon_start
	check_err $? "cannot start the monitors"
	out=$(mon_sync main) && out=$(mon_sync spare)
	check_err $? "$out"
	log_test "carpctl monitor reports main's and the spare's changes"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

	check_begin
	carp_preempt "$MAIN" 1 && carp_preempt "$SPARE" 1
	check_err $? "net.carp.preempt"
	out=$(carp_pair_up 1 "$MAIN_SKEW" "$SPARE_SKEW")
	check_err $? "$out"
	mon_wait "$CARP_MARGIN_MS" main MASTER spare BACKUP
	check_err $? "monitor: $MON_MSG"
	log_test "main MASTER, spare BACKUP, preempt on"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"

	python3 -c "$SAMPLER_PY" "$MAIN" "$SPARE" >"$CARP_TMP/samples" &
	CARP_BG_PIDS+=("$!")

	check_begin
	failed=0
	for ((i = 1; i <= CYCLES; i++)); do
		cable_pull main >/dev/null
		if ! mon_wait $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) spare MASTER; then
			check_fail_msg "cycle $i, pulled: $MON_MSG"
			failed=1
		fi
		cable_plug main >/dev/null
		if ! mon_wait $((3 * ADV_MS + CARP_MARGIN_MS)) main MASTER spare BACKUP; then
			check_fail_msg "cycle $i, plugged: $MON_MSG"
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

	# The monitors reported every change: as many as each counter counted.
	check_begin
	for host in main spare; do
		n=$(grep -c "^$host carp0 " "$CARP_TMP/events")
		c=$(carp_stat "$(host_ns "$host")" carp0 transitions)
		[ "$n" = "$c" ] ||
			check_fail_msg "$host: $n changes reported, transitions counter $c"
		! grep -q . "$CARP_TMP/mon-$host.err" ||
			check_fail_msg "$host: carpctl monitor: $(head -n 3 "$CARP_TMP/mon-$host.err")"
	done
	log_test "the cycles waited on complete reports: events = transitions counters"
}

carp_run_tests

exit "$EXIT_STATUS"
