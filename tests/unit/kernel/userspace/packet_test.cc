// kernel/userspace packet classifier: IPv4/IPv6 headers, ports, ICMP and MH
// types, fragments, the IPv6 extension-header walk, the Home Address
// option, the header builder, and a bit-flip sweep.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "bitflip.h"
#include "core/net/selector.h"
#include "core/wire/writer.h"
#include "kernel/userspace/packet.h"

using core::ErrorCode;
using core::net::Address;
using kernel::userspace::build_ip_packet;
using kernel::userspace::esp_spi;
using kernel::userspace::IpPacket;
using kernel::userspace::parse_ip_packet;
using Bytes = std::vector<std::uint8_t>;

namespace {

Address A(const char* s) { return *Address::parse(s); }

Bytes packet(const char* src, const char* dst, std::uint8_t proto, const Bytes& payload) {
  Bytes out;
  REQUIRE(build_ip_packet(A(src), A(dst), proto, 64, payload, out));
  return out;
}

// udp is a UDP header (RFC 768) with ports and a zero checksum.
Bytes udp(std::uint16_t sport, std::uint16_t dport) {
  return {static_cast<std::uint8_t>(sport >> 8), static_cast<std::uint8_t>(sport), static_cast<std::uint8_t>(dport >> 8),
          static_cast<std::uint8_t>(dport), 0, 8, 0, 0};
}

// ext is one IPv6 extension header of 8 * (1 + len) octets: next header,
// length, then the given option bytes padded with PadN/zeros.
Bytes ext(std::uint8_t next, const Bytes& options) {
  Bytes h{next, 0};
  h.insert(h.end(), options.begin(), options.end());
  while (h.size() % 8 != 0) h.push_back(0);  // Pad1 octets
  h[1] = static_cast<std::uint8_t>(h.size() / 8 - 1);
  return h;
}

// hao is a Home Address option (RFC 6275 §6.3) for addr, aligned 8n+6 as
// the RFC asks: PadN of 2 octets first.
Bytes hao(const char* addr) {
  Bytes o{1, 0, 201, 16};
  const Address address = A(addr);
  auto a = address.bytes();
  o.insert(o.end(), a.begin(), a.end());
  return o;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

TEST_CASE("packet: IPv4 header checksum known answer", "[kernel][userspace][packet]") {
  // The worked example of the IPv4 header checksum in Wikipedia's
  // "Internet Protocol version 4" article (Header checksum section):
  // 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7 (checksum b861).
  Bytes payload(0x73 - 20, 0);
  Bytes out;
  REQUIRE(build_ip_packet(A("192.168.0.1"), A("192.168.0.199"), 17, 64, payload, out));
  const Bytes want{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                   0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  CHECK(Bytes(out.begin(), out.begin() + 20) == want);
}

TEST_CASE("packet: IPv4 UDP gives addresses, protocol and ports", "[kernel][userspace][packet]") {
  Bytes b = packet("198.51.100.1", "203.0.113.1", 17, udp(1234, 53));
  b.push_back(0xee);  // link padding past Total Length is ignored
  auto p = parse_ip_packet(b);
  REQUIRE(p);
  CHECK(p->src == A("198.51.100.1"));
  CHECK(p->dst == A("203.0.113.1"));
  CHECK(p->proto == 17);
  CHECK(p->has_ports);
  CHECK(p->sport == 1234);
  CHECK(p->dport == 53);
  CHECK(p->ttl == 64);
  CHECK(p->header_len == 20);
  CHECK(p->l4_offset == 20);
  CHECK(p->length == 28);
  CHECK_FALSE(p->fragment);
}

TEST_CASE("packet: IPv4 options are skipped", "[kernel][userspace][packet]") {
  Bytes b = packet("192.0.2.1", "192.0.2.2", 6, udp(40000, 443));
  // IHL 6: one word of options (NOP NOP NOP EOL, RFC 791 §3.1).
  b.insert(b.begin() + 20, {1, 1, 1, 0});
  b[0] = 0x46;
  b[3] = static_cast<std::uint8_t>(b[3] + 4);
  auto p = parse_ip_packet(b);
  REQUIRE(p);
  CHECK(p->header_len == 24);
  CHECK(p->l4_offset == 24);
  CHECK(p->sport == 40000);
  CHECK(p->dport == 443);
}

TEST_CASE("packet: ICMP and ICMPv6 put type and code in the ports", "[kernel][userspace][packet]") {
  auto v4 = parse_ip_packet(packet("192.0.2.1", "192.0.2.2", 1, {8, 0, 0, 0, 0, 1, 0, 1}));
  REQUIRE(v4);
  CHECK(v4->sport == 8);  // echo request
  CHECK(v4->dport == 0);
  auto v6 = parse_ip_packet(packet("2001:db8::1", "2001:db8::2", 58, {1, 4, 0, 0, 0, 0, 0, 0}));
  REQUIRE(v6);
  CHECK(v6->proto == 58);
  CHECK(v6->sport == 1);  // destination unreachable
  CHECK(v6->dport == 4);  // port unreachable
}

TEST_CASE("packet: IPv4 fragments", "[kernel][userspace][packet]") {
  Bytes first = packet("192.0.2.1", "192.0.2.2", 17, udp(5000, 5001));
  first[6] = 0x20;  // MF, offset 0 (checksum left stale: the parser does not check it)
  auto p = parse_ip_packet(first);
  REQUIRE(p);
  CHECK(p->fragment);
  CHECK_FALSE(p->later_fragment);
  CHECK(p->sport == 5000);

  Bytes later = first;
  later[6] = 0x00;
  later[7] = 0x10;  // offset 16 * 8, last fragment
  auto q = parse_ip_packet(later);
  REQUIRE(q);
  CHECK(q->fragment);
  CHECK(q->later_fragment);
  CHECK_FALSE(q->has_ports);
  CHECK(q->sport == 0);
  CHECK(q->dport == 0);
}

TEST_CASE("packet: IPv6 chain with the Home Address option and a Binding Update",
          "[kernel][userspace][packet]") {
  // hop-by-hop (PadN) -> destination options (HAO) -> Mobility Header,
  // MH type 5 (Binding Update, RFC 6275 §6.1.7).
  Bytes mh{59, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  Bytes chain = concat({ext(60, {1, 4, 0, 0, 0, 0}), ext(135, hao("2001:db8:a::1")), mh});
  auto p = parse_ip_packet(packet("2001:db8:1::1", "2001:db8:1::2", 0, chain));
  REQUIRE(p);
  CHECK(p->hop_by_hop);
  CHECK_FALSE(p->routing);
  CHECK(p->first_next_header == 0);
  CHECK(p->proto == 135);
  CHECK(p->sport == 5);
  REQUIRE(p->home_address);
  CHECK(*p->home_address == A("2001:db8:a::1"));
  CHECK(p->l4_offset == 40 + 8 + 24);
  CHECK(p->length == 40 + chain.size());
}

TEST_CASE("packet: IPv6 fragment header", "[kernel][userspace][packet]") {
  Bytes frag{17, 0, 0x00, 0x01, 0, 0, 0, 7};  // offset 0, M set
  auto p = parse_ip_packet(packet("2001:db8::1", "2001:db8::2", 44, concat({frag, udp(1, 2)})));
  REQUIRE(p);
  CHECK(p->fragment);
  CHECK(p->proto == 17);
  CHECK(p->sport == 1);
  Bytes later{17, 0, 0x00, 0x08, 0, 0, 0, 7};  // offset 1 (8 octets), last
  auto q = parse_ip_packet(packet("2001:db8::1", "2001:db8::2", 44, concat({later, Bytes{1, 2, 3}})));
  REQUIRE(q);
  CHECK(q->later_fragment);
  CHECK(q->proto == 17);
  CHECK_FALSE(q->has_ports);
  CHECK(q->l4_offset == 48);
}

TEST_CASE("packet: routing header and No Next Header", "[kernel][userspace][packet]") {
  Bytes rh{59, 2, 2, 1, 0, 0, 0, 0};  // type 2 routing header (RFC 6275 §6.4)
  const Address home = A("2001:db8:a::1");
  auto ha = home.bytes();
  rh.insert(rh.end(), ha.begin(), ha.end());
  auto p = parse_ip_packet(packet("2001:db8::1", "2001:db8::2", 43, rh));
  REQUIRE(p);
  CHECK(p->routing);
  CHECK(p->proto == 59);
  CHECK_FALSE(p->has_ports);
  CHECK(p->l4_offset == p->length);
}

TEST_CASE("packet: malformed and unsupported packets are refused", "[kernel][userspace][packet]") {
  auto code = [](const Bytes& b) { return parse_ip_packet(b).error().code; };
  Bytes v4 = packet("192.0.2.1", "192.0.2.2", 17, udp(1, 2));
  CHECK(code({}) == ErrorCode::Malformed);
  CHECK(code(Bytes(v4.begin(), v4.begin() + 19)) == ErrorCode::Malformed);
  Bytes b = v4;
  b[0] = 0x44;  // IHL 4
  CHECK(code(b) == ErrorCode::Malformed);
  b = v4;
  b[3] = 40;  // Total Length past the end
  CHECK(code(b) == ErrorCode::Malformed);
  b = v4;
  b[3] = 22;  // UDP header cut to two octets
  CHECK(code(b) == ErrorCode::Malformed);
  b = v4;
  b[0] = 0x55;
  CHECK(code(b) == ErrorCode::Malformed);

  // hop-by-hop after another extension header (RFC 8200 §4.3).
  CHECK(code(packet("2001:db8::1", "2001:db8::2", 60, concat({ext(0, {}), ext(17, {}), udp(1, 2)}))) ==
        ErrorCode::Malformed);
  // Nine destination options headers: past the walk's bound.
  Bytes nine;
  for (int i = 0; i < 9; ++i) nine = concat({nine, ext(i < 8 ? 60 : 17, {})});
  CHECK(code(packet("2001:db8::1", "2001:db8::2", 60, concat({nine, udp(1, 2)}))) == ErrorCode::Unsupported);
  // Eight are fine.
  Bytes eight;
  for (int i = 0; i < 8; ++i) eight = concat({eight, ext(i < 7 ? 60 : 17, {})});
  CHECK(parse_ip_packet(packet("2001:db8::1", "2001:db8::2", 60, concat({eight, udp(1, 2)}))));
  // A jumbogram: Payload Length 0 with hop-by-hop.
  Bytes jumbo = packet("2001:db8::1", "2001:db8::2", 0, {});
  CHECK(code(jumbo) == ErrorCode::Unsupported);
  // A Home Address option of the wrong length, and two of them.
  Bytes short_hao{201, 4, 0, 0, 0, 0};
  CHECK(code(packet("2001:db8::1", "2001:db8::2", 60, ext(59, short_hao))) == ErrorCode::Malformed);
  CHECK(code(packet("2001:db8::1", "2001:db8::2", 60,
                    ext(59, concat({hao("2001:db8::a"), hao("2001:db8::b")})))) == ErrorCode::Malformed);
  // An option longer than its header.
  CHECK(code(packet("2001:db8::1", "2001:db8::2", 60, Bytes{59, 0, 1, 9, 0, 0, 0, 0})) == ErrorCode::Malformed);
  // An extension header longer than the payload.
  CHECK(code(packet("2001:db8::1", "2001:db8::2", 60, Bytes{59, 1, 0, 0, 0, 0, 0, 0})) == ErrorCode::Malformed);
}

TEST_CASE("packet: build refuses mixed families and oversize payloads", "[kernel][userspace][packet]") {
  Bytes out;
  CHECK(build_ip_packet(A("192.0.2.1"), A("2001:db8::1"), 17, 64, {}, out).error().code ==
        ErrorCode::InvalidSyntax);
  Bytes big(0xffff - 19, 0);
  CHECK_FALSE(build_ip_packet(A("192.0.2.1"), A("192.0.2.2"), 17, 64, big, out));
  big.resize(0xffff - 20);
  CHECK(build_ip_packet(A("192.0.2.1"), A("192.0.2.2"), 17, 64, big, out));
  CHECK(out.size() == 0xffff);
}

TEST_CASE("packet: esp_spi reads the SPI", "[kernel][userspace][packet]") {
  CHECK(esp_spi(Bytes{0x00, 0x00, 0x10, 0x01, 0, 0, 0, 1}) == 0x1001u);
  CHECK_FALSE(esp_spi(Bytes{0x00, 0x00, 0x10}));
  CHECK_FALSE(esp_spi(Bytes{0, 0, 0, 0, 0, 0, 0, 1}));  // SPI 0 is reserved (RFC 4303 §2.1)
}

TEST_CASE("packet: bit flips and truncations never break the parser", "[kernel][userspace][packet]") {
  Bytes mh{59, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const std::vector<Bytes> samples{
      packet("198.51.100.1", "203.0.113.1", 17, udp(1234, 53)),
      packet("192.0.2.1", "192.0.2.2", 1, {8, 0, 0, 0, 0, 1, 0, 1}),
      packet("2001:db8:1::1", "2001:db8:1::2", 0,
             concat({ext(60, {1, 4, 0, 0, 0, 0}), ext(135, hao("2001:db8:a::1")), mh})),
      packet("2001:db8::1", "2001:db8::2", 44, concat({Bytes{6, 0, 0, 1, 0, 0, 0, 7}, udp(1, 2)})),
  };
  std::size_t ok = 0, mutants = 0;
  for (const auto& s : samples) {
    mutants += testing::for_each_mutation(s, [&](std::span<const std::uint8_t> m) {
      auto p = parse_ip_packet(m);
      if (!p) return;
      ++ok;
      // Whatever parses stays inside the bytes it came from.
      REQUIRE(p->header_len <= p->l4_offset);
      REQUIRE(p->l4_offset <= p->length);
      REQUIRE(p->length <= m.size());
    });
  }
  CHECK(mutants > 1000);
  CHECK(ok > 0);
}
