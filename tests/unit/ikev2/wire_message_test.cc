// tests/unit/ikev2/wire_message_test.cc — message-level decode/encode: the
// hand-written vectors, the error contract of decode_message, SK handling,
// and the bit-flip sweeps.
#include <catch2/catch.hpp>

#include "bitflip.h"
#include "ikev2/wire/message.h"
#include "wire_samples.h"

using namespace ikev2::wire;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void put16(Bytes& b, std::size_t off, std::uint16_t v) {
  b[off] = static_cast<std::uint8_t>(v >> 8);
  b[off + 1] = static_cast<std::uint8_t>(v);
}

void put32(Bytes& b, std::size_t off, std::uint32_t v) {
  put16(b, off, static_cast<std::uint16_t>(v >> 16));
  put16(b, off + 2, static_cast<std::uint16_t>(v));
}

// Table 1 — an IKE_SA_INIT request written by hand from the diagrams of
// RFC 7296 §3.1 (header), §3.10 (N(COOKIE), first as §2.6 requires), §3.3
// (SA: one IKE proposal, ENCR_AES_CBC with Key Length 128 as a TV attribute
// §3.3.5, PRF_HMAC_SHA2_256, AUTH_HMAC_SHA2_256_128, group 31), §3.4 (KE)
// and §3.9 (Ni).
Bytes table1_ike_sa_init() {
  return cat({
      // IKE header: SPIi, SPIr, Next N(41), 2.0, IKE_SA_INIT(34), I, MID 0, Length 176.
      {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77},
      {0, 0, 0, 0, 0, 0, 0, 0},
      {0x29, 0x20, 0x22, 0x08, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0xb0},
      // N: Next SA(33), length 24; Protocol 0, SPI Size 0, COOKIE (16390); 16-octet cookie.
      {0x21, 0x00, 0x00, 0x18, 0x00, 0x00, 0x40, 0x06},
      samples::bytes(16, 0xe0),
      // SA: Next KE(34), length 48.
      {0x22, 0x00, 0x00, 0x30},
      //   Proposal: last, length 44, #1, IKE, SPI Size 0, 4 transforms.
      {0x00, 0x00, 0x00, 0x2c, 0x01, 0x01, 0x00, 0x04},
      //   Transform: more, length 12, ENCR, ENCR_AES_CBC; attribute AF=1 type 14 value 128.
      {0x03, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x0c, 0x80, 0x0e, 0x00, 0x80},
      //   Transform: more, length 8, PRF, PRF_HMAC_SHA2_256.
      {0x03, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x05},
      //   Transform: more, length 8, INTEG, AUTH_HMAC_SHA2_256_128.
      {0x03, 0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x0c},
      //   Transform: last, length 8, D-H, Curve25519 (31).
      {0x00, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x1f},
      // KE: Next Nonce(40), length 40; group 31, RESERVED; 32-octet public value.
      {0x28, 0x00, 0x00, 0x28, 0x00, 0x1f, 0x00, 0x00},
      samples::bytes(32, 0x40),
      // Ni: Next none, length 36; 32-octet nonce.
      {0x00, 0x00, 0x00, 0x24},
      samples::bytes(32, 0x80),
  });
}

// Table 2 — TSi and TSr written by hand from RFC 7296 §3.13 / §3.13.1:
// TSi = 192.0.2.0-192.0.2.255 any protocol, ports 0-65535; and
// 2001:db8::1 UDP port 500; TSr = 198.51.100.1 UDP port 500.
Bytes table2_ts_chain() {
  return cat({
      // TSi: Next TSr(45), length 64; Number of TSs 2.
      {0x2d, 0x00, 0x00, 0x40, 0x02, 0x00, 0x00, 0x00},
      {0x07, 0x00, 0x00, 0x10, 0x00, 0x00, 0xff, 0xff, 192, 0, 2, 0, 192, 0, 2, 255},
      {0x08, 0x11, 0x00, 0x28, 0x01, 0xf4, 0x01, 0xf4},
      samples::v6(1),
      samples::v6(1),
      // TSr: Next none, length 24; Number of TSs 1.
      {0x00, 0x00, 0x00, 0x18, 0x01, 0x00, 0x00, 0x00},
      {0x07, 0x11, 0x00, 0x10, 0x01, 0xf4, 0x01, 0xf4, 198, 51, 100, 1, 198, 51, 100, 1},
  });
}

