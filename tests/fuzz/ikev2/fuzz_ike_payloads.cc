// tests/fuzz/ikev2/fuzz_ike_payloads.cc — libFuzzer target for
// decode_payload_chain, the parser of decrypted SK content. The first input
// octet picks the first payload type and the second the verify context
// (exchange type and R flag); the rest is the chain. A decoded chain must
// survive decode(encode(decode(x))) == decode(x).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "ikev2/wire/message.h"

using namespace ikev2::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  auto first = static_cast<PayloadType>(data[0]);
  VerifyContext ctx;
  if (data[1] & 0x80) {
    ctx.exchange = static_cast<ExchangeType>(34 + (data[1] & 0x03));
    ctx.response = (data[1] & 0x40) != 0;
  }
  std::span<const std::uint8_t> chain(data + 2, size - 2);
  auto payloads = decode_payload_chain(first, chain, ctx);
  if (!payloads) return 0;
  auto encoded = encode_payload_chain(*payloads);
  auto again = decode_payload_chain(encoded.first, encoded.bytes, ctx);
  if (!again || !(*again == *payloads)) std::abort();
  (void)describe_payloads(*payloads);
  return 0;
}
