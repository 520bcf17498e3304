// ikev2/tasks/task.h — an exchange we initiate, as a task (strongSwan's
// task_t): build() fills the request, process() reads the response.
//
// The engine's task manager (engine_core.h) runs one task at a time per
// IKE_SA (window size 1, RFC 7296 §2.3): it assigns the Message ID, encrypts,
// sends, retransmits, matches the response and calls process(). Responder
// sides are plain functions in the same files (respond_*).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ikev2/wire/message.h"

namespace ikev2 {

class EngineCore;
class IkeSa;

// InMessage is a received message after decryption: the header and the
// payloads (the SK payload's inner chain for protected exchanges). raw is
// the datagram and is valid only while the message is being processed.
struct InMessage {
  wire::Header header;
  std::vector<wire::Payload> payloads;
  std::span<const std::uint8_t> raw;

  template <typename T>
  const T* find() const {
    return wire::find<T>(payloads);
  }
  const wire::NotifyPayload* notify(wire::NotifyType t) const {
    return wire::find_notify(payloads, t);
  }
  // error_notify returns the first Notify of an error type (< 16384), the
  // answer of a responder that refused the request (RFC 7296 §3.10.1).
  const wire::NotifyPayload* error_notify() const;
};

// TaskResult is what a task's process() asks the task manager to do next.
enum class TaskResult : std::uint8_t {
  Done,       // exchange complete; run the next task
  Retry,      // build and send this task again (COOKIE, INVALID_KE_PAYLOAD)
  Failed,     // exchange failed; the IKE_SA stays
  DestroySa,  // the IKE_SA must go (failed setup, deleted): see reason()
};

// TaskKind names what a task does, for collision checks (RFC 7296 §2.8.1,
// §2.25) and status.
enum class TaskKind : std::uint8_t {
  IkeInit,
  IkeAuth,
  CreateChild,
  RekeyChild,
  RekeyIke,
  DeleteChild,
  DeleteIke,
  Liveness,
};

class Task {
 public:
  virtual ~Task() = default;
  virtual TaskKind kind() const = 0;
  virtual wire::ExchangeType exchange() const = 0;
  virtual std::string_view name() const = 0;
  // build returns the payloads of the request (inside SK unless the exchange
  // is IKE_SA_INIT). An error aborts the task (and the IKE_SA if it is not
  // yet established).
  virtual core::Result<std::vector<wire::Payload>> build(EngineCore& core, IkeSa& sa) = 0;
  // process handles the response to the request build() made.
  virtual TaskResult process(EngineCore& core, IkeSa& sa, const InMessage& response) = 0;
  // abort releases whatever build() reserved (larval SPIs) when the task
  // will never complete: retransmissions exhausted, or the IKE_SA deleted.
  virtual void abort(EngineCore& core, IkeSa& sa);
  // reason says why the task failed or destroys the SA, for logs and events.
  const std::string& reason() const { return reason_; }

 protected:
  std::string reason_;
};

}  // namespace ikev2
