// Tests for core/crypto/keys.h and sign.h: Ed25519 known answers, sign/verify
// round trips with tampering, key encodings, and the bit-flip sweep over the
// key and signature decoders.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bitflip.h"
#include "core/crypto/sign.h"
#include "hex.h"

using core::ErrorCode;
using core::crypto::EcdsaFormat;
using core::crypto::HashAlg;
using core::crypto::PrivateKey;
using core::crypto::PublicKey;
using core::crypto::SigScheme;
using core::crypto::SignParams;
using crypto_test::hex;
using crypto_test::text;
using crypto_test::unhex;

namespace {

// Table 1: Ed25519, RFC 8032 §7.1 TEST 1 and TEST 2 (pure Ed25519 is
// deterministic, so the signature is a known answer).
struct EdVector {
  int n;
  const char* source;
  const char* secret;
  const char* pub;
  const char* message;
  const char* signature;
};

const EdVector kEdVectors[] = {
    {1, "RFC 8032 7.1 TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {2, "RFC 8032 7.1 TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
};

const PrivateKey& rsa_key() {
  static PrivateKey key = PrivateKey::generate_rsa(2048).value();
  return key;
}

// self_signed makes a minimal X.509 certificate for key, as a CERT payload
// would carry it.
std::vector<std::uint8_t> self_signed_der(const PrivateKey& key) {
  X509* x = X509_new();
  REQUIRE(x != nullptr);
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("kagi test"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  REQUIRE(X509_set_pubkey(x, key.get()) == 1);
  REQUIRE(X509_sign(x, key.get(), EVP_sha256()) > 0);
  unsigned char* buf = nullptr;
  int len = i2d_X509(x, &buf);
  REQUIRE(len > 0);
  std::vector<std::uint8_t> der(buf, buf + len);
  OPENSSL_free(buf);
  X509_free(x);
  return der;
}

void check_round_trip(const PrivateKey& key, const SignParams& params, std::size_t raw_size = 0) {
  auto pub = key.public_key();
  REQUIRE(pub);
  const auto msg = text("IKE_SA_INIT message | Nr | prf(SK_pi, IDi')");
  auto sig = core::crypto::sign(key, params, msg);
  REQUIRE(sig);
  if (raw_size != 0) CHECK(sig->size() == raw_size);
  CHECK(core::crypto::verify(*pub, params, msg, *sig));

  auto other = msg;
  other.back() ^= 1;
  auto bad_msg = core::crypto::verify(*pub, params, other, *sig);
  REQUIRE_FALSE(bad_msg);
  CHECK(bad_msg.error().code == ErrorCode::AuthFailed);
  for (std::size_t i = 0; i < sig->size(); i += sig->size() / 5 + 1) {
    auto bad = *sig;
    bad[i] ^= 0x10;
    auto r = core::crypto::verify(*pub, params, msg, bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::AuthFailed);
  }
  auto truncated = core::crypto::verify(*pub, params, msg, std::span(*sig).first(sig->size() - 1));
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().code == ErrorCode::AuthFailed);
}

}  // namespace

TEST_CASE("Ed25519 known answers", "[crypto][sign]") {
  for (const auto& v : kEdVectors) {
    INFO("vector " << v.n << " (" << v.source << ")");
    auto secret = unhex(v.secret);
    auto key = PrivateKey::adopt(core::crypto::EvpPkeyPtr(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, secret.data(), secret.size())));
    REQUIRE(key);
    CHECK(key->type() == core::crypto::KeyType::Ed25519);
    auto pub = unhex(v.pub);
    auto pkey = PublicKey::adopt(core::crypto::EvpPkeyPtr(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), pub.size())));
    REQUIRE(pkey);
    const SignParams ed{SigScheme::EdDsa};
    auto msg = unhex(v.message);
    auto sig = core::crypto::sign(*key, ed, msg);
    REQUIRE(sig);
    CHECK(hex(*sig) == hex(unhex(v.signature)));
    CHECK(core::crypto::verify(*pkey, ed, msg, unhex(v.signature)));
    msg.push_back(0);
    CHECK_FALSE(core::crypto::verify(*pkey, ed, msg, unhex(v.signature)));
  }
}

