// Value forms: units, booleans, numbers, addresses and macros, variable
// expansion, and the algorithm table against the IANA IKEv2 registry.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "config_test_util.h"
#include "daemon/config/algorithms.h"
#include "daemon/config/expand.h"
#include "daemon/config/values.h"

using namespace kagid::config;

TEST_CASE("Booleans, numbers and units", "[config][values]") {
  for (auto t : {"on", "enable", "yes"}) CHECK(parse_bool(t) == true);
  for (auto f : {"off", "disable", "no"}) CHECK(parse_bool(f) == false);
  CHECK_FALSE(parse_bool("true"));
  CHECK(*parse_number("42") == 42);
  CHECK(*parse_number("0x1f") == 31);
  CHECK_FALSE(parse_number("12a"));
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("300", 255));
  // 1: sec|secs|second|seconds, min(s)|minute(s), hour(s), day(s)
  const std::pair<const char*, std::uint64_t> times[] = {
      {"sec", 1},       {"secs", 1},    {"second", 1}, {"seconds", 1}, {"min", 60},   {"mins", 60},
      {"minute", 60},   {"minutes", 60}, {"hour", 3600}, {"hours", 3600}, {"day", 86400}, {"days", 86400}};
  for (auto [u, s] : times) CHECK(time_unit_seconds(u) == s);
  CHECK_FALSE(time_unit_seconds("week"));
  const std::pair<const char*, std::uint64_t> sizes[] = {
      {"B", 1}, {"byte", 1}, {"bytes", 1}, {"KB", 1024}, {"MB", 1048576}, {"GB", 1073741824}};
  for (auto [u, s] : sizes) CHECK(byte_unit_size(u) == s);
  CHECK_FALSE(byte_unit_size("kb"));
  CHECK(*parse_port("500") == 500);
  CHECK_FALSE(parse_port("65536"));
}

TEST_CASE("Addresses: literals, prefixes, scopes, macros and host names", "[config][values]") {
  auto a = parse_address("192.0.2.1");
  REQUIRE(a);
  CHECK(a->kind == AddressSpec::Kind::Literal);
  CHECK(a->prefix.is_host());
  CHECK_FALSE(a->has_length);
  auto p = parse_address("2001:db8::/32");
  REQUIRE(p);
  CHECK(p->has_length);
  CHECK(p->prefix.length() == 32);
  CHECK(p->to_string() == "2001:db8::/32");
  auto s = parse_address("fe80::1%eth7");  // kept by name: the interface need not exist yet
  REQUIRE(s);
  CHECK(s->ifname == "eth7");
  CHECK(s->to_string() == "fe80::1%eth7");
  auto n = parse_address("fe80::1%3");
  REQUIRE(n);
  CHECK(n->prefix.address().scope_id() == 3);
  auto m = parse_address("MY_IPV6_LINKLOCAL%eth1");
  REQUIRE(m);
  CHECK(m->kind == AddressSpec::Kind::Macro);
  CHECK(m->macro == AddressMacro::MyIpv6LinkLocal);
  CHECK(m->ifname == "eth1");
  CHECK(parse_address("IP_UNSPECIFIED")->macro == AddressMacro::IpAny);
  CHECK(parse_address("MY_HOA")->macro == AddressMacro::MyHoa);
  CHECK_FALSE(parse_address("IP_RW%eth0"));
  auto f = parse_address("vpn.example.net");
  REQUIRE(f);
  CHECK(f->kind == AddressSpec::Kind::Fqdn);
  CHECK_FALSE(parse_address("192.0.2.300"));
  CHECK_FALSE(parse_address("10.0.0.0/33"));
  CHECK_FALSE(parse_address("192.0.2.1%eth0"));
  CHECK_FALSE(parse_address("-bad-.example"));
  CHECK_FALSE(parse_address("a*b"));
}

TEST_CASE("Variable expansion: setval, environment, recursion limits", "[config][values]") {
  Setvals v{{"A", "x${B}"}, {"B", "y"}, {"LOOP", "${LOOP}"}, {"BIG", "${H}${H}"}, {"H", std::string(40000, 'h')}};
  CHECK(*expand("a${A}b", v) == "axyb");
  CHECK(*expand("no vars $ here", v) == "no vars $ here");
  CHECK_THAT(expand("${NOPE}", v).error().detail, Catch::Contains("undefined variable ${NOPE}"));
  CHECK_THAT(expand("${A", v).error().detail, Catch::Contains("unterminated"));
  CHECK_THAT(expand("${LOOP}", v).error().detail, Catch::Contains("refers to itself"));
  CHECK_THAT(expand("${BIG}", v).error().detail, Catch::Contains("exceeds"));
  ::setenv("KAGI_CFG_TEST_VAR", "from-env", 1);
  CHECK(*expand("$[KAGI_CFG_TEST_VAR]/x", v) == "from-env/x");
  CHECK(*expand_env("$[KAGI_CFG_TEST_VAR]") == "from-env");
  CHECK_FALSE(expand_env("${A}"));
  ::unsetenv("KAGI_CFG_TEST_VAR");
  CHECK_THAT(expand("$[KAGI_CFG_TEST_VAR]", v).error().detail, Catch::Contains("is not set"));
}

