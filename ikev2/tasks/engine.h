// ikev2/tasks/engine.h — the IKEv2 engine facade (RFC 7296): what the daemon
// and the tests drive.
//
//   ikev2::Engine e(settings, kernel, clock, timers, sender, rng);
//   e.set_event_handler([](const ikev2::Event& ev) { ... });
//   e.on_datagram(bytes, local, remote);       // from the UDP sockets
//   auto id = e.initiate(peer, child);         // returns the new IKE_SA id
//   e.rekey_child(id, spi_in); e.rekey_ike(id); e.delete_ike(id);
//
// The engine owns no socket and no timer of its own: it sends through the
// Sender, schedules on the Timers, installs CHILD_SAs through the Kernel.
// Datagrams are IKE messages without the RFC 3948 non-ESP marker: the
// daemon strips it on receipt on port 4500 and adds it when the local port
// of a send is 4500. Single-threaded: call everything from the loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock/clock.h"
#include "core/crypto/random.h"
#include "core/ipsec/events.h"
#include "core/ipsec/kernel.h"
#include "core/net/address.h"
#include "core/result.h"
#include "ikev2/sa/ike_sa.h"
#include "ikev2/sa/settings.h"
#include "ikev2/wire/message.h"

namespace ikev2 {

// Sender puts one datagram on the wire from local to remote. It must not
// call back into the engine.
class Sender {
 public:
  virtual ~Sender() = default;
  virtual void send(std::span<const std::uint8_t> datagram, const core::net::Endpoint& local,
                    const core::net::Endpoint& remote) = 0;
};

// EventKind says what happened to an SA.
enum class EventKind : std::uint8_t {
  IkeUp,         // IKE_SA established (IKE_AUTH done)
  IkeDown,       // IKE_SA gone (deleted, failed, timed out); reason says why
  IkeRekeyed,    // IKE_SA replaced: ike is the new one, old_ike the old one
  ChildUp,       // CHILD_SA installed in the kernel
  ChildDown,     // CHILD_SA removed from the kernel
  ChildRekeyed,  // CHILD_SA replaced: child is the new one, old_spi_in the old
  ChildFailed,   // a CHILD_SA could not be negotiated (IKE_SA may be up)
};

std::string_view event_kind_name(EventKind k);

// ChildInfo describes one CHILD_SA for events and status.
struct ChildInfo {
  std::string name;
  std::uint32_t spi_in = 0, spi_out = 0;
  std::uint32_t reqid = 0;
  core::ipsec::Mode mode = core::ipsec::Mode::Tunnel;
  ChildAlgs algs;
  std::vector<Ts> local_ts, remote_ts;
  ChildState state = ChildState::Creating;
  bool encap = false;
};

// Event is one notification to the daemon. Fields not relevant to kind are
// left empty.
struct Event {
  EventKind kind = EventKind::IkeUp;
  IkeSaId ike = 0;
  IkeSaId old_ike = 0;
  std::uint64_t spi_i = 0, spi_r = 0;
  core::net::Endpoint local, remote;
  Identity remote_id;
  std::string peer;  // PeerConfig::name, if any
  std::optional<ChildInfo> child;
  std::uint32_t old_spi_in = 0;
  std::string reason;
};

using EventHandler = std::function<void(const Event&)>;

// MessageTracer sees every IKE message the engine sends (outbound) or
// accepts (after decryption), with its plaintext payloads and the endpoints
// it travels between (local: ours, remote: the peer's, ports as used): for
// debug dumps, pcap traces and tests that assert payloads message by
// message. It must not call back into the engine.
using MessageTracer = std::function<void(
    bool outbound, const wire::Header& header, const std::vector<wire::Payload>& payloads,
    const core::net::Endpoint& local, const core::net::Endpoint& remote)>;

// IkeKeyInfo is one IKE_SA's SK payload keys (RFC 7296 §2.14) as a
// KeyLogger sees them: SPIs, the chosen transforms (IANA IDs) and views of
// SK_ei/SK_er (with any AEAD salt) and SK_ai/SK_ar (empty with AEAD). The
// views are valid only during the call.
struct IkeKeyInfo {
  std::uint64_t spi_i = 0, spi_r = 0;
  IkeAlgs algs;
  std::span<const std::uint8_t> sk_ei, sk_er, sk_ai, sk_ar;
};

// KeyLogger is called each time IKE_SA keys are derived: after IKE_SA_INIT
// and for the new IKE_SA of a rekey (§2.18). It is for debugging with a
// packet analyser only (it hands out secrets) and must not call back into
// the engine.
using KeyLogger = std::function<void(const IkeKeyInfo& keys)>;

// IkeSaStatus is a snapshot of one IKE_SA.
struct IkeSaStatus {
  IkeSaId id = 0;
  IkeState state = IkeState::Created;
  bool initiator = false;
  std::uint64_t spi_i = 0, spi_r = 0;
  core::net::Endpoint local, remote;
  Identity local_id, remote_id;
  std::string peer;
  IkeAlgs algs;
  bool nat_local = false, nat_remote = false;
  std::uint32_t next_request_id = 0, expected_peer_id = 0;
  std::vector<ChildInfo> children;
};

// EngineStatus is a snapshot of the whole engine.
struct EngineStatus {
  std::vector<IkeSaStatus> ike_sas;
  std::size_t half_open = 0;
};

// ChildRequest asks initiate() for a first CHILD_SA: a configuration and,
// optionally, the selectors of the packet that triggered it (sent first in
// TSi/TSr, RFC 7296 §2.9).
struct ChildRequest {
  std::shared_ptr<const ChildConfig> config;
  std::optional<Ts> packet_src, packet_dst;
};

class EngineCore;

class Engine {
 public:
  // Engine keeps references to kernel, clock, timers, sender and rng, which
  // must outlive it. It does not install the kernel's event handler: the
  // daemon forwards kernel events through on_kernel_event.
  Engine(Settings settings, core::ipsec::Kernel& kernel, const core::Clock& clock,
         core::Timers& timers, Sender& sender, core::crypto::Rng& rng);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void set_event_handler(EventHandler handler);
  void set_message_tracer(MessageTracer tracer);
  // set_key_logger installs a KeyLogger (none by default).
  void set_key_logger(KeyLogger logger);

