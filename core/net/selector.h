// core/net/selector.h — protocols, port ranges and the SPD selector.
//
// Fine-grained selectors follow the Linux XFRM / KAME convention: for ICMP
// and ICMPv6 the source-port field carries the type and the destination-port
// field the code; for the Mobility Header (protocol 135) the source-port
// field carries the MH type. Engines translate to their wire form (IKEv2
// puts type<<8|code into the TS port fields, RFC 4301 §4.4.1.1 and
// RFC 4877 §4.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/net/address.h"
#include "core/result.h"

namespace core::net {

// Well-known IP protocol numbers.
namespace proto {
inline constexpr std::uint8_t kAny = 0;
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kEsp = 50;
inline constexpr std::uint8_t kAh = 51;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kIpcomp = 108;
inline constexpr std::uint8_t kSctp = 132;
inline constexpr std::uint8_t kMh = 135;
}  // namespace proto

// parse_protocol accepts "any", a name (tcp, udp, icmp, icmp6/ipv6-icmp, mh/
// ipv6-mh, esp, ah, sctp, gre, ...) or a number 0-255.
Result<std::uint8_t> parse_protocol(std::string_view text);
std::string protocol_name(std::uint8_t p);

// PortRange is an inclusive range; {0, 65535} means any.
struct PortRange {
  std::uint16_t start = 0;
  std::uint16_t end = 0xffff;
  static PortRange any() { return {}; }
  static PortRange single(std::uint16_t p) { return {p, p}; }
  bool is_any() const { return start == 0 && end == 0xffff; }
  bool is_single() const { return start == end; }
  bool contains(std::uint16_t p) const { return start <= p && p <= end; }
  std::optional<PortRange> intersect(const PortRange& o) const;
  bool operator==(const PortRange&) const = default;
};

// Selector is one directional SPD selector (RFC 4301 §4.4.1).
struct Selector {
  Prefix src;
  Prefix dst;
  std::uint8_t proto = proto::kAny;
  PortRange sport;  // or ICMP type / MH type, see the header comment
  PortRange dport;  // or ICMP code

  Family family() const { return src.family(); }
  bool is_icmp() const { return proto == proto::kIcmp || proto == proto::kIcmpv6; }
  // icmp_type/icmp_code/mh_type read the fine-grained fields when set.
  std::optional<std::uint8_t> icmp_type() const;
  std::optional<std::uint8_t> icmp_code() const;
  std::optional<std::uint8_t> mh_type() const;
  // matches tells whether a packet's 5-tuple (ports or type/code) falls in it.
  bool matches(const Address& s, const Address& d, std::uint8_t p, std::uint16_t sp,
               std::uint16_t dp) const;
  // reversed swaps source and destination (the inbound twin of an outbound).
  Selector reversed() const;
  std::string to_string() const;
  bool operator==(const Selector&) const = default;
};

}  // namespace core::net
