// ikev2/wire/sa.h — the Security Association payload (RFC 7296 §3.3) with its
// Proposal (§3.3.1) and Transform (§3.3.2) substructures and Transform
// Attributes (§3.3.5).
//
// SA payload:
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                          <Proposals>                          ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Proposal substructure:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Last Substruc |   RESERVED    |         Proposal Length       |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                        SPI (variable)                         ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                        <Transforms>                           ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Transform substructure:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Last Substruc |   RESERVED    |        Transform Length       |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |Transform Type |   RESERVED    |          Transform ID         |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                      Transform Attributes                     ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Data attribute:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |A|       Attribute Type        |    AF=0  Attribute Length     |
//    |F|                             |    AF=1  Attribute Value      |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                   AF=0  Attribute Value                       |
//    |                   AF=1  Not Transmitted                       |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// TransformAttribute is one data attribute. tv (AF=1) attributes carry value;
// TLV (AF=0) attributes carry data. Only Key Length (14, TV) is defined.
struct TransformAttribute {
  std::uint16_t type = 0;  // Attribute Type without the AF bit
  bool tv = true;
  std::uint16_t value = 0;
  std::vector<std::uint8_t> data;

  // key_length builds the Key Length attribute (RFC 7296 §3.3.5), in bits.
  static TransformAttribute key_length(std::uint16_t bits) {
    return {static_cast<std::uint16_t>(TransformAttributeType::KeyLength), true, bits, {}};
  }
  bool operator==(const TransformAttribute&) const = default;
};

// Transform is one transform substructure: type, ID and attributes.
struct Transform {
  TransformType type = TransformType::Encr;
  std::uint16_t id = 0;
  std::vector<TransformAttribute> attributes;

  // key_length returns the Key Length attribute's value, if present as TV.
  std::optional<std::uint16_t> key_length() const;
  bool operator==(const Transform&) const = default;
};

// Proposal is one proposal substructure. spi is empty (SPI Size 0) in the
// initial IKE SA negotiation, 8 octets for an IKE rekey, 4 for ESP/AH.
struct Proposal {
  std::uint8_t number = 1;
  ProtocolId protocol = ProtocolId::Ike;
  std::vector<std::uint8_t> spi;
  std::vector<Transform> transforms;

  bool operator==(const Proposal&) const = default;
};

// SaPayload is the SA payload: an ordered list of proposals.
struct SaPayload {
  std::vector<Proposal> proposals;

  bool operator==(const SaPayload&) const = default;
};

// decode_sa parses an SA payload body (after the generic header). Fails
// Malformed on any length or count that does not add up (Proposal/Transform
// Length too small or past the end, Num Transforms not matching, attribute
// truncated), and InvalidSyntax when a Last Substruc value contradicts the
// lengths (RFC 7296 §3.3.1: 0 for the last substructure, 2 / 3 otherwise).
core::Result<SaPayload> decode_sa(std::span<const std::uint8_t> body);

// verify checks the RFC 7296 §3.3 rules; fails InvalidSyntax naming the rule:
// at least one proposal, each with at least one transform; proposal numbers
// 1, 2, 3... in a request and a single proposal in a response; Protocol ID
// not 0; SPI Size by protocol and exchange (IKE: 0 in IKE_SA_INIT, 8 in
// CREATE_CHILD_SA, 0 or 8 when the exchange is unknown; ESP/AH: 4, and not
// IKE at all in IKE_AUTH); Transform Type not 0; Key Length only on ENCR
// transforms, TV format, non-zero, at most once.
core::Status verify(const SaPayload& sa, const VerifyContext& ctx);

// encode appends the SA body (proposals, Last Substruc and lengths computed).
void encode(const SaPayload& sa, core::wire::Writer& w);

}  // namespace ikev2::wire
