#include "kernel/xfrm/xfrm_kernel.h"

#include <linux/xfrm.h>

#include <cerrno>
#include <cstring>

#include "core/crypto/transform_ids.h"
#include "core/log/log.h"
#include "kernel/xfrm/encode.h"

namespace kernel::xfrm {

using core::Result;
using core::Status;
using namespace core::ipsec;

namespace {

constexpr std::uint32_t group_bit(unsigned g) { return 1u << (g - 1); }

// kProbeSpi is from the range RFC 4303 §2.1 reserves (1-255): no
// negotiated SA ever uses it, so the probe cannot collide with one.
constexpr std::uint32_t kProbeSpi = 0xff;
constexpr int kDumpAttempts = 3;

bool gone(int err) { return err == ENOENT || err == ESRCH; }

}  // namespace

std::uint32_t event_groups() {
  return group_bit(XFRMNLGRP_ACQUIRE) | group_bit(XFRMNLGRP_EXPIRE) | group_bit(XFRMNLGRP_SA) |
         group_bit(XFRMNLGRP_POLICY) | group_bit(XFRMNLGRP_MIGRATE) | group_bit(XFRMNLGRP_REPORT);
}

XfrmKernel::XfrmKernel(NlSocket requests, NlSocket events)
    : requests_(std::move(requests)), events_(std::move(events)) {}

Result<std::unique_ptr<XfrmKernel>> XfrmKernel::open() {
  auto req = NlSocket::open(0, false);
  if (!req) return tl::unexpected(req.error());
  auto ev = NlSocket::open(event_groups(), true);
  if (!ev) return tl::unexpected(ev.error());
  std::unique_ptr<XfrmKernel> k(new XfrmKernel(std::move(*req), std::move(*ev)));
  k->probe();
  return k;
}

void XfrmKernel::probe() {
  // ESP: a NULL-cipher transport SA on the loopback address. The kernel
  // checks algorithms before the protocol, so EPROTONOSUPPORT ("Requested
  // type not found") means exactly "no ESP in this kernel".
  SaSpec sa;
  sa.src = sa.dst = core::net::Address::v4(0x7f000001);
  sa.spi = kProbeSpi;
  sa.mode = Mode::Transport;
  sa.enc.id = core::crypto::EncrId::Null;
  sa.integ.id = core::crypto::IntegId::HmacSha2_256_128;
  sa.integ.key.assign(32, 0);
  Status st = encode_add_sa(msg_, sa, false);
  if (st) st = run("probe ESP");
  int err = requests_.last_errno();
  caps_.esp = st || err == EEXIST;
  if (st) {
    NlMessage del;
    if (encode_sa_id(del, XFRM_MSG_DELSA, sa.id()))
      if (auto d = requests_.request(del, "delete ESP probe SA"); !d)
        KLOG(Knl, Warn, "xfrm: {}", d.error().detail);
  } else if (err != EPROTONOSUPPORT && err != EEXIST) {
    KLOG(Knl, Warn, "xfrm: cannot tell whether the kernel has ESP, assuming not: {}",
         st.error().detail);
  }

  // MIGRATE: a request for a policy that cannot exist (protocol 255, port
  // 65535, 192.0.2.255) answers ENOENT when XFRM_MSG_MIGRATE is built in and
  // ENOPROTOOPT without CONFIG_XFRM_MIGRATE; it can change nothing.
  MigrateRequest m;
  auto probe_addr = core::net::Address::v4(0xc00002ff);
  m.selector.src = m.selector.dst = core::net::Prefix::host(probe_addr);
  m.selector.proto = 255;
  m.selector.sport = m.selector.dport = core::net::PortRange::single(0xffff);
  m.dir = Dir::Fwd;
  m.entries.push_back({Proto::Esp, Mode::Tunnel, 0xfffffffe, probe_addr, probe_addr,
                       probe_addr, probe_addr});
  st = encode_migrate(msg_, m);
  if (st) st = run("probe MIGRATE");
  err = requests_.last_errno();
  caps_.migrate = err != ENOPROTOOPT && err != EOPNOTSUPP;
  caps_.km_address = caps_.migrate;
  // XFRM_MSG_MIGRATE_STATE is not in this system's linux/xfrm.h, and its
  // message number and struct changed between proposals: never probed.
  caps_.migrate_state = false;
  caps_.acquire_packet = false;  // XFRM acquires carry no packet
  caps_.counters = true;
  KLOG(Knl, Info, "xfrm: kernel capabilities: esp={} migrate={} migrate_state={}", caps_.esp,
       caps_.migrate, caps_.migrate_state);
}

std::optional<XfrmKernel::PolicyKeyBytes> XfrmKernel::key_bytes(const PolicyKey& key) {
  xfrm_selector sel;
  if (!encode_selector(key.selector, sel)) return std::nullopt;
  PolicyKeyBytes kb{};
  std::memcpy(kb.data(), &sel, sizeof(sel));
  kb[sizeof(sel)] = xfrm_dir(key.dir);
  std::memcpy(kb.data() + sizeof(sel) + 1, &key.mark.value, 4);
  std::memcpy(kb.data() + sizeof(sel) + 5, &key.mark.mask, 4);
  return kb;
}

void XfrmKernel::set_event_handler(EventHandler handler) { handler_ = std::move(handler); }

Status XfrmKernel::run(std::string_view op, const ReplyHandler& on_reply) {
  return requests_.request(msg_, op, on_reply);
}

Result<std::uint32_t> XfrmKernel::alloc_spi(const core::net::Address& src,
                                            const core::net::Address& dst, Proto proto,
                                            std::uint32_t reqid, std::uint32_t min,
                                            std::uint32_t max) {
  if (auto st = encode_alloc_spi(msg_, src, dst, proto, reqid, min, max); !st)
    return tl::unexpected(st.error());
  std::optional<std::uint32_t> spi;
  auto op = fmt::format("allocate {} SPI {} -> {} reqid {}", proto_name(proto), src.to_string(),
                        dst.to_string(), reqid);
  auto st = run(op, [&](const NlHeader& h, core::wire::Reader payload) -> Status {
    if (h.type != XFRM_MSG_NEWSA) return core::ok();
    auto rec = decode_sa(payload);
    if (!rec) return tl::unexpected(rec.error());
    spi = rec->info.spec.spi;
    return core::ok();
  });
  if (!st) return tl::unexpected(st.error());
  if (!spi) return core::fail(core::ErrorCode::Kernel, "{}: no SPI in the answer", op);
  reserved_spis_.insert(SaId{dst, *spi, proto});
  KLOG(Knl, Diag, "xfrm: reserved {} SPI {:#010x} for {}", proto_name(proto), *spi,
       dst.to_string());
  return *spi;
}

Status XfrmKernel::add_sa(const SaSpec& sa) {
  // An SPI from alloc_spi is a larval SA already keyed by (dst, SPI,
  // proto): NEWSA would answer EEXIST, UPDSA completes it.
  bool reserved = reserved_spis_.count(sa.id()) != 0;
  if (auto st = encode_add_sa(msg_, sa, reserved); !st) return st;
  if (auto st = run(fmt::format("add SA {}", sa.id().to_string())); !st) return st;
  reserved_spis_.erase(sa.id());
  own_sas_.insert(sa.id());
  KLOG(Knl, Diag, "xfrm: added SA {} reqid {}", sa.id().to_string(), sa.reqid);
  return core::ok();
}

Status XfrmKernel::update_sa(const SaSpec& sa) {
  if (auto st = encode_add_sa(msg_, sa, true); !st) return st;
  if (auto st = run(fmt::format("update SA {}", sa.id().to_string())); !st) return st;
  reserved_spis_.erase(sa.id());
  own_sas_.insert(sa.id());
  return core::ok();
}

Status XfrmKernel::del_sa(const SaId& id) {
  if (auto st = encode_sa_id(msg_, XFRM_MSG_DELSA, id); !st) return st;
  if (auto st = run(fmt::format("delete SA {}", id.to_string())); !st) return st;
  own_sas_.erase(id);
  reserved_spis_.erase(id);
  return core::ok();
}

Result<SaRecord> XfrmKernel::get_record(const SaId& id) {
  if (auto st = encode_sa_id(msg_, XFRM_MSG_GETSA, id); !st) return tl::unexpected(st.error());
  std::optional<SaRecord> out;
  auto st = run(fmt::format("get SA {}", id.to_string()),
                [&](const NlHeader& h, core::wire::Reader payload) -> Status {
                  if (h.type != XFRM_MSG_NEWSA) return core::ok();
                  auto rec = decode_sa(payload);
                  if (!rec) return tl::unexpected(rec.error());
                  out = std::move(*rec);
                  return core::ok();
                });
  if (!st) return tl::unexpected(st.error());
  if (!out) return core::fail(core::ErrorCode::NotFound, "get SA {}: no answer", id.to_string());
  return std::move(*out);
}

Result<SaInfo> XfrmKernel::get_sa(const SaId& id) {
  auto rec = get_record(id);
  if (!rec) return tl::unexpected(rec.error());
  return std::move(rec->info);
}

Result<std::vector<SaInfo>> XfrmKernel::list_sas() {
  std::vector<SaInfo> out;
  Status st;
  for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
    out.clear();
    encode_dump(msg_, XFRM_MSG_GETSA);
    st = run("list SAs", [&](const NlHeader& h, core::wire::Reader payload) -> Status {
      if (h.type != XFRM_MSG_NEWSA) return core::ok();
      auto rec = decode_sa(payload);
      if (!rec) {
        KLOG(Knl, Debug, "xfrm: SA dump entry skipped: {}", rec.error().detail);
        return core::ok();
      }
      out.push_back(std::move(rec->info));
      return core::ok();
    });
    if (st || st.error().code != core::ErrorCode::State) break;
  }
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<std::uint32_t> XfrmKernel::add_policy(const PolicySpec& p) { return install_policy(p, false); }

Result<std::uint32_t> XfrmKernel::update_policy(const PolicySpec& p) {
  return install_policy(p, true);
}

Result<std::uint32_t> XfrmKernel::install_policy(const PolicySpec& p, bool update) {
  if (auto st = encode_policy(msg_, p, update); !st) return tl::unexpected(st.error());
  auto op = fmt::format("{} policy {}", update ? "update" : "add", p.to_string());
  if (auto st = run(op); !st) return tl::unexpected(st.error());

  PolicyKey key{p.selector, p.dir, p.mark};
  if (auto kb = key_bytes(key)) own_policies_[*kb] = key;

  // NEWPOLICY answers only an ACK: the index the kernel chose comes from a
  // GETPOLICY of the same key.
  if (auto st = encode_policy_id(msg_, XFRM_MSG_GETPOLICY, key); !st)
    return tl::unexpected(st.error());
  std::uint32_t index = 0;
  auto st = run(fmt::format("get policy {}", p.to_string()),
                [&](const NlHeader& h, core::wire::Reader payload) -> Status {
                  if (h.type != XFRM_MSG_NEWPOLICY) return core::ok();
                  auto got = decode_policy(payload);
                  if (!got) return tl::unexpected(got.error());
                  index = got->index;
                  return core::ok();
                });
  if (!st) return tl::unexpected(st.error());
  KLOG(Knl, Diag, "xfrm: {} policy index {}: {}", update ? "updated" : "added", index,
       p.to_string());
  return index;
}

Status XfrmKernel::del_policy(const PolicyKey& key) {
  if (auto st = encode_policy_id(msg_, XFRM_MSG_DELPOLICY, key); !st) return st;
  auto st = run(fmt::format("delete policy {} dir {}", key.selector.to_string(),
                            dir_name(key.dir)));
  if (!st) return st;
  if (auto kb = key_bytes(key)) own_policies_.erase(*kb);
  return core::ok();
}

Result<std::vector<PolicySpec>> XfrmKernel::list_policies() {
  std::vector<PolicySpec> out;
  Status st;
  for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
    out.clear();
    encode_dump(msg_, XFRM_MSG_GETPOLICY);
    st = run("list policies", [&](const NlHeader& h, core::wire::Reader payload) -> Status {
      if (h.type != XFRM_MSG_NEWPOLICY) return core::ok();
      auto p = decode_policy(payload);
      if (!p) {
        KLOG(Knl, Debug, "xfrm: policy dump entry skipped: {}", p.error().detail);
        return core::ok();
      }
      out.push_back(std::move(*p));
      return core::ok();
    });
    if (st || st.error().code != core::ErrorCode::State) break;
  }
  if (!st) return tl::unexpected(st.error());
  return out;
}

