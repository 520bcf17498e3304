// The shapes of configuration users bring (tests/configs/*.conf), resolved
// and checked field by field.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "config_test_util.h"

using namespace kagid::config;
using config_test::load;

namespace {

core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

std::vector<std::uint16_t> ids(const std::vector<Algorithm>& v) {
  std::vector<std::uint16_t> out;
  for (const auto& a : v) out.push_back(a.id);
  return out;
}

}  // namespace

TEST_CASE("Transport mode between two hosts", "[config][shapes]") {
  auto cfg = load("transport.conf");
  CHECK(cfg.warnings.empty());
  REQUIRE(cfg.remotes.count("host_b"));
  const Remote& r = cfg.remotes.at("host_b");
  CHECK(r.acceptable_kmp == std::vector<Kmp>{Kmp::Ikev2});
  REQUIRE(r.ikev2);
  CHECK_FALSE(r.kink);
  const Ikev2Params& v2 = *r.ikev2;
  REQUIRE(v2.my_id.size() == 1);
  CHECK(v2.my_id[0].type == IdType::Fqdn);
  CHECK(v2.my_id[0].value == "a.example.net");
  CHECK(v2.peers_id[0].value == "b.example.net");
  REQUIRE(v2.peers_ipaddr.size() == 1);
  CHECK(v2.peers_ipaddr[0].prefix == P("192.0.2.2/32"));
  CHECK(v2.peers_ipaddr[0].port == 500);
  CHECK(v2.kmp_auth_method == std::vector<AuthMethod>{AuthMethod::Psk});
  CHECK(v2.pre_shared_key == "/etc/kagi/psk/b.example.net");
  // Built-ins where nothing was said.
  CHECK(v2.kmp_sa_lifetime_time == Duration{86400});
  CHECK(ids(v2.kmp_enc_alg) == std::vector<std::uint16_t>{12, 12});
  CHECK(v2.nonce_size == 32);
  CHECK_FALSE(v2.nat_traversal);

  const Selector& out = cfg.selectors.at("l2tp_out");
  const Selector& in = cfg.selectors.at("l2tp_in");
  CHECK(out.direction == Direction::Outbound);
  CHECK(in.direction == Direction::Inbound);
  CHECK(out.upper_layer_protocol == 17);
  CHECK(in.upper_layer_protocol == 17);
  CHECK(out.src[0].prefix == P("192.0.2.1/32"));
  CHECK(out.src[0].port == 1701);
  CHECK(out.dst[0].port == 1701);
  CHECK(in.src[0].prefix == P("192.0.2.2/32"));
  CHECK(out.policy_index.name == "l2tp_policy");
  CHECK(in.policy_index.name == "l2tp_policy");
  CHECK_FALSE(out.reqid);

  const Policy& p = cfg.policies.at("l2tp_policy");
  CHECK(p.action == Action::AutoIpsec);
  CHECK(p.install);
  CHECK(p.remote_index->name == "host_b");
  CHECK(p.ipsec_mode == IpsecMode::Transport);
  CHECK(p.ipsec_level == IpsecLevel::Require);
  REQUIRE(p.ipsec_index.size() == 1);
  CHECK(p.ipsec_index[0].name == "ipsec_esp");
  CHECK(cfg.ipsecs.at("ipsec_esp").ipsec_sa_lifetime_time == Duration{3600});
  CHECK(cfg.ipsecs.at("ipsec_esp").ipsec_sa_lifetime_byte.infinite());
  const Sa& sa = cfg.sas.at("esp_01");
  CHECK(sa.sa_protocol == SaProtocol::Esp);
  CHECK(ids(sa.esp_enc_alg) == std::vector<std::uint16_t>{12});
  CHECK(sa.esp_enc_alg[0].key_bits == 128);
  CHECK(ids(sa.esp_auth_alg) == std::vector<std::uint16_t>{2});
  // No interface block: IKE and KINK listen on every address, default ports.
  REQUIRE(cfg.interface.ike.size() == 1);
  CHECK(cfg.interface.ike[0].is_macro(AddressMacro::MyIp));
  CHECK(cfg.interface.ike[0].port == 500);
  CHECK(cfg.interface.kink[0].port == 910);
}

