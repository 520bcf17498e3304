#!/usr/bin/env bash
# Scenario: kagid's SPD against the real kernel (XFRM), in a namespace.
#  - the configured policies are installed (tunnel with its fwd twin, transport);
#  - another program's policy is never touched;
#  - killed with SIGKILL and started again, kagid leaves exactly its
#    configured policies (no duplicates, nothing lost);
#  - a policy dropped from the configuration is removed at restart and at reload;
#  - a packet matching a policy with no SA gives an ACQUIRE that kagid maps
#    back to its selector (seen on `kagictl monitor`);
#  - SIGTERM removes everything kagid installed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/netns.sh"
. "$here/lib/tap.sh"
build=${KAGI_BUILD:-$here/../build}
kagid=$build/daemon/kagid
kagictl=$build/tools/kagictl
p=kx$$
d=$(mktemp -d)
trap 'stop_all; netns_down $p; rm -rf "$d"' EXIT

netns_up "$p" pair || { echo "not ok 1 - namespaces"; exit 1; }
ns="ip netns exec $p-a"
echo "secret-for-tests" >"$d/psk"
sed "s|\${PSK_FILE}|$d/psk|" "$here/configs/gw-a.conf" >"$d/kagi.conf"

run_kagid() { # run_kagid NAME: start kagid in namespace a
  start_bg "$1" $ns "$kagid" --config "$d/kagi.conf" --foreground --backend xfrm \
    --control "$d/ctl.sock" --state-dir "$d/state" --log-level diag --log-file "$d/kagid-$1.log"
  wait_for 5 test -S "$d/ctl.sock"
}
ctl() { "$kagictl" --socket "$d/ctl.sock" "$@"; }
kernel_policies() { $ns ip -o xfrm policy list | grep -v 'socket ' ; }
count() { kernel_policies | grep -c "$1"; }

# Another program's policy, present before kagid starts.
$ns ip xfrm policy add src 203.0.113.50/32 dst 203.0.113.60/32 dir out action allow priority 7
check "another program's policy is in place" test "$(count 203.0.113.50)" = 1

run_kagid first
check "kagid starts with the xfrm backend" ctl status
check "tunnel policies: out, in and the fwd twin" test "$(count 'src 198.51.100.1/32 dst 203.0.113.1/32')$(count 'src 203.0.113.1/32 dst 198.51.100.1/32')" = 12
check "transport policies for udp 1701 in both directions" test "$(kernel_policies | grep -c 'proto udp')" = 2
total_first=$(kernel_policies | wc -l)
check "5 kagi policies plus the foreign one" test "$total_first" = 6
check "the tunnel template names the gateways" sh -c "$ns ip xfrm policy get src 198.51.100.1/32 dst 203.0.113.1/32 dir out | grep -q 'tmpl src 192.0.2.1 dst 192.0.2.2'"

# ACQUIRE: a packet for the tunnel with no SA (the kernel needs a route for it).
$ns ip route add 203.0.113.1/32 via 192.0.2.2
ctl --json monitor >"$d/monitor.out" 2>&1 & mon=$!; _pids+=("$mon")
sleep 0.3
$ns ping -c1 -W1 -I 198.51.100.1 203.0.113.1 >/dev/null 2>&1
check "an ACQUIRE reaches kagid and maps to selector tun_out" wait_for 5 grep -q '"selector_name":"tun_out"' "$d/monitor.out"
stop_pid "$mon"

# SIGKILL and restart: nothing duplicated, nothing lost.
kill -9 "$pid_first"; wait_for 5 sh -c "! alive $pid_first" 2>/dev/null
check "after SIGKILL the kernel still holds the policies" test "$(kernel_policies | wc -l)" = "$total_first"
rm -f "$d/ctl.sock"
run_kagid second
check "restarted kagid adds no duplicates" test "$(kernel_policies | wc -l)" = "$total_first"
check "restarted kagid reports its 5 policies" sh -c "$kagictl --socket $d/ctl.sock --json status | grep -q '\"policies\": 5'"

# Reload without the l2tp selectors: they go, the rest stays.
python3 - "$d/kagi.conf" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r'selector l2tp_(out|in) \{.*?\n\};\n', '', s, flags=re.S)
open(p, 'w').write(s)
PY
check "kagictl reload succeeds" ctl reload
check "reload removed the two udp policies" test "$(kernel_policies | grep -c 'proto udp')" = 0
check "reload kept the tunnel policies" test "$(count 198.51.100.1/32)" = 3

# A broken configuration on reload is refused and changes nothing.
cp "$d/kagi.conf" "$d/good.conf"; echo "bogus_directive on;" >>"$d/kagi.conf"
check "a broken reload is refused with file:line" sh -c "$kagictl --socket $d/ctl.sock reload 2>&1 | grep -q 'kagi.conf:[0-9]*:[0-9]*'"
check "after the refused reload the policies are unchanged" test "$(count 198.51.100.1/32)" = 3
cp "$d/good.conf" "$d/kagi.conf"

# SIGTERM: kagid removes what it installed, the foreign policy stays.
stop_pid "$pid_second"
check "after SIGTERM only the foreign policy remains" test "$(kernel_policies | wc -l)" = 1
check "the foreign policy survived everything" test "$(count 203.0.113.50)" = 1
