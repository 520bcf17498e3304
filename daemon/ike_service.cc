#include "daemon/ike_service.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/log/log.h"
#include "core/loop/unique_fd.h"

namespace kagid {

namespace {
using nlohmann::json;
using core::ErrorCode;

constexpr std::uint16_t kNatTPort = 4500;

std::string hex64(std::uint64_t v) { return fmt::format("{:016x}", v); }
std::string hex32(std::uint32_t v) { return fmt::format("{:08x}", v); }

// route_source asks the kernel which source address it would use toward
// dst (a connected UDP socket sends nothing): the initiator's local address.
// mark is the IKE sockets' SO_MARK: the route IKE packets take, not the
// one protected traffic takes (a userspace data plane routes that to its TUN).
core::Result<core::net::Address> route_source(const core::net::Address& dst, std::uint32_t mark) {
  core::UniqueFd fd(socket(dst.is_v6() ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return core::fail(ErrorCode::System, "socket: {}", std::strerror(errno));
  if (mark != 0 && setsockopt(fd.get(), SOL_SOCKET, SO_MARK, &mark, sizeof mark) < 0)
    return core::fail(ErrorCode::System, "SO_MARK: {}", std::strerror(errno));
  sockaddr_storage ss{};
  socklen_t len = dst.to_sockaddr(ss, 500);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) < 0)
    return core::fail(ErrorCode::System, "no route to {}: {}", dst.to_string(), std::strerror(errno));
  sockaddr_storage me{};
  socklen_t mlen = sizeof me;
  if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&me), &mlen) < 0)
    return core::fail(ErrorCode::System, "getsockname: {}", std::strerror(errno));
  return core::net::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&me));
}

std::optional<ikev2::Ts> packet_ts(const core::net::Prefix& p, std::uint8_t proto, const core::net::PortRange& ports) {
  if (!p.is_host()) return std::nullopt;
  return ikev2::Ts::from_prefix(p, proto, ports.start, ports.end);
}

json ts_json(const std::vector<ikev2::Ts>& ts) {
  json out = json::array();
  for (const auto& t : ts) out.push_back(t.to_string());
  return out;
}
}  // namespace

IkeService::IkeService(core::Loop& loop, core::ipsec::Kernel& kernel, IkeConfig ike, Broadcast broadcast)
    : loop_(loop), kernel_(kernel), ike_(std::move(ike)), broadcast_(std::move(broadcast)) {}

IkeService::~IkeService() = default;

core::Result<std::unique_ptr<IkeService>> IkeService::create(core::Loop& loop, core::ipsec::Kernel& kernel,
                                                             const config::Config& cfg, IkeConfig ike,
                                                             Options opts, Broadcast broadcast) {
  std::unique_ptr<IkeService> s(new IkeService(loop, kernel, std::move(ike), std::move(broadcast)));
  ikev2::Settings settings = s->ike_.settings;
  IkeService* self = s.get();
  // The responder's IKE_SA_INIT offer: every remote's proposals, in order.
  for (const auto& [name, r] : s->ike_.remotes)
    for (auto p : r.peer->ike_proposals) {
      bool dup = false;
      for (const auto& q : settings.ike_proposals) {
        auto a = p, b = q;
        a.number = b.number = 0;
        dup = dup || a == b;
      }
      if (dup) continue;
      p.number = static_cast<std::uint8_t>(settings.ike_proposals.size() + 1);
      settings.ike_proposals.push_back(std::move(p));
    }
  settings.peer = [self](const ikev2::Identity& id, const core::net::Endpoint& from)
      -> std::shared_ptr<const ikev2::PeerConfig> {
    const IkeRemote* r = self->ike_.remote_for(id, from.addr);
    if (r == nullptr) {
      KLOG(Ike, Warn, "no remote accepts {} from {}", id.to_string(), from.to_string());
      return nullptr;
    }
    return r->peer;
  };
  settings.psk = [self](const ikev2::Identity&, const ikev2::Identity& remote) { return self->ike_.psk_for(remote); };
  s->engine_ = std::make_unique<ikev2::Engine>(std::move(settings), kernel, loop.clock(), loop.timers(), *s, s->rng_);
  s->engine_->set_event_handler([self](const ikev2::Event& ev) { self->on_event(ev); });
  s->mark_ = opts.socket_mark;
  if (auto st = s->open_sockets(cfg.interface, opts.socket_mark); !st) return core::fail(st.error());
  return s;
}

