// core/loop/loop.h — Loop, kagid's single event loop: epoll + timerfd +
// signalfd + eventfd.
//
// Everything in kagid runs on the loop thread: socket readiness, timers,
// signals, and work posted from other threads (the worker pool). Nothing
// blocks; a step that waits for the outside world leaves an fd or a timer
// with the loop.
//   auto loop = core::Loop::create().value();
//   loop->add_fd(sock.get(), EPOLLIN, [&](std::uint32_t ev) { ... });
//   loop->on_signal(SIGTERM, [&] { loop->stop(); });
//   loop->run();
// Only post() and stop() may be called from other threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include <signal.h>

#include "core/clock/clock.h"
#include "core/loop/unique_fd.h"
#include "core/result.h"

namespace core {

class LoopTimers;

class Loop {
 public:
  // FdCallback receives the epoll event bits (EPOLLIN, EPOLLOUT, EPOLLERR...).
  using FdCallback = std::function<void(std::uint32_t events)>;

  // create opens the epoll, eventfd and timerfd descriptors. Fails with
  // ErrorCode::System ("epoll_create1: <strerror>") when one cannot be opened.
  static Result<std::unique_ptr<Loop>> create();
  // ~Loop closes the loop's own descriptors (not those given to add_fd),
  // drops posted work that never ran, and unblocks signals it blocked.
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // add_fd watches fd for `events` (level-triggered epoll bits) and calls
  // cb on readiness. The caller keeps owning fd and must remove_fd before
  // closing it. Fails with ErrorCode::Exists when fd is already watched,
  // ErrorCode::System ("epoll_ctl: <strerror>") when the kernel refuses.
  Status add_fd(int fd, std::uint32_t events, FdCallback cb);
  // modify_fd changes the events watched on fd (NotFound if not watched).
  Status modify_fd(int fd, std::uint32_t events);
  // remove_fd stops watching fd. Safe inside any callback, also for the fd
  // being dispatched: its callback is kept alive until it returns, and events
  // already collected for a removed fd are dropped.
  Status remove_fd(int fd);

  // on_signal blocks signo for this thread (and threads created after) and
  // delivers it through a signalfd as fn() on the loop. One handler per
  // signal; a second call replaces it. Call it before starting threads, so
  // no other thread takes the signal. Fails with ErrorCode::System.
  Status on_signal(int signo, std::function<void()> fn);

  // post queues fn to run on the loop thread, in posting order. Thread-safe;
  // wakes a loop blocked in epoll_wait.
  void post(std::function<void()> fn);

  // run dispatches events until stop(). A stop() that comes before run()
  // (say, from another thread) makes it return at once. Fails only when
  // epoll_wait fails.
  Status run();
  // run_once waits up to timeout (nullopt: forever, rounded up to whole
  // milliseconds) and dispatches what is ready; returns the number of epoll
  // events handled, 0 on timeout or EINTR.
  Result<std::size_t> run_once(std::optional<Duration> timeout);
  // stop makes run() return after the current turn. Thread-safe.
  void stop();

  // timers are the loop's real Timers (timerfd-driven); valid while the loop is.
  Timers& timers();
  // clock is the system clock the timers run on.
  const Clock& clock() const { return clock_; }

 private:
  struct Watch {
    std::uint32_t generation;  // tells a re-added fd from its removed namesake
    FdCallback cb;
  };

  Loop() = default;
  Status init();
  void wake();
  void run_posted();
  void drain_signals(bool dispatch);

  SystemClock clock_;
  UniqueFd epoll_;
  UniqueFd wake_fd_;    // eventfd: post() and stop() from other threads
  UniqueFd signal_fd_;  // created by the first on_signal()
  std::unique_ptr<LoopTimers> timers_;
  std::unordered_map<int, std::shared_ptr<Watch>> watches_;
  std::uint32_t next_generation_ = 1;

  sigset_t signals_{};         // signals routed through signal_fd_
  sigset_t blocked_by_us_{};   // of those, the ones this loop had to block
  std::unordered_map<int, std::function<void()>> signal_handlers_;

  std::mutex posted_mu_;
  std::vector<std::function<void()>> posted_;
  std::atomic<bool> stop_{false};
};

}  // namespace core
