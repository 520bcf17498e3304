// tests/unit/ikev2/keylog_test.cc — the engine's KeyLogger hook: it hands
// out each IKE_SA's SK_e/SK_a keys when they are derived (RFC 7296 §2.14)
// and again for the new IKE_SA of a rekey (§2.18), and the keys it hands out
// are the ones that protect the SK payloads on the wire (§3.14).
#include <catch2/catch.hpp>

#include "engine/two_peers.h"
#include "ikev2/keymat/sk_cipher.h"

namespace ikev2::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Logged is a copy of one IkeKeyInfo (its views die with the call).
struct Logged {
  std::uint64_t spi_i = 0, spi_r = 0;
  IkeAlgs algs;
  Bytes sk_ei, sk_er, sk_ai, sk_ar;
};

// KeyLog records what an engine's KeyLogger receives.
struct KeyLog {
  std::vector<Logged> entries;

  void attach(Engine& e) {
    e.set_key_logger([this](const IkeKeyInfo& k) {
      entries.push_back({k.spi_i, k.spi_r, k.algs, Bytes(k.sk_ei.begin(), k.sk_ei.end()),
                         Bytes(k.sk_er.begin(), k.sk_er.end()), Bytes(k.sk_ai.begin(), k.sk_ai.end()),
                         Bytes(k.sk_ar.begin(), k.sk_ar.end())});
    });
  }
};

// open_sk decrypts the SK payload of a datagram with the given keys and
// returns its inner payloads.
std::vector<wire::Payload> open_sk(const Bytes& datagram, const Logged& k, bool from_initiator) {
  auto m = wire::decode_message(datagram);
  REQUIRE(m);
  REQUIRE(!m->payloads.empty());
  const auto* sk = std::get_if<wire::SkPayload>(&m->payloads.back());
  REQUIRE(sk != nullptr);
  auto cipher = SkCipher::create(k.algs.encr, from_initiator ? k.sk_ei : k.sk_er, k.algs.integ,
                                 from_initiator ? k.sk_ai : k.sk_ar);
  REQUIRE(cipher);
  auto plain = cipher->open(datagram, datagram.size() - sk->body.size());
  REQUIRE(plain);
  auto chain = wire::decode_payload_chain(sk->first_inner, *plain,
                                          {m->header.exchange, m->header.response});
  REQUIRE(chain);
  return *chain;
}

void check_same_keys(const Logged& x, const Logged& y) {
  CHECK(x.spi_i == y.spi_i);
  CHECK(x.spi_r == y.spi_r);
  CHECK(x.algs == y.algs);
  CHECK(x.sk_ei == y.sk_ei);
  CHECK(x.sk_er == y.sk_er);
  CHECK(x.sk_ai == y.sk_ai);
  CHECK(x.sk_ar == y.sk_ar);
}

TEST_CASE("KeyLogger: both sides log the IKE_SA keys once, after IKE_SA_INIT",
          "[ikev2][engine][keylog]") {
  TwoPeers t;
  KeyLog la, lb;
  la.attach(t.a.engine);
  lb.attach(t.b.engine);
  t.connect();
  REQUIRE(t.a.count(EventKind::IkeUp) == 1);
  REQUIRE(la.entries.size() == 1);
  REQUIRE(lb.entries.size() == 1);
  const auto sa = t.a.only_ike();
  const Logged& a = la.entries[0];
  CHECK(a.spi_i == sa.spi_i);
  CHECK(a.spi_r == sa.spi_r);
  CHECK(a.spi_r != 0);
  CHECK(a.algs == sa.algs);
  check_same_keys(a, lb.entries[0]);
  // Default proposal: AES-GCM-16-256, whose SK_e carries a 4-octet salt
  // (RFC 5282 §7.1) and has no SK_a.
  CHECK(a.algs.encr == static_cast<std::uint16_t>(wire::EncrId::AesGcm16));
  CHECK(a.sk_ei.size() == 36);
  CHECK(a.sk_er.size() == 36);
  CHECK(a.sk_ei != a.sk_er);
  CHECK(a.sk_ai.empty());
  CHECK(a.sk_ar.empty());
}

