// ikev2/sa/traffic_selector.cc — traffic selectors and narrowing.
#include "ikev2/sa/traffic_selector.h"

#include <algorithm>

#include <fmt/format.h>

namespace ikev2 {

using core::net::Address;
using core::net::Prefix;

Ts Ts::from_prefix(const Prefix& p, std::uint8_t proto, std::uint16_t start_port,
                   std::uint16_t end_port) {
  return Ts{proto, start_port, end_port, p.to_range()};
}

std::optional<Ts> Ts::from_wire(const wire::TrafficSelector& ts) {
  const std::size_t want = ts.type == wire::TsType::Ipv4AddrRange   ? 4
                           : ts.type == wire::TsType::Ipv6AddrRange ? 16
                                                                    : 0;
  if (want == 0 || ts.start_address.size() != want || ts.end_address.size() != want)
    return std::nullopt;
  auto s = Address::from_bytes(ts.start_address);
  auto e = Address::from_bytes(ts.end_address);
  if (!s || !e) return std::nullopt;
  return Ts{ts.ip_protocol, ts.start_port, ts.end_port, {*s, *e}};
}

wire::TrafficSelector Ts::to_wire() const {
  wire::TrafficSelector t;
  t.type = range.start.is_v4() ? wire::TsType::Ipv4AddrRange : wire::TsType::Ipv6AddrRange;
  t.ip_protocol = proto;
  t.start_port = start_port;
  t.end_port = end_port;
  auto s = range.start.bytes(), e = range.end.bytes();
  t.start_address.assign(s.begin(), s.end());
  t.end_address.assign(e.begin(), e.end());
  return t;
}

std::optional<Ts> Ts::intersect(const Ts& o) const {
  if (range.start.family() != o.range.start.family()) return std::nullopt;
  Ts r;
  if (proto != 0 && o.proto != 0 && proto != o.proto) return std::nullopt;
  r.proto = proto != 0 ? proto : o.proto;
  if (opaque_ports() || o.opaque_ports()) {
    // OPAQUE matches only OPAQUE or ANY (RFC 4301 §4.4.1.1).
    const bool any_a = start_port == 0 && end_port == 0xffff;
    const bool any_b = o.start_port == 0 && o.end_port == 0xffff;
    if (!(opaque_ports() && (o.opaque_ports() || any_b)) &&
        !(o.opaque_ports() && (opaque_ports() || any_a)))
      return std::nullopt;
    r.start_port = 0xffff;
    r.end_port = 0;
  } else {
    r.start_port = std::max(start_port, o.start_port);
    r.end_port = std::min(end_port, o.end_port);
    if (r.start_port > r.end_port) return std::nullopt;
  }
  auto rng = range.intersect(o.range);
  if (!rng) return std::nullopt;
  r.range = *rng;
  return r;
}

bool Ts::contains(const Ts& o) const {
  auto i = intersect(o);
  return i && *i == o;
}

std::string Ts::to_string() const {
  std::string addr;
  if (auto p = Prefix::from_range(range)) {
    addr = p->to_string();
  } else {
    addr = range.to_string();
  }
  if (proto == 0 && start_port == 0 && end_port == 0xffff) return addr;
  std::string ports;
  if (opaque_ports()) {
    ports = "/OPAQUE";
  } else if (start_port == 0 && end_port == 0xffff) {
    ports = "";
  } else if (start_port == end_port) {
    ports = fmt::format("/{}", start_port);
  } else {
    ports = fmt::format("/{}-{}", start_port, end_port);
  }
  return fmt::format("{}[{}{}]", addr, core::net::protocol_name(proto), ports);
}

std::vector<Ts> narrow(const std::vector<Ts>& proposed, const std::vector<Ts>& allowed) {
  std::vector<Ts> out;
  for (const auto& p : proposed) {
    for (const auto& a : allowed) {
      auto i = p.intersect(a);
      if (i && std::find(out.begin(), out.end(), *i) == out.end()) out.push_back(*i);
    }
  }
  return out;
}

bool covered(const std::vector<Ts>& got, const std::vector<Ts>& proposed) {
  return std::all_of(got.begin(), got.end(), [&](const Ts& g) {
    return std::any_of(proposed.begin(), proposed.end(), [&](const Ts& p) { return p.contains(g); });
  });
}

std::vector<Ts> ts_from_payload(const wire::TsPayload& p) {
  std::vector<Ts> out;
  out.reserve(p.selectors.size());
  for (const auto& s : p.selectors) {
    if (auto t = Ts::from_wire(s)) out.push_back(*t);
  }
  return out;
}

wire::TsPayload ts_to_payload(const std::vector<Ts>& ts, bool initiator) {
  wire::TsPayload p;
  p.initiator = initiator;
  p.selectors.reserve(ts.size());
  for (const auto& t : ts) p.selectors.push_back(t.to_wire());
  return p;
}

std::optional<core::net::Selector> to_selector(const Ts& src, const Ts& dst) {
  auto sp = Prefix::from_range(src.range);
  auto dp = Prefix::from_range(dst.range);
  if (!sp || !dp) return std::nullopt;
  if (src.proto != dst.proto && src.proto != 0 && dst.proto != 0) return std::nullopt;
  if (src.opaque_ports() || dst.opaque_ports()) return std::nullopt;
  // ICMP and MH type/code are packed differently in the kernel selector
  // (core/net/selector.h); only plain port selectors convert here.
  const std::uint8_t p = src.proto != 0 ? src.proto : dst.proto;
  if (p == core::net::proto::kIcmp || p == core::net::proto::kIcmpv6 || p == core::net::proto::kMh)
    return std::nullopt;
  core::net::Selector s;
  s.src = *sp;
  s.dst = *dp;
  s.proto = src.proto != 0 ? src.proto : dst.proto;
  s.sport = {src.start_port, src.end_port};
  s.dport = {dst.start_port, dst.end_port};
  return s;
}

std::string ts_list_string(const std::vector<Ts>& ts) {
  std::string out;
  for (const auto& t : ts) {
    if (!out.empty()) out += ", ";
    out += t.to_string();
  }
  return out;
}

}  // namespace ikev2
