// kernel/fake/fake_kernel.h — an in-memory SAD/SPD with the semantics of
// Linux XFRM, for engine tests (the mock kernel of strongSwan's
// test_ike_* suites).
//
// Every engine test hands a FakeKernel to its engine as core::ipsec::Kernel:
//   core::SimulatedTime time;
//   kernel::FakeKernel k(time, time, {.seed = 7});
//   ikev2::Engine e(k, time, time, ...);
//   time.advance(std::chrono::minutes(10));   // lifetimes expire here
// It is single-threaded and calls the event handler synchronously, from
// inside the call or timer that caused the event, after its own state is
// consistent (so the handler may call back into it).
//
// Design:
// - SAD (sa_table.h): SAs by SaId (dst, spi, proto) in an ordered map, with
//   an index by (src, dst, proto). alloc_spi reserves a larval SA (Linux
//   XFRM_STATE_ACQ); add_sa or update_sa completes it. Larval SAs show in
//   get_sa/list_sas (without keys) as in `ip xfrm state`, can be deleted,
//   and expire after options.larval_lifetime with a hard ExpireEvent, as
//   Linux does after net.core.xfrm_acq_expires.
// - SPD (policy_table.h): policies by PolicyKey and by kernel index, binned
//   by destination prefix for lookup(); indices are Linux's
//   (counter << 3) | dir.
// - Time: lifetimes in seconds run on the core::Timers given (SimulatedTime
//   in tests) from the moment of add_sa; byte and packet lifetimes run on
//   add_traffic(). A limit is reached when the counter is >= it. The soft
//   limit is reported once (ExpireEvent hard=false); the hard limit once
//   (hard=true) and deletes the SA. A hard limit reached no later than the
//   soft one reports only the hard one, as xfrm_state_check_expire and
//   xfrm_timer_handler do. update_sa re-arms the limits against the
//   original add time and re-enables the soft report (Linux resets
//   km.dying there).
// - Acquire: trigger_acquire() does what the output path does for a packet
//   with no SA (xfrm_tmpl_resolve): it walks the outbound policy's
//   templates and reports the first one with no SA; a Use-level template
//   (optional) reports and moves on. A template has an SA when a valid SA
//   has its protocol, mode, reqid and endpoints (and its selector, if any,
//   matches the packet), or a larval SA its protocol, reqid and endpoints
//   (an acquire in progress, as in xfrm_state_find). After an acquire
//   the same (endpoints, proto, mode, reqid) is held for larval_lifetime and
//   not acquired again, unless an SA for it is added meanwhile (Linux keeps
//   an ACQ state for that). Holds expire silently.
// - Events caused by kagi's own calls are not echoed as PolicyEvents (a
//   backend filters its own netlink echoes); migrate() does report a
//   MigrateEvent, since the kernel broadcasts every MIGRATE.
//
// Failures mimic the kernel's errno text in Error::detail, with the codes
// engines branch on: Exists (EEXIST), NotFound (ESRCH/ENOENT/ENODATA),
// Kernel (EINVAL and the rest).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/clock/clock.h"
#include "core/ipsec/kernel.h"
#include "kernel/fake/policy_table.h"
#include "kernel/fake/sa_table.h"

namespace kernel {

// FakeKernelOptions configure a FakeKernel; the defaults suit engine tests.
struct FakeKernelOptions {
  // seed makes SPI allocation repeatable: equal seeds and equal call
  // sequences give equal SPIs.
  std::uint64_t seed = 1;
  // acquire_packet: acquires carry the triggering packet when one is given
  // (Capabilities::acquire_packet; SADB_X_EXT_PACKET in PF_KEY).
  bool acquire_packet = false;
  // larval_lifetime bounds larval SAs and acquire holds (0: forever).
  // Linux defaults net.core.xfrm_acq_expires to 30 s; strongSwan raises it
  // to 165 s so larval SAs outlive IKE retransmissions, and so does this.
  std::chrono::seconds larval_lifetime{165};
};

namespace fake {

// Op names each Kernel operation in the call log and for fail_next.
enum class Op : std::uint8_t {
  AllocSpi, AddSa, UpdateSa, DelSa, GetSa, ListSas,
  AddPolicy, UpdatePolicy, DelPolicy, ListPolicies, Migrate, MigrateSa,
};
std::string_view op_name(Op op);

// Call is one entry of the call log: the operation, a one-line summary of
// its arguments (SA id, policy, moves) and whether it succeeded.
struct Call {
  Op op = Op::AddSa;
  std::string summary;
  bool ok = true;
};

}  // namespace fake

// FakeKernel is core::ipsec::Kernel in memory. It holds references to the
// clock and timers, which must outlive it; it cancels its own timers when
// destroyed.
class FakeKernel final : public core::ipsec::Kernel {
 public:
  FakeKernel(core::Clock& clock, core::Timers& timers, FakeKernelOptions options = {});
  ~FakeKernel() override;
  FakeKernel(const FakeKernel&) = delete;
  FakeKernel& operator=(const FakeKernel&) = delete;

