// kernel/userspace/routes.cc — link setup, routes and rules over
// rtnetlink (libmnl): RTM_NEWLINK, RTM_NEWROUTE/DELROUTE,
// RTM_NEWRULE/DELRULE (rtnetlink(7), include/uapi/linux/fib_rules.h).
#include "kernel/userspace/routes.h"

#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/log/log.h"

namespace kernel::userspace {

namespace net = core::net;
using core::ErrorCode;
using core::fail;

bool PrefixLess::operator()(const net::Prefix& a, const net::Prefix& b) const {
  if (a.network() != b.network()) return a.network() < b.network();
  return a.length() < b.length();
}

namespace {

int af(net::Family f) { return f == net::Family::V4 ? AF_INET : AF_INET6; }

// table_byte is the 8-bit table field: tables above 255 go only in the
// RTA_TABLE / FRA_TABLE attribute (RT_TABLE_UNSPEC here).
std::uint8_t table_byte(std::uint32_t table) {
  return static_cast<std::uint8_t>(table < 256 ? table : std::uint32_t{RT_TABLE_UNSPEC});
}

}  // namespace

// Netlink is one NETLINK_ROUTE socket for synchronous requests: each is
// sent with NLM_F_ACK and answered before the next (a 5 s receive timeout
// keeps a lost answer from hanging the daemon at start-up or shutdown).
class Routes::Netlink {
 public:
  static core::Result<std::unique_ptr<Netlink>> open() {
    std::unique_ptr<Netlink> n(new Netlink);
    n->sock_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!n->sock_) return fail(ErrorCode::System, "rtnetlink socket: {}", std::strerror(errno));
    if (mnl_socket_bind(n->sock_, 0, MNL_SOCKET_AUTOPID) < 0)
      return fail(ErrorCode::System, "rtnetlink bind: {}", std::strerror(errno));
    timeval tv{5, 0};
    setsockopt(mnl_socket_get_fd(n->sock_), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    n->portid_ = mnl_socket_get_portid(n->sock_);
    return n;
  }
  ~Netlink() {
    if (sock_) mnl_socket_close(sock_);
  }

  // start begins a request of this type in the buffer.
  nlmsghdr* start(std::uint16_t type, std::uint16_t flags) {
    nlmsghdr* h = mnl_nlmsg_put_header(buf_);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    h->nlmsg_seq = ++seq_;
    return h;
  }

  // request sends h and waits for its ACK; the error carries errno() too.
  core::Status request(nlmsghdr* h, std::string_view op) {
    errno_ = 0;
    if (mnl_socket_sendto(sock_, h, h->nlmsg_len) < 0) return refuse(op);
    for (;;) {
      ssize_t n = mnl_socket_recvfrom(sock_, buf_, sizeof buf_);
      if (n < 0) return refuse(op);
      int r = mnl_cb_run(buf_, static_cast<std::size_t>(n), seq_, portid_, nullptr, nullptr);
      if (r == MNL_CB_STOP) return core::ok();
      if (r < 0) return refuse(op);
    }
  }
  int last_errno() const { return errno_; }

 private:
  Netlink() = default;
  tl::unexpected<core::Error> refuse(std::string_view op) {
    errno_ = errno;
    return fail(ErrorCode::Kernel, "{}: {}", op, std::strerror(errno_));
  }

