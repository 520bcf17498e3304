// kink/wire/isakmp_sa.h — the ISAKMP Security Association payload (RFC 2408
// §3.4) with its Proposal (§3.5) and Transform (§3.6) payloads and data
// attributes (§3.3), as the IPsec DOI defines them (RFC 2407 §4.2, §4.4,
// §4.5). KINK carries them in KINK_ISAKMP (RFC 4430 §4.2.6).
//
// SA payload:
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !              Domain of Interpretation  (DOI)                  !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !                           Situation                           !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~              Proposal payloads (Next Payload 2, last 0)       ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Proposal payload:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !                        SPI (variable)                         !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~              Transform payloads (Next Payload 3, last 0)      ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Transform payload:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !  Transform #  !  Transform-Id !           RESERVED2           !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                        SA Attributes                          ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Data attribute:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !A!       Attribute Type        !    AF=0  Attribute Length     !
//    !F!                             !    AF=1  Attribute Value      !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    .                   AF=0  Attribute Value                       .
//    .                   AF=1  Not Transmitted                       .
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Only the IPsec DOI's SIT_IDENTITY_ONLY situation is decoded; labeled
// situations (SIT_SECRECY, SIT_INTEGRITY, RFC 2407 §4.2) fail Unsupported.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "kink/wire/constants.h"
#include "kink/wire/isakmp_constants.h"

namespace kink::wire::isakmp {

// Attribute is one data attribute: TV (AF=1) carries value, TLV (AF=0) data.
struct Attribute {
  std::uint16_t type = 0;  // Attribute Type without the AF bit
  bool tv = true;
  std::uint16_t value = 0;
  std::vector<std::uint8_t> data;

  // basic builds a TV attribute.
  static Attribute basic(AttributeType t, std::uint16_t v);
  // variable builds a TLV attribute.
  static Attribute variable(AttributeType t, std::vector<std::uint8_t> data);
  // life_duration builds SA Life Duration: TV when v fits 16 bits, else a
  // 4-octet TLV (RFC 2407 §4.5).
  static Attribute life_duration(std::uint32_t v);
  // number returns the TV value, or the TLV data read as a big-endian
  // integer; nullopt for TLV data longer than 8 octets.
  std::optional<std::uint64_t> number() const;

  bool operator==(const Attribute&) const = default;
};

// Transform is one Transform payload.
struct Transform {
  std::uint8_t number = 1;
  std::uint8_t id = 0;  // ESP/AH/IPCOMP transform ID, by the proposal's protocol
  std::vector<Attribute> attributes;

  // find returns the first attribute of class t, or nullptr.
  const Attribute* find(AttributeType t) const;
  bool operator==(const Transform&) const = default;
};

// Proposal is one Proposal payload. Proposals sharing a Proposal # form one
// bundle (e.g. AH and ESP, RFC 2408 §4.2); spi is 4 octets for ESP and AH.
struct Proposal {
  std::uint8_t number = 1;
  ProtocolId protocol = ProtocolId::Esp;
  std::vector<std::uint8_t> spi;
  std::vector<Transform> transforms;

  // spi32 returns a 4-octet SPI as a number.
  std::optional<std::uint32_t> spi32() const;
  // set_spi32 stores a 4-octet SPI.
  void set_spi32(std::uint32_t spi);
  bool operator==(const Proposal&) const = default;
};

// SaPayload is the SA payload: DOI, situation and the proposals.
struct SaPayload {
  std::uint32_t doi = kIpsecDoi;
  std::uint32_t situation = kSitIdentityOnly;
  std::vector<Proposal> proposals;

  bool operator==(const SaPayload&) const = default;
};

// decode_sa parses an SA body (after the generic header). Fails Malformed
// on lengths or counts that do not add up (a Proposal/Transform Length
// below its header or past its parent, # of Transforms not matching, a
// truncated attribute, an SPI past its proposal); InvalidSyntax when a Next
// Payload inside the SA is not 2 (proposal) / 3 (transform) / 0 (last), or
// contradicts the lengths; Unsupported for a DOI other than IPsec or a
// labeled situation, whose formats this codec does not know.
core::Result<SaPayload> decode_sa(std::span<const std::uint8_t> body);

// verify checks RFC 2408 §3.4-§3.6 / §4.2 and RFC 2407 §4.4-§4.5; fails
// InvalidSyntax naming the rule: situation SIT_IDENTITY_ONLY; at least one
// proposal, each with at least one transform; Proposal # from 1 and never
// decreasing; no PROTO_ISAKMP proposal (Quick Mode negotiates IPsec SAs);
// SPI Size 4 for ESP and AH, 2 or 4 for IPCOMP; Transform-Id not 0; basic
// attributes in TV form, TLV attributes not empty; every SA Life Duration
// directly after an SA Life Type and every Life Type followed by one.
core::Status verify(const SaPayload& sa);

// encode appends the SA body, chaining and sizing proposals and transforms.
void encode(const SaPayload& sa, core::wire::Writer& w);

}  // namespace kink::wire::isakmp