core::Status IkeService::open_sockets(const config::Interface& itf, std::uint32_t mark) {
  std::set<core::net::Endpoint> want;
  auto add = [&](const core::net::Address& a, std::uint16_t port) {
    want.insert({a, port});
    if (port != kNatTPort) want.insert({a, kNatTPort});
  };
  for (const auto& spec : itf.ike) {
    std::uint16_t port = spec.port ? *spec.port : 500;
    if (spec.kind == config::AddressSpec::Kind::Literal) {
      add(spec.prefix.address(), port);
    } else {
      // MY_IP and friends: the wildcard with IP_PKTINFO follows addresses
      // as interfaces gain and lose them.
      add(core::net::Address::any(core::net::Family::V4), port);
      add(core::net::Address::any(core::net::Family::V6), port);
    }
  }
  if (itf.ike.empty()) {
    add(core::net::Address::any(core::net::Family::V4), 500);
    add(core::net::Address::any(core::net::Family::V6), 500);
  }
  for (const auto& ep : want) {
    UdpSocket::Options o{ep.addr, ep.port, ep.port == kNatTPort, true, mark};
    auto sock = UdpSocket::open(loop_, o, [this](std::span<const std::uint8_t> d, const core::net::Endpoint& l,
                                                 const core::net::Endpoint& r) { engine_->on_datagram(d, l, r); });
    if (!sock) return core::fail(ErrorCode::System, "IKE socket {}: {}", ep.to_string(), sock.error().detail);
    sockets_.push_back(std::move(*sock));
  }
  return core::ok();
}

UdpSocket* IkeService::socket_for(const core::net::Endpoint& local) {
  UdpSocket* wildcard = nullptr;
  for (auto& s : sockets_) {
    if (s->port() != local.port || s->family() != local.addr.family()) continue;
    if (s->bound() == local.addr) return s.get();
    if (s->bound().is_unspecified()) wildcard = s.get();
  }
  return wildcard;
}

void IkeService::send(std::span<const std::uint8_t> datagram, const core::net::Endpoint& local,
                      const core::net::Endpoint& remote) {
  UdpSocket* s = socket_for(local);
  if (s == nullptr) {
    KLOG(Net, Error, "no IKE socket for {} (sending to {})", local.to_string(), remote.to_string());
    return;
  }
  if (auto st = s->send(datagram, local, remote); !st) KLOG(Net, Warn, "{}", st.error().detail);
}

void IkeService::set_udp_esp_receiver(UdpSocket::Receiver rx) {
  for (auto& s : sockets_)
    if (s->port() == kNatTPort) s->set_esp_receiver(rx);
}

void IkeService::send_udp_esp(std::span<const std::uint8_t> esp, const core::net::Endpoint& local,
                              const core::net::Endpoint& remote) {
  UdpSocket* s = socket_for({local.addr, kNatTPort});
  if (s == nullptr) return;
  if (auto st = s->send_esp(esp, local, remote); !st) KLOG(Net, Debug, "{}", st.error().detail);
}

void IkeService::reconfigure(IkeConfig ike) { ike_ = std::move(ike); }

std::vector<ikev2::IkeSaId> IkeService::sas_of(const std::string& remote) const {
  std::vector<ikev2::IkeSaId> out;
  for (const auto& [id, name] : remote_of_)
    if (name == remote) out.push_back(id);
  return out;
}

