// kernel/userspace/routes.h — steering protected traffic into the TUN
// device over rtnetlink (libmnl), and leaving kagid's own packets alone.
//
// What is installed (strongSwan's kernel-libipsec does the same with its
// table 220):
//   ip link set kagi0 mtu 1400 up
//   ip rule add not fwmark 0x4b41 lookup 221 pref 221        (IPv4 and IPv6)
//   ip route add <dst prefix of each outbound Protect policy> dev kagi0 table 221
// Every socket of kagid (IKE, ESP) carries SO_MARK 0x4b41 and so skips
// table 221: without that, a transport-mode SA between two hosts would
// route our own ESP and IKE packets back into the TUN device.
//
// Routes are reference-counted by prefix: two policies to one prefix share
// one route, removed with the last of them. A Routes opened without a
// netlink socket (detached()) keeps the bookkeeping only, for tests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "core/net/address.h"
#include "core/result.h"

namespace kernel::userspace {

// RouteConfig names the table, rule and device the routes go through.
struct RouteConfig {
  unsigned ifindex = 0;            // the TUN device
  std::uint32_t table = 221;       // our routing table
  std::uint32_t mark = 0x4b41;     // the fwmark of kagid's own sockets
  std::uint32_t rule_priority = 221;
  unsigned mtu = 1400;
};

// PrefixLess orders prefixes by family, network, then length.
struct PrefixLess {
  bool operator()(const core::net::Prefix& a, const core::net::Prefix& b) const;
};

class Routes {
 public:
  // open opens a NETLINK_ROUTE socket, sets the device's MTU and brings it
  // up, and adds the IPv4 and IPv6 rules (a rule left by a crashed run is
  // taken over). Fails with System when the socket cannot be opened,
  // Kernel ("add rule: Operation not permitted") when the kernel refuses;
  // what was added before the failure is removed again.
  static core::Result<std::unique_ptr<Routes>> open(const RouteConfig& config);
  // detached keeps the reference counts and talks to no kernel.
  static std::unique_ptr<Routes> detached(const RouteConfig& config);
  // ~Routes removes every route it added and the rules.
  ~Routes();
  Routes(const Routes&) = delete;
  Routes& operator=(const Routes&) = delete;

  // add takes a reference on the route for prefix (its network), adding the
  // route on the first. A refused route is logged and counted in
  // failures(); the reference is kept so that the counts stay balanced.
  void add(const core::net::Prefix& prefix);
  // remove drops a reference, deleting the route with the last one.
  void remove(const core::net::Prefix& prefix);

  // routes returns each routed prefix with its reference count.
  const std::map<core::net::Prefix, unsigned, PrefixLess>& routes() const { return refs_; }
  std::uint64_t failures() const { return failures_; }
  const RouteConfig& config() const { return config_; }

 private:
  class Netlink;
  explicit Routes(const RouteConfig& config);
  core::Status route(bool add, const core::net::Prefix& prefix);

  RouteConfig config_;
  std::unique_ptr<Netlink> nl_;  // null when detached
  std::map<core::net::Prefix, unsigned, PrefixLess> refs_;
  std::vector<core::net::Family> rules_;  // families whose rule we added
  std::uint64_t failures_ = 0;
};

}  // namespace kernel::userspace
