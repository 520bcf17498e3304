#include "core/wire/writer.h"

#include <cassert>

namespace core::wire {

void Writer::u8(std::uint8_t v) { buf_.push_back(v); }

void Writer::u16(std::uint16_t v) {
  buf_.push_back(static_cast<std::uint8_t>(v >> 8));
  buf_.push_back(static_cast<std::uint8_t>(v));
}

void Writer::u24(std::uint32_t v) {
  assert(v <= 0xffffff);
  buf_.push_back(static_cast<std::uint8_t>(v >> 16));
  buf_.push_back(static_cast<std::uint8_t>(v >> 8));
  buf_.push_back(static_cast<std::uint8_t>(v));
}

void Writer::u32(std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) buf_.push_back(static_cast<std::uint8_t>(v >> s));
}

void Writer::u64(std::uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) buf_.push_back(static_cast<std::uint8_t>(v >> s));
}

void Writer::u16_le(std::uint16_t v) {
  buf_.push_back(static_cast<std::uint8_t>(v));
  buf_.push_back(static_cast<std::uint8_t>(v >> 8));
}

void Writer::u32_le(std::uint32_t v) {
  for (int s = 0; s <= 24; s += 8) buf_.push_back(static_cast<std::uint8_t>(v >> s));
}

void Writer::u64_le(std::uint64_t v) {
  for (int s = 0; s <= 56; s += 8) buf_.push_back(static_cast<std::uint8_t>(v >> s));
}

void Writer::bytes(std::span<const std::uint8_t> b) { buf_.insert(buf_.end(), b.begin(), b.end()); }

void Writer::bytes(std::string_view s) { buf_.insert(buf_.end(), s.begin(), s.end()); }

void Writer::zeros(std::size_t n) { buf_.insert(buf_.end(), n, 0); }

Writer::Mark Writer::reserve_u8() { Mark m{buf_.size()}; zeros(1); return m; }
Writer::Mark Writer::reserve_u16() { Mark m{buf_.size()}; zeros(2); return m; }
Writer::Mark Writer::reserve_u32() { Mark m{buf_.size()}; zeros(4); return m; }
Writer::Mark Writer::reserve_u16_le() { return reserve_u16(); }
Writer::Mark Writer::reserve_u32_le() { return reserve_u32(); }

// A mark always comes from this writer's reserve_*; patching past the end is
// an internal bug, not peer input, so it asserts.
void Writer::patch_u8(Mark m, std::uint8_t v) {
  assert(m.offset + 1 <= buf_.size());
  buf_[m.offset] = v;
}

void Writer::patch_u16(Mark m, std::uint16_t v) {
  assert(m.offset + 2 <= buf_.size());
  buf_[m.offset] = static_cast<std::uint8_t>(v >> 8);
  buf_[m.offset + 1] = static_cast<std::uint8_t>(v);
}

void Writer::patch_u32(Mark m, std::uint32_t v) {
  assert(m.offset + 4 <= buf_.size());
  for (int i = 0; i < 4; ++i) buf_[m.offset + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

void Writer::patch_u16_le(Mark m, std::uint16_t v) {
  assert(m.offset + 2 <= buf_.size());
  buf_[m.offset] = static_cast<std::uint8_t>(v);
  buf_[m.offset + 1] = static_cast<std::uint8_t>(v >> 8);
}

void Writer::patch_u32_le(Mark m, std::uint32_t v) {
  assert(m.offset + 4 <= buf_.size());
  for (int i = 0; i < 4; ++i) buf_[m.offset + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void Writer::pad_to(std::size_t align) {
  while (buf_.size() % align != 0) buf_.push_back(0);
}

}  // namespace core::wire
