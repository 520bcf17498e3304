// core/crypto/prf.h — IKEv2 pseudorandom functions (RFC 7296 §3.3.2
// Transform Type 2) and prf+ (RFC 7296 §2.13).
//
//   auto prf = make_prf(PrfId::HmacSha2_256).value();
//   SecureBytes skeyseed = prf->compute(nonce_key, g_ir).value();
//   SecureBytes keymat = prf_plus(*prf, skeyseed, seed, total).value();
// Keys of any length are accepted: HMAC per RFC 2104, AES-XCBC-PRF-128 per
// RFC 4434 §2 (shorter keys zero-padded, longer keys first reduced with
// XCBC under a zero key), AES-CMAC-PRF-128 per RFC 4615 §3 (any key that is
// not 16 bytes first reduced with CMAC under a zero key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/crypto/hash.h"
#include "core/crypto/mac.h"
#include "core/crypto/secure_buffer.h"
#include "core/crypto/transform_ids.h"
#include "core/result.h"

namespace core::crypto {

// Prf is one negotiated PRF transform; immutable and thread-safe.
class Prf {
 public:
  enum class Kind : std::uint8_t { Hmac, Aes128Xcbc, Aes128Cmac };

  Prf(std::uint16_t id, Kind kind, HashAlg hash, std::size_t key_size, std::size_t output_size,
      std::string_view name)
      : id_(id), kind_(kind), hash_(hash), key_size_(key_size), output_size_(output_size),
        name_(name) {}

  // id is the IANA transform ID.
  std::uint16_t id() const { return id_; }
  std::string_view name() const { return name_; }
  // key_size is the PRF's preferred key length, the length of SK_d, SK_pi
  // and SK_pr (RFC 7296 §2.14).
  std::size_t key_size() const { return key_size_; }
  std::size_t output_size() const { return output_size_; }
  // fixed_key is true for the AES-based PRFs, whose SKEYSEED uses only the
  // first 64 bits of each nonce (RFC 7296 §2.14; see skeyseed_key).
  bool fixed_key() const { return kind_ != Kind::Hmac; }

  // keyed returns a MAC context for prf(key, ·), after the key rules above;
  // reuse it for many computations under one key.
  Result<std::unique_ptr<MacContext>> keyed(std::span<const std::uint8_t> key) const;
  // compute returns prf(key, data), output_size() bytes.
  Result<SecureBytes> compute(std::span<const std::uint8_t> key,
                              std::span<const std::uint8_t> data) const;

 private:
  std::uint16_t id_;
  Kind kind_;
  HashAlg hash_;
  std::size_t key_size_;
  std::size_t output_size_;
  std::string_view name_;
};

// make_prf returns the PRF for an IANA Transform Type 2 ID, or Unsupported.
Result<std::unique_ptr<Prf>> make_prf(std::uint16_t id);

// prf_plus returns the first length bytes of prf+(key, seed) (RFC 7296 §2.13):
//   T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), prf+ = T1 | T2 | ...
// The counter is one octet, so length may not exceed 255 * output_size();
// a larger request fails with InvalidSyntax.
Result<SecureBytes> prf_plus(const Prf& prf, std::span<const std::uint8_t> key,
                             std::span<const std::uint8_t> seed, std::size_t length);

// skeyseed_key returns the key of SKEYSEED = prf(Ni | Nr, g^ir): Ni | Nr, or
// for the fixed-key AES PRFs the first 64 bits of Ni and of Nr (RFC 7296
// §2.14). Nonces are at least 16 bytes on the wire (RFC 7296 §3.9).
SecureBytes skeyseed_key(const Prf& prf, std::span<const std::uint8_t> ni,
                         std::span<const std::uint8_t> nr);

}  // namespace core::crypto
