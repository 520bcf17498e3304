#include "daemon/config/unsupported.h"

#include <array>

namespace kagid::config {
namespace {

constexpr std::string_view kCerts = "certificate and public-key authentication are not built yet";
constexpr std::string_view kIpcomp = "IPComp is not built yet";
constexpr std::string_view kManual = "manual keying (static_ipsec) is not built yet";
constexpr std::string_view kNoGrammar = "racoon2 lexed it but never gave it a grammar rule";
constexpr std::string_view kSpmd = "kagi has no separate spmd; its SPD manager is built in";

constexpr std::array<UnsupportedEntry, 23> kTable = {{
    {"kmp", "my_public_key", "", Support::Refused, kCerts},
    {"kmp", "peers_public_key", "", Support::Refused, kCerts},
    {"kmp", "send_cert", "", Support::Refused, kCerts},
    {"kmp", "send_cert_req", "", Support::Refused, kCerts},
    {"kmp", "verify_pubkey", "", Support::Refused, kCerts},
    {"kmp", "kmp_auth_method", "rsasig", Support::Refused, kCerts},
    {"kmp", "kmp_auth_method", "dss", Support::Refused, kCerts},
    {"kmp", "kmp_auth_method", "rsaenc", Support::Refused, kCerts},
    {"kmp", "kmp_auth_method", "rsarev", Support::Refused, kCerts},
    {"kmp", "kmp_auth_method", "gssapi_krb", Support::Refused, "GSS-API authentication exists only in IKEv1"},
    {"sa", "sa_protocol", "ipcomp", Support::Refused, kIpcomp},
    {"sa", "ipcomp_alg", "", Support::Refused, kIpcomp},
    {"sa", "spi", "", Support::Refused, kManual},
    {"policy", "action", "static_ipsec", Support::Refused, kManual},
    {"selector", "tagged", "", Support::Refused, "PF tags (BSD pf) are not supported"},
    {"selector", "order", "", Support::Refused, "selector ordering is not built yet (racoon2 did not implement it)"},
    {"selector", "next_header_including", "", Support::Refused,
     "next_header_including is not built yet (racoon2 did not implement it)"},
    {"", "require_config_payload", "", Support::Refused, kNoGrammar},
    {"", "max_ip4_alloc", "", Support::Refused, kNoGrammar},
    {"", "max_ip6_alloc", "", Support::Refused, kNoGrammar},
    {"interface", "spmd", "", Support::Unused, kSpmd},
    {"interface", "spmd_password", "", Support::Unused, kSpmd},
    {"resolver", "dns_query", "", Support::Unused, "kagi runs no DNS proxy (racoon2's spmd did)"},
}};

// matches: block "" is any block, "kmp" is a remote's ikev2 or kink block.
bool matches(const UnsupportedEntry& e, std::string_view block, std::string_view directive,
             std::string_view value) {
  bool in_block = e.block.empty() || e.block == block || (e.block == "kmp" && (block == "ikev2" || block == "kink"));
  return in_block && e.directive == directive && e.value == value;
}

}  // namespace

const UnsupportedEntry* find_unsupported(std::string_view block, std::string_view directive,
                                         std::string_view value) {
  for (const auto& e : kTable)
    if (matches(e, block, directive, value)) return &e;
  return nullptr;
}

}  // namespace kagid::config
