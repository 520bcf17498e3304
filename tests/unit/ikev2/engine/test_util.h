// tests/unit/ikev2/engine/test_util.h — small helpers for the engine tests.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ikev2::testutil {

// from_hex decodes a hex string (whitespace ignored); throws on bad input,
// which in a test is a broken table, not peer input.
inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  int hi = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else if (c == ' ' || c == '\n') continue;
    else throw std::invalid_argument("from_hex: bad character");
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) throw std::invalid_argument("from_hex: odd length");
  return out;
}

// to_hex encodes bytes as lower-case hex.
inline std::string to_hex(std::span<const std::uint8_t> b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (auto x : b) {
    s.push_back(kDigits[x >> 4]);
    s.push_back(kDigits[x & 15]);
  }
  return s;
}

// be64 reads 8 bytes as a big-endian integer (SPIs in the vector tables).
inline std::uint64_t be64(std::span<const std::uint8_t> b) {
  std::uint64_t v = 0;
  for (auto x : b.first(8)) v = v << 8 | x;
  return v;
}

}  // namespace ikev2::testutil
