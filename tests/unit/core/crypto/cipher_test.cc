// Tests for core/crypto/cipher.h: the transform table and CipherKey.
#include <catch2/catch.hpp>

#include "core/crypto/cipher.h"
#include "hex.h"

using core::crypto::cipher_info;
using core::crypto::CipherKey;
using core::crypto::EncrId;
using crypto_test::hex;
using crypto_test::text;
using crypto_test::unhex;

namespace {

struct CipherVector {
  int n;
  const char* source;
  std::uint16_t id;
  std::vector<std::uint8_t> keymat;  // key (| nonce for CTR)
  std::vector<std::uint8_t> iv;
  std::vector<std::uint8_t> plain;
  const char* cipher;
};

const auto kCount32 = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const auto kCount36 = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223");

// Table 1: ENCR_AES_CBC, RFC 3602 §4 cases 1-4.
// Table 2: ENCR_AES_CTR, RFC 3686 §6 test vectors 1-9 (keymat = key | nonce).
// Table 3: ENCR_3DES, NIST CAVP TDES CBC Multi-block Message Test (TCBCMMT3),
//          the two cases strongSwan's test_vectors/3des_cbc.c carries.
const std::vector<CipherVector> kCipherVectors = {
    {1, "RFC 3602 4 case 1", EncrId::AesCbc, unhex("06a9214036b8a15b512e03d534120006"),
     unhex("3dafba429d9eb430b422da802c9fac41"), text("Single block msg"),
     "e353779c1079aeb82708942dbe77181a"},
    {2, "RFC 3602 4 case 2", EncrId::AesCbc, unhex("c286696d887c9aa0611bbb3e2025a45a"),
     unhex("562e17996d093d28ddb3ba695a2e6f58"), kCount32,
     "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
    {3, "RFC 3602 4 case 3", EncrId::AesCbc, unhex("6c3ea0477630ce21a2ce334aa746c2cd"),
     unhex("c782dc4c098c66cbd9cd27d825682c81"), text("This is a 48-byte message (exactly 3 AES blocks)"),
     "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5"
     "021c19216bad525c8579695d83ba2684"},
    {4, "RFC 3602 4 case 4", EncrId::AesCbc, unhex("56e47a38c5598974bc46903dba290349"),
     unhex("8ce82eefbea0da3c44699ed7db51b7d9"),
     unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
           "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"),
     "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
     "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55"},
    {5, "RFC 3686 6 tv1", EncrId::AesCtr, unhex("ae6852f8121067cc4bf7a5765577f39e 00000030"),
     unhex("0000000000000000"), text("Single block msg"), "e4095d4fb7a7b3792d6175a3261311b8"},
    {6, "RFC 3686 6 tv2", EncrId::AesCtr, unhex("7e24067817fae0d743d6ce1f32539163 006cb6db"),
     unhex("c0543b59da48d90b"), kCount32,
     "5104a106168a72d9790d41ee8edad388eb2e1efc46da57c8fce630df9141be28"},
    {7, "RFC 3686 6 tv3", EncrId::AesCtr, unhex("7691be035e5020a8ac6e618529f9a0dc 00e0017b"),
     unhex("27777f3f4a1786f0"), kCount36,
     "c1cf48a89f2ffdd9cf4652e9efdb72d74540a42bde6d7836d59a5ceaaef3105325b2072f"},
    {8, "RFC 3686 6 tv4", EncrId::AesCtr,
     unhex("16af5b145fc9f579c175f93e3bfb0eed863d06ccfdb78515 00000048"), unhex("36733c147d6d93cb"),
     text("Single block msg"), "4b55384fe259c9c84e7935a003cbe928"},
    {9, "RFC 3686 6 tv5", EncrId::AesCtr,
     unhex("7c5cb2401b3dc33c19e7340819e0f69c678c3db8e6f6a91a 0096b03b"), unhex("020c6eadc2cb500d"),
     kCount32, "453243fc609b23327edfaafa7131cd9f8490701c5ad4a79cfc1fe0ff42f4fb00"},
    {10, "RFC 3686 6 tv6", EncrId::AesCtr,
     unhex("02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe 0007bdfd"), unhex("5cbd60278dcc0912"),
     kCount36, "96893fc55e5c722f540b7dd1ddf7e758d288bc95c69165884536c811662f2188abee0935"},
    {11, "RFC 3686 6 tv7", EncrId::AesCtr,
     unhex("776beff2851db06f4c8a0542c8696f6c6a81af1eec96b4d37fc1d689e6c1c104 00000060"),
     unhex("db5672c97aa8f0b2"), text("Single block msg"), "145ad01dbf824ec7560863dc71e3e0c0"},
    {12, "RFC 3686 6 tv8", EncrId::AesCtr,
     unhex("f6d66d6bd52d59bb0796365879eff886c66dd51a5b6a99744b50590c87a23884 00faac24"),
     unhex("c1585ef15a43d875"), kCount32,
     "f05e231b3894612c49ee000b804eb2a9b8306b508f839d6a5530831d9344af1c"},
    {13, "RFC 3686 6 tv9", EncrId::AesCtr,
     unhex("ff7a617ce69148e4f1726e2f43581de2aa62d9f805532edff1eed687fb54153d 001cc5b7"),
     unhex("51a51d70a1c11148"), kCount36,
     "eb6c52821d0bbbf7ce7594462aca4faab407df866569fd07f48cc0b583d6071f1ec0e6b8"},
    {14, "NIST TCBCMMT3 (strongSwan 3des_cbc.c 1)", EncrId::Des3,
     unhex("627f460e08104a1043cd265d5840eaf1313edf97df2a8a8c"), unhex("8e29f75ea77e5475"),
     unhex("326a494cd33fe756"), "b22b8d66de970692"},
    {15, "NIST TCBCMMT3 (strongSwan 3des_cbc.c 2)", EncrId::Des3,
     unhex("37ae5ebf46dff2dc0754b94f31cbb3855e7fd36dc870bfae"), unhex("3d1de3cc132e3b65"),
     unhex("84401f78fe6c10876d8ea23094ea5309"), "7b1f7c7e3b1c948ebd04a75ffba7d2f5"},
};

}  // namespace

