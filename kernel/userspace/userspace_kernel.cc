// kernel/userspace/userspace_kernel.cc — UserspaceKernel's devices, events
// and SAD: SPI allocation, SAs, lifetimes and expiry. Policies and MIGRATE
// are in userspace_spd.cc, the packet paths in datapath.cc.
#include "kernel/userspace/userspace_kernel.h"

#include <sys/epoll.h>

#include <algorithm>
#include <utility>

#include "core/crypto/random.h"
#include "core/crypto/secure_buffer.h"
#include "core/log/log.h"
#include "kernel/userspace/raw_sockets.h"
#include "kernel/userspace/tun.h"

namespace kernel::userspace {

namespace ipsec = core::ipsec;
namespace net = core::net;
using core::ErrorCode;
using core::fail;

namespace {

// kMaxLifetimeSeconds: longer lifetimes ("forever" written as 2^32-1 and
// more) would overflow MonoTime's nanoseconds; they are not scheduled.
constexpr std::uint64_t kMaxLifetimeSeconds = 100ULL * 365 * 24 * 3600;
// kTunBurst bounds the packets read per wakeup, so ESP input and timers
// get their turn under a flood (epoll is level-triggered: the rest waits).
constexpr int kTunBurst = 64;

void wipe(ipsec::Algorithm& a) {
  if (!a.key.empty()) core::crypto::cleanse(a.key.data(), a.key.size());
  a.key.clear();
}

}  // namespace

std::vector<std::pair<std::string_view, std::uint64_t>> Statistics::named() const {
  return {{"packets_out", packets_out},
          {"bytes_out", bytes_out},
          {"packets_in", packets_in},
          {"bytes_in", bytes_in},
          {"passed_clear", passed_clear},
          {"acquires", acquires},
          {"dummy", dummy},
          {"tun_local", tun_local},
          {"drop_no_sa", drops.no_sa},
          {"drop_no_policy", drops.no_policy},
          {"drop_discard", drops.discard},
          {"drop_unknown_spi", drops.unknown_spi},
          {"drop_policy_mismatch", drops.policy_mismatch},
          {"drop_malformed", drops.malformed},
          {"drop_unsupported", drops.unsupported},
          {"drop_esp_malformed", drops.esp_malformed},
          {"drop_esp_replay", drops.esp_replay},
          {"drop_esp_integrity", drops.esp_integrity},
          {"drop_esp_padding", drops.esp_padding},
          {"drop_esp_expired", drops.esp_expired},
          {"drop_seal_failed", drops.seal_failed},
          {"drop_send_failed", drops.send_failed}};
}

// SystemIo is the real PacketIo: the TUN device and the raw sockets.
class UserspaceKernel::SystemIo final : public PacketIo {
 public:
  SystemIo(TunDevice tun, RawSockets raw) : tun(std::move(tun)), raw(std::move(raw)) {}
  core::Status to_tun(std::span<const std::uint8_t> packet) override { return tun.write(packet); }
  core::Status send_esp(std::span<const std::uint8_t> esp, const net::Address& src,
                        const net::Address& dst) override {
    return raw.send_esp(esp, src, dst);
  }
  core::Status send_clear(std::span<const std::uint8_t> packet, const net::Address& dst) override {
    return raw.send_clear(packet, dst);
  }
  TunDevice tun;
  RawSockets raw;
};

UserspaceKernel::UserspaceKernel(const core::Clock& clock, core::Timers& timers, Options opts)
    : clock_(clock), timers_(timers), opts_(std::move(opts)) {}

std::unique_ptr<UserspaceKernel> UserspaceKernel::detached(const core::Clock& clock, core::Timers& timers,
                                                           PacketIo& io, Options opts) {
  std::unique_ptr<UserspaceKernel> k(new UserspaceKernel(clock, timers, std::move(opts)));
  k->io_ = &io;
  k->routes_ = Routes::detached({0, k->opts_.route_table, k->opts_.mark, k->opts_.rule_priority,
                                 k->opts_.mtu});
  return k;
}

core::Result<std::unique_ptr<UserspaceKernel>> UserspaceKernel::open(core::Loop& loop, Options opts) {
  auto tun = TunDevice::open(opts.tun_name);
  if (!tun) return fail(tun.error());
  auto raw = RawSockets::open(opts.mark);
  if (!raw) return fail(raw.error());
  auto routes = Routes::open({tun->ifindex(), opts.route_table, opts.mark, opts.rule_priority, opts.mtu});
  if (!routes) return fail(routes.error());

  std::unique_ptr<UserspaceKernel> k(new UserspaceKernel(loop.clock(), loop.timers(), std::move(opts)));
  k->system_ = std::make_unique<SystemIo>(std::move(*tun), std::move(*raw));
  k->io_ = k->system_.get();
  k->routes_ = std::move(*routes);
  k->loop_ = &loop;
  UserspaceKernel* self = k.get();
  // From here the destructor removes whatever was registered.
  if (auto st = loop.add_fd(k->system_->tun.fd(), EPOLLIN, [self](std::uint32_t) { self->on_tun_readable(); }); !st)
    return fail(st.error());
  for (net::Family f : {net::Family::V4, net::Family::V6}) {
    if (auto st = loop.add_fd(k->system_->raw.esp_fd(f), EPOLLIN,
                              [self, f](std::uint32_t) { self->on_esp_readable(f); });
        !st)
      return fail(st.error());
  }
  KLOG(Knl, Info, "userspace: data plane on {} (mtu {}), routes in table {}, sockets marked 0x{:x}",
       k->system_->tun.name(), k->opts_.mtu, k->opts_.route_table, k->opts_.mark);
  return k;
}

UserspaceKernel::~UserspaceKernel() {
  for (const auto& id : sad_.ids()) cancel_timers(*sad_.find(id));
  if (loop_ && system_) {
    (void)loop_->remove_fd(system_->tun.fd());
    (void)loop_->remove_fd(system_->raw.esp_fd(net::Family::V4));
    (void)loop_->remove_fd(system_->raw.esp_fd(net::Family::V6));
  }
  routes_.reset();   // routes and rules go before the device
  system_.reset();
}

void UserspaceKernel::on_tun_readable() {
  for (int i = 0; i < kTunBurst; ++i) {
    auto got = system_->tun.read(tun_buf_);
    if (!got) {
      KLOG(Knl, Warn, "userspace: {}", got.error().detail);
      return;
    }
    if (!*got) return;
    on_tun_packet(tun_buf_);
  }
}

void UserspaceKernel::on_esp_readable(net::Family f) {
  auto st = system_->raw.receive(f, [this](std::span<std::uint8_t> esp, const net::Address& src,
                                           const net::Address& dst) { on_esp_packet(esp, src, dst); });
  if (!st) KLOG(Knl, Warn, "userspace: {}", st.error().detail);
}

ipsec::Capabilities UserspaceKernel::capabilities() const {
  ipsec::Capabilities c;
  c.esp = true;
  c.migrate = true;
  c.migrate_state = true;
  c.km_address = true;
  c.acquire_packet = true;
  c.counters = true;
  return c;
}

void UserspaceKernel::set_event_handler(ipsec::EventHandler handler) { handler_ = std::move(handler); }

void UserspaceKernel::emit(ipsec::KernelEvent event) {
  if (handler_) handler_(event);
}

std::uint64_t UserspaceKernel::wall_seconds() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall_now().time_since_epoch()).count());
}

