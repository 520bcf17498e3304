#include "daemon/config/values.h"

#include <netdb.h>

#include <array>
#include <charconv>
#include <string>

#include <fmt/format.h>

namespace kagid::config {
namespace {

using core::ErrorCode;
using core::fail;

struct MacroName {
  std::string_view name;
  AddressMacro macro;
};

// The first name of each macro is the one printed (racoon2 lib/rc_net.c).
constexpr std::array<MacroName, 9> kMacros = {{
    {"MY_IP", AddressMacro::MyIp},
    {"MY_IPV4", AddressMacro::MyIpv4},
    {"MY_IPV6", AddressMacro::MyIpv6},
    {"MY_IPV6_GLOBAL", AddressMacro::MyIpv6Global},
    {"MY_IPV6_LINKLOCAL", AddressMacro::MyIpv6LinkLocal},
    {"MY_HOA", AddressMacro::MyHoa},
    {"IP_ANY", AddressMacro::IpAny},
    {"IP_RW", AddressMacro::IpRw},
    {"IP_UNSPECIFIED", AddressMacro::IpAny},
}};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// parse_literal parses an address with an optional "%scope"; a numeric scope
// goes into the Address, a name is kept (interfaces may not exist yet).
core::Result<AddressSpec> parse_literal(std::string_view text) {
  AddressSpec a;
  std::string_view base = text;
  auto pct = text.rfind('%');
  if (pct != std::string_view::npos && !all_digits(text.substr(pct + 1))) {
    base = text.substr(0, pct);
    a.ifname = std::string(text.substr(pct + 1));
    if (a.ifname.empty()) return fail(ErrorCode::Config, "empty scope in address '{}'", text);
  }
  auto addr = core::net::Address::parse(base);
  if (!addr) return fail(ErrorCode::Config, "bad address '{}': {}", text, addr.error().detail);
  if (!a.ifname.empty() && addr->is_v4()) return fail(ErrorCode::Config, "scope on an IPv4 address '{}'", text);
  a.kind = AddressSpec::Kind::Literal;
  a.prefix = core::net::Prefix::host(*addr);
  return a;
}

}  // namespace

std::optional<bool> parse_bool(std::string_view t) {
  if (t == "on" || t == "enable" || t == "yes") return true;
  if (t == "off" || t == "disable" || t == "no") return false;
  return std::nullopt;
}

core::Result<std::uint64_t> parse_number(std::string_view t, std::uint64_t max) {
  int base = 10;
  std::string_view digits = t;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) base = 16, digits = t.substr(2);
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    return fail(ErrorCode::Config, "'{}' is not a number", t);
  if (v > max) return fail(ErrorCode::Config, "{} is out of range (at most {})", t, max);
  return v;
}

std::optional<std::uint64_t> time_unit_seconds(std::string_view u) {
  if (u == "sec" || u == "secs" || u == "second" || u == "seconds") return 1;
  if (u == "min" || u == "mins" || u == "minute" || u == "minutes") return 60;
  if (u == "hour" || u == "hours") return 3600;
  if (u == "day" || u == "days") return 86400;
  return std::nullopt;
}

std::optional<std::uint64_t> byte_unit_size(std::string_view u) {
  if (u == "B" || u == "byte" || u == "bytes") return 1;
  if (u == "KB") return 1024;
  if (u == "MB") return 1024 * 1024;
  if (u == "GB") return std::uint64_t{1024} * 1024 * 1024;
  return std::nullopt;
}

core::Result<std::uint16_t> parse_port(std::string_view t) {
  if (all_digits(t)) {
    auto n = parse_number(t, 65535);
    if (!n) return fail(ErrorCode::Config, "bad port '{}': at most 65535", t);
    return static_cast<std::uint16_t>(*n);
  }
  std::string name(t);
  servent* se = ::getservbyname(name.c_str(), "udp");
  if (se == nullptr) se = ::getservbyname(name.c_str(), "tcp");
  if (se == nullptr) return fail(ErrorCode::Config, "bad port '{}': not a number or a known service", t);
  return static_cast<std::uint16_t>(ntohs(static_cast<std::uint16_t>(se->s_port)));
}

