// policy/reqid.h — reqid allocation. A reqid ties a kernel policy's template
// to the SAs negotiated for it. Configured reqids are reserved as given;
// allocated ones come from a range well above what people configure by hand
// (racoon2 users write small numbers), and are reused after release.
#pragma once

#include <cstdint>
#include <set>

#include "core/result.h"

namespace policy {

class ReqidAllocator {
 public:
  // Allocated reqids start above the small numbers people configure; the
  // range is wide because one home agent needs several per mobile node.
  static constexpr std::uint32_t kFirst = 0x1000;
  static constexpr std::uint32_t kLast = 0x0fffffff;

  // reserve marks a configured reqid used; Exists if it already is.
  core::Status reserve(std::uint32_t reqid);
  // allocate returns a free reqid from the allocation range.
  core::Result<std::uint32_t> allocate();
  void release(std::uint32_t reqid);
  bool used(std::uint32_t reqid) const { return used_.count(reqid) != 0; }
  void clear() { used_.clear(); next_ = kFirst; }

 private:
  std::set<std::uint32_t> used_;
  std::uint32_t next_ = kFirst;
};

}  // namespace policy
