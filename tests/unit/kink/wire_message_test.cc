// tests/unit/kink/wire_message_test.cc — KINK message decode/encode: the
// hand-written vectors, the error contract of decode_message, the checksum
// helpers, KINK_ENCRYPT content, truncations and the bit-flip sweeps.
#include <catch2/catch.hpp>

#include "bitflip.h"
#include "kink/wire/message.h"
#include "wire_samples.h"

using namespace kink::wire;
using samples::Bytes;

namespace {

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void put16(Bytes& b, std::size_t off, std::uint16_t v) {
  b[off] = static_cast<std::uint8_t>(v >> 8);
  b[off + 1] = static_cast<std::uint8_t>(v);
}

// Table 1 — a CREATE written by hand from the diagrams of RFC 4430 §4
// (header, Cksum at the end), §4.2.1 (KINK_AP_REQ), §4.2.6 (KINK_ISAKMP),
// §4.1 (4-octet padding outside Payload Length), and for the Quick Mode
// payloads RFC 2408 §3.4-§3.6, §3.13 and RFC 2407 §4.5, §4.6.2.
Bytes table1_create() {
  return cat({
      // Header: CREATE(1), MjVer 1 | RESRVED 0, Length 172, DOI 1 (IPsec),
      // XID 0x102, NextPayload KINK_AP_REQ(1), A 0, CksumLen 8.
      {0x01, 0x10, 0x00, 0xac, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0x01, 0x00, 0x00, 0x08},
      // KINK_AP_REQ: Next KINK_ISAKMP(6), Payload Length 14; EPOCH
      // 0x5f5e1000; KRB_AP_REQ [APPLICATION 14] of 4 octets; 2 octets padding.
      {0x06, 0x00, 0x00, 0x0e, 0x5f, 0x5e, 0x10, 0x00, 0x6e, 0x04, 0x30, 0x31, 0x32, 0x33, 0x00, 0x00},
      // KINK_ISAKMP: Next KINK_DONE, Payload Length 132; InnerNextPload SA(1),
      // QMMaj 1 QMMin 0, RESERVED.
      {0x00, 0x00, 0x00, 0x84, 0x01, 0x10, 0x00, 0x00},
      //   SA: Next NONCE(10), length 64; DOI 1; Situation SIT_IDENTITY_ONLY.
      {0x0a, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01},
      //     Proposal: Next 0 (last), length 52; #1, PROTO_IPSEC_ESP(3), SPI
      //     Size 4, 1 transform; SPI 0x0a0b0c0d.
      {0x00, 0x00, 0x00, 0x34, 0x01, 0x03, 0x04, 0x01, 0x0a, 0x0b, 0x0c, 0x0d},
      //       Transform: Next 0 (last), length 40; #1, ESP_AES-CBC(12), RESERVED2.
      {0x00, 0x00, 0x00, 0x28, 0x01, 0x0c, 0x00, 0x00},
      //         TV Life Type seconds; TV Life Duration 3600; TV Life Type
      //         kilobytes; TLV Life Duration, 4 octets, 65536.
      {0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x0e, 0x10, 0x80, 0x01, 0x00, 0x02},
      {0x00, 0x02, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00},
      //         TV Encapsulation Mode Tunnel; TV Auth HMAC-SHA2-256 (5); TV Key Length 128.
      {0x80, 0x04, 0x00, 0x01, 0x80, 0x05, 0x00, 0x05, 0x80, 0x06, 0x00, 0x80},
      //   Nonce: Next ID(5), length 20; 16 octets.
      {0x05, 0x00, 0x00, 0x14},
      samples::bytes(16, 0xa0),
      //   IDci: Next ID(5), length 16; ID_IPV4_ADDR_SUBNET(4), any protocol,
      //   any port; 192.0.2.0 mask 255.255.255.0.
      {0x05, 0x00, 0x00, 0x10, 0x04, 0x00, 0x00, 0x00, 192, 0, 2, 0, 255, 255, 255, 0},
      //   IDcr: Next NONE, length 24; ID_IPV6_ADDR(5); 2001:db8::1.
      {0x00, 0x00, 0x00, 0x18, 0x05, 0x00, 0x00, 0x00},
      {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
      // Cksum: 8 octets.
      samples::bytes(8, 0xc0),
  });
}

// Table 2 — a REPLY with the A bit, KINK_AP_REP (§4.2.2) and KINK_ERROR
// (§4.2.8, KINK_PROTOERR), unauthenticated (CksumLen 0).
Bytes table2_reply_error() {
  return cat({
      // Header: REPLY(3), 1.0, Length 40, DOI 1, XID 0x102, Next KINK_AP_REP(2), A set, CksumLen 0.
      {0x03, 0x10, 0x00, 0x28, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0x02, 0x80, 0x00, 0x00},
      // KINK_AP_REP: Next KINK_ERROR(8), length 13; EPOCH; KRB_AP_REP
      // [APPLICATION 15] of 3 octets; 3 octets padding.
      {0x08, 0x00, 0x00, 0x0d, 0x5f, 0x5e, 0x10, 0x00, 0x6f, 0x03, 0x30, 0x31, 0x32, 0x00, 0x00, 0x00},
      // KINK_ERROR: Next KINK_DONE, length 8; ErrorCode 1.
      {0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01},
  });
}

// Table 3 — GETTGT with KINK_TGT_REQ (§4.2.4): PrincName
// "kink/ha.example.org@EXAMPLE.ORG" (31 octets), 1 octet padding.
Bytes table3_gettgt() {
  std::string name = "kink/ha.example.org@EXAMPLE.ORG";
  return cat({
      // Header: GETTGT(4), 1.0, Length 52, DOI 1, XID 7, Next KINK_TGT_REQ(4), CksumLen 0.
      {0x04, 0x10, 0x00, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x04, 0x00, 0x00, 0x00},
      // KINK_TGT_REQ: Next KINK_DONE, length 35; PrincName; padding.
      {0x00, 0x00, 0x00, 0x23},
      Bytes(name.begin(), name.end()),
      {0x00},
  });
}

// Table 4 — decrypted KINK_ENCRYPT content (§4.2.7): InnerNextPload
// KINK_ISAKMP(6), RESERVED2, then KINK_ISAKMP holding an ISAKMP Delete
// (RFC 2408 §3.15) of two ESP SPIs.
Bytes table4_encrypt_plaintext() {
  return cat({
      {0x06, 0x00, 0x00, 0x00},
      // KINK_ISAKMP: Next KINK_DONE, length 28; InnerNextPload D(12), QM 1.0.
      {0x00, 0x00, 0x00, 0x1c, 0x0c, 0x10, 0x00, 0x00},
      //   Delete: Next NONE, length 20; DOI 1; ESP, SPI Size 4, 2 SPIs.
      {0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x01, 0x03, 0x04, 0x00, 0x02},
      {0x0a, 0x0b, 0x0c, 0x0d, 0x01, 0x02, 0x03, 0x04},
  });
}

// Table 6 — the remaining payloads, each in its sample message:
// KINK_KRB_ERROR (§4.2.3), KINK_TGT_REP (§4.2.5) and KINK_ENCRYPT (§4.2.7).
Bytes table6_krb_error() {
  return cat({
      // Header: REPLY(3), 1.0, Length 32, DOI 1, XID 8, Next KINK_KRB_ERROR(3), CksumLen 0.
      {0x03, 0x10, 0x00, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00},
      // KINK_KRB_ERROR: Next KINK_DONE, length 15; KRB_ERROR [APPLICATION
      // 30] of 9 octets; 1 octet padding.
      {0x00, 0x00, 0x00, 0x0f, 0x7e, 0x09},
      samples::bytes(9, 0x30),
      {0x00},
  });
}

Bytes table6_tgt_rep() {
  return cat({
      // Header: REPLY(3), 1.0, Length 44, DOI 1, XID 7, Next KINK_TGT_REP(5), CksumLen 0.
      {0x03, 0x10, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x05, 0x00, 0x00, 0x00},
      // KINK_TGT_REP: Next KINK_DONE, length 26; Ticket [APPLICATION 1] of
      // 20 octets; 2 octets padding.
      {0x00, 0x00, 0x00, 0x1a, 0x61, 0x14},
      samples::bytes(20, 0x30),
      {0x00, 0x00},
  });
}

Bytes table6_encrypted_create() {
  return cat({
      // Header: CREATE, 1.0, Length 92, DOI 1, XID 0x102, Next KINK_AP_REQ, CksumLen 8.
      {0x01, 0x10, 0x00, 0x5c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0x01, 0x00, 0x00, 0x08},
      // KINK_AP_REQ as in Table 1 but Next KINK_ENCRYPT(7).
      {0x07, 0x00, 0x00, 0x0e, 0x5f, 0x5e, 0x10, 0x00, 0x6e, 0x04, 0x30, 0x31, 0x32, 0x33, 0x00, 0x00},
      // KINK_ENCRYPT: Next KINK_DONE, length 52; 48 octets of ciphertext
      // (the encrypted InnerNextPload, RESERVED2 and inner payloads).
      {0x00, 0x00, 0x00, 0x34},
      samples::bytes(48, 0x10),
      // Cksum.
      samples::bytes(8, 0xc0),
  });
}

DecodeError decode_fails(const Bytes& b) {
  auto m = decode_message(b);
  REQUIRE_FALSE(m);
  return m.error();
}

}  // namespace

TEST_CASE("Table 1: a hand-written CREATE decodes into the sample and re-encodes", "[kink][wire]") {
  Bytes wire = table1_create();
  REQUIRE(wire.size() == 172);
  auto m = decode_message(wire);
  INFO((m ? describe(*m) : m.error().to_string()));
  REQUIRE(m);
  CHECK(*m == samples::create_request());
  CHECK(encode_message(samples::create_request()) == wire);
  CHECK(describe(*m) == "CREATE xid 0x00000102 [ AP_REQ ISAKMP(SA NONCE ID ID) ] cksum 8");
  const auto* isakmp = find<IsakmpPayload>(m->payloads);
  REQUIRE(isakmp);
  const auto& sa = std::get<isakmp::SaPayload>(isakmp->payloads[0]);
  CHECK(sa.proposals[0].spi32() == 0x0a0b0c0du);
  const auto& t = sa.proposals[0].transforms[0];
  CHECK(t.attributes[3].number() == 65536u);
  CHECK(t.find(isakmp::AttributeType::KeyLength)->value == 128);
  auto range = std::get<isakmp::IdPayload>(isakmp->payloads[2]).to_range();
  REQUIRE(range);
  CHECK(range->to_string() == core::net::Range{samples::addr("192.0.2.0"), samples::addr("192.0.2.255")}.to_string());
}

TEST_CASE("Table 2 and 3: REPLY with KINK_ERROR and GETTGT", "[kink][wire]") {
  auto reply = decode_message(table2_reply_error());
  REQUIRE(reply);
  CHECK(*reply == samples::reply_error());
  CHECK(encode_message(samples::reply_error()) == table2_reply_error());
  CHECK(describe(*reply) == "REPLY xid 0x00000102 A [ AP_REP ERROR(KINK_PROTOERR) ]");

  auto get = decode_message(table3_gettgt());
  REQUIRE(get);
  CHECK(*get == samples::gettgt());
  CHECK(encode_message(samples::gettgt()) == table3_gettgt());
  auto parts = std::get<TgtReqPayload>(get->payloads[0]).split();
  REQUIRE(parts);
  CHECK(parts->first == "kink/ha.example.org");
  CHECK(parts->second == "EXAMPLE.ORG");
}

TEST_CASE("Table 6: KINK_KRB_ERROR, KINK_TGT_REP and KINK_ENCRYPT", "[kink][wire]") {
  struct Row {
    Bytes wire;
    Message expect;
  };
  for (const Row& row : {Row{table6_krb_error(), samples::reply_krb_error()},
                         Row{table6_tgt_rep(), samples::reply_tgt()},
                         Row{table6_encrypted_create(), samples::create_encrypted()}}) {
    INFO(describe(row.expect));
    auto m = decode_message(row.wire);
    INFO((m ? "" : m.error().to_string()));
    REQUIRE(m);
    CHECK(*m == row.expect);
    CHECK(encode_message(row.expect) == row.wire);
  }
}

TEST_CASE("Table 4: KINK_ENCRYPT content decodes and re-encodes", "[kink][wire]") {
  auto inner = decode_encrypt_plaintext(table4_encrypt_plaintext());
  REQUIRE(inner);
  REQUIRE(inner->size() == 1);
  const auto& k = std::get<IsakmpPayload>((*inner)[0]);
  const auto& d = std::get<isakmp::DeletePayload>(k.payloads[0]);
  CHECK(d.spis32() == std::vector<std::uint32_t>{0x0a0b0c0d, 0x01020304});
  CHECK(encode_encrypt_plaintext(*inner) == table4_encrypt_plaintext());

  // An enctype's own padding after the chain is ignored (RFC 3961).
  Bytes padded = cat({table4_encrypt_plaintext(), {0, 0, 0, 0, 0, 0, 0}});
  auto again = decode_encrypt_plaintext(padded);
  REQUIRE(again);
  CHECK(*again == *inner);

  // KINK_ENCRYPT does not nest.
  Bytes nested = {0x07, 0, 0, 0, 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4};
  auto n = decode_encrypt_plaintext(nested);
  REQUIRE_FALSE(n);
  CHECK(n.error().fault == DecodeFault::InvalidSyntax);
  CHECK_FALSE(decode_encrypt_plaintext(Bytes{0x06, 0, 0}));
}

TEST_CASE("every sample round-trips", "[kink][wire]") {
  for (const Message& m : samples::all()) {
    INFO(describe(m));
    auto bytes = encode_message(m);
    CHECK(bytes.size() % 4 == m.checksum.size() % 4);
    auto back = decode_message(bytes);
    INFO((back ? "" : back.error().to_string()));
    REQUIRE(back);
    CHECK(*back == m);
  }
  auto inner = encode_encrypt_plaintext({samples::create_isakmp(), ErrorPayload{KinkErrorCode::IntErr}});
  auto back = decode_encrypt_plaintext(inner);
  REQUIRE(back);
  CHECK(back->size() == 2);
  CHECK(std::get<IsakmpPayload>((*back)[0]) == samples::create_isakmp());
}

TEST_CASE("the header is checked before anything else", "[kink][wire]") {
  SECTION("major version 2 is KINK_INVMAJ and keeps the header") {
    Bytes b = table2_reply_error();
    b[1] = 0x20;
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::InvalidMajorVersion);
    CHECK(e.kink_error() == KinkErrorCode::InvMaj);
    REQUIRE(e.header);
    CHECK(e.header->xid == 0x102);
    CHECK(e.header->major_version == 2);
  }
  SECTION("a DOI other than IPsec is KINK_INVDOI") {
    Bytes b = table2_reply_error();
    b[7] = 2;
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::InvalidDoi);
    CHECK(e.kink_error() == KinkErrorCode::InvDoi);
  }
  SECTION("RESRVED and RESERVED2 are ignored") {
    Bytes b = table2_reply_error();
    b[1] = 0x1f;
    b[13] = 0xff;
    auto m = decode_message(b);
    REQUIRE(m);
    CHECK(*m == samples::reply_error());
  }
  SECTION("Length beyond the datagram or below the header") {
    Bytes b = table2_reply_error();
    put16(b, 2, 41);
    CHECK(decode_fails(b).fault == DecodeFault::Malformed);
    put16(b, 2, 15);
    CHECK(decode_fails(b).fault == DecodeFault::Malformed);
  }
  SECTION("octets after Length are not part of the message") {
    Bytes b = cat({table2_reply_error(), {0xde, 0xad, 0xbe, 0xef, 0x01}});
    auto m = decode_message(b);
    REQUIRE(m);
    CHECK(*m == samples::reply_error());
  }
  SECTION("CksumLen larger than the message") {
    Bytes b = table2_reply_error();
    put16(b, 14, 25);
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::Malformed);
    CHECK(e.kink_error() == KinkErrorCode::ProtoErr);
    CHECK(e.detail.find("CksumLen 25") != std::string::npos);
  }
}

