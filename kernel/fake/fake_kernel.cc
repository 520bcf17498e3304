// kernel/fake/fake_kernel.cc — the SAD half of FakeKernel: SPI allocation,
// SAs, lifetimes and expiry, the call log and failure injection. Policies
// and acquires are in fake_spd.cc, MIGRATE in fake_migrate.cc.
#include "kernel/fake/fake_kernel.h"

#include <utility>

#include "core/log/log.h"
#include "kernel/fake/describe.h"

namespace kernel {

namespace ipsec = core::ipsec;
namespace net = core::net;
using core::ErrorCode;
using core::fail;
using fake::Op;

namespace {

// kMaxLifetimeSeconds: longer lifetimes (some configurations write
// 0xffffffff... for "forever") would overflow MonoTime's nanoseconds; they
// never expire in any test, so they are not scheduled.
constexpr std::uint64_t kMaxLifetimeSeconds = 100ULL * 365 * 24 * 3600;

}  // namespace

namespace fake {

std::string_view op_name(Op op) {
  switch (op) {
    case Op::AllocSpi: return "alloc_spi";
    case Op::AddSa: return "add_sa";
    case Op::UpdateSa: return "update_sa";
    case Op::DelSa: return "del_sa";
    case Op::GetSa: return "get_sa";
    case Op::ListSas: return "list_sas";
    case Op::AddPolicy: return "add_policy";
    case Op::UpdatePolicy: return "update_policy";
    case Op::DelPolicy: return "del_policy";
    case Op::ListPolicies: return "list_policies";
    case Op::Migrate: return "migrate";
    case Op::MigrateSa: return "migrate_sa";
  }
  return "?";
}

}  // namespace fake

FakeKernel::FakeKernel(core::Clock& clock, core::Timers& timers, FakeKernelOptions options)
    : clock_(clock), timers_(timers), options_(options), rng_(options.seed) {}

FakeKernel::~FakeKernel() {
  for (const auto& [id, e] : sad_.entries()) {
    timers_.cancel(e.soft_timer);
    timers_.cancel(e.hard_timer);
  }
}

ipsec::Capabilities FakeKernel::capabilities() const {
  ipsec::Capabilities c;
  c.esp = true;
  c.migrate = true;
  c.migrate_state = true;
  c.km_address = true;
  c.acquire_packet = options_.acquire_packet;
  c.counters = true;
  return c;
}

void FakeKernel::set_event_handler(ipsec::EventHandler handler) { handler_ = std::move(handler); }

// --- call log, failure injection, events -----------------------------------

std::optional<core::Error> FakeKernel::begin(Op op, std::string summary) {
  KLOG(Knl, Debug, "fake kernel: {} {}", fake::op_name(op), summary);
  calls_.push_back({op, std::move(summary), true});
  auto it = failures_.find(op);
  if (it == failures_.end() || it->second.empty()) return std::nullopt;
  core::Error e = std::move(it->second.front());
  it->second.pop_front();
  calls_.back().ok = false;
  KLOG(Knl, Debug, "fake kernel: {} fails as injected: {}", fake::op_name(op), e.to_string());
  return e;
}

tl::unexpected<core::Error> FakeKernel::refuse(tl::unexpected<core::Error> error) {
  calls_.back().ok = false;
  KLOG(Knl, Debug, "fake kernel: refused: {}", error.value().detail);
  return error;
}

void FakeKernel::fail_next(Op op, core::Error error) { failures_[op].push_back(std::move(error)); }

std::size_t FakeKernel::count(Op op) const {
  std::size_t n = 0;
  for (const auto& c : calls_) n += c.op == op;
  return n;
}

void FakeKernel::clear_log() {
  calls_.clear();
  events_.clear();
}

void FakeKernel::emit(ipsec::KernelEvent event) {
  events_.push_back(event);
  // The handler gets our copy: it may call back in and grow events_.
  if (handler_) handler_(event);
}

void FakeKernel::inject(const ipsec::KernelEvent& event) { emit(event); }

// --- SPI allocation and SAs ---------------------------------------------------

std::uint64_t FakeKernel::wall_seconds() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall_now().time_since_epoch()).count());
}

