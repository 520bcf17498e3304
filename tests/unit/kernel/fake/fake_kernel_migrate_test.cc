// FakeKernel MIGRATE: policy templates and SAs move together, keys and
// counters kept, the MigrateEvent broadcast; failures change nothing.
// A mobile node's home-agent tunnel as in RFC 4877 §4.2.1: the MN moves
// from care-of address 198.51.100.7 to 203.0.113.7.
#include <catch2/catch.hpp>

#include "fake_fixture.h"

using namespace fake_test;
using namespace std::chrono_literals;
using core::ErrorCode;
using core::ipsec::Dir;
using core::ipsec::MigrateEntry;
using core::ipsec::MigrateEvent;
using core::ipsec::MigrateRequest;
using core::ipsec::Mode;
using core::ipsec::Proto;
using core::ipsec::SaId;
using kernel::fake::Op;

namespace {

constexpr const char* kHa = "192.0.2.1";
constexpr const char* kOldCoa = "198.51.100.7";
constexpr const char* kNewCoa = "203.0.113.7";

// HomeAgent is the HA side: an outbound tunnel policy to the MN's CoA with
// its SA pair, reqid 10.
struct HomeAgent : Fixture {
  HomeAgent() {
    REQUIRE(k.add_policy(policy(sel("0.0.0.0/0", "10.0.0.5/32"), Dir::Out, {tunnel(kHa, kOldCoa, 10)})));
    REQUIRE(k.add_policy(policy(sel("10.0.0.5/32", "0.0.0.0/0"), Dir::In, {tunnel(kOldCoa, kHa, 10)})));
    out = esp_sa(kHa, kOldCoa, 0xa0000001, 10);
    out.lifetime.hard_seconds = 3600;
    in = esp_sa(kOldCoa, kHa, 0xb0000001, 10);
    REQUIRE(k.add_sa(out));
    REQUIRE(k.add_sa(in));
    REQUIRE(k.add_traffic(out.id(), 4000, 40));
  }
  MigrateRequest outbound_move() const {
    MigrateRequest r;
    r.selector = sel("0.0.0.0/0", "10.0.0.5/32");
    r.dir = Dir::Out;
    r.entries.push_back({Proto::Esp, Mode::Tunnel, 10, A(kHa), A(kOldCoa), A(kHa), A(kNewCoa)});
    r.entries.push_back({Proto::Esp, Mode::Tunnel, 10, A(kOldCoa), A(kHa), A(kNewCoa), A(kHa)});
    r.old_km = core::ipsec::KmAddress{A(kHa), A(kOldCoa)};
    r.new_km = core::ipsec::KmAddress{A(kHa), A(kNewCoa)};
    return r;
  }
  core::ipsec::SaSpec out, in;
};

}  // namespace

TEST_CASE("FakeKernel: migrate with KM addresses moves the template and both SAs, keys kept",
          "[kernel][fake]") {
  HomeAgent ha;
  auto req = ha.outbound_move();
  REQUIRE(ha.k.migrate(req));

  auto pol = ha.k.find_policy({sel("0.0.0.0/0", "10.0.0.5/32"), Dir::Out, {}});
  REQUIRE(pol);
  CHECK(pol->templates[0].src == A(kHa));
  CHECK(pol->templates[0].dst == A(kNewCoa));
  // The inbound policy was not named by the request and stays.
  auto in_pol = ha.k.find_policy({sel("10.0.0.5/32", "0.0.0.0/0"), Dir::In, {}});
  CHECK(in_pol->templates[0].src == A(kOldCoa));

  CHECK_FALSE(ha.k.has_sa(ha.out.id()));
  auto moved_out = ha.k.get_sa({A(kNewCoa), 0xa0000001, Proto::Esp});
  REQUIRE(moved_out);
  CHECK(moved_out->spec.src == A(kHa));
  CHECK(moved_out->spec.enc == ha.out.enc);
  CHECK(moved_out->counters.bytes == 4000);
  CHECK(moved_out->counters.packets == 40);
  auto moved_in = ha.k.get_sa({A(kHa), 0xb0000001, Proto::Esp});
  REQUIRE(moved_in);
  CHECK(moved_in->spec.src == A(kNewCoa));
  CHECK(moved_in->spec.enc == ha.in.enc);

  auto ev = ha.seen_of<MigrateEvent>();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].request.entries == req.entries);
  REQUIRE(ev[0].request.new_km);
  CHECK(ev[0].request.new_km->remote == A(kNewCoa));
  CHECK(ha.k.count(Op::Migrate) == 1);
  for (const auto& c : ha.k.calls())
    if (c.op == Op::Migrate) CHECK(c.ok);
}

