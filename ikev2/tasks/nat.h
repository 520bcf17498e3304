// ikev2/tasks/nat.h — NAT detection (RFC 7296 §2.23).
//
// NAT_DETECTION_SOURCE_IP / _DESTINATION_IP carry
//   SHA-1(SPIi | SPIr | IP address | Port)
// of the sender's and the receiver's endpoint as the sender sees them; SPIr
// is zero in the IKE_SA_INIT request. A receiver that computes a different
// value from the addresses it sees knows a NAT is on the path.
#pragma once

#include <cstdint>
#include <vector>

#include "core/net/address.h"
#include "ikev2/wire/message.h"

namespace ikev2 {

// nat_hash returns the 20-octet detection value for one endpoint.
std::vector<std::uint8_t> nat_hash(std::uint64_t spi_i, std::uint64_t spi_r,
                                   const core::net::Endpoint& ep);

// nat_notifies builds our two notifies for a message from local to remote.
std::vector<wire::Payload> nat_notifies(std::uint64_t spi_i, std::uint64_t spi_r,
                                        const core::net::Endpoint& local,
                                        const core::net::Endpoint& remote);

// NatResult says which end the peer's notifies show behind a NAT; present
// is false when the peer sent no NAT detection (then no NAT is assumed).
struct NatResult {
  bool present = false;
  bool local_behind = false;   // their DESTINATION_IP hash differs from ours
  bool remote_behind = false;  // no SOURCE_IP hash matches where it came from
};

// check_nat compares the notifies of a received message (sent by the peer
// from remote to local) with the hashes of the endpoints we see.
NatResult check_nat(const std::vector<wire::Payload>& payloads, std::uint64_t spi_i,
                    std::uint64_t spi_r, const core::net::Endpoint& local,
                    const core::net::Endpoint& remote);

}  // namespace ikev2
