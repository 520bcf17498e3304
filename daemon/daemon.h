// daemon/daemon.h — kagid's composition root: one event loop, the
// configuration, a kernel backend, the SPD, the control socket, and (as they
// land) the IKEv2 and KINK engines and the mobility bridge.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/loop/loop.h"
#include "daemon/backend.h"
#include "daemon/config/model.h"
#include "daemon/control/server.h"
#include "daemon/ike_service.h"
#include "daemon/trace/tracer.h"
#include "policy/spd.h"

namespace kagid {

struct Options {
  std::string config_path;
  std::string control_path = "/run/kagi/kagid.sock";
  std::string state_dir = "/run/kagi";   // spd.json: the policies kagid installed
  std::string backend = "xfrm";
  std::string pcap_path, keylog_path;
  bool foreground = false;
};

class Daemon {
 public:
  // create loads the configuration, opens the backend and the control
  // socket and installs the SPD. Every failure names what and where.
  static core::Result<std::unique_ptr<Daemon>> create(const Options& opts);
  ~Daemon();

  // run serves until SIGTERM/SIGINT (then removes what it installed).
  core::Status run();
  // reload re-reads the configuration; on error the running one stays.
  core::Status reload();
  // shutdown removes every policy and SA kagid installed.
  void shutdown();

 private:
  explicit Daemon(Options opts) : opts_(std::move(opts)) {}
  core::Status install_spd(const config::Config& cfg);
  core::Status start_ike();
  void on_sa_event(const ikev2::Event& ev);
  void register_commands();
  void on_kernel_event(const core::ipsec::KernelEvent& ev);
  std::vector<core::ipsec::PolicyKey> read_state() const;
  void write_state() const;
  nlohmann::json status_json();

  Options opts_;
  std::unique_ptr<core::Loop> loop_;
  config::Config config_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<policy::Spd> spd_;
  std::unique_ptr<ControlServer> control_;
  std::unique_ptr<trace::Tracer> tracer_;  // outlives ike_'s engine (declared first)
  std::unique_ptr<IkeService> ike_;
  // Generated road-warrior policies per CHILD_SA (by inbound SPI).
  std::map<std::uint32_t, std::vector<std::uint64_t>> generated_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool shut_down_ = false;
};

}  // namespace kagid
