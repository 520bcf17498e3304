// Tests for kernel/userspace/esp/replay_window.h: the RFC 4303 §3.4.3
// anti-replay window and RFC 4303 Appendix A2 ESN inference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>

#include "kernel/userspace/esp/replay_window.h"

using kernel::userspace::ReplayWindow;

namespace {

constexpr std::uint64_t k2p32 = std::uint64_t{1} << 32;

// take is check-then-accept, as open() does for a packet whose ICV verified.
bool take(ReplayWindow& w, std::uint64_t seq) {
  if (!w.check(seq)) return false;
  w.accept(seq);
  return true;
}

}  // namespace

TEST_CASE("ReplayWindow sizes: 0 is off, else 32..4096 in 64-bit words", "[esp][replay]") {
  struct Row {
    std::uint32_t asked, got;
  };
  const Row rows[] = {{0, 0},   {1, 64},     {32, 64},     {64, 64},     {65, 128},
                      {100, 128}, {1000, 1024}, {4096, 4096}, {5000, 4096}, {UINT32_MAX, 4096}};
  for (const auto& row : rows) {
    INFO("asked " << row.asked);
    ReplayWindow w(row.asked);
    CHECK(w.size() == row.got);
    CHECK(w.enabled() == (row.got != 0));
    CHECK(w.top() == 0);
  }
}

TEST_CASE("ReplayWindow accepts new numbers once and refuses 0", "[esp][replay]") {
  ReplayWindow w(64);
  CHECK_FALSE(w.check(0));  // RFC 4303 §3.3.3: the first packet is 1
  CHECK(take(w, 1));
  CHECK_FALSE(take(w, 1));
  CHECK(take(w, 2));
  CHECK(take(w, 5));
  CHECK(w.top() == 5);
  CHECK(take(w, 3));  // out of order, inside the window
  CHECK(take(w, 4));
  for (std::uint64_t s = 1; s <= 5; ++s) CHECK_FALSE(w.check(s));
  CHECK(w.check(6));
}

TEST_CASE("ReplayWindow edges: top-size+1 is inside, top-size is left of it", "[esp][replay]") {
  for (std::uint32_t size : {64u, 128u, 1024u, 4096u}) {
    INFO("window " << size);
    ReplayWindow w(size);
    const std::uint64_t top = 10'000;
    REQUIRE(take(w, top));
    CHECK(w.check(top - size + 1));
    CHECK_FALSE(w.check(top - size));
    CHECK_FALSE(w.check(1));
    CHECK(take(w, top - size + 1));
    CHECK_FALSE(take(w, top - size + 1));
    // Every number inside the window is taken exactly once, in any order.
    for (std::uint64_t s = top - 1; s > top - size + 1; s -= 2) CHECK(take(w, s));
    for (std::uint64_t s = top - 2; s > top - size + 1; s -= 2) CHECK(take(w, s));
    for (std::uint64_t s = top - size + 1; s <= top; ++s) CHECK_FALSE(w.check(s));
  }
}

TEST_CASE("ReplayWindow matches a set-based model under random traffic", "[esp][replay]") {
  // The model: a number is acceptable iff it is nonzero, not taken, and
  // right of top - size. Jumps of every size relative to the ring (within a
  // word, across one, across several, past the whole ring) come up.
  for (std::uint32_t size : {64u, 128u, 256u}) {
    INFO("window " << size);
    ReplayWindow w(size);
    std::set<std::uint64_t> taken;
    std::mt19937_64 rng(size);
    std::uint64_t top = 0;
    for (int step = 0; step < 3000; ++step) {
      std::uint64_t seq;
      const auto r = rng() % 10;
      if (r < 5) seq = top + 1 + rng() % 3;                      // mostly in order
      else if (r < 8) seq = top > size + 8 ? top - rng() % (size + 8) : 1 + rng() % 8;  // late
      else seq = top + 1 + rng() % (3 * size);                    // a jump
      const bool expect = seq != 0 && taken.count(seq) == 0 && (seq > top || top - seq < size);
      INFO("step " << step << " seq " << seq << " top " << top);
      REQUIRE(w.check(seq) == expect);
      if (expect) {
        w.accept(seq);
        taken.insert(seq);
        top = std::max(top, seq);
      }
      REQUIRE(w.top() == top);
    }
  }
}

TEST_CASE("ReplayWindow bits of a cleared word do not come back", "[esp][replay]") {
  ReplayWindow w(64);  // ring of two words
  REQUIRE(take(w, 10));
  REQUIRE(take(w, 20));
  // Top 140 clears the words of 64..127 and 128..191; 10 and 20 are now left
  // of the window, and 76/84 (same ring slots as 10/20 + 64) are fresh.
  REQUIRE(take(w, 140));
  CHECK_FALSE(w.check(10));
  CHECK(w.check(84));
  CHECK(w.check(77));
  CHECK(take(w, 100));
  CHECK_FALSE(w.check(100));
  CHECK_FALSE(w.check(76));  // 140 - 76 = 64: left of the window
}

