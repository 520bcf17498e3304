// ikev2/tasks/informational.h — the INFORMATIONAL exchange (RFC 7296
// §1.4): deleting the IKE_SA or CHILD_SAs (§1.4.1), liveness checks (§2.4)
// and error notifications.
//
//   Initiator                         Responder
//   HDR, SK {[N,] [D,] ...}  -->
//                                <--  HDR, SK {[N,] [D,] ...}
//
// Deleting CHILD_SAs is answered with Delete payloads naming our inbound
// SPIs of the same CHILD_SAs; deleting the IKE_SA with an empty response,
// after which both ends drop it and all its CHILD_SAs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "ikev2/tasks/task.h"
#include "ikev2/wire/notify_type.h"

namespace ikev2 {

// make_delete_ike_task deletes the IKE_SA it runs on; the SA goes when the
// response arrives or retransmissions run out. notify, if given, rides
// along (AUTHENTICATION_FAILED after a failed IKE_AUTH, §2.21.2).
std::unique_ptr<Task> make_delete_ike_task(std::string reason,
                                           std::optional<wire::NotifyType> notify = std::nullopt);
// make_delete_child_task deletes the CHILD_SA with inbound SPI spi_in.
std::unique_ptr<Task> make_delete_child_task(std::uint32_t spi_in);
// make_liveness_task sends an empty INFORMATIONAL request.
std::unique_ptr<Task> make_liveness_task();

// respond_informational answers an INFORMATIONAL request; sa may be
// destroyed when it returns.
void respond_informational(EngineCore& core, IkeSa& sa, const InMessage& request);

}  // namespace ikev2
