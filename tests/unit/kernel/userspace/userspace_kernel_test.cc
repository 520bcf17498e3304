// UserspaceKernel bookkeeping without devices: SPI allocation and larval
// SAs, SA calls, lifetimes in seconds, policies and the routes they take,
// MIGRATE and migrate_sa.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "usp_fixture.h"

using namespace usp_test;
using namespace std::chrono_literals;
using core::ErrorCode;
using core::ipsec::Dir;
using core::ipsec::ExpireEvent;
using core::ipsec::MigrateEvent;
using core::ipsec::Mode;
using core::ipsec::Proto;
using core::ipsec::SaId;

TEST_CASE("UserspaceKernel: name and capabilities", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  CHECK(n.k->name() == "userspace");
  auto c = n.k->capabilities();
  CHECK(c.esp);
  CHECK(c.migrate);
  CHECK(c.migrate_state);
  CHECK(c.km_address);
  CHECK(c.acquire_packet);
  CHECK(c.counters);
  CHECK(n.k->socket_mark() == 0x4b41);
}

TEST_CASE("UserspaceKernel: alloc_spi reserves larval SAs that add_sa completes", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  std::set<std::uint32_t> spis;
  for (int i = 0; i < 50; ++i) {
    auto spi = n.k->alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 7, 0x1000, 0x1fff);
    REQUIRE(spi);
    CHECK(*spi >= 0x1000);
    CHECK(*spi <= 0x1fff);
    spis.insert(*spi);
  }
  CHECK(spis.size() == 50);
  auto spi = *spis.begin();
  auto larval = n.k->get_sa(SaId{A("192.0.2.1"), spi});
  REQUIRE(larval);
  CHECK(larval->spec.reqid == 7);
  CHECK(larval->spec.inbound);

  // add_sa completes it; the SA is inbound though the spec does not say so.
  auto spec = gcm_sa("192.0.2.2", "192.0.2.1", spi, 7, false);
  REQUIRE(n.k->add_sa(spec));
  auto info = n.k->get_sa(spec.id());
  REQUIRE(info);
  CHECK(info->spec.inbound);
  CHECK(info->spec.enc.id == 20);
  CHECK(info->spec.enc.key.empty());  // keys never leave the data plane
  CHECK(n.k->add_sa(spec).error().code == ErrorCode::Exists);

  // A full range, an empty one, and other protocols.
  CHECK(n.k->alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 7, spi, spi).error().code ==
        ErrorCode::Exists);
  CHECK(n.k->alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 7, 0x2000, 0x1000).error().code ==
        ErrorCode::Kernel);
  CHECK(n.k->alloc_spi(A("192.0.2.2"), A("2001:db8::1"), Proto::Esp, 7).error().code == ErrorCode::Kernel);
  CHECK(n.k->alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Ah, 7).error().code == ErrorCode::Unsupported);
  // SPIs below 256 are reserved: the range is raised to start at 256.
  auto low = n.k->alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 7, 1, 0x100);
  REQUIRE(low);
  CHECK(*low == 0x100);

  // Larval SAs expire after the larval lifetime with a hard expire.
  auto listed = n.k->list_sas();
  REQUIRE(listed);
  CHECK(listed->size() == 51);
  time.advance(166s);
  CHECK(n.k->list_sas()->size() == 1);
  CHECK(n.events_of<ExpireEvent>().size() == 50);
  CHECK(n.events_of<ExpireEvent>().front().hard);
}

