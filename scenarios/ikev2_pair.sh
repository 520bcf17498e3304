#!/usr/bin/env bash
# scenarios/ikev2_pair.sh — two kagid negotiate IKEv2 with each other over a
# veth pair in their own namespaces, over IPv4 and over IPv6: IKE_SA and two
# CHILD_SAs (tunnel and transport), CHILD_SA rekey, IKE_SA rekey (CHILD_SAs
# adopted), delete of a CHILD_SA and of the IKE_SA from either side, and a
# restart of one side that INITIAL_CONTACT cleans up on the other.
# Backend: KAGI_PAIR_BACKEND (default userspace: kagi's own ESP data plane,
# so traffic really flows through the tunnel; fake keeps SAs in memory only).
# Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/netns.sh"
. "$here/lib/tap.sh"
build=${KAGI_BUILD:-$here/../build}
kagid=$build/daemon/kagid
kagictl=$build/tools/kagictl
backend=${KAGI_PAIR_BACKEND:-userspace}
p=kp$$
d=$(mktemp -d)
trap 'stop_all; netns_down $p; [ -n "${KAGI_KEEP:-}" ] || rm -rf "$d"' EXIT
head -c 24 /dev/urandom | base64 >"$d/psk"
netns_up "$p" pair

ctl() { local h=$1; shift; "$kagictl" --socket "$d/$h.sock" "$@"; }
js() { local h=$1; shift; ctl "$h" --json status | jq -r "$@"; }
# configure SIDE FAMILY: write SIDE's configuration for v4 or v6.
configure() {
  local h=$1 fam=$2 me peer mynet peernet
  if [ "$fam" = v4 ]; then
    if [ "$h" = a ]; then me=192.0.2.1 peer=192.0.2.2 mynet=198.51.100.1/32 peernet=203.0.113.1/32
    else me=192.0.2.2 peer=192.0.2.1 mynet=203.0.113.1/32 peernet=198.51.100.1/32; fi
  else
    if [ "$h" = a ]; then me=2001:db8:1::1 peer=2001:db8:1::2 mynet=2001:db8:a::1/128 peernet=2001:db8:b::1/128
    else me=2001:db8:1::2 peer=2001:db8:1::1 mynet=2001:db8:b::1/128 peernet=2001:db8:a::1/128; fi
  fi
  sed -e "s|@ME@|$me|g; s|@PEER@|$peer|g; s|@MY_NET@|$mynet|g; s|@PEER_NET@|$peernet|g" \
      -e "s|@PSK@|$d/psk|; s|@IKE_LIFE@|1 hour|; s|@CHILD_LIFE@|30 min|" \
      "${template:-$here/configs/pair.conf.in}" >"$d/$h.conf"
}
start() { # start SIDE (a also writes --pcap and --keylog)
  local trace=()
  [ "$1" = a ] && trace=(--pcap "$d/a-$fam.pcap" --keylog "$d/a.keylog")
  start_bg "$1" ip netns exec "$p-$1" "$kagid" --config "$d/$1.conf" --foreground --backend "$backend" \
    --control "$d/$1.sock" --state-dir "$d/state-$1" --log-level debug --log-file "$d/$1-$fam.log" "${trace[@]}"
  wait_for 5 ctl "$1" status >/dev/null 2>/dev/null
}
stop() { local v="pid_$1"; stop_pid "${!v}"; }
dead() { ! alive "$1"; }
ike_count() { js "$1" '[.ike_sas[] | select(.state == "ESTABLISHED")] | length'; }
child_count() { js "$1" '[.ike_sas[] | select(.state == "ESTABLISHED") | .children[] | select(.state == "INSTALLED")] | length'; }
is() { test "$("$@" 2>/dev/null | tail -1)" = "$want"; }
eq() { want=$1; shift; is "$@"; }
spis() { js "$1" '[.ike_sas[] | select(.state == "ESTABLISHED") | .children[] | select(.state == "INSTALLED") | "\(.name) \(.spi_in) \(.spi_out)"] | sort | .[]'; }
crossed() { # a's inbound SPIs are b's outbound ones and the other way round
  diff <(spis a | awk '{print $1, $2, $3}') <(spis b | awk '{print $1, $3, $2}') >/dev/null && [ -n "$(spis a)" ]
}

