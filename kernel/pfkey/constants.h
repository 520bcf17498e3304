// kernel/pfkey/constants.h — PF_KEY v2 wire numbers (RFC 2367) and the
// places where Linux af_key and the KAME/SHISA BSD stacks disagree.
//
// Sources, cited where a value differs between the two:
//   Linux:  <linux/pfkeyv2.h>, <linux/ipsec.h> (installed uapi headers)
//   KAME:   NetBSD sys/net/pfkeyv2.h 1.34 ($KAME: pfkeyv2.h,v 1.36),
//           which keeps the SHISA-only numbers under "#if 0 ... /* KAME */":
//           SADB_X_MIGRATE 24, SADB_X_EXT_TAG 25, SADB_X_EXT_SA3 26,
//           SADB_X_EXT_PACKET 27.
// Everything in PF_KEY is in host byte order except SPIs, ports and
// addresses, which are in network order (RFC 2367 §2.3).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kernel::pfkey {

// Flavor selects the PF_KEY dialect: Linux af_key, or the KAME/SHISA stack
// of NetBSD/FreeBSD (sockaddrs with sa_len, 8-byte ipsecrequests, no
// priority, SADB_X_EXT_PACKET on ACQUIRE, no KMADDRESS).
enum class Flavor : std::uint8_t { Linux, Kame };

// Dialect is a flavor plus the one number the BSDs do not share:
// AF_INET6 is 24 on NetBSD (sys/socket.h) and 28 on FreeBSD (sys/socket.h).
struct Dialect {
  Flavor flavor = Flavor::Linux;
  std::uint8_t af_inet6 = 10;  // Linux AF_INET6

  static constexpr Dialect linux_af_key() { return {Flavor::Linux, 10}; }
  static constexpr Dialect kame_netbsd() { return {Flavor::Kame, 24}; }
  static constexpr Dialect kame_freebsd() { return {Flavor::Kame, 28}; }
  // of picks the dialect for a flavor on this build host: Linux af_key, or
  // KAME with the host's AF_INET6 on a BSD and NetBSD's value elsewhere.
  static Dialect of(Flavor f);
  bool operator==(const Dialect&) const = default;
};

inline constexpr std::uint8_t kPfKeyV2 = 2;     // PF_KEY_V2
inline constexpr std::uint8_t kAfInet = 2;      // AF_INET on Linux and the BSDs
inline constexpr std::uint8_t kLinuxAfInet6 = 10;
inline constexpr std::uint8_t kNetbsdAfInet6 = 24;
inline constexpr std::uint8_t kFreebsdAfInet6 = 28;

// MsgType: sadb_msg_type (RFC 2367 §2.3.2, KAME SADB_X_*). Same on both.
namespace msg {
inline constexpr std::uint8_t kGetspi = 1;
inline constexpr std::uint8_t kUpdate = 2;
inline constexpr std::uint8_t kAdd = 3;
inline constexpr std::uint8_t kDelete = 4;
inline constexpr std::uint8_t kGet = 5;
inline constexpr std::uint8_t kAcquire = 6;
inline constexpr std::uint8_t kRegister = 7;
inline constexpr std::uint8_t kExpire = 8;
inline constexpr std::uint8_t kFlush = 9;
inline constexpr std::uint8_t kDump = 10;
inline constexpr std::uint8_t kXSpdUpdate = 13;
inline constexpr std::uint8_t kXSpdAdd = 14;
inline constexpr std::uint8_t kXSpdDelete = 15;
inline constexpr std::uint8_t kXSpdGet = 16;
inline constexpr std::uint8_t kXSpdAcquire = 17;
inline constexpr std::uint8_t kXSpdDump = 18;
inline constexpr std::uint8_t kXSpdFlush = 19;
inline constexpr std::uint8_t kXSpdExpire = 21;
inline constexpr std::uint8_t kXSpdDelete2 = 22;
inline constexpr std::uint8_t kXNatTNewMapping = 23;
// SADB_X_MIGRATE: 24 in <linux/pfkeyv2.h> and in KAME (NetBSD keeps it as
// "#define SADB_X_MIGRATE 24 /* KAME */" under #if 0).
inline constexpr std::uint8_t kXMigrate = 24;
}  // namespace msg

