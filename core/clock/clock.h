// core/clock/clock.h — time behind an interface: Clock, Timers, TimerId.
//
// Engines never read the system clock or arm an OS timer themselves: they
// receive a Clock and a Timers through their constructors. The daemon passes
// SystemClock and the event loop's timers (core/loop/loop.h); tests pass
// SimulatedTime (core/clock/simulated_time.h), which moves only when told to.
// This is Envoy's TimeSystem idea: the same code runs on real and simulated
// time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace core {

// Duration is the unit every timer and timeout in kagi is expressed in.
using Duration = std::chrono::nanoseconds;
// MonoTime is a point on the monotonic clock (CLOCK_MONOTONIC in SystemClock);
// only differences between MonoTimes mean anything.
using MonoTime = std::chrono::steady_clock::time_point;
// WallTime is calendar time (CLOCK_REALTIME), for logs, certificates and
// KINK/Kerberos timestamps. It may jump; never schedule against it.
using WallTime = std::chrono::system_clock::time_point;

// Clock reads monotonic and wall-clock time. Implementations are cheap to
// call and never fail.
class Clock {
 public:
  virtual ~Clock() = default;
  // now returns the current monotonic time.
  virtual MonoTime now() const = 0;
  // wall_now returns the current calendar time.
  virtual WallTime wall_now() const = 0;
};

// SystemClock reads the kernel's CLOCK_MONOTONIC and CLOCK_REALTIME.
class SystemClock final : public Clock {
 public:
  MonoTime now() const override { return std::chrono::steady_clock::now(); }
  WallTime wall_now() const override { return std::chrono::system_clock::now(); }
};

// TimerId names a scheduled timer. Ids are never reused by one Timers
// object; the default value (0) names no timer, so cancelling it is a no-op.
struct TimerId {
  std::uint64_t value = 0;

  constexpr bool valid() const { return value != 0; }
  friend constexpr bool operator==(TimerId, TimerId) = default;
};

// Timers runs callbacks at or after a deadline, on the thread that drives it
// (the loop thread, or the test calling SimulatedTime::advance). Timers with
// equal deadlines fire in the order they were scheduled. Callbacks may
// schedule and cancel timers, including their own id. Not thread-safe: use
// Loop::post to get onto the loop thread first.
class Timers {
 public:
  virtual ~Timers() = default;
  // schedule runs fn once, `after` from now (a negative `after` counts as 0).
  virtual TimerId schedule(Duration after, std::function<void()> fn) = 0;
  // schedule_at runs fn once at `when` (a past `when` fires as soon as possible).
  virtual TimerId schedule_at(MonoTime when, std::function<void()> fn) = 0;
  // cancel removes a pending timer and returns true; for an id that already
  // fired, was cancelled, or was never issued it does nothing and returns false.
  virtual bool cancel(TimerId id) = 0;
};

// ScopedTimer owns at most one pending timer and cancels it when destroyed
// or re-armed, so an SA that dies cannot be called back by its old timers.
// It holds a reference to its Timers, which must outlive it.
class ScopedTimer {
 public:
  explicit ScopedTimer(Timers& timers) : timers_(&timers) {}
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;
  ~ScopedTimer() { cancel(); }

  // arm cancels any pending timer and schedules fn `after` from now.
  void arm(Duration after, std::function<void()> fn) {
    cancel();
    id_ = timers_->schedule(after, [this, fn = std::move(fn)] {
      id_ = TimerId{};  // fired: nothing left to cancel
      fn();
    });
  }
  // cancel drops the pending timer, if any.
  void cancel() {
    if (id_.valid()) timers_->cancel(id_);
    id_ = TimerId{};
  }
  // armed says whether a timer is pending.
  bool armed() const { return id_.valid(); }

 private:
  Timers* timers_;
  TimerId id_;
};

}  // namespace core
