#include "tools/ctl_print.h"

#include <fmt/format.h>

namespace kagictl {
namespace {

std::string str(const nlohmann::json& j, const char* key, const char* dflt = "-") {
  if (!j.contains(key) || j[key].is_null()) return dflt;
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::string format_policies(const nlohmann::json& r) {
  std::string out;
  for (const char* side : {"configured", "kernel"}) {
    if (!r.contains(side)) continue;
    out += fmt::format("{} ({}):\n", side, r[side].size());
    for (const auto& p : r[side]) out += "  " + str(p, "text") + "\n";
  }
  return out;
}

std::string format_sas(const nlohmann::json& r) {
  std::string out = fmt::format("{} SAs\n", r.value("sas", nlohmann::json::array()).size());
  for (const auto& s : r.value("sas", nlohmann::json::array()))
    out += fmt::format("  {} {} {} -> {} spi {} reqid {} bytes {} packets {}\n", str(s, "proto"),
                       str(s, "mode"), str(s, "src"), str(s, "dst"), str(s, "spi"), str(s, "reqid"),
                       str(s, "bytes", "0"), str(s, "packets", "0"));
  return out;
}

std::string format_status(const nlohmann::json& r) {
  std::string out = fmt::format("kagid {} (pid {}), backend {}, config {}, up {} s\n",
                                str(r, "version"), str(r, "pid"), str(r, "backend"),
                                str(r, "config"), str(r, "uptime_s"));
  if (r.contains("policies")) out += fmt::format("policies installed: {}\n", str(r, "policies"));
  auto ikes = r.value("ike_sas", nlohmann::json::array());
  out += fmt::format("IKE_SAs: {}\n", ikes.size());
  for (const auto& ike : ikes) {
    out += fmt::format("  {}[{}]: {} {} <-> {} spis {}_i {}_r {}\n", str(ike, "remote"),
                       str(ike, "id"), str(ike, "state"), str(ike, "local"), str(ike, "peer"),
                       str(ike, "spi_i"), str(ike, "spi_r"), str(ike, "algorithms", ""));
    for (const auto& c : ike.value("children", nlohmann::json::array()))
      out += fmt::format("    CHILD {} {} {} spi in {} out {} {} === {} bytes in {} out {}\n",
                         str(c, "id"), str(c, "state"), str(c, "mode"), str(c, "spi_in"),
                         str(c, "spi_out"), str(c, "ts_local"), str(c, "ts_remote"),
                         str(c, "bytes_in", "0"), str(c, "bytes_out", "0"));
  }
  return out;
}

}  // namespace

tl::expected<nlohmann::json, std::string> build_request(const std::vector<std::string>& w) {
  if (w.empty()) return tl::unexpected<std::string>("no command");
  const std::string& c = w[0];
  auto need = [&](std::size_t n, const char* usage) -> tl::expected<void, std::string> {
    if (w.size() != n) return tl::unexpected<std::string>(std::string("usage: kagictl ") + usage);
    return {};
  };
  if (c == "status" || c == "monitor" || c == "reload") {
    if (auto r = need(1, c.c_str()); !r) return tl::unexpected(r.error());
    return nlohmann::json{{"cmd", c}};
  }
  if (c == "policy" || c == "sa") {
    if (w.size() != 2 || w[1] != "list") return tl::unexpected<std::string>("usage: kagictl " + c + " list");
    return nlohmann::json{{"cmd", c + "-list"}};
  }
  if (c == "initiate" || c == "terminate" || c == "rekey") {
    if (w.size() < 2) return tl::unexpected<std::string>("usage: kagictl " + c + " NAME|ID [child]");
    nlohmann::json args{{"target", w[1]}};
    if (w.size() > 2) args["child"] = w[2];
    return nlohmann::json{{"cmd", c}, {"args", args}};
  }
  if (c == "mobility") {
    // mobility KEY=VALUE ...: forwarded as arguments (see docs/kagictl.8.md).
    nlohmann::json args = nlohmann::json::object();
    for (std::size_t i = 1; i < w.size(); ++i) {
      auto eq = w[i].find('=');
      if (eq == std::string::npos) return tl::unexpected<std::string>("mobility arguments are KEY=VALUE: " + w[i]);
      args[w[i].substr(0, eq)] = w[i].substr(eq + 1);
    }
    return nlohmann::json{{"cmd", "mobility"}, {"args", args}};
  }
  return tl::unexpected<std::string>("unknown command '" + c + "' (see kagictl --help)");
}

std::string format_result(const std::string& cmd, const nlohmann::json& r) {
  if (cmd == "status") return format_status(r);
  if (cmd == "policy-list") return format_policies(r);
  if (cmd == "sa-list") return format_sas(r);
  if (r.is_object() && r.contains("message")) return r["message"].get<std::string>() + "\n";
  return r.dump(2) + "\n";
}

std::string format_event(const nlohmann::json& ev) {
  std::string out = str(ev, "event", "event");
  for (const auto& [k, v] : ev.items())
    if (k != "event") out += " " + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

}  // namespace kagictl