// ExtType: sadb_ext_type. 1..23 are shared; from 24 on the flavors differ.
namespace ext {
inline constexpr std::uint16_t kSa = 1;
inline constexpr std::uint16_t kLifetimeCurrent = 2;
inline constexpr std::uint16_t kLifetimeHard = 3;
inline constexpr std::uint16_t kLifetimeSoft = 4;
inline constexpr std::uint16_t kAddressSrc = 5;
inline constexpr std::uint16_t kAddressDst = 6;
inline constexpr std::uint16_t kAddressProxy = 7;
inline constexpr std::uint16_t kKeyAuth = 8;
inline constexpr std::uint16_t kKeyEncrypt = 9;
inline constexpr std::uint16_t kIdentitySrc = 10;
inline constexpr std::uint16_t kIdentityDst = 11;
inline constexpr std::uint16_t kSensitivity = 12;
inline constexpr std::uint16_t kProposal = 13;
inline constexpr std::uint16_t kSupportedAuth = 14;
inline constexpr std::uint16_t kSupportedEncrypt = 15;
inline constexpr std::uint16_t kSpirange = 16;
inline constexpr std::uint16_t kXKmprivate = 17;
inline constexpr std::uint16_t kXPolicy = 18;
inline constexpr std::uint16_t kXSa2 = 19;
inline constexpr std::uint16_t kXNatTType = 20;
inline constexpr std::uint16_t kXNatTSport = 21;
inline constexpr std::uint16_t kXNatTDport = 22;
inline constexpr std::uint16_t kXNatTOa = 23;  // NetBSD: SADB_X_EXT_NAT_T_OAI
// Linux only (<linux/pfkeyv2.h>).
inline constexpr std::uint16_t kLinuxXSecCtx = 24;
inline constexpr std::uint16_t kLinuxXKmaddress = 25;
inline constexpr std::uint16_t kLinuxXFilter = 26;
// KAME/NetBSD only: NetBSD SADB_X_EXT_NAT_T_OAR 24; KAME SADB_X_EXT_PACKET 27
// (NetBSD pfkeyv2.h 1.34, "#if 0" block marked KAME).
inline constexpr std::uint16_t kKameXNatTOar = 24;
inline constexpr std::uint16_t kKameXPacket = 27;
}  // namespace ext

// SaType: sadb_msg_satype (RFC 2367 §2.3.1 and SADB_X_SATYPE_IPCOMP).
namespace satype {
inline constexpr std::uint8_t kUnspec = 0;
inline constexpr std::uint8_t kAh = 2;
inline constexpr std::uint8_t kEsp = 3;
inline constexpr std::uint8_t kIpcomp = 9;
}  // namespace satype

inline constexpr std::uint8_t kSaStateMature = 1;  // SADB_SASTATE_MATURE

// <linux/ipsec.h> and KAME netinet6/ipsec.h agree on these.
inline constexpr std::uint8_t kUlprotoAny = 255;   // IPSEC_ULPROTO_ANY
inline constexpr std::uint8_t kModeAny = 0;        // IPSEC_MODE_ANY
inline constexpr std::uint8_t kModeTransport = 1;  // IPSEC_MODE_TRANSPORT
inline constexpr std::uint8_t kModeTunnel = 2;     // IPSEC_MODE_TUNNEL
inline constexpr std::uint8_t kDirInbound = 1;     // IPSEC_DIR_INBOUND
inline constexpr std::uint8_t kDirOutbound = 2;    // IPSEC_DIR_OUTBOUND
inline constexpr std::uint8_t kDirFwd = 3;         // IPSEC_DIR_FWD: Linux only
inline constexpr std::uint16_t kPolicyDiscard = 0;  // IPSEC_POLICY_DISCARD
inline constexpr std::uint16_t kPolicyNone = 1;     // IPSEC_POLICY_NONE (bypass)
inline constexpr std::uint16_t kPolicyIpsec = 2;    // IPSEC_POLICY_IPSEC
inline constexpr std::uint16_t kPolicyBypass = 4;   // IPSEC_POLICY_BYPASS
inline constexpr std::uint8_t kLevelDefault = 0;    // IPSEC_LEVEL_DEFAULT
inline constexpr std::uint8_t kLevelUse = 1;
inline constexpr std::uint8_t kLevelRequire = 2;
inline constexpr std::uint8_t kLevelUnique = 3;
// UDP_ENCAP_ESPINUDP (RFC 3948): 2 in <linux/udp.h> and NetBSD netinet/udp.h.
inline constexpr std::uint8_t kUdpEncapEspInUdp = 2;

// Fixed sizes in bytes (the "sizeof == N" comments of both headers).
inline constexpr std::size_t kMsgHeaderLen = 16;         // sadb_msg
inline constexpr std::size_t kLinuxPolicyLen = 16;       // sadb_x_policy
inline constexpr std::size_t kKamePolicyLen = 16;        // sadb_x_policy (id + reserved2)
inline constexpr std::size_t kLinuxIpsecRequestLen = 16; // sadb_x_ipsecrequest (u32 reqid)
inline constexpr std::size_t kKameIpsecRequestLen = 8;   // sadb_x_ipsecrequest (u16 reqid)

// align8 rounds n up to a multiple of 8 (PFKEY_ALIGN8).
constexpr std::size_t align8(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

}  // namespace kernel::pfkey
