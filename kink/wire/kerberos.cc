// kink/wire/kerberos.cc — KINK_AP_REQ, KINK_AP_REP and KINK_KRB_ERROR
// codecs (RFC 4430 §4.2.1-§4.2.3).
#include "kink/wire/kerberos.h"

#include <string_view>

#include "core/wire/reader.h"
#include "kink/wire/codec_util.h"

namespace kink::wire {

namespace {

// DER identifier octets of the Kerberos messages (RFC 4120 §5.5.1, §5.5.2,
// §5.9.1): constructed, application class, tag 14 / 15 / 30.
constexpr std::uint8_t kTagApReq = 0x6e;
constexpr std::uint8_t kTagApRep = 0x6f;
constexpr std::uint8_t kTagKrbError = 0x7e;

core::Status check_der(std::span<const std::uint8_t> der, std::uint8_t tag, std::string_view what) {
  if (der.empty()) return core::fail(core::ErrorCode::InvalidSyntax, "{} is empty", what);
  if (der[0] != tag) {
    return core::fail(core::ErrorCode::InvalidSyntax, "{} starts with 0x{:02x}, not its DER tag 0x{:02x}",
                      what, der[0], tag);
  }
  return core::ok();
}

// decode_epoch splits EPOCH off the body of an AP_REQ/AP_REP.
bool decode_epoch(std::span<const std::uint8_t> body, std::uint32_t& epoch,
                  std::vector<std::uint8_t>& rest) {
  core::wire::Reader r(body);
  if (!r.u32(epoch)) return false;
  rest = detail::to_vec(r.rest());
  return true;
}

}  // namespace

core::Result<ApReqPayload> decode_ap_req(std::span<const std::uint8_t> body) {
  ApReqPayload p;
  if (!decode_epoch(body, p.epoch, p.krb_ap_req)) {
    return core::fail(core::ErrorCode::Malformed, "KINK_AP_REQ body {} octets < 4 (EPOCH)", body.size());
  }
  return p;
}

core::Result<ApRepPayload> decode_ap_rep(std::span<const std::uint8_t> body) {
  ApRepPayload p;
  if (!decode_epoch(body, p.epoch, p.krb_ap_rep)) {
    return core::fail(core::ErrorCode::Malformed, "KINK_AP_REP body {} octets < 4 (EPOCH)", body.size());
  }
  return p;
}

core::Result<KrbErrorPayload> decode_krb_error(std::span<const std::uint8_t> body) {
  return KrbErrorPayload{detail::to_vec(body)};
}

core::Status verify(const ApReqPayload& p) { return check_der(p.krb_ap_req, kTagApReq, "KRB_AP_REQ"); }
core::Status verify(const ApRepPayload& p) { return check_der(p.krb_ap_rep, kTagApRep, "KRB_AP_REP"); }
core::Status verify(const KrbErrorPayload& p) {
  return check_der(p.krb_error, kTagKrbError, "KRB_ERROR");
}

void encode(const ApReqPayload& p, core::wire::Writer& w) {
  w.u32(p.epoch);
  w.bytes(p.krb_ap_req);
}

void encode(const ApRepPayload& p, core::wire::Writer& w) {
  w.u32(p.epoch);
  w.bytes(p.krb_ap_rep);
}

void encode(const KrbErrorPayload& p, core::wire::Writer& w) { w.bytes(p.krb_error); }

}  // namespace kink::wire
