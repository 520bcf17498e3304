#include "kernel/pfkey/pfkey_kernel.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/log/log.h"

namespace kernel::pfkey {

using core::ErrorCode;
using core::fail;
namespace ipsec = core::ipsec;

namespace {

constexpr int kReplyTimeoutMs = 5000;
constexpr std::size_t kMaxMessage = std::size_t{0xffff} * 8;  // sadb_msg_len is u16 words
constexpr int kSocketBuffer = 1 << 20;

core::Error kernel_error(std::string_view op, int e) {
  return core::Error{ErrorCode::Kernel, fmt::format("{}: {}", op, std::strerror(e))};
}

std::string_view flavor_name(Flavor f) { return f == Flavor::Linux ? "Linux" : "KAME"; }

}  // namespace

core::Result<std::unique_ptr<PfkeyKernel>> PfkeyKernel::open(Flavor f) {
  const int fd = ::socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC, kPfKeyV2);
  if (fd < 0) {
    const int e = errno;
    if (e == EAFNOSUPPORT || e == EPROTONOSUPPORT)
      return fail(ErrorCode::Unsupported,
                  "PF_KEY is not available on this system (socket(PF_KEY): {}); use --backend xfrm or userspace",
                  std::strerror(e));
    return fail(ErrorCode::System, "socket(PF_KEY): {}", std::strerror(e));
  }
  // Dumps arrive as one datagram per entry; a larger buffer keeps a full
  // SPD dump from overflowing (racoon2 if_pfkeyv2.c does the same).
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
  std::unique_ptr<PfkeyKernel> k(
      new PfkeyKernel(core::UniqueFd(fd), Dialect::of(f), static_cast<std::uint32_t>(::getpid())));
  // RFC 2367 §3.1.6: only registered sockets receive ACQUIREs for a satype.
  for (auto t : {satype::kEsp, satype::kAh})
    if (auto st = k->register_satype(t); !st) return fail(st.error());
  KLOG(Knl, Info, "pfkey: {} PF_KEY_V2 socket open, {} auth and {} encryption algorithms registered",
       flavor_name(f), k->supported_auth_.size(), k->supported_encrypt_.size());
  return k;
}

std::unique_ptr<PfkeyKernel> PfkeyKernel::adopt(int fd, const Dialect& d, std::uint32_t pid) {
  return std::unique_ptr<PfkeyKernel>(new PfkeyKernel(core::UniqueFd(fd), d, pid));
}

PfkeyKernel::PfkeyKernel(core::UniqueFd fd, const Dialect& d, std::uint32_t pid)
    : fd_(std::move(fd)), dialect_(d), pid_(pid) {}

ipsec::Capabilities PfkeyKernel::capabilities() const {
  ipsec::Capabilities c;
  c.esp = true;
  c.migrate = true;
  c.migrate_state = false;
  c.km_address = dialect_.flavor == Flavor::Linux;      // SADB_X_EXT_KMADDRESS
  c.acquire_packet = dialect_.flavor == Flavor::Kame;   // SADB_X_EXT_PACKET
  c.counters = true;
  return c;
}

Stamp PfkeyKernel::next_stamp() {
  if (++seq_ == 0) seq_ = 1;  // seq 0 ends a dump; never use it for a request
  return Stamp{seq_, pid_};
}

core::Status PfkeyKernel::send(const Message& m, std::string_view op) {
  auto bytes = encode_message(m, dialect_);
  if (!bytes) return fail(bytes.error().code, "{}: {}", op, bytes.error().detail);
  const ssize_t n = ::send(fd_.get(), bytes->data(), bytes->size(), 0);
  if (n < 0) return fail(kernel_error(op, errno));
  if (static_cast<std::size_t>(n) != bytes->size())
    return fail(ErrorCode::System, "{}: short send ({} of {} bytes)", op, n, bytes->size());
  return core::ok();
}

