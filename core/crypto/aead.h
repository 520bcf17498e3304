// core/crypto/aead.h — AEAD encryption transforms: AES-GCM with 8, 12 or
// 16-byte ICV (RFC 4106 for ESP, RFC 5282 for IKEv2) and
// ChaCha20-Poly1305 (RFC 7634, over RFC 8439).
//
// Both build their 12-byte nonce as salt (4 bytes, the tail of the keying
// material) | IV (8 bytes, explicit in each message), and append the ICV to
// the ciphertext:
//   auto k = AeadKey::create(EncrId::AesGcm16, sk_ei).value();  // key | salt
//   k->seal(iv, aad, plaintext, out);   // out = ciphertext | ICV
//   if (!k->open(iv, aad, in, plain)) drop();   // AuthFailed on a bad ICV
// One EVP_CIPHER_CTX per direction is keyed once and reused per message.
// Not thread-safe; create one per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/crypto/cipher.h"
#include "core/crypto/openssl_ptr.h"
#include "core/result.h"

namespace core::crypto {

class AeadKey {
 public:
  // create keys an AEAD transform with keymat = key | 4-byte salt. Fails with
  // Unsupported for non-AEAD or unknown IDs and InvalidSyntax for a keymat
  // length that fits no allowed key length.
  static Result<std::unique_ptr<AeadKey>> create(std::uint16_t id,
                                                 std::span<const std::uint8_t> keymat);

  const CipherInfo& info() const { return *info_; }
  std::size_t icv_size() const { return info_->icv_size; }

  // seal encrypts plaintext and authenticates it with aad; out must be
  // plaintext.size() + icv_size() bytes and receives ciphertext | ICV.
  // out may start at plaintext's first byte (in place), no other overlap.
  Status seal(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
              std::span<const std::uint8_t> plaintext, std::span<std::uint8_t> out);

  // open verifies and decrypts in = ciphertext | ICV into out
  // (in.size() - icv_size() bytes; may start at in's first byte). A wrong
  // ICV fails with AuthFailed and out is wiped.
  Status open(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
              std::span<const std::uint8_t> in, std::span<std::uint8_t> out);

  AeadKey(const CipherInfo* info, EvpCipherCtxPtr enc, EvpCipherCtxPtr dec,
          std::array<std::uint8_t, 4> salt)
      : info_(info), enc_(std::move(enc)), dec_(std::move(dec)), salt_(salt) {}
  ~AeadKey();

 private:
  Status set_nonce(EVP_CIPHER_CTX* ctx, std::span<const std::uint8_t> iv);

  const CipherInfo* info_;
  EvpCipherCtxPtr enc_;
  EvpCipherCtxPtr dec_;
  std::array<std::uint8_t, 4> salt_;
};

}  // namespace core::crypto
