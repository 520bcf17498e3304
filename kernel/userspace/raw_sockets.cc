// kernel/userspace/raw_sockets.cc — raw ESP and header-included sockets.
#include "kernel/userspace/raw_sockets.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "kernel/userspace/packet.h"

namespace kernel::userspace {

namespace net = core::net;
using core::ErrorCode;
using core::fail;

namespace {

constexpr std::size_t kMaxDatagram = 65535 + 40;

core::Result<core::UniqueFd> raw_socket(int family, int proto, std::uint32_t mark) {
  const char* fam = family == AF_INET ? "AF_INET" : "AF_INET6";
  const char* pr = proto == IPPROTO_ESP ? "IPPROTO_ESP" : "IPPROTO_RAW";
  core::UniqueFd fd(::socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto));
  if (!fd) return fail(ErrorCode::System, "socket({}, SOCK_RAW, {}): {}", fam, pr, std::strerror(errno));
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_MARK, &mark, sizeof mark) < 0)
    return fail(ErrorCode::System, "SO_MARK on {} {}: {}", fam, pr, std::strerror(errno));
  if (family == AF_INET6 && proto == IPPROTO_ESP) {
    int on = 1;
    if (::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on) < 0)
      return fail(ErrorCode::System, "IPV6_RECVPKTINFO: {}", std::strerror(errno));
  }
  return fd;
}

core::Status send_error(std::string_view what, const net::Address& dst) {
  return fail(ErrorCode::System, "send {} to {}: {}", what, dst.to_string(), std::strerror(errno));
}

}  // namespace

core::Result<RawSockets> RawSockets::open(std::uint32_t mark) {
  RawSockets s;
  auto e4 = raw_socket(AF_INET, IPPROTO_ESP, mark);
  if (!e4) return fail(e4.error());
  auto e6 = raw_socket(AF_INET6, IPPROTO_ESP, mark);
  if (!e6) return fail(e6.error());
  auto c4 = raw_socket(AF_INET, IPPROTO_RAW, mark);
  if (!c4) return fail(c4.error());
  auto c6 = raw_socket(AF_INET6, IPPROTO_RAW, mark);
  if (!c6) return fail(c6.error());
  s.esp4_ = std::move(*e4);
  s.esp6_ = std::move(*e6);
  s.clear4_ = std::move(*c4);
  s.clear6_ = std::move(*c6);
  return s;
}

core::Status RawSockets::send_esp(std::span<const std::uint8_t> esp, const net::Address& src,
                                  const net::Address& dst) {
  sockaddr_storage to{};
  socklen_t tolen = dst.to_sockaddr(to, 0);
  iovec iov{const_cast<std::uint8_t*>(esp.data()), esp.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
  msghdr msg{};
  msg.msg_name = &to;
  msg.msg_namelen = tolen;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  cmsghdr* c = reinterpret_cast<cmsghdr*>(control);
  // The SA's source address, not whatever the route would pick.
  if (dst.is_v6()) {
    in6_pktinfo pi{};
    std::memcpy(&pi.ipi6_addr, src.bytes().data(), 16);
    pi.ipi6_ifindex = src.scope_id();
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof pi);
    std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
    msg.msg_controllen = CMSG_SPACE(sizeof pi);
  } else {
    in_pktinfo pi{};
    std::memcpy(&pi.ipi_spec_dst, src.bytes().data(), 4);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof pi);
    std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
    msg.msg_controllen = CMSG_SPACE(sizeof pi);
  }
  int fd = dst.is_v6() ? esp6_.get() : esp4_.get();
  if (::sendmsg(fd, &msg, 0) < 0) return send_error("ESP", dst);
  return core::ok();
}

core::Status RawSockets::send_clear(std::span<const std::uint8_t> packet, const net::Address& dst) {
  sockaddr_storage to{};
  socklen_t tolen = dst.to_sockaddr(to, 0);
  int fd = dst.is_v6() ? clear6_.get() : clear4_.get();
  if (::sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to), tolen) < 0)
    return send_error("clear packet", dst);
  return core::ok();
}

core::Status RawSockets::receive(net::Family f, const EspReceiver& rx) {
  const bool v6 = f == net::Family::V6;
  int fd = v6 ? esp6_.get() : esp4_.get();
  buf_.resize(kMaxDatagram);
  for (;;) {
    sockaddr_storage from{};
    iovec iov{buf_.data(), buf_.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo)) + 64] = {};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(fd, &msg, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return core::ok();
      return fail(ErrorCode::System, "receive ESP: {}", std::strerror(errno));
    }
    std::span<std::uint8_t> data(buf_.data(), static_cast<std::size_t>(n));
    if (!v6) {
      // raw(7): an IPv4 raw socket delivers the IP header with the packet.
      auto p = parse_ip_packet(data);
      if (!p || !p->src.is_v4()) {
        ++malformed_;
        continue;
      }
      rx(data.subspan(p->l4_offset, p->length - p->l4_offset), p->src, p->dst);
      continue;
    }
    net::Address src = net::Address::from_sockaddr(reinterpret_cast<const sockaddr*>(&from));
    std::optional<net::Address> dst;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != IPPROTO_IPV6 || c->cmsg_type != IPV6_PKTINFO) continue;
      in6_pktinfo pi;
      std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
      dst = net::Address::from_bytes({reinterpret_cast<const std::uint8_t*>(&pi.ipi6_addr), 16});
    }
    if (!dst || !src.is_v6()) {
      ++malformed_;
      continue;
    }
    src.set_scope_id(0);  // SaIds hold unscoped addresses
    rx(data, src, *dst);
  }
}

}  // namespace kernel::userspace
