// ikev2/tasks/create_child.cc — CREATE_CHILD_SA for CHILD_SAs, both sides
// (RFC 7296 §1.3, §2.8, §2.8.1, §2.17, §2.25).
#include "ikev2/tasks/create_child.h"

#include <algorithm>

#include "core/crypto/dh.h"
#include "core/log/log.h"
#include "ikev2/tasks/child_negotiation.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/ike_init.h"
#include "ikev2/tasks/ike_rekey.h"
#include "ikev2/tasks/informational.h"

namespace ikev2 {

namespace {

using wire::NotifyPayload;
using wire::NotifyType;

std::vector<std::uint8_t> min_nonce(const std::vector<std::uint8_t>& a,
                                    const std::vector<std::uint8_t>& b) {
  return nonce_less(a, b) ? a : b;
}

class CreateChildTask final : public Task {
 public:
  explicit CreateChildTask(ChildRequest request) : request_(std::move(request)) {}
  explicit CreateChildTask(std::uint32_t old_spi) : old_spi_(old_spi) {}

  TaskKind kind() const override { return old_spi_ != 0 ? TaskKind::RekeyChild : TaskKind::CreateChild; }
  wire::ExchangeType exchange() const override { return wire::ExchangeType::CreateChildSa; }
  std::string_view name() const override { return old_spi_ != 0 ? "CHILD_REKEY" : "CHILD_CREATE"; }

  core::Result<std::vector<wire::Payload>> build(EngineCore& core, IkeSa& sa) override {
    if (sa.state() != IkeState::Established)
      return core::fail(core::ErrorCode::State, "CREATE_CHILD_SA in state {}", ike_state_name(sa.state()));
    std::uint32_t reqid = 0;
    responder_has_it_ = false;
    if (old_spi_ != 0) {
      ChildSa* old = sa.find_child(old_spi_);
      if (old == nullptr || (old->state() != ChildState::Installed && old->state() != ChildState::Rekeying))
        return core::fail(core::ErrorCode::State, "CHILD_SA {:08x} cannot be rekeyed now", old_spi_);
      old->set_state(ChildState::Rekeying);
      old->collision_nonce.clear();
      request_.config = old->config;
      reqid = old->reqid;
    } else {
      if (!request_.config) return core::fail(core::ErrorCode::Config, "CHILD_SA without configuration");
      reqid = core.reqid_for(*request_.config);
    }
    auto child = new_child(core, sa, request_, reqid);
    if (!child) return core::fail(core::ErrorCode::Kernel, "no inbound SPI");
    if (old_spi_ != 0) {
      // A rekey proposes the selectors and mode the old CHILD_SA has.
      const ChildSa* old = sa.find_child(old_spi_);
      child->local_ts = old->local_ts;
      child->remote_ts = old->remote_ts;
      child->mode = old->mode;
    }
    const auto& proposals = core.child_proposals(request_.config.get());
    if (group_ == 0) group_ = first_ke(proposals);
    ni_ = core.rng.bytes(kNonceSize);
    dh_.reset();
    if (group_ != 0) {
      auto dh = core::crypto::generate_dh(group_);
      if (!dh) {
        core.release_spi(sa, child->spi_in);
        return tl::unexpected(dh.error());
      }
      dh_ = std::move(*dh);
    }
    std::vector<wire::Payload> p;
    if (old_spi_ != 0) p.emplace_back(NotifyPayload{wire::ProtocolId::Esp, NotifyType::RekeySa, spi_bytes(old_spi_), {}});
    std::vector<wire::Payload> rest;
    offer_child(core, *child, false, rest);
    // offer_child gives [N(USE_TRANSPORT_MODE)], SA, TSi, TSr; Ni and KEi follow SA.
    for (auto& x : rest) {
      const bool is_ts = std::holds_alternative<wire::TsPayload>(x);
      if (is_ts && !nonce_added_) {
        p.emplace_back(wire::NoncePayload{ni_});
        if (dh_) {
          auto pub = dh_->public_value();
          p.emplace_back(wire::KePayload{group_, {pub.begin(), pub.end()}});
        }
        nonce_added_ = true;
      }
      p.push_back(std::move(x));
    }
    nonce_added_ = false;
    spi_ = child->spi_in;
    sa.children.push_back(std::move(child));
    return p;
  }

