#include "core/loop/loop_timers.h"

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/log/log.h"

namespace core {
namespace {

// to_itimerspec turns an absolute monotonic deadline into a one-shot timerfd
// setting; nullopt disarms.
itimerspec to_itimerspec(std::optional<MonoTime> when) {
  itimerspec spec{};
  if (!when) return spec;
  const auto ns = std::max<std::int64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(when->time_since_epoch()).count(), 0);
  spec.it_value.tv_sec = static_cast<time_t>(ns / 1000000000);
  spec.it_value.tv_nsec = static_cast<long>(ns % 1000000000);
  // An all-zero it_value would disarm the timer instead of firing it.
  if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  return spec;
}

}  // namespace

Result<std::unique_ptr<LoopTimers>> LoopTimers::create(const Clock& clock) {
  UniqueFd fd(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!fd) return fail(ErrorCode::System, "timerfd_create: {}", std::strerror(errno));
  return std::unique_ptr<LoopTimers>(new LoopTimers(clock, std::move(fd)));
}

TimerId LoopTimers::schedule(Duration after, std::function<void()> fn) {
  return schedule_at(clock_.now() + std::max(after, Duration::zero()), std::move(fn));
}

TimerId LoopTimers::schedule_at(MonoTime when, std::function<void()> fn) {
  const TimerId id = queue_.add(when, std::move(fn));
  if (!armed_ || when < *armed_) arm(when);
  return id;
}

bool LoopTimers::cancel(TimerId id) {
  // The timerfd stays armed: if this was the earliest timer the wakeup finds
  // nothing due and re-arms for the next one. That costs one spurious wakeup
  // instead of a syscall on every cancel.
  return queue_.cancel(id);
}

void LoopTimers::on_readable() {
  std::uint64_t expirations = 0;
  // EAGAIN means a spurious wakeup; timers are judged by the clock anyway.
  if (::read(fd_.get(), &expirations, sizeof expirations) < 0 && errno != EAGAIN)
    KLOG(Dmn, Warn, "timerfd read: {}", std::strerror(errno));
  armed_.reset();  // the timerfd has fired or was never set for these
  const MonoTime now = clock_.now();
  while (auto due = queue_.pop_due(now)) due->fn();
  arm(queue_.next_deadline());
}

void LoopTimers::arm(std::optional<MonoTime> when) {
  if (when == armed_) return;
  const itimerspec spec = to_itimerspec(when);
  if (::timerfd_settime(fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) < 0) {
    // Only EINVAL/EBADF are possible here, both broken invariants; keep the
    // old state so the next schedule tries again.
    KLOG(Dmn, Error, "timerfd_settime: {}", std::strerror(errno));
    return;
  }
  armed_ = when;
}

}  // namespace core
