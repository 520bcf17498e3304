// SADB_X_MIGRATE: one old/new ipsecrequest pair inside one X_POLICY, with
// Linux's SADB_X_EXT_KMADDRESS; KAME has the pair but no KM address.
#include <catch2/catch.hpp>

#include "kernel/pfkey/message.h"
#include "kernel/pfkey/translate.h"
#include "layout.h"

using namespace kernel::pfkey;
using core::net::Address;
using core::net::Prefix;
using layout::Bytes;

namespace {

Address addr(const char* s) { return *Address::parse(s); }

// A mobile node's home-address traffic moves from CoA 2001:db8:a::100 to
// 2001:db8:b::100; the home agent stays 2001:db8:ffff::1 (RFC 4877 §4.2).
core::ipsec::MigrateRequest handover() {
  core::ipsec::MigrateRequest r;
  r.selector.src = Prefix::host(addr("2001:db8:ffff::10"));
  r.selector.dst = Prefix::host(addr("2001:db8:ffff::1"));
  r.dir = core::ipsec::Dir::Out;
  r.entries.push_back({core::ipsec::Proto::Esp, core::ipsec::Mode::Tunnel, 5, addr("2001:db8:a::100"),
                       addr("2001:db8:ffff::1"), addr("2001:db8:b::100"), addr("2001:db8:ffff::1")});
  r.new_km = core::ipsec::KmAddress{addr("2001:db8:b::100"), addr("2001:db8:ffff::1")};
  return r;
}

void check_same(const core::ipsec::MigrateRequest& got, const core::ipsec::MigrateRequest& want) {
  CHECK(got.selector == want.selector);
  CHECK(got.dir == want.dir);
  CHECK(got.entries == want.entries);
  CHECK(got.new_km == want.new_km);
  CHECK_FALSE(got.old_km);
}

Bytes linux_pair_requests() {
  const Bytes old_ep = layout::cat({layout::lin6("2001:db8:a::100"), layout::lin6("2001:db8:ffff::1")});
  const Bytes new_ep = layout::cat({layout::lin6("2001:db8:b::100"), layout::lin6("2001:db8:ffff::1")});
  return layout::cat({layout::linux_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 5, old_ep),
                      layout::linux_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 5, new_ep)});
}

Bytes linux_kmaddress() {
  sadb_x_kmaddress k{};
  k.sadb_x_kmaddress_exttype = SADB_X_EXT_KMADDRESS;
  return layout::ext(k, layout::cat({layout::lin6("2001:db8:b::100"), layout::lin6("2001:db8:ffff::1")}));
}

}  // namespace

TEST_CASE("X_MIGRATE with two ipsecrequests and KMADDRESS matches the Linux layout", "[pfkey][migrate]") {
  const auto d = Dialect::linux_af_key();
  const auto req = handover();
  auto m = make_migrate(req, Stamp{21, 4242}, d);
  REQUIRE(m);
  auto bytes = encode_message(*m, d);
  REQUIRE(bytes);
  const Bytes rqs = linux_pair_requests();
  REQUIRE(rqs.size() == 2 * 72);  // af_key: 16 + PFKEY_ALIGN8(2 * 28) each
  const Bytes km = linux_kmaddress();
  REQUIRE(km.size() == 64);
  const Bytes want = layout::message(
      layout::header(SADB_X_MIGRATE, SADB_SATYPE_ESP, 21, 4242),
      {layout::address(SADB_EXT_ADDRESS_SRC, IPSEC_ULPROTO_ANY, 128, layout::lin6("2001:db8:ffff::10")),
       layout::address(SADB_EXT_ADDRESS_DST, IPSEC_ULPROTO_ANY, 128, layout::lin6("2001:db8:ffff::1")),
       layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0, 0, rqs), km});
  CHECK(*bytes == want);
  auto back = migrate_of(*decode_message(want, d), d);
  REQUIRE(back);
  check_same(*back, req);
}

