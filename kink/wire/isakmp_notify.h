// kink/wire/isakmp_notify.h — the ISAKMP Notification (RFC 2408 §3.14) and
// Delete (§3.15) payloads. In KINK they travel inside KINK_ISAKMP: a Delete
// in the DELETE command, Notifies in replies and STATUS (RFC 4430 §3).
//
// Notification:
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !              Domain of Interpretation  (DOI)                  !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                Security Parameter Index (SPI)                 ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                       Notification Data                       ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Delete:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !              Domain of Interpretation  (DOI)                  !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    !  Protocol-Id  !   SPI Size    !           # of SPIs           !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~               Security Parameter Index(es) (SPI)              ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "kink/wire/constants.h"
#include "kink/wire/isakmp_constants.h"

namespace kink::wire::isakmp {

// NotifyPayload is one Notification payload.
struct NotifyPayload {
  std::uint32_t doi = kIpsecDoi;
  ProtocolId protocol = ProtocolId::Esp;
  std::vector<std::uint8_t> spi;
  NotifyType type = NotifyType::NoProposalChosen;
  std::vector<std::uint8_t> data;

  bool operator==(const NotifyPayload&) const = default;
};

// DeletePayload deletes SAs by their SPIs. spi_size is kept on its own so
// "SPI Size 4, no SPIs" survives a round trip.
struct DeletePayload {
  std::uint32_t doi = kIpsecDoi;
  ProtocolId protocol = ProtocolId::Esp;
  std::uint8_t spi_size = 4;
  std::vector<std::vector<std::uint8_t>> spis;

  // ipsec builds a Delete of ESP or AH SAs from 4-octet SPIs.
  static DeletePayload ipsec(ProtocolId protocol, const std::vector<std::uint32_t>& spis);
  // spis32 returns the 4-octet SPIs as numbers (others are skipped).
  std::vector<std::uint32_t> spis32() const;
  bool operator==(const DeletePayload&) const = default;
};

// decode_notify fails Malformed when the body is shorter than 8 octets or
// the SPI Size runs past it.
core::Result<NotifyPayload> decode_notify(std::span<const std::uint8_t> body);
// decode_delete fails Malformed when the body is shorter than 8 octets or
// SPI Size x # of SPIs differs from the octets present.
core::Result<DeletePayload> decode_delete(std::span<const std::uint8_t> body);

// verify (Notify) fails InvalidSyntax for Notify Message Type 0 or an SPI
// Size that does not fit the protocol (ESP/AH: 0 or 4, IPCOMP: 0, 2 or 4).
core::Status verify(const NotifyPayload& n);
// verify (Delete) fails InvalidSyntax unless it names at least one SA of
// ESP or AH (SPI Size 4) or IPCOMP (2 or 4): a Quick Mode Delete removes
// IPsec SAs, and KINK has no ISAKMP SA to delete.
core::Status verify(const DeletePayload& d);

// encode appends the payload body. Every spis[i] must be spi_size octets.
void encode(const NotifyPayload& n, core::wire::Writer& w);
void encode(const DeletePayload& d, core::wire::Writer& w);

}  // namespace kink::wire::isakmp