TEST_CASE("payload chain errors name the payload and offset", "[kink][wire]") {
  SECTION("a Payload Length past the end") {
    Bytes b = table2_reply_error();
    put16(b, 34, 12);  // KINK_ERROR claims 12 octets, 8 are there
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::Malformed);
    CHECK(e.payload_type == PayloadType::Error);
    CHECK(e.offset == 32);
    CHECK(e.detail.find("KINK_ERROR payload at offset 32") != std::string::npos);
  }
  SECTION("octets that are not padding after the last payload") {
    Bytes b = cat({table2_reply_error(), {0, 0, 0, 0}});
    put16(b, 2, 44);
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::Malformed);
    CHECK(e.offset == 40);
  }
  SECTION("padding omitted after the last payload is accepted") {
    Bytes b = table3_gettgt();
    b.pop_back();
    put16(b, 2, 51);
    auto m = decode_message(b);
    REQUIRE(m);
    CHECK(*m == samples::gettgt());
  }
  SECTION("padding omitted where it would not fit the 16-bit Length") {
    // KINK_TGT_REP of 65519 octets (65535 with the header): re-encoding it
    // would need one octet of padding past the largest Length.
    Bytes b = cat({{0x03, 0x10, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 9, 0x05, 0, 0, 0}, {0x00, 0x00, 0xff, 0xef}});
    Bytes ticket = samples::der(0x61, 0x7f);
    ticket.resize(65515, 0x42);
    b = cat({b, ticket});
    REQUIRE(b.size() == 65535);
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::Malformed);
    b[19] = 0xec;  // 65516: aligned, no padding needed
    b[3] = 0xfc;
    b.resize(65532);
    auto m = decode_message(b);
    INFO((m ? "" : m.error().to_string()));
    CHECK(m);
  }
  SECTION("a payload after KINK_ENCRYPT") {
    Message m = samples::create_encrypted();
    auto b = encode_message(m);
    // Give KINK_ENCRYPT a Next Payload (KINK_ERROR) and append that payload
    // before the Cksum.
    Bytes tail(b.end() - 8, b.end());
    b.resize(b.size() - 8);
    b[32] = 0x08;
    b = cat({b, {0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0}, tail});
    put16(b, 2, static_cast<std::uint16_t>(b.size()));
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::InvalidSyntax);
    CHECK(e.payload_type == PayloadType::Encrypt);
  }
  SECTION("an unknown payload type is skipped by its length and kept") {
    auto m = decode_message(encode_message(samples::delete_request()));
    REQUIRE(m);
    const auto* u = find<UnknownPayload>(m->payloads);
    REQUIRE(u);
    CHECK(static_cast<int>(u->type) == 200);
    CHECK(u->body == samples::bytes(5));
  }
  SECTION("a KINK_ISAKMP with Quick Mode version 2.0 is KINK_BADQMVERS") {
    Bytes b = table1_create();
    b[37] = 0x20;
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::BadQmVersion);
    CHECK(e.kink_error() == KinkErrorCode::BadQmVers);
    CHECK(e.offset == 32);
  }
  SECTION("an SA whose DOI differs from the header's is KINK_INVDOI") {
    Bytes b = table1_create();
    b[47] = 2;  // SA DOI
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::InvalidDoi);
    CHECK(e.payload_type == PayloadType::Isakmp);
    CHECK(e.isakmp_type == isakmp::PayloadType::Sa);
    CHECK(e.offset == 40);
    CHECK(e.detail.find("KINK_ISAKMP payload at offset 32: SA payload at offset 40") != std::string::npos);
  }
  SECTION("an ESP proposal with a 3-octet SPI is a protocol error") {
    Message m = samples::create_request();
    auto& k = std::get<IsakmpPayload>(m.payloads[1]);
    std::get<isakmp::SaPayload>(k.payloads[0]).proposals[0].spi = {1, 2, 3};
    auto e = decode_fails(encode_message(m));
    CHECK(e.fault == DecodeFault::InvalidSyntax);
    CHECK(e.kink_error() == KinkErrorCode::ProtoErr);
    CHECK(e.detail.find("SPI Size 3") != std::string::npos);
  }
  SECTION("a labeled situation is unsupported") {
    Bytes b = table1_create();
    b[51] = 0x03;  // SIT_IDENTITY_ONLY | SIT_SECRECY
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::Unsupported);
  }
  SECTION("a KRB_AP_REQ without its DER tag") {
    Bytes b = table1_create();
    b[24] = 0x30;
    auto e = decode_fails(b);
    CHECK(e.fault == DecodeFault::InvalidSyntax);
    CHECK(e.payload_type == PayloadType::ApReq);
    CHECK(e.offset == 16);
  }
}

