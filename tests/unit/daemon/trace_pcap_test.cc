// tests/unit/daemon/trace_pcap_test.cc — PcapWriter and its packet
// builders, read back with an independent parser (trace_util.h): pcap
// framing, IPv4/IPv6 + UDP lengths and checksums (RFC 791, RFC 8200, RFC
// 768), direction, the non-ESP marker on port 4500 (RFC 3948 §2.2) and the
// plaintext payload chain in place of SK (RFC 7296 §3.14).
#include <catch2/catch.hpp>

#include <chrono>

#include "daemon/trace/pcap_writer.h"
#include "trace_util.h"

namespace {

using namespace kagid::trace;
using namespace trace_test;
using core::net::Address;
using core::net::Endpoint;
namespace wire = ikev2::wire;

Endpoint ep(const char* a, std::uint16_t port) { return {Address::parse(a).value(), port}; }

wire::Header auth_header() {
  wire::Header h;
  h.spi_i = 0x0123456789abcdefULL;
  h.spi_r = 0xfedcba9876543210ULL;
  h.exchange = wire::ExchangeType::IkeAuth;
  h.initiator = true;
  h.message_id = 1;
  // As the engine hands a received message to the tracer: the outer
  // header, still naming SK and the encrypted length.
  h.next_payload = wire::PayloadType::Encrypted;
  h.length = 400;
  return h;
}

std::vector<wire::Payload> auth_payloads() {
  std::vector<wire::Payload> p;
  p.emplace_back(wire::IdPayload{true, wire::IdType::Fqdn, {'a', '.', 'e', 'x'}});
  p.emplace_back(wire::AuthPayload{wire::AuthMethod::SharedKeyMic, Bytes(32, 0xaa)});
  p.emplace_back(wire::NotifyPayload::make(wire::NotifyType::InitialContact));
  return p;
}

core::WallTime at(std::int64_t us) {
  return core::WallTime(std::chrono::duration_cast<core::WallTime::duration>(std::chrono::microseconds(us)));
}

TEST_CASE("ip_udp_packet: IPv4 headers, lengths and checksums", "[daemon][trace][pcap]") {
  // Payload lengths around the odd/even boundary exercise the checksum's
  // trailing octet (RFC 1071 §4.1).
  for (std::size_t n : {0u, 1u, 2u, 3u, 31u, 500u, 1501u}) {
    Bytes payload(n);
    for (std::size_t i = 0; i < n; ++i) payload[i] = static_cast<std::uint8_t>(i * 7 + 1);
    auto pkt = ip_udp_packet(ep("192.0.2.1", 500), ep("198.51.100.2", 4500), payload);
    REQUIRE(pkt);
    CHECK(pkt->size() == 28 + n);
    auto u = parse_udp(*pkt);
    REQUIRE(u);
    INFO(n);
    CHECK(u->ip_checksum_ok);
    CHECK(u->udp_checksum_ok);
    CHECK(u->src == ep("192.0.2.1", 500));
    CHECK(u->dst == ep("198.51.100.2", 4500));
    CHECK(u->ttl == 64);
    CHECK(u->payload == payload);
  }
}

TEST_CASE("ip_udp_packet: IPv6 header and pseudo-header checksum", "[daemon][trace][pcap]") {
  for (std::size_t n : {0u, 1u, 77u, 1280u}) {
    Bytes payload(n, 0x5c);
    auto pkt = ip_udp_packet(ep("2001:db8::1", 4500), ep("2001:db8:1::2", 4500), payload);
    REQUIRE(pkt);
    CHECK(pkt->size() == 48 + n);
    auto u = parse_udp(*pkt);
    REQUIRE(u);
    CHECK(u->udp_checksum_ok);
    CHECK(u->src == ep("2001:db8::1", 4500));
    CHECK(u->dst == ep("2001:db8:1::2", 4500));
    CHECK(u->payload == payload);
  }
}

TEST_CASE("ip_udp_packet: a checksum that sums to zero is sent as 0xffff (RFC 768)",
          "[daemon][trace][pcap]") {
  // Choose the last two payload octets so that the checksum comes out 0:
  // with them zero the checksum is c, and adding the word c makes the sum
  // all ones.
  const auto src = ep("192.0.2.1", 500), dst = ep("192.0.2.2", 500);
  Bytes payload{1, 2, 3, 4, 0, 0};
  auto first = parse_udp(ip_udp_packet(src, dst, payload).value());
  REQUIRE(first);
  const std::uint16_t c = first->udp_checksum;
  payload[4] = static_cast<std::uint8_t>(c >> 8);
  payload[5] = static_cast<std::uint8_t>(c);
  auto u = parse_udp(ip_udp_packet(src, dst, payload).value());
  REQUIRE(u);
  CHECK(u->udp_checksum == 0xffff);
  CHECK(u->udp_checksum_ok);
}

TEST_CASE("ip_udp_packet: refuses mixed families and oversize payloads", "[daemon][trace][pcap]") {
  auto mixed = ip_udp_packet(ep("192.0.2.1", 500), ep("2001:db8::2", 500), Bytes(10));
  REQUIRE_FALSE(mixed);
  CHECK(mixed.error().code == core::ErrorCode::InvalidSyntax);
  CHECK(ip_udp_packet(ep("192.0.2.1", 500), ep("192.0.2.2", 500), Bytes(65535 - 28)));
  auto big4 = ip_udp_packet(ep("192.0.2.1", 500), ep("192.0.2.2", 500), Bytes(65535 - 27));
  REQUIRE_FALSE(big4);
  CHECK(big4.error().code == core::ErrorCode::Unsupported);
  CHECK(ip_udp_packet(ep("2001:db8::1", 500), ep("2001:db8::2", 500), Bytes(65535 - 8)));
  CHECK_FALSE(ip_udp_packet(ep("2001:db8::1", 500), ep("2001:db8::2", 500), Bytes(65535 - 7)));
}

TEST_CASE("plaintext_ike_message: the inner payloads take SK's place", "[daemon][trace][pcap]") {
  auto bytes = plaintext_ike_message(auth_header(), auth_payloads());
  REQUIRE(bytes);
  auto m = wire::decode_message(*bytes);
  REQUIRE(m);
  CHECK(m->header.next_payload == wire::PayloadType::IdInitiator);
  CHECK(m->header.length == bytes->size());
  CHECK(m->header.spi_i == auth_header().spi_i);
  CHECK(m->header.spi_r == auth_header().spi_r);
  CHECK(m->header.exchange == wire::ExchangeType::IkeAuth);
  CHECK(m->header.initiator);
  CHECK_FALSE(m->header.response);
  CHECK(m->header.message_id == 1);
  CHECK(m->payloads == auth_payloads());
}

TEST_CASE("plaintext_ike_message: an SK payload not in last place is refused, not asserted",
          "[daemon][trace][pcap]") {
  auto p = auth_payloads();
  p.insert(p.begin(), wire::SkPayload{wire::PayloadType::IdInitiator, Bytes(40)});
  auto bytes = plaintext_ike_message(auth_header(), p);
  REQUIRE_FALSE(bytes);
  CHECK(bytes.error().code == core::ErrorCode::InvalidSyntax);
  // Last is fine: it is written as it came (still encrypted).
  auto q = auth_payloads();
  q.emplace_back(wire::SkPayload{wire::PayloadType::Notify, Bytes(40)});
  CHECK(plaintext_ike_message(auth_header(), q));
}

TEST_CASE("PcapWriter: file header, records, direction, timestamps, mode 0600",
          "[daemon][trace][pcap]") {
  TempDir dir;
  const auto path = dir.file("ike.pcap");
  auto w = PcapWriter::open(path);
  REQUIRE(w);
  CHECK(file_mode(path) == 0600);
  // Only the header so far: the file is valid after open.
  CHECK(read_file(path).size() == 24);
  const auto local = ep("192.0.2.1", 500), remote = ep("198.51.100.2", 500);
  REQUIRE((*w)->write_ike(true, auth_header(), auth_payloads(), local, remote, at(1700000000123456)));
  auto h = auth_header();
  h.response = true;
  h.initiator = false;
  REQUIRE((*w)->write_ike(false, h, {}, local, remote, at(1700000001000001)));
  CHECK((*w)->packets() == 2);

  // Read back while the writer is still open: nothing is buffered.
  auto p = parse_pcap(read_file(path));
  REQUIRE(p);
  CHECK(p->magic == 0xa1b2c3d4);
  CHECK(p->major == 2);
  CHECK(p->minor == 4);
  CHECK(p->linktype == 101);
  CHECK(p->snaplen == 65535);
  REQUIRE(p->records.size() == 2);
  CHECK(p->records[0].sec == 1700000000);
  CHECK(p->records[0].usec == 123456);
  CHECK(p->records[1].sec == 1700000001);
  CHECK(p->records[1].usec == 1);

  auto out = parse_udp(p->records[0].packet);
  REQUIRE(out);
  CHECK(out->src == local);
  CHECK(out->dst == remote);
  CHECK(out->payload == plaintext_ike_message(auth_header(), auth_payloads()).value());
  auto in = parse_udp(p->records[1].packet);
  REQUIRE(in);
  CHECK(in->src == remote);
  CHECK(in->dst == local);
  auto empty = wire::decode_message(in->payload);
  REQUIRE(empty);
  CHECK(empty->payloads.empty());
  CHECK(empty->header.length == 28);
  CHECK(empty->header.response);
}

TEST_CASE("PcapWriter: port 4500 carries the non-ESP marker; write_udp is verbatim",
          "[daemon][trace][pcap]") {
  TempDir dir;
  auto w = PcapWriter::open(dir.file("nat.pcap")).value();
  const auto local = ep("2001:db8::1", 4500), remote = ep("2001:db8::2", 31000);
  REQUIRE(w->write_ike(true, auth_header(), auth_payloads(), local, remote, at(0)));
  const Bytes raw{9, 8, 7};
  REQUIRE(w->write_udp(raw, local, remote, false, at(0)));
  auto p = parse_pcap(read_file(w->path()));
  REQUIRE(p);
  REQUIRE(p->records.size() == 2);
  auto ike = parse_udp(p->records[0].packet);
  REQUIRE(ike);
  CHECK(ike->udp_checksum_ok);
  Bytes expected(4, 0);
  auto msg = plaintext_ike_message(auth_header(), auth_payloads()).value();
  expected.insert(expected.end(), msg.begin(), msg.end());
  CHECK(ike->payload == expected);
  auto udp = parse_udp(p->records[1].packet);
  REQUIRE(udp);
  CHECK(udp->src == remote);
  CHECK(udp->dst == local);
  CHECK(udp->payload == raw);
}

TEST_CASE("PcapWriter: a failed message writes nothing; open truncates; bad path fails",
          "[daemon][trace][pcap]") {
  TempDir dir;
  const auto path = dir.file("t.pcap");
  {
    auto w = PcapWriter::open(path).value();
    REQUIRE(w->write_udp(Bytes(5), ep("192.0.2.1", 500), ep("192.0.2.2", 500), true, at(0)));
    auto s = w->write_ike(true, auth_header(), auth_payloads(), ep("192.0.2.1", 500),
                          ep("2001:db8::2", 500), at(0));
    CHECK_FALSE(s);
    CHECK(w->packets() == 1);
    CHECK(read_file(path).size() == 24 + 16 + 28 + 5);
  }
  auto again = PcapWriter::open(path);
  REQUIRE(again);
  CHECK(read_file(path).size() == 24);
  auto bad = PcapWriter::open(dir.file("no/such/dir/x.pcap"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == core::ErrorCode::System);
}

}  // namespace