core::Result<std::uint32_t> FakeKernel::alloc_spi(const net::Address& src, const net::Address& dst,
                                                  ipsec::Proto proto, std::uint32_t reqid,
                                                  std::uint32_t min, std::uint32_t max) {
  std::string what = fmt::format("{} {}->{} reqid {} [0x{:x}, 0x{:x}]", ipsec::proto_name(proto),
                                 src.to_string(), dst.to_string(), reqid, min, max);
  if (auto e = begin(Op::AllocSpi, what)) return fail(*e);
  if (min > max || src.family() != dst.family())
    return refuse(fail(ErrorCode::Kernel, "alloc SPI {}: Invalid argument", what));
  std::uint64_t span = std::uint64_t{max} - min + 1;
  auto start = static_cast<std::uint32_t>(min + rng_() % span);
  auto spi = sad_.free_spi(dst, proto, min, max, start);
  if (!spi)
    return refuse(fail(ErrorCode::Exists, "alloc SPI {}: every SPI in the range is in use", what));

  fake::SaEntry e;
  e.info.spec.src = src;
  e.info.spec.dst = dst;
  e.info.spec.spi = *spi;
  e.info.spec.proto = proto;
  e.info.spec.reqid = reqid;
  e.info.spec.inbound = true;  // an SPI is allocated for the SA we receive on
  e.info.counters.add_time = wall_seconds();
  e.larval = true;
  e.added = clock_.now();
  arm_lifetime(sad_.insert(std::move(e)));
  calls_.back().summary += fmt::format(" -> spi 0x{:08x}", *spi);
  return *spi;
}

void FakeKernel::install(const ipsec::SaSpec& sa, const fake::SaEntry* old) {
  fake::SaEntry e;
  if (old && !old->larval) {
    // An update keeps what the kernel counts: use, add time, replay state.
    e.info.counters = old->info.counters;
    e.added = old->added;
  } else {
    e.info.counters.add_time = wall_seconds();
    e.added = clock_.now();
  }
  e.info.spec = sa;
  if (old) {
    auto gone = sad_.erase(old->info.spec.id());
    cancel_timers(*gone);
  }
  fake::SaEntry& in = sad_.insert(std::move(e));
  arm_lifetime(in);
  acquire_holds_.erase(AcquireKey{sa.src, sa.dst, sa.proto, sa.mode, sa.reqid});
}

core::Status FakeKernel::add_sa(const ipsec::SaSpec& sa) {
  if (auto e = begin(Op::AddSa, fake::describe_sa(sa))) return fail(*e);
  if (sa.src.family() != sa.dst.family())
    return refuse(fail(ErrorCode::Kernel, "add SA {}: Invalid argument", sa.id().to_string()));
  const fake::SaEntry* old = sad_.find(sa.id());
  if (old && !old->larval)
    return refuse(fail(ErrorCode::Exists, "add SA {}: File exists", sa.id().to_string()));
  install(sa, old);
  return core::ok();
}

core::Status FakeKernel::update_sa(const ipsec::SaSpec& sa) {
  if (auto e = begin(Op::UpdateSa, fake::describe_sa(sa))) return fail(*e);
  if (sa.src.family() != sa.dst.family())
    return refuse(fail(ErrorCode::Kernel, "update SA {}: Invalid argument", sa.id().to_string()));
  const fake::SaEntry* old = sad_.find(sa.id());
  if (!old)
    return refuse(fail(ErrorCode::NotFound, "update SA {}: No such process", sa.id().to_string()));
  install(sa, old);
  return core::ok();
}

core::Status FakeKernel::del_sa(const ipsec::SaId& id) {
  if (auto e = begin(Op::DelSa, id.to_string())) return fail(*e);
  auto gone = sad_.erase(id);
  if (!gone)
    return refuse(fail(ErrorCode::NotFound, "delete SA {}: No such process", id.to_string()));
  cancel_timers(*gone);
  return core::ok();
}

