#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family under fire (carp_genl_fuzz.c).
#
# Proves: (a) without CAP_NET_ADMIN over the namespace (uid nobody with no
# capabilities, and root of a fresh user namespace, which has the
# capability only over its own namespaces) every well-formed modifying
# request (NEW/SET/DEL_DEVICE, SET_NET) of thousands of random ones is
# refused with EPERM, the devices can still be read (dump, show), no reply
# ever carries CARP_A_KEY, and the namespace's carp devices, links,
# addresses and demotion are exactly as before; (b) as root, many thousand
# random and mutated messages in a scratch namespace holding carp devices
# of its own leave no kernel splat, no reply carries CARP_A_KEY, the other
# namespaces are untouched (main stays MASTER, spare BACKUP), the module
# still creates and deletes a device, the scratch namespace (with whatever
# devices the fuzzer made) goes away cleanly, and once every carp device
# is deleted the module's reference count is 0 and `rmmod carp` succeeds
# (it is loaded again at the end); (c) root of a new user namespace, in a
# network namespace of its own (which it owns: GENL_UNS_ADMIN_PERM lets it
# create carp devices there), fuzzes that namespace the same way and
# creates devices in it; when it exits the namespace and its devices go,
# with nothing left behind (the refcount and rmmod of (b) come after).
#
# Most messages (60%) are built valid, so that they reach the handlers;
# some of those carry one reply-only attribute, which the policy refuses.
# Bonding is loaded (without bonds) while the fuzzer runs, so that a
# device named "bonding_masters" fails in register_netdevice() after its
# kobject was added, as "all" and "default" do on devinet's sysctls. The
# fuzzer prints per command how many requests reached the handler, and
# the test wants every command to have reached its handler, NEW_DEVICE
# to have succeeded, and at least 40% of all requests to reach a handler.
#
# CARP_FUZZ_SEED, CARP_FUZZ_COUNT (root), CARP_FUZZ_UCOUNT (each
# unprivileged run) and CARP_FUZZ_NSCOUNT (root of a user namespace) make
# a run reproducible or longer.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_unpriv test_root test_userns test_unload"

: "${CARP_FUZZ_SEED:=1}"
: "${CARP_FUZZ_COUNT:=12000}"
: "${CARP_FUZZ_UCOUNT:=3000}"
: "${CARP_FUZZ_NSCOUNT:=5000}"
FUZZ=""
SCRATCH=""
MARK=""
BONDING_LOADED=""

no_age()
{
	sed -E 's/"last_change_ms": ?[0-9]+,? ?//g'
}

# Everything the fuzzer must not change in namespace $1.
snapshot()
{
	carpctl -n "$1" -j show | no_age
	carpctl -n "$1" demote
	ip -n "$1" -o link show | sed -E 's/ +link\/ether.*//'
	ip -n "$1" -o addr show | sed -E 's/valid_lft.*//'
}

# The kernel log since the marker written by the test.
dmesg_since_mark()
{
	dmesg | sed -n "/$MARK/,\$p"
}

dmesg_bad()
{
	local bad='BUG:|kernel BUG at|WARNING:|Oops|refcount_t|list_add corruption|list_del corruption'

	bad+='|general protection fault|KASAN|UBSAN|inconsistent lock state'
	bad+='|possible circular locking|suspicious RCU usage|[Ll]eak|blocked for more than'
	dmesg_since_mark | grep -E "$bad"
}

setup()
{
	local fdir

	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase 1 pass s3cret "$VIP/$PLEN" || return 1
	carp_add "$MAIN" carp7 dev eth0 vhid 7 advskew 20 peer 10.0.0.3 10.0.0.77/24 || return 1
	wait_state "$MAIN" carp0 MASTER $(($(carp_down_ms 1 0) + CARP_MARGIN_MS)) || return 1
	carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase 1 advskew 100 pass s3cret \
		"$VIP/$PLEN" || return 1
	wait_state "$SPARE" carp0 BACKUP $(($(carp_down_ms 1 100) + CARP_MARGIN_MS)) || return 1
	wait_state "$MAIN" carp7 MASTER $(($(carp_down_ms 1 20) + CARP_MARGIN_MS)) || return 1

	# A directory uid nobody can read, for the fuzzer.
	fdir=$(mktemp -d /tmp/carp-fuzz.XXXXXX) || return 1
	chmod 755 "$fdir"
	cp "$lib_dir/carp_genl_fuzz" "$fdir/" || return 1
	FUZZ=$fdir/carp_genl_fuzz
}

