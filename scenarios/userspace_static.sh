#!/usr/bin/env bash
# Scenario: the userspace data plane (kernel/userspace) between two
# namespaces with static SAs, run by tests/tools/usp_static:
#  - each side gets its TUN device (MTU 1400), the rule "not fwmark 0x4b41
#    lookup 221" for IPv4 and IPv6, and a table-221 route per outbound policy;
#  - ping passes through the TUN devices in three tunnels: IPv4 in IPv4 and
#    IPv6 in IPv6 over raw ESP, IPv6 in IPv4 over UDP 4500 (RFC 3948);
#  - the veth carries ESP and ESP-in-UDP, and no clear ICMP between the
#    inner addresses;
#  - a packet for a policy with no SA raises one acquire (rate-limited),
#    in the program's output;
#  - SIGTERM leaves no TUN device, route or rule behind.
# Needs root (namespaces only; documentation addresses only) and tshark.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/netns.sh"
. "$here/lib/tap.sh"
build=${KAGI_BUILD:-$here/../build}
usp=$build/tests/tools/usp_static
p=us$$
d=$(mktemp -d)
trap 'stop_all; netns_down $p; rm -rf "$d"' EXIT

if [ ! -x "$usp" ]; then echo "not ok 1 - $usp is not built"; exit 1; fi
netns_up "$p" pair || { echo "not ok 1 - namespaces"; exit 1; }
# Inner addresses of the IPv6-over-UDP tunnel, beside those of netns.sh.
ip -n "$p-a" addr add 2001:db8:a::2/128 dev lo
ip -n "$p-b" addr add 2001:db8:b::2/128 dev lo

# Keys: AES-GCM-16 with 128-bit keys, 16 key + 4 salt octets (RFC 4106 §8.1).
k1=000102030405060708090a0b0c0d0e0f10111213
k2=202122232425262728292a2b2c2d2e2f30313233
k3=404142434445464748494a4b4c4d4e4f50515253
k4=606162636465666768696a6b6c6d6e6f70717273
k5=808182838485868788898a8b8c8d8e8f90919293
k6=a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3

