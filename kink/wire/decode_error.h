// kink/wire/decode_error.h — why a received KINK message, a decrypted
// KINK_ENCRYPT content or an ISAKMP chain did not decode, in a form the
// engine can answer from.
//
// An answer to a broken request is a REPLY carrying a KINK_ERROR with the
// request's XID (RFC 4430 §4.2.8, §5), so DecodeError keeps the header once
// it was read, and names the payload and offset that failed:
//
//   fault               | core::ErrorCode | KINK_ERROR code (RFC 4430 §4.2.8)
//   --------------------+-----------------+----------------------------------
//   Malformed           | Malformed       | KINK_PROTOERR
//   InvalidSyntax       | InvalidSyntax   | KINK_PROTOERR
//   Unsupported         | Unsupported     | KINK_PROTOERR (an ISAKMP answer,
//                       |                 | e.g. SITUATION-NOT-SUPPORTED, may
//                       |                 | suit the exchange better)
//   InvalidMajorVersion | Unsupported     | KINK_INVMAJ
//   InvalidDoi          | InvalidSyntax   | KINK_INVDOI
//   BadQmVersion        | Unsupported     | KINK_BADQMVERS
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "core/result.h"
#include "kink/wire/constants.h"
#include "kink/wire/header.h"
#include "kink/wire/isakmp_constants.h"

namespace kink::wire {

// DecodeFault is the class of a decode failure (table above).
enum class DecodeFault : std::uint8_t {
  Malformed,
  InvalidSyntax,
  Unsupported,
  InvalidMajorVersion,
  InvalidDoi,
  BadQmVersion,
};

// decode_fault_name returns "malformed", "invalid-syntax", "unsupported",
// "invalid-major-version", "invalid-doi" or "bad-qm-version".
std::string decode_fault_name(DecodeFault f);

// DecodeError says what failed and where.
//   payload_type: the KINK payload being decoded (KINK_DONE for the header
//     itself or for octets after the last payload).
//   isakmp_type: set when the fault is inside the ISAKMP chain of a
//     KINK_ISAKMP payload: the ISAKMP payload that failed.
//   offset: octet offset of the failing (KINK or ISAKMP) payload from the
//     start of the buffer given to the decoder.
//   detail: human text naming the field, e.g. "KINK_ISAKMP payload at
//     offset 36: SA payload at offset 44: proposal #1: SPI Size 3 ...".
//   header: the KINK header, once decode_message got far enough to read it.
struct DecodeError {
  DecodeFault fault = DecodeFault::Malformed;
  PayloadType payload_type = PayloadType::Done;
  std::optional<isakmp::PayloadType> isakmp_type;
  std::size_t offset = 0;
  std::string detail;
  std::optional<Header> header;

  // kink_error returns the ErrorCode a KINK_ERROR answer carries (table above).
  KinkErrorCode kink_error() const;
  // to_error converts to a core::Error (codes per the table above).
  core::Error to_error() const;
  // to_string is "<fault>: <detail>" for logs.
  std::string to_string() const;
};

// DecodeResult is the result type of the message and chain decoders.
template <typename T>
using DecodeResult = tl::expected<T, DecodeError>;

}  // namespace kink::wire
