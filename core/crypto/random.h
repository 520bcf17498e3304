// core/crypto/random.h — the CSPRNG (OpenSSL RAND_bytes) and the Rng
// interface engines take so tests can inject a deterministic generator
// (tests/fakes/deterministic_rng.h).
//
// A CSPRNG that fails cannot be recovered from and must never yield
// predictable bytes, so, as in BoringSSL, a RAND_bytes failure aborts the
// process after logging; the functions here therefore do not return errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace core::crypto {

// random_bytes fills out from OpenSSL's CSPRNG; aborts if it fails.
void random_bytes(std::span<std::uint8_t> out);

// random_vector returns n fresh random bytes.
std::vector<std::uint8_t> random_vector(std::size_t n);

// Rng is a source of random bytes (nonces, SPIs, IVs, cookies). Engines hold
// an Rng& given to their constructors; implementations must be usable from
// the thread that owns the engine.
class Rng {
 public:
  virtual ~Rng() = default;
  // fill writes out.size() random bytes to out.
  virtual void fill(std::span<std::uint8_t> out) = 0;

  // u32 and u64 are fill() read as big-endian integers.
  std::uint32_t u32();
  std::uint64_t u64();
  // bytes returns n bytes from fill().
  std::vector<std::uint8_t> bytes(std::size_t n);
};

// SystemRng is Rng over random_bytes (OpenSSL's CSPRNG); thread-safe.
class SystemRng final : public Rng {
 public:
  void fill(std::span<std::uint8_t> out) override { random_bytes(out); }
};

// system_rng returns a process-wide SystemRng.
Rng& system_rng();

}  // namespace core::crypto
