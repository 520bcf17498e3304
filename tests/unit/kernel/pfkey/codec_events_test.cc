// SADB_ACQUIRE (with KAME's SADB_X_EXT_PACKET), policy notifications and
// REGISTER replies decoded from struct-built layouts.
#include <catch2/catch.hpp>

#include "kernel/pfkey/message.h"
#include "kernel/pfkey/translate.h"
#include "layout.h"

using namespace kernel::pfkey;
using core::net::Address;
using layout::Bytes;

namespace {

Address addr(const char* s) { return *Address::parse(s); }

// The triggering packet of a MIPv6 home registration: an IPv6 header from
// the care-of address, a Destination Options header with the Home Address
// option (at 8n+6, RFC 6275 §6.3), and a Mobility Header Binding Update
// with the A and H bits (RFC 6275 §6.1.7). 40 + 24 + 16 bytes.
Bytes home_registration_bu() {
  return layout::bytes_of(
      "6000000000283c40"                  // IPv6, payload 40, next DSTOPTS, hop limit 64
      "20010db8000a00000000000000000100"  // src: care-of address
      "20010db8ffff00000000000000000001"  // dst: home agent
      "87020100c910"                      // next MH, len 2 (24 B); PadN(0); HAO type 0xc9 len 16
      "20010db8ffff00000000000000000010"  // home address 2001:db8:ffff::10
      "0100"                              // PadN(0)
      "3b0105000000"                      // MH: proto NONE, len 1 (16 B), type 5 (BU), checksum
      "0001c00000ff01020000");            // seq 1, flags A|H, lifetime 255, PadN(2)
}

Bytes proposal() {
  sadb_prop p{};
  p.sadb_prop_exttype = SADB_EXT_PROPOSAL;
  p.sadb_prop_replay = 32;
  sadb_comb c{};
  c.sadb_comb_auth = SADB_X_AALG_SHA2_256HMAC;
  c.sadb_comb_encrypt = SADB_X_EALG_AESCBC;
  c.sadb_comb_encrypt_minbits = 128;
  c.sadb_comb_encrypt_maxbits = 256;
  c.sadb_comb_hard_addtime = 86400;
  return layout::ext(p, layout::of(c));
}

}  // namespace

TEST_CASE("KAME ACQUIRE with SADB_X_EXT_PACKET carries the packet bytes", "[pfkey][events][kame]") {
  const Bytes pkt = home_registration_bu();
  REQUIRE(pkt.size() == 80);  // above racoon2's HRBU_MIN_LEN (40 + 24 + 12)
  layout::KameXPacket x{};
  x.sadb_x_packet_exttype = layout::kKameExtPacket;
  x.sadb_x_packet_copylen = static_cast<std::uint32_t>(pkt.size());
  // KAME key_acquire: base, addresses (SA endpoints), X_POLICY with the
  // policy id, PROPOSAL, then the packet (SHISA).
  const Bytes msg = layout::message(
      layout::header(SADB_ACQUIRE, SADB_SATYPE_ESP, 9, 0),
      {layout::address(SADB_EXT_ADDRESS_SRC, IPSEC_ULPROTO_ANY, 128, layout::bsd6("2001:db8:ffff::1", 24)),
       layout::address(SADB_EXT_ADDRESS_DST, IPSEC_ULPROTO_ANY, 128, layout::bsd6("2001:db8:a::100", 24)),
       layout::kame_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0x1234), proposal(), layout::ext(x, pkt)});
  const auto d = Dialect::kame_netbsd();
  auto m = decode_message(msg, d);
  REQUIRE(m);
  REQUIRE(m->packet);
  CHECK(*m->packet == pkt);
  REQUIRE(m->proposal);
  REQUIRE(m->proposal->combs.size() == 1);
  CHECK(m->proposal->combs[0].encrypt_maxbits == 256);
  CHECK(m->proposal->combs[0].hard_addtime == 86400);

  auto ev = event_of(*m, d);
  REQUIRE(ev);
  REQUIRE(*ev);
  auto* acq = std::get_if<core::ipsec::AcquireEvent>(&**ev);
  REQUIRE(acq);
  CHECK(acq->policy_index == 0x1234);
  CHECK(acq->src == addr("2001:db8:ffff::1"));
  CHECK(acq->dst == addr("2001:db8:a::100"));
  CHECK(acq->tmpl.proto == core::ipsec::Proto::Esp);
  REQUIRE(acq->packet);
  CHECK(*acq->packet == pkt);

  // decode(encode(decode(x))) == decode(x), packet included.
  auto again = encode_message(*m, d);
  REQUIRE(again);
  auto redecoded = decode_message(*again, d);
  REQUIRE(redecoded);
  CHECK(*redecoded == *m);
}

