// tests/unit/ikev2/engine/peer_lifetime_test.cc — a peer's own IKE_SA
// lifetime (racoon2.conf's kmp_sa_lifetime_time in its remote block) decides
// when its IKE_SAs are rekeyed or expire (RFC 7296 §2.8), on the initiator
// and on the responder; an infinite one never expires. Found by
// scenarios/ikev2_strongswan.sh: kagid ignored a remote's lifetime and
// used the engine-wide one.
#include <catch2/catch.hpp>

#include "two_peers.h"

namespace ikev2::testing {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// Settings whose engine-wide IKE lifetime (4 h) must not be the one used.
Settings four_hours(const char* id) {
  Settings s = default_settings(id);
  s.ike_lifetime = {hours(4), hours(5), seconds(0)};
  return s;
}

}  // namespace

TEST_CASE("the initiator rekeys the IKE_SA on its peer's lifetime", "[ikev2][engine][rekey]") {
  TwoPeers t(four_hours("a.example"), four_hours("b.example"));
  t.peer_a->ike_lifetime = Lifetime{seconds(20), seconds(25), seconds(0)};
  t.connect();
  const auto first = t.a.only_ike().spi_i;
  t.time.advance(seconds(19));
  t.net.pump();
  CHECK(t.a.only_ike().spi_i == first);
  t.time.advance(seconds(1));
  t.net.pump();
  CHECK(t.a.only_ike().spi_i != first);
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.b.only_ike().spi_i == t.a.only_ike().spi_i);
  CHECK(t.a.count(EventKind::IkeRekeyed) == 1);
}

TEST_CASE("the responder rekeys the IKE_SA on its peer's lifetime", "[ikev2][engine][rekey]") {
  TwoPeers t(four_hours("a.example"), four_hours("b.example"));
  t.peer_b->ike_lifetime = Lifetime{seconds(20), seconds(25), seconds(0)};
  t.connect();
  const auto first = t.b.only_ike().spi_i;
  t.time.advance(seconds(20));
  t.net.pump();
  CHECK(t.b.only_ike().spi_i != first);
  CHECK(t.b.only_ike().state == IkeState::Established);
  CHECK(t.a.only_ike().spi_i == t.b.only_ike().spi_i);
  // The rekey was B's: B initiated the new IKE_SA.
  CHECK(t.b.only_ike().initiator);
}

TEST_CASE("an IKE_SA with an infinite lifetime is neither rekeyed nor expired", "[ikev2][engine]") {
  TwoPeers t(four_hours("a.example"), four_hours("b.example"));
  t.peer_a->ike_lifetime = Lifetime{seconds(0), seconds(0), seconds(0)};
  t.connect();
  const auto first = t.a.only_ike().spi_i;
  t.time.advance(seconds(1));
  t.net.pump();
  CHECK(t.a.only_ike().spi_i == first);
  CHECK(t.a.only_ike().state == IkeState::Established);
  CHECK(t.a.count(EventKind::IkeDown) == 0);
}

}  // namespace ikev2::testing
