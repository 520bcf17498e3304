// tests/unit/ikev2/engine/rekey_delete_test.cc — CREATE_CHILD_SA (new,
// PFS, rekey, simultaneous rekey), IKE_SA rekey with CHILD_SA adoption and
// INFORMATIONAL deletes (RFC 7296 §1.3, §1.4.1, §2.8, §2.8.1, §2.18).
#include <catch2/catch.hpp>

#include "two_peers.h"

namespace ikev2::testing {
namespace {

using core::ipsec::Proto;
using kernel::fake::Op;

// installed returns the CHILD_SAs of the only IKE_SA that are Installed.
std::vector<ChildInfo> installed(const Peer& p) {
  std::vector<ChildInfo> out;
  for (const auto& c : p.only_ike().children) {
    if (c.state == ChildState::Installed) out.push_back(c);
  }
  return out;
}

// check_pair checks that A and B hold one matching CHILD_SA in the kernel,
// keys crossed, and nothing else.
void check_pair(TwoPeers& t) {
  auto ca = installed(t.a);
  auto cb = installed(t.b);
  REQUIRE(ca.size() == 1);
  REQUIRE(cb.size() == 1);
  CHECK(ca[0].spi_out == cb[0].spi_in);
  CHECK(ca[0].spi_in == cb[0].spi_out);
  CHECK(t.a.only_ike().children.size() == 1);
  CHECK(t.b.only_ike().children.size() == 1);
  CHECK(t.a.kernel.sa_count() == 2);
  CHECK(t.b.kernel.sa_count() == 2);
  auto out_key = t.a.key_of(t.b.address, ca[0].spi_out);
  CHECK_FALSE(out_key.empty());
  CHECK(out_key == t.b.key_of(t.b.address, cb[0].spi_in));
  CHECK(t.a.key_of(t.a.address, ca[0].spi_in) == t.b.key_of(t.a.address, cb[0].spi_out));
}

}  // namespace

TEST_CASE("CHILD_SA rekey replaces the SA and deletes the old one", "[ikev2][engine][rekey]") {
  TwoPeers t;
  auto id = t.connect();
  const auto old_a = installed(t.a).at(0);
  const auto old_key = t.a.key_of(t.b.address, old_a.spi_out);
  t.a.trace.clear();
  t.b.trace.clear();

  REQUIRE(t.a.engine.rekey_child(id, old_a.spi_in));
  t.net.pump();
  auto a_sent = t.a.sent();
  auto b_sent = t.b.sent();
  REQUIRE(a_sent.size() == 2);
  CHECK(a_sent[0]->header.exchange == wire::ExchangeType::CreateChildSa);
  CHECK(a_sent[0]->header.message_id == 2);
  CHECK(shape(a_sent[0]->payloads) == "N(REKEY_SA) SA Nonce TSi TSr");
  CHECK(wire::find_notify(a_sent[0]->payloads, wire::NotifyType::RekeySa)->child_spi() == old_a.spi_in);
  CHECK(shape(b_sent[0]->payloads) == "SA Nonce TSi TSr");
  CHECK(a_sent[1]->header.exchange == wire::ExchangeType::Informational);
  CHECK(shape(a_sent[1]->payloads) == "D");
  CHECK(shape(b_sent[1]->payloads) == "D");
  CHECK(wire::find<wire::DeletePayload>(a_sent[1]->payloads)->child_spis() ==
        std::vector<std::uint32_t>{old_a.spi_in});
  CHECK(wire::find<wire::DeletePayload>(b_sent[1]->payloads)->child_spis() ==
        std::vector<std::uint32_t>{old_a.spi_out});

  check_pair(t);
  const auto now_a = installed(t.a).at(0);
  CHECK(now_a.spi_in != old_a.spi_in);
  CHECK(now_a.reqid == old_a.reqid);
  CHECK(t.a.key_of(t.b.address, now_a.spi_out) != old_key);
  for (Peer* p : {&t.a, &t.b}) {
    CHECK(p->count(EventKind::ChildRekeyed) == 1);
    CHECK(p->count(EventKind::ChildDown) == 1);
    CHECK_FALSE(p->kernel.has_sa({p == &t.a ? t.a.address : t.b.address,
                                  p == &t.a ? old_a.spi_in : old_a.spi_out, Proto::Esp}));
  }
  CHECK(t.a.last(EventKind::ChildRekeyed)->old_spi_in == old_a.spi_in);
  CHECK(t.a.only_ike().next_request_id == 4);
}

TEST_CASE("CHILD_SA rekey from the responder side", "[ikev2][engine][rekey]") {
  TwoPeers t;
  t.connect();
  auto sb = t.b.only_ike();
  REQUIRE(t.b.engine.rekey_child(sb.id, sb.children.at(0).spi_in));
  t.net.pump();
  check_pair(t);
  CHECK(t.b.only_ike().next_request_id == 2);  // B's own requests: rekey, delete
}

TEST_CASE("simultaneous CHILD_SA rekey: the lowest nonce loses (RFC 7296 §2.8.1)", "[ikev2][engine][rekey]") {
  TwoPeers t;
  t.connect();
  auto sa = t.a.only_ike();
  auto sb = t.b.only_ike();
  const auto old_in_a = sa.children.at(0).spi_in;
  REQUIRE(t.a.engine.rekey_child(sa.id, old_in_a));
  REQUIRE(t.b.engine.rekey_child(sb.id, sb.children.at(0).spi_in));
  t.net.pump();
  check_pair(t);
  CHECK_FALSE(t.a.kernel.has_sa({t.a.address, old_in_a, Proto::Esp}));
  // Exactly one of the two new CHILD_SAs survived: each side deleted
  // either the old one (winner) or its redundant new one (loser).
  std::size_t deletes = 0;
  for (const Peer* p : {&t.a, &t.b}) {
    for (const auto* m : p->sent()) {
      if (!m->header.response && m->header.exchange == wire::ExchangeType::Informational) ++deletes;
    }
  }
  CHECK(deletes == 2);
}

TEST_CASE("IKE_SA rekey moves the CHILD_SAs to the new IKE_SA (RFC 7296 §2.18)", "[ikev2][engine][rekey]") {
  TwoPeers t;
  auto id = t.connect();
  const auto before_a = t.a.only_ike();
  const auto before_b = t.b.only_ike();
  const auto calls_a = t.a.kernel.calls().size();
  t.a.trace.clear();

  REQUIRE(t.a.engine.rekey_ike(id));
  t.net.pump();
  auto a_sent = t.a.sent();
  REQUIRE(a_sent.size() == 2);
  CHECK(shape(a_sent[0]->payloads) == "SA Nonce KE");
  CHECK(wire::find<wire::SaPayload>(a_sent[0]->payloads)->proposals.at(0).spi.size() == 8);
  CHECK(shape(a_sent[1]->payloads) == "D");
  CHECK(a_sent[1]->header.spi_i == before_a.spi_i);  // the Delete goes on the old SA

  auto na = t.a.only_ike();
  auto nb = t.b.only_ike();
  CHECK(na.id != before_a.id);
  CHECK(na.spi_i != before_a.spi_i);
  CHECK(na.spi_i == nb.spi_i);
  CHECK(na.spi_r == nb.spi_r);
  CHECK(na.initiator);  // the rekey's initiator is the new SA's initiator
  CHECK(na.state == IkeState::Established);
  CHECK(nb.state == IkeState::Established);
  CHECK(na.next_request_id == 0);
  CHECK(na.remote_id.to_string() == "b.example");
  // Children adopted unchanged; the kernel was not touched.
  REQUIRE(na.children.size() == 1);
  CHECK(na.children[0].spi_in == before_a.children[0].spi_in);
  CHECK(nb.children.at(0).spi_in == before_b.children.at(0).spi_in);
  CHECK(t.a.kernel.calls().size() == calls_a);
  CHECK(t.a.kernel.sa_count() == 2);
  CHECK(t.a.count(EventKind::IkeRekeyed) == 1);
  CHECK(t.b.count(EventKind::IkeRekeyed) == 1);
  CHECK(t.a.count(EventKind::IkeDown) == 0);
  CHECK(t.b.count(EventKind::IkeDown) == 0);
  CHECK(t.a.last(EventKind::IkeRekeyed)->old_ike == before_a.id);

  // The new SA works: rekey the adopted child on it (keys from the new SK_d).
  REQUIRE(t.a.engine.rekey_child(na.id, na.children[0].spi_in));
  t.net.pump();
  check_pair(t);
  CHECK(t.a.only_ike().next_request_id == 2);
}

TEST_CASE("a new CHILD_SA with PFS in CREATE_CHILD_SA", "[ikev2][engine]") {
  TwoPeers t;
  auto id = t.connect(false);
  auto pfs_a = std::make_shared<ChildConfig>(*t.child_a);
  pfs_a->name = "pfs";
  pfs_a->proposals = parse_proposals("aes128gcm16-x25519", wire::ProtocolId::Esp).value();
  auto pfs_b = std::make_shared<ChildConfig>(*t.child_b);
  pfs_b->proposals = pfs_a->proposals;
  t.peer_b->children = {pfs_b};
  REQUIRE(t.a.engine.create_child(id, ChildRequest{pfs_a, std::nullopt, std::nullopt}));
  t.net.pump();
  auto a_sent = t.a.sent();
  REQUIRE(a_sent.size() == 3);
  CHECK(shape(a_sent[2]->payloads) == "SA Nonce KE TSi TSr");
  CHECK(shape(t.b.sent()[2]->payloads) == "SA Nonce KE TSi TSr");
  check_pair(t);
  CHECK(installed(t.a)[0].algs.ke == 31);
  CHECK(installed(t.a)[0].name == "pfs");
}

TEST_CASE("deleting a CHILD_SA from either side", "[ikev2][engine][delete]") {
  TwoPeers t;
  auto id = t.connect();
  const auto ca = installed(t.a).at(0);
  SECTION("from the initiator") {
    REQUIRE(t.a.engine.delete_child(id, ca.spi_in));
  }
  SECTION("from the responder") {
    auto sb = t.b.only_ike();
    REQUIRE(t.b.engine.delete_child(sb.id, sb.children.at(0).spi_in));
  }
  t.net.pump();
  CHECK(t.a.kernel.sa_count() == 0);
  CHECK(t.b.kernel.sa_count() == 0);
  CHECK(t.a.only_ike().children.empty());
  CHECK(t.b.only_ike().children.empty());
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.a.count(EventKind::ChildDown) == 1);
  CHECK(t.b.count(EventKind::ChildDown) == 1);
}

