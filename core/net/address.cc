#include "core/net/address.h"

#include <arpa/inet.h>
#include <net/if.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace core::net {
namespace {

// Arithmetic on the big-endian byte image, used by range splitting.
using Bytes = std::array<std::uint8_t, 16>;

void set_host_bits(Bytes& b, unsigned prefix_len, unsigned total_bits, bool ones) {
  for (unsigned i = prefix_len; i < total_bits; ++i) {
    auto mask = static_cast<std::uint8_t>(0x80u >> (i % 8));
    if (ones)
      b[i / 8] |= mask;
    else
      b[i / 8] &= static_cast<std::uint8_t>(~mask);
  }
}

// increment adds one to the first n bytes; returns false on wrap-around.
bool increment(Bytes& b, std::size_t n) {
  for (std::size_t i = n; i-- > 0;) {
    if (++b[i] != 0) return true;
  }
  return false;
}

}  // namespace

Address Address::v4(std::uint32_t host_order) {
  Address a;
  a.family_ = Family::V4;
  for (int i = 0; i < 4; ++i) a.bytes_[i] = static_cast<std::uint8_t>(host_order >> (24 - 8 * i));
  return a;
}

Address Address::any(Family f) {
  Address a;
  a.family_ = f;
  return a;
}

std::optional<Address> Address::from_bytes(std::span<const std::uint8_t> b) {
  if (b.size() != 4 && b.size() != 16) return std::nullopt;
  Address a;
  a.family_ = b.size() == 4 ? Family::V4 : Family::V6;
  std::copy(b.begin(), b.end(), a.bytes_.begin());
  return a;
}

Result<Address> Address::parse(std::string_view text) {
  std::string s(text);
  std::uint32_t scope = 0;
  if (auto pct = s.find('%'); pct != std::string::npos) {
    std::string scope_text = s.substr(pct + 1);
    s.resize(pct);
    if (scope_text.empty()) return fail(ErrorCode::InvalidSyntax, "empty scope in address '{}'", text);
    auto [p, ec] = std::from_chars(scope_text.data(), scope_text.data() + scope_text.size(), scope);
    if (ec != std::errc() || p != scope_text.data() + scope_text.size()) {
      scope = if_nametoindex(scope_text.c_str());
      if (scope == 0) return fail(ErrorCode::InvalidSyntax, "unknown interface '{}' in address '{}'", scope_text, text);
    }
  }
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes_.data()) == 1) {
    if (scope) return fail(ErrorCode::InvalidSyntax, "scope on an IPv4 address '{}'", text);
    a.family_ = Family::V4;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes_.data()) == 1) {
    a.family_ = Family::V6;
    a.scope_ = scope;
    return a;
  }
  return fail(ErrorCode::InvalidSyntax, "not an IP address: '{}'", text);
}

Address Address::from_sockaddr(const sockaddr* sa) {
  Address a;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    std::memcpy(a.bytes_.data(), &in->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    a.family_ = Family::V6;
    std::memcpy(a.bytes_.data(), &in6->sin6_addr, 16);
    if (a.is_link_local()) a.scope_ = in6->sin6_scope_id;
  }
  return a;
}

bool Address::is_unspecified() const {
  return std::all_of(bytes_.begin(), bytes_.begin() + static_cast<long>(size()), [](auto b) { return b == 0; });
}

bool Address::is_link_local() const {
  return is_v6() ? (bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80) : (bytes_[0] == 169 && bytes_[1] == 254);
}

std::string Address::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  std::string s(buf);
  if (scope_) s += "%" + std::to_string(scope_);
  return s;
}

