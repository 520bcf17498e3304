// ikev2/wire/eap.h — the Extensible Authentication payload (RFC 7296 §3.16).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                       EAP Message                             ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The EAP message itself (RFC 3748 §4):
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |     Code      | Identifier    |           Length              |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |     Type      | Type_Data ...
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// EapPayload carries one raw EAP message; an EAP library interprets it.
struct EapPayload {
  std::vector<std::uint8_t> message;

  bool operator==(const EapPayload&) const = default;
};

// decode_eap takes the body as the EAP message; it cannot fail on lengths.
core::Result<EapPayload> decode_eap(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax unless the message holds the 4-octet EAP header,
// Code is 1..4 (Request, Response, Success, Failure) and the EAP Length field
// equals the message size (RFC 3748 §4: the payload frames exactly one packet).
core::Status verify(const EapPayload& eap, const VerifyContext& ctx);

// encode appends the EAP message.
void encode(const EapPayload& eap, core::wire::Writer& w);

}  // namespace ikev2::wire
