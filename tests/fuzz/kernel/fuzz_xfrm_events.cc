// fuzz_xfrm_events — a whole receive buffer of the event socket through
// decode_stream, and the same bytes as a bare ACQUIRE, EXPIRE, policy
// notification and netlink error. These messages come only from the
// kernel: kagi has no encoder for them, so there is no round trip here
// (fuzz_xfrm_sa, _policy and _migrate check those that have one).
#include <linux/xfrm.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/log/log.h"
#include "kernel/xfrm/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bool quiet = [] {
    core::log::set_level(core::log::Level::Error);
    return true;
  }();
  (void)quiet;
  std::span<const std::uint8_t> in(data, size);
  std::size_t events = 0;
  auto stats = kernel::xfrm::decode_stream(in, 1, [&](const core::ipsec::KernelEvent&) { ++events; });
  if (stats.events != events) std::abort();

  using core::wire::Reader;
  (void)kernel::xfrm::decode_acquire(Reader(in));
  (void)kernel::xfrm::decode_expire(Reader(in));
  for (std::uint16_t t : {XFRM_MSG_NEWPOLICY, XFRM_MSG_DELPOLICY, XFRM_MSG_POLEXPIRE})
    (void)kernel::xfrm::decode_policy_event(t, Reader(in));
  kernel::xfrm::NlHeader h;
  h.flags = size > 0 ? static_cast<std::uint16_t>(data[0] << 8) : 0;
  (void)kernel::xfrm::decode_error(h, Reader(in));
  return 0;
}
