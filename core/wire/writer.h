// core/wire/writer.h — an appending writer with length back-patching.
//
// Modelled on BoringSSL's CBB: reserve a length field, write the body, then
// patch the length once the body is known:
//   auto len = w.reserve_u16();  ...body...  w.patch_u16(len, w.size() - start);
// The Writer owns a growing byte vector; take() moves it out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace core::wire {

class Writer {
 public:
  // Mark is the offset of a reserved field, to be patched later.
  struct Mark {
    std::size_t offset;
  };

  Writer() = default;

  void u8(std::uint8_t v);
  void u16(std::uint16_t v);
  void u24(std::uint32_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void u16_le(std::uint16_t v);
  void u32_le(std::uint32_t v);
  void u64_le(std::uint64_t v);
  void bytes(std::span<const std::uint8_t> b);
  void bytes(std::string_view s);
  void zeros(std::size_t n);

  Mark reserve_u8();
  Mark reserve_u16();
  Mark reserve_u32();
  Mark reserve_u16_le();
  Mark reserve_u32_le();
  void patch_u8(Mark m, std::uint8_t v);
  void patch_u16(Mark m, std::uint16_t v);
  void patch_u32(Mark m, std::uint32_t v);
  void patch_u16_le(Mark m, std::uint16_t v);
  void patch_u32_le(Mark m, std::uint32_t v);

  // pad_to appends zero bytes until size() is a multiple of align.
  void pad_to(std::size_t align);

  std::size_t size() const { return buf_.size(); }
  std::span<const std::uint8_t> view() const { return buf_; }
  std::span<std::uint8_t> mutable_view() { return buf_; }
  std::vector<std::uint8_t> take() { return std::move(buf_); }

 private:
  std::vector<std::uint8_t> buf_;
};

}  // namespace core::wire
