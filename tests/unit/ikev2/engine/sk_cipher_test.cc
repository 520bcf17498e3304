// tests/unit/ikev2/engine/sk_cipher_test.cc — the SK payload transform,
// checked against an independent computation with raw OpenSSL EVP calls
// (RFC 7296 §3.14 for AES-CBC + HMAC, RFC 5282 §3 and §5.1 for AES-GCM).
// No published IKEv2 SK payload vector exists in RFC 5282 or RFC 7296.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>

#include "core/crypto/random.h"
#include "core/crypto/transform_ids.h"
#include "ikev2/keymat/sk_cipher.h"
#include "test_util.h"

namespace {

using core::crypto::EncrId;
using core::crypto::IntegId;
using ikev2::testutil::from_hex;
using ikev2::testutil::to_hex;

// prefix is an IKE header plus an SK generic header whose lengths are set for
// a body of body_len octets (RFC 7296 §3.1, §3.2).
std::vector<std::uint8_t> prefix(std::size_t body_len) {
  auto m = from_hex("0102030405060708 1112131415161718 2e202320 00000001 00000000 21000000");
  const std::size_t total = m.size() + body_len;
  m[24] = static_cast<std::uint8_t>(total >> 24);
  m[25] = static_cast<std::uint8_t>(total >> 16);
  m[26] = static_cast<std::uint8_t>(total >> 8);
  m[27] = static_cast<std::uint8_t>(total);
  m[30] = static_cast<std::uint8_t>((body_len + 4) >> 8);
  m[31] = static_cast<std::uint8_t>(body_len + 4);
  return m;
}

class CountingRng final : public core::crypto::Rng {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next_++;
  }

 private:
  std::uint8_t next_ = 0x40;
};

}  // namespace

TEST_CASE("SK with AES-CBC and HMAC-SHA2-256-128 matches raw OpenSSL", "[ikev2][sk]") {
  const auto ek = from_hex("000102030405060708090a0b0c0d0e0f");
  const auto ak = from_hex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
  auto sk = ikev2::SkCipher::create(EncrId::AesCbc, ek, IntegId::HmacSha2_256_128, ak).value();
  const auto plain = from_hex("2900000c01000000c0000201" "0000000801000000");  // 20 octets
  REQUIRE(sk.sealed_size(plain.size()) == 16 + 32 + 16);  // 20 + pad 11 + 1 = 32

  CountingRng rng;
  std::uint64_t counter = 0;
  auto iv = sk.make_iv(rng, counter);
  CHECK(to_hex(iv) == "404142434445464748494a4b4c4d4e4f");
  auto msg = prefix(sk.sealed_size(plain.size()));
  const std::size_t body_off = msg.size();
  REQUIRE(sk.seal(msg, plain, iv));
  REQUIRE(msg.size() == body_off + 64);

  // Independent: payloads | 11 zero octets | Pad Length 11, AES-128-CBC
  // without OpenSSL padding, then HMAC-SHA256 truncated to 16 over all before.
  std::vector<std::uint8_t> padded(plain);
  padded.resize(32, 0);
  padded[31] = 11;
  std::vector<std::uint8_t> ct(32);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int n = 0;
  REQUIRE(EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), nullptr, ek.data(), iv.data()) == 1);
  EVP_CIPHER_CTX_set_padding(c, 0);
  REQUIRE(EVP_EncryptUpdate(c, ct.data(), &n, padded.data(), 32) == 1);
  EVP_CIPHER_CTX_free(c);
  std::vector<std::uint8_t> expected = prefix(64);
  expected.insert(expected.end(), iv.begin(), iv.end());
  expected.insert(expected.end(), ct.begin(), ct.end());
  unsigned char mac[32];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), ak.data(), static_cast<int>(ak.size()), expected.data(), expected.size(), mac,
       &mac_len);
  expected.insert(expected.end(), mac, mac + 16);
  CHECK(to_hex(msg) == to_hex(expected));

  auto opened = sk.open(msg, body_off);
  REQUIRE(opened);
  CHECK(*opened == plain);

  // Any flipped bit, in the header (covered by the checksum), the IV, the
  // ciphertext or the checksum, fails integrity.
  for (std::size_t i : {std::size_t{3}, body_off, body_off + 20, msg.size() - 1}) {
    auto bad = msg;
    bad[i] ^= 0x10;
    auto r = sk.open(bad, body_off);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::ErrorCode::AuthFailed);
  }
  // A body that is not IV + whole blocks + ICV is malformed.
  auto cut = msg;
  cut.pop_back();
  CHECK(sk.open(cut, body_off).error().code == core::ErrorCode::Malformed);
}