TEST_CASE("UserspaceKernel: SA calls and their failures", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  auto out = gcm_sa("192.0.2.1", "192.0.2.2", 0x500, 3, false);
  REQUIRE(n.k->add_sa(out));
  CHECK(n.k->del_sa(SaId{A("192.0.2.9"), 0x500}).error().code == ErrorCode::NotFound);
  CHECK(n.k->get_sa(SaId{A("192.0.2.9"), 0x500}).error().code == ErrorCode::NotFound);
  CHECK(n.k->update_sa(gcm_sa("192.0.2.1", "192.0.2.9", 0x500, 3, false)).error().code == ErrorCode::NotFound);

  // An inbound SPI is unique across destinations (the inbound lookup is by SPI).
  REQUIRE(n.k->add_sa(gcm_sa("192.0.2.2", "192.0.2.1", 0x600, 3, true)));
  CHECK(n.k->add_sa(gcm_sa("198.51.100.2", "198.51.100.1", 0x600, 3, true)).error().code == ErrorCode::Exists);
  // The same SPI outbound is the peer's business and fine.
  REQUIRE(n.k->add_sa(gcm_sa("192.0.2.1", "192.0.2.3", 0x600, 3, false)));

  // Bad keys and protocols are refused, and nothing is added.
  auto bad = gcm_sa("192.0.2.1", "192.0.2.4", 0x700, 3, false);
  bad.enc.key.resize(7);
  CHECK_FALSE(n.k->add_sa(bad));
  CHECK(n.k->get_sa(bad.id()).error().code == ErrorCode::NotFound);
  bad = gcm_sa("192.0.2.1", "192.0.2.4", 0x700, 3, false);
  bad.proto = Proto::Ah;
  CHECK(n.k->add_sa(bad).error().code == ErrorCode::Unsupported);
  bad = gcm_sa("192.0.2.1", "2001:db8::4", 0x700, 3, false);
  CHECK(n.k->add_sa(bad).error().code == ErrorCode::Kernel);

  // A larval SA whose completion fails stays larval.
  auto spi = n.k->alloc_spi(A("192.0.2.5"), A("192.0.2.1"), Proto::Esp, 4);
  REQUIRE(spi);
  auto broken = gcm_sa("192.0.2.5", "192.0.2.1", *spi, 4, true);
  broken.enc.key.resize(3);
  CHECK_FALSE(n.k->add_sa(broken));
  REQUIRE(n.k->get_sa(broken.id()));
  REQUIRE(n.k->update_sa(gcm_sa("192.0.2.5", "192.0.2.1", *spi, 4, true)));

  REQUIRE(n.k->del_sa(out.id()));
  CHECK(n.k->get_sa(out.id()).error().code == ErrorCode::NotFound);
  auto all = n.k->list_sas();
  REQUIRE(all);
  CHECK(all->size() == 3);
  for (std::size_t i = 1; i < all->size(); ++i) CHECK((*all)[i - 1].spec.id() < (*all)[i].spec.id());
}

TEST_CASE("UserspaceKernel: lifetimes in seconds", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  auto s = gcm_sa("192.0.2.1", "192.0.2.2", 0x800, 9, false);
  s.lifetime.soft_seconds = 100;
  s.lifetime.hard_seconds = 120;
  REQUIRE(n.k->add_sa(s));
  time.advance(99s);
  CHECK(n.events.empty());
  time.advance(1s);
  auto ev = n.events_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK_FALSE(ev[0].hard);
  CHECK(ev[0].sa == s.id());
  CHECK(ev[0].reqid == 9);
  time.advance(20s);
  ev = n.events_of<ExpireEvent>();
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].hard);
  CHECK(n.k->get_sa(s.id()).error().code == ErrorCode::NotFound);

  // Deleting an SA cancels its timers; a soft limit past the hard one is never reported.
  auto t = gcm_sa("192.0.2.1", "192.0.2.2", 0x801, 9, false);
  t.lifetime.soft_seconds = 50;
  REQUIRE(n.k->add_sa(t));
  REQUIRE(n.k->del_sa(t.id()));
  auto u = gcm_sa("192.0.2.1", "192.0.2.2", 0x802, 9, false);
  u.lifetime.soft_seconds = 60;
  u.lifetime.hard_seconds = 60;
  REQUIRE(n.k->add_sa(u));
  n.events.clear();
  time.advance(100s);
  ev = n.events_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].hard);
  CHECK(ev[0].sa == u.id());
}