# side NAME: the SAs and policies of one end. On a the outbound SPIs are
# 0x100N, on b 0x200N; tunnel 1 is IPv4/IPv4, 2 IPv6/IPv6, 3 IPv6 over
# IPv4 in UDP; 4 is transport mode for ICMP between the gateways.
side_args() {
  local me=$1 l4 r4 l6 r6 ln4 rn4 ln6 rn6 ln6u rn6u so si ko1 ki1 ko2 ki2 ko3 ki3
  if [ "$me" = a ]; then
    l4=192.0.2.1 r4=192.0.2.2 l6=2001:db8:1::1 r6=2001:db8:1::2
    ln4=198.51.100.1/32 rn4=203.0.113.1/32 ln6=2001:db8:a::1/128 rn6=2001:db8:b::1/128
    ln6u=2001:db8:a::2/128 rn6u=2001:db8:b::2/128 so=1 si=2
    ko1=$k1 ki1=$k2 ko2=$k3 ki2=$k4 ko3=$k5 ki3=$k6
  else
    l4=192.0.2.2 r4=192.0.2.1 l6=2001:db8:1::2 r6=2001:db8:1::1
    ln4=203.0.113.1/32 rn4=198.51.100.1/32 ln6=2001:db8:b::1/128 rn6=2001:db8:a::1/128
    ln6u=2001:db8:b::2/128 rn6u=2001:db8:a::2/128 so=2 si=1
    ko1=$k2 ki1=$k1 ko2=$k4 ki2=$k3 ko3=$k6 ki3=$k5
  fi
  echo --sa "dir=out,src=$l4,dst=$r4,spi=0x${so}001,reqid=1,enc=gcm,key=$ko1" \
       --sa "dir=in,src=$r4,dst=$l4,spi=0x${si}001,reqid=1,enc=gcm,key=$ki1" \
       --policy "dir=out,src=$ln4,dst=$rn4,tsrc=$l4,tdst=$r4,reqid=1" \
       --policy "dir=in,src=$rn4,dst=$ln4,tsrc=$r4,tdst=$l4,reqid=1" \
       --sa "dir=out,src=$l6,dst=$r6,spi=0x${so}002,reqid=2,enc=gcm,key=$ko2" \
       --sa "dir=in,src=$r6,dst=$l6,spi=0x${si}002,reqid=2,enc=gcm,key=$ki2" \
       --policy "dir=out,src=$ln6,dst=$rn6,tsrc=$l6,tdst=$r6,reqid=2" \
       --policy "dir=in,src=$rn6,dst=$ln6,tsrc=$r6,tdst=$l6,reqid=2" \
       --sa "dir=out,src=$l4,dst=$r4,spi=0x${so}003,reqid=3,enc=gcm,key=$ko3,encap=4500:4500" \
       --sa "dir=in,src=$r4,dst=$l4,spi=0x${si}003,reqid=3,enc=gcm,key=$ki3,encap=4500:4500" \
       --policy "dir=out,src=$ln6u,dst=$rn6u,tsrc=$l4,tdst=$r4,reqid=3" \
       --policy "dir=in,src=$rn6u,dst=$ln6u,tsrc=$r4,tdst=$l4,reqid=3" \
       --sa "dir=out,src=$l4,dst=$r4,spi=0x${so}004,reqid=4,mode=transport,enc=gcm,key=$ko1" \
       --sa "dir=in,src=$r4,dst=$l4,spi=0x${si}004,reqid=4,mode=transport,enc=gcm,key=$ki1" \
       --policy "dir=out,src=$l4/32,dst=$r4/32,proto=icmp,mode=transport,reqid=4" \
       --policy "dir=in,src=$r4/32,dst=$l4/32,proto=icmp,mode=transport,reqid=4"
}

# The wire, seen from b's end of the veth.
start_bg cap ip netns exec "$p-b" tshark -i "$p-vb" -n -q -w "$d/wire.pcap" \
  -f "ip proto 50 or ip6 proto 50 or udp port 4500 or icmp or icmp6" 2>"$d/tshark.err"
check "capture on the veth starts" wait_for 10 grep -q "Capturing on" "$d/tshark.err"

# shellcheck disable=SC2046  # side_args prints one word per argument
start_bg a ip netns exec "$p-a" "$usp" --stats "$d/a.stats" $(side_args a) \
  --policy "dir=out,src=198.51.100.1/32,dst=203.0.113.99/32,tsrc=192.0.2.1,tdst=192.0.2.2,reqid=9" \
  >"$d/a.out" 2>"$d/a.log"
# shellcheck disable=SC2046
start_bg b ip netns exec "$p-b" "$usp" --stats "$d/b.stats" $(side_args b) >"$d/b.out" 2>"$d/b.log"
check "usp_static starts in a" wait_for 5 grep -q READY "$d/a.out"
check "usp_static starts in b" wait_for 5 grep -q READY "$d/b.out"

na="ip netns exec $p-a"
quiet() { "$@" >/dev/null 2>&1; }
check "kagi0 is up with MTU 1400" sh -c "ip -n $p-a link show kagi0 | grep -q 'mtu 1400.*UP\|UP.*mtu 1400'"
check "IPv4 rule: not fwmark 0x4b41 lookup 221" sh -c "ip -n $p-a rule | grep -q 'not from all fwmark 0x4b41 lookup 221'"
check "IPv6 rule: not fwmark 0x4b41 lookup 221" sh -c "ip -n $p-a -6 rule | grep -q 'not from all fwmark 0x4b41 lookup 221'"
check "table 221 routes the outbound IPv4 policies into kagi0" \
  sh -c "ip -n $p-a route show table 221 | grep -q '203.0.113.1 dev kagi0' && ip -n $p-a route show table 221 | grep -q '203.0.113.99 dev kagi0'"