TEST_CASE("Tunnel mode between gateways", "[config][shapes]") {
  auto cfg = load("tunnel.conf");
  const Ikev2Params& v2 = *cfg.remotes.at("gw2").ikev2;
  CHECK(v2.my_id[0].type == IdType::IpAddr);
  CHECK(ids(v2.kmp_enc_alg) == std::vector<std::uint16_t>{20, 13});
  CHECK(v2.kmp_enc_alg[0].key_bits == 256);
  CHECK(v2.kmp_enc_alg[0].aead);
  CHECK(v2.kmp_enc_alg[1].key_bits == 256);
  CHECK(ids(v2.kmp_prf_alg) == std::vector<std::uint16_t>{5});
  CHECK(ids(v2.kmp_hash_alg) == std::vector<std::uint16_t>{12});
  CHECK(ids(v2.kmp_dh_group) == std::vector<std::uint16_t>{19, 14});
  CHECK(v2.need_pfs);
  CHECK(v2.kmp_sa_lifetime_time == Duration{8 * 3600});
  const Selector& out = cfg.selectors.at("net_out");
  CHECK(out.src[0].prefix == P("10.1.0.0/16"));
  CHECK(out.src[0].has_length);
  CHECK(out.dst[0].prefix == P("10.2.0.0/16"));
  CHECK(out.upper_layer_protocol == 0);
  const Policy& p = cfg.policies.at("gw_tunnel");
  CHECK(p.ipsec_mode == IpsecMode::Tunnel);
  CHECK(p.ipsec_level == IpsecLevel::Unique);
  CHECK(p.my_sa_ipaddr->prefix == P("198.51.100.1/32"));
  CHECK(p.peers_sa_ipaddr->prefix == P("203.0.113.1/32"));
  const Ipsec& i = cfg.ipsecs.at("ipsec_gcm");
  CHECK(i.ipsec_sa_lifetime_time == Duration{3600});
  CHECK(i.ipsec_sa_lifetime_byte == ByteSize{512ull * 1024 * 1024});
  CHECK(i.ext_sequence);
  const Sa& sa = cfg.sas.at("esp_gcm");
  CHECK(ids(sa.esp_enc_alg) == std::vector<std::uint16_t>{20, 20});
  CHECK(sa.esp_enc_alg[0].key_bits == 256);
  CHECK(sa.esp_enc_alg[1].key_bits == 128);
  CHECK(ids(sa.esp_auth_alg) == std::vector<std::uint16_t>{0});
}

TEST_CASE("Road warrior / NAT-T responder with an address pool", "[config][shapes]") {
  auto cfg = load("roadwarrior.conf");
  const Remote& r = cfg.remotes.at("rw_clients");
  CHECK(is_road_warrior(r));
  const Ikev2Params& v2 = *r.ikev2;
  REQUIRE(v2.peers_ipaddr.size() == 1);
  CHECK(v2.peers_ipaddr[0].is_macro(AddressMacro::IpRw));
  CHECK(v2.nat_traversal);
  CHECK(v2.passive);
  CHECK(v2.peers_id[0].type == IdType::Email);
  CHECK(v2.dpd_delay == Duration{30});
  REQUIRE(v2.provide.addresspool);
  CHECK(v2.provide.addresspool->name == "rw_pool");
  REQUIRE(v2.provide.dns.size() == 2);
  CHECK(v2.provide.dns[1].prefix == P("2001:db8::53/128"));
  CHECK(v2.provide.application_version == "kagi");
  CHECK(cfg.selectors.at("rw_out").dst[0].is_macro(AddressMacro::IpRw));
  CHECK(cfg.selectors.at("rw_in").src[0].is_macro(AddressMacro::IpRw));
  const Policy& p = cfg.policies.at("rw_policy");
  CHECK(p.peers_sa_ipaddr->is_macro(AddressMacro::IpRw));
  CHECK(p.my_sa_ipaddr->is_macro(AddressMacro::MyIpv4));
  const AddressPool& pool = cfg.addresspools.at("rw_pool");
  REQUIRE(pool.ranges.size() == 2);
  CHECK(pool.ranges[0].start.to_string() == "10.8.1.1");
  CHECK(pool.ranges[0].end.to_string() == "10.8.1.254");
  CHECK(pool.ranges[1].start.to_string() == "2001:db8:8::");
  CHECK(pool.ranges[1].end.to_string() == "2001:db8:8::ff");
}

TEST_CASE("KINK transport", "[config][shapes]") {
  auto cfg = load("kink.conf");
  const Remote& r = cfg.remotes.at("kink_peer");
  CHECK(r.acceptable_kmp == std::vector<Kmp>{Kmp::Kink});
  CHECK_FALSE(r.ikev2);
  REQUIRE(r.kink);
  CHECK(r.kink->my_principal == "kink/a.example.net@EXAMPLE.NET");
  CHECK(r.kink->peers_principal == "kink/b.example.net@EXAMPLE.NET");
  CHECK(r.kink->nonce_size == 16);
  CHECK(r.selector_index->name == "kink_in");
  CHECK(cfg.selectors.at("kink_out").upper_layer_protocol == 6);
  CHECK(cfg.interface.ike[0].port == 500);
  CHECK(cfg.interface.kink[0].port == 910);
}

