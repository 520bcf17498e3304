// kink/wire/tgt.cc — KINK_TGT_REQ and KINK_TGT_REP codecs (RFC 4430 §4.2.4, §4.2.5).
#include "kink/wire/tgt.h"

#include "kink/wire/codec_util.h"

namespace kink::wire {

namespace {

// kTagTicket is the DER identifier of a Ticket, [APPLICATION 1] (RFC 4120 §5.3).
constexpr std::uint8_t kTagTicket = 0x61;

}  // namespace

TgtReqPayload TgtReqPayload::make(std::string_view principal, std::string_view realm) {
  TgtReqPayload p;
  p.princ_name.assign(principal);
  p.princ_name.push_back('@');
  for (char c : realm) {
    // RFC 1964 §2.1.1: '@', '/' and '\' inside a component are escaped.
    if (c == '@' || c == '/' || c == '\\') p.princ_name.push_back('\\');
    p.princ_name.push_back(c);
  }
  return p;
}

std::optional<std::pair<std::string_view, std::string_view>> TgtReqPayload::split() const {
  std::string_view s = princ_name;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // the next character is escaped, whatever it is
      continue;
    }
    if (s[i] == '@') return std::make_pair(s.substr(0, i), s.substr(i + 1));
  }
  return std::nullopt;
}

core::Result<TgtReqPayload> decode_tgt_req(std::span<const std::uint8_t> body) {
  return TgtReqPayload{std::string(body.begin(), body.end())};
}

core::Result<TgtRepPayload> decode_tgt_rep(std::span<const std::uint8_t> body) {
  return TgtRepPayload{detail::to_vec(body)};
}

core::Status verify(const TgtReqPayload& p) {
  auto parts = p.split();
  if (!parts) {
    return core::fail(core::ErrorCode::InvalidSyntax, "KINK_TGT_REQ PrincName '{}' names no realm",
                      p.princ_name);
  }
  if (parts->first.empty() || parts->second.empty()) {
    return core::fail(core::ErrorCode::InvalidSyntax,
                      "KINK_TGT_REQ PrincName '{}' has an empty principal or realm", p.princ_name);
  }
  return core::ok();
}

core::Status verify(const TgtRepPayload& p) {
  if (p.tgt.empty()) return core::fail(core::ErrorCode::InvalidSyntax, "KINK_TGT_REP carries no TGT");
  if (p.tgt[0] != kTagTicket) {
    return core::fail(core::ErrorCode::InvalidSyntax,
                      "KINK_TGT_REP TGT starts with 0x{:02x}, not the Ticket tag 0x{:02x}", p.tgt[0],
                      kTagTicket);
  }
  return core::ok();
}

void encode(const TgtReqPayload& p, core::wire::Writer& w) { w.bytes(p.princ_name); }

void encode(const TgtRepPayload& p, core::wire::Writer& w) { w.bytes(p.tgt); }

}  // namespace kink::wire
