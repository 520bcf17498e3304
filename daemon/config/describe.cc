// daemon/config/describe.cc — prints a resolved Config in configuration
// syntax (kagid --check-config). Everything is explicit, so reading the
// output back yields an equal model; maps print in name order.
#include <array>

#include <fmt/format.h>

#include "core/net/selector.h"
#include "daemon/config/algorithms.h"
#include "daemon/config/config.h"

namespace kagid::config {
namespace {

bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              std::string_view("%*-./:?@_").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

std::string word(std::string_view s) { return is_word(s) ? std::string(s) : fmt::format("\"{}\"", s); }
std::string quoted(std::string_view s) { return fmt::format("\"{}\"", s); }
std::string yes_no(bool b) { return b ? "on" : "off"; }
std::string time(Duration d) { return d.infinite() ? "infinite" : fmt::format("{} sec", d.seconds); }
std::string size(ByteSize b) { return b.infinite() ? "infinite" : fmt::format("{} B", b.bytes); }

// comment keeps a "#" line one line: expanded values may hold newlines.
std::string comment(std::string_view text) {
  std::string s = "# ";
  for (char c : text) s += (c == '\n' || c == '\r') ? ' ' : c;
  return s;
}

std::string algorithm(const Algorithm& a) {
  auto plain = lookup_algorithm(a.type, AlgorithmUse::Esp, a.name, std::nullopt);
  if (plain && plain->alg.key_bits == a.key_bits) return a.name;
  return fmt::format("{}, {}", a.name, a.key_bits);
}

std::string identity(const Identity& id) {
  std::string q = id.qualifier == IdQualifier::File ? "file " : id.qualifier == IdQualifier::Tag ? "tag " : "";
  return fmt::format("{} {}{}", id_type_name(id.type), q, quoted(id.value));
}

class Printer {
 public:
  std::string out;

  void line(std::string_view text) {
    out.append(static_cast<std::size_t>(depth_) * 2, ' ');
    out.append(text);
    out += '\n';
  }
  void set(std::string_view name, std::string_view value) { line(fmt::format("{} {};", name, value)); }
  void open(std::string_view head) {
    line(fmt::format("{} {{", head));
    ++depth_;
  }
  void close() {
    --depth_;
    line("};");
  }
  // list prints L(x): one entry inline, several in braces; nothing if empty.
  template <typename V, typename F>
  void list(std::string_view name, const std::vector<V>& items, F&& fmt_one) {
    if (items.empty()) return;
    if (items.size() == 1) return set(name, fmt_one(items[0]));
    std::string s = fmt::format("{} {{ ", name);
    for (const auto& i : items) s += fmt_one(i) + "; ";
    line(s + "};");
  }
  void addresses(std::string_view name, const std::vector<AddressSpec>& v) {
    list(name, v, [](const AddressSpec& a) { return a.to_string(); });
  }
  void algorithms(std::string_view name, const std::vector<Algorithm>& v) { list(name, v, algorithm); }
  void refs(std::string_view name, const std::vector<Ref>& v) {
    list(name, v, [](const Ref& r) { return word(r.name); });
  }

