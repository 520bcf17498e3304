#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "core/loop/loop.h"
#include "core/loop/worker_pool.h"

using namespace std::chrono_literals;

namespace {

bool run_until(core::Loop& loop, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 1s;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    REQUIRE(loop.run_once(10ms).has_value());
  }
  return true;
}

}  // namespace

TEST_CASE("WorkerPool runs jobs on workers and posts results to the loop", "[loop][worker]") {
  auto loop = core::Loop::create().value();
  core::WorkerPool pool(*loop, 2);
  CHECK(pool.size() == 2);
  const auto loop_thread = std::this_thread::get_id();
  std::thread::id job_thread, done_thread;
  int result = 0;
  REQUIRE(pool.submit(
      [&job_thread] {
        job_thread = std::this_thread::get_id();
        return 6 * 7;
      },
      [&](int r) {
        done_thread = std::this_thread::get_id();
        result = r;
      }));
  CHECK(run_until(*loop, [&] { return result != 0; }));
  CHECK(result == 42);
  CHECK(job_thread != loop_thread);
  CHECK(done_thread == loop_thread);
}

TEST_CASE("WorkerPool carries move-only results and void jobs", "[loop][worker]") {
  auto loop = core::Loop::create().value();
  core::WorkerPool pool(*loop, 1);
  std::unique_ptr<int> got;
  bool void_done = false;
  REQUIRE(pool.submit([] { return std::make_unique<int>(7); },
                      [&](std::unique_ptr<int> p) { got = std::move(p); }));
  REQUIRE(pool.submit([] {}, [&] { void_done = true; }));
  CHECK(run_until(*loop, [&] { return got && void_done; }));
  CHECK(*got == 7);
}

TEST_CASE("WorkerPool shutdown finishes queued jobs, joins, then refuses work", "[loop][worker]") {
  auto loop = core::Loop::create().value();
  core::WorkerPool pool(*loop, 2);
  std::atomic<int> ran{0};
  std::vector<int> results;
  for (int i = 0; i < 200; ++i)
    REQUIRE(pool.submit(
        [&ran, i] {
          ++ran;
          return i;
        },
        [&](int r) { results.push_back(r); }));
  pool.shutdown();
  CHECK(ran == 200);  // every queued job ran before the threads were joined
  CHECK_FALSE(pool.submit([] { return 0; }, [](int) { FAIL("ran after shutdown"); }));
  CHECK_FALSE(pool.execute([] {}));
  CHECK(run_until(*loop, [&] { return results.size() == 200; }));
  pool.shutdown();  // idempotent
}
