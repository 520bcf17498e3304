#include "kernel/fake/policy_table.h"

#include <algorithm>
#include <tuple>

namespace kernel::fake {

namespace ipsec = core::ipsec;
namespace net = core::net;

namespace {

// mix folds v into h (the 64-bit boost::hash_combine constant).
std::size_t mix(std::size_t h, std::size_t v) {
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

std::size_t hash_prefix(std::size_t h, const net::Prefix& p) {
  return mix(mix(h, AddressHash{}(p.network())), p.length());
}

std::size_t hash_ports(std::size_t h, const net::PortRange& r) {
  return mix(h, (std::size_t{r.start} << 16) | r.end);
}

std::size_t family_slot(net::Family f) { return f == net::Family::V4 ? 0 : 1; }
std::size_t dir_slot(ipsec::Dir d) { return static_cast<std::size_t>(d); }

// port_width is how many ports (or types) a range admits.
std::uint32_t port_width(const net::PortRange& r) {
  return r.end >= r.start ? std::uint32_t{r.end} - r.start + 1 : 0;
}

bool mark_matches(const ipsec::Mark& m, std::uint32_t packet_mark) {
  return (packet_mark & m.mask) == (m.value & m.mask);
}

}  // namespace

std::size_t AddressHash::operator()(const net::Address& a) const {
  std::size_t h = a.is_v4() ? 4 : 6;
  for (auto b : a.bytes()) h = mix(h, b);
  return mix(h, a.scope_id());
}

std::size_t PolicyKeyHash::operator()(const ipsec::PolicyKey& k) const {
  std::size_t h = hash_prefix(0, k.selector.src);
  h = hash_prefix(h, k.selector.dst);
  h = mix(h, k.selector.proto);
  h = hash_ports(h, k.selector.sport);
  h = hash_ports(h, k.selector.dport);
  h = mix(h, static_cast<std::size_t>(k.dir));
  return mix(mix(h, k.mark.value), k.mark.mask);
}

ipsec::PolicyKey key_of(const ipsec::PolicySpec& p) { return {p.selector, p.dir, p.mark}; }

bool PolicyTable::better(const PolicyEntry& a, const PolicyEntry& b) {
  if (a.spec.priority != b.spec.priority) return a.spec.priority < b.spec.priority;
  const auto& sa = a.spec.selector;
  const auto& sb = b.spec.selector;
  int la = sa.src.length() + sa.dst.length();
  int lb = sb.src.length() + sb.dst.length();
  if (la != lb) return la > lb;
  bool pa = sa.proto != net::proto::kAny;
  bool pb = sb.proto != net::proto::kAny;
  if (pa != pb) return pa;
  std::uint64_t wa = std::uint64_t{port_width(sa.sport)} * port_width(sa.dport);
  std::uint64_t wb = std::uint64_t{port_width(sb.sport)} * port_width(sb.dport);
  if (wa != wb) return wa < wb;
  return a.seq < b.seq;
}

const PolicyEntry* PolicyTable::find(const ipsec::PolicyKey& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : by_index(it->second);
}

const PolicyEntry* PolicyTable::by_index(std::uint32_t index) const {
  auto it = by_index_.find(index);
  return it == by_index_.end() ? nullptr : &it->second;
}

std::uint32_t PolicyTable::alloc_index(ipsec::Dir dir) {
  for (;;) {
    std::uint32_t idx = index_generator_ | static_cast<std::uint32_t>(dir);
    index_generator_ += 8;
    if (idx == 0) idx = 8;  // only for Dir::In (0), so 8 still encodes it
    // A caller-chosen index may hold this value already: try the next.
    if (!by_index_.contains(idx)) return idx;
  }
}

std::uint32_t PolicyTable::insert(ipsec::PolicySpec spec) {
  std::uint32_t want = spec.index;
  bool usable = want != 0 && (want & 7) == static_cast<std::uint32_t>(spec.dir) &&
                !by_index_.contains(want);
  spec.index = usable ? want : alloc_index(spec.dir);
  PolicyEntry e{std::move(spec), next_seq_++};
  std::uint32_t idx = e.spec.index;
  by_key_.emplace(key_of(e.spec), idx);
  bin_add(e);
  by_index_.emplace(idx, std::move(e));
  return idx;
}

std::uint32_t PolicyTable::replace(ipsec::PolicySpec spec) {
  std::uint32_t idx = by_key_.at(key_of(spec));
  PolicyEntry& e = by_index_.at(idx);
  // The key (selector, dir, mark) is unchanged, so the entry stays in its bin.
  spec.index = idx;
  e.spec = std::move(spec);
  e.seq = next_seq_++;
  return idx;
}

void PolicyTable::set_templates(std::uint32_t index, std::vector<ipsec::Template> templates) {
  by_index_.at(index).spec.templates = std::move(templates);
}

std::optional<ipsec::PolicySpec> PolicyTable::erase(const ipsec::PolicyKey& key) {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  auto node = by_index_.extract(it->second);
  by_key_.erase(it);
  bin_remove(node.mapped());
  return std::move(node.mapped().spec);
}

void PolicyTable::bin_add(const PolicyEntry& e) {
  const auto& dst = e.spec.selector.dst;
  auto& lengths = bins_[dir_slot(e.spec.dir)][family_slot(dst.family())];
  lengths[dst.length()][dst.network()].push_back(e.spec.index);
}

void PolicyTable::bin_remove(const PolicyEntry& e) {
  const auto& dst = e.spec.selector.dst;
  auto& lengths = bins_[dir_slot(e.spec.dir)][family_slot(dst.family())];
  auto lit = lengths.find(dst.length());
  if (lit == lengths.end()) return;
  auto bit = lit->second.find(dst.network());
  if (bit == lit->second.end()) return;
  std::erase(bit->second, e.spec.index);
  if (bit->second.empty()) lit->second.erase(bit);
  if (lit->second.empty()) lengths.erase(lit);
}

const PolicyEntry* PolicyTable::lookup(ipsec::Dir dir, const Flow& flow) const {
  const PolicyEntry* best = nullptr;
  const auto& lengths = bins_[dir_slot(dir)][family_slot(flow.dst.family())];
  for (const auto& [len, networks] : lengths) {
    auto bit = networks.find(net::Prefix(flow.dst, len).network());
    if (bit == networks.end()) continue;
    for (std::uint32_t idx : bit->second) {
      const PolicyEntry& e = by_index_.at(idx);
      if (!mark_matches(e.spec.mark, flow.mark)) continue;
      if (!e.spec.selector.matches(flow.src, flow.dst, flow.proto, flow.sport, flow.dport)) continue;
      if (!best || better(e, *best)) best = &e;
    }
  }
  return best;
}

const PolicyEntry* PolicyTable::find_selector(ipsec::Dir dir, const net::Selector& sel,
                                              bool proto_any_wildcard) const {
  const auto& lengths = bins_[dir_slot(dir)][family_slot(sel.dst.family())];
  auto lit = lengths.find(sel.dst.length());
  if (lit == lengths.end()) return nullptr;
  auto bit = lit->second.find(sel.dst.network());
  if (bit == lit->second.end()) return nullptr;
  const PolicyEntry* best = nullptr;
  for (std::uint32_t idx : bit->second) {
    const PolicyEntry& e = by_index_.at(idx);
    const auto& ps = e.spec.selector;
    bool match = proto_any_wildcard && sel.proto == net::proto::kAny
                     ? ps.src == sel.src && ps.dst == sel.dst
                     : ps == sel;
    if (match && (!best || better(e, *best))) best = &e;
  }
  return best;
}

std::vector<ipsec::PolicySpec> PolicyTable::list() const {
  std::vector<const PolicyEntry*> entries;
  entries.reserve(by_index_.size());
  for (const auto& [idx, e] : by_index_) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(),
            [](const PolicyEntry* a, const PolicyEntry* b) { return a->spec.index < b->spec.index; });
  std::vector<ipsec::PolicySpec> out;
  out.reserve(entries.size());
  for (const auto* e : entries) out.push_back(e->spec);
  return out;
}

}  // namespace kernel::fake