TEST_CASE("deleting the IKE_SA from either side removes everything", "[ikev2][engine][delete]") {
  TwoPeers t;
  auto id = t.connect();
  SECTION("from the initiator") {
    REQUIRE(t.a.engine.delete_ike(id));
  }
  SECTION("from the responder") {
    REQUIRE(t.b.engine.delete_ike(t.b.only_ike().id));
  }
  t.net.pump();
  CHECK(t.a.engine.ike_sa_count() == 0);
  CHECK(t.b.engine.ike_sa_count() == 0);
  CHECK(t.a.kernel.sa_count() == 0);
  CHECK(t.b.kernel.sa_count() == 0);
  for (Peer* p : {&t.a, &t.b}) {
    CHECK(p->count(EventKind::IkeDown) == 1);
    CHECK(p->count(EventKind::ChildDown) == 1);
  }
}

TEST_CASE("a liveness check is an empty INFORMATIONAL", "[ikev2][engine]") {
  TwoPeers t;
  auto id = t.connect(false);
  REQUIRE(t.a.engine.liveness(id));
  t.net.pump();
  auto a_sent = t.a.sent();
  REQUIRE(a_sent.size() == 3);
  CHECK(a_sent[2]->header.exchange == wire::ExchangeType::Informational);
  CHECK(a_sent[2]->payloads.empty());
  CHECK(t.b.sent().back()->payloads.empty());
  CHECK(t.a.only_ike().next_request_id == 3);
}

