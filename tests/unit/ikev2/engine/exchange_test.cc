// tests/unit/ikev2/engine/exchange_test.cc — IKE_SA_INIT and IKE_AUTH
// between two engines, message by message (RFC 7296 §1.2, §2.6, §2.15,
// §2.21.2; RFC 6023).
#include <catch2/catch.hpp>

#include "two_peers.h"

namespace ikev2::testing {
namespace {

using core::ipsec::Proto;
using kernel::fake::Op;

const ChildInfo& only_child(const IkeSaStatus& s) {
  if (s.children.size() != 1) throw std::runtime_error("expected exactly one CHILD_SA");
  return s.children.front();
}

}  // namespace

TEST_CASE("IKE_SA_INIT and IKE_AUTH with a CHILD_SA, message by message", "[ikev2][engine]") {
  TwoPeers t;
  t.connect();

  // A sent INIT and AUTH requests; B sent the two responses.
  auto a_sent = t.a.sent();
  auto b_sent = t.b.sent();
  REQUIRE(a_sent.size() == 2);
  REQUIRE(b_sent.size() == 2);
  CHECK(a_sent[0]->header.exchange == wire::ExchangeType::IkeSaInit);
  CHECK_FALSE(a_sent[0]->header.response);
  CHECK(a_sent[0]->header.message_id == 0);
  CHECK(a_sent[0]->header.spi_r == 0);
  CHECK(shape(a_sent[0]->payloads) ==
        "SA KE Nonce N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
        "N(CHILDLESS_IKEV2_SUPPORTED)");
  CHECK(shape(b_sent[0]->payloads) ==
        "SA KE Nonce N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
        "N(CHILDLESS_IKEV2_SUPPORTED)");
  CHECK(b_sent[0]->header.response);
  CHECK(b_sent[0]->header.spi_r != 0);
  // The responder answers with exactly one proposal with one transform per type.
  const auto* sar = wire::find<wire::SaPayload>(b_sent[0]->payloads);
  REQUIRE(sar != nullptr);
  REQUIRE(sar->proposals.size() == 1);
  CHECK(sar->proposals[0].transforms.size() == 3);  // AES-GCM: ENCR, PRF, KE

  CHECK(a_sent[1]->header.exchange == wire::ExchangeType::IkeAuth);
  CHECK(a_sent[1]->header.message_id == 1);
  CHECK(shape(a_sent[1]->payloads) == "IDi IDr AUTH N(INITIAL_CONTACT) SA TSi TSr");
  CHECK(shape(b_sent[1]->payloads) == "IDr AUTH SA TSi TSr");
  // The IKE_AUTH SA payload carries no KE transform (RFC 7296 §1.2).
  const auto* sai2 = wire::find<wire::SaPayload>(a_sent[1]->payloads);
  REQUIRE(sai2 != nullptr);
  for (const auto& p : sai2->proposals) {
    CHECK(p.spi.size() == 4);
    for (const auto& x : p.transforms) CHECK(x.type != wire::TransformType::Ke);
  }

  // States and message IDs.
  auto sa = t.a.only_ike();
  auto sb = t.b.only_ike();
  CHECK(sa.state == IkeState::Established);
  CHECK(sb.state == IkeState::Established);
  CHECK(sa.initiator);
  CHECK_FALSE(sb.initiator);
  CHECK(sa.spi_i == sb.spi_i);
  CHECK(sa.spi_r == sb.spi_r);
  CHECK(sa.next_request_id == 2);
  CHECK(sb.expected_peer_id == 2);
  CHECK(sa.remote_id.to_string() == "b.example");
  CHECK(sb.remote_id.to_string() == "a.example");
  CHECK(sb.peer == "to-a");
  CHECK(t.b.engine.status().half_open == 0);

  // One CHILD_SA each, SPIs crossed, selectors mirrored.
  const auto& ca = only_child(sa);
  const auto& cb = only_child(sb);
  CHECK(ca.state == ChildState::Installed);
  CHECK(ca.spi_out == cb.spi_in);
  CHECK(ca.spi_in == cb.spi_out);
  CHECK(ca.mode == core::ipsec::Mode::Tunnel);
  CHECK(ts_list_string(ca.local_ts) == "10.1.0.0/16");
  CHECK(ts_list_string(ca.remote_ts) == "10.2.0.0/16");
  CHECK(ts_list_string(cb.local_ts) == "10.2.0.0/16");
  CHECK(ts_list_string(cb.remote_ts) == "10.1.0.0/16");

  // Kernel: alloc_spi then two add_sa on each side; keys crossed.
  for (Peer* p : {&t.a, &t.b}) {
    CHECK(p->kernel.count(Op::AllocSpi) == 1);
    CHECK(p->kernel.count(Op::AddSa) == 2);
    CHECK(p->kernel.sa_count() == 2);
  }
  auto a_out = t.a.kernel.get_sa({t.b.address, ca.spi_out, Proto::Esp}).value();
  auto b_in = t.b.kernel.get_sa({t.b.address, cb.spi_in, Proto::Esp}).value();
  auto a_in = t.a.kernel.get_sa({t.a.address, ca.spi_in, Proto::Esp}).value();
  auto b_out = t.b.kernel.get_sa({t.a.address, cb.spi_out, Proto::Esp}).value();
  CHECK(a_out.spec.enc.key == b_in.spec.enc.key);
  CHECK(a_in.spec.enc.key == b_out.spec.enc.key);
  CHECK(a_out.spec.enc.key != a_in.spec.enc.key);
  CHECK(a_out.spec.enc.key.size() == 36);  // AES-256-GCM key | salt
  CHECK(a_out.spec.enc.id == 20);
  CHECK(a_out.spec.src == t.a.address);
  CHECK(b_in.spec.src == t.a.address);
  CHECK(a_out.spec.reqid == b_in.spec.reqid);  // both picked the same engine reqid
  CHECK(a_out.spec.mode == core::ipsec::Mode::Tunnel);
  CHECK_FALSE(a_out.spec.encap.has_value());

  // Events.
  for (Peer* p : {&t.a, &t.b}) {
    CHECK(p->count(EventKind::IkeUp) == 1);
    CHECK(p->count(EventKind::ChildUp) == 1);
    CHECK(p->count(EventKind::IkeDown) == 0);
  }
  CHECK(t.a.events.front().kind == EventKind::IkeUp);
}

TEST_CASE("childless IKE_SA (RFC 6023)", "[ikev2][engine]") {
  TwoPeers t;
  t.connect(false);
  auto a_sent = t.a.sent();
  REQUIRE(a_sent.size() == 2);
  CHECK(shape(a_sent[1]->payloads) == "IDi IDr AUTH N(INITIAL_CONTACT)");
  CHECK(shape(t.b.sent()[1]->payloads) == "IDr AUTH");
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.b.only_ike().state == IkeState::Established);
  CHECK(t.a.only_ike().children.empty());
  CHECK(t.b.only_ike().children.empty());
  CHECK(t.a.kernel.sa_count() == 0);
  CHECK(t.b.kernel.sa_count() == 0);
  CHECK(t.a.kernel.calls().empty());
  CHECK(t.b.kernel.calls().empty());
}