DecodeError decode_fails(const Bytes& b) {
  auto m = decode_message(b);
  REQUIRE_FALSE(m);
  return m.error();
}

}  // namespace

TEST_CASE("Table 1: hand-written IKE_SA_INIT decodes field by field", "[ikev2][wire][vectors]") {
  auto wire = table1_ike_sa_init();
  REQUIRE(wire.size() == 176);
  auto m = decode_message(wire);
  if (!m) FAIL(m.error().to_string());
  CHECK(m->header.spi_i == 0x0011223344556677ULL);
  CHECK(m->header.spi_r == 0);
  CHECK(m->header.next_payload == PayloadType::Notify);
  CHECK(m->header.major_version == 2);
  CHECK(m->header.minor_version == 0);
  CHECK(m->header.exchange == ExchangeType::IkeSaInit);
  CHECK(m->header.initiator);
  CHECK_FALSE(m->header.response);
  CHECK_FALSE(m->header.higher_version);
  CHECK(m->header.message_id == 0);
  CHECK(m->header.length == 176);
  REQUIRE(m->payloads.size() == 4);

  const auto* cookie = find_notify(m->payloads, NotifyType::Cookie);
  REQUIRE(cookie);
  CHECK(cookie->data == samples::bytes(16, 0xe0));
  CHECK(cookie->spi.empty());

  const auto* sa = find<SaPayload>(m->payloads);
  REQUIRE(sa);
  REQUIRE(sa->proposals.size() == 1);
  const Proposal& p = sa->proposals[0];
  CHECK(p.number == 1);
  CHECK(p.protocol == ProtocolId::Ike);
  CHECK(p.spi.empty());
  REQUIRE(p.transforms.size() == 4);
  CHECK(p.transforms[0].type == TransformType::Encr);
  CHECK(p.transforms[0].id == static_cast<std::uint16_t>(EncrId::AesCbc));
  CHECK(p.transforms[0].key_length() == 128);
  CHECK(p.transforms[1] == samples::transform(TransformType::Prf, 5));
  CHECK(p.transforms[2] == samples::transform(TransformType::Integ, 12));
  CHECK(p.transforms[3] == samples::transform(TransformType::Ke, 31));

  const auto* ke = find<KePayload>(m->payloads);
  REQUIRE(ke);
  CHECK(ke->group == 31);
  CHECK(ke->data == samples::bytes(32, 0x40));
  const auto* ni = find<NoncePayload>(m->payloads);
  REQUIRE(ni);
  CHECK(ni->data == samples::bytes(32, 0x80));

  CHECK(describe(*m) ==
        "IKE_SA_INIT request 0 0011223344556677_i 0000000000000000_r "
        "[ N(COOKIE) SA KE Nonce ]");
}

TEST_CASE("Table 1: encoding the structs reproduces the hand-written bytes", "[ikev2][wire][vectors]") {
  Message m;
  m.header.spi_i = 0x0011223344556677ULL;
  m.header.exchange = ExchangeType::IkeSaInit;
  m.header.initiator = true;
  m.payloads.push_back(NotifyPayload::make(NotifyType::Cookie, samples::bytes(16, 0xe0)));
  SaPayload sa;
  sa.proposals.push_back(samples::ike_proposal(1, 128, KeGroup::Curve25519));
  m.payloads.push_back(sa);
  m.payloads.push_back(KePayload{31, samples::bytes(32, 0x40)});
  m.payloads.push_back(NoncePayload{samples::bytes(32, 0x80)});
  CHECK(encode_message(m) == table1_ike_sa_init());
}

