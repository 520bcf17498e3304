// core/ipsec/types.h — plain values the kernel interface takes and returns.
//
// Kernel calls take these values, never pointers into engine state, so a
// privilege-separated kernel helper stays possible (ARCHITECTURE.md).
// Algorithms are named by their IKEv2 transform IDs (RFC 7296 §3.3.2, IANA
// "IKEv2 Transform Attribute"): every backend maps them to its own names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/net/address.h"
#include "core/net/selector.h"

namespace core::ipsec {

// Protocol of an SA (IP protocol numbers).
enum class Proto : std::uint8_t { Esp = 50, Ah = 51, Comp = 108 };
enum class Mode : std::uint8_t { Transport, Tunnel };
enum class Dir : std::uint8_t { In, Out, Fwd };
// Level of an IPsec requirement (KAME/racoon2 ipsec_level).
// Use: SA used if present, packet passes otherwise. Require: SA needed.
// Unique: SA needed and bound to this policy alone (by its own reqid).
enum class Level : std::uint8_t { Use, Require, Unique };
enum class Action : std::uint8_t { Protect, Bypass, Discard };

std::string_view proto_name(Proto p);
std::string_view mode_name(Mode m);
std::string_view dir_name(Dir d);
std::string_view level_name(Level l);
std::string_view action_name(Action a);

// Algorithm is an IKEv2 transform ID plus its key (key material owned here;
// callers should drop their SaSpec promptly). Key length in bytes includes
// salt/nonce for GCM/CCM/CTR/ChaCha20 as in RFC 4106 §8.1 / RFC 3686.
struct Algorithm {
  std::uint16_t id = 0;          // IKEv2 transform ID (ENCR_* or AUTH_*)
  std::uint16_t key_bits = 0;    // the Key Length attribute, 0 if none
  std::vector<std::uint8_t> key;
  bool operator==(const Algorithm&) const = default;
};

// Lifetime limits of an SA; 0 means no limit.
struct Lifetime {
  std::uint64_t soft_bytes = 0, hard_bytes = 0;
  std::uint64_t soft_packets = 0, hard_packets = 0;
  std::uint64_t soft_seconds = 0, hard_seconds = 0;
  bool operator==(const Lifetime&) const = default;
};

// Encap is UDP encapsulation of ESP (RFC 3948).
struct Encap {
  std::uint16_t sport = 4500;
  std::uint16_t dport = 4500;
  bool operator==(const Encap&) const = default;
};

// Mark is the XFRM mark/mask pair (0/0: none).
struct Mark {
  std::uint32_t value = 0, mask = 0;
  bool operator==(const Mark&) const = default;
};

// SaId names one SA in the SAD: destination, SPI, protocol.
struct SaId {
  net::Address dst;
  std::uint32_t spi = 0;
  Proto proto = Proto::Esp;
  std::string to_string() const;
  auto operator<=>(const SaId&) const = default;
  bool operator==(const SaId&) const = default;
};

// SaSpec is everything needed to install one SA.
struct SaSpec {
  net::Address src, dst;
  std::uint32_t spi = 0;
  Proto proto = Proto::Esp;
  Mode mode = Mode::Transport;
  std::uint32_t reqid = 0;
  std::optional<net::Selector> selector;  // transport-mode SA selector
  Algorithm enc;                          // ENCR_* (AEAD: integ is empty)
  Algorithm integ;                        // AUTH_* or id 0
  std::optional<Encap> encap;
  bool esn = false;
  std::uint32_t replay_window = 32;       // packets
  Lifetime lifetime;
  Mark mark;
  bool inbound = false;                   // for backends that keep direction
  SaId id() const { return {dst, spi, proto}; }
};

// SaCounters are the kernel's current use of an SA.
struct SaCounters {
  std::uint64_t bytes = 0, packets = 0;
  std::uint64_t replay_dropped = 0, integrity_failed = 0;
  std::uint64_t add_time = 0, use_time = 0;  // seconds, wall clock, 0 unknown
};

// SaInfo is an SA as the backend holds it.
struct SaInfo {
  SaSpec spec;
  SaCounters counters;
};

// Template is one transform of an IPsec policy (an ipsecrequest in PF_KEY).
struct Template {
  Proto proto = Proto::Esp;
  Mode mode = Mode::Transport;
  net::Address src, dst;  // tunnel endpoints; unset for transport
  std::uint32_t reqid = 0;
  Level level = Level::Require;
  bool operator==(const Template&) const = default;
};

// PolicySpec is one directional SPD entry.
struct PolicySpec {
  net::Selector selector;
  Dir dir = Dir::Out;
  Action action = Action::Protect;
  std::uint32_t priority = 0;     // lower value wins (XFRM semantics)
  std::vector<Template> templates;
  Mark mark;
  std::uint32_t index = 0;        // kernel policy id, filled by the backend
  std::string to_string() const;
};

// PolicyKey identifies a policy without its contents.
struct PolicyKey {
  net::Selector selector;
  Dir dir = Dir::Out;
  Mark mark;
  bool operator==(const PolicyKey&) const = default;
};

// KmAddress is the key-management endpoints of a MIGRATE (XFRMA_KMADDRESS,
// SADB_X_EXT_KMADDRESS): where IKE/KINK runs, which may differ from the SA
// endpoints (proxy mode) and whose change is the K bit (RFC 4877 §4.2.1).
struct KmAddress {
  net::Address local, remote;
  bool operator==(const KmAddress&) const = default;
};

// MigrateEntry moves one template/SA pair from old to new endpoints.
struct MigrateEntry {
  Proto proto = Proto::Esp;
  Mode mode = Mode::Tunnel;
  std::uint32_t reqid = 0;
  net::Address old_src, old_dst, new_src, new_dst;
  bool operator==(const MigrateEntry&) const = default;
};

// MigrateRequest is a policy selector with the moves to apply to it.
struct MigrateRequest {
  net::Selector selector;
  Dir dir = Dir::Out;
  std::vector<MigrateEntry> entries;
  std::optional<KmAddress> old_km, new_km;
  std::optional<Encap> encap;
};

}  // namespace core::ipsec
