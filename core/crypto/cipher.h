// core/crypto/cipher.h — IKEv2/ESP encryption transforms (RFC 7296 §3.3.2
// Transform Type 1): their description table and the keyed non-AEAD cipher.
// AEAD transforms are keyed through aead.h.
//
// Keying material, as IKEv2 derives it (RFC 7296 §2.14, §2.17), is the cipher
// key followed by salt_size bytes: the CTR nonce (RFC 3686 §5.1, RFC 5930),
// the GCM salt (RFC 4106 §8.1, RFC 5282 §7.1) or the ChaCha20-Poly1305 salt
// (RFC 7634 §2). The key length is implied by the material's length.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/crypto/openssl_ptr.h"
#include "core/crypto/transform_ids.h"
#include "core/result.h"

namespace core::crypto {

// CipherInfo describes one encryption transform.
struct CipherInfo {
  std::uint16_t id;
  std::string_view name;                 // IANA name, "ENCR_AES_CBC"
  std::array<std::uint16_t, 3> key_bits;  // allowed key lengths; unused slots 0xffff
  bool key_length_attribute;             // proposals carry a Key Length attribute (RFC 7296 §3.3.5)
  std::size_t salt_size;                 // bytes of keying material after the key
  std::size_t block_size;                // plaintext length must be a multiple (1: any)
  std::size_t iv_size;                   // explicit IV carried in each message
  std::size_t icv_size;                  // AEAD tag length; 0 for non-AEAD
  bool aead;

  // allows_key_bits says whether bits is a legal key length (0 for NULL).
  bool allows_key_bits(unsigned bits) const;
  // default_key_bits is the only length of a fixed-length cipher, else 0.
  unsigned default_key_bits() const;
  // keymat_size is the bytes of keying material for a key of bits length.
  std::size_t keymat_size(unsigned bits) const { return bits / 8 + salt_size; }
};

// cipher_info describes a Transform Type 1 ID, or returns nullptr when kagi
// does not implement it.
const CipherInfo* cipher_info(std::uint16_t id);

// CipherKey is a non-AEAD transform (3DES, AES-CBC, AES-CTR, NULL) keyed once
// per SA direction, with one EVP_CIPHER_CTX per direction reused per
// message. Not thread-safe; create one per thread.
class CipherKey {
 public:
  // create keys transform id with keymat (key, plus the 4-byte nonce for
  // AES-CTR). Fails with Unsupported for unknown or AEAD transforms and
  // InvalidSyntax for a keymat length that fits no allowed key length.
  static Result<std::unique_ptr<CipherKey>> create(std::uint16_t id,
                                                   std::span<const std::uint8_t> keymat);

  const CipherInfo& info() const { return *info_; }

  // encrypt and decrypt transform in into out (same length; in and out may
  // be the same memory but must not otherwise overlap). iv is iv_size bytes.
  // For CBC the length must be a multiple of block_size (callers pad, as
  // ESP and the SK payload do); CTR and NULL take any length.
  Status encrypt(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in,
                 std::span<std::uint8_t> out);
  Status decrypt(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in,
                 std::span<std::uint8_t> out);

  CipherKey(const CipherInfo* info, EvpCipherCtxPtr enc, EvpCipherCtxPtr dec,
            std::array<std::uint8_t, 4> nonce)
      : info_(info), enc_(std::move(enc)), dec_(std::move(dec)), nonce_(nonce) {}

 private:
  Status run(EVP_CIPHER_CTX* ctx, std::span<const std::uint8_t> iv,
             std::span<const std::uint8_t> in, std::span<std::uint8_t> out);

  const CipherInfo* info_;
  // Separate contexts: an AES key schedule for decryption differs from the
  // one for encryption, and re-initialising with a null key keeps the old one.
  EvpCipherCtxPtr enc_;
  EvpCipherCtxPtr dec_;
  std::array<std::uint8_t, 4> nonce_;  // AES-CTR nonce (RFC 3686 §4)
};

}  // namespace core::crypto