core::Result<std::optional<std::vector<std::uint8_t>>> PfkeyKernel::receive(int timeout_ms) {
  pollfd p{fd_.get(), POLLIN, 0};
  int r;
  do {
    r = ::poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return fail(ErrorCode::System, "poll(PF_KEY): {}", std::strerror(errno));
  if (r == 0) return std::optional<std::vector<std::uint8_t>>{};
  rx_.resize(kMaxMessage);
  const ssize_t n = ::recv(fd_.get(), rx_.data(), rx_.size(), MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return std::optional<std::vector<std::uint8_t>>{};
    return fail(ErrorCode::System, "recv(PF_KEY): {}", std::strerror(errno));
  }
  return std::optional<std::vector<std::uint8_t>>{std::in_place, rx_.begin(), rx_.begin() + n};
}

bool PfkeyKernel::is_reply(const Message& got, const Message& m) const {
  return got.header.type == m.header.type && got.header.seq == m.header.seq && got.header.pid == pid_;
}

void PfkeyKernel::note(const Message& got) {
  if (got.header.pid == pid_) {
    KLOG(Knl, Debug, "pfkey: stray reply type {} seq {} ignored", got.header.type, got.header.seq);
    return;
  }
  auto ev = event_of(got, dialect_);
  if (!ev) {
    KLOG(Knl, Warn, "pfkey: notification type {} skipped: {}", got.header.type, ev.error().detail);
    return;
  }
  if (*ev) pending_.push_back(std::move(**ev));
}

void PfkeyKernel::deliver() {
  while (!pending_.empty()) {
    auto ev = std::move(pending_.front());
    pending_.pop_front();
    if (handler_) handler_(ev);
  }
}

core::Result<Message> PfkeyKernel::request(const Message& m, std::string_view op, bool reply_optional) {
  if (auto st = send(m, op); !st) return fail(st.error());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kReplyTimeoutMs);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    // Both kernels answer inside send() (af_key pfkey_sendmsg, KAME
    // key_output), so an optional reply is already queued or never comes.
    const int wait = reply_optional ? 0 : static_cast<int>(std::max<std::int64_t>(left.count(), 0));
    auto got = receive(wait);
    if (!got) return fail(got.error());
    if (!*got) {
      if (reply_optional) return m;
      if (left.count() <= 0) return fail(ErrorCode::Timeout, "{}: no PF_KEY reply in {} ms", op, kReplyTimeoutMs);
      continue;
    }
    auto dm = decode_message(**got, dialect_);
    if (!dm) {
      KLOG(Knl, Warn, "pfkey: {}: undecodable message skipped: {}", op, dm.error().detail);
      continue;
    }
    if (!is_reply(*dm, m)) {
      note(*dm);
      continue;
    }
    if (dm->header.errno_value != 0) return fail(kernel_error(op, dm->header.errno_value));
    return std::move(*dm);
  }
}

core::Result<std::vector<Message>> PfkeyKernel::request_dump(const Message& m, std::string_view op) {
  if (auto st = send(m, op); !st) return fail(st.error());
  std::vector<Message> out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kReplyTimeoutMs);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return fail(ErrorCode::Timeout, "{}: dump did not end in {} ms", op, kReplyTimeoutMs);
    auto got = receive(static_cast<int>(left.count()));
    if (!got) return fail(got.error());
    if (!*got) continue;
    auto dm = decode_message(**got, dialect_);
    if (!dm) {
      KLOG(Knl, Warn, "pfkey: {}: undecodable dump entry skipped: {}", op, dm.error().detail);
      continue;
    }
    // Dump entries carry our pid and a count-down sequence ending at 0
    // (af_key pfkey_dump_sa, KAME key_dump), not the request's seq.
    if (dm->header.type != m.header.type || dm->header.pid != pid_) {
      note(*dm);
      continue;
    }
    if (dm->header.errno_value == ENOENT) return out;  // empty database
    if (dm->header.errno_value != 0) return fail(kernel_error(op, dm->header.errno_value));
    const bool last = dm->header.seq == 0;
    out.push_back(std::move(*dm));
    if (last) return out;
  }
}

void PfkeyKernel::on_readable() {
  for (;;) {
    auto got = receive(0);
    if (!got) {
      KLOG(Knl, Warn, "pfkey: {}", got.error().detail);
      break;
    }
    if (!*got) break;
    auto dm = decode_message(**got, dialect_);
    if (!dm) {
      KLOG(Knl, Warn, "pfkey: undecodable notification skipped: {}", dm.error().detail);
      continue;
    }
    note(*dm);
  }
  deliver();
}

core::Status PfkeyKernel::register_satype(std::uint8_t t) {
  auto reply = request(make_simple(msg::kRegister, t, next_stamp()), "register");
  if (!reply) return fail(reply.error());
  if (reply->supported_auth) supported_auth_ = *reply->supported_auth;
  if (reply->supported_encrypt) supported_encrypt_ = *reply->supported_encrypt;
  deliver();
  return core::ok();
}

core::net::Address PfkeyKernel::known_src(const ipsec::SaId& id) const {
  auto it = sa_src_.find(id);
  return it != sa_src_.end() ? it->second : core::net::Address::any(id.dst.family());
}

core::Result<std::uint32_t> PfkeyKernel::alloc_spi(const core::net::Address& src, const core::net::Address& dst,
                                                   ipsec::Proto proto, std::uint32_t reqid, std::uint32_t min,
                                                   std::uint32_t max) {
  auto reply = request(make_getspi(src, dst, proto, reqid, min, max, next_stamp()), "alloc SPI");
  deliver();
  if (!reply) return fail(reply.error());
  auto spi = spi_of(*reply);
  if (!spi) return fail(ErrorCode::Kernel, "alloc SPI: {}", spi.error().detail);
  sa_src_[ipsec::SaId{dst, *spi, proto}] = src;
  return *spi;
}

