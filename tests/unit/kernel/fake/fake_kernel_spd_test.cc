// FakeKernel SPD: policy add/update/delete/list, Linux-style indices,
// lookup order, and acquires only for templates without an SA.
#include <catch2/catch.hpp>

#include <string>

#include "fake_fixture.h"

using namespace fake_test;
using namespace std::chrono_literals;
using core::ErrorCode;
using core::ipsec::AcquireEvent;
using core::ipsec::Action;
using core::ipsec::Dir;
using core::ipsec::Level;
using core::ipsec::Proto;

TEST_CASE("FakeKernel: policies are keyed by selector, dir and mark", "[kernel][fake]") {
  Fixture f;
  auto out = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {tunnel("192.0.2.2", "192.0.2.1", 1)});
  auto idx = f.k.add_policy(out);
  REQUIRE(idx);
  CHECK((*idx & 7) == 1);  // XFRM_POLICY_OUT

  auto dup = f.k.add_policy(out);
  REQUIRE_FALSE(dup);
  CHECK(dup.error().code == ErrorCode::Exists);
  CHECK(dup.error().detail.find("File exists") != std::string::npos);

  // The same selector inbound, or with a mark, is another policy.
  auto in = out;
  in.dir = Dir::In;
  auto in_idx = f.k.add_policy(in);
  REQUIRE(in_idx);
  CHECK((*in_idx & 7) == 0);
  auto marked = out;
  marked.mark = {0x10, 0xff};
  REQUIRE(f.k.add_policy(marked));
  auto fwd = out;
  fwd.dir = Dir::Fwd;
  auto fwd_idx = f.k.add_policy(fwd);
  REQUIRE(fwd_idx);
  CHECK((*fwd_idx & 7) == 2);
  CHECK(f.k.policy_count() == 4);

  // Indices are unique and step by 8 per allocation, as xfrm_gen_index.
  CHECK(*in_idx != *idx);
  CHECK(*fwd_idx >> 3 > *idx >> 3);
}

TEST_CASE("FakeKernel: update_policy adds or replaces, keeping the index", "[kernel][fake]") {
  Fixture f;
  auto p = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {tunnel("192.0.2.2", "192.0.2.1", 1)});
  auto first = f.k.update_policy(p);
  REQUIRE(first);
  p.templates[0].reqid = 2;
  p.priority = 5;
  auto second = f.k.update_policy(p);
  REQUIRE(second);
  CHECK(*second == *first);
  CHECK(f.k.policy_count() == 1);
  auto got = f.k.find_policy({p.selector, Dir::Out, {}});
  REQUIRE(got);
  CHECK(got->templates[0].reqid == 2);
  CHECK(got->priority == 5);
  CHECK(got->index == *first);
}

TEST_CASE("FakeKernel: del_policy removes by key; a missing one is NotFound", "[kernel][fake]") {
  Fixture f;
  auto p = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {});
  REQUIRE(f.k.add_policy(p));
  REQUIRE(f.k.del_policy({p.selector, Dir::Out, {}}));
  CHECK(f.k.policy_count() == 0);
  auto again = f.k.del_policy({p.selector, Dir::Out, {}});
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::NotFound);
  CHECK(again.error().detail ==
        "delete policy 10.0.0.0/24 -> 10.1.0.0/24 dir out: No such file or directory");
  CHECK(f.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1")) == std::nullopt);
}

TEST_CASE("FakeKernel: a given index must encode the direction", "[kernel][fake]") {
  Fixture f;
  auto p = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {});
  p.index = 8 * 100 + 0;  // an inbound index on an outbound policy
  auto bad = f.k.add_policy(p);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::Kernel);
  p.index = 8 * 100 + 1;
  auto good = f.k.add_policy(p);
  REQUIRE(good);
  CHECK(*good == 801);
  auto listed = f.k.list_policies();
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].index == 801);
}

