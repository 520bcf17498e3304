// ikev2/sa/settings.h — what the daemon tells the IKEv2 engine: its own
// identity and proposals, how to find a peer's PSK and configuration,
// lifetimes, retransmission and DoS-protection knobs.
//
// Configurations are shared, immutable values (std::shared_ptr<const ...>):
// 50,000 road-warrior IKE_SAs point at one PeerConfig instead of copying it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock/clock.h"
#include "core/crypto/secure_buffer.h"
#include "core/ipsec/types.h"
#include "core/net/address.h"
#include "ikev2/sa/identity.h"
#include "ikev2/sa/traffic_selector.h"
#include "ikev2/wire/sa.h"

namespace ikev2 {

// Lifetime says when an SA is rekeyed and when it dies if rekeying failed.
// The rekey time is made soft by subtracting a random part of jitter, so
// that two peers with equal settings do not rekey at the same moment
// (RFC 7296 §2.8.1 recommends randomising). life <= rekey disables rekeying;
// an IKE_SA's life of zero (an infinite configured lifetime) never expires.
struct Lifetime {
  core::Duration rekey = std::chrono::hours(1);
  core::Duration life = std::chrono::minutes(70);
  core::Duration jitter = std::chrono::minutes(5);
};

// RetransmitSettings: a request is retransmitted after base, 2*base,
// 4*base, ... (RFC 7296 §2.1 asks for exponential back-off); after `tries`
// retransmissions and one more timeout the IKE_SA is given up and deleted.
struct RetransmitSettings {
  core::Duration base = std::chrono::seconds(2);
  unsigned tries = 5;
};

// ChildConfig describes CHILD_SAs one may negotiate: selectors from this
// host's point of view, mode, ESP proposals (KE transforms in them ask for
// PFS in CREATE_CHILD_SA) and the kernel reqid (0: the engine picks one).
struct ChildConfig {
  std::string name;
  std::vector<Ts> local_ts;
  std::vector<Ts> remote_ts;
  core::ipsec::Mode mode = core::ipsec::Mode::Tunnel;
  std::vector<wire::Proposal> proposals;
  std::uint32_t reqid = 0;
  Lifetime lifetime;
  std::uint32_t replay_window = 32;
};

// PeerConfig describes one remote: where to reach it, the identities, IKE
// proposals (empty: Settings::ike_proposals) and the CHILD_SAs it may have.
struct PeerConfig {
  std::string name;
  core::net::Endpoint remote;                       // initiator: where to send
  std::optional<core::net::Endpoint> local;         // initiator: source, if fixed
  std::optional<Identity> local_id;                 // default Settings::local_id
  std::optional<Identity> remote_id;                // sent as IDr, and required
  std::vector<wire::Proposal> ike_proposals;
  std::vector<std::shared_ptr<const ChildConfig>> children;
  // psk is this peer's pre-shared key; unset: Settings::psk is asked.
  std::optional<core::crypto::SecureBytes> psk;
  // ike_lifetime is this peer's IKE_SA lifetime; unset: Settings::ike_lifetime.
  std::optional<Lifetime> ike_lifetime;
};

// PskLookup returns the shared key for a (local, remote) identity pair, or
// nullopt when there is none (AUTHENTICATION_FAILED).
using PskLookup = std::function<std::optional<core::crypto::SecureBytes>(const Identity& local,
                                                                         const Identity& remote)>;
// PeerLookup finds the configuration of an authenticated responder-side
// peer by its identity and address; nullptr refuses it.
using PeerLookup = std::function<std::shared_ptr<const PeerConfig>(const Identity& remote,
                                                                   const core::net::Endpoint& from)>;

// Settings is the engine-wide configuration.
struct Settings {
  Identity local_id;
  std::vector<wire::Proposal> ike_proposals;  // empty: default_ike_proposals()
  std::vector<wire::Proposal> esp_proposals;  // empty: default_esp_proposals()
  PskLookup psk;
  PeerLookup peer;
  Lifetime ike_lifetime{std::chrono::hours(4), std::chrono::minutes(270), std::chrono::minutes(10)};
  RetransmitSettings retransmit;
  // A responder demands a COOKIE (RFC 7296 §2.6) when cookie_required, or
  // when this many half-open IKE_SAs exist.
  bool cookie_required = false;
  std::size_t cookie_threshold = 1000;
  core::Duration cookie_secret_lifetime = std::chrono::minutes(2);
  // half_open_timeout drops a responder IKE_SA that never completes IKE_AUTH.
  core::Duration half_open_timeout = std::chrono::seconds(30);
  // dpd_interval sends an empty INFORMATIONAL after this much idle time; 0: never.
  core::Duration dpd_interval{0};
  // accept_childless lets a peer set up an IKE_SA without a CHILD_SA (RFC 6023).
  bool accept_childless = true;
  // send_initial_contact adds INITIAL_CONTACT to the first IKE_AUTH (§2.4).
  bool send_initial_contact = true;
};

// default_ike_proposals: AES-GCM-16-256 and AES-CBC-256/HMAC-SHA2-256 with
// PRF-HMAC-SHA2-256 over Curve25519, ECP-256 and MODP-2048.
std::vector<wire::Proposal> default_ike_proposals();
// default_esp_proposals: AES-GCM-16-256, then AES-CBC-128/HMAC-SHA2-256-128.
std::vector<wire::Proposal> default_esp_proposals();

}  // namespace ikev2
