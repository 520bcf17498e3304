// Broken configurations: each mistake yields a "file:line:col: message".
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config_test_util.h"

using Catch::Contains;
using config_test::error_of;
using config_test::file_error;
using config_test::kPeer;
using config_test::path;

namespace {

std::string with_peer(std::string_view text) { return std::string(text) + std::string(kPeer); }

// TempDir is a scratch directory removed at the end of the test.
struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    char tmpl[] = "/tmp/kagi-config-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

}  // namespace

TEST_CASE("Sample broken files report their exact place", "[config][errors]") {
  CHECK(file_error("broken/unknown-directive.conf") ==
        path("broken/unknown-directive.conf") + ":5:2: unknown directive 'frobnicate' in remote block");
  CHECK(file_error("broken/dangling-index.conf") ==
        path("broken/dangling-index.conf") + ":6:15: policy_index 'no_such_policy' names no policy");
  CHECK(file_error("broken/bad-unit.conf") ==
        path("broken/bad-unit.conf") + ":6:26: bad time unit 'fortnights' for 'kmp_sa_lifetime_time' (sec, min, hour, day)");
  CHECK(file_error("broken/missing-semicolon.conf") ==
        path("broken/missing-semicolon.conf") + ":6:3: unexpected 'nat_traversal' after the value of 'passive' (missing ';'?)");
  CHECK(file_error("broken/unterminated-string.conf") ==
        path("broken/unterminated-string.conf") + ":5:18: unterminated string (a quoted string must end on its line)");
  CHECK(file_error("broken/unterminated-block.conf") ==
        path("broken/unterminated-block.conf") + ":2:13: unterminated block: '{' of 'remote peer' has no matching '}'");
  CHECK_THAT(file_error("broken/ikev1-only.conf"),
             Contains(path("broken/ikev1-only.conf") + ":3:2: ikev1 is the only acceptable_kmp: IKEv1 is not supported"));
  CHECK(file_error("broken/unsupported.conf") ==
        path("broken/unsupported.conf") + ":5:21: 'kmp_auth_method rsasig' is not supported: certificate and "
        "public-key authentication are not built yet\n" +
        path("broken/unsupported.conf") + ":6:3: 'my_public_key' is not supported: certificate and public-key "
        "authentication are not built yet");
}

TEST_CASE("Include loops and nesting deeper than 10 are refused", "[config][errors][include]") {
  auto loop = file_error("broken/include-loop-a.conf");
  CHECK_THAT(loop, Contains(path("broken/include-loop-b.conf") + ":3:9: include loop: "));
  CHECK_THAT(loop, Contains("include-loop-a.conf -> "));

  TempDir t;
  for (int i = 0; i < 12; ++i)
    t.write("d" + std::to_string(i) + ".conf",
            "# level " + std::to_string(i) + "\ninclude \"d" + std::to_string(i + 1) + ".conf\";\n");
  t.write("d12.conf", "setval DEEP \"yes\";\n");
  auto deep = kagid::config::load_config((t.dir / "d0.conf").string());
  REQUIRE_FALSE(deep);
  CHECK(deep.error().detail == (t.dir / "d10.conf").string() +
                                   ":2:1: includes nested too deeply (limit 10): 'd11.conf'");
  // Ten levels are fine.
  t.write("d10.conf", "setval DEEP \"ten\";\n");
  auto ten = kagid::config::load_config((t.dir / "d0.conf").string());
  REQUIRE(ten);
  CHECK(ten->setvals.at("DEEP") == "ten");
}

