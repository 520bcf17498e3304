// kernel/userspace/tun.h — the TUN device protected traffic is routed into.
//
// A layer-3 device (IFF_TUN) without the packet-information prefix
// (IFF_NO_PI): each read() returns one IPv4 or IPv6 packet the local stack
// routed to it, each write() injects one as if it had arrived on it
// (Documentation/networking/tuntap.rst). The device lives as long as its
// descriptor: closing it removes the device and every route through it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/loop/unique_fd.h"
#include "core/result.h"

namespace kernel::userspace {

class TunDevice {
 public:
  // open creates the device `name` (at most IFNAMSIZ-1 characters) and
  // opens it non-blocking, close-on-exec. Fails with System ("open
  // /dev/net/tun: ..." or "TUNSETIFF kagi0: ...") when TUN is missing or
  // CAP_NET_ADMIN is lacking, InvalidSyntax for a bad name.
  static core::Result<TunDevice> open(const std::string& name);

  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }
  // ifindex is the device's interface index, for rtnetlink.
  unsigned ifindex() const { return ifindex_; }

  // read takes one packet into buf (resized to it) and returns true; false
  // when nothing is queued (EAGAIN). Fails with System on a read error.
  core::Result<bool> read(std::vector<std::uint8_t>& buf);
  // write injects one IP packet. Fails with System ("write kagi0: ...").
  core::Status write(std::span<const std::uint8_t> packet);

 private:
  TunDevice(core::UniqueFd fd, std::string name, unsigned ifindex)
      : fd_(std::move(fd)), name_(std::move(name)), ifindex_(ifindex) {}
  core::UniqueFd fd_;
  std::string name_;
  unsigned ifindex_ = 0;
};

}  // namespace kernel::userspace
