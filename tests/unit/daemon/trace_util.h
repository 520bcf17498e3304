// tests/unit/daemon/trace_util.h — helpers for the trace tests: a temporary
// directory, reading a file back, an independent reader of classic pcap
// files and of IPv4/IPv6 + UDP packets (checksums verified, RFC 1071), and
// running tshark.
#pragma once

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "core/net/address.h"
#include "core/wire/reader.h"

namespace trace_test {

using Bytes = std::vector<std::uint8_t>;

// TempDir is a fresh directory under /tmp, removed with its content.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/kagi-trace-XXXXXX";
    const char* p = mkdtemp(tmpl);
    REQUIRE(p != nullptr);
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline Bytes read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

inline std::string read_text(const std::string& path) {
  auto b = read_file(path);
  return std::string(b.begin(), b.end());
}

inline unsigned file_mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// PcapRecord is one record of a classic pcap file.
struct PcapRecord {
  std::uint32_t sec = 0, usec = 0;
  Bytes packet;
};

// Pcap is a parsed classic pcap file (little-endian, as PcapWriter writes).
struct Pcap {
  std::uint32_t magic = 0, snaplen = 0, linktype = 0;
  std::uint16_t major = 0, minor = 0;
  std::vector<PcapRecord> records;
};

// parse_pcap reads a whole file; nullopt on any framing error.
inline std::optional<Pcap> parse_pcap(const Bytes& file) {
  core::wire::Reader r(file);
  Pcap p;
  std::uint32_t zone = 0, sigfigs = 0;
  if (!r.u32_le(p.magic) || !r.u16_le(p.major) || !r.u16_le(p.minor) || !r.u32_le(zone) ||
      !r.u32_le(sigfigs) || !r.u32_le(p.snaplen) || !r.u32_le(p.linktype))
    return std::nullopt;
  while (!r.empty()) {
    PcapRecord rec;
    std::uint32_t incl = 0, orig = 0;
    if (!r.u32_le(rec.sec) || !r.u32_le(rec.usec) || !r.u32_le(incl) || !r.u32_le(orig) ||
        incl != orig || !r.copy(incl, rec.packet))
      return std::nullopt;
    p.records.push_back(std::move(rec));
  }
  return p;
}

// sum16 is the one's complement sum of 16-bit words (RFC 1071), folded.
inline std::uint32_t sum16(std::span<const std::uint8_t> b, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i < b.size(); i += 2)
    sum += static_cast<std::uint32_t>(b[i] << 8) | (i + 1 < b.size() ? b[i + 1] : 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

// Udp is one parsed IP + UDP packet.
struct Udp {
  core::net::Endpoint src, dst;
  std::uint8_t ttl = 0;
  bool ip_checksum_ok = true;  // always true for IPv6 (no header checksum)
  bool udp_checksum_ok = false;
  std::uint16_t udp_checksum = 0;
  Bytes payload;
};

// parse_udp reads an IPv4 (no options) or IPv6 packet carrying UDP and
// verifies every length; nullopt when anything is off.
inline std::optional<Udp> parse_udp(const Bytes& packet) {
  core::wire::Reader r(packet);
  std::uint8_t first = 0;
  if (!r.peek_u8(first)) return std::nullopt;
  Udp u;
  std::span<const std::uint8_t> src, dst;
  std::size_t udp_len_ip = 0;
  if (first >> 4 == 4) {
    std::uint8_t vihl = 0, tos = 0, proto = 0;
    std::uint16_t total = 0, id = 0, frag = 0, csum = 0;
    if (!r.u8(vihl) || vihl != 0x45 || !r.u8(tos) || !r.u16(total) || total != packet.size() ||
        !r.u16(id) || !r.u16(frag) || !r.u8(u.ttl) || !r.u8(proto) || proto != 17 ||
        !r.u16(csum) || !r.bytes(4, src) || !r.bytes(4, dst))
      return std::nullopt;
    u.ip_checksum_ok = sum16(std::span(packet).first(20)) == 0xffff;
    udp_len_ip = total - 20;
  } else if (first >> 4 == 6) {
    std::uint32_t vtf = 0;
    std::uint16_t plen = 0;
    std::uint8_t next = 0;
    if (!r.u32(vtf) || !r.u16(plen) || plen + 40u != packet.size() || !r.u8(next) || next != 17 ||
        !r.u8(u.ttl) || !r.bytes(16, src) || !r.bytes(16, dst))
      return std::nullopt;
    udp_len_ip = plen;
  } else {
    return std::nullopt;
  }
  std::uint16_t sport = 0, dport = 0, len = 0;
  const auto udp = std::span(packet).subspan(packet.size() - udp_len_ip);
  if (!r.u16(sport) || !r.u16(dport) || !r.u16(len) || len != udp_len_ip ||
      !r.u16(u.udp_checksum) || !r.copy(len - 8u, u.payload) || !r.empty())
    return std::nullopt;
  // Pseudo-header + UDP header + data sums to all ones (RFC 768).
  std::uint32_t s = sum16(src);
  s = sum16(dst, s);
  s = sum16(Bytes{0, 17, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)}, s);
  u.udp_checksum_ok = u.udp_checksum != 0 && sum16(udp, s) == 0xffff;
  u.src = {*core::net::Address::from_bytes(src), sport};
  u.dst = {*core::net::Address::from_bytes(dst), dport};
  return u;
}

inline bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

// run returns the command's standard output and error.
inline std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen((cmd + " 2>&1").c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

inline std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace trace_test
