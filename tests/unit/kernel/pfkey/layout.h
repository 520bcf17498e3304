// tests/unit/kernel/pfkey/layout.h — expected PF_KEY bytes built from the
// C structs, independently of the codec under test.
//
// Linux layouts use the installed <linux/pfkeyv2.h>, <linux/ipsec.h> and
// <netinet/in.h>. KAME layouts use the mirrors below, transcribed from
// NetBSD sys/net/pfkeyv2.h 1.34 ($KAME: pfkeyv2.h,v 1.36): the 4.4BSD
// sockaddrs with sa_len, sadb_x_policy with sadb_x_policy_reserved2 where
// Linux has the priority, and the 8-byte sadb_x_ipsecrequest with a 16-bit
// reqid. struct sadb_x_packet follows its use in racoon2 (rcpfk_recv_acquire
// reads the packet at pkt + 1, copylen bytes) and ipsec-tools
// (kdebug_sadb_x_packet prints copylen with %u): {u16 len, u16 exttype,
// u32 copylen}.
#pragma once

#include <arpa/inet.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

namespace layout {

using Bytes = std::vector<std::uint8_t>;

struct BsdSockaddrIn {
  std::uint8_t sin_len;
  std::uint8_t sin_family;
  std::uint16_t sin_port;
  std::uint8_t sin_addr[4];
  std::uint8_t sin_zero[8];
} __attribute__((packed));
static_assert(sizeof(BsdSockaddrIn) == 16);

struct BsdSockaddrIn6 {
  std::uint8_t sin6_len;
  std::uint8_t sin6_family;
  std::uint16_t sin6_port;
  std::uint32_t sin6_flowinfo;
  std::uint8_t sin6_addr[16];
  std::uint32_t sin6_scope_id;
} __attribute__((packed));
static_assert(sizeof(BsdSockaddrIn6) == 28);

struct KameXPolicy {
  std::uint16_t sadb_x_policy_len;
  std::uint16_t sadb_x_policy_exttype;
  std::uint16_t sadb_x_policy_type;
  std::uint8_t sadb_x_policy_dir;
  std::uint8_t sadb_x_policy_flags;
  std::uint32_t sadb_x_policy_id;
  std::uint32_t sadb_x_policy_reserved2;
} __attribute__((packed));
static_assert(sizeof(KameXPolicy) == 16);

struct KameXIpsecRequest {
  std::uint16_t sadb_x_ipsecrequest_len;
  std::uint16_t sadb_x_ipsecrequest_proto;
  std::uint8_t sadb_x_ipsecrequest_mode;
  std::uint8_t sadb_x_ipsecrequest_level;
  std::uint16_t sadb_x_ipsecrequest_reqid;
} __attribute__((packed));
static_assert(sizeof(KameXIpsecRequest) == 8);

struct KameXPacket {
  std::uint16_t sadb_x_packet_len;
  std::uint16_t sadb_x_packet_exttype;
  std::uint32_t sadb_x_packet_copylen;
} __attribute__((packed));
static_assert(sizeof(KameXPacket) == 8);

inline constexpr std::uint16_t kKameExtPacket = 27;  // SADB_X_EXT_PACKET /* KAME */

template <typename T>
Bytes of(const T& v) {
  Bytes b(sizeof v);
  std::memcpy(b.data(), &v, sizeof v);
  return b;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline void pad8(Bytes& b) {
  while (b.size() % 8) b.push_back(0);
}

// ext appends tail to a struct whose first field is a u16 length in 64-bit
// words, pads to 8 and sets that length.
template <typename T>
Bytes ext(const T& hdr, const Bytes& tail = {}) {
  Bytes b = cat({of(hdr), tail});
  pad8(b);
  const auto words = static_cast<std::uint16_t>(b.size() / 8);
  std::memcpy(b.data(), &words, 2);
  return b;
}

// message prepends hdr and sets sadb_msg_len.
inline Bytes message(sadb_msg hdr, std::initializer_list<Bytes> exts) {
  Bytes b = of(hdr);
  for (const auto& e : exts) b.insert(b.end(), e.begin(), e.end());
  const auto words = static_cast<std::uint16_t>(b.size() / 8);
  std::memcpy(b.data() + 4, &words, 2);
  return b;
}

inline sadb_msg header(std::uint8_t type, std::uint8_t satype, std::uint32_t seq, std::uint32_t pid,
                       std::uint8_t err = 0) {
  sadb_msg h{};
  h.sadb_msg_version = PF_KEY_V2;
  h.sadb_msg_type = type;
  h.sadb_msg_errno = err;
  h.sadb_msg_satype = satype;
  h.sadb_msg_seq = seq;
  h.sadb_msg_pid = pid;
  return h;
}

inline Bytes lin4(const char* a, std::uint16_t port = 0) {
  sockaddr_in s{};
  s.sin_family = AF_INET;
  s.sin_port = htons(port);
  inet_pton(AF_INET, a, &s.sin_addr);
  return of(s);
}

inline Bytes lin6(const char* a, std::uint16_t port = 0, std::uint32_t scope = 0) {
  sockaddr_in6 s{};
  s.sin6_family = AF_INET6;
  s.sin6_port = htons(port);
  s.sin6_scope_id = scope;
  inet_pton(AF_INET6, a, &s.sin6_addr);
  return of(s);
}

inline Bytes bsd4(const char* a, std::uint16_t port = 0) {
  BsdSockaddrIn s{};
  s.sin_len = sizeof s;
  s.sin_family = 2;
  s.sin_port = htons(port);
  inet_pton(AF_INET, a, s.sin_addr);
  return of(s);
}

inline Bytes bsd6(const char* a, std::uint8_t af_inet6, std::uint16_t port = 0) {
  BsdSockaddrIn6 s{};
  s.sin6_len = sizeof s;
  s.sin6_family = af_inet6;
  s.sin6_port = htons(port);
  inet_pton(AF_INET6, a, s.sin6_addr);
  return of(s);
}

inline Bytes address(std::uint16_t type, std::uint8_t proto, std::uint8_t prefix, const Bytes& sockaddr) {
  sadb_address a{};
  a.sadb_address_exttype = type;
  a.sadb_address_proto = proto;
  a.sadb_address_prefixlen = prefix;
  return ext(a, sockaddr);
}

inline Bytes sa(std::uint32_t spi, std::uint8_t replay, std::uint8_t state, std::uint8_t auth, std::uint8_t enc) {
  sadb_sa s{};
  s.sadb_sa_exttype = SADB_EXT_SA;
  s.sadb_sa_spi = htonl(spi);
  s.sadb_sa_replay = replay;
  s.sadb_sa_state = state;
  s.sadb_sa_auth = auth;
  s.sadb_sa_encrypt = enc;
  return ext(s);
}

inline Bytes lifetime(std::uint16_t type, std::uint32_t alloc, std::uint64_t bytes, std::uint64_t add,
                      std::uint64_t use = 0) {
  sadb_lifetime l{};
  l.sadb_lifetime_exttype = type;
  l.sadb_lifetime_allocations = alloc;
  l.sadb_lifetime_bytes = bytes;
  l.sadb_lifetime_addtime = add;
  l.sadb_lifetime_usetime = use;
  return ext(l);
}

inline Bytes key(std::uint16_t type, const Bytes& k) {
  sadb_key s{};
  s.sadb_key_exttype = type;
  s.sadb_key_bits = static_cast<std::uint16_t>(k.size() * 8);
  return ext(s, k);
}

inline Bytes sa2(std::uint8_t mode, std::uint32_t reqid) {
  sadb_x_sa2 s{};
  s.sadb_x_sa2_exttype = SADB_X_EXT_SA2;
  s.sadb_x_sa2_mode = mode;
  s.sadb_x_sa2_reqid = reqid;
  return ext(s);
}

// linux_request builds one Linux sadb_x_ipsecrequest (length in bytes).
inline Bytes linux_request(std::uint16_t proto, std::uint8_t mode, std::uint8_t level, std::uint32_t reqid,
                           const Bytes& endpoints = {}) {
  sadb_x_ipsecrequest rq{};
  rq.sadb_x_ipsecrequest_proto = proto;
  rq.sadb_x_ipsecrequest_mode = mode;
  rq.sadb_x_ipsecrequest_level = level;
  rq.sadb_x_ipsecrequest_reqid = reqid;
  Bytes b = cat({of(rq), endpoints});
  pad8(b);
  const auto len = static_cast<std::uint16_t>(b.size());
  std::memcpy(b.data(), &len, 2);
  return b;
}

inline Bytes kame_request(std::uint16_t proto, std::uint8_t mode, std::uint8_t level, std::uint16_t reqid,
                          const Bytes& endpoints = {}) {
  KameXIpsecRequest rq{};
  rq.sadb_x_ipsecrequest_proto = proto;
  rq.sadb_x_ipsecrequest_mode = mode;
  rq.sadb_x_ipsecrequest_level = level;
  rq.sadb_x_ipsecrequest_reqid = reqid;
  Bytes b = cat({of(rq), endpoints});
  pad8(b);
  const auto len = static_cast<std::uint16_t>(b.size());
  std::memcpy(b.data(), &len, 2);
  return b;
}

inline Bytes linux_policy(std::uint16_t type, std::uint8_t dir, std::uint32_t id, std::uint32_t priority,
                          const Bytes& requests = {}) {
  sadb_x_policy p{};
  p.sadb_x_policy_exttype = SADB_X_EXT_POLICY;
  p.sadb_x_policy_type = type;
  p.sadb_x_policy_dir = dir;
  p.sadb_x_policy_id = id;
  p.sadb_x_policy_priority = priority;
  return ext(p, requests);
}

inline Bytes kame_policy(std::uint16_t type, std::uint8_t dir, std::uint32_t id, const Bytes& requests = {}) {
  KameXPolicy p{};
  p.sadb_x_policy_exttype = SADB_X_EXT_POLICY;
  p.sadb_x_policy_type = type;
  p.sadb_x_policy_dir = dir;
  p.sadb_x_policy_id = id;
  return ext(p, requests);
}

inline Bytes bytes_of(const std::string& hex) {
  Bytes b;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) b.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  return b;
}

}  // namespace layout
