#include <catch2/catch.hpp>

#include "bitflip.h"
#include "core/wire/reader.h"
#include "core/wire/writer.h"

using core::wire::Reader;
using core::wire::Writer;

TEST_CASE("Writer writes big- and little-endian integers", "[wire]") {
  Writer w;
  w.u8(1);
  w.u16(0x0203);
  w.u24(0x040506);
  w.u32(0x0708090a);
  w.u64(0x0b0c0d0e0f101112);
  w.u16_le(0x1413);
  w.u32_le(0x18171615);
  std::vector<std::uint8_t> want;
  for (int i = 1; i <= 0x18; ++i) want.push_back(static_cast<std::uint8_t>(i));
  CHECK(std::vector<std::uint8_t>(w.view().begin(), w.view().end()) == want);
}

TEST_CASE("Reader reads back what Writer wrote and fails closed", "[wire]") {
  Writer w;
  w.u8(7);
  w.u16(0xbeef);
  w.u32(0xdeadbeef);
  w.u64(0x0102030405060708);
  auto buf = w.take();
  Reader r(buf);
  std::uint8_t a;
  std::uint16_t b;
  std::uint32_t c;
  std::uint64_t d;
  REQUIRE((r.u8(a) && r.u16(b) && r.u32(c) && r.u64(d)));
  CHECK(a == 7);
  CHECK(b == 0xbeef);
  CHECK(c == 0xdeadbeef);
  CHECK(d == 0x0102030405060708);
  CHECK(r.empty());
  CHECK_FALSE(r.u8(a));
}

TEST_CASE("A failed read leaves the reader where it was", "[wire]") {
  const std::uint8_t data[] = {1, 2, 3};
  Reader r(data);
  std::uint32_t v;
  CHECK_FALSE(r.u32(v));
  CHECK(r.remaining() == 3);
  Reader sub;
  CHECK_FALSE(r.sub(4, sub));
  CHECK(r.sub(2, sub));
  CHECK(sub.remaining() == 2);
  CHECK(r.remaining() == 1);
  std::span<const std::uint8_t> view;
  CHECK_FALSE(r.bytes(2, view));
  CHECK(r.skip(1));
  CHECK(r.empty());
}

TEST_CASE("Writer back-patches reserved lengths", "[wire]") {
  Writer w;
  auto m16 = w.reserve_u16();
  auto m32 = w.reserve_u32();
  auto mle = w.reserve_u16_le();
  w.bytes(std::string_view("abcd"));
  w.patch_u16(m16, static_cast<std::uint16_t>(w.size()));
  w.patch_u32(m32, 0x11223344);
  w.patch_u16_le(mle, 0x5566);
  auto v = w.view();
  CHECK(v[0] == 0);
  CHECK(v[1] == 12);
  CHECK(v[2] == 0x11);
  CHECK(v[5] == 0x44);
  CHECK(v[6] == 0x66);
  CHECK(v[7] == 0x55);
  w.pad_to(8);
  CHECK(w.size() == 16);
}

// A tiny TLV parser in the style every codec follows, swept by bit flips: it
// must never read past its input whatever the mutation.
static bool parse_tlvs(std::span<const std::uint8_t> in, std::size_t& count) {
  Reader r(in);
  count = 0;
  while (!r.empty()) {
    std::uint8_t type;
    std::uint16_t len;
    Reader body;
    if (!r.u8(type) || !r.u16(len) || len < 3 || !r.sub(len - 3, body)) return false;
    ++count;
  }
  return true;
}

TEST_CASE("Bit-flip sweep over a TLV parser stays in bounds", "[wire][bitflip]") {
  Writer w;
  for (int i = 0; i < 4; ++i) {
    w.u8(static_cast<std::uint8_t>(i));
    auto len = w.reserve_u16();
    std::size_t start = w.size() - 3;
    w.zeros(static_cast<std::size_t>(i));
    w.patch_u16(len, static_cast<std::uint16_t>(w.size() - start));
  }
  auto valid = w.take();
  std::size_t count = 0;
  REQUIRE(parse_tlvs(valid, count));
  CHECK(count == 4);
  std::size_t ok = 0;
  auto n = testing::for_each_mutation(valid, [&](std::span<const std::uint8_t> m) {
    std::size_t c;
    if (parse_tlvs(m, c)) ++ok;
  });
  CHECK(n == valid.size() * 9 + 1);
  CHECK(ok > 0);
}
