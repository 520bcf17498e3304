// core/crypto/sign.h — digital signatures for IKEv2 AUTH payloads: RSA
// PKCS#1 v1.5 and RSASSA-PSS (RFC 8017), ECDSA over P-256/384/521 and
// Ed25519/Ed448 (RFC 8032), over keys from keys.h.
//
//   auto sig = sign(key, {SigScheme::RsaPss, HashAlg::Sha256}, signed_octets);
//   if (auto s = verify(peer, params, signed_octets, auth_data); !s) ...
// IKEv2 auth method 1 (RSA Digital Signature, RFC 7296 §3.8) is RsaPkcs1
// with SHA-1; methods 9-11 (RFC 4754) are Ecdsa with EcdsaFormat::Raw; the
// Digital Signature method 14 (RFC 7427) carries the scheme and hash in an
// AlgorithmIdentifier and uses DER ECDSA signatures.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/crypto/hash.h"
#include "core/crypto/keys.h"
#include "core/result.h"

namespace core::crypto {

enum class SigScheme : std::uint8_t {
  RsaPkcs1,  // RSASSA-PKCS1-v1_5 (RFC 8017 §8.2)
  RsaPss,    // RSASSA-PSS with MGF1 over the same hash (RFC 8017 §8.1)
  Ecdsa,     // ECDSA (FIPS 186-4)
  EdDsa,     // pure Ed25519 / Ed448 (RFC 8032); the hash is ignored
};

// EcdsaFormat: Der is the ASN.1 Ecdsa-Sig-Value (RFC 7427 §3, RFC 3279);
// Raw is r | s, each left-padded to the group order's length (RFC 4754 §7).
enum class EcdsaFormat : std::uint8_t { Der, Raw };

struct SignParams {
  SigScheme scheme = SigScheme::RsaPkcs1;
  HashAlg hash = HashAlg::Sha256;
  EcdsaFormat ecdsa_format = EcdsaFormat::Der;
  // pss_salt_len is the PSS salt length in bytes; -1 means the hash length
  // (what RFC 7427 peers use in practice).
  int pss_salt_len = -1;
};

// sign signs data. Fails with InvalidSyntax when the scheme does not fit the
// key's type, Crypto when OpenSSL fails.
Result<std::vector<std::uint8_t>> sign(const PrivateKey& key, const SignParams& params,
                                       std::span<const std::uint8_t> data);

// verify checks sig over data: ok, or AuthFailed for a signature that does
// not verify (including a malformed one), InvalidSyntax for a scheme that
// does not fit the key.
Status verify(const PublicKey& key, const SignParams& params, std::span<const std::uint8_t> data,
              std::span<const std::uint8_t> sig);

// ecdsa_der_to_raw and ecdsa_raw_to_der convert ECDSA signature encodings;
// order_bytes is the group order's length (32, 48, 66).
Result<std::vector<std::uint8_t>> ecdsa_der_to_raw(std::span<const std::uint8_t> der,
                                                   std::size_t order_bytes);
Result<std::vector<std::uint8_t>> ecdsa_raw_to_der(std::span<const std::uint8_t> raw);

}  // namespace core::crypto
