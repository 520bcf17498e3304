// core/crypto/mac.h — MacContext, a keyed message authentication code that
// is reused message after message: HMAC (RFC 2104) and AES-128-CMAC
// (RFC 4493) over OpenSSL EVP_MAC, AES-XCBC-MAC (RFC 3566) over EVP AES.
//
// The PRF (prf.h) and integrity (integ.h) transforms are built on it. A
// MacContext keeps the expanded key, so each message costs only the MAC
// itself: update()* then final(), which also re-arms the context for the
// next message under the same key. Not thread-safe; clone() one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/crypto/hash.h"
#include "core/result.h"

namespace core::crypto {

class MacContext {
 public:
  virtual ~MacContext() = default;

  // size is the untruncated MAC length in bytes.
  virtual std::size_t size() const = 0;
  // update feeds message bytes.
  virtual Status update(std::span<const std::uint8_t> data) = 0;
  // final writes the first out.size() bytes of the MAC (out.size() must be
  // 1..size()) and re-arms the context for a new message under the same key.
  virtual Status final(std::span<std::uint8_t> out) = 0;
  // reset drops a partly fed message.
  virtual Status reset() = 0;
  // clone returns an independent context with the same key and state.
  virtual Result<std::unique_ptr<MacContext>> clone() const = 0;

  // compute is reset + update(data) + final(out).
  Status compute(std::span<const std::uint8_t> data, std::span<std::uint8_t> out);
};

// make_hmac keys an HMAC over the given digest; any key length (RFC 2104 §2).
Result<std::unique_ptr<MacContext>> make_hmac(HashAlg alg, std::span<const std::uint8_t> key);
// make_aes128_cmac keys AES-CMAC (RFC 4493); key must be 16 bytes.
Result<std::unique_ptr<MacContext>> make_aes128_cmac(std::span<const std::uint8_t> key);
// make_aes128_xcbc keys AES-XCBC-MAC (RFC 3566 §4); key must be 16 bytes.
Result<std::unique_ptr<MacContext>> make_aes128_xcbc(std::span<const std::uint8_t> key);

}  // namespace core::crypto