TEST_CASE("TS narrowing: the responder answers the intersection (RFC 7296 §2.9)", "[ikev2][engine][ts]") {
  TwoPeers t;
  t.child_b->local_ts = {ts("10.2.3.0/24")};
  t.child_b->remote_ts = {ts("10.1.0.0/24"), ts("10.9.0.0/16")};
  t.connect();
  auto ca = installed(t.a).at(0);
  CHECK(ts_list_string(ca.local_ts) == "10.1.0.0/24");
  CHECK(ts_list_string(ca.remote_ts) == "10.2.3.0/24");
  auto cb = installed(t.b).at(0);
  CHECK(ts_list_string(cb.local_ts) == "10.2.3.0/24");
  CHECK(ts_list_string(cb.remote_ts) == "10.1.0.0/24");
}

TEST_CASE("the triggering packet's selectors go first in TSi/TSr (RFC 7296 §2.9)", "[ikev2][engine][ts]") {
  TwoPeers t;
  ChildRequest req{t.child_a, ts("10.1.2.3/32"), ts("10.2.3.4/32")};
  REQUIRE(t.a.engine.initiate(t.peer_a, req));
  t.net.pump();
  const auto* tsi = wire::find<wire::TsPayload>(t.a.sent()[1]->payloads);
  REQUIRE(tsi != nullptr);
  REQUIRE(tsi->selectors.size() == 2);
  CHECK(ts_list_string(ts_from_payload(*tsi)) == "10.1.2.3/32, 10.1.0.0/16");
  auto ca = installed(t.a).at(0);
  CHECK(ts_list_string(ca.remote_ts) == "10.2.3.4/32, 10.2.0.0/16");
  check_pair(t);
}

