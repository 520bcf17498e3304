// PF_KEY SA messages byte for byte against layouts built from the Linux
// structs (<linux/pfkeyv2.h>) and the KAME mirrors of layout.h.
#include <catch2/catch.hpp>

#include "kernel/pfkey/message.h"
#include "kernel/pfkey/translate.h"
#include "layout.h"

using namespace kernel::pfkey;
using core::net::Address;
using layout::Bytes;

namespace {

Address addr(const char* s) { return *Address::parse(s); }

Bytes seq_bytes(std::size_t n, std::uint8_t start) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(start + i);
  return b;
}

// An ESP tunnel SA with NAT-T, AES-CBC-256 and HMAC-SHA2-512-256.
core::ipsec::SaSpec esp_tunnel_natt() {
  core::ipsec::SaSpec sa;
  sa.src = addr("192.0.2.1");
  sa.dst = addr("198.51.100.7");
  sa.spi = 0xc0ffee01;
  sa.proto = core::ipsec::Proto::Esp;
  sa.mode = core::ipsec::Mode::Tunnel;
  sa.reqid = 0x1234;
  sa.enc = {12, 256, seq_bytes(32, 0x10)};  // ENCR_AES_CBC, 256-bit key
  sa.integ = {14, 0, seq_bytes(64, 0x80)};  // AUTH_HMAC_SHA2_512_256
  sa.encap = core::ipsec::Encap{4500, 4501};
  sa.replay_window = 32;
  sa.lifetime.soft_bytes = 900000;
  sa.lifetime.hard_bytes = 1000000;
  sa.lifetime.soft_seconds = 3000;
  sa.lifetime.hard_seconds = 3600;
  sa.lifetime.soft_packets = 90;
  sa.lifetime.hard_packets = 100;
  return sa;
}

}  // namespace

TEST_CASE("GETSPI request and reply match the Linux layout", "[pfkey][sa]") {
  auto m = make_getspi(addr("198.51.100.7"), addr("192.0.2.1"), core::ipsec::Proto::Esp, 42, 0x100, 0x0fffffff,
                       Stamp{5, 777});
  auto bytes = encode_message(m, Dialect::linux_af_key());
  REQUIRE(bytes);
  sadb_spirange range{};
  range.sadb_spirange_exttype = SADB_EXT_SPIRANGE;
  range.sadb_spirange_min = 0x100;
  range.sadb_spirange_max = 0x0fffffff;
  const Bytes want = layout::message(layout::header(SADB_GETSPI, SADB_SATYPE_ESP, 5, 777),
                                     {layout::address(SADB_EXT_ADDRESS_SRC, IPSEC_ULPROTO_ANY, 32, layout::lin4("198.51.100.7")),
                                      layout::address(SADB_EXT_ADDRESS_DST, IPSEC_ULPROTO_ANY, 32, layout::lin4("192.0.2.1")),
                                      layout::ext(range), layout::sa2(IPSEC_MODE_ANY, 42)});
  CHECK(*bytes == want);

  // The reply in af_key's order (pfkey_xfrm_state2msg): SA, lifetimes,
  // addresses, SA2; a larval SA, state 0.
  const Bytes reply = layout::message(
      layout::header(SADB_GETSPI, SADB_SATYPE_ESP, 5, 777),
      {layout::sa(0xc0ffee01, 0, SADB_SASTATE_LARVAL, 0, 0), layout::lifetime(SADB_EXT_LIFETIME_HARD, 0, 0, 30),
       layout::lifetime(SADB_EXT_LIFETIME_CURRENT, 0, 0, 1700000000),
       layout::address(SADB_EXT_ADDRESS_SRC, 0, 32, layout::lin4("198.51.100.7")),
       layout::address(SADB_EXT_ADDRESS_DST, 0, 32, layout::lin4("192.0.2.1")), layout::sa2(IPSEC_MODE_ANY, 42)});
  auto got = decode_message(reply, Dialect::linux_af_key());
  REQUIRE(got);
  CHECK(got->header.type == SADB_GETSPI);
  CHECK(got->header.seq == 5);
  CHECK(got->header.pid == 777);
  auto spi = spi_of(*got);
  REQUIRE(spi);
  CHECK(*spi == 0xc0ffee01);
  REQUIRE(got->sa2);
  CHECK(got->sa2->reqid == 42);
  CHECK(got->lifetime_current->addtime == 1700000000);
}