for fam in v4 v6; do
  configure a $fam; configure b $fam
  start a; start b
  check "$fam: both kagid answer on their control sockets" sh -c "$kagictl --socket $d/a.sock status >/dev/null && $kagictl --socket $d/b.sock status >/dev/null"
  ctl a initiate peer >/dev/null
  check "$fam: initiator has one IKE_SA" wait_for 5 eq 1 ike_count a
  check "$fam: both CHILD_SAs installed on the initiator" wait_for 5 eq 2 child_count a
  check "$fam: both CHILD_SAs installed on the responder" wait_for 5 eq 2 child_count b
  check "$fam: SPIs cross over (a's inbound = b's outbound)" crossed
  check "$fam: the tunnel CHILD_SA is in tunnel mode" eq tunnel js a '.ike_sas[0].children[] | select(.name == "tun") | .mode'
  check "$fam: the tcp CHILD_SA is in transport mode" eq transport js b '.ike_sas[0].children[] | select(.name == "tcp") | .mode'
  check "$fam: the algorithms are the configured ones" eq ENCR_AES_GCM_16_128/PRF_HMAC_SHA2_256/CURVE25519 js a '.ike_sas[0].algorithms'

  if [ "$fam" = v4 ]; then ain=198.51.100.1 bin=203.0.113.1; else ain=2001:db8:a::1 bin=2001:db8:b::1; fi
  if [ "$backend" = userspace ]; then
    check "$fam: ping passes through the tunnel" sh -c "ip netns exec $p-a ping -c 2 -W 1 -I $ain $bin >/dev/null"
    check "$fam: status counts the tunnel's packets on both sides" sh -c "[ \$($kagictl --socket $d/b.sock --json status | jq '.ike_sas[0].children[] | select(.name == \"tun\") | .in.packets') -ge 2 ]"
    # Make-before-break: a steady ping across the CHILD_SA rekey loses nothing.
    ip netns exec "$p-a" ping -c 40 -i 0.05 -W 1 -I "$ain" "$bin" >"$d/ping-$fam.out" 2>&1 &
    ping_pid=$!
    sleep 0.5
  fi
  old=$(js a '.ike_sas[0].children[] | select(.name == "tun") | .spi_in')
  ctl a rekey child "$old" >/dev/null
  check "$fam: CHILD_SA rekey gives the tunnel new SPIs" wait_for 5 sh -c "[ \"\$($kagictl --socket $d/a.sock --json status | jq -r '.ike_sas[0].children[] | select(.name == \"tun\" and .state == \"INSTALLED\") | .spi_in')\" != '$old' ]"
  check "$fam: after the CHILD_SA rekey still two CHILD_SAs each side" wait_for 5 eq 2 child_count b
  check "$fam: ... and their SPIs still cross" wait_for 5 crossed
  if [ "$backend" = userspace ]; then
    wait "$ping_pid"
    check "$fam: no packet lost across the CHILD_SA rekey" grep -q " 0% packet loss" "$d/ping-$fam.out"
  fi

  old_ike=$(js b '.ike_sas[0].spi_i')
  ctl b rekey peer >/dev/null
  check "$fam: IKE_SA rekey from the responder gives new IKE SPIs" wait_for 5 sh -c "[ \"\$($kagictl --socket $d/a.sock --json status | jq -r '[.ike_sas[] | select(.state == \"ESTABLISHED\")][0].spi_i')\" != '$old_ike' ]"
  check "$fam: the rekeyed IKE_SA adopted both CHILD_SAs" wait_for 5 eq 2 child_count a
  check "$fam: one IKE_SA left on each side after the rekey" wait_for 5 eq 1 js b '.ike_sas | length'

  tcp_b=$(js b '.ike_sas[0].children[] | select(.name == "tcp") | .spi_in')
  ctl b terminate child "$tcp_b" >/dev/null
  check "$fam: a CHILD_SA deleted by the responder is gone on both sides" wait_for 5 sh -c "[ \"\$($kagictl --socket $d/a.sock --json status | jq '[.ike_sas[].children[]] | length')\" = 1 ]"
  check "$fam: ... and its SAs are out of the responder's kernel" wait_for 5 eq 1 child_count b
  ctl a terminate peer >/dev/null
  check "$fam: the IKE_SA deleted by the initiator is gone on the responder" wait_for 5 eq 0 js b '.ike_sas | length'
  check "$fam: ... and on the initiator" wait_for 5 eq 0 js a '.ike_sas | length'
  check "$fam: no SA is left in the initiator's kernel" eq 0 sh -c "$kagictl --socket $d/a.sock --json sa list | jq '.sas | length'"

  # Restart: b dies without a word, comes back and initiates; its
  # INITIAL_CONTACT makes a drop the IKE_SA it still holds (RFC 7296 §2.4).
  ctl a initiate peer >/dev/null
  wait_for 5 eq 2 child_count b
  kill -9 "$pid_b"; wait "$pid_b" 2>/dev/null
  start b
  ctl b initiate peer >/dev/null
  check "$fam: after b's restart a holds exactly one IKE_SA (INITIAL_CONTACT)" wait_for 8 eq 1 js a '.ike_sas | length'
  check "$fam: ... the one b initiated" wait_for 5 eq false js a '.ike_sas[0].initiator'
  check "$fam: ... with both CHILD_SAs again" wait_for 5 eq 2 child_count a
  stop a; stop b
  if command -v tshark >/dev/null; then
    check "$fam: --pcap: tshark sees IKE_AUTH with IDi, AUTH, TSi and TSr in the clear" \
      sh -c "tshark -n -r $d/a-$fam.pcap -V 2>/dev/null | grep -q 'Payload: Identification - Initiator' && tshark -n -r $d/a-$fam.pcap -V 2>/dev/null | grep -q 'Payload: Traffic Selector - Responder'"
    check "$fam: --pcap: no malformed packet" sh -c "! tshark -n -r $d/a-$fam.pcap -V 2>/dev/null | grep -qi malformed"
    check "$fam: --keylog: one line per IKE_SA, mode 0600" sh -c "[ \$(stat -c %a $d/a.keylog) = 600 ] && [ \$(wc -l < $d/a.keylog) -ge 3 ]"
  else
    check "$fam: --pcap dissection # SKIP tshark is not installed" true
  fi
