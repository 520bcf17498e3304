// kernel/userspace/userspace_kernel.h — kagi's own IPsec data plane: the
// SAD and SPD in kagid, protected traffic routed through a TUN device, ESP
// over raw IP protocol 50 or UDP 4500 (RFC 3948). The model is
// strongSwan's kernel-libipsec; it serves machines whose kernel holds XFRM
// policies but no ESP (containers, the test machines).
//
//   auto k = UserspaceKernel::open(loop, {}).value();   // kagi0, table 221
//   k->set_udp_sender([&](auto esp, auto& local, auto& remote) { nat_t_socket.send(...); });
//   // the daemon's port-4500 socket hands ESP (no non-ESP marker) to:
//   k->on_udp_esp(datagram, local, remote);
//
// Outbound (RFC 4301 §5.1): a packet read from the TUN device is looked up
// in the outbound SPD. Bypass (or no policy, see Options::clear_unmatched;
// multicast and link-local packets with no policy are the TUN link's own
// and are discarded) sends it unchanged through a raw socket that skips the TUN routes;
// Discard drops it; Protect finds the SA of the policy's first ESP
// template by (reqid, endpoints): tunnel mode seals the whole packet (next
// header 4 or 41) and sends it between the SA's addresses, transport mode
// seals the upper-layer part (next header = the packet's protocol). No SA:
// an AcquireEvent with the packet, at most one per (policy, destination)
// per Options::acquire_interval, and the packet is dropped (a Use-level
// template lets it pass in clear instead).
// Inbound (RFC 4301 §5.2): SA by SPI, EspSa::open, then the inner packet
// (rebuilt with an IP header in transport mode, RFC 4303 §3.4.4.1) must
// match an In or Fwd Protect policy with a template of this SA's reqid;
// then it is written to the TUN device.
//
// Lifetimes in seconds run on the Timers given; bytes and packets are
// counted by EspSa and reported after each packet. Soft: one ExpireEvent;
// hard: the SA is deleted and an ExpireEvent(hard) follows. Larval SAs
// (alloc_spi) expire after Options::larval_lifetime like Linux's acquire
// states. Events go synchronously to the handler, after the state is
// consistent, so it may call back in.
//
// Limits, each logged and counted where it bites: only ESP (no AH, no
// IPComp); one ESP template per policy is applied (nested SAs are not);
// byte and packet limits are fixed at add_sa (update_sa keeps the keys and
// the EspSa, as Linux's XFRM_MSG_UPDSA does); clear-text packets that
// bypass the TUN device are not checked against In policies (the kernel
// delivers them before we see them); transport mode refuses IPv4
// fragments and IPv6 packets with hop-by-hop or routing headers, which
// cannot be moved behind an ESP header the kernel builds.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock/clock.h"
#include "core/ipsec/kernel.h"
#include "core/loop/loop.h"
#include "core/net/address.h"
#include "kernel/userspace/esp/esp_sa.h"
#include "kernel/userspace/packet.h"
#include "kernel/userspace/routes.h"
#include "kernel/userspace/sad.h"
#include "kernel/userspace/spd_table.h"

