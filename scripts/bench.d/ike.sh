#!/usr/bin/env bash
# scripts/bench.d/ike.sh — responder cost of complete IKE_SA_INIT + IKE_AUTH
# handshakes: PSK, Curve25519, AES-GCM-16-128 / PRF-HMAC-SHA2-256, childless
# IKE_SAs (RFC 6023) so that no kernel work is counted. kagi-ikeload (our
# initiator, in namespace a) opens IKE_SAs against kagid and then against
# Debian's charon (namespace b, one after the other, same load), stopping at
# each checkpoint; at each we read the responder's CPU time (utime+stime of
# all its threads) and resident memory, and print per-IKE_SA figures for the
# SAs added since the previous checkpoint (CPU) and for all of them (memory).
# KAGI_BENCH_IKE_COUNTS overrides the checkpoints (default 1000,10000,50000).
set -u
here=$(cd "$(dirname "$0")/../../scenarios" && pwd)
. "$here/lib/netns.sh"
. "$here/lib/tap.sh"
. "$here/lib/strongswan.sh"
build=$KAGI_BUILD
counts=${KAGI_BENCH_IKE_COUNTS:-1000,10000,50000}
p=kbi$$
d=$(mktemp -d)
trap 'stop_all; netns_down $p; rm -rf "$d"' EXIT
psk=bench-$(head -c 12 /dev/urandom | base64 | tr -d '+/=')
echo "$psk" >"$d/psk"
netns_up "$p" pair
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# measure NAME PID: drive kagi-ikeload against 192.0.2.2 and print one line
# per checkpoint: "NAME N cpu_us_per_sa heap_bytes_per_sa seconds".
measure() {
  local name=$1 pid=$2 line n failed secs c0 r0 cprev nprev c r
  c0=$(cpu_ticks "$pid"); r0=$(rss_kb "$pid"); cprev=$c0; nprev=0
  coproc LOAD { ip netns exec "$p-a" "$build/tools/kagi-ikeload" --remote 192.0.2.2 --local 192.0.2.1 \
                  --psk "$psk" --checkpoints "$counts" --window 64; }
  while read -r line <&"${LOAD[0]}"; do
    set -- $line
    case $1 in
      CHECKPOINT)
        n=$2 failed=$3 secs=$4; c=$(cpu_ticks "$pid"); r=$(rss_kb "$pid")
        awk -v name="$name" -v n="$n" -v f="$failed" -v s="$secs" -v dc=$((c - cprev)) -v dn=$((n - nprev)) \
            -v dr=$((r - r0)) -v hz="$hz" 'BEGIN {
              printf "%s %d %.0f %.0f %.1f %d\n", name, n, dc * 1e6 / hz / dn, dr * 1024 / n, s, f }'
        cprev=$c; nprev=$n
        echo go >&"${LOAD[1]}" ;;
      DONE) break ;;
    esac
  done
  exec {LOAD[1]}>&-
  wait "$LOAD_PID" 2>/dev/null
}

# kagid as the responder: a road-warrior remote for the load's identity.
cat >"$d/kagid.conf" <<CONF
interface { ike { 192.0.2.2 port 500; }; };
remote load {
	acceptable_kmp { ikev2; };
	ikev2 {
		peers_ipaddr IP_RW;
		peers_id fqdn "load.example.net";
		pre_shared_key "$d/psk";
		kmp_enc_alg { aes128_gcm_16; };
		kmp_prf_alg { hmac_sha2_256; };
		kmp_dh_group { curve25519; };
	};
};
CONF
start_bg kagid ip netns exec "$p-b" "$build/daemon/kagid" --config "$d/kagid.conf" --foreground --backend fake \
  --control "$d/kagid.sock" --state-dir "$d/kagid-state" --log-level warn
wait_for 5 "$build/tools/kagictl" --socket "$d/kagid.sock" status >/dev/null 2>&1
measure kagid "$pid_kagid" | tee "$d/kagid.out"
stop_pid "$pid_kagid"

# charon as the responder, same profile, childless allowed, no uniqueness
# check (every IKE_SA has the same identity). Only the kernel-netlink plugin:
# kernel-libipsec would fake NAT and move IKE to 4500, and no CHILD_SA is made.
if swan_missing >/dev/null; then
  echo "charon is not installed: no comparison (scripts/setup installs it)"
  exit 1
fi
mkdir -p "$d/ss/run"
cat >"$d/ss/strongswan.conf" <<CONF
charon {
  load = random nonce openssl aes gcm sha2 hmac kdf curve25519 kernel-netlink socket-default vici
  port = 500
  port_nat_t = 4500
  # All the load comes from one address: charon's per-address half-open
  # limit (5) and cookie threshold (10) would turn the benchmark into a
  # test of its DoS protection. kagid's threshold (1000) is never reached.
  block_threshold = 1000000
  cookie_threshold = 1000000
  syslog { daemon { default = -1 } }
  filelog { log { path = $d/ss/charon.log
                  default = -1 } }
  plugins { vici { socket = unix://$d/ss/vici } }
}
swanctl { socket = unix://$d/ss/vici }
CONF
cat >"$d/ss/swanctl.conf" <<CONF
connections {
  load {
    local_addrs = 192.0.2.2
    proposals = aes128gcm16-prfsha256-x25519
    unique = never
    childless = allow
    local { auth = psk
            id = 192.0.2.2 }
    remote { auth = psk
             id = load.example.net }
  }
}
secrets { ike-load { id-1 = load.example.net
                     secret = "$psk" } }
CONF
swan_start charon "$p-b" "$d/ss" || exit 1
measure charon "$pid_charon" | tee "$d/charon.out"
swan_stop charon

echo
printf "%-8s %8s %14s %16s\n" responder SAs cpu_us_per_sa heap_bytes_per_sa
while read -r name n cpu heap secs failed; do printf "%-8s %8d %14d %16d\n" "$name" "$n" "$cpu" "$heap"; done \
  < <(cat "$d/kagid.out" "$d/charon.out")
# The headline figures: per IKE_SA at the last checkpoint both responders reached.
n=$(tail -1 "$d/charon.out" | awk '{print $2}')
k=$(awk -v n="$n" '$2 == n {print $3}' "$d/kagid.out"); c=$(tail -1 "$d/charon.out" | awk '{print $3}')
kh=$(awk -v n="$n" '$2 == n {print $4}' "$d/kagid.out"); ch=$(tail -1 "$d/charon.out" | awk '{print $4}')
echo "at $n IKE_SAs:"
awk -v k="$kh" -v c="$ch" 'BEGIN { printf "BENCH ike heap_bytes_per_sa kagi=%d peer=%d ratio=%.2f\n", k, c, c / k }'
awk -v k="$k" -v c="$c" 'BEGIN { printf "BENCH ike cpu_us_per_sa kagi=%d peer=%d ratio=%.2f\n", k, c, c / k }'