done

# Road warrior: b accepts peers at any address; its kernel policies for a
# are generated when the CHILD_SA comes up and go when it goes.
fam=rw
configure a v4; template=$here/configs/pair-rw.conf.in configure b v4
start a; start b
kpol() { ctl b --json policy list | jq -r '.kernel[] | "\(.dir) \(.selector.text) \(.templates[0].dst // "")"'; }
check "rw: nothing is installed for road warriors before one arrives" eq 0 sh -c "$kagictl --socket $d/b.sock --json policy list | jq '.kernel | length'"
ctl a initiate peer tun >/dev/null
check "rw: the tunnel comes up with the road-warrior responder" wait_for 5 eq 1 child_count b
check "rw: b generated out, in and fwd policies for a's inner address" wait_for 5 eq 3 sh -c "$kagictl --socket $d/b.sock --json policy list | jq '[.kernel[] | select(.selector.text | contains(\"198.51.100.1/32\"))] | length'"
check "rw: the outbound template points at a's address" sh -c "$kagictl --socket $d/b.sock --json policy list | jq -e '.kernel[] | select(.dir == \"out\") | .templates[0] | select(.dst == \"192.0.2.1\" and .reqid > 0)' >/dev/null"
ctl a terminate peer >/dev/null
check "rw: the generated policies go with the CHILD_SA" wait_for 5 eq 0 sh -c "$kagictl --socket $d/b.sock --json policy list | jq '.kernel | length'"
stop a; stop b
