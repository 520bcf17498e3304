// kernel/pfkey/sockaddr_codec.h — the sockaddr inside PF_KEY extensions.
//
// Linux (<netinet/in.h>):          KAME/BSD (4.4BSD sockaddr with sa_len):
//   sockaddr_in  = 16 bytes          sockaddr_in  = 16 bytes
//   +-------+-------+-------+        +---+---+-------+-------+
//   |family |  port |  addr |        |len|fam|  port |  addr |
//   | u16   | be16  |  4 B  |        |u8 |u8 | be16  |  4 B  | + 8 zero
//   +-------+-------+-------+        +---+---+-------+-------+
//   sockaddr_in6 = 28 bytes: family/len+family, port, flowinfo (4),
//   address (16), scope id (4, host order).
// Family numbers: AF_INET 2 everywhere; AF_INET6 10 (Linux), 24 (NetBSD),
// 28 (FreeBSD). A KAME decoder accepts 24 and 28.
#pragma once

#include <cstddef>

#include "core/result.h"
#include "core/wire/reader.h"
#include "core/wire/writer.h"
#include "kernel/pfkey/message.h"

namespace kernel::pfkey {

// sockaddr_len is sizeof(sockaddr_in) or sizeof(sockaddr_in6) for a.
std::size_t sockaddr_len(const core::net::Address& a);

// write_sockaddr appends one sockaddr for dialect d (no padding).
void write_sockaddr(core::wire::Writer& w, const SockAddr& sa, const Dialect& d);

// read_sockaddr consumes one sockaddr; fails (Malformed) on an unknown
// family, a KAME sa_len that disagrees with the family, or truncation.
core::Result<SockAddr> read_sockaddr(core::wire::Reader& r, const Dialect& d);

}  // namespace kernel::pfkey