TEST_CASE("The kernel's own X_MIGRATE (KMADDRESS first, proto 0) becomes a MigrateEvent", "[pfkey][migrate][events]") {
  // af_key pfkey_send_migrate: base, KMADDRESS, selector src/dst with
  // sel->proto (0 = any), X_POLICY dir+1 with the pairs; seq 0, pid 0.
  const auto d = Dialect::linux_af_key();
  const Bytes msg = layout::message(
      layout::header(SADB_X_MIGRATE, SADB_SATYPE_ESP, 0, 0),
      {linux_kmaddress(), layout::address(SADB_EXT_ADDRESS_SRC, 0, 128, layout::lin6("2001:db8:ffff::10")),
       layout::address(SADB_EXT_ADDRESS_DST, 0, 128, layout::lin6("2001:db8:ffff::1")),
       layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0, 0, linux_pair_requests())});
  auto m = decode_message(msg, d);
  REQUIRE(m);
  auto ev = event_of(*m, d);
  REQUIRE(ev);
  REQUIRE(*ev);
  auto* mig = std::get_if<core::ipsec::MigrateEvent>(&**ev);
  REQUIRE(mig);
  check_same(mig->request, handover());
}

TEST_CASE("X_MIGRATE on KAME: 8-byte ipsecrequest pair, no KMADDRESS", "[pfkey][migrate][kame]") {
  const auto d = Dialect::kame_netbsd();
  auto req = handover();
  CHECK(make_migrate(req, {}, d).error().code == core::ErrorCode::Unsupported);  // KM address asked for
  req.new_km.reset();
  auto m = make_migrate(req, Stamp{1, 2}, d);
  REQUIRE(m);
  auto bytes = encode_message(*m, d);
  REQUIRE(bytes);
  const Bytes old_ep = layout::cat({layout::bsd6("2001:db8:a::100", 24), layout::bsd6("2001:db8:ffff::1", 24)});
  const Bytes new_ep = layout::cat({layout::bsd6("2001:db8:b::100", 24), layout::bsd6("2001:db8:ffff::1", 24)});
  const Bytes rqs = layout::cat({layout::kame_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 5, old_ep),
                                 layout::kame_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 5, new_ep)});
  REQUIRE(rqs.size() == 2 * 64);  // PFKEY_ALIGN8(8 + 2 * 28) each
  const Bytes want = layout::message(
      layout::header(SADB_X_MIGRATE, SADB_SATYPE_ESP, 1, 2),
      {layout::address(SADB_EXT_ADDRESS_SRC, IPSEC_ULPROTO_ANY, 128, layout::bsd6("2001:db8:ffff::10", 24)),
       layout::address(SADB_EXT_ADDRESS_DST, IPSEC_ULPROTO_ANY, 128, layout::bsd6("2001:db8:ffff::1", 24)),
       layout::kame_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0, rqs)});
  CHECK(*bytes == want);
  auto back = migrate_of(*decode_message(want, d), d);
  REQUIRE(back);
  check_same(*back, req);
  // On KAME, type 25 is SADB_X_EXT_TAG, not a KM address: kept raw.
  auto linux_km_on_kame = decode_message(layout::message(layout::header(SADB_X_MIGRATE, 3, 0, 0), {linux_kmaddress()}), d);
  REQUIRE(linux_km_on_kame);
  CHECK_FALSE(linux_km_on_kame->kmaddress);
  CHECK(linux_km_on_kame->unknown.size() == 1);
}

TEST_CASE("X_MIGRATE pairs must agree and come in pairs", "[pfkey][migrate]") {
  const auto d = Dialect::linux_af_key();
  const Bytes ep = layout::cat({layout::lin4("192.0.2.1"), layout::lin4("192.0.2.2")});
  auto build = [&](const Bytes& rqs) {
    return layout::message(layout::header(SADB_X_MIGRATE, SADB_SATYPE_ESP, 0, 0),
                           {layout::address(SADB_EXT_ADDRESS_SRC, 0, 32, layout::lin4("10.0.0.1")),
                            layout::address(SADB_EXT_ADDRESS_DST, 0, 32, layout::lin4("10.0.0.2")),
                            layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, 0, 0, rqs)});
  };
  auto one = layout::linux_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 5, ep);
  auto other_reqid = layout::linux_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 6, ep);
  CHECK_FALSE(migrate_of(*decode_message(build(one), d), d));
  CHECK_FALSE(migrate_of(*decode_message(build(layout::cat({one, other_reqid})), d), d));
  auto ok = migrate_of(*decode_message(build(layout::cat({one, one})), d), d);
  REQUIRE(ok);
  CHECK(ok->dir == core::ipsec::Dir::In);
  CHECK(ok->entries.size() == 1);
}
