// tests/unit/ikev2/wire_tshark_test.cc — cross-checks our encoder against a
// real dissector: the encoded messages go into a pcap (LINKTYPE_RAW, IPv4 +
// UDP to port 500) and `tshark -V` must dissect every payload, with the
// field values we put in, and without reporting a malformed packet.
// Skipped (with a warning) when tshark is not installed.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include "core/wire/writer.h"
#include "ikev2/wire/message.h"
#include "wire_samples.h"

using namespace ikev2::wire;

namespace {

using Bytes = std::vector<std::uint8_t>;

bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

// ipv4_udp wraps payload in IPv4 (192.0.2.1 -> 192.0.2.2) and UDP 500 -> 500.
Bytes ipv4_udp(const Bytes& payload) {
  core::wire::Writer ip;
  const std::size_t total = 20 + 8 + payload.size();
  ip.u8(0x45);  // version 4, IHL 5
  ip.u8(0);
  ip.u16(static_cast<std::uint16_t>(total));
  ip.u16(0);       // identification
  ip.u16(0x4000);  // DF
  ip.u8(64);       // TTL
  ip.u8(17);       // UDP
  auto checksum = ip.reserve_u16();
  ip.bytes(Bytes{192, 0, 2, 1});
  ip.bytes(Bytes{192, 0, 2, 2});
  std::uint32_t sum = 0;
  auto hdr = ip.view();
  for (std::size_t i = 0; i < hdr.size(); i += 2) sum += (hdr[i] << 8) | hdr[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  ip.patch_u16(checksum, static_cast<std::uint16_t>(~sum));
  ip.u16(500);
  ip.u16(500);
  ip.u16(static_cast<std::uint16_t>(8 + payload.size()));
  ip.u16(0);  // no UDP checksum (allowed over IPv4)
  ip.bytes(payload);
  return ip.take();
}

// pcap builds a classic pcap file (LINKTYPE_RAW = 101) holding packets.
Bytes pcap(const std::vector<Bytes>& packets) {
  core::wire::Writer w;
  w.u32_le(0xa1b2c3d4);
  w.u16_le(2);
  w.u16_le(4);
  w.u32_le(0);      // thiszone
  w.u32_le(0);      // sigfigs
  w.u32_le(65535);  // snaplen
  w.u32_le(101);    // LINKTYPE_RAW
  std::uint32_t t = 1700000000;
  for (const auto& p : packets) {
    w.u32_le(t++);
    w.u32_le(0);
    w.u32_le(static_cast<std::uint32_t>(p.size()));
    w.u32_le(static_cast<std::uint32_t>(p.size()));
    w.bytes(p);
  }
  return w.take();
}

// dissect writes packets to a temporary pcap and returns `tshark -V` output.
std::string dissect(const std::vector<Bytes>& messages) {
  std::vector<Bytes> packets;
  for (const auto& m : messages) packets.push_back(ipv4_udp(m));
  char path[] = "/tmp/kagi-ikewire-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  {
    auto bytes = pcap(packets);
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  std::string cmd = std::string("tshark -n -r ") + path + " -V 2>&1";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  std::remove(path);
  return out;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("tshark dissects our IKE_SA_INIT", "[ikev2][wire][tshark]") {
  if (!have_tshark()) {
    WARN("tshark not installed: skipping the dissector cross-check");
    return;
  }
  auto out = dissect({encode_message(samples::ike_sa_init_request())});
  INFO(out);
  CHECK(out.find("Internet Security Association and Key Management Protocol") != std::string::npos);
  CHECK(out.find("Exchange type: IKE_SA_INIT (34)") != std::string::npos);
  CHECK(count(out, "Payload: Security Association (33)") == 1);
  CHECK(count(out, "Payload: Proposal (2)") == 2);
  CHECK(count(out, "Payload: Transform (3)") == 8);
  CHECK(out.find("Key Length: 128") != std::string::npos);
  CHECK(out.find("Key Length: 256") != std::string::npos);
  CHECK(count(out, "Payload: Key Exchange (34)") == 1);
  CHECK(count(out, "Payload: Nonce (40)") == 1);
  CHECK(count(out, "Payload: Notify (41)") == 4);
  CHECK(out.find("NAT_DETECTION_SOURCE_IP") != std::string::npos);
  CHECK(out.find("IKEV2_FRAGMENTATION_SUPPORTED") != std::string::npos);
  CHECK(count(out, "Payload: Vendor ID (43)") == 1);
  CHECK(count(out, "Payload: Certificate Request (38)") == 1);
  CHECK(out.find("Malformed") == std::string::npos);
}

TEST_CASE("tshark dissects every other payload type", "[ikev2][wire][tshark]") {
  if (!have_tshark()) {
    WARN("tshark not installed: skipping the dissector cross-check");
    return;
  }
  // The IKE_AUTH inner payloads sent in the clear: the dissector follows the
  // chain whatever the exchange, so it checks ID, AUTH, CP, TS, CERT, D, EAP.
  Message m;
  m.header.spi_i = 1;
  m.header.spi_r = 2;
  m.header.exchange = ExchangeType::IkeAuth;
  m.header.initiator = true;
  m.header.message_id = 1;
  m.payloads = samples::ike_auth_inner();
  Message sk = m;
  sk.payloads = {SkPayload{PayloadType::IdInitiator, samples::bytes(16 + 64 + 16)}};
  auto out = dissect({encode_message(m), encode_message(sk)});
  INFO(out);
  CHECK(out.find("Payload: Identification - Initiator (35)") != std::string::npos);
  CHECK(out.find("Payload: Identification - Responder (36)") != std::string::npos);
  CHECK(out.find("mn.example") != std::string::npos);
  CHECK(out.find("Payload: Authentication (39)") != std::string::npos);
  CHECK(out.find("Payload: Configuration (47)") != std::string::npos);
  CHECK(out.find("MIP6_HOME_PREFIX") != std::string::npos);
  CHECK(out.find("Payload: Traffic Selector - Initiator (44)") != std::string::npos);
  CHECK(out.find("Payload: Traffic Selector - Responder (45)") != std::string::npos);
  CHECK(out.find("Starting Addr: 192.0.2.0") != std::string::npos);
  CHECK(out.find("Ending Addr: 2001:db8::ff") != std::string::npos);
  CHECK(out.find("Payload: Certificate (37)") != std::string::npos);
  CHECK(out.find("http://ca.example/mn.der") != std::string::npos);
  CHECK(out.find("Payload: Delete (42)") != std::string::npos);
  CHECK(out.find("Payload: Extensible Authentication (48)") != std::string::npos);
  CHECK(out.find("Payload: Encrypted and Authenticated (46)") != std::string::npos);
  CHECK(out.find("Malformed") == std::string::npos);
}
