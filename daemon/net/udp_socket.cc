#include "daemon/net/udp_socket.h"

#include <linux/ipsec.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/log/log.h"

namespace kagid {
namespace {

constexpr std::size_t kMaxDatagram = 65535;
constexpr std::uint8_t kNonEspMarker[4] = {0, 0, 0, 0};

core::Error sys_error(const char* what, const core::net::Endpoint& ep) {
  return core::Error{core::ErrorCode::System, fmt::format("{} {}: {}", what, ep.to_string(), std::strerror(errno))};
}

// set_bypass installs the per-socket policy "no IPsec" in both directions,
// so IKE/KINK datagrams are exempt from the SPD (XFRM and KAME semantics).
core::Status set_bypass(int fd, bool v6) {
  int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
  int opt = v6 ? IPV6_XFRM_POLICY : IP_XFRM_POLICY;
  for (std::uint8_t dir : {XFRM_POLICY_IN, XFRM_POLICY_OUT}) {
    xfrm_userpolicy_info pol{};
    pol.action = XFRM_POLICY_ALLOW;
    pol.sel.family = v6 ? AF_INET6 : AF_INET;
    pol.dir = dir;
    if (setsockopt(fd, level, opt, &pol, sizeof pol) < 0)
      return core::fail(core::ErrorCode::System, "setting the per-socket IPsec bypass policy: {}",
                        std::strerror(errno));
  }
  return core::ok();
}

}  // namespace

core::Result<std::unique_ptr<UdpSocket>> UdpSocket::open(core::Loop& loop, const Options& opts, Receiver rx) {
  std::unique_ptr<UdpSocket> s(new UdpSocket(loop, opts, std::move(rx)));
  bool v6 = opts.bind.is_v6();
  core::net::Endpoint ep{opts.bind, opts.port};
  s->fd_ = core::UniqueFd(socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (s->fd_.get() < 0) return core::fail(sys_error("socket for", ep));
  int fd = s->fd_.get();
  int one = 1;
  if (v6) {
    // An IPv6 socket carries IPv6 only; IPv4 gets its own socket.
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one) < 0)
      return core::fail(sys_error("IPV6_RECVPKTINFO on", ep));
  } else if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) < 0) {
    return core::fail(sys_error("IP_PKTINFO on", ep));
  }
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (opts.mark != 0 && setsockopt(fd, SOL_SOCKET, SO_MARK, &opts.mark, sizeof opts.mark) < 0)
    return core::fail(core::ErrorCode::System, "setsockopt SO_MARK on port {}: {}", opts.port, std::strerror(errno));
  if (opts.bypass_ipsec)
    if (auto st = set_bypass(fd, v6); !st) return core::fail(st.error());
  sockaddr_storage ss{};
  socklen_t len = opts.bind.to_sockaddr(ss, opts.port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) return core::fail(sys_error("bind", ep));
  s->buf_.resize(kMaxDatagram);
  UdpSocket* self = s.get();
  if (auto st = loop.add_fd(fd, EPOLLIN, [self](std::uint32_t) { self->on_readable(); }); !st)
    return core::fail(st.error());
  KLOG(Net, Info, "listening on {}{}", ep.to_string(), opts.nat_t_marker ? " (NAT-T)" : "");
  return s;
}

UdpSocket::~UdpSocket() {
  if (fd_.get() >= 0) (void)loop_.remove_fd(fd_.get());
}

