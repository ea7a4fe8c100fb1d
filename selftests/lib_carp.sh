#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared topology and helpers for the carp selftests.
#
#                       $SW: br0 (no STP, no snooping)
#              sw_main /     | sw_spare    \ sw_client
#                eth0         eth0          eth0
#               $MAIN        $SPARE        $CLIENT
#            10.0.0.2/24   10.0.0.3/24   10.0.0.10/24
#
# The CARP virtual address is 10.0.0.1/24 (vhid 1, advbase 1 unless a test
# says otherwise). A "cable pull" takes the switch-side veth down, so the
# host's eth0 loses carrier; "plug" brings it back.
#
# Timeouts are derived from the protocol: a BACKUP declares the master down
# after 3*advbase + advskew/256 s; a MASTER advertises every
# advbase + advskew/256 s. CARP_MARGIN_MS (default 5000) is added to every
# such wait to absorb a slow (TCG) VM; it never shortens a protocol time.
#
# A test script names its sub-tests, functions of its own, in ALL_TESTS and
# runs them with carp_run_tests, as net/forwarding's scripts do:
# TESTS="a b" ./carp_x.sh runs only a and b. A sub-test that needs a state
# (a pair up, a cable pulled) makes it itself through an idempotent setup
# helper (carp_pair_ready, carp_spare_ready or one of the script's), which
# costs a state read when the state already holds, so any selection runs
# correctly alone and the full run is not slower; a helper that cannot
# make its state ends the script with carp_ensure_fail.

# shellcheck disable=SC2034,SC2154 # variables used by the tests / net/lib.sh
CARP_LIB_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
: "${NET_LIB:=$CARP_LIB_DIR/../../../net/lib.sh}"
if [ ! -r "$NET_LIB" ]; then
	echo "FAIL: $NET_LIB not found: install this directory as" \
	     "tools/testing/selftests/drivers/net/carp/ or set NET_LIB"
	exit 1
fi
# shellcheck source=/dev/null
source "$NET_LIB"
# Settings of the whole run (check.sh writes them: e.g. CARP_CYCLES).
# shellcheck source=/dev/null
[ ! -r "$CARP_LIB_DIR/carp.env" ] || source "$CARP_LIB_DIR/carp.env"

VIP=10.0.0.1
PLEN=24
MAIN_IP=10.0.0.2
SPARE_IP=10.0.0.3
CLIENT_IP=10.0.0.10
THIRD_IP=10.0.0.4
CARP_MCAST=224.0.0.18
CARP_MCAST_MAC=01:00:5e:00:00:12
ADVBASE=1
: "${CARP_MARGIN_MS:=5000}"

SW=""
MAIN=""
SPARE=""
CLIENT=""
THIRD=""
CARP_TMP=""
declare -A CAP_PID=()
declare -A CAP_FILE=()
CARP_BG_PIDS=()

##############################################################################
# Waiting without forking. Under TCG every fork and exec costs the VM tens
# of milliseconds of CPU (measured on one vCPU: `date` 90 ms, `jq` 350 ms,
# `carpctl show` 80 ms), and the suite's VMs share two cores. net/lib.sh's
# polls run `date` and `sleep` every round, and every state read here used
# to pipe carpctl into jq: together they took most of the CPU the suite
# needed. The functions below keep net/lib.sh's semantics (they replace
# its loopy_wait and timestamp_ms, so slowwait and busywait use them too)
# and fork nothing but the command that is polled.

# A pipe nobody writes to: `read -t` on it is a sleep inside bash.
exec {CARP_SLEEP_FD}<> <(:)

# carp_sleep SECONDS (fractions allowed).
carp_sleep()
{
	read -r -t "$1" -u "$CARP_SLEEP_FD" _ || :
}

# carp_now_us VAR: microseconds since the epoch into VAR.
carp_now_us()
{
	printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"
}

timestamp_ms()
{
	local us

	carp_now_us us
	echo $((us / 1000))
}

# loopy_wait SLEEP_CMD TIMEOUT_MS COMMAND...: as net/lib.sh's (prints the
# command's last output; "sleep N" sleeps in bash).
loopy_wait()
{
	local sleep_cmd=$1 timeout_ms=$2; shift 2
	local start now out

	carp_now_us start
	while :; do
		if out=$("$@"); then
			echo -n "$out"
			return 0
		fi
		carp_now_us now
		if (((now - start) / 1000 > timeout_ms)); then
			echo -n "$out"
			return 1
		fi
		if [[ $sleep_cmd == "sleep "* ]]; then
			carp_sleep "${sleep_cmd#sleep }"
		else
			$sleep_cmd
		fi
	done
}

# carp_poll INTERVAL_S TIMEOUT_MS COMMAND...: until COMMAND succeeds, run
# in this shell (no output captured, no fork of its own).
carp_poll()
{
	local interval=$1 timeout_ms=$2; shift 2
	local start now

	carp_now_us start
	while ! "$@"; do
		carp_now_us now
		(((now - start) / 1000 > timeout_ms)) && return 1
		carp_sleep "$interval"
	done
}

##############################################################################
# Results: net/lib.sh of 6.12 has log_test/RET but not check_err.

if ! declare -F check_err >/dev/null; then
check_err()
{
	local err=$1
	local msg=$2

	if ((err)); then
		ret_set_ksft_status "$ksft_fail" "$msg"
	fi
}
fi

if ! declare -F check_fail >/dev/null; then
check_fail()
{
	local err=$1
	local msg=$2

	if ((err == 0)); then
		ret_set_ksft_status "$ksft_fail" "$msg"
	fi
}
fi

# Start a new sub-check.
check_begin()
{
	RET=0
	retmsg=
}

# Record a failure of the current sub-check with a message.
check_fail_msg()
{
	ret_set_ksft_status "$ksft_fail" "$1"
}

# carp_run_tests: run the sub-tests named in $TESTS (default $ALL_TESTS),
# in that order. A name that is not in ALL_TESTS is a failure, not a
# silent no-op.
carp_run_tests()
{
	local all=" ${ALL_TESTS//[$'\t\n']/ } " t

	for t in ${TESTS:-$ALL_TESTS}; do
		if [[ $all != *" $t "* ]] || ! declare -F "$t" >/dev/null; then
			check_begin
			check_fail_msg "no sub-test '$t' here (ALL_TESTS:$all)"
			log_test "$t"
			continue
		fi
		"$t"
	done
}

carp_skip()
{
	echo "SKIP: $*"
	exit "$ksft_skip"
}

##############################################################################
# Requirements and setup

# require_cmd CMD...: skip the test when a userspace tool is missing.
require_cmd()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || carp_skip "'$c' not found"
	done
}