core::Result<ikev2::IkeSaId> IkeService::start(const IkeRemote& r, const std::string& policy_name,
                                               std::optional<ikev2::ChildRequest> child) {
  // Join an IKE_SA to this remote that is up or on its way.
  for (auto id : sas_of(r.name)) {
    auto st = engine_->ike_status(id);
    if (!st || st->state == ikev2::IkeState::Dead || st->state == ikev2::IkeState::Deleting ||
        st->state == ikev2::IkeState::Rekeyed)
      continue;
    if (!policy_name.empty() && wanted_[id].count(policy_name)) return id;  // already coming
    if (!child) return id;
    if (!policy_name.empty()) wanted_[id].insert(policy_name);
    if (st->state == ikev2::IkeState::Established) {
      if (auto s = engine_->create_child(id, *child); !s) return core::fail(s.error());
    } else {
      queued_[id].push_back(*child);
    }
    return id;
  }
  if (r.peer->remote.addr.is_unspecified())
    return core::fail(ErrorCode::Config, "remote {} has no peers_ipaddr to initiate to", r.name);
  auto src = route_source(r.peer->remote.addr, mark_);
  if (!src) return core::fail(src.error());
  auto peer = std::make_shared<ikev2::PeerConfig>(*r.peer);
  peer->local = core::net::Endpoint{*src, r.peer->remote.port == kNatTPort ? kNatTPort : std::uint16_t{500}};
  auto id = engine_->initiate(peer, child);
  if (!id) return core::fail(id.error());
  remote_of_[*id] = r.name;
  if (!policy_name.empty()) wanted_[*id].insert(policy_name);
  return id;
}

void IkeService::on_acquire(const core::ipsec::AcquireEvent& acq, const policy::Entry& entry) {
  auto it = ike_.remotes.find(entry.remote_name);
  if (it == ike_.remotes.end()) {
    KLOG(Ike, Debug, "acquire for {}: remote {} does not speak IKEv2", entry.selector_name, entry.remote_name);
    return;
  }
  const IkeRemote& r = it->second;
  if (r.passive) {
    KLOG(Ike, Info, "acquire for {}: remote {} is passive, waiting for it", entry.selector_name, r.name);
    return;
  }
  auto c = r.children.find(entry.policy_name);
  if (c == r.children.end()) return;
  ikev2::ChildRequest req{c->second, std::nullopt, std::nullopt};
  req.packet_src = packet_ts(acq.selector.src, acq.selector.proto, acq.selector.sport);
  req.packet_dst = packet_ts(acq.selector.dst, acq.selector.proto, acq.selector.dport);
  if (auto id = start(r, entry.policy_name, req); !id)
    KLOG(Ike, Error, "acquire for {} (remote {}): {}", entry.selector_name, r.name, id.error().detail);
}

