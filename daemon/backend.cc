#include "daemon/backend.h"

#include <sys/epoll.h>

#include "core/crypto/random.h"
#include "core/log/log.h"
#include "kernel/fake/fake_kernel.h"
#include "daemon/ike_service.h"
#include "kernel/pfkey/pfkey_kernel.h"
#include "kernel/userspace/userspace_kernel.h"
#include "kernel/xfrm/xfrm_kernel.h"

namespace kagid {

core::Result<std::unique_ptr<Backend>> Backend::open(const std::string& name, core::Loop& loop) {
  std::unique_ptr<Backend> b(new Backend(loop));
  b->name_ = name;
  if (name == "xfrm") {
    auto k = kernel::xfrm::XfrmKernel::open();
    if (!k) return core::fail(k.error());
    auto* raw = k->get();
    b->event_fd_ = raw->event_fd();
    if (auto st = loop.add_fd(b->event_fd_, EPOLLIN, [raw](std::uint32_t) { raw->on_readable(); }); !st)
      return core::fail(st.error());
    b->kernel_ = std::move(*k);
  } else if (name == "pfkey") {
    auto k = kernel::pfkey::PfkeyKernel::open(kernel::pfkey::Flavor::Linux);
    if (!k) return core::fail(k.error());
    auto* raw = k->get();
    b->event_fd_ = raw->event_fd();
    if (auto st = loop.add_fd(b->event_fd_, EPOLLIN, [raw](std::uint32_t) { raw->on_readable(); }); !st)
      return core::fail(st.error());
    b->kernel_ = std::move(*k);
  } else if (name == "fake") {
    // In-memory SAD/SPD: for trying configurations and for tests. Nothing
    // reaches the kernel.
    // A random seed: two kagid with fake backends must not pick equal SPIs.
    static core::SystemClock clock;
    kernel::FakeKernelOptions fo;
    core::crypto::SystemRng rng;
    rng.fill({reinterpret_cast<std::uint8_t*>(&fo.seed), sizeof fo.seed});
    b->kernel_ = std::make_unique<kernel::FakeKernel>(clock, loop.timers(), fo);
  } else if (name == "userspace") {
    // kagi's own ESP data plane: SAD/SPD in kagid, traffic through a TUN
    // device, policy routing that kagid's own (marked) sockets bypass.
    auto k = kernel::userspace::UserspaceKernel::open(loop, kernel::userspace::Options{});
    if (!k) return core::fail(k.error());
    b->socket_mark_ = (*k)->socket_mark();
    b->kernel_ = std::move(*k);
  } else {
    return core::fail(core::ErrorCode::Config, "unknown backend '{}': use xfrm, pfkey, userspace or fake", name);
  }
  auto caps = b->kernel_->capabilities();
  KLOG(Knl, Info, "backend {}: esp {}, migrate {}, migrate_state {}, km_address {}", name,
       caps.esp ? "yes" : "no", caps.migrate ? "yes" : "no", caps.migrate_state ? "yes" : "no",
       caps.km_address ? "yes" : "no");
  if (!caps.esp)
    KLOG(Knl, Warn, "the kernel cannot hold ESP SAs (no ESP support): policies work, SAs will fail to install; "
                    "use --backend userspace for traffic");
  return b;
}

void Backend::attach_udp_esp(IkeService& ike) {
  auto* usp = dynamic_cast<kernel::userspace::UserspaceKernel*>(kernel_.get());
  if (usp == nullptr) return;
  ike.set_udp_esp_receiver([usp](std::span<const std::uint8_t> esp, const core::net::Endpoint& local,
                                 const core::net::Endpoint& remote) { usp->on_udp_esp(esp, local, remote); });
  usp->set_udp_sender([&ike](std::span<const std::uint8_t> esp, const core::net::Endpoint& local,
                             const core::net::Endpoint& remote) { ike.send_udp_esp(esp, local, remote); });
}

nlohmann::json Backend::statistics() const {
  nlohmann::json out = nlohmann::json::object();
  if (const auto* usp = dynamic_cast<const kernel::userspace::UserspaceKernel*>(kernel_.get()))
    for (const auto& [name, value] : usp->statistics().named()) out[std::string(name)] = value;
  return out;
}

Backend::~Backend() {
  if (event_fd_ >= 0) (void)loop_.remove_fd(event_fd_);
}

}  // namespace kagid
