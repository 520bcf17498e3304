// ikev2/wire/nonce.h — the Nonce payload Ni / Nr (RFC 7296 §3.9).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                            Nonce Data                         ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// kMinNonceSize / kMaxNonceSize bound the Nonce Data (RFC 7296 §3.9).
inline constexpr std::size_t kMinNonceSize = 16;
inline constexpr std::size_t kMaxNonceSize = 256;

// NoncePayload is the nonce data.
struct NoncePayload {
  std::vector<std::uint8_t> data;

  bool operator==(const NoncePayload&) const = default;
};

// decode_nonce takes the body as the nonce; it cannot fail on lengths.
core::Result<NoncePayload> decode_nonce(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax unless 16 <= size <= 256 ("MUST be between 16
// and 256 octets, inclusive", RFC 7296 §3.9).
core::Status verify(const NoncePayload& nonce, const VerifyContext& ctx);

// encode appends the nonce data.
void encode(const NoncePayload& nonce, core::wire::Writer& w);

}  // namespace ikev2::wire
