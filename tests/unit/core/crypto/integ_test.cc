// Tests for core/crypto/integ.h (and the XCBC / CMAC / HMAC contexts of mac.h).
#include <catch2/catch.hpp>

#include <array>
#include <cstring>

#include <openssl/evp.h>

#include "core/crypto/integ.h"
#include "hex.h"

using core::crypto::IntegId;
using core::crypto::IntegKey;
using crypto_test::hex;
using crypto_test::repeat;
using crypto_test::text;
using crypto_test::unhex;

namespace {

struct IntegVector {
  int n;
  const char* source;
  std::uint16_t id;
  std::vector<std::uint8_t> key;
  std::vector<std::uint8_t> data;
  const char* icv;
};

const auto kXcbcKey = unhex("000102030405060708090a0b0c0d0e0f");
const auto kCmacKey = unhex("2b7e151628aed2a6abf7158809cf4f3c");
const auto kCmacMsg = unhex(
    "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710");

std::vector<std::uint8_t> prefix(const std::vector<std::uint8_t>& v, std::size_t n) {
  return std::vector<std::uint8_t>(v.begin(), v.begin() + static_cast<long>(n));
}

// Table 1: integrity transforms. HMAC-MD5-96 / HMAC-SHA1-96 are RFC 2202
// values truncated to 96 bits (RFC 2403 §5, RFC 2404 §5 point to them);
// HMAC-SHA2 from RFC 4868 §2.7.2; AES-XCBC-MAC-96 from RFC 3566 §4.6;
// AES-CMAC-96 from RFC 4494 §4.
const std::vector<IntegVector> kIntegVectors = {
    {1, "RFC 2202 2 tc1", IntegId::HmacMd5_96, repeat(0x0b, 16), text("Hi There"),
     "9294727a3638bb1c13f48ef8"},
    {2, "RFC 2202 2 tc3", IntegId::HmacMd5_96, repeat(0xaa, 16), repeat(0xdd, 50),
     "56be34521d144c88dbb8c733"},
    {3, "RFC 2202 3 tc1", IntegId::HmacSha1_96, repeat(0x0b, 20), text("Hi There"),
     "b617318655057264e28bc0b6"},
    {4, "RFC 2202 3 tc3", IntegId::HmacSha1_96, repeat(0xaa, 20), repeat(0xdd, 50),
     "125d7342b9ac11cd91a39af4"},
    {5, "RFC 4868 2.7.2.1 AUTH256-1", IntegId::HmacSha2_256_128, repeat(0x0b, 32), text("Hi There"),
     "198a607eb44bfbc69903a0f1cf2bbdc5"},
    {6, "RFC 4868 2.7.2.1 AUTH256-2", IntegId::HmacSha2_256_128, text("JefeJefeJefeJefeJefeJefeJefeJefe"),
     text("what do ya want for nothing?"), "167f928588c5cc2eef8e3093caa0e87c"},
    {7, "RFC 4868 2.7.2.1 AUTH256-3", IntegId::HmacSha2_256_128, repeat(0xaa, 32), repeat(0xdd, 50),
     "cdcb1220d1ecccea91e53aba3092f962"},
    {8, "RFC 4868 2.7.2.2 AUTH384-1", IntegId::HmacSha2_384_192, repeat(0x0b, 48), text("Hi There"),
     "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973"},
    {9, "RFC 4868 2.7.2.2 AUTH384-2", IntegId::HmacSha2_384_192,
     text("JefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefe"), text("what do ya want for nothing?"),
     "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184d"},
    {10, "RFC 4868 2.7.2.2 AUTH384-3", IntegId::HmacSha2_384_192, repeat(0xaa, 48), repeat(0xdd, 50),
     "809f439be00274321d4a538652164b53554a508184a0c316"},
    {11, "RFC 4868 2.7.2.3 AUTH512-1", IntegId::HmacSha2_512_256, repeat(0x0b, 64), text("Hi There"),
     "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"},
    {12, "RFC 4868 2.7.2.3 AUTH512-2", IntegId::HmacSha2_512_256,
     text("JefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefe"),
     text("what do ya want for nothing?"),
     "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454"},
    {13, "RFC 4868 2.7.2.3 AUTH512-3", IntegId::HmacSha2_512_256, repeat(0xaa, 64), repeat(0xdd, 50),
     "2ee7acd783624ca9398710f3ee05ae41b9f9b0510c87e49e586cc9bf961733d8"},
    {14, "RFC 3566 4.6 tc1", IntegId::AesXcbc96, kXcbcKey, {}, "75f0251d528ac01c4573dfd5"},
    {15, "RFC 3566 4.6 tc2", IntegId::AesXcbc96, kXcbcKey, unhex("000102"),
     "5b376580ae2f19afe7219cee"},
    {16, "RFC 3566 4.6 tc3", IntegId::AesXcbc96, kXcbcKey, kXcbcKey, "d2a246fa349b68a79998a439"},
    {17, "RFC 3566 4.6 tc4", IntegId::AesXcbc96, kXcbcKey,
     unhex("000102030405060708090a0b0c0d0e0f10111213"), "47f51b4564966215b8985c63"},
    {18, "RFC 3566 4.6 tc5", IntegId::AesXcbc96, kXcbcKey,
     unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
     "f54f0ec8d2b9f3d36807734b"},
    {19, "RFC 4494 4 tc1", IntegId::AesCmac96, kCmacKey, {}, "bb1d6929e95937287fa37d12"},
    {20, "RFC 4494 4 tc2", IntegId::AesCmac96, kCmacKey, prefix(kCmacMsg, 16),
     "070a16b46b4d4144f79bdd9d"},
    {21, "RFC 4494 4 tc3", IntegId::AesCmac96, kCmacKey, prefix(kCmacMsg, 40),
     "dfa66747de9ae63030ca3261"},
    {22, "RFC 4494 4 tc4", IntegId::AesCmac96, kCmacKey, kCmacMsg, "51f0bebf7e3b9d92fc497417"},
};

// xcbc_reference is RFC 3566 §4 step by step with single AES-ECB blocks:
// an oracle for the CBC-chaining implementation in xcbc.cc.
std::vector<std::uint8_t> xcbc_reference(std::span<const std::uint8_t> key,
                                         std::span<const std::uint8_t> msg) {
  using Block = std::array<std::uint8_t, 16>;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  auto aes = [&](const std::uint8_t* k, const Block& in) {
    Block out{};
    int len = 0;
    REQUIRE(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, k, nullptr) == 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    REQUIRE(EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), 16) == 1);
    return out;
  };
  Block c1, c2, c3;
  c1.fill(1);
  c2.fill(2);
  c3.fill(3);
  Block k1 = aes(key.data(), c1), k2 = aes(key.data(), c2), k3 = aes(key.data(), c3);
  Block e{};
  std::size_t n = msg.empty() ? 1 : (msg.size() + 15) / 16;
  for (std::size_t i = 0; i < n; ++i) {
    Block m{};
    std::size_t take = std::min<std::size_t>(16, msg.size() - std::min(msg.size(), i * 16));
    if (take) std::memcpy(m.data(), msg.data() + i * 16, take);
    if (i == n - 1) {
      const Block* k = &k2;
      if (take < 16) {
        m[take] = 0x80;
        k = &k3;
      }
      for (int j = 0; j < 16; ++j) m[j] ^= (*k)[j];
    }
    for (int j = 0; j < 16; ++j) m[j] ^= e[j];
    e = aes(k1.data(), m);
  }
  EVP_CIPHER_CTX_free(ctx);
  return std::vector<std::uint8_t>(e.begin(), e.begin() + 12);
}

}  // namespace

