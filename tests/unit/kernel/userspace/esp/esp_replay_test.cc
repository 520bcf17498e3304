// Tests for kernel/userspace/esp/esp_sa.h over time: anti-replay (RFC 4303
// §3.4.3), extended sequence numbers across 2^32 (§2.2.1, Appendix A),
// sequence number exhaustion (§3.3.3) and soft/hard lifetimes.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "esp_test_util.h"
#include "kernel/userspace/esp/esp_sa.h"

using esp_test::Bytes;
using esp_test::hex;
using esp_test::kSuites;
using esp_test::make_pair;
using esp_test::make_spec;
using esp_test::pattern;
using kernel::userspace::EspDrop;
using kernel::userspace::EspSa;

namespace {

constexpr std::uint64_t k2p32 = std::uint64_t{1} << 32;

// Two suites stand for the two code paths: AEAD and cipher + integrity.
const esp_test::Suite& gcm() { return kSuites[2]; }
const esp_test::Suite& cbc() { return kSuites[10]; }

// seal_n seals n packets (payload tagged with its index).
std::vector<Bytes> seal_n(EspSa& tx, int n) {
  std::vector<Bytes> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const bool sealed = static_cast<bool>(tx.seal(pattern(20, static_cast<std::uint8_t>(i)), 4, out[static_cast<std::size_t>(i)]));
    REQUIRE(sealed);
  }
  return out;
}

tl::expected<kernel::userspace::Decapsulated, EspDrop> open_copy(EspSa& rx, const Bytes& packet,
                                                                 Bytes& buf) {
  buf = packet;
  return rx.open(buf);
}

}  // namespace

TEST_CASE("ESP replay: duplicates, reordering, the left edge", "[esp][replay-sa]") {
  for (const auto* suite : {&gcm(), &cbc()}) {
    for (bool esn : {false, true}) {
      INFO(suite->name << (esn ? " ESN" : ""));
      auto p = make_pair(*suite, esn, 32);  // 32 is kept as one 64-bit word
      REQUIRE(p.rx->replay_window_size() == 64);
      const auto packets = seal_n(*p.tx, 100);  // seq 1..100 at index 0..99
      Bytes buf;
      REQUIRE(open_copy(*p.rx, packets[0], buf));
      auto dup = open_copy(*p.rx, packets[0], buf);
      REQUIRE_FALSE(dup);
      CHECK(dup.error() == EspDrop::Replay);
      // Out of order inside the window.
      REQUIRE(open_copy(*p.rx, packets[9], buf));
      REQUIRE(open_copy(*p.rx, packets[4], buf));
      REQUIRE(open_copy(*p.rx, packets[2], buf));
      CHECK_FALSE(open_copy(*p.rx, packets[4], buf));
      // Jump to 100: 37..100 are inside the 64-packet window, 36 is not.
      // With ESN a number below the window is read as the next 2^32 block
      // (RFC 4303 Appendix A2.1), so its ICV fails instead.
      const EspDrop left_of_window = esn ? EspDrop::Integrity : EspDrop::Replay;
      REQUIRE(open_copy(*p.rx, packets[99], buf));
      auto left = open_copy(*p.rx, packets[35], buf);
      REQUIRE_FALSE(left);
      CHECK(left.error() == left_of_window);
      auto edge = open_copy(*p.rx, packets[36], buf);
      REQUIRE(edge);
      CHECK(edge->seq == 37);
      auto old = open_copy(*p.rx, packets[9], buf);  // seen, and now left of it
      REQUIRE_FALSE(old);
      CHECK(old.error() == left_of_window);
      CHECK(p.rx->counters().replay_dropped == (esn ? 2 : 4));
      CHECK(p.rx->counters().integrity_failed == (esn ? 2 : 0));
      CHECK(p.rx->counters().packets == 6);
      CHECK(p.rx->replay_top() == 100);
    }
  }
}

TEST_CASE("ESP replay: the window moves only after the ICV verified", "[esp][replay-sa]") {
  for (const auto* suite : {&gcm(), &cbc()}) {
    INFO(suite->name);
    auto p = make_pair(*suite, false);
    const auto packets = seal_n(*p.tx, 200);
    Bytes buf;
    REQUIRE(open_copy(*p.rx, packets[0], buf));
    // A forgery far to the right (seq 200, one ICV bit flipped) is dropped
    // and must not drag the window past 1..64.
    Bytes forged = packets[199];
    forged.back() ^= 0x01;
    auto r = p.rx->open(forged);
    REQUIRE_FALSE(r);
    CHECK(r.error() == EspDrop::Integrity);
    CHECK(p.rx->replay_top() == 1);
    REQUIRE(open_copy(*p.rx, packets[1], buf));
    // The genuine seq 200 is still new.
    REQUIRE(open_copy(*p.rx, packets[199], buf));
    CHECK(p.rx->replay_top() == 200);
  }
}

