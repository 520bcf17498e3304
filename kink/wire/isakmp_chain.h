// kink/wire/isakmp_chain.h — the chain of ISAKMP payloads inside a
// KINK_ISAKMP payload (RFC 4430 §4.2.6): each payload starts with the
// ISAKMP generic header (RFC 2408 §3.2), and unlike KINK payloads they are
// not padded.
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Quick Mode payloads (SA, KE, ID, Nonce, Notification, Delete) decode into
// their structs; any other type (HASH, CERT, VID, ...) is kept as an
// UnknownPayload, skipped by its length. Proposal and Transform payloads
// only exist inside an SA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "kink/wire/constants.h"
#include "kink/wire/decode_error.h"
#include "kink/wire/isakmp_constants.h"
#include "kink/wire/isakmp_id.h"
#include "kink/wire/isakmp_nonce_ke.h"
#include "kink/wire/isakmp_notify.h"
#include "kink/wire/isakmp_sa.h"

namespace kink::wire::isakmp {

// kGenericHeaderSize is the size of the ISAKMP generic payload header.
inline constexpr std::size_t kGenericHeaderSize = 4;

// UnknownPayload is an ISAKMP payload this codec does not parse.
struct UnknownPayload {
  PayloadType type = PayloadType::None;
  std::vector<std::uint8_t> body;

  bool operator==(const UnknownPayload&) const = default;
};

// Payload is one decoded ISAKMP payload.
using Payload = std::variant<SaPayload, KePayload, IdPayload, NoncePayload, NotifyPayload, DeletePayload,
                             UnknownPayload>;

// payload_type returns the Next Payload value that announces p.
PayloadType payload_type(const Payload& p);

// decode_chain parses the chain that starts with a payload of type first
// and fills data exactly, then verifies each payload. doi is the KINK
// header's DOI: the DOI of SA, Notification and Delete payloads must equal
// it (RFC 4430 §4, fails InvalidDoi). base is data's offset in the buffer
// error offsets refer to. Fails Malformed for a Payload Length below 4 or
// past the end, a body that does not parse, or octets after the last
// payload; InvalidSyntax for a Proposal or Transform outside an SA or a
// payload that breaks its RFC rules; Unsupported as decode_sa says.
// Errors carry payload_type KINK_ISAKMP and the failing isakmp_type.
DecodeResult<std::vector<Payload>> decode_chain(PayloadType first, std::span<const std::uint8_t> data,
                                                std::uint32_t doi = kIpsecDoi, std::size_t base = 0);

// EncodedChain is a serialised ISAKMP chain and its first payload type
// (PayloadType::None when empty): the InnerNextPload of KINK_ISAKMP.
struct EncodedChain {
  PayloadType first = PayloadType::None;
  std::vector<std::uint8_t> bytes;
};

// encode_chain serialises payloads with their generic headers and chained
// Next Payload values. A body longer than 65531 octets is a caller bug
// (asserted).
EncodedChain encode_chain(const std::vector<Payload>& payloads);

// describe_chain renders "SA NONCE ID ID N(INITIAL-CONTACT)" for logs.
std::string describe_chain(const std::vector<Payload>& payloads);

}  // namespace kink::wire::isakmp
