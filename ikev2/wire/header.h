// ikev2/wire/header.h — the IKE header (RFC 7296 §3.1).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                       IKE SA Initiator's SPI                  |
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                       IKE SA Responder's SPI                  |
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                          Message ID                           |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                            Length                             |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
//    Flags:  +-+-+-+-+-+-+-+-+
//            |X|X|R|V|I|X|X|X|
//            +-+-+-+-+-+-+-+-+
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// kHeaderSize is the fixed size of the IKE header in octets.
inline constexpr std::size_t kHeaderSize = 28;
// kMajorVersion / kMinorVersion are what IKEv2 sends (RFC 7296 §3.1).
inline constexpr std::uint8_t kMajorVersion = 2;
inline constexpr std::uint8_t kMinorVersion = 0;

// Header is the decoded IKE header. The X flag bits are dropped on decode
// ("MUST be ignored on receipt") and sent as zero. encode_message() fills in
// next_payload and length; they are kept here so a decoded header is complete.
struct Header {
  std::uint64_t spi_i = 0;
  std::uint64_t spi_r = 0;
  PayloadType next_payload = PayloadType::None;
  std::uint8_t major_version = kMajorVersion;
  // minor_version is kept as received: RFC 7296 §3.1 says ignore it on receipt.
  std::uint8_t minor_version = kMinorVersion;
  ExchangeType exchange = ExchangeType::IkeSaInit;
  bool initiator = false;       // I: sent by the original initiator of the IKE SA
  bool higher_version = false;  // V: the sender can speak a higher major version
  bool response = false;        // R: this message is a response
  std::uint32_t message_id = 0;
  std::uint32_t length = 0;

  bool operator==(const Header&) const = default;
};

// decode_header reads the 28-octet header at the start of data (lengths only:
// the Length field is returned as received, and decode_message compares it
// with the datagram). Fails Malformed when data is shorter than 28 octets.
core::Result<Header> decode_header(std::span<const std::uint8_t> data);

// verify_header applies the RFC 7296 §2.5 version rule: a major version other
// than 2 fails Unsupported (the engine answers INVALID_MAJOR_VERSION when it is
// higher, and drops IKEv1 and below).
core::Status verify_header(const Header& h);

// encode_header appends the 28 header octets exactly as h says.
void encode_header(const Header& h, core::wire::Writer& w);

}  // namespace ikev2::wire