TEST_CASE("no childless IKE_SA with a responder that does not announce it", "[ikev2][engine]") {
  Settings sb = default_settings("b.example");
  sb.accept_childless = false;
  TwoPeers t(default_settings("a.example"), sb);
  t.connect(false);
  CHECK(shape(t.b.sent()[0]->payloads) ==
        "SA KE Nonce N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP)");
  CHECK(t.a.sent().size() == 1);  // no IKE_AUTH
  CHECK(t.a.engine.ike_sa_count() == 0);
  REQUIRE(t.a.last(EventKind::IkeDown) != nullptr);
  CHECK(t.a.last(EventKind::IkeDown)->reason.find("RFC 6023") != std::string::npos);
  // With a CHILD_SA it works.
  t.connect(true);
  CHECK(t.a.only_ike().state == IkeState::Established);
}

TEST_CASE("INVALID_KE_PAYLOAD makes the initiator retry with the group asked for", "[ikev2][engine]") {
  Settings sa = default_settings("a.example");
  sa.ike_proposals = parse_proposals("aes256gcm16-prfsha256-ecp256-x25519", wire::ProtocolId::Ike).value();
  Settings sb = default_settings("b.example");
  sb.ike_proposals = parse_proposals("aes256gcm16-prfsha256-x25519", wire::ProtocolId::Ike).value();
  TwoPeers t(sa, sb);
  t.peer_a->ike_proposals = sa.ike_proposals;
  t.connect();

  auto a_sent = t.a.sent();
  auto b_sent = t.b.sent();
  REQUIRE(a_sent.size() == 3);
  CHECK(wire::find<wire::KePayload>(a_sent[0]->payloads)->group == 19);
  CHECK(shape(b_sent[0]->payloads) == "N(INVALID_KE_PAYLOAD)");
  CHECK(b_sent[0]->header.spi_r == 0);
  const auto* n = wire::find_notify(b_sent[0]->payloads, wire::NotifyType::InvalidKePayload);
  CHECK(n->data == std::vector<std::uint8_t>{0, 31});
  CHECK(a_sent[1]->header.message_id == 0);
  CHECK(wire::find<wire::KePayload>(a_sent[1]->payloads)->group == 31);
  // Same SPIi and nonce on the retry.
  CHECK(a_sent[1]->header.spi_i == a_sent[0]->header.spi_i);
  CHECK(wire::find<wire::NoncePayload>(a_sent[1]->payloads)->data ==
        wire::find<wire::NoncePayload>(a_sent[0]->payloads)->data);
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.a.only_ike().algs.ke == 31);
  CHECK(t.b.only_ike().state == IkeState::Established);
}

