// daemon/trace/pcap_writer.cc — PcapWriter and the packet builders.
#include "daemon/trace/pcap_writer.h"

#include <chrono>
#include <variant>

#include "core/wire/writer.h"

namespace kagid::trace {

namespace {

using core::net::Endpoint;

constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kTtl = 64;
constexpr std::size_t kIpv4HeaderSize = 20;
constexpr std::size_t kUdpHeaderSize = 8;
constexpr std::size_t kMaxLength16 = 0xffff;
// kSnapLen is the pcap snapshot length: the largest IP packet.
constexpr std::uint32_t kSnapLen = 0xffff;

// Checksum accumulates the Internet checksum (RFC 1071): the one's
// complement sum of 16-bit big-endian words, an odd last octet padded with
// zero.
class Checksum {
 public:
  void add(std::span<const std::uint8_t> b) {
    std::size_t i = 0;
    for (; i + 1 < b.size(); i += 2) sum_ += static_cast<std::uint32_t>(b[i] << 8 | b[i + 1]);
    if (i < b.size()) sum_ += static_cast<std::uint32_t>(b[i] << 8);
  }
  void add16(std::uint16_t v) { sum_ += v; }
  std::uint16_t result() const {
    std::uint64_t s = sum_;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(~s & 0xffff);
  }

 private:
  std::uint64_t sum_ = 0;
};

//  UDP header (RFC 768):
//   0      7 8     15 16    23 24    31
//  +--------+--------+--------+--------+
//  |     Source      |   Destination   |
//  |      Port       |      Port       |
//  +--------+--------+--------+--------+
//  |     Length      |    Checksum     |
//  +--------+--------+--------+--------+
void write_udp_header(core::wire::Writer& w, const Endpoint& src, const Endpoint& dst,
                      std::span<const std::uint8_t> payload) {
  const auto udp_len = static_cast<std::uint16_t>(kUdpHeaderSize + payload.size());
  // Pseudo-header: addresses, protocol and UDP length (RFC 768; for IPv6
  // the upper-layer length is 32 bits, RFC 8200 §8.1, same sum).
  Checksum c;
  c.add(src.addr.bytes());
  c.add(dst.addr.bytes());
  c.add16(kProtoUdp);
  c.add16(udp_len);
  c.add16(src.port);
  c.add16(dst.port);
  c.add16(udp_len);
  c.add(payload);
  std::uint16_t sum = c.result();
  // A computed zero is sent as all ones: zero means "no checksum" (RFC 768).
  if (sum == 0) sum = 0xffff;
  w.u16(src.port);
  w.u16(dst.port);
  w.u16(udp_len);
  w.u16(sum);
  w.bytes(payload);
}

//  IPv4 header (RFC 791 §3.1), no options:
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version|  IHL  |Type of Service|          Total Length         |
//  |         Identification        |Flags|      Fragment Offset    |
//  |  Time to Live |    Protocol   |         Header Checksum       |
//  |                       Source Address                          |
//  |                    Destination Address                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
void write_ipv4_header(core::wire::Writer& w, const Endpoint& src, const Endpoint& dst,
                       std::size_t payload_size) {
  w.u8(0x45);  // version 4, IHL 5 words
  w.u8(0);
  w.u16(static_cast<std::uint16_t>(kIpv4HeaderSize + kUdpHeaderSize + payload_size));
  w.u16(0);       // Identification: unused with DF set (RFC 6864 §4.1)
  w.u16(0x4000);  // DF, not a fragment
  w.u8(kTtl);
  w.u8(kProtoUdp);
  const auto checksum = w.reserve_u16();
  w.bytes(src.addr.bytes());
  w.bytes(dst.addr.bytes());
  Checksum c;
  c.add(w.view().subspan(w.size() - kIpv4HeaderSize));
  w.patch_u16(checksum, c.result());
}

//  IPv6 header (RFC 8200 §3):
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version| Traffic Class |           Flow Label                  |
//  |         Payload Length        |  Next Header  |   Hop Limit   |
//  |                  Source Address (128 bits)                    |
//  |               Destination Address (128 bits)                  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
void write_ipv6_header(core::wire::Writer& w, const Endpoint& src, const Endpoint& dst,
                       std::size_t payload_size) {
  w.u32(0x60000000);  // version 6, no traffic class, no flow label
  w.u16(static_cast<std::uint16_t>(kUdpHeaderSize + payload_size));
  w.u8(kProtoUdp);
  w.u8(kTtl);
  w.bytes(src.addr.bytes());
  w.bytes(dst.addr.bytes());
}

bool is_encrypted(const ikev2::wire::Payload& p) {
  return std::holds_alternative<ikev2::wire::SkPayload>(p) ||
         std::holds_alternative<ikev2::wire::SkfPayload>(p);
}

}  // namespace

core::Result<std::vector<std::uint8_t>> plaintext_ike_message(
    const ikev2::wire::Header& header, const std::vector<ikev2::wire::Payload>& payloads) {
  // encode_message asserts that SK/SKF is last; a tracer must never be able
  // to trip that assertion in the daemon.
  for (std::size_t i = 0; i + 1 < payloads.size(); ++i) {
    if (is_encrypted(payloads[i]))
      return core::fail(core::ErrorCode::InvalidSyntax, "SK payload at position {} of {}", i,
                        payloads.size());
  }
  return ikev2::wire::encode_message({header, payloads});
}

core::Result<std::vector<std::uint8_t>> ip_udp_packet(const Endpoint& src, const Endpoint& dst,
                                                      std::span<const std::uint8_t> payload) {
  if (src.addr.family() != dst.addr.family())
    return core::fail(core::ErrorCode::InvalidSyntax, "{} and {} differ in address family",
                      src.to_string(), dst.to_string());
  const bool v4 = src.addr.is_v4();
  // IPv4 Total Length and the UDP Length are both 16 bits.
  const std::size_t overhead = kUdpHeaderSize + (v4 ? kIpv4HeaderSize : 0);
  if (payload.size() > kMaxLength16 - overhead)
    return core::fail(core::ErrorCode::Unsupported, "{} octets do not fit one UDP datagram",
                      payload.size());
  core::wire::Writer w;
  if (v4) {
    write_ipv4_header(w, src, dst, payload.size());
  } else {
    write_ipv6_header(w, src, dst, payload.size());
  }
  write_udp_header(w, src, dst, payload);
  return w.take();
}

std::vector<std::uint8_t> pcap_file_header() {
  core::wire::Writer w;
  w.u32_le(0xa1b2c3d4);  // microsecond timestamps, written little-endian
  w.u16_le(2);           // version 2.4
  w.u16_le(4);
  w.u32_le(0);  // thiszone: timestamps are UTC
  w.u32_le(0);  // sigfigs
  w.u32_le(kSnapLen);
  w.u32_le(kLinktypeRaw);
  return w.take();
}

std::vector<std::uint8_t> pcap_record(core::WallTime when, std::span<const std::uint8_t> packet) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  const auto us = duration_cast<microseconds>(when.time_since_epoch()).count();
  const std::uint64_t t = us > 0 ? static_cast<std::uint64_t>(us) : 0;
  core::wire::Writer w;
  w.u32_le(static_cast<std::uint32_t>(t / 1000000));
  w.u32_le(static_cast<std::uint32_t>(t % 1000000));
  w.u32_le(static_cast<std::uint32_t>(packet.size()));  // captured length
  w.u32_le(static_cast<std::uint32_t>(packet.size()));  // original length
  w.bytes(packet);
  return w.take();
}

