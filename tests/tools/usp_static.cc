// usp_static — the userspace data plane with static SAs and policies, for
// scenarios/userspace_static.sh: opens UserspaceKernel in the current
// network namespace, installs what the command line gives, prints the
// kernel events (acquires, expires) on stdout, and runs until SIGTERM.
//
//   usp_static --sa dir=out,src=192.0.2.1,dst=192.0.2.2,spi=0x1001,reqid=1,enc=gcm,key=<40 hex>
//              --sa dir=in,src=192.0.2.2,dst=192.0.2.1,spi=0x2001,reqid=1,enc=gcm,key=<40 hex>
//              --policy dir=out,src=198.51.100.0/24,dst=203.0.113.0/24,tsrc=192.0.2.1,tdst=192.0.2.2,reqid=1
//              --policy dir=in,src=203.0.113.0/24,dst=198.51.100.0/24,tsrc=192.0.2.2,tdst=192.0.2.1,reqid=1
//              --stats /tmp/stats.txt
//
// SA keys: dir (in|out), src, dst, spi, reqid, mode (tunnel|transport,
// default tunnel), enc (gcm: ENCR_AES_GCM_16 with a 20- or 36-byte key incl.
// salt, RFC 4106; null: ENCR_NULL without integrity, tests only), key (hex),
// encap (SPORT:DPORT; ESP in UDP through this program's sockets on
// --udp-port, RFC 3948: datagrams starting with the non-ESP marker are
// not ESP and are dropped here).
// Policy keys: dir (in|out|fwd), src, dst (prefixes), proto (name or
// number), action (protect|bypass|discard), tsrc, tdst (template endpoints,
// tunnel mode), reqid, mode, priority, level (require|use).
// On SIGUSR1 and at exit the statistics go to --stats as "name value" lines.
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/log/log.h"
#include "core/loop/loop.h"
#include "core/net/selector.h"
#include "kernel/userspace/userspace_kernel.h"

namespace {

namespace ipsec = core::ipsec;
namespace net = core::net;
using Fields = std::map<std::string, std::string>;

// fields splits "k=v,k=v" (every key at most once).
core::Result<Fields> fields(const std::string& text) {
  Fields out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(pos, end - pos);
    std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return core::fail(core::ErrorCode::Config, "'{}': expected key=value", item);
    if (!out.emplace(item.substr(0, eq), item.substr(eq + 1)).second)
      return core::fail(core::ErrorCode::Config, "'{}': key given twice", item);
    pos = end + 1;
  }
  return out;
}

core::Result<std::string> take(Fields& f, const std::string& key, const char* fallback = nullptr) {
  auto it = f.find(key);
  if (it == f.end()) {
    if (fallback) return std::string(fallback);
    return core::fail(core::ErrorCode::Config, "missing {}=", key);
  }
  std::string v = it->second;
  f.erase(it);
  return v;
}

core::Result<std::uint32_t> number(const std::string& s) {
  try {
    std::size_t used = 0;
    unsigned long v = std::stoul(s, &used, 0);
    if (used != s.size() || v > 0xffffffffUL) throw std::out_of_range(s);
    return static_cast<std::uint32_t>(v);
  } catch (const std::exception&) {
    return core::fail(core::ErrorCode::Config, "'{}' is not a number", s);
  }
}

core::Result<std::vector<std::uint8_t>> hex(const std::string& s) {
  if (s.size() % 2 != 0) return core::fail(core::ErrorCode::Config, "key '{}': odd number of hex digits", s);
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    auto v = number("0x" + s.substr(i, 2));
    if (!v) return core::fail(core::ErrorCode::Config, "key '{}': not hex", s);
    out.push_back(static_cast<std::uint8_t>(*v));
  }
  return out;
}

core::Result<ipsec::Mode> mode(const std::string& s) {
  if (s == "tunnel") return ipsec::Mode::Tunnel;
  if (s == "transport") return ipsec::Mode::Transport;
  return core::fail(core::ErrorCode::Config, "mode '{}': tunnel or transport", s);
}

#define TRY(var, expr)                        \
  auto var = (expr);                          \
  if (!var) return core::fail(var.error())

