// core/ipsec/events.h — what a kernel backend reports.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "core/ipsec/types.h"

namespace core::ipsec {

// AcquireEvent: a packet matched a policy with no SA (XFRM_MSG_ACQUIRE,
// SADB_ACQUIRE). packet holds the triggering packet when the source carried
// it (SADB_X_EXT_PACKET, the userspace data plane), from its IP header.
struct AcquireEvent {
  std::uint32_t policy_index = 0;
  net::Selector selector;   // of the packet (or the policy)
  Template tmpl;            // the template with no SA
  net::Address src, dst;    // SA endpoints wanted
  std::optional<std::vector<std::uint8_t>> packet;
};

// ExpireEvent: an SA reached a soft or hard limit.
struct ExpireEvent {
  SaId sa;
  std::uint32_t reqid = 0;
  bool hard = false;
};

// MigrateEvent: someone (a mobility daemon, or kagi itself) migrated a policy.
struct MigrateEvent {
  MigrateRequest request;
};

// PolicyEvent: a policy was added, updated or deleted by someone.
struct PolicyEvent {
  enum class Kind : std::uint8_t { Added, Updated, Deleted, Expired } kind = Kind::Added;
  PolicySpec policy;
};

using KernelEvent = std::variant<AcquireEvent, ExpireEvent, MigrateEvent, PolicyEvent>;

}  // namespace core::ipsec
