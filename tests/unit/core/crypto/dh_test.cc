// Tests for core/crypto/dh.h: ECDH and X25519 known answers, agreement in
// every group, and refusal of bad peer values.
#include <catch2/catch.hpp>

#include <openssl/bn.h>
#include <openssl/core_names.h>

#include "bitflip.h"
#include "core/crypto/dh.h"
#include "hex.h"

using core::crypto::dh_from_private;
using core::crypto::DhGroup;
using core::crypto::generate_dh;
using crypto_test::hex;
using crypto_test::unhex;

namespace {

struct DhVector {
  int n;
  const char* source;
  std::uint16_t group;
  const char* priv_i;
  const char* pub_i;  // KE encoding
  const char* priv_r;
  const char* pub_r;
  const char* shared;
};

// Table 1: key exchange known answers. ECP_256 from RFC 5903 §8.1 (KE data
// is gix | giy; the secret is girx); Curve25519 from RFC 7748 §6.1 (Alice
// is the initiator).
const DhVector kDhVectors[] = {
    {1, "RFC 5903 8.1", DhGroup::Ecp256,
     "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433",
     "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
     "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3",
     "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53",
     "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
     "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB",
     "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE"},
    {2, "RFC 7748 6.1", DhGroup::Curve25519,
     "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
     "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
     "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
     "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
     "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"},
};

const std::uint16_t kAllGroups[] = {
    DhGroup::Modp768,  DhGroup::Modp1024, DhGroup::Modp1536, DhGroup::Modp2048, DhGroup::Modp3072,
    DhGroup::Modp4096, DhGroup::Modp6144, DhGroup::Modp8192, DhGroup::Ecp256,   DhGroup::Ecp384,
    DhGroup::Ecp521,   DhGroup::Curve25519, DhGroup::Curve448,
};

}  // namespace

TEST_CASE("key exchange known answers", "[crypto][dh]") {
  for (const auto& v : kDhVectors) {
    INFO("vector " << v.n << " (" << v.source << ")");
    auto i = dh_from_private(v.group, unhex(v.priv_i));
    auto r = dh_from_private(v.group, unhex(v.priv_r));
    REQUIRE(i);
    REQUIRE(r);
    CHECK(hex((*i)->public_value()) == hex(unhex(v.pub_i)));
    CHECK(hex((*r)->public_value()) == hex(unhex(v.pub_r)));
    auto s1 = (*i)->derive(unhex(v.pub_r));
    auto s2 = (*r)->derive(unhex(v.pub_i));
    REQUIRE(s1);
    REQUIRE(s2);
    CHECK(hex(s1->span()) == hex(unhex(v.shared)));
    CHECK(hex(s2->span()) == hex(unhex(v.shared)));
  }
}

TEST_CASE("two fresh keys agree in every group", "[crypto][dh]") {
  for (std::uint16_t group : kAllGroups) {
    const auto* info = core::crypto::dh_group_info(group);
    REQUIRE(info != nullptr);
    INFO(info->name);
    auto a = generate_dh(group);
    auto b = generate_dh(group);
    REQUIRE(a);
    REQUIRE(b);
    CHECK((*a)->group() == group);
    CHECK((*a)->public_value().size() == core::crypto::dh_public_size(group));
    CHECK((*a)->public_value().size() == info->public_size);
    CHECK(hex((*a)->public_value()) != hex((*b)->public_value()));
    auto ab = (*a)->derive((*b)->public_value());
    auto ba = (*b)->derive((*a)->public_value());
    REQUIRE(ab);
    REQUIRE(ba);
    CHECK(ab->size() == info->secret_size);
    CHECK(*ab == *ba);
  }
}

TEST_CASE("MODP groups compute over the RFC 2409 / RFC 3526 primes", "[crypto][dh]") {
  // An oracle built from OpenSSL's BIGNUM copies of the RFC primes: both
  // public values 2^x mod p and the secret (2^xb)^xa mod p, padded to the
  // prime's length (RFC 7296 §2.14), must match what the DhKeys produce.
  struct Row {
    std::uint16_t group;
    BIGNUM* (*prime)(BIGNUM*);
  };
  const auto xa = unhex("5a0f8e2c1d3b4a6978e5c4b3a2918070f1e2d3c4b5a69788796a5b4c3d2e1f00");
  const auto xb = unhex("0102f3e4d5c6b7a8998a7b6c5d4e3f20112233445566778899aabbccddeeff10");
  BN_CTX* ctx = BN_CTX_new();
  auto padded = [](const BIGNUM* v, std::size_t n) {
    std::vector<std::uint8_t> out(n);
    REQUIRE(BN_bn2binpad(v, out.data(), static_cast<int>(n)) == static_cast<int>(n));
    return out;
  };
  for (auto r : {Row{DhGroup::Modp768, BN_get_rfc2409_prime_768},
                 Row{DhGroup::Modp1024, BN_get_rfc2409_prime_1024},
                 Row{DhGroup::Modp1536, BN_get_rfc3526_prime_1536},
                 Row{DhGroup::Modp2048, BN_get_rfc3526_prime_2048},
                 Row{DhGroup::Modp3072, BN_get_rfc3526_prime_3072},
                 Row{DhGroup::Modp4096, BN_get_rfc3526_prime_4096},
                 Row{DhGroup::Modp6144, BN_get_rfc3526_prime_6144},
                 Row{DhGroup::Modp8192, BN_get_rfc3526_prime_8192}}) {
    INFO("group " << r.group);
    const std::size_t n = core::crypto::dh_public_size(r.group);
    BIGNUM* p = r.prime(nullptr);
    REQUIRE(static_cast<std::size_t>(BN_num_bytes(p)) == n);
    BIGNUM* g = BN_new();
    BN_set_word(g, 2);
    BIGNUM* a = BN_bin2bn(xa.data(), static_cast<int>(xa.size()), nullptr);
    BIGNUM* b = BN_bin2bn(xb.data(), static_cast<int>(xb.size()), nullptr);
    BIGNUM* ya = BN_new();
    BIGNUM* yb = BN_new();
    BIGNUM* k = BN_new();
    REQUIRE(BN_mod_exp(ya, g, a, p, ctx) == 1);
    REQUIRE(BN_mod_exp(yb, g, b, p, ctx) == 1);
    REQUIRE(BN_mod_exp(k, yb, a, p, ctx) == 1);

    auto ka = dh_from_private(r.group, xa);
    auto kb = dh_from_private(r.group, xb);
    REQUIRE(ka);
    REQUIRE(kb);
    CHECK(hex((*ka)->public_value()) == hex(padded(ya, n)));
    CHECK(hex((*kb)->public_value()) == hex(padded(yb, n)));
    auto s = (*ka)->derive((*kb)->public_value());
    REQUIRE(s);
    CHECK(hex(s->span()) == hex(padded(k, n)));
    // A generated key agrees with the rebuilt one, so it uses the same group.
    auto fresh = generate_dh(r.group);
    REQUIRE(fresh);
    auto s1 = (*fresh)->derive((*ka)->public_value());
    auto s2 = (*ka)->derive((*fresh)->public_value());
    REQUIRE(s1);
    REQUIRE(s2);
    CHECK(*s1 == *s2);
    for (BIGNUM* x : {p, g, a, b, ya, yb, k}) BN_free(x);
  }
  BN_CTX_free(ctx);
}

