// daemon/ike_service.h — the IKEv2 engine inside kagid: its UDP sockets
// (500 and 4500 on each `interface { ike ... }` address), acquires that
// start negotiations, the responder's peer and key lookups over the
// configuration, and the control commands initiate / terminate / rekey and
// the IKE part of status.
//
// Acquire -> SA: the SPD entry that raised the acquire names a policy and a
// remote; an established IKE_SA to that remote gets a CREATE_CHILD_SA, else a
// new IKE_SA is initiated with that policy's CHILD_SA (carrying the packet's
// selectors first, RFC 7296 §2.9); a policy already being negotiated with
// the remote is not started twice.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/crypto/random.h"
#include "core/ipsec/kernel.h"
#include "core/loop/loop.h"
#include "daemon/config/model.h"
#include "daemon/ike_config.h"
#include "daemon/net/udp_socket.h"
#include "ikev2/tasks/engine.h"
#include "policy/spd.h"

namespace kagid {

class IkeService final : public ikev2::Sender {
 public:
  using Broadcast = std::function<void(const nlohmann::json&)>;
  struct Options {
    std::uint32_t socket_mark = 0;   // SO_MARK on the IKE sockets (userspace backend)
  };

  // create opens the sockets named by cfg.interface (wildcard v4 and v6 when
  // none) and builds the engine over kernel.
  static core::Result<std::unique_ptr<IkeService>> create(core::Loop& loop, core::ipsec::Kernel& kernel,
                                                          const config::Config& cfg, IkeConfig ike,
                                                          Options opts, Broadcast broadcast);
  ~IkeService() override;

  // reconfigure swaps the remotes and children; established SAs stay.
  void reconfigure(IkeConfig ike);
  // on_acquire starts (or joins) a negotiation for the entry's policy.
  void on_acquire(const core::ipsec::AcquireEvent& acq, const policy::Entry& entry);
  void on_kernel_event(const core::ipsec::KernelEvent& ev) { engine_->on_kernel_event(ev); }
  // shutdown deletes every IKE_SA (DELETE sent, CHILD_SAs removed from the kernel).
  void shutdown();

  // Control commands; args are the kagictl request's JSON.
  core::Result<nlohmann::json> initiate(const nlohmann::json& args);
  core::Result<nlohmann::json> terminate(const nlohmann::json& args);
  core::Result<nlohmann::json> rekey(const nlohmann::json& args);
  nlohmann::json status_json() const;

  // udp_esp_sink receives UDP-encapsulated ESP from the 4500 sockets.
  void set_udp_esp_receiver(UdpSocket::Receiver rx);
  // send_udp_esp sends ESP-in-UDP from the 4500 socket of local's family.
  void send_udp_esp(std::span<const std::uint8_t> esp, const core::net::Endpoint& local,
                    const core::net::Endpoint& remote);

  ikev2::Engine& engine() { return *engine_; }
  const IkeConfig& config() const { return ike_; }
  // set_sa_hook sees every engine event after the service's own handling
  // (the daemon generates road-warrior policies on CHILD_SA events).
  void set_sa_hook(std::function<void(const ikev2::Event&)> hook) { hook_ = std::move(hook); }

  void send(std::span<const std::uint8_t> datagram, const core::net::Endpoint& local,
            const core::net::Endpoint& remote) override;

 private:
  IkeService(core::Loop& loop, core::ipsec::Kernel& kernel, IkeConfig ike, Broadcast broadcast);
  core::Status open_sockets(const config::Interface& itf, std::uint32_t mark);
  void on_event(const ikev2::Event& ev);
  core::Result<ikev2::IkeSaId> start(const IkeRemote& r, const std::string& policy_name,
                                     std::optional<ikev2::ChildRequest> child);
  UdpSocket* socket_for(const core::net::Endpoint& local);
  // ChildTarget is the CHILD_SA a command names by its inbound SPI.
  struct ChildTarget {
    ikev2::IkeSaId ike = 0;
    std::uint32_t spi_in = 0;
  };
  core::Result<ChildTarget> child_target(const nlohmann::json& args) const;
  // ike_targets: args "ike" (a number) or every IKE_SA of args "remote".
  core::Result<std::vector<ikev2::IkeSaId>> ike_targets(const nlohmann::json& args) const;
  std::vector<ikev2::IkeSaId> sas_of(const std::string& remote) const;

  core::Loop& loop_;
  core::ipsec::Kernel& kernel_;
  IkeConfig ike_;
  Broadcast broadcast_;
  std::function<void(const ikev2::Event&)> hook_;
  core::crypto::SystemRng rng_;
  std::vector<std::unique_ptr<UdpSocket>> sockets_;
  std::uint32_t mark_ = 0;
  std::unique_ptr<ikev2::Engine> engine_;
  // Negotiations in flight: IKE_SA -> policies whose CHILD_SA it will bring,
  // and, for IKE_SAs still connecting, CHILD_SAs to add once it is up.
  std::map<ikev2::IkeSaId, std::set<std::string>> wanted_;
  std::map<ikev2::IkeSaId, std::vector<ikev2::ChildRequest>> queued_;
  std::map<ikev2::IkeSaId, std::string> remote_of_;
};

}  // namespace kagid