TEST_CASE("non-AEAD ciphers known answers", "[crypto][cipher]") {
  for (const auto& v : kCipherVectors) {
    INFO("vector " << v.n << " (" << v.source << ")");
    auto key = CipherKey::create(v.id, v.keymat);
    REQUIRE(key);
    std::vector<std::uint8_t> out(v.plain.size());
    // Twice, to prove the per-message IV reset of the reused context.
    for (int round = 0; round < 2; ++round) {
      REQUIRE((*key)->encrypt(v.iv, v.plain, out));
      CHECK(hex(out) == hex(unhex(v.cipher)));
    }
    std::vector<std::uint8_t> back(out.size());
    for (int round = 0; round < 2; ++round) {
      REQUIRE((*key)->decrypt(v.iv, out, back));
      CHECK(back == v.plain);
    }
    // In place: the same buffer as input and output.
    auto buf = v.plain;
    REQUIRE((*key)->encrypt(v.iv, buf, buf));
    CHECK(hex(buf) == hex(unhex(v.cipher)));
    REQUIRE((*key)->decrypt(v.iv, buf, buf));
    CHECK(buf == v.plain);
  }
}

TEST_CASE("ENCR_NULL is the identity", "[crypto][cipher]") {
  auto key = CipherKey::create(EncrId::Null, {});
  REQUIRE(key);
  auto msg = text("any length at all");
  std::vector<std::uint8_t> out(msg.size());
  REQUIRE((*key)->encrypt({}, msg, out));
  CHECK(out == msg);
  REQUIRE((*key)->decrypt({}, out, out));
  CHECK(out == msg);
}

