// tests/unit/kernel/userspace/esp/esp_test_util.h — hex helpers, the table
// of ESP suites every round-trip test runs, and SA pairs keyed alike.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/cipher.h"
#include "core/crypto/integ.h"
#include "core/crypto/transform_ids.h"
#include "core/ipsec/types.h"
#include "kernel/userspace/esp/esp_sa.h"

namespace esp_test {

using Bytes = std::vector<std::uint8_t>;

// unhex decodes hex digits, ignoring spaces and newlines (RFC layouts).
inline Bytes unhex(std::string_view s) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  int hi = -1;
  for (char c : s) {
    if (c == ' ' || c == '\n') continue;
    const int v = nibble(c);
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
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (auto x : b) {
    out += kDigits[x >> 4];
    out += kDigits[x & 15];
  }
  return out;
}

// pattern returns n bytes seed, seed+1, ... (mod 256).
inline Bytes pattern(std::size_t n, std::uint8_t seed = 0) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + i);
  return out;
}

// Suite is one encryption + integrity combination.
struct Suite {
  const char* name;
  std::uint16_t enc;
  std::uint16_t key_bits;  // 0 for fixed-length ciphers and NULL
  std::uint16_t integ;     // 0: none (AEAD, or no integrity)
};

using core::crypto::EncrId;
using core::crypto::IntegId;

// kSuites: every transform kagi's ESP carries, each key length at least once.
inline const std::vector<Suite> kSuites = {
    {"AES-GCM-8-128", EncrId::AesGcm8, 128, 0},
    {"AES-GCM-12-128", EncrId::AesGcm12, 128, 0},
    {"AES-GCM-16-128", EncrId::AesGcm16, 128, 0},
    {"AES-GCM-16-192", EncrId::AesGcm16, 192, 0},
    {"AES-GCM-12-256", EncrId::AesGcm12, 256, 0},
    {"AES-GCM-16-256", EncrId::AesGcm16, 256, 0},
    {"ChaCha20-Poly1305", EncrId::ChaCha20Poly1305, 256, 0},
    {"AES-CBC-128/HMAC-SHA1-96", EncrId::AesCbc, 128, IntegId::HmacSha1_96},
    {"AES-CBC-128/HMAC-MD5-96", EncrId::AesCbc, 128, IntegId::HmacMd5_96},
    {"AES-CBC-192/HMAC-SHA2-384-192", EncrId::AesCbc, 192, IntegId::HmacSha2_384_192},
    {"AES-CBC-256/HMAC-SHA2-256-128", EncrId::AesCbc, 256, IntegId::HmacSha2_256_128},
    {"AES-CBC-256/HMAC-SHA2-512-256", EncrId::AesCbc, 256, IntegId::HmacSha2_512_256},
    {"AES-CBC-128/AES-XCBC-96", EncrId::AesCbc, 128, IntegId::AesXcbc96},
    {"AES-CBC-128/AES-CMAC-96", EncrId::AesCbc, 128, IntegId::AesCmac96},
    {"AES-CTR-128/HMAC-SHA2-256-128", EncrId::AesCtr, 128, IntegId::HmacSha2_256_128},
    {"AES-CTR-192/HMAC-SHA1-96", EncrId::AesCtr, 192, IntegId::HmacSha1_96},
    {"AES-CTR-256/AES-XCBC-96", EncrId::AesCtr, 256, IntegId::AesXcbc96},
    {"3DES-CBC/HMAC-SHA1-96", EncrId::Des3, 192, IntegId::HmacSha1_96},
    {"NULL/HMAC-SHA1-96", EncrId::Null, 0, IntegId::HmacSha1_96},
    {"NULL/HMAC-SHA2-256-128", EncrId::Null, 0, IntegId::HmacSha2_256_128},
    {"NULL/NONE", EncrId::Null, 0, 0},
    {"AES-CBC-128/NONE", EncrId::AesCbc, 128, 0},
};

// authenticated says whether tampering must be detected.
inline bool authenticated(const Suite& s) {
  return s.integ != 0 || core::crypto::cipher_info(s.enc)->aead;
}

// make_spec keys suite s with patterned keys (the same for every call, so
// two SAs from it talk to each other).
inline core::ipsec::SaSpec make_spec(const Suite& s, bool esn, std::uint32_t spi = 0xc0ffee01,
                                     std::uint32_t replay_window = 64) {
  core::ipsec::SaSpec spec;
  spec.spi = spi;
  spec.mode = core::ipsec::Mode::Tunnel;
  spec.esn = esn;
  spec.replay_window = replay_window;
  const auto* ci = core::crypto::cipher_info(s.enc);
  spec.enc.id = s.enc;
  spec.enc.key_bits = ci->key_length_attribute ? s.key_bits : 0;
  spec.enc.key = pattern(ci->keymat_size(s.key_bits), 0x40);
  if (s.integ != 0) {
    spec.integ.id = s.integ;
    spec.integ.key = pattern(core::crypto::integ_info(s.integ)->key_size, 0x90);
  }
  return spec;
}

// Pair is an outbound SA and the inbound SA of the same keys.
struct Pair {
  std::unique_ptr<kernel::userspace::EspSa> tx, rx;
};

inline Pair make_pair(const core::ipsec::SaSpec& spec) {
  auto tx = kernel::userspace::EspSa::create(spec);
  auto rx = kernel::userspace::EspSa::create(spec);
  if (!tx || !rx) throw std::runtime_error("EspSa::create failed");
  return {std::move(*tx), std::move(*rx)};
}

inline Pair make_pair(const Suite& s, bool esn, std::uint32_t replay_window = 64) {
  return make_pair(make_spec(s, esn, 0xc0ffee01, replay_window));
}

}  // namespace esp_test
