// Tests for core/crypto/aead.h: AES-GCM (RFC 4106) and ChaCha20-Poly1305
// (RFC 7634) known answers, tag checks and in-place operation.
#include <catch2/catch.hpp>

#include "core/crypto/aead.h"
#include "hex.h"

using core::crypto::AeadKey;
using core::crypto::EncrId;
using crypto_test::hex;
using crypto_test::text;
using crypto_test::unhex;

namespace {

struct AeadVector {
  int n;
  const char* source;
  std::uint16_t id;
  std::vector<std::uint8_t> keymat;  // key | 4-byte salt
  std::vector<std::uint8_t> iv;      // 8 bytes, explicit
  std::vector<std::uint8_t> aad;
  std::vector<std::uint8_t> plain;
  const char* sealed;  // ciphertext | ICV
};

const auto kGcmP64 = unhex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255");
const auto kGcmP60 = std::vector<std::uint8_t>(kGcmP64.begin(), kGcmP64.begin() + 60);
const auto kGcmAad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
const auto kGcmIv = unhex("facedbaddecaf888");  // the IV's last 8 bytes; salt cafebabe
const char* kGcmC128 =
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";
const char* kGcmC256 =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
const auto kChachaKey = unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");

std::string cat(const char* a, const char* b) { return std::string(a) + b; }

// Table 1: ENCR_AES_GCM_8/12/16 from McGrew & Viega, "The Galois/Counter Mode
// of Operation (GCM)", test cases 3, 4, 9, 15 and 16, with the 12-byte IV
// split as RFC 4106 §4 does (salt cafebabe | IV facedbaddecaf888); the 8- and
// 12-byte ICVs are the 16-byte tag truncated (RFC 4106 §6).
// Table 2: ENCR_CHACHA20_POLY1305: RFC 8439 §2.8.2 (salt 07000000),
// RFC 7634 Appendix A (ESP) and Appendix B (IKEv2).
const std::vector<AeadVector> kAeadVectors = {
    {1, "GCM tc3, ICV 8", EncrId::AesGcm8, unhex("feffe9928665731c6d6a8f9467308308 cafebabe"),
     kGcmIv, {}, kGcmP64, nullptr},
    {2, "GCM tc3, ICV 12", EncrId::AesGcm12, unhex("feffe9928665731c6d6a8f9467308308 cafebabe"),
     kGcmIv, {}, kGcmP64, nullptr},
    {3, "GCM tc3, ICV 16", EncrId::AesGcm16, unhex("feffe9928665731c6d6a8f9467308308 cafebabe"),
     kGcmIv, {}, kGcmP64, nullptr},
    {4, "GCM tc4 (AAD)", EncrId::AesGcm16, unhex("feffe9928665731c6d6a8f9467308308 cafebabe"),
     kGcmIv, kGcmAad, kGcmP60, nullptr},
    {5, "GCM tc9 (AES-192)", EncrId::AesGcm16,
     unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c cafebabe"), kGcmIv, {}, kGcmP64,
     nullptr},
    {6, "GCM tc15 (AES-256)", EncrId::AesGcm16,
     unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308 cafebabe"), kGcmIv,
     {}, kGcmP64, nullptr},
    {7, "GCM tc16 (AES-256, AAD)", EncrId::AesGcm16,
     unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308 cafebabe"), kGcmIv,
     kGcmAad, kGcmP60, nullptr},
    {8, "RFC 8439 2.8.2", EncrId::ChaCha20Poly1305,
     unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f 07000000"),
     unhex("4041424344454647"), unhex("50515253c0c1c2c3c4c5c6c7"),
     text("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
          "future, sunscreen would be it."),
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
     "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
     "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
     "3ff4def08e4b7a9de576d26586cec64b6116"
     "1ae10b594f09e26a7e902ecbd0600691"},
    {9, "RFC 7634 A (ESP)", EncrId::ChaCha20Poly1305,
     unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f a0a1a2a3"),
     unhex("1011121314151617"), unhex("0102030400000005"),
     unhex("45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
           "0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
           "2425262728292a2b2c2d2e2f303132333435363701020204"),
     "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
     "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
     "cbec163fac469b502773f6fb94e664da9165b82829f641e0"
     "76aaa8266b7fb0f7b11b369907e1ad43"},
    {10, "RFC 7634 B (IKEv2)", EncrId::ChaCha20Poly1305,
     unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f a0a1a2a3"),
     unhex("1011121314151617"),
     unhex("c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e202500000000090000004529000029"),
     unhex("0000000c000040010000000a00"),
     "610394701f8d017f7c12924889"
     "6b71bfe25236efd7cdc67066906315b2"},
};

// The GCM answers: ciphertext plus the tag truncated to each ICV length.
const std::string kGcmSealed[] = {
    cat(kGcmC128, "4d5c2af327cd64a6"),
    cat(kGcmC128, "4d5c2af327cd64a62cf35abd"),
    cat(kGcmC128, "4d5c2af327cd64a62cf35abd2ba6fab4"),
    std::string(kGcmC128, 120) + "5bc94fbc3221a5db94fae95ae7121a47",
    "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
    "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256"
    "9924a7c8587336bfb118024db8674a14",
    cat(kGcmC256, "b094dac5d93471bdec1a502270e3cc6c"),
    std::string(kGcmC256, 120) + "76fc6ece0f4e1768cddf8853bb2d551b",
};

std::string expected_sealed(const AeadVector& v) {
  return v.sealed != nullptr ? std::string(v.sealed) : kGcmSealed[v.n - 1];
}

}  // namespace

