#include "kernel/fake/sa_table.h"

#include <utility>

namespace kernel::fake {

namespace ipsec = core::ipsec;
namespace net = core::net;

SaEntry* SaTable::find(const ipsec::SaId& id) {
  auto it = sas_.find(id);
  return it == sas_.end() ? nullptr : &it->second;
}

const SaEntry* SaTable::find(const ipsec::SaId& id) const {
  auto it = sas_.find(id);
  return it == sas_.end() ? nullptr : &it->second;
}

SaEntry& SaTable::insert(SaEntry e) {
  ipsec::SaId id = e.info.spec.id();
  by_endpoints_[endpoint_key(e.info.spec)].insert(id);
  return sas_.emplace(id, std::move(e)).first->second;
}

void SaTable::unindex(const ipsec::SaSpec& s) {
  auto it = by_endpoints_.find(endpoint_key(s));
  if (it == by_endpoints_.end()) return;
  it->second.erase(s.id());
  if (it->second.empty()) by_endpoints_.erase(it);
}

std::optional<SaEntry> SaTable::erase(const ipsec::SaId& id) {
  auto node = sas_.extract(id);
  if (node.empty()) return std::nullopt;
  unindex(node.mapped().info.spec);
  return std::move(node.mapped());
}

SaEntry& SaTable::rekey(const ipsec::SaId& id, ipsec::SaSpec spec) {
  auto node = sas_.extract(id);
  unindex(node.mapped().info.spec);
  node.key() = spec.id();
  node.mapped().info.spec = std::move(spec);
  by_endpoints_[endpoint_key(node.mapped().info.spec)].insert(node.key());
  return sas_.insert(std::move(node)).position->second;
}

std::optional<std::uint32_t> SaTable::first_free(const net::Address& dst, ipsec::Proto proto,
                                                 std::uint32_t lo, std::uint32_t hi) const {
  std::uint64_t candidate = lo;
  // Proto 0 sorts before every protocol, so this is the first SA at (dst, lo).
  auto it = sas_.lower_bound(ipsec::SaId{dst, lo, static_cast<ipsec::Proto>(0)});
  for (; it != sas_.end() && it->first.dst == dst && candidate <= hi; ++it) {
    std::uint64_t spi = it->first.spi;
    if (spi > candidate) break;  // a gap: candidate is free
    if (spi == candidate && it->first.proto == proto) ++candidate;
  }
  if (candidate > hi) return std::nullopt;
  return static_cast<std::uint32_t>(candidate);
}

std::optional<std::uint32_t> SaTable::free_spi(const net::Address& dst, ipsec::Proto proto,
                                               std::uint32_t min, std::uint32_t max,
                                               std::uint32_t start) const {
  if (auto spi = first_free(dst, proto, start, max)) return spi;
  if (start == min) return std::nullopt;
  return first_free(dst, proto, min, start - 1);
}

std::vector<ipsec::SaId> SaTable::between(const net::Address& src, const net::Address& dst,
                                          ipsec::Proto proto) const {
  auto it = by_endpoints_.find(EndpointKey{src, dst, proto});
  if (it == by_endpoints_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

}  // namespace kernel::fake
