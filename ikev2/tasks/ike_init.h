// ikev2/tasks/ike_init.h — the IKE_SA_INIT exchange (RFC 7296 §1.2):
// proposals, key exchange, nonces, NAT detection (§2.23), cookies (§2.6),
// INVALID_KE_PAYLOAD retries (§1.2) and RFC 6023 childless support.
//
//   Initiator                         Responder
//   HDR, SAi1, KEi, Ni,
//     N(NAT_DETECTION_*), N(CHILDLESS_IKEV2_SUPPORTED)  -->
//                                <--  HDR, SAr1, KEr, Nr, N(NAT_DETECTION_*)
//                                       [N(CHILDLESS_IKEV2_SUPPORTED)]
//
// The responder side is EngineCore::on_ike_sa_init_request (in ike_init.cc):
// it demands a COOKIE without keeping state when cookies are required or
// too many SAs are half-open, answers a retransmitted request from the
// half-open SA's cached response, and creates the IKE_SA only for a request
// it accepts. The peer is not known yet, so the responder chooses from
// Settings::ike_proposals (a PeerConfig's own apply when initiating).
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "ikev2/sa/ike_sa.h"
#include "ikev2/tasks/task.h"

namespace ikev2 {

// kNonceSize is the nonce length kagi sends: 32 octets, at least half the
// key size of every PRF it supports (RFC 7296 §2.10).
inline constexpr std::size_t kNonceSize = 32;

// make_ike_init_task returns the initiator's IKE_SA_INIT task. It derives
// the IKE_SA keys on success and leaves the SA in Authenticating.
std::unique_ptr<Task> make_ike_init_task();

// derive_sa_keys computes SKEYSEED and the SK_* keys of sa from its nonces,
// SPIs and the shared secret (RFC 7296 §2.14).
core::Status derive_sa_keys(IkeSa& sa, std::span<const std::uint8_t> g_ir);

}  // namespace ikev2
