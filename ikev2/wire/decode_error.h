// ikev2/wire/decode_error.h — why a received IKE message or payload chain
// did not decode, in a form the engine can answer from.
//
// core::Error has only a code and text; the engine also needs to know which
// payload failed (UNSUPPORTED_CRITICAL_PAYLOAD carries the payload type as
// its notification data, RFC 7296 §3.10.1) and, to answer at all, the SPIs
// and Message ID of the request. DecodeError carries all three. The mapping
// to wire answers is the engine's, but this is what each fault is for:
//
//   fault                | core::ErrorCode | typical answer (RFC 7296)
//   ---------------------+-----------------+---------------------------------
//   Malformed            | Malformed       | drop; INVALID_SYNTAX once the
//                        |                 | message is authenticated (§2.21)
//   InvalidSyntax        | InvalidSyntax   | INVALID_SYNTAX (§2.21)
//   UnsupportedCritical  | Unsupported     | UNSUPPORTED_CRITICAL_PAYLOAD with
//                        |                 | data = payload_type (§2.5, §3.2)
//   InvalidMajorVersion  | Unsupported     | INVALID_MAJOR_VERSION if major>2,
//                        |                 | else drop (§2.5)
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "core/result.h"
#include "ikev2/wire/constants.h"
#include "ikev2/wire/header.h"

namespace ikev2::wire {

// DecodeFault is the class of a decode failure (table above).
enum class DecodeFault : std::uint8_t {
  Malformed,
  InvalidSyntax,
  UnsupportedCritical,
  InvalidMajorVersion,
};

// decode_fault_name returns "malformed", "invalid-syntax",
// "unsupported-critical-payload" or "invalid-major-version".
std::string decode_fault_name(DecodeFault f);

// DecodeError says what failed and where.
//   payload_type: the payload being decoded (PayloadType::None for the IKE
//     header itself); for UnsupportedCritical, the unknown type to report.
//   offset: octet offset of that payload's generic header (0 for the IKE
//     header) from the start of the buffer given to the decoder.
//   detail: human text naming the field, e.g. "SA payload at offset 28:
//     proposal #1: Proposal Length 3 invalid ...".
//   header: the IKE header, when decode_message got far enough to read it,
//     so the engine can answer the request.
struct DecodeError {
  DecodeFault fault = DecodeFault::Malformed;
  PayloadType payload_type = PayloadType::None;
  std::size_t offset = 0;
  std::string detail;
  std::optional<Header> header;

  // to_error converts to a core::Error (codes per the table above).
  core::Error to_error() const;
  // to_string is "<fault>: <detail>" for logs.
  std::string to_string() const;
};

// DecodeResult is the result type of the message and chain decoders.
template <typename T>
using DecodeResult = tl::expected<T, DecodeError>;

}  // namespace ikev2::wire
