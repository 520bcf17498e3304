// daemon/ike_config.h — the configuration's remotes, policies and SPD
// entries turned into what the IKEv2 engine takes: one PeerConfig per remote
// that speaks IKEv2, one ChildConfig per auto_ipsec policy (with the reqid
// the SPD gave it, so the CHILD_SAs the engine installs are the ones the
// kernel policies point at), proposals and pre-shared keys.
//
// The PSK of a remote is read from its `pre_shared_key` file once, at build
// time; a missing or empty file is an error naming the file and the remote.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/crypto/secure_buffer.h"
#include "core/net/address.h"
#include "core/result.h"
#include "daemon/config/model.h"
#include "ikev2/sa/settings.h"
#include "policy/entry.h"

namespace kagid {

// IkeRemote is one IKEv2 remote as the daemon uses it.
struct IkeRemote {
  std::string name;
  std::shared_ptr<ikev2::PeerConfig> peer;      // local endpoint filled per initiation
  std::vector<ikev2::Identity> peers_ids;       // accepted remote identities (empty: by address)
  std::vector<core::net::Prefix> peers_addrs;   // literal peers_ipaddr values
  bool road_warrior = false;                    // peers_ipaddr IP_RW
  bool passive = false;
  core::crypto::SecureBytes psk;
  // policy name -> the CHILD_SA configuration of that policy
  std::map<std::string, std::shared_ptr<const ikev2::ChildConfig>> children;
  // policies whose selectors name IP_RW: their kernel policies are
  // generated per peer when a CHILD_SA comes up (policy::Spd::add_generated)
  std::set<std::string> road_warrior_policies;
};

// IkeConfig is the whole IKEv2 view of one configuration.
struct IkeConfig {
  ikev2::Settings settings;                     // psk/peer lookups filled by the service
  std::map<std::string, IkeRemote> remotes;

  // remote_for_identity finds the remote a responder authenticates: one
  // whose peers_id lists the identity; else one whose peers_ipaddr holds
  // the sender's address; else a road-warrior remote. nullptr: none.
  const IkeRemote* remote_for(const ikev2::Identity& id, const core::net::Address& from) const;
  // psk_for returns the key for an authenticated-to-be remote identity.
  std::optional<core::crypto::SecureBytes> psk_for(const ikev2::Identity& id) const;
};

// to_identity converts a configured my_id / peers_id.
core::Result<ikev2::Identity> to_identity(const config::Identity& id);

// build_ike_config builds the IKEv2 view. entries are the SPD entries with
// their reqids assigned (policy::Spd::entries()).
core::Result<IkeConfig> build_ike_config(const config::Config& cfg, const std::vector<policy::Entry>& entries);

}  // namespace kagid
