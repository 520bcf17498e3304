// kernel/fake/policy_table.h — the fake kernel's SPD: policies by key, by
// kernel index, and binned by destination prefix for packet lookups.
//
// Storage is two hash maps (PolicyKey -> index, index -> entry) plus, per
// (direction, family), one hash map per destination prefix length present,
// keyed by the destination network. A packet lookup probes one bucket per
// distinct destination prefix length (at most 33 for IPv4, 129 for IPv6),
// like the inexact bins of Linux's xfrm_policy.c, so 10,000 host policies
// cost one hash probe, not 10,000 selector matches.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/ipsec/types.h"
#include "core/net/address.h"
#include "core/net/selector.h"

namespace kernel::fake {

// Flow is a packet's 5-tuple as policy lookup sees it (XFRM's flowi): for
// ICMP/ICMPv6 sport carries the type and dport the code, for the Mobility
// Header sport carries the MH type (core/net/selector.h). mark is the
// packet's fwmark, matched against each policy's mark/mask.
struct Flow {
  core::net::Address src, dst;
  std::uint8_t proto = core::net::proto::kAny;
  std::uint16_t sport = 0, dport = 0;
  std::uint32_t mark = 0;
};

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

// key_of returns the key that identifies a policy in the SPD.
core::ipsec::PolicyKey key_of(const core::ipsec::PolicySpec& p);

// PolicyEntry is one installed policy; seq orders entries by when they were
// (last) added or replaced.
struct PolicyEntry {
  core::ipsec::PolicySpec spec;
  std::uint64_t seq = 0;
};

// PolicyTable owns the installed policies. It checks no semantics beyond
// keys and indices: FakeKernel decides what is an error.
class PolicyTable {
 public:
  // find returns the policy with this key, or nullptr.
  const PolicyEntry* find(const core::ipsec::PolicyKey& key) const;
  // by_index returns the policy with this kernel index, or nullptr.
  const PolicyEntry* by_index(std::uint32_t index) const;

  // insert stores a policy whose key is absent and returns its index: the
  // spec's own index when it is non-zero, encodes spec.dir and is free,
  // otherwise a fresh one (see alloc_index). Precondition: key absent.
  std::uint32_t insert(core::ipsec::PolicySpec spec);
  // replace overwrites the policy with spec's key, keeping its index; it
  // becomes the most recently added. Precondition: key present.
  std::uint32_t replace(core::ipsec::PolicySpec spec);
  // set_templates rewrites the templates of the policy at index (MIGRATE).
  void set_templates(std::uint32_t index, std::vector<core::ipsec::Template> templates);
  // erase removes the policy with this key and returns it, if present.
  std::optional<core::ipsec::PolicySpec> erase(const core::ipsec::PolicyKey& key);

  // lookup returns the policy in dir that matches the flow, chosen by
  // better() below, or nullptr.
  const PolicyEntry* lookup(core::ipsec::Dir dir, const Flow& flow) const;
  // find_selector returns the best policy (by better()) in dir whose
  // selector equals sel, whatever its mark. With proto_any_wildcard and
  // sel.proto == any, every policy with the same source and destination
  // prefixes counts as equal: that is how XFRM_MSG_MIGRATE finds its policy
  // (Linux xfrm_migrate_selector_match, for the PF_KEY MIGRATEs of mobility
  // daemons, which name no protocol).
  const PolicyEntry* find_selector(core::ipsec::Dir dir, const core::net::Selector& sel,
                                   bool proto_any_wildcard) const;

  // list returns every policy, ordered by index.
  std::vector<core::ipsec::PolicySpec> list() const;
  std::size_t size() const { return by_index_.size(); }

  // better says whether a should be chosen over b when both match: lower
  // priority value first; then the more specific selector (longer source +
  // destination prefixes, then a set protocol, then narrower port ranges);
  // then the one added first. Linux stops at priority then insertion order;
  // the specificity step only matters to callers that give overlapping
  // policies the same priority, and picks what they would expect.
  static bool better(const PolicyEntry& a, const PolicyEntry& b);

 private:
  // alloc_index returns a free index like Linux xfrm_gen_index: a counter
  // stepping by 8 with the direction in the low 3 bits (0 becomes 8).
  std::uint32_t alloc_index(core::ipsec::Dir dir);
  void bin_add(const PolicyEntry& e);
  void bin_remove(const PolicyEntry& e);

  using Bucket = std::vector<std::uint32_t>;  // policy indices
  using LengthBins =
      std::unordered_map<core::net::Address, Bucket, AddressHash>;  // dst network -> bucket
  // bins_[dir][family]: destination prefix length -> networks of that length.
  std::array<std::array<std::map<std::uint8_t, LengthBins>, 2>, 3> bins_;

  std::unordered_map<core::ipsec::PolicyKey, std::uint32_t, PolicyKeyHash> by_key_;
  std::unordered_map<std::uint32_t, PolicyEntry> by_index_;
  std::uint32_t index_generator_ = 0;
  std::uint64_t next_seq_ = 1;
};

}  // namespace kernel::fake
