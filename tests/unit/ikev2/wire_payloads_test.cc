// tests/unit/ikev2/wire_payloads_test.cc — per-payload round trips and the
// RFC 7296 §3 verify rules of each payload codec.
#include <catch2/catch.hpp>

#include "ikev2/wire/message.h"
#include "wire_samples.h"

using namespace ikev2::wire;
using core::ErrorCode;

namespace {

// round_trip encodes p as a one-payload chain, decodes it back (with verify)
// and returns the decoded struct.
template <typename T>
T round_trip(const T& p, const VerifyContext& ctx = {}) {
  auto chain = encode_payload_chain({Payload(p)});
  REQUIRE(chain.first == payload_type(Payload(p)));
  auto back = decode_payload_chain(chain.first, chain.bytes, ctx);
  if (!back) FAIL(back.error().to_string());
  REQUIRE(back->size() == 1);
  REQUIRE(std::holds_alternative<T>(back->front()));
  return std::get<T>(back->front());
}

// verify_code returns the error code of verify(p), or nullopt if it passes.
template <typename T>
std::optional<ErrorCode> verify_code(const T& p, const VerifyContext& ctx = {}) {
  auto s = verify(p, ctx);
  if (s) return std::nullopt;
  return s.error().code;
}

const VerifyContext kInit{ExchangeType::IkeSaInit, false};
const VerifyContext kInitResponse{ExchangeType::IkeSaInit, true};
const VerifyContext kAuth{ExchangeType::IkeAuth, false};
const VerifyContext kChild{ExchangeType::CreateChildSa, false};

}  // namespace

TEST_CASE("SA payload round trips with proposals, SPIs and attributes", "[ikev2][wire][sa]") {
  SaPayload sa;
  sa.proposals.push_back(samples::ike_proposal(1, 128, KeGroup::Modp2048));
  sa.proposals.push_back(samples::ike_proposal(2, 256, KeGroup::Ecp384));
  CHECK(round_trip(sa, kInit) == sa);

  SaPayload rekey;
  Proposal p = samples::ike_proposal(1, 128, KeGroup::Curve25519);
  p.spi = samples::bytes(8, 1);
  rekey.proposals.push_back(p);
  rekey.proposals.push_back(samples::esp_proposal(2, {1, 2, 3, 4}));
  CHECK(round_trip(rekey, kChild) == rekey);

  // An unknown TLV attribute survives the trip (the engine rejects the transform).
  SaPayload tlv;
  tlv.proposals.push_back(samples::esp_proposal(1, {9, 9, 9, 9}));
  tlv.proposals[0].transforms[1].attributes.push_back({0x1234, false, 0, {1, 2, 3}});
  CHECK(round_trip(tlv) == tlv);
  CHECK(tlv.proposals[0].transforms[0].key_length() == 256);
  CHECK_FALSE(tlv.proposals[0].transforms[1].key_length());
}

TEST_CASE("SA verify enforces SPI sizes per protocol and exchange", "[ikev2][wire][sa]") {
  SaPayload sa;
  sa.proposals.push_back(samples::ike_proposal(1, 128, KeGroup::Modp2048));
  CHECK_FALSE(verify_code(sa, kInit));
  CHECK_FALSE(verify_code(sa));
  sa.proposals[0].spi = samples::bytes(8);
  CHECK(verify_code(sa, kInit) == ErrorCode::InvalidSyntax);  // §3.3.1: MUST be zero in IKE_SA_INIT
  CHECK_FALSE(verify_code(sa, kChild));                        // IKE rekey: 8
  CHECK_FALSE(verify_code(sa));
  sa.proposals[0].spi = samples::bytes(4);
  CHECK(verify_code(sa) == ErrorCode::InvalidSyntax);
  sa.proposals[0].spi.clear();
  CHECK(verify_code(sa, kChild) == ErrorCode::InvalidSyntax);  // rekey without the new SPI
  CHECK(verify_code(sa, kAuth) == ErrorCode::InvalidSyntax);   // no IKE proposal in IKE_AUTH

  SaPayload esp;
  esp.proposals.push_back(samples::esp_proposal(1, {1, 2, 3, 4}));
  CHECK_FALSE(verify_code(esp, kAuth));
  CHECK_FALSE(verify_code(esp, kChild));
  CHECK(verify_code(esp, kInit) == ErrorCode::InvalidSyntax);
  esp.proposals[0].spi = samples::bytes(8);
  CHECK(verify_code(esp, kChild) == ErrorCode::InvalidSyntax);
  esp.proposals[0].spi.clear();
  CHECK(verify_code(esp) == ErrorCode::InvalidSyntax);
  esp.proposals[0].spi = {1, 2, 3, 4};
  esp.proposals[0].protocol = ProtocolId::Ah;
  CHECK_FALSE(verify_code(esp, kAuth));
  esp.proposals[0].protocol = ProtocolId::None;
  CHECK(verify_code(esp) == ErrorCode::InvalidSyntax);
}

