// kernel/fake/describe.h — one-line descriptions of kernel-call arguments
// for the fake kernel's call log, errors and log lines.
#pragma once

#include <string>

#include "core/ipsec/types.h"
#include "kernel/fake/policy_table.h"

namespace kernel::fake {

// describe_sa: "esp spi 0x0000c001 dst 192.0.2.1 src 192.0.2.2 reqid 1 tunnel".
std::string describe_sa(const core::ipsec::SaSpec& sa);
// describe_key: "<selector> dir out" plus " mark v/m" when a mark is set.
std::string describe_key(const core::ipsec::PolicyKey& key);
// describe_migrate: the selector, dir and each move "esp tunnel reqid 1
// A->B => C->D", plus the KM addresses when given.
std::string describe_migrate(const core::ipsec::MigrateRequest& req);
// describe_flow: "192.0.2.1->198.51.100.1 proto udp 500/500".
std::string describe_flow(const Flow& flow);

}  // namespace kernel::fake