TEST_CASE("FakeKernel: lookup picks the lowest priority, then the most specific, then the first",
          "[kernel][fake]") {
  Fixture f;
  auto wide = policy(sel("10.0.0.0/8", "10.0.0.0/8"), Dir::Out, {tunnel("192.0.2.2", "192.0.2.1", 1)}, 100);
  auto narrow = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {tunnel("192.0.2.2", "192.0.2.1", 2)}, 200);
  REQUIRE(f.k.add_policy(narrow));
  REQUIRE(f.k.add_policy(wide));
  // Priority first: the /8 has the lower value.
  auto hit = f.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1"));
  REQUIRE(hit);
  CHECK(hit->templates[0].reqid == 1);
  // Outside the /24s only the /8 matches; outside both, nothing.
  CHECK(f.k.lookup(Dir::Out, flow("10.9.0.1", "10.1.0.1"))->templates[0].reqid == 1);
  CHECK_FALSE(f.k.lookup(Dir::Out, flow("192.0.2.7", "10.1.0.1")));
  CHECK_FALSE(f.k.lookup(Dir::In, flow("10.0.0.1", "10.1.0.1")));

  // Equal priority: the more specific selector wins.
  Fixture g;
  wide.priority = narrow.priority = 100;
  REQUIRE(g.k.add_policy(wide));
  REQUIRE(g.k.add_policy(narrow));
  CHECK(g.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1"))->templates[0].reqid == 2);
  auto udp = narrow;
  udp.selector.proto = 17;
  udp.templates[0].reqid = 3;
  REQUIRE(g.k.add_policy(udp));
  CHECK(g.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1", 17))->templates[0].reqid == 3);
  CHECK(g.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1", 6))->templates[0].reqid == 2);
  auto dns = udp;
  dns.selector.dport = core::net::PortRange::single(53);
  dns.templates[0].reqid = 4;
  REQUIRE(g.k.add_policy(dns));
  CHECK(g.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1", 17, 1234, 53))->templates[0].reqid == 4);
  CHECK(g.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1", 17, 1234, 54))->templates[0].reqid == 3);

  // Equal priority and specificity: the first added wins, marks apart.
  Fixture h;
  auto a = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {tunnel("192.0.2.2", "192.0.2.1", 5)});
  auto b = a;
  b.mark = {0, 0x1};  // matches packets with mark bit 0 clear
  b.templates[0].reqid = 6;
  REQUIRE(h.k.add_policy(a));
  REQUIRE(h.k.add_policy(b));
  CHECK(h.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1"))->templates[0].reqid == 5);
  REQUIRE(h.k.del_policy({a.selector, Dir::Out, {}}));
  CHECK(h.k.lookup(Dir::Out, flow("10.0.0.1", "10.1.0.1"))->templates[0].reqid == 6);
  auto marked = flow("10.0.0.1", "10.1.0.1");
  marked.mark = 1;
  CHECK_FALSE(h.k.lookup(Dir::Out, marked));
}

TEST_CASE("FakeKernel: lookup among 10,000 host policies finds each one", "[kernel][fake]") {
  Fixture f;
  auto host = [](int i) { return fmt::format("2001:db8:1::{:x}", i + 1); };
  for (int i = 0; i < 10000; ++i) {
    std::string h = host(i);
    auto p = policy(sel("2001:db8:ffff::1/128", h.c_str()), Dir::Out, {tunnel("2001:db8:ffff::1", h.c_str(), std::uint32_t(i + 1))});
    REQUIRE(f.k.add_policy(p));
  }
  REQUIRE(f.k.add_policy(policy(sel("::/0", "::/0"), Dir::Out, {}, 5000)));
  for (int i = 0; i < 10000; i += 97) {
    std::string h = host(i);
    auto hit = f.k.lookup(Dir::Out, flow("2001:db8:ffff::1", h.c_str()));
    REQUIRE(hit);
    REQUIRE(hit->templates.size() == 1);
    CHECK(hit->templates[0].reqid == std::uint32_t(i + 1));
  }
  auto other = f.k.lookup(Dir::Out, flow("2001:db8:ffff::1", "2001:db8:2::1"));
  REQUIRE(other);
  CHECK(other->templates.empty());
}

TEST_CASE("FakeKernel: an acquire is sent only when the template has no SA", "[kernel][fake]") {
  Fixture f({.larval_lifetime = 30s});
  auto p = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {tunnel("192.0.2.2", "192.0.2.1", 7)});
  auto idx = f.k.add_policy(p);
  REQUIRE(idx);

  auto sent = f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9", 17, 4000, 53));
  REQUIRE(sent);
  REQUIRE(sent->size() == 1);
  const AcquireEvent& ev = (*sent)[0];
  CHECK(ev.policy_index == *idx);
  CHECK(ev.tmpl.reqid == 7);
  CHECK(ev.src == A("192.0.2.2"));
  CHECK(ev.dst == A("192.0.2.1"));
  CHECK(ev.selector.src == P("10.0.0.5/32"));
  CHECK(ev.selector.dst == P("10.1.0.9/32"));
  CHECK(ev.selector.proto == 17);
  CHECK(ev.selector.dport == core::net::PortRange::single(53));
  CHECK_FALSE(ev.packet);
  CHECK(f.seen_of<AcquireEvent>().size() == 1);

  // While the acquire is held, more packets send nothing.
  REQUIRE(f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"))->empty());
  // Once the SA is installed, nothing either — for good.
  REQUIRE(f.k.add_sa(esp_sa("192.0.2.2", "192.0.2.1", 0xc001, 7)));
  f.time.advance(60s);
  REQUIRE(f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"))->empty());
  CHECK(f.seen_of<AcquireEvent>().size() == 1);

  // An SA with another reqid or other endpoints does not serve the template.
  REQUIRE(f.k.del_sa({A("192.0.2.1"), 0xc001, Proto::Esp}));
  REQUIRE(f.k.add_sa(esp_sa("192.0.2.2", "192.0.2.1", 0xc002, 8)));
  REQUIRE(f.k.add_sa(esp_sa("192.0.2.3", "192.0.2.1", 0xc003, 7)));
  CHECK(f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"))->size() == 1);
  CHECK(f.seen_of<AcquireEvent>().size() == 2);
}

TEST_CASE("FakeKernel: an acquire hold expires and the acquire repeats", "[kernel][fake]") {
  Fixture f({.larval_lifetime = 30s});
  REQUIRE(f.k.add_policy(policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out,
                                {tunnel("192.0.2.2", "192.0.2.1", 7)})));
  CHECK(f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"))->size() == 1);
  f.time.advance(29s);
  CHECK(f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"))->empty());
  f.time.advance(1s);
  CHECK(f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"))->size() == 1);
}

TEST_CASE("FakeKernel: a larval SA counts as an acquire in progress", "[kernel][fake]") {
  Fixture f;
  REQUIRE(f.k.add_policy(policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out,
                                {tunnel("192.0.2.2", "192.0.2.1", 7)})));
  REQUIRE(f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 7));
  CHECK(f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"))->empty());
}

TEST_CASE("FakeKernel: templates are walked in order; Use-level ones do not stop the walk",
          "[kernel][fake]") {
  Fixture f;
  auto comp = tunnel("192.0.2.2", "192.0.2.1", 1, Level::Use);
  comp.proto = Proto::Comp;
  auto esp = tunnel("192.0.2.2", "192.0.2.1", 2);
  auto ah = tunnel("192.0.2.2", "192.0.2.1", 3);
  ah.proto = Proto::Ah;
  REQUIRE(f.k.add_policy(policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {comp, esp, ah})));
  auto sent = f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"));
  REQUIRE(sent);
  REQUIRE(sent->size() == 2);  // the optional IPComp, then ESP, which stops the walk
  CHECK((*sent)[0].tmpl.proto == Proto::Comp);
  CHECK((*sent)[1].tmpl.proto == Proto::Esp);
}

TEST_CASE("FakeKernel: transport-mode acquires use the packet's addresses", "[kernel][fake]") {
  Fixture f({.acquire_packet = true});
  core::ipsec::Template t;
  t.mode = core::ipsec::Mode::Transport;
  t.reqid = 4;
  REQUIRE(f.k.add_policy(policy(sel("2001:db8::1/128", "2001:db8::2/128", 135), Dir::Out, {t})));
  std::vector<std::uint8_t> bu = {0x60, 0, 0, 0, 0, 0, 135, 64};
  auto sent = f.k.trigger_acquire(flow("2001:db8::1", "2001:db8::2", 135, 5, 0), bu);
  REQUIRE(sent);
  REQUIRE(sent->size() == 1);
  CHECK((*sent)[0].src == A("2001:db8::1"));
  CHECK((*sent)[0].dst == A("2001:db8::2"));
  REQUIRE((*sent)[0].packet);
  CHECK(*(*sent)[0].packet == bu);

  // Installing the transport SA stops acquires; by selector, the same check.
  REQUIRE(f.k.add_sa(esp_sa("2001:db8::1", "2001:db8::2", 0x777, 4, core::ipsec::Mode::Transport)));
  CHECK(f.k.trigger_acquire(flow("2001:db8::1", "2001:db8::2", 135, 5, 0))->empty());
  CHECK(f.k.trigger_acquire(sel("2001:db8::1/128", "2001:db8::2/128", 135))->empty());
}

TEST_CASE("FakeKernel: trigger_acquire by selector names the policy's selector", "[kernel][fake]") {
  Fixture f;
  auto s = sel("10.0.0.0/24", "10.1.0.0/24");
  REQUIRE(f.k.add_policy(policy(s, Dir::Out, {tunnel("192.0.2.2", "192.0.2.1", 7)})));
  auto sent = f.k.trigger_acquire(s, std::vector<std::uint8_t>{1, 2, 3});
  REQUIRE(sent);
  REQUIRE(sent->size() == 1);
  CHECK((*sent)[0].selector == s);
  CHECK_FALSE((*sent)[0].packet);  // acquire_packet is off
  auto none = f.k.trigger_acquire(sel("10.0.0.0/24", "10.2.0.0/24"));
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::NotFound);
}

TEST_CASE("FakeKernel: no acquire without a policy, or for bypass", "[kernel][fake]") {
  Fixture f;
  auto none = f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"));
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::NotFound);
  auto bypass = policy(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out, {});
  bypass.action = Action::Bypass;
  REQUIRE(f.k.add_policy(bypass));
  auto r = f.k.trigger_acquire(flow("10.0.0.5", "10.1.0.9"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::State);
  CHECK(f.seen.empty());
}