  TaskResult process(EngineCore& core, IkeSa& sa, const InMessage& r) override {
    ChildSa* child = sa.find_child(spi_);
    if (child == nullptr) return fail("CHILD_SA vanished");
    const auto& proposals = core.child_proposals(request_.config.get());
    if (const auto* n = r.notify(NotifyType::InvalidKePayload)) {
      const std::uint16_t g = n->data.size() == 2 ? static_cast<std::uint16_t>(n->data[0] << 8 | n->data[1]) : 0;
      drop_new(core, sa);
      if (++retries_ > 3 || g == group_ || !allows_ke(proposals, g)) return fail("INVALID_KE_PAYLOAD");
      group_ = g;
      return TaskResult::Retry;
    }
    if (const auto* n = r.error_notify()) {
      drop_new(core, sa);
      if (ChildSa* old = old_child(sa)) {
        if (n->type == NotifyType::ChildSaNotFound) {
          core.remove_child(sa, old->spi_in, "peer has no such CHILD_SA");
        } else if (old->state() == ChildState::Rekeying) {
          old->set_state(ChildState::Installed);
          if (n->type == NotifyType::TemporaryFailure) core.retry_child_rekey_later(sa, *old);
        }
      }
      return fail(wire::notify_type_name(n->type));
    }
    const auto* nonce = r.find<wire::NoncePayload>();
    // From here on the responder has installed its half (no error notify).
    responder_has_it_ = r.find<wire::SaPayload>() != nullptr;
    if (nonce == nullptr) return fail_drop(core, sa, "response lacks Nr");
    if (auto s = accept_child(core, *child, r, false); !s) return fail_drop(core, sa, s.error().detail);
    std::optional<core::crypto::SecureBytes> g_ir;
    if (child->algs.ke != 0 || dh_) {
      const auto* ke = r.find<wire::KePayload>();
      if (!dh_ || ke == nullptr || ke->group != group_ || child->algs.ke != group_)
        return fail_drop(core, sa, "PFS group mismatch");
      auto s = dh_->derive(ke->data);
      if (!s) return fail_drop(core, sa, "bad KEr: " + s.error().detail);
      g_ir = std::move(*s);
    }
    auto sizes = child->algs.key_sizes();
    if (!sizes) return fail_drop(core, sa, sizes.error().detail);
    std::optional<std::span<const std::uint8_t>> gv;
    if (g_ir) gv = g_ir->span();
    auto keys = derive_child_keys(*sa.prf, sa.keys.sk_d, gv, ni_, nonce->data, *sizes);
    if (!keys) return fail_drop(core, sa, keys.error().detail);
    if (auto s = core.install_child(sa, *child, *keys, true); !s) {
      const std::uint32_t spi = spi_;
      core.queue(sa, make_delete_child_task(spi));  // the responder has it installed
      return fail("kernel refused the CHILD_SA: " + s.error().detail);
    }
    ChildSa* old = old_child(sa);
    if (old_spi_ == 0 || old == nullptr) {
      core.child_established(sa, *child);
      return TaskResult::Done;
    }
    // §2.8.1: a collision with the peer's rekey of the same CHILD_SA.
    if (!old->collision_nonce.empty() &&
        nonce_less(min_nonce(ni_, nonce->data), old->collision_nonce)) {
      KLOG(Chd, Info, "CHILD_SA {:08x}: rekey collision lost, deleting redundant {:08x}",
           old->spi_in, child->spi_in);
      core.child_established(sa, *child, 0, false);
      old->set_state(ChildState::Rekeyed);
      core.queue(sa, make_delete_child_task(child->spi_in));
      return TaskResult::Done;
    }
    if (!old->collision_nonce.empty())
      KLOG(Chd, Info, "CHILD_SA {:08x}: rekey collision won", old->spi_in);
    core.child_established(sa, *child, old->spi_in);
    old->set_state(ChildState::Rekeyed);
    core.queue(sa, make_delete_child_task(old->spi_in));
    return TaskResult::Done;
  }

