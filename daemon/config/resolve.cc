// daemon/config/resolve.cc — top-level sections, `setval`, `default`,
// `interface`, `resolver`, and the cross-reference check.
#include "daemon/config/resolve.h"

#include "daemon/config/resolve_ctx.h"

namespace kagid::config {
namespace {

using namespace detail;

constexpr std::uint16_t kIkePort = 500;
constexpr std::uint16_t kKinkPort = 910;  // RFC 4430 §5
constexpr std::uint16_t kDnsPort = 53;

// collect_setvals gathers `setval { NAME "v"; ... };` and `setval NAME "v";`
// from every file; kagi allows several setval sections (racoon2 allowed one).
void collect_setvals(const std::vector<Statement>& top, Setvals& raw, std::map<std::string, Location>& where,
                     Diagnostics& diag) {
  auto add = [&](const Statement& s, std::size_t at) {
    const Token& name = s.items[at];
    const Token& value = s.items[at + 1];
    if (!name.is_value() || !value.is_value() || name.text.find('$') != std::string::npos) {
      diag.error(name.loc, "a setval entry is: NAME \"value\"");
      return;
    }
    if (auto it = where.find(name.text); it != where.end()) {
      diag.error(name.loc, "setval '{}' is already defined at {}", name.text, it->second.to_string());
      return;
    }
    where.emplace(name.text, name.loc);
    raw.emplace(name.text, value.text);
  };
  for (const auto& s : top) {
    if (!s.head().is_word("setval")) continue;
    if (s.items.size() == 3 && !s.has_block) {
      add(s, 1);
    } else if (s.items.size() == 1 && s.has_block) {
      for (const auto& e : s.block) {
        if (e.items.size() == 2 && !e.has_block)
          add(e, 0);
        else
          diag.error(e.loc(), "a setval entry is: NAME \"value\";");
      }
    } else {
      diag.error(s.loc(), "setval is: setval NAME \"value\"; or setval {{ NAME \"value\"; ... }};");
    }
  }
}

// with_port gives entries without "port" the protocol's default port.
std::vector<AddressSpec> with_port(std::vector<AddressSpec> v, std::uint16_t port) {
  for (auto& a : v)
    if (!a.port && a.kind != AddressSpec::Kind::Unix) a.port = port;
  return v;
}

AddressSpec my_ip(std::uint16_t port) {
  AddressSpec a;
  a.kind = AddressSpec::Kind::Macro;
  a.macro = AddressMacro::MyIp;
  a.port = port;
  return a;
}

void apply_interface(Ctx& c, const Statement& s, Interface& out) {
  constexpr unsigned kListen = kLiteral | kMyMacros | kIpAny | kPort;
  apply_block(c, "interface", s.block, [&](const Statement& e) {
    const std::string& n = e.head().text;
    if (n == "ike" || n == "kink") {
      if (auto v = c.addresses(e, kListen)) (n == "ike" ? out.ike : out.kink) = with_port(*v, n == "ike" ? kIkePort : kKinkPort);
    } else if (n == "application_bypass") {
      if (auto b = c.boolean(e)) out.application_bypass = *b;
    } else {
      return false;
    }
    return true;
  });
}

void apply_resolver(Ctx& c, const Statement& s, Resolver& out) {
  apply_block(c, "resolver", s.block, [&](const Statement& e) {
    const std::string& n = e.head().text;
    if (n == "resolver") {
      if (auto b = c.boolean(e)) out.enable = *b;
    } else if (n == "nameserver") {
      if (auto v = c.addresses(e, kLiteral | kPort)) out.nameserver = with_port(*v, kDnsPort);
    } else {
      return false;
    }
    return true;
  });
}

bool block_only(Ctx& c, const Statement& s) {
  if (s.has_block && s.items.size() == 1) return true;
  c.diag.error(s.loc(), "'{}' here is: {} {{ ... }};", s.head().text, s.head().text);
  return false;
}

void apply_default(Ctx& c, const Statement& s, Defaults& d) {
  apply_block(c, "default", s.block, [&](const Statement& e) {
    const std::string& n = e.head().text;
    if (n != "remote" && n != "policy" && n != "ipsec" && n != "sa") return false;
    if (!block_only(c, e)) return true;
    if (n == "remote") apply_remote(c, e.block, d.remote);
    if (n == "policy") apply_policy(c, e.block, d.policy);
    if (n == "ipsec") apply_ipsec(c, e.block, d.ipsec);
    if (n == "sa") apply_sa(c, e.block, d.sa);
    return true;
  });
}

// section_name checks "KIND NAME { ... };" and returns NAME.
std::optional<std::string> section_name(Ctx& c, const Statement& s) {
  const std::string& kind = s.head().text;
  if (s.items.size() != 2 || !s.has_block) {
    c.diag.error(s.loc(), "a {} section is: {} NAME {{ ... }};", kind, kind);
    return std::nullopt;
  }
  auto name = c.value(s.items[1]);
  if (!name) return std::nullopt;
  if (name->empty() || *name == "default") {
    c.diag.error(s.items[1].loc, "'{}' cannot name a {} ('default' is reserved)", *name, kind);
    return std::nullopt;
  }
  return name;
}

template <typename V>
void define(Ctx& c, std::string_view kind, std::map<std::string, V>& m, V v) {
  auto [it, fresh] = m.emplace(v.name, v);
  if (!fresh) c.diag.error(v.loc, "duplicate {} '{}' (first defined at {})", kind, v.name, it->second.loc.to_string());
}

template <typename V>
void check_ref(Ctx& c, const Ref& r, const std::map<std::string, V>& m, std::string_view index,
               std::string_view kind) {
  // A reference never written (line 0) is reported as missing by finalize_*.
  if (r.loc.line != 0 && !m.count(r.name)) c.diag.error(r.loc, "{} '{}' names no {}", index, r.name, kind);
}

void check_remote_refs(Ctx& c, const Config& cfg, const Remote& r) {
  if (r.selector_index) check_ref(c, *r.selector_index, cfg.selectors, "selector_index", "selector");
  if (r.ikev2 && r.ikev2->provide.addresspool)
    check_ref(c, *r.ikev2->provide.addresspool, cfg.addresspools, "addresspool", "addresspool");
}

void check_policy_refs(Ctx& c, const Config& cfg, const Policy& p) {
  if (p.remote_index) check_ref(c, *p.remote_index, cfg.remotes, "remote_index", "remote");
  for (const auto& r : p.ipsec_index) check_ref(c, r, cfg.ipsecs, "ipsec_index", "ipsec");
}

void check_ipsec_refs(Ctx& c, const Config& cfg, const Ipsec& i) {
  int esp = 0, ah = 0;
  for (const auto& r : i.sa_index) {
    check_ref(c, r, cfg.sas, "sa_index", "sa");
    auto it = cfg.sas.find(r.name);
    if (it == cfg.sas.end()) continue;
    int& n = it->second.sa_protocol == SaProtocol::Esp ? esp : ah;
    if (++n > 1) c.diag.error(r.loc, "ipsec '{}' bundles two {} sas", i.name, &n == &esp ? "esp" : "ah");
  }
}

void check_references(Ctx& c, const Config& cfg) {
  for (const auto& [n, s] : cfg.selectors) check_ref(c, s.policy_index, cfg.policies, "policy_index", "policy");
  check_policy_refs(c, cfg, cfg.defaults.policy);
  for (const auto& [n, p] : cfg.policies) check_policy_refs(c, cfg, p);
  check_ipsec_refs(c, cfg, cfg.defaults.ipsec);
  for (const auto& [n, i] : cfg.ipsecs) check_ipsec_refs(c, cfg, i);
  check_remote_refs(c, cfg, cfg.defaults.remote);
  for (const auto& [n, r] : cfg.remotes) check_remote_refs(c, cfg, r);
}

// named_section reads one "KIND NAME { ... };". The checks of what a block
// must contain run only when reading it raised no error, so one mistake
// does not come back as "has no ..." complaints.
void named_section(Ctx& c, const Statement& s, Config& cfg) {
  const std::string& kind = s.head().text;
  auto name = section_name(c, s);
  if (!name) return;
  std::size_t before = c.diag.error_count();
  auto clean = [&] { return c.diag.error_count() == before; };
  if (kind == "remote") {
    Remote r = cfg.defaults.remote;
    r.name = *name, r.loc = s.loc();
    auto seen = apply_remote(c, s.block, r);
    if (clean()) finalize_remote(c, r, seen);
    define(c, kind, cfg.remotes, std::move(r));
  } else if (kind == "selector") {
    Selector sel;
    sel.name = *name, sel.loc = s.loc();
    auto seen = apply_selector(c, s.block, sel);
    if (clean()) finalize_selector(c, sel, seen);
    define(c, kind, cfg.selectors, std::move(sel));
  } else if (kind == "policy") {
    Policy p = cfg.defaults.policy;
    p.name = *name, p.loc = s.loc();
    apply_policy(c, s.block, p);
    if (clean()) finalize_policy(c, p);
    define(c, kind, cfg.policies, std::move(p));
  } else if (kind == "ipsec") {
    Ipsec i = cfg.defaults.ipsec;
    i.name = *name, i.loc = s.loc();
    apply_ipsec(c, s.block, i);
    if (clean()) finalize_ipsec(c, i);
    define(c, kind, cfg.ipsecs, std::move(i));
  } else if (kind == "sa") {
    Sa sa = cfg.defaults.sa;
    sa.name = *name, sa.loc = s.loc();
    apply_sa(c, s.block, sa);
    if (clean()) finalize_sa(c, sa);
    define(c, kind, cfg.sas, std::move(sa));
  } else {
    AddressPool p;
    p.name = *name, p.loc = s.loc();
    apply_addresspool(c, s.block, p);
    define(c, kind, cfg.addresspools, std::move(p));
  }
}

}  // namespace

Config resolve(const std::vector<Statement>& top, Diagnostics& diag) {
  Setvals raw;
  std::map<std::string, Location> where;
  collect_setvals(top, raw, where, diag);
  Ctx c(diag, raw);
  Config cfg;
  for (const auto& [name, value] : raw) {
    auto v = expand(value, raw);
    if (v)
      cfg.setvals[name] = *v;
    else
      diag.add_error(where[name], v.error().detail);
  }

  cfg.defaults.sa = builtin_sa();
  std::map<std::string, Location> once;  // sections allowed once each
  auto first = [&](const Statement& s) {
    auto [it, fresh] = once.emplace(s.head().text, s.loc());
    if (!fresh) diag.error(s.loc(), "duplicate {} section (first at {})", s.head().text, it->second.to_string());
    return fresh;
  };
  for (const auto& s : top)
    if (s.head().is_word("default") && first(s) && block_only(c, s)) apply_default(c, s, cfg.defaults);

  bool have_ike = false, have_kink = false;
  for (const auto& s : top) {
    const Token& h = s.head();
    const std::string& n = h.text;
    if (h.kind != TokenKind::Word) {
      diag.error(h.loc, "expected a section name at top level, found a {}", token_kind_name(h.kind));
    } else if (n == "setval" || n == "default") {
      continue;
    } else if (n == "interface") {
      if (first(s) && block_only(c, s)) {
        apply_interface(c, s, cfg.interface);
        have_ike = !cfg.interface.ike.empty();
        have_kink = !cfg.interface.kink.empty();
      }
    } else if (n == "resolver") {
      if (first(s) && block_only(c, s)) apply_resolver(c, s, cfg.resolver);
    } else if (n == "remote" || n == "selector" || n == "policy" || n == "ipsec" || n == "sa" ||
               n == "addresspool") {
      named_section(c, s, cfg);
    } else {
      diag.error(h.loc, "unknown directive '{}' at top level", n);
    }
  }
  if (!have_ike) cfg.interface.ike = {my_ip(kIkePort)};
  if (!have_kink) cfg.interface.kink = {my_ip(kKinkPort)};
  check_references(c, cfg);
  cfg.warnings = diag.warnings();
  return cfg;
}

}  // namespace kagid::config