TEST_CASE("FakeKernel: a migrated SA keeps its lifetime, now under its new id", "[kernel][fake]") {
  HomeAgent ha;
  ha.time.advance(1000s);
  REQUIRE(ha.k.migrate(ha.outbound_move()));
  ha.time.advance(2599s);
  CHECK(ha.seen_of<core::ipsec::ExpireEvent>().empty());
  ha.time.advance(1s);  // 3600 s after the original add
  auto ev = ha.seen_of<core::ipsec::ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].hard);
  CHECK(ev[0].sa == SaId{A(kNewCoa), 0xa0000001, Proto::Esp});
}

TEST_CASE("FakeKernel: migrate keeps or replaces UDP encapsulation", "[kernel][fake]") {
  HomeAgent ha;
  auto req = ha.outbound_move();
  req.encap = core::ipsec::Encap{4500, 4500};
  REQUIRE(ha.k.migrate(req));
  CHECK(ha.k.get_sa({A(kNewCoa), 0xa0000001, Proto::Esp})->spec.encap == core::ipsec::Encap{});
}

TEST_CASE("FakeKernel: migrate moves only SAs matching reqid, mode and old endpoints",
          "[kernel][fake]") {
  HomeAgent ha;
  auto other_reqid = esp_sa(kHa, kOldCoa, 0xa0000002, 11);
  auto transport = esp_sa(kHa, kOldCoa, 0xa0000003, 10, Mode::Transport);
  auto other_peer = esp_sa(kHa, "198.51.100.8", 0xa0000004, 10);
  REQUIRE(ha.k.add_sa(other_reqid));
  REQUIRE(ha.k.add_sa(transport));
  REQUIRE(ha.k.add_sa(other_peer));
  REQUIRE(ha.k.migrate(ha.outbound_move()));
  CHECK(ha.k.has_sa(other_reqid.id()));
  CHECK(ha.k.has_sa(transport.id()));
  CHECK(ha.k.has_sa(other_peer.id()));
  CHECK(ha.k.has_sa({A(kNewCoa), 0xa0000001, Proto::Esp}));
}

TEST_CASE("FakeKernel: migrate with no policy is NotFound; with no template match too",
          "[kernel][fake]") {
  HomeAgent ha;
  auto req = ha.outbound_move();
  req.selector = sel("0.0.0.0/0", "10.0.0.6/32");
  auto none = ha.k.migrate(req);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::NotFound);
  CHECK(none.error().detail.find("No such file or directory") != std::string::npos);

  req = ha.outbound_move();
  for (auto& m : req.entries) m.reqid = 99;
  auto nomatch = ha.k.migrate(req);
  REQUIRE_FALSE(nomatch);
  CHECK(nomatch.error().code == ErrorCode::NotFound);
  CHECK(nomatch.error().detail.find("no template matches") != std::string::npos);

  // Nothing moved, nothing was broadcast, and the log shows the failures.
  CHECK(ha.k.has_sa(ha.out.id()));
  CHECK(ha.k.has_sa(ha.in.id()));
  CHECK(ha.seen.empty());
  CHECK_FALSE(ha.k.calls().back().ok);
}

TEST_CASE("FakeKernel: migrate rejects malformed requests", "[kernel][fake]") {
  HomeAgent ha;
  auto empty = ha.outbound_move();
  empty.entries.clear();
  CHECK(ha.k.migrate(empty).error().code == ErrorCode::Kernel);
  auto dup = ha.outbound_move();
  dup.entries.push_back(dup.entries[0]);
  CHECK(ha.k.migrate(dup).error().code == ErrorCode::Kernel);
  auto unset = ha.outbound_move();
  unset.entries[0].new_dst = A("0.0.0.0");
  CHECK(ha.k.migrate(unset).error().code == ErrorCode::Kernel);
}

TEST_CASE("FakeKernel: migrate refuses to land an SA on an existing id", "[kernel][fake]") {
  HomeAgent ha;
  auto squatter = esp_sa("192.0.2.99", kNewCoa, 0xa0000001, 77);
  REQUIRE(ha.k.add_sa(squatter));
  auto r = ha.k.migrate(ha.outbound_move());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::Exists);
  CHECK(ha.k.has_sa(ha.out.id()));
  CHECK(ha.k.find_policy({sel("0.0.0.0/0", "10.0.0.5/32"), Dir::Out, {}})->templates[0].dst == A(kOldCoa));
}