std::optional<AddressMacro> parse_macro(std::string_view name) {
  for (const auto& m : kMacros)
    if (m.name == name) return m.macro;
  return std::nullopt;
}

std::string_view macro_name(AddressMacro m) {
  for (const auto& n : kMacros)
    if (n.macro == m) return n.name;
  return "?";
}

bool is_hostname(std::string_view t) {
  if (!t.empty() && t.back() == '.') t.remove_suffix(1);
  if (t.empty() || t.size() > 253) return false;
  bool any_alpha = false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '.') {
      if (label == 0 || label > 63 || t[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    char c = t[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool ok = alpha || (c >= '0' && c <= '9') || (c == '-' && label > 0);
    if (!ok) return false;
    any_alpha = any_alpha || alpha;
    ++label;
  }
  return any_alpha;  // all-numeric names look like broken IPv4 addresses
}

core::Result<AddressSpec> parse_address(std::string_view text) {
  std::string_view base = text;
  std::string ifname;
  if (auto pct = text.rfind('%'); pct != std::string_view::npos && pct + 1 < text.size()) {
    base = text.substr(0, pct);
    ifname = std::string(text.substr(pct + 1));
  }
  if (auto m = parse_macro(base)) {
    if (!ifname.empty() && (*m == AddressMacro::IpAny || *m == AddressMacro::IpRw))
      return fail(ErrorCode::Config, "{} takes no interface ('{}')", macro_name(*m), text);
    AddressSpec a;
    a.kind = AddressSpec::Kind::Macro;
    a.macro = *m;
    a.ifname = ifname;
    return a;
  }
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto a = parse_literal(text.substr(0, slash));
    if (!a) return a;
    auto len = parse_number(text.substr(slash + 1), a->prefix.max_length());
    if (!len || text.substr(slash + 1).find('x') != std::string_view::npos)
      return fail(ErrorCode::Config, "bad prefix length in '{}' (0-{})", text, a->prefix.max_length());
    a->prefix = core::net::Prefix(a->prefix.address(), static_cast<std::uint8_t>(*len));
    a->has_length = true;
    return a;
  }
  bool looks_numeric = text.find(':') != std::string_view::npos ||
                       text.find_first_not_of("0123456789.") == std::string_view::npos;
  if (looks_numeric || text.find('%') != std::string_view::npos) return parse_literal(text);
  if (is_hostname(text)) {
    AddressSpec a;
    a.kind = AddressSpec::Kind::Fqdn;
    a.name = std::string(text);
    return a;
  }
  return fail(ErrorCode::Config, "'{}' is not an address, a macro or a host name", text);
}

std::string AddressSpec::to_string() const {
  std::string s;
  switch (kind) {
    case Kind::Literal:
      s = prefix.address().to_string();
      if (!ifname.empty()) s += "%" + ifname;
      if (has_length) s += fmt::format("/{}", prefix.length());
      break;
    case Kind::Macro:
      s = std::string(macro_name(macro));
      if (!ifname.empty()) s += "%" + ifname;
      break;
    case Kind::Fqdn:
      s = "\"" + name + "\"";
      break;
    case Kind::Unix:
      s = "unix \"" + name + "\"";
      break;
  }
  if (port) s += fmt::format(" port {}", *port);
  return s;
}

bool AddressSpec::operator==(const AddressSpec& o) const {
  if (kind != o.kind || port != o.port || ifname != o.ifname) return false;
  switch (kind) {
    case Kind::Literal:
      return has_length == o.has_length && prefix.address() == o.prefix.address() &&
             prefix.length() == o.prefix.length();
    case Kind::Macro:
      return macro == o.macro;
    default:
      return name == o.name;
  }
}

std::string_view id_type_name(IdType t) {
  switch (t) {
    case IdType::IpAddr: return "ipaddr";
    case IdType::Email: return "email";
    case IdType::Fqdn: return "fqdn";
    case IdType::KeyId: return "keyid";
    case IdType::X509Subject: return "x509_subject";
  }
  return "?";
}

}  // namespace kagid::config
