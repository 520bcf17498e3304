// core/crypto/random.cc — RAND_bytes wrapper and Rng helpers.
#include "core/crypto/random.h"

#include <climits>
#include <cstdlib>

#include <openssl/rand.h>

#include "core/crypto/ossl_error.h"
#include "core/log/log.h"

namespace core::crypto {

void random_bytes(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    // RAND_bytes takes an int length; larger requests go in pieces.
    std::size_t n = out.size() < static_cast<std::size_t>(INT_MAX) ? out.size() : INT_MAX;
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
      KLOG(Enc, Error, "CSPRNG failed, aborting: {}", openssl_error("RAND_bytes").detail);
      std::abort();
    }
    out = out.subspan(n);
  }
}

std::vector<std::uint8_t> random_vector(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  random_bytes(v);
  return v;
}

std::uint32_t Rng::u32() {
  std::uint8_t b[4];
  fill(b);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

std::uint64_t Rng::u64() {
  std::uint64_t hi = u32();
  return (hi << 32) | u32();
}

std::vector<std::uint8_t> Rng::bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  fill(v);
  return v;
}

Rng& system_rng() {
  static SystemRng rng;
  return rng;
}

}  // namespace core::crypto
