// ikev2/tasks/task_manager.cc — running our exchanges one at a time per
// IKE_SA: Message IDs and the window of one (RFC 7296 §2.3), retransmission
// with exponential back-off and giving up (§2.1, §2.4).
#include "core/log/log.h"
#include "ikev2/tasks/engine_core.h"

namespace ikev2 {

void Task::abort(EngineCore&, IkeSa&) {}

const wire::NotifyPayload* InMessage::error_notify() const {
  for (const auto& p : payloads) {
    const auto* n = std::get_if<wire::NotifyPayload>(&p);
    if (n != nullptr && static_cast<std::uint16_t>(n->type) < 16384) return n;
  }
  return nullptr;
}

void EngineCore::queue(IkeSa& sa, std::unique_ptr<Task> task, bool front) {
  KLOG(Ike, Debug, "IKE_SA {}: queueing {}", sa.name(), task->name());
  if (front) {
    sa.queue.insert(sa.queue.begin(), std::move(task));
  } else {
    sa.queue.push_back(std::move(task));
  }
  kick(sa);
}

void EngineCore::kick(IkeSa& sa) {
  if (sa.active || sa.hold_queue || sa.queue.empty()) return;
  sa.active = std::move(sa.queue.front());
  sa.queue.erase(sa.queue.begin());
  start(sa);
}

void EngineCore::start(IkeSa& sa) {
  Task& task = *sa.active;
  auto payloads = task.build(*this, sa);
  if (!payloads) {
    KLOG(Ike, Info, "IKE_SA {}: {} not started: {}", sa.name(), task.name(),
         payloads.error().to_string());
    auto failed = std::move(sa.active);
    failed->abort(*this, sa);
    const auto s = sa.state();
    if (s == IkeState::Created || s == IkeState::Connecting || s == IkeState::Authenticating) {
      destroy(sa, payloads.error().detail);
      return;
    }
    kick(sa);
    return;
  }
  const std::uint32_t id = sa.next_request_id;
  const wire::Header h = header(sa, task.exchange(), false, id);
  std::vector<std::uint8_t> bytes;
  if (task.exchange() == wire::ExchangeType::IkeSaInit) {
    bytes = wire::encode_message({h, *payloads});
    sa.init_request = bytes;  // RealMessage1 of the initiator's AUTH (§2.15)
  } else {
    auto p = protect(sa, h, *payloads);
    if (!p) {
      KLOG(Enc, Error, "IKE_SA {}: cannot protect {}: {}", sa.name(), task.name(),
           p.error().to_string());
      destroy(sa, "cannot protect request");
      return;
    }
    bytes = std::move(*p);
  }
  if (tracer) tracer(true, h, *payloads, sa.local, sa.remote);
  KLOG(Enc, Debug, "IKE_SA {}: sending {} request {} [{}]", sa.name(),
       wire::exchange_type_name(h.exchange), id, wire::describe_payloads(*payloads));
  sa.outstanding.message_id = id;
  sa.outstanding.bytes = std::move(bytes);
  sa.outstanding.retries = 0;
  transmit(sa, sa.outstanding.bytes);
  arm_retransmit(sa);
}

void EngineCore::arm_retransmit(IkeSa& sa) {
  const auto& rt = settings.retransmit;
  const unsigned shift = sa.outstanding.retries < 20 ? sa.outstanding.retries : 20;
  const core::Duration timeout = rt.base * (1u << shift);
  const IkeSaId id = sa.id();
  sa.retransmit_timer.arm(timeout, [this, id] { on_retransmit(id); });
}

void EngineCore::on_retransmit(IkeSaId id) {
  IkeSa* sa = sas.find(id);
  if (sa == nullptr || !sa->active) return;
  if (sa->outstanding.retries >= settings.retransmit.tries) {
    KLOG(Ike, Info, "IKE_SA {}: giving up {} after {} retransmissions", sa->name(),
         sa->active->name(), sa->outstanding.retries);
    destroy(*sa, "peer not responding");
    return;
  }
  ++sa->outstanding.retries;
  KLOG(Ike, Diag, "IKE_SA {}: retransmit {} of request {}", sa->name(), sa->outstanding.retries,
       sa->outstanding.message_id);
  transmit(*sa, sa->outstanding.bytes);
  arm_retransmit(*sa);
}

void EngineCore::handle_response(IkeSa& sa, const InMessage& msg) {
  sa.retransmit_timer.cancel();
  std::unique_ptr<Task> task = std::move(sa.active);
  std::vector<std::uint8_t>().swap(sa.outstanding.bytes);  // idle SAs keep no request bytes
  const bool init = task->exchange() == wire::ExchangeType::IkeSaInit;
  // Tasks queued by process() wait until this exchange is accounted for.
  sa.hold_queue = true;
  const TaskResult r = task->process(*this, sa, msg);
  sa.hold_queue = false;
  switch (r) {
    case TaskResult::Retry:
      // A retried IKE_SA_INIT is still Message ID 0 (§2.6, §1.2); any other
      // exchange completed and the retry is a new request.
      if (!init) ++sa.next_request_id;
      sa.active = std::move(task);
      start(sa);
      return;
    case TaskResult::Done:
    case TaskResult::Failed:
      if (r == TaskResult::Failed)
        KLOG(Ike, Info, "IKE_SA {}: {} failed: {}", sa.name(), task->name(), task->reason());
      ++sa.next_request_id;
      kick(sa);
      return;
    case TaskResult::DestroySa:
      destroy(sa, task->reason());
      return;
  }
}

}  // namespace ikev2
