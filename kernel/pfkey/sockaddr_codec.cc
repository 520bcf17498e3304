#include "kernel/pfkey/sockaddr_codec.h"

#include <sys/socket.h>

#include <array>

namespace kernel::pfkey {

using core::ErrorCode;
using core::fail;
using core::net::Address;

namespace {

constexpr std::size_t kSockaddrIn = 16;
constexpr std::size_t kSockaddrIn6 = 28;

}  // namespace

Dialect Dialect::of(Flavor f) {
  if (f == Flavor::Linux) return linux_af_key();
#if defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || defined(__APPLE__)
  return {Flavor::Kame, static_cast<std::uint8_t>(AF_INET6)};
#else
  return kame_netbsd();
#endif
}

std::size_t sockaddr_len(const Address& a) { return a.is_v4() ? kSockaddrIn : kSockaddrIn6; }

void write_sockaddr(core::wire::Writer& w, const SockAddr& sa, const Dialect& d) {
  const bool v4 = sa.addr.is_v4();
  const std::uint8_t family = v4 ? kAfInet : d.af_inet6;
  if (d.flavor == Flavor::Kame) {
    w.u8(static_cast<std::uint8_t>(sockaddr_len(sa.addr)));  // sa_len
    w.u8(family);
  } else {
    w.u16_le(family);
  }
  w.u16(sa.port);
  if (v4) {
    w.bytes(sa.addr.bytes());
    w.zeros(8);  // sin_zero
    return;
  }
  w.u32(0);  // sin6_flowinfo
  w.bytes(sa.addr.bytes());
  w.u32_le(sa.addr.scope_id());
}

core::Result<SockAddr> read_sockaddr(core::wire::Reader& r, const Dialect& d) {
  std::uint16_t family = 0;
  std::uint8_t sa_len = 0;
  if (d.flavor == Flavor::Kame) {
    std::uint8_t fam8 = 0;
    if (!r.u8(sa_len) || !r.u8(fam8)) return fail(ErrorCode::Malformed, "truncated sockaddr header");
    family = fam8;
  } else if (!r.u16_le(family)) {
    return fail(ErrorCode::Malformed, "truncated sockaddr header");
  }
  const bool v4 = family == kAfInet;
  const bool v6 = d.flavor == Flavor::Kame
                      ? (family == kNetbsdAfInet6 || family == kFreebsdAfInet6)
                      : family == kLinuxAfInet6;
  if (!v4 && !v6) return fail(ErrorCode::Malformed, "sockaddr family {} is neither inet nor inet6", family);
  // KAME requires each sa_len exactly (NetBSD pfkeyv2.h: "Must set each sa_len exactly").
  if (d.flavor == Flavor::Kame && sa_len != (v4 ? kSockaddrIn : kSockaddrIn6))
    return fail(ErrorCode::Malformed, "sockaddr sa_len {} does not match family {}", sa_len, family);
  SockAddr out;
  if (!r.u16(out.port)) return fail(ErrorCode::Malformed, "truncated sockaddr port");
  if (v4) {
    std::array<std::uint8_t, 4> b{};
    if (!r.copy_to(b) || !r.skip(8)) return fail(ErrorCode::Malformed, "truncated sockaddr_in");
    out.addr = *Address::from_bytes(b);
    return out;
  }
  std::array<std::uint8_t, 16> b{};
  std::uint32_t flowinfo = 0, scope = 0;
  if (!r.u32(flowinfo) || !r.copy_to(b) || !r.u32_le(scope))
    return fail(ErrorCode::Malformed, "truncated sockaddr_in6");
  out.addr = *Address::from_bytes(b);
  out.addr.set_scope_id(scope);
  return out;
}

}  // namespace kernel::pfkey
