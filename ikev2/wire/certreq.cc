// ikev2/wire/certreq.cc — the Certificate Request payload codec (RFC 7296 §3.7).
#include "ikev2/wire/certreq.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

core::Result<CertReqPayload> decode_certreq(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  std::uint8_t encoding = 0;
  if (!r.u8(encoding)) return core::fail(core::ErrorCode::Malformed, "CERTREQ body empty");
  CertReqPayload c;
  c.encoding = static_cast<CertEncoding>(encoding);
  auto rest = r.rest();
  c.authorities.assign(rest.begin(), rest.end());
  return c;
}

core::Status verify(const CertReqPayload& req, const VerifyContext&) {
  if (static_cast<std::uint8_t>(req.encoding) == 0) {
    return core::fail(core::ErrorCode::InvalidSyntax, "CERTREQ encoding 0 is reserved");
  }
  if (req.encoding == CertEncoding::X509Signature && req.authorities.size() % 20 != 0) {
    return core::fail(core::ErrorCode::InvalidSyntax,
                      "CERTREQ authority list of {} octets is not a list of SHA-1 hashes",
                      req.authorities.size());
  }
  return core::ok();
}

void encode(const CertReqPayload& req, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(req.encoding));
  w.bytes(req.authorities);
}

}  // namespace ikev2::wire
