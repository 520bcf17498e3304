// ikev2/wire/ts.h — the Traffic Selector payloads TSi and TSr (RFC 7296 §3.13).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Number of TSs |                 RESERVED                      |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                       <Traffic Selectors>                     ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Traffic selector (§3.13.1):
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |   TS Type     |IP Protocol ID*|       Selector Length         |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |           Start Port*         |           End Port*           |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                         Starting Address*                     ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                         Ending Address*                       ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    * These fields are for the address-range types 7 and 8.
//
// For ICMP and ICMPv6 (and the MH type of RFC 4301 §4.4.1.1) the "ports"
// carry type and code: Start Port = type << 8 | code (RFC 7296 §3.13.1).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// TrafficSelector is one selector. For TS_IPV4_ADDR_RANGE / TS_IPV6_ADDR_RANGE
// the addresses are raw network-order bytes (4 or 16 after verify) and data
// is empty. For any other TS Type, ip_protocol holds the second octet as
// received and data the octets after Selector Length; ports and addresses
// are unused and left at their defaults.
struct TrafficSelector {
  TsType type = TsType::Ipv4AddrRange;
  std::uint8_t ip_protocol = 0;  // 0 = any
  std::uint16_t start_port = 0;
  std::uint16_t end_port = 0xffff;
  std::vector<std::uint8_t> start_address;
  std::vector<std::uint8_t> end_address;
  std::vector<std::uint8_t> data;

  bool operator==(const TrafficSelector&) const = default;
};

// TsPayload is TSi (initiator == true, payload type 44) or TSr (45).
struct TsPayload {
  bool initiator = true;
  std::vector<TrafficSelector> selectors;

  bool operator==(const TsPayload&) const = default;
};

// decode_ts parses a TS body. Fails Malformed when a Selector Length is below
// 4 (8 for address ranges, where the rest must split into two equal-length
// addresses) or runs past the body, or when Number of TSs differs from the
// selectors present.
core::Result<TsPayload> decode_ts(std::span<const std::uint8_t> body, bool initiator);

// verify fails InvalidSyntax for a payload without selectors, or an address
// range whose addresses are not 4 octets (IPv4) / 16 octets (IPv6). Unknown
// TS Types pass: refusing them is TS_UNACCEPTABLE policy, not syntax.
core::Status verify(const TsPayload& ts, const VerifyContext& ctx);

// encode appends the TS body.
void encode(const TsPayload& ts, core::wire::Writer& w);

}  // namespace ikev2::wire