core::Result<ipsec::SaSpec> parse_sa(const std::string& text) {
  TRY(f, fields(text));
  ipsec::SaSpec s;
  TRY(dir, take(*f, "dir"));
  if (*dir != "in" && *dir != "out") return core::fail(core::ErrorCode::Config, "dir '{}': in or out", *dir);
  s.inbound = *dir == "in";
  TRY(src, take(*f, "src"));
  TRY(dst, take(*f, "dst"));
  TRY(sa, net::Address::parse(*src));
  TRY(da, net::Address::parse(*dst));
  s.src = *sa;
  s.dst = *da;
  TRY(spi, take(*f, "spi"));
  TRY(spi_n, number(*spi));
  s.spi = *spi_n;
  TRY(reqid, take(*f, "reqid", "0"));
  TRY(reqid_n, number(*reqid));
  s.reqid = *reqid_n;
  TRY(m, take(*f, "mode", "tunnel"));
  TRY(mode_v, mode(*m));
  s.mode = *mode_v;
  TRY(enc, take(*f, "enc"));
  TRY(key, take(*f, "key", ""));
  TRY(key_bytes, hex(*key));
  if (*enc == "gcm") {
    if (key_bytes->size() != 20 && key_bytes->size() != 36)
      return core::fail(core::ErrorCode::Config, "gcm key: 20 or 36 bytes (key + 4-byte salt)");
    s.enc = {20, static_cast<std::uint16_t>((key_bytes->size() - 4) * 8), *key_bytes};
  } else if (*enc == "null") {
    s.enc = {11, 0, {}};
  } else {
    return core::fail(core::ErrorCode::Config, "enc '{}': gcm or null", *enc);
  }
  if (f->contains("encap")) {
    TRY(encap, take(*f, "encap"));
    auto colon = encap->find(':');
    if (colon == std::string::npos) return core::fail(core::ErrorCode::Config, "encap: SPORT:DPORT");
    TRY(sp, number(encap->substr(0, colon)));
    TRY(dp, number(encap->substr(colon + 1)));
    s.encap = ipsec::Encap{static_cast<std::uint16_t>(*sp), static_cast<std::uint16_t>(*dp)};
  }
  if (!f->empty()) return core::fail(core::ErrorCode::Config, "unknown SA key '{}'", f->begin()->first);
  return s;
}

core::Result<ipsec::PolicySpec> parse_policy(const std::string& text) {
  TRY(f, fields(text));
  ipsec::PolicySpec p;
  TRY(dir, take(*f, "dir"));
  if (*dir == "in") {
    p.dir = ipsec::Dir::In;
  } else if (*dir == "out") {
    p.dir = ipsec::Dir::Out;
  } else if (*dir == "fwd") {
    p.dir = ipsec::Dir::Fwd;
  } else {
    return core::fail(core::ErrorCode::Config, "dir '{}': in, out or fwd", *dir);
  }
  TRY(src, take(*f, "src"));
  TRY(dst, take(*f, "dst"));
  TRY(sp, net::Prefix::parse(*src));
  TRY(dp, net::Prefix::parse(*dst));
  p.selector.src = *sp;
  p.selector.dst = *dp;
  TRY(proto, take(*f, "proto", "any"));
  TRY(proto_n, net::parse_protocol(*proto));
  p.selector.proto = *proto_n;
  TRY(prio, take(*f, "priority", "1000"));
  TRY(prio_n, number(*prio));
  p.priority = *prio_n;
  TRY(action, take(*f, "action", "protect"));
  if (*action == "bypass") {
    p.action = ipsec::Action::Bypass;
  } else if (*action == "discard") {
    p.action = ipsec::Action::Discard;
  } else if (*action == "protect") {
    p.action = ipsec::Action::Protect;
    ipsec::Template t;
    TRY(m, take(*f, "mode", "tunnel"));
    TRY(mode_v, mode(*m));
    t.mode = *mode_v;
    TRY(reqid, take(*f, "reqid", "0"));
    TRY(reqid_n, number(*reqid));
    t.reqid = *reqid_n;
    TRY(level, take(*f, "level", "require"));
    t.level = *level == "use" ? ipsec::Level::Use : ipsec::Level::Require;
    if (t.mode == ipsec::Mode::Tunnel) {
      TRY(ts, take(*f, "tsrc"));
      TRY(td, take(*f, "tdst"));
      TRY(tsa, net::Address::parse(*ts));
      TRY(tda, net::Address::parse(*td));
      t.src = *tsa;
      t.dst = *tda;
    }
    p.templates.push_back(t);
  } else {
    return core::fail(core::ErrorCode::Config, "action '{}': protect, bypass or discard", *action);
  }
  if (!f->empty()) return core::fail(core::ErrorCode::Config, "unknown policy key '{}'", f->begin()->first);
  return p;
}

