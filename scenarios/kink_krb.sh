#!/usr/bin/env bash
# scenarios/kink_krb.sh — kink/krb against a real MIT KDC. A KDC for realm
# EXAMPLE.TEST runs in namespace b (192.0.2.2); kink_krb_probe, playing both
# KINK peers (host/a.example initiating, host/b.example responding), runs in
# namespace a and carries its KDC traffic itself. Checks: tickets through the
# caller-driven KDC exchange (UDP and TCP), AP-REQ accepted and AP-REP
# verified with one session key, a replay refused (also after a restart), a
# wrong keytab refused, a skewed clock refused and corrected, an expired
# ticket refused, user-to-user. Prints TAP. KAGI_BUILD names the build
# directory (default build/); KINK_KRB_PROBE the probe itself.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/netns.sh"
. "$here/lib/tap.sh"
. "$here/lib/kdc.sh"
build=${KAGI_BUILD:-$here/../build}
probe=${KINK_KRB_PROBE:-$build/tests/tools/kink_krb_probe}
p=kk$$
d=$(mktemp -d)
trap 'kdc_stop "$d/realm"; stop_all; netns_down $p; rm -rf "$d"' EXIT
# Every replay cache krb5 might fall back to stays under the test directory.
export KRB5RCACHEDIR=$d/rcache
unset KRB5RCACHENAME KRB5RCACHETYPE KRB5_CONFIG KRB5_KTNAME KRB5CCNAME
mkdir -p "$d/rcache"

echo "1..22"
check "the probe is built ($probe)" test -x "$probe"
netns_up "$p" pair
check "a KDC realm with three principals and keytabs" \
  kdc_create "$d/realm" EXAMPLE.TEST 192.0.2.2 host/a.example host/b.example host/c.example
check "krb5kdc answers in namespace b" kdc_start "$d/realm" "$p-b"
check "a keytab with wrong keys for host/b.example" \
  kdc_wrong_keytab "$d/realm" host/b.example "$d/wrong.keytab"
sed 's/udp_preference_limit = .*/udp_preference_limit = 1/' "$d/realm/krb5.conf" >"$d/tcp-krb5.conf"

ip netns exec "$p-a" "$probe" run --krb5-conf "$d/realm/krb5.conf" --tcp-krb5-conf "$d/tcp-krb5.conf" \
  --rcache-dir "$d/rcache" \
  --initiator host/a.example --initiator-keytab "$d/realm/host_a.example.keytab" \
  --responder host/b.example --responder-keytab "$d/realm/host_b.example.keytab" \
  --wrong-keytab "$d/wrong.keytab" --save-ap-req "$d/ap_req.der" >"$d/run.out" 2>"$d/run.err"
echo "$?" >"$d/run.rc"
ip netns exec "$p-a" "$probe" replay --krb5-conf "$d/realm/krb5.conf" --rcache-dir "$d/rcache" \
  --responder host/b.example --responder-keytab "$d/realm/host_b.example.keytab" \
  --ap-req "$d/ap_req.der" >"$d/replay.out" 2>"$d/replay.err"
sed 's/^/# /' "$d/run.out" "$d/run.err" "$d/replay.out" "$d/replay.err"

# passed NAME [FILE]: the probe printed "ok NAME" (in run.out unless FILE)
passed() { grep -q "^ok $1\( \|$\)" "${2:-$d/run.out}"; }
check "service ticket for host/b.example through AS + TGS round trips" passed service-ticket
check "the cached ticket is reused without a KDC round trip" passed service-ticket-cached
check "the responder accepts the AP-REQ and names host/a.example" passed ap-req-accepted
check "both peers hold the same session key" passed session-key-shared
check "the initiator verifies the AP-REP" passed ap-rep-verified
check "KEYMAT, KINK_ENCRYPT (usage 39) and Cksum (usage 40) agree across peers" passed kink-crypto
check "a replayed AP-REQ is refused with KRB_AP_ERR_REPEAT" passed replay-refused
check "the KRB_ERROR for it decodes on the initiator" passed krb-error-read
check "a responder with wrong keys refuses (KRB_AP_ERR_BAD_INTEGRITY)" passed wrong-keytab-refused
check "an initiator 10 minutes ahead is refused with KRB_AP_ERR_SKEW" passed skew-refused
check "correcting the clock from the KRB_ERROR's stime is accepted" passed skew-corrected
check "past the ticket's end it is refused with KRB_AP_ERR_TKT_EXPIRED" passed expired-refused
check "the responder gets its own TGT for GETTGT" passed responder-tgt
check "user-to-user: a ticket in the responder's TGT session key, AP-REP verified" passed user-to-user
check "the user-to-user ticket does not open with the long-term key" passed user-to-user-not-by-keytab
check "with udp_preference_limit = 1 every KDC request goes over TCP" passed tcp-ticket
check "every probe check passed (exit 0, no FAIL line)" \
  sh -c "[ \"\$(cat $d/run.rc)\" = 0 ] && ! grep -q '^FAIL' $d/run.out"
check "after a restart the saved AP-REQ is still refused (replay cache on disk)" \
  passed replay-after-restart "$d/replay.out"
