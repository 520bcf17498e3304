// kink/wire/message.cc — KINK message, payload chain and checksum codecs
// (RFC 4430 §4, §4.1, §4.2.7).
#include "kink/wire/message.h"

#include <cassert>

#include <fmt/format.h>

#include "core/wire/reader.h"
#include "core/wire/writer.h"
#include "kink/wire/codec_util.h"

namespace kink::wire {

namespace {

// kEncryptFixedSize is InnerNextPload plus RESERVED2 (RFC 4430 §4.2.7).
constexpr std::size_t kEncryptFixedSize = 4;

tl::unexpected<DecodeError> error_at(DecodeFault fault, PayloadType type, std::size_t offset,
                                     std::string detail) {
  DecodeError e;
  e.fault = fault;
  e.payload_type = type;
  e.offset = offset;
  e.detail = std::move(detail);
  return tl::unexpected<DecodeError>(std::move(e));
}

// ChainMode says which chain is walked: the outer chain of a message, where
// KINK_ENCRYPT must come last and only padding may follow the last payload,
// or the decrypted inner chain, which cannot hold KINK_ENCRYPT and may be
// followed by the enctype's padding.
enum class ChainMode { Outer, Inner };

// walk_chain decodes the chain starting with type first in data. base is
// data's offset within the buffer error offsets refer to, and is a multiple
// of 4, so alignment within data is alignment within the message.
DecodeResult<std::vector<Payload>> walk_chain(PayloadType first, std::span<const std::uint8_t> data,
                                              std::uint32_t doi, std::size_t base, ChainMode mode) {
  core::wire::Reader r(data);
  std::vector<Payload> out;
  PayloadType type = first;
  while (type != PayloadType::Done) {
    std::size_t offset = base + (data.size() - r.remaining());
    std::uint8_t next = 0, reserved = 0;
    std::uint16_t length = 0;
    std::span<const std::uint8_t> body;
    if (!r.u8(next) || !r.u8(reserved) || !r.u16(length)) {
      return error_at(DecodeFault::Malformed, type, offset,
                      fmt::format("{} payload at offset {}: generic header truncated ({} octets left)",
                                  payload_type_name(type), offset, r.remaining()));
    }
    if (length < kGenericHeaderSize || !r.bytes(length - kGenericHeaderSize, body)) {
      return error_at(DecodeFault::Malformed, type, offset,
                      fmt::format("{} payload at offset {}: Payload Length {} invalid ({} octets follow "
                                  "its header)",
                                  payload_type_name(type), offset, length, r.remaining()));
    }
    if (type == PayloadType::Encrypt && mode == ChainMode::Inner) {
      return error_at(DecodeFault::InvalidSyntax, type, offset,
                      fmt::format("KINK_ENCRYPT payload at offset {} inside KINK_ENCRYPT", offset));
    }
    auto p = decode_payload(type, body, doi, offset);
    if (!p) return tl::unexpected<DecodeError>(std::move(p.error()));
    out.push_back(std::move(*p));
    // RFC 4430 §4.1: the next payload starts on a 4-octet boundary; the
    // padding is not part of Payload Length. A sender may omit it after
    // the last payload when no Cksum follows.
    std::size_t pad = detail::padding_after(length, kPayloadAlign);
    if (r.remaining() >= pad) {
      r.skip(pad);
    } else if (next == 0) {
      r.skip(r.remaining());
    } else {
      return error_at(DecodeFault::Malformed, type, offset,
                      fmt::format("{} payload at offset {}: padding truncated", payload_type_name(type),
                                  offset));
    }
    type = static_cast<PayloadType>(next);
    // RFC 4430 §4.2.7: KINK_ENCRYPT "MUST be the final one in the outer
    // payload chain".
    if (payload_type(out.back()) == PayloadType::Encrypt && type != PayloadType::Done) {
      return error_at(DecodeFault::InvalidSyntax, PayloadType::Encrypt, offset,
                      fmt::format("KINK_ENCRYPT payload at offset {} is followed by {}", offset,
                                  payload_type_name(type)));
    }
  }
  if (!r.empty() && mode == ChainMode::Outer) {
    std::size_t offset = base + (data.size() - r.remaining());
    return error_at(DecodeFault::Malformed, PayloadType::Done, offset,
                    fmt::format("{} octets after the last payload at offset {}", r.remaining(), offset));
  }
  return out;
}

// write_chain appends payloads with their generic headers, each padded to
// 4 octets. The writer's size is a multiple of 4 when it is called.
void write_chain(const std::vector<Payload>& payloads, core::wire::Writer& w, ChainMode mode) {
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    PayloadType type = payload_type(payloads[i]);
    assert((type != PayloadType::Encrypt || (mode == ChainMode::Outer && i + 1 == payloads.size())) &&
           "KINK_ENCRYPT must be the last outer payload");
    PayloadType next = i + 1 < payloads.size() ? payload_type(payloads[i + 1]) : PayloadType::Done;
    std::size_t start = w.size();
    w.u8(static_cast<std::uint8_t>(next));
    w.u8(0);
    auto len = w.reserve_u16();
    encode_payload_body(payloads[i], w);
    detail::patch_length16(w, len, start);
    w.pad_to(kPayloadAlign);
  }
  (void)mode;
}

}  // namespace

