#!/usr/bin/env bash
# scenarios/ikev2_strongswan.sh — kagid against strongSwan's charon over a
# veth pair: kagid in PREFIX-a (192.0.2.1), charon in PREFIX-b (192.0.2.2),
# one tunnel-mode CHILD_SA between the inner addresses on lo. The cases, each
# with kagid as initiator and as responder:
#   base    AES-CBC-128, HMAC-SHA1-96, PRF-HMAC-SHA1, MODP-1536 (IKE and ESP,
#           PFS); rekeys forced from either side; deletes from either side
#   modern  AES-GCM-16-256, PRF-HMAC-SHA2-256, Curve25519 (IKE and ESP)
#   ke      INVALID_KE_PAYLOAD: the responder wants the initiator's second group
#   cookie  COOKIE: charon with cookie_threshold, kagid with cookie_required
#   life    rekeys that come from lifetimes set short on one side only
# Every case looks at both daemons (kagictl --json status and the fake
# backend's SAs; swanctl --list-sas) and at the wire: dumpcap captures on
# kagid's veth, tshark dissects the IKE messages at the end.
# kagid runs with the fake backend (SAs in its memory; the IKE traffic is
# real). charon runs with kernel-libipsec, which makes it claim a NAT: IKE
# moves to port 4500 and the CHILD_SAs are UDP-encapsulated. Prints TAP;
# KAGI_KEEP=1 keeps the logs and captures; KAGI_SWAN_CASES="ke cookie" runs
# only those cases.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/netns.sh"
. "$here/lib/tap.sh"
. "$here/lib/strongswan.sh"
build=${KAGI_BUILD:-$here/../build}
kagid=$build/daemon/kagid
kagictl=$build/tools/kagictl

skip_all() { echo "ok 1 # SKIP $1"; exit 0; }
if why=$(swan_missing); then skip_all "strongSwan: $why"; fi
command -v tshark >/dev/null && command -v dumpcap >/dev/null || skip_all "tshark (and its dumpcap) not installed"
[ -x "$kagid" ] && [ -x "$kagictl" ] || skip_all "build kagid and kagictl first ($build)"

p=ks$$
d=$(mktemp -d)
trap 'stop_all; netns_down $p; [ -n "${KAGI_KEEP:-}" ] && echo "# logs kept in $d" || rm -rf "$d"' EXIT
mkdir -p "$d/ss" "$d/ws"
head -c 24 /dev/urandom | base64 >"$d/psk"
netns_up "$p" pair
t0=$SECONDS

# --- the two daemons ---------------------------------------------------------
me=192.0.2.1 peer=192.0.2.2 mynet=198.51.100.1/32 peernet=203.0.113.1/32

# profile NAME: the algorithms of both sides (K_* for kagid in racoon2.conf
# syntax, S_* for charon in swanctl syntax) and long lifetimes.
profile() {
  K_PFS=on K_COOKIE=off K_IKE_LIFE="1 hour" K_CHILD_LIFE="30 min" S_IKE_REKEY=14400 S_CHILD_REKEY=3600
  K_ENC="aes128_cbc;" K_PRF="hmac_sha1;" K_INTEG="hmac_sha1;" K_DH="modp1536;"
  K_ESP_ENC="aes128_cbc;" K_ESP_INTEG="hmac_sha1;"
  S_IKE=aes128-sha1-modp1536 S_ESP=aes128-sha1-modp1536
  if [ "$1" = modern ]; then
    K_ENC="aes256_gcm_16;" K_PRF="hmac_sha2_256;" K_INTEG="hmac_sha2_256;" K_DH="curve25519;"
    K_ESP_ENC="aes256_gcm_16;" K_ESP_INTEG="hmac_sha2_256;"
    S_IKE=aes256gcm16-prfsha256-x25519 S_ESP=aes256gcm16-x25519
  fi
}

