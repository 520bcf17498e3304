# scenarios/lib/strongswan.sh — strongSwan's charon as an IKEv2 peer inside a
# scenario's network namespace, sourced after lib/tap.sh (it uses start_bg,
# stop_pid, alive and wait_for).
#
#   swan_missing                 prints what is missing and succeeds when charon,
#                                swanctl or kernel-libipsec is absent (so: skip)
#   swan_setup DIR [LINE...]     DIR/strongswan.conf for one instance; each LINE
#                                goes into its charon { } section (cookie_threshold = 1)
#   swan_start NAME NS DIR       charon in NS with DIR as its /run, remembered as
#                                pid_NAME; returns once its vici socket answers
#   swan_load DIR                (re)load DIR/swanctl.conf (connections and secrets)
#   swan DIR ARGS...             swanctl against this instance (--initiate, --rekey ...)
#   swan_sas DIR                 every IKE_SA and CHILD_SA charon holds, one a line
#   swan_stop NAME               SIGTERM, then SIGKILL, to that charon only (by pid)
#
# Everything of an instance lives in DIR: charon.log, the vici socket, run/
# (bind-mounted on /run in a private mount namespace, so charon.pid and the
# starter's files of several instances never meet). The kernel of the test
# machines has no ESP, so charon hands its CHILD_SAs to kernel-libipsec
# (userspace ESP on a TUN device). That plugin asks for UDP encapsulation,
# which charon gets by faking NAT detection: the peer sees "behind NAT", IKE
# moves to port 4500 after IKE_SA_INIT, and ESP is always in UDP. It knows
# tunnel mode only and refuses traffic selectors that cover the IKE addresses.

_swan_charon=/usr/lib/ipsec/charon
_swan_plugins=/usr/lib/ipsec/plugins

swan_missing() {
  local f
  for f in "$_swan_charon" "$_swan_plugins/libstrongswan-kernel-libipsec.so" "$_swan_plugins/libstrongswan-vici.so"; do
    [ -e "$f" ] || { echo "$f not installed"; return 0; }
  done
  command -v swanctl >/dev/null || { echo "swanctl not installed"; return 0; }
  return 1
}

# _swan_plugin_list: the plugins charon loads, the ones this host has. Debian
# splits them over several packages (curve25519 and ccm sit in
# libstrongswan-extra-plugins, openssl and gcm in -standard-plugins).
_swan_plugin_list() {
  local p out=
  for p in random nonce openssl gcrypt aes gcm ccm ctr chapoly sha1 sha2 md5 hmac xcbc cmac kdf curve25519 gmp \
           pem pkcs1 pkcs8 pubkey x509 constraints kernel-libipsec kernel-netlink socket-default vici updown; do
    [ -e "$_swan_plugins/libstrongswan-$p.so" ] && out="$out $p"
  done
  echo "$out"
}

# swan_setup: charon gets the plugins it needs; swanctl, which only talks to
# charon over vici, gets one (loading charon's set made each call 4x slower).
swan_setup() {
  local d=$1 line extra=
  shift
  mkdir -p "$d/run"
  for line in "$@"; do extra="$extra  $line"$'\n'; done
  cat >"$d/strongswan.conf" <<EOF
charon {
  load =$(_swan_plugin_list)
  port = 500
  port_nat_t = 4500
  install_routes = yes
  retransmit_tries = 3
  retransmit_timeout = 1.0
  # a rekeyed CHILD_SA's inbound SA lingers this long (default 5 s)
  delete_rekeyed_delay = 1
${extra}  filelog {
    log {
      path = $d/charon.log
      time_format = %T
      flush_line = yes
      default = 1
      ike = 2
      cfg = 2
      knl = 2
    }
  }
  syslog { daemon { default = -1 } }
  plugins { vici { socket = unix://$d/vici } }
}
swanctl {
  load = pem
  socket = unix://$d/vici
}
EOF
}

swan() {
  local d=$1
  shift
  STRONGSWAN_CONF=$d/strongswan.conf swanctl "$@" --uri "unix://$d/vici" 2>>"$d/swanctl.err"
}

swan_load() { swan "$1" --load-all --file "$1/swanctl.conf" >"$1/load.out"; }

swan_start() {
  local name=$1 ns=$2 d=$3
  rm -f "$d/vici" "$d/run/charon.pid"
  # ip netns exec, unshare and sh all exec, so the remembered pid is charon's.
  start_bg "$name" ip netns exec "$ns" unshare -m --propagation private sh -c \
    "mount --bind '$d/run' /run && STRONGSWAN_CONF='$d/strongswan.conf' exec $_swan_charon" \
    >"$d/stdout" 2>&1
  wait_for 5 swan "$d" --stats >/dev/null || { echo "# charon in $ns did not start: $(tail -3 "$d/stdout")" >&2; return 1; }
  swan_load "$d"
}

swan_stop() { local v="pid_$1"; [ -n "${!v:-}" ] && stop_pid "${!v}"; }

# swan_sas DIR: every SA charon holds, one a line, from one swanctl call:
#   ike NAME SPI_I SPI_R STATE ALGS REMOTE[PORT]
#   child NAME SPI_IN SPI_OUT STATE ALGS
# ALGS as swanctl prints them: AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536;
# a CHILD_SA's end in its DH group when it was made with PFS.
# swanctl --raw prints "list-sa event {kagi {uniqueid=1 ... child-sas {tun-1
# {name=tun ...}}}}": an IKE_SA's keys sit in the second section (named
# after its connection), a CHILD_SA's in the fourth (inside child-sas).
swan_sas() {
  swan "$1" --list-sas --raw | awk '
    function algs(e, k, i, p, g,  s) {
      s = e (k != "" ? "-" k : "")
      if (i != "") s = s "/" i
      if (p != "") s = s "/" p
      if (g != "") s = s "/" g
      return s == "" ? "-" : s
    }
    function flush_child(  k) {
      if (child) print "child", c["name"], c["spi-in"], c["spi-out"], c["state"],
                       algs(c["encr-alg"], c["encr-keysize"], c["integ-alg"], "", c["dh-group"])
      child = 0; for (k in c) delete c[k]
    }
    function flush_ike(  k) {
      flush_child()
      if (ike) print "ike", name, i["initiator-spi"], i["responder-spi"], i["state"],
                     algs(i["encr-alg"], i["encr-keysize"], i["integ-alg"], i["prf-alg"], i["dh-group"]),
                     i["remote-host"] "[" i["remote-port"] "]"
      ike = 0; for (k in i) delete i[k]
    }
    {
      gsub(/[{}]/, " & ")
      for (t = 1; t <= NF; t++) {
        if ($t == "{") { depth++; if (depth == 2) { flush_ike(); ike = 1; name = last } else if (depth == 4) { flush_child(); child = 1 } }
        else if ($t == "}") depth--
        else if ((eq = index($t, "=")) > 0) {
          if (depth == 2) i[substr($t, 1, eq - 1)] = substr($t, eq + 1)
          else if (depth == 4) c[substr($t, 1, eq - 1)] = substr($t, eq + 1)
        } else last = $t
      }
    }
    END { flush_ike() }'
}
