// kernel/pfkey/message.h — one PF_KEY v2 message as plain values, and its
// byte codec (RFC 2367 §2; KAME/Linux SADB_X_* extensions).
//
// A message is a base header followed by extensions, every length counted
// in 64-bit words:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +---------------+---------------+---------------+---------------+
//   |  ...version   | sadb_msg_type | sadb_msg_errno| ...msg_satype |
//   +---------------+---------------+---------------+---------------+
//   |          sadb_msg_len         |       sadb_msg_reserved       |
//   +---------------+---------------+---------------+---------------+
//   |                         sadb_msg_seq                          |
//   +---------------+---------------+---------------+---------------+
//   |                         sadb_msg_pid                          |
//   +---------------+---------------+---------------+---------------+
//   |         sadb_ext_len          |        sadb_ext_type          |  x N
//   +---------------+---------------+---------------+---------------+
//   |                  extension body (ext_len*8 - 4 bytes)          |
//   +---------------+---------------+---------------+---------------+
//
// decode never trusts a length: an unknown extension is kept raw and
// skipped, a known one with a bad length fails that message only. All
// reserved fields are dropped on decode and written as zero, so
// decode(encode(decode(x))) == decode(x) for every x that decodes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/net/address.h"
#include "core/result.h"
#include "kernel/pfkey/constants.h"