render() {
  sed -e "s|@ME@|$me|g; s|@PEER@|$peer|g; s|@MY_NET@|$mynet|g; s|@PEER_NET@|$peernet|g; s|@PSK@|$d/psk|" \
      -e "s|@IKE_ENC@|$K_ENC|; s|@IKE_PRF@|$K_PRF|; s|@IKE_INTEG@|$K_INTEG|; s|@IKE_DH@|$K_DH|" \
      -e "s|@ESP_ENC@|$K_ESP_ENC|; s|@ESP_INTEG@|$K_ESP_INTEG|; s|@PFS@|$K_PFS|; s|@COOKIE@|$K_COOKIE|" \
      -e "s|@IKE_LIFE@|$K_IKE_LIFE|; s|@CHILD_LIFE@|$K_CHILD_LIFE|" \
      "$here/configs/swan-kagid.conf.in" >"$d/kagid.conf"
  sed -e "s|@ME@|$peer|g; s|@PEER@|$me|g; s|@MY_NET@|$peernet|g; s|@PEER_NET@|$mynet|g" \
      -e "s|@IKE_PROPOSALS@|$S_IKE|; s|@ESP_PROPOSALS@|$S_ESP|; s|@PSK_TEXT@|$(cat "$d/psk")|" \
      -e "s|@IKE_REKEY@|$S_IKE_REKEY|; s|@CHILD_REKEY@|$S_CHILD_REKEY|; s|@CHILD_HARD@|$((S_CHILD_REKEY + 30))|" \
      "$here/configs/swan-charon.conf.in" >"$d/ss/swanctl.conf"
}

# One capture on kagid's veth for the whole run (dumpcap started in the
# namespace, stopped by pid); `cases` remembers when each case ran, and
# split_capture cuts tshark's dissection into one file per case.
start_bg cap ip netns exec "$p-a" dumpcap -q -i "$p-va" -w "$d/all.pcapng" 2>"$d/dumpcap.err"
wait_for 10 grep -q "^File:" "$d/dumpcap.err" || echo "# dumpcap did not start: $(cat "$d/dumpcap.err")"
cases=()
now() { date +%s.%N; }

# up CASE [CHARON_LINE...]: charon and kagid with the current profile. charon
# keeps running from case to case while its strongswan.conf lines stay the
# same (its connections are reloaded); kagid starts afresh.
up() {
  case=$1; shift
  case_start=$(now)
  render
  if [ -z "${pid_ss:-}" ] || ! alive "$pid_ss" || [ "$*" != "${swan_lines-}" ]; then
    swan_stop ss
    swan_lines="$*"
    swan_setup "$d/ss" "$@"
    swan_start ss "$p-b" "$d/ss" || return 1
  else
    swan_load "$d/ss"
  fi
  start_bg kagid ip netns exec "$p-a" "$kagid" --config "$d/kagid.conf" --foreground --backend fake \
    --control "$d/kagid.sock" --state-dir "$d/state" --log-level debug --log-file "$d/kagid-$case.log" \
    --keylog "$d/ws/ikev2_decryption_table"
  wait_for 5 ctl status >/dev/null 2>&1 || { echo "# kagid did not start: $(tail -3 "$d/kagid-$case.log")"; return 1; }
}
# down: kagid goes (deleting what it still has with charon); charon is made
# to forget anything left, so the next case starts clean.
down() {
  stop_pid "$pid_kagid"
  within 3 eval 'snap; [ $NSI = 0 ]' ||
    { echo "# charon kept SAs after kagid left"; sw --terminate --ike kagi --force --timeout 2 >/dev/null; }
  cases+=("$case $case_start $(now)")
}
# split_capture: stop the capture, dissect it once (without half_open's
# packets) and write each case's frames to $d/CASE.txt.
split_capture() {
  sleep 0.2; stop_pid "$pid_cap"
  printf '%s\n' "${cases[@]}" >"$d/cases"
  WIRESHARK_CONFIG_DIR=$d/ws tshark -r "$d/all.pcapng" -Y 'isakmp && udp.port != 40500' -V 2>/dev/null | awk -v dir="$d" '
    BEGIN { while ((getline l < (dir "/cases")) > 0) { split(l, f, " "); n++; name[n] = f[1]; from[n] = f[2]; to[n] = f[3] } }
    function flush(  k) {
      if (buf == "") return
      for (k = 1; k <= n; k++) if (t >= from[k] && t <= to[k]) printf "%s", buf > (dir "/" name[k] ".txt")
      buf = ""
    }
    /^Frame [0-9]+:/ { flush() }
    /^    Epoch Time: / { t = $3 + 0 }
    { buf = buf $0 "\n" }
    END { flush() }'
}

want() { [[ " ${KAGI_SWAN_CASES:-base modern ke cookie life} " == *" $1 "* ]]; }