void IkeService::on_event(const ikev2::Event& ev) {
  json j = {{"event", std::string(ikev2::event_kind_name(ev.kind))},
            {"ike", ev.ike},
            {"remote", ev.peer},
            {"local_addr", ev.local.to_string()},
            {"remote_addr", ev.remote.to_string()}};
  if (!ev.reason.empty()) j["reason"] = ev.reason;
  if (ev.child) {
    j["child"] = {{"name", ev.child->name}, {"spi_in", hex32(ev.child->spi_in)}, {"spi_out", hex32(ev.child->spi_out)},
                  {"reqid", ev.child->reqid}};
  }
  switch (ev.kind) {
    case ikev2::EventKind::IkeUp: {
      KLOG(Ike, Info, "IKE_SA {} up: {} <-> {} ({})", ev.ike, ev.local.to_string(), ev.remote.to_string(),
           ev.remote_id.to_string());
      if (!ev.peer.empty()) remote_of_[ev.ike] = ev.peer;
      auto q = queued_.find(ev.ike);
      if (q != queued_.end()) {
        for (auto& c : q->second)
          if (auto st = engine_->create_child(ev.ike, c); !st) KLOG(Ike, Error, "{}", st.error().detail);
        queued_.erase(q);
      }
      break;
    }
    case ikev2::EventKind::IkeRekeyed:
      remote_of_.erase(ev.old_ike);
      remote_of_[ev.ike] = ev.peer;
      wanted_.erase(ev.old_ike);
      break;
    case ikev2::EventKind::IkeDown:
      KLOG(Ike, Info, "IKE_SA {} down: {}", ev.ike, ev.reason);
      remote_of_.erase(ev.ike);
      wanted_.erase(ev.ike);
      queued_.erase(ev.ike);
      break;
    case ikev2::EventKind::ChildUp:
    case ikev2::EventKind::ChildFailed:
    case ikev2::EventKind::ChildDown:
      if (ev.child) {
        auto w = wanted_.find(ev.ike);
        if (w != wanted_.end()) w->second.erase(ev.child->name);
      }
      break;
    default: break;
  }
  if (hook_) hook_(ev);
  if (broadcast_) broadcast_(j);
}

void IkeService::shutdown() {
  for (const auto& s : engine_->status().ike_sas)
    if (s.state != ikev2::IkeState::Dead) (void)engine_->delete_ike(s.id);
}

core::Result<json> IkeService::initiate(const json& args) {
  std::string remote = args.value("remote", ""), pol = args.value("policy", "");
  if (remote.empty() && !pol.empty()) {
    for (const auto& [name, r] : ike_.remotes)
      if (r.children.count(pol)) remote = name;
    if (remote.empty()) return core::fail(ErrorCode::NotFound, "no IKEv2 remote has policy {}", pol);
  }
  auto it = ike_.remotes.find(remote);
  if (it == ike_.remotes.end()) return core::fail(ErrorCode::NotFound, "no IKEv2 remote named '{}'", remote);
  const IkeRemote& r = it->second;
  std::optional<ikev2::ChildRequest> child;
  std::string child_name;
  if (!pol.empty()) {
    auto c = r.children.find(pol);
    if (c == r.children.end()) return core::fail(ErrorCode::NotFound, "remote {} has no policy {}", remote, pol);
    child = ikev2::ChildRequest{c->second, std::nullopt, std::nullopt};
    child_name = pol;
  } else if (!r.children.empty()) {
    child = ikev2::ChildRequest{r.children.begin()->second, std::nullopt, std::nullopt};
    child_name = r.children.begin()->first;
  }
  auto id = start(r, child_name, child);
  if (!id) return core::fail(id.error());
  // Further policies of the remote come as CREATE_CHILD_SA once it is up.
  if (pol.empty())
    for (const auto& [name, c] : r.children)
      if (name != child_name) (void)start(r, name, ikev2::ChildRequest{c, std::nullopt, std::nullopt});
  return json{{"ike", *id}, {"remote", remote}, {"message", fmt::format("IKE_SA {} to {} started", *id, remote)}};
}

core::Result<IkeService::ChildTarget> IkeService::child_target(const json& args) const {
  // The SPI comes from a control client: parse it, never let it throw.
  const auto& v = args["child"];
  std::string text = v.is_string() ? v.get<std::string>() : std::string();
  std::uint32_t spi = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), spi, 16);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return core::fail(ErrorCode::InvalidSyntax, "child: '{}' is not an SPI in hex", v.dump());
  for (const auto& sa : engine_->status().ike_sas)
    for (const auto& c : sa.children)
      if (c.spi_in == spi) return ChildTarget{sa.id, spi};
  return core::fail(ErrorCode::NotFound, "no CHILD_SA with inbound SPI {}", hex32(spi));
}

