// ikev2/wire/cp.h — the Configuration payload CP (RFC 7296 §3.15).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C| RESERVED    |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |   CFG Type    |                    RESERVED                   |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                   Configuration Attributes                    ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Configuration attribute (§3.15.1):
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |R|         Attribute Type      |            Length             |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                             Value                             ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// MIP6_HOME_PREFIX value (RFC 5026 §4.2.2): Prefix Lifetime (4 octets),
// Home Prefix (16), Prefix Length (1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// CfgAttribute is one configuration attribute; an empty value asks for one
// (in CFG_REQUEST) or acknowledges (in CFG_ACK). The R bit is dropped.
struct CfgAttribute {
  CfgAttributeType type = CfgAttributeType::InternalIp4Address;
  std::vector<std::uint8_t> value;

  bool operator==(const CfgAttribute&) const = default;
};

// CpPayload is a CP payload: its CFG Type and attributes in order.
struct CpPayload {
  CfgType type = CfgType::Request;
  std::vector<CfgAttribute> attributes;

  bool operator==(const CpPayload&) const = default;
};

// cfg_attribute_value_size returns the one non-empty value length RFC 7296
// §3.15.1 (and RFC 5026, 5739, 7651) allow for a type, or nullopt when
// the type is variable-length or unknown to us.
std::optional<std::size_t> cfg_attribute_value_size(CfgAttributeType t);

// decode_cp parses a CP body. Fails Malformed when shorter than 4 octets or
// when an attribute header or value runs past the body.
core::Result<CpPayload> decode_cp(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for CFG Type outside 1..4, a value whose size
// is neither 0 nor cfg_attribute_value_size(type), a HOME_AGENT_ADDRESS
// that is not 16 or 20 octets (IPv6 [+ IPv4], 3GPP TS 24.302), or a SUPPORTED_ATTRIBUTES
// list of odd length.
core::Status verify(const CpPayload& cp, const VerifyContext& ctx);

// encode appends the CP body.
void encode(const CpPayload& cp, core::wire::Writer& w);

}  // namespace ikev2::wire
