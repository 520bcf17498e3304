// tests/unit/kink/krb_keys_test.cc — kink/krb/keys: the RFC 3961 PRF against
// published vectors, the KEYMAT expansion, KINK_ENCRYPT and the KINK
// checksum (key usages 39 and 40, RFC 4430 §4.2.7 and §4).
#include <catch2/catch.hpp>

#include <krb5/krb5.h>

#include <string>
#include <vector>

#include "bitflip.h"
#include "kink/krb/context.h"
#include "kink/krb/keys.h"
#include "krb_forge.h"

using namespace kink::krb;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes unhex(const std::string& h) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

SessionKey key_of(std::int32_t enctype, const std::string& hex) {
  Bytes b = unhex(hex);
  return SessionKey{enctype, core::crypto::SecureBytes(b)};
}

Bytes to_bytes(const core::crypto::SecureBytes& s) { return Bytes(s.begin(), s.end()); }

const std::int32_t kEnctypes[] = {ENCTYPE_AES128_CTS_HMAC_SHA1_96, ENCTYPE_AES256_CTS_HMAC_SHA1_96,
                                  ENCTYPE_AES128_CTS_HMAC_SHA256_128, ENCTYPE_AES256_CTS_HMAC_SHA384_192};

struct Fixture {
  forge::Realm realm;
  Context ctx = Context::open({realm.conf(), realm.rcache()}).value();
};

}  // namespace

// Table 1 — PRF known answers.
//   1.1-1.2: RFC 8009 Appendix A, "Sample results for PRF" (input "test").
//   1.3-1.8: MIT krb5 src/lib/crypto/crypto_tests/t_prf.c (the AES-SHA1
//            types of RFC 3962, which publishes no PRF vectors itself).
TEST_CASE("krb prf: known answers (RFC 8009 Appendix A, MIT t_prf.c)", "[kink][krb]") {
  Fixture f;
  struct Vec {
    std::int32_t enctype;
    const char* key;
    const char* input;
    const char* prf;
  } table[] = {
      {ENCTYPE_AES128_CTS_HMAC_SHA256_128, "3705D96080C17728A0E800EAB6E0D23C", "74657374",
       "9D188616F63852FE86915BB840B4A886FF3E6BB0F819B49B893393D393854295"},
      {ENCTYPE_AES256_CTS_HMAC_SHA384_192, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52",
       "74657374",
       "9801F69A368C2BF675E59521E177D9A07F67EFE1CFDE8D3C8D6F6A0256E3B17DB3C1B62AD1B8553360D17367EB1514D2"},
      {ENCTYPE_AES128_CTS_HMAC_SHA1_96, "AE272E7CDEC86AC5138CDB196D8E297D", "0161", "77B39A37A868920F2A51F9DD150C5717"},
      {ENCTYPE_AES128_CTS_HMAC_SHA1_96, "67AB1CFEF35E4C27FFDEAC60385A3E9C", "0162", "E06C0DD31FF02091994F2EF5178BFE3D"},
      {ENCTYPE_AES256_CTS_HMAC_SHA1_96, "C01F157211F7B77EAAF457C3E156690127EE127D810BA6392E97BAA243EB0616", "0161",
       "B2628C788E2E9C4A9BB4644678C29F2F"},
      {ENCTYPE_AES256_CTS_HMAC_SHA1_96, "C01F157211F7B77EAAF457C3E156690127EE127D810BA6392E97BAA243EB0616", "0261",
       "B406373350CEE8A6126F4A9B65A0CD21"},
      {ENCTYPE_AES256_CTS_HMAC_SHA1_96, "9D520D2D980AA7CB6B693682B62DA258B333867951642CE647AE62B1E5E0B5E9", "0162",
       "FF0E289EA756C0559A0E911856961A49"},
      {ENCTYPE_AES256_CTS_HMAC_SHA1_96, "9D520D2D980AA7CB6B693682B62DA258B333867951642CE647AE62B1E5E0B5E9", "0262",
       "0D674DD0F9A6806525A4D92E828BD15A"},
  };
  int n = 0;
  for (const auto& v : table) {
    ++n;
    INFO("vector 1." << n);
    auto out = prf(f.ctx, key_of(v.enctype, v.key), unhex(v.input));
    REQUIRE(out);
    CHECK(to_bytes(*out) == unhex(v.prf));
    CHECK(prf_length(f.ctx, v.enctype).value() == unhex(v.prf).size());
  }
}

