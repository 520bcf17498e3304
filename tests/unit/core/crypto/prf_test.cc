// Tests for core/crypto/prf.h: PRF known answers and the prf+ construction.
#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include "core/crypto/prf.h"
#include "hex.h"

using core::crypto::make_prf;
using core::crypto::PrfId;
using crypto_test::hex;
using crypto_test::repeat;
using crypto_test::text;
using crypto_test::unhex;

namespace {

struct PrfVector {
  int n;
  const char* source;
  std::uint16_t prf;
  std::vector<std::uint8_t> key;
  std::vector<std::uint8_t> data;
  const char* out;
};

const auto kKey0102_25 = unhex("0102030405060708090a0b0c0d0e0f10111213141516171819");
const auto kTc6Data = text("Test Using Larger Than Block-Size Key - Hash Key First");
const auto kTc7Data = text(
    "This is a test using a larger than block-size key and a larger than block-size data. "
    "The key needs to be hashed before being used by the HMAC algorithm.");
const auto kXcbcKey = unhex("000102030405060708090a0b0c0d0e0f");
const auto kXcbcMsg20 = unhex("000102030405060708090a0b0c0d0e0f10111213");
const auto kCmacKey = unhex("2b7e151628aed2a6abf7158809cf4f3c");
const auto kCmacMsg64 = unhex(
    "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710");

// Table 1: HMAC-SHA-256/384/512, RFC 4231 §4.2-§4.8 (test cases 1, 2, 3, 4, 6, 7).
const std::vector<PrfVector> kRfc4231 = {
    {1, "RFC 4231 4.2", PrfId::HmacSha2_256, repeat(0x0b, 20), text("Hi There"),
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {2, "RFC 4231 4.2", PrfId::HmacSha2_384, repeat(0x0b, 20), text("Hi There"),
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
     "faea9ea9076ede7f4af152e8b2fa9cb6"},
    {3, "RFC 4231 4.2", PrfId::HmacSha2_512, repeat(0x0b, 20), text("Hi There"),
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {4, "RFC 4231 4.3", PrfId::HmacSha2_256, text("Jefe"), text("what do ya want for nothing?"),
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {5, "RFC 4231 4.3", PrfId::HmacSha2_384, text("Jefe"), text("what do ya want for nothing?"),
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
     "8e2240ca5e69e2c78b3239ecfab21649"},
    {6, "RFC 4231 4.3", PrfId::HmacSha2_512, text("Jefe"), text("what do ya want for nothing?"),
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {7, "RFC 4231 4.4", PrfId::HmacSha2_256, repeat(0xaa, 20), repeat(0xdd, 50),
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {8, "RFC 4231 4.4", PrfId::HmacSha2_384, repeat(0xaa, 20), repeat(0xdd, 50),
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
     "2a5ab39dc13814b94e3ab6e101a34f27"},
    {9, "RFC 4231 4.4", PrfId::HmacSha2_512, repeat(0xaa, 20), repeat(0xdd, 50),
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
     "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
    {10, "RFC 4231 4.5", PrfId::HmacSha2_256, kKey0102_25, repeat(0xcd, 50),
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    {11, "RFC 4231 4.5", PrfId::HmacSha2_384, kKey0102_25, repeat(0xcd, 50),
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
     "6801dd23c4a7d679ccf8a386c674cffb"},
    {12, "RFC 4231 4.5", PrfId::HmacSha2_512, kKey0102_25, repeat(0xcd, 50),
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
    {13, "RFC 4231 4.7", PrfId::HmacSha2_256, repeat(0xaa, 131), kTc6Data,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {14, "RFC 4231 4.7", PrfId::HmacSha2_384, repeat(0xaa, 131), kTc6Data,
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
     "0c2ef6ab4030fe8296248df163f44952"},
    {15, "RFC 4231 4.7", PrfId::HmacSha2_512, repeat(0xaa, 131), kTc6Data,
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
     "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
    {16, "RFC 4231 4.8", PrfId::HmacSha2_256, repeat(0xaa, 131), kTc7Data,
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    {17, "RFC 4231 4.8", PrfId::HmacSha2_384, repeat(0xaa, 131), kTc7Data,
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
     "a678cc31e799176d3860e6110c46523e"},
    {18, "RFC 4231 4.8", PrfId::HmacSha2_512, repeat(0xaa, 131), kTc7Data,
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
     "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

// Table 2: HMAC-MD5 and HMAC-SHA-1, RFC 2202 §2 and §3 (test cases 1-4, 6).
const std::vector<PrfVector> kRfc2202 = {
    {1, "RFC 2202 2 tc1", PrfId::HmacMd5, repeat(0x0b, 16), text("Hi There"),
     "9294727a3638bb1c13f48ef8158bfc9d"},
    {2, "RFC 2202 2 tc2", PrfId::HmacMd5, text("Jefe"), text("what do ya want for nothing?"),
     "750c783e6ab0b503eaa86e310a5db738"},
    {3, "RFC 2202 2 tc3", PrfId::HmacMd5, repeat(0xaa, 16), repeat(0xdd, 50),
     "56be34521d144c88dbb8c733f0e8b3f6"},
    {4, "RFC 2202 2 tc4", PrfId::HmacMd5, kKey0102_25, repeat(0xcd, 50),
     "697eaf0aca3a3aea3a75164746ffaa79"},
    {5, "RFC 2202 2 tc6", PrfId::HmacMd5, repeat(0xaa, 80), kTc6Data,
     "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"},
    {6, "RFC 2202 3 tc1", PrfId::HmacSha1, repeat(0x0b, 20), text("Hi There"),
     "b617318655057264e28bc0b6fb378c8ef146be00"},
    {7, "RFC 2202 3 tc2", PrfId::HmacSha1, text("Jefe"), text("what do ya want for nothing?"),
     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
    {8, "RFC 2202 3 tc3", PrfId::HmacSha1, repeat(0xaa, 20), repeat(0xdd, 50),
     "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
    {9, "RFC 2202 3 tc4", PrfId::HmacSha1, kKey0102_25, repeat(0xcd, 50),
     "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
    {10, "RFC 2202 3 tc6", PrfId::HmacSha1, repeat(0xaa, 80), kTc6Data,
     "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
};

// Table 3: AES-XCBC-PRF-128, RFC 3566 §4.6 (full 128-bit AES-XCBC-MAC
// values, test cases 1-5) and RFC 4434 §2 (variable key lengths).
const std::vector<PrfVector> kXcbc = {
    {1, "RFC 3566 4.6 tc1", PrfId::Aes128Xcbc, kXcbcKey, {}, "75f0251d528ac01c4573dfd584d79f29"},
    {2, "RFC 3566 4.6 tc2", PrfId::Aes128Xcbc, kXcbcKey, unhex("000102"),
     "5b376580ae2f19afe7219ceef172756f"},
    {3, "RFC 3566 4.6 tc3", PrfId::Aes128Xcbc, kXcbcKey, kXcbcKey,
     "d2a246fa349b68a79998a4394ff7a263"},
    {4, "RFC 3566 4.6 tc4", PrfId::Aes128Xcbc, kXcbcKey, kXcbcMsg20,
     "47f51b4564966215b8985c63055ed308"},
    {5, "RFC 3566 4.6 tc5", PrfId::Aes128Xcbc, kXcbcKey,
     unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
     "f54f0ec8d2b9f3d36807734bd5283fd4"},
    {6, "RFC 4434 2 (16-byte key)", PrfId::Aes128Xcbc, kXcbcKey, kXcbcMsg20,
     "47f51b4564966215b8985c63055ed308"},
    {7, "RFC 4434 2 (10-byte key)", PrfId::Aes128Xcbc, unhex("00010203040506070809"), kXcbcMsg20,
     "0fa087af7d866e7653434e602fdde835"},
    {8, "RFC 4434 2 (18-byte key)", PrfId::Aes128Xcbc, unhex("000102030405060708090a0b0c0d0e0fedcb"),
     kXcbcMsg20, "8cd3c93ae598a9803006ffb67c40e9e4"},
};

// Table 4: AES-CMAC (RFC 4493 §4 examples 1-4) and AES-CMAC-PRF-128
// (RFC 4615 §4 test cases with 18-, 16- and 10-byte keys).
const std::vector<PrfVector> kCmac = {
    {1, "RFC 4493 4 ex1", PrfId::Aes128Cmac, kCmacKey, {}, "bb1d6929e95937287fa37d129b756746"},
    {2, "RFC 4493 4 ex2", PrfId::Aes128Cmac, kCmacKey,
     std::vector<std::uint8_t>(kCmacMsg64.begin(), kCmacMsg64.begin() + 16),
     "070a16b46b4d4144f79bdd9dd04a287c"},
    {3, "RFC 4493 4 ex3", PrfId::Aes128Cmac, kCmacKey,
     std::vector<std::uint8_t>(kCmacMsg64.begin(), kCmacMsg64.begin() + 40),
     "dfa66747de9ae63030ca32611497c827"},
    {4, "RFC 4493 4 ex4", PrfId::Aes128Cmac, kCmacKey, kCmacMsg64,
     "51f0bebf7e3b9d92fc49741779363cfe"},
    {5, "RFC 4615 4 (18-byte key)", PrfId::Aes128Cmac, unhex("000102030405060708090a0b0c0d0e0fedcb"),
     kXcbcMsg20, "84a348a4a45d235babfffc0d2b4da09a"},
    {6, "RFC 4615 4 (16-byte key)", PrfId::Aes128Cmac, kXcbcKey, kXcbcMsg20,
     "980ae87b5f4c9c5214f5b6a8455e4c2d"},
    {7, "RFC 4615 4 (10-byte key)", PrfId::Aes128Cmac, unhex("00010203040506070809"), kXcbcMsg20,
     "290d9e112edb09ee141fcf64c0b72f3d"},
};

void run_table(const char* name, const std::vector<PrfVector>& table) {
  for (const auto& v : table) {
    INFO(name << " vector " << v.n << " (" << v.source << ")");
    auto prf = make_prf(v.prf);
    REQUIRE(prf);
    auto out = (*prf)->compute(v.key, v.data);
    REQUIRE(out);
    CHECK(hex(*out) == hex(unhex(v.out)));
    CHECK(out->size() == (*prf)->output_size());

    // A keyed context gives the same answer twice, fed in two pieces.
    auto mac = (*prf)->keyed(v.key);
    REQUIRE(mac);
    for (int round = 0; round < 2; ++round) {
      std::size_t half = v.data.size() / 2;
      REQUIRE((*mac)->update(std::span(v.data).first(half)));
      REQUIRE((*mac)->update(std::span(v.data).subspan(half)));
      std::vector<std::uint8_t> again((*prf)->output_size());
      REQUIRE((*mac)->final(again));
      CHECK(hex(again) == hex(unhex(v.out)));
    }
  }
}

// hmac_sha256 is OpenSSL's one-shot HMAC, an oracle independent of prf.cc.
std::vector<std::uint8_t> hmac_sha256(std::span<const std::uint8_t> key,
                                      std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> out(32);
  std::size_t len = 0;
  REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA2-256", nullptr, key.data(), key.size(),
                    data.data(), data.size(), out.data(), out.size(), &len) != nullptr);
  REQUIRE(len == 32);
  return out;
}

}  // namespace

TEST_CASE("PRF HMAC-SHA2 known answers (RFC 4231)", "[crypto][prf]") { run_table("RFC 4231", kRfc4231); }
TEST_CASE("PRF HMAC-MD5/SHA1 known answers (RFC 2202)", "[crypto][prf]") { run_table("RFC 2202", kRfc2202); }
TEST_CASE("PRF AES-XCBC known answers (RFC 3566, RFC 4434)", "[crypto][prf]") { run_table("XCBC", kXcbc); }
TEST_CASE("PRF AES-CMAC known answers (RFC 4493, RFC 4615)", "[crypto][prf]") { run_table("CMAC", kCmac); }

TEST_CASE("make_prf describes the transforms and refuses unknown IDs", "[crypto][prf]") {
  struct Row {
    std::uint16_t id;
    std::size_t key, out;
    bool fixed;
  };
  for (auto r : {Row{PrfId::HmacMd5, 16, 16, false}, Row{PrfId::HmacSha1, 20, 20, false},
                 Row{PrfId::Aes128Xcbc, 16, 16, true}, Row{PrfId::HmacSha2_256, 32, 32, false},
                 Row{PrfId::HmacSha2_384, 48, 48, false}, Row{PrfId::HmacSha2_512, 64, 64, false},
                 Row{PrfId::Aes128Cmac, 16, 16, true}}) {
    auto prf = make_prf(r.id);
    REQUIRE(prf);
    CHECK((*prf)->id() == r.id);
    CHECK((*prf)->key_size() == r.key);
    CHECK((*prf)->output_size() == r.out);
    CHECK((*prf)->fixed_key() == r.fixed);
  }
  for (std::uint16_t bad : {0, 3, 9, 1024}) {
    auto prf = make_prf(bad);
    REQUIRE_FALSE(prf);
    CHECK(prf.error().code == core::ErrorCode::Unsupported);
  }
}

TEST_CASE("prf+ chains T1..Tn as RFC 7296 2.13 defines", "[crypto][prf]") {
  auto prf = make_prf(PrfId::HmacSha2_256);
  REQUIRE(prf);
  const auto key = unhex("4b6579206d6174657269616c20666f72207072662b");
  const auto seed = text("Ni | Nr | SPIi | SPIr");

  // Expected stream built by hand with an independent HMAC:
  //   T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n)
  std::vector<std::uint8_t> expected;
  std::vector<std::uint8_t> t;
  for (int i = 1; i <= 255; ++i) {
    std::vector<std::uint8_t> input = t;
    input.insert(input.end(), seed.begin(), seed.end());
    input.push_back(static_cast<std::uint8_t>(i));
    t = hmac_sha256(key, input);
    expected.insert(expected.end(), t.begin(), t.end());
  }

  for (std::size_t len : {std::size_t{0}, std::size_t{1}, std::size_t{32}, std::size_t{33},
                          std::size_t{100}, std::size_t{255 * 32}}) {
    INFO("length " << len);
    auto out = core::crypto::prf_plus(**prf, key, seed, len);
    REQUIRE(out);
    REQUIRE(out->size() == len);
    CHECK(hex(out->span()) == hex(std::span(expected).first(len)));
  }
  // The one-octet counter caps the output at 255 blocks.
  auto too_long = core::crypto::prf_plus(**prf, key, seed, 255 * 32 + 1);
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().code == core::ErrorCode::InvalidSyntax);
}

TEST_CASE("prf+ over AES-XCBC applies the RFC 4434 key rule once", "[crypto][prf]") {
  auto prf = make_prf(PrfId::Aes128Xcbc);
  REQUIRE(prf);
  const auto key = unhex("000102030405060708090a0b0c0d0e0fedcb");  // 18 bytes: reduced
  const auto seed = unhex("a0a1a2a3");
  auto t1 = (*prf)->compute(key, unhex("a0a1a2a3 01"));
  REQUIRE(t1);
  std::vector<std::uint8_t> in2(t1->begin(), t1->end());
  in2.insert(in2.end(), {0xa0, 0xa1, 0xa2, 0xa3, 0x02});
  auto t2 = (*prf)->compute(key, in2);
  REQUIRE(t2);
  auto out = core::crypto::prf_plus(**prf, key, seed, 20);
  REQUIRE(out);
  std::vector<std::uint8_t> expected(t1->begin(), t1->end());
  expected.insert(expected.end(), t2->begin(), t2->begin() + 4);
  CHECK(hex(out->span()) == hex(expected));
}

TEST_CASE("skeyseed_key truncates nonces for the AES PRFs (RFC 7296 2.14)", "[crypto][prf]") {
  const auto ni = unhex("00112233445566778899aabbccddeeff");
  const auto nr = unhex("ffeeddccbbaa99887766554433221100 0102");
  auto hmac = make_prf(PrfId::HmacSha2_256);
  auto cmac = make_prf(PrfId::Aes128Cmac);
  REQUIRE(hmac);
  REQUIRE(cmac);
  CHECK(hex(core::crypto::skeyseed_key(**hmac, ni, nr).span()) == hex(ni) + hex(nr));
  CHECK(hex(core::crypto::skeyseed_key(**cmac, ni, nr).span()) ==
        "0011223344556677" "ffeeddccbbaa9988");
}