TEST_CASE("ADD of an ESP tunnel SA with NAT-T matches the Linux layout", "[pfkey][sa]") {
  const auto spec = esp_tunnel_natt();
  auto m = make_add(SADB_ADD, spec, Stamp{9, 4242}, Dialect::linux_af_key());
  REQUIRE(m);
  auto bytes = encode_message(*m, Dialect::linux_af_key());
  REQUIRE(bytes);

  sadb_x_nat_t_type nt{};
  nt.sadb_x_nat_t_type_exttype = SADB_X_EXT_NAT_T_TYPE;
  nt.sadb_x_nat_t_type_type = 2;  // UDP_ENCAP_ESPINUDP
  sadb_x_nat_t_port sp{}, dp{};
  sp.sadb_x_nat_t_port_exttype = SADB_X_EXT_NAT_T_SPORT;
  sp.sadb_x_nat_t_port_port = htons(4500);
  dp.sadb_x_nat_t_port_exttype = SADB_X_EXT_NAT_T_DPORT;
  dp.sadb_x_nat_t_port_port = htons(4501);
  const Bytes want = layout::message(
      layout::header(SADB_ADD, SADB_SATYPE_ESP, 9, 4242),
      {layout::sa(0xc0ffee01, 32, SADB_SASTATE_MATURE, SADB_X_AALG_SHA2_512HMAC, SADB_X_EALG_AESCBC),
       layout::lifetime(SADB_EXT_LIFETIME_HARD, 100, 1000000, 3600),
       layout::lifetime(SADB_EXT_LIFETIME_SOFT, 90, 900000, 3000),
       layout::address(SADB_EXT_ADDRESS_SRC, IPSEC_ULPROTO_ANY, 32, layout::lin4("192.0.2.1")),
       layout::address(SADB_EXT_ADDRESS_DST, IPSEC_ULPROTO_ANY, 32, layout::lin4("198.51.100.7")),
       layout::key(SADB_EXT_KEY_AUTH, seq_bytes(64, 0x80)), layout::key(SADB_EXT_KEY_ENCRYPT, seq_bytes(32, 0x10)),
       layout::sa2(IPSEC_MODE_TUNNEL, 0x1234), layout::ext(nt), layout::ext(sp), layout::ext(dp)});
  CHECK(*bytes == want);

  // And back: the same SA (keys, encap, lifetimes, replay window).
  auto dm = decode_message(want, Dialect::linux_af_key());
  REQUIRE(dm);
  auto info = sa_info_of(*dm, Dialect::linux_af_key());
  REQUIRE(info);
  const auto& got = info->spec;
  CHECK(got.src == spec.src);
  CHECK(got.dst == spec.dst);
  CHECK(got.spi == spec.spi);
  CHECK(got.mode == spec.mode);
  CHECK(got.reqid == spec.reqid);
  CHECK(got.enc == spec.enc);
  CHECK(got.integ == spec.integ);
  CHECK(got.encap == spec.encap);
  CHECK(got.lifetime == spec.lifetime);
  CHECK(got.replay_window == 32);
  CHECK_FALSE(got.selector);
}

TEST_CASE("ADD on KAME: sa_len sockaddrs, NetBSD AF_INET6 and a replay window in bytes", "[pfkey][sa][kame]") {
  core::ipsec::SaSpec spec;
  spec.src = addr("2001:db8:1::1");
  spec.dst = addr("2001:db8:2::2");
  spec.spi = 0x1001;
  spec.mode = core::ipsec::Mode::Transport;
  spec.reqid = 7;
  spec.enc = {20, 128, seq_bytes(20, 1)};  // ENCR_AES_GCM_16, 128-bit key + 4-byte salt
  spec.replay_window = 64;
  const auto d = Dialect::kame_netbsd();
  auto m = make_add(SADB_ADD, spec, Stamp{1, 99}, d);
  REQUIRE(m);
  auto bytes = encode_message(*m, d);
  REQUIRE(bytes);
  const Bytes want = layout::message(
      layout::header(SADB_ADD, SADB_SATYPE_ESP, 1, 99),
      {layout::sa(0x1001, 8, SADB_SASTATE_MATURE, SADB_AALG_NONE, SADB_X_EALG_AES_GCM_ICV16),
       layout::address(SADB_EXT_ADDRESS_SRC, IPSEC_ULPROTO_ANY, 128, layout::bsd6("2001:db8:1::1", 24)),
       layout::address(SADB_EXT_ADDRESS_DST, IPSEC_ULPROTO_ANY, 128, layout::bsd6("2001:db8:2::2", 24)),
       layout::key(SADB_EXT_KEY_ENCRYPT, seq_bytes(20, 1)), layout::sa2(IPSEC_MODE_TRANSPORT, 7)});
  CHECK(*bytes == want);
  auto info = sa_info_of(*decode_message(want, d), d);
  REQUIRE(info);
  CHECK(info->spec.enc == spec.enc);
  CHECK(info->spec.integ.id == 0);
  CHECK(info->spec.replay_window == 64);
  // FreeBSD's AF_INET6 (28) decodes the same.
  auto fbsd = layout::message(layout::header(SADB_ADD, SADB_SATYPE_ESP, 1, 99),
                              {layout::sa(0x1001, 8, 1, 0, 20),
                               layout::address(SADB_EXT_ADDRESS_SRC, 255, 128, layout::bsd6("2001:db8:1::1", 28)),
                               layout::address(SADB_EXT_ADDRESS_DST, 255, 128, layout::bsd6("2001:db8:2::2", 28))});
  auto f = decode_message(fbsd, d);
  REQUIRE(f);
  CHECK(f->src->sa.addr == spec.src);
}

