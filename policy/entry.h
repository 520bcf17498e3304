// policy/entry.h — one directional SPD entry as configuration describes it
// (racoon2's selector -> policy -> ipsec chain, resolved by the daemon).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ipsec/types.h"
#include "core/net/selector.h"

namespace policy {

// Entry is one selector with the policy it points at. Addresses are already
// resolved: macros (MY_IP ...) are the daemon's job. A road-warrior entry
// (peers_sa_ipaddr IP_RW) is not installed at start: generated policies are
// installed per peer when an SA comes up.
struct Entry {
  std::string selector_name;   // racoon2 selector index
  std::string policy_name;     // racoon2 policy index
  std::string remote_name;     // racoon2 remote index ("" for bypass/discard)
  core::net::Selector selector;
  core::ipsec::Dir dir = core::ipsec::Dir::Out;
  core::ipsec::Action action = core::ipsec::Action::Protect;
  core::ipsec::Mode mode = core::ipsec::Mode::Transport;
  core::ipsec::Level level = core::ipsec::Level::Require;
  std::vector<core::ipsec::Proto> protocols{core::ipsec::Proto::Esp};  // AH/ESP/IPComp bundle
  std::uint32_t reqid = 0;     // configured; 0 = allocate
  std::optional<core::net::Address> my_sa_addr;     // tunnel endpoints
  std::optional<core::net::Address> peers_sa_addr;
  bool road_warrior = false;   // peers_sa_ipaddr IP_RW: generated per peer
  bool install = true;         // racoon2 `install off`: negotiate but don't install
  std::uint32_t priority = 0;  // 0 = from the selector's specificity
};

}  // namespace policy
