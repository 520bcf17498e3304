// core/crypto/prf.cc — IKEv2 PRFs and prf+.
#include "core/crypto/prf.h"

#include <algorithm>
#include <array>

namespace core::crypto {

namespace {

constexpr std::size_t kAesKey = 16;

// aes_prf_key applies the RFC 4434 §2 / RFC 4615 §3 key rules.
Result<SecureBytes> aes_prf_key(Prf::Kind kind, std::span<const std::uint8_t> key) {
  if (key.size() == kAesKey) return SecureBytes(key);
  if (kind == Prf::Kind::Aes128Xcbc && key.size() < kAesKey) {
    SecureBytes padded(kAesKey);  // RFC 4434: pad on the right with zero bits
    std::copy(key.begin(), key.end(), padded.begin());
    return padded;
  }
  // RFC 4434 (longer keys) and RFC 4615 (any other length): reduce the key
  // with the MAC itself under the all-zero 128-bit key.
  static constexpr std::array<std::uint8_t, kAesKey> kZeroKey{};
  auto mac = kind == Prf::Kind::Aes128Xcbc ? make_aes128_xcbc(kZeroKey) : make_aes128_cmac(kZeroKey);
  if (!mac) return tl::unexpected(mac.error());
  SecureBytes reduced(kAesKey);
  if (auto s = (*mac)->compute(key, reduced.span()); !s) return tl::unexpected(s.error());
  return reduced;
}

}  // namespace

Result<std::unique_ptr<MacContext>> Prf::keyed(std::span<const std::uint8_t> key) const {
  if (kind_ == Kind::Hmac) return make_hmac(hash_, key);
  auto k = aes_prf_key(kind_, key);
  if (!k) return tl::unexpected(k.error());
  return kind_ == Kind::Aes128Xcbc ? make_aes128_xcbc(*k) : make_aes128_cmac(*k);
}

Result<SecureBytes> Prf::compute(std::span<const std::uint8_t> key,
                                 std::span<const std::uint8_t> data) const {
  auto mac = keyed(key);
  if (!mac) return tl::unexpected(mac.error());
  SecureBytes out(output_size_);
  if (auto s = (*mac)->compute(data, out.span()); !s) return tl::unexpected(s.error());
  return out;
}

Result<std::unique_ptr<Prf>> make_prf(std::uint16_t id) {
  using K = Prf::Kind;
  switch (id) {
    case PrfId::HmacMd5:
      return std::make_unique<Prf>(id, K::Hmac, HashAlg::Md5, 16, 16, "PRF_HMAC_MD5");
    case PrfId::HmacSha1:
      return std::make_unique<Prf>(id, K::Hmac, HashAlg::Sha1, 20, 20, "PRF_HMAC_SHA1");
    case PrfId::Aes128Xcbc:
      return std::make_unique<Prf>(id, K::Aes128Xcbc, HashAlg::Sha1, 16, 16, "PRF_AES128_XCBC");
    case PrfId::HmacSha2_256:
      return std::make_unique<Prf>(id, K::Hmac, HashAlg::Sha256, 32, 32, "PRF_HMAC_SHA2_256");
    case PrfId::HmacSha2_384:
      return std::make_unique<Prf>(id, K::Hmac, HashAlg::Sha384, 48, 48, "PRF_HMAC_SHA2_384");
    case PrfId::HmacSha2_512:
      return std::make_unique<Prf>(id, K::Hmac, HashAlg::Sha512, 64, 64, "PRF_HMAC_SHA2_512");
    case PrfId::Aes128Cmac:
      return std::make_unique<Prf>(id, K::Aes128Cmac, HashAlg::Sha1, 16, 16, "PRF_AES128_CMAC");
    default:
      return fail(ErrorCode::Unsupported, "PRF transform {} not supported", id);
  }
}

Result<SecureBytes> prf_plus(const Prf& prf, std::span<const std::uint8_t> key,
                             std::span<const std::uint8_t> seed, std::size_t length) {
  const std::size_t n = prf.output_size();
  if (length > 255 * n)
    return fail(ErrorCode::InvalidSyntax, "prf+ of {} bytes exceeds 255 x {}", length, n);
  auto mac = prf.keyed(key);
  if (!mac) return tl::unexpected(mac.error());
  SecureBytes out;
  out.reserve(length + n);
  SecureBytes t(n);  // T(i-1); empty before T1
  std::span<const std::uint8_t> prev;
  for (unsigned i = 1; out.size() < length; ++i) {
    const std::uint8_t counter = static_cast<std::uint8_t>(i);
    if (auto s = (*mac)->update(prev); !s) return tl::unexpected(s.error());
    if (auto s = (*mac)->update(seed); !s) return tl::unexpected(s.error());
    if (auto s = (*mac)->update({&counter, 1}); !s) return tl::unexpected(s.error());
    if (auto s = (*mac)->final(t.span()); !s) return tl::unexpected(s.error());
    out.append(t);
    prev = t;
  }
  out.resize(length);
  return out;
}

SecureBytes skeyseed_key(const Prf& prf, std::span<const std::uint8_t> ni,
                         std::span<const std::uint8_t> nr) {
  SecureBytes key;
  if (prf.fixed_key()) {
    key.append(ni.first(std::min<std::size_t>(8, ni.size())));
    key.append(nr.first(std::min<std::size_t>(8, nr.size())));
  } else {
    key.append(ni);
    key.append(nr);
  }
  return key;
}

}  // namespace core::crypto
