#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/bus/bus.h"

namespace {

struct Ping {
  int n;
};
struct Pong {
  std::string text;
};

}  // namespace

TEST_CASE("Bus delivers each event type to its own subscribers in order", "[bus]") {
  core::Bus bus;
  std::vector<std::string> log;
  auto s1 = bus.subscribe<Ping>([&](const Ping& p) { log.push_back("a" + std::to_string(p.n)); });
  auto s2 = bus.subscribe<Pong>([&](const Pong& p) { log.push_back("pong " + p.text); });
  auto s3 = bus.subscribe<Ping>([&](const Ping& p) { log.push_back("b" + std::to_string(p.n)); });
  CHECK(bus.subscribers<Ping>() == 2);
  CHECK(bus.subscribers<Pong>() == 1);
  CHECK(bus.subscribers<int>() == 0);

  bus.publish(Ping{1});
  bus.publish(Pong{"x"});
  bus.publish(42);  // nobody listens: nothing happens
  CHECK(log == std::vector<std::string>{"a1", "b1", "pong x"});
}

TEST_CASE("Bus Subscription unsubscribes on destruction, reset and move", "[bus]") {
  core::Bus bus;
  int a = 0, b = 0;
  auto sa = bus.subscribe<Ping>([&](const Ping&) { ++a; });
  {
    auto sb = bus.subscribe<Ping>([&](const Ping&) { ++b; });
    bus.publish(Ping{0});
  }
  bus.publish(Ping{0});
  CHECK(a == 2);
  CHECK(b == 1);

  core::Subscription moved = std::move(sa);
  CHECK(moved.active());
  CHECK_FALSE(sa.active());  // a moved-from Subscription is empty
  bus.publish(Ping{0});
  CHECK(a == 3);
  moved.reset();
  CHECK_FALSE(moved.active());
  bus.publish(Ping{0});
  CHECK(a == 3);
  CHECK(bus.subscribers<Ping>() == 0);
}

TEST_CASE("Bus handlers may unsubscribe others and themselves during publish", "[bus]") {
  core::Bus bus;
  std::vector<std::string> log;
  core::Subscription first, second, third;
  first = bus.subscribe<Ping>([&](const Ping&) {
    log.push_back("first");
    third.reset();  // not yet called in this publish: must not be
    first.reset();  // itself, while running
  });
  second = bus.subscribe<Ping>([&](const Ping&) { log.push_back("second"); });
  third = bus.subscribe<Ping>([&](const Ping&) { log.push_back("third"); });

  bus.publish(Ping{1});
  CHECK(log == std::vector<std::string>{"first", "second"});
  log.clear();
  bus.publish(Ping{2});
  CHECK(log == std::vector<std::string>{"second"});
}

TEST_CASE("Bus handlers subscribed during publish start with the next event", "[bus]") {
  core::Bus bus;
  std::vector<int> late_seen;
  std::optional<core::Subscription> late;
  auto s = bus.subscribe<Ping>([&](const Ping&) {
    if (!late) late = bus.subscribe<Ping>([&](const Ping& p) { late_seen.push_back(p.n); });
  });
  bus.publish(Ping{1});
  CHECK(late_seen.empty());
  bus.publish(Ping{2});
  CHECK(late_seen == std::vector<int>{2});
}

TEST_CASE("Bus handlers may publish nested events", "[bus]") {
  core::Bus bus;
  std::vector<std::string> log;
  auto s1 = bus.subscribe<Ping>([&](const Ping& p) {
    log.push_back("ping");
    bus.publish(Pong{std::to_string(p.n)});
  });
  auto s2 = bus.subscribe<Pong>([&](const Pong& p) { log.push_back("pong " + p.text); });
  bus.publish(Ping{7});
  CHECK(log == std::vector<std::string>{"ping", "pong 7"});
}

TEST_CASE("Bus Subscription may outlive its Bus", "[bus]") {
  core::Subscription s;
  {
    core::Bus bus;
    s = bus.subscribe<Ping>([](const Ping&) {});
    CHECK(s.active());
  }
  CHECK_FALSE(s.active());
  s.reset();  // no bus left: does nothing, does not crash
}
