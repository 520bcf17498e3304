#include "daemon/daemon.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>

#include "core/log/log.h"
#include "daemon/config/config.h"
#include "daemon/ike_config.h"
#include "daemon/json_codec.h"
#include "daemon/spd_builder.h"

namespace kagid {

namespace {
constexpr const char* kVersion = "0.1.0";

// mkdir_p creates a directory and its parents with mode 0700.
void mkdir_p(const std::string& path) {
  for (std::size_t i = 1; i <= path.size(); ++i)
    if (i == path.size() || path[i] == '/') mkdir(path.substr(0, i).c_str(), 0700);
}

std::string dirname_of(const std::string& p) {
  auto s = p.rfind('/');
  return s == std::string::npos ? "." : p.substr(0, s);
}
}  // namespace

core::Result<std::unique_ptr<Daemon>> Daemon::create(const Options& opts) {
  std::unique_ptr<Daemon> d(new Daemon(opts));
  auto loop = core::Loop::create();
  if (!loop) return core::fail(loop.error());
  d->loop_ = std::move(*loop);

  auto cfg = config::load_config(opts.config_path);
  if (!cfg) return core::fail(cfg.error());
  for (const auto& w : cfg->warnings) KLOG(Cfg, Warn, "{}", w);
  d->config_ = std::move(*cfg);

  auto backend = Backend::open(opts.backend, *d->loop_);
  if (!backend) return core::fail(backend.error());
  d->backend_ = std::move(*backend);
  d->backend_->kernel().set_event_handler([raw = d.get()](const core::ipsec::KernelEvent& ev) { raw->on_kernel_event(ev); });

  mkdir_p(opts.state_dir);
  mkdir_p(dirname_of(opts.control_path));
  auto control = ControlServer::open(*d->loop_, opts.control_path);
  if (!control) return core::fail(control.error());
  d->control_ = std::move(*control);
  d->register_commands();

  d->spd_ = std::make_unique<policy::Spd>(d->backend_->kernel(), policy::Spd::Options{});
  if (auto st = d->install_spd(d->config_); !st) {
    d->shutdown();
    return core::fail(st.error());
  }
  if (auto st = d->start_ike(); !st) {
    d->shutdown();
    return core::fail(st.error());
  }
  return d;
}

Daemon::~Daemon() { shutdown(); }

core::Status Daemon::install_spd(const config::Config& cfg) {
  auto entries = build_entries(cfg, LocalAddresses::from_system());
  if (!entries) return core::fail(entries.error());
  auto st = spd_->install(*entries, read_state());
  write_state();  // what did get installed is recorded even on partial failure
  if (!st) return st;
  KLOG(Pol, Info, "SPD: {} entries, {} kernel policies", entries->size(), spd_->installed_policies().size());
  return core::ok();
}

core::Status Daemon::start_ike() {
  auto ike = build_ike_config(config_, spd_->entries());
  if (!ike) return core::fail(ike.error());
  if (ike->remotes.empty()) {
    KLOG(Ike, Info, "no remote speaks IKEv2: IKE sockets not opened");
    return core::ok();
  }
  auto svc = IkeService::create(*loop_, backend_->kernel(), config_, std::move(*ike), {backend_->socket_mark()},
                                [this](const nlohmann::json& j) {
                                  if (control_) control_->broadcast(j);
                                });
  if (!svc) return core::fail(svc.error());
  ike_ = std::move(*svc);
  if (!opts_.pcap_path.empty() || !opts_.keylog_path.empty()) {
    auto tr = trace::Tracer::open({opts_.pcap_path, opts_.keylog_path}, loop_->clock());
    if (!tr) return core::fail(tr.error());
    tracer_ = std::move(*tr);
    tracer_->attach(ike_->engine());
  }
  ike_->set_sa_hook([this](const ikev2::Event& ev) { on_sa_event(ev); });
  backend_->attach_udp_esp(*ike_);
  return core::ok();
}

void Daemon::on_sa_event(const ikev2::Event& ev) {
  using K = ikev2::EventKind;
  if (!ev.child) return;
  const std::uint32_t spi = ev.child->spi_in;
  if (ev.kind == K::ChildRekeyed) {
    // The new CHILD_SA has the old one's selectors and reqid: the policies stay.
    auto old = generated_.find(ev.old_spi_in);
    if (old != generated_.end()) {
      auto handles = std::move(old->second);
      generated_.erase(old);
      generated_[spi] = std::move(handles);
    }
    return;
  }
  if (ev.kind == K::ChildDown) {
    auto it = generated_.find(spi);
    if (it == generated_.end()) return;
    for (auto h : it->second)
      if (auto st = spd_->remove_generated(h); !st) KLOG(Pol, Warn, "{}", st.error().detail);
    generated_.erase(it);
    write_state();
    return;
  }
  if (ev.kind != K::ChildUp || !ike_) return;
  auto r = ike_->config().remotes.find(ev.peer);
  if (r == ike_->config().remotes.end() || !r->second.road_warrior_policies.count(ev.child->name)) return;
  std::vector<std::uint64_t> handles;
  for (const auto& l : ev.child->local_ts)
    for (const auto& rt : ev.child->remote_ts) {
      auto sel = ikev2::to_selector(l, rt);
      if (!sel) {
        KLOG(Pol, Warn, "CHILD_SA {}: {} === {} is no kernel selector; no policy generated", ev.child->name,
             l.to_string(), rt.to_string());
        continue;
      }
      auto h = spd_->add_generated(ev.child->name, *sel, ev.local.addr, ev.remote.addr, ev.child->reqid);
      if (!h) {
        KLOG(Pol, Error, "CHILD_SA {} for {}: {}", ev.child->name, ev.remote.to_string(), h.error().detail);
        continue;
      }
      handles.push_back(*h);
    }
  if (!handles.empty()) generated_[spi] = std::move(handles);
  write_state();
}

std::vector<core::ipsec::PolicyKey> Daemon::read_state() const {
  std::vector<core::ipsec::PolicyKey> out;
  std::ifstream in(opts_.state_dir + "/spd.json");
  if (!in) return out;
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("policies")) {
    KLOG(Dmn, Warn, "{}/spd.json is unreadable; previous policies cannot be recognised", opts_.state_dir);
    return out;
  }
  for (const auto& p : j["policies"])
    if (auto k = policy_key_from_json(p)) out.push_back(*k);
  return out;
}

