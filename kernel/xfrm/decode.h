// kernel/xfrm/decode.h — pure decoders: XFRM netlink messages from the
// kernel -> kernel-interface values and events.
//
// Every decoder takes the message payload (the bytes after struct
// nlmsghdr) through a core::wire::Reader, checks every length, and returns
// an Error instead of a value for anything malformed; nothing here
// reinterprets packet bytes as structs. Structures are read in host byte
// order (the kernel's), the fields linux/xfrm.h marks __be in network order.
// The layouts read here are checked against linux/xfrm.h by static_asserts
// in decode.cc. decode(encode(x)) == x under the conventions of encode.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/ipsec/events.h"
#include "core/ipsec/types.h"
#include "core/result.h"
#include "core/wire/reader.h"
#include "kernel/xfrm/netlink.h"

namespace kernel::xfrm {

// SaRecord is an SA as XFRM_MSG_NEWSA reports it (GETSA, dump, ALLOCSPI),
// with the kernel's replay and current-lifetime state kept as raw attribute
// data so that the SA can be re-installed elsewhere unchanged.
struct SaRecord {
  core::ipsec::SaInfo info;
  std::uint16_t replay_type = 0;      // XFRMA_REPLAY_VAL or XFRMA_REPLAY_ESN_VAL, 0 if absent
  std::vector<std::uint8_t> replay;   // that attribute's data
  std::vector<std::uint8_t> ltime;    // XFRMA_LTIME_VAL data (struct xfrm_lifetime_cur)
};

// decode_selector reads one struct xfrm_selector (56 bytes). Port masks
// must be contiguous; family must be AF_INET or AF_INET6.
core::Result<core::net::Selector> decode_selector(core::wire::Reader& r);

// decode_sa reads struct xfrm_usersa_info and its attributes.
core::Result<SaRecord> decode_sa(core::wire::Reader payload);
// decode_policy reads struct xfrm_userpolicy_info and its attributes.
// Sub-policies (XFRM_POLICY_TYPE_SUB) and socket policies are Unsupported.
core::Result<core::ipsec::PolicySpec> decode_policy(core::wire::Reader payload);

// decode_acquire reads XFRM_MSG_ACQUIRE (struct xfrm_user_acquire +
// XFRMA_TMPL): the template reported is the one whose protocol and tunnel
// destination match the larval SA.
core::Result<core::ipsec::AcquireEvent> decode_acquire(core::wire::Reader payload);
// decode_expire reads XFRM_MSG_EXPIRE (struct xfrm_user_expire).
core::Result<core::ipsec::ExpireEvent> decode_expire(core::wire::Reader payload);
// decode_policy_event reads XFRM_MSG_NEWPOLICY / UPDPOLICY (userpolicy_info
// + attributes), XFRM_MSG_DELPOLICY (xfrm_userpolicy_id + XFRMA_POLICY) and
// XFRM_MSG_POLEXPIRE (xfrm_user_polexpire); a soft POLEXPIRE yields nullopt.
core::Result<std::optional<core::ipsec::PolicyEvent>> decode_policy_event(
    std::uint16_t type, core::wire::Reader payload);
// decode_migrate reads XFRM_MSG_MIGRATE: xfrm_userpolicy_id, one or more
// XFRMA_MIGRATE attributes (the kernel's broadcast puts one entry in each,
// a request puts an array in one), XFRMA_KMADDRESS into new_km, XFRMA_ENCAP.
core::Result<core::ipsec::MigrateRequest> decode_migrate(core::wire::Reader payload);

// decode_event turns one kernel message into an event; nullopt for the
// types that carry none (SA notifications, REPORT, flushes, unknown types).
core::Result<std::optional<core::ipsec::KernelEvent>> decode_event(const NlHeader& h,
                                                                    core::wire::Reader payload);

// StreamStats counts what decode_stream did with one receive buffer.
struct StreamStats {
  std::size_t events = 0;     // handed to the sink
  std::size_t skipped = 0;    // malformed messages, logged and dropped
  std::size_t ignored = 0;    // well-formed messages with no event
  bool truncated = false;     // broken framing: the rest of the buffer was dropped
};

// decode_stream decodes every message of one receive buffer (netlink packs
// several per datagram). A malformed message is logged and skipped and the
// following ones are still decoded; only broken framing ends the buffer.
// Policy notifications whose nlmsg_pid is own_pid (our request socket's
// port: our own changes, echoed) are ignored; own_pid 0 keeps them all.
StreamStats decode_stream(std::span<const std::uint8_t> buf, std::uint32_t own_pid,
                          const std::function<void(const core::ipsec::KernelEvent&)>& sink);

}  // namespace kernel::xfrm
