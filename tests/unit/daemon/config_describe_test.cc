// describe(): stable text that parses back to an equal model.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

#include "config_test_util.h"

using namespace kagid::config;

namespace {

// uncommented drops "#" lines (setvals, warnings) that differ between runs.
std::string uncommented(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("#", 0) != 0) out += line + "\n";
  return out;
}

void check_round_trip(const Config& cfg) {
  std::string text = describe(cfg);
  auto again = parse_config_text(text, "described.conf");
  INFO(text);
  REQUIRE(again);
  CHECK(again->interface == cfg.interface);
  CHECK(again->resolver == cfg.resolver);
  CHECK(again->defaults == cfg.defaults);
  CHECK(again->remotes == cfg.remotes);
  CHECK(again->selectors == cfg.selectors);
  CHECK(again->policies == cfg.policies);
  CHECK(again->ipsecs == cfg.ipsecs);
  CHECK(again->sas == cfg.sas);
  CHECK(again->addresspools == cfg.addresspools);
  CHECK(uncommented(describe(*again)) == uncommented(text));
}

}  // namespace

TEST_CASE("Every sample configuration describes itself into an equal model", "[config][describe]") {
  ::setenv("KAGI_TEST_CONFIG_DIR", KAGI_TEST_CONFIG_DIR, 1);
  ::setenv("KAGI_TEST_PEER", "192.0.2.7", 1);
  ::setenv("KAGI_TEST_PSKDIR", "/run/psk", 1);
  for (auto name : {"transport.conf", "tunnel.conf", "roadwarrior.conf", "kink.conf", "local-a.conf",
                    "local-b.conf", "defaults.conf", "top.conf", "env.conf", "mip6-mn.conf"}) {
    INFO(name);
    check_round_trip(config_test::load(name));
  }
  ::unsetenv("KAGI_TEST_PEER");
  ::unsetenv("KAGI_TEST_PSKDIR");
  ::unsetenv("KAGI_TEST_CONFIG_DIR");
}

TEST_CASE("describe prints resolved values in configuration syntax", "[config][describe]") {
  auto cfg = config_test::load("mip6-mn.conf");
  std::string text = describe(cfg);
  CHECK_THAT(text, Catch::Contains("selector bu_out {\n"
                                   "  direction outbound;\n"
                                   "  src 2001:db8:1::100;\n"
                                   "  dst 2001:db8:1::1;\n"
                                   "  upper_layer_protocol mh 5;\n"
                                   "  policy_index mip6_policy;\n"
                                   "  reqid 10;\n"
                                   "};\n"));
  CHECK_THAT(text, Catch::Contains("    mobility_role mobile;\n"));
  CHECK_THAT(text, Catch::Contains("    request { mip6_home_prefix; };\n"));
  CHECK_THAT(text, Catch::Contains("interface {\n  ike MY_IP port 500;\n  kink MY_IP port 910;\n"));
  auto tun = describe(config_test::load("tunnel.conf"));
  CHECK_THAT(tun, Catch::Contains("    kmp_enc_alg { aes256_gcm_16; aes_ctr, 256; };\n"));
  CHECK_THAT(tun, Catch::Contains("  ipsec_sa_lifetime_byte 536870912 B;\n"));
  CHECK_THAT(tun, Catch::Contains("    kmp_sa_lifetime_time 28800 sec;\n"));
  auto ovr = describe(config_test::load("defaults.conf"));
  CHECK_THAT(ovr, Catch::Contains("    kmp_sa_lifetime_time infinite;\n"));
  CHECK_THAT(ovr, Catch::Contains("# warning: " + config_test::path("defaults.conf") + ":5:3: ikev1"));
  // Stable: the same input gives the same text.
  CHECK(describe(config_test::load("tunnel.conf")) == tun);
}