socklen_t Address::to_sockaddr(sockaddr_storage& ss, std::uint16_t port) const {
  std::memset(&ss, 0, sizeof ss);
  if (is_v4()) {
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    std::memcpy(&in->sin_addr, bytes_.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(port);
  in6->sin6_scope_id = scope_;
  std::memcpy(&in6->sin6_addr, bytes_.data(), 16);
  return sizeof(sockaddr_in6);
}

bool Address::bit(unsigned i) const { return (bytes_[i / 8] >> (7 - i % 8)) & 1; }

std::string Endpoint::to_string() const { return fmt::format("{}[{}]", addr.to_string(), port); }

Range Range::all(Family f) { return Prefix::all(f).to_range(); }

bool Range::contains(const Address& a) const {
  if (a.family() != start.family()) return false;
  auto cmp = [](const Address& x, const Address& y) {
    return std::memcmp(x.bytes().data(), y.bytes().data(), x.size());
  };
  return cmp(start, a) <= 0 && cmp(a, end) <= 0;
}

bool Range::contains(const Range& r) const { return contains(r.start) && contains(r.end); }

std::optional<Range> Range::intersect(const Range& r) const {
  if (r.start.family() != start.family()) return std::nullopt;
  auto lt = [](const Address& x, const Address& y) {
    return std::memcmp(x.bytes().data(), y.bytes().data(), x.size()) < 0;
  };
  Address lo = lt(start, r.start) ? r.start : start;
  Address hi = lt(end, r.end) ? end : r.end;
  if (lt(hi, lo)) return std::nullopt;
  lo.set_scope_id(0);
  hi.set_scope_id(0);
  return Range{lo, hi};
}

std::string Range::to_string() const {
  if (auto p = Prefix::from_range(*this)) return p->to_string();
  return start.to_string() + "-" + end.to_string();
}

Prefix::Prefix(Address a, std::uint8_t len) : addr_(a), len_(len) {}

Result<Prefix> Prefix::parse(std::string_view text) {
  auto slash = text.find('/');
  auto addr = Address::parse(text.substr(0, slash));
  if (!addr) return fail(addr.error());
  unsigned max = addr->is_v4() ? 32 : 128;
  unsigned len = max;
  if (slash != std::string_view::npos) {
    auto l = text.substr(slash + 1);
    auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), len);
    if (ec != std::errc() || p != l.data() + l.size() || l.empty())
      return fail(ErrorCode::InvalidSyntax, "bad prefix length in '{}'", text);
    if (len > max) return fail(ErrorCode::InvalidSyntax, "prefix length {} exceeds {} in '{}'", len, max, text);
  }
  return Prefix(*addr, static_cast<std::uint8_t>(len));
}

std::optional<Prefix> Prefix::from_range(const Range& r) {
  if (r.start.family() != r.end.family()) return std::nullopt;
  unsigned bits = r.start.is_v4() ? 32 : 128;
  // The prefix length is the common leading bits; what follows must be all
  // zeros in start and all ones in end.
  unsigned len = 0;
  while (len < bits && r.start.bit(len) == r.end.bit(len)) ++len;
  for (unsigned i = len; i < bits; ++i)
    if (r.start.bit(i) || !r.end.bit(i)) return std::nullopt;
  Address a = r.start;
  a.set_scope_id(0);
  return Prefix(a, static_cast<std::uint8_t>(len));
}

Address Prefix::network() const {
  Address a = addr_;
  set_host_bits(a.bytes_, len_, max_length(), false);
  a.scope_ = 0;
  return a;
}

Address Prefix::last() const {
  Address a = addr_;
  set_host_bits(a.bytes_, len_, max_length(), true);
  a.scope_ = 0;
  return a;
}

bool Prefix::contains(const Address& a) const { return to_range().contains(a); }

bool Prefix::contains(const Prefix& p) const {
  return p.family() == family() && p.len_ >= len_ && contains(p.address());
}

std::string Prefix::to_string() const {
  return fmt::format("{}/{}", network().to_string(), len_);
}

std::vector<Prefix> range_to_prefixes(const Range& r) {
  std::vector<Prefix> out;
  if (r.start.family() != r.end.family() || !r.contains(r.start) || !r.contains(r.end)) return out;
  unsigned bits = r.start.is_v4() ? 32 : 128;
  Address cur = r.start;
  cur.set_scope_id(0);
  for (;;) {
    // Largest block aligned at cur that does not pass r.end.
    unsigned len = bits;
    while (len > 0) {
      Prefix p(cur, static_cast<std::uint8_t>(len - 1));
      if (p.network() != cur || !r.contains(p.last())) break;
      --len;
    }
    Prefix p(cur, static_cast<std::uint8_t>(len));
    out.push_back(p);
    Address next = p.last();
    if (next == r.end) break;
    Bytes b{};
    std::copy(next.bytes().begin(), next.bytes().end(), b.begin());
    if (!increment(b, next.size())) break;
    cur = *Address::from_bytes(std::span<const std::uint8_t>(b.data(), next.size()));
  }
  return out;
}

}  // namespace core::net