TEST_CASE("checksum_input and append_checksum follow RFC 4430 §4", "[kink][wire]") {
  Bytes wire = table1_create();
  auto covered = checksum_input(wire);
  REQUIRE(covered);
  // The message without its 8-octet Cksum, Length 164, CksumLen 0.
  Bytes expect(wire.begin(), wire.end() - 8);
  put16(expect, 2, 164);
  put16(expect, 14, 0);
  CHECK(*covered == expect);

  // Encoding without a checksum yields exactly the checksum input, and
  // append_checksum turns it into the full message.
  Message unsigned_msg = samples::create_request();
  unsigned_msg.checksum.clear();
  Bytes b = encode_message(unsigned_msg);
  CHECK(b == expect);
  CHECK(checksum_input(b) == expect);
  REQUIRE(append_checksum(b, samples::bytes(8, 0xc0)));
  CHECK(b == wire);

  // A message that already has a Cksum, or a Length that lies, is refused.
  Bytes again = wire;
  CHECK_FALSE(append_checksum(again, samples::bytes(4)));
  CHECK(again == wire);
  Bytes short_len = expect;
  put16(short_len, 2, 100);
  CHECK_FALSE(append_checksum(short_len, samples::bytes(4)));
  CHECK_FALSE(checksum_input(Bytes(wire.begin(), wire.begin() + 15)));
  Bytes bad = wire;
  put16(bad, 14, 200);
  CHECK_FALSE(checksum_input(bad));
}

