// core/loop/worker_pool.h — WorkerPool: threads for work too heavy for the
// loop (DH/ECDH, signatures), with results posted back to the Loop.
//
//   core::WorkerPool pool(*loop, 2);
//   pool.submit([pub = peer_ke] { return dh.compute(pub); },       // worker
//               [this, id](Result<Bytes> s) { on_shared(id, s); }); // loop
// A job runs on a worker thread and must touch nothing the loop owns: give
// it copies. Its `done` runs on the loop thread, in the order results come
// in, and is destroyed there. Jobs must not throw (return a Result).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/loop/loop.h"

namespace core {

class WorkerPool {
 public:
  // WorkerPool starts `threads` workers (at least one). The workers block
  // every signal so signals reach the loop's signalfd. loop must outlive the
  // pool. Throws std::system_error when a thread cannot start (startup only).
  WorkerPool(Loop& loop, std::size_t threads);
  // ~WorkerPool runs shutdown().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // submit runs job() on a worker, then posts done(result) to the loop
  // (done() for a void job). Job and Done must be copyable callables.
  // Returns false, and runs nothing, after shutdown().
  template <typename Job, typename Done>
  bool submit(Job job, Done done);
  // execute runs job on a worker with nothing posted back.
  bool execute(std::function<void()> job) { return enqueue(std::move(job)); }

  // shutdown stops taking jobs, lets the workers finish every job already
  // queued (their results are still posted), and joins them. Idempotent;
  // call it from the loop thread (or before the loop runs), never from a job.
  void shutdown();
  // size is the number of worker threads.
  std::size_t size() const { return threads_.size(); }

 private:
  bool enqueue(std::function<void()> job);
  void worker_main();

  Loop& loop_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

template <typename Job, typename Done>
bool WorkerPool::submit(Job job, Done done) {
  using R = std::invoke_result_t<Job&>;
  auto job_ptr = std::make_shared<Job>(std::move(job));
  auto done_ptr = std::make_shared<Done>(std::move(done));
  Loop* loop = &loop_;
  return enqueue([job_ptr, done_ptr, loop]() mutable {
    // done_ptr is moved into the posted function so the last reference to
    // done (and whatever it captured) is dropped on the loop thread.
    if constexpr (std::is_void_v<R>) {
      (*job_ptr)();
      loop->post([d = std::move(done_ptr)] { (*d)(); });
    } else {
      auto result = std::make_shared<R>((*job_ptr)());
      loop->post([d = std::move(done_ptr), result] { (*d)(std::move(*result)); });
    }
  });
}

}  // namespace core
