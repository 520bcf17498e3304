// tests/fakes/bitflip.h — the bit-flip and truncation sweep every parser gets
// in the normal suite (fuzzers run separately, under clang).
//
// for_each_mutation(valid, fn) calls fn on: every single-bit flip of valid,
// every truncation (0 .. size-1 bytes), and valid with junk appended. The
// parser under test must return an error or a value, never crash, hang or
// read out of bounds (the ASan build of the suite checks the last).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace testing {

// for_each_mutation returns the number of mutants it produced.
inline std::size_t for_each_mutation(std::span<const std::uint8_t> valid,
                                     const std::function<void(std::span<const std::uint8_t>)>& fn) {
  std::size_t n = 0;
  std::vector<std::uint8_t> buf(valid.begin(), valid.end());
  for (std::size_t i = 0; i < buf.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      buf[i] ^= static_cast<std::uint8_t>(1u << bit);
      fn(buf);
      buf[i] ^= static_cast<std::uint8_t>(1u << bit);
      ++n;
    }
  }
  for (std::size_t len = 0; len < valid.size(); ++len, ++n) fn(valid.first(len));
  buf.insert(buf.end(), {0xff, 0x00, 0x7f});
  fn(buf);
  return n + 1;
}

}  // namespace testing