// Known answers: IKEv2 transform IDs from the IANA "Internet Key Exchange
// Version 2 (IKEv2) Parameters" registry (RFC 7296 §3.3.2, RFC 4106, RFC 5930,
// RFC 7634, RFC 4868, RFC 3526, RFC 5903, RFC 8031).
TEST_CASE("Algorithm names map to IANA transform IDs", "[config][algorithms]") {
  struct Row {
    TransformType type;
    const char* name;
    std::uint16_t id;
    std::uint16_t key_bits;
  };
  const Row rows[] = {
      /* 1 */ {TransformType::Encr, "3des_cbc", 3, 0},
      /* 2 */ {TransformType::Encr, "aes128_cbc", 12, 128},
      /* 3 */ {TransformType::Encr, "aes192_cbc", 12, 192},
      /* 4 */ {TransformType::Encr, "aes256_cbc", 12, 256},
      /* 5 */ {TransformType::Encr, "rijndael_cbc", 12, 128},
      /* 6 */ {TransformType::Encr, "aes_ctr", 13, 128},
      /* 7 */ {TransformType::Encr, "aes_gcm_8", 18, 128},
      /* 8 */ {TransformType::Encr, "aes_gcm_12", 19, 128},
      /* 9 */ {TransformType::Encr, "aes256_gcm_16", 20, 256},
      /* 10 */ {TransformType::Encr, "chacha20_poly1305", 28, 0},
      /* 11 */ {TransformType::Prf, "hmac_md5", 1, 0},
      /* 12 */ {TransformType::Prf, "hmac_sha1", 2, 0},
      /* 13 */ {TransformType::Prf, "aes_xcbc", 4, 0},
      /* 14 */ {TransformType::Prf, "hmac_sha2_256", 5, 0},
      /* 15 */ {TransformType::Prf, "hmac_sha2_512", 7, 0},
      /* 16 */ {TransformType::Prf, "aes_cmac", 8, 0},
      /* 17 */ {TransformType::Integ, "hmac_sha1", 2, 0},
      /* 18 */ {TransformType::Integ, "aes_xcbc", 5, 0},
      /* 19 */ {TransformType::Integ, "aes_cmac", 8, 0},
      /* 20 */ {TransformType::Integ, "hmac_sha2_256", 12, 0},
      /* 21 */ {TransformType::Integ, "hmac_sha2_384", 13, 0},
      /* 22 */ {TransformType::Integ, "hmac_sha2_512", 14, 0},
      /* 23 */ {TransformType::Dh, "modp1536", 5, 0},
      /* 24 */ {TransformType::Dh, "modp2048", 14, 0},
      /* 25 */ {TransformType::Dh, "modp8192", 18, 0},
      /* 26 */ {TransformType::Dh, "ecp256", 19, 0},
      /* 27 */ {TransformType::Dh, "ecp521", 21, 0},
      /* 28 */ {TransformType::Dh, "x25519", 31, 0},
      /* 29 */ {TransformType::Dh, "curve448", 32, 0},
      /* 30 */ {TransformType::Dh, "15", 15, 0},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    auto a = lookup_algorithm(r.type, AlgorithmUse::Esp, r.name, std::nullopt);
    REQUIRE(a);
    CHECK(a->alg.id == r.id);
    CHECK(a->alg.key_bits == r.key_bits);
  }
  CHECK(lookup_algorithm(TransformType::Encr, AlgorithmUse::Esp, "aes_gcm_16", std::nullopt)->alg.aead);
  CHECK(lookup_algorithm(TransformType::Encr, AlgorithmUse::Esp, "aes_ctr", 256)->alg.key_bits == 256);
  CHECK(lookup_algorithm(TransformType::Encr, AlgorithmUse::Esp, "aes128_cbc", 128));
  CHECK(lookup_algorithm(TransformType::Integ, AlgorithmUse::Esp, "non_auth", std::nullopt)->alg.id == 0);
  CHECK_FALSE(lookup_algorithm(TransformType::Encr, AlgorithmUse::Esp, "aes_ctr", 100));
  CHECK_FALSE(lookup_algorithm(TransformType::Encr, AlgorithmUse::Esp, "aes128_cbc", 256));
  CHECK_FALSE(lookup_algorithm(TransformType::Encr, AlgorithmUse::Esp, "3des_cbc", 192));
  CHECK_FALSE(lookup_algorithm(TransformType::Encr, AlgorithmUse::Ike, "null_enc", std::nullopt));
  CHECK_FALSE(lookup_algorithm(TransformType::Integ, AlgorithmUse::Ah, "non_auth", std::nullopt));
  CHECK_FALSE(lookup_algorithm(TransformType::Encr, AlgorithmUse::Ah, "aes_gcm_16", std::nullopt));
  CHECK_FALSE(lookup_algorithm(TransformType::Dh, AlgorithmUse::Ike, "99", std::nullopt));
  CHECK(!lookup_algorithm(TransformType::Dh, AlgorithmUse::Ike, "modp768", std::nullopt)->warning.empty());
}

TEST_CASE("Refused and misplaced algorithm names say why", "[config][algorithms]") {
  auto msg = [](TransformType t, const char* n) {
    return lookup_algorithm(t, AlgorithmUse::Esp, n, std::nullopt).error().detail;
  };
  CHECK(msg(TransformType::Encr, "des_cbc") == "'des_cbc' is not supported: single DES is broken (RFC 8221 MUST NOT)");
  CHECK(msg(TransformType::Encr, "blowfish_cbc") == "'blowfish_cbc' is not supported: obsolete cipher, not in RFC 8221");
  CHECK(msg(TransformType::Encr, "hmac_sha1") == "'hmac_sha1' is a PRF algorithm, not an encryption one");
  CHECK(msg(TransformType::Prf, "sha1") == "'sha1' is not supported: an IKEv1 hash; IKEv2 lists take hmac_* names");
  CHECK(msg(TransformType::Dh, "ec2n155") == "'ec2n155' is not supported: EC2N groups are deprecated (RFC 8247)");
  CHECK(msg(TransformType::Dh, "3") == "DH group 3 is not supported: EC2N groups are deprecated (RFC 8247)");
  CHECK(msg(TransformType::Encr, "rot13") == "unknown encryption algorithm 'rot13'");
}
