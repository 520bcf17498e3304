// kernel/userspace/spd_table.h — the SPD of the userspace data plane:
// in/out/fwd policies, looked up for every packet read from the TUN device
// (out) and every packet ESP decapsulates (in, fwd).
//
// Policies are kept per (direction, family) in one vector ordered by
// better(): lower priority value first (XFRM semantics, lower wins), then
// the more specific selector, then the one added first, exactly the order
// kernel/fake uses, so an engine sees the same choice on either backend.
// lookup() returns the first entry that matches, a linear scan that stops
// early; the userspace data plane holds tens of policies, not thousands.
// Indices are Linux's (counter << 3) | dir (xfrm_gen_index).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/ipsec/types.h"
#include "core/net/selector.h"
#include "core/result.h"
#include "kernel/userspace/packet.h"

namespace kernel::userspace {

// AddressHash hashes an Address over family, bytes and scope (all of what
// Address::operator== compares).
struct AddressHash {
  std::size_t operator()(const core::net::Address& a) const;
};

// PolicyKeyHash hashes a PolicyKey consistently with PolicyKey::operator==
// (prefixes by network and length, as Prefix::operator== compares them).
struct PolicyKeyHash {
  std::size_t operator()(const core::ipsec::PolicyKey& k) const;
};

// policy_key returns the key that identifies a policy in the SPD.
core::ipsec::PolicyKey policy_key(const core::ipsec::PolicySpec& p);

// matches says whether a parsed packet with this fwmark falls under a
// policy's selector and mark.
bool matches(const core::ipsec::PolicySpec& p, const IpPacket& packet, std::uint32_t mark = 0);

// SpdTable owns the installed policies. Not thread-safe.
class SpdTable {
 public:
  // add installs a new policy and returns its index: the spec's own index
  // when non-zero and free, a fresh one otherwise. Fails with Exists when
  // the key (selector, dir, mark) is taken, InvalidSyntax when the selector
  // families differ or a given index does not encode the direction.
  core::Result<std::uint32_t> add(core::ipsec::PolicySpec p);
  // update adds the policy, or replaces the one with its key keeping that
  // index (the replaced policy counts as added last). Same failures as add
  // except Exists.
  core::Result<std::uint32_t> update(core::ipsec::PolicySpec p);
  // remove deletes the policy with this key and returns it; NotFound if absent.
  core::Result<core::ipsec::PolicySpec> remove(const core::ipsec::PolicyKey& key);
  // set_templates rewrites the templates of the policy at index (MIGRATE);
  // false when there is no such policy.
  bool set_templates(std::uint32_t index, std::vector<core::ipsec::Template> templates);

  // find returns the policy with this key, or nullptr.
  const core::ipsec::PolicySpec* find(const core::ipsec::PolicyKey& key) const;
  // by_index returns the policy with this index, or nullptr.
  const core::ipsec::PolicySpec* by_index(std::uint32_t index) const;
  // lookup returns the policy in dir that a packet with this fwmark falls
  // under, or nullptr. The pointer is valid until the table changes.
  const core::ipsec::PolicySpec* lookup(core::ipsec::Dir dir, const IpPacket& packet,
                                        std::uint32_t mark = 0) const;
  // find_selector returns the best policy in dir whose selector equals sel,
  // any mark. With proto_any_wildcard and sel.proto == any, every policy
  // with the same prefixes counts as equal: how XFRM_MSG_MIGRATE finds its
  // policy (Linux xfrm_migrate_selector_match).
  const core::ipsec::PolicySpec* find_selector(core::ipsec::Dir dir, const core::net::Selector& sel,
                                               bool proto_any_wildcard) const;

  // list returns every policy ordered by index.
  std::vector<core::ipsec::PolicySpec> list() const;
  std::size_t size() const { return by_index_.size(); }

 private:
  struct Entry {
    core::ipsec::PolicySpec spec;
    std::uint64_t seq = 0;  // when added or last replaced
  };
  // better says whether a goes before b in lookup order.
  static bool better(const Entry& a, const Entry& b);
  core::Status check(const core::ipsec::PolicySpec& p) const;
  std::uint32_t alloc_index(core::ipsec::Dir dir);
  std::vector<std::uint32_t>& ordered(core::ipsec::Dir dir, core::net::Family f);
  const std::vector<std::uint32_t>& ordered(core::ipsec::Dir dir, core::net::Family f) const;
  void order_insert(const Entry& e);
  void order_remove(const Entry& e);
  std::uint32_t insert(core::ipsec::PolicySpec p);

  std::unordered_map<core::ipsec::PolicyKey, std::uint32_t, PolicyKeyHash> by_key_;
  std::unordered_map<std::uint32_t, Entry> by_index_;
  // order_[dir][family]: indices in lookup order.
  std::array<std::array<std::vector<std::uint32_t>, 2>, 3> order_;
  std::uint32_t index_generator_ = 0;
  std::uint64_t next_seq_ = 1;
};

}  // namespace kernel::userspace
