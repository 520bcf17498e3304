// ikev2/tasks/nat.cc — NAT detection hashes (RFC 7296 §2.23).
#include "ikev2/tasks/nat.h"

#include "core/crypto/hash.h"
#include "core/wire/writer.h"

namespace ikev2 {

std::vector<std::uint8_t> nat_hash(std::uint64_t spi_i, std::uint64_t spi_r,
                                   const core::net::Endpoint& ep) {
  core::wire::Writer w;
  w.u64(spi_i);
  w.u64(spi_r);
  w.bytes(ep.addr.bytes());
  w.u16(ep.port);
  auto h = core::crypto::hash(core::crypto::HashAlg::Sha1, w.view());
  return h ? std::move(*h) : std::vector<std::uint8_t>(20, 0);
}

std::vector<wire::Payload> nat_notifies(std::uint64_t spi_i, std::uint64_t spi_r,
                                        const core::net::Endpoint& local,
                                        const core::net::Endpoint& remote) {
  std::vector<wire::Payload> out;
  out.emplace_back(wire::NotifyPayload::make(wire::NotifyType::NatDetectionSourceIp,
                                             nat_hash(spi_i, spi_r, local)));
  out.emplace_back(wire::NotifyPayload::make(wire::NotifyType::NatDetectionDestinationIp,
                                             nat_hash(spi_i, spi_r, remote)));
  return out;
}

NatResult check_nat(const std::vector<wire::Payload>& payloads, std::uint64_t spi_i,
                    std::uint64_t spi_r, const core::net::Endpoint& local,
                    const core::net::Endpoint& remote) {
  NatResult r;
  bool saw_src = false, src_match = false, saw_dst = false, dst_match = false;
  const auto want_src = nat_hash(spi_i, spi_r, remote);
  const auto want_dst = nat_hash(spi_i, spi_r, local);
  for (const auto& p : payloads) {
    const auto* n = std::get_if<wire::NotifyPayload>(&p);
    if (n == nullptr) continue;
    if (n->type == wire::NotifyType::NatDetectionSourceIp) {
      // There may be several SOURCE_IP notifies (multi-homed senders).
      saw_src = true;
      src_match = src_match || n->data == want_src;
    } else if (n->type == wire::NotifyType::NatDetectionDestinationIp) {
      saw_dst = true;
      dst_match = dst_match || n->data == want_dst;
    }
  }
  r.present = saw_src && saw_dst;
  if (r.present) {
    r.remote_behind = !src_match;
    r.local_behind = !dst_match;
  }
  return r;
}

}  // namespace ikev2
