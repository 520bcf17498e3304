// kernel/userspace/sad.h — the SAD of the userspace data plane.
//
// SAs by SaId (destination, SPI, protocol) in a hash map, with two O(1)
// indices for the packet paths:
// - inbound: SPI -> SaId for SAs we receive on (RFC 4301 §4.1: the SPI
//   alone names an inbound unicast SA; alloc_spi keeps inbound SPIs unique);
// - outbound: (reqid, source, destination) -> SaIds in install order, for
//   the template of an outbound policy (the newest usable SA wins, so a
//   rekeyed SA takes over as soon as it is installed, as in Linux).
// Larval entries are SPIs alloc_spi reserved (Linux XFRM_STATE_ACQ): they
// hold addresses, SPI and reqid but no crypto yet.
//
// Sad is a template over the per-SA crypto state (EspSa in the data plane)
// so its bookkeeping is tested without one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock/clock.h"
#include "core/ipsec/types.h"
#include "kernel/userspace/spd_table.h"

namespace kernel::userspace {

// SaIdHash hashes an SaId consistently with SaId::operator==.
struct SaIdHash {
  std::size_t operator()(const core::ipsec::SaId& id) const {
    return AddressHash{}(id.dst) * 31 + (std::size_t{id.spi} << 8) + static_cast<std::size_t>(id.proto);
  }
};

// OutKey is the outbound index key: reqid and SA endpoints.
struct OutKey {
  std::uint32_t reqid = 0;
  core::net::Address src, dst;
  bool operator==(const OutKey&) const = default;
};

struct OutKeyHash {
  std::size_t operator()(const OutKey& k) const {
    return (AddressHash{}(k.src) * 31 + AddressHash{}(k.dst)) * 31 + k.reqid;
  }
};

// SadEntry is one SA. spec is the SA as installed with its key material
// wiped (the keys live in crypto); counters are kept by crypto.
template <typename Crypto>
struct SadEntry {
  core::ipsec::SaSpec spec;
  std::unique_ptr<Crypto> crypto;  // null while larval
  bool larval = false;
  bool inbound = false;
  bool soft_expired = false;       // the soft limit was reported
  std::uint64_t seq = 0;           // install order, set by Sad::insert
  core::MonoTime added{};          // lifetimes in seconds count from here
  std::uint64_t add_time = 0;      // wall clock seconds, for SaCounters
  std::uint64_t use_time = 0;      // wall clock seconds of the last packet
  core::TimerId soft_timer, hard_timer;
};

// Sad owns the SAs and keeps its indices in step. It checks no semantics
// beyond keys: UserspaceKernel decides what is an error.
template <typename Crypto>
class Sad {
 public:
  using Entry = SadEntry<Crypto>;

  Entry* find(const core::ipsec::SaId& id) {
    auto it = sas_.find(id);
    return it == sas_.end() ? nullptr : &it->second;
  }
  const Entry* find(const core::ipsec::SaId& id) const {
    auto it = sas_.find(id);
    return it == sas_.end() ? nullptr : &it->second;
  }
  bool contains(const core::ipsec::SaId& id) const { return sas_.contains(id); }

  // inbound returns the inbound SA (larval included) with this SPI, or nullptr.
  Entry* inbound(std::uint32_t spi) {
    auto it = by_spi_.find(spi);
    return it == by_spi_.end() ? nullptr : find(it->second);
  }
  // spi_taken says whether an inbound SA other than `except` holds spi.
  bool spi_taken(std::uint32_t spi, const core::ipsec::SaId* except = nullptr) const {
    auto it = by_spi_.find(spi);
    return it != by_spi_.end() && (!except || it->second != *except);
  }

  // outbound returns the newest (last installed) usable SA, not larval and
  // not inbound, for (reqid, src, dst) for which accept(entry) holds, or
  // nullptr.
  template <typename Accept>
  Entry* outbound(std::uint32_t reqid, const core::net::Address& src, const core::net::Address& dst,
                  Accept&& accept) {
    auto it = by_out_.find(OutKey{reqid, src, dst});
    if (it == by_out_.end()) return nullptr;
    Entry* best = nullptr;
    for (const auto& id : it->second) {
      Entry* e = find(id);
      if (!e || e->larval || e->inbound || !accept(*e)) continue;
      if (!best || e->seq > best->seq) best = e;
    }
    return best;
  }

  // insert stores e under e.spec.id() and returns it. Preconditions: that
  // id is absent and, for an inbound entry, its SPI is not taken.
  Entry& insert(Entry e) {
    e.seq = next_seq_++;
    core::ipsec::SaId id = e.spec.id();
    index(id, e);
    return sas_.emplace(id, std::move(e)).first->second;
  }
  // erase removes the SA with this id and returns it, if present.
  std::optional<Entry> erase(const core::ipsec::SaId& id) {
    auto node = sas_.extract(id);
    if (node.empty()) return std::nullopt;
    unindex(id, node.mapped());
    return std::move(node.mapped());
  }
  // readdress moves the SA at id to new endpoints (MIGRATE), keeping its
  // crypto and install order; its id becomes {dst, spi, proto}. Returns
  // nullptr when id is absent or the new id is taken by another SA.
  Entry* readdress(const core::ipsec::SaId& id, const core::net::Address& src,
                   const core::net::Address& dst) {
    core::ipsec::SaId to{dst, id.spi, id.proto};
    if (to != id && sas_.contains(to)) return nullptr;
    auto node = sas_.extract(id);
    if (node.empty()) return nullptr;
    unindex(id, node.mapped());
    node.mapped().spec.src = src;
    node.mapped().spec.dst = dst;
    node.key() = to;
    index(to, node.mapped());
    return &sas_.insert(std::move(node)).position->second;
  }

  // ids returns the ids of every SA, in no particular order.
  std::vector<core::ipsec::SaId> ids() const {
    std::vector<core::ipsec::SaId> out;
    out.reserve(sas_.size());
    for (const auto& [id, e] : sas_) out.push_back(id);
    return out;
  }
  std::size_t size() const { return sas_.size(); }

 private:
  void index(const core::ipsec::SaId& id, const Entry& e) {
    if (e.inbound) by_spi_[id.spi] = id;
    by_out_[OutKey{e.spec.reqid, e.spec.src, e.spec.dst}].push_back(id);
  }
  void unindex(const core::ipsec::SaId& id, const Entry& e) {
    auto s = by_spi_.find(id.spi);
    if (s != by_spi_.end() && s->second == id) by_spi_.erase(s);
    OutKey key{e.spec.reqid, e.spec.src, e.spec.dst};
    auto o = by_out_.find(key);
    if (o == by_out_.end()) return;
    std::erase(o->second, id);
    if (o->second.empty()) by_out_.erase(o);
  }

  std::unordered_map<core::ipsec::SaId, Entry, SaIdHash> sas_;
  std::unordered_map<std::uint32_t, core::ipsec::SaId> by_spi_;
  std::unordered_map<OutKey, std::vector<core::ipsec::SaId>, OutKeyHash> by_out_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace kernel::userspace
