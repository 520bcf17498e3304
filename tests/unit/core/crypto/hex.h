// tests/unit/core/crypto/hex.h — hex and text helpers for the crypto
// known-answer tables.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace crypto_test {

// unhex decodes hex digits, ignoring spaces and newlines (RFC layouts).
inline std::vector<std::uint8_t> unhex(std::string_view s) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out;
  int hi = -1;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t') continue;
    int v = nibble(c);
    if (v < 0) throw std::invalid_argument("bad hex digit");
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) throw std::invalid_argument("odd number of hex digits");
  return out;
}

// hex encodes bytes as lower-case hex, for readable Catch2 failures.
inline std::string hex(std::span<const std::uint8_t> b) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto x : b) {
    out += digits[x >> 4];
    out += digits[x & 15];
  }
  return out;
}

// text returns the bytes of an ASCII string (no terminator).
inline std::vector<std::uint8_t> text(std::string_view s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

// repeat returns n copies of byte b.
inline std::vector<std::uint8_t> repeat(std::uint8_t b, std::size_t n) {
  return std::vector<std::uint8_t>(n, b);
}

}  // namespace crypto_test
