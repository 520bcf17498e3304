// core/wire/reader.h — a bounds-checked reader over received bytes.
//
// Modelled on BoringSSL's CBS: every read either succeeds and advances, or
// fails, leaves the reader where it was and returns false, so reads chain:
//   if (!r.u8(next) || !r.u16(len) || len < 4 || !r.sub(len - 4, body)) ...
// A Reader never owns its bytes; it must not outlive the datagram it views.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace core::wire {

class Reader {
 public:
  Reader() = default;
  explicit Reader(std::span<const std::uint8_t> data) : data_(data) {}

  // Integers are big-endian (network order) unless the name says _le.
  bool u8(std::uint8_t& out);
  bool u16(std::uint16_t& out);
  bool u24(std::uint32_t& out);
  bool u32(std::uint32_t& out);
  bool u64(std::uint64_t& out);
  bool u16_le(std::uint16_t& out);
  bool u32_le(std::uint32_t& out);
  bool u64_le(std::uint64_t& out);

  // bytes views the next n bytes without copying.
  bool bytes(std::size_t n, std::span<const std::uint8_t>& out);
  // copy appends the next n bytes to out.
  bool copy(std::size_t n, std::vector<std::uint8_t>& out);
  // copy_to fills a fixed-size destination exactly.
  bool copy_to(std::span<std::uint8_t> out);
  // sub splits off the next n bytes as a child reader.
  bool sub(std::size_t n, Reader& out);
  // skip discards n bytes.
  bool skip(std::size_t n);
  // string reads n bytes as text (no terminator handling).
  bool string(std::size_t n, std::string& out);
  // rest views everything left and empties the reader.
  std::span<const std::uint8_t> rest();

  // peek_u8 reads one byte without advancing.
  bool peek_u8(std::uint8_t& out) const;

  std::size_t remaining() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  std::span<const std::uint8_t> view() const { return data_; }

 private:
  bool take(std::size_t n, const std::uint8_t*& p);
  std::span<const std::uint8_t> data_;
};

}  // namespace core::wire
