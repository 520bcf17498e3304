// fuzz_xfrm_migrate — XFRM_MSG_MIGRATE payloads (the kernel's broadcast
// and a mobility daemon's request) through decode_migrate, with the round
// trip decode(encode(decode(x))) == decode(x).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "kernel/xfrm/decode.h"
#include "kernel/xfrm/encode.h"
#include "tests/fuzz/kernel/xfrm_compare.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto first = kernel::xfrm::decode_migrate(core::wire::Reader({data, size}));
  if (!first) return 0;
  kernel::xfrm::NlMessage m;
  if (!kernel::xfrm::encode_migrate(m, *first)) return 0;
  auto second = kernel::xfrm::decode_migrate(core::wire::Reader(m.bytes().subspan(NLMSG_HDRLEN)));
  if (!second || !xfrm_test::same(*second, *first)) std::abort();
  return 0;
}