TEST_CASE("Two daemons on ::1 with their own ports", "[config][shapes]") {
  auto a = load("local-a.conf");
  auto b = load("local-b.conf");
  CHECK(a.interface.ike[0].prefix == P("::1/128"));
  CHECK(a.interface.ike[0].port == 8001);
  CHECK(b.interface.ike[0].port == 8002);
  const Ikev2Params& va = *a.remotes.at("local_b").ikev2;
  const Ikev2Params& vb = *b.remotes.at("local_a").ikev2;
  CHECK(va.peers_ipaddr[0].port == 8002);
  CHECK(vb.peers_ipaddr[0].port == 8001);
  CHECK(va.cookie_required);
  CHECK(va.kmp_sa_lifetime_time == Duration{300 * 60});
  CHECK(ids(va.kmp_enc_alg) == std::vector<std::uint16_t>{3, 12});
  const Selector& s = a.selectors.at("local_out");
  CHECK(s.upper_layer_protocol == 58);
  CHECK_FALSE(s.icmp_type);
  // 3des_cbc is accepted with a warning naming its place.
  REQUIRE(a.warnings.size() == 1);
  CHECK_THAT(a.warnings[0], Catch::Contains("local-a.conf:16:17: 3des_cbc is legacy"));
}

TEST_CASE("A default block supplies lists and lifetimes; an explicit 0 overrides", "[config][shapes]") {
  auto cfg = load("defaults.conf");
  const Ikev2Params& inh = *cfg.remotes.at("inherits").ikev2;
  const Ikev2Params& ovr = *cfg.remotes.at("overrides").ikev2;
  CHECK(cfg.remotes.at("inherits").acceptable_kmp == std::vector<Kmp>{Kmp::Ikev2});
  CHECK(inh.kmp_sa_lifetime_time == Duration{4 * 3600});
  CHECK(inh.kmp_sa_lifetime_byte == ByteSize{1ull << 30});
  CHECK(ids(inh.kmp_enc_alg) == std::vector<std::uint16_t>{12, 13});
  CHECK(inh.kmp_enc_alg[1].key_bits == 192);
  CHECK(ids(inh.kmp_prf_alg) == std::vector<std::uint16_t>{7, 4});
  CHECK(ids(inh.kmp_hash_alg) == std::vector<std::uint16_t>{14});
  CHECK(ids(inh.kmp_dh_group) == std::vector<std::uint16_t>{15, 31});
  CHECK(inh.interval_to_send == Duration{5});
  CHECK(inh.max_retry_to_send == 5);
  CHECK(inh.pre_shared_key == "/etc/kagi/psk/default");
  CHECK(inh.peers_ipaddr[0].prefix == P("192.0.2.10/32"));
  // kagi keeps "unset" apart from 0: the explicit 0 (infinite) wins.
  CHECK(ovr.kmp_sa_lifetime_time == Duration{0});
  CHECK(ovr.kmp_sa_lifetime_time.infinite());
  CHECK(ids(ovr.kmp_enc_alg) == std::vector<std::uint16_t>{12});
  CHECK(ovr.kmp_enc_alg[0].key_bits == 128);
  CHECK(ovr.kmp_sa_lifetime_byte == ByteSize{1ull << 30});
  // Policies, ipsecs and sas inherit too.
  const Policy& vo = cfg.policies.at("via_overrides");
  CHECK(cfg.policies.at("via_inherits").ipsec_level == IpsecLevel::Require);
  CHECK(vo.ipsec_level == IpsecLevel::Use);
  CHECK(vo.ipsec_index.size() == 2);
  CHECK(cfg.ipsecs.at("ipsec_default").ipsec_sa_lifetime_time == Duration{7200});
  CHECK(cfg.ipsecs.at("ipsec_short").ipsec_sa_lifetime_time == Duration{600});
  CHECK(ids(cfg.sas.at("esp_default").esp_enc_alg) == std::vector<std::uint16_t>{12});
  CHECK(cfg.sas.at("esp_default").esp_enc_alg[0].key_bits == 256);
  CHECK(ids(cfg.sas.at("esp_default").esp_auth_alg) == std::vector<std::uint16_t>{12});
  // ikev1: listed and given a block in default, ignored with two warnings.
  REQUIRE(cfg.warnings.size() == 2);
  CHECK_THAT(cfg.warnings[0], Catch::Contains("defaults.conf:5:3: ikev1 in acceptable_kmp ignored"));
  CHECK_THAT(cfg.warnings[1], Catch::Contains("defaults.conf:6:3: ikev1 block ignored"));
}