# unpriv_run LABEL WRAPPER...: run the fuzzer in main through WRAPPER in -u
# mode; nothing in main may change.
unpriv_run()
{
	local label=$1; shift
	local before after out

	check_begin
	before=$(snapshot "$MAIN")
	out=$(ip netns exec "$MAIN" "$@" "$FUZZ" -u -n "$CARP_FUZZ_UCOUNT" \
		-s "$CARP_FUZZ_SEED" 2>&1)
	check_err $? "fuzzer ($label): $(echo "$out" | tail -n 25)"
	echo "$out" | sed 's/^/# /' | tail -n 12
	[[ $out == *"initial dump: 2 carp device(s), status 0"* ]] ||
		check_fail_msg "$label could not dump both carp devices: $out"
	after=$(snapshot "$MAIN")
	[ "$before" = "$after" ] ||
		check_fail_msg "main changed: $(diff <(echo "$before") <(echo "$after"))"
	log_test "$label: $CARP_FUZZ_UCOUNT messages, modifications EPERM, reads work, no key, nothing changed"
}

test_unpriv()
{
	local out

	check_begin
	out=$(ip netns exec "$MAIN" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all --bounding-set=-all \
		carpctl -j show carp0 2>&1)
	check_err $? "unprivileged show: $out"
	[[ $out =~ \"auth\":\ ?true && $out != *s3cret* ]] ||
		check_fail_msg "unprivileged show: $out"
	log_test "uid nobody reads carp0 (auth set, no key)"

	unpriv_run "uid nobody, no caps" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all --bounding-set=-all
	unpriv_run "root of a new user namespace" unshare -U -r
}

test_root()
{
	local before_main before_spare out rc cnt

	SCRATCH=""
	setup_ns SCRATCH || { echo "cannot create a namespace"; exit "$ksft_fail"; }
	ip -n "$SCRATCH" link add va type veth peer name vb
	ip -n "$SCRATCH" link set va up
	ip -n "$SCRATCH" link set vb up
	ip -n "$SCRATCH" addr add 10.9.0.2/24 dev va
	ip -n "$SCRATCH" link add dm type dummy 2>/dev/null &&
		ip -n "$SCRATCH" link set dm up
	carp_add "$SCRATCH" fz1 dev va vhid 1 pass k1 10.9.0.1/24 || exit "$ksft_fail"
	carp_add "$SCRATCH" fz2 dev vb vhid 2 10.9.0.5/24 || exit "$ksft_fail"

	before_main=$(snapshot "$MAIN")
	before_spare=$(snapshot "$SPARE")

	check_begin
	out=$(ip netns exec "$SCRATCH" "$FUZZ" -n "$CARP_FUZZ_COUNT" \
		-s "$CARP_FUZZ_SEED" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /' | tail -n 25
	check_err $rc "fuzzer as root failed: $(echo "$out" | grep FAIL | head -n 5)"
	[[ $out == *"initial dump: 2 carp device(s), status 0"* ]] ||
		check_fail_msg "root could not dump the scratch devices"
	# The fuzzer reached the handlers: the kernel answered with data
	# and with errors the family's own code (not only the core) returns.
	[[ $out =~ data\ [1-9] ]] || check_fail_msg "no data reply at all"
	reached_ok "$out" || check_fail_msg "too few requests reached the handlers"
	log_test "root: $CARP_FUZZ_COUNT messages (seed $CARP_FUZZ_SEED), every reply read, no key"
	echo "# registrations refused by sysfs (bonding_masters): $(dmesg_since_mark |
		grep -c 'cannot create duplicate filename')"

	check_begin
	out=$(dmesg_bad)
	[ -z "$out" ] || check_fail_msg "kernel log: $out"
	log_test "kernel log clean after the fuzzing"

	check_begin
	[ "$before_main" = "$(snapshot "$MAIN")" ] || check_fail_msg "main changed"
	[ "$before_spare" = "$(snapshot "$SPARE")" ] || check_fail_msg "spare changed"
	out=$(wait_states $(($(carp_down_ms 1 100) + CARP_MARGIN_MS)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 BACKUP)
	check_err $? "$out"
	log_test "other namespaces untouched: main MASTER, spare BACKUP"

	check_begin
	out=$(carpctl -n "$SCRATCH" -j show 2>&1)
	check_err $? "show in scratch after fuzzing: $out"
	carp_add "$SCRATCH" fzok dev va vhid 200 10.9.0.200/24
	check_err $? "cannot add a device after fuzzing"
	wait_state "$SCRATCH" fzok MASTER $(($(carp_down_ms 1 0) + CARP_MARGIN_MS)) >/dev/null
	check_err $? "the new device does not become MASTER"
	carp_del "$SCRATCH" fzok
	check_err $? "cannot delete it"
	link_exists "$SCRATCH" fzok && check_fail_msg "fzok still there"
	log_test "after fuzzing: a new device is created, becomes MASTER, is deleted"

	check_begin
	cnt=$(carpctl -n "$SCRATCH" -j show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	echo "# $cnt carp device(s) in the scratch namespace after fuzzing"
	cleanup_ns "$SCRATCH"
	check_err $? "cannot delete the scratch namespace"
	SCRATCH=""
	log_test "scratch namespace with the fuzzer's devices deleted"
}

test_unload()
{
	local ns dev out refcnt

	check_begin
	for ns in "$MAIN" "$SPARE" "$CLIENT" "$SW"; do
		for dev in $(carpctl -n "$ns" -j show |
			     python3 -c 'import json,sys; print(" ".join(d["ifname"] for d in json.load(sys.stdin)))'); do
			carp_del "$ns" "$dev" || check_fail_msg "del $dev failed"
		done
	done
	out=$(carpctl -j show 2>&1)
	[ "$out" = "[]" ] || check_fail_msg "carp devices left in the root namespace: $out"
	# netns teardown is asynchronous (cleanup_net): wait for the count.
	loopy_wait "sleep 0.2" $((CARP_MARGIN_MS * 2)) refcnt_zero
	refcnt=$(cat /sys/module/carp/refcnt)
	[ "$refcnt" = 0 ] || check_fail_msg "module refcount $refcnt with no device"
	out=$(rmmod carp 2>&1)
	check_err $? "rmmod carp: $out"
	out=$(modprobe carp 2>&1)
	check_err $? "modprobe carp: $out"
	out=$(dmesg_bad)
	[ -z "$out" ] || check_fail_msg "kernel log: $out"
	log_test "every device deleted: refcount 0, rmmod carp, modprobe carp"
}

# reached_ok OUTPUT: every command reached its handler, NEW_DEVICE
# created devices, and at least 40% of the requests reached a handler.
reached_ok()
{
	local c pct

	for c in GET_DEVICE NEW_DEVICE SET_DEVICE DEL_DEVICE GET_NET SET_NET; do
		[[ $1 =~ $c\ +[0-9]+\ sent:\ handler\ +[1-9] ]] || {
			echo "# $c never reached its handler"
			return 1
		}
	done
	grep -A1 ' NEW_DEVICE ' <<<"$1" | grep -q 'handler: ok [1-9]' || {
		echo "# no NEW_DEVICE succeeded"
		return 1
	}
	pct=$(sed -n 's/.*reached a handler: .*(\([0-9]*\)%).*/\1/p' <<<"$1")
	[ "${pct:-0}" -ge 40 ] || { echo "# only ${pct:-0}% reached a handler"; return 1; }
}

# Root of a new user namespace, in a new network namespace it owns.
test_userns()
{
	local out rc

	check_begin
	out=$(unshare -U -r -n /bin/sh -c '
		ip link add ua type veth peer name ub &&
		ip link set ua up && ip link set ub up &&
		ip link add ud type dummy && ip link set ud up &&
		ip addr add 10.8.0.2/24 dev ua &&
		carpctl add uz1 dev ua vhid 1 10.8.0.1/24 || exit 3
		exec "$0" -n "$1" -s "$2"' \
		"$FUZZ" "$CARP_FUZZ_NSCOUNT" "$CARP_FUZZ_SEED" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /' | tail -n 25
	check_err $rc "fuzzer as root of a user namespace failed (rc $rc): $(echo "$out" | grep -E 'FAIL|rror' | head -n 5)"
	[[ $out == *"initial dump: 1 carp device(s), status 0"* ]] ||
		check_fail_msg "user namespace root could not dump its device"
	reached_ok "$out" || check_fail_msg "too few requests reached the handlers"
	log_test "root of a user namespace: $CARP_FUZZ_NSCOUNT messages in its own netns, devices created"

	check_begin
	out=$(dmesg_bad)
	[ -z "$out" ] || check_fail_msg "kernel log: $out"
	log_test "kernel log clean after the user namespace's fuzzing and exit"
}

refcnt_zero()
{
	[ "$(cat /sys/module/carp/refcnt 2>/dev/null)" = 0 ]
}

cleanup()
{
	[ -z "$SCRATCH" ] || cleanup_ns "$SCRATCH"
	[ -z "$FUZZ" ] || rm -rf "$(dirname "$FUZZ")"
	[ -z "$BONDING_LOADED" ] || rmmod bonding 2>/dev/null
	carp_cleanup
	[ -d /sys/module/carp ] || modprobe carp
}

require_carp
require_cmd setpriv unshare rmmod
[ -x "$lib_dir/carp_genl_fuzz" ] ||
	carp_skip "carp_genl_fuzz not built (make -C this directory)"
trap cleanup EXIT
carp_topo_create || { echo "FAIL: cannot build the test topology"; exit "$ksft_fail"; }
MARK="carp_fuzz-$$-$RANDOM"
echo "$MARK" >/dev/kmsg
setup || { echo "FAIL: setup"; exit "$ksft_fail"; }
echo "# seed $CARP_FUZZ_SEED"

# Bonding's /sys/class/net/bonding_masters, in every namespace, without a
# bond; only if this test loads it (and so unloads it again).
if [ ! -d /sys/module/bonding ] && modprobe bonding max_bonds=0 2>/dev/null; then
	BONDING_LOADED=1
fi
[ -d /sys/module/bonding ] || echo "# bonding not available: no bonding_masters"
modprobe dummy numdummies=0 2>/dev/null

carp_run_tests

exit "$EXIT_STATUS"
