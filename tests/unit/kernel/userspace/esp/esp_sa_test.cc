// Tests for kernel/userspace/esp/esp_sa.h: round trips over every suite,
// tampering, padding and length checks, NULL encryption, keying errors.
// Replay, ESN and lifetimes are in esp_replay_test.cc; published packets in
// esp_vectors_test.cc.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "bitflip.h"
#include "core/crypto/integ.h"
#include "esp_test_util.h"
#include "kernel/userspace/esp/esp_sa.h"

using esp_test::Bytes;
using esp_test::hex;
using esp_test::kSuites;
using esp_test::make_pair;
using esp_test::make_spec;
using esp_test::pattern;
using esp_test::unhex;
using kernel::userspace::EspDrop;
using kernel::userspace::EspSa;

namespace {

using core::crypto::EncrId;
using core::crypto::IntegId;

constexpr std::uint64_t k2p32 = std::uint64_t{1} << 32;

// Next headers: IPv4 / IPv6 in tunnel mode, TCP / UDP / ICMPv6 in transport.
constexpr std::uint8_t kNextHeaders[] = {4, 41, 6, 17, 58};

std::size_t iv_size(const esp_test::Suite& s) { return core::crypto::cipher_info(s.enc)->iv_size; }

std::size_t icv_size(const esp_test::Suite& s) {
  if (s.integ != 0) return core::crypto::integ_info(s.integ)->icv_size;
  return core::crypto::cipher_info(s.enc)->icv_size;
}

std::size_t alignment(const esp_test::Suite& s) {
  return std::max<std::size_t>(core::crypto::cipher_info(s.enc)->block_size, 4);
}

bool contains(std::span<const std::uint8_t> hay, std::span<const std::uint8_t> needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

// start_high moves both ends of an ESN pair past 2^32, so the high half of
// every sequence number is nonzero and really takes part in the ICV.
void start_high(esp_test::Pair& p) {
  REQUIRE(p.tx->restore_sequence_numbers(3 * k2p32 + 7, 0));
  REQUIRE(p.rx->restore_sequence_numbers(0, 3 * k2p32 + 7));
}

}  // namespace

TEST_CASE("ESP round trip: every suite, ESN on and off, tunnel and transport", "[esp][sa]") {
  const std::size_t sizes[] = {0, 1, 2, 3, 13, 14, 15, 16, 17, 40, 64, 1400};
  for (const auto& suite : kSuites) {
    for (bool esn : {false, true}) {
      INFO(suite.name << (esn ? " ESN" : ""));
      auto p = make_pair(suite, esn);
      if (esn) start_high(p);
      std::uint64_t expected_seq = p.tx->last_seq_out();
      std::uint64_t bytes = 0;
      std::vector<std::uint8_t> out;
      for (std::uint8_t nh : kNextHeaders) {
        for (std::size_t size : sizes) {
          INFO("next header " << int(nh) << ", " << size << " bytes");
          const Bytes payload = pattern(size, static_cast<std::uint8_t>(size + nh));
          REQUIRE(p.tx->seal(payload, nh, out));
          ++expected_seq;
          // SPI | seq | IV | payload, padding, trailer (aligned) | ICV
          REQUIRE(out.size() >= 8 + iv_size(suite) + 2 + icv_size(suite));
          const std::size_t body = out.size() - 8 - iv_size(suite) - icv_size(suite);
          CHECK(body % alignment(suite) == 0);
          CHECK(body - size - 2 < alignment(suite));  // minimal padding
          CHECK(hex(std::span(out).first(4)) == "c0ffee01");
          CHECK(out[4] == std::uint8_t(expected_seq >> 24));
          CHECK(out[7] == std::uint8_t(expected_seq));
          if (suite.enc != EncrId::Null && size >= 16)
            CHECK_FALSE(contains(out, payload));  // really encrypted
          auto r = p.rx->open(out);
          REQUIRE(r);
          CHECK(r->next_header == nh);
          CHECK(hex(r->inner) == hex(payload));
          CHECK(r->seq == expected_seq);
          bytes += size;
        }
      }
      CHECK(p.tx->last_seq_out() == expected_seq);
      CHECK(p.rx->replay_top() == expected_seq);
      CHECK(p.tx->counters().bytes == bytes);
      CHECK(p.rx->counters().bytes == bytes);
      CHECK(p.rx->counters().packets == p.tx->counters().packets);
    }
  }
}

TEST_CASE("ESP seal reuses the output buffer's capacity", "[esp][sa]") {
  auto p = make_pair(kSuites[2], false);  // AES-GCM-16-128
  std::vector<std::uint8_t> out;
  out.reserve(2048);
  const auto* data = out.data();
  const Bytes big = pattern(1400), small = pattern(20);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(p.tx->seal(i % 2 ? big : small, 4, out));
    CHECK(out.data() == data);
  }
}