TEST_CASE("UserspaceKernel: outbound Protect policies take routes", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  auto out = policy("198.51.100.0/24", "203.0.113.0/24", Dir::Out, {tmpl("192.0.2.1", "192.0.2.2", 1)});
  auto idx = n.k->add_policy(out);
  REQUIRE(idx);
  CHECK((*idx & 7) == 1);
  CHECK(n.k->add_policy(out).error().code == ErrorCode::Exists);
  REQUIRE(n.k->add_policy(policy("203.0.113.0/24", "198.51.100.0/24", Dir::In, {tmpl("192.0.2.2", "192.0.2.1", 1)})));
  // A second policy to the same prefix shares the route.
  auto udp = policy("198.51.100.7/32", "203.0.113.0/24", Dir::Out, {tmpl("192.0.2.1", "192.0.2.2", 1)},
                    core::ipsec::Action::Protect, 17);
  REQUIRE(n.k->add_policy(udp));
  const auto& routes = n.k->routes().routes();
  REQUIRE(routes.size() == 1);
  CHECK(routes.begin()->first == P("203.0.113.0/24"));
  CHECK(routes.begin()->second == 2);

  // update to Bypass gives the route back; back to Protect takes it again.
  auto bypass = udp;
  bypass.action = core::ipsec::Action::Bypass;
  auto same = n.k->update_policy(bypass);
  REQUIRE(same);
  CHECK(routes.begin()->second == 1);
  REQUIRE(n.k->update_policy(udp));
  CHECK(routes.begin()->second == 2);

  REQUIRE(n.k->del_policy(core::ipsec::PolicyKey{out.selector, Dir::Out, {}}));
  REQUIRE(n.k->del_policy(core::ipsec::PolicyKey{udp.selector, Dir::Out, {}}));
  CHECK(routes.empty());
  CHECK(n.k->del_policy(core::ipsec::PolicyKey{udp.selector, Dir::Out, {}}).error().code == ErrorCode::NotFound);
  CHECK(n.k->list_policies()->size() == 1);

  auto mixed = policy("198.51.100.0/24", "2001:db8::/32", Dir::Out, {});
  CHECK(n.k->add_policy(mixed).error().code == ErrorCode::Kernel);
  auto bad_index = out;
  bad_index.index = 8;  // encodes In
  CHECK(n.k->add_policy(bad_index).error().code == ErrorCode::Kernel);
  CHECK(routes.empty());
}

TEST_CASE("UserspaceKernel: migrate moves templates and SAs", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  // A mobile node's tunnel from its care-of address 2001:db8:1::10.
  auto out = policy("2001:db8:a::1/128", "::/0", Dir::Out, {tmpl("2001:db8:1::10", "2001:db8:1::2", 5)});
  REQUIRE(n.k->add_policy(out));
  auto sa_out = gcm_sa("2001:db8:1::10", "2001:db8:1::2", 0x900, 5, false);
  auto sa_other = gcm_sa("2001:db8:1::10", "2001:db8:1::2", 0x901, 6, false);  // another reqid
  sa_out.lifetime.hard_seconds = 500;
  REQUIRE(n.k->add_sa(sa_out));
  REQUIRE(n.k->add_sa(sa_other));

  core::ipsec::MigrateRequest req;
  req.selector = out.selector;
  req.selector.proto = 0;
  req.dir = Dir::Out;
  req.entries.push_back({Proto::Esp, Mode::Tunnel, 5, A("2001:db8:1::10"), A("2001:db8:1::2"),
                         A("2001:db8:2::10"), A("2001:db8:1::2")});
  req.encap = core::ipsec::Encap{4500, 4500};
  REQUIRE(n.k->migrate(req));
  auto pols = n.k->list_policies();
  REQUIRE(pols->size() == 1);
  CHECK((*pols)[0].templates[0].src == A("2001:db8:2::10"));
  auto moved = n.k->get_sa(sa_out.id());  // the id keeps the destination
  REQUIRE(moved);
  CHECK(moved->spec.src == A("2001:db8:2::10"));
  CHECK(moved->spec.encap == core::ipsec::Encap{4500, 4500});
  CHECK(n.k->get_sa(sa_other.id())->spec.src == A("2001:db8:1::10"));
  REQUIRE(n.events_of<MigrateEvent>().size() == 1);

  // Its lifetime runs on from the original add.
  time.advance(500s);
  CHECK(n.k->get_sa(sa_out.id()).error().code == ErrorCode::NotFound);

  // Failures change nothing.
  CHECK(n.k->migrate(req).error().code == ErrorCode::NotFound);  // no template has the old endpoints
  auto none = req;
  none.selector.src = P("2001:db8:a::2/128");
  CHECK(n.k->migrate(none).error().code == ErrorCode::NotFound);
  auto empty = req;
  empty.entries.clear();
  CHECK(n.k->migrate(empty).error().code == ErrorCode::Kernel);
}

