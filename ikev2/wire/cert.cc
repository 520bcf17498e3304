// ikev2/wire/cert.cc — the Certificate payload codec (RFC 7296 §3.6).
#include "ikev2/wire/cert.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

namespace {

constexpr std::size_t kSha1Size = 20;

}  // namespace

core::Result<CertPayload> decode_cert(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  std::uint8_t encoding = 0;
  if (!r.u8(encoding)) return core::fail(core::ErrorCode::Malformed, "CERT body empty");
  CertPayload c;
  c.encoding = static_cast<CertEncoding>(encoding);
  auto rest = r.rest();
  c.data.assign(rest.begin(), rest.end());
  return c;
}

core::Status verify(const CertPayload& cert, const VerifyContext&) {
  if (static_cast<std::uint8_t>(cert.encoding) == 0) {
    return core::fail(core::ErrorCode::InvalidSyntax, "CERT encoding 0 is reserved");
  }
  if (cert.data.empty()) {
    return core::fail(core::ErrorCode::InvalidSyntax, "CERT {} without data",
                      cert_encoding_name(cert.encoding));
  }
  bool hash_url = cert.encoding == CertEncoding::HashUrlX509Cert ||
                  cert.encoding == CertEncoding::HashUrlX509Bundle;
  if (hash_url && cert.data.size() <= kSha1Size) {
    return core::fail(core::ErrorCode::InvalidSyntax, "CERT {} of {} octets has no URL",
                      cert_encoding_name(cert.encoding), cert.data.size());
  }
  return core::ok();
}

void encode(const CertPayload& cert, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(cert.encoding));
  w.bytes(cert.data);
}

}  // namespace ikev2::wire
