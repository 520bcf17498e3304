// daemon/net/udp_socket.h — the UDP sockets IKEv2 (500/4500) and KINK (910)
// speak through.
//
// One UdpSocket per (address family, port), bound to the wildcard address
// with IP_PKTINFO / IPV6_RECVPKTINFO so each datagram tells which local
// address it arrived on and each reply leaves from the address it was sent
// to (interfaces may gain and lose addresses while kagid runs). Each socket
// carries a per-socket IPsec bypass policy (IP_XFRM_POLICY, as strongSwan
// and racoon2 do) so key management traffic is never caught by the SPD it
// manages. On a NAT-T port (4500) the RFC 3948 non-ESP marker is stripped
// on receive and added on send.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/loop/loop.h"
#include "core/loop/unique_fd.h"
#include "core/net/address.h"
#include "core/result.h"

namespace kagid {

class UdpSocket {
 public:
  // Receiver gets one datagram (marker already stripped), the local endpoint
  // it arrived at and the sender.
  using Receiver = std::function<void(std::span<const std::uint8_t> data, const core::net::Endpoint& local,
                                      const core::net::Endpoint& remote)>;

  struct Options {
    core::net::Address bind;   // wildcard or a specific address
    std::uint16_t port = 500;
    bool nat_t_marker = false; // RFC 3948 §2.2 non-ESP marker (port 4500)
    bool bypass_ipsec = true;  // per-socket bypass policy (needs CAP_NET_ADMIN)
    std::uint32_t mark = 0;    // SO_MARK, so policy routing can exempt our packets
  };

  // open creates, configures, binds and registers the socket on loop.
  static core::Result<std::unique_ptr<UdpSocket>> open(core::Loop& loop, const Options& opts, Receiver rx);
  ~UdpSocket();

  // send transmits data from local (its address picks the source; port must
  // be this socket's) to remote. Errors name the addresses and errno text.
  core::Status send(std::span<const std::uint8_t> data, const core::net::Endpoint& local,
                    const core::net::Endpoint& remote);
  // set_esp_receiver takes the UDP-encapsulated ESP packets (RFC 3948: the
  // first four octets are a non-zero SPI) a NAT-T socket receives, for a
  // userspace data plane; without one they are dropped.
  void set_esp_receiver(Receiver rx) { esp_rx_ = std::move(rx); }
  // send_esp transmits one UDP-encapsulated ESP packet (no marker).
  core::Status send_esp(std::span<const std::uint8_t> esp, const core::net::Endpoint& local,
                        const core::net::Endpoint& remote);
  std::uint16_t port() const { return opts_.port; }
  core::net::Family family() const { return opts_.bind.family(); }
  const core::net::Address& bound() const { return opts_.bind; }
  std::uint64_t received() const { return received_; }

 private:
  UdpSocket(core::Loop& loop, Options opts, Receiver rx) : loop_(loop), opts_(opts), rx_(std::move(rx)) {}
  void on_readable();
  core::Status send_impl(std::span<const std::uint8_t> data, const core::net::Endpoint& local,
                         const core::net::Endpoint& remote, bool marker_first);

  core::Loop& loop_;
  Options opts_;
  Receiver rx_;
  Receiver esp_rx_;
  core::UniqueFd fd_;
  std::vector<std::uint8_t> buf_;
  std::uint64_t received_ = 0;
};

}  // namespace kagid
