// core/ipsec/kernel.h — the kernel interface every backend implements
// (kernel/xfrm, kernel/pfkey, kernel/userspace, kernel/fake).
//
// Engines receive a Kernel& through their constructor and never know which
// backend is behind it. Every call takes plain values. Failures come back as
// Error{Kernel, "<operation>: <errno text>"} so the log says what the kernel
// refused and why ("add SA: Requested type not found").
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/ipsec/events.h"
#include "core/ipsec/types.h"
#include "core/result.h"

namespace core::ipsec {

// Capabilities tell engines what a backend can do, probed at start-up.
struct Capabilities {
  bool esp = true;              // can hold ESP SAs
  bool migrate = true;          // policy+SA MIGRATE (XFRM_MSG_MIGRATE / SADB_X_MIGRATE)
  bool migrate_state = false;   // per-SA migrate by SPI (XFRM_MSG_MIGRATE_STATE)
  bool km_address = true;       // MIGRATE carries KM addresses
  bool acquire_packet = false;  // acquires carry the triggering packet
  bool counters = true;         // byte/packet counters readable
};

using EventHandler = std::function<void(const KernelEvent&)>;

class Kernel {
 public:
  virtual ~Kernel() = default;

  // name is the backend's name as given to kagid --backend.
  virtual std::string_view name() const = 0;
  virtual Capabilities capabilities() const = 0;
  // set_event_handler installs the one receiver of kernel events.
  virtual void set_event_handler(EventHandler handler) = 0;

  // alloc_spi reserves an inbound SPI in [min, max] for (src -> dst).
  virtual Result<std::uint32_t> alloc_spi(const net::Address& src, const net::Address& dst,
                                          Proto proto, std::uint32_t reqid,
                                          std::uint32_t min = 0x100, std::uint32_t max = 0xffffffff) = 0;
  // add_sa installs a new SA (or completes one whose SPI alloc_spi reserved).
  virtual Status add_sa(const SaSpec& sa) = 0;
  // update_sa replaces an existing SA's parameters (addresses stay the key).
  virtual Status update_sa(const SaSpec& sa) = 0;
  virtual Status del_sa(const SaId& id) = 0;
  virtual Result<SaInfo> get_sa(const SaId& id) = 0;
  virtual Result<std::vector<SaInfo>> list_sas() = 0;

  // add_policy installs one SPD entry and returns its kernel index.
  virtual Result<std::uint32_t> add_policy(const PolicySpec& p) = 0;
  // update_policy adds or replaces the entry with the same key.
  virtual Result<std::uint32_t> update_policy(const PolicySpec& p) = 0;
  virtual Status del_policy(const PolicyKey& key) = 0;
  virtual Result<std::vector<PolicySpec>> list_policies() = 0;

  // migrate moves a policy's templates and the matching SAs to new endpoints
  // (XFRM_MSG_MIGRATE / SADB_X_MIGRATE), with KM addresses when given.
  virtual Status migrate(const MigrateRequest& req) = 0;
  // migrate_sa moves one SA, keys and sequence numbers kept, to new endpoints.
  // The id keeps the old destination; the result is keyed by new_dst.
  virtual Status migrate_sa(const SaId& id, const net::Address& new_src,
                            const net::Address& new_dst, std::optional<Encap> encap) = 0;
};

}  // namespace core::ipsec
