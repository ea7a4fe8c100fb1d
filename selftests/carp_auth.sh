#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CARP authentication (HMAC-SHA1 over the advertisement, key = pass).
# vhid 1, advbase 0 (what is proven does not depend on the interval, and
# sub-second intervals make the test fast); main advskew 150 is MASTER
# first, then the spare comes with advskew 100, i.e. with advertisements
# that would make main step down.
#
# Proves, for a key mismatch (pass vs other pass, pass vs none, none vs
# pass): the spare does not accept main's advertisements (it becomes MASTER
# itself) and main does not accept the spare's (it stays MASTER, sampled for
# several advertisements) while both badauth counters grow; `auth` in
# `carpctl -j show` tells whether a pass is set. Then the keys are made
# equal with `carpctl set ... pass` and main steps down to BACKUP at once:
# the key was the only thing that kept it MASTER. After that main's badauth
# no longer moves. Finally, crafted advertisements from the client: with
# the right key one makes main step down (control); with a wrong key, no
# key, another address list (badauth), TTL 254 (badttl), a bad checksum
# (badsum), version 1 (badver) or cut short (badlen) they are dropped,
# counted and change nothing.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

ALL_TESTS="test_other_pass test_pass_none test_none_pass test_crafted"

ADVBASE=0
MAIN_SKEW=150
SPARE_SKEW=100
CRAFT_SKEW=50

# del_both: no carp0 on main or the spare (what each sub-test leaves).
del_both()
{
	carpctl -n "$MAIN" del carp0 2>/dev/null
	carpctl -n "$SPARE" del carp0 2>/dev/null
}

# pass_words SECRET: carpctl words for a pass, nothing for "".
pass_words()
{
	[ -n "$1" ] && echo "pass $1"
}

# scenario NAME MAIN_PASS SPARE_PASS FIX_NS FIX_PASS
scenario()
{
	local name=$1 mpass=$2 spass=$3 fix_ns=$4 fix_pass=$5
	local out b0 b1 tr0 sb0 v

	del_both
	check_begin
	# word splitting of pass_words is intended
	# shellcheck disable=SC2046
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$MAIN_SKEW" $(pass_words "$mpass") "$VIP/$PLEN" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$MAIN_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	# shellcheck disable=SC2046
	carp_add "$SPARE" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$SPARE_SKEW" $(pass_words "$spass") "$VIP/$PLEN" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	v=$(carp_field "$MAIN" carp0 auth)
	[ "$v" = "$([ -n "$mpass" ] && echo true || echo false)" ] ||
		check_fail_msg "main auth is '$v'"
	v=$(carp_field "$SPARE" carp0 auth)
	[ "$v" = "$([ -n "$spass" ] && echo true || echo false)" ] ||
		check_fail_msg "spare auth is '$v'"
	log_test "$name: devices up, auth flag matches pass"

	check_begin
	out=$(wait_state "$SPARE" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_counter_ge "$SPARE" carp0 badauth 1 "$CARP_MARGIN_MS")
	check_err $? "$out"
	log_test "$name: spare drops main's ads (badauth) and becomes MASTER"

	check_begin
	b0=$(carp_stat "$MAIN" carp0 badauth)
	tr0=$(carp_stat "$MAIN" carp0 transitions)
	out=$(expect_states_for $(($(carp_down_ms "$ADVBASE" "$SPARE_SKEW") + 1000)) \
		"$MAIN" carp0 MASTER "$SPARE" carp0 MASTER)
	check_err $? "$out"
	b1=$(carp_stat "$MAIN" carp0 badauth)
	(( b1 >= b0 + 2 )) ||
		check_fail_msg "main badauth $b0 -> $b1 while the spare advertised"
	[ "$(carp_stat "$MAIN" carp0 transitions)" = "$tr0" ] ||
		check_fail_msg "main changed state"
	log_test "$name: main ignores better ads with a wrong key, badauth $b0 -> $b1"

	check_begin
	carp_set "$fix_ns" carp0 pass "$fix_pass" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_state "$MAIN" carp0 BACKUP \
		$(($(carp_adv_ms "$ADVBASE" "$SPARE_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	out=$(wait_state "$SPARE" carp0 MASTER 1000)
	check_err $? "$out"
	log_test "$name: same key set, main steps down to BACKUP"

	check_begin
	sb0=$(carp_stat "$MAIN" carp0 ipackets)
	out=$(expect_counter_for 3000 "$MAIN" carp0 badauth)
	check_err $? "$out"
	(( $(carp_stat "$MAIN" carp0 ipackets) >= sb0 + 2 )) ||
		check_fail_msg "main did not count the spare's ads as received"
	out=$(expect_states_for 500 "$MAIN" carp0 BACKUP "$SPARE" carp0 MASTER)
	check_err $? "$out"
	log_test "$name: with equal keys badauth stays, ads are received"

	carp_del "$SPARE" carp0
	carp_del "$MAIN" carp0
}

# inject_dropped WHAT COUNTER ARGS...: a crafted advertisement (carp_inject
# ARGS) that would make main (MASTER, advskew $CRAFT_SKEW) step down if it
# were accepted; it must be counted in COUNTER and change nothing.
inject_dropped()
{
	carp_dropped_check "crafted ad, $1" "$2" carp_inject \
		advbase="$ADVBASE" advskew=1 "${@:3}"
}

# Crafted advertisements from the client against main alone (MASTER,
# advskew $CRAFT_SKEW, pass s3cret-A): a valid one as good as main's
# (control) makes it step down; each broken one is dropped and counted.
test_crafted()
{
	local out tr0

	del_both
	check_begin
	carp_add "$MAIN" carp0 dev eth0 vhid 1 advbase "$ADVBASE" \
		advskew "$CRAFT_SKEW" pass s3cret-A "$VIP/$PLEN" >"$CARP_TMP/msg" ||
		check_fail_msg "$(cat "$CARP_TMP/msg")"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$CRAFT_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	tr0=$(carp_stat "$MAIN" carp0 transitions)
	carp_inject advbase="$ADVBASE" advskew="$CRAFT_SKEW" pass=s3cret-A
	check_err $? "cannot send the advertisement"
	out=$(wait_counter_ge "$MAIN" carp0 transitions $((tr0 + 1)) "$CARP_MARGIN_MS")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$ADVBASE" "$CRAFT_SKEW") + CARP_MARGIN_MS)))
	check_err $? "$out"
	log_test "crafted ad with the right key: main steps down (control)"
	[ "$RET" -eq 0 ] || return

	inject_dropped "wrong key" badauth pass=s3cret-B
	inject_dropped "no key" badauth
	inject_dropped "other address list" badauth pass=s3cret-A vips=10.0.0.99
	inject_dropped "TTL 254" badttl pass=s3cret-A ttl=254
	inject_dropped "bad checksum" badsum pass=s3cret-A badsum=1
	inject_dropped "version 1" badver pass=s3cret-A version=1
	inject_dropped "30 bytes" badlen pass=s3cret-A len=30
	carp_del "$MAIN" carp0
}

test_other_pass()
{
	scenario "pass vs other pass" "s3cret-A" "s3cret-B" "$SPARE" "s3cret-A"
}

test_pass_none()
{
	scenario "pass vs none" "s3cret-A" "" "$SPARE" "s3cret-A"
}

test_none_pass()
{
	scenario "none vs pass" "" "s3cret-B" "$MAIN" "s3cret-B"
}

carp_test_init

carp_run_tests

exit "$EXIT_STATUS"