DecodeResult<Message> decode_message(std::span<const std::uint8_t> datagram) {
  auto raw = decode_header(datagram);
  if (!raw) return error_at(DecodeFault::Malformed, PayloadType::Done, 0, raw.error().detail);
  const Header& h = raw->header;
  auto fail_with_header = [&h](DecodeError e) {
    e.header = h;
    return tl::unexpected<DecodeError>(std::move(e));
  };
  // The version decides how the rest is framed, so it is checked first.
  if (auto v = verify_version(h); !v) {
    return fail_with_header({DecodeFault::InvalidMajorVersion, PayloadType::Done, {}, 0, v.error().detail, {}});
  }
  if (raw->length < kHeaderSize || raw->length > datagram.size()) {
    return fail_with_header({DecodeFault::Malformed, PayloadType::Done, {}, 0,
                             fmt::format("KINK Length {} but the datagram has {} octets", raw->length,
                                         datagram.size()),
                             {}});
  }
  if (raw->cksum_len > raw->length - kHeaderSize) {
    return fail_with_header({DecodeFault::Malformed, PayloadType::Done, {}, kCksumLenOffset,
                             fmt::format("CksumLen {} exceeds the {} octets after the header",
                                         raw->cksum_len, raw->length - kHeaderSize),
                             {}});
  }
  if (auto d = verify_doi(h); !d) {
    return fail_with_header({DecodeFault::InvalidDoi, PayloadType::Done, {}, 4, d.error().detail, {}});
  }
  std::span<const std::uint8_t> message = datagram.first(raw->length);
  std::size_t payloads_end = raw->length - raw->cksum_len;
  // A sender may leave out the last payload's padding; re-encoded, the
  // message must still fit the 16-bit Length.
  if (raw->length + detail::padding_after(payloads_end, kPayloadAlign) > 0xffff) {
    return fail_with_header({DecodeFault::Malformed, PayloadType::Done, {}, 0,
                             fmt::format("Length {} leaves no room for the padding of the last payload",
                                         raw->length),
                             {}});
  }
  auto chain = walk_chain(raw->next_payload, message.subspan(kHeaderSize, payloads_end - kHeaderSize), h.doi,
                          kHeaderSize, ChainMode::Outer);
  if (!chain) return fail_with_header(std::move(chain.error()));
  Message m;
  m.header = h;
  m.payloads = std::move(*chain);
  m.checksum = detail::to_vec(message.subspan(payloads_end));
  return m;
}

std::vector<std::uint8_t> encode_message(const Message& m) {
  core::wire::Writer w;
  RawHeader raw;
  raw.header = m.header;
  raw.next_payload = m.payloads.empty() ? PayloadType::Done : payload_type(m.payloads.front());
  raw.cksum_len = detail::checked_u16(m.checksum.size());
  encode_header(raw, w);
  write_chain(m.payloads, w, ChainMode::Outer);
  w.bytes(m.checksum);
  w.patch_u16(core::wire::Writer::Mark{kLengthOffset}, detail::checked_u16(w.size()));
  return w.take();
}

core::Result<std::vector<std::uint8_t>> checksum_input(std::span<const std::uint8_t> message) {
  auto raw = decode_header(message);
  if (!raw) return core::fail(std::move(raw.error()));
  if (raw->length < kHeaderSize || raw->length > message.size() ||
      raw->cksum_len > raw->length - kHeaderSize) {
    return core::fail(core::ErrorCode::Malformed, "KINK Length {} / CksumLen {} do not fit {} octets",
                      raw->length, raw->cksum_len, message.size());
  }
  std::size_t covered = raw->length - raw->cksum_len;
  core::wire::Writer w;
  w.bytes(message.first(covered));
  w.patch_u16(core::wire::Writer::Mark{kLengthOffset}, static_cast<std::uint16_t>(covered));
  w.patch_u16(core::wire::Writer::Mark{kCksumLenOffset}, 0);
  return w.take();
}

core::Status append_checksum(std::vector<std::uint8_t>& message, std::span<const std::uint8_t> cksum) {
  auto raw = decode_header(message);
  if (!raw || raw->cksum_len != 0 || raw->length != message.size()) {
    return core::fail(core::ErrorCode::Internal, "append_checksum needs a message encoded without Cksum");
  }
  if (message.size() + cksum.size() > 0xffff) {
    return core::fail(core::ErrorCode::Internal, "message of {} octets with a {}-octet Cksum exceeds Length",
                      message.size(), cksum.size());
  }
  core::wire::Writer w;
  w.bytes(message);
  w.bytes(cksum);
  w.patch_u16(core::wire::Writer::Mark{kLengthOffset}, static_cast<std::uint16_t>(w.size()));
  w.patch_u16(core::wire::Writer::Mark{kCksumLenOffset}, static_cast<std::uint16_t>(cksum.size()));
  message = w.take();
  return core::ok();
}

DecodeResult<std::vector<Payload>> decode_encrypt_plaintext(std::span<const std::uint8_t> plaintext,
                                                           std::uint32_t doi) {
  core::wire::Reader r(plaintext);
  std::uint8_t inner = 0;
  if (!r.u8(inner) || !r.skip(kEncryptFixedSize - 1)) {
    return error_at(DecodeFault::Malformed, PayloadType::Encrypt, 0,
                    fmt::format("KINK_ENCRYPT plaintext {} octets < {}", plaintext.size(), kEncryptFixedSize));
  }
  return walk_chain(static_cast<PayloadType>(inner), r.rest(), doi, kEncryptFixedSize, ChainMode::Inner);
}

std::vector<std::uint8_t> encode_encrypt_plaintext(const std::vector<Payload>& payloads) {
  core::wire::Writer w;
  w.u8(static_cast<std::uint8_t>(payloads.empty() ? PayloadType::Done : payload_type(payloads.front())));
  w.zeros(kEncryptFixedSize - 1);
  write_chain(payloads, w, ChainMode::Inner);
  return w.take();
}

}  // namespace kink::wire
