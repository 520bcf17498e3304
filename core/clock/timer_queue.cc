#include "core/clock/timer_queue.h"

#include <algorithm>
#include <utility>

namespace core {
namespace {

// kCompactSlack keeps small queues from being rebuilt on every cancel.
constexpr std::size_t kCompactSlack = 1024;

}  // namespace

TimerId TimerQueue::add(MonoTime deadline, std::function<void()> fn) {
  const std::uint64_t id = next_id_++;
  live_.emplace(id, std::move(fn));
  heap_.push_back(Entry{deadline, id});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  return TimerId{id};
}

bool TimerQueue::cancel(TimerId id) {
  if (live_.erase(id.value) == 0) return false;
  if (heap_.size() > 2 * live_.size() + kCompactSlack) compact();
  return true;
}

std::optional<MonoTime> TimerQueue::next_deadline() {
  drop_stale();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().deadline;
}

std::optional<TimerQueue::Due> TimerQueue::pop_due(MonoTime now) {
  drop_stale();
  if (heap_.empty() || heap_.front().deadline > now) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  const Entry top = heap_.back();
  heap_.pop_back();
  auto it = live_.find(top.id);
  // drop_stale left a live entry on top, so the lookup cannot miss.
  Due due{TimerId{top.id}, top.deadline, std::move(it->second)};
  live_.erase(it);
  return due;
}

void TimerQueue::drop_stale() {
  while (!heap_.empty() && !live_.contains(heap_.front().id)) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
  }
}

void TimerQueue::compact() {
  std::erase_if(heap_, [this](const Entry& e) { return !live_.contains(e.id); });
  std::make_heap(heap_.begin(), heap_.end(), Later{});
}

}  // namespace core
