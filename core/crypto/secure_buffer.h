// core/crypto/secure_buffer.h — SecureBytes, an owning byte buffer for key
// material that is wiped (OPENSSL_cleanse) before its memory is released.
//
//   SecureBytes sk_d = prf_plus(...).value().first(n);
//   if (equal_ct(icv, expected)) ...
// Every allocation a SecureBytes ever held is cleansed when it is freed,
// including the old buffer of a growing resize; shrinking and clear() wipe the
// bytes they drop at once. A moved-from SecureBytes is empty. Copies are
// allowed (a second owner wipes its own copy) but should be rare.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

namespace core::crypto {

// CleansingAllocator is std::allocator plus OPENSSL_cleanse on deallocate.
template <typename T>
struct CleansingAllocator {
  using value_type = T;
  CleansingAllocator() noexcept = default;
  template <typename U>
  CleansingAllocator(const CleansingAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept;
  template <typename U>
  bool operator==(const CleansingAllocator<U>&) const noexcept { return true; }
};

// cleanse wipes bytes so the compiler cannot elide the writes.
void cleanse(void* p, std::size_t n) noexcept;

template <typename T>
void CleansingAllocator<T>::deallocate(T* p, std::size_t n) noexcept {
  cleanse(p, n * sizeof(T));
  std::allocator<T>{}.deallocate(p, n);
}

// equal_ct compares two byte strings in time independent of their contents
// (CRYPTO_memcmp). The lengths are treated as public: different lengths
// return false at once.
bool equal_ct(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;

// SecureBytes is a vector-like owning buffer for secrets.
class SecureBytes {
 public:
  using Storage = std::vector<std::uint8_t, CleansingAllocator<std::uint8_t>>;

  SecureBytes() = default;
  // SecureBytes(n) holds n zero bytes.
  explicit SecureBytes(std::size_t n) : bytes_(n) {}
  explicit SecureBytes(std::span<const std::uint8_t> data) : bytes_(data.begin(), data.end()) {}
  SecureBytes(std::initializer_list<std::uint8_t> init) : bytes_(init) {}

  SecureBytes(const SecureBytes&) = default;
  SecureBytes& operator=(const SecureBytes& other);
  SecureBytes(SecureBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }
  SecureBytes& operator=(SecureBytes&& other) noexcept;
  ~SecureBytes() = default;  // the allocator wipes the buffer

  std::uint8_t* data() noexcept { return bytes_.data(); }
  const std::uint8_t* data() const noexcept { return bytes_.data(); }
  std::size_t size() const noexcept { return bytes_.size(); }
  bool empty() const noexcept { return bytes_.empty(); }

  std::span<std::uint8_t> span() noexcept { return bytes_; }
  std::span<const std::uint8_t> span() const noexcept { return bytes_; }
  operator std::span<const std::uint8_t>() const noexcept { return bytes_; }

  // first and subspan view part of the buffer; they must not outlive it.
  std::span<const std::uint8_t> first(std::size_t n) const { return span().first(n); }
  std::span<const std::uint8_t> subspan(std::size_t off, std::size_t n) const {
    return span().subspan(off, n);
  }

  std::uint8_t& operator[](std::size_t i) { return bytes_[i]; }
  std::uint8_t operator[](std::size_t i) const { return bytes_[i]; }
  auto begin() noexcept { return bytes_.begin(); }
  auto end() noexcept { return bytes_.end(); }
  auto begin() const noexcept { return bytes_.begin(); }
  auto end() const noexcept { return bytes_.end(); }

  void reserve(std::size_t n) { bytes_.reserve(n); }
  // resize grows with zero bytes, or shrinks after wiping the dropped tail.
  void resize(std::size_t n);
  // append copies data to the end; data must not view this buffer.
  void append(std::span<const std::uint8_t> data);
  void push_back(std::uint8_t b) { bytes_.push_back(b); }
  // clear wipes the contents and leaves the buffer empty.
  void clear() noexcept;

  // operator== compares in constant time (equal_ct).
  friend bool operator==(const SecureBytes& a, const SecureBytes& b) noexcept {
    return equal_ct(a.span(), b.span());
  }

 private:
  Storage bytes_;
};

}  // namespace core::crypto
