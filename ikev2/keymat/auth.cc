// ikev2/keymat/auth.cc — shared-key AUTH (RFC 7296 §2.15).
#include "ikev2/keymat/auth.h"

#include <string_view>

namespace ikev2 {

using core::crypto::SecureBytes;

core::Result<SecureBytes> psk_auth(const core::crypto::Prf& prf, std::span<const std::uint8_t> psk,
                                   const SignedOctets& octets) {
  const std::string_view pad(kKeyPad);
  const std::span<const std::uint8_t> pad_bytes(reinterpret_cast<const std::uint8_t*>(pad.data()),
                                                pad.size());
  auto maced_id = prf.compute(octets.sk_p, octets.id_body);
  if (!maced_id) return tl::unexpected(maced_id.error());
  auto key = prf.compute(psk, pad_bytes);
  if (!key) return tl::unexpected(key.error());
  // Feed the three parts to one keyed context instead of concatenating
  // RealMessage, which may be a kilobyte with a large KE payload.
  auto mac = prf.keyed(*key);
  if (!mac) return tl::unexpected(mac.error());
  SecureBytes out(prf.output_size());
  if (auto s = (*mac)->update(octets.real_message); !s) return tl::unexpected(s.error());
  if (auto s = (*mac)->update(octets.peer_nonce); !s) return tl::unexpected(s.error());
  if (auto s = (*mac)->update(*maced_id); !s) return tl::unexpected(s.error());
  if (auto s = (*mac)->final(out.span()); !s) return tl::unexpected(s.error());
  return out;
}

bool verify_psk_auth(const core::crypto::Prf& prf, std::span<const std::uint8_t> psk,
                     const SignedOctets& octets, std::span<const std::uint8_t> received) {
  auto expected = psk_auth(prf, psk, octets);
  return expected && core::crypto::equal_ct(*expected, received);
}

}  // namespace ikev2