TEST_CASE("ESP replay window 0: checking is off", "[esp][replay-sa]") {
  auto p = make_pair(gcm(), false, 0);
  CHECK(p.rx->replay_window_size() == 0);
  const auto packets = seal_n(*p.tx, 3);
  Bytes buf;
  for (int round = 0; round < 3; ++round)
    for (const auto& packet : packets) REQUIRE(open_copy(*p.rx, packet, buf));
  CHECK(p.rx->counters().packets == 9);
  CHECK(p.rx->replay_top() == 3);
}

TEST_CASE("ESP with ESN crosses 2^32: sent low half, inferred high half", "[esp][replay-sa]") {
  for (const auto* suite : {&gcm(), &cbc(), &kSuites[6], &kSuites[14]}) {  // + ChaCha20, CTR
    INFO(suite->name);
    auto p = make_pair(*suite, true);
    REQUIRE(p.tx->restore_sequence_numbers(k2p32 - 4, 0));
    REQUIRE(p.rx->restore_sequence_numbers(0, k2p32 - 4));
    const auto packets = seal_n(*p.tx, 8);  // seq 2^32-3 .. 2^32+4
    for (std::size_t i = 0; i < packets.size(); ++i) {
      const std::uint64_t seq = k2p32 - 3 + i;
      const auto& pk = packets[i];
      const std::uint32_t wire = std::uint32_t(pk[4]) << 24 | std::uint32_t(pk[5]) << 16 |
                                 std::uint32_t(pk[6]) << 8 | pk[7];
      CHECK(wire == static_cast<std::uint32_t>(seq));  // only the low half is sent
    }
    Bytes buf;
    // Out of order across the wrap: 2^32+1 first, then the older ones.
    const std::size_t order[] = {4, 0, 2, 1, 3, 7, 5, 6};
    for (std::size_t i : order) {
      INFO("packet " << i);
      auto r = open_copy(*p.rx, packets[i], buf);
      REQUIRE(r);
      CHECK(r->seq == k2p32 - 3 + i);
      CHECK(hex(r->inner) == hex(pattern(20, static_cast<std::uint8_t>(i))));
    }
    CHECK(p.rx->replay_top() == k2p32 + 4);
    for (const auto& packet : packets) {
      auto again = open_copy(*p.rx, packet, buf);
      REQUIRE_FALSE(again);
      CHECK(again.error() == EspDrop::Replay);
    }
    CHECK(p.tx->last_seq_out() == k2p32 + 4);
  }
}

TEST_CASE("ESP with ESN authenticates the unsent high half", "[esp][replay-sa]") {
  for (const auto* suite : {&gcm(), &cbc()}) {
    INFO(suite->name);
    auto tx = EspSa::create(make_spec(*suite, true));
    auto rx_no_esn = EspSa::create(make_spec(*suite, false));
    auto rx_behind = EspSa::create(make_spec(*suite, true));
    REQUIRE((tx && rx_no_esn && rx_behind));
    REQUIRE((*tx)->restore_sequence_numbers(k2p32 + 10, 0));
    Bytes packet, buf;
    REQUIRE((*tx)->seal(pattern(30), 41, packet));  // seq 2^32 + 11, 11 on the wire
    // A receiver without ESN or still in the first 2^32 block reads seq 11.
    auto a = open_copy(**rx_no_esn, packet, buf);
    REQUIRE_FALSE(a);
    CHECK(a.error() == EspDrop::Integrity);
    auto b = open_copy(**rx_behind, packet, buf);
    REQUIRE_FALSE(b);
    CHECK(b.error() == EspDrop::Integrity);
    CHECK((*rx_behind)->replay_top() == 0);
  }
}