 private:
  int depth_ = 0;
};

constexpr std::array<std::string_view, 7> kHooks = {"phase1_up",   "phase1_down", "phase1_rekey", "phase2_up",
                                                    "phase2_down", "phase2_rekey", "migration"};

void kmp_common(Printer& p, const KmpCommon& k) {
  p.set("logmode", k.logmode == LogMode::Debug ? "debug" : "normal");
  if (!k.logfile.empty()) p.set("logfile", quoted(k.logfile));
  p.set("passive", yes_no(k.passive));
  p.set("use_coa", yes_no(k.use_coa));
  p.addresses("peers_ipaddr", k.peers_ipaddr);
  if (k.peers_kmp_port) p.set("peers_kmp_port", std::to_string(*k.peers_kmp_port));
  p.set("verify_id", yes_no(k.verify_id));
  p.set("nonce_size", fmt::format("{} B", k.nonce_size));
  p.set("initial_contact", yes_no(k.initial_contact));
  p.set("nat_traversal", yes_no(k.nat_traversal));
  p.set("support_proxy", yes_no(k.support_proxy));
  p.list("my_id", k.my_id, identity);
  p.list("peers_id", k.peers_id, identity);
  p.set("selector_check", k.selector_check == SelectorCheck::Exact ? "exact" : "obey");
  constexpr std::array<std::string_view, 4> kChecks = {"obey", "strict", "claim", "exact"};
  p.set("proposal_check", kChecks[static_cast<std::size_t>(k.proposal_check)]);
  p.set("random_pad_content", yes_no(k.random_pad_content));
  p.set("random_padlen", yes_no(k.random_padlen));
  p.set("max_padlen", fmt::format("{} B", k.max_padlen));
  p.set("max_retry_to_send", std::to_string(k.max_retry_to_send));
  p.set("interval_to_send", time(k.interval_to_send));
  p.set("times_per_send", std::to_string(k.times_per_send));
  p.set("kmp_sa_lifetime_time", time(k.kmp_sa_lifetime_time));
  p.set("kmp_sa_lifetime_byte", size(k.kmp_sa_lifetime_byte));
  p.set("kmp_sa_nego_time_limit", time(k.kmp_sa_nego_time_limit));
  p.set("kmp_sa_grace_period", time(k.kmp_sa_grace_period));
  p.set("ipsec_sa_nego_time_limit", time(k.ipsec_sa_nego_time_limit));
  p.algorithms("kmp_enc_alg", k.kmp_enc_alg);
  p.algorithms("kmp_hash_alg", k.kmp_hash_alg);
  p.algorithms("kmp_prf_alg", k.kmp_prf_alg);
  p.algorithms("kmp_dh_group", k.kmp_dh_group);
  p.list("kmp_auth_method", k.kmp_auth_method, [](AuthMethod) { return std::string("psk"); });
  constexpr std::array<std::string_view, 4> kRoles = {"none", "agent", "mobile", "correspondent"};
  if (k.mobility_role != MobilityRole::None)
    p.set("mobility_role", kRoles[static_cast<std::size_t>(k.mobility_role)]);
  if (!k.script.empty()) {
    std::string s = "script { ";
    for (const auto& [hook, path] : k.script)
      s += fmt::format("{} {}; ", kHooks[static_cast<std::size_t>(hook)], quoted(path));
    p.line(s + "};");
  }
}

void ikev2(Printer& p, const Ikev2Params& v) {
  p.open("ikev2");
  kmp_common(p, v);
  p.set("cookie_required", yes_no(v.cookie_required));
  p.set("send_peers_id", yes_no(v.send_peers_id));
  p.set("need_pfs", yes_no(v.need_pfs));
  if (!v.pre_shared_key.empty()) p.set("pre_shared_key", quoted(v.pre_shared_key));
  p.set("dpd_delay", time(v.dpd_delay));
  const auto& r = v.request;
  std::string req;
  for (auto [on, w] : {std::pair{r.ip4, "ip4"}, {r.ip6, "ip6"}, {r.ip4_dns, "ip4_dns"}, {r.ip6_dns, "ip6_dns"},
                       {r.ip4_dhcp, "ip4_dhcp"}, {r.ip6_dhcp, "ip6_dhcp"},
                       {r.application_version, "application_version"}, {r.mip6_home_prefix, "mip6_home_prefix"}})
    if (on) req += fmt::format("{}; ", w);
  if (!req.empty()) p.line("request { " + req + "};");
  const auto& pv = v.provide;
  if (pv.addresspool || !pv.dns.empty() || !pv.dhcp.empty() || !pv.application_version.empty() ||
      pv.mip6_home_prefix) {
    p.open("provide");
    if (pv.addresspool) p.set("addresspool", word(pv.addresspool->name));
    p.addresses("dns", pv.dns);
    p.addresses("dhcp", pv.dhcp);
    if (!pv.application_version.empty()) p.set("application_version", quoted(pv.application_version));
    if (pv.mip6_home_prefix) p.set("mip6_home_prefix", pv.mip6_home_prefix->to_string());
    p.close();
  }
  p.close();
}

void remote_body(Printer& p, const Remote& r) {
  p.list("acceptable_kmp", r.acceptable_kmp,
         [](Kmp k) { return std::string(k == Kmp::Ikev2 ? "ikev2" : "kink"); });
  if (r.selector_index) p.set("selector_index", word(r.selector_index->name));
  if (r.ikev2) ikev2(p, *r.ikev2);
  if (r.kink) {
    p.open("kink");
    kmp_common(p, *r.kink);
    if (!r.kink->my_principal.empty()) p.set("my_principal", quoted(r.kink->my_principal));
    if (!r.kink->peers_principal.empty()) p.set("peers_principal", quoted(r.kink->peers_principal));
    p.close();
  }
}

void policy_body(Printer& p, const Policy& v) {
  constexpr std::array<std::string_view, 3> kActions = {"auto_ipsec", "discard", "none"};
  constexpr std::array<std::string_view, 3> kLevels = {"require", "unique", "use"};
  p.set("action", kActions[static_cast<std::size_t>(v.action)]);
  p.set("install", yes_no(v.install));
  if (v.remote_index) p.set("remote_index", word(v.remote_index->name));
  p.refs("ipsec_index", v.ipsec_index);
  p.set("ipsec_mode", v.ipsec_mode == IpsecMode::Tunnel ? "tunnel" : "transport");
  if (v.my_sa_ipaddr) p.set("my_sa_ipaddr", v.my_sa_ipaddr->to_string());
  if (v.peers_sa_ipaddr) p.set("peers_sa_ipaddr", v.peers_sa_ipaddr->to_string());
  p.set("ipsec_level", kLevels[static_cast<std::size_t>(v.ipsec_level)]);
}

void ipsec_body(Printer& p, const Ipsec& v) {
  p.set("ipsec_sa_lifetime_time", time(v.ipsec_sa_lifetime_time));
  p.set("ipsec_sa_lifetime_byte", size(v.ipsec_sa_lifetime_byte));
  p.set("ext_sequence", yes_no(v.ext_sequence));
  p.refs("sa_index", v.sa_index);
}

void sa_body(Printer& p, const Sa& v) {
  p.set("sa_protocol", v.sa_protocol == SaProtocol::Ah ? "ah" : "esp");
  p.algorithms("esp_enc_alg", v.esp_enc_alg);
  p.algorithms("esp_auth_alg", v.esp_auth_alg);
  p.algorithms("ah_auth_alg", v.ah_auth_alg);
}

void selector_body(Printer& p, const Selector& s) {
  p.set("direction", s.direction == Direction::Inbound ? "inbound" : "outbound");
  p.addresses("src", s.src);
  p.addresses("dst", s.dst);
  std::string ulp = core::net::protocol_name(s.upper_layer_protocol);
  for (auto n : {s.icmp_type, s.icmp_code, s.mh_type})
    if (n) ulp += fmt::format(" {}", *n);
  p.set("upper_layer_protocol", ulp);
  p.set("policy_index", word(s.policy_index.name));
  if (s.reqid) p.set("reqid", std::to_string(*s.reqid));
}

template <typename V, typename F>
void sections(Printer& p, std::string_view kind, const std::map<std::string, V>& m, F body) {
  for (const auto& [name, v] : m) {
    p.open(fmt::format("{} {}", kind, word(name)));
    body(p, v);
    p.close();
  }
}

}  // namespace

std::string describe(const Config& cfg) {
  Printer p;
  p.line("# kagi configuration, resolved: every default filled in");
  for (const auto& [name, value] : cfg.setvals) p.line(comment(fmt::format("setval {} \"{}\"", name, value)));
  p.open("interface");
  p.addresses("ike", cfg.interface.ike);
  p.addresses("kink", cfg.interface.kink);
  p.set("application_bypass", yes_no(cfg.interface.application_bypass));
  p.close();
  p.open("resolver");
  p.set("resolver", yes_no(cfg.resolver.enable));
  p.addresses("nameserver", cfg.resolver.nameserver);
  p.close();
  p.open("default");
  p.open("remote");
  remote_body(p, cfg.defaults.remote);
  p.close();
  p.open("policy");
  policy_body(p, cfg.defaults.policy);
  p.close();
  p.open("ipsec");
  ipsec_body(p, cfg.defaults.ipsec);
  p.close();
  p.open("sa");
  sa_body(p, cfg.defaults.sa);
  p.close();
  p.close();
  sections(p, "remote", cfg.remotes, remote_body);
  sections(p, "selector", cfg.selectors, selector_body);
  sections(p, "policy", cfg.policies, policy_body);
  sections(p, "ipsec", cfg.ipsecs, ipsec_body);
  sections(p, "sa", cfg.sas, sa_body);
  for (const auto& [name, pool] : cfg.addresspools) {
    p.open(fmt::format("addresspool {}", word(name)));
    for (const auto& r : pool.ranges) p.line(fmt::format("{} - {};", r.start.to_string(), r.end.to_string()));
    p.close();
  }
  for (const auto& w : cfg.warnings) p.line(comment("warning: " + w));
  return p.out;
}

}  // namespace kagid::config