TEST_CASE("COOKIE: the responder keeps no state until the initiator returns it", "[ikev2][engine]") {
  Settings sb = default_settings("b.example");
  sb.cookie_required = true;
  TwoPeers t(default_settings("a.example"), sb);
  auto id = t.a.engine.initiate(t.peer_a, ChildRequest{t.child_a, std::nullopt, std::nullopt});
  REQUIRE(id);
  REQUIRE(t.net.step());  // A's first IKE_SA_INIT reaches B
  CHECK(t.b.engine.ike_sa_count() == 0);
  auto b_sent = t.b.sent();
  REQUIRE(b_sent.size() == 1);
  CHECK(shape(b_sent[0]->payloads) == "N(COOKIE)");
  CHECK(b_sent[0]->header.spi_r == 0);
  const auto cookie = wire::find_notify(b_sent[0]->payloads, wire::NotifyType::Cookie)->data;
  t.net.pump();
  auto a_sent = t.a.sent();
  REQUIRE(a_sent.size() == 3);
  CHECK(shape(a_sent[1]->payloads).starts_with("N(COOKIE) SA KE Nonce"));
  CHECK(wire::find_notify(a_sent[1]->payloads, wire::NotifyType::Cookie)->data == cookie);
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.b.only_ike().state == IkeState::Established);
  CHECK(t.b.kernel.sa_count() == 2);
}

