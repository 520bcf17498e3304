// tests/fuzz/kink/fuzz_kink_isakmp.cc — libFuzzer target for the ISAKMP
// Quick Mode chain inside KINK_ISAKMP (RFC 4430 §4.2.6, RFC 2408 §3). The
// first input octet is the first payload type (InnerNextPload); the rest is
// the chain. A decoded chain must survive decode(encode(decode(x))) == decode(x).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "kink/wire/isakmp_chain.h"

using namespace kink::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  auto first = static_cast<isakmp::PayloadType>(data[0]);
  std::span<const std::uint8_t> chain(data + 1, size - 1);
  auto payloads = isakmp::decode_chain(first, chain);
  if (!payloads) return 0;
  auto encoded = isakmp::encode_chain(*payloads);
  auto again = isakmp::decode_chain(encoded.first, encoded.bytes);
  if (!again || !(*again == *payloads)) std::abort();
  (void)isakmp::describe_chain(*payloads);
  return 0;
}
