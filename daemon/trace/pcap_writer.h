// daemon/trace/pcap_writer.h — PcapWriter: IKE messages as a packet capture
// for Wireshark / tshark, with their plaintext payloads in the clear.
//
//   auto pcap = kagid::trace::PcapWriter::open("/tmp/ike.pcap").value();
//   engine.set_message_tracer([&](bool out, const auto& h, const auto& p,
//                                 const auto& local, const auto& remote) {
//     (void)pcap->write_ike(out, h, p, local, remote, clock.wall_now());
//   });
//
// The file is a classic libpcap capture (microsecond timestamps,
// LINKTYPE_RAW = 101: each record starts with an IPv4 or IPv6 header). Each
// IKE message becomes one UDP datagram between the real endpoints, with
// synthesized IP and UDP headers, correct lengths and checksums (RFC 791,
// RFC 8200, RFC 768). The message is the IKE header plus the plaintext
// payload chain the engine saw before encryption or after decryption, so
// the SK payload (RFC 7296 §3.14) is replaced by its inner payloads and a
// dissector shows every one of them (IDi, AUTH, SA, TSi, TSr ...). On port
// 4500 the four-octet non-ESP marker (RFC 3948 §2.2) goes first so the
// datagram reads as IKE, not ESP.
//
// Every record goes to the file with one write(2): a crash of kagid keeps
// everything traced so far. Not thread-safe; call from the loop thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/clock/clock.h"
#include "core/net/address.h"
#include "core/result.h"
#include "daemon/trace/record_file.h"
#include "ikev2/wire/message.h"

namespace kagid::trace {

// kLinktypeRaw is the pcap link type of raw IPv4/IPv6 packets.
inline constexpr std::uint32_t kLinktypeRaw = 101;
// kNatTraversalPort is UDP 4500, where IKE travels behind the non-ESP marker.
inline constexpr std::uint16_t kNatTraversalPort = 4500;

// plaintext_ike_message encodes header and payloads as one IKE message: the
// Next Payload chain starts at payloads[0] and Length covers them all, so an
// encrypted exchange appears with its inner payloads unencrypted. Fails
// InvalidSyntax when an SK or SKF payload is present but not last (it could
// not be encoded).
core::Result<std::vector<std::uint8_t>> plaintext_ike_message(
    const ikev2::wire::Header& header, const std::vector<ikev2::wire::Payload>& payloads);

// ip_udp_packet wraps payload in a UDP header and an IPv4 or IPv6 header
// from src to dst, with lengths and both checksums (the IPv4 header
// checksum, and the UDP checksum over the pseudo-header, RFC 768 / RFC 8200
// §8.1). Fails InvalidSyntax when src and dst differ in family and
// Unsupported when the payload does not fit one datagram.
core::Result<std::vector<std::uint8_t>> ip_udp_packet(const core::net::Endpoint& src,
                                                      const core::net::Endpoint& dst,
                                                      std::span<const std::uint8_t> payload);

// pcap_file_header returns the 24-octet classic pcap global header
// (little-endian, version 2.4, LINKTYPE_RAW).
std::vector<std::uint8_t> pcap_file_header();

// pcap_record returns one record: the 16-octet record header stamped `when`
// (times before 1970 are written as 0) followed by packet.
std::vector<std::uint8_t> pcap_record(core::WallTime when, std::span<const std::uint8_t> packet);

class PcapWriter {
 public:
  // open creates (or truncates) path with mode 0600, since decrypted IKE
  // messages carry identities and configuration, and writes the pcap
  // header. Fails System.
  static core::Result<std::unique_ptr<PcapWriter>> open(const std::string& path);

  // write_ike appends one IKE message, sent (outbound: local -> remote) or
  // received (remote -> local), as plaintext_ike_message encodes it; the
  // non-ESP marker is added when local's port is 4500. Fails as
  // plaintext_ike_message, ip_udp_packet and RecordFile::write do; nothing
  // is written then.
  core::Status write_ike(bool outbound, const ikev2::wire::Header& header,
                         const std::vector<ikev2::wire::Payload>& payloads,
                         const core::net::Endpoint& local, const core::net::Endpoint& remote,
                         core::WallTime when);

  // write_udp appends one UDP datagram whose payload is given verbatim
  // (e.g. an encrypted IKE message as it went over the wire, marker
  // included on port 4500). Fails as ip_udp_packet and RecordFile::write do.
  core::Status write_udp(std::span<const std::uint8_t> payload, const core::net::Endpoint& local,
                         const core::net::Endpoint& remote, bool outbound, core::WallTime when);

  // packets returns how many records were written.
  std::uint64_t packets() const { return packets_; }
  const std::string& path() const { return file_->path(); }

 private:
  explicit PcapWriter(std::unique_ptr<RecordFile> file) : file_(std::move(file)) {}

  std::unique_ptr<RecordFile> file_;
  std::uint64_t packets_ = 0;
};

}  // namespace kagid::trace
