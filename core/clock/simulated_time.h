// core/clock/simulated_time.h — a Clock and Timers that move only when told.
//
// Tests (and the benchmark) hand one SimulatedTime to every engine as both
// its Clock and its Timers, then drive time explicitly:
//   core::SimulatedTime time;
//   ikev2::Engine a(time, time, ...);
//   time.advance(std::chrono::seconds(30));   // retransmissions fire here
// advance fires due timers in deadline order (equal deadlines in scheduling
// order); while a callback runs, now() reads that timer's deadline, and
// timers it schedules inside the advanced window fire in the same call.
// Single-threaded, like the loop it stands in for.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "core/clock/clock.h"
#include "core/clock/timer_queue.h"

namespace core {

class SimulatedTime final : public Clock, public Timers {
 public:
  // kDefaultStart is where monotonic time starts: an hour past the clock's
  // epoch, so code that subtracts intervals from now() stays positive.
  static constexpr MonoTime kDefaultStart = MonoTime{std::chrono::hours(1)};
  // kDefaultWallStart is 2024-01-01T00:00:00Z.
  static constexpr WallTime kDefaultWallStart = WallTime{std::chrono::seconds(1704067200)};

  explicit SimulatedTime(MonoTime start = kDefaultStart, WallTime wall_start = kDefaultWallStart)
      : now_(start), start_(start), wall_start_(wall_start) {}

  MonoTime now() const override { return now_; }
  // wall_now moves in step with now(): wall_start + (now - start).
  WallTime wall_now() const override;

  TimerId schedule(Duration after, std::function<void()> fn) override;
  TimerId schedule_at(MonoTime when, std::function<void()> fn) override;
  bool cancel(TimerId id) override;

  // advance moves time forward by d (a negative d counts as 0), firing every
  // timer due on the way, and returns how many fired.
  std::size_t advance(Duration d);
  // advance_to moves time to `when` (never backwards) and fires due timers.
  std::size_t advance_to(MonoTime when);
  // run_due fires timers already due at now() (e.g. scheduled with 0).
  std::size_t run_due() { return advance_to(now_); }
  // advance_to_next jumps to the earliest pending deadline and fires what is
  // due there; returns 0 and leaves time alone when nothing is pending.
  std::size_t advance_to_next();

  // pending counts scheduled timers that have neither fired nor been cancelled.
  std::size_t pending() const { return queue_.size(); }
  // next_deadline is the earliest pending deadline, if any.
  std::optional<MonoTime> next_deadline() { return queue_.next_deadline(); }
  // elapsed is the simulated time since construction.
  Duration elapsed() const { return now_ - start_; }

 private:
  TimerQueue queue_;
  MonoTime now_;
  MonoTime start_;
  WallTime wall_start_;
};

}  // namespace core
