// fuzz_xfrm_policy — XFRM_MSG_NEWPOLICY payloads (the policy dump) through
// decode_policy, with the round trip decode(encode(decode(x))) == decode(x).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "kernel/xfrm/decode.h"
#include "kernel/xfrm/encode.h"
#include "tests/fuzz/kernel/xfrm_compare.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto first = kernel::xfrm::decode_policy(core::wire::Reader({data, size}));
  if (!first) return 0;
  kernel::xfrm::NlMessage m;
  if (!kernel::xfrm::encode_policy(m, *first, false)) return 0;
  auto second = kernel::xfrm::decode_policy(core::wire::Reader(m.bytes().subspan(NLMSG_HDRLEN)));
  if (!second || !xfrm_test::same(*second, *first)) std::abort();
  return 0;
}