TEST_CASE("ESP tampering with any byte of an authenticated packet is dropped", "[esp][sa]") {
  for (const auto& suite : kSuites) {
    if (!esp_test::authenticated(suite)) continue;
    for (bool esn : {false, true}) {
      INFO(suite.name << (esn ? " ESN" : ""));
      auto p = make_pair(suite, esn);
      if (esn) start_high(p);
      Bytes sealed;
      REQUIRE(p.tx->seal(pattern(37, 9), 17, sealed));
      std::size_t flips = 0;
      const std::size_t n = testing::for_each_mutation(sealed, [&](std::span<const std::uint8_t> m) {
        Bytes copy(m.begin(), m.end());
        auto r = p.rx->open(copy);
        REQUIRE_FALSE(r);
        if (m.size() != sealed.size()) {
          // Truncated or extended: too short, not block-aligned, or an ICV
          // that is now read from the wrong place.
          CHECK((r.error() == EspDrop::Integrity || r.error() == EspDrop::Malformed));
          return;
        }
        const auto at = static_cast<std::size_t>(
            std::mismatch(sealed.begin(), sealed.end(), m.begin()).first - sealed.begin());
        ++flips;
        if (at < 4) {
          CHECK(r.error() == EspDrop::Malformed);  // not this SA's SPI
        } else if (at < 8) {
          // A flipped sequence number may land on a refused one (0).
          CHECK((r.error() == EspDrop::Integrity || r.error() == EspDrop::Replay));
        } else {
          CHECK(r.error() == EspDrop::Integrity);
        }
      });
      CHECK(flips == sealed.size() * 8);
      CHECK(n > flips);
      // Nothing moved the window: the untouched packet still opens.
      auto r = p.rx->open(sealed);
      REQUIRE(r);
      CHECK(hex(r->inner) == hex(pattern(37, 9)));
      CHECK(p.rx->counters().integrity_failed > 0);
      CHECK(p.rx->counters().packets == 1);
    }
  }
}

TEST_CASE("ESP NULL encryption alone: the exact packet of RFC 4303 §2", "[esp][sa]") {
  const esp_test::Suite null_only{"NULL/NONE", EncrId::Null, 0, 0};
  auto p = make_pair(null_only, false);
  Bytes out;
  REQUIRE(p.tx->seal(unhex("616263"), 17, out));
  // SPI | seq 1 | "abc" | padding 1 2 3 | pad length 3 | next header 17
  CHECK(hex(out) == "c0ffee01" "00000001" "616263" "010203" "03" "11");
  auto r = p.rx->open(out);
  REQUIRE(r);
  CHECK(hex(r->inner) == "616263");
  REQUIRE(p.tx->seal(unhex("61626364 6566"), 58, out));
  CHECK(hex(out) == "c0ffee01" "00000002" "616263646566" "00" "3a");
}

TEST_CASE("ESP NULL encryption with HMAC: payload in clear, ICV over SPI..trailer", "[esp][sa]") {
  const esp_test::Suite suite{"NULL/HMAC-SHA1-96", EncrId::Null, 0, IntegId::HmacSha1_96};
  for (bool esn : {false, true}) {
    INFO((esn ? "ESN" : "no ESN"));
    auto spec = make_spec(suite, esn);
    auto p = make_pair(spec);
    if (esn) start_high(p);
    Bytes out;
    REQUIRE(p.tx->seal(unhex("deadbeef"), 6, out));
    REQUIRE(out.size() == 8 + 8 + 12);
    CHECK(hex(std::span(out).subspan(8, 8)) == "deadbeef" "0102" "02" "06");
    // RFC 4303 §2.2.1 / §3.3.2.1: with ESN the high half follows the packet
    // in the ICV input but is not sent.
    Bytes icv_input(out.begin(), out.end() - 12);
    if (esn) icv_input.insert(icv_input.end(), {0, 0, 0, 3});
    auto icv = core::crypto::integ_compute(IntegId::HmacSha1_96, spec.integ.key, icv_input);
    REQUIRE(icv);
    CHECK(hex(std::span(out).last(12)) == hex(*icv));
    REQUIRE(p.rx->open(out));
  }
}