# require_carp: root, the carp module, carpctl and the basic tools.
require_carp()
{
	[ "$(id -u)" -eq 0 ] || carp_skip "must be run as root"
	require_cmd ip python3 carpctl modprobe sysctl
	if ! modprobe carp 2>/dev/null && [ ! -d /sys/module/carp ]; then
		carp_skip "carp module not available (modprobe carp failed)"
	fi
}

carp_tmpdir()
{
	[ -n "$CARP_TMP" ] || CARP_TMP=$(mktemp -d /tmp/carp-selftest.XXXXXX)
}

# Build the switch and the three hosts. Any failure is a test failure: the
# config file lists what the kernel needs (netns, veth, bridge).
carp_topo_create()
{
	local host ns

	carp_tmpdir
	setup_ns SW MAIN SPARE CLIENT || { echo "cannot create namespaces"; return 1; }

	ip netns exec "$SW" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	ip -n "$SW" link add br0 type bridge stp_state 0 forward_delay 0 \
		mcast_snooping 0 || { echo "cannot create a bridge"; return 1; }
	ip -n "$SW" link set br0 up

	for host in main spare client; do
		case $host in
		main)	ns=$MAIN ;;
		spare)	ns=$SPARE ;;
		client)	ns=$CLIENT ;;
		esac
		ip -n "$SW" link add "sw_$host" type veth peer name eth0 \
			netns "$ns" || { echo "cannot create veth pairs"; return 1; }
		ip -n "$SW" link set "sw_$host" master br0 || return 1
		ip -n "$SW" link set "sw_$host" up || return 1
		ip -n "$ns" link set eth0 up || return 1
	done
	ip -n "$MAIN" addr add "$MAIN_IP/$PLEN" dev eth0 || return 1
	ip -n "$SPARE" addr add "$SPARE_IP/$PLEN" dev eth0 || return 1
	ip -n "$CLIENT" addr add "$CLIENT_IP/$PLEN" dev eth0 || return 1

	# The segment is ready when the client reaches both hosts.
	slowwait 20 ip netns exec "$CLIENT" ping -c 1 -W 1 -q "$MAIN_IP" \
		>/dev/null || { echo "topology: client cannot reach main"; return 1; }
	slowwait 20 ip netns exec "$CLIENT" ping -c 1 -W 1 -q "$SPARE_IP" \
		>/dev/null || { echo "topology: client cannot reach spare"; return 1; }
}

# third_create: a third server on the switch, as carp_topo_create builds
# main and spare ($THIRD, port sw_third, $THIRD_IP), for the tests and
# benchmarks of balancing over three hosts.
third_create()
{
	setup_ns THIRD || return 1
	ip -n "$SW" link add sw_third type veth peer name eth0 netns "$THIRD" &&
	ip -n "$SW" link set sw_third master br0 &&
	ip -n "$SW" link set sw_third up &&
	ip -n "$THIRD" link set eth0 up &&
	ip -n "$THIRD" addr add "$THIRD_IP/$PLEN" dev eth0 || return 1
	slowwait 20 ip netns exec "$CLIENT" ping -c 1 -W 1 -q "$THIRD_IP" \
		>/dev/null || { echo "topology: client cannot reach third"; return 1; }
}

# Standard start of a test: requirements, topology, cleanup trap.
carp_test_init()
{
	require_carp
	trap carp_cleanup EXIT
	if ! carp_topo_create; then
		echo "FAIL: cannot build the test topology"
		exit "$ksft_fail"
	fi
}

# carp_repo_init: carp_test_init for the tests of the installed tools
# (carp_boot.sh, carp_boot_hold.sh): REPO, the source tree (CARP_REPO, or
# where the carpctl on PATH was built: vm-run-tests.sh puts
# REPO/tools/carpctl on PATH), and DEST, a directory to install into.
# Skips without a source tree.
carp_repo_init()
{
	local r

	require_carp
	require_cmd make
	r=${CARP_REPO:-$(dirname "$(readlink -f "$(command -v carpctl)")")/../..}
	[ -f "$r/tools/systemd/carp-setup" ] && [ -f "$r/Makefile" ] ||
		carp_skip "no carp source tree (set CARP_REPO)"
	REPO=$(cd "$r" && pwd)
	carp_test_init
	DEST=$CARP_TMP/dest
}

# carp_tools_installed FILE WHAT: `make install-tools` of REPO into DEST
# (carp_repo_init), unless FILE, one of what it installs, is there
# already; if make fails, the check WHAT fails and the script ends.
carp_tools_installed()
{
	[ -s "$1" ] && return 0
	make -s -C "$REPO" install-tools DESTDIR="$DEST" PREFIX=/usr \
		>"$CARP_TMP/make.out" 2>&1 ||
		carp_ensure_fail "$(tail -n 5 "$CARP_TMP/make.out")" "$2"
}

carp_cleanup()
{
	local tag pid

	for tag in "${!CAP_PID[@]}"; do
		capture_stop "$tag"
	done
	for pid in "${CARP_BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	CARP_BG_PIDS=()
	cleanup_all_ns
	[ -n "$CARP_TMP" ] && rm -rf "$CARP_TMP"
	CARP_TMP=""
}

# Name of the namespace of a host: main, spare, client, third, sw.
host_ns()
{
	case $1 in
	main)	echo "$MAIN" ;;
	spare)	echo "$SPARE" ;;
	client)	echo "$CLIENT" ;;
	third)	echo "$THIRD" ;;
	sw)	echo "$SW" ;;
	*)	echo "$1" ;;
	esac
}

# carp_info MSG: an INFO line (on stderr, so that it is not captured with a
# helper's output) stamped with the kernel's uptime, to line the test's
# actions up with the module's messages in dmesg.
carp_info()
{
	local up

	read -r up _ </proc/uptime
	echo "INFO: [$up] $*" >&2
}

# Cable pull / plug on a host (main, spare, client): its eth0 loses carrier.
cable_pull()
{
	carp_info "cable pull: $1"
	ip -n "$SW" link set "sw_$1" down
}

cable_plug()
{
	carp_info "cable plug: $1"
	ip -n "$SW" link set "sw_$1" up
}

# Partition main and spare from each other (both still reach the client)
# without any carrier change: bridge port isolation.
partition_hosts()
{
	carp_info "partition main/spare: $1"
	ip -n "$SW" link set sw_main type bridge_slave isolated "$1" &&
	ip -n "$SW" link set sw_spare type bridge_slave isolated "$1"
}

##############################################################################
# carpctl JSON readers

