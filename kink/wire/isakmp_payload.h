// kink/wire/isakmp_payload.h — the KINK_ISAKMP payload (RFC 4430 §4.2.6),
// which carries Quick Mode payloads (RFC 2409 §5.5) to create, delete or
// report IPsec SAs.
//
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    | InnerNextPload| QMMaj | QMMin |           RESERVED            |
//    +---------------+---------------+---------------+---------------+
//    |                   Quick Mode Payloads (variable)              |
//    +---------------+---------------+---------------+---------------+
//
// InnerNextPload is the type of the first ISAKMP payload; QMMaj must be 1
// (else KINK_BADQMVERS); QMMin is sent as 0 and kept as received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/wire/writer.h"
#include "kink/wire/constants.h"
#include "kink/wire/decode_error.h"
#include "kink/wire/isakmp_chain.h"

namespace kink::wire {

// kIsakmpFixedSize is the size of InnerNextPload, QMMaj/QMMin and RESERVED.
inline constexpr std::size_t kIsakmpFixedSize = 4;

// IsakmpPayload is KINK_ISAKMP with its decoded (and verified) ISAKMP chain.
struct IsakmpPayload {
  std::uint8_t qm_major = kQmMajorVersion;
  std::uint8_t qm_minor = kQmMinorVersion;
  std::vector<isakmp::Payload> payloads;

  bool operator==(const IsakmpPayload&) const = default;
};

// decode_isakmp_payload parses a KINK_ISAKMP body whose first octet sits at
// offset base of the decoder's buffer. Fails Malformed when the body is
// shorter than 4 octets, BadQmVersion when QMMaj is not 1 (checked before
// the chain, whose format the version decides), else as
// isakmp::decode_chain does with doi.
DecodeResult<IsakmpPayload> decode_isakmp_payload(std::span<const std::uint8_t> body, std::uint32_t doi,
                                                  std::size_t base);

// encode appends the KINK_ISAKMP body; InnerNextPload is the first payload's type.
void encode(const IsakmpPayload& p, core::wire::Writer& w);

}  // namespace kink::wire