// UdpEsp is one UDP socket per family on the NAT-T port, marked like the
// data plane's own sockets, carrying ESP in UDP (RFC 3948 §2.1).
class UdpEsp {
 public:
  core::Status open(core::Loop& loop, kernel::userspace::UserspaceKernel& k, std::uint16_t port) {
    for (int family : {AF_INET, AF_INET6}) {
      core::UniqueFd fd(::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
      if (!fd) return core::fail(core::ErrorCode::System, "UDP socket: {}", std::strerror(errno));
      int on = 1;
      std::uint32_t mark = k.socket_mark();
      ::setsockopt(fd.get(), SOL_SOCKET, SO_MARK, &mark, sizeof mark);
      if (family == AF_INET6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
      if (family == AF_INET) ::setsockopt(fd.get(), IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
      if (family == AF_INET6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on);
      sockaddr_storage ss{};
      socklen_t len = net::Address::any(family == AF_INET ? net::Family::V4 : net::Family::V6).to_sockaddr(ss, port);
      if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) < 0)
        return core::fail(core::ErrorCode::System, "bind UDP {}: {}", port, std::strerror(errno));
      int raw = fd.get();
      if (auto st = loop.add_fd(raw, EPOLLIN, [this, raw, port, &k](std::uint32_t) { receive(raw, port, k); }); !st)
        return st;
      fds_.push_back(std::move(fd));
    }
    loop_ = &loop;
    k.set_udp_sender([this](std::span<const std::uint8_t> esp, const net::Endpoint& local, const net::Endpoint& remote) {
      send(esp, local, remote);
    });
    return core::ok();
  }
  ~UdpEsp() {
    for (auto& fd : fds_)
      if (loop_) (void)loop_->remove_fd(fd.get());
  }

 private:
  void receive(int fd, std::uint16_t port, kernel::userspace::UserspaceKernel& k) {
    std::uint8_t buf[65536];
    for (;;) {
      sockaddr_storage from{};
      alignas(cmsghdr) char control[256];
      iovec iov{buf, sizeof buf};
      msghdr msg{};
      msg.msg_name = &from;
      msg.msg_namelen = sizeof from;
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      ssize_t n = ::recvmsg(fd, &msg, 0);
      if (n < 0) return;
      net::Endpoint remote{net::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&from)), 0};
      remote.port = ntohs(from.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&from)->sin_port
                                                    : reinterpret_cast<sockaddr_in6*>(&from)->sin6_port);
      remote.addr.set_scope_id(0);
      net::Endpoint local{net::Address::any(remote.addr.family()), port};
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
          in_pktinfo pi;
          std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
          local.addr = *net::Address::from_bytes({reinterpret_cast<const std::uint8_t*>(&pi.ipi_addr), 4});
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
          in6_pktinfo pi;
          std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
          local.addr = *net::Address::from_bytes({reinterpret_cast<const std::uint8_t*>(&pi.ipi6_addr), 16});
        }
      }
      std::span<const std::uint8_t> data(buf, static_cast<std::size_t>(n));
      // RFC 3948 §2.2: a NAT-keepalive is one 0xff octet; IKE starts with
      // the 4-octet non-ESP marker. Neither is ours.
      if (data.size() == 1 || (data.size() >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 0))
        continue;
      k.on_udp_esp(data, local, remote);
    }
  }
  void send(std::span<const std::uint8_t> esp, const net::Endpoint& local, const net::Endpoint& remote) {
    sockaddr_storage to{};
    socklen_t tolen = remote.addr.to_sockaddr(to, remote.port);
    int fd = fds_[remote.addr.is_v4() ? 0 : 1].get();
    // The source address is the SA's: IP_PKTINFO / IPV6_PKTINFO.
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
    iovec iov{const_cast<std::uint8_t*>(esp.data()), esp.size()};
    msghdr msg{};
    msg.msg_name = &to;
    msg.msg_namelen = tolen;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    cmsghdr* c = reinterpret_cast<cmsghdr*>(control);
    if (local.addr.is_v4()) {
      in_pktinfo pi{};
      std::memcpy(&pi.ipi_spec_dst, local.addr.bytes().data(), 4);
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof pi);
      std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
      msg.msg_controllen = CMSG_SPACE(sizeof pi);
    } else {
      in6_pktinfo pi{};
      std::memcpy(&pi.ipi6_addr, local.addr.bytes().data(), 16);
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof pi);
      std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
      msg.msg_controllen = CMSG_SPACE(sizeof pi);
    }
    if (::sendmsg(fd, &msg, 0) < 0)
      KLOG(Net, Debug, "usp_static: send ESP-in-UDP to {}: {}", remote.to_string(), std::strerror(errno));
  }

  core::Loop* loop_ = nullptr;
  std::vector<core::UniqueFd> fds_;
};

