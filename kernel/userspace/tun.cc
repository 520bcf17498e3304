// kernel/userspace/tun.cc — TUN device creation and packet I/O.
#include "kernel/userspace/tun.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/log/log.h"

namespace kernel::userspace {

using core::ErrorCode;
using core::fail;

namespace {

// kMaxPacket is the largest IP packet a TUN read can return (an IPv4 or
// non-jumbo IPv6 packet is at most 65535 octets plus the IPv6 header).
constexpr std::size_t kMaxPacket = 65535 + 40;

}  // namespace

core::Result<TunDevice> TunDevice::open(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ || name.find('/') != std::string::npos)
    return fail(ErrorCode::InvalidSyntax, "TUN device name '{}': 1 to {} characters, no '/'", name,
                IFNAMSIZ - 1);
  core::UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return fail(ErrorCode::System, "open /dev/net/tun: {}", std::strerror(errno));
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0)
    return fail(ErrorCode::System, "TUNSETIFF {}: {}", name, std::strerror(errno));
  std::string actual(ifr.ifr_name, ::strnlen(ifr.ifr_name, IFNAMSIZ));
  unsigned ifindex = ::if_nametoindex(actual.c_str());
  if (ifindex == 0) return fail(ErrorCode::System, "if_nametoindex {}: {}", actual, std::strerror(errno));
  KLOG(Knl, Diag, "userspace: TUN device {} (ifindex {}) open", actual, ifindex);
  return TunDevice(std::move(fd), std::move(actual), ifindex);
}

core::Result<bool> TunDevice::read(std::vector<std::uint8_t>& buf) {
  buf.resize(kMaxPacket);
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf.data(), buf.size());
    if (n >= 0) {
      buf.resize(static_cast<std::size_t>(n));
      return true;
    }
    if (errno == EINTR) continue;
    buf.clear();
    if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
    return fail(ErrorCode::System, "read {}: {}", name_, std::strerror(errno));
  }
}

core::Status TunDevice::write(std::span<const std::uint8_t> packet) {
  for (;;) {
    ssize_t n = ::write(fd_.get(), packet.data(), packet.size());
    if (n >= 0) return core::ok();
    if (errno == EINTR) continue;
    return fail(ErrorCode::System, "write {}: {}", name_, std::strerror(errno));
  }
}

}  // namespace kernel::userspace
