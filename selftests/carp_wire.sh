#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The advertisements carp.ko sends are CARP v2 as the BSDs send them, byte
# for byte. main alone is MASTER; the client captures its advertisements
# (tcpdump -w) and carp_wire.py, an independent decoder written from the
# format (no code from kmod/), checks every one: Ethernet from the virtual
# MAC 00:00:5e:00:01:<vhid> to 01:00:5e:00:00:12; IPv4 without options from
# main's address to 224.0.0.18, TTL 255, protocol 112, header checksum
# valid; CARP version 2 type 1, vhid/advbase/advskew as configured, authlen
# 7, demotion 0, checksum valid, HMAC-SHA1 keyed by the password over
# 0x02 0x01 vhid, the virtual addresses in ascending numeric order and the
# counter as sent; the counter grows by exactly 1 from one ad to the next.
#
# Cases: one address; four addresses given to carpctl in an order that is
# neither numeric, nor textual, nor little-endian (10.0.0.200 10.0.1.5
# 10.0.0.9 10.0.0.77), then a fifth added with `ip addr add`; an empty
# password. Negative controls show the check can fail: the same capture
# checked with the addresses hashed in the given order, or with another
# password, is rejected. Finally tshark (CARP heuristic dissector over IP,
# tried before the VRRP one) decodes the captured packets as CARP with a
# good checksum and the same fields as the independent decoder.

lib_dir=$(dirname "$(readlink -f "$0")")
source "$lib_dir/lib_carp.sh"

WIRE_PY=$lib_dir/carp_wire.py
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
NADS=4
WIRE_OUT=
ALL_TESTS="test_one_address test_four_addresses test_empty_password"

TSHARK_FIELDS=(ip.src carp.version carp.type carp.vhid carp.advskew
	       carp.authlen carp.demotion carp.adver_int carp.counter
	       carp.checksum.status carp.hmac)

# capture_ads TAG ADVBASE ADVSKEW: capture NADS advertisements of main on
# the client's side of the segment.
capture_ads()
{
	local tag=$1 advbase=$2 advskew=$3

	capture_start "$tag" "$CLIENT" eth0 ip proto 112 || return 1
	if ! capture_wait "$tag" '$1 == "p112"' "$NADS" \
		$((NADS * $(carp_adv_ms "$advbase" "$advskew") + CARP_MARGIN_MS)); then
		echo "fewer than $NADS ads captured: $(capture_show "$tag" | head -n 3)"
		capture_stop "$tag"
		return 1
	fi
	capture_stop "$tag"
}

# wire_check TAG KEY=VALUE...: run the decoder over the capture.
wire_check()
{
	local tag=$1; shift

	"$PY" "$WIRE_PY" "${CAP_FILE[$tag]}" src="$MAIN_IP" min="$NADS" "$@" 2>&1
}

# tshark_check TAG KEY=VALUE...: tshark's decoding compared with ours.
tshark_check()
{
	local tag=$1; shift
	local -a f=()
	local x

	for x in "${TSHARK_FIELDS[@]}"; do
		f+=(-e "$x")
	done
	tshark -n -r "${CAP_FILE[$tag]}" --enable-heuristic carp_ip \
		-o ip.try_heuristic_first:TRUE -Y carp -T fields "${f[@]}" \
		>"$CARP_TMP/$tag.tshark" 2>"$CARP_TMP/$tag.tshark.err" ||
		{ echo "tshark failed: $(cat "$CARP_TMP/$tag.tshark.err")"; return 1; }
	wire_check "$tag" "$@" tshark="$CARP_TMP/$tag.tshark"
}

