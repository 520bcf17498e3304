#include "core/net/selector.h"

#include <netdb.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace core::net {
namespace {

struct ProtoName {
  std::string_view name;
  std::uint8_t number;
};

// Names users of iproute2 and racoon2 write; the first name of a number is
// the one printed.
constexpr std::array<ProtoName, 14> kProtoNames = {{
    {"any", proto::kAny},        {"icmp", proto::kIcmp},     {"tcp", proto::kTcp},
    {"udp", proto::kUdp},        {"esp", proto::kEsp},       {"ah", proto::kAh},
    {"icmp6", proto::kIcmpv6},   {"ipv6-icmp", proto::kIcmpv6}, {"icmpv6", proto::kIcmpv6},
    {"mh", proto::kMh},          {"ipv6-mh", proto::kMh},    {"ipcomp", proto::kIpcomp},
    {"sctp", proto::kSctp},      {"gre", 47},
}};

}  // namespace

Result<std::uint8_t> parse_protocol(std::string_view text) {
  for (const auto& p : kProtoNames)
    if (p.name == text) return p.number;
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size() && v <= 255 && !text.empty())
    return static_cast<std::uint8_t>(v);
  return fail(ErrorCode::InvalidSyntax, "unknown protocol '{}'", text);
}

std::string protocol_name(std::uint8_t p) {
  for (const auto& n : kProtoNames)
    if (n.number == p) return std::string(n.name);
  return std::to_string(p);
}

std::optional<PortRange> PortRange::intersect(const PortRange& o) const {
  PortRange r{std::max(start, o.start), std::min(end, o.end)};
  if (r.start > r.end) return std::nullopt;
  return r;
}

std::optional<std::uint8_t> Selector::icmp_type() const {
  if (!is_icmp() || !sport.is_single()) return std::nullopt;
  return static_cast<std::uint8_t>(sport.start);
}

std::optional<std::uint8_t> Selector::icmp_code() const {
  if (!is_icmp() || !dport.is_single()) return std::nullopt;
  return static_cast<std::uint8_t>(dport.start);
}

std::optional<std::uint8_t> Selector::mh_type() const {
  if (proto != proto::kMh || !sport.is_single()) return std::nullopt;
  return static_cast<std::uint8_t>(sport.start);
}

bool Selector::matches(const Address& s, const Address& d, std::uint8_t p, std::uint16_t sp,
                       std::uint16_t dp) const {
  if (!src.contains(s) || !dst.contains(d)) return false;
  if (proto != proto::kAny && proto != p) return false;
  return sport.contains(sp) && dport.contains(dp);
}

Selector Selector::reversed() const {
  Selector r = *this;
  std::swap(r.src, r.dst);
  // ICMP type/code and MH type describe the message, not a direction.
  if (!is_icmp() && proto != proto::kMh) std::swap(r.sport, r.dport);
  return r;
}

std::string Selector::to_string() const {
  auto ports = [](const PortRange& r) -> std::string {
    if (r.is_any()) return "";
    if (r.is_single()) return fmt::format("[{}]", r.start);
    return fmt::format("[{}-{}]", r.start, r.end);
  };
  bool typed = is_icmp() || proto == proto::kMh;  // ports carry type/code
  std::string s = src.to_string() + (typed ? "" : ports(sport)) + " -> " + dst.to_string() +
                  (typed ? "" : ports(dport));
  if (proto != proto::kAny) s += " " + protocol_name(proto);
  if (auto t = icmp_type()) s += fmt::format(" type {}", *t);
  if (auto c = icmp_code()) s += fmt::format(" code {}", *c);
  if (auto m = mh_type()) s += fmt::format(" mh-type {}", *m);
  return s;
}

}  // namespace core::net
