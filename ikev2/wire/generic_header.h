// ikev2/wire/generic_header.h — the generic payload header (RFC 7296 §3.2).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Payload Length counts the 4 header octets. The Critical bit applies to the
// payload it is in (not to Next Payload), and is only acted on when the
// recipient does not understand the payload type (RFC 7296 §3.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "core/wire/reader.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// kGenericHeaderSize is the size of the generic payload header in octets.
inline constexpr std::size_t kGenericHeaderSize = 4;
// kMaxPayloadBody is the largest body a 16-bit Payload Length can describe.
inline constexpr std::size_t kMaxPayloadBody = 0xffff - kGenericHeaderSize;

// GenericHeader is one decoded generic payload header plus the body it frames.
// body views the caller's buffer and must not outlive it.
struct GenericHeader {
  PayloadType next_payload = PayloadType::None;
  bool critical = false;
  std::uint16_t length = 0;
  std::span<const std::uint8_t> body;
};

// decode_generic_header reads one generic header from r and splits off its
// body. Fails Malformed (r unchanged) when fewer than 4 octets remain, when
// Payload Length < 4, or when it runs past the end of r. The RESERVED bits
// are ignored as RFC 7296 §3.2 requires.
core::Result<GenericHeader> decode_generic_header(core::wire::Reader& r);

// PayloadFrame writes a generic header whose Payload Length is patched once
// the body is written: begin(), write the body, finish().
class PayloadFrame {
 public:
  // begin writes Next Payload, the critical bit and a reserved length.
  static PayloadFrame begin(core::wire::Writer& w, PayloadType next, bool critical);
  // finish patches the length; the body must not exceed kMaxPayloadBody
  // (asserted: every body we build comes from values that fit).
  void finish(core::wire::Writer& w) const;

 private:
  PayloadFrame(core::wire::Writer::Mark len, std::size_t start) : len_(len), start_(start) {}
  core::wire::Writer::Mark len_;
  std::size_t start_;
};

}  // namespace ikev2::wire