TEST_CASE("KeyLogger: the logged keys open the IKE_AUTH exchange on the wire",
          "[ikev2][engine][keylog]") {
  auto algs = GENERATE(as<const char*>{}, "aes256gcm16-prfsha256-x25519",
                       "aes128-sha256-modp2048", "aes256-sha384-ecp256");
  Settings sa = default_settings("a.example");
  Settings sb = default_settings("b.example");
  sa.ike_proposals = parse_proposals(algs, wire::ProtocolId::Ike).value();
  sb.ike_proposals = sa.ike_proposals;
  TwoPeers t(sa, sb);
  KeyLog la;
  la.attach(t.a.engine);
  t.connect();
  INFO(algs);
  REQUIRE(t.a.count(EventKind::IkeUp) == 1);
  REQUIRE(la.entries.size() == 1);
  const Logged& k = la.entries[0];
  if (k.algs.integ != 0) CHECK_FALSE(k.sk_ai.empty());
  // The wire: IKE_SA_INIT request, response, IKE_AUTH request, response.
  const auto& sent = t.net.sent();
  REQUIRE(sent.size() == 4);
  auto request = open_sk(sent[2].bytes, k, true);
  auto response = open_sk(sent[3].bytes, k, false);
  const auto* idi = wire::find<wire::IdPayload>(request);
  REQUIRE(idi != nullptr);
  CHECK(std::string(idi->data.begin(), idi->data.end()) == "a.example");
  CHECK(wire::find<wire::AuthPayload>(response) != nullptr);
  // The other direction's key does not open it: the SPIs and directions
  // in the log are not swapped.
  Logged swapped = k;
  std::swap(swapped.sk_ei, swapped.sk_er);
  std::swap(swapped.sk_ai, swapped.sk_ar);
  auto m = wire::decode_message(sent[2].bytes);
  REQUIRE(m);
  const auto& body = std::get<wire::SkPayload>(m->payloads.back()).body;
  auto wrong = SkCipher::create(k.algs.encr, swapped.sk_ei, k.algs.integ, swapped.sk_ai);
  REQUIRE(wrong);
  CHECK_FALSE(wrong->open(sent[2].bytes, sent[2].bytes.size() - body.size()));
}

TEST_CASE("KeyLogger: a rekeyed IKE_SA is logged with its new SPIs and keys (RFC 7296 §2.18)",
          "[ikev2][engine][keylog][rekey]") {
  TwoPeers t;
  KeyLog la, lb;
  la.attach(t.a.engine);
  lb.attach(t.b.engine);
  auto id = t.connect();
  REQUIRE(la.entries.size() == 1);
  t.net.clear_sent();
  REQUIRE(t.a.engine.rekey_ike(id));
  t.net.pump();
  REQUIRE(la.entries.size() == 2);
  REQUIRE(lb.entries.size() == 2);
  const auto na = t.a.only_ike();
  const Logged& n = la.entries[1];
  CHECK(n.spi_i == na.spi_i);
  CHECK(n.spi_r == na.spi_r);
  CHECK(n.spi_i != la.entries[0].spi_i);
  CHECK(n.sk_ei != la.entries[0].sk_ei);
  check_same_keys(n, lb.entries[1]);
  // A liveness check on the new SA is sealed with the new keys.
  t.net.clear_sent();
  REQUIRE(t.a.engine.liveness(na.id));
  t.net.pump();
  REQUIRE(t.net.sent().size() == 2);
  auto m = wire::decode_message(t.net.sent()[0].bytes);
  REQUIRE(m);
  CHECK(m->header.spi_i == n.spi_i);
  CHECK(open_sk(t.net.sent()[0].bytes, n, true).empty());
}

}  // namespace
}  // namespace ikev2::testing
