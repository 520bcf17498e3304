// core/crypto/secure_buffer.cc — SecureBytes and constant-time comparison.
#include "core/crypto/secure_buffer.h"

#include <openssl/crypto.h>

namespace core::crypto {

void cleanse(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) OPENSSL_cleanse(p, n);
}

bool equal_ct(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

SecureBytes& SecureBytes::operator=(const SecureBytes& other) {
  if (this != &other) {
    clear();
    bytes_.assign(other.bytes_.begin(), other.bytes_.end());
  }
  return *this;
}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
  if (this != &other) {
    clear();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

void SecureBytes::resize(std::size_t n) {
  if (n < bytes_.size()) cleanse(bytes_.data() + n, bytes_.size() - n);
  bytes_.resize(n);
}

void SecureBytes::append(std::span<const std::uint8_t> data) {
  bytes_.insert(bytes_.end(), data.begin(), data.end());
}

void SecureBytes::clear() noexcept {
  cleanse(bytes_.data(), bytes_.size());
  bytes_.clear();
}

}  // namespace core::crypto
