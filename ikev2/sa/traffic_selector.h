// ikev2/sa/traffic_selector.h — traffic selectors as the engine reasons about
// them (RFC 7296 §2.9, §3.13.1): one address range, protocol and port range,
// plus narrowing.
//
//   auto tsi = narrow(proposed_tsi, config.remote_ts);   // responder side
//   if (tsi.empty()) -> TS_UNACCEPTABLE
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/net/address.h"
#include "core/net/selector.h"
#include "ikev2/wire/ts.h"

namespace ikev2 {

// Ts is one TS_IPV4_ADDR_RANGE or TS_IPV6_ADDR_RANGE selector. Ports are
// inclusive; for ICMP/ICMPv6/MH they carry type << 8 | code. The OPAQUE
// port range (start 65535, end 0) is kept as given and only equals itself.
struct Ts {
  std::uint8_t proto = 0;  // 0: any protocol
  std::uint16_t start_port = 0;
  std::uint16_t end_port = 0xffff;
  core::net::Range range;

  // from_prefix selects one prefix, any protocol and port unless given.
  static Ts from_prefix(const core::net::Prefix& p, std::uint8_t proto = 0,
                        std::uint16_t start_port = 0, std::uint16_t end_port = 0xffff);
  // host selects one address.
  static Ts host(const core::net::Address& a) { return from_prefix(core::net::Prefix::host(a)); }
  // from_wire converts an address-range selector; nullopt for other TS
  // Types or address lengths that do not match the type.
  static std::optional<Ts> from_wire(const wire::TrafficSelector& ts);
  wire::TrafficSelector to_wire() const;

  bool opaque_ports() const { return start_port == 0xffff && end_port == 0; }
  // intersect returns the selector both allow, if any (RFC 7296 §2.9).
  std::optional<Ts> intersect(const Ts& o) const;
  // contains says whether every packet o selects is selected here.
  bool contains(const Ts& o) const;
  // to_string prints "192.0.2.0/24[tcp/80]" (a range when not one prefix).
  std::string to_string() const;

  bool operator==(const Ts&) const = default;
};

// narrow returns every non-empty intersection of a proposed selector with
// an allowed one, in proposal order, without duplicates (RFC 7296 §2.9: the
// responder narrows to a subset of what the initiator proposed).
std::vector<Ts> narrow(const std::vector<Ts>& proposed, const std::vector<Ts>& allowed);

// covered says whether each selector of got lies within some selector of
// proposed: an initiator's check of the responder's answer.
bool covered(const std::vector<Ts>& got, const std::vector<Ts>& proposed);

// ts_from_payload converts a TS payload; selectors of unknown types are
// skipped (they cannot be narrowed to anything we install).
std::vector<Ts> ts_from_payload(const wire::TsPayload& p);
wire::TsPayload ts_to_payload(const std::vector<Ts>& ts, bool initiator);

// to_selector builds the kernel selector for traffic from src to dst when
// both ranges are exact prefixes and their protocols agree; nullopt
// otherwise.
std::optional<core::net::Selector> to_selector(const Ts& src, const Ts& dst);

// ts_list_string joins to_string() with ", ".
std::string ts_list_string(const std::vector<Ts>& ts);

}  // namespace ikev2