TEST_CASE("Table 2: hand-written TSi/TSr decode and re-encode", "[ikev2][wire][vectors]") {
  auto wire = table2_ts_chain();
  VerifyContext ctx{ExchangeType::IkeAuth, false};
  auto chain = decode_payload_chain(PayloadType::TsInitiator, wire, ctx);
  if (!chain) FAIL(chain.error().to_string());
  REQUIRE(chain->size() == 2);
  const auto& tsi = std::get<TsPayload>((*chain)[0]);
  const auto& tsr = std::get<TsPayload>((*chain)[1]);
  CHECK(tsi.initiator);
  CHECK_FALSE(tsr.initiator);
  REQUIRE(tsi.selectors.size() == 2);
  CHECK(tsi.selectors[0] == samples::ipv4_range({192, 0, 2, 0}, {192, 0, 2, 255}));
  CHECK(tsi.selectors[1] == samples::ipv6_range(samples::v6(1), samples::v6(1), 17, 500, 500));
  REQUIRE(tsr.selectors.size() == 1);
  CHECK(tsr.selectors[0] ==
        samples::ipv4_range({198, 51, 100, 1}, {198, 51, 100, 1}, 17, 500, 500));
  auto again = encode_payload_chain(*chain);
  CHECK(again.first == PayloadType::TsInitiator);
  CHECK(again.bytes == wire);
}

TEST_CASE("Every payload type round trips inside a message", "[ikev2][wire][message]") {
  Message init = samples::ike_sa_init_request();
  auto wire = encode_message(init);
  auto back = decode_message(wire);
  if (!back) FAIL(back.error().to_string());
  init.header.next_payload = PayloadType::Sa;
  init.header.length = static_cast<std::uint32_t>(wire.size());
  CHECK(*back == init);
  CHECK(encode_message(*back) == wire);
  const auto* unknown = find<UnknownPayload>(back->payloads);
  REQUIRE(unknown);
  CHECK(unknown->type == static_cast<PayloadType>(200));

  // IKE_AUTH inner chain: ID, AUTH, CP, SA(ESP), TS, CERT, D, EAP ...
  auto inner = samples::ike_auth_inner();
  auto plain = encode_payload_chain(inner);
  auto inner_back = decode_payload_chain(plain.first, plain.bytes, {ExchangeType::IkeAuth, false});
  if (!inner_back) FAIL(inner_back.error().to_string());
  CHECK(*inner_back == inner);

  // The SK payload wrapping it (body raw) and an SKF fragment.
  Message auth;
  auth.header = init.header;
  auth.header.exchange = ExchangeType::IkeAuth;
  auth.header.message_id = 1;
  auth.payloads.push_back(SkPayload{plain.first, samples::bytes(16 + 96 + 16)});
  auto auth_wire = encode_message(auth);
  auto auth_back = decode_message(auth_wire);
  if (!auth_back) FAIL(auth_back.error().to_string());
  REQUIRE(auth_back->payloads.size() == 1);
  CHECK(std::get<SkPayload>(auth_back->payloads[0]).first_inner == PayloadType::IdInitiator);
  CHECK(std::get<SkPayload>(auth_back->payloads[0]) == std::get<SkPayload>(auth.payloads[0]));

  Message frag = auth;
  frag.payloads = {SkfPayload{PayloadType::IdInitiator, 1, 2, samples::bytes(48)}};
  auto frag_back = decode_message(encode_message(frag));
  if (!frag_back) FAIL(frag_back.error().to_string());
  CHECK(frag_back->payloads == frag.payloads);
  CHECK(describe_payloads(frag_back->payloads) == "[ SKF(1/2) ]");
}