TEST_CASE("Missing include files and empty globs", "[config][errors][include]") {
  TempDir t;
  std::string top = t.write("top.conf", "include \"missing.conf\";\n");
  auto r = kagid::config::load_config(top);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail == top + ":1:9: cannot open include file '" + (t.dir / "missing.conf").string() +
                                "': No such file or directory");
  std::string glob = t.write("glob.conf", "include \"none.d/*.conf\";\nsetval X \"1\";\n");
  auto g = kagid::config::load_config(glob);
  REQUIRE(g);
  REQUIRE(g->warnings.size() == 1);
  CHECK_THAT(g->warnings[0], Contains("matches no file"));
  CHECK_THAT(error_of("include \"${X}\";"), Contains("test.conf:1:9: ${X} cannot be used here"));
  CHECK_THAT(error_of("remote r { include \"x\"; };"), Contains("'include' is allowed only at top level"));
  auto top_missing = kagid::config::load_config((t.dir / "nope.conf").string());
  REQUIRE_FALSE(top_missing);
  CHECK_THAT(top_missing.error().detail, Contains("cannot open"));
}

TEST_CASE("Type errors name the value and its place", "[config][errors]") {
  CHECK(error_of(with_peer("remote r { acceptable_kmp ikev2; ikev2 { pre_shared_key \"p\"; passive maybe; }; };")) ==
        "test.conf:1:70: bad boolean 'maybe' for 'passive' (on/off, yes/no, enable/disable)");
  CHECK(error_of("selector s { direction outbound; src 192.0.2.300; dst 192.0.2.1; policy_index p; };\n"
                 "policy p { action discard; };") ==
        "test.conf:1:38: bad address '192.0.2.300': not an IP address: '192.0.2.300'");
  CHECK(error_of("ipsec i { ipsec_sa_lifetime_time ten sec; sa_index s; };\nsa s { sa_protocol esp; };") ==
        "test.conf:1:34: bad time 'ten' for 'ipsec_sa_lifetime_time' (N sec|min|hour|day, or infinite)");
  CHECK(error_of("ipsec i { ipsec_sa_lifetime_byte 10 TB; sa_index s; };\nsa s { sa_protocol esp; };") ==
        "test.conf:1:37: bad byte unit 'TB' for 'ipsec_sa_lifetime_byte' (B, KB, MB, GB)");
  CHECK(error_of("sa s { sa_protocol esp; esp_enc_alg { aes128_cbc; serpent_cbc; }; };") ==
        "test.conf:1:51: unknown encryption algorithm 'serpent_cbc'");
  CHECK(error_of("sa s { sa_protocol esp; esp_enc_alg aes_ctr, 384; };") ==
        "test.conf:1:37: key length 384 is not valid for aes_ctr (128, 192 or 256 bits)");
  CHECK(error_of("sa s { sa_protocol esp; esp_enc_alg aes_ctr, 128, 0x0011; };") ==
        "test.conf:1:51: algorithm keys are for manual keying (static_ipsec), which is not built yet");
  CHECK(error_of("policy p { action auto_ipsec; ipsec_mode sideways; };") ==
        "test.conf:1:42: bad value 'sideways' for 'ipsec_mode' (expected transport or tunnel)");
  CHECK(error_of("selector s { direction out; src ::1; dst ::1; policy_index p; };\npolicy p { action discard; };") ==
        "test.conf:1:24: bad value 'out' for 'direction' (expected outbound or inbound)");
  CHECK(error_of("selector s { direction inbound; src ::1; dst ::1; reqid 0; policy_index p; };\n"
                 "policy p { action discard; };") == "test.conf:1:57: bad number '0' for 'reqid' (1 to 4294967295)");
}

TEST_CASE("Dangling indexes are errors at the reference", "[config][errors]") {
  CHECK(error_of("policy p { action auto_ipsec; remote_index nobody; ipsec_index i; };\n"
                 "ipsec i { sa_index s; };\nsa s { sa_protocol esp; };") ==
        "test.conf:1:44: remote_index 'nobody' names no remote");
  CHECK(error_of(with_peer("policy p { action auto_ipsec; remote_index peer; ipsec_index { i; nothing; }; };\n"
                           "ipsec i { sa_index s; };\nsa s { sa_protocol esp; };")) ==
        "test.conf:1:67: ipsec_index 'nothing' names no ipsec");
  CHECK(error_of("ipsec i { sa_index { s; t; }; };\nsa s { sa_protocol esp; };") ==
        "test.conf:1:25: sa_index 't' names no sa");
  CHECK(error_of("remote r { acceptable_kmp ikev2; selector_index gone; ikev2 { pre_shared_key \"p\"; "
                 "provide { addresspool dry; }; }; };") ==
        "test.conf:1:49: selector_index 'gone' names no selector\n"
        "test.conf:1:105: addresspool 'dry' names no addresspool");
}

