// daemon/backend.h — choosing and opening a kernel backend for kagid.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock/clock.h"
#include "core/ipsec/kernel.h"
#include "core/loop/loop.h"
#include "core/result.h"

namespace kagid {

class IkeService;

// Backend is an opened kernel interface with its event socket, if any,
// registered on the loop.
class Backend {
 public:
  // open starts the named backend ("xfrm", "pfkey", "userspace", "fake").
  // Fails with a message that says what is missing and what to use instead.
  static core::Result<std::unique_ptr<Backend>> open(const std::string& name, core::Loop& loop);
  ~Backend();

  core::ipsec::Kernel& kernel() { return *kernel_; }
  // socket_mark is the SO_MARK kagid's own sockets carry so that a
  // userspace data plane's policy routing lets them pass (0: none needed).
  std::uint32_t socket_mark() const { return socket_mark_; }
  // attach_udp_esp connects a userspace data plane to the NAT-T sockets:
  // ESP-in-UDP (RFC 3948) shares port 4500 with IKE. No-op for kernels
  // that decapsulate ESP themselves.
  void attach_udp_esp(IkeService& ike);
  // statistics are the data plane's counters (userspace backend), else {}.
  nlohmann::json statistics() const;
  const std::string& name() const { return name_; }

 private:
  Backend(core::Loop& loop) : loop_(loop) {}
  core::Loop& loop_;
  std::string name_;
  std::unique_ptr<core::ipsec::Kernel> kernel_;
  int event_fd_ = -1;
  std::uint32_t socket_mark_ = 0;
};

}  // namespace kagid