  void abort(EngineCore& core, IkeSa& sa) override {
    drop_new(core, sa);
    if (ChildSa* old = old_child(sa); old != nullptr && old->state() == ChildState::Rekeying)
      old->set_state(ChildState::Installed);
  }

 private:
  ChildSa* old_child(IkeSa& sa) const { return old_spi_ != 0 ? sa.find_child(old_spi_) : nullptr; }

  void drop_new(EngineCore& core, IkeSa& sa) {
    if (spi_ != 0) core.remove_child(sa, spi_, "not established");
    spi_ = 0;
  }

  TaskResult fail(std::string why) {
    reason_ = std::move(why);
    return TaskResult::Failed;
  }

  TaskResult fail_drop(EngineCore& core, IkeSa& sa, std::string why) {
    // The responder may have installed its half: delete it with an exchange.
    if (responder_has_it_ && sa.find_child(spi_) != nullptr) {
      core.queue(sa, make_delete_child_task(spi_));
      spi_ = 0;
    } else {
      drop_new(core, sa);
    }
    if (ChildSa* old = old_child(sa); old != nullptr && old->state() == ChildState::Rekeying)
      old->set_state(ChildState::Installed);
    return fail(std::move(why));
  }

  ChildRequest request_;
  std::uint32_t old_spi_ = 0;
  std::uint32_t spi_ = 0;
  std::uint16_t group_ = 0;
  int retries_ = 0;
  bool nonce_added_ = false;
  bool responder_has_it_ = false;
  std::vector<std::uint8_t> ni_;
  std::unique_ptr<core::crypto::DhKey> dh_;
};

std::vector<std::uint8_t> be16(std::uint16_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

}  // namespace

bool nonce_less(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

std::unique_ptr<Task> make_create_child_task(ChildRequest request) {
  return std::make_unique<CreateChildTask>(std::move(request));
}

std::unique_ptr<Task> make_rekey_child_task(std::uint32_t spi_in) {
  return std::make_unique<CreateChildTask>(spi_in);
}

void respond_create_child(EngineCore& core, IkeSa& sa, const InMessage& req) {
  auto answer = [&](NotifyPayload n) { core.send_response(sa, req, {wire::Payload(std::move(n))}); };
  if (sa.state() != IkeState::Established) {
    answer(NotifyPayload::make(NotifyType::TemporaryFailure));
    return;
  }
  const auto* sa_p = req.find<wire::SaPayload>();
  if (sa_p != nullptr && !sa_p->proposals.empty() && sa_p->proposals.front().protocol == wire::ProtocolId::Ike) {
    respond_ike_rekey(core, sa, req);
    return;
  }
  // While our IKE_SA rekey is in flight, new CHILD_SAs would be orphaned.
  if (sa.active && sa.active->kind() == TaskKind::RekeyIke) {
    answer(NotifyPayload::make(NotifyType::TemporaryFailure));
    return;
  }
  const auto* nonce = req.find<wire::NoncePayload>();
  auto offer = read_offer(req);
  if (nonce == nullptr || !offer) {
    answer(NotifyPayload::make(NotifyType::InvalidSyntax));
    return;
  }
  ChildSa* old = nullptr;
  std::vector<std::shared_ptr<const ChildConfig>> configs;
  std::uint32_t reqid = 0;
  if (const auto* n = req.notify(NotifyType::RekeySa)) {
    // The peer names the CHILD_SA by its inbound SPI, our outbound one.
    auto spi = n->child_spi();
    old = spi ? sa.find_child_by_out(*spi) : nullptr;
    if (old == nullptr) {
      answer(NotifyPayload{wire::ProtocolId::Esp, NotifyType::ChildSaNotFound, n->spi, {}});
      return;
    }
    if (old->state() != ChildState::Installed && old->state() != ChildState::Rekeying) {
      answer(NotifyPayload::make(NotifyType::TemporaryFailure));
      return;
    }
    configs.push_back(old->config);
    reqid = old->reqid;
  } else if (sa.config) {
    configs = sa.config->children;
  }
  auto picked = pick_child(core, sa, *offer, configs, false, reqid);
  if (!picked) {
    const auto& e = picked.error();
    answer(NotifyPayload::make(e.type, e.type == NotifyType::InvalidKePayload ? be16(e.group)
                                                                              : std::vector<std::uint8_t>{}));
    return;
  }
  std::unique_ptr<ChildSa> child = std::move(picked->child);
  const auto nr = core.rng.bytes(kNonceSize);
  std::optional<core::crypto::SecureBytes> g_ir;
  std::vector<std::uint8_t> ke_pub;
  if (child->algs.ke != 0) {
    const auto* ke = req.find<wire::KePayload>();
    auto dh = core::crypto::generate_dh(child->algs.ke);
    auto secret = dh && ke != nullptr ? (*dh)->derive(ke->data)
                                      : core::Result<core::crypto::SecureBytes>(
                                            core::fail(core::ErrorCode::InvalidSyntax, "no KEi"));
    if (!secret) {
      core.release_spi(sa, child->spi_in);
      answer(NotifyPayload::make(NotifyType::InvalidSyntax));
      return;
    }
    g_ir = std::move(*secret);
    auto pub = (*dh)->public_value();
    ke_pub.assign(pub.begin(), pub.end());
  }
  std::optional<std::span<const std::uint8_t>> gv;
  if (g_ir) gv = g_ir->span();
  auto sizes = child->algs.key_sizes();
  core::Result<ChildKeys> keys = sizes ? derive_child_keys(*sa.prf, sa.keys.sk_d, gv, nonce->data, nr, *sizes)
                                       : core::Result<ChildKeys>(tl::unexpected(sizes.error()));
  core::Status installed = keys ? core.install_child(sa, *child, *keys, false)
                                : core::Status(tl::unexpected(keys.error()));
  if (!installed) {
    KLOG(Chd, Error, "IKE_SA {}: CHILD_SA not installed: {}", sa.name(), installed.error().to_string());
    core.release_spi(sa, child->spi_in);
    answer(NotifyPayload::make(NotifyType::NoAdditionalSas));
    return;
  }
  std::vector<wire::Payload> out;
  std::vector<wire::Payload> parts;
  answer_child(*child, picked->proposal_number, parts);
  // [N(USE_TRANSPORT_MODE),] SA, Nr, [KEr,] TSi, TSr
  for (auto& x : parts) {
    out.push_back(std::move(x));
    if (std::holds_alternative<wire::SaPayload>(out.back())) {
      out.emplace_back(wire::NoncePayload{nr});
      if (!ke_pub.empty()) out.emplace_back(wire::KePayload{child->algs.ke, ke_pub});
    }
  }
  core.send_response(sa, req, out);
  ChildSa& c = *child;
  sa.children.push_back(std::move(child));
  if (old == nullptr) {
    core.child_established(sa, c);
    return;
  }
  if (old->state() == ChildState::Rekeying) {
    // Our own rekey of it is in flight: remember this exchange's nonces for
    // the §2.8.1 comparison when our response arrives.
    old->collision_nonce = min_nonce(nonce->data, nr);
    old->collision_spi = c.spi_in;
    KLOG(Chd, Info, "CHILD_SA {:08x}: simultaneous rekey detected", old->spi_in);
  } else {
    old->set_state(ChildState::Rekeyed);  // the peer deletes it
  }
  core.child_established(sa, c, old->spi_in);
}

}  // namespace ikev2