Status XfrmKernel::migrate(const MigrateRequest& req) {
  if (auto st = encode_migrate(msg_, req); !st) return st;
  auto op = fmt::format("migrate policy {} dir {}", req.selector.to_string(), dir_name(req.dir));
  if (auto st = run(op); !st) return st;
  KLOG(Knl, Diag, "xfrm: migrated policy {} dir {} ({} entries{})", req.selector.to_string(),
       dir_name(req.dir), req.entries.size(), req.new_km ? ", KM address" : "");
  return core::ok();
}

Status XfrmKernel::add_record(const SaRecord& rec, const SaSpec& spec) {
  SaState state{rec.replay_type, rec.replay, rec.ltime};
  if (auto st = encode_add_sa(msg_, spec, false, &state); !st) return st;
  return run(fmt::format("add SA {}", spec.id().to_string()));
}

Status XfrmKernel::migrate_sa(const SaId& id, const core::net::Address& new_src,
                              const core::net::Address& new_dst, std::optional<Encap> encap) {
  auto rec = get_record(id);
  if (!rec) return tl::unexpected(rec.error());
  SaSpec moved = rec->info.spec;
  moved.src = new_src;
  moved.dst = new_dst;
  moved.encap = encap;
  if (moved.id() != id) {
    // Make before break: the old SA keeps working until the new one exists.
    if (auto st = add_record(*rec, moved); !st) return st;
    if (auto st = del_sa(id); !st && !gone(requests_.last_errno())) return st;
  } else {
    // Same key: the old SA must go first; put it back if the new one fails.
    if (auto st = del_sa(id); !st) return st;
    if (auto st = add_record(*rec, moved); !st) {
      if (auto back = add_record(*rec, rec->info.spec); !back)
        KLOG(Knl, Error, "xfrm: SA {} lost while moving it: {}", id.to_string(),
             back.error().detail);
      else
        own_sas_.insert(id);
      return st;
    }
  }
  own_sas_.erase(id);
  own_sas_.insert(moved.id());
  KLOG(Knl, Diag, "xfrm: moved SA {} to {} -> {}", id.to_string(), new_src.to_string(),
       new_dst.to_string());
  return core::ok();
}