void UdpSocket::on_readable() {
  // Drain a bounded batch per wake-up so one busy socket cannot starve others.
  for (int batch = 0; batch < 64; ++batch) {
    sockaddr_storage from{};
    alignas(cmsghdr) char control[256];
    iovec iov{buf_.data(), buf_.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        KLOG(Net, Warn, "recvmsg on port {}: {}", opts_.port, std::strerror(errno));
      return;
    }
    core::net::Endpoint remote{core::net::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&from)), 0};
    remote.port = ntohs(from.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&from)->sin6_port
                                                   : reinterpret_cast<sockaddr_in*>(&from)->sin_port);
    core::net::Endpoint local{opts_.bind, opts_.port};
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo pi;
        std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
        local.addr = *core::net::Address::from_bytes({reinterpret_cast<const std::uint8_t*>(&pi.ipi_addr), 4});
      } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo pi;
        std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
        local.addr = *core::net::Address::from_bytes({reinterpret_cast<const std::uint8_t*>(&pi.ipi6_addr), 16});
        if (local.addr.is_link_local()) local.addr.set_scope_id(pi.ipi6_ifindex);
      }
    }
    std::span<const std::uint8_t> data(buf_.data(), static_cast<std::size_t>(n));
    if (opts_.nat_t_marker) {
      // RFC 3948 §2.2: IKE on 4500 starts with four zero octets; a 1-octet
      // 0xff is a NAT-keepalive; anything else is ESP, not ours here.
      if (data.size() == 1 && data[0] == 0xff) continue;
      if (data.size() < 4 || std::memcmp(data.data(), kNonEspMarker, 4) != 0) {
        if (esp_rx_ && data.size() >= 8) {
          esp_rx_(data, local, remote);
          continue;
        }
        KLOG(Net, Debug, "non-IKE datagram on port {} from {} dropped", opts_.port, remote.to_string());
        continue;
      }
      data = data.subspan(4);
    }
    ++received_;
    rx_(data, local, remote);
  }
}

core::Status UdpSocket::send(std::span<const std::uint8_t> data, const core::net::Endpoint& local,
                             const core::net::Endpoint& remote) {
  return send_impl(data, local, remote, opts_.nat_t_marker);
}

core::Status UdpSocket::send_esp(std::span<const std::uint8_t> esp, const core::net::Endpoint& local,
                                 const core::net::Endpoint& remote) {
  return send_impl(esp, local, remote, false);
}

core::Status UdpSocket::send_impl(std::span<const std::uint8_t> data, const core::net::Endpoint& local,
                                  const core::net::Endpoint& remote, bool marker_first) {
  sockaddr_storage to{};
  socklen_t tolen = remote.addr.to_sockaddr(to, remote.port);
  std::uint8_t marker[4] = {0, 0, 0, 0};
  iovec iov[2];
  int n_iov = 0;
  if (marker_first) iov[n_iov++] = {marker, 4};
  iov[n_iov++] = {const_cast<std::uint8_t*>(data.data()), data.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
  msghdr msg{};
  msg.msg_name = &to;
  msg.msg_namelen = tolen;
  msg.msg_iov = iov;
  msg.msg_iovlen = static_cast<std::size_t>(n_iov);
  if (!local.addr.is_unspecified()) {
    // Send from the address the peer used, not whatever routing picks.
    msg.msg_control = control;
    cmsghdr* c = reinterpret_cast<cmsghdr*>(control);
    if (local.addr.is_v6()) {
      in6_pktinfo pi{};
      std::memcpy(&pi.ipi6_addr, local.addr.bytes().data(), 16);
      pi.ipi6_ifindex = local.addr.scope_id();
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof pi);
      std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
      msg.msg_controllen = CMSG_SPACE(sizeof pi);
    } else {
      in_pktinfo pi{};
      std::memcpy(&pi.ipi_spec_dst, local.addr.bytes().data(), 4);
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof pi);
      std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
      msg.msg_controllen = CMSG_SPACE(sizeof pi);
    }
  }
  for (;;) {
    if (sendmsg(fd_.get(), &msg, MSG_DONTWAIT) >= 0) return core::ok();
    if (errno == EINTR) continue;
    return core::fail(core::ErrorCode::System, "send {} -> {}: {}", local.to_string(), remote.to_string(),
                      std::strerror(errno));
  }
}

}  // namespace kagid