  mnl_socket* sock_ = nullptr;
  std::uint32_t portid_ = 0;
  std::uint32_t seq_ = 0;
  int errno_ = 0;
  alignas(nlmsghdr) char buf_[8192];
};

Routes::Routes(const RouteConfig& config) : config_(config) {}

std::unique_ptr<Routes> Routes::detached(const RouteConfig& config) {
  return std::unique_ptr<Routes>(new Routes(config));
}

core::Result<std::unique_ptr<Routes>> Routes::open(const RouteConfig& config) {
  std::unique_ptr<Routes> r(new Routes(config));
  auto nl = Netlink::open();
  if (!nl) return fail(nl.error());
  r->nl_ = std::move(*nl);

  // ip link set DEV mtu MTU up
  nlmsghdr* h = r->nl_->start(RTM_NEWLINK, 0);
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(h, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = static_cast<int>(config.ifindex);
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  mnl_attr_put_u32(h, IFLA_MTU, config.mtu);
  if (auto st = r->nl_->request(h, "set link up"); !st) return fail(st.error());

  // ip rule add not fwmark MARK lookup TABLE pref PRIORITY, per family.
  for (net::Family f : {net::Family::V4, net::Family::V6}) {
    h = r->nl_->start(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL);
    auto* frh = static_cast<fib_rule_hdr*>(mnl_nlmsg_put_extra_header(h, sizeof(fib_rule_hdr)));
    frh->family = static_cast<std::uint8_t>(af(f));
    frh->table = table_byte(config.table);
    frh->action = FR_ACT_TO_TBL;
    frh->flags = FIB_RULE_INVERT;
    mnl_attr_put_u32(h, FRA_FWMARK, config.mark);
    mnl_attr_put_u32(h, FRA_FWMASK, 0xffffffff);
    mnl_attr_put_u32(h, FRA_TABLE, config.table);
    mnl_attr_put_u32(h, FRA_PRIORITY, config.rule_priority);
    auto st = r->nl_->request(h, "add rule");
    // A rule left by a run that crashed is the same rule: take it over.
    if (!st && r->nl_->last_errno() != EEXIST) return fail(st.error());
    r->rules_.push_back(f);
  }
  KLOG(Knl, Diag, "userspace: ifindex {} mtu {} up; rule not fwmark 0x{:x} lookup {} pref {}",
       config.ifindex, config.mtu, config.mark, config.table, config.rule_priority);
  return r;
}

Routes::~Routes() {
  if (!nl_) return;
  for (const auto& [prefix, n] : refs_) (void)route(false, prefix);
  for (net::Family f : rules_) {
    nlmsghdr* h = nl_->start(RTM_DELRULE, 0);
    auto* frh = static_cast<fib_rule_hdr*>(mnl_nlmsg_put_extra_header(h, sizeof(fib_rule_hdr)));
    frh->family = static_cast<std::uint8_t>(af(f));
    frh->table = table_byte(config_.table);
    frh->action = FR_ACT_TO_TBL;
    frh->flags = FIB_RULE_INVERT;
    mnl_attr_put_u32(h, FRA_FWMARK, config_.mark);
    mnl_attr_put_u32(h, FRA_FWMASK, 0xffffffff);
    mnl_attr_put_u32(h, FRA_TABLE, config_.table);
    mnl_attr_put_u32(h, FRA_PRIORITY, config_.rule_priority);
    if (auto st = nl_->request(h, "delete rule"); !st)
      KLOG(Knl, Warn, "userspace: {}", st.error().detail);
  }
}

core::Status Routes::route(bool add, const net::Prefix& prefix) {
  nlmsghdr* h = nl_->start(add ? RTM_NEWROUTE : RTM_DELROUTE, add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(h, sizeof(rtmsg)));
  rtm->rtm_family = static_cast<std::uint8_t>(af(prefix.family()));
  rtm->rtm_dst_len = prefix.length();
  rtm->rtm_table = table_byte(config_.table);
  rtm->rtm_protocol = RTPROT_STATIC;
  // A device route is link-scoped in IPv4 (what `ip route add P dev D`
  // does); IPv6 routes are always universe.
  rtm->rtm_scope = prefix.family() == net::Family::V4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  net::Address dst = prefix.network();
  if (prefix.length() != 0) mnl_attr_put(h, RTA_DST, dst.size(), dst.bytes().data());
  mnl_attr_put_u32(h, RTA_OIF, config_.ifindex);
  mnl_attr_put_u32(h, RTA_TABLE, config_.table);
  return nl_->request(h, add ? "add route" : "delete route");
}

void Routes::add(const net::Prefix& prefix) {
  net::Prefix p(prefix.network(), prefix.length());
  if (refs_[p]++ != 0 || !nl_) return;
  if (auto st = route(true, p); !st) {
    ++failures_;
    KLOG(Knl, Warn, "userspace: route {} table {}: {}", p.to_string(), config_.table, st.error().detail);
    return;
  }
  KLOG(Knl, Diag, "userspace: route {} dev ifindex {} table {}", p.to_string(), config_.ifindex,
       config_.table);
}

void Routes::remove(const net::Prefix& prefix) {
  net::Prefix p(prefix.network(), prefix.length());
  auto it = refs_.find(p);
  if (it == refs_.end()) return;
  if (--it->second != 0) return;
  refs_.erase(it);
  if (!nl_) return;
  // ESRCH: the route is gone already (the device went down, an admin).
  if (auto st = route(false, p); !st && nl_->last_errno() != ESRCH)
    KLOG(Knl, Warn, "userspace: {} {} table {}", st.error().detail, p.to_string(), config_.table);
}

}  // namespace kernel::userspace
