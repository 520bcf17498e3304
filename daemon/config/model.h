// daemon/config/model.h — the resolved configuration: one validated Config
// built from racoon2.conf-language files.
//
// Every field holds its final value: the specific block's setting, else the
// `default` block's, else the built-in value written here as the member
// initialiser. Unlike racoon2, kagi keeps "unset" apart from an explicit 0:
// `kmp_sa_lifetime_time 0;` in a remote overrides a non-zero default (and
// means infinite). docs/config.md is the reference.
//
// The chain is selector -> policy_index -> policy -> remote_index -> remote,
// and policy -> ipsec_index[] -> ipsec -> sa_index[] -> sa. Every Ref here
// names an existing block (the resolver refuses dangling ones).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/net/address.h"
#include "daemon/config/types.h"

namespace kagid::config {

enum class LogMode : std::uint8_t { Normal, Debug };
enum class SelectorCheck : std::uint8_t { Obey, Exact };
enum class ProposalCheck : std::uint8_t { Obey, Strict, Claim, Exact };
enum class MobilityRole : std::uint8_t { None, Agent, Mobile, Correspondent };
// ScriptHook: racoon2's hook names; ike_sa_* and child_* are synonyms.
enum class ScriptHook : std::uint8_t {
  Phase1Up, Phase1Down, Phase1Rekey, Phase2Up, Phase2Down, Phase2Rekey, Migration
};
// Kmp is a key-management protocol kagi speaks (IKEv1 is refused, RFC 9395).
enum class Kmp : std::uint8_t { Ikev2, Kink };

// KmpCommon holds the settings shared by a remote's ikev2 and kink blocks.
struct KmpCommon {
  LogMode logmode = LogMode::Normal;
  std::string logfile;                       // empty: the daemon's log
  bool passive = false;                      // never initiate
  bool use_coa = false;                      // Mobile IPv6: IKE from the care-of address
  std::vector<AddressSpec> peers_ipaddr;     // literal, FQDN or IP_RW
  std::optional<std::uint16_t> peers_kmp_port;  // port for entries without "port"
  bool verify_id = true;
  std::uint32_t nonce_size = 32;             // bytes
  bool initial_contact = true;
  bool nat_traversal = false;
  bool support_proxy = false;
  std::vector<Identity> my_id;
  std::vector<Identity> peers_id;
  SelectorCheck selector_check = SelectorCheck::Obey;
  ProposalCheck proposal_check = ProposalCheck::Obey;
  bool random_pad_content = false;
  bool random_padlen = false;
  std::uint32_t max_padlen = 0;              // bytes of random padding, 0: none
  std::uint32_t max_retry_to_send = 3;
  Duration interval_to_send{10};
  std::uint32_t times_per_send = 1;
  Duration kmp_sa_lifetime_time{86400};
  ByteSize kmp_sa_lifetime_byte{};           // infinite
  Duration kmp_sa_nego_time_limit{60};
  Duration kmp_sa_grace_period{40};
  Duration ipsec_sa_nego_time_limit{40};
  std::vector<Algorithm> kmp_enc_alg;        // built-ins: see resolver (builtin_*)
  std::vector<Algorithm> kmp_hash_alg;       // IKEv2 integrity (Transform Type 3)
  std::vector<Algorithm> kmp_prf_alg;
  std::vector<Algorithm> kmp_dh_group;
  std::vector<AuthMethod> kmp_auth_method{AuthMethod::Psk};
  MobilityRole mobility_role = MobilityRole::None;
  std::map<ScriptHook, std::string> script;
  bool operator==(const KmpCommon&) const = default;
};

// ConfigRequest: the ikev2 `request { ... }` items (RFC 7296 §3.15 CP).
struct ConfigRequest {
  bool ip4 = false, ip6 = false;
  bool ip4_dns = false, ip6_dns = false;
  bool ip4_dhcp = false, ip6_dhcp = false;
  bool application_version = false;
  bool mip6_home_prefix = false;
  bool operator==(const ConfigRequest&) const = default;
};

// ConfigProvide: the ikev2 `provide { ... }` items a responder hands out.
struct ConfigProvide {
  std::optional<Ref> addresspool;
  std::vector<AddressSpec> dns;
  std::vector<AddressSpec> dhcp;
  std::string application_version;
  std::optional<AddressSpec> mip6_home_prefix;
  bool operator==(const ConfigProvide&) const = default;
};

// Ikev2Params: a remote's `ikev2 { ... }` block.
struct Ikev2Params : KmpCommon {
  bool cookie_required = false;
  bool send_peers_id = false;
  bool need_pfs = false;
  std::string pre_shared_key;   // file holding the key
  Duration dpd_delay{};         // liveness check interval; infinite: off
  ConfigRequest request;
  ConfigProvide provide;
  bool operator==(const Ikev2Params&) const = default;
};

// KinkParams: a remote's `kink { ... }` block (RFC 4430).
struct KinkParams : KmpCommon {
  std::string my_principal;     // empty: the host principal from the keytab
  std::string peers_principal;
  bool operator==(const KinkParams&) const = default;
};

// Remote is a peer: how to reach and authenticate it, per protocol.
// ikev2 / kink are set exactly when the protocol is in acceptable_kmp
// (in Defaults::remote: when the default block had that sub-block).
struct Remote {
  std::string name;
  Where loc;
  std::vector<Kmp> acceptable_kmp;       // first = the protocol an initiator uses
  std::optional<Ref> selector_index;     // KINK responder's selector
  std::optional<Ikev2Params> ikev2;
  std::optional<KinkParams> kink;
  bool operator==(const Remote&) const = default;
};

enum class Direction : std::uint8_t { Outbound, Inbound };

// Selector is one directional SPD selector. For ICMP/ICMPv6 `icmp_type` /
// `icmp_code`, for the Mobility Header `mh_type` narrow it further.
struct Selector {
  std::string name;
  Where loc;
  Direction direction = Direction::Outbound;
  std::vector<AddressSpec> src;          // literal, prefix, MY_*, IP_ANY, IP_RW
  std::vector<AddressSpec> dst;
  std::uint8_t upper_layer_protocol = 0; // 0: any
  std::optional<std::uint8_t> icmp_type;
  std::optional<std::uint8_t> icmp_code;
  std::optional<std::uint8_t> mh_type;
  Ref policy_index;
  std::optional<std::uint32_t> reqid;    // nullopt: allocated by kagi
  bool operator==(const Selector&) const = default;
};

enum class Action : std::uint8_t { AutoIpsec, Discard, Bypass };
enum class IpsecMode : std::uint8_t { Transport, Tunnel };
enum class IpsecLevel : std::uint8_t { Require, Unique, Use };

// Policy: what to do with a selector's traffic and with which peer.
struct Policy {
  std::string name;
  Where loc;
  Action action = Action::AutoIpsec;
  bool install = true;
  std::optional<Ref> remote_index;       // set when action is auto_ipsec
  std::vector<Ref> ipsec_index;          // alternative proposals, in order
  IpsecMode ipsec_mode = IpsecMode::Transport;
  std::optional<AddressSpec> my_sa_ipaddr;     // literal or MY_* macro
  std::optional<AddressSpec> peers_sa_ipaddr;  // literal or IP_RW
  IpsecLevel ipsec_level = IpsecLevel::Require;
  bool operator==(const Policy&) const = default;
};

// Ipsec: one proposal, a bundle of SAs with their lifetimes.
struct Ipsec {
  std::string name;
  Where loc;
  Duration ipsec_sa_lifetime_time{28800};
  ByteSize ipsec_sa_lifetime_byte{};
  bool ext_sequence = false;
  std::vector<Ref> sa_index;             // at most one AH and one ESP sa
  bool operator==(const Ipsec&) const = default;
};

enum class SaProtocol : std::uint8_t { Esp, Ah };

// Sa: one SA's protocol and algorithm lists.
struct Sa {
  std::string name;
  Where loc;
  SaProtocol sa_protocol = SaProtocol::Esp;
  std::vector<Algorithm> esp_enc_alg;
  std::vector<Algorithm> esp_auth_alg;   // Transform Type 3; empty with AEAD only
  std::vector<Algorithm> ah_auth_alg;
  bool operator==(const Sa&) const = default;
};

// AddressPool: ranges an IKEv2 responder hands out (RFC 7296 §3.15).
struct AddressPool {
  std::string name;
  Where loc;
  std::vector<core::net::Range> ranges;
  bool operator==(const AddressPool&) const = default;
};

// Interface: where kagid listens. Entries without a port take 500 (ike) or
// 910 (kink); NAT-T's 4500 is added by the daemon when a remote needs it.
struct Interface {
  std::vector<AddressSpec> ike;
  std::vector<AddressSpec> kink;
  bool application_bypass = true;
  bool operator==(const Interface&) const = default;
};

// Resolver: name resolution for FQDNs in peers_ipaddr.
struct Resolver {
  bool enable = false;
  std::vector<AddressSpec> nameserver;
  bool operator==(const Resolver&) const = default;
};

// Defaults: the `default { ... }` block, built-ins included. Its remote only
// supplies values; kagi never uses it as a catch-all peer (use IP_RW).
struct Defaults {
  Remote remote;
  Policy policy;
  Ipsec ipsec;
  Sa sa;
  bool operator==(const Defaults&) const = default;
};

// Config is the whole resolved configuration.
struct Config {
  Interface interface;
  Resolver resolver;
  Defaults defaults;
  std::map<std::string, Remote> remotes;
  std::map<std::string, Selector> selectors;
  std::map<std::string, Policy> policies;
  std::map<std::string, Ipsec> ipsecs;
  std::map<std::string, Sa> sas;
  std::map<std::string, AddressPool> addresspools;
  std::map<std::string, std::string> setvals;  // expanded values
  std::vector<std::string> warnings;           // "file:line:col: message"
};

// is_road_warrior tells whether a remote accepts peers at any address
// (peers_ipaddr IP_RW in its first protocol's block).
bool is_road_warrior(const Remote& r);

}  // namespace kagid::config