TEST_CASE("TS_UNACCEPTABLE: the IKE_SA comes up without the CHILD_SA", "[ikev2][engine][ts]") {
  TwoPeers t;
  t.child_b->remote_ts = {ts("10.77.0.0/16")};
  t.connect();
  CHECK(shape(t.b.sent()[1]->payloads) == "IDr AUTH N(TS_UNACCEPTABLE)");
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.a.only_ike().children.empty());
  CHECK(t.a.kernel.sa_count() == 0);  // the reserved SPI was released
  CHECK(t.b.kernel.sa_count() == 0);
  REQUIRE(t.a.last(EventKind::ChildFailed) != nullptr);
  CHECK(t.a.last(EventKind::ChildFailed)->reason == "TS_UNACCEPTABLE");
}

TEST_CASE("transport mode with USE_TRANSPORT_MODE (RFC 7296 §1.3.1)", "[ikev2][engine]") {
  TwoPeers t;
  t.child_a->mode = core::ipsec::Mode::Transport;
  t.child_a->local_ts = {ts("192.0.2.1/32")};
  t.child_a->remote_ts = {ts("198.51.100.2/32")};
  t.child_b->mode = core::ipsec::Mode::Transport;
  t.child_b->local_ts = {ts("198.51.100.2/32")};
  t.child_b->remote_ts = {ts("192.0.2.1/32")};
  t.connect();
  CHECK(shape(t.a.sent()[1]->payloads) == "IDi IDr AUTH N(INITIAL_CONTACT) N(USE_TRANSPORT_MODE) SA TSi TSr");
  CHECK(shape(t.b.sent()[1]->payloads) == "IDr AUTH N(USE_TRANSPORT_MODE) SA TSi TSr");
  auto ca = installed(t.a).at(0);
  CHECK(ca.mode == core::ipsec::Mode::Transport);
  auto out = t.a.kernel.get_sa({t.b.address, ca.spi_out, Proto::Esp}).value();
  CHECK(out.spec.mode == core::ipsec::Mode::Transport);
  REQUIRE(out.spec.selector.has_value());
  CHECK(out.spec.selector->src.to_string() == "192.0.2.1/32");
  CHECK(out.spec.selector->dst.to_string() == "198.51.100.2/32");
  check_pair(t);
}

TEST_CASE("transport mode refused by a tunnel-only responder", "[ikev2][engine]") {
  TwoPeers t;
  t.child_a->mode = core::ipsec::Mode::Transport;
  t.connect();
  // B answered in tunnel mode; A will not use it and deletes it.
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.a.only_ike().children.empty());
  CHECK(t.b.only_ike().children.empty());
  CHECK(t.a.kernel.sa_count() == 0);
  CHECK(t.b.kernel.sa_count() == 0);
  CHECK(t.a.count(EventKind::ChildFailed) == 1);
}

TEST_CASE("a CHILD_SA rekeys itself when its soft lifetime runs out", "[ikev2][engine][rekey]") {
  TwoPeers t;
  t.child_a->lifetime = {std::chrono::seconds(100), std::chrono::seconds(200), std::chrono::seconds(0)};
  t.child_b->lifetime = {std::chrono::seconds(1000), std::chrono::seconds(2000), std::chrono::seconds(0)};
  t.connect();
  const auto first = installed(t.a).at(0).spi_in;
  t.time.advance(std::chrono::seconds(100));
  t.net.pump();
  check_pair(t);
  CHECK(installed(t.a).at(0).spi_in != first);
  CHECK(t.a.count(EventKind::ChildRekeyed) == 1);
}

TEST_CASE("IKE_SA rekeys itself when its lifetime runs out", "[ikev2][engine][rekey]") {
  Settings sa = default_settings("a.example");
  sa.ike_lifetime = {std::chrono::seconds(300), std::chrono::seconds(400), std::chrono::seconds(0)};
  TwoPeers t(sa);
  t.connect();
  const auto first = t.a.only_ike().spi_i;
  t.time.advance(std::chrono::seconds(300));
  t.net.pump();
  CHECK(t.a.only_ike().spi_i != first);
  CHECK(t.b.only_ike().spi_i == t.a.only_ike().spi_i);
  check_pair(t);
}

}  // namespace ikev2::testing
