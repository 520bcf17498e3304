// kernel/userspace/packet.h — the IP packet classifier of the userspace data
// plane: what the SPD needs to know about a packet read from the TUN device
// or decapsulated from ESP, and the IP header builder for transport mode.
//
//   auto p = parse_ip_packet(bytes);          // bounds-checked, never throws
//   if (p) spd.lookup(Dir::Out, *p);          // addresses, protocol, ports
//
// Ports follow core/net/selector.h (the Linux XFRM / KAME convention): for
// ICMP and ICMPv6 sport carries the type and dport the code; for the
// Mobility Header (protocol 135) sport carries the MH type. A fragment
// that is not the first has no upper-layer header: its ports are 0, as in
// Linux's flow dissection for XFRM (net/xfrm/xfrm_policy.c decode_session4).
//
// IPv4 header (RFC 791 §3.1):
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |Version|  IHL  |Type of Service|          Total Length         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |         Identification        |Flags|      Fragment Offset    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  Time to Live |    Protocol   |         Header Checksum       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                       Source Address                          |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                    Destination Address                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                    Options (IHL > 5)                          |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// IPv6 header (RFC 8200 §3), then the extension-header chain (§4):
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |Version| Traffic Class |           Flow Label                  |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |         Payload Length        |  Next Header  |   Hop Limit   |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |            Source Address (128 bits)                          |
//   |            Destination Address (128 bits)                     |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   | Next Header   |  Hdr Ext Len  |  (hop-by-hop 0, routing 43,   |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   destination options 60:     |
//   |  8 * (1 + Hdr Ext Len) octets in all; fragment 44: 8 octets)  |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/net/address.h"
#include "core/result.h"

namespace kernel::userspace {

// IPv6 extension headers the parser walks (RFC 8200 §4, IANA "IPv6
// Extension Header Types").
inline constexpr std::uint8_t kIpv6HopByHop = 0;
inline constexpr std::uint8_t kIpv6Routing = 43;
inline constexpr std::uint8_t kIpv6Fragment = 44;
inline constexpr std::uint8_t kIpv6DestOptions = 60;
inline constexpr std::uint8_t kIpv6NoNextHeader = 59;
// kIpInIp and kIpv6InIp are the ESP next headers of tunnel mode (RFC 4303 §2.6).
inline constexpr std::uint8_t kIpInIp = 4;
inline constexpr std::uint8_t kIpv6InIp = 41;
// kHomeAddressOption is the Home Address destination option (RFC 6275 §6.3).
inline constexpr std::uint8_t kHomeAddressOption = 201;
// kMaxExtensionHeaders bounds the IPv6 header walk; a longer chain is
// refused rather than followed (RFC 8200 §4.1 allows each header once, Destination
// Options twice: seven in all; one spare).
inline constexpr unsigned kMaxExtensionHeaders = 8;

// IpPacket is what the data plane knows about one IP packet. Offsets index
// the bytes that were parsed.
struct IpPacket {
  core::net::Address src, dst;
  std::uint8_t proto = 0;            // upper-layer protocol, after the IPv6 chain
  std::uint16_t sport = 0, dport = 0;  // ports, or ICMP type/code, or MH type
  bool has_ports = false;            // the upper-layer header was read
  bool fragment = false;             // part of a fragmented datagram
  bool later_fragment = false;       // fragment offset != 0: no upper-layer header
  std::uint8_t ttl = 0;              // TTL / Hop Limit
  std::uint8_t first_next_header = 0;  // IPv4 protocol / IPv6 fixed header's Next Header
  bool hop_by_hop = false;           // IPv6 hop-by-hop options present
  bool routing = false;              // IPv6 routing header present
  // home_address is the Home Address option's address when a Destination
  // Options header carries one (RFC 6275 §6.3): the mobile node's home
  // address, while src is its care-of address.
  std::optional<core::net::Address> home_address;
  std::size_t header_len = 0;        // IPv4 header with options / IPv6 fixed header
  std::size_t l4_offset = 0;         // start of the upper-layer header
  std::size_t length = 0;            // Total Length / 40 + Payload Length
  bool operator==(const IpPacket&) const = default;
};

// parse_ip_packet classifies one IPv4 or IPv6 packet. Bytes past the
// header's length (link padding) are ignored. Fails with Malformed for a
// truncated or inconsistent header, a truncated upper-layer header or a
// broken option; Unsupported for an IPv6 jumbogram (Payload Length 0) or an
// extension-header chain longer than kMaxExtensionHeaders.
core::Result<IpPacket> parse_ip_packet(std::span<const std::uint8_t> bytes);

// build_ip_packet writes an IP header for payload (IPv4: 20 bytes, no
// options, DF set and Identification 0 as an atomic datagram of RFC 6864
// §4, checksum set; IPv6: the fixed header, traffic class
// and flow label 0) followed by payload into out (replaced). next_header is
// the IPv4 protocol or the IPv6 Next Header. This is how transport-mode
// ESP rebuilds a packet after decryption (RFC 4303 §3.4.4.1). Fails with
// InvalidSyntax when src and dst differ in family or payload is too long
// for the header's length field.
core::Status build_ip_packet(const core::net::Address& src, const core::net::Address& dst,
                             std::uint8_t next_header, std::uint8_t ttl,
                             std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out);

// esp_spi reads the SPI of an ESP packet (its first four octets, RFC 4303
// §2.1); nullopt when shorter. SPI 0 is reserved (RFC 4303 §2.1) and
// reported as nullopt too.
std::optional<std::uint32_t> esp_spi(std::span<const std::uint8_t> esp);

}  // namespace kernel::userspace
