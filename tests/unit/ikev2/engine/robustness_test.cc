// tests/unit/ikev2/engine/robustness_test.cc — peer input never crashes the
// engine: bit flips, truncations and junk on every message of a real
// exchange (tests/fakes/bitflip.h), after which the IKE_SA still works.
#include <catch2/catch.hpp>

#include "bitflip.h"
#include "ikev2/keymat/sk_cipher.h"
#include "two_peers.h"

namespace ikev2::testing {

TEST_CASE("mutated IKE messages are refused without harm", "[ikev2][engine][bitflip]") {
  TwoPeers t;
  auto id = t.connect();
  // Every datagram of the setup, replayed mutated to the engine it went to.
  const auto captured = t.net.sent();
  std::size_t mutants = 0;
  for (const auto& d : captured) {
    Peer& to = d.to.addr == t.a.address ? t.a : t.b;
    mutants += ::testing::for_each_mutation(d.bytes, [&](std::span<const std::uint8_t> m) {
      to.engine.on_datagram(m, d.to, d.from);
      t.net.drop_queued();  // answers to garbage go nowhere
    });
  }
  CHECK(mutants > 1000);
  // The established SAs are untouched and still talk.
  CHECK(t.a.engine.ike_status(id)->state == IkeState::Established);
  REQUIRE(t.a.engine.liveness(id));
  t.net.pump();
  CHECK(t.a.engine.ike_status(id)->state == IkeState::Established);
  CHECK(t.a.engine.ike_status(id)->next_request_id == 3);
  CHECK(t.a.kernel.sa_count() == 2);
  CHECK(t.b.kernel.sa_count() == 2);
}

TEST_CASE("SK open survives bit flips and truncation", "[ikev2][sk][bitflip]") {
  std::vector<std::uint8_t> ek(16, 1), ak(32, 2);
  auto sk = SkCipher::create(12, ek, 12, ak).value();
  std::vector<std::uint8_t> msg(32, 0);  // header + SK generic header stand-in
  const std::vector<std::uint8_t> plain(40, 9);
  const std::size_t body = sk.sealed_size(plain.size());
  msg[24] = 0;
  msg[27] = static_cast<std::uint8_t>(32 + body);
  std::vector<std::uint8_t> iv(16, 3);
  REQUIRE(sk.seal(msg, plain, iv));
  std::size_t opened = 0;
  ::testing::for_each_mutation(msg, [&](std::span<const std::uint8_t> m) {
    auto r = sk.open(m, std::min<std::size_t>(32, m.size()));
    opened += r.has_value();
  });
  CHECK(opened == 0);  // every mutant fails the checksum or the framing
}

}  // namespace ikev2::testing