void Daemon::write_state() const {
  nlohmann::json j = {{"version", 1}, {"policies", nlohmann::json::array()}};
  for (const auto& k : spd_->installed()) j["policies"].push_back(to_json(k));
  // Write-then-rename so a crash never leaves a half-written state file.
  std::string path = opts_.state_dir + "/spd.json", tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(1) << "\n";
    if (!out) {
      KLOG(Dmn, Error, "cannot write {}: {}", tmp, std::strerror(errno));
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) KLOG(Dmn, Error, "rename {}: {}", tmp, std::strerror(errno));
}

void Daemon::on_kernel_event(const core::ipsec::KernelEvent& ev) {
  auto j = event_json(ev);
  KLOG(Knl, Diag, "kernel event: {}", j.dump());
  if (const auto* acq = std::get_if<core::ipsec::AcquireEvent>(&ev)) {
    const auto* e = spd_ ? spd_->entry_for_index(acq->policy_index) : nullptr;
    if (e) {
      j["selector_name"] = e->selector_name;
      j["remote"] = e->remote_name;
    }
  }
  if (const auto* acq = std::get_if<core::ipsec::AcquireEvent>(&ev)) {
    const auto* e = spd_ ? spd_->entry_for_index(acq->policy_index) : nullptr;
    if (e && ike_) ike_->on_acquire(*acq, *e);
  } else if (ike_) {
    ike_->on_kernel_event(ev);
  }
  if (control_) control_->broadcast(j);
}

nlohmann::json Daemon::status_json() {
  auto caps = backend_->kernel().capabilities();
  return {{"version", kVersion},
          {"pid", getpid()},
          {"backend", backend_->name()},
          {"capabilities", {{"esp", caps.esp}, {"migrate", caps.migrate}, {"migrate_state", caps.migrate_state}}},
          {"config", opts_.config_path},
          {"uptime_s", std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count()},
          {"policies", spd_->installed_policies().size()},
          {"ike_sas", ike_ ? ike_->status_json() : nlohmann::json::array()},
          {"dataplane", backend_->statistics()}};
}