TEST_CASE("Linux ACQUIRE has no packet; type 27 there is just an unknown extension", "[pfkey][events]") {
  layout::KameXPacket x{};
  x.sadb_x_packet_exttype = layout::kKameExtPacket;
  x.sadb_x_packet_copylen = 4;
  const Bytes msg = layout::message(
      layout::header(SADB_ACQUIRE, SADB_SATYPE_ESP, 3, 0),
      {layout::address(SADB_EXT_ADDRESS_SRC, 0, 32, layout::lin4("192.0.2.1")),
       layout::address(SADB_EXT_ADDRESS_DST, 0, 32, layout::lin4("198.51.100.7")),
       layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0x20, 0x1000), proposal(),
       layout::ext(x, Bytes{1, 2, 3, 4})});
  const auto d = Dialect::linux_af_key();
  auto m = decode_message(msg, d);
  REQUIRE(m);
  CHECK_FALSE(m->packet);
  CHECK(m->unknown.size() == 1);
  auto acq = acquire_of(*m);
  REQUIRE(acq);
  CHECK_FALSE(acq->packet);
  CHECK(acq->policy_index == 0x20);
  CHECK(acq->selector.src == core::net::Prefix::host(addr("192.0.2.1")));
  CHECK(acq->selector.proto == 0);
}

TEST_CASE("Policy notifications from other key managers become PolicyEvents", "[pfkey][events]") {
  const auto d = Dialect::linux_af_key();
  const Bytes rq = layout::linux_request(IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_USE, 0);
  for (auto [type, kind] : {std::pair{SADB_X_SPDADD, core::ipsec::PolicyEvent::Kind::Added},
                            std::pair{SADB_X_SPDUPDATE, core::ipsec::PolicyEvent::Kind::Updated},
                            std::pair{SADB_X_SPDDELETE2, core::ipsec::PolicyEvent::Kind::Deleted},
                            std::pair{SADB_X_SPDEXPIRE, core::ipsec::PolicyEvent::Kind::Expired}}) {
    const Bytes msg = layout::message(layout::header(static_cast<std::uint8_t>(type), 0, 0, 31337),
                                      {layout::address(SADB_EXT_ADDRESS_SRC, IPPROTO_UDP, 32, layout::lin4("192.0.2.1", 500)),
                                       layout::address(SADB_EXT_ADDRESS_DST, IPPROTO_UDP, 32, layout::lin4("192.0.2.2", 500)),
                                       layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, 0x99, 7, rq)});
    auto ev = event_of(*decode_message(msg, d), d);
    REQUIRE(ev);
    REQUIRE(*ev);
    auto* pe = std::get_if<core::ipsec::PolicyEvent>(&**ev);
    REQUIRE(pe);
    CHECK(pe->kind == kind);
    CHECK(pe->policy.index == 0x99);
    CHECK(pe->policy.templates.at(0).level == core::ipsec::Level::Use);
    CHECK(pe->policy.selector.sport == core::net::PortRange::single(500));
  }
  // Replies carrying an errno and plain SA traffic are not events.
  auto err = decode_message(layout::message(layout::header(SADB_ACQUIRE, 3, 1, 1, 22), {}), d);
  REQUIRE(err);
  CHECK_FALSE(*event_of(*err, d));
  auto flush = decode_message(layout::message(layout::header(SADB_FLUSH, 0, 1, 1), {}), d);
  CHECK_FALSE(*event_of(*flush, d));
}

TEST_CASE("REGISTER reply lists the supported algorithms", "[pfkey][sa]") {
  sadb_supported sup{};
  sup.sadb_supported_exttype = SADB_EXT_SUPPORTED_ENCRYPT;
  sadb_alg aes{};
  aes.sadb_alg_id = SADB_X_EALG_AESCBC;
  aes.sadb_alg_ivlen = 8;
  aes.sadb_alg_minbits = 128;
  aes.sadb_alg_maxbits = 256;
  sadb_alg gcm = aes;
  gcm.sadb_alg_id = SADB_X_EALG_AES_GCM_ICV16;
  const Bytes msg = layout::message(layout::header(SADB_REGISTER, SADB_SATYPE_ESP, 1, 42),
                                    {layout::ext(sup, layout::cat({layout::of(aes), layout::of(gcm)}))});
  auto m = decode_message(msg, Dialect::linux_af_key());
  REQUIRE(m);
  REQUIRE(m->supported_encrypt);
  REQUIRE(m->supported_encrypt->size() == 2);
  CHECK((*m->supported_encrypt)[1] == Alg{SADB_X_EALG_AES_GCM_ICV16, 8, 128, 256});
  CHECK(*encode_message(*m, Dialect::linux_af_key()) == msg);
}
