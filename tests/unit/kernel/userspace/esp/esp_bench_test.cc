// Micro-benchmark of kernel/userspace/esp/esp_sa.h, hidden from the normal
// suite: `unit_kernel "[.bench]"` or `unit_kernel "esp seal/open throughput"`.
// Prints MB/s of inner payload for 1400-byte packets (a full-size tunnel
// packet under a 1500-byte MTU) sealed, then opened in order, one core.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "core/crypto/aead.h"
#include "esp_test_util.h"
#include "kernel/userspace/esp/esp_sa.h"

namespace {

struct Rate {
  double seal_mbps, open_mbps;
};

Rate measure(const esp_test::Suite& suite, int batches) {
  auto p = esp_test::make_pair(suite, true, 1024);
  const auto payload = esp_test::pattern(1400);
  // Batches of 256 packets stay in cache, as a data plane's ring of
  // buffers does; each batch is sealed (timed), then opened (timed) with
  // fresh sequence numbers. The buffers keep their capacity throughout.
  std::vector<std::vector<std::uint8_t>> batch(256);
  for (auto& b : batch) b.reserve(1400 + 64);
  using Clock = std::chrono::steady_clock;
  Clock::duration sealing{}, opening{};
  std::size_t opened = 0;
  for (int i = 0; i < batches; ++i) {
    const auto t0 = Clock::now();
    for (auto& b : batch)
      if (!p.tx->seal(payload, 4, b)) FAIL("seal failed");
    const auto t1 = Clock::now();
    for (auto& b : batch)
      if (auto r = p.rx->open(b)) opened += r->inner.size();
    const auto t2 = Clock::now();
    sealing += t1 - t0;
    opening += t2 - t1;
  }
  REQUIRE(opened == payload.size() * batch.size() * static_cast<std::size_t>(batches));
  const double mb = static_cast<double>(opened) / 1e6;
  return {mb / std::chrono::duration<double>(sealing).count(),
          mb / std::chrono::duration<double>(opening).count()};
}

// aead_only is the floor: AeadKey::seal alone over the same 1404 bytes
// (payload + trailer), the cost no ESP code can go below.
double aead_only(int batches) {
  auto key = core::crypto::AeadKey::create(core::crypto::EncrId::AesGcm16, esp_test::pattern(20));
  REQUIRE(key);
  std::vector<std::uint8_t> buf(1404 + 16);
  const std::uint8_t aad[8] = {};
  std::uint8_t iv[8] = {};
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  for (int i = 0; i < batches * 256; ++i) {
    iv[7] = static_cast<std::uint8_t>(i);
    if (!(*key)->seal(iv, aad, std::span(buf).first(1404), buf)) FAIL("seal failed");
  }
  const double mb = 1400.0 * 256 * batches / 1e6;
  return mb / std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

TEST_CASE("esp seal/open throughput", "[.bench]") {
  using core::crypto::EncrId;
  using core::crypto::IntegId;
  const esp_test::Suite suites[] = {
      {"AES-GCM-16-128", EncrId::AesGcm16, 128, 0},
      {"AES-GCM-16-256", EncrId::AesGcm16, 256, 0},
      {"ChaCha20-Poly1305", EncrId::ChaCha20Poly1305, 256, 0},
      {"AES-CBC-128/HMAC-SHA2-256-128", EncrId::AesCbc, 128, IntegId::HmacSha2_256_128},
  };
  constexpr int kBatches = 400;  // 102,400 packets, 143 MB of payload
  (void)measure(suites[0], 10);  // warm up caches and the CPU clock
  for (const auto& suite : suites) {
    const Rate r = measure(suite, kBatches);
    std::printf("esp %-32s 1400-byte payloads: seal %8.1f MB/s  open %8.1f MB/s\n", suite.name,
                r.seal_mbps, r.open_mbps);
    CHECK(r.seal_mbps > 0);
  }
  std::printf("core::crypto AeadKey::seal alone (AES-GCM-16-128):      %8.1f MB/s\n",
              aead_only(kBatches));
}
