// kagid — the kagi daemon. See docs/kagid.8.md.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "core/log/log.h"
#include "daemon/config/config.h"
#include "daemon/daemon.h"

int main(int argc, char** argv) {
  CLI::App app{"kagid: IPsec key management daemon (IKEv2, KINK) with a Mobile IPv6 bridge"};
  kagid::Options opts;
  std::string check_path, log_level = "info", log_file;
  bool use_syslog = false;
  app.add_option("-c,--config", opts.config_path, "configuration file (racoon2.conf language)");
  app.add_option("--check-config", check_path, "validate FILE, print the resolved model, exit");
  app.add_flag("-F,--foreground", opts.foreground, "stay in the foreground (log to stderr)");
  app.add_option("--control", opts.control_path, "control socket path")->capture_default_str();
  app.add_option("--state-dir", opts.state_dir, "directory for kagid's state")->capture_default_str();
  app.add_option("--backend", opts.backend, "kernel backend")
      ->check(CLI::IsMember({"xfrm", "pfkey", "userspace", "fake"}))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "error|warn|info|diag|debug|private")->capture_default_str();
  app.add_option("--log-file", log_file, "log to FILE instead of stderr/syslog");
  app.add_flag("--syslog", use_syslog, "log to syslog");
  app.add_option("--pcap", opts.pcap_path, "write every IKE message (decrypted) to a pcap FILE");
  app.add_option("--keylog", opts.keylog_path, "write IKE_SA keys in Wireshark's IKEv2 table format");
  CLI11_PARSE(app, argc, argv);

  auto level = core::log::parse_level(log_level);
  if (!level) {
    std::cerr << "kagid: unknown log level '" << log_level << "'\n";
    return 2;
  }
  core::log::set_level(*level);

  if (!check_path.empty()) {
    auto cfg = kagid::config::load_config(check_path);
    if (!cfg) {
      std::cerr << cfg.error().detail << "\n";
      return 1;
    }
    for (const auto& w : cfg->warnings) std::cerr << "warning: " << w << "\n";
    std::cout << kagid::config::describe(*cfg);
    return 0;
  }
  if (opts.config_path.empty()) {
    std::cerr << "kagid: --config FILE is required (or --check-config FILE)\n";
    return 2;
  }
  if (!log_file.empty()) {
    if (!core::log::to_file(log_file)) {
      std::cerr << "kagid: cannot open log file " << log_file << "\n";
      return 1;
    }
  } else if (use_syslog || !opts.foreground) {
    core::log::to_syslog("kagid");
  }
  if (!opts.foreground && daemon(0, 0) != 0) {
    std::perror("kagid: daemon");
    return 1;
  }
  auto d = kagid::Daemon::create(opts);
  if (!d) {
    KLOG(Dmn, Error, "{}", d.error().detail);
    if (opts.foreground || !log_file.empty()) std::cerr << "kagid: " << d.error().detail << "\n";
    return 1;
  }
  auto st = (*d)->run();
  if (!st) {
    KLOG(Dmn, Error, "{}", st.error().detail);
    return 1;
  }
  return 0;
}