# _json_scalar JSON KEY: the first "KEY": of JSON (carpctl's and ip's
# compact output: an array whose first element's own keys come before any
# nested object's) into JSON_VAL, without a fork. 1: no such key, or null;
# 2: not a plain scalar (an array, an object, an escaped string).
_json_scalar()
{
	local rest=${1#*\"$2\":}

	JSON_VAL=
	[ "$rest" != "$1" ] || return 1
	case $rest in
	null*)	return 1 ;;
	true*)	JSON_VAL=true ;;
	false*)	JSON_VAL=false ;;
	\"*)	[[ $rest =~ ^\"([^\"\\]*)\" ]] || return 2
		JSON_VAL=${BASH_REMATCH[1]} ;;
	[-0-9]*) [[ $rest =~ ^(-?[0-9][0-9.eE+-]*) ]] || return 2
		JSON_VAL=${BASH_REMATCH[1]} ;;
	*)	return 2 ;;
	esac
}

# _json_field KEY: print KEY of the first element of the JSON array on stdin.
# Lists are printed one item a line, booleans as true/false. Fails when the
# array is empty or the key is missing or null. Plain scalars are read in
# bash; anything else goes to jq if installed, else python3.
_json_field()
{
	local json rc

	IFS= read -r -d '' json
	_json_scalar "$json" "$1"
	rc=$?
	case $rc in
	0)	printf '%s\n' "$JSON_VAL"; return 0 ;;
	1)	return 1 ;;
	esac
	_json_field_slow "$1" <<<"$json"
}

if command -v jq >/dev/null 2>&1; then
_json_field_slow()
{
	jq -r --arg k "$1" '
		if type == "array" and length > 0 then .[0][$k]
		else error("no element") end |
		if . == null then error("no such key")
		elif type == "array" then .[]
		else . end' 2>/dev/null
}
else
_json_field_slow()
{
	python3 -c '
import json, sys
d = json.load(sys.stdin)
if not isinstance(d, list) or not d:
    sys.exit(1)
v = d[0].get(sys.argv[1])
if v is None:
    sys.exit(1)
if isinstance(v, bool):
    print("true" if v else "false")
elif isinstance(v, list):
    for x in v:
        print(x)
else:
    print(v)
' "$1"
}
fi

# carp_field NS DEV KEY: a field of `carpctl -j show DEV`.
carp_field()
{
	local out

	out=$(carpctl -n "$1" -j show "$2" 2>/dev/null) || return 1
	_json_field "$3" <<<"$out"
}

# carp_state NS DEV: INIT, BACKUP or MASTER (empty if the device is gone).
carp_state()
{
	carp_field "$1" "$2" state
}

# carp_stat NS DEV COUNTER: a counter of `carpctl -j stats DEV`.
carp_stat()
{
	local out

	out=$(carpctl -n "$1" -j stats "$2" 2>/dev/null) || return 1
	_json_field "$3" <<<"$out"
}

# carp_state_is NS DEV STATE (one fork: carpctl's).
carp_state_is()
{
	local out

	out=$(carpctl -n "$1" -j show "$2" 2>/dev/null) &&
		_json_scalar "$out" state && [ "$JSON_VAL" = "$3" ]
}

# wait_state NS DEV STATE TIMEOUT_MS: poll until DEV reaches STATE.
# On timeout prints the state it was in and fails.
wait_state()
{
	local ns=$1 dev=$2 state=$3 timeout_ms=$4

	if carp_poll 0.1 "$timeout_ms" carp_state_is "$ns" "$dev" "$state"; then
		return 0
	fi
	echo "$dev in ${ns%%-*}: still '$(carp_state "$ns" "$dev")' after ${timeout_ms} ms, expected $state; $(carp_diag "$ns" "$dev")"
	return 1
}

# carp_diag NS DEV: the device's counters on one line, for failure messages.
carp_diag()
{
	local out

	out=$(carpctl -n "$1" -j stats "$2" 2>&1) || { echo "$out"; return; }
	echo "${out//[\[\]\{\}\"]/}"
}

# netns_stat NS COUNTER: a counter of the namespace (last object of
# `carpctl -j stats`, the one whose ifname is null).
netns_stat()
{
	carpctl -n "$1" -j stats 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
if not d or d[-1].get("ifname", 0) is not None or sys.argv[1] not in d[-1]:
    sys.exit(1)
print(d[-1][sys.argv[1]])' "$2"
}