TEST_CASE("UserspaceKernel: migrate refuses a move onto another SA", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  auto in = policy("::/0", "2001:db8:a::1/128", Dir::In, {tmpl("2001:db8:1::2", "2001:db8:1::10", 5)});
  REQUIRE(n.k->add_policy(in));
  REQUIRE(n.k->add_sa(gcm_sa("2001:db8:1::2", "2001:db8:1::10", 0xa00, 5, true)));
  REQUIRE(n.k->add_sa(gcm_sa("2001:db8:1::2", "2001:db8:2::10", 0xa00, 7, false)));
  core::ipsec::MigrateRequest req;
  req.selector = in.selector;
  req.dir = Dir::In;
  req.entries.push_back({Proto::Esp, Mode::Tunnel, 5, A("2001:db8:1::2"), A("2001:db8:1::10"),
                         A("2001:db8:1::2"), A("2001:db8:2::10")});
  CHECK(n.k->migrate(req).error().code == ErrorCode::Exists);
  CHECK(n.k->list_policies()->front().templates[0].dst == A("2001:db8:1::10"));
  CHECK(n.k->get_sa(SaId{A("2001:db8:1::10"), 0xa00}));
  CHECK(n.events.empty());
}

TEST_CASE("UserspaceKernel: migrate_sa moves one SA", "[kernel][userspace]") {
  core::SimulatedTime time;
  Node n(time);
  auto in = gcm_sa("192.0.2.2", "192.0.2.1", 0xb00, 5, true);
  REQUIRE(n.k->add_sa(in));
  REQUIRE(n.k->add_sa(gcm_sa("192.0.2.2", "192.0.2.9", 0xb00, 5, false)));  // outbound: its SPI is the peer's
  REQUIRE(n.k->migrate_sa(in.id(), A("192.0.2.3"), A("192.0.2.7"), core::ipsec::Encap{4500, 4501}));
  CHECK(n.k->get_sa(in.id()).error().code == ErrorCode::NotFound);
  auto moved = n.k->get_sa(SaId{A("192.0.2.7"), 0xb00});
  REQUIRE(moved);
  CHECK(moved->spec.src == A("192.0.2.3"));
  CHECK(moved->spec.encap->dport == 4501);
  CHECK(moved->spec.inbound);
  CHECK(n.k->migrate_sa(SaId{A("192.0.2.7"), 0xb00}, A("192.0.2.2"), A("192.0.2.9"), std::nullopt)
            .error()
            .code == ErrorCode::Exists);
  CHECK(n.k->migrate_sa(in.id(), A("192.0.2.2"), A("192.0.2.8"), std::nullopt).error().code ==
        ErrorCode::NotFound);
  CHECK(n.k->migrate_sa(SaId{A("192.0.2.7"), 0xb00}, A("192.0.2.2"), A("2001:db8::1"), std::nullopt)
            .error()
            .code == ErrorCode::Kernel);
  CHECK(n.events.empty());
}