TEST_CASE("integrity transforms known answers", "[crypto][integ]") {
  for (const auto& v : kIntegVectors) {
    INFO("vector " << v.n << " (" << v.source << ")");
    auto key = IntegKey::create(v.id, v.key);
    REQUIRE(key);
    std::vector<std::uint8_t> icv((*key)->icv_size());
    // Twice through the same keyed context: the context must re-arm.
    for (int round = 0; round < 2; ++round) {
      REQUIRE((*key)->compute(v.data, icv));
      CHECK(hex(icv) == hex(unhex(v.icv)));
    }
    CHECK((*key)->verify(v.data, unhex(v.icv)));
    auto one_shot = core::crypto::integ_compute(v.id, v.key, v.data);
    REQUIRE(one_shot);
    CHECK(hex(*one_shot) == hex(unhex(v.icv)));
  }
}

TEST_CASE("integrity verify refuses every tampered ICV and wrong lengths", "[crypto][integ]") {
  for (const auto& v : kIntegVectors) {
    INFO("vector " << v.n);
    auto key = IntegKey::create(v.id, v.key);
    REQUIRE(key);
    auto icv = unhex(v.icv);
    for (std::size_t i = 0; i < icv.size(); ++i) {
      auto bad = icv;
      bad[i] ^= 0x01;
      CHECK_FALSE((*key)->verify(v.data, bad));
    }
    CHECK_FALSE((*key)->verify(v.data, std::span(icv).first(icv.size() - 1)));
    auto data = v.data;
    data.push_back(0);
    CHECK_FALSE((*key)->verify(data, icv));
    CHECK((*key)->verify(v.data, icv));  // a failed verify leaves the key usable
  }
}

