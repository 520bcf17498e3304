// tests/unit/daemon/trace_tshark_test.cc — --pcap and --keylog end to end:
// two IKEv2 engines in one process (tests/unit/ikev2/engine/two_peers.h:
// fake kernels, simulated time, loopback network), A traced by a Tracer.
// tshark must (a) dissect the plaintext pcap with every inner payload of
// IKE_AUTH and no malformed packet or bad checksum, and (b) decrypt a pcap
// of the encrypted wire bytes with the key log, through the decryption
// table file (WIRESHARK_CONFIG_DIR) and through `-o uat:...`.
// Skipped with a warning when tshark is not installed.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>

#include "daemon/trace/tracer.h"
#include "tests/unit/ikev2/engine/two_peers.h"
#include "trace_util.h"

namespace {

using namespace kagid::trace;
using namespace trace_test;
using ikev2::testing::TwoPeers;
using core::net::Address;
using core::net::Endpoint;

// kOptions make tshark print every field and validate checksums; kTshark
// reads the capture named after it.
const std::string kOptions = "-n -V -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -r ";
const std::string kTshark = "tshark " + kOptions;

ikev2::Settings with_ike(const char* id, const char* proposals) {
  auto s = ikev2::testing::default_settings(id);
  s.ike_proposals = ikev2::parse_proposals(proposals, ikev2::wire::ProtocolId::Ike).value();
  return s;
}

// Traced is a TwoPeers whose A side has a Tracer writing plain.pcap and
// ikev2_decryption_table in a temporary directory.
struct Traced {
  explicit Traced(const char* proposals = "aes256gcm16-prfsha256-x25519")
      : t(with_ike("a.example", proposals), with_ike("b.example", proposals)) {
    auto tr = Tracer::open({dir.file("plain.pcap"), dir.file("ikev2_decryption_table")}, t.time);
    REQUIRE(tr);
    tracer = std::move(*tr);
    tracer->attach(t.a.engine);
  }

  // write_wire puts every datagram that crossed the loopback into a pcap,
  // as A's side of the link would capture it.
  std::string write_wire() {
    const auto path = dir.file("wire.pcap");
    auto w = PcapWriter::open(path).value();
    for (const auto& d : t.net.sent()) {
      const bool out = d.from.addr == t.a.address;
      auto s = out ? w->write_udp(d.bytes, d.from, d.to, true, t.time.wall_now())
                   : w->write_udp(d.bytes, d.to, d.from, false, t.time.wall_now());
      REQUIRE(s);
    }
    return path;
  }

  std::string keylog() const { return read_text(dir.file("ikev2_decryption_table")); }

