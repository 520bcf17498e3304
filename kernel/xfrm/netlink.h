// kernel/xfrm/netlink.h — netlink framing for the XFRM backend: a
// fixed-buffer message builder over libmnl, and Reader-based splitting of
// received bytes into messages and attributes.
//
// Netlink message and attribute layout (RFC 3549 §2.3.2; all fields in host
// byte order, each message and attribute padded to 4 bytes):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                          Length                             |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |            Type              |           Flags              |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                      Sequence Number                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                      Process ID (PID)                       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |   fixed struct (xfrm_usersa_info, ...), padded to 4 bytes    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Attr Length (4 + n)      |         Attr Type            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |   n bytes of attribute data, padded to 4 bytes   ...  (repeat)
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <linux/netlink.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/wire/reader.h"

namespace kernel::xfrm {

// NlMessage is one netlink request built in place in a fixed buffer, so
// encoding allocates nothing. Overflow is remembered and reported by
// status(); bytes() then still returns what fitted.
class NlMessage {
 public:
  static constexpr std::size_t kCapacity = 8192;

  NlMessage() { reset(0, 0); }
  NlMessage(std::uint16_t type, std::uint16_t flags) { reset(type, flags); }
  NlMessage(const NlMessage&) = delete;
  NlMessage& operator=(const NlMessage&) = delete;
  // ~NlMessage wipes the buffer: SA messages carry keys.
  ~NlMessage();

  // reset starts a new message (seq 0, pid 0) in the same buffer.
  void reset(std::uint16_t type, std::uint16_t flags);

  // body reserves the zeroed fixed struct that follows the header and
  // returns it for field assignment; call once, before any attribute.
  template <typename T>
  T* body() {
    return static_cast<T*>(put_body(sizeof(T)));
  }
  // put appends one attribute (mnl_attr_put_check); false on overflow.
  bool put(std::uint16_t type, const void* data, std::size_t len);
  template <typename T>
  bool put(std::uint16_t type, const T& value) {
    return put(type, &value, sizeof(T));
  }
  // reserve appends an attribute of len zeroed bytes and returns its data.
  void* reserve(std::uint16_t type, std::size_t len);

  void set_seq(std::uint32_t seq);
  // set_pid stamps the sender's port id: the kernel copies it into the
  // notifications a request causes, which tells our own changes apart.
  void set_pid(std::uint32_t pid);
  std::uint32_t seq() const;
  std::uint16_t type() const;
  std::uint16_t flags() const;
  // status fails with Internal when the message did not fit.
  core::Status status() const;
  std::span<const std::uint8_t> bytes() const;

 private:
  void* put_body(std::size_t len);
  alignas(8) std::array<std::uint8_t, kCapacity> buf_{};
  nlmsghdr* nlh_;
  bool overflow_ = false;
};

// Host-order integer reads: netlink headers and XFRM structs use the host's
// byte order (the kernel's), network-order fields use Reader's u16/u32.
bool host_u16(core::wire::Reader& r, std::uint16_t& v);
bool host_u32(core::wire::Reader& r, std::uint32_t& v);
bool host_u64(core::wire::Reader& r, std::uint64_t& v);
bool host_i32(core::wire::Reader& r, std::int32_t& v);

// NlHeader is a decoded struct nlmsghdr.
struct NlHeader {
  std::uint32_t len = 0;
  std::uint16_t type = 0, flags = 0;
  std::uint32_t seq = 0, pid = 0;
};

// next_message splits one message off stream: its header and its payload
// (len - 16 bytes). It fails, leaving stream unchanged, when the framing
// itself is broken (length < 16 or past the end): the rest of the buffer
// cannot be split any more. Trailing alignment padding is consumed.
bool next_message(core::wire::Reader& stream, NlHeader& h, core::wire::Reader& payload);

// NlAttr is one attribute: its type (flag bits masked off) and its data.
struct NlAttr {
  std::uint16_t type = 0;
  core::wire::Reader data;
};

// AttrReader walks a run of attributes: next() is false at the end, or
// when an attribute's length is broken (malformed() then is true).
class AttrReader {
 public:
  explicit AttrReader(core::wire::Reader r) : r_(r) {}
  bool next(NlAttr& a);
  bool malformed() const { return malformed_; }

 private:
  core::wire::Reader r_;
  bool malformed_ = false;
};

// skip_padding consumes the alignment padding (NLMSG_ALIGN) after a fixed
// struct of struct_size bytes, so r is left at the attributes. A message
// that ends without its padding is accepted (the kernel sets nlmsg_len
// unaligned when no attribute follows).
void skip_padding(core::wire::Reader& r, std::size_t struct_size);

// NlError is a decoded NLMSG_ERROR: errno (0 for an ACK) and the kernel's
// extended-ack message (NLMSGERR_ATTR_MSG) when present.
struct NlError {
  int error = 0;
  std::uint32_t seq = 0;
  std::string message;
};

// decode_error parses an NLMSG_ERROR payload (struct nlmsgerr, with or
// without NLM_F_CAPPED, then extended-ack attributes if NLM_F_ACK_TLVS).
core::Result<NlError> decode_error(const NlHeader& h, core::wire::Reader payload);

// kernel_error builds Error{Kernel, "<op>: <extack> (<strerror>)"}.
core::Error kernel_error(std::string_view op, int err, std::string_view extack = {});

}  // namespace kernel::xfrm
