// ikev2/tasks/cookie.h — stateless responder cookies (RFC 7296 §2.6).
//
//   Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
//
// The version is 4 octets and the hash SHA-256, 36 octets in all (COOKIE
// data may be 1..64 octets). The secret is replaced every `lifetime`; a
// cookie made with the previous secret is still accepted, so a client that
// got a cookie just before the change is not turned away.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/clock/clock.h"
#include "core/crypto/random.h"
#include "core/crypto/secure_buffer.h"
#include "core/net/address.h"

namespace ikev2 {

class CookieJar {
 public:
  CookieJar(const core::Clock& clock, core::crypto::Rng& rng, core::Duration lifetime)
      : clock_(clock), rng_(rng), lifetime_(lifetime) {}

  // make returns the cookie for an IKE_SA_INIT request.
  std::vector<std::uint8_t> make(std::span<const std::uint8_t> ni, const core::net::Address& ip,
                                 std::uint64_t spi_i);
  // check says whether cookie is one make() gave for these values with the
  // current or the previous secret.
  bool check(std::span<const std::uint8_t> cookie, std::span<const std::uint8_t> ni,
             const core::net::Address& ip, std::uint64_t spi_i);

 private:
  void rotate_if_due();
  std::vector<std::uint8_t> compute(std::uint32_t version, const core::crypto::SecureBytes& secret,
                                    std::span<const std::uint8_t> ni, const core::net::Address& ip,
                                    std::uint64_t spi_i) const;

  const core::Clock& clock_;
  core::crypto::Rng& rng_;
  core::Duration lifetime_;
  bool have_secret_ = false;
  core::MonoTime created_{};
  std::uint32_t version_ = 0;
  core::crypto::SecureBytes secret_, previous_;
};

}  // namespace ikev2
