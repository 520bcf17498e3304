#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

#include "core/clock/simulated_time.h"
#include "fake_clock.h"

using namespace std::chrono_literals;
using core::Duration;
using core::MonoTime;
using core::SimulatedTime;
using core::TimerId;

TEST_CASE("SimulatedTime fires timers in deadline order, ties in scheduling order", "[clock]") {
  SimulatedTime t;
  std::vector<int> order;
  t.schedule(30ms, [&] { order.push_back(3); });
  t.schedule(10ms, [&] { order.push_back(1); });
  t.schedule(20ms, [&] { order.push_back(20); });
  t.schedule(20ms, [&] { order.push_back(21); });
  t.schedule(20ms, [&] { order.push_back(22); });
  t.schedule(0ms, [&] { order.push_back(0); });
  CHECK(t.pending() == 6);

  CHECK(t.advance(15ms) == 2);
  CHECK(order == std::vector<int>{0, 1});
  CHECK(t.elapsed() == 15ms);
  CHECK(t.advance(15ms) == 4);
  CHECK(order == std::vector<int>{0, 1, 20, 21, 22, 3});
  CHECK(t.pending() == 0);
  CHECK(t.advance(1h) == 0);
}

TEST_CASE("SimulatedTime reads each timer's deadline while it runs", "[clock]") {
  SimulatedTime t;
  const MonoTime start = t.now();
  std::vector<Duration> seen;
  t.schedule(7ms, [&] { seen.push_back(t.now() - start); });
  t.schedule(2ms, [&] { seen.push_back(t.now() - start); });
  t.advance(10ms);
  CHECK(seen == std::vector<Duration>{2ms, 7ms});
  CHECK(t.now() - start == 10ms);
  // Wall time moves with monotonic time.
  CHECK(t.wall_now() - SimulatedTime::kDefaultWallStart == 10ms);
}

TEST_CASE("SimulatedTime never runs time backwards", "[clock]") {
  SimulatedTime t;
  t.advance(1s);
  const MonoTime now = t.now();
  MonoTime seen_past{}, seen_negative{};
  t.schedule_at(now - 500ms, [&] { seen_past = t.now(); });
  t.schedule(-5s, [&] { seen_negative = t.now(); });
  CHECK(t.run_due() == 2);
  CHECK(seen_past == now);
  CHECK(seen_negative == now);
  t.advance_to(now - 1s);
  CHECK(t.now() == now);
  t.advance(-1s);
  CHECK(t.now() == now);
}

TEST_CASE("SimulatedTime cancel is safe on pending, fired, cancelled and unknown ids", "[clock]") {
  SimulatedTime t;
  int fired = 0;
  const TimerId a = t.schedule(1s, [&] { ++fired; });
  const TimerId b = t.schedule(2s, [&] { fired += 10; });
  CHECK(a.valid());
  CHECK(a != b);
  CHECK(t.cancel(b));
  CHECK_FALSE(t.cancel(b));              // already cancelled
  CHECK_FALSE(t.cancel(TimerId{}));      // names no timer
  CHECK_FALSE(t.cancel(TimerId{9999}));  // never issued
  t.advance(5s);
  CHECK(fired == 1);
  CHECK_FALSE(t.cancel(a));  // already fired
  CHECK(t.pending() == 0);
}

TEST_CASE("SimulatedTime runs timers scheduled by callbacks inside the window", "[clock]") {
  SimulatedTime t;
  const MonoTime start = t.now();
  std::vector<std::pair<int, Duration>> log;
  auto note = [&](int tag) { log.emplace_back(tag, t.now() - start); };
  t.schedule(10ms, [&] {
    note(1);
    t.schedule(5ms, [&] { note(3); });    // due at 15ms: inside the window
    t.schedule(0ms, [&] { note(2); });    // due at 10ms, after its parent
    t.schedule(100ms, [&] { note(9); });  // due at 110ms: outside
  });
  t.schedule(12ms, [&] { note(4); });  // at 12ms, before the child due at 15ms
  CHECK(t.advance(50ms) == 4);
  REQUIRE(log.size() == 4);
  CHECK(log[0] == std::pair<int, Duration>{1, 10ms});
  CHECK(log[1] == std::pair<int, Duration>{2, 10ms});
  CHECK(log[2] == std::pair<int, Duration>{4, 12ms});
  CHECK(log[3] == std::pair<int, Duration>{3, 15ms});
  CHECK(t.pending() == 1);
  CHECK(t.advance_to_next() == 1);
  CHECK(t.now() - start == 110ms);
  CHECK(t.advance_to_next() == 0);
  CHECK(t.now() - start == 110ms);
}

TEST_CASE("SimulatedTime callbacks may cancel later timers and their own id", "[clock]") {
  SimulatedTime t;
  int later = 0;
  TimerId self{}, victim{};
  bool self_cancel_result = true;
  self = t.schedule(1s, [&] {
    CHECK(t.cancel(victim));
    self_cancel_result = t.cancel(self);  // firing: no longer pending
  });
  victim = t.schedule(1s, [&] { ++later; });
  t.advance(2s);
  CHECK(later == 0);
  CHECK_FALSE(self_cancel_result);
}

TEST_CASE("ScopedTimer cancels on destruction and re-arm", "[clock]") {
  testing::FakeClock t;
  int a = 0, b = 0;
  {
    core::ScopedTimer timer(t);
    timer.arm(1s, [&] { ++a; });
    CHECK(timer.armed());
    timer.arm(2s, [&] { ++b; });  // replaces the first
    CHECK(t.pending() == 1);
    t.advance(3s);
    CHECK(a == 0);
    CHECK(b == 1);
    CHECK_FALSE(timer.armed());
    timer.arm(1s, [&] { ++a; });
  }
  CHECK(t.pending() == 0);
  t.advance(5s);
  CHECK(a == 0);
}

TEST_CASE("SimulatedTime handles 100k timers with cancellation", "[clock]") {
  SimulatedTime t;
  constexpr int kTimers = 100000;
  std::uint64_t rng = 0x9e3779b97f4a7c15u;  // xorshift64, fixed seed
  auto next = [&] {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  };
  const MonoTime start = t.now();
  std::vector<TimerId> ids;
  ids.reserve(kTimers);
  std::vector<char> fired(kTimers, 0);
  MonoTime last{};
  bool in_order = true;
  for (int i = 0; i < kTimers; ++i) {
    const auto after = std::chrono::milliseconds(next() % 3600000);
    ids.push_back(t.schedule(after, [&, i, after] {
      fired[i] = 1;
      in_order = in_order && t.now() >= last && t.now() - start == after;
      last = t.now();
    }));
  }
  // Cancel every odd timer, then churn: reschedule-and-cancel like a
  // retransmission timer that is re-armed on every reply.
  int refused = 0;
  for (int i = 1; i < kTimers; i += 2) refused += !t.cancel(ids[i]);
  for (int i = 0; i < kTimers; ++i) refused += !t.cancel(t.schedule(1s, [&] { in_order = false; }));
  CHECK(refused == 0);
  CHECK(t.pending() == kTimers / 2);

  CHECK(t.advance(1h) == kTimers / 2);
  CHECK(in_order);
  int wrong = 0;
  for (int i = 0; i < kTimers; ++i) wrong += (fired[i] != (i % 2 == 0));
  CHECK(wrong == 0);
  CHECK(t.pending() == 0);
}
