// daemon/backend.h — choosing and opening a kernel backend for kagid.
#pragma once

#include <memory>
#include <string>

#include "core/clock/clock.h"
#include "core/ipsec/kernel.h"
#include "core/loop/loop.h"
#include "core/result.h"

namespace kagid {

// Backend is an opened kernel interface with its event socket, if any,
// registered on the loop.
class Backend {
 public:
  // open starts the named backend ("xfrm", "pfkey", "userspace", "fake").
  // Fails with a message that says what is missing and what to use instead.
  static core::Result<std::unique_ptr<Backend>> open(const std::string& name, core::Loop& loop);
  ~Backend();

  core::ipsec::Kernel& kernel() { return *kernel_; }
  const std::string& name() const { return name_; }

 private:
  Backend(core::Loop& loop) : loop_(loop) {}
  core::Loop& loop_;
  std::string name_;
  std::unique_ptr<core::ipsec::Kernel> kernel_;
  int event_fd_ = -1;
};

}  // namespace kagid
