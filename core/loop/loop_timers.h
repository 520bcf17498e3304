// core/loop/loop_timers.h — the real Timers: a TimerQueue driven by a timerfd.
//
// The timerfd is armed (absolute, CLOCK_MONOTONIC) for the earliest pending
// deadline. Loop owns one LoopTimers and calls on_readable() when the timerfd
// fires; the daemon reaches it through Loop::timers().
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "core/clock/clock.h"
#include "core/clock/timer_queue.h"
#include "core/loop/unique_fd.h"
#include "core/result.h"

namespace core {

class LoopTimers final : public Timers {
 public:
  // create opens a non-blocking timerfd on CLOCK_MONOTONIC; clock must be a
  // SystemClock (or another clock on CLOCK_MONOTONIC) that outlives this.
  // Fails with ErrorCode::System when timerfd_create fails.
  static Result<std::unique_ptr<LoopTimers>> create(const Clock& clock);

  TimerId schedule(Duration after, std::function<void()> fn) override;
  TimerId schedule_at(MonoTime when, std::function<void()> fn) override;
  bool cancel(TimerId id) override;

  // fd is the timerfd the loop polls for EPOLLIN.
  int fd() const { return fd_.get(); }
  // on_readable fires every timer due now, then re-arms the timerfd. Timers
  // that callbacks schedule for "now" run on the next loop turn, so a timer
  // that keeps re-scheduling itself cannot starve file descriptors.
  void on_readable();
  // pending counts timers not yet fired or cancelled.
  std::size_t pending() const { return queue_.size(); }

 private:
  LoopTimers(const Clock& clock, UniqueFd fd) : clock_(clock), fd_(std::move(fd)) {}
  // arm sets the timerfd to `when`, or disarms it for nullopt.
  void arm(std::optional<MonoTime> when);

  const Clock& clock_;
  UniqueFd fd_;
  TimerQueue queue_;
  std::optional<MonoTime> armed_;  // what the timerfd is set to
};

}  // namespace core
