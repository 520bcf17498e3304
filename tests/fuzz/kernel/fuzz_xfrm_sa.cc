// fuzz_xfrm_sa — XFRM_MSG_NEWSA payloads (what GETSA, the SA dump and
// ALLOCSPI answer) through decode_sa, and the round trip
// decode(encode(decode(x))) == decode(x) whenever the decoded SA encodes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "kernel/xfrm/decode.h"
#include "kernel/xfrm/encode.h"
#include "tests/fuzz/kernel/xfrm_compare.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto first = kernel::xfrm::decode_sa(core::wire::Reader({data, size}));
  if (!first) return 0;
  kernel::xfrm::NlMessage m;
  if (!kernel::xfrm::encode_add_sa(m, first->info.spec, false)) return 0;
  auto bytes = m.bytes().subspan(NLMSG_HDRLEN);
  auto second = kernel::xfrm::decode_sa(core::wire::Reader(bytes));
  if (!second || !xfrm_test::same(second->info.spec, first->info.spec)) std::abort();
  return 0;
}
