// tests/unit/ikev2/engine/two_peers.h — two IKEv2 engines in one process:
// A (192.0.2.1, the initiator) and B (198.51.100.2, the responder), each
// with its own FakeKernel and DeterministicRng, sharing one SimulatedTime
// and a LoopbackNet. Every message each engine sends or accepts is traced
// with its plaintext payloads, and every event is recorded.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock/simulated_time.h"
#include "core/log/log.h"
#include "deterministic_rng.h"
#include "ikev2/tasks/engine.h"
#include "ikev2/wire/message.h"
#include "kernel/fake/fake_kernel.h"
#include "loopback_net.h"

namespace ikev2::testing {

using core::net::Address;
using core::net::Endpoint;
using core::net::Prefix;

// Traced is one message as an engine sent or accepted it.
struct Traced {
  bool outbound = false;
  wire::Header header;
  std::vector<wire::Payload> payloads;
};

// shape prints payload kinds, notifies by name: "SA KE No N(COOKIE)".
inline std::string shape(const std::vector<wire::Payload>& payloads) {
  std::string s;
  for (const auto& p : payloads) {
    if (!s.empty()) s += ' ';
    if (const auto* n = std::get_if<wire::NotifyPayload>(&p)) {
      s += "N(" + wire::notify_type_name(n->type) + ")";
    } else {
      s += wire::payload_type_name(wire::payload_type(p));
    }
  }
  return s;
}

inline Address addr(const char* text) { return Address::parse(text).value(); }
inline Ts ts(const char* prefix) { return Ts::from_prefix(Prefix::parse(prefix).value()); }

struct Peer {
  Peer(const char* address, core::SimulatedTime& time, ::testing::LoopbackNet& net,
       std::uint64_t seed, Settings settings)
      : address(addr(address)),
        kernel(time, time, {.seed = seed}),
        rng(seed),
        engine(std::move(settings), kernel, time, time, net, rng) {
    engine.set_event_handler([this](const Event& e) { events.push_back(e); });
    engine.set_message_tracer([this](bool out, const wire::Header& h,
                                     const std::vector<wire::Payload>& p, const Endpoint&,
                                     const Endpoint&) {
      trace.push_back({out, h, p});
    });
    net.attach(this->address, [this](std::span<const std::uint8_t> b, const Endpoint& l,
                                     const Endpoint& r) { engine.on_datagram(b, l, r); });
  }

  Endpoint ep(std::uint16_t port = 500) const { return {address, port}; }

  std::size_t count(EventKind k) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.kind == k;
    return n;
  }
  const Event* last(EventKind k) const {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->kind == k) return &*it;
    }
    return nullptr;
  }
  // sent returns the messages this engine sent, in order.
  std::vector<const Traced*> sent() const {
    std::vector<const Traced*> out;
    for (const auto& t : trace) {
      if (t.outbound) out.push_back(&t);
    }
    return out;
  }
  // only_ike returns the single IKE_SA's status (fails the test otherwise).
  IkeSaStatus only_ike() const {
    auto st = engine.status();
    if (st.ike_sas.size() != 1) throw std::runtime_error("expected exactly one IKE_SA");
    return st.ike_sas.front();
  }
  // key_of returns the encryption key the kernel holds for (dst, spi).
  std::vector<std::uint8_t> key_of(const Address& dst, std::uint32_t spi) {
    auto info = kernel.get_sa({dst, spi, core::ipsec::Proto::Esp});
    return info ? info->spec.enc.key : std::vector<std::uint8_t>{};
  }

  Address address;
  kernel::FakeKernel kernel;
  ::testing::DeterministicRng rng;
  Engine engine;
  std::vector<Event> events;
  std::vector<Traced> trace;
};

// default_settings gives each side an FQDN identity and one shared key.
inline Settings default_settings(const char* id) {
  Settings s;
  s.local_id = Identity::parse(id).value();
  s.psk = [](const Identity&, const Identity&) -> std::optional<core::crypto::SecureBytes> {
    return core::crypto::SecureBytes({'s', '3', 'c', 'r', '3', 't'});
  };
  return s;
}

inline std::shared_ptr<ChildConfig> child_config(const char* name, const char* local,
                                                  const char* remote) {
  auto c = std::make_shared<ChildConfig>();
  c->name = name;
  c->local_ts = {ts(local)};
  c->remote_ts = {ts(remote)};
  return c;
}

// TwoPeers builds A and B. B's responder configuration (peer_b, the view
// of A) and A's (peer_a, the view of B) can be edited before connect().
struct TwoPeers {
  explicit TwoPeers(Settings sa = default_settings("a.example"),
                    Settings sb = default_settings("b.example"))
      : child_a(child_config("net", "10.1.0.0/16", "10.2.0.0/16")),
        child_b(child_config("net", "10.2.0.0/16", "10.1.0.0/16")),
        peer_a(std::make_shared<PeerConfig>()),
        peer_b(std::make_shared<PeerConfig>()),
        a("192.0.2.1", time, net, 11, with_peer(std::move(sa), peer_a)),
        b("198.51.100.2", time, net, 22, with_peer(std::move(sb), peer_b)) {
    core::log::set_level(core::log::Level::Warn);
    peer_a->name = "to-b";
    peer_a->local = a.ep();
    peer_a->remote = b.ep();
    peer_a->remote_id = Identity::parse("b.example").value();
    peer_a->children = {child_a};
    peer_b->name = "to-a";
    peer_b->local = b.ep();
    peer_b->remote = a.ep();
    peer_b->remote_id = Identity::parse("a.example").value();
    peer_b->children = {child_b};
  }

  // connect initiates from A (with the child unless childless) and pumps.
  IkeSaId connect(bool with_child = true) {
    std::optional<ChildRequest> req;
    if (with_child) req = ChildRequest{child_a, std::nullopt, std::nullopt};
    auto id = a.engine.initiate(peer_a, req);
    if (!id) throw std::runtime_error(id.error().to_string());
    net.pump();
    return *id;
  }

  core::SimulatedTime time;
  ::testing::LoopbackNet net;
  std::shared_ptr<ChildConfig> child_a, child_b;
  std::shared_ptr<PeerConfig> peer_a, peer_b;
  Peer a, b;

 private:
  // with_peer makes the responder side find `peer` for whoever connects.
  static Settings with_peer(Settings s, std::shared_ptr<PeerConfig> peer) {
    if (!s.peer) {
      s.peer = [peer](const Identity&, const Endpoint&) -> std::shared_ptr<const PeerConfig> {
        return peer;
      };
    }
    return s;
  }
};

}  // namespace ikev2::testing