core::Status PfkeyKernel::install_sa(std::uint8_t type, const ipsec::SaSpec& sa, std::string_view op) {
  auto m = make_add(type, sa, next_stamp(), dialect_);
  if (!m) return fail(m.error().code, "{} {}: {}", op, sa.id().to_string(), m.error().detail);
  auto reply = request(*m, op);
  deliver();
  if (!reply) return fail(reply.error());
  sa_src_[sa.id()] = sa.src;
  return core::ok();
}

core::Status PfkeyKernel::add_sa(const ipsec::SaSpec& sa) { return install_sa(msg::kAdd, sa, "add SA"); }

core::Status PfkeyKernel::update_sa(const ipsec::SaSpec& sa) { return install_sa(msg::kUpdate, sa, "update SA"); }

core::Status PfkeyKernel::del_sa(const ipsec::SaId& id) {
  auto reply = request(make_sa_id(msg::kDelete, id, known_src(id), next_stamp()), "delete SA");
  deliver();
  if (!reply) return fail(reply.error());
  sa_src_.erase(id);
  return core::ok();
}

core::Result<ipsec::SaInfo> PfkeyKernel::get_sa(const ipsec::SaId& id) {
  auto reply = request(make_sa_id(msg::kGet, id, known_src(id), next_stamp()), "get SA");
  deliver();
  if (!reply) return fail(reply.error());
  return sa_info_of(*reply, dialect_);
}

core::Result<std::vector<ipsec::SaInfo>> PfkeyKernel::list_sas() {
  auto replies = request_dump(make_simple(msg::kDump, satype::kUnspec, next_stamp()), "dump SAs");
  deliver();
  if (!replies) return fail(replies.error());
  std::vector<ipsec::SaInfo> out;
  for (const auto& m : *replies) {
    auto info = sa_info_of(m, dialect_);
    if (!info) {
      KLOG(Knl, Warn, "pfkey: dump entry skipped: {}", info.error().detail);
      continue;
    }
    out.push_back(std::move(*info));
  }
  return out;
}

core::Result<std::uint32_t> PfkeyKernel::install_policy(std::uint8_t type, const ipsec::PolicySpec& p,
                                                        std::string_view op) {
  auto m = make_spd(type, p, next_stamp(), dialect_);
  if (!m) return fail(m.error().code, "{} {}: {}", op, p.to_string(), m.error().detail);
  auto reply = request(*m, op);
  deliver();
  if (!reply) return fail(reply.error());
  if (!reply->policy) return fail(ErrorCode::Kernel, "{}: reply without X_POLICY", op);
  return reply->policy->id;
}

core::Result<std::uint32_t> PfkeyKernel::add_policy(const ipsec::PolicySpec& p) {
  return install_policy(msg::kXSpdAdd, p, "add policy");
}

core::Result<std::uint32_t> PfkeyKernel::update_policy(const ipsec::PolicySpec& p) {
  return install_policy(msg::kXSpdUpdate, p, "update policy");
}

core::Status PfkeyKernel::del_policy(const ipsec::PolicyKey& key) {
  auto m = make_spddelete(key, next_stamp(), dialect_);
  if (!m) return fail(m.error().code, "delete policy: {}", m.error().detail);
  auto reply = request(*m, "delete policy");
  deliver();
  if (!reply) return fail(reply.error());
  return core::ok();
}

core::Result<std::vector<ipsec::PolicySpec>> PfkeyKernel::list_policies() {
  auto replies = request_dump(make_simple(msg::kXSpdDump, satype::kUnspec, next_stamp()), "dump policies");
  deliver();
  if (!replies) return fail(replies.error());
  std::vector<ipsec::PolicySpec> out;
  for (const auto& m : *replies) {
    auto p = policy_of(m, dialect_);
    if (!p) {
      // Per-socket policies and BEET templates have no PolicySpec form.
      KLOG(Knl, Diag, "pfkey: policy dump entry skipped: {}", p.error().detail);
      continue;
    }
    out.push_back(std::move(*p));
  }
  return out;
}

core::Status PfkeyKernel::migrate(const ipsec::MigrateRequest& req) {
  auto m = make_migrate(req, next_stamp(), dialect_);
  if (!m) return fail(m.error().code, "migrate: {}", m.error().detail);
  // af_key pfkey_migrate answers only failures; success is the X_MIGRATE
  // broadcast, which reaches the event handler like anyone else's.
  auto reply = request(*m, "migrate", /*reply_optional=*/true);
  deliver();
  if (!reply) return fail(reply.error());
  return core::ok();
}

core::Status PfkeyKernel::migrate_sa(const ipsec::SaId& id, const core::net::Address&, const core::net::Address&,
                                     std::optional<ipsec::Encap>) {
  return fail(ErrorCode::Unsupported, "migrate SA {}: PF_KEY cannot move an SA and keep its sequence numbers",
              id.to_string());
}

}  // namespace kernel::pfkey
