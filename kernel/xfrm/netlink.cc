#include "kernel/xfrm/netlink.h"

#include <libmnl/libmnl.h>

#include <algorithm>
#include <bit>
#include <cstring>

namespace kernel::xfrm {

using core::wire::Reader;

NlMessage::~NlMessage() { explicit_bzero(buf_.data(), buf_.size()); }

void NlMessage::reset(std::uint16_t type, std::uint16_t flags) {
  // Attributes are copied and padded by libmnl, bodies zeroed by
  // mnl_nlmsg_put_extra_header: nothing of the previous message leaks.
  nlh_ = mnl_nlmsg_put_header(buf_.data());
  nlh_->nlmsg_type = type;
  nlh_->nlmsg_flags = flags;
  overflow_ = false;
}

void* NlMessage::put_body(std::size_t len) {
  if (overflow_ || nlh_->nlmsg_len + MNL_ALIGN(len) > buf_.size()) {
    overflow_ = true;
    return nullptr;
  }
  return mnl_nlmsg_put_extra_header(nlh_, len);  // zeroed by libmnl
}

bool NlMessage::put(std::uint16_t type, const void* data, std::size_t len) {
  if (overflow_ || !mnl_attr_put_check(nlh_, buf_.size(), type, len, data)) overflow_ = true;
  return !overflow_;
}

void* NlMessage::reserve(std::uint16_t type, std::size_t len) {
  // mnl_attr_put without the copy: header, then len zeroed (padded) bytes.
  if (overflow_ || len > 0xffff - MNL_ATTR_HDRLEN ||
      nlh_->nlmsg_len + MNL_ATTR_HDRLEN + MNL_ALIGN(len) > buf_.size()) {
    overflow_ = true;
    return nullptr;
  }
  auto* attr = static_cast<nlattr*>(mnl_nlmsg_get_payload_tail(nlh_));
  attr->nla_type = type;
  attr->nla_len = static_cast<std::uint16_t>(MNL_ATTR_HDRLEN + len);
  void* data = mnl_attr_get_payload(attr);
  std::memset(data, 0, MNL_ALIGN(len));
  nlh_->nlmsg_len += MNL_ALIGN(attr->nla_len);
  return data;
}

void NlMessage::set_seq(std::uint32_t seq) { nlh_->nlmsg_seq = seq; }
void NlMessage::set_pid(std::uint32_t pid) { nlh_->nlmsg_pid = pid; }
std::uint32_t NlMessage::seq() const { return nlh_->nlmsg_seq; }
std::uint16_t NlMessage::type() const { return nlh_->nlmsg_type; }
std::uint16_t NlMessage::flags() const { return nlh_->nlmsg_flags; }

core::Status NlMessage::status() const {
  if (overflow_)
    return core::fail(core::ErrorCode::Internal, "netlink message type {} exceeds {} bytes",
                      nlh_->nlmsg_type, kCapacity);
  return core::ok();
}

std::span<const std::uint8_t> NlMessage::bytes() const {
  return {buf_.data(), nlh_->nlmsg_len};
}

bool host_u16(Reader& r, std::uint16_t& v) {
  if constexpr (std::endian::native == std::endian::little) return r.u16_le(v);
  return r.u16(v);
}

bool host_u32(Reader& r, std::uint32_t& v) {
  if constexpr (std::endian::native == std::endian::little) return r.u32_le(v);
  return r.u32(v);
}

bool host_u64(Reader& r, std::uint64_t& v) {
  if constexpr (std::endian::native == std::endian::little) return r.u64_le(v);
  return r.u64(v);
}

bool host_i32(Reader& r, std::int32_t& v) {
  std::uint32_t u = 0;
  if (!host_u32(r, u)) return false;
  v = static_cast<std::int32_t>(u);
  return true;
}

bool next_message(Reader& stream, NlHeader& h, Reader& payload) {
  Reader r = stream;
  NlHeader t;
  if (!host_u32(r, t.len) || !host_u16(r, t.type) || !host_u16(r, t.flags) ||
      !host_u32(r, t.seq) || !host_u32(r, t.pid))
    return false;
  // The length frames the whole stream: one that is too short or runs past
  // the buffer leaves no way to find the next message.
  if (t.len < NLMSG_HDRLEN || t.len - NLMSG_HDRLEN > r.remaining()) return false;
  Reader body;
  if (!r.sub(t.len - NLMSG_HDRLEN, body)) return false;
  r.skip(std::min<std::size_t>(NLMSG_ALIGN(t.len) - t.len, r.remaining()));
  h = t;
  payload = body;
  stream = r;
  return true;
}

bool AttrReader::next(NlAttr& a) {
  if (r_.empty()) return false;
  std::uint16_t len = 0, type = 0;
  Reader body;
  if (!host_u16(r_, len) || !host_u16(r_, type) || len < NLA_HDRLEN ||
      !r_.sub(len - NLA_HDRLEN, body)) {
    malformed_ = true;
    return false;
  }
  r_.skip(std::min<std::size_t>(NLA_ALIGN(len) - len, r_.remaining()));
  a.type = type & NLA_TYPE_MASK;
  a.data = body;
  return true;
}

void skip_padding(Reader& r, std::size_t struct_size) {
  r.skip(std::min<std::size_t>(NLMSG_ALIGN(struct_size) - struct_size, r.remaining()));
}

core::Result<NlError> decode_error(const NlHeader& h, Reader payload) {
  // struct nlmsgerr { int error; struct nlmsghdr msg; }, then the request's
  // payload unless NLM_F_CAPPED, then extended-ack TLVs if NLM_F_ACK_TLVS.
  NlError e;
  std::int32_t err = 0;
  std::uint32_t orig_len = 0, orig_pid = 0;
  std::uint16_t orig_type = 0, orig_flags = 0;
  if (!host_i32(payload, err) || !host_u32(payload, orig_len) || !host_u16(payload, orig_type) ||
      !host_u16(payload, orig_flags) || !host_u32(payload, e.seq) || !host_u32(payload, orig_pid))
    return core::fail(core::ErrorCode::Malformed, "netlink error message too short");
  e.error = err < 0 ? -err : err;
  if (!(h.flags & NLM_F_CAPPED) && orig_len > NLMSG_HDRLEN) {
    std::size_t echoed = NLMSG_ALIGN(orig_len) - NLMSG_HDRLEN;
    if (!payload.skip(std::min(echoed, payload.remaining()))) return e;
  }
  if (!(h.flags & NLM_F_ACK_TLVS)) return e;
  AttrReader attrs(payload);
  NlAttr a;
  while (attrs.next(a)) {
    if (a.type != NLMSGERR_ATTR_MSG) continue;
    std::string text;
    a.data.string(a.data.remaining(), text);
    while (!text.empty() && (text.back() == '\0' || text.back() == '.')) text.pop_back();
    e.message = std::move(text);
  }
  return e;
}

core::Error kernel_error(std::string_view op, int err, std::string_view extack) {
  if (extack.empty())
    return core::Error{core::ErrorCode::Kernel, fmt::format("{}: {}", op, std::strerror(err))};
  return core::Error{core::ErrorCode::Kernel,
                     fmt::format("{}: {} ({})", op, extack, std::strerror(err))};
}

}  // namespace kernel::xfrm