core::Result<ipsec::SaInfo> FakeKernel::get_sa(const ipsec::SaId& id) {
  if (auto e = begin(Op::GetSa, id.to_string())) return fail(*e);
  const fake::SaEntry* e = sad_.find(id);
  if (!e)
    return refuse(fail(ErrorCode::NotFound, "get SA {}: No such process", id.to_string()));
  return e->info;
}

core::Result<std::vector<ipsec::SaInfo>> FakeKernel::list_sas() {
  if (auto e = begin(Op::ListSas, "")) return fail(*e);
  std::vector<ipsec::SaInfo> out;
  out.reserve(sad_.size());
  for (const auto& [id, e] : sad_.entries()) out.push_back(e.info);
  return out;
}

bool FakeKernel::is_larval(const ipsec::SaId& id) const {
  const fake::SaEntry* e = sad_.find(id);
  return e && e->larval;
}

// --- lifetimes ----------------------------------------------------------------

void FakeKernel::cancel_timers(fake::SaEntry& e) {
  timers_.cancel(e.soft_timer);
  timers_.cancel(e.hard_timer);
  e.soft_timer = {};
  e.hard_timer = {};
}

void FakeKernel::arm_lifetime(fake::SaEntry& e) {
  cancel_timers(e);
  ipsec::SaId id = e.info.spec.id();
  auto at = [&](std::uint64_t seconds) { return e.added + std::chrono::seconds(seconds); };
  if (e.larval) {
    auto life = static_cast<std::uint64_t>(options_.larval_lifetime.count());
    if (life != 0) e.hard_timer = timers_.schedule_at(at(life), [this, id] { hard_expire(id); });
    return;
  }
  const ipsec::Lifetime& lt = e.info.spec.lifetime;
  bool hard = lt.hard_seconds != 0 && lt.hard_seconds <= kMaxLifetimeSeconds;
  bool soft = lt.soft_seconds != 0 && lt.soft_seconds <= kMaxLifetimeSeconds && !e.soft_expired &&
              (lt.hard_seconds == 0 || lt.soft_seconds < lt.hard_seconds);
  if (soft) e.soft_timer = timers_.schedule_at(at(lt.soft_seconds), [this, id] { soft_expire(id); });
  if (hard) e.hard_timer = timers_.schedule_at(at(lt.hard_seconds), [this, id] { hard_expire(id); });
}

void FakeKernel::soft_expire(const ipsec::SaId& id) {
  fake::SaEntry* e = sad_.find(id);
  if (!e) return;
  timers_.cancel(e->soft_timer);
  e->soft_timer = {};
  if (e->soft_expired || e->larval) return;
  e->soft_expired = true;
  KLOG(Knl, Diag, "fake kernel: SA {} reqid {} soft expired", id.to_string(), e->info.spec.reqid);
  emit(ipsec::ExpireEvent{id, e->info.spec.reqid, false});
}

void FakeKernel::hard_expire(const ipsec::SaId& id) {
  fake::SaEntry* e = sad_.find(id);
  if (!e) return;
  cancel_timers(*e);
  std::uint32_t reqid = e->info.spec.reqid;
  sad_.erase(id);
  KLOG(Knl, Diag, "fake kernel: SA {} reqid {} hard expired, deleted", id.to_string(), reqid);
  emit(ipsec::ExpireEvent{id, reqid, true});
}

core::Status FakeKernel::add_traffic(const ipsec::SaId& id, std::uint64_t bytes,
                                     std::uint64_t packets) {
  fake::SaEntry* e = sad_.find(id);
  if (!e || e->larval)
    return fail(ErrorCode::NotFound, "add traffic {}: No such process", id.to_string());
  ipsec::SaCounters& c = e->info.counters;
  c.bytes += bytes;
  c.packets += packets;
  c.use_time = wall_seconds();
  const ipsec::Lifetime& lt = e->info.spec.lifetime;
  auto reached = [](std::uint64_t count, std::uint64_t limit) { return limit != 0 && count >= limit; };
  if (reached(c.bytes, lt.hard_bytes) || reached(c.packets, lt.hard_packets)) {
    hard_expire(id);
  } else if (reached(c.bytes, lt.soft_bytes) || reached(c.packets, lt.soft_packets)) {
    soft_expire(id);
  }
  return core::ok();
}

}  // namespace kernel
