// ikev2/tasks/ike_auth.h — the IKE_AUTH exchange with shared keys (RFC 7296
// §1.2, §2.15), carrying the first CHILD_SA or none (RFC 6023).
//
//   Initiator                         Responder
//   HDR, SK {IDi, [IDr,] AUTH, [N(INITIAL_CONTACT),]
//       [N(USE_TRANSPORT_MODE),] SAi2, TSi, TSr}  -->
//                                <--  HDR, SK {IDr, AUTH, [N(USE_TRANSPORT_MODE),]
//                                          SAr2, TSi, TSr}
//
// A responder that cannot verify AUTH answers AUTHENTICATION_FAILED and
// drops the IKE_SA with nothing installed (§2.21.2). A CHILD_SA that cannot
// be made (TS_UNACCEPTABLE, NO_PROPOSAL_CHOSEN) does not stop the IKE_SA.
#pragma once

#include <memory>
#include <optional>

#include "ikev2/tasks/engine.h"
#include "ikev2/tasks/task.h"

namespace ikev2 {

// make_ike_auth_task returns the initiator's IKE_AUTH task, with a first
// CHILD_SA when child is given.
std::unique_ptr<Task> make_ike_auth_task(std::optional<ChildRequest> child);

// respond_ike_auth answers an IKE_AUTH request on a half-open IKE_SA; sa
// may be destroyed when it returns.
void respond_ike_auth(EngineCore& core, IkeSa& sa, const InMessage& request);

}  // namespace ikev2
