// core/crypto/integ.h — IKEv2/ESP integrity transforms (RFC 7296 §3.3.2
// Transform Type 3): HMAC-MD5-96 (RFC 2403), HMAC-SHA1-96 (RFC 2404),
// AES-XCBC-MAC-96 (RFC 3566), AES-CMAC-96 (RFC 4494) and
// HMAC-SHA2-256-128/384-192/512-256 (RFC 4868).
//
// IntegKey is keyed once per SA direction and then used per packet:
//   auto k = IntegKey::create(IntegId::HmacSha2_256_128, sk_ai).value();
//   k->compute({esp_header_and_payload, esn_high}, icv_out);
//   if (!k->verify(data, icv)) drop();
// Not thread-safe; clone() one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/crypto/mac.h"
#include "core/crypto/transform_ids.h"
#include "core/result.h"

namespace core::crypto {

// IntegInfo describes one integrity transform.
struct IntegInfo {
  std::uint16_t id;
  std::string_view name;  // IANA name, "AUTH_HMAC_SHA2_256_128"
  std::size_t key_size;   // bytes of SK_a / ESP integrity key
  std::size_t icv_size;   // bytes of the truncated ICV
};

// integ_info describes a Transform Type 3 ID, or returns nullptr when kagi
// does not implement it (including NONE).
const IntegInfo* integ_info(std::uint16_t id);

class IntegKey {
 public:
  // create keys the transform; the key must be exactly key_size bytes.
  static Result<std::unique_ptr<IntegKey>> create(std::uint16_t id,
                                                  std::span<const std::uint8_t> key);

  const IntegInfo& info() const { return *info_; }
  std::size_t icv_size() const { return info_->icv_size; }

  // compute writes the ICV over the concatenation of parts (e.g. the ESP
  // packet and the high ESN bits, RFC 4303 §2.2.1) to icv, which must be
  // icv_size() bytes.
  Status compute(std::initializer_list<std::span<const std::uint8_t>> parts,
                 std::span<std::uint8_t> icv);
  Status compute(std::span<const std::uint8_t> data, std::span<std::uint8_t> icv) {
    return compute({data}, icv);
  }

  // verify recomputes the ICV and compares in constant time; false on a
  // mismatch, a wrong icv length, or an internal failure.
  bool verify(std::initializer_list<std::span<const std::uint8_t>> parts,
              std::span<const std::uint8_t> icv);
  bool verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> icv) {
    return verify({data}, icv);
  }

  // clone returns an independent IntegKey with the same key.
  Result<std::unique_ptr<IntegKey>> clone() const;

  IntegKey(const IntegInfo* info, std::unique_ptr<MacContext> mac)
      : info_(info), mac_(std::move(mac)) {}

 private:
  const IntegInfo* info_;
  std::unique_ptr<MacContext> mac_;
};

// integ_compute is the one-shot form: the ICV of data under key.
Result<std::vector<std::uint8_t>> integ_compute(std::uint16_t id, std::span<const std::uint8_t> key,
                                                std::span<const std::uint8_t> data);

}  // namespace core::crypto
