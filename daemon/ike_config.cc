#include "daemon/ike_config.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "core/log/log.h"

namespace kagid {

namespace {
using core::ErrorCode;
using ikev2::Ts;
using ikev2::wire::Proposal;
using ikev2::wire::ProtocolId;
using ikev2::wire::Transform;
using ikev2::wire::TransformAttribute;
using ikev2::wire::TransformType;

constexpr std::uint16_t kEsnNone = 0, kEsnOn = 1;

Transform transform(TransformType type, const config::Algorithm& a) {
  Transform t{type, a.id, {}};
  if (a.key_bits != 0) t.attributes.push_back(TransformAttribute::key_length(a.key_bits));
  return t;
}

// split_aead: RFC 7296 §3.3 forbids mixing combined-mode and other ciphers
// in one proposal, so each kind gets its own.
std::vector<std::vector<config::Algorithm>> split_aead(const std::vector<config::Algorithm>& enc) {
  std::vector<config::Algorithm> aead, plain;
  for (const auto& a : enc) (a.aead ? aead : plain).push_back(a);
  std::vector<std::vector<config::Algorithm>> out;
  if (!aead.empty()) out.push_back(aead);
  if (!plain.empty()) out.push_back(plain);
  return out;
}

std::vector<Proposal> ike_proposals(const config::Ikev2Params& p) {
  std::vector<Proposal> out;
  for (const auto& encs : split_aead(p.kmp_enc_alg)) {
    Proposal prop;
    prop.number = static_cast<std::uint8_t>(out.size() + 1);
    prop.protocol = ProtocolId::Ike;
    for (const auto& a : encs) prop.transforms.push_back(transform(TransformType::Encr, a));
    for (const auto& a : p.kmp_prf_alg) prop.transforms.push_back(transform(TransformType::Prf, a));
    if (!encs.front().aead)
      for (const auto& a : p.kmp_hash_alg) prop.transforms.push_back(transform(TransformType::Integ, a));
    for (const auto& a : p.kmp_dh_group) prop.transforms.push_back(transform(TransformType::Ke, a));
    out.push_back(std::move(prop));
  }
  return out;
}

// esp_proposals: one proposal per (ipsec, cipher kind), in ipsec_index
// order; PFS adds the remote's DH groups (RFC 7296 §1.3.1).
std::vector<Proposal> esp_proposals(const config::Config& cfg, const config::Policy& pol,
                                    const config::Ikev2Params* ike, bool* esn_out) {
  std::vector<Proposal> out;
  for (const auto& ref : pol.ipsec_index) {
    const auto& ipsec = cfg.ipsecs.at(ref.name);
    *esn_out = *esn_out || ipsec.ext_sequence;
    for (const auto& sref : ipsec.sa_index) {
      const auto& sa = cfg.sas.at(sref.name);
      if (sa.sa_protocol != config::SaProtocol::Esp) continue;
      for (const auto& encs : split_aead(sa.esp_enc_alg)) {
        Proposal prop;
        prop.number = static_cast<std::uint8_t>(out.size() + 1);
        prop.protocol = ProtocolId::Esp;
        for (const auto& a : encs) prop.transforms.push_back(transform(TransformType::Encr, a));
        if (!encs.front().aead)
          for (const auto& a : sa.esp_auth_alg) prop.transforms.push_back(transform(TransformType::Integ, a));
        if (ike && ike->need_pfs)
          for (const auto& a : ike->kmp_dh_group) prop.transforms.push_back(transform(TransformType::Ke, a));
        prop.transforms.push_back({TransformType::Esn, ipsec.ext_sequence ? kEsnOn : kEsnNone, {}});
        out.push_back(std::move(prop));
      }
    }
  }
  return out;
}

// ts_pair turns an outbound kernel selector into (local, remote) traffic
// selectors. ICMP type/code and the MH type go into the source side's port
// field as type<<8|code (RFC 4301 §4.4.1.1, RFC 4877 §5.2 for MH).
std::pair<Ts, Ts> ts_pair(const core::net::Selector& s) {
  Ts local = Ts::from_prefix(s.src, s.proto, s.sport.start, s.sport.end);
  Ts remote = Ts::from_prefix(s.dst, s.proto, s.dport.start, s.dport.end);
  if (s.is_icmp()) {
    if (auto t = s.icmp_type()) {
      std::uint16_t lo = static_cast<std::uint16_t>(*t << 8), hi = static_cast<std::uint16_t>(lo | 0xff);
      if (auto c = s.icmp_code()) lo = hi = static_cast<std::uint16_t>(lo | *c);
      local.start_port = lo;
      local.end_port = hi;
    }
    remote.start_port = 0;
    remote.end_port = 0xffff;
  } else if (auto m = s.mh_type()) {
    local.start_port = static_cast<std::uint16_t>(*m << 8);
    local.end_port = static_cast<std::uint16_t>(local.start_port | 0xff);
    remote.start_port = 0;
    remote.end_port = 0xffff;
  }
  return {local, remote};
}

core::ipsec::Mode mode_of(config::IpsecMode m) {
  return m == config::IpsecMode::Tunnel ? core::ipsec::Mode::Tunnel : core::ipsec::Mode::Transport;
}

core::Duration secs(config::Duration d, core::Duration infinite) {
  return d.infinite() ? infinite : core::Duration(std::chrono::seconds(d.seconds));
}

// lifetime: rekey at 90% of the configured life with up to 5% jitter, so
// the SA is replaced before it dies (racoon2 uses soft = 80% of hard).
ikev2::Lifetime lifetime(config::Duration life) {
  if (life.infinite()) return {core::Duration(0), core::Duration(0), core::Duration(0)};
  core::Duration hard = std::chrono::seconds(life.seconds);
  return {hard * 9 / 10, hard, hard / 20};
}

core::Result<core::crypto::SecureBytes> read_psk(const std::string& remote, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::fail(ErrorCode::Config, "remote {}: cannot read pre_shared_key file {}", remote, path);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (key.empty()) return core::fail(ErrorCode::Config, "remote {}: pre_shared_key file {} is empty", remote, path);
  core::crypto::SecureBytes out(key.size());
  std::copy(key.begin(), key.end(), out.data());
  std::fill(key.begin(), key.end(), '\0');
  return out;
}

std::shared_ptr<ikev2::ChildConfig> child_config(const config::Config& cfg, const config::Policy& pol,
                                                 const config::Ikev2Params* ike,
                                                 const std::vector<policy::Entry>& entries) {
  auto c = std::make_shared<ikev2::ChildConfig>();
  c->name = pol.name;
  c->mode = mode_of(pol.ipsec_mode);
  bool esn = false;
  c->proposals = esp_proposals(cfg, pol, ike, &esn);
  if (!pol.ipsec_index.empty())
    c->lifetime = lifetime(cfg.ipsecs.at(pol.ipsec_index.front().name).ipsec_sa_lifetime_time);
  for (const auto& e : entries) {
    if (e.policy_name != pol.name || e.action != core::ipsec::Action::Protect) continue;
    if (c->reqid == 0) c->reqid = e.reqid;
    if (e.dir != core::ipsec::Dir::Out) continue;
    auto [l, r] = ts_pair(e.selector);
    if (e.road_warrior) {
      // IP_RW: the peer's side is whatever it proposes, narrowed by the
      // configured side; its kernel policies are generated when it is up.
      const bool local_rw = e.selector.src.address().is_unspecified() && e.selector.src.length() == 0 &&
                            !e.selector.dst.address().is_unspecified();
      if (local_rw) continue;  // IP_RW as our own address makes no selector
      r = Ts::from_prefix(core::net::Prefix::all(e.selector.src.family()), e.selector.proto, r.start_port, r.end_port);
    }
    if (std::find(c->local_ts.begin(), c->local_ts.end(), l) == c->local_ts.end()) c->local_ts.push_back(l);
    if (std::find(c->remote_ts.begin(), c->remote_ts.end(), r) == c->remote_ts.end()) c->remote_ts.push_back(r);
  }
  return c;
}
}  // namespace

core::Result<ikev2::Identity> to_identity(const config::Identity& id) {
  std::string text = id.value;
  if (id.qualifier == config::IdQualifier::File) {
    std::ifstream in(id.value);
    if (!in) return core::fail(ErrorCode::Config, "{}: cannot read identity file {}", id.loc.to_string(), id.value);
    std::getline(in, text);
  }
  switch (id.type) {
    case config::IdType::KeyId: text = "keyid:" + text; break;
    case config::IdType::Fqdn:
      if (!text.empty() && text[0] != '@') text = "@" + text;  // never mistaken for an address
      break;
    default: break;
  }
  auto out = ikev2::Identity::parse(text);
  if (!out) return core::fail(ErrorCode::Config, "{}: {}", id.loc.to_string(), out.error().detail);
  return out;
}

const IkeRemote* IkeConfig::remote_for(const ikev2::Identity& id, const core::net::Address& from) const {
  for (const auto& [name, r] : remotes)
    if (std::find(r.peers_ids.begin(), r.peers_ids.end(), id) != r.peers_ids.end()) return &r;
  for (const auto& [name, r] : remotes)
    if (r.peers_ids.empty())
      for (const auto& p : r.peers_addrs)
        if (p.contains(from)) return &r;
  for (const auto& [name, r] : remotes)
    if (r.road_warrior && r.peers_ids.empty()) return &r;
  return nullptr;
}

std::optional<core::crypto::SecureBytes> IkeConfig::psk_for(const ikev2::Identity& id) const {
  for (const auto& [name, r] : remotes)
    if (std::find(r.peers_ids.begin(), r.peers_ids.end(), id) != r.peers_ids.end()) return r.psk;
  // A remote without peers_id is known by its address: an address identity
  // matching its peers_ipaddr selects its key.
  auto addr = core::net::Address::from_bytes(id.data);
  bool is_addr = id.type == ikev2::wire::IdType::Ipv4Addr || id.type == ikev2::wire::IdType::Ipv6Addr;
  for (const auto& [name, r] : remotes) {
    if (!r.peers_ids.empty()) continue;
    if (is_addr && addr)
      for (const auto& p : r.peers_addrs)
        if (p.contains(*addr)) return r.psk;
  }
  // Last, a single remote with no peers_id and no address accepts anyone
  // who knows its key (racoon2's behaviour for IP_RW without peers_id).
  for (const auto& [name, r] : remotes)
    if (r.road_warrior && r.peers_ids.empty()) return r.psk;
  return std::nullopt;
}

core::Result<IkeConfig> build_ike_config(const config::Config& cfg, const std::vector<policy::Entry>& entries) {
  IkeConfig out;
  const auto& def = cfg.defaults.remote.ikev2;
  if (def) {
    out.settings.ike_lifetime = lifetime(def->kmp_sa_lifetime_time);
    if (def->interval_to_send.seconds > 0) out.settings.retransmit.base = std::chrono::seconds(def->interval_to_send.seconds);
    out.settings.retransmit.tries = def->max_retry_to_send;
    out.settings.half_open_timeout = secs(def->kmp_sa_nego_time_limit, std::chrono::seconds(60));
  }
  for (const auto& [name, remote] : cfg.remotes) {
    if (!remote.ikev2) continue;
    const auto& p = *remote.ikev2;
    IkeRemote r;
    r.name = name;
    r.passive = p.passive;
    r.road_warrior = config::is_road_warrior(remote);
    auto peer = std::make_shared<ikev2::PeerConfig>();
    peer->name = name;
    for (const auto& a : p.peers_ipaddr) {
      if (a.kind != config::AddressSpec::Kind::Literal) continue;
      r.peers_addrs.push_back(a.prefix);
      if (peer->remote.addr.is_unspecified() && a.prefix.is_host()) {
        std::uint16_t port = a.port ? *a.port : p.peers_kmp_port ? *p.peers_kmp_port : 500;
        peer->remote = {a.prefix.address(), port};
      }
    }
    for (const auto& id : p.my_id) {
      auto i = to_identity(id);
      if (!i) return core::fail(i.error());
      if (!peer->local_id) peer->local_id = *i;
    }
    for (const auto& id : p.peers_id) {
      auto i = to_identity(id);
      if (!i) return core::fail(i.error());
      r.peers_ids.push_back(*i);
    }
    if (r.peers_ids.size() == 1 && p.send_peers_id) peer->remote_id = r.peers_ids.front();
    peer->ike_proposals = ike_proposals(p);
    peer->ike_lifetime = lifetime(p.kmp_sa_lifetime_time);
    if (p.pre_shared_key.empty())
      return core::fail(ErrorCode::Config, "{}: remote {} has no pre_shared_key (the only IKEv2 authentication built)",
                        remote.loc.to_string(), name);
    auto psk = read_psk(name, p.pre_shared_key);
    if (!psk) return core::fail(psk.error());
    r.psk = std::move(*psk);
    peer->psk = r.psk;
    out.settings.cookie_required = out.settings.cookie_required || p.cookie_required;
    if (!p.dpd_delay.infinite()) out.settings.dpd_interval = std::chrono::seconds(p.dpd_delay.seconds);
    for (const auto& [pname, pol] : cfg.policies) {
      if (pol.action != config::Action::AutoIpsec || !pol.remote_index || pol.remote_index->name != name) continue;
      auto c = child_config(cfg, pol, &p, entries);
      if (c->reqid == 0) {
        KLOG(Cfg, Warn, "{}: policy {} has no selector: no CHILD_SA for it", pol.loc.to_string(), pname);
        continue;
      }
      peer->children.push_back(c);
      r.children[pname] = c;
      for (const auto& e : entries)
        if (e.policy_name == pname && e.road_warrior) r.road_warrior_policies.insert(pname);
    }
    r.peer = std::move(peer);
    out.remotes.emplace(name, std::move(r));
  }
  return out;
}

}  // namespace kagid
