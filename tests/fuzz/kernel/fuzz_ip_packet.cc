// fuzz_ip_packet — the IP packet classifier of the userspace data plane
// (kernel/userspace/packet.h): any input parses or is refused, a parse stays
// inside its bytes, and rebuilding the header of what parsed gives the same
// classification: decode(encode(decode(x))) == decode(x), where encode is
// build_ip_packet over the bytes after the header (IPv4 options and
// fragment fields are not rebuilt, so those are compared adjusted or skipped).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "kernel/userspace/packet.h"

using kernel::userspace::IpPacket;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  (void)kernel::userspace::esp_spi(in);
  auto p = kernel::userspace::parse_ip_packet(in);
  if (!p) return 0;
  if (p->header_len > p->l4_offset || p->l4_offset > p->length || p->length > size) std::abort();
  if (p->src.family() != p->dst.family()) std::abort();
  // build_ip_packet writes whole, unfragmented IPv4 datagrams.
  if (p->src.is_v4() && p->fragment) return 0;

  std::vector<std::uint8_t> rebuilt;
  auto body = in.subspan(p->header_len, p->length - p->header_len);
  if (!kernel::userspace::build_ip_packet(p->src, p->dst, p->first_next_header, p->ttl, body, rebuilt)) std::abort();
  auto again = kernel::userspace::parse_ip_packet(rebuilt);
  if (!again) std::abort();
  IpPacket want = *p;
  if (want.src.is_v4()) {  // IPv4 options are not rebuilt
    const std::size_t options = want.header_len - 20;
    want.header_len -= options;
    want.l4_offset -= options;
    want.length -= options;
  }
  if (!(*again == want)) std::abort();
  return 0;
}