TEST_CASE("SK with AES-GCM-16 matches raw OpenSSL, AAD up to the SK header", "[ikev2][sk]") {
  // 256-bit key | 4-octet salt (RFC 5282 §7.1).
  const auto keymat =
      from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" "cafebabe");
  auto sk = ikev2::SkCipher::create(EncrId::AesGcm16, keymat, 0, {}).value();
  const auto plain = from_hex("2b000008deadbeef00000005");
  REQUIRE(sk.sealed_size(plain.size()) == 8 + 13 + 16);

  CountingRng rng;
  std::uint64_t counter = 41;
  auto iv = sk.make_iv(rng, counter);
  CHECK(to_hex(iv) == "000000000000002a");  // the counter, not the RNG
  CHECK(counter == 42);
  auto msg = prefix(sk.sealed_size(plain.size()));
  const std::size_t body_off = msg.size();
  REQUIRE(sk.seal(msg, plain, iv));

  // Independent: nonce = salt | IV, AAD = IKE header .. SK generic header.
  std::vector<std::uint8_t> in(plain);
  in.push_back(0);  // Pad Length 0: GCM has no block alignment
  auto nonce = from_hex("cafebabe");
  nonce.insert(nonce.end(), iv.begin(), iv.end());
  std::vector<std::uint8_t> ct(in.size()), tag(16);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int n = 0;
  REQUIRE(EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1);
  REQUIRE(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1);
  REQUIRE(EVP_EncryptInit_ex(c, nullptr, nullptr, keymat.data(), nonce.data()) == 1);
  REQUIRE(EVP_EncryptUpdate(c, nullptr, &n, msg.data(), static_cast<int>(body_off)) == 1);
  REQUIRE(EVP_EncryptUpdate(c, ct.data(), &n, in.data(), static_cast<int>(in.size())) == 1);
  REQUIRE(EVP_EncryptFinal_ex(c, ct.data() + n, &n) == 1);
  REQUIRE(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag.data()) == 1);
  EVP_CIPHER_CTX_free(c);
  std::vector<std::uint8_t> expected = prefix(sk.sealed_size(plain.size()));
  expected.insert(expected.end(), iv.begin(), iv.end());
  expected.insert(expected.end(), ct.begin(), ct.end());
  expected.insert(expected.end(), tag.begin(), tag.end());
  CHECK(to_hex(msg) == to_hex(expected));

  auto opened = sk.open(msg, body_off);
  REQUIRE(opened);
  CHECK(*opened == plain);
  auto bad = msg;
  bad[8] ^= 1;  // the responder SPI is associated data
  CHECK(sk.open(bad, body_off).error().code == core::ErrorCode::AuthFailed);
}

TEST_CASE("SK round trip with ChaCha20-Poly1305 and rejects bad combinations", "[ikev2][sk]") {
  std::vector<std::uint8_t> keymat(36, 0x5a);  // 256-bit key | salt (RFC 7634 §3)
  auto sk = ikev2::SkCipher::create(EncrId::ChaCha20Poly1305, keymat, 0, {}).value();
  const auto plain = from_hex("00000008000000000102030405060708");
  CountingRng rng;
  std::uint64_t counter = 0;
  auto msg = prefix(sk.sealed_size(plain.size()));
  const std::size_t body_off = msg.size();
  REQUIRE(sk.seal(msg, plain, sk.make_iv(rng, counter)));
  CHECK(sk.open(msg, body_off).value() == plain);

  auto wrong = ikev2::SkCipher::create(EncrId::ChaCha20Poly1305, std::vector<std::uint8_t>(36, 0x5b),
                                       0, {})
                   .value();
  CHECK(wrong.open(msg, body_off).error().code == core::ErrorCode::AuthFailed);

  CHECK_FALSE(ikev2::SkCipher::create(EncrId::AesGcm16, keymat, IntegId::HmacSha2_256_128,
                                      std::vector<std::uint8_t>(32)));
  CHECK_FALSE(ikev2::SkCipher::create(EncrId::AesCbc, std::vector<std::uint8_t>(16), 0, {}));
  CHECK_FALSE(ikev2::SkCipher::create(999, std::vector<std::uint8_t>(16), 0, {}));
}