  // --- core::ipsec::Kernel ---------------------------------------------
  std::string_view name() const override { return "fake"; }
  core::ipsec::Capabilities capabilities() const override;
  void set_event_handler(core::ipsec::EventHandler handler) override;

  // alloc_spi picks a pseudo-random start in [min, max] from the seeded
  // generator and takes the first SPI from there (wrapping) that no SA to
  // (dst, proto) uses. Fails with Exists when the range is full, Kernel
  // (EINVAL) when min > max or the families differ.
  core::Result<std::uint32_t> alloc_spi(const core::net::Address& src,
                                        const core::net::Address& dst,
                                        core::ipsec::Proto proto, std::uint32_t reqid,
                                        std::uint32_t min = 0x100,
                                        std::uint32_t max = 0xffffffff) override;
  // add_sa completes a larval SA or adds a new one; Exists for a valid SA
  // with the same id.
  core::Status add_sa(const core::ipsec::SaSpec& sa) override;
  // update_sa replaces the parameters of an SA (valid or larval), keeping
  // its counters and add time; NotFound when absent.
  core::Status update_sa(const core::ipsec::SaSpec& sa) override;
  core::Status del_sa(const core::ipsec::SaId& id) override;
  core::Result<core::ipsec::SaInfo> get_sa(const core::ipsec::SaId& id) override;
  // list_sas returns every SA, larval ones included, in SaId order.
  core::Result<std::vector<core::ipsec::SaInfo>> list_sas() override;

  core::Result<std::uint32_t> add_policy(const core::ipsec::PolicySpec& p) override;
  core::Result<std::uint32_t> update_policy(const core::ipsec::PolicySpec& p) override;
  core::Status del_policy(const core::ipsec::PolicyKey& key) override;
  // list_policies returns every policy ordered by index.
  core::Result<std::vector<core::ipsec::PolicySpec>> list_policies() override;

  // migrate is XFRM_MSG_MIGRATE (see fake_migrate.cc): NotFound when no
  // policy matches, NotFound "no template matches" when no template does,
  // Exists when a moved SA would land on an existing id. On failure nothing
  // changed. On success a MigrateEvent with the request is emitted.
  core::Status migrate(const core::ipsec::MigrateRequest& req) override;
  // migrate_sa moves one SA (keys, counters, lifetimes kept); its UDP
  // encapsulation becomes `encap` (nullopt removes it). No event.
  core::Status migrate_sa(const core::ipsec::SaId& id, const core::net::Address& new_src,
                          const core::net::Address& new_dst,
                          std::optional<core::ipsec::Encap> encap) override;

  // --- inspection --------------------------------------------------------
  // lookup returns the policy the kernel would apply to a packet in dir:
  // the lowest priority value, then the most specific selector, then the
  // first added (PolicyTable::better); nullopt when none matches.
  std::optional<core::ipsec::PolicySpec> lookup(core::ipsec::Dir dir, const fake::Flow& flow) const;
  std::optional<core::ipsec::PolicySpec> find_policy(const core::ipsec::PolicyKey& key) const;
  // is_larval says whether id names an SPI reserved but not yet completed.
  bool is_larval(const core::ipsec::SaId& id) const;
  bool has_sa(const core::ipsec::SaId& id) const { return sad_.contains(id); }
  std::size_t sa_count() const { return sad_.size(); }
  std::size_t policy_count() const { return spd_.size(); }

