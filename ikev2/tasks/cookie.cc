// ikev2/tasks/cookie.cc — stateless cookies (RFC 7296 §2.6).
#include "ikev2/tasks/cookie.h"

#include "core/crypto/hash.h"
#include "core/wire/writer.h"

namespace ikev2 {

namespace {
constexpr std::size_t kSecretSize = 32;
constexpr std::size_t kVersionSize = 4;
}  // namespace

void CookieJar::rotate_if_due() {
  const auto now = clock_.now();
  if (have_secret_ && now - created_ < lifetime_) return;
  previous_ = std::move(secret_);
  secret_ = core::crypto::SecureBytes(kSecretSize);
  rng_.fill(secret_.span());
  if (have_secret_) ++version_;
  have_secret_ = true;
  created_ = now;
}

std::vector<std::uint8_t> CookieJar::compute(std::uint32_t version,
                                             const core::crypto::SecureBytes& secret,
                                             std::span<const std::uint8_t> ni,
                                             const core::net::Address& ip,
                                             std::uint64_t spi_i) const {
  core::wire::Writer in;
  in.bytes(ni);
  in.bytes(ip.bytes());
  in.u64(spi_i);
  in.bytes(secret.span());
  auto digest = core::crypto::hash(core::crypto::HashAlg::Sha256, in.view());
  core::crypto::cleanse(in.mutable_view().data(), in.size());
  core::wire::Writer out;
  out.u32(version);
  if (digest) out.bytes(*digest);
  return out.take();
}

std::vector<std::uint8_t> CookieJar::make(std::span<const std::uint8_t> ni,
                                          const core::net::Address& ip, std::uint64_t spi_i) {
  rotate_if_due();
  return compute(version_, secret_, ni, ip, spi_i);
}

bool CookieJar::check(std::span<const std::uint8_t> cookie, std::span<const std::uint8_t> ni,
                      const core::net::Address& ip, std::uint64_t spi_i) {
  rotate_if_due();
  if (cookie.size() < kVersionSize) return false;
  const std::uint32_t v = std::uint32_t{cookie[0]} << 24 | std::uint32_t{cookie[1]} << 16 |
                          std::uint32_t{cookie[2]} << 8 | cookie[3];
  if (v == version_) return core::crypto::equal_ct(cookie, compute(v, secret_, ni, ip, spi_i));
  if (v + 1 == version_ && !previous_.empty())
    return core::crypto::equal_ct(cookie, compute(v, previous_, ni, ip, spi_i));
  return false;
}

}  // namespace ikev2
