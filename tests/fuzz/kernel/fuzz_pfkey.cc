// fuzz_pfkey — PF_KEY v2 messages (kernel/pfkey) in both dialects: the
// input is decoded as one message and as a stream; every message that
// decodes must encode (every PF_KEY message type has an encoding at the
// Message level) and decode(encode(decode(x))) == decode(x) must hold.
// The value mappings then run on it and must refuse or accept, never crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "kernel/pfkey/message.h"
#include "kernel/pfkey/translate.h"

namespace {

void round_trip(const kernel::pfkey::Message& m, const kernel::pfkey::Dialect& d) {
  auto bytes = kernel::pfkey::encode_message(m, d);
  if (!bytes) std::abort();
  auto again = kernel::pfkey::decode_message(*bytes, d);
  if (!again || !(*again == m)) std::abort();
  (void)kernel::pfkey::event_of(m, d);
  (void)kernel::pfkey::sa_info_of(m, d);
  (void)kernel::pfkey::policy_of(m, d);
  (void)kernel::pfkey::migrate_of(m, d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  for (const auto& d : {kernel::pfkey::Dialect::linux_af_key(), kernel::pfkey::Dialect::kame_netbsd(),
                        kernel::pfkey::Dialect::kame_freebsd()}) {
    if (auto m = kernel::pfkey::decode_message(in, d)) round_trip(*m, d);
    for (const auto& r : kernel::pfkey::decode_stream(in, d))
      if (r) round_trip(*r, d);
  }
  return 0;
}
