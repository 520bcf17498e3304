// ikev2/tasks/ike_rekey.h — rekeying the IKE_SA with CREATE_CHILD_SA
// (RFC 7296 §1.3.2, §2.18).
//
//   Initiator                         Responder
//   HDR, SK {SA, Ni, KEi}  -->
//                                <--  HDR, SK {SA, Nr, KEr}
//
// The proposals carry the new SPIs (8 octets). The new IKE_SA's keys come
// from SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old PRF,
// expanded with the new one; its Message IDs start at 0, the rekey's
// initiator is its original initiator, and every CHILD_SA moves to it. The
// initiator then deletes the old IKE_SA.
//
// Simultaneous IKE_SA rekeying (§2.8.2) is not resolved by nonces here:
// a responder whose own IKE rekey is in flight answers TEMPORARY_FAILURE and
// the initiator tries again a few seconds later.
#pragma once

#include <memory>

#include "ikev2/tasks/task.h"

namespace ikev2 {

// make_ike_rekey_task rekeys the IKE_SA it runs on.
std::unique_ptr<Task> make_ike_rekey_task();

// respond_ike_rekey answers an IKE_SA rekey request on sa.
void respond_ike_rekey(EngineCore& core, IkeSa& sa, const InMessage& request);

}  // namespace ikev2
