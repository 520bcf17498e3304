# scenarios/lib/kdc.sh — a throw-away MIT Kerberos realm for scenarios, sourced.
# Everything (database, stash, configs, keytabs, logs) lives under one
# directory the scenario made; nothing system-wide is read or written.
#
#   kdc_create DIR REALM KDC_ADDR PRINC...
#       DIR/krb5.conf (clients: KRB5_CONFIG=DIR/krb5.conf), DIR/kdc.conf, the
#       database, and one keytab per principal: DIR/<principal with '/' -> '_'>.keytab
#       (host/a.example -> DIR/host_a.example.keytab). KDC_PORT=N (default 88).
#   kdc_start DIR NS     runs krb5kdc in the foreground of a background job inside
#                        namespace NS; returns once it listens; pid in DIR/kdc.pid
#   kdc_stop DIR         SIGTERM (then SIGKILL) to that pid only; idempotent
#   kdc_wrong_keytab DIR PRINC OUT
#                        a keytab for PRINC with the KDC's kvno and enctypes but
#                        keys from another password: what a host with a stale or
#                        foreign keytab holds
# Principals are created with random keys; the realm's tickets live 10 hours.
# The KDC log is DIR/kdc.log, its stdout/stderr DIR/kdc.stdout.
# shellcheck shell=bash

_kdc_enctypes="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128"

# _kdc_alive PID: running and not a zombie
_kdc_alive() { local st; st=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }

kdc_create() {
  local d realm=$2 addr=$3 port=${KDC_PORT:-88} host p e supported=""
  d=$(readlink -f "$1"); shift 3
  host=$addr; [[ $addr == *:* ]] && host="[$addr]"
  for e in $_kdc_enctypes; do supported="$supported $e:normal"; done
  mkdir -p "$d"
  cat >"$d/krb5.conf" <<CONF
[libdefaults]
  default_realm = $realm
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1465
[realms]
  $realm = {
    kdc = $host:$port
  }
CONF
  cat >"$d/kdc.conf" <<CONF
[kdcdefaults]
  kdc_ports = $port
  kdc_tcp_ports = $port
[realms]
  $realm = {
    database_name = $d/principal
    key_stash_file = $d/stash
    acl_file = $d/kadm5.acl
    max_life = 10h 0m 0s
    supported_enctypes =$supported
  }
[logging]
  kdc = FILE:$d/kdc.log
CONF
  : >"$d/kadm5.acl"
  KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf \
    kdb5_util create -s -r "$realm" -P "master-$$-$RANDOM$RANDOM" >/dev/null || return 1
  for p in "$@"; do
    KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf \
      kadmin.local -r "$realm" -q "addprinc -randkey $p@$realm" >/dev/null 2>&1
    KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf \
      kadmin.local -r "$realm" -q "ktadd -k $d/${p//\//_}.keytab $p@$realm" >/dev/null 2>&1
    [ -s "$d/${p//\//_}.keytab" ] || { echo "kdc_create: no keytab for $p" >&2; return 1; }
  done
}

kdc_start() {
  local d ns=$2 port
  d=$(readlink -f "$1")
  port=$(sed -n 's/^ *kdc_ports = //p' "$d/kdc.conf")
  # ip netns exec execs krb5kdc, so $! is krb5kdc's own pid; -n keeps it in the foreground
  KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf \
    ip netns exec "$ns" krb5kdc -n >"$d/kdc.stdout" 2>&1 &
  echo $! >"$d/kdc.pid"
  for _ in $(seq 100); do
    ip netns exec "$ns" ss -Hlun "sport = :$port" | grep -q . && return 0
    _kdc_alive "$(cat "$d/kdc.pid")" || break
    sleep 0.05
  done
  echo "kdc_start: krb5kdc did not start; see $d/kdc.stdout $d/kdc.log" >&2
  return 1
}

kdc_stop() {
  local d pid
  d=$(readlink -f "$1")
  pid=$(cat "$d/kdc.pid" 2>/dev/null) || return 0
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = krb5kdc ]; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do _kdc_alive "$pid" || break; sleep 0.1; done
    _kdc_alive "$pid" && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$d/kdc.pid"
}

kdc_wrong_keytab() {
  local d p=$2 out=$3 realm kvno e cmds=""
  d=$(readlink -f "$1")
  realm=$(sed -n 's/^ *default_realm = //p' "$d/krb5.conf")
  kvno=$(klist -k "$d/${p//\//_}.keytab" | awk 'NR > 3 { print $1; exit }')
  [ -n "$kvno" ] || { echo "kdc_wrong_keytab: no kvno for $p" >&2; return 1; }
  for e in $_kdc_enctypes; do
    cmds="${cmds}addent -password -p $p@$realm -k $kvno -e $e
not-the-key-$RANDOM
"
  done
  rm -f "$out"
  printf '%swkt %s\nq\n' "$cmds" "$out" | KRB5_CONFIG=$d/krb5.conf ktutil >/dev/null 2>&1
  [ -s "$out" ] || { echo "kdc_wrong_keytab: ktutil wrote no $out" >&2; return 1; }
}