TEST_CASE("ReplayWindow off: any nonzero number, top still tracked", "[esp][replay]") {
  ReplayWindow w(0);
  CHECK_FALSE(w.check(0));
  CHECK(take(w, 5));
  CHECK(take(w, 5));
  CHECK(take(w, 1));
  CHECK(w.top() == 5);
  // ESN inference still works from the top, with a 64-packet window.
  w.reset_to(1000);
  CHECK(*w.infer(999, true) == 999);
  CHECK(*w.infer(937, true) == 937);
  CHECK(*w.infer(936, true) == k2p32 + 936);
}

TEST_CASE("ReplayWindow without ESN takes the 32 bits as they are", "[esp][replay]") {
  ReplayWindow w(64);
  w.reset_to(0xffffff00u);
  CHECK(*w.infer(3, false) == 3);
  CHECK(*w.infer(0xffffffffu, false) == 0xffffffffu);
  CHECK_FALSE(w.check(3));  // far left of the window
}

TEST_CASE("ReplayWindow ESN inference, RFC 4303 Appendix A2.1 cases A and B", "[esp][replay]") {
  struct Row {
    int n;
    std::uint64_t top;
    std::uint32_t seq_lo;
    std::uint64_t expected;  // 0: no candidate
  };
  // Window 64, so W - 1 = 63.
  const Row rows[] = {
      // Case A (Tl >= W-1): inside or right of the window stays in Th ...
      {1, 1000, 1001, 1001},
      {2, 1000, 937, 937},                       // Tl - W + 1: the bottom edge
      {3, 1000, 0xffffffff, 0xffffffff},
      // ... below the window goes to Th + 1.
      {4, 1000, 936, k2p32 + 936},
      {5, 3 * k2p32 + 70, 6, 4 * k2p32 + 6},
      {6, 0xfffffffeu, 0, k2p32},                // the first wrap
      // Case B (Tl < W-1): the older part of the window is in Th - 1 ...
      {7, k2p32 + 5, 0xffffffff, 0xffffffff},
      {8, k2p32 + 5, 0xffffffc6u, 0xffffffc6u},  // Tl - W + 1 mod 2^32
      {9, 5 * k2p32 + 62, 0xffffffff, 4 * k2p32 + 0xffffffff},
      // ... the rest stays in Th.
      {10, k2p32 + 5, 0xffffffc5u, k2p32 + 0xffffffc5u},
      {11, k2p32 + 5, 6, k2p32 + 6},
      {12, 0, 1, 1},                             // a fresh SA
      {13, 10, 7, 7},
      // No candidate: before sequence number 1, or past 2^64 - 1.
      {14, 0, 0xffffffff, 0},
      {15, 10, 0xfffffff0u, 0},
      {16, UINT64_MAX - 10, 3, 0},
      {17, UINT64_MAX - 10, 0xffffffff, UINT64_MAX},
  };
  ReplayWindow w(64);
  for (const auto& row : rows) {
    INFO("row " << row.n);
    w.reset_to(row.top);
    const auto got = w.infer(row.seq_lo, true);
    if (row.expected == 0) {
      CHECK_FALSE(got);
    } else {
      REQUIRE(got);
      CHECK(*got == row.expected);
      CHECK(static_cast<std::uint32_t>(*got) == row.seq_lo);
    }
  }
}

TEST_CASE("ReplayWindow across 2^32 with ESN keeps the history of both sides", "[esp][replay]") {
  ReplayWindow w(64);
  w.reset_to(k2p32 - 20);
  for (std::uint64_t s = k2p32 - 19; s <= k2p32 + 10; s += 2) {
    const auto seq = w.infer(static_cast<std::uint32_t>(s), true);
    REQUIRE(seq);
    REQUIRE(*seq == s);
    REQUIRE(take(w, *seq));
  }
  // The gaps before the wrap are still open, the taken numbers are not.
  for (std::uint64_t s = k2p32 - 18; s <= k2p32 + 9; s += 2) {
    const auto seq = w.infer(static_cast<std::uint32_t>(s), true);
    REQUIRE(seq);
    CHECK(*seq == s);
    CHECK(take(w, *seq));
    CHECK_FALSE(take(w, *seq));
  }
}

TEST_CASE("ReplayWindow reset_to forgets history and counts top as seen", "[esp][replay]") {
  ReplayWindow w(64);
  REQUIRE(take(w, 50));
  w.reset_to(40);
  CHECK(w.top() == 40);
  CHECK_FALSE(w.check(40));
  CHECK(w.check(39));
  CHECK(w.check(50));
  w.reset_to(0);
  CHECK(w.check(1));
  CHECK_FALSE(w.check(0));
}
