// tests/fuzz/kink/fuzz_kink_message.cc — libFuzzer target for
// decode_message (a KINK datagram, RFC 4430 §4) and, on the same octets,
// decode_encrypt_plaintext (decrypted KINK_ENCRYPT content) and
// checksum_input. Whatever decodes must survive
// decode(encode(decode(x))) == decode(x).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "kink/wire/message.h"

using namespace kink::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  if (auto m = decode_message(in)) {
    auto again = decode_message(encode_message(*m));
    if (!again || !(*again == *m)) std::abort();
    // A decoded message always has a well-formed checksum input.
    if (!checksum_input(in)) std::abort();
    (void)describe(*m);
  }
  if (auto inner = decode_encrypt_plaintext(in)) {
    auto again = decode_encrypt_plaintext(encode_encrypt_plaintext(*inner));
    if (!again || !(*again == *inner)) std::abort();
    (void)describe_payloads(*inner);
  }
  return 0;
}
