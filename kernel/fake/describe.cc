#include "kernel/fake/describe.h"

#include <fmt/format.h>

namespace kernel::fake {

namespace ipsec = core::ipsec;

std::string describe_sa(const ipsec::SaSpec& sa) {
  return fmt::format("{} src {} reqid {} {}", sa.id().to_string(), sa.src.to_string(), sa.reqid,
                     ipsec::mode_name(sa.mode));
}

std::string describe_key(const ipsec::PolicyKey& key) {
  std::string s = fmt::format("{} dir {}", key.selector.to_string(), ipsec::dir_name(key.dir));
  if (key.mark.mask != 0) s += fmt::format(" mark 0x{:x}/0x{:x}", key.mark.value, key.mark.mask);
  return s;
}

std::string describe_migrate(const ipsec::MigrateRequest& req) {
  std::string s = fmt::format("{} dir {}", req.selector.to_string(), ipsec::dir_name(req.dir));
  for (const auto& m : req.entries) {
    s += fmt::format(" | {} {} reqid {} {}->{} => {}->{}", ipsec::proto_name(m.proto),
                     ipsec::mode_name(m.mode), m.reqid, m.old_src.to_string(),
                     m.old_dst.to_string(), m.new_src.to_string(), m.new_dst.to_string());
  }
  if (req.old_km && req.new_km) {
    s += fmt::format(" | km {}->{} => {}->{}", req.old_km->local.to_string(),
                     req.old_km->remote.to_string(), req.new_km->local.to_string(),
                     req.new_km->remote.to_string());
  }
  if (req.encap) s += fmt::format(" | encap {}/{}", req.encap->sport, req.encap->dport);
  return s;
}

std::string describe_flow(const Flow& flow) {
  return fmt::format("{}->{} proto {} {}/{}", flow.src.to_string(), flow.dst.to_string(),
                     core::net::protocol_name(flow.proto), flow.sport, flow.dport);
}

}  // namespace kernel::fake
