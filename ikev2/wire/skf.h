// ikev2/wire/skf.h — the Encrypted Fragment payload SKF (RFC 7383 §2.5).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |        Fragment Number        |        Total Fragments        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                     Initialization Vector                     |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                      Encrypted content                        ~
//    +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |               |             Padding (0-255 octets)            |
//    +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
//    |                                               |  Pad Length   |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                    Integrity Checksum Data                    ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Next Payload is the first inner payload type in fragment 1 and 0 in the
// others. Like SK, SKF is the last payload of its message; the part after
// the two counters is split with decode_sk(body, iv_len, icv_len).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// SkfPayload is one encrypted fragment; body is IV || ciphertext || ICV.
struct SkfPayload {
  PayloadType first_inner = PayloadType::None;
  std::uint16_t fragment_number = 1;
  std::uint16_t total_fragments = 1;
  std::vector<std::uint8_t> body;

  bool operator==(const SkfPayload&) const = default;
};

// decode_skf parses an SKF body; first_inner is the generic header's Next
// Payload. Fails Malformed when shorter than the two 16-bit counters.
core::Result<SkfPayload> decode_skf(std::span<const std::uint8_t> body, PayloadType first_inner);

// verify fails InvalidSyntax unless 1 <= Fragment Number <= Total Fragments
// and Next Payload is 0 in every fragment but the first (RFC 7383 §2.5).
core::Status verify(const SkfPayload& skf, const VerifyContext& ctx);

// encode appends the SKF body (counters, then the raw body).
void encode(const SkfPayload& skf, core::wire::Writer& w);

}  // namespace ikev2::wire
