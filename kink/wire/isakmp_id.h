// kink/wire/isakmp_id.h — the ISAKMP Identification payload with the IPsec
// DOI's content (RFC 2408 §3.8, RFC 2407 §4.6.2). In Quick Mode (and so in
// KINK_ISAKMP) the pair IDci, IDcr names the traffic the SA protects.
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !  Next Payload !   RESERVED    !        Payload Length         !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !   ID Type     !  Protocol ID  !             Port              !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                     Identification Data                       ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Identification Data by type (RFC 2407 §4.6.2.2-§4.6.2.12):
//   ID_IPV4_ADDR 4 octets, ID_IPV6_ADDR 16; ID_IPV4_ADDR_SUBNET address and
//   mask (8), ID_IPV6_ADDR_SUBNET (32); ID_IPV4_ADDR_RANGE start and end
//   (8), ID_IPV6_ADDR_RANGE (32); ID_FQDN, ID_USER_FQDN text; ID_DER_ASN1_DN,
//   ID_DER_ASN1_GN DER; ID_KEY_ID opaque. Protocol ID 0 and Port 0 mean any.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/net/address.h"
#include "core/result.h"
#include "core/wire/writer.h"
#include "kink/wire/isakmp_constants.h"

namespace kink::wire::isakmp {

// IdPayload is one ID payload; data is the Identification Data as sent.
struct IdPayload {
  IdType type = IdType::Ipv4Addr;
  std::uint8_t protocol = 0;  // IP protocol, 0 = any
  std::uint16_t port = 0;     // 0 = any
  std::vector<std::uint8_t> data;

  // address builds ID_IPV4_ADDR or ID_IPV6_ADDR.
  static IdPayload address(const core::net::Address& a, std::uint8_t protocol = 0, std::uint16_t port = 0);
  // subnet builds ID_IPV4_ADDR_SUBNET or ID_IPV6_ADDR_SUBNET (network and mask).
  static IdPayload subnet(const core::net::Prefix& p, std::uint8_t protocol = 0, std::uint16_t port = 0);
  // range builds ID_IPV4_ADDR_RANGE or ID_IPV6_ADDR_RANGE.
  static IdPayload range(const core::net::Range& r, std::uint8_t protocol = 0, std::uint16_t port = 0);
  // to_range returns the addresses an address-type ID covers; nullopt for
  // the other types, for data of the wrong size, or a subnet mask that is
  // not contiguous (it covers no single range).
  std::optional<core::net::Range> to_range() const;

  bool operator==(const IdPayload&) const = default;
};

// decode_id fails Malformed when the body is shorter than 4 octets.
core::Result<IdPayload> decode_id(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax when the data size does not fit an address
// type, a range starts after it ends, or a name or key type is empty.
// Unknown ID types pass (refusing them is INVALID-ID-INFORMATION policy).
core::Status verify(const IdPayload& id);

// encode appends the ID body.
void encode(const IdPayload& id, core::wire::Writer& w);

}  // namespace kink::wire::isakmp
