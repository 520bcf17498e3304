// The configuration -> IKEv2 engine view (daemon/ike_config): proposals,
// identities, PSK files, CHILD_SA configurations with the SPD's reqids, and
// the responder's remote/key lookups.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "daemon/ike_config.h"
#include "daemon/spd_builder.h"
#include "unit/daemon/config_test_util.h"

namespace {
using kagid::build_ike_config;
using ikev2::wire::TransformType;

struct TempPsk {
  std::string path;
  explicit TempPsk(const std::string& content) {
    char tmpl[] = "/tmp/kagi-psk-XXXXXX";
    int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    close(fd);
    path = tmpl;
  }
  ~TempPsk() { std::remove(path.c_str()); }
};

std::string two_policies(const std::string& psk, const std::string& extra_ikev2 = "") {
  return R"(
remote gw {
  acceptable_kmp { ikev2; };
  ikev2 {
    peers_ipaddr 192.0.2.2 port 4500;
    peers_id fqdn "gw.example.net";
    send_peers_id on;
    pre_shared_key ")" + psk + R"(";
    kmp_enc_alg { aes128_gcm_16; aes256_cbc; };
    kmp_prf_alg { hmac_sha2_256; };
    kmp_hash_alg { hmac_sha2_256; };
    kmp_dh_group { curve25519; modp2048; };
    )" + extra_ikev2 + R"(
  };
};
selector tun_out { direction outbound; src 198.51.100.0/24; dst 203.0.113.0/24; policy_index tun; };
selector tun_in { direction inbound; src 203.0.113.0/24; dst 198.51.100.0/24; policy_index tun; };
policy tun { action auto_ipsec; remote_index gw; ipsec_mode tunnel; ipsec_index { esp; };
             my_sa_ipaddr 192.0.2.1; peers_sa_ipaddr 192.0.2.2; };
selector ping_out { direction outbound; src 192.0.2.1; dst 192.0.2.2; upper_layer_protocol icmp 8;
                    policy_index ping; };
policy ping { action auto_ipsec; remote_index gw; ipsec_mode transport; ipsec_index { esp; }; };
ipsec esp { ext_sequence on; sa_index esp; };
sa esp { sa_protocol esp; esp_enc_alg { aes256_gcm_16; aes128_cbc; }; esp_auth_alg { hmac_sha1; }; };
)";
}

kagid::IkeConfig build(const std::string& text) {
  auto cfg = config_test::parse(text);
  kagid::LocalAddresses local;
  auto entries = kagid::build_entries(cfg, local);
  REQUIRE(entries);
  // The reqids the SPD would assign (entries of one policy share one).
  std::uint32_t next = 0x1000;
  std::map<std::string, std::uint32_t> by_policy;
  for (auto& e : *entries) {
    auto [it, fresh] = by_policy.emplace(e.policy_name, next);
    if (fresh) ++next;
    e.reqid = it->second;
  }
  auto ike = build_ike_config(cfg, *entries);
  if (!ike) FAIL(ike.error().detail);
  return std::move(*ike);
}
}  // namespace

TEST_CASE("ike_config: a remote becomes a PeerConfig with its address, identities and key", "[daemon][ike]") {
  TempPsk psk("correct horse battery staple\n");
  auto ike = build(two_policies(psk.path));
  REQUIRE(ike.remotes.count("gw") == 1);
  const auto& r = ike.remotes.at("gw");
  CHECK(r.peer->remote.to_string() == "192.0.2.2[4500]");
  REQUIRE(r.peer->remote_id);
  CHECK(r.peer->remote_id->to_string() == "gw.example.net");
  REQUIRE(r.peer->psk);
  // The trailing newline of the key file is not part of the key.
  CHECK(std::string(r.peer->psk->data(), r.peer->psk->data() + r.peer->psk->size()) == "correct horse battery staple");
}

TEST_CASE("ike_config: AEAD and non-AEAD ciphers go into separate IKE proposals (RFC 7296 §3.3)", "[daemon][ike]") {
  TempPsk psk("k");
  auto ike = build(two_policies(psk.path));
  const auto& props = ike.remotes.at("gw").peer->ike_proposals;
  REQUIRE(props.size() == 2);
  auto count = [](const ikev2::wire::Proposal& p, TransformType t) {
    return std::count_if(p.transforms.begin(), p.transforms.end(), [t](const auto& x) { return x.type == t; });
  };
  CHECK(count(props[0], TransformType::Encr) == 1);
  CHECK(count(props[0], TransformType::Integ) == 0);  // GCM carries its own integrity
  CHECK(count(props[1], TransformType::Integ) == 1);
  CHECK(count(props[1], TransformType::Ke) == 2);
  CHECK(props[1].number == 2);
}

