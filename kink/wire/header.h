// kink/wire/header.h — the KINK message header (RFC 4430 §4).
//
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |   Type        | MjVer |RESRVED|            Length             |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                 Domain of Interpretation (DOI)                |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                      Transaction ID (XID)                     |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |  NextPayload  |A|  RESERVED2  |           CksumLen            |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                      A series of payloads                     ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                       Cksum (variable)                        ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Length counts the whole message including the Cksum, which sits at the
// END, after the (4-octet padded) payloads. CksumLen 0 means the message is
// unauthenticated. RESRVED and RESERVED2 are sent as zero and ignored on
// receipt. A (ACKREQ) asks the initiator for an ACK.
//
// Wireshark (4.0) dissects KINK after draft-ietf-kink-kink-jp-04, where a
// one-octet CksumLen follows the XID and the Cksum follows the header; this
// codec follows RFC 4430, so tshark misreads octets 12..15 (see
// tests/unit/kink/wire_tshark_test.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "core/wire/writer.h"
#include "kink/wire/constants.h"

namespace kink::wire {

// kHeaderSize is the fixed size of the KINK header in octets.
inline constexpr std::size_t kHeaderSize = 16;
// kLengthOffset / kCksumLenOffset locate the fields patched after encoding.
inline constexpr std::size_t kLengthOffset = 2;
inline constexpr std::size_t kCksumLenOffset = 14;

// Header is the part of the KINK header that describes the message; the
// framing fields (Length, NextPayload, CksumLen) are computed by
// encode_message and reported by decode_header in RawHeader.
struct Header {
  MessageType type = MessageType::Create;
  std::uint8_t major_version = kMajorVersion;
  std::uint32_t doi = kIpsecDoi;
  std::uint32_t xid = 0;
  bool ack_request = false;  // the A bit

  bool operator==(const Header&) const = default;
};

// RawHeader is a decoded header with its framing fields as received.
struct RawHeader {
  Header header;
  std::uint16_t length = 0;
  PayloadType next_payload = PayloadType::Done;
  std::uint16_t cksum_len = 0;

  bool operator==(const RawHeader&) const = default;
};

// decode_header reads the 16-octet header at the start of data (lengths
// only; decode_message checks them against the datagram). Fails Malformed
// when data is shorter than 16 octets.
core::Result<RawHeader> decode_header(std::span<const std::uint8_t> data);

// verify_version applies RFC 4430 §4 "MjVer ... MUST be set to 1" (fails
// Unsupported); verify_doi requires the IPsec DOI (fails InvalidSyntax).
// decode_message maps them to KINK_INVMAJ and KINK_INVDOI.
core::Status verify_version(const Header& h);
core::Status verify_doi(const Header& h);

// encode_header appends the 16 header octets exactly as h says.
void encode_header(const RawHeader& h, core::wire::Writer& w);

}  // namespace kink::wire