TEST_CASE("every truncation fails cleanly", "[kink][wire]") {
  for (const Bytes& valid : {table1_create(), table2_reply_error(), table3_gettgt(), table6_krb_error(),
                             table6_tgt_rep(), table6_encrypted_create()}) {
    for (std::size_t len = 0; len < valid.size(); ++len) {
      auto m = decode_message(std::span<const std::uint8_t>(valid).first(len));
      CHECK_FALSE(m);
      if (!m) CHECK_FALSE(m.error().detail.empty());
    }
  }
  Bytes plain = table4_encrypt_plaintext();
  for (std::size_t len = 0; len < plain.size(); ++len) {
    CHECK_FALSE(decode_encrypt_plaintext(std::span<const std::uint8_t>(plain).first(len)));
  }
}

TEST_CASE("bit flips never crash and decoded mutants round-trip", "[kink][wire][bitflip]") {
  std::vector<Bytes> inputs = {table1_create(), table2_reply_error(), table3_gettgt(), table6_encrypted_create()};
  for (const Message& m : samples::all()) inputs.push_back(encode_message(m));
  std::size_t decoded = 0, mutants = 0;
  for (const Bytes& valid : inputs) {
    mutants += testing::for_each_mutation(valid, [&](std::span<const std::uint8_t> in) {
      auto m = decode_message(in);
      if (!m) {
        REQUIRE_FALSE(m.error().detail.empty());
        return;
      }
      ++decoded;
      (void)describe(*m);
      auto again = decode_message(encode_message(*m));
      REQUIRE(again);
      REQUIRE(*again == *m);
    });
  }
  CHECK(mutants > 5000);
  CHECK(decoded > 0);
  std::size_t inner_decoded = 0;
  testing::for_each_mutation(table4_encrypt_plaintext(), [&](std::span<const std::uint8_t> in) {
    auto p = decode_encrypt_plaintext(in);
    if (!p) return;
    ++inner_decoded;
    auto again = decode_encrypt_plaintext(encode_encrypt_plaintext(*p));
    REQUIRE(again);
    REQUIRE(*again == *p);
  });
  CHECK(inner_decoded > 0);
}