namespace kernel::userspace {

// Options configure the data plane; the defaults suit kagid.
struct Options {
  std::string tun_name = "kagi0";
  unsigned mtu = 1400;
  std::uint32_t route_table = 221;
  std::uint32_t rule_priority = 221;
  // mark is the SO_MARK of every kagid socket (socket_mark()).
  std::uint32_t mark = 0x4b41;
  // acquire_interval: at most one acquire per (policy, destination) this often.
  std::chrono::milliseconds acquire_interval{1000};
  // larval_lifetime bounds an SPI reserved by alloc_spi and never completed
  // (Linux net.core.xfrm_acq_expires; strongSwan's 165 s, as kernel/fake).
  std::chrono::seconds larval_lifetime{165};
  // clear_unmatched: a packet routed into the TUN device that matches no
  // outbound policy goes out in clear, as Linux lets it (no policy, no
  // IPsec); false drops it (counted as no_policy).
  bool clear_unmatched = true;
};

// Statistics are the data plane's counters, for kagictl status.
struct Statistics {
  std::uint64_t packets_out = 0, bytes_out = 0;  // ESP sent (bytes of ESP)
  std::uint64_t packets_in = 0, bytes_in = 0;    // decapsulated packets written to the TUN device
  std::uint64_t passed_clear = 0;                // sent unprotected (bypass, no policy, Use level)
  std::uint64_t acquires = 0;                    // AcquireEvents raised
  std::uint64_t dummy = 0;                       // ESP dummy packets (next header 59) discarded
  std::uint64_t tun_local = 0;                   // the TUN link's own multicast/link-local packets, discarded
  struct Drops {
    std::uint64_t no_sa = 0;            // outbound Protect without an SA
    std::uint64_t no_policy = 0;        // outbound, no policy and !clear_unmatched
    std::uint64_t discard = 0;          // outbound Discard policy
    std::uint64_t unknown_spi = 0;      // inbound ESP for no (or a larval) SA
    std::uint64_t policy_mismatch = 0;  // inbound inner packet under no In/Fwd policy of the SA's reqid
    std::uint64_t malformed = 0;        // unparseable packets (TUN, inner, ESP shorter than an SPI)
    std::uint64_t unsupported = 0;      // AH/IPComp templates, transport fragments, ...
    std::uint64_t esp_malformed = 0, esp_replay = 0, esp_integrity = 0, esp_padding = 0,
                  esp_expired = 0;      // EspSa::open refusals by EspDrop
    std::uint64_t seal_failed = 0;      // EspSa::seal refused (sequence number exhausted)
    std::uint64_t send_failed = 0;      // a socket, the UDP sender or the TUN write failed
  } drops;
  // named lists every counter as ("packets_out", n), ... for JSON output.
  std::vector<std::pair<std::string_view, std::uint64_t>> named() const;
};

// PacketIo is where packets leave the data plane: the TUN device and the
// raw sockets in kagid, a capture in tests. Failures are counted as
// send_failed by the caller.
class PacketIo {
 public:
  virtual ~PacketIo() = default;
  // to_tun delivers a decapsulated IP packet to the local stack.
  virtual core::Status to_tun(std::span<const std::uint8_t> packet) = 0;
  // send_esp sends one ESP packet (from the SPI on) over IP protocol 50.
  virtual core::Status send_esp(std::span<const std::uint8_t> esp, const core::net::Address& src,
                                const core::net::Address& dst) = 0;
  // send_clear sends one whole IP packet unprotected, around the TUN routes.
  virtual core::Status send_clear(std::span<const std::uint8_t> packet, const core::net::Address& dst) = 0;
};

class UserspaceKernel final : public core::ipsec::Kernel {
 public:
  // UdpSend sends one UDP-encapsulated ESP datagram (RFC 3948 §2.1: no
  // non-ESP marker) from local to remote; kagid installs its 4500 socket.
  using UdpSend = std::function<void(std::span<const std::uint8_t>, const core::net::Endpoint& local,
                                     const core::net::Endpoint& remote)>;

  // open creates the TUN device, the raw sockets, the rules and link
  // setup (routes.h), and registers the descriptors on loop, which must
  // outlive the kernel. Needs CAP_NET_ADMIN and CAP_NET_RAW. Fails with
  // the first refusal (System or Kernel) and leaves nothing behind.
  static core::Result<std::unique_ptr<UserspaceKernel>> open(core::Loop& loop, Options opts);
  // detached builds the data plane without devices: packets enter through
  // on_tun_packet / on_esp_packet and leave through io; routes are only
  // counted. For tests and benchmarks; clock, timers and io must outlive it.
  static std::unique_ptr<UserspaceKernel> detached(const core::Clock& clock, core::Timers& timers,
                                                   PacketIo& io, Options opts = {});
  // ~UserspaceKernel cancels its timers, removes its descriptors from the
  // loop, deletes routes and rules, and closes the TUN device.
  ~UserspaceKernel() override;
  UserspaceKernel(const UserspaceKernel&) = delete;
  UserspaceKernel& operator=(const UserspaceKernel&) = delete;

  // --- core::ipsec::Kernel ---------------------------------------------
  std::string_view name() const override { return "userspace"; }
  core::ipsec::Capabilities capabilities() const override;
  void set_event_handler(core::ipsec::EventHandler handler) override;

  // alloc_spi reserves a random unused inbound SPI in [max(min, 256), max]
  // as a larval SA. Unsupported for a protocol other than ESP; Kernel
  // ("Invalid argument") for an empty range or mixed families; Exists when
  // the range is full.
  core::Result<std::uint32_t> alloc_spi(const core::net::Address& src, const core::net::Address& dst,
                                        core::ipsec::Proto proto, std::uint32_t reqid,
                                        std::uint32_t min = 0x100, std::uint32_t max = 0xffffffff) override;
  // add_sa keys an SA (completing a larval one). An SA is inbound when
  // spec.inbound is set or its SPI came from alloc_spi. Exists for a
  // keyed SA with the same id or an inbound SPI in use; EspSa::create's
  // errors (Unsupported, InvalidSyntax) for its algorithms and keys.
  core::Status add_sa(const core::ipsec::SaSpec& sa) override;
  // update_sa completes a larval SA like add_sa; for a keyed SA it keeps
  // keys, sequence numbers and counters and takes source address, reqid,
  // mode, selector, encapsulation and lifetimes in seconds from sa.
  core::Status update_sa(const core::ipsec::SaSpec& sa) override;
  core::Status del_sa(const core::ipsec::SaId& id) override;
  core::Result<core::ipsec::SaInfo> get_sa(const core::ipsec::SaId& id) override;
  // list_sas returns every SA, larval ones included, in SaId order.
  core::Result<std::vector<core::ipsec::SaInfo>> list_sas() override;

