#include "kernel/xfrm/socket.h"

#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace kernel::xfrm {

namespace {

constexpr std::size_t kRecvBuffer = 65536;     // larger than any dump skb
constexpr int kEventSocketBuffer = 4 << 20;    // bursts of ACQUIREs at start-up
constexpr int kRequestTimeoutSeconds = 5;

core::Error system_error(std::string_view call) {
  return core::Error{core::ErrorCode::System, fmt::format("{}: {}", call, std::strerror(errno))};
}

}  // namespace

core::Result<NlSocket> NlSocket::open(std::uint32_t groups, bool nonblocking) {
  NlSocket s;
  int flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  s.sock_.reset(mnl_socket_open2(NETLINK_XFRM, flags));
  if (!s.sock_) return tl::unexpected(system_error("socket(NETLINK_XFRM)"));
  int on = 1;
  // Extended ACKs give the kernel's own reason ("Requested type not
  // found"); capped ACKs keep our request out of the error message.
  mnl_socket_setsockopt(s.sock_.get(), NETLINK_EXT_ACK, &on, sizeof(on));
  mnl_socket_setsockopt(s.sock_.get(), NETLINK_CAP_ACK, &on, sizeof(on));
  if (mnl_socket_bind(s.sock_.get(), groups, MNL_SOCKET_AUTOPID) < 0)
    return tl::unexpected(system_error("bind(NETLINK_XFRM)"));
  int fd = mnl_socket_get_fd(s.sock_.get());
  if (groups != 0) {
    int size = kEventSocketBuffer;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  }
  if (!nonblocking) {
    timeval tv{kRequestTimeoutSeconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  s.buf_.resize(kRecvBuffer);
  s.seq_ = static_cast<std::uint32_t>(std::time(nullptr));
  return s;
}

int NlSocket::fd() const { return mnl_socket_get_fd(sock_.get()); }
std::uint32_t NlSocket::portid() const { return mnl_socket_get_portid(sock_.get()); }

core::Status NlSocket::request(NlMessage& msg, std::string_view op, const ReplyHandler& on_reply) {
  if (auto st = msg.status(); !st) return st;
  last_errno_ = 0;
  std::uint32_t seq = ++seq_;
  msg.set_seq(seq);
  msg.set_pid(portid());
  auto out = msg.bytes();
  bool want_ack = msg.flags() & NLM_F_ACK;
  bool dump = msg.flags() & NLM_F_DUMP;
  if (mnl_socket_sendto(sock_.get(), out.data(), out.size()) < 0)
    return tl::unexpected(system_error(fmt::format("{}: send", op)));

  core::Status result = core::ok();
  bool interrupted = false;
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_.get(), buf_.data(), buf_.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return core::fail(core::ErrorCode::Timeout, "{}: no answer from the kernel in {} s", op,
                          kRequestTimeoutSeconds);
      return tl::unexpected(system_error(fmt::format("{}: receive", op)));
    }
    core::wire::Reader stream(std::span<const std::uint8_t>(buf_.data(), std::size_t(n)));
    NlHeader h;
    core::wire::Reader payload;
    while (next_message(stream, h, payload)) {
      if (h.seq != seq) continue;  // a late answer to an earlier request
      if (h.type == NLMSG_ERROR) {
        auto err = decode_error(h, payload);
        if (!err) return tl::unexpected(err.error());
        last_errno_ = err->error;
        if (err->error != 0) return tl::unexpected(kernel_error(op, err->error, err->message));
        return result;  // the ACK ends the request
      }
      if (h.type == NLMSG_DONE) {
        std::int32_t code = 0;
        if (host_i32(payload, code) && code < 0) {
          last_errno_ = -code;
          return tl::unexpected(kernel_error(op, -code));
        }
        if (interrupted)
          return core::fail(core::ErrorCode::State, "{}: dump interrupted by a change", op);
        return result;
      }
      if (h.type == NLMSG_NOOP) continue;
      if (h.flags & NLM_F_DUMP_INTR) interrupted = true;
      if (on_reply && result) result = on_reply(h, payload);
      if (!want_ack && !dump) return result;  // a single answer, no ACK follows
    }
    if (!stream.empty())
      return core::fail(core::ErrorCode::Malformed, "{}: broken netlink framing in the answer", op);
  }
}

core::Result<std::span<const std::uint8_t>> NlSocket::receive() {
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_.get(), buf_.data(), buf_.size());
    if (n >= 0) return std::span<const std::uint8_t>(buf_.data(), std::size_t(n));
    if (errno == EINTR) continue;
    if (errno == ENOBUFS) {
      ++overruns_;
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::span<const std::uint8_t>{};
    return tl::unexpected(system_error("receive XFRM events"));
  }
}

}  // namespace kernel::xfrm
