#include "core/wire/reader.h"

#include <algorithm>

namespace core::wire {

bool Reader::take(std::size_t n, const std::uint8_t*& p) {
  if (n > data_.size()) return false;
  p = data_.data();
  data_ = data_.subspan(n);
  return true;
}

bool Reader::u8(std::uint8_t& out) {
  const std::uint8_t* p;
  if (!take(1, p)) return false;
  out = p[0];
  return true;
}

bool Reader::u16(std::uint16_t& out) {
  const std::uint8_t* p;
  if (!take(2, p)) return false;
  out = static_cast<std::uint16_t>(p[0] << 8 | p[1]);
  return true;
}

bool Reader::u24(std::uint32_t& out) {
  const std::uint8_t* p;
  if (!take(3, p)) return false;
  out = std::uint32_t{p[0]} << 16 | std::uint32_t{p[1]} << 8 | p[2];
  return true;
}

bool Reader::u32(std::uint32_t& out) {
  const std::uint8_t* p;
  if (!take(4, p)) return false;
  out = std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
  return true;
}

bool Reader::u64(std::uint64_t& out) {
  const std::uint8_t* p;
  if (!take(8, p)) return false;
  out = 0;
  for (int i = 0; i < 8; ++i) out = out << 8 | p[i];
  return true;
}

bool Reader::u16_le(std::uint16_t& out) {
  const std::uint8_t* p;
  if (!take(2, p)) return false;
  out = static_cast<std::uint16_t>(p[1] << 8 | p[0]);
  return true;
}

bool Reader::u32_le(std::uint32_t& out) {
  const std::uint8_t* p;
  if (!take(4, p)) return false;
  out = std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
  return true;
}

bool Reader::u64_le(std::uint64_t& out) {
  const std::uint8_t* p;
  if (!take(8, p)) return false;
  out = 0;
  for (int i = 7; i >= 0; --i) out = out << 8 | p[i];
  return true;
}

bool Reader::bytes(std::size_t n, std::span<const std::uint8_t>& out) {
  const std::uint8_t* p;
  if (!take(n, p)) return false;
  out = {p, n};
  return true;
}

bool Reader::copy(std::size_t n, std::vector<std::uint8_t>& out) {
  const std::uint8_t* p;
  if (!take(n, p)) return false;
  out.insert(out.end(), p, p + n);
  return true;
}

bool Reader::copy_to(std::span<std::uint8_t> out) {
  const std::uint8_t* p;
  if (!take(out.size(), p)) return false;
  std::copy_n(p, out.size(), out.begin());
  return true;
}

bool Reader::sub(std::size_t n, Reader& out) {
  const std::uint8_t* p;
  if (!take(n, p)) return false;
  out = Reader({p, n});
  return true;
}

bool Reader::skip(std::size_t n) {
  const std::uint8_t* p;
  return take(n, p);
}

bool Reader::string(std::size_t n, std::string& out) {
  const std::uint8_t* p;
  if (!take(n, p)) return false;
  out.assign(reinterpret_cast<const char*>(p), n);
  return true;
}

std::span<const std::uint8_t> Reader::rest() {
  auto r = data_;
  data_ = {};
  return r;
}

bool Reader::peek_u8(std::uint8_t& out) const {
  if (data_.empty()) return false;
  out = data_[0];
  return true;
}

}  // namespace core::wire