TEST_CASE("ESP padding is checked after the ICV: Padding drops", "[esp][sa]") {
  const esp_test::Suite suite{"NULL/HMAC-SHA2-256-128", EncrId::Null, 0, IntegId::HmacSha2_256_128};
  const auto spec = make_spec(suite, false);
  // Packets the sender's own rules would never build, signed correctly.
  auto signed_packet = [&](std::uint32_t seq, const Bytes& body) {
    Bytes p = unhex("c0ffee01");
    for (int shift = 24; shift >= 0; shift -= 8) p.push_back(std::uint8_t(seq >> shift));
    p.insert(p.end(), body.begin(), body.end());
    auto icv = core::crypto::integ_compute(suite.integ, spec.integ.key, p);
    REQUIRE(icv);
    p.insert(p.end(), icv->begin(), icv->end());
    return p;
  };
  auto rx = EspSa::create(spec);
  REQUIRE(rx);
  struct Row {
    const char* what;
    const char* body;
    bool ok;
  };
  const Row rows[] = {
      {"monotonic padding", "aabbcc 0102030405 05 11", true},
      {"no padding", "aabbccdd eeff 00 11", true},
      {"padding 1 2 4", "aabbccddee 010204 03 11", false},
      {"padding of zeros", "aabbccddee 000000 03 11", false},
      {"pad length beyond the payload", "aabb 09 11", false},
      {"pad length eats everything", "010203040506 06 11", true},
      {"pad length one past", "aabbccdd eeff 07 11", false},
      {"pad length 255", "aabbccdd eeff ff 11", false},
  };
  std::uint32_t seq = 1;
  for (const auto& row : rows) {
    INFO(row.what);
    Bytes packet = signed_packet(seq++, unhex(row.body));
    auto r = (*rx)->open(packet);
    if (row.ok) {
      CHECK(r);
    } else {
      REQUIRE_FALSE(r);
      CHECK(r.error() == EspDrop::Padding);
    }
  }
  CHECK((*rx)->counters().padding_bad == 5);
  // The ICV verified, so the window took those numbers all the same.
  CHECK((*rx)->replay_top() == seq - 1);
}

TEST_CASE("ESP lengths and SPI are checked before anything else: Malformed", "[esp][sa]") {
  const esp_test::Suite cbc{"AES-CBC-128/HMAC-SHA1-96", EncrId::AesCbc, 128, IntegId::HmacSha1_96};
  auto p = make_pair(cbc, false);
  Bytes good;
  REQUIRE(p.tx->seal(pattern(30), 4, good));  // 8 + 16 + 32 + 12 bytes
  REQUIRE(good.size() == 68);
  auto malformed = [&](Bytes b) {
    auto r = p.rx->open(b);
    return !r && r.error() == EspDrop::Malformed;
  };
  CHECK(malformed({}));
  CHECK(malformed(Bytes(good.begin(), good.begin() + 7)));
  CHECK(malformed(Bytes(good.begin(), good.begin() + 8 + 16 + 12)));  // no ciphertext
  CHECK(malformed(Bytes(good.begin(), good.begin() + 8 + 16 + 1 + 12)));  // 1 byte: too short
  Bytes unaligned(good);
  unaligned.insert(unaligned.begin() + 8 + 16, 0x00);  // 33 bytes of ciphertext
  CHECK(malformed(unaligned));
  Bytes other_spi(good);
  other_spi[3] ^= 0x01;
  CHECK(malformed(other_spi));
  CHECK(p.rx->counters().malformed == 6);
  CHECK(p.rx->counters().integrity_failed == 0);
  REQUIRE(p.rx->open(good));
}