void XfrmKernel::on_readable() {
  static const EventHandler kDrop = [](const KernelEvent&) {};
  const EventHandler& sink = handler_ ? handler_ : kDrop;
  std::uint64_t overruns = events_.overruns();
  for (;;) {
    auto buf = events_.receive();
    if (events_.overruns() != overruns) {
      overruns = events_.overruns();
      KLOG(Knl, Warn, "xfrm: event socket overrun, kernel events were lost");
    }
    if (!buf) {
      KLOG(Knl, Warn, "xfrm: {}", buf.error().detail);
      return;
    }
    if (buf->empty()) return;
    decode_stream(*buf, requests_.portid(), sink);
  }
}

Status XfrmKernel::flush_own() {
  Status first = core::ok();
  auto note = [&](Status st) {
    if (!st && !gone(requests_.last_errno()) && first) first = st;
  };
  auto policies = own_policies_;
  for (const auto& [bytes, key] : policies) {
    note(del_policy(key));
    own_policies_.erase(bytes);
  }
  for (const auto& id : std::set<SaId>(own_sas_)) note(del_sa(id));
  for (const auto& id : std::set<SaId>(reserved_spis_)) note(del_sa(id));
  own_sas_.clear();
  reserved_spis_.clear();
  return first;
}

}  // namespace kernel::xfrm
