// tests/unit/kernel/xfrm/nl_builder.h — builds netlink messages for the
// XFRM tests straight from linux/xfrm.h structs and nlattr headers, without
// libmnl or the encoders under test, so expected bytes are independent.
#pragma once

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "core/net/address.h"

namespace xfrm_test {

// Msg appends a header, one fixed struct and attributes, each padded to 4.
class Msg {
 public:
  Msg(std::uint16_t type, std::uint16_t flags, std::uint32_t seq = 0, std::uint32_t pid = 0) {
    nlmsghdr h{};
    h.nlmsg_type = type;
    h.nlmsg_flags = flags;
    h.nlmsg_seq = seq;
    h.nlmsg_pid = pid;
    raw(&h, sizeof(h));
  }
  template <typename T>
  Msg& body(const T& t) {
    raw(&t, sizeof(T));
    pad();
    return *this;
  }
  Msg& attr(std::uint16_t type, const void* data, std::size_t len) {
    nlattr a{};
    a.nla_len = static_cast<std::uint16_t>(NLA_HDRLEN + len);
    a.nla_type = type;
    raw(&a, sizeof(a));
    raw(data, len);
    pad();
    return *this;
  }
  template <typename T>
  Msg& attr(std::uint16_t type, const T& t) {
    return attr(type, &t, sizeof(T));
  }
  // bytes returns the message with nlmsg_len patched in.
  std::vector<std::uint8_t> bytes() const {
    std::vector<std::uint8_t> out = b_;
    std::uint32_t len = static_cast<std::uint32_t>(out.size());
    std::memcpy(out.data(), &len, 4);
    return out;
  }
  // payload returns the bytes after the 16-byte header.
  std::vector<std::uint8_t> payload() const {
    auto all = bytes();
    return {all.begin() + NLMSG_HDRLEN, all.end()};
  }

 private:
  void raw(const void* p, std::size_t n) {
    std::size_t at = b_.size();
    b_.resize(at + n);
    if (n != 0) std::memcpy(b_.data() + at, p, n);
  }
  void pad() { b_.resize((b_.size() + 3) & ~std::size_t{3}, 0); }
  std::vector<std::uint8_t> b_;
};

// algo builds struct xfrm_algo (+ key) as attribute data.
inline std::vector<std::uint8_t> algo(std::string_view name, std::span<const std::uint8_t> key) {
  std::vector<std::uint8_t> out(sizeof(xfrm_algo) + key.size(), 0);
  xfrm_algo a;
  std::memset(&a, 0, sizeof(a));
  std::memcpy(a.alg_name, name.data(), name.size());
  a.alg_key_len = static_cast<unsigned>(key.size() * 8);
  std::memcpy(out.data(), &a, sizeof(a));
  std::memcpy(out.data() + sizeof(a), key.data(), key.size());
  return out;
}

// algo_sized builds xfrm_algo_auth / xfrm_algo_aead (same layout: name,
// key length, truncation or ICV length, key).
inline std::vector<std::uint8_t> algo_sized(std::string_view name, unsigned bits,
                                            std::span<const std::uint8_t> key) {
  std::vector<std::uint8_t> out(sizeof(xfrm_algo_auth) + key.size(), 0);
  xfrm_algo_auth a;
  std::memset(&a, 0, sizeof(a));
  std::memcpy(a.alg_name, name.data(), name.size());
  a.alg_key_len = static_cast<unsigned>(key.size() * 8);
  a.alg_trunc_len = bits;
  std::memcpy(out.data(), &a, sizeof(a));
  std::memcpy(out.data() + sizeof(a), key.data(), key.size());
  return out;
}

inline xfrm_address_t xaddr(const char* text) {
  xfrm_address_t x;
  std::memset(&x, 0, sizeof(x));
  auto a = *core::net::Address::parse(text);
  std::memcpy(&x, a.bytes().data(), a.size());
  return x;
}

inline std::uint16_t fam(const char* text) {
  return core::net::Address::parse(text)->is_v4() ? AF_INET : AF_INET6;
}

// sel builds a struct xfrm_selector (ports and masks in host order here,
// stored in network order).
inline xfrm_selector sel(const char* src, int slen, const char* dst, int dlen,
                         std::uint8_t proto = 0, std::uint16_t sport = 0,
                         std::uint16_t smask = 0, std::uint16_t dport = 0,
                         std::uint16_t dmask = 0) {
  xfrm_selector s;
  std::memset(&s, 0, sizeof(s));
  s.saddr = xaddr(src);
  s.daddr = xaddr(dst);
  s.family = fam(src);
  s.prefixlen_s = static_cast<std::uint8_t>(slen);
  s.prefixlen_d = static_cast<std::uint8_t>(dlen);
  s.proto = proto;
  s.sport = htons(sport);
  s.sport_mask = htons(smask);
  s.dport = htons(dport);
  s.dport_mask = htons(dmask);
  return s;
}

inline void infinite(xfrm_lifetime_cfg& l) {
  l.soft_byte_limit = l.hard_byte_limit = XFRM_INF;
  l.soft_packet_limit = l.hard_packet_limit = XFRM_INF;
}

}  // namespace xfrm_test
