// ikev2/keymat/keymat.h — IKE_SA and CHILD_SA key derivation (RFC 7296
// §2.13, §2.14, §2.17, §2.18).
//
//   auto prf = core::crypto::make_prf(PrfId::HmacSha2_256).value();
//   auto seed = skeyseed(*prf, ni, nr, g_ir).value();
//   IkeKeys k = derive_ike_keys(*prf, seed, ni, nr, spi_i, spi_r, sizes).value();
//   auto child = derive_child_keys(*prf, k.sk_d, std::nullopt, ni, nr, child_sizes);
//
// Every secret lives in a SecureBytes (wiped on destruction). Nothing here
// keeps state: the functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/crypto/prf.h"
#include "core/crypto/secure_buffer.h"
#include "core/result.h"

namespace ikev2 {

using core::crypto::SecureBytes;

// IkeKeySizes gives the lengths of the IKE_SA keys: SK_d, SK_pi and SK_pr
// take the PRF's preferred key length, SK_a* the integrity key length (0 for
// AEAD) and SK_e* the encryption key length including any salt (RFC 5282 §7.1:
// 4 salt octets for AES-GCM; RFC 7634 §3: 4 for ChaCha20-Poly1305).
struct IkeKeySizes {
  std::size_t prf_key = 0;
  std::size_t integ_key = 0;
  std::size_t encr_key = 0;

  std::size_t total() const { return 3 * prf_key + 2 * integ_key + 2 * encr_key; }
};

// IkeKeys are the seven IKE_SA secrets (RFC 7296 §2.14), in the order prf+
// produces them.
struct IkeKeys {
  SecureBytes sk_d;
  SecureBytes sk_ai, sk_ar;
  SecureBytes sk_ei, sk_er;
  SecureBytes sk_pi, sk_pr;
};

// skeyseed returns SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 §2.14); for the
// fixed-key AES PRFs the key is the first 64 bits of each nonce.
core::Result<SecureBytes> skeyseed(const core::crypto::Prf& prf, std::span<const std::uint8_t> ni,
                                   std::span<const std::uint8_t> nr,
                                   std::span<const std::uint8_t> g_ir);

// rekey_skeyseed returns SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) for
// an IKE_SA rekeyed by CREATE_CHILD_SA (RFC 7296 §2.18). old_prf is the PRF
// of the IKE_SA being rekeyed (the one that owns SK_d); the new SA's PRF
// then expands the result with derive_ike_keys.
core::Result<SecureBytes> rekey_skeyseed(const core::crypto::Prf& old_prf,
                                         std::span<const std::uint8_t> old_sk_d,
                                         std::span<const std::uint8_t> g_ir_new,
                                         std::span<const std::uint8_t> ni,
                                         std::span<const std::uint8_t> nr);

// derive_ike_keys expands {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
// = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) (RFC 7296 §2.14). SPIs are in host
// order and written big-endian, as on the wire.
core::Result<IkeKeys> derive_ike_keys(const core::crypto::Prf& prf,
                                      std::span<const std::uint8_t> skeyseed,
                                      std::span<const std::uint8_t> ni,
                                      std::span<const std::uint8_t> nr, std::uint64_t spi_i,
                                      std::uint64_t spi_r, const IkeKeySizes& sizes);

// ChildKeySizes gives one direction's ESP/AH key lengths: the encryption key
// including salt (0 for AH or ENCR_NULL) and the integrity key (0 for AEAD).
struct ChildKeySizes {
  std::size_t encr_key = 0;
  std::size_t integ_key = 0;
};

// ChildKeys are a CHILD_SA's two directions. "i" keys protect traffic from
// the initiator of the CREATE_CHILD_SA / IKE_AUTH exchange to its responder
// (RFC 7296 §2.17: initiator-to-responder first, encryption before integrity).
struct ChildKeys {
  SecureBytes encr_i, integ_i;
  SecureBytes encr_r, integ_r;
};

// child_keymat returns KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) of the
// given length (RFC 7296 §2.17). Ni and Nr are the nonces of the exchange
// that creates the CHILD_SA (IKE_SA_INIT's for the first one).
core::Result<SecureBytes> child_keymat(const core::crypto::Prf& prf,
                                       std::span<const std::uint8_t> sk_d,
                                       std::optional<std::span<const std::uint8_t>> g_ir_new,
                                       std::span<const std::uint8_t> ni,
                                       std::span<const std::uint8_t> nr, std::size_t length);

// derive_child_keys draws KEYMAT with child_keymat and splits it into the
// four keys in RFC 7296 §2.17 order.
core::Result<ChildKeys> derive_child_keys(const core::crypto::Prf& prf,
                                          std::span<const std::uint8_t> sk_d,
                                          std::optional<std::span<const std::uint8_t>> g_ir_new,
                                          std::span<const std::uint8_t> ni,
                                          std::span<const std::uint8_t> nr,
                                          const ChildKeySizes& sizes);

}  // namespace ikev2
