#include "core/loop/loop.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/log/log.h"
#include "core/loop/loop_timers.h"

namespace core {
namespace {

// kMaxEvents bounds one epoll_wait batch; more ready fds wait one turn.
constexpr int kMaxEvents = 64;

// The epoll data word carries the fd (low half) and the watch generation
// (high half), so events queued for a removed fd never reach a new watcher
// that got the same fd number within the same batch.
std::uint64_t pack(int fd, std::uint32_t generation) {
  return (std::uint64_t{generation} << 32) | static_cast<std::uint32_t>(fd);
}
int unpack_fd(std::uint64_t v) { return static_cast<int>(v & 0xffffffffu); }
std::uint32_t unpack_generation(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }

tl::unexpected<Error> sys_error(const char* call) {
  return fail(ErrorCode::System, "{}: {}", call, std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<Loop>> Loop::create() {
  std::unique_ptr<Loop> loop(new Loop());
  if (auto st = loop->init(); !st) return fail(st.error());
  return loop;
}

Status Loop::init() {
  sigemptyset(&signals_);
  sigemptyset(&blocked_by_us_);
  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) return sys_error("epoll_create1");
  wake_fd_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wake_fd_) return sys_error("eventfd");
  auto timers = LoopTimers::create(clock_);
  if (!timers) return fail(timers.error());
  timers_ = std::move(*timers);

  auto st = add_fd(wake_fd_.get(), EPOLLIN, [this](std::uint32_t) {
    std::uint64_t n = 0;
    // EAGAIN: another turn already drained the counter; nothing to do.
    (void)!::read(wake_fd_.get(), &n, sizeof n);
    run_posted();
  });
  if (!st) return st;
  return add_fd(timers_->fd(), EPOLLIN, [this](std::uint32_t) { timers_->on_readable(); });
}

Loop::~Loop() {
  if (signal_fd_) {
    // Swallow signals still pending so unblocking cannot deliver them with
    // their default action (which for SIGTERM would kill the process).
    drain_signals(false);
    pthread_sigmask(SIG_UNBLOCK, &blocked_by_us_, nullptr);
  }
}

Status Loop::add_fd(int fd, std::uint32_t events, FdCallback cb) {
  if (watches_.contains(fd)) return fail(ErrorCode::Exists, "add_fd: fd {} already watched", fd);
  auto watch = std::make_shared<Watch>(Watch{next_generation_++, std::move(cb)});
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = pack(fd, watch->generation);
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) return sys_error("epoll_ctl");
  watches_.emplace(fd, std::move(watch));
  return ok();
}

Status Loop::modify_fd(int fd, std::uint32_t events) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return fail(ErrorCode::NotFound, "modify_fd: fd {} not watched", fd);
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = pack(fd, it->second->generation);
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) < 0) return sys_error("epoll_ctl");
  return ok();
}

Status Loop::remove_fd(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return fail(ErrorCode::NotFound, "remove_fd: fd {} not watched", fd);
  watches_.erase(it);
  // Forget the watch even if the kernel refuses (e.g. the fd was closed
  // first, which already removed it from the epoll set), then report.
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr) < 0) return sys_error("epoll_ctl");
  return ok();
}

Status Loop::on_signal(int signo, std::function<void()> fn) {
  sigset_t one;
  sigemptyset(&one);
  if (sigaddset(&one, signo) < 0) return sys_error("sigaddset");
  if (!sigismember(&signals_, signo)) {
    sigset_t old;
    if (int e = pthread_sigmask(SIG_BLOCK, &one, &old); e != 0)
      return fail(ErrorCode::System, "pthread_sigmask: {}", std::strerror(e));
    sigset_t wanted = signals_;
    sigaddset(&wanted, signo);
    // signalfd(-1, ...) creates the descriptor; with an existing one it
    // replaces the mask and keeps the descriptor.
    const int existing = signal_fd_ ? signal_fd_.get() : -1;
    const int fd = ::signalfd(existing, &wanted, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) {
      auto err = sys_error("signalfd");
      if (!sigismember(&old, signo)) pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
      return err;
    }
    if (!sigismember(&old, signo)) sigaddset(&blocked_by_us_, signo);
    signals_ = wanted;
    if (!signal_fd_) {
      signal_fd_.reset(fd);
      auto st = add_fd(fd, EPOLLIN, [this](std::uint32_t) { drain_signals(true); });
      if (!st) return st;
    }
  }
  signal_handlers_[signo] = std::move(fn);
  return ok();
}

void Loop::drain_signals(bool dispatch) {
  signalfd_siginfo info{};
  while (::read(signal_fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    if (!dispatch) continue;
    auto it = signal_handlers_.find(static_cast<int>(info.ssi_signo));
    if (it == signal_handlers_.end()) continue;
    auto fn = it->second;  // a copy: the handler may replace itself
    fn();
  }
}

void Loop::post(std::function<void()> fn) {
  {
    std::lock_guard lock(posted_mu_);
    posted_.push_back(std::move(fn));
  }
  wake();
}

void Loop::wake() {
  const std::uint64_t one = 1;
  // EAGAIN means the counter is saturated, so the loop is awake already.
  (void)!::write(wake_fd_.get(), &one, sizeof one);
}

void Loop::run_posted() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard lock(posted_mu_);
    batch.swap(posted_);
  }
  // Work posted by these functions lands in posted_ and wakes the next turn.
  for (auto& fn : batch) fn();
}

Result<std::size_t> Loop::run_once(std::optional<Duration> timeout) {
  int ms = -1;
  if (timeout) {
    const auto t = std::max(*timeout, Duration::zero());
    ms = static_cast<int>(std::min<std::int64_t>(
        std::chrono::ceil<std::chrono::milliseconds>(t).count(), std::int64_t{1} << 30));
  }
  std::array<epoll_event, kMaxEvents> events;
  const int n = ::epoll_wait(epoll_.get(), events.data(), kMaxEvents, ms);
  if (n < 0) {
    if (errno == EINTR) return 0;
    return sys_error("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    const int fd = unpack_fd(events[i].data.u64);
    auto it = watches_.find(fd);
    if (it == watches_.end() || it->second->generation != unpack_generation(events[i].data.u64))
      continue;  // removed (or replaced) by an earlier callback in this batch
    // Hold the watch so remove_fd from inside cb cannot destroy cb mid-call.
    const std::shared_ptr<Watch> watch = it->second;
    watch->cb(events[i].events);
  }
  return static_cast<std::size_t>(n);
}

Status Loop::run() {
  while (!stop_.load(std::memory_order_acquire)) {
    if (auto r = run_once(std::nullopt); !r) {
      stop_.store(false, std::memory_order_release);
      return fail(r.error());
    }
  }
  stop_.store(false, std::memory_order_release);
  return ok();
}

void Loop::stop() {
  stop_.store(true, std::memory_order_release);
  wake();
}

Timers& Loop::timers() { return *timers_; }

}  // namespace core