TEST_CASE("Structural mistakes", "[config][errors]") {
  CHECK(error_of("bogus { };") == "test.conf:1:1: unknown directive 'bogus' at top level");
  CHECK(error_of("remote { };") == "test.conf:1:1: a remote section is: remote NAME { ... };");
  CHECK(error_of("remote default { };") == "test.conf:1:8: 'default' cannot name a remote ('default' is reserved)");
  CHECK(error_of(with_peer("remote peer { acceptable_kmp ikev2; ikev2 { pre_shared_key \"x\"; }; };")) ==
        "test.conf:2:1: duplicate remote 'peer' (first defined at test.conf:1:1)");
  CHECK(error_of("interface { ike MY_IP; };\ninterface { kink MY_IP; };") ==
        "test.conf:2:1: duplicate interface section (first at test.conf:1:1)");
  CHECK(error_of(with_peer("sa s { sa_protocol esp; sa_protocol ah; };")) ==
        "test.conf:1:25: duplicate directive 'sa_protocol' in the sa block (first at line 1)");
  CHECK(error_of("remote r { acceptable_kmp ikev2; passive on; ikev2 { pre_shared_key \"p\"; }; };") ==
        "test.conf:1:34: unknown directive 'passive' in remote block (it belongs in the ikev2 or kink block)");
  // The selector also lacks a policy_index, reported on the next line.
  auto sel_err = error_of("selector s { send_cert on; };");
  CHECK(sel_err.substr(0, sel_err.find('\n')) == "test.conf:1:14: unknown directive 'send_cert' in selector block");
  CHECK(error_of("remote r { acceptable_kmp kink; kink { peers_principal \"a@B\"; send_cert on; }; };") ==
        "test.conf:1:63: 'send_cert' is not supported: certificate and public-key authentication are not built yet");
  CHECK(error_of("remote r { acceptable_kmp ikev2; ikev2 { frob 1; pre_shared_key \"p\"; }; };") ==
        "test.conf:1:42: unknown directive 'frob' in ikev2 block");
  CHECK(error_of("remote r { acceptable_kmp ikev2; };") ==
        "test.conf:1:1: remote 'r': ikev2 needs pre_shared_key (kmp_auth_method psk)");
  CHECK(error_of("remote r { ikev2 { pre_shared_key \"p\"; }; };") ==
        "test.conf:1:1: remote 'r' has no acceptable_kmp (here or in default)");
  CHECK(error_of("remote r { acceptable_kmp kink; kink { my_principal \"a@B\"; }; };") ==
        "test.conf:1:1: remote 'r': kink needs peers_principal");
  CHECK(error_of("setval A \"1\";\nsetval { A \"2\"; };") == "test.conf:2:10: setval 'A' is already defined at test.conf:1:8");
  CHECK(error_of("remote r { acceptable_kmp ikev2; ikev2 { pre_shared_key \"${NOPE}\"; }; };") ==
        "test.conf:1:57: undefined variable ${NOPE} (no setval)");
}