TEST_CASE("SA verify enforces proposal numbering and transform rules", "[ikev2][wire][sa]") {
  SaPayload sa;
  sa.proposals.push_back(samples::ike_proposal(1, 128, KeGroup::Modp2048));
  sa.proposals.push_back(samples::ike_proposal(3, 128, KeGroup::Modp2048));
  CHECK(verify_code(sa, kInit) == ErrorCode::InvalidSyntax);  // 1, 3: not consecutive
  CHECK(verify_code(sa) == ErrorCode::InvalidSyntax);
  sa.proposals[1].number = 2;
  CHECK_FALSE(verify_code(sa, kInit));
  CHECK(verify_code(sa, kInitResponse) == ErrorCode::InvalidSyntax);  // response: one proposal

  SaPayload chosen;
  chosen.proposals.push_back(samples::ike_proposal(2, 128, KeGroup::Modp2048));
  CHECK_FALSE(verify_code(chosen, kInitResponse));  // keeps the number of the chosen proposal
  CHECK_FALSE(verify_code(chosen));
  CHECK(verify_code(chosen, kInit) == ErrorCode::InvalidSyntax);  // a request starts at 1

  CHECK(verify_code(SaPayload{}) == ErrorCode::InvalidSyntax);

  SaPayload t;
  t.proposals.push_back(samples::ike_proposal(1, 128, KeGroup::Modp2048));
  auto& transforms = t.proposals[0].transforms;
  transforms[1].attributes.push_back(TransformAttribute::key_length(128));  // on the PRF
  CHECK(verify_code(t) == ErrorCode::InvalidSyntax);
  transforms[1].attributes.clear();
  transforms[0].attributes = {{14, false, 0, {0, 128}}};  // Key Length as TLV
  CHECK(verify_code(t) == ErrorCode::InvalidSyntax);
  transforms[0].attributes = {TransformAttribute::key_length(128), TransformAttribute::key_length(256)};
  CHECK(verify_code(t) == ErrorCode::InvalidSyntax);
  transforms[0].attributes = {TransformAttribute::key_length(0)};
  CHECK(verify_code(t) == ErrorCode::InvalidSyntax);
  transforms[0].attributes = {TransformAttribute::key_length(128)};
  CHECK_FALSE(verify_code(t));
  transforms.clear();
  CHECK(verify_code(t) == ErrorCode::InvalidSyntax);
}

TEST_CASE("SA decode checks lengths, counts and Last Substruc", "[ikev2][wire][sa]") {
  // One IKE proposal, one transform ENCR_AES_CBC without attributes.
  std::vector<std::uint8_t> good = {0, 0, 0, 16, 1, 1, 0, 1, 0, 0, 0, 8, 1, 0, 0, 12};
  REQUIRE(decode_sa(good));
  auto bad = good;
  bad[3] = 7;  // Proposal Length < 8
  CHECK(decode_sa(bad).error().code == ErrorCode::Malformed);
  bad = good;
  bad[3] = 17;  // past the end
  CHECK(decode_sa(bad).error().code == ErrorCode::Malformed);
  bad = good;
  bad[7] = 2;  // Num Transforms 2, one present
  CHECK(decode_sa(bad).error().code == ErrorCode::Malformed);
  bad = good;
  bad[0] = 2;  // "more proposals" on the last one
  CHECK(decode_sa(bad).error().code == ErrorCode::InvalidSyntax);
  bad = good;
  bad[8] = 3;  // "more transforms" on the last one
  CHECK(decode_sa(bad).error().code == ErrorCode::InvalidSyntax);
  bad = good;
  bad[11] = 9;  // Transform Length past the proposal
  CHECK(decode_sa(bad).error().code == ErrorCode::Malformed);
  bad = good;
  bad[6] = 9;  // SPI Size past the proposal
  CHECK(decode_sa(bad).error().code == ErrorCode::Malformed);
}

