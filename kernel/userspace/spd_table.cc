// kernel/userspace/spd_table.cc — policy storage, ordering and lookup.
#include "kernel/userspace/spd_table.h"

#include <algorithm>

namespace kernel::userspace {

namespace ipsec = core::ipsec;
namespace net = core::net;
using core::ErrorCode;
using core::fail;

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

// port_width is how many ports (or types) a range admits.
std::uint32_t port_width(const net::PortRange& r) {
  return r.end >= r.start ? std::uint32_t{r.end} - r.start + 1 : 0;
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

ipsec::PolicyKey policy_key(const ipsec::PolicySpec& p) { return {p.selector, p.dir, p.mark}; }

bool matches(const ipsec::PolicySpec& p, const IpPacket& packet, std::uint32_t mark) {
  if ((mark & p.mark.mask) != (p.mark.value & p.mark.mask)) return false;
  return p.selector.matches(packet.src, packet.dst, packet.proto, packet.sport, packet.dport);
}

bool SpdTable::better(const Entry& a, const Entry& b) {
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

std::vector<std::uint32_t>& SpdTable::ordered(ipsec::Dir dir, net::Family f) {
  return order_[static_cast<std::size_t>(dir)][family_slot(f)];
}

const std::vector<std::uint32_t>& SpdTable::ordered(ipsec::Dir dir, net::Family f) const {
  return order_[static_cast<std::size_t>(dir)][family_slot(f)];
}

void SpdTable::order_insert(const Entry& e) {
  auto& v = ordered(e.spec.dir, e.spec.selector.family());
  auto pos = std::upper_bound(v.begin(), v.end(), e.spec.index, [&](std::uint32_t, std::uint32_t idx) {
    return better(e, by_index_.at(idx));
  });
  v.insert(pos, e.spec.index);
}

void SpdTable::order_remove(const Entry& e) {
  std::erase(ordered(e.spec.dir, e.spec.selector.family()), e.spec.index);
}

core::Status SpdTable::check(const ipsec::PolicySpec& p) const {
  if (p.selector.src.family() != p.selector.dst.family())
    return fail(ErrorCode::InvalidSyntax, "policy {}: selector families differ", p.selector.to_string());
  // Linux verify_newpolicy_info: a given index must encode the direction.
  if (p.index != 0 && (p.index & 7) != static_cast<std::uint32_t>(p.dir))
    return fail(ErrorCode::InvalidSyntax, "policy {}: index {} is not dir {}", p.selector.to_string(),
                p.index, ipsec::dir_name(p.dir));
  return core::ok();
}

std::uint32_t SpdTable::alloc_index(ipsec::Dir dir) {
  for (;;) {
    std::uint32_t idx = index_generator_ | static_cast<std::uint32_t>(dir);
    index_generator_ += 8;
    if (idx == 0) idx = 8;  // only for Dir::In (0), so 8 still encodes it
    if (!by_index_.contains(idx)) return idx;
  }
}

std::uint32_t SpdTable::insert(ipsec::PolicySpec p) {
  bool usable = p.index != 0 && !by_index_.contains(p.index);
  if (!usable) p.index = alloc_index(p.dir);
  std::uint32_t idx = p.index;
  by_key_.emplace(policy_key(p), idx);
  Entry& e = by_index_.emplace(idx, Entry{std::move(p), next_seq_++}).first->second;
  order_insert(e);
  return idx;
}

core::Result<std::uint32_t> SpdTable::add(ipsec::PolicySpec p) {
  if (auto st = check(p); !st) return fail(st.error());
  if (by_key_.contains(policy_key(p)))
    return fail(ErrorCode::Exists, "policy {} {} exists", ipsec::dir_name(p.dir), p.selector.to_string());
  return insert(std::move(p));
}

core::Result<std::uint32_t> SpdTable::update(ipsec::PolicySpec p) {
  if (auto st = check(p); !st) return fail(st.error());
  auto it = by_key_.find(policy_key(p));
  if (it == by_key_.end()) return insert(std::move(p));
  std::uint32_t idx = it->second;
  Entry& e = by_index_.at(idx);
  order_remove(e);
  p.index = idx;
  e.spec = std::move(p);
  e.seq = next_seq_++;
  order_insert(e);
  return idx;
}

core::Result<ipsec::PolicySpec> SpdTable::remove(const ipsec::PolicyKey& key) {
  auto it = by_key_.find(key);
  if (it == by_key_.end())
    return fail(ErrorCode::NotFound, "policy {} {} not found", ipsec::dir_name(key.dir),
                key.selector.to_string());
  auto node = by_index_.extract(it->second);
  by_key_.erase(it);
  order_remove(node.mapped());
  return std::move(node.mapped().spec);
}

bool SpdTable::set_templates(std::uint32_t index, std::vector<ipsec::Template> templates) {
  auto it = by_index_.find(index);
  if (it == by_index_.end()) return false;
  it->second.spec.templates = std::move(templates);
  return true;
}

const ipsec::PolicySpec* SpdTable::find(const ipsec::PolicyKey& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : by_index(it->second);
}

const ipsec::PolicySpec* SpdTable::by_index(std::uint32_t index) const {
  auto it = by_index_.find(index);
  return it == by_index_.end() ? nullptr : &it->second.spec;
}

const ipsec::PolicySpec* SpdTable::lookup(ipsec::Dir dir, const IpPacket& packet,
                                          std::uint32_t mark) const {
  for (std::uint32_t idx : ordered(dir, packet.dst.family())) {
    const ipsec::PolicySpec& p = by_index_.at(idx).spec;
    if (matches(p, packet, mark)) return &p;
  }
  return nullptr;
}

const ipsec::PolicySpec* SpdTable::find_selector(ipsec::Dir dir, const net::Selector& sel,
                                                 bool proto_any_wildcard) const {
  for (std::uint32_t idx : ordered(dir, sel.family())) {
    const ipsec::PolicySpec& p = by_index_.at(idx).spec;
    bool match = proto_any_wildcard && sel.proto == net::proto::kAny
                     ? p.selector.src == sel.src && p.selector.dst == sel.dst
                     : p.selector == sel;
    if (match) return &p;  // the order is better()'s: the first is the best
  }
  return nullptr;
}

std::vector<ipsec::PolicySpec> SpdTable::list() const {
  std::vector<ipsec::PolicySpec> out;
  out.reserve(by_index_.size());
  for (const auto& [idx, e] : by_index_) out.push_back(e.spec);
  std::sort(out.begin(), out.end(),
            [](const ipsec::PolicySpec& a, const ipsec::PolicySpec& b) { return a.index < b.index; });
  return out;
}

}  // namespace kernel::userspace