ctl() { "$kagictl" --socket "$d/kagid.sock" "$@"; }
sw() { swan "$d/ss" "$@"; }
# start_as ROLE: kagid initiates, or charon does (kagid responds)
start_as() {
  if [ "$1" = initiator ]; then ctl initiate swan >/dev/null
  else sw --initiate --child tun --timeout 10 >/dev/null; fi
}

# within SECONDS command...: poll until the command succeeds, for at most that
# long (wait_for counts rounds, which is too loose for a command that takes
# a second on a busy machine).
within() {
  local end=$((SECONDS + $1))
  shift
  while :; do "$@" && return 0; [ $SECONDS -lt $end ] || return 1; sleep 0.1; done
}

# --- what each side holds ----------------------------------------------------
# snap takes one look at both daemons and sums it up in shell variables (few
# processes: on a busy machine each one costs):
#   KI, SI   the established IKE_SA's "SPI_I SPI_R" at kagid, at charon
#   KC, SC   the installed CHILD_SA's "SPI_IN SPI_OUT" (charon's turned round)
#   NKI NSI NKC NSC  how many IKE_SAs / CHILD_SAs each holds, in any state
#   NKK      how many SAs kagid's backend holds
#   KIA KCA SIA SCA  their algorithms, as each side names them
#   KNAT     "REMOTE NAT_REMOTE ENCAP" of kagid's established SAs
#   ALL      every SPI either side knows
# half_open's IKE_SA (peer port 40500) is left out.
snap() {
  local k s
  k=$({ ctl --json status; ctl --json sa list; } 2>/dev/null | jq -r '
        if has("ike_sas") then .ike_sas[] | "ike \(.spi_i) \(.spi_r) \(.state) \(.algorithms) \(.remote_addr) \(.nat_remote)",
          (.children[] | "child \(.spi_in) \(.spi_out) \(.state) \(.algorithms) \(.encap)")
        else (.sas // [])[] | "kernel \(.spi)" end' 2>/dev/null)
  s=$(swan_sas "$d/ss")
  eval "$(awk -v K="$k" -v S="$s" 'BEGIN {
    n = split(K, l, "\n")
    for (i = 1; i <= n; i++) {
      split(l[i], f, " "); all = all " " f[2] " " f[3]
      if (f[1] == "ike") { nki++; if (f[4] == "ESTABLISHED") { ki = f[2] " " f[3]; kia = f[5]; nat = f[6] " " f[7] } }
      else if (f[1] == "child") { nkc++; if (f[4] == "INSTALLED") { kc = f[2] " " f[3]; kca = f[5]; enc = f[6] } }
      else if (f[1] == "kernel") nkk++
    }
    n = split(S, l, "\n")
    for (i = 1; i <= n; i++) {
      if (l[i] ~ /\[40500\]$/) continue
      split(l[i], f, " "); all = all " " f[3] " " f[4]
      if (f[1] == "ike") { nsi++; if (f[5] == "ESTABLISHED") { si = f[3] " " f[4]; sia = f[6] } }
      else if (f[1] == "child") { nsc++; if (f[5] == "INSTALLED") { sc = f[4] " " f[3]; sca = f[6] } }
    }
    printf "KI=\"%s\" SI=\"%s\" KC=\"%s\" SC=\"%s\" ", ki, si, kc, sc
    printf "NKI=%d NSI=%d NKC=%d NSC=%d NKK=%d ", nki, nsi, nkc, nsc, nkk
    printf "KIA=\"%s\" KCA=\"%s\" SIA=\"%s\" SCA=\"%s\" KNAT=\"%s\" ALL=\"%s \"\n", kia, kca, sia, sca, nat " " enc, all
  }')"
}

# synced_ike / synced_child: exactly one SA of the kind on each side, in any
# state (a rekeyed or half-deleted one counts), up, with the same SPIs; a
# CHILD_SA also has exactly its two SAs in kagid's backend.
synced_ike() { snap; [ -n "$KI" ] && [ "$KI" = "$SI" ] && [ $NKI = 1 ] && [ $NSI = 1 ]; }
synced_child() { snap; [ -n "$KC" ] && [ "$KC" = "$SC" ] && [ $NKC = 1 ] && [ $NSC = 1 ] && [ $NKK = 2 ]; }
# replaced ike|child OLD: synced, with SPIs other than OLD, and none of OLD's
# SPIs left anywhere (kagid's SAs in any state, its backend, charon's SAs)
replaced() {
  local s now
  "synced_$1" || return 1
  if [ "$1" = ike ]; then now=$KI; else now=$KC; fi
  [ "$now" != "$2" ] || return 1
  for s in $2; do [[ "$ALL" == *" $s "* ]] && return 1; done
  return 0
}
no_child() { snap; [ $NKC = 0 ] && [ $NKK = 0 ] && [ $NSC = 0 ]; }
nothing() { no_child && [ $NKI = 0 ] && [ $NSI = 0 ]; }
# These read the last snap (taken by the check before them):
# algs KAGID_IKE KAGID_CHILD CHARON_IKE CHARON_CHILD: the algorithms both sides report
algs() { [ "$KIA $KCA $SIA $SCA" = "$1 $2 $3 $4" ]; }
# pfs KAGID_GROUP CHARON_GROUP: both sides say the CHILD_SA was made with a
# DH exchange in that group (each names it its own way)
pfs() { [[ "$KCA" == */"$1"/* && "$SCA" == */"$2" ]]; }
# natted: kagid talks to charon's port 4500, saw it "behind a NAT", and
# UDP-encapsulates the CHILD_SA
natted() { [ "$KNAT" = "192.0.2.2[4500] true true" ]; }

# --- checks shared by the cases ------------------------------------------------
# established TAG KAGID_IKE KAGID_CHILD CHARON_IKE CHARON_CHILD
established() {
  check "$1: one IKE_SA on each side, same SPIs" within 10 synced_ike
  check "$1: one CHILD_SA on each side, SPIs crossed, two SAs in kagid's backend" within 5 synced_child
  check "$1: algorithms: kagid $2 + $3, charon $4 + $5" algs "$2" "$3" "$4" "$5"
  check "$1: IKE floated to 4500 (charon claims a NAT), the CHILD_SA is UDP-encapsulated" natted
}
# rekey_child TAG kagid|charon [KAGID_GROUP CHARON_GROUP]: that side rekeys
# the CHILD_SA, with PFS in that DH group when one is given.
rekey_child() {
  local old
  snap; old=$KC
  if [ "$2" = kagid ]; then ctl rekey child "${old%% *}" >/dev/null; else sw --rekey --child tun >/dev/null; fi
  check "$1: CHILD_SA rekey by $2: new SPIs on both sides, the old ones gone" within 8 replaced child "$old"
  [ -z "${3:-}" ] || check "$1: ... with PFS: both sides report $3 for the new CHILD_SA" pfs "$3" "$4"
}
# rekey_ike TAG kagid|charon: that side rekeys the IKE_SA.
rekey_ike() {
  local old
  snap; old=$KI
  if [ "$2" = kagid ]; then ctl rekey swan >/dev/null; else sw --rekey --ike kagi >/dev/null; fi
  check "$1: IKE_SA rekey by $2: new IKE SPIs on both sides, the old IKE_SA gone" within 8 replaced ike "$old"
  check "$1: ... the CHILD_SA moved to the new IKE_SA on both sides" within 5 synced_child
}
# deletes TAG kagid|charon: that side deletes the CHILD_SA, then the IKE_SA.
deletes() {
  local ike
  snap; ike=$KI
  if [ "$2" = kagid ]; then ctl terminate child "${KC%% *}" >/dev/null
  else sw --terminate --child tun >/dev/null; fi
  check "$1: CHILD_SA deleted by $2: gone from both sides" within 5 no_child
  check "$1: ... the IKE_SA stays up on both sides" eval "synced_ike && [ \"\$KI\" = '$ike' ]"
  if [ "$2" = kagid ]; then ctl terminate swan >/dev/null; else sw --terminate --ike kagi >/dev/null; fi
  check "$1: IKE_SA deleted by $2: nothing left on either side" within 5 nothing
}

# --- the wire ----------------------------------------------------------------
# kagid writes its IKE_SA keys to $d/ws/ikev2_decryption_table (--keylog),
# so tshark, pointed at $d/ws, opens the SK payloads of the capture: what
# charon sent is read with the keys kagid derived.
# expect CASE N REGEXP DESCRIPTION: the Nth IKE_SA_INIT message of CASE as
# sa_init prints it (N = any: some message of CASE as msgs prints it) must
# match REGEXP; checked at the end, once tshark is done.
wire_expect=()
expect() { wire_expect+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"); }
# sa_init CASE: one line per IKE_SA_INIT message in tshark's dissection:
#   req|resp tf=TRANSFORMS ke=GROUP notify=NOTIFIES
# TRANSFORMS sorted, key lengths appended (ENCR_AES_CBC_128); NOTIFIES in
# order, INVALID_KE_PAYLOAD with the group it asks for in brackets.
sa_init() {
  awk '
    function flush(  i, j, v, s) {
      for (i = 2; i <= m; i++) { v = tf[i]; for (j = i - 1; j >= 1 && tf[j] > v; j--) tf[j + 1] = tf[j]; tf[j + 1] = v }
      for (i = 1; i <= m; i++) s = s (i > 1 ? "," : "") tf[i]
      if (init) print dir, "tf=" s, "ke=" ke, "notify=" nt
      init = 0; dir = ""; ke = ""; nt = ""; m = 0 }
    function name(v) { sub(/^[^:]*: /, "", v); sub(/ \([0-9]+\)$/, "", v); gsub(/ /, "_", v); return v }
    /^Frame [0-9]+:/ { flush() }
    /^    Exchange type: IKE_SA_INIT/ { init = 1 }
    /= Response: Request/ { dir = "req" } /= Response: Response/ { dir = "resp" }
    /Transform ID \(/ { tf[++m] = name($0) }
    /Transform Attribute .*Key Length: / { tf[m] = tf[m] "_" $NF }
    /DH Group #: / { ke = name($0) }
    /Notify Message Type: / { nt = nt (nt == "" ? "" : ",") name($0) }
    /Accepted DH group number: / { nt = nt "[" name($0) "]" }
    END { flush() }' "$d/$1.txt"
}
# msgs CASE: one line per IKE message of the dissection, SK payloads opened:
#   kagid|charon EXCHANGE req|resp PAYLOADS
# e.g. "kagid CREATE_CHILD_SA req N(REKEY_SA),SA,No,KE,TSi,TSr", "charon
# INFORMATIONAL resp D(ESP)"; an empty INFORMATIONAL ends in a space.
msgs() {
  awk -v me="$me" '
    BEGIN {
      short["Security Association"] = "SA"; short["Key Exchange"] = "KE"; short["Nonce"] = "No"
      short["Traffic Selector - Initiator"] = "TSi"; short["Traffic Selector - Responder"] = "TSr"
      short["Identification - Initiator"] = "IDi"; short["Identification - Responder"] = "IDr"
      short["Authentication"] = "AUTH"
    }
    function flush() { if (ex != "") print who, ex, dir, pl; ex = ""; pl = ""; del = 0 }
    function add(p) { pl = pl (pl == "" ? "" : ",") p }
    /^Frame [0-9]+:/ { flush() }
    /^Internet Protocol Version [46], Src: / { who = ($0 ~ ("Src: " me ",")) ? "kagid" : "charon" }
    /^    Exchange type: / { ex = $3 }
    /= Response: Request/ { dir = "req" } /= Response: Response/ { dir = "resp" }
    /^(    |                )Payload: / {
      p = $0; sub(/^ *Payload: /, "", p)
      if (p ~ /^Encrypted and Authenticated/) next
      if (p ~ /^Notify/) { sub(/^[^-]*- /, "", p); add("N(" p ")"); next }
      sub(/ \([0-9]+\).*$/, "", p)
      if (p == "Delete") { del = 1; next }
      add(p in short ? short[p] : p)
    }
    del && /Protocol ID: / { add("D(" $3 ")"); del = 0 }
    END { flush() }' "$d/$1.txt"
}
# opened CASE: every SK payload of CASE was decrypted, with a correct ICV
# where the cipher is not AEAD (tshark marks a wrong one [incorrect])
opened() {
  local f=$d/$1.txt sk
  sk=$(grep -c 'Payload: Encrypted and Authenticated' "$f")
  [ "$sk" -ge 2 ] && [ "$(grep -c '    Decrypted Data (' "$f")" = "$sk" ] && ! grep -q '\[incorrect\]' "$f"
}
wire_checks() {
  local e c n re desc got
  split_capture
  for e in "${cases[@]}"; do
    c=${e%% *}
    check "$c: tshark dissects the capture's IKE messages, none malformed" \
      eval "[ \"\$(grep -c '^Frame ' '$d/$c.txt')\" -ge 4 ] && ! grep -qi malformed '$d/$c.txt'"
    check "$c: ... and opens every SK payload with kagid's key log" opened "$c"
  done
  for e in "${wire_expect[@]}"; do
    IFS=$'\t' read -r c n re desc <<<"$e"
    if [ "$n" = any ]; then
      got=$(msgs "$c")
      check "$c: on the wire, $desc" grep -qE -- "$re" <<<"$got"
    else
      got=$(sa_init "$c" | sed -n "${n}p")
      check "$c: on the wire, IKE_SA_INIT message $n $desc" grep -qE -- "$re" <<<"$got"
    fi
    grep -qE -- "$re" <<<"$got" || sed 's/^/# got: /' <<<"$got"
  done
}

# --- base: forced rekeys and deletes from each side ----------------------------
TF_BASE=1536_bit_MODP_group,AUTH_HMAC_SHA1_96,ENCR_AES_CBC_128,PRF_HMAC_SHA1
want base && for role in initiator responder; do
  tag="base-$role"
  profile base
  up "$tag"
  start_as $role
  established "$tag" ENCR_AES_CBC_128/AUTH_HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536 ENCR_AES_CBC_128/AUTH_HMAC_SHA1_96/NO_ESN \
    AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536 AES_CBC-128/HMAC_SHA1_96
  if [ $role = initiator ]; then
    rekey_child "$tag" kagid MODP_1536 MODP_1536; rekey_ike "$tag" charon; deletes "$tag" kagid
  else
    rekey_child "$tag" charon MODP_1536 MODP_1536; rekey_ike "$tag" kagid; deletes "$tag" charon
  fi
  down
  expect "$tag" 1 "^req tf=$TF_BASE ke=1536_bit_MODP_group " "offers $TF_BASE"
  expect "$tag" 2 "^resp tf=$TF_BASE ke=1536_bit_MODP_group " "answers with the same"
  if [ $role = initiator ]; then a=kagid b=charon; else a=charon b=kagid; fi
  expect "$tag" any "^$a IKE_AUTH req IDi,(.*,)?AUTH,(.*,)?SA,TSi,TSr(,|$)" "$a's IKE_AUTH request: IDi, AUTH, SA, TSi, TSr"
  expect "$tag" any "^$b IKE_AUTH resp IDr,AUTH,SA,TSi,TSr$" "$b's IKE_AUTH response: IDr, AUTH, SA, TSi, TSr"
  # the CHILD_SA rekey with PFS (RFC 7296 §1.3.3), the IKE_SA rekey (§1.3.2)
  expect "$tag" any "^$a CREATE_CHILD_SA req N\(REKEY_SA\),SA,No,KE,TSi,TSr$" "$a rekeys the CHILD_SA: N(REKEY_SA), SA, Ni, KEi, TSi, TSr"
  expect "$tag" any "^$b CREATE_CHILD_SA resp SA,No,KE,TSi,TSr$" "$b answers: SA, Nr, KEr, TSi, TSr"
  expect "$tag" any "^$b CREATE_CHILD_SA req SA,No,KE$" "$b rekeys the IKE_SA: SA, Ni, KEi"
  expect "$tag" any "^$a CREATE_CHILD_SA resp SA,No,KE$" "$a answers: SA, Nr, KEr"
  expect "$tag" any "^$a INFORMATIONAL req D\(ESP\)$" "$a deletes a CHILD_SA: D(ESP)"
  expect "$tag" any "^$b INFORMATIONAL resp D\(ESP\)$" "$b answers with its D(ESP)"
  expect "$tag" any "^$a INFORMATIONAL req D\(IKE\)$" "$a deletes the IKE_SA: D(IKE)"
  expect "$tag" any "^$b INFORMATIONAL resp $" "$b answers with an empty INFORMATIONAL"
done

# --- modern: AEAD, SHA-256, Curve25519 ------------------------------------------
# charon needs a GCM implementation: the gcm or openssl plugin, which Debian
# ships in libstrongswan-standard-plugins.
gcm=
for f in gcm openssl; do [ -e "$_swan_plugins/libstrongswan-$f.so" ] && gcm=$f; done
TF_MODERN=AES-GCM_with_a_16_octet_ICV_256,Curve25519,PRF_HMAC_SHA2_256
want modern && for role in initiator responder; do
  tag="modern-$role"
  if [ -z "$gcm" ]; then check "$tag # SKIP charon has no AES-GCM (install libstrongswan-standard-plugins)" true; continue; fi
  profile modern
  up "$tag"
  start_as $role
  established "$tag" ENCR_AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519 ENCR_AES_GCM_16_256/NO_ESN \
    AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519 AES_GCM_16-256
  if [ $role = initiator ]; then a=charon b=kagid; else a=kagid b=charon; fi
  rekey_child "$tag" $a CURVE25519 CURVE_25519
  down
  expect "$tag" 1 "^req tf=$TF_MODERN ke=Curve25519 " "offers $TF_MODERN"
  expect "$tag" 2 "^resp tf=$TF_MODERN ke=Curve25519 " "answers with the same"
  expect "$tag" any "^$a CREATE_CHILD_SA req N\(REKEY_SA\),SA,No,KE,TSi,TSr$" "$a rekeys the CHILD_SA with a KE payload (AES-GCM opened)"
  expect "$tag" any "^$b CREATE_CHILD_SA resp SA,No,KE,TSi,TSr$" "$b answers with its KE payload"
done

# --- ke: INVALID_KE_PAYLOAD, then a retry with the group asked for --------------
TF_KE=2048_bit_MODP_group,AUTH_HMAC_SHA2_256_128,ENCR_AES_CBC_128,PRF_HMAC_SHA2_256
want ke && for role in initiator responder; do
  tag="ke-$role"
  profile base
  K_PFS=off K_PRF="hmac_sha2_256;" K_INTEG="hmac_sha2_256;" K_ESP_INTEG="hmac_sha2_256;" S_ESP=aes128-sha256
  if [ $role = initiator ]; then
    # kagid sends a Curve25519 share; charon takes only kagid's second group
    K_DH="curve25519; modp2048;" S_IKE=aes128-sha256-modp2048
  else
    # charon sends a Curve25519 share; kagid takes only charon's second group
    K_DH="modp2048;" S_IKE=aes128-sha256-x25519-modp2048
  fi
  up "$tag"
  start_as $role
  established "$tag" ENCR_AES_CBC_128/AUTH_HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 \
    ENCR_AES_CBC_128/AUTH_HMAC_SHA2_256_128/NO_ESN AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 \
    AES_CBC-128/HMAC_SHA2_256_128
  down
  expect "$tag" 1 "^req .* ke=Curve25519 " "carries a Curve25519 share"
  expect "$tag" 2 "^resp tf= ke= notify=INVALID_KE_PAYLOAD\\[2048_bit_MODP_group\\]$" "is INVALID_KE_PAYLOAD asking for MODP-2048"
  expect "$tag" 3 "^req .* ke=2048_bit_MODP_group " "retries with a MODP-2048 share"
  expect "$tag" 4 "^resp tf=$TF_KE ke=2048_bit_MODP_group " "accepts it"
done

# --- cookie: the responder asks for a COOKIE, the initiator comes back with it --
# charon asks for cookies once cookie_threshold responder IKE_SAs are half
# open. half_open makes one: an IKE_SA_INIT (AES-CBC-128, SHA1, MODP-1536)
# from port 40500 of kagid's host, never followed by IKE_AUTH. It returns
# once charon has answered.
half_open() {
  ip netns exec "$p-a" python3 - "$me" "$peer" <<'PY'
import os, socket, struct, sys
def payload(nxt, body):
    return struct.pack('!BBH', nxt, 0, 4 + len(body)) + body
def transform(last, kind, tid, attrs=b''):
    return struct.pack('!BBHBBH', 0 if last else 3, 0, 8 + len(attrs), kind, 0, tid) + attrs
tfs = (transform(False, 1, 12, struct.pack('!HH', 0x800e, 128)) + transform(False, 2, 2)
       + transform(False, 3, 2) + transform(True, 4, 5))
proposal = struct.pack('!BBHBBBB', 0, 0, 8 + len(tfs), 1, 1, 0, 4) + tfs
body = payload(34, proposal) + payload(40, struct.pack('!HH', 5, 0) + os.urandom(192)) + payload(0, os.urandom(32))
header = os.urandom(8) + bytes(8) + struct.pack('!BBBBII', 33, 0x20, 34, 0x08, 0, 28 + len(body))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 40500))
s.settimeout(5)
s.sendto(header + body, (sys.argv[2], 500))
s.recv(4096)
PY
}

want cookie && for role in initiator responder; do
  tag="cookie-$role"
  profile base
  if [ $role = initiator ]; then
    if ! command -v python3 >/dev/null; then check "$tag # SKIP python3 (for half_open) is not installed" true; continue; fi
    up "$tag" "cookie_threshold = 1"
    check "$tag: a stranger's IKE_SA_INIT leaves one IKE_SA half open in charon" half_open
  else
    K_COOKIE=on up "$tag"
  fi
  start_as $role
  established "$tag" ENCR_AES_CBC_128/AUTH_HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536 ENCR_AES_CBC_128/AUTH_HMAC_SHA1_96/NO_ESN \
    AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536 AES_CBC-128/HMAC_SHA1_96
  down
  expect "$tag" 1 "^req tf=$TF_BASE ke=1536_bit_MODP_group notify=NAT_DETECTION_SOURCE_IP" "has no COOKIE"
  expect "$tag" 2 "^resp tf= ke= notify=COOKIE$" "asks for a COOKIE (and nothing else)"
  expect "$tag" 3 "^req tf=$TF_BASE ke=1536_bit_MODP_group notify=COOKIE,NAT_DETECTION_SOURCE_IP" "repeats the request with the COOKIE first"
  expect "$tag" 4 "^resp tf=$TF_BASE ke=1536_bit_MODP_group " "accepts it"
done

# --- life: rekeys started by lifetimes, short on one side only ------------------
# life-kagid: charon rekeys the IKE_SA after 6-8 s (rekey_time 8 s; seen:
# 8 s for an IKE_SA, 6 s for a CHILD_SA), then kagid the CHILD_SA after
# 9.35-9.9 s (90% of an 11 s lifetime less up to 5%) under the new IKE_SA,
# well before charon's next rekey (12-16 s). life-charon: charon rekeys the
# CHILD_SA, kagid the IKE_SA, at the same times. The other side's lifetimes
# stay at an hour or more. Apart, the rekeys cannot collide: a collision is
# legal, but the loser retries 5-15 s later (RFC 7296 §2.25), too late here.
want life && for tag in life-kagid life-charon; do
  profile base
  if [ $tag = life-kagid ]; then K_CHILD_LIFE="11 sec" S_IKE_REKEY=8; else K_IKE_LIFE="11 sec" S_CHILD_REKEY=8; fi
  up "$tag"
  if [ $tag = life-kagid ]; then start_as initiator; else start_as responder; fi
  check "$tag: IKE_SA and CHILD_SA up on both sides" within 10 eval "synced_ike && synced_child"
  ike0=$KI child0=$KC
  if [ $tag = life-kagid ]; then
    check "$tag: charon rekeys the IKE_SA on its own (8 s): new IKE SPIs on both sides, the old gone" within 12 replaced ike "$ike0"
    check "$tag: ... the CHILD_SA moved over" within 5 synced_child
    check "$tag: kagid rekeys the CHILD_SA on its own (11 s): new SPIs on both sides, the old gone" within 10 replaced child "$child0"
    check "$tag: ... with PFS (MODP_1536 on both sides)" pfs MODP_1536 MODP_1536
  else
    check "$tag: charon rekeys the CHILD_SA on its own (8 s): new SPIs on both sides, the old gone" within 12 replaced child "$child0"
    check "$tag: ... with PFS (MODP_1536 on both sides)" pfs MODP_1536 MODP_1536
    check "$tag: kagid rekeys the IKE_SA on its own (11 s): new IKE SPIs on both sides, the old gone" within 10 replaced ike "$ike0"
    # charon's next CHILD_SA rekey may be under way: let it finish
    check "$tag: ... the CHILD_SA moved over" within 5 synced_child
  fi
  down
  # who started which exchange, on the wire
  if [ $tag = life-kagid ]; then a=charon b=kagid; else a=kagid b=charon; fi
  expect "$tag" any "^$a CREATE_CHILD_SA req SA,No,KE$" "the IKE_SA rekey comes from $a"
  expect "$tag" any "^$b CREATE_CHILD_SA req N\(REKEY_SA\),SA,No,KE,TSi,TSr$" "the CHILD_SA rekey comes from $b, with PFS"
done

echo "# $((SECONDS - t0)) s before the wire checks"
wire_checks
echo "# $((SECONDS - t0)) s"
