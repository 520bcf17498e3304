// policy/spd.h — the security policy database kagi manages in the kernel.
//
// The Spd takes the policy set built from configuration (policy::Entry, one
// per directional selector), turns each into kernel PolicySpecs (plus a fwd
// twin for inbound tunnel policies on Linux, RFC 4301 §4.4.1 / XFRM), and
// keeps the kernel in step with it:
//  - install(): at start, reconciled against what the kernel holds and what
//    kagi installed before (a state the daemon persists across restarts, so
//    a kagid killed with SIGKILL and started again neither duplicates nor
//    leaves behind its policies, and never touches other programs' ones);
//  - reload(): the same reconciliation against a new policy set;
//  - remove_all(): at shutdown.
// It maps an acquire's kernel policy index back to the Entry that caused it.
// The Spd owns no file or socket: persistence is the daemon's job, through
// installed() and the `previous` argument.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ipsec/kernel.h"
#include "core/result.h"
#include "policy/entry.h"
#include "policy/reqid.h"

namespace policy {

// Installed is one kernel policy kagi is responsible for.
struct Installed {
  core::ipsec::PolicySpec spec;   // as given to the kernel, with its index
  std::size_t entry = 0;          // position in the Entry list
};

// Spd is not thread-safe; it lives on the loop thread.
class Spd {
 public:
  // Options of the kernel side. fwd_policies: add a fwd twin for inbound
  // tunnel policies (Linux forwards decapsulated traffic through fwd).
  struct Options {
    bool fwd_policies = true;
    std::uint32_t base_priority = 0x4000;
  };

  Spd(core::ipsec::Kernel& kernel, Options opts);

  // install reconciles the kernel with entries. previous lists the keys kagi
  // had installed before (from the daemon's state), so stale ones are removed.
  // On error nothing half-done stays behind that is not reported in detail.
  core::Status install(const std::vector<Entry>& entries,
                       const std::vector<core::ipsec::PolicyKey>& previous);
  // reload is install() against the currently installed set.
  core::Status reload(const std::vector<Entry>& entries);
  // remove_all deletes every policy kagi installed; errors are collected.
  core::Status remove_all();

  // entry_for_index maps a kernel policy index (from an acquire) to its Entry.
  const Entry* entry_for_index(std::uint32_t index) const;
  // entry_by_name finds an entry by its selector name.
  const Entry* entry_by_name(const std::string& selector_name) const;
  const std::vector<Entry>& entries() const { return entries_; }
  const std::vector<Installed>& installed_policies() const { return installed_; }
  // installed returns the keys to persist (see install()).
  std::vector<core::ipsec::PolicyKey> installed() const;
  // specs_for builds the kernel policies of one entry (exposed for tests and
  // `kagictl policy list`).
  std::vector<core::ipsec::PolicySpec> specs_for(const Entry& e) const;
  ReqidAllocator& reqids() { return reqids_; }

  // add_generated installs a road-warrior policy's kernel policies for one
  // negotiated CHILD_SA: its template entries (the selectors naming IP_RW)
  // made concrete with the negotiated outbound selector `out` (inbound ones
  // get it reversed), the SA endpoints and the CHILD_SA's reqid. The result
  // is a handle for remove_generated. Generated policies survive reloads,
  // are persisted by installed() and removed by remove_all().
  core::Result<std::uint64_t> add_generated(const std::string& policy_name, const core::net::Selector& out,
                                            const core::net::Address& my_sa, const core::net::Address& peer_sa,
                                            std::uint32_t reqid);
  core::Status remove_generated(std::uint64_t handle);
  std::size_t generated_count() const { return generated_.size(); }

 private:
  void assign_reqids(std::vector<Entry>& entries);

  core::ipsec::Kernel& kernel_;
  Options opts_;
  ReqidAllocator reqids_;
  std::vector<Entry> entries_;
  std::vector<Installed> installed_;
  std::unordered_map<std::uint32_t, std::size_t> by_index_;
  std::map<std::uint64_t, std::vector<core::ipsec::PolicySpec>> generated_;
  std::uint64_t next_handle_ = 1;
};

}  // namespace policy