TEST_CASE("ESP sequence numbers never cycle (RFC 4303 §3.3.3)", "[esp][replay-sa]") {
  for (bool esn : {false, true}) {
    INFO((esn ? "ESN" : "32-bit"));
    auto p = make_pair(gcm(), esn);
    const std::uint64_t last = esn ? UINT64_MAX : 0xffffffffu;
    REQUIRE(p.tx->restore_sequence_numbers(last - 1, 0));
    REQUIRE(p.rx->restore_sequence_numbers(0, last - 1));
    Bytes out;
    REQUIRE(p.tx->seal(pattern(10), 4, out));
    auto r = p.rx->open(out);
    REQUIRE(r);
    CHECK(r->seq == last);
    auto s = p.tx->seal(pattern(10), 4, out);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == core::ErrorCode::State);
    CHECK(p.tx->last_seq_out() == last);
  }
  // Without ESN a 64-bit counter cannot be restored, and no SA goes back.
  auto p = make_pair(gcm(), false);
  auto wide = p.tx->restore_sequence_numbers(k2p32, 0);
  REQUIRE_FALSE(wide);
  CHECK(wide.error().code == core::ErrorCode::InvalidSyntax);
  REQUIRE(p.tx->restore_sequence_numbers(10, 0));
  auto back = p.tx->restore_sequence_numbers(9, 0);
  REQUIRE_FALSE(back);
  CHECK(back.error().code == core::ErrorCode::State);
}

TEST_CASE("ESP packet lifetimes: soft once, hard once, then refused", "[esp][lifetime]") {
  auto spec = make_spec(gcm(), false);
  spec.lifetime.soft_packets = 3;
  spec.lifetime.hard_packets = 5;
  auto p = make_pair(spec);
  Bytes out, buf;
  for (int i = 1; i <= 5; ++i) {
    INFO("packet " << i);
    REQUIRE(p.tx->seal(pattern(10), 4, out));
    REQUIRE(open_copy(*p.rx, out, buf));
    const auto tx_hit = p.tx->take_limit_hit();
    const auto rx_hit = p.rx->take_limit_hit();
    CHECK(tx_hit.soft == (i == 3));
    CHECK(tx_hit.hard == (i == 5));
    CHECK(rx_hit.soft == (i == 3));
    CHECK(rx_hit.hard == (i == 5));
  }
  auto s = p.tx->seal(pattern(10), 4, out);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == core::ErrorCode::State);
  // A packet that was sealed in time is still refused once the SA expired.
  auto other = make_pair(make_spec(gcm(), false));
  REQUIRE(other.tx->restore_sequence_numbers(5, 0));
  REQUIRE(other.tx->seal(pattern(10), 4, out));
  auto r = p.rx->open(out);
  REQUIRE_FALSE(r);
  CHECK(r.error() == EspDrop::Expired);
  CHECK(p.rx->counters().expired_dropped == 1);
  CHECK(p.rx->counters().packets == 5);
  // Reported once: nothing more to take.
  const auto none = p.tx->take_limit_hit();
  CHECK_FALSE(none.soft);
  CHECK_FALSE(none.hard);
}

TEST_CASE("ESP byte lifetimes count inner payload bytes", "[esp][lifetime]") {
  auto spec = make_spec(cbc(), true);
  spec.lifetime.soft_bytes = 1000;
  spec.lifetime.hard_bytes = 2500;
  auto p = make_pair(spec);
  Bytes out, buf;
  // 400 bytes a packet: soft at the 3rd (1200), hard at the 7th (2800).
  bool soft_seen = false;
  for (int i = 1; i <= 7; ++i) {
    INFO("packet " << i);
    REQUIRE(p.tx->seal(pattern(400), 41, out));
    REQUIRE(open_copy(*p.rx, out, buf));
    const auto hit = p.tx->take_limit_hit();
    CHECK(hit.soft == (i == 3));
    CHECK(hit.hard == (i == 7));
    soft_seen = soft_seen || hit.soft;
    const auto rx_hit = p.rx->take_limit_hit();
    CHECK(rx_hit.soft == hit.soft);
    CHECK(rx_hit.hard == hit.hard);
  }
  CHECK(soft_seen);
  CHECK(p.tx->counters().bytes == 2800);
  CHECK(p.rx->counters().bytes == 2800);
  CHECK_FALSE(p.tx->seal(pattern(1), 41, out));
}

TEST_CASE("ESP both limits crossed by one packet are reported together", "[esp][lifetime]") {
  auto spec = make_spec(gcm(), false);
  spec.lifetime.soft_bytes = 100;
  spec.lifetime.hard_bytes = 200;
  auto p = make_pair(spec);
  Bytes out;
  REQUIRE(p.tx->seal(pattern(500), 4, out));
  const auto hit = p.tx->take_limit_hit();
  CHECK(hit.soft);
  CHECK(hit.hard);
  CHECK_FALSE(p.tx->seal(pattern(1), 4, out));
}
