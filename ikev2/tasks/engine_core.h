// ikev2/tasks/engine_core.h — the engine's machinery, shared by the exchange
// tasks (internal to ikev2/; the public face is engine.h).
//
// EngineCore holds the collaborators (kernel, clock, timers, sender, RNG),
// the SA manager and the cookie jar, and implements what every exchange
// needs: the task manager (Message IDs, window of one, retransmission with
// exponential back-off, matching responses, RFC 7296 §2.1-§2.3), SK
// protection, the response cache, CHILD_SA installation in the kernel, SA
// lifetimes and events. Timer callbacks capture the IKE_SA id, never a
// pointer, and look the SA up again when they fire.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock/clock.h"
#include "core/crypto/random.h"
#include "core/ipsec/kernel.h"
#include "ikev2/keymat/keymat.h"
#include "ikev2/keymat/sk_cipher.h"
#include "ikev2/sa/sa_manager.h"
#include "ikev2/tasks/cookie.h"
#include "ikev2/tasks/engine.h"
#include "ikev2/tasks/task.h"

namespace ikev2 {

class EngineCore {
 public:
  EngineCore(Settings settings, core::ipsec::Kernel& kernel, const core::Clock& clock,
             core::Timers& timers, Sender& sender, core::crypto::Rng& rng);
  ~EngineCore();

  Settings settings;
  core::ipsec::Kernel& kernel;
  const core::Clock& clock;
  core::Timers& timers;
  Sender& sender;
  core::crypto::Rng& rng;
  SaManager sas;
  CookieJar cookies;
  EventHandler on_event;
  MessageTracer tracer;
  KeyLogger key_logger;

  // --- receiving (dispatch.cc) --------------------------------------------
  void on_datagram(std::span<const std::uint8_t> datagram, const core::net::Endpoint& local,
                   const core::net::Endpoint& remote);

  // --- SK protection and sending (dispatch.cc) ----------------------------
  // protect encodes payloads inside an SK payload under sa's outbound keys.
  core::Result<std::vector<std::uint8_t>> protect(IkeSa& sa, const wire::Header& header,
                                                  const std::vector<wire::Payload>& payloads);
  // header builds the IKE header of a message on sa.
  wire::Header header(const IkeSa& sa, wire::ExchangeType x, bool response, std::uint32_t id) const;
  // send_response protects, sends and caches the response to request.
  void send_response(IkeSa& sa, const InMessage& request, const std::vector<wire::Payload>& payloads);
  // send_plain_notify answers an unprotected request with one notify and
  // keeps no state (IKE_SA_INIT errors, COOKIE).
  void send_plain_notify(const wire::Header& request, wire::NotifyPayload n,
                         const core::net::Endpoint& local, const core::net::Endpoint& remote);
  void transmit(const IkeSa& sa, std::span<const std::uint8_t> bytes);

  // --- task manager (tasks.cc) --------------------------------------------
  // queue adds a task behind the others (front: before them) and starts it
  // when the SA is idle.
  void queue(IkeSa& sa, std::unique_ptr<Task> task, bool front = false);
  // kick starts the next queued task if none is in flight.
  void kick(IkeSa& sa);
  // busy says whether an exchange of ours is in flight on sa.
  bool busy(const IkeSa& sa) const { return sa.active != nullptr; }

  // --- lifecycle (lifecycle.cc) -------------------------------------------
  // ike_established starts lifetimes and DPD and emits IkeUp (or, for the
  // new SA of a rekey, IkeRekeyed naming the old one).
  void ike_established(IkeSa& sa, IkeSaId replaces = 0);
  // destroy removes every CHILD_SA from the kernel, aborts tasks, emits
  // ChildDown/IkeDown and drops the IKE_SA. sa is invalid afterwards.
  void destroy(IkeSa& sa, const std::string& reason);
  // schedule_ike_lifetime arms the IKE_SA's rekey and expiry timers.
  void schedule_ike_lifetime(IkeSa& sa);
  // retry_*_rekey_later re-arm a rekey 5-14 s out after TEMPORARY_FAILURE.
  void retry_ike_rekey_later(IkeSa& sa);
  void retry_child_rekey_later(IkeSa& sa, ChildSa& child);
  // jittered returns rekey minus a random part of jitter.
  core::Duration jittered(const Lifetime& l);

  // --- CHILD_SAs (child_kernel.cc) ----------------------------------------
  // reqid_for returns the configuration's reqid, or a fresh engine reqid.
  std::uint32_t reqid_for(const ChildConfig& config);
  // alloc_spi reserves our inbound ESP SPI from the peer to us.
  core::Result<std::uint32_t> alloc_spi(const IkeSa& sa, std::uint32_t reqid);
  // release_spi drops a reserved SPI that will not be used.
  void release_spi(const IkeSa& sa, std::uint32_t spi);
  // install_child hands both directions of child to the kernel with keys
  // (RFC 7296 §2.17 order; we_initiated: we initiated the exchange that
  // made the child, so the "i" keys are our outbound ones). On failure
  // nothing of it stays installed.
  core::Status install_child(IkeSa& sa, ChildSa& child, const ChildKeys& keys, bool we_initiated);
  // child_established indexes the child, arms its lifetime and emits
  // ChildUp, or ChildRekeyed when it replaces the child with inbound SPI
  // `replaces`; announce=false emits nothing (a redundant collision child).
  void child_established(IkeSa& sa, ChildSa& child, std::uint32_t replaces = 0,
                         bool announce = true);
  // remove_child takes the child's SAs out of the kernel, unindexes and
  // erases it, emitting ChildDown when it was installed.
  void remove_child(IkeSa& sa, std::uint32_t spi_in, const std::string& reason);
  // child_info describes a CHILD_SA for events and status.
  ChildInfo child_info(const ChildSa& child) const;
  // child_proposals / ike_proposals return the configuration's proposals,
  // or the engine-wide ones when it has none.
  const std::vector<wire::Proposal>& child_proposals(const ChildConfig* config) const;
  const std::vector<wire::Proposal>& ike_proposals(const PeerConfig* peer) const;

  // log_keys hands sa's freshly derived keys to the KeyLogger, if any
  // (ike_init.cc).
  void log_keys(const IkeSa& sa) const;

  // --- events --------------------------------------------------------------
  Event ike_event(EventKind kind, const IkeSa& sa) const;
  void emit(const Event& ev);

 private:
  void on_retransmit(IkeSaId id);
  void start(IkeSa& sa);
  void handle_response(IkeSa& sa, const InMessage& msg);
  void handle_request(IkeSa& sa, const InMessage& msg);
  void on_ike_sa_init_request(const wire::Message& m, std::span<const std::uint8_t> raw,
                              const core::net::Endpoint& local, const core::net::Endpoint& remote);
  // unprotect checks and decrypts the SK payload and parses its content;
  // authentic tells whether the checksum held (even if parsing failed).
  core::Result<InMessage> unprotect(IkeSa& sa, const wire::Message& m,
                                    std::span<const std::uint8_t> raw, bool& authentic);
  void arm_retransmit(IkeSa& sa);
  void arm_dpd(IkeSa& sa);

  std::uint32_t next_reqid_ = 0x10000;  // engine-chosen reqids start above configured ones
};

}  // namespace ikev2
