// tests/unit/ikev2/engine/lifecycle_test.cc — identities of each type,
// IPv6, INITIAL_CONTACT (RFC 7296 §2.4), dead peer detection, kernel
// expire events, and simultaneous IKE_SA rekeys.
#include <catch2/catch.hpp>

#include "two_peers.h"

namespace ikev2::testing {

TEST_CASE("every identity type authenticates", "[ikev2][engine][identity]") {
  const char* ids[][2] = {
      {"192.0.2.1", "198.51.100.2"},
      {"2001:db8::a", "2001:db8::b"},
      {"alice@example.org", "gw@example.org"},
      {"keyid:0102", "keyid:0a0b"},
      {"C=JP, O=WIDE, CN=mn1", "C=JP, O=WIDE, CN=ha"},
  };
  for (const auto& pair : ids) {
    INFO(pair[0]);
    TwoPeers t(default_settings(pair[0]), default_settings(pair[1]));
    t.peer_a->remote_id = Identity::parse(pair[1]).value();
    t.peer_b->remote_id = Identity::parse(pair[0]).value();
    t.connect();
    CHECK(t.a.only_ike().state == IkeState::Established);
    CHECK(t.b.only_ike().remote_id.to_string() == pair[0]);
    CHECK(t.a.only_ike().remote_id.to_string() == pair[1]);
  }
}

TEST_CASE("IKE and CHILD_SAs over IPv6", "[ikev2][engine]") {
  TwoPeers t;
  t.peer_a->local = Endpoint{addr("2001:db8:1::1"), 500};
  t.peer_a->remote = Endpoint{addr("2001:db8:2::2"), 500};
  t.child_a->local_ts = {ts("2001:db8:10::/48")};
  t.child_a->remote_ts = {ts("2001:db8:20::/48")};
  t.child_b->local_ts = {ts("2001:db8:20::/48")};
  t.child_b->remote_ts = {ts("2001:db8:10::/48")};
  t.net.attach(addr("2001:db8:1::1"), [&](auto b, auto& l, auto& r) { t.a.engine.on_datagram(b, l, r); });
  t.net.attach(addr("2001:db8:2::2"), [&](auto b, auto& l, auto& r) { t.b.engine.on_datagram(b, l, r); });
  t.connect();
  auto sb = t.b.only_ike();
  CHECK(sb.state == IkeState::Established);
  CHECK(sb.remote.addr.is_v6());
  CHECK(ts_list_string(sb.children.at(0).remote_ts) == "2001:db8:10::/48");
  auto in = t.b.kernel.get_sa({addr("2001:db8:2::2"), sb.children.at(0).spi_in, core::ipsec::Proto::Esp});
  REQUIRE(in.has_value());
  CHECK(in->spec.src == addr("2001:db8:1::1"));
}

TEST_CASE("INITIAL_CONTACT replaces the stale IKE_SA of a rebooted peer", "[ikev2][engine]") {
  TwoPeers t;
  auto first = t.connect();
  const auto old_b = t.b.only_ike();
  // A loses its state without B noticing: its Delete never arrives.
  t.net.filter = [](::testing::Datagram&) { return ::testing::Verdict::Drop; };
  REQUIRE(t.a.engine.delete_ike(first));
  t.net.pump();
  t.time.advance(std::chrono::seconds(200));
  t.net.pump();
  REQUIRE(t.a.engine.ike_sa_count() == 0);
  REQUIRE(t.b.engine.ike_sa_count() == 1);
  t.net.filter = nullptr;
  t.a.trace.clear();
  t.connect();
  CHECK(shape(t.a.sent()[1]->payloads) == "IDi IDr AUTH N(INITIAL_CONTACT) SA TSi TSr");
  auto now_b = t.b.only_ike();
  CHECK(now_b.id != old_b.id);
  CHECK(t.b.kernel.sa_count() == 2);
  CHECK(t.b.count(EventKind::IkeDown) == 1);
  CHECK(t.b.last(EventKind::IkeDown)->reason == "INITIAL_CONTACT");
}

TEST_CASE("dead peer detection gives up on a silent peer", "[ikev2][engine]") {
  Settings sa = default_settings("a.example");
  sa.dpd_interval = std::chrono::seconds(10);
  TwoPeers t(sa);
  t.connect(false);
  t.net.filter = [](::testing::Datagram&) { return ::testing::Verdict::Drop; };
  const auto sent = t.net.sent().size();
  t.time.advance(std::chrono::seconds(10));
  CHECK(t.net.sent().size() == sent + 1);  // the liveness request
  t.time.advance(std::chrono::seconds(130));
  CHECK(t.a.engine.ike_sa_count() == 0);
  CHECK(t.a.last(EventKind::IkeDown)->reason == "peer not responding");
}

TEST_CASE("kernel expire events: soft rekeys, hard deletes", "[ikev2][engine]") {
  TwoPeers t;
  t.connect();
  auto c = t.a.only_ike().children.at(0);
  core::ipsec::ExpireEvent soft{{t.a.address, c.spi_in, core::ipsec::Proto::Esp}, c.reqid, false};
  t.a.engine.on_kernel_event(soft);
  t.net.pump();
  CHECK(t.a.count(EventKind::ChildRekeyed) == 1);
  auto n = t.a.only_ike().children.at(0);
  CHECK(n.spi_in != c.spi_in);
  core::ipsec::ExpireEvent hard{{t.a.address, n.spi_in, core::ipsec::Proto::Esp}, n.reqid, true};
  t.a.engine.on_kernel_event(hard);
  t.net.pump();
  CHECK(t.a.only_ike().children.empty());
  CHECK(t.b.only_ike().children.empty());
  CHECK(t.b.kernel.sa_count() == 0);
}

TEST_CASE("simultaneous IKE_SA rekeys back off and then one succeeds", "[ikev2][engine][rekey]") {
  TwoPeers t;
  auto id = t.connect();
  const auto before = t.a.only_ike();
  REQUIRE(t.a.engine.rekey_ike(id));
  REQUIRE(t.b.engine.rekey_ike(t.b.only_ike().id));
  t.net.pump();
  CHECK(t.a.only_ike().spi_i == before.spi_i);  // both got TEMPORARY_FAILURE
  for (int s = 0; s < 60 && t.a.only_ike().spi_i == before.spi_i; ++s) {
    t.time.advance(std::chrono::seconds(1));
    t.net.pump();
  }
  auto na = t.a.only_ike();
  auto nb = t.b.only_ike();
  CHECK(na.spi_i != before.spi_i);
  CHECK(na.spi_i == nb.spi_i);
  CHECK(na.spi_r == nb.spi_r);
  CHECK(na.state == IkeState::Established);
  CHECK(na.children.size() == 1);
  CHECK(nb.children.size() == 1);
}

}  // namespace ikev2::testing
