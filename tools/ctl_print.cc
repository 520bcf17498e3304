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
  // strongSwan's `swanctl --list-sas` layout, in kagid's terms.
  auto join = [](const nlohmann::json& a) {
    std::string o;
    for (const auto& x : a) o += (o.empty() ? "" : ",") + x.get<std::string>();
    return o;
  };
  for (const auto& ike : ikes) {
    out += fmt::format("  {}[{}]: {}, {} ({}) <-> {} ({}), {}\n", str(ike, "remote"), str(ike, "id"),
                       str(ike, "state"), str(ike, "local"), str(ike, "local_id"), str(ike, "remote_addr"),
                       str(ike, "remote_id"), ike.value("initiator", false) ? "initiator" : "responder");
    out += fmt::format("    spis {}_i {}_r, {}\n", str(ike, "spi_i"), str(ike, "spi_r"), str(ike, "algorithms", ""));
    for (const auto& c : ike.value("children", nlohmann::json::array())) {
      auto counter = [&](const char* dir, const char* what) {
        return c.contains(dir) ? c[dir].value(what, std::uint64_t{0}) : std::uint64_t{0};
      };
      out += fmt::format("    {}: {}, reqid {}, {}{}, {}\n", str(c, "name"), str(c, "state"), str(c, "reqid"),
                         str(c, "mode"), c.value("encap", false) ? " in UDP" : "", str(c, "algorithms"));
      out += fmt::format("      in  {}, {} bytes, {} packets\n", str(c, "spi_in"), counter("in", "bytes"),
                         counter("in", "packets"));
      out += fmt::format("      out {}, {} bytes, {} packets\n", str(c, "spi_out"), counter("out", "bytes"),
                         counter("out", "packets"));
      out += fmt::format("      {} === {}\n", join(c.value("local_ts", nlohmann::json::array())),
                         join(c.value("remote_ts", nlohmann::json::array())));
    }
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
    // initiate REMOTE [POLICY] | initiate selector NAME | initiate policy NAME
    // terminate|rekey ID|REMOTE | terminate|rekey child SPI (inbound, hex)
    const std::string usage = c == "initiate" ? "usage: kagictl initiate REMOTE [POLICY] | selector NAME | policy NAME"
                                              : "usage: kagictl " + c + " IKE_ID | REMOTE | child SPI";
    if (w.size() < 2 || w.size() > 3) return tl::unexpected<std::string>(usage);
    nlohmann::json args = nlohmann::json::object();
    const std::string& a = w[1];
    bool keyword = w.size() == 3 && (a == "selector" || a == "policy" || a == "child");
    if (keyword) {
      if (a == "child" && c == "initiate") return tl::unexpected<std::string>(usage);
      if (a != "child" && c != "initiate") return tl::unexpected<std::string>(usage);
      args[a] = w[2];
    } else if (c != "initiate" && a.find_first_not_of("0123456789") == std::string::npos) {
      if (w.size() != 2) return tl::unexpected<std::string>(usage);
      args["ike"] = std::stoul(a);
    } else {
      args["remote"] = a;
      if (w.size() == 3) {
        if (c != "initiate") return tl::unexpected<std::string>(usage);
        args["policy"] = w[2];
      }
    }
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