TEST_CASE("What PF_KEY cannot carry is refused, not dropped", "[pfkey][sa]") {
  auto spec = esp_tunnel_natt();
  spec.mark = {1, 0xff};
  CHECK(make_add(SADB_ADD, spec, {}, Dialect::linux_af_key()).error().code == core::ErrorCode::Unsupported);
  spec = esp_tunnel_natt();
  spec.esn = true;
  CHECK_FALSE(make_add(SADB_ADD, spec, {}, Dialect::linux_af_key()));
  spec = esp_tunnel_natt();
  spec.integ = {12, 0, seq_bytes(32, 0)};  // SHA2-256-128: Linux af_key would truncate to 96 bits
  CHECK(make_add(SADB_ADD, spec, {}, Dialect::linux_af_key()).error().code == core::ErrorCode::Unsupported);
  CHECK(make_add(SADB_ADD, spec, {}, Dialect::kame_netbsd()));
  spec = esp_tunnel_natt();
  spec.enc = {28, 256, seq_bytes(36, 0)};  // ChaCha20-Poly1305
  auto r = make_add(SADB_ADD, spec, {}, Dialect::linux_af_key());
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("CHACHA20") != std::string::npos);
}

TEST_CASE("DELETE carries SA and both addresses", "[pfkey][sa]") {
  core::ipsec::SaId id{addr("198.51.100.7"), 0xc0ffee01, core::ipsec::Proto::Esp};
  auto bytes = encode_message(make_sa_id(SADB_DELETE, id, addr("192.0.2.1"), Stamp{3, 5}), Dialect::linux_af_key());
  REQUIRE(bytes);
  CHECK(*bytes == layout::message(layout::header(SADB_DELETE, SADB_SATYPE_ESP, 3, 5),
                                  {layout::sa(0xc0ffee01, 0, 0, 0, 0),
                                   layout::address(SADB_EXT_ADDRESS_SRC, 255, 32, layout::lin4("192.0.2.1")),
                                   layout::address(SADB_EXT_ADDRESS_DST, 255, 32, layout::lin4("198.51.100.7"))}));
  // Without a known source: the unspecified address of the same family.
  auto m = make_sa_id(SADB_GET, id, Address::any(core::net::Family::V6), {});
  CHECK(m.src->sa.addr == Address::any(core::net::Family::V4));
}

TEST_CASE("EXPIRE soft and hard decode into ExpireEvent", "[pfkey][sa][events]") {
  // af_key key_notify_sa_expire: SA, one of LIFETIME_SOFT/HARD, CURRENT,
  // addresses, SA2 (RFC 2367 §3.1.7).
  auto build = [](std::uint16_t which) {
    return layout::message(layout::header(SADB_EXPIRE, SADB_SATYPE_ESP, 0, 0),
                           {layout::sa(0xdeadbeef, 32, SADB_SASTATE_DYING, 5, 12),
                            layout::lifetime(which, 0, 0, 3600), layout::lifetime(SADB_EXT_LIFETIME_CURRENT, 10, 5000, 1700000000),
                            layout::address(SADB_EXT_ADDRESS_SRC, 0, 32, layout::lin4("192.0.2.1")),
                            layout::address(SADB_EXT_ADDRESS_DST, 0, 32, layout::lin4("198.51.100.7")),
                            layout::sa2(IPSEC_MODE_TUNNEL, 77)});
  };
  for (auto [which, hard] : {std::pair{SADB_EXT_LIFETIME_SOFT, false}, std::pair{SADB_EXT_LIFETIME_HARD, true}}) {
    auto m = decode_message(build(static_cast<std::uint16_t>(which)), Dialect::linux_af_key());
    REQUIRE(m);
    auto ev = event_of(*m, Dialect::linux_af_key());
    REQUIRE(ev);
    REQUIRE(*ev);
    auto* ex = std::get_if<core::ipsec::ExpireEvent>(&**ev);
    REQUIRE(ex);
    CHECK(ex->hard == hard);
    CHECK(ex->reqid == 77);
    CHECK(ex->sa == core::ipsec::SaId{addr("198.51.100.7"), 0xdeadbeef, core::ipsec::Proto::Esp});
  }
  // Without either lifetime it is not an expiry.
  auto bad = layout::message(layout::header(SADB_EXPIRE, SADB_SATYPE_ESP, 0, 0),
                             {layout::sa(1, 0, 0, 0, 0), layout::address(SADB_EXT_ADDRESS_DST, 0, 32, layout::lin4("192.0.2.9"))});
  CHECK_FALSE(expire_of(*decode_message(bad, Dialect::linux_af_key())));
}
