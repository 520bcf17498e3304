#include "daemon/backend.h"

#include <sys/epoll.h>

#include "core/crypto/random.h"
#include "core/log/log.h"
#include "kernel/fake/fake_kernel.h"
#include "kernel/pfkey/pfkey_kernel.h"
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
    return core::fail(core::ErrorCode::Unsupported,
                      "backend 'userspace' (kagi's own ESP data plane) is not built yet; use xfrm or fake");
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

void Backend::attach_udp_esp(IkeService& ike) { (void)ike; }

Backend::~Backend() {
  if (event_fd_ >= 0) (void)loop_.remove_fd(event_fd_);
}

}  // namespace kagid
