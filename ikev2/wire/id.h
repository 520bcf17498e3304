// ikev2/wire/id.h — the Identification payloads IDi and IDr (RFC 7296 §3.5).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |   ID Type     |                 RESERVED                      |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                   Identification Data                         ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The AUTH computation (RFC 7296 §2.15) signs the ID payload body starting at
// ID Type (RESERVED included): encode() into a fresh Writer gives exactly that.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// IdPayload is IDi (initiator == true, payload type 35) or IDr (36).
struct IdPayload {
  bool initiator = true;
  IdType type = IdType::Fqdn;
  std::vector<std::uint8_t> data;

  bool operator==(const IdPayload&) const = default;
};

// decode_id parses an ID body; initiator says which payload type it came in.
// Fails Malformed when shorter than 4 octets.
core::Result<IdPayload> decode_id(std::span<const std::uint8_t> body, bool initiator);

// verify fails InvalidSyntax for ID Type 0, an ID_IPV4_ADDR that is not 4
// octets, an ID_IPV6_ADDR that is not 16, or empty data for any type other
// than ID_NULL (RFC 7619 allows it to be empty).
core::Status verify(const IdPayload& id, const VerifyContext& ctx);

// encode appends the ID body (ID Type, three zero octets, data).
void encode(const IdPayload& id, core::wire::Writer& w);

}  // namespace ikev2::wire
