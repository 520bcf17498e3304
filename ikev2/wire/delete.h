// ikev2/wire/delete.h — the Delete payload (RFC 7296 §3.11).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Protocol ID   |   SPI Size    |          Num of SPIs          |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~               Security Parameter Index(es) (SPI)              ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// DeletePayload deletes the IKE SA (protocol IKE, no SPIs) or Child SAs by
// their inbound SPIs (ESP/AH, 4 octets each). spi_size is kept separately so
// that "SPI Size 4, no SPIs" and "SPI Size 0" stay distinct on a round trip.
struct DeletePayload {
  ProtocolId protocol = ProtocolId::Esp;
  std::uint8_t spi_size = 4;
  std::vector<std::vector<std::uint8_t>> spis;

  // ike builds the Delete for the IKE SA the message belongs to.
  static DeletePayload ike() { return {ProtocolId::Ike, 0, {}}; }
  // child builds a Delete for ESP or AH SPIs.
  static DeletePayload child(ProtocolId protocol, const std::vector<std::uint32_t>& spis);
  // child_spis returns the SPIs as numbers (only 4-octet SPIs are returned).
  std::vector<std::uint32_t> child_spis() const;
  bool operator==(const DeletePayload&) const = default;
};

// decode_delete parses a Delete body. Fails Malformed when shorter than 4
// octets or when SPI Size x Num of SPIs differs from the octets present.
core::Result<DeletePayload> decode_delete(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax unless: IKE has SPI Size 0 and no SPIs; ESP and
// AH have SPI Size 4 and at least one SPI; any other protocol is refused
// (there is nothing else a Delete can name).
core::Status verify(const DeletePayload& d, const VerifyContext& ctx);

// encode appends the Delete body. Every spis[i] must be spi_size octets.
void encode(const DeletePayload& d, core::wire::Writer& w);

}  // namespace ikev2::wire