void write_stats(const std::string& path, const kernel::userspace::UserspaceKernel& k) {
  if (path.empty()) return;
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    for (const auto& [name, value] : k.statistics().named()) out << name << ' ' << value << '\n';
  }
  std::rename(tmp.c_str(), path.c_str());
}

void print_event(const ipsec::KernelEvent& ev) {
  if (const auto* a = std::get_if<ipsec::AcquireEvent>(&ev)) {
    std::printf("ACQUIRE policy=%u selector=%s reqid=%u src=%s dst=%s packet=%zu\n", a->policy_index,
                a->selector.to_string().c_str(), a->tmpl.reqid, a->src.to_string().c_str(),
                a->dst.to_string().c_str(), a->packet ? a->packet->size() : 0);
  } else if (const auto* e = std::get_if<ipsec::ExpireEvent>(&ev)) {
    std::printf("EXPIRE sa=%s reqid=%u hard=%d\n", e->sa.to_string().c_str(), e->reqid, e->hard ? 1 : 0);
  } else if (std::get_if<ipsec::MigrateEvent>(&ev)) {
    std::printf("MIGRATE\n");
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kagi userspace data plane with static SAs (tests)"};
  kernel::userspace::Options opts;
  std::vector<std::string> sas, policies;
  std::string stats_path, log_level = "diag";
  std::uint16_t udp_port = 4500;
  app.add_option("--tun", opts.tun_name, "TUN device name");
  app.add_option("--mtu", opts.mtu, "TUN MTU");
  app.add_option("--table", opts.route_table, "routing table for the TUN routes");
  app.add_option("--mark", opts.mark, "SO_MARK of our sockets (rule: not fwmark MARK)");
  app.add_option("--sa", sas, "static SA (key=value,...)");
  app.add_option("--policy", policies, "static policy (key=value,...)");
  app.add_option("--stats", stats_path, "statistics file (SIGUSR1 and exit)");
  app.add_option("--udp-port", udp_port, "UDP port for ESP in UDP (RFC 3948)");
  app.add_option("--log-level", log_level, "error|warn|info|diag|debug");
  CLI11_PARSE(app, argc, argv);

  auto level = core::log::parse_level(log_level);
  if (!level) {
    std::fprintf(stderr, "usp_static: bad --log-level %s\n", log_level.c_str());
    return 2;
  }
  core::log::set_level(*level);
  auto die = [](const core::Error& e) {
    std::fprintf(stderr, "usp_static: %s\n", e.to_string().c_str());
    return 1;
  };

  auto loop = core::Loop::create();
  if (!loop) return die(loop.error());
  auto k = kernel::userspace::UserspaceKernel::open(**loop, opts);
  if (!k) return die(k.error());
  (*k)->set_event_handler(print_event);
  UdpEsp udp;
  if (auto st = udp.open(**loop, **k, udp_port); !st) return die(st.error());
  for (const auto& text : sas) {
    auto s = parse_sa(text);
    if (!s) return die(s.error());
    if (auto st = (*k)->add_sa(*s); !st) return die(st.error());
  }
  for (const auto& text : policies) {
    auto p = parse_policy(text);
    if (!p) return die(p.error());
    if (auto idx = (*k)->add_policy(*p); !idx) return die(idx.error());
  }
  auto* raw = k->get();
  (void)(*loop)->on_signal(SIGTERM, [&] { (*loop)->stop(); });
  (void)(*loop)->on_signal(SIGINT, [&] { (*loop)->stop(); });
  (void)(*loop)->on_signal(SIGUSR1, [&] { write_stats(stats_path, *raw); });
  write_stats(stats_path, *raw);
  std::printf("READY %s\n", opts.tun_name.c_str());
  std::fflush(stdout);
  auto run = (*loop)->run();
  write_stats(stats_path, *raw);
  k->reset();  // routes, rules and the device go before the loop
  if (!run) return die(run.error());
  return 0;
}
