// ikev2/sa/ike_sa.h — one IKE_SA (RFC 7296 §1, §2): SPIs, endpoints, chosen
// algorithms, keys, message IDs with a window of one (§2.3), the request in
// flight with its retransmission state (§2.1), the cached last response
// (§2.1: a retransmitted request is answered from it), the queue of
// exchanges waiting to run, and its CHILD_SAs.
//
// The SaManager owns every IkeSa; everyone else names one by IkeSaId and
// looks it up again after anything that might have deleted it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock/clock.h"
#include "core/crypto/dh.h"
#include "core/crypto/prf.h"
#include "core/crypto/secure_buffer.h"
#include "core/net/address.h"
#include "ikev2/keymat/keymat.h"
#include "ikev2/sa/child_sa.h"
#include "ikev2/sa/identity.h"
#include "ikev2/sa/proposal.h"
#include "ikev2/sa/settings.h"

namespace ikev2 {

class Task;

// IkeSaId names an IKE_SA inside one engine; never reused, 0 names none.
using IkeSaId = std::uint32_t;

// IkeState is where an IKE_SA is in its life.
//   Created        -> Connecting | HalfOpen | Established | Dead
//   Connecting     -> Authenticating | Dead     (initiator, IKE_SA_INIT out)
//   HalfOpen       -> Established | Dead        (responder, IKE_SA_INIT answered)
//   Authenticating -> Established | Dead        (initiator, IKE_AUTH out)
//   Established    -> Rekeyed | Deleting | Dead
//   Rekeyed        -> Deleting | Dead           (replaced by a rekey, §2.18)
//   Deleting       -> Dead                      (our Delete is out)
// Created -> Established is the new SA of an IKE rekey.
enum class IkeState : std::uint8_t {
  Created,
  Connecting,
  HalfOpen,
  Authenticating,
  Established,
  Rekeyed,
  Deleting,
  Dead,
};

std::string_view ike_state_name(IkeState s);

// Outstanding is our request in flight: its Message ID, the bytes as sent
// (retransmitted unchanged) and how many times they were retransmitted.
struct Outstanding {
  std::uint32_t message_id = 0;
  std::vector<std::uint8_t> bytes;
  unsigned retries = 0;
};

class IkeSa {
 public:
  IkeSa(IkeSaId id, bool initiator, core::Timers& timers);
  ~IkeSa();
  IkeSa(const IkeSa&) = delete;
  IkeSa& operator=(const IkeSa&) = delete;

  IkeSaId id() const { return id_; }
  // initiator is true on the original initiator of this IKE_SA (the I flag).
  bool initiator() const { return initiator_; }
  IkeState state() const { return state_; }
  // set_state moves to next and logs "old -> new"; an illegal move is
  // refused (logged at Error, state unchanged) and returns false.
  bool set_state(IkeState next);

  std::uint64_t local_spi() const { return initiator_ ? spi_i : spi_r; }
  std::uint64_t remote_spi() const { return initiator_ ? spi_r : spi_i; }
  // name is "<SPIi>_i <SPIr>_r" for log lines, strongSwan-style.
  std::string name() const;

  // Keys of this side's outbound and inbound SK payloads (§2.14).
  std::span<const std::uint8_t> sk_e_out() const { return initiator_ ? keys.sk_ei : keys.sk_er; }
  std::span<const std::uint8_t> sk_a_out() const { return initiator_ ? keys.sk_ai : keys.sk_ar; }
  std::span<const std::uint8_t> sk_e_in() const { return initiator_ ? keys.sk_er : keys.sk_ei; }
  std::span<const std::uint8_t> sk_a_in() const { return initiator_ ? keys.sk_ar : keys.sk_ai; }

  // find_child looks a CHILD_SA up by our inbound SPI, or by the peer's
  // (outbound) SPI; nullptr when absent.
  ChildSa* find_child(std::uint32_t spi_in);
  ChildSa* find_child_by_out(std::uint32_t spi_out);
  // take_child removes and returns a CHILD_SA (for adoption by a new IKE_SA).
  std::unique_ptr<ChildSa> take_child(std::uint32_t spi_in);

  // --- public state, read and written by the tasks -----------------------
  std::uint64_t spi_i = 0;
  std::uint64_t spi_r = 0;
  core::net::Endpoint local;
  core::net::Endpoint remote;
  IkeAlgs algs;
  const core::crypto::Prf* prf = nullptr;  // shared instance for algs.prf
  IkeKeys keys;
  Identity local_id;
  Identity remote_id;
  std::shared_ptr<const PeerConfig> config;

  // IKE_SA_INIT material, dropped once IKE_AUTH completes.
  std::vector<std::uint8_t> ni, nr;
  std::vector<std::uint8_t> init_request, init_response;  // as sent/received (§2.15)
  std::unique_ptr<core::crypto::DhKey> dh;
  std::vector<std::uint8_t> cookie;  // initiator: the responder's COOKIE (§2.6)

  // NAT (§2.23): the local / remote end is behind a NAT.
  bool nat_local = false;
  bool nat_remote = false;
  bool nat() const { return nat_local || nat_remote; }
  // peer_childless: the peer sent CHILDLESS_IKEV2_SUPPORTED (RFC 6023).
  bool peer_childless = false;
  bool in_identity_index = false;  // SaManager's by-identity index holds it

  // Message IDs (§2.3), window size 1.
  std::uint32_t next_request_id = 0;   // ours
  std::uint32_t expected_peer_id = 0;  // the peer's next request
  std::unique_ptr<Task> active;        // the exchange in flight
  std::vector<std::unique_ptr<Task>> queue;  // exchanges waiting
  bool hold_queue = false;             // a response is being processed
  Outstanding outstanding;
  core::ScopedTimer retransmit_timer;
  // The last response we sent, to answer a retransmitted request (§2.1).
  bool has_cached_response = false;
  std::uint32_t cached_response_id = 0;
  std::vector<std::uint8_t> cached_response;

  std::uint64_t iv_counter = 0;  // AEAD IVs of our SK payloads
  core::MonoTime established{};
  core::MonoTime last_heard{};   // last authenticated message from the peer
  core::ScopedTimer rekey_timer;
  core::ScopedTimer expire_timer;  // hard lifetime, or half-open timeout
  core::ScopedTimer dpd_timer;
  IkeSaId rekeyed_to = 0;          // the IKE_SA that replaced this one

  std::vector<std::unique_ptr<ChildSa>> children;

 private:
  IkeSaId id_;
  bool initiator_;
  IkeState state_ = IkeState::Created;
};

// prf_instance returns a process-wide Prf for an IANA PRF ID (immutable and
// thread-safe, built once), or nullptr when unsupported.
const core::crypto::Prf* prf_instance(std::uint16_t id);

}  // namespace ikev2
