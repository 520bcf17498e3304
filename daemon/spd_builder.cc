#include "daemon/spd_builder.h"

#include <ifaddrs.h>

#include "core/log/log.h"

namespace kagid {

using config::AddressMacro;
using config::AddressSpec;
using core::net::Family;
using core::net::Prefix;

LocalAddresses LocalAddresses::from_system() {
  LocalAddresses out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6)) continue;
    out.addrs.push_back(core::net::Address::from_sockaddr(i->ifa_addr));
  }
  freeifaddrs(list);
  return out;
}

core::Result<std::vector<Prefix>> resolve_address(const AddressSpec& spec, const LocalAddresses& local) {
  std::vector<Prefix> out;
  switch (spec.kind) {
    case AddressSpec::Kind::Literal:
      out.push_back(spec.prefix);
      return out;
    case AddressSpec::Kind::Fqdn:
      return core::fail(core::ErrorCode::Unsupported, "{}: host name '{}' in a selector: name resolution is not built",
                        spec.loc.to_string(), spec.name);
    case AddressSpec::Kind::Unix:
      return core::fail(core::ErrorCode::Config, "{}: a UNIX path is not an address", spec.loc.to_string());
    case AddressSpec::Kind::Macro:
      break;
  }
  auto pick = [&](auto pred) {
    for (const auto& a : local.addrs)
      if (pred(a)) out.push_back(Prefix::host(a));
  };
  switch (spec.macro) {
    case AddressMacro::IpAny:
      out.push_back(Prefix::all(Family::V4));
      out.push_back(Prefix::all(Family::V6));
      return out;
    case AddressMacro::IpRw:
      return out;  // learnt at negotiation
    case AddressMacro::MyIp:
      pick([](const auto& a) { return !a.is_link_local(); });
      break;
    case AddressMacro::MyIpv4:
      pick([](const auto& a) { return a.is_v4(); });
      break;
    case AddressMacro::MyIpv6:
      pick([](const auto& a) { return a.is_v6() && !a.is_link_local(); });
      break;
    case AddressMacro::MyIpv6Global:
      pick([](const auto& a) { return a.is_v6() && !a.is_link_local() && !(a == *core::net::Address::parse("::1")); });
      break;
    case AddressMacro::MyIpv6LinkLocal:
      pick([](const auto& a) { return a.is_v6() && a.is_link_local(); });
      break;
    case AddressMacro::MyHoa:
      return core::fail(core::ErrorCode::Unsupported, "{}: MY_HOA needs the mobility bridge, which is not built yet",
                        spec.loc.to_string());
  }
  if (out.empty())
    return core::fail(core::ErrorCode::Config, "{}: {} matches no address on this host", spec.loc.to_string(),
                      config::macro_name(spec.macro));
  return out;
}

namespace {

bool names_rw(const std::vector<AddressSpec>& v) {
  for (const auto& s : v)
    if (s.is_macro(AddressMacro::IpRw)) return true;
  return false;
}

core::ipsec::Action action_of(config::Action a) {
  switch (a) {
    case config::Action::AutoIpsec: return core::ipsec::Action::Protect;
    case config::Action::Discard: return core::ipsec::Action::Discard;
    case config::Action::Bypass: return core::ipsec::Action::Bypass;
  }
  return core::ipsec::Action::Protect;
}

core::ipsec::Level level_of(config::IpsecLevel l) {
  switch (l) {
    case config::IpsecLevel::Require: return core::ipsec::Level::Require;
    case config::IpsecLevel::Unique: return core::ipsec::Level::Unique;
    case config::IpsecLevel::Use: return core::ipsec::Level::Use;
  }
  return core::ipsec::Level::Require;
}

// single_address resolves a tunnel endpoint, which must be one address.
core::Result<std::optional<core::net::Address>> endpoint(const std::optional<AddressSpec>& spec,
                                                         const LocalAddresses& local, Family family) {
  if (!spec || spec->is_macro(AddressMacro::IpRw)) return std::optional<core::net::Address>{};
  auto ps = resolve_address(*spec, local);
  if (!ps) return core::fail(ps.error());
  for (const auto& p : *ps)
    if (p.family() == family) return std::optional<core::net::Address>(p.address());
  return core::fail(core::ErrorCode::Config, "{}: tunnel endpoint {} has no address of the selector's family",
                    spec->loc.to_string(), spec->to_string());
}

}  // namespace

