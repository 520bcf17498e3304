// ikev2/tasks/create_child.h — CREATE_CHILD_SA for CHILD_SAs: a new one,
// with or without PFS, and rekeying one with REKEY_SA (RFC 7296 §1.3.1,
// §1.3.3, §2.8), including the simultaneous-rekey collision of §2.8.1.
//
//   Initiator                         Responder
//   HDR, SK {[N(REKEY_SA),] [N(USE_TRANSPORT_MODE),]
//       SA, Ni, [KEi,] TSi, TSr}  -->
//                                <--  HDR, SK {[N(USE_TRANSPORT_MODE),]
//                                          SA, Nr, [KEr,] TSi, TSr}
//
// A rekey's initiator deletes the old CHILD_SA once the new one is in.
// When both ends rekey the same CHILD_SA at once, the exchange whose
// smaller nonce is the lowest of the four loses: its initiator deletes the
// CHILD_SA it made, and the winner deletes the old one.
//
// respond_create_child also handles IKE_SA rekey requests (a SA payload for
// protocol IKE) by passing them to respond_ike_rekey (ike_rekey.h).
#pragma once

#include <cstdint>
#include <memory>

#include "ikev2/tasks/engine.h"
#include "ikev2/tasks/task.h"

namespace ikev2 {

// make_create_child_task adds a CHILD_SA to an established IKE_SA.
std::unique_ptr<Task> make_create_child_task(ChildRequest request);
// make_rekey_child_task rekeys the CHILD_SA with inbound SPI spi_in.
std::unique_ptr<Task> make_rekey_child_task(std::uint32_t spi_in);

// respond_create_child answers a CREATE_CHILD_SA request.
void respond_create_child(EngineCore& core, IkeSa& sa, const InMessage& request);

// nonce_less says whether a is the lower nonce (compared as big-endian
// numbers, a shorter common prefix lower), as §2.8.1 compares them.
bool nonce_less(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace ikev2
