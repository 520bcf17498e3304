// core/crypto/keys.cc — loading, generating and encoding asymmetric keys.
#include "core/crypto/keys.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/crypto/ossl_error.h"
#include "core/crypto/secure_buffer.h"

namespace core::crypto {

namespace {

using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO, BIO_free_all>>;

Result<KeyType> type_of(const EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS")) return KeyType::Rsa;
  if (EVP_PKEY_is_a(pkey, "EC")) return KeyType::Ec;
  if (EVP_PKEY_is_a(pkey, "ED25519")) return KeyType::Ed25519;
  if (EVP_PKEY_is_a(pkey, "ED448")) return KeyType::Ed448;
  return fail(ErrorCode::Unsupported, "key type {} not supported", EVP_PKEY_get0_type_name(pkey));
}

std::shared_ptr<EVP_PKEY> share(EvpPkeyPtr p) {
  return std::shared_ptr<EVP_PKEY>(p.release(), EVP_PKEY_free);
}

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// read_file slurps a key or certificate file; keys are wiped after use.
Result<SecureBytes> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::NotFound, "cannot open {}", path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  SecureBytes out(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  cleanse(text.data(), text.size());
  if (in.bad()) return fail(ErrorCode::System, "cannot read {}", path);
  return out;
}

std::string_view as_text(const SecureBytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

Result<PrivateKey> generated(EVP_PKEY* raw, std::string_view what) {
  if (raw == nullptr) return openssl_fail(fmt::format("generate {} key", what));
  return PrivateKey::adopt(EvpPkeyPtr(raw));
}

}  // namespace

std::string_view key_type_name(KeyType t) {
  switch (t) {
    case KeyType::Rsa: return "rsa";
    case KeyType::Ec: return "ecdsa";
    case KeyType::Ed25519: return "ed25519";
    case KeyType::Ed448: return "ed448";
  }
  return "?";
}

Result<PublicKey> PublicKey::adopt(EvpPkeyPtr pkey) {
  if (!pkey) return fail(ErrorCode::Internal, "null public key");
  auto type = type_of(pkey.get());
  if (!type) return tl::unexpected(type.error());
  return PublicKey(share(std::move(pkey)), *type);
}

Result<PublicKey> PublicKey::from_pem(std::string_view pem) {
  BioPtr bio = memory_bio(pem);
  if (!bio) return openssl_fail("BIO_new_mem_buf");
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) return openssl_fail("PEM certificate");
    EvpPkeyPtr pkey(X509_get_pubkey(cert.get()));
    if (!pkey) return openssl_fail("certificate public key");
    return adopt(std::move(pkey));
  }
  EvpPkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) return openssl_fail("PEM public key");
  return adopt(std::move(pkey));
}

Result<PublicKey> PublicKey::from_pem_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return tl::unexpected(text.error());
  return from_pem(as_text(*text));
}

Result<PublicKey> PublicKey::from_der(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  EvpPkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey) return openssl_fail("DER SubjectPublicKeyInfo");
  if (p != der.data() + der.size())
    return fail(ErrorCode::Malformed, "trailing bytes after SubjectPublicKeyInfo");
  auto key = adopt(std::move(pkey));
  if (!key) return key;
  // OpenSSL accepts some non-DER forms (e.g. a BIT STRING with unused bits)
  // and normalises them; a peer's key must be the canonical encoding.
  auto canonical = key->to_der();
  if (!canonical) return tl::unexpected(canonical.error());
  if (canonical->size() != der.size() || !std::equal(der.begin(), der.end(), canonical->begin()))
    return fail(ErrorCode::Malformed, "SubjectPublicKeyInfo is not in canonical DER");
  return key;
}

Result<PublicKey> PublicKey::from_certificate_der(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return openssl_fail("DER certificate");
  if (p != der.data() + der.size()) return fail(ErrorCode::Malformed, "trailing bytes after certificate");
  EvpPkeyPtr pkey(X509_get_pubkey(cert.get()));
  if (!pkey) return openssl_fail("certificate public key");
  return adopt(std::move(pkey));
}

Result<std::vector<std::uint8_t>> PublicKey::to_der() const {
  unsigned char* buf = nullptr;
  int len = i2d_PUBKEY(pkey_.get(), &buf);
  if (len <= 0) return openssl_fail("i2d_PUBKEY");
  std::vector<std::uint8_t> out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

unsigned PublicKey::bits() const { return static_cast<unsigned>(EVP_PKEY_get_bits(pkey_.get())); }

Result<PrivateKey> PrivateKey::adopt(EvpPkeyPtr pkey) {
  if (!pkey) return fail(ErrorCode::Internal, "null private key");
  auto type = type_of(pkey.get());
  if (!type) return tl::unexpected(type.error());
  return PrivateKey(share(std::move(pkey)), *type);
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem, std::string_view passphrase) {
  BioPtr bio = memory_bio(pem);
  if (!bio) return openssl_fail("BIO_new_mem_buf");
  // A non-null passphrase (even empty) with a null callback stops OpenSSL
  // from prompting on the terminal for an encrypted key.
  SecureBytes pass(passphrase.size() + 1);
  std::copy(passphrase.begin(), passphrase.end(), pass.begin());
  EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data()));
  if (!pkey) return openssl_fail("PEM private key");
  return adopt(std::move(pkey));
}

Result<PrivateKey> PrivateKey::from_pem_file(const std::string& path, std::string_view passphrase) {
  auto text = read_file(path);
  if (!text) return tl::unexpected(text.error());
  return from_pem(as_text(*text), passphrase);
}

Result<PrivateKey> PrivateKey::generate_rsa(unsigned bits) {
  return generated(EVP_RSA_gen(bits), "RSA");
}

Result<PrivateKey> PrivateKey::generate_ec(std::string_view curve) {
  std::string name(curve);
  return generated(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", name.c_str()), "EC");
}

Result<PrivateKey> PrivateKey::generate_ed25519() {
  return generated(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), "Ed25519");
}

Result<std::string> PrivateKey::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1)
    return openssl_fail("PEM_write_bio_PrivateKey");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string out(data, static_cast<std::size_t>(len));
  // The memory BIO's buffer is freed without wiping; clear it first.
  cleanse(data, static_cast<std::size_t>(len));
  return out;
}

Result<PublicKey> PrivateKey::public_key() const {
  unsigned char* buf = nullptr;
  int len = i2d_PUBKEY(pkey_.get(), &buf);
  if (len <= 0) return openssl_fail("i2d_PUBKEY");
  auto key = PublicKey::from_der({buf, static_cast<std::size_t>(len)});
  OPENSSL_free(buf);
  return key;
}

unsigned PrivateKey::bits() const { return static_cast<unsigned>(EVP_PKEY_get_bits(pkey_.get())); }

}  // namespace core::crypto
