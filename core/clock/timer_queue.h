// core/clock/timer_queue.h — the pending-timer set shared by the loop's real
// timers and SimulatedTime.
//
// A binary min-heap of (deadline, id) pairs plus a hash map id -> callback.
// The id grows monotonically, so ordering by (deadline, id) fires equal
// deadlines in scheduling order. Cancel erases from the map only (O(1)); the
// heap entry turns stale and is skipped when it reaches the top. When stale
// entries outnumber live ones the heap is rebuilt, so memory stays bounded
// by about twice the live timers even under schedule/cancel churn (the
// pattern of retransmission and DPD timers across tens of thousands of SAs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/clock/clock.h"

namespace core {

class TimerQueue {
 public:
  // Due is a timer taken out of the queue to be run.
  struct Due {
    TimerId id;
    MonoTime deadline;
    std::function<void()> fn;
  };

  // add stores fn to run at deadline and returns its fresh id.
  TimerId add(MonoTime deadline, std::function<void()> fn);
  // cancel removes a pending timer; false when id is not pending.
  bool cancel(TimerId id);
  // next_deadline returns the earliest pending deadline, if any.
  std::optional<MonoTime> next_deadline();
  // pop_due removes and returns the earliest timer whose deadline <= now.
  std::optional<Due> pop_due(MonoTime now);
  // size counts pending (not cancelled, not fired) timers.
  std::size_t size() const { return live_.size(); }
  bool empty() const { return live_.empty(); }

 private:
  struct Entry {
    MonoTime deadline;
    std::uint64_t id;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.deadline != b.deadline ? a.deadline > b.deadline : a.id > b.id;
    }
  };

  // drop_stale pops cancelled entries off the top of the heap.
  void drop_stale();
  // compact rebuilds the heap from live timers once stale entries dominate.
  void compact();

  std::vector<Entry> heap_;
  std::unordered_map<std::uint64_t, std::function<void()>> live_;  // id -> callback
  std::uint64_t next_id_ = 1;
};

}  // namespace core