TEST_CASE("ike_config: each auto_ipsec policy is a CHILD_SA configuration with the SPD's reqid", "[daemon][ike]") {
  TempPsk psk("k");
  auto ike = build(two_policies(psk.path));
  const auto& r = ike.remotes.at("gw");
  REQUIRE(r.children.size() == 2);
  const auto& tun = *r.children.at("tun");
  CHECK(tun.mode == core::ipsec::Mode::Tunnel);
  CHECK(tun.reqid != 0);
  REQUIRE(tun.local_ts.size() == 1);
  CHECK(tun.local_ts[0].to_string() == "198.51.100.0/24");
  CHECK(tun.remote_ts[0].to_string() == "203.0.113.0/24");
  // ESN requested by ext_sequence; AEAD split; no PFS without need_pfs.
  REQUIRE(tun.proposals.size() == 2);
  for (const auto& p : tun.proposals) {
    bool esn = false, ke = false;
    for (const auto& t : p.transforms) {
      if (t.type == TransformType::Esn && t.id == 1) esn = true;
      if (t.type == TransformType::Ke) ke = true;
    }
    CHECK(esn);
    CHECK_FALSE(ke);
  }
  CHECK(r.children.at("ping")->reqid != tun.reqid);
}

TEST_CASE("ike_config: ICMP type goes into the local selector's port field as type<<8 (RFC 4301 §4.4.1.1)",
          "[daemon][ike]") {
  TempPsk psk("k");
  auto ike = build(two_policies(psk.path));
  const auto& ping = *ike.remotes.at("gw").children.at("ping");
  REQUIRE(ping.local_ts.size() == 1);
  CHECK(ping.local_ts[0].proto == 1);
  CHECK(ping.local_ts[0].start_port == 0x0800);
  CHECK(ping.local_ts[0].end_port == 0x08ff);
  CHECK(ping.remote_ts[0].start_port == 0);
  CHECK(ping.remote_ts[0].end_port == 0xffff);
}

TEST_CASE("ike_config: need_pfs puts the DH groups into the ESP proposals", "[daemon][ike]") {
  TempPsk psk("k");
  auto ike = build(two_policies(psk.path, "need_pfs on;"));
  for (const auto& p : ike.remotes.at("gw").children.at("tun")->proposals) {
    auto kes = std::count_if(p.transforms.begin(), p.transforms.end(),
                             [](const auto& t) { return t.type == TransformType::Ke; });
    CHECK(kes == 2);
  }
}

TEST_CASE("ike_config: a missing or empty PSK file is an error naming the file and the remote", "[daemon][ike]") {
  auto cfg = config_test::parse(two_policies("/nonexistent/kagi.psk"));
  auto ike = build_ike_config(cfg, {});
  REQUIRE_FALSE(ike);
  CHECK_THAT(ike.error().detail, Catch::Contains("remote gw") && Catch::Contains("/nonexistent/kagi.psk"));
  TempPsk empty("\n");
  auto cfg2 = config_test::parse(two_policies(empty.path));
  auto ike2 = build_ike_config(cfg2, {});
  REQUIRE_FALSE(ike2);
  CHECK_THAT(ike2.error().detail, Catch::Contains("is empty"));
}

TEST_CASE("ike_config: the responder finds a remote by identity, else by address; keys follow", "[daemon][ike]") {
  TempPsk k1("key-one"), k2("key-two");
  auto text = R"(
remote by_id { acceptable_kmp { ikev2; }; ikev2 { peers_ipaddr 192.0.2.10; peers_id fqdn "mn.example.net";
  pre_shared_key ")" + k1.path + R"("; }; };
remote by_addr { acceptable_kmp { ikev2; }; ikev2 { peers_ipaddr 192.0.2.20; pre_shared_key ")" +
              k2.path + R"("; }; };
)";
  auto ike = build(text);
  auto fqdn = ikev2::Identity::parse("@mn.example.net").value();
  auto addr20 = core::net::Address::parse("192.0.2.20").value();
  auto addr99 = core::net::Address::parse("192.0.2.99").value();
  REQUIRE(ike.remote_for(fqdn, addr99) != nullptr);
  CHECK(ike.remote_for(fqdn, addr99)->name == "by_id");
  auto id20 = ikev2::Identity::from_address(addr20);
  REQUIRE(ike.remote_for(id20, addr20) != nullptr);
  CHECK(ike.remote_for(id20, addr20)->name == "by_addr");
  CHECK(ike.remote_for(ikev2::Identity::from_address(addr99), addr99) == nullptr);
  auto key = ike.psk_for(id20);
  REQUIRE(key);
  CHECK(std::string(key->data(), key->data() + key->size()) == "key-two");
  CHECK_FALSE(ike.psk_for(ikev2::Identity::from_address(addr99)));
}
