// tests/fakes/deterministic_rng.h — a seeded, reproducible Rng for tests:
// two engines given DeterministicRng(same seed) draw the same nonces, SPIs
// and IVs run after run. NOT random: never link it into kagid.
//
// The stream is SplitMix64 (Steele, Lea, Flood 2014), output little-endian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/crypto/random.h"

namespace testing {

class DeterministicRng final : public core::crypto::Rng {
 public:
  explicit DeterministicRng(std::uint64_t seed = 1) : state_(seed) {}

  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) {
      if (left_ == 0) {
        word_ = next();
        left_ = 8;
      }
      b = static_cast<std::uint8_t>(word_);
      word_ >>= 8;
      --left_;
    }
    drawn_ += out.size();
  }

  // reseed restarts the stream as DeterministicRng(seed) would.
  void reseed(std::uint64_t seed) {
    state_ = seed;
    left_ = 0;
    drawn_ = 0;
  }

  // bytes_drawn counts the bytes handed out since construction or reseed.
  std::size_t bytes_drawn() const { return drawn_; }

 private:
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_;
  std::uint64_t word_ = 0;
  unsigned left_ = 0;
  std::size_t drawn_ = 0;
};

}  // namespace testing
