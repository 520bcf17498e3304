#include "daemon/json_codec.h"

#include <fmt/format.h>

namespace kagid {

using nlohmann::json;

namespace {

core::ipsec::Dir dir_from(const std::string& s) {
  if (s == "in") return core::ipsec::Dir::In;
  if (s == "fwd") return core::ipsec::Dir::Fwd;
  return core::ipsec::Dir::Out;
}

json ports(const core::net::PortRange& r) { return json::array({r.start, r.end}); }

}  // namespace

json to_json(const core::net::Selector& s) {
  return {{"src", s.src.to_string()}, {"dst", s.dst.to_string()}, {"proto", s.proto},
          {"sport", ports(s.sport)},  {"dport", ports(s.dport)},  {"text", s.to_string()}};
}

core::Result<core::net::Selector> selector_from_json(const json& j) {
  if (!j.is_object() || !j.contains("src") || !j.contains("dst"))
    return core::fail(core::ErrorCode::Malformed, "selector object without src/dst");
  core::net::Selector s;
  auto src = core::net::Prefix::parse(j.value("src", ""));
  auto dst = core::net::Prefix::parse(j.value("dst", ""));
  if (!src || !dst) return core::fail(core::ErrorCode::Malformed, "selector with a bad address");
  s.src = *src;
  s.dst = *dst;
  s.proto = j.value("proto", 0);
  auto range = [](const json& r, core::net::PortRange& out) {
    if (r.is_array() && r.size() == 2) out = {r[0].get<std::uint16_t>(), r[1].get<std::uint16_t>()};
  };
  if (j.contains("sport")) range(j["sport"], s.sport);
  if (j.contains("dport")) range(j["dport"], s.dport);
  return s;
}

json to_json(const core::ipsec::PolicySpec& p) {
  json t = json::array();
  for (const auto& x : p.templates) {
    json one = {{"proto", core::ipsec::proto_name(x.proto)}, {"mode", core::ipsec::mode_name(x.mode)},
                {"reqid", x.reqid},                          {"level", core::ipsec::level_name(x.level)}};
    if (x.mode == core::ipsec::Mode::Tunnel) {
      one["src"] = x.src.to_string();
      one["dst"] = x.dst.to_string();
    }
    t.push_back(one);
  }
  return {{"selector", to_json(p.selector)},
          {"dir", core::ipsec::dir_name(p.dir)},
          {"action", core::ipsec::action_name(p.action)},
          {"priority", p.priority},
          {"index", p.index},
          {"templates", t},
          {"mark", {p.mark.value, p.mark.mask}},
          {"text", p.to_string()}};
}

json to_json(const core::ipsec::PolicyKey& k) {
  return {{"selector", to_json(k.selector)}, {"dir", core::ipsec::dir_name(k.dir)}, {"mark", {k.mark.value, k.mark.mask}}};
}

core::Result<core::ipsec::PolicyKey> policy_key_from_json(const json& j) {
  if (!j.is_object() || !j.contains("selector")) return core::fail(core::ErrorCode::Malformed, "policy key without selector");
  auto sel = selector_from_json(j["selector"]);
  if (!sel) return core::fail(sel.error());
  core::ipsec::PolicyKey k;
  k.selector = *sel;
  k.dir = dir_from(j.value("dir", "out"));
  if (j.contains("mark") && j["mark"].is_array() && j["mark"].size() == 2)
    k.mark = {j["mark"][0].get<std::uint32_t>(), j["mark"][1].get<std::uint32_t>()};
  return k;
}

json to_json(const core::ipsec::SaInfo& sa) {
  const auto& s = sa.spec;
  json j = {{"proto", core::ipsec::proto_name(s.proto)},
            {"mode", core::ipsec::mode_name(s.mode)},
            {"src", s.src.to_string()},
            {"dst", s.dst.to_string()},
            {"spi", fmt::format("{:08x}", s.spi)},
            {"reqid", s.reqid},
            {"enc", s.enc.id},
            {"integ", s.integ.id},
            {"esn", s.esn},
            {"bytes", sa.counters.bytes},
            {"packets", sa.counters.packets},
            {"replay_dropped", sa.counters.replay_dropped},
            {"integrity_failed", sa.counters.integrity_failed}};
  if (s.encap) j["encap"] = {s.encap->sport, s.encap->dport};
  return j;
}

json event_json(const core::ipsec::KernelEvent& ev) {
  return std::visit(
      [](const auto& e) -> json {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, core::ipsec::AcquireEvent>) {
          return {{"event", "acquire"},
                  {"policy_index", e.policy_index},
                  {"selector", e.selector.to_string()},
                  {"reqid", e.tmpl.reqid},
                  {"src", e.src.to_string()},
                  {"dst", e.dst.to_string()},
                  {"packet", e.packet ? e.packet->size() : 0}};
        } else if constexpr (std::is_same_v<T, core::ipsec::ExpireEvent>) {
          return {{"event", e.hard ? "expire-hard" : "expire-soft"}, {"sa", e.sa.to_string()}, {"reqid", e.reqid}};
        } else if constexpr (std::is_same_v<T, core::ipsec::MigrateEvent>) {
          json entries = json::array();
          for (const auto& m : e.request.entries)
            entries.push_back({{"reqid", m.reqid},
                               {"old", m.old_src.to_string() + " -> " + m.old_dst.to_string()},
                               {"new", m.new_src.to_string() + " -> " + m.new_dst.to_string()}});
          json j = {{"event", "migrate"},
                    {"selector", e.request.selector.to_string()},
                    {"dir", core::ipsec::dir_name(e.request.dir)},
                    {"entries", entries}};
          if (e.request.old_km && e.request.new_km)
            j["km"] = e.request.old_km->local.to_string() + "," + e.request.old_km->remote.to_string() + " -> " +
                      e.request.new_km->local.to_string() + "," + e.request.new_km->remote.to_string();
          return j;
        } else {
          static constexpr const char* kinds[] = {"policy-added", "policy-updated", "policy-deleted", "policy-expired"};
          return {{"event", kinds[static_cast<int>(e.kind)]}, {"policy", e.policy.to_string()}};
        }
      },
      ev);
}

}  // namespace kagid