// --- SPI allocation and SAs -----------------------------------------------------

core::Result<std::uint32_t> UserspaceKernel::alloc_spi(const net::Address& src, const net::Address& dst,
                                                       ipsec::Proto proto, std::uint32_t reqid,
                                                       std::uint32_t min, std::uint32_t max) {
  if (proto != ipsec::Proto::Esp)
    return fail(ErrorCode::Unsupported, "alloc SPI: the userspace data plane carries ESP only, not {}",
                ipsec::proto_name(proto));
  // SPIs 1-255 are reserved by IANA (RFC 4303 §2.1).
  min = std::max<std::uint32_t>(min, 0x100);
  if (min > max || src.family() != dst.family())
    return fail(ErrorCode::Kernel, "alloc SPI {}->{}: Invalid argument", src.to_string(), dst.to_string());
  const std::uint64_t span = std::uint64_t{max} - min + 1;
  std::uint8_t r[4];
  core::crypto::random_bytes(r);
  std::uint64_t start = (std::uint64_t{r[0]} << 24 | r[1] << 16 | r[2] << 8 | r[3]) % span;
  std::optional<std::uint32_t> spi;
  for (std::uint64_t i = 0; i < span; ++i) {
    auto candidate = static_cast<std::uint32_t>(min + (start + i) % span);
    if (!sad_.spi_taken(candidate) && !sad_.contains(ipsec::SaId{dst, candidate, proto})) {
      spi = candidate;
      break;
    }
  }
  if (!spi)
    return fail(ErrorCode::Exists, "alloc SPI {}->{}: every SPI in [0x{:x}, 0x{:x}] is in use",
                src.to_string(), dst.to_string(), min, max);
  Sa e;
  e.spec.src = src;
  e.spec.dst = dst;
  e.spec.spi = *spi;
  e.spec.proto = proto;
  e.spec.reqid = reqid;
  e.spec.inbound = true;
  e.larval = true;
  e.inbound = true;  // an SPI is allocated for the SA we receive on
  e.added = clock_.now();
  e.add_time = wall_seconds();
  arm_lifetime(sad_.insert(std::move(e)));
  KLOG(Knl, Diag, "userspace: SPI {:08x} reserved for {}->{} reqid {}", *spi, src.to_string(),
       dst.to_string(), reqid);
  return *spi;
}

