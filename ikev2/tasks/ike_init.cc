// ikev2/tasks/ike_init.cc — IKE_SA_INIT, both sides (RFC 7296 §1.2, §2.6,
// §2.14, §2.23; RFC 6023).
#include "ikev2/tasks/ike_init.h"

#include "core/crypto/dh.h"
#include "core/log/log.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/nat.h"

namespace ikev2 {

namespace {

using wire::NotifyPayload;
using wire::NotifyType;

// kMaxInitRetries bounds COOKIE and INVALID_KE_PAYLOAD round trips, so two
// misconfigured peers cannot bounce forever.
constexpr int kMaxInitRetries = 4;

std::vector<std::uint8_t> be16(std::uint16_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

// apply_nat records what NAT detection found and, behind a NAT, moves IKE
// to port 4500 (RFC 7296 §2.23; the daemon adds the non-ESP marker).
void apply_nat(IkeSa& sa, const NatResult& nat, bool move_port) {
  sa.nat_local = nat.local_behind;
  sa.nat_remote = nat.remote_behind;
  if (sa.nat()) {
    KLOG(Ike, Info, "IKE_SA {}: NAT detected ({}{})", sa.name(), nat.local_behind ? "local " : "",
         nat.remote_behind ? "remote" : "");
    if (move_port && sa.remote.port == 500) {
      sa.local.port = 4500;
      sa.remote.port = 4500;
    }
  }
}

class IkeInitTask final : public Task {
 public:
  TaskKind kind() const override { return TaskKind::IkeInit; }
  wire::ExchangeType exchange() const override { return wire::ExchangeType::IkeSaInit; }
  std::string_view name() const override { return "IKE_SA_INIT"; }

  core::Result<std::vector<wire::Payload>> build(EngineCore& core, IkeSa& sa) override {
    if (sa.state() == IkeState::Created) sa.set_state(IkeState::Connecting);
    if (sa.state() != IkeState::Connecting)
      return core::fail(core::ErrorCode::State, "IKE_SA_INIT in state {}", ike_state_name(sa.state()));
    const auto& proposals = core.ike_proposals(sa.config.get());
    if (group_ == 0) group_ = first_ke(proposals);
    if (!sa.dh || sa.dh->group() != group_) {
      auto dh = core::crypto::generate_dh(group_);
      if (!dh) return tl::unexpected(dh.error());
      sa.dh = std::move(*dh);
    }
    if (sa.ni.empty()) sa.ni = core.rng.bytes(kNonceSize);
    sa.spi_r = 0;
    std::vector<wire::Payload> p;
    // A COOKIE goes first, everything else unchanged (RFC 7296 §2.6).
    if (!sa.cookie.empty()) p.emplace_back(NotifyPayload::make(NotifyType::Cookie, sa.cookie));
    p.emplace_back(offer(proposals, wire::ProtocolId::Ike, {}));
    auto pub = sa.dh->public_value();
    p.emplace_back(wire::KePayload{group_, {pub.begin(), pub.end()}});
    p.emplace_back(wire::NoncePayload{sa.ni});
    for (auto& n : nat_notifies(sa.spi_i, 0, sa.local, sa.remote)) p.push_back(std::move(n));
    p.emplace_back(NotifyPayload::make(NotifyType::ChildlessIkev2Supported));
    return p;
  }

  TaskResult process(EngineCore& core, IkeSa& sa, const InMessage& r) override {
    const auto& proposals = core.ike_proposals(sa.config.get());
    if (const auto* n = r.notify(NotifyType::Cookie)) {
      if (++retries_ > kMaxInitRetries || n->data.empty()) return give_up("COOKIE loop");
      KLOG(Ike, Diag, "IKE_SA {}: responder demands a COOKIE, retrying", sa.name());
      sa.cookie = n->data;
      return TaskResult::Retry;
    }
    if (const auto* n = r.notify(NotifyType::InvalidKePayload)) {
      const std::uint16_t g = n->data.size() == 2 ? static_cast<std::uint16_t>(n->data[0] << 8 | n->data[1]) : 0;
      if (++retries_ > kMaxInitRetries || g == group_ || !allows_ke(proposals, g))
        return give_up(fmt::format("INVALID_KE_PAYLOAD asks for unacceptable group {}", g));
      KLOG(Ike, Diag, "IKE_SA {}: responder wants group {}, retrying", sa.name(),
           wire::transform_id_name(wire::TransformType::Ke, g));
      group_ = g;
      sa.dh.reset();
      return TaskResult::Retry;
    }
    if (const auto* n = r.error_notify())
      return give_up("IKE_SA_INIT refused with " + wire::notify_type_name(n->type));
    const auto* sa_p = r.find<wire::SaPayload>();
    const auto* ke = r.find<wire::KePayload>();
    const auto* nonce = r.find<wire::NoncePayload>();
    if (sa_p == nullptr || ke == nullptr || nonce == nullptr || r.header.spi_r == 0)
      return give_up("IKE_SA_INIT response lacks SA, KE, Nonce or SPIr");
    auto chosen = sa_p->proposals.size() == 1 ? select_ike(*sa_p, proposals, group_) : std::nullopt;
    if (!chosen || chosen->algs.ke != group_ || ke->group != group_)
      return give_up("responder chose a proposal we did not offer");
    sa.spi_r = r.header.spi_r;
    sa.algs = chosen->algs;
    sa.prf = prf_instance(sa.algs.prf);
    sa.nr = nonce->data;
    auto g_ir = sa.dh->derive(ke->data);
    if (!g_ir) return give_up("bad KEr: " + g_ir.error().detail);
    if (auto s = derive_sa_keys(sa, *g_ir); !s) return give_up(s.error().detail);
    core.log_keys(sa);
    apply_nat(sa, check_nat(r.payloads, sa.spi_i, sa.spi_r, sa.local, sa.remote), true);
    sa.peer_childless = r.notify(NotifyType::ChildlessIkev2Supported) != nullptr;
    sa.init_response.assign(r.raw.begin(), r.raw.end());
    sa.dh.reset();
    sa.set_state(IkeState::Authenticating);
    return TaskResult::Done;
  }

 private:
  TaskResult give_up(std::string why) {
    reason_ = std::move(why);
    return TaskResult::DestroySa;
  }

  std::uint16_t group_ = 0;
  int retries_ = 0;
};

}  // namespace

std::unique_ptr<Task> make_ike_init_task() { return std::make_unique<IkeInitTask>(); }

core::Status derive_sa_keys(IkeSa& sa, std::span<const std::uint8_t> g_ir) {
  if (sa.prf == nullptr) return core::fail(core::ErrorCode::Unsupported, "PRF {} unsupported", sa.algs.prf);
  auto sizes = sa.algs.key_sizes();
  if (!sizes) return tl::unexpected(sizes.error());
  auto seed = skeyseed(*sa.prf, sa.ni, sa.nr, g_ir);
  if (!seed) return tl::unexpected(seed.error());
  auto keys = derive_ike_keys(*sa.prf, *seed, sa.ni, sa.nr, sa.spi_i, sa.spi_r, *sizes);
  if (!keys) return tl::unexpected(keys.error());
  sa.keys = std::move(*keys);
  return core::ok();
}

void EngineCore::log_keys(const IkeSa& sa) const {
  if (!key_logger) return;
  key_logger(IkeKeyInfo{sa.spi_i, sa.spi_r, sa.algs, sa.keys.sk_ei, sa.keys.sk_er, sa.keys.sk_ai,
                        sa.keys.sk_ar});
}

void EngineCore::on_ike_sa_init_request(const wire::Message& m, std::span<const std::uint8_t> raw,
                                        const core::net::Endpoint& local,
                                        const core::net::Endpoint& remote) {
  const wire::Header& h = m.header;
  if (IkeSa* sa = sas.find_half_open(h.spi_i, remote)) {
    // A retransmitted request: the same answer again (RFC 7296 §2.1).
    if (sa->has_cached_response && h.message_id == 0) sender.send(sa->cached_response, sa->local, sa->remote);
    return;
  }
  // An IKE_SA_INIT request starts at Message ID 0 with no responder SPI (§3.1).
  if (h.message_id != 0 || h.spi_r != 0) return;
  const auto* sa_p = wire::find<wire::SaPayload>(m.payloads);
  const auto* ke = wire::find<wire::KePayload>(m.payloads);
  const auto* nonce = wire::find<wire::NoncePayload>(m.payloads);
  if (sa_p == nullptr || ke == nullptr || nonce == nullptr) {
    send_plain_notify(h, NotifyPayload::make(NotifyType::InvalidSyntax), local, remote);
    return;
  }
  if (settings.cookie_required || sas.half_open_count() >= settings.cookie_threshold) {
    const auto* c = wire::find_notify(m.payloads, NotifyType::Cookie);
    if (c == nullptr || !cookies.check(c->data, nonce->data, remote.addr, h.spi_i)) {
      KLOG(Ike, Diag, "IKE_SA_INIT from {}: demanding a COOKIE", remote.to_string());
      send_plain_notify(h, NotifyPayload::make(NotifyType::Cookie,
                                               cookies.make(nonce->data, remote.addr, h.spi_i)),
                        local, remote);
      return;
    }
  }
  const auto& proposals = settings.ike_proposals;
  auto chosen = select_ike(*sa_p, proposals, ke->group);
  if (!chosen) {
    KLOG(Ike, Info, "IKE_SA_INIT from {}: no acceptable proposal", remote.to_string());
    send_plain_notify(h, NotifyPayload::make(NotifyType::NoProposalChosen), local, remote);
    return;
  }
  if (chosen->algs.ke != ke->group) {
    KLOG(Ike, Diag, "IKE_SA_INIT from {}: KE group {} unacceptable, asking for {}", remote.to_string(),
         ke->group, chosen->algs.ke);
    send_plain_notify(h, NotifyPayload::make(NotifyType::InvalidKePayload, be16(chosen->algs.ke)),
                      local, remote);
    return;
  }
  auto dh = core::crypto::generate_dh(chosen->algs.ke);
  if (!dh) {
    send_plain_notify(h, NotifyPayload::make(NotifyType::NoProposalChosen), local, remote);
    return;
  }
  auto g_ir = (*dh)->derive(ke->data);
  if (!g_ir) {
    KLOG(Ike, Info, "IKE_SA_INIT from {}: {}", remote.to_string(), g_ir.error().to_string());
    send_plain_notify(h, NotifyPayload::make(NotifyType::InvalidSyntax), local, remote);
    return;
  }
  IkeSa& sa = sas.create(false);
  sa.spi_i = h.spi_i;
  sa.local = local;
  sa.remote = remote;
  sa.algs = chosen->algs;
  sa.prf = prf_instance(sa.algs.prf);
  sa.ni = nonce->data;
  sa.nr = rng.bytes(kNonceSize);
  if (auto s = derive_sa_keys(sa, *g_ir); !s) {
    KLOG(Ike, Error, "IKE_SA {}: key derivation failed: {}", sa.name(), s.error().to_string());
    sas.remove(sa.id());
    send_plain_notify(h, NotifyPayload::make(NotifyType::NoProposalChosen), local, remote);
    return;
  }
  log_keys(sa);
  apply_nat(sa, check_nat(m.payloads, sa.spi_i, 0, local, remote), false);
  sa.peer_childless = wire::find_notify(m.payloads, NotifyType::ChildlessIkev2Supported) != nullptr;
  sa.init_request.assign(raw.begin(), raw.end());

  std::vector<wire::Payload> p;
  p.emplace_back(wire::SaPayload{{ike_proposal(sa.algs, chosen->number, {})}});
  auto pub = (*dh)->public_value();
  p.emplace_back(wire::KePayload{sa.algs.ke, {pub.begin(), pub.end()}});
  p.emplace_back(wire::NoncePayload{sa.nr});
  for (auto& n : nat_notifies(sa.spi_i, sa.spi_r, local, remote)) p.push_back(std::move(n));
  if (settings.accept_childless) p.emplace_back(NotifyPayload::make(NotifyType::ChildlessIkev2Supported));

  sa.set_state(IkeState::HalfOpen);
  sas.add_half_open(sa);
  send_response(sa, InMessage{h, {}, raw}, p);
  sa.init_response = sa.cached_response;
  const IkeSaId id = sa.id();
  sa.expire_timer.arm(settings.half_open_timeout, [this, id] {
    IkeSa* s = sas.find(id);
    if (s != nullptr && s->state() == IkeState::HalfOpen) destroy(*s, "half-open timeout");
  });
}

}  // namespace ikev2