core::Result<std::unique_ptr<PcapWriter>> PcapWriter::open(const std::string& path) {
  auto file = RecordFile::open(path, RecordFile::Mode::Truncate, 0600);
  if (!file) return tl::unexpected(file.error());
  if (auto s = (*file)->write(pcap_file_header()); !s) return tl::unexpected(s.error());
  return std::unique_ptr<PcapWriter>(new PcapWriter(std::move(*file)));
}

core::Status PcapWriter::write_ike(bool outbound, const ikev2::wire::Header& header,
                                   const std::vector<ikev2::wire::Payload>& payloads,
                                   const Endpoint& local, const Endpoint& remote,
                                   core::WallTime when) {
  auto message = plaintext_ike_message(header, payloads);
  if (!message) return tl::unexpected(message.error());
  if (local.port != kNatTraversalPort) return write_udp(*message, local, remote, outbound, when);
  std::vector<std::uint8_t> marked(4, 0);  // non-ESP marker (RFC 3948 §2.2)
  marked.insert(marked.end(), message->begin(), message->end());
  return write_udp(marked, local, remote, outbound, when);
}

core::Status PcapWriter::write_udp(std::span<const std::uint8_t> payload, const Endpoint& local,
                                   const Endpoint& remote, bool outbound, core::WallTime when) {
  auto packet = outbound ? ip_udp_packet(local, remote, payload) : ip_udp_packet(remote, local, payload);
  if (!packet) return tl::unexpected(packet.error());
  if (auto s = file_->write(pcap_record(when, *packet)); !s) return s;
  ++packets_;
  return core::ok();
}

}  // namespace kagid::trace
