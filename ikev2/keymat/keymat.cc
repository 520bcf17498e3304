// ikev2/keymat/keymat.cc — IKE_SA and CHILD_SA key derivation.
#include "ikev2/keymat/keymat.h"

namespace ikev2 {

namespace {

using core::crypto::Prf;

void put_u64(SecureBytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// take moves the next n bytes of keymat, from offset off, into a new buffer.
SecureBytes take(const SecureBytes& keymat, std::size_t& off, std::size_t n) {
  SecureBytes out(keymat.subspan(off, n));
  off += n;
  return out;
}

}  // namespace

core::Result<SecureBytes> skeyseed(const Prf& prf, std::span<const std::uint8_t> ni,
                                   std::span<const std::uint8_t> nr,
                                   std::span<const std::uint8_t> g_ir) {
  SecureBytes key = core::crypto::skeyseed_key(prf, ni, nr);
  return prf.compute(key, g_ir);
}

core::Result<SecureBytes> rekey_skeyseed(const Prf& old_prf, std::span<const std::uint8_t> old_sk_d,
                                         std::span<const std::uint8_t> g_ir_new,
                                         std::span<const std::uint8_t> ni,
                                         std::span<const std::uint8_t> nr) {
  SecureBytes data;
  data.reserve(g_ir_new.size() + ni.size() + nr.size());
  data.append(g_ir_new);
  data.append(ni);
  data.append(nr);
  return old_prf.compute(old_sk_d, data);
}

core::Result<IkeKeys> derive_ike_keys(const Prf& prf, std::span<const std::uint8_t> seed,
                                      std::span<const std::uint8_t> ni,
                                      std::span<const std::uint8_t> nr, std::uint64_t spi_i,
                                      std::uint64_t spi_r, const IkeKeySizes& sizes) {
  SecureBytes s;
  s.reserve(ni.size() + nr.size() + 16);
  s.append(ni);
  s.append(nr);
  put_u64(s, spi_i);
  put_u64(s, spi_r);
  auto keymat = core::crypto::prf_plus(prf, seed, s, sizes.total());
  if (!keymat) return tl::unexpected(keymat.error());
  IkeKeys k;
  std::size_t off = 0;
  k.sk_d = take(*keymat, off, sizes.prf_key);
  k.sk_ai = take(*keymat, off, sizes.integ_key);
  k.sk_ar = take(*keymat, off, sizes.integ_key);
  k.sk_ei = take(*keymat, off, sizes.encr_key);
  k.sk_er = take(*keymat, off, sizes.encr_key);
  k.sk_pi = take(*keymat, off, sizes.prf_key);
  k.sk_pr = take(*keymat, off, sizes.prf_key);
  return k;
}

core::Result<SecureBytes> child_keymat(const Prf& prf, std::span<const std::uint8_t> sk_d,
                                       std::optional<std::span<const std::uint8_t>> g_ir_new,
                                       std::span<const std::uint8_t> ni,
                                       std::span<const std::uint8_t> nr, std::size_t length) {
  SecureBytes s;
  s.reserve((g_ir_new ? g_ir_new->size() : 0) + ni.size() + nr.size());
  if (g_ir_new) s.append(*g_ir_new);
  s.append(ni);
  s.append(nr);
  return core::crypto::prf_plus(prf, sk_d, s, length);
}

core::Result<ChildKeys> derive_child_keys(const Prf& prf, std::span<const std::uint8_t> sk_d,
                                          std::optional<std::span<const std::uint8_t>> g_ir_new,
                                          std::span<const std::uint8_t> ni,
                                          std::span<const std::uint8_t> nr,
                                          const ChildKeySizes& sizes) {
  auto keymat = child_keymat(prf, sk_d, g_ir_new, ni, nr, 2 * (sizes.encr_key + sizes.integ_key));
  if (!keymat) return tl::unexpected(keymat.error());
  ChildKeys k;
  std::size_t off = 0;
  k.encr_i = take(*keymat, off, sizes.encr_key);
  k.integ_i = take(*keymat, off, sizes.integ_key);
  k.encr_r = take(*keymat, off, sizes.encr_key);
  k.integ_r = take(*keymat, off, sizes.integ_key);
  return k;
}

}  // namespace ikev2
