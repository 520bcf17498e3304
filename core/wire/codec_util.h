// core/wire/codec_util.h — small helpers every message codec (IKEv2, KINK,
// ISAKMP) needs when it encodes: owned copies, 16-bit length patching,
// checked narrowing of counts we built, alignment padding.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/wire/writer.h"

namespace core::wire {

// to_vec copies a view into an owned byte vector.
inline std::vector<std::uint8_t> to_vec(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

// patch_length16 patches a reserved 16-bit length with the octets written
// since start. Lengths of values we build always fit (asserted invariant).
inline void patch_length16(Writer& w, Writer::Mark m, std::size_t start) {
  std::size_t n = w.size() - start;
  assert(n <= 0xffff && "structure exceeds its 16-bit length field");
  w.patch_u16(m, static_cast<std::uint16_t>(n));
}

// checked_u8 / checked_u16 narrow a count we built; overflow is a caller bug.
inline std::uint8_t checked_u8(std::size_t n) {
  assert(n <= 0xff && "count exceeds its 8-bit field");
  return static_cast<std::uint8_t>(n);
}
inline std::uint16_t checked_u16(std::size_t n) {
  assert(n <= 0xffff && "count exceeds its 16-bit field");
  return static_cast<std::uint16_t>(n);
}

// padding_after returns how many octets pad a structure of length n to the
// next multiple of align.
inline std::size_t padding_after(std::size_t n, std::size_t align) { return (align - n % align) % align; }

}  // namespace core::wire
