// kernel/fake/sa_table.h — the fake kernel's SAD: SAs by SaId, with an
// index by (source, destination, protocol) for acquire and MIGRATE.
//
// The SAs sit in an ordered map keyed by SaId, whose order is (dst, spi,
// proto): the SAs of one destination are contiguous and sorted by SPI, so
// free_spi walks only the occupied run after its starting point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "core/clock/clock.h"
#include "core/ipsec/types.h"
#include "core/net/address.h"

namespace kernel::fake {

// SaEntry is one SA as the fake kernel holds it. A larval entry is an SPI
// reserved by alloc_spi (XFRM_STATE_ACQ in Linux): it has addresses, SPI,
// protocol and reqid but no keys yet.
struct SaEntry {
  core::ipsec::SaInfo info;
  bool larval = false;
  bool soft_expired = false;   // the soft limit was reported (Linux km.dying)
  core::MonoTime added{};      // lifetimes in seconds count from here
  core::TimerId soft_timer;    // pending soft-seconds expiry, if any
  core::TimerId hard_timer;    // pending hard-seconds (or larval) expiry
};

// SaTable owns the SAs and keeps its two indices in step. It checks no
// semantics beyond keys: FakeKernel decides what is an error.
class SaTable {
 public:
  // find returns the SA with this id, or nullptr. Callers may change
  // counters, flags, timers and non-address parameters through it, but
  // must use rekey() to change the source or destination address.
  SaEntry* find(const core::ipsec::SaId& id);
  const SaEntry* find(const core::ipsec::SaId& id) const;
  bool contains(const core::ipsec::SaId& id) const { return sas_.contains(id); }

  // insert stores e under e.info.spec.id(). Precondition: that id is absent.
  SaEntry& insert(SaEntry e);
  // erase removes the SA with this id and returns it, if present.
  std::optional<SaEntry> erase(const core::ipsec::SaId& id);
  // rekey replaces the spec of the SA at id with spec, which may carry new
  // addresses; the entry moves to spec.id(). Precondition: id present and
  // spec.id() either equal to id or absent.
  SaEntry& rekey(const core::ipsec::SaId& id, core::ipsec::SaSpec spec);

  // free_spi returns an SPI in [min, max] that no SA for (dst, proto) uses,
  // searching upward from start and wrapping around to min; nullopt when
  // the range is full. Precondition: min <= start <= max.
  std::optional<std::uint32_t> free_spi(const core::net::Address& dst, core::ipsec::Proto proto,
                                        std::uint32_t min, std::uint32_t max,
                                        std::uint32_t start) const;
  // between returns the ids of the SAs (larval included) from src to dst
  // with this protocol, in SaId order.
  std::vector<core::ipsec::SaId> between(const core::net::Address& src,
                                         const core::net::Address& dst,
                                         core::ipsec::Proto proto) const;

  // entries gives read access to every SA, in SaId order.
  const std::map<core::ipsec::SaId, SaEntry>& entries() const { return sas_; }
  std::size_t size() const { return sas_.size(); }

 private:
  using EndpointKey = std::tuple<core::net::Address, core::net::Address, core::ipsec::Proto>;
  static EndpointKey endpoint_key(const core::ipsec::SaSpec& s) { return {s.src, s.dst, s.proto}; }
  // first_free returns the lowest SPI in [lo, hi] unused for (dst, proto).
  std::optional<std::uint32_t> first_free(const core::net::Address& dst, core::ipsec::Proto proto,
                                          std::uint32_t lo, std::uint32_t hi) const;
  void unindex(const core::ipsec::SaSpec& s);

  std::map<core::ipsec::SaId, SaEntry> sas_;
  std::map<EndpointKey, std::set<core::ipsec::SaId>> by_endpoints_;
};

}  // namespace kernel::fake
