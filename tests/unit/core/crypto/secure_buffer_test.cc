// Tests for core/crypto/secure_buffer.h, random.h and the DeterministicRng fake.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "core/crypto/random.h"
#include "core/crypto/secure_buffer.h"
#include "deterministic_rng.h"
#include "hex.h"

using core::crypto::equal_ct;
using core::crypto::SecureBytes;
using crypto_test::unhex;

TEST_CASE("SecureBytes holds, appends, resizes and compares", "[crypto][secure]") {
  SecureBytes a(unhex("00 01 02 03"));
  REQUIRE(a.size() == 4);
  a.append(unhex("04 05"));
  REQUIRE(a == SecureBytes(unhex("000102030405")));
  a.resize(2);
  REQUIRE(a == SecureBytes({0x00, 0x01}));
  a.resize(4);
  REQUIRE(a == SecureBytes({0x00, 0x01, 0x00, 0x00}));  // grows with zeros
  REQUIRE_FALSE(a == SecureBytes({0x00, 0x01, 0x00, 0x01}));
  REQUIRE_FALSE(a == SecureBytes({0x00, 0x01, 0x00}));
  REQUIRE(SecureBytes(3) == SecureBytes({0, 0, 0}));
  REQUIRE(a.first(2).size() == 2);
  REQUIRE(a.subspan(1, 2)[0] == 0x01);
}

TEST_CASE("SecureBytes moves leave the source empty; copies are independent", "[crypto][secure]") {
  SecureBytes a({1, 2, 3});
  SecureBytes b(std::move(a));
  REQUIRE(a.empty());  // NOLINT(bugprone-use-after-move): the contract under test
  REQUIRE(b == SecureBytes({1, 2, 3}));
  SecureBytes c;
  c = std::move(b);
  REQUIRE(b.empty());  // NOLINT(bugprone-use-after-move)
  SecureBytes d = c;
  d[0] = 9;
  REQUIRE(c[0] == 1);
  c.clear();
  REQUIRE(c.empty());
}

TEST_CASE("cleanse wipes bytes; CleansingAllocator pairs allocate/deallocate", "[crypto][secure]") {
  std::vector<std::uint8_t> backing(32, 0xab);
  core::crypto::cleanse(backing.data(), backing.size());
  REQUIRE(std::all_of(backing.begin(), backing.end(), [](auto b) { return b == 0; }));
  core::crypto::CleansingAllocator<std::uint8_t> alloc;
  std::uint8_t* p = alloc.allocate(16);
  std::fill_n(p, 16, 0x5a);
  alloc.deallocate(p, 16);  // wipes then frees; ASan checks the pairing
}

TEST_CASE("equal_ct compares contents and lengths", "[crypto][secure]") {
  auto a = unhex("0102030405");
  auto b = unhex("0102030405");
  auto c = unhex("0102030406");
  REQUIRE(equal_ct(a, b));
  REQUIRE_FALSE(equal_ct(a, c));
  REQUIRE_FALSE(equal_ct(a, std::span(b).first(4)));
  REQUIRE(equal_ct({}, {}));
}

TEST_CASE("random_bytes fills and does not repeat", "[crypto][random]") {
  auto a = core::crypto::random_vector(32);
  auto b = core::crypto::random_vector(32);
  REQUIRE(a.size() == 32);
  REQUIRE(a != b);  // 2^-256 chance of a false failure
  std::vector<std::uint8_t> big(100000);
  core::crypto::random_bytes(big);
  std::set<std::uint8_t> seen(big.begin(), big.end());
  REQUIRE(seen.size() == 256);
  auto& rng = core::crypto::system_rng();
  REQUIRE(rng.u64() != rng.u64());
}

TEST_CASE("DeterministicRng is reproducible per seed", "[crypto][random]") {
  testing::DeterministicRng r1(42), r2(42), r3(43);
  auto a = r1.bytes(40);
  auto b = r2.bytes(40);
  auto c = r3.bytes(40);
  REQUIRE(a == b);
  REQUIRE(a != c);
  REQUIRE(r1.bytes_drawn() == 40);
  // Drawing in pieces gives the same stream as drawing at once.
  testing::DeterministicRng r4(42);
  std::vector<std::uint8_t> pieces;
  for (int i = 0; i < 8; ++i) {
    auto p = r4.bytes(5);
    pieces.insert(pieces.end(), p.begin(), p.end());
  }
  REQUIRE(pieces == a);
  r1.reseed(42);
  REQUIRE(r1.bytes(40) == a);
  // Rng::u32 reads big-endian.
  testing::DeterministicRng r5(7), r6(7);
  auto four = r5.bytes(4);
  REQUIRE(r6.u32() == (std::uint32_t{four[0]} << 24 | std::uint32_t{four[1]} << 16 |
                       std::uint32_t{four[2]} << 8 | four[3]));
}
