// ikev2/keymat/sk_cipher.h — protecting and opening the Encrypted payload
// (SK, RFC 7296 §3.14; AEAD per RFC 5282 §3 and RFC 7634 §4).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                     Initialization Vector                     |
//    |         (length is block size for encryption algorithm)       |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                    Encrypted IKE Payloads                     ~
//    +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |               |             Padding (0-255 octets)            |
//    +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
//    |                                               |  Pad Length   |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                    Integrity Checksum Data                    ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// With a classic cipher (AES-CBC, AES-CTR, 3DES) the checksum is the
// integrity transform over the whole message from the IKE header through Pad
// Length. With an AEAD cipher the checksum is the AEAD tag and the associated
// data is the IKE header through the SK generic header (RFC 5282 §5.1).
// Both cases need the final message and payload lengths before sealing, so
// the caller writes those headers with sealed_size() and then calls seal().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/crypto/aead.h"
#include "core/crypto/cipher.h"
#include "core/crypto/integ.h"
#include "core/crypto/random.h"
#include "core/result.h"

namespace ikev2 {

// SkCipher is the SK transform of one direction of an IKE_SA, keyed with
// SK_ei/SK_ai (initiator's sending side) or SK_er/SK_ar. Built per message
// from the SA's keys, so an idle SA holds keys only, never OpenSSL contexts.
// Not thread-safe.
class SkCipher {
 public:
  // create keys the transforms. encr_keymat is the key plus any salt;
  // integ is 0 (and integ_key empty) for AEAD ciphers. Fails Unsupported for
  // an unknown transform and InvalidSyntax for a wrong key length or an
  // AEAD cipher combined with an integrity transform.
  static core::Result<SkCipher> create(std::uint16_t encr, std::span<const std::uint8_t> encr_keymat,
                                       std::uint16_t integ, std::span<const std::uint8_t> integ_key);

  std::size_t iv_size() const;
  std::size_t icv_size() const;
  bool aead() const { return aead_ != nullptr; }

  // sealed_size is the SK payload body length (IV, ciphertext with padding
  // and Pad Length, checksum) for plain_len octets of inner payloads.
  std::size_t sealed_size(std::size_t plain_len) const;

  // make_iv returns a fresh IV: random for classic ciphers (CBC needs an
  // unpredictable IV, RFC 7296 §3.14), a per-SA counter for AEAD ciphers,
  // whose nonce must never repeat under one key (RFC 5282 §3.1). counter is
  // the SA's, incremented here.
  std::vector<std::uint8_t> make_iv(core::crypto::Rng& rng, std::uint64_t& counter) const;

  // seal appends the SK body to message, which must hold the IKE header
  // through the SK generic header with both lengths already final
  // (header length == message.size() + sealed_size(plain.size())).
  core::Status seal(std::vector<std::uint8_t>& message, std::span<const std::uint8_t> plain,
                    std::span<const std::uint8_t> iv);

  // open checks and decrypts the SK body that starts at body_offset of
  // message (the whole received message, which must end with the SK payload)
  // and returns the inner payloads with padding removed. Fails AuthFailed
  // on a bad checksum and Malformed on lengths that do not fit.
  core::Result<std::vector<std::uint8_t>> open(std::span<const std::uint8_t> message,
                                               std::size_t body_offset);

 private:
  SkCipher() = default;
  std::size_t block_size() const;

  const core::crypto::CipherInfo* info_ = nullptr;
  std::unique_ptr<core::crypto::AeadKey> aead_;
  std::unique_ptr<core::crypto::CipherKey> cipher_;
  std::unique_ptr<core::crypto::IntegKey> integ_;
};

}  // namespace ikev2
