// kernel/userspace/raw_sockets.h — ESP over raw IP protocol 50, and
// unprotected sends that bypass the TUN device.
//
// Four raw sockets, each with SO_MARK so the routing rule of routes.h
// keeps their packets out of the TUN device:
// - ESP, IPv4 and IPv6 (socket(AF_INET/AF_INET6, SOCK_RAW, IPPROTO_ESP)):
//   the kernel builds the outer header; the source address is chosen per
//   packet with IP_PKTINFO / IPV6_PKTINFO. On receive an IPv4 raw socket
//   delivers the IP header too, an IPv6 one only the payload, with the
//   destination from IPV6_RECVPKTINFO (raw(7), ipv6(7)).
// - clear, IPv4 and IPv6 (IPPROTO_RAW, header included): a packet read
//   from the TUN device that a Bypass policy (or no policy) lets pass goes
//   out through these exactly as it came.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/loop/unique_fd.h"
#include "core/net/address.h"
#include "core/result.h"

namespace kernel::userspace {

class RawSockets {
 public:
  // EspReceiver gets one ESP packet (from the SPI on; mutable, ESP
  // decrypts in place) with the outer source and destination.
  using EspReceiver = std::function<void(std::span<std::uint8_t> esp, const core::net::Address& src,
                                         const core::net::Address& dst)>;

  // open creates the four sockets, non-blocking, with SO_MARK = mark.
  // Fails with System ("socket(AF_INET6, SOCK_RAW, IPPROTO_ESP): ...")
  // without CAP_NET_RAW, or "SO_MARK: ..." without CAP_NET_ADMIN.
  static core::Result<RawSockets> open(std::uint32_t mark);

  // esp_fd is the receiving ESP socket of a family, for the loop.
  int esp_fd(core::net::Family f) const { return f == core::net::Family::V4 ? esp4_.get() : esp6_.get(); }

  // send_esp sends esp from src to dst over IP protocol 50.
  core::Status send_esp(std::span<const std::uint8_t> esp, const core::net::Address& src,
                        const core::net::Address& dst);
  // send_clear sends one whole IP packet (header included) as it is.
  core::Status send_clear(std::span<const std::uint8_t> packet, const core::net::Address& dst);
  // receive drains the ESP socket of family f, calling rx for each packet.
  // Packets too short or with an unreadable IPv4 header are dropped and
  // counted in malformed(). Fails with System on a socket error.
  core::Status receive(core::net::Family f, const EspReceiver& rx);
  std::uint64_t malformed() const { return malformed_; }

 private:
  RawSockets() = default;
  core::UniqueFd esp4_, esp6_, clear4_, clear6_;
  std::vector<std::uint8_t> buf_;
  std::uint64_t malformed_ = 0;
};

}  // namespace kernel::userspace