core::Status UserspaceKernel::install(const ipsec::SaSpec& spec, bool inbound, std::optional<Sa> old) {
  ipsec::SaId id = spec.id();
  // On failure the larval SA being completed stays as it was.
  auto refuse = [&](tl::unexpected<core::Error> error) {
    if (old) arm_lifetime(sad_.insert(std::move(*old)));
    return error;
  };
  if (inbound && sad_.spi_taken(spec.spi, &id))
    return refuse(fail(ErrorCode::Exists, "add SA {}: SPI in use by another inbound SA", id.to_string()));
  auto crypto = EspSa::create(spec);
  if (!crypto)
    return refuse(fail(crypto.error().code, "add SA {}: {}", id.to_string(), crypto.error().detail));
  Sa e;
  e.spec = spec;
  wipe(e.spec.enc);
  wipe(e.spec.integ);
  e.spec.inbound = inbound;
  e.crypto = std::move(*crypto);
  e.inbound = inbound;
  e.added = clock_.now();
  e.add_time = wall_seconds();
  arm_lifetime(sad_.insert(std::move(e)));
  KLOG(Knl, Diag, "userspace: SA {} {} {} {}->{} reqid {}{}", id.to_string(), inbound ? "in" : "out",
       ipsec::mode_name(spec.mode), spec.src.to_string(), spec.dst.to_string(), spec.reqid,
       spec.encap ? " (UDP)" : "");
  return core::ok();
}

core::Status UserspaceKernel::add_sa(const ipsec::SaSpec& sa) {
  const ipsec::SaId id = sa.id();
  if (sa.proto != ipsec::Proto::Esp)
    return fail(ErrorCode::Unsupported, "add SA {}: the userspace data plane carries ESP only",
                id.to_string());
  if (sa.src.family() != sa.dst.family())
    return fail(ErrorCode::Kernel, "add SA {}: Invalid argument (families differ)", id.to_string());
  Sa* existing = sad_.find(id);
  if (existing && !existing->larval) return fail(ErrorCode::Exists, "add SA {}: File exists", id.to_string());
  std::optional<Sa> old;
  if (existing) {
    cancel_timers(*existing);
    old = sad_.erase(id);
  }
  return install(sa, sa.inbound || old.has_value(), std::move(old));
}

core::Status UserspaceKernel::update_sa(const ipsec::SaSpec& sa) {
  const ipsec::SaId id = sa.id();
  Sa* existing = sad_.find(id);
  if (!existing) return fail(ErrorCode::NotFound, "update SA {}: No such process", id.to_string());
  if (sa.src.family() != sa.dst.family())
    return fail(ErrorCode::Kernel, "update SA {}: Invalid argument (families differ)", id.to_string());
  cancel_timers(*existing);
  Sa e = std::move(*sad_.erase(id));
  if (e.larval) return install(sa, true, std::move(e));
  // XFRM_MSG_UPDSA on a keyed SA: keys and replay state stay.
  e.spec.src = sa.src;
  e.spec.reqid = sa.reqid;
  e.spec.mode = sa.mode;
  e.spec.selector = sa.selector;
  e.spec.encap = sa.encap;
  e.spec.lifetime = sa.lifetime;
  e.spec.mark = sa.mark;
  e.soft_expired = false;  // Linux re-enables the soft report (km.dying = 0)
  arm_lifetime(sad_.insert(std::move(e)));
  return core::ok();
}

