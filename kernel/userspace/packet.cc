// kernel/userspace/packet.cc — IPv4/IPv6 classification for the SPD, and
// the IP header builder of transport mode.
#include "kernel/userspace/packet.h"

#include "core/net/selector.h"
#include "core/wire/reader.h"
#include "core/wire/writer.h"

namespace kernel::userspace {

namespace net = core::net;
using core::ErrorCode;
using core::fail;
using core::wire::Reader;

namespace {

constexpr std::size_t kIpv4MinHeader = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::uint8_t kDccp = 33;
constexpr std::uint8_t kUdpLite = 136;

tl::unexpected<core::Error> malformed(const char* what) {
  return fail(ErrorCode::Malformed, "IP packet: {}", what);
}

// read_upper reads what the SPD needs from the upper-layer header at the
// start of r: ports (TCP, UDP, SCTP, DCCP, UDP-Lite: RFC 4301 §4.4.1.1),
// ICMP type and code, or the MH type (RFC 6275 §6.1.1: Payload Proto,
// Header Len, MH Type).
core::Status read_upper(Reader r, IpPacket& p) {
  switch (p.proto) {
    case net::proto::kTcp:
    case net::proto::kUdp:
    case net::proto::kSctp:
    case kDccp:
    case kUdpLite:
      if (!r.u16(p.sport) || !r.u16(p.dport)) return malformed("upper-layer header shorter than its ports");
      p.has_ports = true;
      return core::ok();
    case net::proto::kIcmp:
    case net::proto::kIcmpv6: {
      std::uint8_t type = 0, code = 0;
      if (!r.u8(type) || !r.u8(code)) return malformed("ICMP header shorter than type and code");
      p.sport = type;
      p.dport = code;
      p.has_ports = true;
      return core::ok();
    }
    case net::proto::kMh: {
      std::uint8_t payload_proto = 0, len = 0, type = 0;
      if (!r.u8(payload_proto) || !r.u8(len) || !r.u8(type)) return malformed("Mobility Header shorter than its type");
      p.sport = type;
      p.has_ports = true;
      return core::ok();
    }
    default:
      return core::ok();
  }
}

core::Result<IpPacket> parse_v4(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  std::uint8_t vihl = 0, tos = 0, ttl = 0, proto = 0;
  std::uint16_t total = 0, id = 0, frag = 0, checksum = 0;
  std::span<const std::uint8_t> src, dst;
  if (!r.u8(vihl) || !r.u8(tos) || !r.u16(total) || !r.u16(id) || !r.u16(frag) || !r.u8(ttl) ||
      !r.u8(proto) || !r.u16(checksum) || !r.bytes(4, src) || !r.bytes(4, dst))
    return malformed("IPv4 header truncated");
  const std::size_t ihl = std::size_t{vihl & 0x0fu} * 4;
  if (ihl < kIpv4MinHeader) return malformed("IPv4 IHL below 5");
  if (total < ihl) return malformed("IPv4 Total Length below the header length");
  if (total > bytes.size()) return malformed("IPv4 packet shorter than its Total Length");
  IpPacket p;
  p.src = *net::Address::from_bytes(src);
  p.dst = *net::Address::from_bytes(dst);
  p.proto = proto;
  p.first_next_header = proto;
  p.ttl = ttl;
  const std::uint16_t offset = frag & 0x1fff;
  const bool more = (frag & 0x2000) != 0;
  p.fragment = offset != 0 || more;
  p.later_fragment = offset != 0;
  p.header_len = ihl;
  p.l4_offset = ihl;
  p.length = total;
  if (p.later_fragment) return p;
  if (auto st = read_upper(Reader(bytes.subspan(ihl, total - ihl)), p); !st) return fail(st.error());
  return p;
}

// read_dest_options walks the TLV options of a Destination Options header
// (RFC 8200 §4.2) for the Home Address option (RFC 6275 §6.3: type 201,
// length 16). Pad1 is a lone octet; every other option is type, length, data.
core::Status read_dest_options(Reader opts, IpPacket& p) {
  while (!opts.empty()) {
    std::uint8_t type = 0, len = 0;
    std::span<const std::uint8_t> data;
    if (!opts.u8(type)) return malformed("option truncated");
    if (type == 0) continue;  // Pad1
    if (!opts.u8(len) || !opts.bytes(len, data)) return malformed("option longer than its header");
    if (type != kHomeAddressOption) continue;
    if (len != 16) return malformed("Home Address option length is not 16");
    if (p.home_address) return malformed("two Home Address options");
    p.home_address = *net::Address::from_bytes(data);
  }
  return core::ok();
}

core::Result<IpPacket> parse_v6(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  std::uint32_t vtf = 0;
  std::uint16_t plen = 0;
  std::uint8_t next = 0, hlim = 0;
  std::span<const std::uint8_t> src, dst;
  if (!r.u32(vtf) || !r.u16(plen) || !r.u8(next) || !r.u8(hlim) || !r.bytes(16, src) ||
      !r.bytes(16, dst))
    return malformed("IPv6 header truncated");
  // A jumbogram says Payload Length 0 and carries its length in a
  // hop-by-hop option (RFC 2675); TUN MTUs never need one.
  if (plen == 0 && next == kIpv6HopByHop)
    return fail(ErrorCode::Unsupported, "IP packet: IPv6 jumbogram");
  if (kIpv6Header + plen > bytes.size()) return malformed("IPv6 packet shorter than its Payload Length");
  IpPacket p;
  p.src = *net::Address::from_bytes(src);
  p.dst = *net::Address::from_bytes(dst);
  p.ttl = hlim;
  p.first_next_header = next;
  p.header_len = kIpv6Header;
  p.length = kIpv6Header + plen;

  Reader body(bytes.subspan(kIpv6Header, plen));
  for (unsigned walked = 0;; ++walked) {
    const bool extension = next == kIpv6HopByHop || next == kIpv6Routing ||
                           next == kIpv6DestOptions || next == kIpv6Fragment;
    if (!extension) break;
    if (walked == kMaxExtensionHeaders)
      return fail(ErrorCode::Unsupported, "IP packet: more than {} IPv6 extension headers",
                  kMaxExtensionHeaders);
    if (next == kIpv6Fragment) {
      // RFC 8200 §4.5: Next Header, Reserved, Fragment Offset (13 bits),
      // Res (2), M, Identification (32).
      std::uint8_t nh = 0, reserved = 0;
      std::uint16_t offflags = 0;
      std::uint32_t ident = 0;
      if (!body.u8(nh) || !body.u8(reserved) || !body.u16(offflags) || !body.u32(ident))
        return malformed("IPv6 fragment header truncated");
      const std::uint16_t offset = offflags >> 3;
      p.fragment = offset != 0 || (offflags & 1) != 0;
      p.later_fragment = offset != 0;
      next = nh;
      if (p.later_fragment) break;  // the upper-layer header is in the first fragment
      continue;
    }
    // Hop-by-hop options must follow the IPv6 header at once (RFC 8200 §4.3).
    if (next == kIpv6HopByHop && walked != 0) return malformed("hop-by-hop options not first");
    std::uint8_t nh = 0, len = 0;
    Reader opts;
    if (!body.u8(nh) || !body.u8(len) || !body.sub(std::size_t{len} * 8 + 6, opts))
      return malformed("IPv6 extension header truncated");
    if (next == kIpv6HopByHop) p.hop_by_hop = true;
    if (next == kIpv6Routing) p.routing = true;
    if (next == kIpv6DestOptions) {
      if (auto st = read_dest_options(opts, p); !st) return fail(st.error());
    }
    next = nh;
  }
  p.proto = next;
  p.l4_offset = p.length - body.remaining();
  if (p.later_fragment) return p;
  if (auto st = read_upper(body, p); !st) return fail(st.error());
  return p;
}

// checksum is the Internet checksum (RFC 1071) of an even-length header.
std::uint16_t checksum(std::span<const std::uint8_t> b) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) sum += std::uint32_t{b[i]} << 8 | b[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

}  // namespace

core::Result<IpPacket> parse_ip_packet(std::span<const std::uint8_t> bytes) {
  std::uint8_t first = 0;
  if (!Reader(bytes).peek_u8(first)) return malformed("empty");
  switch (first >> 4) {
    case 4: return parse_v4(bytes);
    case 6: return parse_v6(bytes);
    default: return fail(ErrorCode::Malformed, "IP packet: version {}", first >> 4);
  }
}

core::Status build_ip_packet(const net::Address& src, const net::Address& dst,
                             std::uint8_t next_header, std::uint8_t ttl,
                             std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out) {
  if (src.family() != dst.family())
    return fail(ErrorCode::InvalidSyntax, "build IP packet {} -> {}: families differ",
                src.to_string(), dst.to_string());
  core::wire::Writer w;
  if (src.is_v4()) {
    if (payload.size() > 0xffff - kIpv4MinHeader)
      return fail(ErrorCode::InvalidSyntax, "build IP packet: {} bytes do not fit IPv4", payload.size());
    w.u8(0x45);  // version 4, IHL 5
    w.u8(0);
    w.u16(static_cast<std::uint16_t>(kIpv4MinHeader + payload.size()));
    w.u16(0);       // Identification: atomic datagram (RFC 6864 §4)
    w.u16(0x4000);  // DF
    w.u8(ttl);
    w.u8(next_header);
    auto sum = w.reserve_u16();
    w.bytes(src.bytes());
    w.bytes(dst.bytes());
    w.patch_u16(sum, checksum(w.view()));
  } else {
    if (payload.size() > 0xffff)
      return fail(ErrorCode::InvalidSyntax, "build IP packet: {} bytes do not fit IPv6", payload.size());
    w.u32(0x60000000);  // version 6, traffic class 0, flow label 0
    w.u16(static_cast<std::uint16_t>(payload.size()));
    w.u8(next_header);
    w.u8(ttl);
    w.bytes(src.bytes());
    w.bytes(dst.bytes());
  }
  w.bytes(payload);
  out = w.take();
  return core::ok();
}

std::optional<std::uint32_t> esp_spi(std::span<const std::uint8_t> esp) {
  std::uint32_t spi = 0;
  if (!Reader(esp).u32(spi) || spi == 0) return std::nullopt;
  return spi;
}

}  // namespace kernel::userspace
