// core/crypto/keys.h — asymmetric keys for IKEv2 authentication: RSA, ECDSA
// (P-256/384/521) and Ed25519/Ed448, loaded from PEM or DER.
//
//   auto key = PrivateKey::from_pem_file("/etc/kagi/host.key").value();
//   auto peer = PublicKey::from_certificate_der(cert_payload_data).value();
// Both classes own one EVP_PKEY reference; copies share the (immutable) key,
// so a key may be used from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/openssl_ptr.h"
#include "core/result.h"

namespace core::crypto {

// KeyType is the algorithm family of a key. RSA-PSS-restricted keys
// (id-RSASSA-PSS) count as Rsa.
enum class KeyType : std::uint8_t { Rsa, Ec, Ed25519, Ed448 };

std::string_view key_type_name(KeyType t);

class PublicKey {
 public:
  // from_pem reads a SubjectPublicKeyInfo ("PUBLIC KEY") or the key of the
  // first X.509 certificate ("CERTIFICATE") in pem.
  static Result<PublicKey> from_pem(std::string_view pem);
  static Result<PublicKey> from_pem_file(const std::string& path);
  // from_der reads a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7; the "Raw
  // Public Key" CERT encoding of RFC 7670); anything but canonical DER, or
  // trailing bytes, fails with Malformed.
  static Result<PublicKey> from_der(std::span<const std::uint8_t> der);
  // from_certificate_der takes the key of a DER X.509 certificate (the
  // "X.509 Certificate - Signature" CERT encoding, RFC 7296 §3.6).
  static Result<PublicKey> from_certificate_der(std::span<const std::uint8_t> der);

  // to_der encodes the key as a DER SubjectPublicKeyInfo.
  Result<std::vector<std::uint8_t>> to_der() const;

  KeyType type() const { return type_; }
  // bits is the modulus size (RSA) or the group order size (EC, Ed*).
  unsigned bits() const;
  EVP_PKEY* get() const { return pkey_.get(); }

  // adopt wraps an EVP_PKEY reference (taking ownership); fails for key
  // types kagi does not sign with.
  static Result<PublicKey> adopt(EvpPkeyPtr pkey);

 private:
  PublicKey(std::shared_ptr<EVP_PKEY> pkey, KeyType type) : pkey_(std::move(pkey)), type_(type) {}
  std::shared_ptr<EVP_PKEY> pkey_;
  KeyType type_;
};

class PrivateKey {
 public:
  // from_pem reads a private key (PKCS#8, or traditional RSA / EC), which
  // may be encrypted under passphrase. Never prompts on a terminal.
  static Result<PrivateKey> from_pem(std::string_view pem, std::string_view passphrase = {});
  static Result<PrivateKey> from_pem_file(const std::string& path,
                                          std::string_view passphrase = {});

  // generate_* create fresh keys (tests, key generation tools).
  static Result<PrivateKey> generate_rsa(unsigned bits);
  static Result<PrivateKey> generate_ec(std::string_view curve);  // "P-256", "P-384", "P-521"
  static Result<PrivateKey> generate_ed25519();

  // to_pem writes an unencrypted PKCS#8 PEM. The returned string holds the
  // secret key and is not wiped; write it out and drop it.
  Result<std::string> to_pem() const;
  // public_key returns the public half.
  Result<PublicKey> public_key() const;

  KeyType type() const { return type_; }
  unsigned bits() const;
  EVP_PKEY* get() const { return pkey_.get(); }

  static Result<PrivateKey> adopt(EvpPkeyPtr pkey);

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> pkey, KeyType type) : pkey_(std::move(pkey)), type_(type) {}
  std::shared_ptr<EVP_PKEY> pkey_;
  KeyType type_;
};

}  // namespace core::crypto