TEST_CASE("Include, setval and ${VAR} across files", "[config][shapes]") {
  auto cfg = load("top.conf");
  CHECK(cfg.setvals.at("PEER_PSK") == "/etc/kagi/psk/peer.key");
  CHECK(cfg.setvals.at("LIFETIME") == "600");
  const Ikev2Params& v2 = *cfg.remotes.at("peer").ikev2;
  CHECK(v2.pre_shared_key == "/etc/kagi/psk/peer.key");
  CHECK(v2.peers_ipaddr[0].prefix == P("192.0.2.2/32"));
  CHECK(v2.peers_ipaddr[0].port == 500);
  CHECK(v2.my_id[0].value == "192.0.2.1");
  CHECK(v2.kmp_sa_lifetime_time == Duration{600});
  CHECK(cfg.selectors.at("peer_out").src[0].prefix == P("192.0.2.1/32"));
  CHECK(cfg.selectors.at("peer_out").dst[0].prefix == P("192.0.2.2/32"));
  // conf.d/*.conf, read in sorted order.
  CHECK(cfg.ipsecs.at("ipsec_esp").ipsec_sa_lifetime_time == Duration{600});
  CHECK(cfg.ipsecs.at("ipsec_esp").loc.file == config_test::path("conf.d/10-ipsec.conf"));
  CHECK(cfg.sas.count("esp_01"));
  CHECK(cfg.interface.kink[0].port == 910);
}

TEST_CASE("$[ENV] in values and include paths", "[config][shapes]") {
  ::setenv("KAGI_TEST_CONFIG_DIR", KAGI_TEST_CONFIG_DIR, 1);
  ::setenv("KAGI_TEST_PEER", "2001:db8::2", 1);
  ::setenv("KAGI_TEST_PSKDIR", "/run/psk", 1);
  auto cfg = load("env.conf");
  const Ikev2Params& v2 = *cfg.remotes.at("env_peer").ikev2;
  CHECK(v2.peers_ipaddr[0].prefix == P("2001:db8::2/128"));
  CHECK(v2.pre_shared_key == "/run/psk/peer.key");
  CHECK(cfg.sas.count("esp_01"));
  ::unsetenv("KAGI_TEST_PEER");
  CHECK_THAT(config_test::file_error("env.conf"), Catch::Contains("env.conf:7:16: environment variable $[KAGI_TEST_PEER] is not set"));
  ::unsetenv("KAGI_TEST_CONFIG_DIR");
  ::unsetenv("KAGI_TEST_PSKDIR");
}

TEST_CASE("Mobile IPv6 mobile node protecting BU and BA", "[config][shapes]") {
  auto cfg = load("mip6-mn.conf");
  const Ikev2Params& v2 = *cfg.remotes.at("ha").ikev2;
  CHECK(v2.mobility_role == MobilityRole::Mobile);
  CHECK(v2.use_coa);
  CHECK(v2.request.mip6_home_prefix);
  CHECK_FALSE(v2.request.ip6);
  const Selector& bu = cfg.selectors.at("bu_out");
  const Selector& ba = cfg.selectors.at("ba_in");
  CHECK(bu.upper_layer_protocol == 135);
  CHECK(bu.mh_type == 5);
  CHECK_FALSE(bu.icmp_type);
  CHECK(ba.upper_layer_protocol == 135);
  CHECK(ba.mh_type == 6);
  CHECK(bu.reqid == 10u);
  CHECK(ba.reqid == 10u);
  CHECK(bu.src[0].prefix == P("2001:db8:1::100/128"));
  const Policy& p = cfg.policies.at("mip6_policy");
  CHECK(p.ipsec_mode == IpsecMode::Transport);
  CHECK(p.ipsec_level == IpsecLevel::Unique);
  CHECK(p.my_sa_ipaddr->prefix == P("2001:db8:1::100/128"));
  CHECK(p.peers_sa_ipaddr->prefix == P("2001:db8:1::1/128"));
}

TEST_CASE("ICMP type and code narrow a selector", "[config][shapes]") {
  auto cfg = config_test::parse(std::string(config_test::kPeer) + R"(
selector echo { direction outbound; src 2001:db8::1; dst 2001:db8::2; upper_layer_protocol icmp6 128 0; policy_index p; };
selector any_type { direction inbound; src 2001:db8::2; dst 2001:db8::1; upper_layer_protocol ipv6-icmp 135; policy_index p; };
policy p { action discard; };
)");
  CHECK(cfg.selectors.at("echo").icmp_type == 128);
  CHECK(cfg.selectors.at("echo").icmp_code == 0);
  CHECK(cfg.selectors.at("any_type").icmp_type == 135);
  CHECK_FALSE(cfg.selectors.at("any_type").icmp_code);
  CHECK(cfg.policies.at("p").action == Action::Discard);
  CHECK_FALSE(cfg.policies.at("p").remote_index);
}
