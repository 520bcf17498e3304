// kink/wire/payload.h — Payload: any one KINK payload, as a std::variant of
// the per-payload structs, plus UnknownPayload for types we do not parse,
// and the KINK generic payload header (RFC 4430 §4.2):
//
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    |                      value (variable)                         |
//    +---------------+---------------+---------------+---------------+
//
// Payload Length counts the 4 header octets but not the padding: every
// KINK payload starts on a 4-octet boundary of the message (RFC 4430 §4.1),
// so up to 3 zero octets follow a payload whose length is not a multiple
// of 4. An UnknownPayload (types 9-255) is skipped by its length and kept,
// so a message re-encodes unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "core/wire/writer.h"
#include "kink/wire/constants.h"
#include "kink/wire/decode_error.h"
#include "kink/wire/encrypt.h"
#include "kink/wire/error.h"
#include "kink/wire/isakmp_payload.h"
#include "kink/wire/kerberos.h"
#include "kink/wire/tgt.h"

namespace kink::wire {

// kGenericHeaderSize is the size of the KINK generic payload header.
inline constexpr std::size_t kGenericHeaderSize = 4;

// UnknownPayload is a payload whose type RFC 4430 does not define.
struct UnknownPayload {
  PayloadType type = PayloadType::Done;
  std::vector<std::uint8_t> body;

  bool operator==(const UnknownPayload&) const = default;
};

// Payload is one decoded KINK payload.
using Payload = std::variant<ApReqPayload, ApRepPayload, KrbErrorPayload, TgtReqPayload, TgtRepPayload,
                             IsakmpPayload, EncryptPayload, ErrorPayload, UnknownPayload>;

// payload_type returns the Next Payload value that announces p.
PayloadType payload_type(const Payload& p);

// decode_payload decodes and verifies the body of a payload of type whose
// generic header sits at offset (for error reports) of the decoder's
// buffer; doi is the KINK header's DOI for the ISAKMP payloads inside
// KINK_ISAKMP. A type outside 1-8 yields an UnknownPayload. Fails
// Malformed / InvalidSyntax / Unsupported / BadQmVersion / InvalidDoi as
// the payload's codec says; the detail starts "<type> payload at offset N".
DecodeResult<Payload> decode_payload(PayloadType type, std::span<const std::uint8_t> body,
                                     std::uint32_t doi, std::size_t offset);

// encode_payload_body appends p's body (without the generic header or padding).
void encode_payload_body(const Payload& p, core::wire::Writer& w);

}  // namespace kink::wire
