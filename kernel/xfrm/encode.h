// kernel/xfrm/encode.h — pure encoders: kernel-interface values -> XFRM
// netlink requests (linux/xfrm.h structures plus attributes).
//
// Each encoder resets `out` to one complete request with sequence number 0
// (the socket stamps its own) and fails without touching the kernel when
// the value cannot be expressed in XFRM: an unknown transform ID, a port
// range that is no prefix of the port space, mixed address families, more
// templates or migrate entries than XFRM_MAX_DEPTH.
//
// Conventions (kept symmetric by decode.h so that decode(encode(x)) == x):
//   - byte and packet limits of 0 ("none") go to the kernel as XFRM_INF;
//   - tunnel-mode SAs carry no selector (XFRM_STATE_AF_UNSPEC), transport
//     SAs the SaSpec's selector when there is one;
//   - replay windows above 32 or ESN use XFRMA_REPLAY_ESN_VAL;
//   - an IPComp SA names its IPCOMP_* transform ID in SaSpec::enc;
//   - template level Use sets xfrm_user_tmpl.optional; Unique sets
//     share = XFRM_SHARE_UNIQUE, which the kernel stores and reports back but
//     does not enforce: a unique reqid per policy is the policy layer's job;
//   - XFRMA_KMADDRESS carries one address pair: MigrateRequest::new_km.
#pragma once

#include <linux/xfrm.h>

#include <cstdint>
#include <span>

#include "core/ipsec/types.h"
#include "core/net/selector.h"
#include "core/result.h"
#include "kernel/xfrm/netlink.h"

namespace kernel::xfrm {

// put_address copies a into an xfrm_address_t (IPv4 in the first 4 bytes).
void put_address(const core::net::Address& a, xfrm_address_t& out);
// encode_selector fills a struct xfrm_selector; ICMP type/code and MH type
// go in sport/dport in network order with full masks, as the kernel's
// xfrm_flowi_sport()/xfrm_flowi_dport() compare them.
core::Status encode_selector(const core::net::Selector& s, xfrm_selector& out);

// SaState is kernel state carried over when an SA is re-installed at new
// addresses (migrate_sa): the raw XFRMA_REPLAY_VAL / XFRMA_REPLAY_ESN_VAL
// and XFRMA_LTIME_VAL data that decode_sa kept. Views, not owned.
struct SaState {
  std::uint16_t replay_type = 0;
  std::span<const std::uint8_t> replay;
  std::span<const std::uint8_t> ltime;
};

// encode_add_sa builds XFRM_MSG_NEWSA (update: XFRM_MSG_UPDSA, needed to
// complete an SPI that XFRM_MSG_ALLOCSPI reserved) with ACK. With state,
// its replay counters and lifetime use replace the fresh ones.
core::Status encode_add_sa(NlMessage& out, const core::ipsec::SaSpec& sa, bool update,
                           const SaState* state = nullptr);
// encode_sa_id builds XFRM_MSG_GETSA or XFRM_MSG_DELSA for one SA.
core::Status encode_sa_id(NlMessage& out, std::uint16_t type, const core::ipsec::SaId& id);
// encode_alloc_spi builds XFRM_MSG_ALLOCSPI (struct xfrm_userspi_info).
core::Status encode_alloc_spi(NlMessage& out, const core::net::Address& src,
                              const core::net::Address& dst, core::ipsec::Proto proto,
                              std::uint32_t reqid, std::uint32_t min, std::uint32_t max);
// encode_dump builds a dump request (XFRM_MSG_GETSA or XFRM_MSG_GETPOLICY
// with NLM_F_DUMP): a bare header, which the kernel accepts as "all".
void encode_dump(NlMessage& out, std::uint16_t type);

// encode_policy builds XFRM_MSG_NEWPOLICY (update: XFRM_MSG_UPDPOLICY).
core::Status encode_policy(NlMessage& out, const core::ipsec::PolicySpec& p, bool update);
// encode_policy_id builds XFRM_MSG_DELPOLICY or XFRM_MSG_GETPOLICY by
// selector, direction and mark (struct xfrm_userpolicy_id, index 0).
core::Status encode_policy_id(NlMessage& out, std::uint16_t type,
                              const core::ipsec::PolicyKey& key);

// encode_migrate builds XFRM_MSG_MIGRATE: xfrm_userpolicy_id, one
// XFRMA_MIGRATE array of xfrm_user_migrate, XFRMA_KMADDRESS and XFRMA_ENCAP
// when given.
core::Status encode_migrate(NlMessage& out, const core::ipsec::MigrateRequest& req);

// Enum mappings shared with the decoders.
std::uint8_t xfrm_dir(core::ipsec::Dir d);
std::uint8_t xfrm_mode(core::ipsec::Mode m);
std::uint16_t address_family(const core::net::Address& a);

}  // namespace kernel::xfrm
