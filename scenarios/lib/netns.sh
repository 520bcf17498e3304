# scenarios/lib/netns.sh — test hosts in network namespaces, sourced by scenarios.
# Documentation address ranges only; everything is removed by netns_down.
#
#   netns_up PREFIX pair     PREFIX-a [va]---[vb] PREFIX-b
#       a: 192.0.2.1/24 2001:db8:1::1/64    b: 192.0.2.2/24 2001:db8:1::2/64
#       inner (on lo): a 198.51.100.1/32 2001:db8:a::1/128, b 203.0.113.1/32 2001:db8:b::1/128
#   netns_up PREFIX router   PREFIX-a [va]--[ra] PREFIX-r [rb]--[vb] PREFIX-b
#       a: 192.0.2.1/24 2001:db8:1::1/64 (default via r)   b: 198.51.100.2/24 2001:db8:2::2/64
#       r: 192.0.2.254 2001:db8:1::fe | 198.51.100.254 2001:db8:2::fe, forwarding
#       inner (on lo): a 203.0.113.1/32 2001:db8:a::1/128, b 203.0.113.2/32 2001:db8:b::1/128
#   netns_down PREFIX        idempotent; safe in an EXIT trap
# IPv6 addresses are added without DAD; netns_up returns once every veth is UP
# (a packet sent in the first milliseconds after 'link set up' is lost).
# PREFIX must be at most 11 characters (interface names are at most 15).

_ns() { ip netns add "$1-$2"; ip netns exec "$1-$2" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0; ip -n "$1-$2" link set lo up; }
_link() { ip link add "$1-$3" netns "$1-$2" type veth peer name "$1-$5" netns "$1-$4"; }
_addr() { ip -n "$1-$2" addr add "$4" dev "$1-$3"; ip -n "$1-$2" addr add "$5" dev "$1-$3" nodad; ip -n "$1-$2" link set "$1-$3" up; }
_ready() { # _ready PREFIX NS...: wait until every veth is operationally UP (3 s)
  local p=$1 i n down; shift
  for i in $(seq 150); do
    down=0
    for n in "$@"; do ip -n "$p-$n" -o link show type veth | grep -qv "state UP" && down=1; done
    [ $down = 0 ] && return 0; sleep 0.02
  done
  echo "netns: links of $p not up" >&2; return 1
}

netns_down() { local s; for s in a b r c m h; do ip netns del "$1-$s" 2>/dev/null || true; done; }

netns_up() {
  local p=$1 topo=${2:-pair}
  netns_down "$p"
  case $topo in
  pair)
    _ns "$p" a; _ns "$p" b; _link "$p" a va b vb
    _addr "$p" a va 192.0.2.1/24 2001:db8:1::1/64; _addr "$p" b vb 192.0.2.2/24 2001:db8:1::2/64
    ip -n "$p-a" addr add 198.51.100.1/32 dev lo; ip -n "$p-a" addr add 2001:db8:a::1/128 dev lo
    ip -n "$p-b" addr add 203.0.113.1/32 dev lo;  ip -n "$p-b" addr add 2001:db8:b::1/128 dev lo
    _ready "$p" a b ;;
  router)
    _ns "$p" a; _ns "$p" r; _ns "$p" b; _link "$p" a va r ra; _link "$p" b vb r rb
    _addr "$p" a va 192.0.2.1/24 2001:db8:1::1/64;    _addr "$p" r ra 192.0.2.254/24 2001:db8:1::fe/64
    _addr "$p" b vb 198.51.100.2/24 2001:db8:2::2/64; _addr "$p" r rb 198.51.100.254/24 2001:db8:2::fe/64
    ip netns exec "$p-r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    ip -n "$p-a" route add default via 192.0.2.254; ip -n "$p-a" -6 route add default via 2001:db8:1::fe
    ip -n "$p-b" route add default via 198.51.100.254; ip -n "$p-b" -6 route add default via 2001:db8:2::fe
    ip -n "$p-a" addr add 203.0.113.1/32 dev lo; ip -n "$p-a" addr add 2001:db8:a::1/128 dev lo
    ip -n "$p-b" addr add 203.0.113.2/32 dev lo; ip -n "$p-b" addr add 2001:db8:b::1/128 dev lo
    _ready "$p" a r b ;;
  *) echo "netns_up: unknown topology $topo" >&2; return 2 ;;
  esac
}