TEST_CASE("KE payload round trips and checks group lengths", "[ikev2][wire][ke]") {
  KePayload ke{19, samples::bytes(64)};
  CHECK(round_trip(ke) == ke);
  CHECK_FALSE(verify_code(ke));
  ke.data.pop_back();
  CHECK(verify_code(ke) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(KePayload{0, samples::bytes(4)}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(KePayload{14, {}}) == ErrorCode::InvalidSyntax);
  CHECK_FALSE(verify_code(KePayload{1000, samples::bytes(7)}));  // unknown group: any length
  CHECK(ke_public_value_size(14) == 256);
  CHECK(ke_public_value_size(31) == 32);
  CHECK(decode_ke(std::vector<std::uint8_t>{0, 14, 0}).error().code == ErrorCode::Malformed);
}

TEST_CASE("ID payloads round trip and check address sizes", "[ikev2][wire][id]") {
  IdPayload idi{true, IdType::Rfc822Addr, {'a', '@', 'b'}};
  IdPayload idr{false, IdType::Ipv6Addr, samples::v6(1)};
  CHECK(round_trip(idi) == idi);
  CHECK(round_trip(idr) == idr);
  CHECK(payload_type(Payload(idr)) == PayloadType::IdResponder);
  CHECK(verify_code(IdPayload{true, IdType::Ipv4Addr, {1, 2, 3, 4, 5}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(IdPayload{true, IdType::Ipv6Addr, {1, 2, 3, 4}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(IdPayload{true, IdType::Fqdn, {}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(IdPayload{true, static_cast<IdType>(0), {1}}) == ErrorCode::InvalidSyntax);
  CHECK_FALSE(verify_code(IdPayload{true, IdType::Null, {}}));
  for (IdType t : {IdType::DerAsn1Dn, IdType::DerAsn1Gn, IdType::KeyId}) {
    CHECK_FALSE(verify_code(IdPayload{false, t, {0x30, 0}}));
  }
}

TEST_CASE("CERT, CERTREQ and AUTH round trip and verify", "[ikev2][wire][cert][auth]") {
  CertPayload cert{CertEncoding::X509Signature, samples::bytes(100)};
  CHECK(round_trip(cert) == cert);
  CHECK(verify_code(CertPayload{CertEncoding::X509Signature, {}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(CertPayload{CertEncoding::HashUrlX509Cert, samples::bytes(20)}) ==
        ErrorCode::InvalidSyntax);
  CHECK_FALSE(verify_code(CertPayload{CertEncoding::HashUrlX509Cert, samples::bytes(30)}));

  CertReqPayload req{CertEncoding::X509Signature, samples::bytes(40)};
  CHECK(round_trip(req) == req);
  CHECK(req.authority_count() == 2);
  CHECK_FALSE(verify_code(CertReqPayload{CertEncoding::X509Signature, {}}));
  CHECK(verify_code(CertReqPayload{CertEncoding::X509Signature, samples::bytes(21)}) ==
        ErrorCode::InvalidSyntax);

  AuthPayload psk{AuthMethod::SharedKeyMic, samples::bytes(32)};
  CHECK(round_trip(psk) == psk);
  CHECK(verify_code(AuthPayload{AuthMethod::SharedKeyMic, {}}) == ErrorCode::InvalidSyntax);
  // RFC 7427 §3: one-octet ASN.1 length, AlgorithmIdentifier, signature.
  AuthPayload ds{AuthMethod::DigitalSignature, {3, 0x30, 0x01, 0x00, 0xaa, 0xbb}};
  CHECK_FALSE(verify_code(ds));
  auto parts = split_digital_signature(ds);
  REQUIRE(parts);
  CHECK(parts->algorithm.size() == 3);
  CHECK(parts->signature.size() == 2);
  ds.data = {9, 0x30, 0x01};
  CHECK(verify_code(ds) == ErrorCode::InvalidSyntax);
}

TEST_CASE("Nonce payload round trips within 16..256 octets", "[ikev2][wire][nonce]") {
  NoncePayload n{samples::bytes(16)};
  CHECK(round_trip(n) == n);
  CHECK_FALSE(verify_code(NoncePayload{samples::bytes(256)}));
  CHECK(verify_code(NoncePayload{samples::bytes(15)}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(NoncePayload{samples::bytes(257)}) == ErrorCode::InvalidSyntax);
}

TEST_CASE("Notify payload round trips and checks SPIs and data sizes", "[ikev2][wire][notify]") {
  NotifyPayload rekey{ProtocolId::Esp, NotifyType::RekeySa, {0xca, 0xfe, 0x00, 0x01}, {}};
  CHECK(round_trip(rekey) == rekey);
  CHECK(rekey.child_spi() == 0xcafe0001u);
  auto cookie = NotifyPayload::make(NotifyType::Cookie, samples::bytes(64));
  CHECK(round_trip(cookie) == cookie);

  CHECK(verify_code(NotifyPayload{ProtocolId::Ike, NotifyType::InitialContact, samples::bytes(8), {}}) ==
        ErrorCode::InvalidSyntax);  // notifies about the IKE SA carry no SPI
  CHECK(verify_code(NotifyPayload{ProtocolId::Esp, NotifyType::RekeySa, samples::bytes(8), {}}) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(NotifyPayload::make(NotifyType::RekeySa)) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(NotifyPayload::make(NotifyType::Cookie)) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(NotifyPayload::make(NotifyType::Cookie, samples::bytes(65))) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(NotifyPayload::make(NotifyType::NatDetectionSourceIp, samples::bytes(19))) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(NotifyPayload::make(NotifyType::InvalidKePayload, {0, 19})) == std::nullopt);
  CHECK(verify_code(NotifyPayload::make(NotifyType::SignatureHashAlgorithms, {0, 2, 0})) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(NotifyPayload::make(static_cast<NotifyType>(0))) == ErrorCode::InvalidSyntax);
  // Protocol ID is ignored when there is no SPI (§3.10), and unknown types pass.
  CHECK_FALSE(verify_code(NotifyPayload{ProtocolId::Ike, NotifyType::InitialContact, {}, {}}));
  CHECK_FALSE(verify_code(NotifyPayload::make(static_cast<NotifyType>(40000), {1, 2, 3})));
  CHECK(decode_notify(std::vector<std::uint8_t>{3, 4, 0x40, 0x09, 1, 2}).error().code ==
        ErrorCode::Malformed);
}

TEST_CASE("Delete payload round trips and checks SPI sizes", "[ikev2][wire][delete]") {
  auto d = DeletePayload::child(ProtocolId::Esp, {0x11223344, 0x55667788});
  CHECK(round_trip(d) == d);
  CHECK(d.child_spis() == std::vector<std::uint32_t>{0x11223344, 0x55667788});
  CHECK(round_trip(DeletePayload::ike()) == DeletePayload::ike());
  CHECK(verify_code(DeletePayload{ProtocolId::Ike, 8, {samples::bytes(8)}}) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(DeletePayload{ProtocolId::Esp, 8, {samples::bytes(8)}}) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(DeletePayload{ProtocolId::Ah, 4, {}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(DeletePayload{ProtocolId::None, 0, {}}) == ErrorCode::InvalidSyntax);
  // 2 SPIs of 4 octets announced, 7 octets present.
  CHECK(decode_delete(std::vector<std::uint8_t>{3, 4, 0, 2, 1, 2, 3, 4, 5, 6, 7}).error().code ==
        ErrorCode::Malformed);
}

TEST_CASE("Vendor ID and EAP payloads round trip", "[ikev2][wire][vid][eap]") {
  VendorIdPayload vid{samples::bytes(16)};
  CHECK(round_trip(vid) == vid);
  EapPayload eap{{1, 1, 0, 5, 1}};  // EAP-Request/Identity
  CHECK(round_trip(eap) == eap);
  CHECK(verify_code(EapPayload{{1, 1, 0, 6, 1}}) == ErrorCode::InvalidSyntax);  // Length 6, 5 present
  CHECK(verify_code(EapPayload{{5, 1, 0, 4}}) == ErrorCode::InvalidSyntax);     // Code 5
  CHECK(verify_code(EapPayload{{3, 1, 0}}) == ErrorCode::InvalidSyntax);
  CHECK_FALSE(verify_code(EapPayload{{3, 1, 0, 4}}));  // EAP-Success
}

TEST_CASE("TS payloads round trip and check address sizes", "[ikev2][wire][ts]") {
  TsPayload tsi{true, {samples::ipv4_range({192, 0, 2, 0}, {192, 0, 2, 255}, 17, 500, 500),
                       samples::ipv6_range(samples::v6(0), samples::v6(0xff), 58, 0x8000, 0x81ff)}};
  CHECK(round_trip(tsi) == tsi);
  TsPayload tsr{false, {samples::ipv6_range(samples::v6(2), samples::v6(2))}};
  CHECK(round_trip(tsr) == tsr);
  // An unknown TS type keeps its raw content (RFC 9478 TS_SECLABEL here).
  TrafficSelector seclabel;
  seclabel.type = TsType::SecLabel;
  seclabel.data = {'s', 'y', 's'};
  TsPayload label{true, {seclabel}};
  CHECK(round_trip(label) == label);

  CHECK(verify_code(TsPayload{true, {}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(TsPayload{true, {samples::ipv4_range(samples::v6(0), samples::v6(1))}}) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(TsPayload{true, {samples::ipv6_range({1, 2, 3, 4}, {1, 2, 3, 5})}}) ==
        ErrorCode::InvalidSyntax);
}

TEST_CASE("CP payload round trips and checks attribute sizes", "[ikev2][wire][cp]") {
  std::vector<std::uint8_t> hoa_prefix = {0, 0, 0x0e, 0x10};  // lifetime 3600
  auto prefix = samples::v6(0);
  hoa_prefix.insert(hoa_prefix.end(), prefix.begin(), prefix.end());
  hoa_prefix.push_back(64);
  CpPayload reply{CfgType::Reply,
                  {{CfgAttributeType::InternalIp4Address, {192, 0, 2, 10}},
                   {CfgAttributeType::InternalIp4Dns, {192, 0, 2, 53}},
                   {CfgAttributeType::InternalIp6Dns, samples::v6(53)},
                   {CfgAttributeType::Mip6HomePrefix, hoa_prefix},
                   {CfgAttributeType::ApplicationVersion, {'x'}}}};
  CHECK(round_trip(reply) == reply);
  CHECK_FALSE(verify_code(reply));
  CHECK(verify_code(CpPayload{CfgType::Reply, {{CfgAttributeType::InternalIp4Address, {1, 2, 3}}}}) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(CpPayload{CfgType::Reply, {{CfgAttributeType::Mip6HomePrefix, samples::bytes(20)}}}) ==
        ErrorCode::InvalidSyntax);
  CHECK(verify_code(CpPayload{static_cast<CfgType>(5), {}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(CpPayload{CfgType::Set, {{CfgAttributeType::SupportedAttributes, {0, 1, 0}}}}) ==
        ErrorCode::InvalidSyntax);
  // Attribute Length 8 with 4 octets present.
  CHECK(decode_cp(std::vector<std::uint8_t>{1, 0, 0, 0, 0, 1, 0, 8, 1, 2, 3, 4}).error().code ==
        ErrorCode::Malformed);
}

TEST_CASE("SK framing splits IV, ciphertext and ICV", "[ikev2][wire][sk]") {
  auto body = samples::bytes(16 + 32 + 16);
  auto parts = decode_sk(body, 16, 16);
  REQUIRE(parts);
  CHECK(parts->iv.size() == 16);
  CHECK(parts->iv[0] == 0);
  CHECK(parts->ciphertext.size() == 32);
  CHECK(parts->ciphertext[0] == 16);
  CHECK(parts->icv.size() == 16);
  CHECK(parts->icv[0] == 48);
  CHECK(decode_sk(samples::bytes(32), 16, 16).error().code == ErrorCode::Malformed);
  CHECK(decode_sk(samples::bytes(33), 16, 16));
  CHECK(decode_sk(samples::bytes(9), 8, 0));  // AEAD-style: ICV inside the algorithm
}

TEST_CASE("SKF verify checks fragment numbering", "[ikev2][wire][skf]") {
  CHECK_FALSE(verify_code(SkfPayload{PayloadType::IdInitiator, 1, 3, samples::bytes(40)}));
  CHECK_FALSE(verify_code(SkfPayload{PayloadType::None, 3, 3, samples::bytes(40)}));
  CHECK(verify_code(SkfPayload{PayloadType::None, 0, 3, {}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(SkfPayload{PayloadType::None, 4, 3, {}}) == ErrorCode::InvalidSyntax);
  CHECK(verify_code(SkfPayload{PayloadType::Auth, 2, 3, {}}) == ErrorCode::InvalidSyntax);
  CHECK(decode_skf(std::vector<std::uint8_t>{0, 1, 0}, PayloadType::None).error().code ==
        ErrorCode::Malformed);
}

TEST_CASE("Name functions follow the RFC names", "[ikev2][wire][names]") {
  CHECK(notify_type_name(NotifyType::NatDetectionSourceIp) == "NAT_DETECTION_SOURCE_IP");
  CHECK(notify_type_name(NotifyType::ChildlessIkev2Supported) == "CHILDLESS_IKEV2_SUPPORTED");
  CHECK(static_cast<int>(NotifyType::ChildlessIkev2Supported) == 16418);
  CHECK(static_cast<int>(NotifyType::Ikev2FragmentationSupported) == 16430);
  CHECK(static_cast<int>(NotifyType::SignatureHashAlgorithms) == 16431);
  CHECK(notify_type_name(NotifyType::UnsupportedCriticalPayload) == "UNSUPPORTED_CRITICAL_PAYLOAD");
  CHECK(notify_type_name(static_cast<NotifyType>(40000)) == "STATUS_TYPE_40000");
  CHECK(notify_type_name(static_cast<NotifyType>(99)) == "ERROR_TYPE_99");
  CHECK(is_error_notify(NotifyType::TsUnacceptable));
  CHECK_FALSE(is_error_notify(NotifyType::Cookie));
  CHECK(exchange_type_name(ExchangeType::CreateChildSa) == "CREATE_CHILD_SA");
  CHECK(exchange_type_name(static_cast<ExchangeType>(99)) == "EXCHANGE_99");
  CHECK(payload_type_name(PayloadType::EncryptedFragment) == "SKF");
  CHECK(payload_type_name(PayloadType::TsResponder) == "TSr");
  CHECK(transform_id_name(TransformType::Encr, 12) == "ENCR_AES_CBC");
  CHECK(transform_id_name(TransformType::Ke, 31) == "CURVE25519");
  CHECK(transform_type_name(static_cast<TransformType>(8)) == "ADDKE3");
  CHECK(id_type_name(IdType::DerAsn1Gn) == "ID_DER_ASN1_GN");
  CHECK(cfg_attribute_name(CfgAttributeType::Mip6HomePrefix) == "MIP6_HOME_PREFIX");
  CHECK(static_cast<int>(CfgAttributeType::Mip6HomePrefix) == 16);
  CHECK(ts_type_name(TsType::Ipv6AddrRange) == "TS_IPV6_ADDR_RANGE");
}