TEST_CASE("CipherKey rejects bad keys, IVs and lengths", "[crypto][cipher]") {
  using core::ErrorCode;
  auto k20 = CipherKey::create(EncrId::AesCbc, std::vector<std::uint8_t>(20));
  REQUIRE_FALSE(k20);
  CHECK(k20.error().code == ErrorCode::InvalidSyntax);
  auto ctr16 = CipherKey::create(EncrId::AesCtr, std::vector<std::uint8_t>(16));  // no nonce room
  REQUIRE_FALSE(ctr16);
  auto des16 = CipherKey::create(EncrId::Des3, std::vector<std::uint8_t>(16));
  REQUIRE_FALSE(des16);
  auto gcm = CipherKey::create(EncrId::AesGcm16, std::vector<std::uint8_t>(20));
  REQUIRE_FALSE(gcm);
  CHECK(gcm.error().code == ErrorCode::Unsupported);
  auto unknown = CipherKey::create(2, std::vector<std::uint8_t>(8));  // ENCR_DES
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::Unsupported);

  auto key = CipherKey::create(EncrId::AesCbc, std::vector<std::uint8_t>(32));
  REQUIRE(key);
  std::vector<std::uint8_t> in(32), out(32), iv(16), short_iv(8);
  CHECK_FALSE((*key)->encrypt(short_iv, in, out));
  std::vector<std::uint8_t> odd(31), odd_out(31);
  auto r = (*key)->encrypt(iv, odd, odd_out);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::InvalidSyntax);
  std::vector<std::uint8_t> small_out(16);
  CHECK_FALSE((*key)->encrypt(iv, in, small_out));
  // AES-CTR takes any length.
  auto ctr = CipherKey::create(EncrId::AesCtr, std::vector<std::uint8_t>(20));
  REQUIRE(ctr);
  REQUIRE((*ctr)->encrypt(std::vector<std::uint8_t>(8), odd, odd_out));
}

TEST_CASE("cipher table matches the RFCs", "[crypto][cipher]") {
  struct Row {
    std::uint16_t id;
    std::size_t salt, block, iv, icv;
    bool aead, key_attr;
    unsigned default_bits;
  };
  for (auto r : {Row{EncrId::Des3, 0, 8, 8, 0, false, false, 192},
                 Row{EncrId::Null, 0, 1, 0, 0, false, false, 0},
                 Row{EncrId::AesCbc, 0, 16, 16, 0, false, true, 0},
                 Row{EncrId::AesCtr, 4, 1, 8, 0, false, true, 0},
                 Row{EncrId::AesGcm8, 4, 1, 8, 8, true, true, 0},
                 Row{EncrId::AesGcm12, 4, 1, 8, 12, true, true, 0},
                 Row{EncrId::AesGcm16, 4, 1, 8, 16, true, true, 0},
                 Row{EncrId::ChaCha20Poly1305, 4, 1, 8, 16, true, false, 256}}) {
    const auto* info = cipher_info(r.id);
    REQUIRE(info != nullptr);
    INFO(info->name);
    CHECK(info->salt_size == r.salt);
    CHECK(info->block_size == r.block);
    CHECK(info->iv_size == r.iv);
    CHECK(info->icv_size == r.icv);
    CHECK(info->aead == r.aead);
    CHECK(info->key_length_attribute == r.key_attr);
    CHECK(info->default_key_bits() == r.default_bits);
  }
  const auto* aes = cipher_info(EncrId::AesCtr);
  CHECK(aes->allows_key_bits(128));
  CHECK(aes->allows_key_bits(192));
  CHECK(aes->allows_key_bits(256));
  CHECK_FALSE(aes->allows_key_bits(160));
  CHECK(aes->keymat_size(256) == 36);
  CHECK(cipher_info(EncrId::ChaCha20Poly1305)->keymat_size(256) == 36);
  CHECK(cipher_info(1) == nullptr);
  CHECK(cipher_info(2) == nullptr);
}
