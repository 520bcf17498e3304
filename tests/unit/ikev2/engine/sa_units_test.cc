// tests/unit/ikev2/engine/sa_units_test.cc — the pieces under the engine:
// traffic selector narrowing (RFC 7296 §2.9), proposal choice (§2.7,
// §3.3.6), identities (§3.5), cookies (§2.6), NAT hashes (§2.23), state
// machines and the SA manager's indexes.
#include <catch2/catch.hpp>

#include "core/clock/simulated_time.h"
#include "core/crypto/hash.h"
#include "deterministic_rng.h"
#include "ikev2/sa/child_sa.h"
#include "ikev2/sa/identity.h"
#include "ikev2/sa/ike_sa.h"
#include "ikev2/sa/proposal.h"
#include "ikev2/sa/sa_manager.h"
#include "ikev2/sa/traffic_selector.h"
#include "ikev2/tasks/cookie.h"
#include "ikev2/tasks/create_child.h"
#include "ikev2/tasks/nat.h"
#include "test_util.h"

namespace ikev2 {
namespace {

using core::net::Address;
using core::net::Prefix;

Ts t(const char* prefix, std::uint8_t proto = 0, std::uint16_t s = 0, std::uint16_t e = 0xffff) {
  return Ts::from_prefix(Prefix::parse(prefix).value(), proto, s, e);
}

}  // namespace

TEST_CASE("traffic selector narrowing", "[ikev2][ts]") {
  // Table: proposed, allowed, expected result (RFC 7296 §2.9).
  struct Row {
    std::vector<Ts> proposed, allowed;
    std::string expected;
  };
  const Row rows[] = {
      {{t("10.0.0.0/8")}, {t("10.1.0.0/16")}, "10.1.0.0/16"},
      {{t("10.1.2.0/24")}, {t("10.1.0.0/16")}, "10.1.2.0/24"},
      {{t("10.1.0.0/16")}, {t("192.168.0.0/16")}, ""},
      {{t("10.1.0.0/16", 6)}, {t("10.0.0.0/8")}, "10.1.0.0/16[tcp]"},
      {{t("10.1.0.0/16", 6)}, {t("10.0.0.0/8", 17)}, ""},
      {{t("10.0.0.0/8", 6, 1000, 2000)}, {t("10.1.0.0/16", 0, 1500, 65535)}, "10.1.0.0/16[tcp/1500-2000]"},
      {{t("10.0.0.0/8", 6, 80, 80)}, {t("10.0.0.0/8", 6, 443, 443)}, ""},
      {{t("10.0.0.5/32"), t("10.0.0.0/8")}, {t("10.0.0.0/24")}, "10.0.0.5/32, 10.0.0.0/24"},
      {{t("2001:db8::/32")}, {t("10.0.0.0/8"), t("2001:db8:1::/48")}, "2001:db8:1::/48"},
      {{t("10.0.0.0/8", 17, 0xffff, 0)}, {t("10.0.0.0/8")}, "10.0.0.0/8[udp/OPAQUE]"},
      {{t("10.0.0.0/8", 17, 0xffff, 0)}, {t("10.0.0.0/8", 17, 53, 53)}, ""},
  };
  int n = 0;
  for (const auto& r : rows) {
    INFO("row " << n++);
    CHECK(ts_list_string(narrow(r.proposed, r.allowed)) == r.expected);
  }
  // A range that is not one prefix survives as a range.
  Ts range{0, 0, 0xffff, {Address::parse("10.0.0.3").value(), Address::parse("10.0.0.9").value()}};
  auto got = narrow({range}, {t("10.0.0.0/29")});
  REQUIRE(got.size() == 1);
  CHECK(got[0].range.end == Address::parse("10.0.0.7").value());
  CHECK(covered(got, {range}));
  CHECK_FALSE(covered({t("10.0.0.0/8")}, {range}));
}

TEST_CASE("traffic selectors convert to and from the wire", "[ikev2][ts]") {
  const Ts a = t("2001:db8::/64", 58, 0x8000, 0x80ff);  // ICMPv6 echo request, any code
  auto w = a.to_wire();
  CHECK(w.type == wire::TsType::Ipv6AddrRange);
  CHECK(w.start_address.size() == 16);
  CHECK(Ts::from_wire(w) == a);
  w.end_address.resize(4);
  CHECK_FALSE(Ts::from_wire(w));
  // Kernel selectors only for plain prefixes and port protocols.
  CHECK(to_selector(t("10.0.0.1/32", 6, 80, 80), t("10.0.0.2/32", 6)).has_value());
  CHECK_FALSE(to_selector(a, a).has_value());
}

TEST_CASE("proposal choice follows local preference and the KE hint", "[ikev2][proposal]") {
  auto local = parse_proposals("aes256gcm16-prfsha256-x25519-ecp256, aes128-sha256-modp2048",
                               wire::ProtocolId::Ike)
                   .value();
  auto offered = offer(parse_proposals("aes128-sha256-modp2048, aes256gcm16-prfsha384-prfsha256-ecp256-x25519",
                                       wire::ProtocolId::Ike)
                           .value(),
                       wire::ProtocolId::Ike, {});
  auto c = select_ike(offered, local);
  REQUIRE(c);
  CHECK(c->number == 2);
  CHECK(c->algs.to_string() == "ENCR_AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519");
  auto hinted = select_ike(offered, local, 19);
  REQUIRE(hinted);
  CHECK(hinted->algs.ke == 19);
  // AES-CBC needs integrity; the PRF is implied by sha256.
  auto cbc = select_ike(offer({local[1]}, wire::ProtocolId::Ike, {}), local);
  REQUIRE(cbc);
  CHECK(cbc->algs.integ == 12);
  CHECK(cbc->algs.prf == 5);
  CHECK(cbc->algs.encr_bits == 128);
  auto sizes = cbc->algs.key_sizes().value();
  CHECK(sizes.prf_key == 32);
  CHECK(sizes.integ_key == 32);
  CHECK(sizes.encr_key == 16);

  // Nothing in common.
  auto other = offer(parse_proposals("3des-sha1-modp1024", wire::ProtocolId::Ike).value(),
                     wire::ProtocolId::Ike, {});
  CHECK_FALSE(select_ike(other, local));

  // ESP: ESN must agree; PFS groups only match when both sides ask.
  auto esp_local = parse_proposals("aes128gcm16-esn-noesn", wire::ProtocolId::Esp).value();
  auto esp_offer = offer(parse_proposals("aes128gcm16-esn", wire::ProtocolId::Esp).value(),
                         wire::ProtocolId::Esp, {1, 2, 3, 4});
  auto e = select_child(esp_offer, esp_local);
  REQUIRE(e);
  CHECK(e->algs.esn);
  CHECK(e->spi == std::vector<std::uint8_t>{1, 2, 3, 4});
  auto pfs_offer = offer(parse_proposals("aes128gcm16-x25519", wire::ProtocolId::Esp).value(),
                         wire::ProtocolId::Esp, {1, 2, 3, 4});
  CHECK_FALSE(select_child(pfs_offer, esp_local));
  CHECK(select_child(wire::SaPayload{without_ke(pfs_offer.proposals)}, esp_local));

  // The response proposal round-trips through selection.
  auto resp = ike_proposal(c->algs, c->number, {});
  CHECK(select_ike(wire::SaPayload{{resp}}, local)->algs == c->algs);

  CHECK_FALSE(parse_proposal("aes256-blowfish", wire::ProtocolId::Ike));
  CHECK_FALSE(parse_proposal("aes256-sha256", wire::ProtocolId::Ike));  // no group
  CHECK_FALSE(parse_proposal("aes256-prfsha256-modp2048", wire::ProtocolId::Esp));
}

TEST_CASE("identities parse and print", "[ikev2][identity]") {
  struct Row {
    const char* text;
    wire::IdType type;
    const char* printed;
  };
  const Row rows[] = {
      {"192.0.2.7", wire::IdType::Ipv4Addr, "192.0.2.7"},
      {"2001:db8::7", wire::IdType::Ipv6Addr, "2001:db8::7"},
      {"vpn.example.org", wire::IdType::Fqdn, "vpn.example.org"},
      {"@example", wire::IdType::Fqdn, "example"},
      {"mn1@example.org", wire::IdType::Rfc822Addr, "mn1@example.org"},
      {"keyid:0a0B0c", wire::IdType::KeyId, "keyid:0a0b0c"},
      {"C=JP, O=WIDE, CN=mn1", wire::IdType::DerAsn1Dn, "C=JP, O=WIDE, CN=mn1"},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    auto id = Identity::parse(r.text);
    REQUIRE(id);
    CHECK(id->type == r.type);
    CHECK(id->to_string() == r.printed);
    CHECK(Identity::parse(id->to_string()).value() == *id);
  }
  CHECK(Identity::parse("192.0.2.7")->data.size() == 4);
  CHECK_FALSE(Identity::parse(""));
  CHECK_FALSE(Identity::parse("keyid:abc"));
  CHECK_FALSE(Identity::parse("NOSUCHATTR=x"));
}

TEST_CASE("cookies are stateless and survive one secret rotation", "[ikev2][cookie]") {
  core::SimulatedTime time;
  testing::DeterministicRng rng(5);
  CookieJar jar(time, rng, std::chrono::seconds(60));
  const std::vector<std::uint8_t> ni(32, 7);
  const auto ip = Address::parse("192.0.2.1").value();
  auto c = jar.make(ni, ip, 0x1122334455667788ULL);
  CHECK(c.size() == 36);
  CHECK(jar.check(c, ni, ip, 0x1122334455667788ULL));
  CHECK_FALSE(jar.check(c, ni, ip, 0x1122334455667789ULL));
  CHECK_FALSE(jar.check(c, ni, Address::parse("192.0.2.2").value(), 0x1122334455667788ULL));
  auto bad = c;
  bad[10] ^= 1;
  CHECK_FALSE(jar.check(bad, ni, ip, 0x1122334455667788ULL));
  time.advance(std::chrono::seconds(61));  // one rotation: still good
  CHECK(jar.check(c, ni, ip, 0x1122334455667788ULL));
  CHECK(jar.make(ni, ip, 0x1122334455667788ULL) != c);
  time.advance(std::chrono::seconds(61));  // two rotations: expired
  CHECK_FALSE(jar.check(c, ni, ip, 0x1122334455667788ULL));
  CHECK_FALSE(jar.check(std::vector<std::uint8_t>{1, 2}, ni, ip, 0x1122334455667788ULL));
}

TEST_CASE("NAT detection hashes", "[ikev2][nat]") {
  const core::net::Endpoint a{Address::parse("192.0.2.1").value(), 500};
  const core::net::Endpoint b{Address::parse("198.51.100.2").value(), 500};
  // SHA-1(SPIi | SPIr | IP | port) for 0x01..08, 0, 192.0.2.1, 500, recomputed here.
  auto h = nat_hash(0x0102030405060708ULL, 0, a);
  auto ref = core::crypto::hash(core::crypto::HashAlg::Sha1,
                                testutil::from_hex("0102030405060708 0000000000000000 c0000201 01f4"))
                 .value();
  CHECK(h == ref);
  auto sent = nat_notifies(1, 2, a, b);  // a sends to b
  CHECK_FALSE(check_nat(sent, 1, 2, b, a).local_behind);
  CHECK_FALSE(check_nat(sent, 1, 2, b, a).remote_behind);
  CHECK(check_nat(sent, 1, 2, b, a).present);
  // A NAT rewrote a's address: b sees the remote behind a NAT.
  const core::net::Endpoint mapped{Address::parse("203.0.113.9").value(), 4500};
  CHECK(check_nat(sent, 1, 2, b, mapped).remote_behind);
  CHECK_FALSE(check_nat({}, 1, 2, b, a).present);
}

TEST_CASE("state machines refuse illegal moves", "[ikev2][sa]") {
  core::SimulatedTime time;
  IkeSa sa(1, true, time);
  CHECK(sa.state() == IkeState::Created);
  CHECK_FALSE(sa.set_state(IkeState::Rekeyed));
  CHECK(sa.state() == IkeState::Created);
  CHECK(sa.set_state(IkeState::Connecting));
  CHECK_FALSE(sa.set_state(IkeState::HalfOpen));
  CHECK(sa.set_state(IkeState::Authenticating));
  CHECK(sa.set_state(IkeState::Established));
  CHECK(sa.set_state(IkeState::Deleting));
  CHECK_FALSE(sa.set_state(IkeState::Established));
  CHECK(sa.set_state(IkeState::Dead));
  CHECK_FALSE(sa.set_state(IkeState::Created));

  ChildSa c(time, 0x1234, nullptr);
  CHECK_FALSE(c.set_state(ChildState::Rekeyed));
  CHECK(c.set_state(ChildState::Installed));
  CHECK(c.set_state(ChildState::Rekeying));
  CHECK(c.set_state(ChildState::Installed));
  CHECK(c.set_state(ChildState::Rekeyed));
  CHECK_FALSE(c.set_state(ChildState::Installed));
  CHECK(c.set_state(ChildState::Deleted));
}

TEST_CASE("SA manager indexes", "[ikev2][sa]") {
  core::SimulatedTime time;
  testing::DeterministicRng rng(3);
  SaManager m(time, rng);
  IkeSa& i = m.create(true);
  IkeSa& r = m.create(false);
  CHECK(i.spi_i != 0);
  CHECK(r.spi_r != 0);
  CHECK(m.find_by_spi(i.spi_i) == &i);
  CHECK(m.find_by_spi(r.spi_r) == &r);
  r.spi_i = 77;
  r.remote = {Address::parse("192.0.2.1").value(), 500};
  m.add_half_open(r);
  CHECK(m.find_half_open(77, r.remote) == &r);
  CHECK(m.find_half_open(77, {Address::parse("192.0.2.1").value(), 4500}) == nullptr);
  CHECK(m.half_open_count() == 1);
  r.remote_id = Identity::parse("x.example").value();
  m.add_identity(r);
  CHECK(m.find_by_identity(r.remote_id) == std::vector<IkeSaId>{r.id()});
  m.add_child(0xabc, r.id());
  CHECK(m.find_by_child(0xabc) == &r);
  const IkeSaId rid = r.id();
  m.remove(rid);
  CHECK(m.find(rid) == nullptr);
  CHECK(m.half_open_count() == 0);
  CHECK(m.find_by_identity(Identity::parse("x.example").value()).empty());
  CHECK(m.size() == 1);
}

TEST_CASE("rekey collision nonce order", "[ikev2][rekey]") {
  // RFC 7296 §2.8.1 compares nonces as numbers.
  using V = std::vector<std::uint8_t>;
  CHECK(nonce_less(V{0x01, 0xff}, V{0x02, 0x00}));
  CHECK_FALSE(nonce_less(V{0x02, 0x00}, V{0x01, 0xff}));
  CHECK_FALSE(nonce_less(V{0x05}, V{0x05}));
}

}  // namespace ikev2
