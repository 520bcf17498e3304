// kernel/xfrm/decode_internal.h — readers shared by decode.cc and
// decode_events.cc (not part of the backend's interface).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/ipsec/types.h"
#include "core/result.h"
#include "core/wire/reader.h"
#include "kernel/xfrm/netlink.h"

namespace kernel::xfrm::detail {

using RawAddress = std::array<std::uint8_t, 16>;  // xfrm_address_t

// malformed builds the Malformed error every decoder returns.
tl::unexpected<core::Error> malformed(std::string_view what);

bool read_raw_address(core::wire::Reader& r, RawAddress& out);
// to_address interprets an xfrm_address_t for AF_INET / AF_INET6.
core::Result<core::net::Address> to_address(const RawAddress& raw, std::uint16_t family);
core::Result<core::ipsec::Proto> to_proto(std::uint8_t p);
core::Result<core::ipsec::Mode> to_mode(std::uint8_t m);
core::Result<core::ipsec::Dir> to_dir(std::uint8_t d);

// read_templates decodes an XFRMA_TMPL array of struct xfrm_user_tmpl.
core::Result<std::vector<core::ipsec::Template>> read_templates(core::wire::Reader data);

// read_policy_info reads struct xfrm_userpolicy_info (168 bytes) into p;
// action is the raw XFRM_POLICY_ALLOW/BLOCK, settled by finish_policy.
core::Status read_policy_info(core::wire::Reader& r, core::ipsec::PolicySpec& p,
                              std::uint8_t& action);
// apply_policy_attr takes XFRMA_TMPL, XFRMA_MARK and XFRMA_POLICY_TYPE;
// other attributes are ignored.
core::Status apply_policy_attr(const NlAttr& a, core::ipsec::PolicySpec& p);
// finish_policy maps allow/block + templates onto Protect/Bypass/Discard.
core::Status finish_policy(core::ipsec::PolicySpec& p, std::uint8_t action);

// UsersaFixed is what struct xfrm_usersa_info holds besides the selector.
struct UsersaFixed {
  core::ipsec::SaSpec spec;
  core::ipsec::SaCounters counters;
  std::optional<core::net::Selector> selector;  // family 0: none
  std::uint8_t flags = 0;
};
// read_usersa_info reads struct xfrm_usersa_info (224 bytes).
core::Result<UsersaFixed> read_usersa_info(core::wire::Reader& r);

}  // namespace kernel::xfrm::detail