TEST_CASE("RSA PKCS#1 v1.5 and PSS sign and verify", "[crypto][sign]") {
  for (auto h : {HashAlg::Sha1, HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512}) {
    INFO("hash " << core::crypto::hash_name(h));
    check_round_trip(rsa_key(), {SigScheme::RsaPkcs1, h}, 256);
    check_round_trip(rsa_key(), {SigScheme::RsaPss, h}, 256);
  }
  // PKCS#1 v1.5 is deterministic; PSS is salted, so two signatures differ.
  const auto msg = text("m");
  auto a = core::crypto::sign(rsa_key(), {SigScheme::RsaPkcs1, HashAlg::Sha256}, msg);
  auto b = core::crypto::sign(rsa_key(), {SigScheme::RsaPkcs1, HashAlg::Sha256}, msg);
  auto c = core::crypto::sign(rsa_key(), {SigScheme::RsaPss, HashAlg::Sha256}, msg);
  auto d = core::crypto::sign(rsa_key(), {SigScheme::RsaPss, HashAlg::Sha256}, msg);
  REQUIRE((a && b && c && d));
  CHECK(*a == *b);
  CHECK(*c != *d);
  // A PSS signature does not verify as PKCS#1 v1.5, nor under another hash.
  auto pub = rsa_key().public_key();
  REQUIRE(pub);
  CHECK_FALSE(core::crypto::verify(*pub, {SigScheme::RsaPkcs1, HashAlg::Sha256}, msg, *c));
  CHECK_FALSE(core::crypto::verify(*pub, {SigScheme::RsaPss, HashAlg::Sha384}, msg, *c));
}

TEST_CASE("ECDSA signs and verifies in DER and raw r|s form", "[crypto][sign]") {
  struct Row {
    const char* curve;
    HashAlg hash;
    std::size_t raw;
  };
  for (auto r : {Row{"P-256", HashAlg::Sha256, 64}, Row{"P-384", HashAlg::Sha384, 96},
                 Row{"P-521", HashAlg::Sha512, 132}}) {
    INFO(r.curve);
    auto key = PrivateKey::generate_ec(r.curve);
    REQUIRE(key);
    CHECK(key->type() == core::crypto::KeyType::Ec);
    check_round_trip(*key, {SigScheme::Ecdsa, r.hash, EcdsaFormat::Der});
    check_round_trip(*key, {SigScheme::Ecdsa, r.hash, EcdsaFormat::Raw}, r.raw);
    // DER and raw forms convert into each other.
    auto der = core::crypto::sign(*key, {SigScheme::Ecdsa, r.hash}, text("x"));
    REQUIRE(der);
    auto raw = core::crypto::ecdsa_der_to_raw(*der, r.raw / 2);
    REQUIRE(raw);
    auto back = core::crypto::ecdsa_raw_to_der(*raw);
    REQUIRE(back);
    CHECK(*back == *der);
  }
}

TEST_CASE("Ed25519 fresh keys sign and verify", "[crypto][sign]") {
  auto key = PrivateKey::generate_ed25519();
  REQUIRE(key);
  check_round_trip(*key, {SigScheme::EdDsa}, 64);
}