# wait_states TIMEOUT_MS NS DEV STATE [NS DEV STATE...]: all at once.
_states_are()
{
	while [ $# -ge 3 ]; do
		carp_state_is "$1" "$2" "$3" || return 1
		shift 3
	done
}

_states_show()
{
	local out=""

	while [ $# -ge 3 ]; do
		out+="${1%%-*}/$2=$(carp_state "$1" "$2") "
		shift 3
	done
	echo "$out"
}

wait_states()
{
	local timeout_ms=$1; shift

	if carp_poll 0.1 "$timeout_ms" _states_are "$@"; then
		return 0
	fi
	echo "after ${timeout_ms} ms: $(_states_show "$@")"
	return 1
}

# expect_states_for DURATION_MS NS DEV STATE [NS DEV STATE...]:
# observe that the states hold during the whole period (sampled); prints the
# first deviation and fails on it. This is an observation of something that
# must NOT happen, hence the sleep.
expect_states_for()
{
	local duration_ms=$1; shift
	local start now samples=0

	carp_now_us start
	while :; do
		if ! _states_are "$@"; then
			carp_now_us now
			echo "after $(((now - start) / 1000)) ms: $(_states_show "$@")"
			return 1
		fi
		samples=$((samples + 1))
		carp_now_us now
		# at least two samples, however slow sampling is
		(((now - start) / 1000 >= duration_ms && samples >= 2)) && break
		carp_sleep 0.2
	done
	return 0
}

# expect_counter_for DURATION_MS NS DEV COUNTER: the counter does not move.
expect_counter_for()
{
	local duration_ms=$1 ns=$2 dev=$3 counter=$4
	local base cur start now

	base=$(carp_stat "$ns" "$dev" "$counter") || { echo "no $counter"; return 1; }
	carp_now_us start
	while :; do
		cur=$(carp_stat "$ns" "$dev" "$counter")
		if [ "$cur" != "$base" ]; then
			echo "$dev in ${ns%%-*}: $counter moved from $base to $cur"
			return 1
		fi
		carp_now_us now
		(((now - start) / 1000 >= duration_ms)) && break
		carp_sleep 0.2
	done
	return 0
}

# wait_counter_ge NS DEV COUNTER VALUE TIMEOUT_MS
_counter_ge()
{
	local out

	out=$(carpctl -n "$1" -j stats "$2" 2>/dev/null) &&
		_json_scalar "$out" "$3" && ((JSON_VAL >= $4))
}

wait_counter_ge()
{
	local ns=$1 dev=$2 counter=$3 value=$4 timeout_ms=$5

	if carp_poll 0.1 "$timeout_ms" _counter_ge "$ns" "$dev" "$counter" "$value"; then
		return 0
	fi
	echo "$dev in ${ns%%-*}: $counter is $(carp_stat "$ns" "$dev" "$counter"), expected >= $value within ${timeout_ms} ms"
	return 1
}

##############################################################################
# Protocol times (ms)

# carp_adv_ms ADVBASE ADVSKEW: advertisement interval of a MASTER.
carp_adv_ms()
{
	echo $(($1 * 1000 + $2 * 1000 / 256))
}

# carp_down_ms ADVBASE ADVSKEW: master-down interval of a BACKUP (at
# advbase 0, three of its own intervals, as OpenBSD).
carp_down_ms()
{
	if (($1 == 0)); then
		echo $((3 * $2 * 1000 / 256))
	else
		echo $((3 * $1 * 1000 + $2 * 1000 / 256))
	fi
}

##############################################################################
# Devices

# tx_dropped NS DEV: the tx dropped counter of DEV, from the kernel's own
# counters.
tx_dropped()
{
	ip -n "$1" -s -j link show dev "$2" | python3 -c \
		'import json, sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["dropped"])'
}

# carp_add NS ARGS..., carp_set NS ARGS...: `carpctl -n NS add|set
# ARGS...`, printing the command and carpctl's message when it fails.
_carp_cmd()
{
	local verb=$1 ns=$2; shift 2
	local out

	if ! out=$(carpctl -n "$ns" "$verb" "$@" 2>&1); then
		echo "carpctl -n ${ns%%-*} $verb $*: $out"
		return 1
	fi
}

carp_add()
{
	_carp_cmd add "$@"
}

carp_set()
{
	_carp_cmd set "$@"
}

carp_del()
{
	carpctl -n "$1" del "$2"
}

# carp_pair_add DEV PARENT VHID MAIN_SKEW SPARE_SKEW ARGS...: DEV on main
# (made first, waited to MASTER), then on the spare (waited to BACKUP), both
# with advbase $ADVBASE and ARGS, further carpctl words and the addresses.
carp_pair_add()
{
	local dev=$1 parent=$2 vhid=$3 mskew=$4 sskew=$5; shift 5

	carp_add "$MAIN" "$dev" dev "$parent" vhid "$vhid" advbase "$ADVBASE" \
		advskew "$mskew" "$@" || return 1
	wait_state "$MAIN" "$dev" MASTER \
		$(($(carp_down_ms "$ADVBASE" "$mskew") + CARP_MARGIN_MS)) || return 1
	carp_add "$SPARE" "$dev" dev "$parent" vhid "$vhid" advbase "$ADVBASE" \
		advskew "$sskew" "$@" || return 1
	wait_state "$SPARE" "$dev" BACKUP "$CARP_MARGIN_MS"
}

# carp_pair_up VHID MAIN_SKEW SPARE_SKEW [extra carpctl words...]:
# carp_pair_add of carp0 on eth0 with $VIP/$PLEN, and the spare must have
# heard main by then: both stay so for the spare's master-down interval.
carp_pair_up()
{
	local vhid=$1 mskew=$2 sskew=$3; shift 3

	carp_pair_add carp0 eth0 "$vhid" "$mskew" "$sskew" "$@" "$VIP/$PLEN" ||
		return 1
	expect_states_for $(($(carp_down_ms "$ADVBASE" "$sskew") + 500)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP
}

# carp_pair_ensure VHID MAIN_SKEW SPARE_SKEW [words...]: carp_pair_up's
# state for a sub-test run alone. Nothing but a state read when main is
# MASTER and the spare BACKUP with both cables in; otherwise any carp0 is
# deleted and the pair made again. The script passes the same words
# everywhere, so a carp0 in that state is the one it would make.
carp_pair_ensure()
{
	if [ "$(link_operstate "$SW" sw_main)" = UP ] &&
	   [ "$(link_operstate "$SW" sw_spare)" = UP ] &&
	   _states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP; then
		return 0
	fi
	cable_plug main
	cable_plug spare
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
	carp_pair_up "$@"
}

# carp_pair_setup WHAT VHID MAIN_SKEW SPARE_SKEW [words...]: a script's
# test_setup, carp_pair_up as the check WHAT; the script ends when it
# fails, as every later sub-test needs the pair.
carp_pair_setup()
{
	local what=$1 out; shift

	check_begin
	out=$(carp_pair_up "$@")
	check_err $? "$out"
	log_test "$what"
	[ "$RET" -eq 0 ] || exit "$EXIT_STATUS"
}

# carp_pull_main SPARE_SKEW: main's cable pulled, the spare MASTER within
# its master-down interval (at $ADVBASE) and the margin. Prints what went
# wrong.
carp_pull_main()
{
	cable_pull main
	wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$1") + CARP_MARGIN_MS))
}

# carp_ensure_fail OUT WHAT: a sub-test's state could not be made: the
# check WHAT fails with the setup helper's message OUT and the script ends,
# since every later sub-test would fail for the same reason.
carp_ensure_fail()
{
	check_begin
	check_fail_msg "$1"
	log_test "$2"
	exit "$EXIT_STATUS"
}

# carp_pair_ready VHID MAIN_SKEW SPARE_SKEW [words...]: carp_pair_ensure,
# or the script ends failed.
carp_pair_ready()
{
	local out

	out=$(carp_pair_ensure "$@") ||
		carp_ensure_fail "$out" "main MASTER, spare BACKUP"
}

# carp_spare_ready VHID MAIN_SKEW SPARE_SKEW [words...]: both cables in,
# main BACKUP and the spare MASTER (a failover and a plug-back with preempt
# off), made from carp_pair_ready's state unless it holds; or the script
# ends failed.
carp_spare_ready()
{
	local out rc

	[ "$(link_operstate "$SW" sw_main)" = UP ] &&
		_states_are "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER && return 0
	carp_pair_ready "$@"
	out=$(carp_pull_main "$3")
	rc=$?
	cable_plug main
	((rc == 0)) || carp_ensure_fail "$out" "cable pull on main: spare MASTER"
	out=$(wait_state "$MAIN" carp0 BACKUP "$CARP_MARGIN_MS") ||
		carp_ensure_fail "$out" "plug main back: main BACKUP"
}

# wait_takeover DEV NEW_NS NEW_MS OLD_NS OLD_MS: DEV in NEW_NS becomes
# MASTER within NEW_MS, then DEV in OLD_NS BACKUP within OLD_MS. Prints
# what went wrong.
wait_takeover()
{
	local dev=$1 new=$2 new_ms=$3 old=$4 old_ms=$5

	wait_state "$new" "$dev" MASTER "$new_ms" &&
		wait_state "$old" "$dev" BACKUP "$old_ms"
}

# carp_failover_back MAIN_SKEW SPARE_SKEW: main's cable pulled, the spare
# MASTER within its master-down interval (at $ADVBASE); plugged back, main
# BACKUP (preempt off) and both stay so for main's master-down interval.
# Prints what went wrong.
carp_failover_back()
{
	local mskew=$1 sskew=$2 rc=0

	carp_pull_main "$sskew" || rc=1
	((rc == 0)) || { cable_plug main; return 1; }
	carp_plug_back "$mskew" 3000 1000
}

# carp_plug_back MAIN_SKEW WAIT_MS HOLD_MS: main's cable plugged back while
# the spare is MASTER: main BACKUP within WAIT_MS and the margin, and both
# so for main's master-down interval (at $ADVBASE) and HOLD_MS more, long
# enough that a main deaf to the spare would have taken over. Prints what
# went wrong.
carp_plug_back()
{
	cable_plug main
	wait_state "$MAIN" carp0 BACKUP $(($2 + CARP_MARGIN_MS)) || return 1
	expect_states_for $(($(carp_down_ms "$ADVBASE" "$1") + $3)) \
		"$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER
}

##############################################################################
# Unicast peers (carp_peer.sh, carp_peer6.sh)

# block_carp_multicast PROTOCOL MAC: the switch drops, at every port (the
# third host's too, once third_create made it), the frames of PROTOCOL (ip,
# ipv6) to MAC, the multicast CARP group's. Once per protocol.
block_carp_multicast()
{
	local port

	for port in sw_main sw_spare sw_client sw_third; do
		link_exists "$SW" "$port" || continue
		tc -n "$SW" qdisc show dev "$port" | grep -q clsact ||
			tc -n "$SW" qdisc add dev "$port" clsact || return 1
		tc -n "$SW" filter add dev "$port" ingress protocol "$1" \
			flower dst_mac "$2" action drop || return 1
	done
}

# The pair of those tests: carp0 vhid 1 on main (advskew $MAIN_SKEW) and on
# the spare ($SPARE_SKEW), at $ADVBASE with $PASS, on the address
# $PEER_VIP (with its prefix); $PEER_ATTR is the attribute the test is
# about, peer or peer6.

# peer_devices: carp0 on main and on the spare (made once; whatever their
# peers).
peer_devices()
{
	local ns skew

	for ns in "$MAIN" "$SPARE"; do
		skew=$MAIN_SKEW
		[ "$ns" = "$SPARE" ] && skew=$SPARE_SKEW
		link_exists "$ns" carp0 && continue
		carp_add "$ns" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
			advskew "$skew" pass "$PASS" "$PEER_VIP" || return 1
	done
}

# peer_set_both MAIN_PEER SPARE_PEER: each host's $PEER_ATTR set; then main
# MASTER and the spare BACKUP.
peer_set_both()
{
	carp_set "$MAIN" carp0 "$PEER_ATTR" "$1" &&
	carp_set "$SPARE" carp0 "$PEER_ATTR" "$2" &&
	wait_states $(($(carp_adv_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP
}

# peer_pair MAIN_PEER SPARE_PEER [any]: what the test of setting the peers
# makes: both $PEER_ATTR set (to these or, link-local ones, to others),
# main MASTER and the spare BACKUP (with "any": whichever is MASTER). When
# the roles are the other way round, the devices are made again: without
# preemption main would not take MASTER back. A pair that cannot be made
# ends the test.
peer_pair()
{
	local out mp sp

	if link_exists "$MAIN" carp0 && link_exists "$SPARE" carp0; then
		mp=$(carp_field "$MAIN" carp0 "$PEER_ATTR")
		sp=$(carp_field "$SPARE" carp0 "$PEER_ATTR")
		if [ -n "$mp" ] && [ "$mp" != null ] &&
		   [ -n "$sp" ] && [ "$sp" != null ]; then
			[ "$3" = any ] && return 0
			_states_are "$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP &&
				return 0
		fi
		carp_del "$MAIN" carp0
		carp_del "$SPARE" carp0
	fi
	out=$(peer_devices && peer_set_both "$1" "$2") && return 0
	check_begin
	check_fail_msg "$out"
	log_test "$PEER_ATTR set: main MASTER, spare BACKUP"
	exit "$EXIT_STATUS"
}

# peers_none_check: $PEER_ATTR none on both hosts; behind the switch that
# drops the group's frames, both become MASTER within the spare's
# master-down interval. Prints what went wrong.
peers_none_check()
{
	local v

	carp_set "$MAIN" carp0 "$PEER_ATTR" none || return 1
	carp_set "$SPARE" carp0 "$PEER_ATTR" none || return 1
	v=$(carp_field "$MAIN" carp0 "$PEER_ATTR")
	[ -z "$v" ] || [ "$v" = null ] ||
		{ echo "main's $PEER_ATTR still '$v'"; return 1; }
	wait_states $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 MASTER
}

# peers_set_check MAIN_PEER SPARE_PEER: the devices, then the peers set:
# main MASTER and the spare BACKUP, and so for the spare's master-down
# interval and a second more; main shows MAIN_PEER. Prints what went wrong.
peers_set_check()
{
	local v

	peer_devices || return 1
	peer_set_both "$1" "$2" || return 1
	expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP || return 1
	v=$(carp_field "$MAIN" carp0 "$PEER_ATTR")
	[ "$v" = "$1" ] || { echo "main's $PEER_ATTR shows as '$v'"; return 1; }
}

# peer_badsrc_check MAIN_SKEW INJECT_ARGS...: part of a check: three
# authentic advertisements as good as main's own ($ADVBASE, MAIN_SKEW),
# unicast to main from the client (carp_inject's words), which is not
# main's peer: counted as badsrc, main stays MASTER (watched for a second)
# and makes no transition.
peer_badsrc_check()
{
	local mskew=$1; shift

	carp_ignored_check "$MAIN" badsrc 3 1000 \
		carp_inject advbase="$ADVBASE" advskew="$mskew" count=3 "$@"
}

# carp_preempt NS 0|1
carp_preempt()
{
	ip netns exec "$1" sysctl -qw "net.carp.preempt=$2"
}

carp_preempt_get()
{
	ip netns exec "$1" sysctl -n net.carp.preempt
}

# vmac_of VHID
vmac_of()
{
	printf '00:00:5e:00:01:%02x\n' "$1"
}

# mac_of NS DEV
mac_of()
{
	ip -n "$1" link show dev "$2" | awk '/link\/ether/ { print tolower($2) }'
}

# link_operstate NS DEV: operstate as ip reports it (UP, DOWN, ...).
link_operstate()
{
	local out

	out=$(ip -n "$1" -j link show dev "$2" 2>/dev/null) || return 1
	_json_field operstate <<<"$out"
}

# has_addr NS DEV ADDR/PLEN
has_addr()
{
	ip -n "$1" -4 -o addr show dev "$2" 2>/dev/null |
		awk '{ print $4 }' | grep -qx "$3"
}

# link_exists NS DEV
link_exists()
{
	ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

# client_neigh_mac IP: lladdr of the client's neighbour entry (lower case).
client_neigh_mac()
{
	ip -n "$CLIENT" neigh show "$1" dev eth0 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print tolower($(i + 1)) }'
}

# neigh_mac NS IP: lladdr of NS's neighbour entry for IP (any device).
neigh_mac()
{
	ip -n "$1" neigh show "$2" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print tolower($(i + 1)) }'
}

# client_reaches IP [MAC]: a ping answered within 10 s, and the client's
# neighbour entry of IP (on any device) is MAC (default: vhid 1's vmac).
client_reaches()
{
	local want=${2:-$(vmac_of 1)}
	local m

	client_ping "$1" 10 || { echo "client cannot ping $1"; return 1; }
	m=$(neigh_mac "$CLIENT" "$1")
	[ "$m" = "$want" ] || { echo "client's neighbour $1 is '$m', not $want"; return 1; }
}

# add_vlan NS ADDR: eth0.10, VLAN 10 on eth0, up with ADDR/24.
add_vlan()
{
	ip -n "$1" link add link eth0 name eth0.10 type vlan id 10 &&
	ip -n "$1" addr add "$2/24" dev eth0.10 &&
	ip -n "$1" link set eth0.10 up
}

# client_ping IP [TIMEOUT_S]: one echo answered within TIMEOUT_S (default 5).
client_ping()
{
	slowwait "${2:-5}" ip netns exec "$CLIENT" ping -c 1 -W 1 -q "$1" >/dev/null
}

# vlan10_up: eth0.10 (VLAN 10) with 10.0.10.2, .3 and .10/24 on main, the
# spare and the client, and the client reaching both hosts over it.
vlan10_up()
{
	if ! { add_vlan "$MAIN" 10.0.10.2 && add_vlan "$SPARE" 10.0.10.3 &&
	       add_vlan "$CLIENT" 10.0.10.10; }; then
		echo "cannot create eth0.10"
		return 1
	fi
	if ! { client_ping 10.0.10.2 20 && client_ping 10.0.10.3 20; }; then
		echo "client cannot reach main/spare on VLAN 10"
		return 1
	fi
}

##############################################################################
# Crafted advertisements, sent from the client

# carp_inject KEY=VALUE...: send CARP advertisements to 224.0.0.18 from the
# client (raw socket, so from the client's address and MAC). Keys (default):
#   vhid (1) advbase (1) advskew (0) pass ("") vips (10.0.0.1; comma list,
#   part of the HMAC) ttl (255) version (2) type (1) len (36: a shorter
#   payload is cut) badsum (0) count (1) interval (0.2 s between two)
#   counter (of the first; default: from the clock, so each call's are
#   higher than the last call's, as a BSD peer's), step (1: what the
#   counter goes up by from one to the next), demote (0), dst
#   (224.0.0.18; a unicast address for a peer-mode advertisement; an IPv6
#   one, e.g. ff02::12%eth0, sends over IPv6, hop limit ttl), vips6 (none;
#   comma list of IPv6 virtual addresses, in the HMAC after the IPv4 ones).
# The HMAC is the one of the spec: HMAC-SHA1 keyed with pass over version,
# type, vhid, the addresses in ascending order and the 64-bit counter.
CARP_INJECT_PY='
import hashlib, hmac, socket, struct, sys, time

a = dict(x.split("=", 1) for x in sys.argv[1:])
g = lambda k, d: int(a.get(k, d))
vhid, advbase, advskew = g("vhid", 1), g("advbase", 1), g("advskew", 0)
ttl, ver, typ, plen = g("ttl", 255), g("version", 2), g("type", 1), g("len", 36)
count, badsum, demote = g("count", 1), g("badsum", 0), g("demote", 0)
interval = float(a.get("interval", 0.2))
key = a.get("pass", "").encode()
vips = sorted(socket.inet_aton(v)
              for v in a.get("vips", "10.0.0.1").split(",") if v)
vips += sorted(socket.inet_pton(socket.AF_INET6, v)
               for v in a.get("vips6", "").split(",") if v)
dst = a.get("dst", "224.0.0.18")

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff

if ":" in dst:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, ttl)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
    to = socket.getaddrinfo(dst, None, socket.AF_INET6,
                            socket.SOCK_RAW)[0][4]
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton(a["src"]))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    to = (dst, 0)
base = g("counter", int(time.time() * 1000) << 8)
for i in range(count):
    ctr = struct.pack("!Q", base + i * g("step", 1))
    md = hmac.new(key, bytes([2, 1, vhid]) + b"".join(vips) + ctr,
                  hashlib.sha1).digest()
    p = struct.pack("!BBBBBBH", (ver << 4) | typ, vhid, advskew, 7, demote,
                    advbase, 0) + ctr + md
    p = p[:plen]
    c = csum(p)
    if badsum:
        c = (c + 1) & 0xffff or 1
    p = p[:6] + struct.pack("!H", c) + p[8:]
    s.sendto(p, to)
    if i + 1 < count:
        time.sleep(interval)
'

carp_inject()
{
	ip netns exec "$CLIENT" python3 -c "$CARP_INJECT_PY" "src=$CLIENT_IP" "$@"
}

# arp_silence_check NS WHAT: part of a check. The client broadcasts three
# ARP requests for $VIP while NS's eth0 is captured: NS (WHAT, in the
# messages) must see them all and answer none. Returns arping's status (0:
# somebody answered); its output in $CARP_TMP/arping.out. Not in a
# subshell (the capture).
arp_silence_check()
{
	local ns=$1 what=$2 rc n

	capture_start arpsil "$ns" eth0 arp || { check_fail_msg "no capture"; return 2; }
	ip netns exec "$CLIENT" arping -b -c 3 -I eth0 "$VIP" >"$CARP_TMP/arping.out" 2>&1
	rc=$?
	# one more advertisement interval at 1 s, for a late answer
	carp_sleep 1
	capture_stop arpsil
	n=$(capture_count arpsil '$1 == "arp" && $5 == "request" && $9 == vip')
	((n >= 3)) || check_fail_msg "$what saw only $n of the ARP requests"
	n=$(capture_count arpsil '$1 == "arp" && $5 == "reply" && $7 == vip')
	((n == 0)) || check_fail_msg "$what sent $n ARP replies for $VIP"
	return "$rc"
}

# carp_ignored_check NS COUNTER N HOLD_MS SEND...: part of a check. The
# command SEND sends NS's carp0, MASTER, advertisements that must not move
# it: COUNTER grows by N within the margin, and NS stays MASTER for HOLD_MS
# with no transition. SEND runs in this shell (carp_scapy.sh's numbers its
# requests), so this is no subshell's: it fails the check itself.
carp_ignored_check()
{
	local ns=$1 counter=$2 n=$3 hold=$4; shift 4
	local out c0 t0 t1

	c0=$(carp_stat "$ns" carp0 "$counter")
	t0=$(carp_stat "$ns" carp0 transitions)
	"$@" >"$CARP_TMP/send.msg" 2>&1
	check_err $? "cannot send the advertisements: $(cat "$CARP_TMP/send.msg")"
	out=$(wait_counter_ge "$ns" carp0 "$counter" $((c0 + n)) "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(expect_states_for "$hold" "$ns" carp0 MASTER)
	check_err $? "$out"
	t1=$(carp_stat "$ns" carp0 transitions)
	[ "$t1" = "$t0" ] ||
		check_fail_msg "$ns changed state ($t0 -> $t1 transitions)"
}

# carp_dropped_check WHAT COUNTER SEND...: the command SEND (run in this
# shell) sends main, MASTER on carp0, an advertisement that would make it
# step down if it were accepted, but broken one way: it must be counted in
# COUNTER and change nothing (main stays MASTER without a transition and
# ipackets does not count it).
carp_dropped_check()
{
	local what=$1 counter=$2; shift 2
	local ip0

	check_begin
	ip0=$(carp_stat "$MAIN" carp0 ipackets)
	carp_ignored_check "$MAIN" "$counter" 1 1500 "$@"
	[ "$(carp_stat "$MAIN" carp0 ipackets)" = "$ip0" ] ||
		check_fail_msg "counted in ipackets too"
	log_test "$what: dropped, counted in $counter"
}

##############################################################################
# Packet capture: tcpdump writes pcap, a small decoder prints one line per
# interesting frame:
#
#   p112 TIME ETHSRC ETHDST IPSRC IPDST TTL LEN VER TYPE VHID ADVSKEW ADVBASE
#        DEMOTE
#   arp  TIME ETHSRC ETHDST OP SHA SPA THA TPA          (OP request/reply)
#   icmp TIME ETHSRC ETHDST IPSRC IPDST ICMPTYPE        (0 reply, 8 request)
#   igmp TIME ETHSRC ETHDST IPSRC IPDST KIND GROUP      (KIND: see below)
#
# For proto 112, LEN is the length of the IP payload and VHID/ADVSKEW/
# DEMOTE/ADVBASE are its bytes 1, 2, 4 and 5 (CARP header layout).

# capture_start TAG NS DEV [-Q in|out] [FILTER...]: capture on DEV until
# capture_stop; returns once the capture provably records frames.
#
# tcpdump says "listening" before its socket reliably records what the
# interface carries: on 6.12 the first of three ARP requests sent right
# after it was missed (carp_arp.sh). So capture_start sends marker frames
# out of DEV until one is in the file. A marker is a frame of the local
# experimental ethertype 0x88b5 to 01:80:c2:00:00:0e, an address bridges
# do not forward; the capture's filter always lets it through and the
# decoders skip it. A direction (-Q) becomes part of the filter, so that
# the marker, outgoing, is recorded by an inbound capture too.
capture_start()
{
	local tag=$1 ns=$2 dev=$3; shift 3
	local dir="" filter file

	if [ "$1" = "-Q" ]; then
		case $2 in
		in)	dir=inbound ;;
		out)	dir=outbound ;;
		*)	echo "capture_start: -Q $2?"; return 1 ;;
		esac
		shift 2
	fi
	filter=$*
	[ -z "$dir" ] || filter="$dir${filter:+ and ($filter)}"
	# (no filter at all: everything, markers included)
	[ -z "$filter" ] || filter="($filter) or ether proto $CAP_MARK_TYPE"

	carp_tmpdir
	file=$CARP_TMP/$tag.pcap
	CAP_FILE[$tag]=$file
	ip netns exec "$ns" tcpdump -Z root -U --immediate-mode -nn -s 256 \
		-i "$dev" -w - ${filter:+"$filter"} >"$file" 2>"$file.err" &
	CAP_PID[$tag]=$!
	if ! ip netns exec "$ns" python3 -c "$CAP_MARK_PY" "$dev" "$file" \
		"${CAP_PID[$tag]}" "$tag" 30; then
		echo "tcpdump on $dev in ${ns%%-*} did not start: $(cat "$file.err")"
		capture_stop "$tag"
		return 1
	fi
}

CAP_MARK_TYPE=0x88b5

# CAP_MARK_PY DEV PCAP PID TAG TIMEOUT_S: send a marker frame out of DEV
# every 50 ms until one is in PCAP (one process: no fork a round). Fails
# when tcpdump (PID) is gone or after TIMEOUT_S.
CAP_MARK_PY='
import os, socket, sys, time

dev, path, pid, tag, timeout = sys.argv[1:6]
mac = bytes.fromhex(open("/sys/class/net/%s/address" % dev).read()
                    .strip().replace(":", ""))
mark = ("carp-capture-mark %s %d" % (tag, os.getpid())).encode()
frame = (bytes.fromhex("0180c200000e") + mac + b"\x88\xb5" +
         mark).ljust(60, b"\0")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
end = time.monotonic() + float(timeout)
while time.monotonic() < end:
    try:
        os.kill(int(pid), 0)
    except OSError:
        sys.exit(1)
    s.send(frame)
    time.sleep(0.05)
    try:
        if mark in open(path, "rb").read():
            sys.exit(0)
    except OSError:
        pass
sys.exit(1)
'

capture_stop()
{
	local tag=$1
	local pid=${CAP_PID[$tag]}

	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "CAP_PID[$tag]"
}

# CARP_SEND_PY FAMILY VIP DST...: a UDP datagram and a TCP connection attempt
# from VIP to each DST (port 9), each socket bound to VIP; errors ignored
# (a BACKUP's have no route or are dropped on the way out).
CARP_SEND_PY='
import socket, sys

fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
vip = sys.argv[2]
for dst in sys.argv[3:]:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(fam, kind)
        s.settimeout(1)
        try:
            s.bind((vip, 0))
            if kind == socket.SOCK_DGRAM:
                s.sendto(b"carp", (dst, 9))
            else:
                s.connect((dst, 9))
        except OSError:
            pass
        s.close()
'

# CARP_PCAP_PY: the start of a pcap decoder on carp_pkt.py's reader:
# frames(PATH) yields (TIME, FRAME) of each Ethernet frame in PATH, the
# markers of capture_start left out; mac(B) and ip(B) format addresses,
# csum16(B) is the Internet checksum.
CARP_PCAP_PY='
import socket, struct, sys
sys.path.insert(0, "'"$CARP_LIB_DIR"'")
from carp_pkt import csum16, pcap_read

def frames(path):
    for t, p, _ in pcap_read(path)[1]:
        if len(p) < 14:
            return
        if p[12:14] != b"\x88\xb5":
            yield t, p

def mac(b):
    return ":".join("%02x" % x for x in b)

def ip(b):
    return socket.inet_ntoa(bytes(b))
'

# capture_show TAG: decoded frames so far (works while still capturing).
capture_show()
{
	python3 -c "$CARP_PCAP_PY$CAPTURE_SHOW_PY" "${CAP_FILE[$1]}"
}

# IGMP: KIND is query, report (v1/v2 report, or a v3 record is_ex/to_ex/
# allow) or leave (v2 leave, or a v3 record to_in/is_in with no source); a
# v3 report gives one line per group record.
CAPTURE_SHOW_PY='
def igmp(g):
    typ = g[0]
    if typ == 0x11:
        yield "query", ip(g[4:8])
    elif typ in (0x12, 0x16):
        yield "report", ip(g[4:8])
    elif typ == 0x17:
        yield "leave", ip(g[4:8])
    elif typ == 0x22:
        o = 8
        for i in range(struct.unpack("!H", g[6:8])[0]):
            if o + 8 > len(g):
                break
            rt, aux = g[o], g[o + 1]
            ns = struct.unpack("!H", g[o + 2:o + 4])[0]
            if rt in (2, 4, 5) or (rt in (1, 3) and ns):
                yield "report", ip(g[o + 4:o + 8])
            else:
                yield "leave", ip(g[o + 4:o + 8])
            o += 8 + 4 * ns + 4 * aux

for t, p in frames(sys.argv[1]):
    t = "%.6f" % t
    dst, src = mac(p[0:6]), mac(p[6:12])
    et = struct.unpack("!H", p[12:14])[0]
    pl = p[14:]
    if et == 0x0806 and len(pl) >= 28:
        op = struct.unpack("!H", pl[6:8])[0]
        op = {1: "request", 2: "reply"}.get(op, str(op))
        print("arp", t, src, dst, op, mac(pl[8:14]), ip(pl[14:18]),
              mac(pl[18:24]), ip(pl[24:28]))
    elif et == 0x0800 and len(pl) >= 20:
        ihl = (pl[0] & 15) * 4
        tot = struct.unpack("!H", pl[2:4])[0]
        ttl, proto = pl[8], pl[9]
        s, d = ip(pl[12:16]), ip(pl[16:20])
        body = pl[ihl:tot]
        if proto == 112 and len(body) >= 6:
            print("p112", t, src, dst, s, d, ttl, len(body), body[0] >> 4,
                  body[0] & 15, body[1], body[2], body[5], body[4])
        elif proto == 1 and len(body) >= 1:
            print("icmp", t, src, dst, s, d, body[0])
        elif proto == 2 and len(body) >= 8:
            for kind, group in igmp(body):
                print("igmp", t, src, dst, s, d, kind, group)
        else:
            print("ip", t, src, dst, s, d, proto)
    else:
        print("eth", t, src, dst, "%04x" % et)
'

# capture_count TAG AWK_CONDITION [VAR=VALUE...]: number of decoded lines
# matching. The condition can use the awk variables main, spare, client, vip,
# mcast, mcastmac (addresses of the topology) and any VAR given.
capture_count()
{
	local tag=$1 cond=$2; shift 2
	local -a vars=(-v "main=$MAIN_IP" -v "spare=$SPARE_IP"
		       -v "client=$CLIENT_IP" -v "vip=$VIP"
		       -v "mcast=$CARP_MCAST" -v "mcastmac=$CARP_MCAST_MAC")
	local v

	for v in "$@"; do
		vars+=(-v "$v")
	done
	capture_show "$tag" | awk "${vars[@]}" "$cond { n++ } END { print n + 0 }"
}

_capture_count_ge()
{
	local tag=$1 cond=$2 want=$3; shift 3
	local n

	n=$(capture_count "$tag" "$cond" "$@")
	((n >= want))
}

# capture_gap_check TAG DOWN_MS SLACK_MS: on the wire (kernel timestamps),
# the spare's first advertisement in the capture follows main's last one
# by the master-down interval DOWN_MS, SLACK_MS less at most, the margin
# more: the spare's timer starts when main's last one arrives. Not in
# $(...): sets CAP_LAST and CAP_FIRST (s), CAP_GAP (ms) for the check's
# message and what follows.
capture_gap_check()
{
	local tag=$1 down=$2 slack=$3

	CAP_LAST=$(capture_show "$tag" | awk -v m="$MAIN_IP" \
		'$1 == "p112" && $5 == m { t = $2 } END { print t }')
	CAP_FIRST=$(capture_show "$tag" | awk -v s="$SPARE_IP" \
		'$1 == "p112" && $5 == s { print $2; exit }')
	CAP_GAP=
	if [ -z "$CAP_LAST" ] || [ -z "$CAP_FIRST" ]; then
		check_fail_msg "advertisements missing (main's last '$CAP_LAST', spare's first '$CAP_FIRST')"
		return
	fi
	CAP_GAP=$(awk -v a="$CAP_LAST" -v b="$CAP_FIRST" \
		'BEGIN { printf "%d", (b - a) * 1000 }')
	((CAP_GAP >= down - slack && CAP_GAP <= down + CARP_MARGIN_MS)) ||
		check_fail_msg "spare advertised $CAP_GAP ms after main's last ad, master-down is $down ms"
}

# capture_wait TAG AWK_CONDITION N TIMEOUT_MS [VAR=VALUE...]: until N
# matching frames were captured.
capture_wait()
{
	local tag=$1 cond=$2 want=$3 timeout_ms=$4; shift 4

	loopy_wait "sleep 0.2" "$timeout_ms" _capture_count_ge "$tag" "$cond" \
		"$want" "$@"
}
