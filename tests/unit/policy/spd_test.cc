#include <catch2/catch.hpp>

#include "core/clock/simulated_time.h"
#include "kernel/fake/fake_kernel.h"
#include "policy/spd.h"

using core::ipsec::Action;
using core::ipsec::Dir;
using core::ipsec::Level;
using core::ipsec::Mode;

namespace {

core::net::Address A(const char* s) { return *core::net::Address::parse(s); }
core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

policy::Entry entry(const char* name, const char* pol, const char* src, const char* dst, Dir dir,
                    Mode mode = Mode::Transport) {
  policy::Entry e;
  e.selector_name = name;
  e.policy_name = pol;
  e.remote_name = "peer";
  e.selector.src = P(src);
  e.selector.dst = P(dst);
  e.dir = dir;
  e.mode = mode;
  if (mode == Mode::Tunnel) {
    e.my_sa_addr = A("192.0.2.1");
    e.peers_sa_addr = A("192.0.2.2");
  }
  return e;
}

struct Fixture {
  core::SimulatedTime time;
  kernel::FakeKernel kernel{time, time};
  policy::Spd spd{kernel, {}};
};

}  // namespace

TEST_CASE("Spd installs directional policies with a shared reqid and a fwd twin", "[policy]") {
  Fixture f;
  std::vector<policy::Entry> es = {
      entry("t_out", "tun", "198.51.100.0/24", "203.0.113.0/24", Dir::Out, Mode::Tunnel),
      entry("t_in", "tun", "203.0.113.0/24", "198.51.100.0/24", Dir::In, Mode::Tunnel)};
  REQUIRE(f.spd.install(es, {}));
  REQUIRE(f.spd.installed_policies().size() == 3);  // out, in, fwd
  CHECK(f.kernel.policy_count() == 3);
  auto& out = f.spd.installed_policies()[0].spec;
  REQUIRE(out.templates.size() == 1);
  CHECK(out.templates[0].src == A("192.0.2.1"));
  CHECK(out.templates[0].dst == A("192.0.2.2"));
  auto& in = f.spd.installed_policies()[1].spec;
  CHECK(in.templates[0].src == A("192.0.2.2"));
  CHECK(in.templates[0].reqid == out.templates[0].reqid);
  CHECK(f.spd.installed_policies()[2].spec.dir == Dir::Fwd);
  // An acquire's policy index maps back to its configuration entry.
  const auto* e = f.spd.entry_for_index(out.index);
  REQUIRE(e);
  CHECK(e->selector_name == "t_out");
  CHECK(f.spd.entry_for_index(12345) == nullptr);
}

TEST_CASE("Spd gives each selector its own reqid at level unique", "[policy]") {
  Fixture f;
  auto a = entry("a", "p", "192.0.2.1/32", "192.0.2.2/32", Dir::Out);
  auto b = entry("b", "p", "192.0.2.2/32", "192.0.2.1/32", Dir::In);
  a.level = b.level = Level::Unique;
  REQUIRE(f.spd.install({a, b}, {}));
  auto& ps = f.spd.installed_policies();
  REQUIRE(ps.size() == 2);
  CHECK(ps[0].spec.templates[0].reqid != ps[1].spec.templates[0].reqid);
}

TEST_CASE("Spd reconciles: keeps what it had, removes what it no longer wants, leaves others alone", "[policy]") {
  Fixture f;
  // Another program's policy.
  core::ipsec::PolicySpec foreign;
  foreign.selector.src = P("203.0.113.50/32");
  foreign.selector.dst = P("203.0.113.60/32");
  foreign.action = Action::Bypass;
  REQUIRE(f.kernel.add_policy(foreign));

  auto out = entry("o", "p", "192.0.2.1/32", "192.0.2.2/32", Dir::Out);
  auto in = entry("i", "p", "192.0.2.2/32", "192.0.2.1/32", Dir::In);
  REQUIRE(f.spd.install({out, in}, {}));
  auto state = f.spd.installed();
  CHECK(f.kernel.policy_count() == 3);

  // A restarted daemon (new Spd, same kernel, persisted state): no duplicates.
  policy::Spd again(f.kernel, {});
  REQUIRE(again.install({out, in}, state));
  CHECK(f.kernel.policy_count() == 3);
  CHECK(again.entry_for_index(again.installed_policies()[0].spec.index) != nullptr);

  // The configuration loses the inbound selector: it is removed, the rest stays.
  REQUIRE(again.reload({out}));
  CHECK(f.kernel.policy_count() == 2);
  // Shutdown removes kagi's, never the foreign one.
  REQUIRE(again.remove_all());
  CHECK(f.kernel.policy_count() == 1);
  CHECK(f.kernel.find_policy({foreign.selector, Dir::Out, {}}).has_value());
}

TEST_CASE("Spd reports kernel failures with what failed and keeps the rest", "[policy]") {
  Fixture f;
  f.kernel.fail_next(kernel::fake::Op::AddPolicy,
                     core::Error{core::ErrorCode::Kernel, "add policy: Operation not permitted"});
  auto a = entry("a", "p", "192.0.2.1/32", "192.0.2.2/32", Dir::Out);
  auto b = entry("b", "p", "192.0.2.2/32", "192.0.2.1/32", Dir::In);
  auto st = f.spd.install({a, b}, {});
  REQUIRE_FALSE(st);
  CHECK(st.error().detail.find("Operation not permitted") != std::string::npos);
  CHECK(f.spd.installed_policies().size() == 1);
  CHECK(f.kernel.policy_count() == 1);
}

TEST_CASE("Road-warrior entries are not installed at start", "[policy]") {
  Fixture f;
  auto rw = entry("rw", "p", "192.0.2.1/32", "0.0.0.0/0", Dir::Out);
  rw.road_warrior = true;
  REQUIRE(f.spd.install({rw}, {}));
  CHECK(f.kernel.policy_count() == 0);
  CHECK(f.spd.entry_by_name("rw") != nullptr);
}

TEST_CASE("Reqid allocation reserves configured values and reuses released ones", "[policy]") {
  policy::ReqidAllocator r;
  REQUIRE(r.reserve(5));
  CHECK_FALSE(r.reserve(5));
  CHECK_FALSE(r.reserve(0));
  auto a = r.allocate();
  REQUIRE(a);
  CHECK(*a >= policy::ReqidAllocator::kFirst);
  auto b = r.allocate();
  CHECK(*b != *a);
  r.release(*a);
  CHECK_FALSE(r.used(*a));
}