  // --- test hooks --------------------------------------------------------
  // add_traffic counts bytes and packets on an SA (as its use by the data
  // plane would) and reports soft/hard byte and packet expiry. NotFound
  // for an absent or larval SA. The SA may be gone on return (hard expiry).
  core::Status add_traffic(const core::ipsec::SaId& id, std::uint64_t bytes,
                           std::uint64_t packets = 1);
  // trigger_acquire sends a packet with this flow out: it finds the
  // outbound policy by lookup() and emits an AcquireEvent for each template
  // with no SA (see the header comment), whose selector is the flow's
  // 5-tuple as Linux fills it. It returns the events emitted (empty when
  // every template has an SA or an acquire is held). NotFound when no
  // outbound policy matches; State when the policy does not protect.
  core::Result<std::vector<core::ipsec::AcquireEvent>> trigger_acquire(
      const fake::Flow& flow, std::optional<std::vector<std::uint8_t>> packet = std::nullopt);
  // trigger_acquire for the outbound policy with exactly this selector (any
  // mark; the best by priority if several); the event carries the policy's
  // selector and, in transport mode, its prefixes' addresses as endpoints.
  core::Result<std::vector<core::ipsec::AcquireEvent>> trigger_acquire(
      const core::net::Selector& selector,
      std::optional<std::vector<std::uint8_t>> packet = std::nullopt);
  // inject delivers an event to the handler as if the kernel had sent it;
  // it changes no state here.
  void inject(const core::ipsec::KernelEvent& event);
  // fail_next makes the next call of op fail with error, changing nothing.
  // Several fail_next for one op queue up in order.
  void fail_next(fake::Op op, core::Error error);

  // calls is the log of every Kernel call, in order.
  const std::vector<fake::Call>& calls() const { return calls_; }
  // count counts logged calls of op (successful and failed).
  std::size_t count(fake::Op op) const;
  // events is every event emitted to the handler (injected ones included).
  const std::vector<core::ipsec::KernelEvent>& events() const { return events_; }
  void clear_log();

 private:
  using AcquireKey = std::tuple<core::net::Address, core::net::Address, core::ipsec::Proto,
                                core::ipsec::Mode, std::uint32_t>;

  // begin logs a call and consumes an injected failure for op, if any.
  std::optional<core::Error> begin(fake::Op op, std::string summary);
  // refuse marks the call being made as failed and returns its error.
  tl::unexpected<core::Error> refuse(tl::unexpected<core::Error> error);
  void emit(core::ipsec::KernelEvent event);

  // arm_lifetime (re)schedules the seconds-based expiry of an SA.
  void arm_lifetime(fake::SaEntry& e);
  void cancel_timers(fake::SaEntry& e);
  void soft_expire(const core::ipsec::SaId& id);
  void hard_expire(const core::ipsec::SaId& id);
  std::uint64_t wall_seconds() const;

  // install is add_sa/update_sa after their own checks.
  void install(const core::ipsec::SaSpec& sa, const fake::SaEntry* old);
  core::Result<std::uint32_t> put_policy(fake::Op op, const core::ipsec::PolicySpec& p);
  core::Status do_migrate(const core::ipsec::MigrateRequest& req);
  // has_state says whether a valid or larval SA serves template t for a
  // packet from src to dst (flow, when known, must match an SA selector).
  bool has_state(const core::ipsec::Template& t, const core::net::Address& src,
                 const core::net::Address& dst, const fake::Flow* flow) const;
  core::Result<std::vector<core::ipsec::AcquireEvent>> acquire_for(
      const fake::PolicyEntry& policy, const core::net::Selector& event_selector,
      const core::net::Address& src, const core::net::Address& dst, const fake::Flow* flow,
      std::optional<std::vector<std::uint8_t>> packet);

  core::Clock& clock_;
  core::Timers& timers_;
  FakeKernelOptions options_;
  std::mt19937_64 rng_;
  core::ipsec::EventHandler handler_;
  fake::SaTable sad_;
  fake::PolicyTable spd_;
  std::map<AcquireKey, core::MonoTime> acquire_holds_;  // key -> hold ends
  std::map<fake::Op, std::deque<core::Error>> failures_;
  std::vector<fake::Call> calls_;
  std::vector<core::ipsec::KernelEvent> events_;
};

}  // namespace kernel
