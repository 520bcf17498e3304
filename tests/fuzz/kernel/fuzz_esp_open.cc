// fuzz_esp_open — EspSa::open (kernel/userspace/esp) on arbitrary input, for
// three fixed SAs: NULL + HMAC-SHA1-96 and AES-GCM-16 (what a peer could
// really send to), and NULL with no integrity, the only one whose trailer
// and padding checks random input can reach. open must never crash; what
// it accepts must survive a round trip: sealing the opened payload again
// (a twin outbound SA) and opening that (a fresh inbound SA) must give the
// same next header and payload: decode(encode(decode(x))) == decode(x).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "core/crypto/transform_ids.h"
#include "core/ipsec/types.h"
#include "kernel/userspace/esp/esp_sa.h"

namespace {

using core::crypto::EncrId;
using core::crypto::IntegId;
using kernel::userspace::EspSa;

constexpr std::uint32_t kSpi = 0x00001000;

core::ipsec::SaSpec spec(std::uint16_t enc, std::size_t enc_key, std::uint16_t integ,
                         std::size_t integ_key, bool esn) {
  core::ipsec::SaSpec s;
  s.spi = kSpi;
  s.esn = esn;
  s.replay_window = 64;
  s.enc.id = enc;
  s.enc.key.assign(enc_key, 0x5a);
  s.integ.id = integ;
  s.integ.key.assign(integ_key, 0xa5);
  return s;
}

std::unique_ptr<EspSa> make(const core::ipsec::SaSpec& s) {
  auto sa = EspSa::create(s);
  if (!sa) std::abort();
  return std::move(*sa);
}

void run(const core::ipsec::SaSpec& s, std::span<const std::uint8_t> input) {
  // A fresh SA per input keeps runs reproducible (the window is state).
  auto rx = make(s);
  std::vector<std::uint8_t> packet(input.begin(), input.end());
  auto r = rx->open(packet);
  if (!r) return;
  if (r->inner.size() > packet.size() || r->seq == 0) std::abort();
  const std::vector<std::uint8_t> inner(r->inner.begin(), r->inner.end());
  auto tx = make(s);
  std::vector<std::uint8_t> again;
  if (!tx->seal(inner, r->next_header, again)) std::abort();
  auto rx2 = make(s);
  auto r2 = rx2->open(again);
  if (!r2 || r2->next_header != r->next_header ||
      !std::equal(r2->inner.begin(), r2->inner.end(), inner.begin(), inner.end()))
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  for (bool esn : {false, true}) {
    run(spec(EncrId::Null, 0, IntegId::HmacSha1_96, 20, esn), in);
    run(spec(EncrId::AesGcm16, 20, IntegId::None, 0, esn), in);
    run(spec(EncrId::Null, 0, IntegId::None, 0, esn), in);
  }
  return 0;
}