core::Status UserspaceKernel::del_sa(const ipsec::SaId& id) {
  Sa* e = sad_.find(id);
  if (!e) return fail(ErrorCode::NotFound, "delete SA {}: No such process", id.to_string());
  cancel_timers(*e);
  sad_.erase(id);
  KLOG(Knl, Diag, "userspace: SA {} deleted", id.to_string());
  return core::ok();
}

namespace {

ipsec::SaInfo info_of(const SadEntry<EspSa>& e) {
  ipsec::SaInfo info;
  info.spec = e.spec;
  info.counters.add_time = e.add_time;
  info.counters.use_time = e.use_time;
  if (e.crypto) {
    const EspCounters& c = e.crypto->counters();
    info.counters.bytes = c.bytes;
    info.counters.packets = c.packets;
    info.counters.replay_dropped = c.replay_dropped;
    info.counters.integrity_failed = c.integrity_failed;
  }
  return info;
}

}  // namespace

core::Result<ipsec::SaInfo> UserspaceKernel::get_sa(const ipsec::SaId& id) {
  const Sa* e = sad_.find(id);
  if (!e) return fail(ErrorCode::NotFound, "get SA {}: No such process", id.to_string());
  return info_of(*e);
}

core::Result<std::vector<ipsec::SaInfo>> UserspaceKernel::list_sas() {
  auto ids = sad_.ids();
  std::sort(ids.begin(), ids.end());
  std::vector<ipsec::SaInfo> out;
  out.reserve(ids.size());
  for (const auto& id : ids) out.push_back(info_of(*sad_.find(id)));
  return out;
}

// --- lifetimes ------------------------------------------------------------------

void UserspaceKernel::cancel_timers(Sa& e) {
  timers_.cancel(e.soft_timer);
  timers_.cancel(e.hard_timer);
  e.soft_timer = {};
  e.hard_timer = {};
}

void UserspaceKernel::arm_lifetime(Sa& e) {
  cancel_timers(e);
  const ipsec::SaId id = e.spec.id();
  auto at = [&](std::uint64_t seconds) { return e.added + std::chrono::seconds(seconds); };
  if (e.larval) {
    auto life = static_cast<std::uint64_t>(opts_.larval_lifetime.count());
    if (life != 0) e.hard_timer = timers_.schedule_at(at(life), [this, id] { hard_expire(id); });
    return;
  }
  const ipsec::Lifetime& lt = e.spec.lifetime;
  bool hard = lt.hard_seconds != 0 && lt.hard_seconds <= kMaxLifetimeSeconds;
  // A soft limit at or past the hard one is never reported (xfrm_timer_handler).
  bool soft = lt.soft_seconds != 0 && lt.soft_seconds <= kMaxLifetimeSeconds && !e.soft_expired &&
              (lt.hard_seconds == 0 || lt.soft_seconds < lt.hard_seconds);
  if (soft) e.soft_timer = timers_.schedule_at(at(lt.soft_seconds), [this, id] { soft_expire(id); });
  if (hard) e.hard_timer = timers_.schedule_at(at(lt.hard_seconds), [this, id] { hard_expire(id); });
}

void UserspaceKernel::soft_expire(const ipsec::SaId& id) {
  Sa* e = sad_.find(id);
  if (!e) return;
  timers_.cancel(e->soft_timer);
  e->soft_timer = {};
  if (e->soft_expired || e->larval) return;
  e->soft_expired = true;
  KLOG(Knl, Diag, "userspace: SA {} reqid {} soft expired", id.to_string(), e->spec.reqid);
  emit(ipsec::ExpireEvent{id, e->spec.reqid, false});
}

void UserspaceKernel::hard_expire(const ipsec::SaId& id) {
  Sa* e = sad_.find(id);
  if (!e) return;
  cancel_timers(*e);
  const std::uint32_t reqid = e->spec.reqid;
  sad_.erase(id);
  KLOG(Knl, Diag, "userspace: SA {} reqid {} hard expired, deleted", id.to_string(), reqid);
  emit(ipsec::ExpireEvent{id, reqid, true});
}

void UserspaceKernel::check_limits(const ipsec::SaId& id) {
  Sa* e = sad_.find(id);
  if (!e || !e->crypto) return;
  LimitHit hit = e->crypto->take_limit_hit();
  if (hit.hard) {
    hard_expire(id);
  } else if (hit.soft) {
    soft_expire(id);
  }
}

}  // namespace kernel::userspace
