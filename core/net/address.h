// core/net/address.h — IPv4/IPv6 addresses, endpoints, prefixes and ranges.
//
// Address is a value type (family + 16 bytes + optional IPv6 scope id);
// IPv4 uses the first 4 bytes. Prefix <-> Range conversion is exact for any
// prefix length including /0 (`::/0` is the whole IPv6 space).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace core::net {

enum class Family : std::uint8_t { V4, V6 };

// Address is an IPv4 or IPv6 address. Default-constructed: 0.0.0.0.
class Address {
 public:
  Address() = default;
  static Address v4(std::uint32_t host_order);
  static Address any(Family f);
  // from_bytes takes 4 or 16 bytes in network order; nullopt otherwise.
  static std::optional<Address> from_bytes(std::span<const std::uint8_t> b);
  // parse accepts "192.0.2.1", "2001:db8::1", "fe80::1%3" or "fe80::1%eth0".
  static Result<Address> parse(std::string_view text);
  static Address from_sockaddr(const sockaddr* sa);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::V4; }
  bool is_v6() const { return family_ == Family::V6; }
  std::size_t size() const { return is_v4() ? 4 : 16; }
  std::span<const std::uint8_t> bytes() const { return {bytes_.data(), size()}; }
  std::uint32_t scope_id() const { return scope_; }
  void set_scope_id(std::uint32_t s) { scope_ = s; }
  bool is_unspecified() const;
  bool is_link_local() const;
  std::string to_string() const;
  // to_sockaddr fills a sockaddr_storage with this address and port; returns its length.
  socklen_t to_sockaddr(sockaddr_storage& ss, std::uint16_t port) const;
  // bit returns bit i (0 = most significant) of the address.
  bool bit(unsigned i) const;

  auto operator<=>(const Address&) const = default;
  bool operator==(const Address&) const = default;

 private:
  Family family_ = Family::V4;
  std::array<std::uint8_t, 16> bytes_{};
  std::uint32_t scope_ = 0;
  friend class Prefix;
  friend struct Range;
};

// Endpoint is an address and a UDP/TCP port.
struct Endpoint {
  Address addr;
  std::uint16_t port = 0;
  std::string to_string() const;  // "192.0.2.1[500]" (strongSwan style)
  auto operator<=>(const Endpoint&) const = default;
  bool operator==(const Endpoint&) const = default;
};

// Range is an inclusive address range of one family.
struct Range {
  Address start;
  Address end;
  static Range all(Family f);
  bool contains(const Address& a) const;
  bool contains(const Range& r) const;
  // intersect returns the overlap of two ranges of the same family, if any.
  std::optional<Range> intersect(const Range& r) const;
  std::string to_string() const;
  bool operator==(const Range&) const = default;
};

// Prefix is an address with a prefix length; host bits are kept as given
// by parse() but ignored by contains()/to_range().
class Prefix {
 public:
  Prefix() = default;
  Prefix(Address a, std::uint8_t len);
  static Prefix host(const Address& a) { return Prefix(a, a.is_v4() ? 32 : 128); }
  static Prefix all(Family f) { return Prefix(Address::any(f), 0); }
  // parse accepts "addr", "addr/len"; the length must fit the family.
  static Result<Prefix> parse(std::string_view text);
  // from_range succeeds only when the range is exactly one prefix.
  static std::optional<Prefix> from_range(const Range& r);

  const Address& address() const { return addr_; }
  std::uint8_t length() const { return len_; }
  Family family() const { return addr_.family(); }
  unsigned max_length() const { return addr_.is_v4() ? 32 : 128; }
  bool is_host() const { return len_ == max_length(); }
  Address network() const;
  Address last() const;
  Range to_range() const { return {network(), last()}; }
  bool contains(const Address& a) const;
  bool contains(const Prefix& p) const;
  std::string to_string() const;
  bool operator==(const Prefix& o) const { return len_ == o.len_ && network() == o.network(); }

 private:
  Address addr_;
  std::uint8_t len_ = 0;
};

// range_to_prefixes splits a range into the minimal list of prefixes that
// covers it exactly (at most 2*bits-2 entries).
std::vector<Prefix> range_to_prefixes(const Range& r);

}  // namespace core::net
