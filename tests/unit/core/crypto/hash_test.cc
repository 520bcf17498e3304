// Tests for core/crypto/hash.h: known answers from FIPS 180-2 (Appendices
// A-D, SHA-1 / SHA-256 / SHA-384 / SHA-512 of "abc" and the two-block
// message) and RFC 1321 §A.5 (MD5 test suite).
#include <catch2/catch.hpp>

#include "core/crypto/hash.h"
#include "hex.h"

using core::crypto::HashAlg;
using crypto_test::hex;
using crypto_test::text;
using crypto_test::unhex;

namespace {

struct HashVector {
  int n;
  const char* source;
  HashAlg alg;
  const char* message;
  const char* digest;
};

const HashVector kHashVectors[] = {
    {1, "RFC 1321 A.5", HashAlg::Md5, "", "d41d8cd98f00b204e9800998ecf8427e"},
    {2, "RFC 1321 A.5", HashAlg::Md5, "abc", "900150983cd24fb0d6963f7d28e17f72"},
    {3, "FIPS 180-2 A.1", HashAlg::Sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {4, "FIPS 180-2 A.2", HashAlg::Sha1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    {5, "FIPS 180-2 B.1", HashAlg::Sha256, "abc",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {6, "FIPS 180-2 B.2", HashAlg::Sha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {7, "FIPS 180-2 D.1", HashAlg::Sha384, "abc",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
     "8086072ba1e7cc2358baeca134c825a7"},
    {8, "FIPS 180-2 C.1", HashAlg::Sha512, "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
};

}  // namespace

TEST_CASE("hash known answers", "[crypto][hash]") {
  for (const auto& v : kHashVectors) {
    INFO("vector " << v.n << " (" << v.source << ")");
    auto d = core::crypto::hash(v.alg, text(v.message));
    REQUIRE(d);
    CHECK(hex(*d) == hex(unhex(v.digest)));
    CHECK(d->size() == core::crypto::hash_size(v.alg));

    // The same digest fed one byte at a time, twice through one Hasher.
    auto h = core::crypto::Hasher::create(v.alg);
    REQUIRE(h);
    for (int round = 0; round < 2; ++round) {
      for (char c : std::string(v.message)) {
        std::uint8_t b = static_cast<std::uint8_t>(c);
        REQUIRE(h->update({&b, 1}));
      }
      auto d2 = h->finish();
      REQUIRE(d2);
      CHECK(*d2 == *d);
    }
  }
}

TEST_CASE("RFC 7427 hash identifiers", "[crypto][hash]") {
  using core::crypto::hash_from_rfc7427;
  CHECK(hash_from_rfc7427(1) == HashAlg::Sha1);
  CHECK(hash_from_rfc7427(2) == HashAlg::Sha256);
  CHECK(hash_from_rfc7427(3) == HashAlg::Sha384);
  CHECK(hash_from_rfc7427(4) == HashAlg::Sha512);
  CHECK_FALSE(hash_from_rfc7427(0));
  CHECK_FALSE(hash_from_rfc7427(5));  // Identity: no digest
  for (auto alg : {HashAlg::Sha1, HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512})
    CHECK(hash_from_rfc7427(core::crypto::hash_to_rfc7427(alg)) == alg);
  CHECK(core::crypto::hash_to_rfc7427(HashAlg::Md5) == 0);
}