TEST_CASE("COOKIE is demanded once half-open SAs reach the threshold", "[ikev2][engine]") {
  Settings sb = default_settings("b.example");
  sb.cookie_threshold = 1;
  TwoPeers t(default_settings("a.example"), sb);
  // Drop everything B sends, so the first IKE_SA stays half-open at B.
  t.net.filter = [&](::testing::Datagram& d) {
    return d.from.addr == t.b.address ? ::testing::Verdict::Drop : ::testing::Verdict::Deliver;
  };
  REQUIRE(t.a.engine.initiate(t.peer_a, std::nullopt));
  t.net.pump();
  CHECK(t.b.engine.status().half_open == 1);
  t.net.filter = nullptr;
  t.b.trace.clear();
  auto second = t.a.engine.initiate(t.peer_a, std::nullopt);
  REQUIRE(second);
  REQUIRE(t.net.step());
  REQUIRE(t.b.sent().size() == 1);
  CHECK(shape(t.b.sent()[0]->payloads) == "N(COOKIE)");
  t.net.pump();
  CHECK(t.a.engine.ike_status(*second)->state == IkeState::Established);
  // The half-open SA times out.
  t.time.advance(std::chrono::seconds(31));
  CHECK(t.b.engine.status().half_open == 0);
}

TEST_CASE("PSK mismatch: AUTHENTICATION_FAILED and nothing installed", "[ikev2][engine]") {
  Settings sb = default_settings("b.example");
  sb.psk = [](const Identity&, const Identity&) -> std::optional<core::crypto::SecureBytes> {
    return core::crypto::SecureBytes({'o', 't', 'h', 'e', 'r'});
  };
  TwoPeers t(default_settings("a.example"), sb);
  t.connect();
  auto b_sent = t.b.sent();
  REQUIRE(b_sent.size() == 2);
  CHECK(shape(b_sent[1]->payloads) == "N(AUTHENTICATION_FAILED)");
  CHECK(t.a.engine.ike_sa_count() == 0);
  CHECK(t.b.engine.ike_sa_count() == 0);
  CHECK(t.b.kernel.sa_count() == 0);
  CHECK(t.b.kernel.count(Op::AddSa) == 0);
  CHECK(t.b.kernel.count(Op::AllocSpi) == 0);
  // A reserved an inbound SPI for its CHILD_SA and gave it back.
  CHECK(t.a.kernel.count(Op::AddSa) == 0);
  CHECK(t.a.kernel.sa_count() == 0);
  REQUIRE(t.a.last(EventKind::IkeDown) != nullptr);
  CHECK(t.a.last(EventKind::IkeDown)->reason == "AUTHENTICATION_FAILED");
  CHECK(t.a.count(EventKind::IkeUp) == 0);
  CHECK(t.b.count(EventKind::IkeUp) == 0);
}

TEST_CASE("the initiator refuses a responder with an unexpected identity", "[ikev2][engine]") {
  TwoPeers t;
  // B authenticates correctly, but as c.example where A expects b.example:
  // A reports AUTHENTICATION_FAILED with a Delete and drops the SA (§2.21.2).
  t.peer_b->local_id = Identity::parse("c.example").value();
  t.connect();
  CHECK(t.a.engine.ike_sa_count() == 0);
  CHECK(t.b.engine.ike_sa_count() == 0);
  auto a_sent = t.a.sent();
  REQUIRE(a_sent.size() == 3);
  CHECK(a_sent[2]->header.exchange == wire::ExchangeType::Informational);
  CHECK(shape(a_sent[2]->payloads) == "N(AUTHENTICATION_FAILED) D");
  CHECK(t.b.kernel.sa_count() == 0);
  CHECK(t.a.kernel.sa_count() == 0);
  CHECK(t.a.count(EventKind::IkeUp) == 0);
}