core::Result<std::vector<policy::Entry>> build_entries(const config::Config& cfg, const LocalAddresses& local) {
  std::vector<policy::Entry> out;
  for (const auto& [name, sel] : cfg.selectors) {
    const auto& pol = cfg.policies.at(sel.policy_index.name);
    policy::Entry base;
    base.selector_name = name;
    base.policy_name = pol.name;
    base.remote_name = pol.remote_index ? pol.remote_index->name : "";
    base.dir = sel.direction == config::Direction::Outbound ? core::ipsec::Dir::Out : core::ipsec::Dir::In;
    base.action = action_of(pol.action);
    base.mode = pol.ipsec_mode == config::IpsecMode::Tunnel ? core::ipsec::Mode::Tunnel : core::ipsec::Mode::Transport;
    base.level = level_of(pol.ipsec_level);
    base.reqid = sel.reqid.value_or(0);
    base.install = pol.install;
    base.road_warrior = names_rw(sel.src) || names_rw(sel.dst) ||
                        (pol.peers_sa_ipaddr && pol.peers_sa_ipaddr->is_macro(AddressMacro::IpRw));
    base.protocols.clear();
    if (!pol.ipsec_index.empty()) {
      const auto& ips = cfg.ipsecs.at(pol.ipsec_index.front().name);
      for (const auto& sa_ref : ips.sa_index) {
        const auto& sa = cfg.sas.at(sa_ref.name);
        base.protocols.push_back(sa.sa_protocol == config::SaProtocol::Ah ? core::ipsec::Proto::Ah
                                                                          : core::ipsec::Proto::Esp);
      }
    }
    if (base.protocols.empty()) base.protocols.push_back(core::ipsec::Proto::Esp);
    base.selector.proto = sel.upper_layer_protocol;
    if (sel.icmp_type) base.selector.sport = core::net::PortRange::single(*sel.icmp_type);
    if (sel.icmp_code) base.selector.dport = core::net::PortRange::single(*sel.icmp_code);
    if (sel.mh_type) base.selector.sport = core::net::PortRange::single(*sel.mh_type);

    // Every same-family (src, dst) pair of the expanded address lists.
    std::vector<std::pair<Prefix, std::optional<std::uint16_t>>> srcs, dsts;
    for (const auto& s : sel.src) {
      auto ps = resolve_address(s, local);
      if (!ps) return core::fail(ps.error());
      for (auto& p : *ps) srcs.emplace_back(p, s.port);
    }
    for (const auto& d : sel.dst) {
      auto ps = resolve_address(d, local);
      if (!ps) return core::fail(ps.error());
      for (auto& p : *ps) dsts.emplace_back(p, d.port);
    }
    if (base.road_warrior && (srcs.empty() || dsts.empty())) {
      // IP_RW stands for the peer: the entry is a template for generated policies.
      out.push_back(base);
      continue;
    }
    std::size_t made = 0;
    for (const auto& [sp, sport] : srcs) {
      for (const auto& [dp, dport] : dsts) {
        if (sp.family() != dp.family()) continue;
        policy::Entry e = base;
        e.selector.src = sp;
        e.selector.dst = dp;
        if (sport) e.selector.sport = core::net::PortRange::single(*sport);
        if (dport) e.selector.dport = core::net::PortRange::single(*dport);
        auto my = endpoint(pol.my_sa_ipaddr, local, sp.family());
        if (!my) return core::fail(my.error());
        auto peer = endpoint(pol.peers_sa_ipaddr, local, sp.family());
        if (!peer) return core::fail(peer.error());
        e.my_sa_addr = *my;
        e.peers_sa_addr = *peer;
        if (e.mode == core::ipsec::Mode::Tunnel && e.action == core::ipsec::Action::Protect && !e.road_warrior &&
            (!e.my_sa_addr || !e.peers_sa_addr))
          return core::fail(core::ErrorCode::Config, "{}: tunnel-mode policy '{}' needs my_sa_ipaddr and peers_sa_ipaddr",
                            pol.loc.to_string(), pol.name);
        out.push_back(std::move(e));
        ++made;
      }
    }
    if (made == 0)
      return core::fail(core::ErrorCode::Config, "{}: selector '{}' has no source/destination pair of one address family",
                        sel.loc.to_string(), name);
  }
  return out;
}

}  // namespace kagid