TEST_CASE("FakeKernel: a MIGRATE without protocol finds the policy by addresses alone",
          "[kernel][fake]") {
  // A PF_KEY MIGRATE from a mobility daemon names the MH policy by addresses
  // (Linux xfrm_migrate_selector_match with IPSEC_ULPROTO_ANY).
  Fixture f;
  core::ipsec::Template t;
  t.mode = Mode::Transport;
  t.reqid = 3;
  REQUIRE(f.k.add_policy(policy(sel("2001:db8::100/128", "2001:db8::1/128", 135), Dir::Out, {t})));
  MigrateRequest r;
  r.selector = sel("2001:db8::100/128", "2001:db8::1/128");
  r.dir = Dir::Out;
  r.entries.push_back({Proto::Esp, Mode::Transport, 3, A("2001:db8::100"), A("2001:db8::1"),
                       A("2001:db8:5::100"), A("2001:db8::1")});
  REQUIRE(f.k.add_sa(esp_sa("2001:db8::100", "2001:db8::1", 0x500, 3, Mode::Transport)));
  REQUIRE(f.k.migrate(r));
  CHECK(f.k.get_sa({A("2001:db8::1"), 0x500, Proto::Esp})->spec.src == A("2001:db8:5::100"));

  // With a protocol, the selector must be exact.
  r.selector.proto = 17;
  CHECK(f.k.migrate(r).error().code == ErrorCode::NotFound);
}

TEST_CASE("FakeKernel: migrate_sa moves one SA by id, keys and counters kept", "[kernel][fake]") {
  HomeAgent ha;
  REQUIRE(ha.k.migrate_sa(ha.out.id(), A(kHa), A(kNewCoa), core::ipsec::Encap{}));
  auto moved = ha.k.get_sa({A(kNewCoa), 0xa0000001, Proto::Esp});
  REQUIRE(moved);
  CHECK(moved->spec.enc == ha.out.enc);
  CHECK(moved->counters.bytes == 4000);
  CHECK(moved->spec.encap.has_value());
  CHECK_FALSE(ha.k.has_sa(ha.out.id()));
  CHECK(ha.k.has_sa(ha.in.id()));
  // The policy is untouched and nothing is broadcast.
  CHECK(ha.k.find_policy({sel("0.0.0.0/0", "10.0.0.5/32"), Dir::Out, {}})->templates[0].dst == A(kOldCoa));
  CHECK(ha.seen.empty());

  auto missing = ha.k.migrate_sa(ha.out.id(), A(kHa), A(kNewCoa), std::nullopt);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::NotFound);
  // Back again, dropping encapsulation.
  REQUIRE(ha.k.migrate_sa(moved->spec.id(), A(kHa), A(kOldCoa), std::nullopt));
  CHECK_FALSE(ha.k.get_sa(ha.out.id())->spec.encap);
  // Onto an occupied id: Exists.
  REQUIRE(ha.k.add_sa(esp_sa(kHa, kNewCoa, 0xa0000001, 12)));
  CHECK(ha.k.migrate_sa(ha.out.id(), A(kHa), A(kNewCoa), std::nullopt).error().code == ErrorCode::Exists);
}

TEST_CASE("FakeKernel: after migrate, acquires look at the new endpoints", "[kernel][fake]") {
  HomeAgent ha;
  REQUIRE(ha.k.migrate(ha.outbound_move()));
  // The moved outbound SA serves the rewritten template: no acquire.
  CHECK(ha.k.trigger_acquire(flow("192.0.2.50", "10.0.0.5"))->empty());
  // Without it, the acquire names the new care-of address.
  REQUIRE(ha.k.del_sa({A(kNewCoa), 0xa0000001, Proto::Esp}));
  auto sent = ha.k.trigger_acquire(flow("192.0.2.50", "10.0.0.5"));
  REQUIRE(sent);
  REQUIRE(sent->size() == 1);
  CHECK((*sent)[0].dst == A(kNewCoa));
}

TEST_CASE("FakeKernel: the handler may call back into the kernel", "[kernel][fake]") {
  HomeAgent ha;
  ha.k.set_event_handler([&](const core::ipsec::KernelEvent& e) {
    if (std::holds_alternative<MigrateEvent>(e)) REQUIRE(ha.k.list_sas());
  });
  REQUIRE(ha.k.migrate(ha.outbound_move()));
  const auto& calls = ha.k.calls();
  REQUIRE(calls.size() >= 2);
  CHECK(calls[calls.size() - 2].op == Op::Migrate);
  CHECK(calls.back().op == Op::ListSas);
}
