// ikev2/wire/ke.h — the Key Exchange payload (RFC 7296 §3.4).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |   Diffie-Hellman Group Num    |           RESERVED            |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                       Key Exchange Data                       ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// KePayload carries the group number and the public value.
struct KePayload {
  std::uint16_t group = 0;  // a KeGroup value
  std::vector<std::uint8_t> data;

  bool operator==(const KePayload&) const = default;
};

// ke_public_value_size returns the exact public value length of a group whose
// length is fixed by its RFC (MODP: the prime's size, RFC 7296 §3.4; ECP:
// x || y, RFC 5903 §7; Curve25519/448: RFC 8031 §2), or nullopt if unknown.
std::optional<std::size_t> ke_public_value_size(std::uint16_t group);

// decode_ke parses a KE body. Fails Malformed when shorter than 4 octets.
core::Result<KePayload> decode_ke(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for group 0, empty data, or a data length that
// differs from ke_public_value_size(group) for a known group.
core::Status verify(const KePayload& ke, const VerifyContext& ctx);

// encode appends the KE body.
void encode(const KePayload& ke, core::wire::Writer& w);

}  // namespace ikev2::wire
