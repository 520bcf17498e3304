// daemon/config/resolve_remote.cc — `remote` blocks and their ikev2 / kink
// (and ignored ikev1) sub-blocks (racoon2 cfparse.y remote_spec,
// kmp_common_spec, ikev2_spec, kink_spec).
#include <algorithm>
#include <array>

#include "daemon/config/resolve_ctx.h"
#include "daemon/config/values.h"

namespace kagid::config::detail {
namespace {

using T = TransformType;
using U = AlgorithmUse;

constexpr unsigned kPeerAddr = kLiteral | kFqdn | kIpRw | kPort;

template <auto M>
void peers_ipaddr(Ctx& c, const Statement& s, owner_t<M>& k) {
  if (auto v = c.addresses(s, kPeerAddr)) {
    for (const auto& a : *v)
      if (a.is_macro(AddressMacro::IpRw) && v->size() > 1)
        c.diag.error(a.loc, "IP_RW must be the only entry of peers_ipaddr");
    k.*M = std::move(*v);
  }
}

void peers_kmp_port(Ctx& c, const Statement& s, KmpCommon& k) {
  if (auto v = c.single(s)) {
    auto p = parse_port(*v);
    if (p)
      k.peers_kmp_port = *p;
    else
      c.diag.add_error(Ctx::args(s)[0].loc, p.error().detail);
  }
}

// identities reads L(IDTYPE [file|tag] VALUE) (racoon2 id_spec).
template <auto M>
void identities(Ctx& c, const Statement& s, owner_t<M>& k) {
  auto els = c.elements(s);
  if (!els) return;
  std::vector<Identity> out;
  for (auto el : *els) {
    static constexpr std::array<std::string_view, 5> kTypes = {"ipaddr", "email", "fqdn", "keyid",
                                                               "x509_subject"};
    Identity id;
    auto type = c.value(el[0]);
    if (!type) return;
    std::size_t t = 0;
    while (t < kTypes.size() && kTypes[t] != *type) ++t;
    if (t == kTypes.size()) {
      c.diag.error(el[0].loc, "bad identity type '{}' (ipaddr, email, fqdn, keyid, x509_subject)", *type);
      return;
    }
    id.type = static_cast<IdType>(t);
    std::size_t i = 1;
    if (el.size() == 3 && (el[1].is_word("file") || el[1].is_word("tag"))) {
      id.qualifier = el[1].is_word("file") ? IdQualifier::File : IdQualifier::Tag;
      i = 2;
    }
    if (el.size() != i + 1) {
      c.diag.error(el[0].loc, "'{}' expects: {} [file|tag] VALUE", s.head().text, *type);
      return;
    }
    auto v = c.value(el[i]);
    if (!v) return;
    if (id.type == IdType::IpAddr && id.qualifier == IdQualifier::None) {
      auto a = parse_address(*v);
      if (!a || a->kind != AddressSpec::Kind::Literal || a->has_length) {
        c.diag.error(el[i].loc, "ipaddr identity '{}' is not an IP address", *v);
        return;
      }
    }
    id.value = *v;
    id.loc = el[0].loc;
    out.push_back(std::move(id));
  }
  k.*M = std::move(out);
}

void auth_methods(Ctx& c, const Statement& s, KmpCommon& k) {
  auto els = c.elements(s);
  if (!els) return;
  std::vector<AuthMethod> out;
  for (auto el : *els) {
    auto v = c.value(el[0]);
    if (!v) return;
    if (el.size() > 1) return c.extra(s, el[1]);
    if (*v == "psk") {
      out.push_back(AuthMethod::Psk);
    } else if (c.supported_value("ikev2", s, *v, el[0].loc)) {
      c.diag.error(el[0].loc, "unknown kmp_auth_method '{}' (psk)", *v);
      return;
    } else {
      return;
    }
  }
  k.kmp_auth_method = std::move(out);
}

void scripts(Ctx& c, const Statement& s, KmpCommon& k) {
  static constexpr std::array<std::pair<std::string_view, ScriptHook>, 13> kHooks = {{
      {"phase1_up", ScriptHook::Phase1Up},       {"phase1_down", ScriptHook::Phase1Down},
      {"phase1_rekey", ScriptHook::Phase1Rekey}, {"phase2_up", ScriptHook::Phase2Up},
      {"phase2_down", ScriptHook::Phase2Down},   {"phase2_rekey", ScriptHook::Phase2Rekey},
      {"ike_sa_up", ScriptHook::Phase1Up},       {"ike_sa_down", ScriptHook::Phase1Down},
      {"ike_sa_rekey", ScriptHook::Phase1Rekey}, {"child_up", ScriptHook::Phase2Up},
      {"child_down", ScriptHook::Phase2Down},    {"child_rekey", ScriptHook::Phase2Rekey},
      {"migration", ScriptHook::Migration},
  }};
  auto els = c.elements(s);
  if (!els) return;
  std::map<ScriptHook, std::string> out;
  for (auto el : *els) {
    auto hook = c.value(el[0]);
    if (!hook) return;
    const auto* h = std::find_if(kHooks.begin(), kHooks.end(), [&](const auto& p) { return p.first == *hook; });
    if (h == kHooks.end()) {
      c.diag.error(el[0].loc, "unknown script hook '{}' (phase1_up, phase2_down, migration, ...)", *hook);
      return;
    }
    if (el.size() != 2) {
      c.diag.error(el[0].loc, "script entry is: {} \"path\"", *hook);
      return;
    }
    auto path = c.value(el[1]);
    if (!path) return;
    out[h->second] = *path;
  }
  k.script = std::move(out);
}

const auto kCommon = std::to_array<Directive<KmpCommon>>({
    {"logmode", [](Ctx& c, const Statement& s, KmpCommon& k) {
       if (auto i = c.keyword(s, {"normal", "debug"})) k.logmode = static_cast<LogMode>(*i);
     }},
    {"logfile", set_string<&KmpCommon::logfile>},
    {"passive", set_bool<&KmpCommon::passive>},
    {"use_coa", set_bool<&KmpCommon::use_coa>},
    {"peers_ipaddr", peers_ipaddr<&KmpCommon::peers_ipaddr>},
    {"peers_kmp_port", peers_kmp_port},
    {"verify_id", set_bool<&KmpCommon::verify_id>},
    {"nonce_size", set_size<&KmpCommon::nonce_size, 16, 256>},
    {"initial_contact", set_bool<&KmpCommon::initial_contact>},
    {"nat_traversal", set_bool<&KmpCommon::nat_traversal>},
    {"support_proxy", set_bool<&KmpCommon::support_proxy>},
    {"my_id", identities<&KmpCommon::my_id>},
    {"peers_id", identities<&KmpCommon::peers_id>},
    {"selector_check", [](Ctx& c, const Statement& s, KmpCommon& k) {
       if (auto i = c.keyword(s, {"obey", "exact"})) k.selector_check = static_cast<SelectorCheck>(*i);
     }},
    {"proposal_check", [](Ctx& c, const Statement& s, KmpCommon& k) {
       if (auto i = c.keyword(s, {"obey", "strict", "claim", "exact"}))
         k.proposal_check = static_cast<ProposalCheck>(*i);
     }},
    {"random_pad_content", set_bool<&KmpCommon::random_pad_content>},
    {"random_padlen", set_bool<&KmpCommon::random_padlen>},
    {"max_padlen", set_size<&KmpCommon::max_padlen, 0, 255>},
    {"max_retry_to_send", set_u32<&KmpCommon::max_retry_to_send, 0, 100>},
    {"interval_to_send", set_duration<&KmpCommon::interval_to_send>},
    {"times_per_send", set_u32<&KmpCommon::times_per_send, 1, 10>},
    {"kmp_sa_lifetime_time", set_duration<&KmpCommon::kmp_sa_lifetime_time>},
    {"kmp_sa_lifetime_byte", set_bytes<&KmpCommon::kmp_sa_lifetime_byte>},
    {"kmp_sa_nego_time_limit", set_duration<&KmpCommon::kmp_sa_nego_time_limit>},
    {"kmp_sa_grace_period", set_duration<&KmpCommon::kmp_sa_grace_period>},
    {"ipsec_sa_nego_time_limit", set_duration<&KmpCommon::ipsec_sa_nego_time_limit>},
    {"kmp_enc_alg", set_algorithms<&KmpCommon::kmp_enc_alg, T::Encr, U::Ike>},
    {"kmp_hash_alg", set_algorithms<&KmpCommon::kmp_hash_alg, T::Integ, U::Ike>},
    {"kmp_prf_alg", set_algorithms<&KmpCommon::kmp_prf_alg, T::Prf, U::Ike>},
    {"kmp_dh_group", set_algorithms<&KmpCommon::kmp_dh_group, T::Dh, U::Ike>},
    {"kmp_auth_method", auth_methods},
    {"mobility_role", [](Ctx& c, const Statement& s, KmpCommon& k) {
       if (auto i = c.keyword(s, {"agent", "mobile", "correspondent"}))
         k.mobility_role = static_cast<MobilityRole>(*i + 1);
     }},
    {"script", scripts},
});

void request(Ctx& c, const Statement& s, Ikev2Params& p) {
  if (!s.has_block || !Ctx::args(s).empty()) {
    c.diag.error(s.loc(), "'request' takes a {{ }} list (ip4; ip6; dns; ...)");
    return;
  }
  using R = ConfigRequest;
  struct Item {
    std::string_view word;
    bool R::*a;
    bool R::*b;
  };
  static constexpr std::array<Item, 11> kItems = {{
      {"ip4", &R::ip4, &R::ip4},
      {"ip6", &R::ip6, &R::ip6},
      {"ip", &R::ip4, &R::ip6},
      {"ip4_dns", &R::ip4_dns, &R::ip4_dns},
      {"ip6_dns", &R::ip6_dns, &R::ip6_dns},
      {"dns", &R::ip4_dns, &R::ip6_dns},
      {"ip4_dhcp", &R::ip4_dhcp, &R::ip4_dhcp},
      {"ip6_dhcp", &R::ip6_dhcp, &R::ip6_dhcp},
      {"dhcp", &R::ip4_dhcp, &R::ip6_dhcp},
      {"application_version", &R::application_version, &R::application_version},
      {"mip6_home_prefix", &R::mip6_home_prefix, &R::mip6_home_prefix},
  }};
  R r;
  for (const auto& e : s.block) {
    const auto* it = std::find_if(kItems.begin(), kItems.end(), [&](const Item& i) { return e.head().is_word(i.word); });
    if (e.items.size() != 1 || e.has_block || it == kItems.end()) {
      c.diag.error(e.loc(), "bad request item '{}' (ip4, ip6, ip, ip4_dns, ip6_dns, dns, ip4_dhcp, ip6_dhcp, dhcp, "
                   "application_version, mip6_home_prefix)", e.head().text);
      continue;
    }
    r.*(it->a) = true;
    r.*(it->b) = true;
  }
  p.request = r;
}

const auto kProvide = std::to_array<Directive<ConfigProvide>>({
    {"addresspool", [](Ctx& c, const Statement& s, ConfigProvide& p) {
       if (auto r = c.ref(s)) p.addresspool = *r;
     }},
    {"dns", [](Ctx& c, const Statement& s, ConfigProvide& p) { set_addresses<&ConfigProvide::dns>(c, s, p, kLiteral); }},
    {"dhcp", [](Ctx& c, const Statement& s, ConfigProvide& p) { set_addresses<&ConfigProvide::dhcp>(c, s, p, kLiteral); }},
    {"application_version", set_string<&ConfigProvide::application_version>},
    {"mip6_home_prefix", [](Ctx& c, const Statement& s, ConfigProvide& p) {
       auto els = c.elements(s);
       if (!els) return;
       if (els->size() != 1) return c.diag.error(s.loc(), "'mip6_home_prefix' takes one prefix");
       if (auto a = c.address(els->front(), kLiteral | kPrefix, "mip6_home_prefix")) p.mip6_home_prefix = *a;
     }},
});

const auto kIkev2 = std::to_array<Directive<Ikev2Params>>({
    {"cookie_required", set_bool<&Ikev2Params::cookie_required>},
    {"send_peers_id", set_bool<&Ikev2Params::send_peers_id>},
    {"need_pfs", set_bool<&Ikev2Params::need_pfs>},
    {"pre_shared_key", set_string<&Ikev2Params::pre_shared_key>},
    {"dpd_delay", set_duration<&Ikev2Params::dpd_delay>},
    {"request", request},
    {"provide", [](Ctx& c, const Statement& s, Ikev2Params& p) {
       if (!s.has_block || !Ctx::args(s).empty()) {
         c.diag.error(s.loc(), "'provide' takes a {{ }} block");
         return;
       }
       ConfigProvide out;
       apply_block(c, "provide", s.block, [&](const Statement& e) { return dispatch(c, kProvide, e, out); });
       p.provide = std::move(out);
     }},
});

const auto kKink = std::to_array<Directive<KinkParams>>({
    {"my_principal", set_string<&KinkParams::my_principal>},
    {"peers_principal", set_string<&KinkParams::peers_principal>},
});

// kIkev1Only: directives that exist only in racoon2's ikev1 block.
constexpr std::array<std::string_view, 10> kIkev1Only = {
    "exchange_mode", "my_gssapi_id", "need_pfs", "my_public_key", "peers_public_key",
    "pre_shared_key", "dpd", "dpd_delay", "dpd_retry", "dpd_maxfail"};

// ikev1_block checks directive names only: the block is parsed, then ignored.
void ikev1_block(Ctx& c, const Statement& s) {
  for (const auto& e : s.block) {
    const std::string& n = e.head().text;
    bool known = std::find(kIkev1Only.begin(), kIkev1Only.end(), n) != kIkev1Only.end() ||
                 std::any_of(kCommon.begin(), kCommon.end(), [&](const auto& d) { return d.name == n; });
    if (!known) c.diag.error(e.loc(), "unknown directive '{}' in ikev1 block", n);
  }
  c.diag.warn(s.loc(), "ikev1 block ignored: kagi does not speak IKEv1 (deprecated, RFC 9395)");
}

void acceptable_kmp(Ctx& c, const Statement& s, Remote& r) {
  auto els = c.elements(s);
  if (!els) return;
  std::vector<Kmp> out;
  bool v1 = false;
  for (auto el : *els) {
    auto v = c.value(el[0]);
    if (!v) return;
    if (el.size() > 1) return c.extra(s, el[1]);
    if (*v == "ikev2") {
      out.push_back(Kmp::Ikev2);
    } else if (*v == "kink") {
      out.push_back(Kmp::Kink);
    } else if (*v == "ikev1") {
      v1 = true;
    } else {
      c.diag.error(el[0].loc, "unknown key management protocol '{}' (ikev2, kink)", *v);
      return;
    }
  }
  if (v1 && out.empty()) {
    c.diag.error(s.loc(), "ikev1 is the only acceptable_kmp: IKEv1 is not supported (deprecated, RFC 9395); use ikev2");
    return;
  }
  if (v1) c.diag.warn(s.loc(), "ikev1 in acceptable_kmp ignored (IKEv1 is deprecated, RFC 9395)");
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (out[i] == out[j]) c.diag.error(s.loc(), "acceptable_kmp lists a protocol twice");
  r.acceptable_kmp = std::move(out);
}

template <typename P, std::size_t N>
void kmp_block(Ctx& c, const Statement& s, std::optional<P>& params, P (*builtin)(),
               const std::array<Directive<P>, N>& own) {
  if (!s.has_block || !Ctx::args(s).empty()) {
    c.diag.error(s.loc(), "'{}' takes a {{ }} block", s.head().text);
    return;
  }
  if (!params) params = builtin();
  P& p = *params;
  apply_block(c, s.head().text, s.block, [&](const Statement& e) {
    return dispatch(c, own, e, p) || dispatch(c, kCommon, e, static_cast<KmpCommon&>(p));
  });
}

}  // namespace

Ikev2Params builtin_ikev2() {
  Ikev2Params p;
  p.kmp_enc_alg = builtin_algorithms(T::Encr, U::Ike, {"aes256_cbc", "aes128_cbc"});
  p.kmp_hash_alg = builtin_algorithms(T::Integ, U::Ike, {"hmac_sha2_256", "hmac_sha1"});
  p.kmp_prf_alg = builtin_algorithms(T::Prf, U::Ike, {"hmac_sha2_256", "hmac_sha1"});
  p.kmp_dh_group = builtin_algorithms(T::Dh, U::Ike, {"modp2048", "ecp256"});
  return p;
}

KinkParams builtin_kink() {
  KinkParams p;
  p.kmp_enc_alg = builtin_algorithms(T::Encr, U::Ike, {"aes256_cbc", "aes128_cbc"});
  p.kmp_hash_alg = builtin_algorithms(T::Integ, U::Ike, {"hmac_sha2_256", "hmac_sha1"});
  p.kmp_prf_alg = builtin_algorithms(T::Prf, U::Ike, {"hmac_sha2_256", "hmac_sha1"});
  p.kmp_dh_group = builtin_algorithms(T::Dh, U::Ike, {"modp2048", "ecp256"});
  return p;
}

Remote builtin_remote() { return Remote{}; }

Seen apply_remote(Ctx& c, const std::vector<Statement>& body, Remote& r) {
  return apply_block(c, "remote", body, [&](const Statement& s) {
    const std::string& n = s.head().text;
    if (n == "acceptable_kmp") {
      acceptable_kmp(c, s, r);
    } else if (n == "selector_index") {
      if (auto ref = c.ref(s)) r.selector_index = *ref;
    } else if (n == "ikev2") {
      kmp_block(c, s, r.ikev2, builtin_ikev2, kIkev2);
    } else if (n == "kink") {
      kmp_block(c, s, r.kink, builtin_kink, kKink);
    } else if (n == "ikev1") {
      if (!s.has_block || !Ctx::args(s).empty())
        c.diag.error(s.loc(), "'ikev1' takes a {{ }} block");
      else
        ikev1_block(c, s);
    } else if (std::any_of(kCommon.begin(), kCommon.end(), [&](const auto& d) { return d.name == n; })) {
      c.diag.error(s.loc(), "unknown directive '{}' in remote block (it belongs in the ikev2 or kink block)", n);
    } else {
      return false;
    }
    return true;
  });
}

// finalize_remote checks a merged remote. A protocol the remote itself lists
// must be usable (error otherwise); one only inherited from `default`'s
// acceptable_kmp is dropped with a warning, so racoon2's stock default.conf
// (which lists ikev2, ikev1 and kink) keeps working for IKEv2-only remotes.
void finalize_remote(Ctx& c, Remote& r, const Seen& seen) {
  bool own_list = seen.count("acceptable_kmp") > 0;
  if (r.acceptable_kmp.empty()) {
    if (!own_list) c.diag.error(r.loc, "remote '{}' has no acceptable_kmp (here or in default)", r.name);
    return;
  }
  std::vector<Kmp> kept;
  for (Kmp k : r.acceptable_kmp) {
    std::string missing;
    if (k == Kmp::Ikev2) {
      if (!r.ikev2) r.ikev2 = builtin_ikev2();
      if (r.ikev2->pre_shared_key.empty()) missing = "ikev2 needs pre_shared_key (kmp_auth_method psk)";
    } else {
      if (!r.kink) r.kink = builtin_kink();
      if (r.kink->peers_principal.empty()) missing = "kink needs peers_principal";
    }
    if (missing.empty()) {
      kept.push_back(k);
    } else if (own_list) {
      c.diag.error(r.loc, "remote '{}': {}", r.name, missing);
    } else {
      c.diag.warn(r.loc, "remote '{}': {} (from default's acceptable_kmp); dropped", r.name, missing);
    }
  }
  if (!own_list && kept.empty()) c.diag.error(r.loc, "remote '{}' has no usable key management protocol", r.name);
  r.acceptable_kmp = kept;
  bool has_v2 = std::find(kept.begin(), kept.end(), Kmp::Ikev2) != kept.end();
  bool has_kink = std::find(kept.begin(), kept.end(), Kmp::Kink) != kept.end();
  if (!has_v2 && r.ikev2) {
    if (auto it = seen.find("ikev2"); it != seen.end() && own_list)
      c.diag.warn(it->second, "ikev2 block ignored: ikev2 is not in acceptable_kmp");
    r.ikev2.reset();
  }
  if (!has_kink && r.kink) {
    if (auto it = seen.find("kink"); it != seen.end() && own_list)
      c.diag.warn(it->second, "kink block ignored: kink is not in acceptable_kmp");
    r.kink.reset();
  }
}

}  // namespace kagid::config::detail

namespace kagid::config {

bool is_road_warrior(const Remote& r) {
  auto rw = [](const KmpCommon& k) {
    return std::any_of(k.peers_ipaddr.begin(), k.peers_ipaddr.end(),
                       [](const AddressSpec& a) { return a.is_macro(AddressMacro::IpRw); });
  };
  return (r.ikev2 && rw(*r.ikev2)) || (r.kink && rw(*r.kink));
}

}  // namespace kagid::config
