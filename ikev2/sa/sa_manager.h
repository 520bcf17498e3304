// ikev2/sa/sa_manager.h — owner of every IKE_SA of one engine, with O(1)
// lookups by id, by our SPI, by (peer SPIi, peer endpoint) for half-open
// responder SAs (to spot a retransmitted IKE_SA_INIT, RFC 7296 §2.1) and by
// CHILD_SA inbound SPI (kernel expire events).
//
// Our SPI is unique within the engine, so an incoming message finds its SA
// with one hash lookup: SPIr when the I flag is set (we are the responder),
// SPIi otherwise. Pointers returned stay valid until remove() of that SA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

#include "core/clock/clock.h"
#include "core/crypto/random.h"
#include "core/net/address.h"
#include "ikev2/sa/ike_sa.h"

namespace ikev2 {

class SaManager {
 public:
  SaManager(core::Timers& timers, core::crypto::Rng& rng) : timers_(timers), rng_(rng) {}
  SaManager(const SaManager&) = delete;
  SaManager& operator=(const SaManager&) = delete;

  // create makes a new IKE_SA with a fresh id and a fresh random local SPI
  // (non-zero, unused here), set as spi_i or spi_r by role.
  IkeSa& create(bool initiator);
  // fresh_spi draws a random non-zero local SPI no SA uses now (an IKE
  // rekey offers it before the new SA exists, then create_with_spi).
  std::uint64_t fresh_spi();
  // create_with_spi makes an IKE_SA whose local SPI is already chosen.
  IkeSa& create_with_spi(bool initiator, std::uint64_t local_spi);

  IkeSa* find(IkeSaId id);
  IkeSa* find_by_spi(std::uint64_t local_spi);

  // Half-open responder SAs, by the initiator's SPI and address (§2.1).
  void add_half_open(IkeSa& sa);
  void remove_half_open(IkeSa& sa);
  IkeSa* find_half_open(std::uint64_t spi_i, const core::net::Endpoint& remote);
  std::size_t half_open_count() const { return half_open_.size(); }

  // CHILD_SA index by inbound SPI.
  void add_child(std::uint32_t spi_in, IkeSaId owner) { children_[spi_in] = owner; }
  void remove_child(std::uint32_t spi_in) { children_.erase(spi_in); }
  IkeSa* find_by_child(std::uint32_t spi_in);

  // Established IKE_SAs by the peer's authenticated identity, for
  // INITIAL_CONTACT (RFC 7296 §2.4) without a walk over every SA.
  void add_identity(IkeSa& sa);
  std::vector<IkeSaId> find_by_identity(const Identity& id);

  // remove destroys an SA and drops it from every index; its children must
  // already have left the kernel (the engine does that first).
  void remove(IkeSaId id);

  std::size_t size() const { return sas_.size(); }
  // for_each visits every SA (do not create or remove during the walk).
  void for_each(const std::function<void(IkeSa&)>& fn);
  // ids lists every SA id (safe to walk while removing).
  std::vector<IkeSaId> ids() const;

 private:
  struct HalfOpenKey {
    std::uint64_t spi_i;
    core::net::Endpoint remote;
    bool operator==(const HalfOpenKey&) const = default;
  };
  struct HalfOpenHash {
    std::size_t operator()(const HalfOpenKey& k) const;
  };

  core::Timers& timers_;
  core::crypto::Rng& rng_;
  IkeSaId next_id_ = 1;
  std::unordered_map<IkeSaId, std::unique_ptr<IkeSa>> sas_;
  std::unordered_map<std::uint64_t, IkeSaId> by_spi_;
  std::unordered_map<HalfOpenKey, IkeSaId, HalfOpenHash> half_open_;
  std::unordered_map<std::uint32_t, IkeSaId> children_;
  std::unordered_multimap<std::size_t, IkeSaId> by_identity_;  // hash of remote_id
};

}  // namespace ikev2
