// kernel/pfkey/translate.h — core::ipsec values <-> PF_KEY messages.
//
// Builders make the request a PF_KEY key manager sends (RFC 2367 §3.1 for
// the SA messages, KAME SADB_X_SPD* and SADB_X_MIGRATE for the rest); the
// *_of functions read the kernel's replies and notifications. All pure:
// the socket layer (pfkey_kernel.h) only moves their bytes.
//
// What PF_KEY cannot say is refused with Unsupported, never dropped:
// marks, ESN, port ranges (a selector port is one port or any), NAT-T on a
// MIGRATE, KM addresses on KAME, IPSEC_DIR_FWD on KAME. Two things are
// lossy by the design of the interface and documented in
// docs/kernel-pfkey.md: the replay window is one byte (Linux packets, KAME
// bytes of bitmap, so at most 255 / 2040 packets) and KAME has no policy
// priority (sadb_x_policy_reserved2).
#pragma once

#include <cstdint>
#include <optional>

#include "core/ipsec/events.h"
#include "core/ipsec/types.h"
#include "core/result.h"
#include "kernel/pfkey/message.h"

namespace kernel::pfkey {

// Stamp is the sequence number and pid every request carries; the kernel
// copies both into its reply (RFC 2367 §2.3.2).
struct Stamp {
  std::uint32_t seq = 0;
  std::uint32_t pid = 0;
};

// satype_of maps an SA protocol to sadb_msg_satype; proto_of the reverse
// (fails on UNSPEC and SA types kagi does not use).
std::uint8_t satype_of(core::ipsec::Proto p);
core::Result<core::ipsec::Proto> proto_of(std::uint8_t satype);

// selector_addresses encodes a selector as ADDRESS_SRC/ADDRESS_DST
// (prefix length, upper-layer protocol, one port or 0 for any).
core::Result<std::pair<AddressExt, AddressExt>> selector_addresses(const core::net::Selector& s);
// selector_of reads them back (IPSEC_ULPROTO_ANY and 0 both mean any).
core::Result<core::net::Selector> selector_of(const AddressExt& src, const AddressExt& dst);

// --- SA messages (translate_sa.cc) ---------------------------------------

// make_simple builds a message that is only a header: REGISTER, FLUSH,
// DUMP (satype UNSPEC = all), X_SPDFLUSH, X_SPDDUMP.
Message make_simple(std::uint8_t type, std::uint8_t satype, Stamp st);

// make_getspi asks for an SPI in [min, max] for src -> dst (RFC 2367 §3.1.1).
Message make_getspi(const core::net::Address& src, const core::net::Address& dst, core::ipsec::Proto proto,
                    std::uint32_t reqid, std::uint32_t min, std::uint32_t max, Stamp st);
// spi_of reads the SPI out of a GETSPI (or any SA) reply, in host order.
core::Result<std::uint32_t> spi_of(const Message& m);

// make_add builds SADB_ADD or SADB_UPDATE (type) for one SA, with SA2,
// lifetimes, keys and NAT-T (RFC 2367 §3.1.2-3.1.3, RFC 3948 via KAME
// SADB_X_EXT_NAT_T_*).
core::Result<Message> make_add(std::uint8_t type, const core::ipsec::SaSpec& sa, Stamp st, const Dialect& d);

// make_sa_id builds SADB_DELETE or SADB_GET (type). KAME matches SAs by
// source as well, so the caller passes the source it knows; Linux only
// needs one of the same family (af_key present_and_same_family).
Message make_sa_id(std::uint8_t type, const core::ipsec::SaId& id, const core::net::Address& src, Stamp st);

// sa_info_of reads an ADD/UPDATE/GET/DUMP message back into an SA.
core::Result<core::ipsec::SaInfo> sa_info_of(const Message& m, const Dialect& d);

// expire_of reads SADB_EXPIRE: hard when LIFETIME_HARD is present.
core::Result<core::ipsec::ExpireEvent> expire_of(const Message& m);

// --- SPD, MIGRATE, ACQUIRE (translate_policy.cc) -------------------------

// make_spd builds X_SPDADD or X_SPDUPDATE (type) for one policy.
core::Result<Message> make_spd(std::uint8_t type, const core::ipsec::PolicySpec& p, Stamp st, const Dialect& d);
// make_spddelete removes a policy by selector and direction (X_SPDDELETE).
core::Result<Message> make_spddelete(const core::ipsec::PolicyKey& key, Stamp st, const Dialect& d);
// make_spd_by_id builds X_SPDDELETE2 or X_SPDGET (type) for a policy id.
Message make_spd_by_id(std::uint8_t type, std::uint32_t id, Stamp st);
// policy_of reads an X_SPD* message back into a policy (index = id).
core::Result<core::ipsec::PolicySpec> policy_of(const Message& m, const Dialect& d);

// make_migrate builds X_MIGRATE: selector, then one old/new ipsecrequest
// pair per entry inside one X_POLICY, and (Linux) KMADDRESS from new_km.
core::Result<Message> make_migrate(const core::ipsec::MigrateRequest& r, Stamp st, const Dialect& d);
// migrate_of reads X_MIGRATE; the KM pair becomes new_km.
core::Result<core::ipsec::MigrateRequest> migrate_of(const Message& m, const Dialect& d);

// acquire_of reads SADB_ACQUIRE, with the triggering packet when KAME
// attached SADB_X_EXT_PACKET.
core::Result<core::ipsec::AcquireEvent> acquire_of(const Message& m);

// event_of turns a kernel notification into an event: ACQUIRE, EXPIRE,
// X_MIGRATE, X_SPDADD/UPDATE/DELETE/DELETE2/EXPIRE. nullopt for any other
// type or a message carrying an errno; an error when an event message
// lacks what it must carry.
core::Result<std::optional<core::ipsec::KernelEvent>> event_of(const Message& m, const Dialect& d);

}  // namespace kernel::pfkey
