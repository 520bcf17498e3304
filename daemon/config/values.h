// daemon/config/values.h — parsers for the value forms of racoon2.conf:
// numbers, booleans, time and byte units, ports, addresses and macros.
//
// They take already-expanded text and fail with a message that has no
// location; the resolver adds file:line:col.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "daemon/config/types.h"

namespace kagid::config {

// parse_bool accepts on/off, enable/disable, yes/no.
std::optional<bool> parse_bool(std::string_view text);

// parse_number accepts decimal or 0x-prefixed hexadecimal, at most max.
core::Result<std::uint64_t> parse_number(std::string_view text, std::uint64_t max = UINT64_MAX);

// time_unit_seconds maps sec(s)/second(s)/min(s)/minute(s)/hour(s)/day(s)
// to seconds per unit.
std::optional<std::uint64_t> time_unit_seconds(std::string_view unit);

// byte_unit_size maps B/byte/bytes/KB/MB/GB to bytes per unit (1024-based,
// as racoon2).
std::optional<std::uint64_t> byte_unit_size(std::string_view unit);

// parse_port accepts a number 0-65535 or a service name from services(5).
core::Result<std::uint16_t> parse_port(std::string_view text);

// parse_macro recognises MY_IP, MY_IPV4, MY_IPV6, MY_IPV6_GLOBAL,
// MY_IPV6_LINKLOCAL, MY_HOA, IP_ANY, IP_UNSPECIFIED and IP_RW.
std::optional<AddressMacro> parse_macro(std::string_view name);

// is_hostname tells whether text is a syntactically valid DNS name.
bool is_hostname(std::string_view text);

// parse_address classifies one address word: a macro with optional
// "%ifname", a literal address or "addr/len" (a non-numeric "%scope" is kept
// as ifname, not looked up), or else a host name. No port here.
core::Result<AddressSpec> parse_address(std::string_view text);

}  // namespace kagid::config