check "table 221 routes the outbound IPv6 policies into kagi0" \
  sh -c "ip -n $p-a -6 route show table 221 | grep -q '2001:db8:b::1 dev kagi0' && ip -n $p-a -6 route show table 221 | grep -q '2001:db8:b::2 dev kagi0'"

check "ping IPv4 in IPv4 (raw ESP)" quiet $na ping -c 3 -i 0.2 -W 2 -I 198.51.100.1 203.0.113.1
check "ping IPv6 in IPv6 (raw ESP)" quiet $na ping -6 -c 3 -i 0.2 -W 2 -I 2001:db8:a::1 2001:db8:b::1
check "ping IPv6 in IPv4 (ESP in UDP 4500)" quiet $na ping -6 -c 3 -i 0.2 -W 2 -I 2001:db8:a::2 2001:db8:b::2
check "ping between the gateways in transport mode" quiet $na ping -c 3 -i 0.2 -W 2 -I 192.0.2.1 192.0.2.2

# A policy without an SA: one acquire for three packets within a second.
$na ping -c 3 -i 0.2 -W 1 -I 198.51.100.1 203.0.113.99 >/dev/null 2>&1
check "no SA: an acquire names the packet's selector and reqid" \
  grep -q 'ACQUIRE .*selector=198.51.100.1/32 -> 203.0.113.99/32 .*reqid=9 src=192.0.2.1 dst=192.0.2.2 packet=84' "$d/a.out"
check "acquires are rate-limited (one for three packets)" test "$(grep -c 'ACQUIRE' "$d/a.out")" = 1

kill -USR1 "$pid_a" "$pid_b"
sleep 0.3
stat() { awk -v k="$2" '$1 == k { print $2 }' "$d/$1.stats"; }
check "a sealed and opened 12 packets" test "$(stat a packets_out)" -ge 12 -a "$(stat a packets_in)" -ge 12
check "b sealed and opened 12 packets" test "$(stat b packets_out)" -ge 12 -a "$(stat b packets_in)" -ge 12
check "a counted the packets without an SA" test "$(stat a drop_no_sa)" = 3
check "no ESP was refused" test "$(stat b drop_esp_integrity)$(stat b drop_esp_replay)$(stat b drop_policy_mismatch)" = 000

sleep 0.5
stop_pid "$pid_cap"
esp_frames=$(tshark -r "$d/wire.pcap" -n -Y "esp && !udp" 2>/dev/null | wc -l)
udp_frames=$(tshark -r "$d/wire.pcap" -n -Y "udp.port == 4500" 2>/dev/null | wc -l)
clear_icmp=$(tshark -r "$d/wire.pcap" -n -Y "(icmp || icmpv6) && !esp && !udp && (ip.addr == 203.0.113.1 || ip.addr == 192.0.2.2 || ipv6.addr == 2001:db8:b::1 || ipv6.addr == 2001:db8:b::2)" 2>/dev/null | wc -l)
check "ESP on the veth: 18 raw ESP frames ($esp_frames)" test "$esp_frames" -ge 18
check "ESP in UDP 4500 on the veth: 6 frames ($udp_frames)" test "$udp_frames" -ge 6
check "no clear ICMP between inner addresses on the veth ($clear_icmp)" test "$clear_icmp" = 0

stop_pid "$pid_a"
stop_pid "$pid_b"
for s in a b; do
  check "$s: no TUN device after SIGTERM" sh -c "! ip -n $p-$s link show kagi0 >/dev/null 2>&1"
  check "$s: table 221 is empty" test -z "$(ip -n "$p-$s" route show table 221; ip -n "$p-$s" -6 route show table 221)"
  check "$s: no rule for table 221" sh -c "! { ip -n $p-$s rule; ip -n $p-$s -6 rule; } | grep -q 'lookup 221'"
done
check "usp_static logged no warning" sh -c "! grep -h ' warn \| error ' '$d/a.log' '$d/b.log'"
echo "1..$_tap_n"
