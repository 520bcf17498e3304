#include "policy/reqid.h"

namespace policy {

core::Status ReqidAllocator::reserve(std::uint32_t reqid) {
  if (reqid == 0) return core::fail(core::ErrorCode::InvalidSyntax, "reqid 0 means 'none' and cannot be reserved");
  if (!used_.insert(reqid).second) return core::fail(core::ErrorCode::Exists, "reqid {} is used twice", reqid);
  return core::ok();
}

core::Result<std::uint32_t> ReqidAllocator::allocate() {
  // Walk from where the last allocation ended; wrap once.
  const std::uint32_t span = kLast - kFirst + 1;
  for (std::uint32_t i = 0; i < span; ++i) {
    std::uint32_t r = next_;
    next_ = next_ == kLast ? kFirst : next_ + 1;
    if (used_.insert(r).second) return r;
  }
  return core::fail(core::ErrorCode::Exists, "no free reqid in {}..{}", kFirst, kLast);
}

void ReqidAllocator::release(std::uint32_t reqid) { used_.erase(reqid); }

}  // namespace policy
