// tests/unit/kink/wire_payloads_test.cc — the payload codecs one by one:
// the ISAKMP Quick Mode payloads (RFC 2408 §3, RFC 2407 §4) with their
// verify rules, and the small KINK payloads (RFC 4430 §4.2).
#include <catch2/catch.hpp>

#include "bitflip.h"
#include "core/wire/writer.h"
#include "kink/wire/isakmp_chain.h"
#include "kink/wire/message.h"
#include "wire_samples.h"

using namespace kink::wire;
using namespace kink::wire::isakmp;
using samples::Bytes;

namespace {

template <typename T>
Bytes body_of(const T& payload) {
  core::wire::Writer w;
  encode(payload, w);
  return w.take();
}

// chain_fails decodes an ISAKMP chain and returns its error.
DecodeError chain_fails(isakmp::PayloadType first, const Bytes& data) {
  auto c = decode_chain(first, data);
  REQUIRE_FALSE(c);
  return c.error();
}

SaPayload sa_with(Transform t) {
  SaPayload sa = samples::quick_mode_sa();
  sa.proposals[0].transforms = {std::move(t)};
  return sa;
}

}  // namespace

TEST_CASE("ISAKMP vectors from RFC 2408 §3 and RFC 2407 §4.6.2", "[kink][wire][isakmp]") {
  // Table 5 — one vector per payload body, octets written from the diagrams.
  struct Row {
    const char* name;
    isakmp::PayloadType type;
    Bytes body;
    isakmp::Payload expect;
  };
  NotifyPayload responder_lifetime;
  responder_lifetime.type = NotifyType::ResponderLifetime;
  responder_lifetime.spi = {0x0a, 0x0b, 0x0c, 0x0d};
  responder_lifetime.data = {0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x07, 0x08};
  std::vector<Row> rows = {
      // KE: the public value only (RFC 2408 §3.7).
      {"KE", isakmp::PayloadType::Ke, {1, 2, 3, 4, 5}, KePayload{{1, 2, 3, 4, 5}}},
      // ID_IPV4_ADDR_RANGE, UDP(17) port 500: 192.0.2.10 - 192.0.2.20 (§4.6.2.9).
      {"ID range",
       isakmp::PayloadType::Id,
       {0x07, 0x11, 0x01, 0xf4, 192, 0, 2, 10, 192, 0, 2, 20},
       IdPayload::range({samples::addr("192.0.2.10"), samples::addr("192.0.2.20")}, 17, 500)},
      // ID_IPV6_ADDR_SUBNET 2001:db8::/32 (§4.6.2.8).
      {"ID v6 subnet",
       isakmp::PayloadType::Id,
       {0x06, 0x00, 0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
       IdPayload::subnet(*core::net::Prefix::parse("2001:db8::/32"))},
      // ID_FQDN "mn.example" (§4.6.2.4).
      {"ID fqdn",
       isakmp::PayloadType::Id,
       {0x02, 0x00, 0x00, 0x00, 'm', 'n', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e'},
       IdPayload{IdType::Fqdn, 0, 0, {'m', 'n', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e'}}},
      // Notification RESPONDER-LIFETIME (24576 = 0x6000, RFC 2407 §4.6.3.1)
      // for ESP SPI 0x0a0b0c0d, data: Life Type seconds, Life Duration 1800.
      {"N",
       isakmp::PayloadType::Notify,
       {0x00, 0x00, 0x00, 0x01, 0x03, 0x04, 0x60, 0x00, 0x0a, 0x0b, 0x0c, 0x0d, 0x80, 0x01, 0x00, 0x01,
        0x80, 0x02, 0x07, 0x08},
       responder_lifetime},
      // Delete: DOI 1, AH, SPI Size 4, 1 SPI (RFC 2408 §3.15).
      {"D",
       isakmp::PayloadType::Delete,
       {0x00, 0x00, 0x00, 0x01, 0x02, 0x04, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef},
       DeletePayload::ipsec(ProtocolId::Ah, {0xdeadbeef})},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    core::wire::Writer w;
    w.u8(0);
    w.u8(0);
    w.u16(static_cast<std::uint16_t>(4 + row.body.size()));
    w.bytes(row.body);
    auto chain = decode_chain(row.type, w.view());
    INFO((chain ? "" : chain.error().to_string()));
    REQUIRE(chain);
    REQUIRE(chain->size() == 1);
    CHECK((*chain)[0] == row.expect);
    auto again = encode_chain({row.expect});
    CHECK(again.first == row.type);
    CHECK(again.bytes == Bytes(w.view().begin(), w.view().end()));
  }
}

TEST_CASE("SA attributes: TV and TLV forms, life pairs, numbers", "[kink][wire][isakmp]") {
  CHECK(Attribute::life_duration(3600).tv);
  CHECK(Attribute::life_duration(3600).value == 3600);
  Attribute big = Attribute::life_duration(86400);
  CHECK_FALSE(big.tv);
  CHECK(big.data == Bytes{0x00, 0x01, 0x51, 0x80});
  CHECK(big.number() == 86400u);
  CHECK(Attribute::variable(AttributeType::LifeDuration, Bytes(9, 1)).number() == std::nullopt);

  Transform t = samples::esp_aes_transform(1);
  CHECK(verify(sa_with(t)));
  SECTION("a basic attribute in TLV form") {
    t.attributes.push_back(Attribute::variable(AttributeType::KeyRounds, {0, 1}));
    auto s = verify(sa_with(t));
    REQUIRE_FALSE(s);
    CHECK(s.error().detail.find("basic attribute Key Rounds in TLV form") != std::string::npos);
  }
  SECTION("a Life Duration without its Life Type") {
    t.attributes.erase(t.attributes.begin());
    CHECK_FALSE(verify(sa_with(t)));
  }
  SECTION("a Life Type without its Life Duration") {
    t.attributes.erase(t.attributes.begin() + 1);
    CHECK_FALSE(verify(sa_with(t)));
  }
  SECTION("an empty TLV") {
    t.attributes[3].data.clear();
    CHECK_FALSE(verify(sa_with(t)));
  }
  SECTION("Transform-Id 0") {
    t.id = 0;
    CHECK_FALSE(verify(sa_with(t)));
  }
}

TEST_CASE("SA proposal rules", "[kink][wire][isakmp]") {
  SaPayload sa = samples::quick_mode_sa();
  SECTION("an AH+ESP bundle shares a Proposal # and numbers never decrease") {
    Proposal ah = sa.proposals[0];
    ah.protocol = ProtocolId::Ah;
    ah.transforms[0].id = static_cast<std::uint8_t>(AhTransformId::Sha2_256);
    ah.transforms[0].attributes = {};
    sa.proposals.push_back(ah);
    CHECK(verify(sa));
    sa.proposals[0].number = 2;
    CHECK_FALSE(verify(sa));
  }
  SECTION("PROTO_ISAKMP has no place in Quick Mode") {
    sa.proposals[0].protocol = ProtocolId::Isakmp;
    CHECK_FALSE(verify(sa));
  }
  SECTION("IPCOMP takes a 2-octet CPI") {
    sa.proposals[0].protocol = ProtocolId::Ipcomp;
    sa.proposals[0].spi = {0x12, 0x34};
    sa.proposals[0].transforms[0].attributes = {};
    CHECK(verify(sa));
  }
  SECTION("no transforms, no proposals, another situation") {
    SaPayload empty = sa;
    empty.proposals[0].transforms.clear();
    CHECK_FALSE(verify(empty));
    empty.proposals.clear();
    CHECK_FALSE(verify(empty));
    sa.situation = 0;
    CHECK_FALSE(verify(sa));
  }
}

TEST_CASE("SA decode rejects broken lengths and chains", "[kink][wire][isakmp]") {
  Bytes sa = body_of(samples::quick_mode_sa());
  REQUIRE(decode_sa(sa));
  // Offsets in the SA body: DOI 0, Situation 4, proposal header 8, # of
  // Transforms 15, SPI 16, transform header 20 (Next Payload 20, length 22).
  SECTION("# of Transforms differs") {
    Bytes b = sa;
    b[15] = 2;
    auto r = decode_sa(b);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::ErrorCode::Malformed);
  }
  SECTION("a transform Next Payload that is neither 3 nor 0") {
    Bytes b = sa;
    b[20] = 5;
    auto r = decode_sa(b);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::ErrorCode::InvalidSyntax);
  }
  SECTION("a proposal that claims more proposals follow") {
    Bytes b = sa;
    b[8] = 2;
    CHECK(decode_sa(b).error().code == core::ErrorCode::InvalidSyntax);
  }
  SECTION("an attribute cut short") {
    Bytes b = sa;
    b.pop_back();
    b[23] = static_cast<std::uint8_t>(b[23] - 1);
    b[11] = static_cast<std::uint8_t>(b[11] - 1);
    CHECK(decode_sa(b).error().code == core::ErrorCode::Malformed);
  }
  SECTION("a DOI whose situation format is unknown") {
    Bytes b = sa;
    b[3] = 2;
    CHECK(decode_sa(b).error().code == core::ErrorCode::Unsupported);
  }
}

TEST_CASE("ISAKMP chain errors", "[kink][wire][isakmp]") {
  SECTION("a Proposal payload outside an SA") {
    auto e = chain_fails(isakmp::PayloadType::Proposal, {0, 0, 0, 8, 1, 3, 0, 0});
    CHECK(e.fault == DecodeFault::InvalidSyntax);
    CHECK(e.isakmp_type == isakmp::PayloadType::Proposal);
  }
  SECTION("octets after the last payload") {
    auto e = chain_fails(isakmp::PayloadType::Ke, {0, 0, 0, 5, 9, 0xff});
    CHECK(e.fault == DecodeFault::Malformed);
    CHECK(e.offset == 5);
  }
  SECTION("a Payload Length below 4") {
    CHECK(chain_fails(isakmp::PayloadType::Ke, {0, 0, 0, 3}).fault == DecodeFault::Malformed);
  }
  SECTION("a Notification whose DOI is not the header's") {
    auto e = chain_fails(isakmp::PayloadType::Notify, {0, 0, 0, 12, 0, 0, 0, 9, 3, 0, 0x60, 2});
    CHECK(e.fault == DecodeFault::InvalidDoi);
  }
  SECTION("unknown payloads (HASH, VID) are skipped and kept") {
    auto c = decode_chain(isakmp::PayloadType::Hash, Bytes{13, 0, 0, 6, 1, 2, 0, 0, 0, 5, 7});
    REQUIRE(c);
    REQUIRE(c->size() == 2);
    CHECK(std::get<isakmp::UnknownPayload>((*c)[1]) == isakmp::UnknownPayload{isakmp::PayloadType::VendorId, {7}});
    CHECK(describe_chain(*c) == "HASH VID");
  }
}

TEST_CASE("ID, Nonce, KE, Notify and Delete verify rules", "[kink][wire][isakmp]") {
  CHECK_FALSE(verify(IdPayload{IdType::Ipv4Addr, 0, 0, {192, 0, 2, 1, 0}}));
  CHECK_FALSE(verify(IdPayload{IdType::Ipv4AddrRange, 0, 0, {192, 0, 2, 20, 192, 0, 2, 10}}));
  CHECK(verify(IdPayload{IdType::Ipv4AddrRange, 0, 0, {192, 0, 2, 10, 192, 0, 2, 10}}));
  CHECK_FALSE(verify(IdPayload{IdType::UserFqdn, 0, 0, {}}));
  CHECK(verify(IdPayload{static_cast<IdType>(77), 0, 0, {}}));

  // A subnet with a non-contiguous mask covers no single range.
  IdPayload odd{IdType::Ipv4AddrSubnet, 0, 0, {192, 0, 2, 0, 255, 0, 255, 0}};
  CHECK(verify(odd));
  CHECK_FALSE(odd.to_range());
  auto v6 = IdPayload::subnet(*core::net::Prefix::parse("2001:db8::/35")).to_range();
  REQUIRE(v6);
  CHECK(v6->end == samples::addr("2001:db8:1fff:ffff:ffff:ffff:ffff:ffff"));
  CHECK(IdPayload::address(samples::addr("198.51.100.7")).to_range()->start == samples::addr("198.51.100.7"));

  CHECK_FALSE(verify(NoncePayload{Bytes(7)}));
  CHECK(verify(NoncePayload{Bytes(8)}));
  CHECK_FALSE(verify(NoncePayload{Bytes(257)}));
  CHECK_FALSE(verify(KePayload{}));

  NotifyPayload n;
  n.type = static_cast<NotifyType>(0);
  CHECK_FALSE(verify(n));
  n.type = NotifyType::InvalidSpi;
  n.spi = {1, 2, 3};
  CHECK_FALSE(verify(n));
  n.spi = {};
  CHECK(verify(n));

  CHECK_FALSE(verify(DeletePayload{kIpsecDoi, ProtocolId::Isakmp, 16, {Bytes(16)}}));
  CHECK_FALSE(verify(DeletePayload{kIpsecDoi, ProtocolId::Esp, 4, {}}));
  CHECK(verify(DeletePayload{kIpsecDoi, ProtocolId::Ipcomp, 2, {{0x12, 0x34}}}));
  CHECK_FALSE(decode_delete(Bytes{0, 0, 0, 1, 3, 4, 0, 2, 1, 2, 3, 4}));
  CHECK_FALSE(decode_notify(Bytes{0, 0, 0, 1, 3, 4, 0, 1, 1}));
}

TEST_CASE("KINK payload rules", "[kink][wire]") {
  // KINK_TGT_REQ: the realm follows the first unescaped '@' (RFC 1964 §2.1.1).
  auto tgt = TgtReqPayload::make("user\\@home/host", "EX@MPLE");
  CHECK(tgt.princ_name == "user\\@home/host@EX\\@MPLE");
  auto parts = tgt.split();
  REQUIRE(parts);
  CHECK(parts->first == "user\\@home/host");
  CHECK(parts->second == "EX\\@MPLE");
  CHECK(verify(tgt));
  CHECK_FALSE(verify(TgtReqPayload{"no-realm"}));
  CHECK_FALSE(verify(TgtReqPayload{"@REALM"}));
  CHECK_FALSE(verify(TgtReqPayload{"name@"}));

  // Kerberos payloads carry their DER tags (RFC 4120 §5).
  CHECK(verify(samples::ap_req()));
  CHECK_FALSE(verify(ApReqPayload{1, samples::der(0x6f, 2)}));
  CHECK_FALSE(verify(ApRepPayload{1, {}}));
  CHECK_FALSE(verify(KrbErrorPayload{samples::der(0x6e, 2)}));
  CHECK_FALSE(verify(TgtRepPayload{samples::der(0x62, 2)}));
  CHECK_FALSE(decode_ap_req(Bytes{0, 0, 1}));

  // KINK_ERROR: exactly 4 octets; codes past private use are reserved.
  CHECK_FALSE(decode_error(Bytes{0, 0, 0, 1, 0}));
  CHECK(verify(ErrorPayload{static_cast<KinkErrorCode>(9000)}));
  CHECK_FALSE(verify(ErrorPayload{static_cast<KinkErrorCode>(16384)}));
  CHECK(kink_error_name(static_cast<KinkErrorCode>(4)) == "ERROR_4");

  CHECK_FALSE(verify(EncryptPayload{}));
  CHECK(kink::wire::payload_type_name(kink::wire::PayloadType::Isakmp) == "KINK_ISAKMP");
  CHECK(message_type_name(MessageType::GetTgt) == "GETTGT");
  CHECK(transform_id_name(ProtocolId::Esp, 12) == "ESP_AES-CBC");
  CHECK(notify_type_name(NotifyType::InitialContact) == "INITIAL-CONTACT");
}

TEST_CASE("ISAKMP chain bit flips never crash and round-trip", "[kink][wire][isakmp][bitflip]") {
  std::vector<std::pair<isakmp::PayloadType, Bytes>> inputs;
  for (const auto& k : {samples::create_isakmp(), samples::delete_isakmp()}) {
    auto c = encode_chain(k.payloads);
    inputs.emplace_back(c.first, c.bytes);
  }
  std::size_t decoded = 0;
  for (const auto& [first, valid] : inputs) {
    testing::for_each_mutation(valid, [&, first = first](std::span<const std::uint8_t> in) {
      auto c = decode_chain(first, in);
      if (!c) {
        REQUIRE_FALSE(c.error().detail.empty());
        return;
      }
      ++decoded;
      auto enc = encode_chain(*c);
      auto again = decode_chain(enc.first, enc.bytes);
      REQUIRE(again);
      REQUIRE(*again == *c);
    });
  }
  CHECK(decoded > 0);
}
