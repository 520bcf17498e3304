// tests/unit/ikev2/engine/nat_collision_test.cc — NAT traversal (RFC 7296
// §2.23) through a simulated NAT, and the rekey-versus-delete collision
// (§2.8.1, §2.25).
#include <catch2/catch.hpp>

#include "two_peers.h"

namespace ikev2::testing {

TEST_CASE("behind a NAT: detection, port 4500 and UDP-encapsulated CHILD_SAs", "[ikev2][engine][nat]") {
  TwoPeers t;
  const Address public_addr = addr("203.0.113.5");
  // A sits behind a NAT that maps 192.0.2.1:500 -> 203.0.113.5:1025 and
  // 192.0.2.1:4500 -> 203.0.113.5:1026.
  t.net.filter = [&](::testing::Datagram& d) {
    if (d.from.addr == t.a.address) {
      d.from = {public_addr, static_cast<std::uint16_t>(d.from.port == 500 ? 1025 : 1026)};
    } else if (d.to.addr == public_addr) {
      d.to = {t.a.address, static_cast<std::uint16_t>(d.to.port == 1025 ? 500 : 4500)};
    }
    return ::testing::Verdict::Deliver;
  };
  t.connect();
  auto sa = t.a.only_ike();
  auto sb = t.b.only_ike();
  REQUIRE(sa.state == IkeState::Established);
  REQUIRE(sb.state == IkeState::Established);
  CHECK(sa.nat_local);
  CHECK_FALSE(sa.nat_remote);
  CHECK(sb.nat_remote);
  CHECK_FALSE(sb.nat_local);
  CHECK(sa.local.port == 4500);
  CHECK(sa.remote.port == 4500);
  CHECK(sb.remote == Endpoint{public_addr, 1026});  // followed the mapping
  CHECK(t.a.sent()[1]->header.exchange == wire::ExchangeType::IkeAuth);
  // CHILD_SAs are UDP-encapsulated with the ports IKE uses.
  const auto& ca = sa.children.at(0);
  const auto& cb = sb.children.at(0);
  CHECK(ca.encap);
  auto a_out = t.a.kernel.get_sa({t.b.address, ca.spi_out, core::ipsec::Proto::Esp}).value();
  REQUIRE(a_out.spec.encap.has_value());
  CHECK(a_out.spec.encap->sport == 4500);
  CHECK(a_out.spec.encap->dport == 4500);
  // B addresses its outbound SA to the NAT's public side, where A's
  // messages came from.
  auto b_out = t.b.kernel.get_sa({public_addr, cb.spi_out, core::ipsec::Proto::Esp});
  REQUIRE(b_out.has_value());
  REQUIRE(b_out->spec.encap.has_value());
  CHECK(b_out->spec.encap->sport == 4500);
  CHECK(b_out->spec.encap->dport == 1026);
  CHECK(sb.local.port == 4500);
}

TEST_CASE("rekey versus delete of the same CHILD_SA", "[ikev2][engine][rekey]") {
  TwoPeers t;
  auto id = t.connect();
  auto ca = t.a.only_ike().children.at(0);
  auto sb = t.b.only_ike();
  REQUIRE(t.a.engine.rekey_child(id, ca.spi_in));
  REQUIRE(t.b.engine.delete_child(sb.id, sb.children.at(0).spi_in));
  t.net.pump();
  // The delete wins: B refuses the rekey of a CHILD_SA it is deleting.
  CHECK(t.a.only_ike().children.empty());
  CHECK(t.b.only_ike().children.empty());
  CHECK(t.a.kernel.sa_count() == 0);
  CHECK(t.b.kernel.sa_count() == 0);
  CHECK(t.a.only_ike().state == IkeState::Established);
  bool refused = false;
  for (const auto* m : t.b.sent()) {
    refused = refused || wire::find_notify(m->payloads, wire::NotifyType::TemporaryFailure) != nullptr;
  }
  CHECK(refused);
}

}  // namespace ikev2::testing