TEST_CASE("krb prf_plus: KEYMAT = K1 | K2 | ... with Kn+1 = prf(key, Kn | seed) (RFC 2409 §5.5)", "[kink][krb]") {
  Fixture f;
  for (auto et : kEnctypes) {
    INFO("enctype " << et);
    SessionKey k = random_key(f.ctx, et).value();
    Bytes seed = {0x03, 0x11, 0x22, 0x33, 0x44, 'N', 'i', 'N', 'r'};  // protocol | SPI | Ni_b | Nr_b
    std::size_t block = prf_length(f.ctx, et).value();
    auto k1 = prf(f.ctx, k, seed).value();
    Bytes in2 = to_bytes(k1);
    in2.insert(in2.end(), seed.begin(), seed.end());
    auto k2 = prf(f.ctx, k, in2).value();
    Bytes in3 = to_bytes(k2);
    in3.insert(in3.end(), seed.begin(), seed.end());
    auto k3 = prf(f.ctx, k, in3).value();
    Bytes expect = to_bytes(k1);
    for (const auto* kn : {&k2, &k3}) expect.insert(expect.end(), kn->begin(), kn->end());

    auto km = prf_plus(f.ctx, k, seed, 3 * block).value();
    CHECK(to_bytes(km) == expect);
    // A shorter KEYMAT is a prefix; an odd length truncates the last block.
    auto km_short = prf_plus(f.ctx, k, seed, block + 5).value();
    CHECK(to_bytes(km_short) == Bytes(expect.begin(), expect.begin() + static_cast<long>(block) + 5));
    // Another seed (another SPI) gives other keys.
    seed[1] ^= 1;
    CHECK(to_bytes(prf_plus(f.ctx, k, seed, 3 * block).value()) != expect);
  }
  SessionKey k = random_key(f.ctx, ENCTYPE_AES128_CTS_HMAC_SHA1_96).value();
  CHECK(prf_plus(f.ctx, k, Bytes{1}, 0).error().code == core::ErrorCode::InvalidSyntax);
  CHECK(prf_plus(f.ctx, k, Bytes{1}, 255 * 16 + 1).error().code == core::ErrorCode::InvalidSyntax);
  CHECK(prf_plus(f.ctx, k, Bytes{1}, 255 * 16).value().size() == 255 * 16);
}

TEST_CASE("krb encrypt/decrypt: KINK_ENCRYPT round trip with generated keys", "[kink][krb]") {
  Fixture f;
  Bytes plain = {0x01, 0x00, 0x00, 0x00, 'i', 'n', 'n', 'e', 'r', ' ', 'p', 'a', 'y', 'l', 'o', 'a', 'd', 's'};
  for (auto et : kEnctypes) {
    INFO("enctype " << et);
    SessionKey k = random_key(f.ctx, et).value();
    auto c1 = encrypt(f.ctx, k, plain).value();
    auto c2 = encrypt(f.ctx, k, plain).value();
    CHECK(c1.size() > plain.size());
    CHECK(c1 != c2);  // a fresh confounder each time (RFC 3961 §5.3)
    CHECK(to_bytes(decrypt(f.ctx, k, c1).value()) == plain);
    CHECK(to_bytes(decrypt(f.ctx, k, c2).value()) == plain);
    CHECK(decrypt(f.ctx, k, encrypt(f.ctx, k, Bytes{}).value()).value().empty());

    SessionKey other = random_key(f.ctx, et).value();
    CHECK(decrypt(f.ctx, other, c1).error().code == core::ErrorCode::AuthFailed);
    // Every flipped bit, truncation and extension is refused, never crashes.
    std::size_t accepted = 0;
    testing::for_each_mutation(c1, [&](std::span<const std::uint8_t> m) {
      if (decrypt(f.ctx, k, m)) ++accepted;
    });
    CHECK(accepted == 0);
  }
}

