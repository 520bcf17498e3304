// kernel/xfrm/socket.h — one NETLINK_XFRM socket (libmnl), for requests or
// for multicast events.
//
// Requests are synchronous: send, then read the replies carrying the
// request's sequence number until the ACK, NLMSG_DONE or an error, with a
// receive timeout so a lost answer cannot hang the caller. That is fine at
// start-up; in the event loop it should become non-blocking (a pending
// request table keyed by sequence number), see docs/kernel-xfrm.md.
#pragma once

#include <libmnl/libmnl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/wire/reader.h"
#include "kernel/xfrm/netlink.h"

namespace kernel::xfrm {

// ReplyHandler receives each data message of a request's answer.
using ReplyHandler = std::function<core::Status(const NlHeader&, core::wire::Reader payload)>;

// NlSocket owns one mnl_socket and its receive buffer (allocated once).
class NlSocket {
 public:
  // open creates a NETLINK_XFRM socket bound to the multicast groups in
  // `groups` (bit g-1 for XFRMNLGRP g; 0 for a request socket), with
  // extended ACKs. An event socket is non-blocking with a large buffer.
  static core::Result<NlSocket> open(std::uint32_t groups, bool nonblocking);

  int fd() const;
  std::uint32_t portid() const;

  // request sends msg (stamping a fresh sequence number) and hands every
  // reply message to on_reply. It fails with Error{Kernel, "<op>: ..."}
  // when the kernel answers an error, Timeout when it does not answer,
  // State when a dump was interrupted by a concurrent change (retry it).
  core::Status request(NlMessage& msg, std::string_view op, const ReplyHandler& on_reply = {});
  // last_errno is the errno the kernel answered the last request with (0:
  // success or a failure that was not the kernel's).
  int last_errno() const { return last_errno_; }

  // receive reads one datagram without blocking: empty when nothing is
  // queued. An overrun (ENOBUFS: events were lost, the socket stays
  // usable) is counted in overruns() and reading goes on. The view is
  // valid until the next receive or request.
  core::Result<std::span<const std::uint8_t>> receive();
  std::uint64_t overruns() const { return overruns_; }

 private:
  struct Closer {
    void operator()(mnl_socket* s) const { mnl_socket_close(s); }
  };
  std::unique_ptr<mnl_socket, Closer> sock_;
  std::vector<std::uint8_t> buf_;
  std::uint32_t seq_ = 0;
  int last_errno_ = 0;
  std::uint64_t overruns_ = 0;
};

}  // namespace kernel::xfrm
