#include "core/clock/simulated_time.h"

#include <algorithm>
#include <utility>

namespace core {

WallTime SimulatedTime::wall_now() const {
  return wall_start_ + std::chrono::duration_cast<WallTime::duration>(now_ - start_);
}

TimerId SimulatedTime::schedule(Duration after, std::function<void()> fn) {
  return queue_.add(now_ + std::max(after, Duration::zero()), std::move(fn));
}

TimerId SimulatedTime::schedule_at(MonoTime when, std::function<void()> fn) {
  // A deadline in the past is due now; keeping it earlier than now_ would let
  // now() run backwards while its callback runs.
  return queue_.add(std::max(when, now_), std::move(fn));
}

bool SimulatedTime::cancel(TimerId id) { return queue_.cancel(id); }

std::size_t SimulatedTime::advance(Duration d) {
  return advance_to(now_ + std::max(d, Duration::zero()));
}

std::size_t SimulatedTime::advance_to(MonoTime when) {
  const MonoTime target = std::max(when, now_);
  std::size_t fired = 0;
  // One timer at a time: a callback may schedule or cancel others, and the
  // next pop must see that.
  while (auto due = queue_.pop_due(target)) {
    now_ = std::max(now_, due->deadline);
    due->fn();
    ++fired;
  }
  now_ = target;
  return fired;
}

std::size_t SimulatedTime::advance_to_next() {
  auto next = queue_.next_deadline();
  if (!next) return 0;
  return advance_to(*next);
}

}  // namespace core