TEST_CASE("decode_message rejects truncated and mis-sized messages as Malformed", "[ikev2][wire][message]") {
  auto wire = table1_ike_sa_init();
  auto e = decode_fails(Bytes(wire.begin(), wire.begin() + 27));
  CHECK(e.fault == DecodeFault::Malformed);
  CHECK_FALSE(e.header);

  // Cut inside Ni: the header Length no longer matches.
  e = decode_fails(Bytes(wire.begin(), wire.end() - 10));
  CHECK(e.fault == DecodeFault::Malformed);
  REQUIRE(e.header);
  CHECK(e.header->length == 176);

  // Same cut with Length patched: Ni's Payload Length runs past the end.
  Bytes cut(wire.begin(), wire.end() - 10);
  put32(cut, 24, static_cast<std::uint32_t>(cut.size()));
  e = decode_fails(cut);
  CHECK(e.fault == DecodeFault::Malformed);
  CHECK(e.payload_type == PayloadType::Nonce);
  CHECK(e.offset == 140);
  CHECK(e.detail.find("Nonce payload at offset 140") != std::string::npos);
  CHECK(e.to_error().code == core::ErrorCode::Malformed);

  // Payload Length < 4 on the SA payload (offset 52).
  Bytes small = wire;
  put16(small, 54, 3);
  e = decode_fails(small);
  CHECK(e.fault == DecodeFault::Malformed);
  CHECK(e.payload_type == PayloadType::Sa);
  CHECK(e.offset == 52);

  // Payload Length beyond the message.
  Bytes big = wire;
  put16(big, 30, 0x1000);
  e = decode_fails(big);
  CHECK(e.fault == DecodeFault::Malformed);
  CHECK(e.payload_type == PayloadType::Notify);
  CHECK(e.offset == 28);

  // Header Length beyond the datagram.
  Bytes longer = wire;
  put32(longer, 24, 200);
  CHECK(decode_fails(longer).fault == DecodeFault::Malformed);

  // Octets after the last payload, counted in Length.
  Bytes trailing = wire;
  trailing.insert(trailing.end(), {0, 0, 0, 0});
  put32(trailing, 24, static_cast<std::uint32_t>(trailing.size()));
  e = decode_fails(trailing);
  CHECK(e.fault == DecodeFault::Malformed);
  CHECK(e.offset == 176);
}

TEST_CASE("decode_message checks the major version first", "[ikev2][wire][message]") {
  auto wire = table1_ike_sa_init();
  for (std::uint8_t version : {0x30, 0x10}) {
    Bytes b = wire;
    b[17] = version;
    put32(b, 24, 9999);  // a version we do not speak may frame differently
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::InvalidMajorVersion);
    REQUIRE(e.header);
    CHECK(e.header->major_version == version >> 4);
    CHECK(e.to_error().code == core::ErrorCode::Unsupported);
  }
  Bytes minor = wire;
  minor[17] = 0x21;  // minor version is ignored on receipt (RFC 7296 §3.1)
  auto m = decode_message(minor);
  REQUIRE(m);
  CHECK(m->header.minor_version == 1);
}

TEST_CASE("decode_message reports rule violations as InvalidSyntax", "[ikev2][wire][message]") {
  // IKE proposal with an 8-octet SPI in IKE_SA_INIT (must be 0, RFC 7296 §3.3.1).
  Message m = samples::ike_sa_init_request();
  std::get<SaPayload>(m.payloads[0]).proposals[0].spi = samples::bytes(8);
  auto e = decode_fails(encode_message(m));
  CHECK(e.fault == DecodeFault::InvalidSyntax);
  CHECK(e.payload_type == PayloadType::Sa);
  CHECK(e.offset == 28);
  CHECK(e.to_error().code == core::ErrorCode::InvalidSyntax);
  CHECK(e.detail.find("SPI Size 8") != std::string::npos);

  // ESP proposal with an 8-octet SPI in CREATE_CHILD_SA.
  Message child;
  child.header.exchange = ExchangeType::CreateChildSa;
  child.header.message_id = 2;
  SaPayload sa;
  sa.proposals.push_back(samples::esp_proposal(1, samples::bytes(8)));
  child.payloads.push_back(sa);
  e = decode_fails(encode_message(child));
  CHECK(e.fault == DecodeFault::InvalidSyntax);
  CHECK(e.payload_type == PayloadType::Sa);

  // A 15-octet nonce.
  Message n = samples::ike_sa_init_request();
  std::get<NoncePayload>(n.payloads[2]).data.resize(15);
  e = decode_fails(encode_message(n));
  CHECK(e.fault == DecodeFault::InvalidSyntax);
  CHECK(e.payload_type == PayloadType::Nonce);
}

