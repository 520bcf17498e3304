// tests/unit/daemon/trace_keylog_test.cc — KeylogWriter: lines in the
// format of Wireshark's IKEv2 decryption table (the "ikev2_decryption_table"
// UAT of epan/dissectors/packet-isakmp.c, as strongSwan's save-keys plugin
// writes it), appending, mode 0600, and — when tshark is installed — that
// tshark loads a line for every algorithm name we emit without complaint
// (it checks names and key lengths).
#include <catch2/catch.hpp>

#include "daemon/trace/keylog_writer.h"
#include "daemon/trace/pcap_writer.h"
#include "trace_util.h"

namespace {

using namespace kagid::trace;
using namespace trace_test;

// Keys keeps the storage an IkeKeyInfo views.
struct Keys {
  Bytes ei, er, ai, ar;
  ikev2::IkeKeyInfo info(std::uint64_t spi_i, std::uint64_t spi_r, ikev2::IkeAlgs algs) const {
    return {spi_i, spi_r, algs, ei, er, ai, ar};
  }
};

Bytes seq(std::size_t n, std::uint8_t start) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(start + i);
  return b;
}

ikev2::IkeAlgs algs(std::uint16_t encr, std::uint16_t bits, std::uint16_t integ) {
  ikev2::IkeAlgs a;
  a.encr = encr;
  a.encr_bits = bits;
  a.integ = integ;
  a.prf = 5;
  a.ke = 31;
  return a;
}