# ads_check TAG ADVBASE ADVSKEW KEY=VALUE...: capture NADS advertisements
# and run the decoder over them (its report in WIRE_OUT). Not in $(...):
# the capture's bookkeeping must stay in this shell.
ads_check()
{
	local tag=$1 advbase=$2 advskew=$3; shift 3

	WIRE_OUT=
	capture_ads "$tag" "$advbase" "$advskew" >"$CARP_TMP/msg"
	check_err $? "$(cat "$CARP_TMP/msg")"
	[ "$RET" -eq 0 ] || return
	WIRE_OUT=$(wire_check "$tag" "$@")
	check_err $? "$WIRE_OUT"
}

# wire_case NAME VHID ADVBASE ADVSKEW PASS ADDR/PLEN...: main alone MASTER
# with these settings, its advertisements captured and checked.
wire_case()
{
	local name=$1 vhid=$2 advbase=$3 advskew=$4 pass=$5; shift 5
	local -a pw=() keys
	local vips="" a out tag=wire$vhid

	[ -n "$pass" ] && pw=(pass "$pass")
	for a in "$@"; do
		vips+=${vips:+,}${a%/*}
	done
	keys=(vhid="$vhid" advbase="$advbase" advskew="$advskew" pass="$pass")

	WIRE_OUT=
	carpctl -n "$MAIN" del carp0 2>/dev/null
	check_begin
	out=$(carp_add "$MAIN" carp0 dev eth0 vhid "$vhid" advbase "$advbase" \
		advskew "$advskew" "${pw[@]}" "$@")
	check_err $? "$out"
	out=$(wait_state "$MAIN" carp0 MASTER \
		$(($(carp_down_ms "$advbase" "$advskew") + CARP_MARGIN_MS)))
	check_err $? "$out"
	[ "$RET" -eq 0 ] && ads_check "$tag" "$advbase" "$advskew" "${keys[@]}" \
		vips="$vips"
	log_test "$name: ads byte for byte (${WIRE_OUT%%$'\n'*})"
	[ "$RET" -eq 0 ] || { carp_del "$MAIN" carp0; return; }

	check_begin
	out=$(tshark_check "$tag" "${keys[@]}" vips="$vips")
	check_err $? "$out"
	log_test "$name: tshark decodes them as CARP, checksum good, same fields"

	check_begin
	# Negative control: another password must not verify.
	out=$(wire_check "$tag" "${keys[@]}" pass="x$pass" vips="$vips")
	check_fail $? "the check accepted a wrong password: $out"
	grep -q HMAC <<<"$out" || check_fail_msg "no HMAC mismatch reported: $out"
	if [ $# -gt 1 ]; then
		# The list was given unsorted: hashed in that order it must
		# not verify, so the ascending order was really checked.
		out=$(wire_check "$tag" "${keys[@]}" vips="$vips" order=given)
		check_fail $? "the HMAC verifies over the unsorted list too: $out"
	fi
	log_test "$name: the check rejects a wrong key$([ $# -gt 1 ] && echo " and the unsorted order")"

	if [ "$name" = "four addresses" ]; then
		check_begin
		ip -n "$MAIN" addr add 10.0.0.50/24 dev carp0 noprefixroute
		check_err $? "cannot add 10.0.0.50 to carp0"
		[ "$RET" -eq 0 ] && ads_check "${tag}b" "$advbase" "$advskew" \
			"${keys[@]}" vips="$vips,10.0.0.50"
		log_test "$name + ip addr add 10.0.0.50: HMAC covers all five (${WIRE_OUT%%$'\n'*})"
	fi

	carp_del "$MAIN" carp0
}

test_one_address()
{
	wire_case "one address" 1 1 0 "s3cret" "$VIP/$PLEN"
}

test_four_addresses()
{
	wire_case "four addresses" 42 2 17 "multi-Addr" \
		10.0.0.200/24 10.0.1.5/32 10.0.0.9/24 10.0.0.77/24
}

test_empty_password()
{
	wire_case "empty password" 200 1 3 "" "$VIP/$PLEN"
}

carp_test_init
require_cmd tcpdump tshark

carp_run_tests

exit "$EXIT_STATUS"
