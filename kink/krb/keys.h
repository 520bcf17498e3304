// kink/krb/keys.h — KINK's use of the Kerberos session key: the RFC 3961
// PRF and the KEYMAT expansion built on it, KINK_ENCRYPT encryption and the
// KINK checksum, all through MIT's krb5_c_* crypto.
//
//   SessionKey k = accepted.key;                        // the ticket's session key
//   auto keymat = prf_plus(ctx, k, seed, 2 * 36);      // per SPI and direction
//   auto ct = encrypt(ctx, k, inner_payloads);          // KINK_ENCRYPT body
//   auto ck = make_checksum(ctx, k, message_without_cksum);
//
// RFC 4430 keys everything with the session key of the service ticket (the
// one in the AP-REQ); authenticator and AP-REP subkeys are never used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/crypto/secure_buffer.h"
#include "core/result.h"

namespace kink::krb {

class Context;

// kKeyUsageKinkEncrypt is the key usage number of KINK_ENCRYPT (RFC 4430
// §4.2.7; IANA Kerberos Key Usage Numbers: 39).
inline constexpr std::int32_t kKeyUsageKinkEncrypt = 39;
// kKeyUsageKinkChecksum is the key usage number of the KINK message
// checksum (RFC 4430 §4 "Cksum"; IANA Kerberos Key Usage Numbers: 40).
inline constexpr std::int32_t kKeyUsageKinkChecksum = 40;

// SessionKey is a Kerberos key as a plain value: its enctype (RFC 3961 §8,
// e.g. 18 = aes256-cts-hmac-sha1-96) and the key octets, wiped on release.
struct SessionKey {
  std::int32_t enctype = 0;
  core::crypto::SecureBytes bytes;

  bool operator==(const SessionKey& o) const { return enctype == o.enctype && bytes == o.bytes; }
};

// random_key makes a fresh random key of enctype (krb5_c_make_random_key).
// NoProposal when krb5 does not know the enctype.
core::Result<SessionKey> random_key(const Context& ctx, std::int32_t enctype);

// prf_length is the output size of the PRF of enctype (RFC 3961 §3
// "pseudo-random function"; 16 for the RFC 3962 AES types, 32/48 for
// RFC 8009's).
core::Result<std::size_t> prf_length(const Context& ctx, std::int32_t enctype);

// prf is the enctype's RFC 3961 §3 pseudo-random function of key over input
// (krb5_c_prf).
core::Result<core::crypto::SecureBytes> prf(const Context& ctx, const SessionKey& key,
                                            std::span<const std::uint8_t> input);

// prf_plus expands prf into `length` octets of KINK KEYMAT: RFC 4430 keeps
// IKEv1 Quick Mode's KEYMAT derivation (RFC 2409 §5.5) with SKEYID_d = the
// ticket's session key and prf = its enctype's RFC 3961 PRF:
//   K1 = prf(key, seed),  Kn+1 = prf(key, Kn | seed),  KEYMAT = K1 | K2 | ...
// where seed = [g(qm)^xy |] protocol | SPI | Ni_b [| Nr_b], built by the
// caller. This is not IKEv2's prf+ (no counter octet). InvalidSyntax when
// length is 0 or above 255 PRF blocks.
core::Result<core::crypto::SecureBytes> prf_plus(const Context& ctx, const SessionKey& key,
                                                 std::span<const std::uint8_t> seed, std::size_t length);

// encrypt is the RFC 3961 encryption of plaintext with key under key usage
// 39 (KINK_ENCRYPT, RFC 4430 §4.2.7): confounder, ciphertext and integrity
// tag in one octet string.
core::Result<std::vector<std::uint8_t>> encrypt(const Context& ctx, const SessionKey& key,
                                                std::span<const std::uint8_t> plaintext);

// decrypt reverses encrypt. AuthFailed when the integrity check fails (a
// modified KINK_ENCRYPT or another key), Malformed when ciphertext is too
// short to hold the confounder and tag.
core::Result<core::crypto::SecureBytes> decrypt(const Context& ctx, const SessionKey& key,
                                                std::span<const std::uint8_t> ciphertext);

// make_checksum is the KINK Cksum (RFC 4430 §4): get_mic of data with key
// under key usage 40, using the enctype's mandatory (keyed) checksum type.
core::Result<std::vector<std::uint8_t>> make_checksum(const Context& ctx, const SessionKey& key,
                                                      std::span<const std::uint8_t> data);

// verify_checksum checks a received Cksum over data; AuthFailed when it
// does not match (including a checksum of the wrong length).
core::Status verify_checksum(const Context& ctx, const SessionKey& key, std::span<const std::uint8_t> data,
                             std::span<const std::uint8_t> cksum);

}  // namespace kink::krb
