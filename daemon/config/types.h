// daemon/config/types.h — value types of the configuration model: source
// locations, durations and byte counts, address specifications, identities,
// algorithms and index references.
//
// These are what the racoon2.conf language's values turn into once the
// resolver has checked them; model.h assembles them into blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/net/address.h"

namespace kagid::config {

// Location is where a token was read: file name, 1-based line and column.
struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  // to_string returns "file:line:col".
  std::string to_string() const;
  bool operator==(const Location&) const = default;
};

// Where is the Location of a block in the model. It takes no part in
// comparisons: two blocks are equal when their values are, wherever they
// were written (a reload compares models this way).
struct Where : Location {
  Where() = default;
  Where(const Location& l) : Location(l) {}  // NOLINT: implicit on purpose
  bool operator==(const Where&) const { return true; }
};

// Duration is a time value in seconds; 0 means infinite, as in racoon2
// (`infinite` and an explicit `0` are the same value).
struct Duration {
  std::uint64_t seconds = 0;
  bool infinite() const { return seconds == 0; }
  bool operator==(const Duration&) const = default;
};

// ByteSize is a byte count; 0 means infinite (unlimited), as in racoon2.
struct ByteSize {
  std::uint64_t bytes = 0;
  bool infinite() const { return bytes == 0; }
  bool operator==(const ByteSize&) const = default;
};

// AddressMacro names the symbolic addresses that resolve at run time against
// the interface addresses (MY_*) or stand for "any" / "the road warrior's".
enum class AddressMacro : std::uint8_t {
  MyIp,               // every local address
  MyIpv4,             // every local IPv4 address
  MyIpv6,             // every local IPv6 address
  MyIpv6Global,       // local global-scope IPv6 addresses
  MyIpv6LinkLocal,    // local link-local IPv6 addresses
  MyHoa,              // the mobile node's home address (Mobile IPv6)
  IpAny,              // the wildcard address (both families); IP_UNSPECIFIED too
  IpRw,               // the road warrior's address, learnt at negotiation
};

// macro_name returns the spelling of a macro ("MY_IP", "IP_RW", ...).
std::string_view macro_name(AddressMacro m);

// AddressSpec is one address value as written: a literal address or prefix,
// a macro (kept symbolic, optionally bound to an interface), a host name
// (resolved later), or a UNIX socket path (spmd's, accepted and unused).
struct AddressSpec {
  enum class Kind : std::uint8_t { Literal, Macro, Fqdn, Unix };
  Kind kind = Kind::Literal;
  core::net::Prefix prefix;            // Literal: host length unless "/len" given
  bool has_length = false;             // Literal: "/len" was written
  AddressMacro macro = AddressMacro::IpAny;
  std::string ifname;                  // Macro "%ifname", or a Literal's named scope
  std::string name;                    // Fqdn host name or Unix path
  std::optional<std::uint16_t> port;   // "port N"; nullopt: not given or "any"
  Location loc;

  bool is_macro(AddressMacro m) const { return kind == Kind::Macro && macro == m; }
  // to_string prints the value in configuration syntax ("192.0.2.1 port 500").
  std::string to_string() const;
  bool operator==(const AddressSpec& o) const;
};

// IdType is the identity type of my_id / peers_id (RFC 7296 §3.5).
enum class IdType : std::uint8_t { IpAddr, Email, Fqdn, KeyId, X509Subject };
// IdQualifier: `file` reads the value from a file, `tag` takes it literally.
enum class IdQualifier : std::uint8_t { None, File, Tag };

// Identity is one my_id / peers_id entry.
struct Identity {
  IdType type = IdType::Fqdn;
  IdQualifier qualifier = IdQualifier::None;
  std::string value;
  Location loc;
  bool operator==(const Identity& o) const {
    return type == o.type && qualifier == o.qualifier && value == o.value;
  }
};

std::string_view id_type_name(IdType t);

// TransformType says which IKEv2 transform type (RFC 7296 §3.3.2) an
// algorithm list holds.
enum class TransformType : std::uint8_t { Encr = 1, Prf = 2, Integ = 3, Dh = 4 };

// Algorithm is one entry of an algorithm list, mapped to its IKEv2 transform
// ID (IANA registry); key_bits is the Key Length attribute (0: none).
struct Algorithm {
  std::string name;          // canonical configuration name ("aes128_cbc")
  TransformType type = TransformType::Encr;
  std::uint16_t id = 0;      // IKEv2 transform ID
  std::uint16_t key_bits = 0;
  bool aead = false;         // combined-mode cipher: no separate integrity
  Location loc;
  bool operator==(const Algorithm& o) const {
    return type == o.type && id == o.id && key_bits == o.key_bits;
  }
};

// AuthMethod is a kmp_auth_method value; only pre-shared keys are built.
enum class AuthMethod : std::uint8_t { Psk };

// Ref is a reference by name to another block (policy_index, remote_index,
// ipsec_index, sa_index, selector_index, addresspool) and where it was written.
struct Ref {
  std::string name;
  Location loc;
  bool operator==(const Ref& o) const { return name == o.name; }
};

}  // namespace kagid::config
