#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/log/log.h"
#include "core/result.h"

using namespace core;

static Result<int> half(int v) {
  if (v % 2) return fail(ErrorCode::InvalidSyntax, "odd value {} at offset {}", v, 3);
  return v / 2;
}

TEST_CASE("Result carries values and errors with details", "[result]") {
  auto a = half(4);
  REQUIRE(a);
  CHECK(*a == 2);
  auto b = half(5);
  REQUIRE_FALSE(b);
  CHECK(b.error().code == ErrorCode::InvalidSyntax);
  CHECK(b.error().to_string() == "invalid-syntax: odd value 5 at offset 3");
  Status s = ok();
  CHECK(s);
}

TEST_CASE("Logging filters by level and subsystem", "[log]") {
  std::vector<std::string> lines;
  log::set_sink([&](log::Subsys s, log::Level, std::string_view m) {
    lines.push_back(std::string(log::subsys_name(s)) + ":" + std::string(m));
  });
  log::set_level(log::Level::Info);
  KLOG(Ike, Info, "IKE_SA {} up", 1);
  KLOG(Ike, Debug, "hidden");
  log::set_subsys_level(log::Subsys::Knl, log::Level::Debug);
  KLOG(Knl, Debug, "netlink {}", "seen");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "ike:IKE_SA 1 up");
  CHECK(lines[1] == "knl:netlink seen");
  CHECK(log::parse_level("diag") == log::Level::Diag);
  CHECK_FALSE(log::parse_level("loud"));
  log::set_subsys_level(log::Subsys::Knl, log::Level::Info);
  log::to_stderr();
}