  // add_policy / update_policy install an SPD entry and, for an outbound
  // Protect policy, take a route for its destination prefix into the TUN
  // device. Exists (add), Kernel ("Invalid argument") for mixed families
  // or an index that does not encode the direction.
  core::Result<std::uint32_t> add_policy(const core::ipsec::PolicySpec& p) override;
  core::Result<std::uint32_t> update_policy(const core::ipsec::PolicySpec& p) override;
  core::Status del_policy(const core::ipsec::PolicyKey& key) override;
  // list_policies returns every policy ordered by index.
  core::Result<std::vector<core::ipsec::PolicySpec>> list_policies() override;

  // migrate is XFRM_MSG_MIGRATE's semantics (as kernel/fake): the policy
  // by selector and dir (any protocol when the request names none), its
  // matching templates re-addressed, and every keyed SA with a move's old
  // endpoints, protocol, mode and reqid (0: any) moved with keys and
  // sequence numbers. NotFound for no policy or no matching template,
  // Exists when a moved SA would land on another's id, Kernel for a bad
  // request; nothing changes on failure. Success emits a MigrateEvent.
  core::Status migrate(const core::ipsec::MigrateRequest& req) override;
  // migrate_sa moves one SA (keys, sequence numbers, counters, lifetimes
  // kept) to new endpoints; its encapsulation becomes encap. No event.
  core::Status migrate_sa(const core::ipsec::SaId& id, const core::net::Address& new_src,
                          const core::net::Address& new_dst,
                          std::optional<core::ipsec::Encap> encap) override;

  // --- data plane ------------------------------------------------------
  // set_udp_sender installs how UDP-encapsulated ESP leaves (SAs with
  // spec.encap); without one such packets are dropped as send_failed.
  void set_udp_sender(UdpSend send);
  // on_udp_esp takes one ESP packet that arrived in UDP (the daemon's
  // port-4500 socket, after it told ESP from IKE by the non-ESP marker).
  void on_udp_esp(std::span<const std::uint8_t> esp, const core::net::Endpoint& local,
                  const core::net::Endpoint& remote);
  // on_tun_packet handles one packet the local stack routed into the TUN
  // device (the outbound path).
  void on_tun_packet(std::span<const std::uint8_t> packet);
  // on_esp_packet handles one ESP packet from src to dst (the inbound
  // path); esp is decrypted in place.
  void on_esp_packet(std::span<std::uint8_t> esp, const core::net::Address& src,
                     const core::net::Address& dst);

  // socket_mark is the SO_MARK kagid must put on its IKE sockets so their
  // packets skip the TUN routes.
  std::uint32_t socket_mark() const { return opts_.mark; }
  const Statistics& statistics() const { return stats_; }
  // routes is the route bookkeeping (prefix -> policies routed through it).
  const Routes& routes() const { return *routes_; }
  const Options& options() const { return opts_; }

 private:
  class SystemIo;
  using Sa = SadEntry<EspSa>;

  UserspaceKernel(const core::Clock& clock, core::Timers& timers, Options opts);

  void emit(core::ipsec::KernelEvent event);
  std::uint64_t wall_seconds() const;
  // install stores a keyed SA; old is the larval entry it completes, if any.
  core::Status install(const core::ipsec::SaSpec& spec, bool inbound, std::optional<Sa> old);
  void arm_lifetime(Sa& e);
  void cancel_timers(Sa& e);
  void soft_expire(const core::ipsec::SaId& id);
  void hard_expire(const core::ipsec::SaId& id);
  // check_limits reports a byte/packet limit EspSa crossed; the SA may be
  // gone afterwards.
  void check_limits(const core::ipsec::SaId& id);
  core::Result<std::uint32_t> put_policy(const core::ipsec::PolicySpec& p, bool add);
  void route_policy(const core::ipsec::PolicySpec& p, bool add);

  // Outbound helpers (datapath.cc).
  void protect(const core::ipsec::PolicySpec& policy, std::span<const std::uint8_t> packet,
               const IpPacket& ip);
  void send_sealed(Sa& sa);
  void acquire(const core::ipsec::PolicySpec& policy, const core::ipsec::Template& t,
               const core::net::Address& src, const core::net::Address& dst, const IpPacket& ip,
               std::span<const std::uint8_t> packet);
  void pass_clear(std::span<const std::uint8_t> packet, const IpPacket& ip);
  bool inbound_allowed(const IpPacket& inner, std::uint32_t reqid) const;
  void count_esp_drop(EspDrop d);
  void on_tun_readable();
  void on_esp_readable(core::net::Family f);

  const core::Clock& clock_;
  core::Timers& timers_;
  Options opts_;
  core::Loop* loop_ = nullptr;         // set by open(): the descriptors are on it
  std::unique_ptr<SystemIo> system_;   // TUN device and raw sockets; null when detached
  PacketIo* io_ = nullptr;
  std::unique_ptr<Routes> routes_;
  Sad<EspSa> sad_;
  SpdTable spd_;
  // acquire_holds_: (policy index, destination) -> no acquire before then.
  std::map<std::pair<std::uint32_t, core::net::Address>, core::MonoTime> acquire_holds_;
  core::ipsec::EventHandler handler_;
  UdpSend udp_send_;
  Statistics stats_;
  std::vector<std::uint8_t> tun_buf_, sealed_, inner_, udp_buf_;
};

}  // namespace kernel::userspace