TEST_CASE("Semantic checks on selectors, policies and sas", "[config][errors]") {
  CHECK(error_of("selector s { direction outbound; src 192.0.2.1; dst 2001:db8::1; policy_index p; };\n"
                 "policy p { action discard; };") == "test.conf:1:53: selector 's' mixes IPv4 and IPv6 addresses");
  CHECK(error_of("selector s { direction outbound; src ::1 port 80; dst ::1; policy_index p; };\n"
                 "policy p { action discard; };") ==
        "test.conf:1:1: selector 's' has ports but upper_layer_protocol is not tcp, udp or sctp");
  CHECK(error_of("selector s { src ::1; dst ::1; policy_index p; };\npolicy p { action discard; };") ==
        "test.conf:1:1: selector 's' has no 'direction'");
  CHECK(error_of("selector s { direction outbound; src ::1; dst ::1; upper_layer_protocol tcp 5; policy_index p; };\n"
                 "policy p { action discard; };") ==
        "test.conf:1:77: upper_layer_protocol tcp takes no type (ports go on src/dst)");
  CHECK(error_of(with_peer("policy p { action auto_ipsec; remote_index peer; ipsec_index i; ipsec_mode tunnel; };\n"
                           "ipsec i { sa_index s; };\nsa s { sa_protocol esp; };")) ==
        "test.conf:1:1: policy 'p' is tunnel mode but has no peers_sa_ipaddr");
  CHECK(error_of("policy p { action auto_ipsec; };") ==
        "test.conf:1:1: policy 'p' (auto_ipsec) has no remote_index\n"
        "test.conf:1:1: policy 'p' (auto_ipsec) has no ipsec_index");
  CHECK(error_of("policy p { action discard; peers_sa_ipaddr IP_ANY; };") ==
        "test.conf:1:44: 'IP_ANY' is IP_ANY, which 'peers_sa_ipaddr' does not accept");
  CHECK(error_of("remote r { acceptable_kmp ikev2; ikev2 { pre_shared_key \"p\"; peers_ipaddr MY_IP; }; };") ==
        "test.conf:1:75: 'MY_IP' is a MY_* macro, which 'peers_ipaddr' does not accept");
  CHECK(error_of("selector s { direction outbound; src gw.example.net; dst ::1; policy_index p; };\n"
                 "policy p { action discard; };") ==
        "test.conf:1:38: 'gw.example.net' is a host name, which 'src' does not accept");
  CHECK(error_of("sa s { sa_protocol esp; esp_enc_alg aes128_cbc; esp_auth_alg non_auth; };") ==
        "test.conf:1:1: sa 's' has a non-AEAD cipher but no esp_auth_alg other than non_auth");
  CHECK(error_of("ipsec i { sa_index { a; b; }; };\nsa a { sa_protocol esp; };\nsa b { sa_protocol esp; };") ==
        "test.conf:1:25: ipsec 'i' bundles two esp sas");
  CHECK(error_of("sa s { sa_protocol ipcomp; ipcomp_alg deflate; };") ==
        "test.conf:1:20: 'sa_protocol ipcomp' is not supported: IPComp is not built yet\n"
        "test.conf:1:28: 'ipcomp_alg' is not supported: IPComp is not built yet");
  CHECK(error_of("addresspool p { 10.0.0.9 - 10.0.0.1; };") ==
        "test.conf:1:17: range '10.0.0.9 - 10.0.0.1' mixes families or ends before it starts");
}

TEST_CASE("spmd entries are accepted with a warning; many errors come in one report", "[config][errors]") {
  auto cfg = config_test::parse(
      "interface { ike { MY_IP port 500; }; spmd { unix \"/var/run/spmif\"; }; spmd_password \"/etc/spmd.pwd\"; };\n"
      "resolver { resolver off; dns_query { 127.0.0.1 port 53; }; };");
  REQUIRE(cfg.warnings.size() == 3);
  CHECK_THAT(cfg.warnings[0], Contains("test.conf:1:38: 'spmd' is accepted but not used"));
  CHECK_THAT(cfg.warnings[2], Contains("test.conf:2:26: 'dns_query' is accepted but not used"));
  std::string many;
  for (int i = 0; i < 30; ++i) many += "bogus" + std::to_string(i) + ";\n";
  auto e = error_of(many);
  CHECK(std::count(e.begin(), e.end(), '\n') == 20);
  CHECK_THAT(e, Contains("test.conf:20:1: unknown directive 'bogus19' at top level\n... and 10 more errors"));
}