TEST_CASE("krb encrypt: key usage 39 is the one on the wire (RFC 4430 §4.2.7)", "[kink][krb]") {
  Fixture f;
  SessionKey k = random_key(f.ctx, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value();
  Bytes plain = {'k', 'i', 'n', 'k'};
  auto raw = [&](krb5_keyusage usage) {
    krb5_keyblock kb{KV5M_KEYBLOCK, k.enctype, static_cast<unsigned int>(k.bytes.size()), k.bytes.data()};
    krb5_data in{KV5M_DATA, 4, reinterpret_cast<char*>(plain.data())};
    std::size_t len = 0;
    krb5_c_encrypt_length(f.ctx.get(), k.enctype, in.length, &len);
    Bytes out(len);
    krb5_enc_data enc{};
    enc.enctype = k.enctype;
    enc.ciphertext = {KV5M_DATA, static_cast<unsigned int>(len), reinterpret_cast<char*>(out.data())};
    REQUIRE(krb5_c_encrypt(f.ctx.get(), &kb, usage, nullptr, &in, &enc) == 0);
    return out;
  };
  CHECK(to_bytes(decrypt(f.ctx, k, raw(39)).value()) == plain);
  CHECK(decrypt(f.ctx, k, raw(40)).error().code == core::ErrorCode::AuthFailed);
}

TEST_CASE("krb checksum: the KINK Cksum, key usage 40, mandatory keyed type (RFC 4430 §4)", "[kink][krb]") {
  Fixture f;
  Bytes msg = {0x01, 0x10, 0x00, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00};
  struct {
    std::int32_t enctype;
    std::size_t cksum_len;  // RFC 3962 §7 (96-bit HMAC-SHA1), RFC 8009 §5 (128/192)
  } table[] = {{ENCTYPE_AES128_CTS_HMAC_SHA1_96, 12},
               {ENCTYPE_AES256_CTS_HMAC_SHA1_96, 12},
               {ENCTYPE_AES128_CTS_HMAC_SHA256_128, 16},
               {ENCTYPE_AES256_CTS_HMAC_SHA384_192, 24}};
  for (const auto& t : table) {
    INFO("enctype " << t.enctype);
    SessionKey k = random_key(f.ctx, t.enctype).value();
    auto ck = make_checksum(f.ctx, k, msg).value();
    CHECK(ck.size() == t.cksum_len);
    CHECK(make_checksum(f.ctx, k, msg).value() == ck);  // keyed, deterministic
    CHECK(verify_checksum(f.ctx, k, msg, ck));

    Bytes tampered = msg;
    tampered[3] ^= 0x01;
    CHECK(verify_checksum(f.ctx, k, tampered, ck).error().code == core::ErrorCode::AuthFailed);
    CHECK(verify_checksum(f.ctx, random_key(f.ctx, t.enctype).value(), msg, ck).error().code ==
          core::ErrorCode::AuthFailed);
    std::size_t accepted = 0;
    testing::for_each_mutation(ck, [&](std::span<const std::uint8_t> m) {
      if (verify_checksum(f.ctx, k, msg, m)) ++accepted;
    });
    CHECK(accepted == 0);

    // The same checksum made directly with usage 40 verifies; usage 39 not.
    krb5_keyblock kb{KV5M_KEYBLOCK, k.enctype, static_cast<unsigned int>(k.bytes.size()), k.bytes.data()};
    krb5_data in{KV5M_DATA, static_cast<unsigned int>(msg.size()), reinterpret_cast<char*>(msg.data())};
    for (krb5_keyusage usage : {40, 39}) {
      krb5_checksum raw{};
      REQUIRE(krb5_c_make_checksum(f.ctx.get(), 0, &kb, usage, &in, &raw) == 0);
      Bytes rb(raw.contents, raw.contents + raw.length);
      krb5_free_checksum_contents(f.ctx.get(), &raw);
      CHECK(static_cast<bool>(verify_checksum(f.ctx, k, msg, rb)) == (usage == 40));
    }
  }
}

TEST_CASE("krb keys: keys of the wrong size or an unknown enctype are refused", "[kink][krb]") {
  Fixture f;
  SessionKey short_key{ENCTYPE_AES256_CTS_HMAC_SHA1_96, core::crypto::SecureBytes(16)};
  CHECK(encrypt(f.ctx, short_key, Bytes{1}).error().code == core::ErrorCode::InvalidSyntax);
  CHECK(prf(f.ctx, short_key, Bytes{1}).error().code == core::ErrorCode::InvalidSyntax);
  SessionKey unknown{9999, core::crypto::SecureBytes(16)};
  CHECK(make_checksum(f.ctx, unknown, Bytes{1}).error().code == core::ErrorCode::NoProposal);
  CHECK(!random_key(f.ctx, 9999));
}