TEST_CASE("ESP CBC IVs are unpredictable blocks, not counters", "[esp][sa]") {
  const esp_test::Suite cbc{"AES-CBC-128/HMAC-SHA1-96", EncrId::AesCbc, 128, IntegId::HmacSha1_96};
  auto p = make_pair(cbc, false);
  Bytes a, b;
  REQUIRE(p.tx->seal(pattern(16), 4, a));
  REQUIRE(p.tx->seal(pattern(16), 4, b));
  const Bytes iv_a(a.begin() + 8, a.begin() + 24), iv_b(b.begin() + 8, b.begin() + 24);
  CHECK(iv_a != iv_b);
  // Neither is the plain sequence number in any position.
  CHECK_FALSE(contains(iv_a, unhex("0000000000000001")));
  CHECK_FALSE(contains(iv_b, unhex("0000000000000002")));
  // Same payload, different IVs: different ciphertexts.
  CHECK(hex(std::span(a).subspan(24, 32)) != hex(std::span(b).subspan(24, 32)));
}

TEST_CASE("ESP create refuses what it cannot key", "[esp][sa]") {
  const auto gcm = make_spec(kSuites[2], false);
  struct Row {
    const char* what;
    core::ipsec::SaSpec spec;
    core::ErrorCode code;
  };
  std::vector<Row> rows;
  auto add = [&](const char* what, core::ErrorCode code, auto edit) {
    auto s = gcm;
    edit(s);
    rows.push_back({what, s, code});
  };
  add("AH", core::ErrorCode::Unsupported, [](auto& s) { s.proto = core::ipsec::Proto::Ah; });
  add("unknown cipher", core::ErrorCode::Unsupported, [](auto& s) { s.enc.id = 99; });
  add("GCM key without salt", core::ErrorCode::InvalidSyntax, [](auto& s) { s.enc.key.resize(16); });
  add("GCM keymat not matching key_bits", core::ErrorCode::InvalidSyntax,
      [](auto& s) { s.enc.key_bits = 256; });
  add("GCM with an integrity transform", core::ErrorCode::InvalidSyntax, [](auto& s) {
    s.integ.id = IntegId::HmacSha1_96;
    s.integ.key = pattern(20);
  });
  add("unknown integrity", core::ErrorCode::Unsupported, [](auto& s) {
    s.enc = make_spec(kSuites[7], false).enc;
    s.integ.id = 77;
    s.integ.key = pattern(20);
  });
  add("short HMAC key", core::ErrorCode::InvalidSyntax, [](auto& s) {
    s.enc = make_spec(kSuites[7], false).enc;
    s.integ.id = IntegId::HmacSha1_96;
    s.integ.key = pattern(16);
  });
  add("AES-CBC 100-bit key", core::ErrorCode::InvalidSyntax, [](auto& s) {
    s.enc.id = EncrId::AesCbc;
    s.enc.key_bits = 0;
    s.enc.key = pattern(13);
  });
  for (const auto& row : rows) {
    INFO(row.what);
    auto sa = EspSa::create(row.spec);
    REQUIRE_FALSE(sa);
    CHECK(sa.error().code == row.code);
    CHECK(sa.error().detail.find("c0ffee01") != std::string::npos);
  }
}

TEST_CASE("ESP spec() keeps everything but the keys", "[esp][sa]") {
  auto spec = make_spec(kSuites[10], true, 0x1234, 200);
  spec.lifetime.soft_bytes = 1000;
  auto sa = EspSa::create(spec);
  REQUIRE(sa);
  const auto& kept = (*sa)->spec();
  CHECK(kept.spi == 0x1234);
  CHECK(kept.esn);
  CHECK(kept.enc.id == spec.enc.id);
  CHECK(kept.enc.key_bits == spec.enc.key_bits);
  CHECK(kept.integ.id == spec.integ.id);
  CHECK(kept.lifetime == spec.lifetime);
  CHECK(kept.enc.key.empty());
  CHECK(kept.integ.key.empty());
  CHECK((*sa)->replay_window_size() == 256);
  CHECK(kernel::userspace::esp_drop_name(EspDrop::Integrity) == "integrity");
}