  TempDir dir;
  TwoPeers t;
  std::unique_ptr<Tracer> tracer;
};

void check_clean(const std::string& out) {
  CHECK(out.find("Malformed") == std::string::npos);
  CHECK(out.find("Checksum Status: Bad") == std::string::npos);
  CHECK(out.find("Expert Info (Error") == std::string::npos);
  CHECK(out.find("IKEv2 decryption error") == std::string::npos);
  CHECK(out.find("[incorrect") == std::string::npos);
}

// check_ike_auth checks the payloads of one IKE_AUTH exchange with a
// CHILD_SA (RFC 7296 §1.2), request and response.
void check_ike_auth(const std::string& out) {
  CHECK(count(out, "Exchange type: IKE_AUTH (35)") == 2);
  CHECK(count(out, "Payload: Identification - Initiator (35)") == 1);
  // IDr in both: the initiator names the responder it wants (§3.5).
  CHECK(count(out, "Payload: Identification - Responder (36)") == 2);
  CHECK(out.find("Identification Data:a.example") != std::string::npos);
  CHECK(out.find("Identification Data:b.example") != std::string::npos);
  CHECK(count(out, "Payload: Authentication (39)") == 2);
  CHECK(count(out, "Payload: Traffic Selector - Initiator (44)") == 2);
  CHECK(count(out, "Payload: Traffic Selector - Responder (45)") == 2);
  CHECK(out.find("Starting Addr: 10.1.0.0") != std::string::npos);
  CHECK(out.find("Starting Addr: 10.2.0.0") != std::string::npos);
}

TEST_CASE("--pcap: tshark shows IKE_SA_INIT and IKE_AUTH with every inner payload",
          "[daemon][trace][tshark]") {
  if (!have_tshark()) {
    WARN("tshark not installed: skipping the pcap cross-check");
    return;
  }
  Traced r;
  r.t.connect();
  REQUIRE(r.t.a.count(ikev2::EventKind::ChildUp) == 1);
  CHECK(r.tracer->pcap()->packets() == 4);
  const auto out = run(kTshark + r.dir.file("plain.pcap"));
  INFO(out);
  check_clean(out);
  CHECK(count(out, "[Header checksum status: Good]") == 4);  // IPv4
  CHECK(count(out, "[Checksum Status: Good]") == 4);         // UDP
  CHECK(count(out, "Src: 192.0.2.1, Dst: 198.51.100.2") == 2);
  CHECK(count(out, "Src: 198.51.100.2, Dst: 192.0.2.1") == 2);
  CHECK(count(out, "Exchange type: IKE_SA_INIT (34)") == 2);
  CHECK(count(out, "Payload: Key Exchange (34)") == 2);
  CHECK(count(out, "Payload: Nonce (40)") == 2);
  // SA: both IKE_SA_INIT messages, and the CHILD_SA's in IKE_AUTH.
  CHECK(count(out, "Payload: Security Association (33)") == 4);
  CHECK(out.find("Protocol ID: ESP (3)") != std::string::npos);
  check_ike_auth(out);
  // Nothing is left encrypted.
  CHECK(out.find("Payload: Encrypted and Authenticated (46)") == std::string::npos);
}

TEST_CASE("--pcap: IPv6 endpoints on port 4500 carry the non-ESP marker",
          "[daemon][trace][tshark]") {
  if (!have_tshark()) {
    WARN("tshark not installed: skipping the pcap cross-check");
    return;
  }
  // The engines talk IPv4 on 500; their messages are traced as if between
  // IPv6 endpoints after a move to 4500 (RFC 7296 §2.23).
  TempDir dir;
  TwoPeers t;
  auto pcap = PcapWriter::open(dir.file("v6.pcap")).value();
  const Endpoint local{Address::parse("2001:db8::1").value(), 4500};
  const Endpoint remote{Address::parse("2001:db8:2::2").value(), 4500};
  t.a.engine.set_message_tracer([&](bool out, const ikev2::wire::Header& h,
                                    const std::vector<ikev2::wire::Payload>& p, const Endpoint&,
                                    const Endpoint&) {
    REQUIRE(pcap->write_ike(out, h, p, local, remote, t.time.wall_now()));
  });
  t.connect();
  REQUIRE(pcap->packets() == 4);
  const auto out = run(kTshark + pcap->path());
  INFO(out);
  check_clean(out);
  CHECK(count(out, "Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8:2::2") == 2);
  CHECK(count(out, "UDP Encapsulation of IPsec Packets") == 4);
  CHECK(count(out, "Non-ESP Marker") == 4);
  CHECK(count(out, "[Checksum Status: Good]") == 4);  // UDP only: IPv6 has none
  CHECK(count(out, "Exchange type: IKE_SA_INIT (34)") == 2);
  check_ike_auth(out);
}

TEST_CASE("--keylog: the encrypted wire decrypts in tshark with the key log",
          "[daemon][trace][tshark]") {
  if (!have_tshark()) {
    WARN("tshark not installed: skipping the decryption cross-check");
    return;
  }
  const char* proposals = GENERATE(as<const char*>{}, "aes256gcm16-prfsha256-x25519",
                                   "aes128-sha256-modp2048");
  INFO(proposals);
  Traced r(proposals);
  r.t.connect();
  REQUIRE(r.t.a.count(ikev2::EventKind::ChildUp) == 1);
  const auto wire = r.write_wire();
  const auto keylog = r.keylog();
  REQUIRE(count(keylog, "\n") == 1);

  // Without keys: encrypted, no identities visible. This is what makes the
  // checks below mean something.
  const auto sealed = run(kTshark + wire);
  CHECK(count(sealed, "Payload: Encrypted and Authenticated (46)") == 2);
  CHECK(sealed.find("Identification Data:a.example") == std::string::npos);

  SECTION("decryption table file in WIRESHARK_CONFIG_DIR") {
    const auto out = run("WIRESHARK_CONFIG_DIR=" + r.dir.path() + " " + kTshark + wire);
    INFO(keylog << out);
    check_clean(out);
    CHECK(count(out, "Decrypted Data") >= 2);
    check_ike_auth(out);
    // With HMAC the integrity checksums are verified (" <HMAC_...>[correct]");
    // this tshark build reports nothing on AES-GCM tags, and never
    // "[incorrect" (check_clean).
    if (std::string(proposals).find("gcm") == std::string::npos)
      CHECK(count(out, ">[correct]") == 2);
  }
  SECTION("one table line given with -o uat:ikev2_decryption_table:") {
    std::string line = keylog.substr(0, keylog.find('\n'));
    const auto out =
        run("tshark -o 'uat:ikev2_decryption_table:" + line + "' " + kOptions + wire);
    INFO(keylog << out);
    check_clean(out);
    check_ike_auth(out);
  }
}

TEST_CASE("--keylog: a rekeyed IKE_SA gets its own line and its messages decrypt",
          "[daemon][trace][tshark]") {
  if (!have_tshark()) {
    WARN("tshark not installed: skipping the decryption cross-check");
    return;
  }
  Traced r;
  auto id = r.t.connect();
  REQUIRE(r.t.a.engine.rekey_ike(id));
  r.t.net.pump();
  const auto na = r.t.a.only_ike();
  REQUIRE(na.id != id);
  REQUIRE(r.t.a.engine.liveness(na.id));
  r.t.net.pump();
  const auto keylog = r.keylog();
  REQUIRE(count(keylog, "\n") == 2);
  CHECK(keylog.find(fmt::format("\n{:016x},{:016x},", na.spi_i, na.spi_r)) != std::string::npos);

  const auto out = run("WIRESHARK_CONFIG_DIR=" + r.dir.path() + " " + kTshark + r.write_wire());
  INFO(keylog << out);
  check_clean(out);
  check_ike_auth(out);
  // The rekey on the old SA: SA (with the new SPI), Nonce, KE both ways.
  CHECK(count(out, "Exchange type: CREATE_CHILD_SA (36)") == 2);
  CHECK(out.find("Protocol ID: IKE (1)") != std::string::npos);
  // The old SA's Delete, and the empty liveness check on the new SA.
  CHECK(count(out, "Payload: Delete (42)") == 1);
  CHECK(count(out, "Exchange type: INFORMATIONAL (37)") == 4);
  CHECK(out.find(fmt::format("Initiator SPI: {:016x}", na.spi_i)) != std::string::npos);
  // Every encrypted message was decrypted: all 8 SK payloads.
  CHECK(count(out, "Payload: Encrypted and Authenticated (46)") == 8);
  CHECK(count(out, "Decrypted Data") >= 6);
}

}  // namespace