TEST_CASE("keylog_line: AES-GCM line, SK_a empty and integrity NONE", "[daemon][trace][keylog]") {
  const Keys k{seq(36, 0x00), seq(36, 0x80), {}, {}};
  auto line = keylog_line(k.info(0x0123456789abcdefULL, 0x00000000000000ffULL, algs(20, 256, 0)));
  REQUIRE(line);
  CHECK(*line ==
        "0123456789abcdef,00000000000000ff,"
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223,"
        "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3,"
        "\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"");
}

TEST_CASE("keylog_line: AES-CBC with HMAC-SHA2-256-128", "[daemon][trace][keylog]") {
  const Keys k{seq(16, 1), seq(16, 2), seq(32, 3), seq(32, 4)};
  auto line = keylog_line(k.info(1, 2, algs(12, 128, 12)));
  REQUIRE(line);
  CHECK(*line ==
        "0000000000000001,0000000000000002,"
        "0102030405060708090a0b0c0d0e0f10,02030405060708090a0b0c0d0e0f1011,"
        "\"AES-CBC-128 [RFC3602]\","
        "030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122,"
        "0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223,"
        "\"HMAC_SHA2_256_128 [RFC4868]\"");
}

TEST_CASE("keylog_line: transforms Wireshark cannot decrypt are refused", "[daemon][trace][keylog]") {
  const Keys k{seq(36, 0), seq(36, 0), {}, {}};
  // ChaCha20-Poly1305 (RFC 7634), AES-CBC without a key length, AES-GCM
  // with a key length that does not exist, AES-XCBC-96 and AES-CMAC-96.
  for (auto a : {algs(28, 0, 0), algs(12, 0, 12), algs(20, 64, 0), algs(12, 128, 5), algs(12, 128, 8)}) {
    auto line = keylog_line(k.info(1, 2, a));
    REQUIRE_FALSE(line);
    CHECK(line.error().code == core::ErrorCode::Unsupported);
  }
}

TEST_CASE("KeylogWriter: appends one line per IKE_SA, mode 0600 even over an old file",
          "[daemon][trace][keylog]") {
  TempDir dir;
  const auto path = dir.file("ikev2_decryption_table");
  {
    std::ofstream old(path);
    old << "# kept\n";
  }
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  const Keys k{seq(36, 0), seq(36, 1), {}, {}};
  {
    auto w = KeylogWriter::open(path);
    REQUIRE(w);
    CHECK(file_mode(path) == 0600);
    REQUIRE((*w)->write(k.info(1, 2, algs(20, 256, 0))));
    // Read back while open: nothing is buffered.
    CHECK(count(read_text(path), "\n") == 2);
    REQUIRE((*w)->write(k.info(3, 4, algs(20, 256, 0))));
    auto refused = (*w)->write(k.info(5, 6, algs(28, 0, 0)));
    CHECK_FALSE(refused);
    CHECK((*w)->lines() == 2);
  }
  auto w = KeylogWriter::open(path).value();
  REQUIRE(w->write(k.info(7, 8, algs(20, 256, 0))));
  const auto text = read_text(path);
  CHECK(text.rfind("# kept\n0000000000000001,0000000000000002,", 0) == 0);
  CHECK(count(text, "\n") == 4);
  CHECK(count(text, "\"AES-GCM-256 with 16 octet ICV [RFC5282]\"") == 3);
  CHECK(text.find("0000000000000005") == std::string::npos);
  CHECK(text.find("0000000000000007,0000000000000008,") != std::string::npos);
  CHECK(KeylogWriter::open(dir.file("missing/dir/t")).error().code == core::ErrorCode::System);
}

// Key lengths per transform, from the RFCs (salt included: 4 octets for
// AES-CTR, RFC 5930 §2 / RFC 3686; 4 for AES-GCM, RFC 5282 §7.1; 3 for
// AES-CCM, RFC 5282 §7.1 / RFC 4309).
struct EncrCase {
  std::uint16_t id, bits;
  std::size_t key;
};

TEST_CASE("keylog_line: tshark accepts every algorithm name with its key length",
          "[daemon][trace][keylog][tshark]") {
  if (!have_tshark()) {
    WARN("tshark not installed: skipping the decryption table cross-check");
    return;
  }
  std::vector<EncrCase> encrs{{3, 0, 24}, {11, 0, 0}};  // 3DES, NULL
  for (std::uint16_t bits : {128, 192, 256}) {
    encrs.push_back({12, bits, bits / 8u});      // AES-CBC
    encrs.push_back({13, bits, bits / 8u + 4});  // AES-CTR
    for (std::uint16_t gcm : {18, 19, 20}) encrs.push_back({gcm, bits, bits / 8u + 4});
    for (std::uint16_t ccm : {14, 15, 16}) encrs.push_back({ccm, bits, bits / 8u + 3});
  }
  // HMAC key lengths are the hash's output (RFC 2403, 2404, 4595, 4868).
  const std::vector<std::pair<std::uint16_t, std::size_t>> integs{
      {1, 16}, {2, 20}, {6, 16}, {7, 20}, {12, 32}, {13, 48}, {14, 64}};

  TempDir dir;
  auto w = KeylogWriter::open(dir.file("ikev2_decryption_table")).value();
  std::uint64_t spi = 1;
  std::size_t lines = 0;
  for (const auto& e : encrs) {
    const bool aead = e.id >= 14 && e.id <= 20;
    if (aead) {
      const Keys k{Bytes(e.key, 1), Bytes(e.key, 2), {}, {}};
      REQUIRE(w->write(k.info(spi, spi + 1, algs(e.id, e.bits, 0))));
      spi += 2;
      ++lines;
      continue;
    }
    for (const auto& [integ, len] : integs) {
      const Keys k{Bytes(e.key, 1), Bytes(e.key, 2), Bytes(len, 3), Bytes(len, 4)};
      INFO(e.id << "/" << e.bits << "/" << integ);
      REQUIRE(w->write(k.info(spi, spi + 1, algs(e.id, e.bits, integ))));
      spi += 2;
      ++lines;
    }
  }
  CHECK(w->lines() == lines);
  // An empty capture: tshark loads the table before reading it.
  REQUIRE(PcapWriter::open(dir.file("empty.pcap")));
  const auto out = run("WIRESHARK_CONFIG_DIR=" + dir.path() + " tshark -n -r " + dir.file("empty.pcap"));
  INFO(out);
  CHECK(out.find("Error loading table") == std::string::npos);
  CHECK(out.find("invalid value") == std::string::npos);
  CHECK(out.find("does not match") == std::string::npos);

  // The check above can fail: a wrong key length is reported.
  auto bad = KeylogWriter::open(dir.file("bad/ikev2_decryption_table"));
  REQUIRE_FALSE(bad);
  std::filesystem::create_directory(dir.file("bad"));
  auto b = KeylogWriter::open(dir.file("bad/ikev2_decryption_table")).value();
  const Keys short_key{Bytes(16, 1), Bytes(16, 2), {}, {}};
  REQUIRE(b->write(short_key.info(1, 2, algs(20, 256, 0))));
  const auto err = run("WIRESHARK_CONFIG_DIR=" + dir.file("bad") + " tshark -n -r " + dir.file("empty.pcap"));
  CHECK(err.find("Error loading table") != std::string::npos);
}

}  // namespace
