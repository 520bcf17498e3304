// Road-warrior policies generated per CHILD_SA (policy::Spd::add_generated):
// installed with the negotiated selector, the peer's SA address and the
// CHILD_SA's reqid; kept across a reload; removed with the CHILD_SA and at
// shutdown.
#include <catch2/catch.hpp>

#include "core/clock/simulated_time.h"
#include "kernel/fake/fake_kernel.h"
#include "policy/spd.h"

using core::ipsec::Dir;
using core::ipsec::Mode;

namespace {

core::net::Address A(const char* s) { return *core::net::Address::parse(s); }
core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

// rw_template: selector 10.8.0.0/16 <-> IP_RW of policy "rw", tunnel mode.
std::vector<policy::Entry> rw_template() {
  policy::Entry out;
  out.selector_name = "rw_out";
  out.policy_name = "rw";
  out.remote_name = "clients";
  out.selector.src = P("10.8.0.0/16");
  out.dir = Dir::Out;
  out.mode = Mode::Tunnel;
  out.road_warrior = true;
  policy::Entry in = out;
  in.selector_name = "rw_in";
  in.selector.dst = P("10.8.0.0/16");
  in.selector.src = {};
  in.dir = Dir::In;
  return {out, in};
}

struct Fixture {
  core::SimulatedTime time;
  kernel::FakeKernel kernel{time, time};
  policy::Spd spd{kernel, {}};
};

core::net::Selector sel(const char* src, const char* dst) {
  core::net::Selector s;
  s.src = P(src);
  s.dst = P(dst);
  return s;
}

}  // namespace

TEST_CASE("Spd: a road-warrior template installs nothing until a peer is up", "[policy]") {
  Fixture f;
  REQUIRE(f.spd.install(rw_template(), {}));
  CHECK(f.kernel.policy_count() == 0);
}

TEST_CASE("Spd: generated policies carry the negotiated selector, peer address and reqid", "[policy]") {
  Fixture f;
  REQUIRE(f.spd.install(rw_template(), {}));
  auto h = f.spd.add_generated("rw", sel("10.8.0.0/16", "10.8.1.7/32"), A("192.0.2.1"), A("203.0.113.9"), 0x2001);
  REQUIRE(h);
  CHECK(f.kernel.policy_count() == 3);  // out, in and the fwd twin
  auto out = f.kernel.find_policy({sel("10.8.0.0/16", "10.8.1.7/32"), Dir::Out, {}});
  REQUIRE(out);
  REQUIRE(out->templates.size() == 1);
  CHECK(out->templates[0].reqid == 0x2001);
  CHECK(out->templates[0].src == A("192.0.2.1"));
  CHECK(out->templates[0].dst == A("203.0.113.9"));
  auto in = f.kernel.find_policy({sel("10.8.1.7/32", "10.8.0.0/16"), Dir::In, {}});
  REQUIRE(in);
  CHECK(in->templates[0].src == A("203.0.113.9"));
  CHECK(f.spd.installed().size() == 3);  // persisted with the configured ones

  // A second peer gets its own set; removing one leaves the other.
  auto h2 = f.spd.add_generated("rw", sel("10.8.0.0/16", "10.8.1.8/32"), A("192.0.2.1"), A("203.0.113.10"), 0x2002);
  REQUIRE(h2);
  CHECK(f.kernel.policy_count() == 6);
  REQUIRE(f.spd.remove_generated(*h));
  CHECK(f.kernel.policy_count() == 3);
  CHECK_FALSE(f.kernel.find_policy({sel("10.8.0.0/16", "10.8.1.7/32"), Dir::Out, {}}));
  CHECK_FALSE(f.spd.remove_generated(*h));  // gone: NotFound
}

TEST_CASE("Spd: generated policies survive a reload and go at shutdown", "[policy]") {
  Fixture f;
  REQUIRE(f.spd.install(rw_template(), {}));
  REQUIRE(f.spd.add_generated("rw", sel("10.8.0.0/16", "10.8.1.7/32"), A("192.0.2.1"), A("203.0.113.9"), 0x2001));
  REQUIRE(f.spd.reload(rw_template()));
  CHECK(f.kernel.policy_count() == 3);
  REQUIRE(f.spd.remove_all());
  CHECK(f.kernel.policy_count() == 0);
  CHECK(f.spd.generated_count() == 0);
}

TEST_CASE("Spd: a policy without road-warrior selectors generates nothing", "[policy]") {
  Fixture f;
  REQUIRE(f.spd.install(rw_template(), {}));
  auto h = f.spd.add_generated("other", sel("10.8.0.0/16", "10.8.1.7/32"), A("192.0.2.1"), A("203.0.113.9"), 1);
  REQUIRE_FALSE(h);
  CHECK(h.error().code == core::ErrorCode::NotFound);
  CHECK(f.kernel.policy_count() == 0);
}