TEST_CASE("MODP peer values outside 1 < y < p-1 are refused", "[crypto][dh]") {
  auto key = generate_dh(DhGroup::Modp2048);
  REQUIRE(key);
  std::vector<std::uint8_t> y(256, 0);
  auto zero = (*key)->derive(y);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().code == core::ErrorCode::InvalidSyntax);
  y.back() = 1;
  CHECK_FALSE((*key)->derive(y));
  y.back() = 2;
  CHECK((*key)->derive(y));
  std::vector<std::uint8_t> ones(256, 0xff);  // > p
  CHECK_FALSE((*key)->derive(ones));
  auto short_y = (*key)->derive(std::vector<std::uint8_t>(255, 7));
  REQUIRE_FALSE(short_y);
  CHECK(short_y.error().code == core::ErrorCode::InvalidSyntax);
}

TEST_CASE("ECP peer points off the curve or of the wrong length are refused", "[crypto][dh]") {
  auto key = dh_from_private(DhGroup::Ecp256, unhex(kDhVectors[0].priv_i));
  REQUIRE(key);
  auto peer = unhex(kDhVectors[0].pub_r);
  auto off = peer;
  off.back() ^= 1;  // y no longer matches x
  auto r = (*key)->derive(off);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == core::ErrorCode::InvalidSyntax);
  CHECK_FALSE((*key)->derive(std::vector<std::uint8_t>(64, 0)));  // (0, 0) is no point
  std::vector<std::uint8_t> with_prefix{0x04};
  with_prefix.insert(with_prefix.end(), peer.begin(), peer.end());
  CHECK_FALSE((*key)->derive(with_prefix));  // RFC 5903 §7: no 0x04 octet
  CHECK_FALSE((*key)->derive(std::span(peer).first(32)));
  CHECK((*key)->derive(peer));
}

TEST_CASE("X25519 / X448 refuse small-order peers (all-zero secret)", "[crypto][dh]") {
  for (std::uint16_t group : {DhGroup::Curve25519, DhGroup::Curve448}) {
    auto key = generate_dh(group);
    REQUIRE(key);
    const std::size_t n = core::crypto::dh_public_size(group);
    std::vector<std::uint8_t> u(n, 0);
    auto zero = (*key)->derive(u);  // u = 0: the result is all zero
    REQUIRE_FALSE(zero);
    CHECK(zero.error().code == core::ErrorCode::InvalidSyntax);
    u[0] = 1;  // u = 1 has order 1 as well
    CHECK_FALSE((*key)->derive(u));
    CHECK_FALSE((*key)->derive(std::vector<std::uint8_t>(n + 1, 9)));
  }
}

TEST_CASE("unknown groups are Unsupported", "[crypto][dh]") {
  for (std::uint16_t g : {0, 3, 4, 22, 23, 24, 28, 33}) {
    auto k = generate_dh(g);
    REQUIRE_FALSE(k);
    CHECK(k.error().code == core::ErrorCode::Unsupported);
    CHECK(core::crypto::dh_public_size(g) == 0);
  }
}

TEST_CASE("DH peer values survive the bit-flip sweep", "[crypto][dh][bitflip]") {
  for (std::uint16_t group : {DhGroup::Ecp256, DhGroup::Curve25519, DhGroup::Modp1024}) {
    auto mine = generate_dh(group);
    auto peer = generate_dh(group);
    REQUIRE(mine);
    REQUIRE(peer);
    auto good = (*mine)->derive((*peer)->public_value());
    REQUIRE(good);
    std::size_t accepted = 0;
    auto n = testing::for_each_mutation((*peer)->public_value(), [&](std::span<const std::uint8_t> m) {
      auto r = (*mine)->derive(m);
      if (r) {
        ++accepted;
        CHECK(r->size() == good->size());
      }
    });
    INFO("group " << group << ": " << accepted << " of " << n << " mutants accepted");
    CHECK(n > 0);
    if (group == DhGroup::Ecp256) CHECK(accepted == 0);  // no flip of x|y stays on the curve
  }
}