TEST_CASE("schemes that do not fit the key are refused", "[crypto][sign]") {
  auto ec = PrivateKey::generate_ec("P-256");
  REQUIRE(ec);
  auto r = core::crypto::sign(*ec, {SigScheme::RsaPss, HashAlg::Sha256}, text("x"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::InvalidSyntax);
  auto rsa_pub = rsa_key().public_key();
  REQUIRE(rsa_pub);
  auto v = core::crypto::verify(*rsa_pub, {SigScheme::Ecdsa, HashAlg::Sha256}, text("x"),
                                unhex("3006020101020101"));
  REQUIRE_FALSE(v);
  CHECK(v.error().code == ErrorCode::InvalidSyntax);
  // A signature from another key of the same type fails as AuthFailed.
  auto ec2 = PrivateKey::generate_ec("P-256");
  REQUIRE(ec2);
  auto sig = core::crypto::sign(*ec, {SigScheme::Ecdsa, HashAlg::Sha256}, text("x"));
  REQUIRE(sig);
  auto other_pub = ec2->public_key();
  REQUIRE(other_pub);
  auto w = core::crypto::verify(*other_pub, {SigScheme::Ecdsa, HashAlg::Sha256}, text("x"), *sig);
  REQUIRE_FALSE(w);
  CHECK(w.error().code == ErrorCode::AuthFailed);
}

TEST_CASE("keys load from PEM, DER, files and certificates", "[crypto][keys]") {
  auto ec = PrivateKey::generate_ec("P-384");
  REQUIRE(ec);
  auto pem = ec->to_pem();
  REQUIRE(pem);
  CHECK(pem->find("-----BEGIN PRIVATE KEY-----") != std::string::npos);
  auto loaded = PrivateKey::from_pem(*pem);
  REQUIRE(loaded);
  CHECK(loaded->type() == core::crypto::KeyType::Ec);
  CHECK(loaded->bits() == 384);
  // A signature by the reloaded key verifies under the original's public key.
  auto sig = core::crypto::sign(*loaded, {SigScheme::Ecdsa, HashAlg::Sha384}, text("m"));
  REQUIRE(sig);
  auto pub = ec->public_key();
  REQUIRE(pub);
  CHECK(core::crypto::verify(*pub, {SigScheme::Ecdsa, HashAlg::Sha384}, text("m"), *sig));

  // SubjectPublicKeyInfo DER round trip.
  auto der = pub->to_der();
  REQUIRE(der);
  auto from_der = PublicKey::from_der(*der);
  REQUIRE(from_der);
  CHECK(from_der->to_der().value() == *der);
  auto trailing = *der;
  trailing.push_back(0);
  CHECK_FALSE(PublicKey::from_der(trailing));

  // Files.
  const std::string path = "kagi_crypto_test_key.pem";
  { std::ofstream(path) << *pem; }
  auto from_file = PrivateKey::from_pem_file(path);
  std::remove(path.c_str());
  REQUIRE(from_file);
  auto missing = PrivateKey::from_pem_file("/nonexistent/kagi.key");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK_FALSE(PrivateKey::from_pem("not a key"));

  // Certificates, DER and PEM.
  auto cert = self_signed_der(*ec);
  auto cert_key = PublicKey::from_certificate_der(cert);
  REQUIRE(cert_key);
  CHECK(cert_key->to_der().value() == *der);
  const unsigned char* p = cert.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(cert.size()));
  REQUIRE(x != nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  REQUIRE(PEM_write_bio_X509(bio, x) == 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  auto from_cert_pem = PublicKey::from_pem(std::string_view(data, static_cast<std::size_t>(len)));
  BIO_free(bio);
  X509_free(x);
  REQUIRE(from_cert_pem);
  CHECK(from_cert_pem->to_der().value() == *der);
}

TEST_CASE("encrypted PEM keys need the right passphrase and never prompt", "[crypto][keys]") {
  auto key = PrivateKey::generate_ec("P-256");
  REQUIRE(key);
  BIO* bio = BIO_new(BIO_s_mem());
  const char pass[] = "correct horse";
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio, key->get(), EVP_aes_256_cbc(), pass,
                                        sizeof(pass) - 1, nullptr, nullptr) == 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  CHECK(pem.find("ENCRYPTED") != std::string::npos);
  CHECK(PrivateKey::from_pem(pem, "correct horse"));
  CHECK_FALSE(PrivateKey::from_pem(pem, "wrong"));
  CHECK_FALSE(PrivateKey::from_pem(pem));
}

TEST_CASE("key and signature decoders survive the bit-flip sweep", "[crypto][keys][bitflip]") {
  auto key = PrivateKey::generate_ec("P-256");
  REQUIRE(key);
  auto der = key->public_key().value().to_der();
  REQUIRE(der);
  // Whatever decodes must re-encode to the same bytes (decode(encode(x)) == x).
  testing::for_each_mutation(*der, [&](std::span<const std::uint8_t> m) {
    auto k = PublicKey::from_der(m);
    if (k) CHECK(hex(k->to_der().value()) == hex(m));
  });
  auto cert = self_signed_der(*key);
  testing::for_each_mutation(cert, [&](std::span<const std::uint8_t> m) {
    (void)PublicKey::from_certificate_der(m);
  });
  auto sig = core::crypto::sign(*key, {SigScheme::Ecdsa, HashAlg::Sha256}, text("m"));
  REQUIRE(sig);
  auto pub = key->public_key();
  REQUIRE(pub);
  std::size_t verified = 0;
  testing::for_each_mutation(*sig, [&](std::span<const std::uint8_t> m) {
    (void)core::crypto::ecdsa_der_to_raw(m, 32);
    if (core::crypto::verify(*pub, {SigScheme::Ecdsa, HashAlg::Sha256}, text("m"), m)) ++verified;
  });
  CHECK(verified == 0);
}
