// tests/fuzz/ikev2/fuzz_ike_message.cc — libFuzzer target for decode_message.
// Any input must decode or fail cleanly; a decoded message must survive
// decode(encode(decode(x))) == decode(x).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "ikev2/wire/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto m = ikev2::wire::decode_message(std::span<const std::uint8_t>(data, size));
  if (!m) return 0;
  auto wire = ikev2::wire::encode_message(*m);
  auto again = ikev2::wire::decode_message(wire);
  if (!again || !(*again == *m)) std::abort();
  (void)ikev2::wire::describe(*m);
  return 0;
}
