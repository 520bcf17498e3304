// PF_KEY algorithm numbers <-> IKEv2 transform IDs. Table 1 is checked
// against the installed <linux/pfkeyv2.h>; IKEv2 IDs are from RFC 7296
// §3.3.2 and the IANA "IKEv2 Transform Attribute" registry.
#include <linux/pfkeyv2.h>

#include <catch2/catch.hpp>

#include "kernel/pfkey/algorithms.h"

using namespace kernel::pfkey;

TEST_CASE("Table 1: encryption transforms map to <linux/pfkeyv2.h> numbers", "[pfkey][alg]") {
  struct Row {
    std::uint16_t ikev2;
    std::uint8_t pfkey;
  };
  const Row rows[] = {
      {3, SADB_EALG_3DESCBC},        {11, SADB_EALG_NULL},           {12, SADB_X_EALG_AESCBC},
      {13, SADB_X_EALG_AESCTR},      {14, SADB_X_EALG_AES_CCM_ICV8}, {16, SADB_X_EALG_AES_CCM_ICV16},
      {18, SADB_X_EALG_AES_GCM_ICV8}, {20, SADB_X_EALG_AES_GCM_ICV16}, {21, SADB_X_EALG_NULL_AES_GMAC},
      {23, SADB_X_EALG_CAMELLIACBC},
  };
  for (const auto& r : rows) {
    INFO("ENCR " << r.ikev2);
    auto n = pfkey_ealg(r.ikev2, Flavor::Linux);
    REQUIRE(n);
    CHECK(*n == r.pfkey);
    CHECK(ikev2_encr(r.pfkey, Flavor::Linux) == r.ikev2);
  }
  CHECK(pfkey_ealg(28, Flavor::Linux).error().code == core::ErrorCode::Unsupported);  // ChaCha20-Poly1305
  CHECK_FALSE(pfkey_ealg(14, Flavor::Kame));  // no CCM in NetBSD's list
  CHECK(*pfkey_ealg(20, Flavor::Kame) == 20);
}

TEST_CASE("Table 2: integrity transforms map to <linux/pfkeyv2.h> numbers", "[pfkey][alg]") {
  struct Row {
    std::uint16_t ikev2;
    std::uint8_t pfkey;
  };
  const Row rows[] = {
      {0, SADB_AALG_NONE},  {1, SADB_AALG_MD5HMAC},          {2, SADB_AALG_SHA1HMAC},
      {5, SADB_X_AALG_AES_XCBC_MAC}, {13, SADB_X_AALG_SHA2_384HMAC}, {14, SADB_X_AALG_SHA2_512HMAC},
  };
  for (const auto& r : rows) {
    INFO("AUTH " << r.ikev2);
    auto n = pfkey_aalg(r.ikev2, Flavor::Linux);
    REQUIRE(n);
    CHECK(*n == r.pfkey);
    CHECK(ikev2_integ(r.pfkey, Flavor::Linux) == r.ikev2);
  }
  CHECK_FALSE(pfkey_aalg(8, Flavor::Linux));  // AUTH_AES_CMAC_96: no PF_KEY number
  CHECK_FALSE(pfkey_aalg(9, Flavor::Linux));  // AES-GMAC auth: NetBSD only
  CHECK(*pfkey_aalg(9, Flavor::Kame) == 11);  // NetBSD SADB_X_AALG_AES128GMAC
  CHECK_FALSE(ikev2_integ(SADB_X_AALG_RIPEMD160HMAC, Flavor::Linux));
  // Linux's SADB_X_AALG_SHA2_256HMAC is hmac(sha256) with a 96-bit ICV
  // (xfrm_algo.c icv_truncbits = 96): not AUTH_HMAC_SHA2_256_128.
  CHECK(pfkey_aalg(12, Flavor::Linux).error().code == core::ErrorCode::Unsupported);
  CHECK_FALSE(ikev2_integ(SADB_X_AALG_SHA2_256HMAC, Flavor::Linux));
  CHECK(*pfkey_aalg(12, Flavor::Kame) == 5);
}

TEST_CASE("Key Length attribute excludes the salt", "[pfkey][alg]") {
  CHECK(encr_key_length_attribute(12, 32) == 256);  // AES-CBC-256
  CHECK(encr_key_length_attribute(20, 36) == 256);  // AES-GCM-16, 4-byte salt (RFC 4106 §8.1)
  CHECK(encr_key_length_attribute(16, 19) == 128);  // AES-CCM-16, 3-byte salt (RFC 4309 §7.1)
  CHECK(encr_key_length_attribute(13, 20) == 128);  // AES-CTR, 4-byte nonce (RFC 3686 §5.1)
  CHECK(encr_key_length_attribute(3, 24) == 0);     // 3DES has a fixed key
}