void Daemon::register_commands() {
  using J = nlohmann::json;
  control_->on("status", [this](const J&) -> core::Result<J> { return status_json(); });
  control_->on("reload", [this](const J&) -> core::Result<J> {
    if (auto st = reload(); !st) return core::fail(st.error());
    return J{{"message", "configuration reloaded"}};
  });
  control_->on("policy-list", [this](const J&) -> core::Result<J> {
    J configured = J::array(), kernel = J::array();
    for (const auto& i : spd_->installed_policies()) configured.push_back(to_json(i.spec));
    auto k = backend_->kernel().list_policies();
    if (!k) return core::fail(k.error());
    for (const auto& p : *k) kernel.push_back(to_json(p));
    return J{{"configured", configured}, {"kernel", kernel}};
  });
  auto need_ike = [this]() -> core::Status {
    if (!ike_) return core::fail(core::ErrorCode::State, "no remote speaks IKEv2 in {}", opts_.config_path);
    return core::ok();
  };
  control_->on("initiate", [this, need_ike](const J& a) -> core::Result<J> {
    if (auto st = need_ike(); !st) return core::fail(st.error());
    if (a.contains("selector")) {
      // By selector: its policy, with that policy's remote.
      const auto* e = spd_->entry_by_name(a["selector"].get<std::string>());
      if (e == nullptr) return core::fail(core::ErrorCode::NotFound, "no selector named '{}'", a["selector"].get<std::string>());
      return ike_->initiate(J{{"remote", e->remote_name}, {"policy", e->policy_name}});
    }
    return ike_->initiate(a);
  });
  control_->on("terminate", [this, need_ike](const J& a) -> core::Result<J> {
    if (auto st = need_ike(); !st) return core::fail(st.error());
    return ike_->terminate(a);
  });
  control_->on("rekey", [this, need_ike](const J& a) -> core::Result<J> {
    if (auto st = need_ike(); !st) return core::fail(st.error());
    return ike_->rekey(a);
  });
  control_->on("sa-list", [this](const J&) -> core::Result<J> {
    auto sas = backend_->kernel().list_sas();
    if (!sas) return core::fail(sas.error());
    J out = J::array();
    for (const auto& s : *sas) out.push_back(to_json(s));
    return J{{"sas", out}};
  });
}

core::Status Daemon::reload() {
  auto cfg = config::load_config(opts_.config_path);
  if (!cfg) {
    KLOG(Cfg, Error, "reload refused, keeping the running configuration:\n{}", cfg.error().detail);
    return core::fail(cfg.error());
  }
  auto entries = build_entries(*cfg, LocalAddresses::from_system());
  if (!entries) return core::fail(entries.error());
  auto st = spd_->reload(*entries);
  write_state();
  if (!st) return st;
  auto ike = build_ike_config(*cfg, spd_->entries());
  if (!ike) return core::fail(ike.error());
  config_ = std::move(*cfg);
  if (ike_) ike_->reconfigure(std::move(*ike));
  else if (auto st2 = start_ike(); !st2) return st2;
  KLOG(Cfg, Info, "configuration reloaded from {}", opts_.config_path);
  control_->broadcast({{"event", "reload"}, {"config", opts_.config_path}});
  return core::ok();
}

void Daemon::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (ike_) {
    // Tell peers (DELETE) and remove CHILD_SAs; wait briefly for answers.
    ike_->shutdown();
    for (int i = 0; i < 20 && ike_->engine().ike_sa_count() > 0; ++i) (void)loop_->run_once(std::chrono::milliseconds(50));
    ike_.reset();
  }
  if (spd_) {
    if (auto st = spd_->remove_all(); !st) KLOG(Pol, Error, "shutdown: {}", st.error().detail);
    write_state();
  }
  control_.reset();
}

core::Status Daemon::run() {
  auto stop = [this] {
    KLOG(Dmn, Info, "terminating: removing installed policies and SAs");
    shutdown();
    loop_->stop();
  };
  if (auto st = loop_->on_signal(SIGTERM, stop); !st) return st;
  if (auto st = loop_->on_signal(SIGINT, stop); !st) return st;
  if (auto st = loop_->on_signal(SIGHUP, [this] { (void)reload(); }); !st) return st;
  std::signal(SIGPIPE, SIG_IGN);
  KLOG(Dmn, Info, "kagid {} running (backend {}, pid {})", kVersion, backend_->name(), getpid());
  return loop_->run();
}

}  // namespace kagid