TEST_CASE("a lost response is retransmitted from the responder's cache", "[ikev2][engine]") {
  TwoPeers t;
  int b_auth_responses = 0;
  t.net.filter = [&](::testing::Datagram& d) {
    auto h = wire::decode_header(d.bytes);
    if (h && h->exchange == wire::ExchangeType::IkeAuth && h->response && b_auth_responses++ == 0)
      return ::testing::Verdict::Drop;
    return ::testing::Verdict::Deliver;
  };
  REQUIRE(t.a.engine.initiate(t.peer_a, ChildRequest{t.child_a, std::nullopt, std::nullopt}));
  t.net.pump();
  CHECK(t.a.only_ike().state == IkeState::Authenticating);
  CHECK(t.b.only_ike().state == IkeState::Established);
  const auto sent_before = t.net.sent().size();

  t.time.advance(std::chrono::milliseconds(1999));
  CHECK(t.net.queued() == 0);
  t.time.advance(std::chrono::milliseconds(1));  // 2 s: first retransmission
  REQUIRE(t.net.queued() == 1);
  CHECK(t.net.in_flight().front().bytes == t.net.sent()[sent_before - 2].bytes);  // same request
  t.net.pump();
  // B answered from its cache: byte-identical to the lost response.
  const auto& sent = t.net.sent();
  REQUIRE(sent.size() == sent_before + 2);
  CHECK(sent.back().bytes == sent[sent_before - 1].bytes);
  CHECK(t.b.sent().size() == 2);  // the cached resend is not a new message
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.a.kernel.sa_count() == 2);
  CHECK(t.b.kernel.sa_count() == 2);
  CHECK(t.b.kernel.count(Op::AddSa) == 2);  // processed once
}

TEST_CASE("a duplicated IKE_SA_INIT request is answered from the half-open SA", "[ikev2][engine]") {
  TwoPeers t;
  bool duplicated = false;
  t.net.filter = [&](::testing::Datagram& d) {
    auto h = wire::decode_header(d.bytes);
    if (!duplicated && h && h->exchange == wire::ExchangeType::IkeSaInit && !h->response) {
      duplicated = true;
      return ::testing::Verdict::Duplicate;
    }
    return ::testing::Verdict::Deliver;
  };
  t.connect();
  CHECK(t.b.engine.ike_sa_count() == 1);
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.b.only_ike().state == IkeState::Established);
}

TEST_CASE("retransmissions back off exponentially, then the IKE_SA is deleted", "[ikev2][engine]") {
  TwoPeers t;
  t.net.filter = [](::testing::Datagram&) { return ::testing::Verdict::Drop; };
  auto id = t.a.engine.initiate(t.peer_a, ChildRequest{t.child_a, std::nullopt, std::nullopt});
  REQUIRE(id);
  t.net.pump();
  std::vector<long> at;  // seconds at which A sent
  auto count = [&] { return t.net.sent().size(); };
  std::size_t seen = count();
  at.push_back(0);
  for (int s = 1; s <= 200; ++s) {
    t.time.advance(std::chrono::seconds(1));
    t.net.pump();
    for (; seen < count(); ++seen) at.push_back(s);
  }
  CHECK(at == std::vector<long>{0, 2, 6, 14, 30, 62});
  CHECK(t.a.engine.ike_sa_count() == 0);
  REQUIRE(t.a.last(EventKind::IkeDown) != nullptr);
  CHECK(t.a.last(EventKind::IkeDown)->reason == "peer not responding");
}

TEST_CASE("the retransmission limit is configurable", "[ikev2][engine]") {
  Settings sa = default_settings("a.example");
  sa.retransmit.base = std::chrono::seconds(1);
  sa.retransmit.tries = 2;
  TwoPeers t(sa);
  t.connect();
  t.net.filter = [](::testing::Datagram&) { return ::testing::Verdict::Drop; };
  auto id = t.a.only_ike().id;
  REQUIRE(t.a.engine.liveness(id));
  t.net.pump();
  t.time.advance(std::chrono::milliseconds(6999));  // sends at 0, 1, 3; gives up at 7
  CHECK(t.a.engine.ike_sa_count() == 1);
  t.time.advance(std::chrono::milliseconds(1));
  CHECK(t.a.engine.ike_sa_count() == 0);
  // Its CHILD_SA left the kernel with it.
  CHECK(t.a.kernel.sa_count() == 0);
  CHECK(t.a.count(EventKind::ChildDown) == 1);
}

}  // namespace ikev2::testing
