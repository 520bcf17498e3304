// ikev2/tasks/informational.cc — INFORMATIONAL, both sides (RFC 7296 §1.4,
// §1.4.1, §2.4).
#include "ikev2/tasks/informational.h"

#include "core/log/log.h"
#include "ikev2/tasks/engine_core.h"

namespace ikev2 {

namespace {

using wire::DeletePayload;
using wire::NotifyPayload;
using wire::ProtocolId;

class DeleteIkeTask final : public Task {
 public:
  DeleteIkeTask(std::string reason, std::optional<wire::NotifyType> notify)
      : notify_(notify) {
    reason_ = std::move(reason);
  }
  TaskKind kind() const override { return TaskKind::DeleteIke; }
  wire::ExchangeType exchange() const override { return wire::ExchangeType::Informational; }
  std::string_view name() const override { return "IKE_DELETE"; }

  core::Result<std::vector<wire::Payload>> build(EngineCore&, IkeSa& sa) override {
    if (sa.keys.sk_d.empty()) return core::fail(core::ErrorCode::State, "no keys to protect a Delete");
    if (sa.state() == IkeState::Established || sa.state() == IkeState::Rekeyed)
      sa.set_state(IkeState::Deleting);
    std::vector<wire::Payload> p;
    if (notify_) p.emplace_back(NotifyPayload::make(*notify_));
    p.emplace_back(DeletePayload::ike());
    return p;
  }

  TaskResult process(EngineCore&, IkeSa&, const InMessage&) override { return TaskResult::DestroySa; }

 private:
  std::optional<wire::NotifyType> notify_;
};

class DeleteChildTask final : public Task {
 public:
  explicit DeleteChildTask(std::uint32_t spi) : spi_(spi) {}
  TaskKind kind() const override { return TaskKind::DeleteChild; }
  wire::ExchangeType exchange() const override { return wire::ExchangeType::Informational; }
  std::string_view name() const override { return "CHILD_DELETE"; }

  core::Result<std::vector<wire::Payload>> build(EngineCore&, IkeSa& sa) override {
    if (sa.state() != IkeState::Established)
      return core::fail(core::ErrorCode::State, "CHILD_SA delete in state {}", ike_state_name(sa.state()));
    ChildSa* child = sa.find_child(spi_);
    if (child == nullptr) return core::fail(core::ErrorCode::NotFound, "CHILD_SA {:08x} is gone", spi_);
    child->set_state(ChildState::Deleting);
    return std::vector<wire::Payload>{DeletePayload::child(ProtocolId::Esp, {spi_})};
  }

  TaskResult process(EngineCore& core, IkeSa& sa, const InMessage&) override {
    // The response names the peer's inbound SPIs of the same CHILD_SAs; we
    // drop ours whether or not it lists them (it may have deleted first).
    core.remove_child(sa, spi_, "deleted");
    return TaskResult::Done;
  }

 private:
  std::uint32_t spi_;
};

class LivenessTask final : public Task {
 public:
  TaskKind kind() const override { return TaskKind::Liveness; }
  wire::ExchangeType exchange() const override { return wire::ExchangeType::Informational; }
  std::string_view name() const override { return "LIVENESS"; }
  core::Result<std::vector<wire::Payload>> build(EngineCore&, IkeSa& sa) override {
    if (sa.state() != IkeState::Established)
      return core::fail(core::ErrorCode::State, "liveness check in state {}", ike_state_name(sa.state()));
    return std::vector<wire::Payload>{};
  }
  TaskResult process(EngineCore&, IkeSa&, const InMessage&) override { return TaskResult::Done; }
};

}  // namespace

std::unique_ptr<Task> make_delete_ike_task(std::string reason, std::optional<wire::NotifyType> notify) {
  return std::make_unique<DeleteIkeTask>(std::move(reason), notify);
}

std::unique_ptr<Task> make_delete_child_task(std::uint32_t spi_in) {
  return std::make_unique<DeleteChildTask>(spi_in);
}

std::unique_ptr<Task> make_liveness_task() { return std::make_unique<LivenessTask>(); }

void respond_informational(EngineCore& core, IkeSa& sa, const InMessage& req) {
  bool delete_ike = false;
  std::vector<std::uint32_t> ours;
  for (const auto& p : req.payloads) {
    if (const auto* n = std::get_if<NotifyPayload>(&p)) {
      if (n->type == wire::NotifyType::AuthenticationFailed) {
        KLOG(Ike, Info, "IKE_SA {}: peer reports AUTHENTICATION_FAILED", sa.name());
      }
      continue;
    }
    const auto* d = std::get_if<DeletePayload>(&p);
    if (d == nullptr) continue;
    if (d->protocol == ProtocolId::Ike) {
      delete_ike = true;
      continue;
    }
    if (d->protocol != ProtocolId::Esp) continue;
    for (std::uint32_t spi : d->child_spis()) {
      // The peer lists its inbound SPIs, our outbound ones (§1.4.1).
      ChildSa* child = sa.find_child_by_out(spi);
      if (child == nullptr) {
        KLOG(Chd, Diag, "IKE_SA {}: Delete for unknown CHILD_SA {:08x}", sa.name(), spi);
        continue;
      }
      // A CHILD_SA we are deleting ourselves is not listed again (§1.4.1).
      if (child->state() != ChildState::Deleting) ours.push_back(child->spi_in);
      core.remove_child(sa, child->spi_in, "deleted by peer");
    }
  }
  if (delete_ike) {
    core.send_response(sa, req, {});
    core.destroy(sa, sa.rekeyed_to != 0 ? "rekeyed" : "deleted by peer");
    return;
  }
  std::vector<wire::Payload> out;
  if (!ours.empty()) out.emplace_back(DeletePayload::child(ProtocolId::Esp, ours));
  core.send_response(sa, req, out);
}

}  // namespace ikev2
