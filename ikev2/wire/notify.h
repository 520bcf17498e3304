// ikev2/wire/notify.h — the Notify payload (RFC 7296 §3.10).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |  Protocol ID  |   SPI Size    |      Notify Message Type      |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                Security Parameter Index (SPI)                 ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                       Notification Data                       ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"
#include "ikev2/wire/notify_type.h"

namespace ikev2::wire {

// NotifyPayload is one notification. protocol is kept as received even when
// spi is empty (the RFC says to ignore it then); encode writes it as given.
struct NotifyPayload {
  ProtocolId protocol = ProtocolId::None;
  NotifyType type = NotifyType::InitialContact;
  std::vector<std::uint8_t> spi;
  std::vector<std::uint8_t> data;

  // make builds a notify about the IKE SA itself (no SPI, protocol 0).
  static NotifyPayload make(NotifyType t, std::vector<std::uint8_t> data = {}) {
    return {ProtocolId::None, t, {}, std::move(data)};
  }
  // child_spi returns the 4-octet ESP/AH SPI as a number, if there is one.
  std::optional<std::uint32_t> child_spi() const;
  bool operator==(const NotifyPayload&) const = default;
};

// decode_notify parses a Notify body. Fails Malformed when shorter than 4
// octets or when SPI Size runs past the body.
core::Result<NotifyPayload> decode_notify(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for: Notify Message Type 0; a non-empty SPI that
// is not a 4-octet AH/ESP SPI (RFC 7296 §3.10: a notify about the IKE SA has
// SPI Size 0); REKEY_SA, INVALID_SELECTORS or CHILD_SA_NOT_FOUND without that
// SPI; and data of the wrong size for types whose data the RFCs fix:
// UNSUPPORTED_CRITICAL_PAYLOAD 1, INVALID_KE_PAYLOAD 2, SET_WINDOW_SIZE 4,
// NAT_DETECTION_* 20 (SHA-1, §2.23), COOKIE 1..64 (§2.6),
// ADDITIONAL_IP4/IP6_ADDRESS 4/16 (RFC 4555 §4.6), SIGNATURE_HASH_ALGORITHMS
// a list of 16-bit identifiers (RFC 7427 §4).
core::Status verify(const NotifyPayload& n, const VerifyContext& ctx);

// encode appends the Notify body.
void encode(const NotifyPayload& n, core::wire::Writer& w);

}  // namespace ikev2::wire