TEST_CASE("Unknown payloads: skipped when non-critical, refused when critical", "[ikev2][wire][message]") {
  Message m = samples::ike_sa_init_request();
  m.payloads.insert(m.payloads.begin() + 1, UnknownPayload{static_cast<PayloadType>(99), true, {1, 2}});
  auto wire = encode_message(m);
  auto e = decode_fails(wire);
  CHECK(e.fault == DecodeFault::UnsupportedCritical);
  CHECK(e.payload_type == static_cast<PayloadType>(99));
  CHECK(e.offset > 28);
  REQUIRE(e.header);
  CHECK(e.header->spi_i == m.header.spi_i);
  CHECK(e.to_error().code == core::ErrorCode::Unsupported);

  std::get<UnknownPayload>(m.payloads[1]).critical = false;
  auto ok = decode_message(encode_message(m));
  REQUIRE(ok);
  CHECK(std::get<UnknownPayload>(ok->payloads[1]).body == Bytes{1, 2});

  // A known payload with the critical bit set is understood: the bit is ignored.
  auto wire2 = table1_ike_sa_init();
  wire2[28 + 1] = 0x80;
  auto known = decode_message(wire2);
  REQUIRE(known);
  CHECK(encode_message(*known) == table1_ike_sa_init());
}

TEST_CASE("SK ends the chain and does not nest", "[ikev2][wire][sk]") {
  Message auth;
  auth.header.exchange = ExchangeType::IkeAuth;
  auth.header.message_id = 1;
  auth.payloads.push_back(NotifyPayload::make(NotifyType::InitialContact));
  auth.payloads.push_back(SkPayload{PayloadType::IdInitiator, samples::bytes(40)});
  auto wire = encode_message(auth);
  REQUIRE(decode_message(wire));

  Bytes after = wire;
  after.insert(after.end(), {0, 0, 0, 4});
  put32(after, 24, static_cast<std::uint32_t>(after.size()));
  auto e = decode_fails(after);
  CHECK(e.fault == DecodeFault::Malformed);
  CHECK(e.payload_type == PayloadType::Encrypted);

  auto inner = encode_payload_chain({NoncePayload{samples::bytes(16)},
                                     SkPayload{PayloadType::None, samples::bytes(8)}});
  auto nested = decode_payload_chain(inner.first, inner.bytes);
  REQUIRE_FALSE(nested);
  CHECK(nested.error().fault == DecodeFault::InvalidSyntax);
  CHECK(nested.error().payload_type == PayloadType::Encrypted);
  CHECK(nested.error().offset == 20);
  CHECK_FALSE(nested.error().header);
}

namespace {

// sweep_message runs the bit-flip sweep over wire and checks, for every
// mutant that decodes, decode(encode(decode(x))) == decode(x). Returns the
// number of mutants that decoded.
std::size_t sweep_message(const Bytes& wire) {
  std::size_t decoded = 0;
  std::size_t total = testing::for_each_mutation(wire, [&](std::span<const std::uint8_t> x) {
    auto m = decode_message(x);
    if (!m) return;
    ++decoded;
    auto again = decode_message(encode_message(*m));
    REQUIRE(again);
    REQUIRE(*again == *m);
  });
  CHECK(decoded > 0);
  CHECK(decoded < total);
  return decoded;
}

}  // namespace

TEST_CASE("Bit-flip sweep over IKE_SA_INIT never crashes and round trips", "[ikev2][wire][bitflip]") {
  sweep_message(encode_message(samples::ike_sa_init_request()));
  sweep_message(table1_ike_sa_init());
}

TEST_CASE("Bit-flip sweep over an IKE_AUTH inner chain", "[ikev2][wire][bitflip]") {
  auto plain = encode_payload_chain(samples::ike_auth_inner());
  VerifyContext ctx{ExchangeType::IkeAuth, false};
  std::size_t decoded = 0;
  testing::for_each_mutation(plain.bytes, [&](std::span<const std::uint8_t> x) {
    auto chain = decode_payload_chain(plain.first, x, ctx);
    if (!chain) return;
    ++decoded;
    auto again = encode_payload_chain(*chain);
    auto back = decode_payload_chain(again.first, again.bytes, ctx);
    REQUIRE(back);
    REQUIRE(*back == *chain);
  });
  CHECK(decoded > 0);
}
