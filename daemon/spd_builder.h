// daemon/spd_builder.h — turns the configuration's selector/policy/ipsec/sa
// chain into policy::Entry values, resolving address macros against the
// host's current addresses.
//
// One configured selector may give several entries: MY_IP and IP_ANY expand
// to every matching address (and family), and src/dst lists form every
// same-family pair. A selector or policy that names IP_RW becomes a
// road-warrior entry: kept for acquire/responder lookups, installed per peer.
#pragma once

#include <string>
#include <vector>

#include "core/net/address.h"
#include "core/result.h"
#include "daemon/config/model.h"
#include "policy/entry.h"

namespace kagid {

// LocalAddresses is what the host has now (from getifaddrs / rtnetlink).
struct LocalAddresses {
  std::vector<core::net::Address> addrs;
  // from_system reads the current interface addresses (getifaddrs).
  static LocalAddresses from_system();
};

// resolve_address expands one AddressSpec into prefixes. Fails when a macro
// has no address on this host, naming the macro and where it was written.
core::Result<std::vector<core::net::Prefix>> resolve_address(const config::AddressSpec& spec,
                                                            const LocalAddresses& local);

// build_entries builds the policy set. Errors name file:line of the block.
core::Result<std::vector<policy::Entry>> build_entries(const config::Config& cfg, const LocalAddresses& local);

}  // namespace kagid