core::Result<std::vector<ikev2::IkeSaId>> IkeService::ike_targets(const json& args) const {
  std::vector<ikev2::IkeSaId> ids;
  if (args.contains("ike")) {
    if (!args["ike"].is_number_unsigned()) return core::fail(ErrorCode::InvalidSyntax, "ike: not an IKE_SA number");
    ids.push_back(args["ike"].get<ikev2::IkeSaId>());
  } else if (args.contains("remote") && args["remote"].is_string()) {
    ids = sas_of(args["remote"].get<std::string>());
  }
  if (ids.empty()) return core::fail(ErrorCode::NotFound, "no IKE_SA matches");
  return ids;
}

core::Result<json> IkeService::terminate(const json& args) {
  if (args.contains("child")) {
    auto t = child_target(args);
    if (!t) return core::fail(t.error());
    if (auto st = engine_->delete_child(t->ike, t->spi_in); !st) return core::fail(st.error());
    return json{{"message", fmt::format("deleting CHILD_SA {}", hex32(t->spi_in))}};
  }
  auto ids = ike_targets(args);
  if (!ids) return core::fail(ids.error());
  for (auto id : *ids)
    if (auto st = engine_->delete_ike(id); !st) return core::fail(st.error());
  return json{{"message", fmt::format("deleting {} IKE_SA(s)", ids->size())}};
}

core::Result<json> IkeService::rekey(const json& args) {
  if (args.contains("child")) {
    auto t = child_target(args);
    if (!t) return core::fail(t.error());
    if (auto st = engine_->rekey_child(t->ike, t->spi_in); !st) return core::fail(st.error());
    return json{{"message", fmt::format("rekeying CHILD_SA {}", hex32(t->spi_in))}};
  }
  auto ids = ike_targets(args);
  if (!ids) return core::fail(ids.error());
  for (auto id : *ids)
    if (auto st = engine_->rekey_ike(id); !st) return core::fail(st.error());
  return json{{"message", fmt::format("rekeying {} IKE_SA(s)", ids->size())}};
}

json IkeService::status_json() const {
  json out = json::array();
  for (const auto& s : engine_->status().ike_sas) {
    json children = json::array();
    for (const auto& c : s.children) {
      json cj = {{"name", c.name},
                 {"state", std::string(ikev2::child_state_name(c.state))},
                 {"mode", std::string(core::ipsec::mode_name(c.mode))},
                 {"spi_in", hex32(c.spi_in)},
                 {"spi_out", hex32(c.spi_out)},
                 {"reqid", c.reqid},
                 {"algorithms", c.algs.to_string()},
                 {"encap", c.encap},
                 {"local_ts", ts_json(c.local_ts)},
                 {"remote_ts", ts_json(c.remote_ts)}};
      if (auto in = kernel_.get_sa({s.local.addr, c.spi_in, core::ipsec::Proto::Esp}))
        cj["in"] = {{"bytes", in->counters.bytes}, {"packets", in->counters.packets},
                    {"replay_dropped", in->counters.replay_dropped},
                    {"integrity_failed", in->counters.integrity_failed}};
      if (auto o = kernel_.get_sa({s.remote.addr, c.spi_out, core::ipsec::Proto::Esp}))
        cj["out"] = {{"bytes", o->counters.bytes}, {"packets", o->counters.packets}};
      children.push_back(std::move(cj));
    }
    out.push_back({{"id", s.id},
                   {"remote", s.peer},
                   {"state", std::string(ikev2::ike_state_name(s.state))},
                   {"initiator", s.initiator},
                   {"spi_i", hex64(s.spi_i)},
                   {"spi_r", hex64(s.spi_r)},
                   {"local", s.local.to_string()},
                   {"remote_addr", s.remote.to_string()},
                   {"local_id", s.local_id.to_string()},
                   {"remote_id", s.remote_id.to_string()},
                   {"algorithms", s.algs.to_string()},
                   {"nat_local", s.nat_local},
                   {"nat_remote", s.nat_remote},
                   {"children", children}});
  }
  return out;
}

}  // namespace kagid