TEST_CASE("AEAD known answers", "[crypto][aead]") {
  for (const auto& v : kAeadVectors) {
    INFO("vector " << v.n << " (" << v.source << ")");
    auto key = AeadKey::create(v.id, v.keymat);
    REQUIRE(key);
    std::vector<std::uint8_t> sealed(v.plain.size() + (*key)->icv_size());
    for (int round = 0; round < 2; ++round) {
      REQUIRE((*key)->seal(v.iv, v.aad, v.plain, sealed));
      CHECK(hex(sealed) == hex(unhex(expected_sealed(v))));
    }
    std::vector<std::uint8_t> opened(v.plain.size());
    for (int round = 0; round < 2; ++round) {
      REQUIRE((*key)->open(v.iv, v.aad, sealed, opened));
      CHECK(opened == v.plain);
    }
    // In place, as ESP does it: plaintext followed by room for the ICV.
    auto buf = v.plain;
    buf.resize(v.plain.size() + (*key)->icv_size());
    REQUIRE((*key)->seal(v.iv, v.aad, std::span(buf).first(v.plain.size()), buf));
    CHECK(buf == sealed);
    REQUIRE((*key)->open(v.iv, v.aad, buf, std::span(buf).first(v.plain.size())));
    CHECK(std::equal(v.plain.begin(), v.plain.end(), buf.begin()));
  }
}

TEST_CASE("AEAD open refuses any change to ciphertext, ICV, AAD or IV", "[crypto][aead]") {
  for (const auto& v : kAeadVectors) {
    INFO("vector " << v.n);
    auto key = AeadKey::create(v.id, v.keymat);
    REQUIRE(key);
    const auto sealed = unhex(expected_sealed(v));
    std::vector<std::uint8_t> out(v.plain.size());
    for (std::size_t i = 0; i < sealed.size(); i += 7) {
      auto bad = sealed;
      bad[i] ^= 0x80;
      auto r = (*key)->open(v.iv, v.aad, bad, out);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == core::ErrorCode::AuthFailed);
    }
    auto last = sealed;
    last.back() ^= 1;
    CHECK_FALSE((*key)->open(v.iv, v.aad, last, out));
    auto aad = v.aad;
    aad.push_back(0);
    CHECK_FALSE((*key)->open(v.iv, aad, sealed, out));
    auto iv = v.iv;
    iv[7] ^= 1;
    CHECK_FALSE((*key)->open(iv, v.aad, sealed, out));
    // Shorter than the ICV: refused before any decryption.
    std::vector<std::uint8_t> none;
    auto tiny = (*key)->open(v.iv, v.aad, std::span(sealed).first((*key)->icv_size() - 1), none);
    REQUIRE_FALSE(tiny);
    CHECK(tiny.error().code == core::ErrorCode::AuthFailed);
    // The key still works after failures.
    REQUIRE((*key)->open(v.iv, v.aad, sealed, out));
    CHECK(out == v.plain);
  }
}

TEST_CASE("AEAD with an empty plaintext authenticates the AAD alone", "[crypto][aead]") {
  for (std::uint16_t id : {EncrId::AesGcm16, EncrId::ChaCha20Poly1305}) {
    auto key = AeadKey::create(id, std::vector<std::uint8_t>(36, 0x11));
    REQUIRE(key);
    auto aad = text("ESP header");
    std::vector<std::uint8_t> tag(16);
    REQUIRE((*key)->seal(unhex("0000000000000001"), aad, {}, tag));
    std::vector<std::uint8_t> none;
    REQUIRE((*key)->open(unhex("0000000000000001"), aad, tag, none));
    aad[0] ^= 1;
    CHECK_FALSE((*key)->open(unhex("0000000000000001"), aad, tag, none));
  }
}

TEST_CASE("AeadKey rejects wrong transforms, key lengths and IVs", "[crypto][aead]") {
  CHECK_FALSE(AeadKey::create(EncrId::AesCbc, std::vector<std::uint8_t>(16)));
  CHECK_FALSE(AeadKey::create(EncrId::AesGcm16, std::vector<std::uint8_t>(16)));  // no salt
  CHECK_FALSE(AeadKey::create(EncrId::ChaCha20Poly1305, std::vector<std::uint8_t>(20)));
  auto key = AeadKey::create(EncrId::AesGcm16, std::vector<std::uint8_t>(20));
  REQUIRE(key);
  std::vector<std::uint8_t> pt(4), out(20), wrong(19);
  CHECK_FALSE((*key)->seal(std::vector<std::uint8_t>(12), {}, pt, out));
  CHECK_FALSE((*key)->seal(std::vector<std::uint8_t>(8), {}, pt, wrong));
  CHECK((*key)->seal(std::vector<std::uint8_t>(8), {}, pt, out));
}
