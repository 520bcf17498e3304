// daemon/config/resolve_spd.cc — `selector`, `policy`, `ipsec`, `sa` and
// `addresspool` blocks (racoon2 cfparse.y selector_spec .. addr_range).
#include <algorithm>
#include <array>

#include "core/net/selector.h"
#include "daemon/config/resolve_ctx.h"
#include "daemon/config/values.h"

namespace kagid::config::detail {
namespace {

using T = TransformType;
using U = AlgorithmUse;

constexpr unsigned kSelectorAddr = kLiteral | kPrefix | kMyMacros | kIpAny | kIpRw | kPort;

// upper_layer_protocol PROTO [N [N]]: for ICMP/ICMPv6 the type and code, for
// the Mobility Header (135) the MH type (racoon2 rcf_fix_upper_layer_protocol).
void upper_layer_protocol(Ctx& c, const Statement& s, Selector& sel) {
  auto a = Ctx::args(s);
  if (!c.no_block(s)) return;
  if (a.empty()) return c.diag.error(s.loc(), "'upper_layer_protocol' needs a protocol");
  auto name = c.value(a[0]);
  if (!name) return;
  auto proto = core::net::parse_protocol(*name);
  if (!proto) return c.diag.error(a[0].loc, "unknown protocol '{}'", *name);
  bool icmp = *proto == core::net::proto::kIcmp || *proto == core::net::proto::kIcmpv6;
  bool mh = *proto == core::net::proto::kMh;
  std::size_t max_extra = icmp ? 2 : mh ? 1 : 0;
  if (a.size() - 1 > max_extra) {
    if (max_extra == 0)
      return c.diag.error(a[1].loc, "upper_layer_protocol {} takes no type (ports go on src/dst)", *name);
    return c.extra(s, a[1 + max_extra]);
  }
  std::array<std::optional<std::uint8_t>, 2> nums;
  for (std::size_t i = 1; i < a.size(); ++i) {
    auto v = c.value(a[i]);
    if (!v) return;
    auto n = parse_number(*v, 255);
    if (!n) return c.diag.error(a[i].loc, "bad {} '{}' (0-255)", mh ? "MH type" : i == 1 ? "ICMP type" : "ICMP code", *v);
    nums[i - 1] = static_cast<std::uint8_t>(*n);
  }
  sel.upper_layer_protocol = *proto;
  sel.icmp_type = icmp ? nums[0] : std::nullopt;
  sel.icmp_code = icmp ? nums[1] : std::nullopt;
  sel.mh_type = mh ? nums[0] : std::nullopt;
}

const auto kSelector = std::to_array<Directive<Selector>>({
    {"direction", [](Ctx& c, const Statement& s, Selector& sel) {
       if (auto i = c.keyword(s, {"outbound", "inbound"})) sel.direction = static_cast<Direction>(*i);
     }},
    {"src", [](Ctx& c, const Statement& s, Selector& sel) { set_addresses<&Selector::src>(c, s, sel, kSelectorAddr); }},
    {"dst", [](Ctx& c, const Statement& s, Selector& sel) { set_addresses<&Selector::dst>(c, s, sel, kSelectorAddr); }},
    {"upper_layer_protocol", upper_layer_protocol},
    {"policy_index", [](Ctx& c, const Statement& s, Selector& sel) {
       if (auto r = c.ref(s)) sel.policy_index = *r;
     }},
    {"reqid", [](Ctx& c, const Statement& s, Selector& sel) {
       if (auto n = c.number(s, 1, UINT32_MAX)) sel.reqid = static_cast<std::uint32_t>(*n);
     }},
});

void action(Ctx& c, const Statement& s, Policy& p) {
  auto v = c.single(s);
  if (!v) return;
  if (*v == "auto_ipsec") {
    p.action = Action::AutoIpsec;
  } else if (*v == "discard") {
    p.action = Action::Discard;
  } else if (*v == "none" || *v == "bypass") {
    p.action = Action::Bypass;
  } else if (c.supported_value("policy", s, *v, Ctx::args(s)[0].loc)) {
    c.diag.error(Ctx::args(s)[0].loc, "bad value '{}' for 'action' (auto_ipsec, discard or none)", *v);
  }
}

template <auto M>
void sa_address(Ctx& c, const Statement& s, Policy& p, unsigned allow) {
  auto els = c.elements(s);
  if (!els) return;
  if (els->size() != 1) return c.diag.error(s.loc(), "'{}' takes one address", s.head().text);
  if (auto a = c.address(els->front(), allow, s.head().text)) p.*M = *a;
}

const auto kPolicy = std::to_array<Directive<Policy>>({
    {"action", action},
    {"install", set_bool<&Policy::install>},
    {"remote_index", [](Ctx& c, const Statement& s, Policy& p) {
       if (auto r = c.ref(s)) p.remote_index = *r;
     }},
    {"ipsec_index", [](Ctx& c, const Statement& s, Policy& p) {
       if (auto r = c.refs(s)) p.ipsec_index = std::move(*r);
     }},
    {"ipsec_mode", [](Ctx& c, const Statement& s, Policy& p) {
       if (auto i = c.keyword(s, {"transport", "tunnel"})) p.ipsec_mode = static_cast<IpsecMode>(*i);
     }},
    {"my_sa_ipaddr", [](Ctx& c, const Statement& s, Policy& p) {
       sa_address<&Policy::my_sa_ipaddr>(c, s, p, kLiteral | kMyMacros);
     }},
    {"peers_sa_ipaddr", [](Ctx& c, const Statement& s, Policy& p) {
       sa_address<&Policy::peers_sa_ipaddr>(c, s, p, kLiteral | kIpRw);
     }},
    {"ipsec_level", [](Ctx& c, const Statement& s, Policy& p) {
       if (auto i = c.keyword(s, {"require", "unique", "use"})) p.ipsec_level = static_cast<IpsecLevel>(*i);
     }},
});

const auto kIpsec = std::to_array<Directive<Ipsec>>({
    {"ipsec_sa_lifetime_time", set_duration<&Ipsec::ipsec_sa_lifetime_time>},
    {"ipsec_sa_lifetime_byte", set_bytes<&Ipsec::ipsec_sa_lifetime_byte>},
    {"ext_sequence", set_bool<&Ipsec::ext_sequence>},
    {"sa_index", [](Ctx& c, const Statement& s, Ipsec& i) {
       if (auto r = c.refs(s)) i.sa_index = std::move(*r);
     }},
});

const auto kSa = std::to_array<Directive<Sa>>({
    {"sa_protocol", [](Ctx& c, const Statement& s, Sa& sa) {
       auto v = c.single(s);
       if (!v) return;
       if (*v == "esp") {
         sa.sa_protocol = SaProtocol::Esp;
       } else if (*v == "ah") {
         sa.sa_protocol = SaProtocol::Ah;
       } else if (c.supported_value("sa", s, *v, Ctx::args(s)[0].loc)) {
         c.diag.error(Ctx::args(s)[0].loc, "bad value '{}' for 'sa_protocol' (esp or ah)", *v);
       }
     }},
    {"esp_enc_alg", set_algorithms<&Sa::esp_enc_alg, T::Encr, U::Esp>},
    {"esp_auth_alg", set_algorithms<&Sa::esp_auth_alg, T::Integ, U::Esp>},
    {"ah_auth_alg", set_algorithms<&Sa::ah_auth_alg, T::Integ, U::Ah>},
});

// pool_range reads "A - B", "A-B" or "addr/len" (the last two are kagi's).
std::optional<core::net::Range> pool_range(Ctx& c, const Statement& e) {
  std::vector<std::string> parts;
  for (const auto& t : e.items) {
    auto v = c.value(t);
    if (!v) return std::nullopt;
    parts.push_back(*v);
  }
  if (parts.size() == 1 && parts[0].find('/') == std::string::npos) {
    auto dash = parts[0].find('-');
    if (dash != std::string::npos) parts = {parts[0].substr(0, dash), "-", parts[0].substr(dash + 1)};
  }
  if (parts.size() == 1) {
    auto p = core::net::Prefix::parse(parts[0]);
    if (!p) {
      c.diag.error(e.loc(), "bad address range '{}' (A - B or addr/len)", parts[0]);
      return std::nullopt;
    }
    return p->to_range();
  }
  if (parts.size() != 3 || parts[1] != "-") {
    c.diag.error(e.loc(), "an address range is 'START - END'");
    return std::nullopt;
  }
  auto a = core::net::Address::parse(parts[0]);
  auto b = core::net::Address::parse(parts[2]);
  if (!a || !b) {
    c.diag.error(e.loc(), "bad address in range '{} - {}'", parts[0], parts[2]);
    return std::nullopt;
  }
  if (a->family() != b->family() || *b < *a) {
    c.diag.error(e.loc(), "range '{} - {}' mixes families or ends before it starts", parts[0], parts[2]);
    return std::nullopt;
  }
  return core::net::Range{*a, *b};
}

}  // namespace

Sa builtin_sa() {
  Sa s;
  s.esp_enc_alg = builtin_algorithms(T::Encr, U::Esp, {"aes256_cbc", "aes128_cbc"});
  s.esp_auth_alg = builtin_algorithms(T::Integ, U::Esp, {"hmac_sha2_256", "hmac_sha1"});
  s.ah_auth_alg = builtin_algorithms(T::Integ, U::Ah, {"hmac_sha2_256", "hmac_sha1"});
  return s;
}

Seen apply_selector(Ctx& c, const std::vector<Statement>& body, Selector& sel) {
  return apply_block(c, "selector", body, [&](const Statement& s) { return dispatch(c, kSelector, s, sel); });
}

Seen apply_policy(Ctx& c, const std::vector<Statement>& body, Policy& p) {
  return apply_block(c, "policy", body, [&](const Statement& s) { return dispatch(c, kPolicy, s, p); });
}

Seen apply_ipsec(Ctx& c, const std::vector<Statement>& body, Ipsec& i) {
  return apply_block(c, "ipsec", body, [&](const Statement& s) { return dispatch(c, kIpsec, s, i); });
}

Seen apply_sa(Ctx& c, const std::vector<Statement>& body, Sa& sa) {
  return apply_block(c, "sa", body, [&](const Statement& s) { return dispatch(c, kSa, s, sa); });
}

void apply_addresspool(Ctx& c, const std::vector<Statement>& body, AddressPool& p) {
  for (const auto& e : body) {
    if (e.has_block) {
      c.diag.error(e.block_loc, "no {{ }} block allowed in an addresspool");
      continue;
    }
    if (auto r = pool_range(c, e)) p.ranges.push_back(*r);
  }
  if (body.empty()) c.diag.error(p.loc, "addresspool '{}' has no range", p.name);
}

void finalize_selector(Ctx& c, const Selector& s, const Seen& seen) {
  for (const char* need : {"direction", "src", "dst", "policy_index"})
    if (!seen.count(need)) c.diag.error(s.loc, "selector '{}' has no '{}'", s.name, need);
  std::optional<core::net::Family> family;
  bool ports = false;
  for (const auto* list : {&s.src, &s.dst}) {
    for (const auto& a : *list) {
      ports = ports || a.port.has_value();
      if (a.kind != AddressSpec::Kind::Literal) continue;
      if (family && *family != a.prefix.family())
        c.diag.error(a.loc, "selector '{}' mixes IPv4 and IPv6 addresses", s.name);
      family = a.prefix.family();
    }
  }
  auto p = s.upper_layer_protocol;
  bool port_proto = p == core::net::proto::kTcp || p == core::net::proto::kUdp || p == core::net::proto::kSctp;
  if (ports && !port_proto)
    c.diag.error(s.loc, "selector '{}' has ports but upper_layer_protocol is not tcp, udp or sctp", s.name);
}

void finalize_policy(Ctx& c, const Policy& p) {
  if (p.action == Action::AutoIpsec) {
    if (!p.remote_index) c.diag.error(p.loc, "policy '{}' (auto_ipsec) has no remote_index", p.name);
    if (p.ipsec_index.empty()) c.diag.error(p.loc, "policy '{}' (auto_ipsec) has no ipsec_index", p.name);
  }
  if (p.action == Action::AutoIpsec && p.ipsec_mode == IpsecMode::Tunnel && !p.peers_sa_ipaddr)
    c.diag.error(p.loc, "policy '{}' is tunnel mode but has no peers_sa_ipaddr", p.name);
}

void finalize_ipsec(Ctx& c, const Ipsec& i) {
  if (i.sa_index.empty()) c.diag.error(i.loc, "ipsec '{}' has no sa_index", i.name);
  if (i.sa_index.size() > 2) c.diag.error(i.loc, "ipsec '{}' bundles more than one AH and one ESP sa", i.name);
}

void finalize_sa(Ctx& c, const Sa& s) {
  if (s.sa_protocol == SaProtocol::Ah && s.ah_auth_alg.empty())
    c.diag.error(s.loc, "sa '{}' (ah) has no ah_auth_alg", s.name);
  if (s.sa_protocol != SaProtocol::Esp) return;
  if (s.esp_enc_alg.empty()) c.diag.error(s.loc, "sa '{}' (esp) has no esp_enc_alg", s.name);
  bool all_aead = std::all_of(s.esp_enc_alg.begin(), s.esp_enc_alg.end(), [](const Algorithm& a) { return a.aead; });
  bool real_auth = std::any_of(s.esp_auth_alg.begin(), s.esp_auth_alg.end(), [](const Algorithm& a) { return a.id != 0; });
  if (!all_aead && !real_auth)
    c.diag.error(s.loc, "sa '{}' has a non-AEAD cipher but no esp_auth_alg other than non_auth", s.name);
}

}  // namespace kagid::config::detail
