// ikev2/tasks/ike_rekey.cc — IKE_SA rekey, both sides (RFC 7296 §1.3.2, §2.18).
#include "ikev2/tasks/ike_rekey.h"

#include "core/crypto/dh.h"
#include "core/log/log.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/ike_init.h"
#include "ikev2/tasks/informational.h"

namespace ikev2 {

namespace {

using wire::NotifyPayload;
using wire::NotifyType;

std::vector<std::uint8_t> be64(std::uint64_t v) {
  std::vector<std::uint8_t> b(8);
  for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
  return b;
}

std::optional<std::uint64_t> spi64(const std::vector<std::uint8_t>& b) {
  if (b.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (auto x : b) v = v << 8 | x;
  return v;
}

// make_successor derives the new IKE_SA's keys and moves everything the
// old one carries over to it (§2.18). ni/nr are the rekey exchange's.
core::Result<IkeSa*> make_successor(EngineCore& core, IkeSa& old, bool initiator,
                                    std::uint64_t local_spi, std::uint64_t peer_spi,
                                    const IkeAlgs& algs, std::span<const std::uint8_t> g_ir,
                                    const std::vector<std::uint8_t>& ni,
                                    const std::vector<std::uint8_t>& nr) {
  const core::crypto::Prf* prf = prf_instance(algs.prf);
  auto sizes = algs.key_sizes();
  if (prf == nullptr || !sizes) return core::fail(core::ErrorCode::Unsupported, "new IKE_SA algorithms unsupported");
  auto seed = rekey_skeyseed(*old.prf, old.keys.sk_d, g_ir, ni, nr);
  if (!seed) return tl::unexpected(seed.error());
  const std::uint64_t spi_i = initiator ? local_spi : peer_spi;
  const std::uint64_t spi_r = initiator ? peer_spi : local_spi;
  auto keys = derive_ike_keys(*prf, *seed, ni, nr, spi_i, spi_r, *sizes);
  if (!keys) return tl::unexpected(keys.error());

  IkeSa& n = core.sas.create_with_spi(initiator, local_spi);
  n.spi_i = spi_i;
  n.spi_r = spi_r;
  n.local = old.local;
  n.remote = old.remote;
  n.algs = algs;
  n.prf = prf;
  n.keys = std::move(*keys);
  core.log_keys(n);
  n.local_id = old.local_id;
  n.remote_id = old.remote_id;
  n.config = old.config;
  n.nat_local = old.nat_local;
  n.nat_remote = old.nat_remote;
  n.peer_childless = old.peer_childless;
  n.set_state(IkeState::Established);
  while (!old.children.empty()) {
    auto child = std::move(old.children.back());
    old.children.pop_back();
    core.sas.add_child(child->spi_in, n.id());
    n.children.push_back(std::move(child));
  }
  old.rekeyed_to = n.id();
  old.set_state(IkeState::Rekeyed);
  old.rekey_timer.cancel();
  old.dpd_timer.cancel();
  core.sas.add_identity(n);
  KLOG(Ike, Info, "IKE_SA {} rekeyed to {} ({} CHILD_SAs moved)", old.name(), n.name(), n.children.size());
  core.ike_established(n, old.id());
  return &n;
}

class IkeRekeyTask final : public Task {
 public:
  TaskKind kind() const override { return TaskKind::RekeyIke; }
  wire::ExchangeType exchange() const override { return wire::ExchangeType::CreateChildSa; }
  std::string_view name() const override { return "IKE_REKEY"; }

  core::Result<std::vector<wire::Payload>> build(EngineCore& core, IkeSa& sa) override {
    if (sa.state() != IkeState::Established)
      return core::fail(core::ErrorCode::State, "IKE rekey in state {}", ike_state_name(sa.state()));
    const auto& proposals = core.ike_proposals(sa.config.get());
    if (group_ == 0) group_ = first_ke(proposals);
    auto dh = core::crypto::generate_dh(group_);
    if (!dh) return tl::unexpected(dh.error());
    dh_ = std::move(*dh);
    spi_ = core.sas.fresh_spi();
    ni_ = core.rng.bytes(kNonceSize);
    std::vector<wire::Payload> p;
    p.emplace_back(offer(proposals, wire::ProtocolId::Ike, be64(spi_)));
    p.emplace_back(wire::NoncePayload{ni_});
    auto pub = dh_->public_value();
    p.emplace_back(wire::KePayload{group_, {pub.begin(), pub.end()}});
    return p;
  }

  TaskResult process(EngineCore& core, IkeSa& sa, const InMessage& r) override {
    const auto& proposals = core.ike_proposals(sa.config.get());
    if (const auto* n = r.notify(NotifyType::InvalidKePayload)) {
      const std::uint16_t g = n->data.size() == 2 ? static_cast<std::uint16_t>(n->data[0] << 8 | n->data[1]) : 0;
      if (++retries_ > 3 || g == group_ || !allows_ke(proposals, g)) return fail("INVALID_KE_PAYLOAD");
      group_ = g;
      return TaskResult::Retry;
    }
    if (const auto* n = r.error_notify()) {
      if (n->type == NotifyType::TemporaryFailure) core.retry_ike_rekey_later(sa);
      return fail(wire::notify_type_name(n->type));
    }
    const auto* sa_p = r.find<wire::SaPayload>();
    const auto* nonce = r.find<wire::NoncePayload>();
    const auto* ke = r.find<wire::KePayload>();
    if (sa_p == nullptr || nonce == nullptr || ke == nullptr || sa_p->proposals.size() != 1)
      return fail("IKE rekey response lacks SA, Nr or KEr");
    auto chosen = select_ike(*sa_p, proposals, group_);
    auto peer_spi = chosen ? spi64(chosen->spi) : std::nullopt;
    if (!chosen || !peer_spi || *peer_spi == 0 || chosen->algs.ke != group_ || ke->group != group_)
      return fail("IKE rekey response does not match our offer");
    auto g_ir = dh_->derive(ke->data);
    if (!g_ir) return fail("bad KEr: " + g_ir.error().detail);
    auto n = make_successor(core, sa, true, spi_, *peer_spi, chosen->algs, *g_ir, ni_, nonce->data);
    if (!n) return fail(n.error().detail);
    core.queue(sa, make_delete_ike_task("rekeyed"), true);
    return TaskResult::Done;
  }

 private:
  TaskResult fail(std::string why) {
    reason_ = std::move(why);
    return TaskResult::Failed;
  }

  std::uint16_t group_ = 0;
  int retries_ = 0;
  std::uint64_t spi_ = 0;
  std::vector<std::uint8_t> ni_;
  std::unique_ptr<core::crypto::DhKey> dh_;
};

}  // namespace

std::unique_ptr<Task> make_ike_rekey_task() { return std::make_unique<IkeRekeyTask>(); }

void respond_ike_rekey(EngineCore& core, IkeSa& sa, const InMessage& req) {
  auto answer = [&](NotifyPayload n) { core.send_response(sa, req, {wire::Payload(std::move(n))}); };
  // A CHILD_SA exchange of ours in flight would land on the old SA.
  if (sa.active && sa.active->kind() != TaskKind::Liveness) {
    answer(NotifyPayload::make(NotifyType::TemporaryFailure));
    return;
  }
  const auto* sa_p = req.find<wire::SaPayload>();
  const auto* nonce = req.find<wire::NoncePayload>();
  const auto* ke = req.find<wire::KePayload>();
  if (sa_p == nullptr || nonce == nullptr || ke == nullptr) {
    answer(NotifyPayload::make(NotifyType::InvalidSyntax));
    return;
  }
  auto chosen = select_ike(*sa_p, core.ike_proposals(sa.config.get()), ke->group);
  auto peer_spi = chosen ? spi64(chosen->spi) : std::nullopt;
  if (!chosen || !peer_spi || *peer_spi == 0) {
    answer(NotifyPayload::make(NotifyType::NoProposalChosen));
    return;
  }
  if (chosen->algs.ke != ke->group) {
    answer(NotifyPayload::make(NotifyType::InvalidKePayload,
                               {static_cast<std::uint8_t>(chosen->algs.ke >> 8),
                                static_cast<std::uint8_t>(chosen->algs.ke)}));
    return;
  }
  auto dh = core::crypto::generate_dh(chosen->algs.ke);
  auto g_ir = dh ? (*dh)->derive(ke->data)
                 : core::Result<core::crypto::SecureBytes>(tl::unexpected(dh.error()));
  if (!g_ir) {
    answer(NotifyPayload::make(NotifyType::InvalidSyntax));
    return;
  }
  const std::uint64_t spi = core.sas.fresh_spi();
  const auto nr = core.rng.bytes(kNonceSize);
  std::vector<wire::Payload> out;
  out.emplace_back(wire::SaPayload{{ike_proposal(chosen->algs, chosen->number, be64(spi))}});
  out.emplace_back(wire::NoncePayload{nr});
  auto pub = (*dh)->public_value();
  out.emplace_back(wire::KePayload{chosen->algs.ke, {pub.begin(), pub.end()}});
  auto n = make_successor(core, sa, false, spi, *peer_spi, chosen->algs, *g_ir, nonce->data, nr);
  if (!n) {
    answer(NotifyPayload::make(NotifyType::NoProposalChosen));
    return;
  }
  core.send_response(sa, req, out);
  // The initiator deletes the old SA; if its Delete never comes, drop it.
  const IkeSaId id = sa.id();
  sa.expire_timer.arm(std::chrono::seconds(60), [&core, id] {
    if (IkeSa* s = core.sas.find(id)) core.destroy(*s, "rekeyed, no Delete received");
  });
}

}  // namespace ikev2