namespace kernel::pfkey {

// SockAddr is what a sockaddr_in/sockaddr_in6 carries: address and port
// (network order on the wire). IPv6 scope ids travel; flowinfo does not.
struct SockAddr {
  core::net::Address addr;
  std::uint16_t port = 0;
  bool operator==(const SockAddr&) const = default;
};

// Header is struct sadb_msg without its length (computed by encode).
struct Header {
  std::uint8_t version = kPfKeyV2;
  std::uint8_t type = 0;
  std::uint8_t errno_value = 0;
  std::uint8_t satype = satype::kUnspec;
  std::uint32_t seq = 0;
  std::uint32_t pid = 0;
  bool operator==(const Header&) const = default;
};

// SaExt is struct sadb_sa (RFC 2367 §2.3.1); spi in host order here.
struct SaExt {
  std::uint32_t spi = 0;
  std::uint8_t replay = 0;  // Linux: packets; KAME: bytes of bitmap
  std::uint8_t state = 0;
  std::uint8_t auth = 0;
  std::uint8_t encrypt = 0;
  std::uint32_t flags = 0;
  bool operator==(const SaExt&) const = default;
};

// LifetimeExt is struct sadb_lifetime (RFC 2367 §2.3.2).
struct LifetimeExt {
  std::uint32_t allocations = 0;
  std::uint64_t bytes = 0, addtime = 0, usetime = 0;
  bool operator==(const LifetimeExt&) const = default;
};

// AddressExt is struct sadb_address plus its sockaddr (RFC 2367 §2.3.3).
struct AddressExt {
  std::uint8_t proto = kUlprotoAny;
  std::uint8_t prefixlen = 0;
  SockAddr sa;
  bool operator==(const AddressExt&) const = default;
};

// KeyExt is struct sadb_key with (bits+7)/8 key bytes (RFC 2367 §2.3.4).
struct KeyExt {
  std::uint16_t bits = 0;
  std::vector<std::uint8_t> key;
  bool operator==(const KeyExt&) const = default;
};

// IdentityExt is struct sadb_ident; data is the padded tail as received.
struct IdentityExt {
  std::uint16_t type = 0;
  std::uint64_t id = 0;
  std::vector<std::uint8_t> data;
  bool operator==(const IdentityExt&) const = default;
};

// SensitivityExt is struct sadb_sens with its two bitmaps (RFC 2367 §2.3.6).
struct SensitivityExt {
  std::uint32_t dpd = 0;
  std::uint8_t sens_level = 0, integ_level = 0;
  std::vector<std::uint64_t> sens_bitmap, integ_bitmap;
  bool operator==(const SensitivityExt&) const = default;
};

// Comb is struct sadb_comb, one combination of a proposal (RFC 2367 §2.3.7).
struct Comb {
  std::uint8_t auth = 0, encrypt = 0;
  std::uint16_t flags = 0;
  std::uint16_t auth_minbits = 0, auth_maxbits = 0;
  std::uint16_t encrypt_minbits = 0, encrypt_maxbits = 0;
  std::uint32_t soft_allocations = 0, hard_allocations = 0;
  std::uint64_t soft_bytes = 0, hard_bytes = 0;
  std::uint64_t soft_addtime = 0, hard_addtime = 0;
  std::uint64_t soft_usetime = 0, hard_usetime = 0;
  bool operator==(const Comb&) const = default;
};

struct ProposalExt {
  std::uint8_t replay = 0;
  std::vector<Comb> combs;
  bool operator==(const ProposalExt&) const = default;
};

// Alg is struct sadb_alg, one entry of a SUPPORTED extension (§2.3.8).
struct Alg {
  std::uint8_t id = 0, ivlen = 0;
  std::uint16_t minbits = 0, maxbits = 0;
  bool operator==(const Alg&) const = default;
};

struct SpiRangeExt {
  std::uint32_t min = 0, max = 0;
  bool operator==(const SpiRangeExt&) const = default;
};

// Sa2Ext is struct sadb_x_sa2 (KAME, Linux): SA mode and reqid.
struct Sa2Ext {
  std::uint8_t mode = kModeAny;
  std::uint32_t sequence = 0;
  std::uint32_t reqid = 0;
  bool operator==(const Sa2Ext&) const = default;
};

// IpsecRequest is struct sadb_x_ipsecrequest with its optional endpoint
// pair (tunnel mode; always present in MIGRATE). KAME's reqid is 16 bits.
struct IpsecRequest {
  std::uint16_t proto = 0;  // IPPROTO_ESP / AH / IPCOMP
  std::uint8_t mode = kModeTransport;
  std::uint8_t level = kLevelRequire;
  std::uint32_t reqid = 0;
  std::optional<SockAddr> src, dst;
  bool operator==(const IpsecRequest&) const = default;
};

// PolicyExt is struct sadb_x_policy and its requests. priority is Linux
// only (KAME has sadb_x_policy_reserved2 there, decoded as 0).
struct PolicyExt {
  std::uint16_t type = kPolicyIpsec;
  std::uint8_t dir = 0;
  std::uint32_t id = 0;
  std::uint32_t priority = 0;
  std::vector<IpsecRequest> requests;
  bool operator==(const PolicyExt&) const = default;
};

// KmAddressExt is Linux struct sadb_x_kmaddress: the addresses the key
// manager negotiates from after a MIGRATE (local, then remote).
struct KmAddressExt {
  SockAddr local, remote;
  bool operator==(const KmAddressExt&) const = default;
};

// RawExt is an extension this codec does not interpret, kept verbatim.
struct RawExt {
  std::uint16_t type = 0;
  std::vector<std::uint8_t> body;  // after the 4-byte sadb_ext header
  bool operator==(const RawExt&) const = default;
};

// Message is one decoded PF_KEY message; each extension at most once.
struct Message {
  Header header;
  std::optional<SaExt> sa;
  std::optional<LifetimeExt> lifetime_current, lifetime_hard, lifetime_soft;
  std::optional<AddressExt> src, dst, proxy;
  std::optional<KeyExt> key_auth, key_encrypt;
  std::optional<IdentityExt> identity_src, identity_dst;
  std::optional<SensitivityExt> sensitivity;
  std::optional<ProposalExt> proposal;
  std::optional<std::vector<Alg>> supported_auth, supported_encrypt;
  std::optional<SpiRangeExt> spirange;
  std::optional<PolicyExt> policy;
  std::optional<Sa2Ext> sa2;
  std::optional<std::uint8_t> nat_t_type;
  std::optional<std::uint16_t> nat_t_sport, nat_t_dport;  // host order
  std::optional<AddressExt> nat_t_oa;
  std::optional<AddressExt> nat_t_oar;        // KAME only
  std::optional<KmAddressExt> kmaddress;      // Linux only
  std::optional<std::vector<std::uint8_t>> packet;  // KAME SADB_X_EXT_PACKET
  std::vector<RawExt> unknown;                // skipped, in wire order
  bool operator==(const Message&) const = default;
};

// decode_message parses exactly one message (sadb_msg_len must cover the
// whole span). Fails with Malformed naming the extension that is broken.
core::Result<Message> decode_message(std::span<const std::uint8_t> bytes, const Dialect& d);

// decode_stream splits concatenated messages by sadb_msg_len and decodes
// each: a message with a broken extension yields an error entry and the
// next message still decodes. Only a header whose length cannot be trusted
// ends the stream (one final error entry).
std::vector<core::Result<Message>> decode_stream(std::span<const std::uint8_t> bytes,
                                                 const Dialect& d);

// encode_message lays a message out for dialect d. Fails (Unsupported)
// on what the dialect cannot carry (KMADDRESS on KAME, a KAME reqid above
// 16 bits, IPv6 on an unknown family) and (Malformed) on oversize.
core::Result<std::vector<std::uint8_t>> encode_message(const Message& m, const Dialect& d);

}  // namespace kernel::pfkey