TEST_CASE("AES-XCBC matches RFC 3566 computed block by block, for all lengths and splits",
          "[crypto][integ][xcbc]") {
  auto key = IntegKey::create(IntegId::AesXcbc96, kXcbcKey);
  REQUIRE(key);
  std::vector<std::uint8_t> msg(1100);
  for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<std::uint8_t>(i * 7 + 3);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 70; ++n) lengths.push_back(n);
  for (std::size_t n : {511, 512, 513, 527, 528, 529, 1024, 1100}) lengths.push_back(n);
  for (std::size_t n : lengths) {
    INFO("length " << n);
    auto m = std::span(msg).first(n);
    auto expected = xcbc_reference(kXcbcKey, m);
    std::vector<std::uint8_t> icv(12);
    REQUIRE((*key)->compute(m, icv));
    CHECK(hex(icv) == hex(expected));
    // Two- and three-part feeds must give the same MAC at every split.
    for (std::size_t a = 0; a <= n && n <= 70; ++a) {
      REQUIRE((*key)->compute({m.first(a), m.subspan(a)}, icv));
      CHECK(hex(icv) == hex(expected));
      std::size_t b = a + (n - a) / 2;
      REQUIRE((*key)->compute({m.first(a), m.subspan(a, b - a), m.subspan(b)}, icv));
      CHECK(hex(icv) == hex(expected));
    }
  }
}

TEST_CASE("integrity multi-part compute equals one-shot for every transform", "[crypto][integ]") {
  std::vector<std::uint8_t> esp(173);
  for (std::size_t i = 0; i < esp.size(); ++i) esp[i] = static_cast<std::uint8_t>(i);
  const auto esn_hi = unhex("00000001");
  std::vector<std::uint8_t> joined = esp;
  joined.insert(joined.end(), esn_hi.begin(), esn_hi.end());
  for (std::uint16_t id : {IntegId::HmacMd5_96, IntegId::HmacSha1_96, IntegId::AesXcbc96,
                           IntegId::AesCmac96, IntegId::HmacSha2_256_128,
                           IntegId::HmacSha2_384_192, IntegId::HmacSha2_512_256}) {
    INFO("transform " << id);
    const auto* info = core::crypto::integ_info(id);
    REQUIRE(info != nullptr);
    auto key = IntegKey::create(id, repeat(0x42, info->key_size));
    REQUIRE(key);
    std::vector<std::uint8_t> a(info->icv_size), b(info->icv_size);
    REQUIRE((*key)->compute({esp, esn_hi}, a));
    REQUIRE((*key)->compute(joined, b));
    CHECK(a == b);
    CHECK((*key)->verify({esp, esn_hi}, b));
    auto clone = (*key)->clone();
    REQUIRE(clone);
    std::vector<std::uint8_t> c(info->icv_size);
    REQUIRE((*clone)->compute(joined, c));
    CHECK(c == b);
  }
}

TEST_CASE("IntegKey refuses wrong key sizes and unknown transforms", "[crypto][integ]") {
  auto short_key = IntegKey::create(IntegId::HmacSha2_256_128, repeat(1, 31));
  REQUIRE_FALSE(short_key);
  CHECK(short_key.error().code == core::ErrorCode::InvalidSyntax);
  auto long_key = IntegKey::create(IntegId::AesXcbc96, repeat(1, 17));
  REQUIRE_FALSE(long_key);
  for (std::uint16_t id : {0, 3, 4, 6, 7, 9, 15}) {
    CHECK(core::crypto::integ_info(id) == nullptr);
    auto k = IntegKey::create(id, repeat(1, 16));
    REQUIRE_FALSE(k);
    CHECK(k.error().code == core::ErrorCode::Unsupported);
  }
  auto key = IntegKey::create(IntegId::HmacSha1_96, repeat(1, 20));
  REQUIRE(key);
  std::vector<std::uint8_t> wrong(11);
  CHECK_FALSE((*key)->compute(text("x"), wrong));
}