  // on_datagram processes one received IKE message. Anything wrong with it
  // is logged and answered or dropped as RFC 7296 says; it never throws.
  void on_datagram(std::span<const std::uint8_t> datagram, const core::net::Endpoint& local,
                   const core::net::Endpoint& remote);
  // on_kernel_event handles kernel expire events of our CHILD_SAs (soft:
  // rekey, hard: delete); other events are ignored.
  void on_kernel_event(const core::ipsec::KernelEvent& event);

  // initiate starts IKE_SA_INIT + IKE_AUTH to peer.remote, with a first
  // CHILD_SA when child is given, else childless (RFC 6023). Returns the
  // IKE_SA id at once; the outcome arrives as events.
  core::Result<IkeSaId> initiate(std::shared_ptr<const PeerConfig> peer,
                                 std::optional<ChildRequest> child = std::nullopt);
  // create_child adds a CHILD_SA to an established IKE_SA (CREATE_CHILD_SA).
  core::Status create_child(IkeSaId ike, ChildRequest child);
  // rekey_child rekeys the CHILD_SA with inbound SPI spi_in (§2.8).
  core::Status rekey_child(IkeSaId ike, std::uint32_t spi_in);
  // rekey_ike rekeys the IKE_SA, moving its CHILD_SAs to the new one (§2.18).
  core::Status rekey_ike(IkeSaId ike);
  // delete_child deletes one CHILD_SA with an INFORMATIONAL exchange.
  core::Status delete_child(IkeSaId ike, std::uint32_t spi_in);
  // delete_ike deletes the IKE_SA and all its CHILD_SAs (§1.4.1).
  core::Status delete_ike(IkeSaId ike);
  // liveness sends an empty INFORMATIONAL request (a dead peer check, §1.4).
  core::Status liveness(IkeSaId ike);

  EngineStatus status() const;
  // ike_status returns one IKE_SA's snapshot, if it exists.
  std::optional<IkeSaStatus> ike_status(IkeSaId ike) const;
  std::size_t ike_sa_count() const;

 private:
  std::unique_ptr<EngineCore> core_;
};

}  // namespace ikev2
