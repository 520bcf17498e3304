// kink/wire/error.h — the KINK_ERROR payload (RFC 4430 §4.2.8).
//
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    |                          ErrorCode                            |
//    +---------------+---------------+---------------+---------------+
//
// KINK_ERROR reports KINK-level failures (Kerberos failures travel in
// KINK_KRB_ERROR, ISAKMP ones in Notify payloads inside KINK_ISAKMP).
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "core/wire/writer.h"
#include "kink/wire/constants.h"

namespace kink::wire {

// kErrorBodySize is the exact body size of KINK_ERROR (Payload Length 8).
inline constexpr std::size_t kErrorBodySize = 4;
// kErrorPrivateUseEnd is the last value a peer may send (8192-16383 are
// private use; 16384 and above are reserved, RFC 4430 §4.2.8).
inline constexpr std::uint32_t kErrorPrivateUseEnd = 16383;

// ErrorPayload is KINK_ERROR.
struct ErrorPayload {
  KinkErrorCode code = KinkErrorCode::Ok;

  bool operator==(const ErrorPayload&) const = default;
};

// decode_error fails Malformed unless the body is exactly 4 octets.
core::Result<ErrorPayload> decode_error(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for an ErrorCode in the reserved range
// (16384 and above); unassigned and private-use codes pass.
core::Status verify(const ErrorPayload& p);

// encode appends the 4-octet ErrorCode.
void encode(const ErrorPayload& p, core::wire::Writer& w);

}  // namespace kink::wire
