// ikev2/wire/ts.cc — the Traffic Selector payload codec (RFC 7296 §3.13).
#include "ikev2/wire/ts.h"

#include "core/wire/reader.h"
#include "ikev2/wire/codec_util.h"

namespace ikev2::wire {

namespace {

using core::ErrorCode;

constexpr std::size_t kRangeFixed = 8;  // type, protocol, length, two ports

bool is_range(TsType t) { return t == TsType::Ipv4AddrRange || t == TsType::Ipv6AddrRange; }

core::Result<TrafficSelector> decode_selector(core::wire::Reader& r, std::size_t index) {
  std::uint8_t type = 0;
  std::uint16_t length = 0;
  TrafficSelector ts;
  if (!r.u8(type) || !r.u8(ts.ip_protocol) || !r.u16(length)) {
    return core::fail(ErrorCode::Malformed, "selector {} header truncated", index);
  }
  ts.type = static_cast<TsType>(type);
  std::size_t fixed = is_range(ts.type) ? kRangeFixed : 4;
  core::wire::Reader body;
  if (length < fixed || !r.sub(length - 4, body)) {
    return core::fail(ErrorCode::Malformed, "selector {} Selector Length {} invalid", index, length);
  }
  if (!is_range(ts.type)) {
    auto rest = body.rest();
    ts.data.assign(rest.begin(), rest.end());
    return ts;
  }
  std::size_t addresses = length - kRangeFixed;
  if (addresses % 2 != 0) {
    return core::fail(ErrorCode::Malformed, "selector {} addresses of odd total length {}", index,
                      addresses);
  }
  if (!body.u16(ts.start_port) || !body.u16(ts.end_port) ||
      !body.copy(addresses / 2, ts.start_address) || !body.copy(addresses / 2, ts.end_address)) {
    return core::fail(ErrorCode::Malformed, "selector {} truncated", index);
  }
  return ts;
}

}  // namespace

core::Result<TsPayload> decode_ts(std::span<const std::uint8_t> body, bool initiator) {
  core::wire::Reader r(body);
  std::uint8_t count = 0;
  if (!r.u8(count) || !r.skip(3)) {
    return core::fail(ErrorCode::Malformed, "TS body {} octets < 4", body.size());
  }
  TsPayload ts;
  ts.initiator = initiator;
  while (!r.empty()) {
    auto sel = decode_selector(r, ts.selectors.size() + 1);
    if (!sel) return core::fail(std::move(sel.error()));
    ts.selectors.push_back(std::move(*sel));
  }
  if (ts.selectors.size() != count) {
    return core::fail(ErrorCode::Malformed, "Number of TSs {} but {} selectors present", count,
                      ts.selectors.size());
  }
  return ts;
}

core::Status verify(const TsPayload& ts, const VerifyContext&) {
  const char* which = ts.initiator ? "TSi" : "TSr";
  if (ts.selectors.empty()) {
    return core::fail(ErrorCode::InvalidSyntax, "{} without traffic selectors", which);
  }
  for (std::size_t i = 0; i < ts.selectors.size(); ++i) {
    const TrafficSelector& s = ts.selectors[i];
    if (!is_range(s.type)) continue;
    std::size_t want = s.type == TsType::Ipv4AddrRange ? 4 : 16;
    if (s.start_address.size() != want || s.end_address.size() != want) {
      return core::fail(ErrorCode::InvalidSyntax, "{} selector {}: {} with {}-octet addresses",
                        which, i + 1, ts_type_name(s.type), s.start_address.size());
    }
  }
  return core::ok();
}

void encode(const TsPayload& ts, core::wire::Writer& w) {
  w.u8(detail::checked_u8(ts.selectors.size()));
  w.zeros(3);
  for (const auto& s : ts.selectors) {
    std::size_t start = w.size();
    w.u8(static_cast<std::uint8_t>(s.type));
    w.u8(s.ip_protocol);
    auto len = w.reserve_u16();
    if (is_range(s.type)) {
      w.u16(s.start_port);
      w.u16(s.end_port);
      w.bytes(s.start_address);
      w.bytes(s.end_address);
    } else {
      w.bytes(s.data);
    }
    detail::patch_length16(w, len, start);
  }
}

}  // namespace ikev2::wire
