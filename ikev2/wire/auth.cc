// ikev2/wire/auth.cc — the Authentication payload codec (RFC 7296 §3.8, RFC 7427 §3).
#include "ikev2/wire/auth.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

core::Result<DigitalSignatureParts> split_digital_signature(const AuthPayload& auth) {
  core::wire::Reader r(auth.data);
  std::uint8_t asn1_len = 0;
  DigitalSignatureParts parts;
  if (!r.u8(asn1_len) || !r.bytes(asn1_len, parts.algorithm)) {
    return core::fail(core::ErrorCode::Malformed,
                      "AUTH digital signature: AlgorithmIdentifier runs past {} octets",
                      auth.data.size());
  }
  parts.signature = r.rest();
  if (parts.algorithm.empty() || parts.signature.empty()) {
    return core::fail(core::ErrorCode::Malformed,
                      "AUTH digital signature: empty AlgorithmIdentifier or signature");
  }
  return parts;
}

core::Result<AuthPayload> decode_auth(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  std::uint8_t method = 0;
  if (!r.u8(method) || !r.skip(3)) {
    return core::fail(core::ErrorCode::Malformed, "AUTH body {} octets < 4", body.size());
  }
  AuthPayload a;
  a.method = static_cast<AuthMethod>(method);
  auto rest = r.rest();
  a.data.assign(rest.begin(), rest.end());
  return a;
}

core::Status verify(const AuthPayload& auth, const VerifyContext&) {
  if (static_cast<std::uint8_t>(auth.method) == 0) {
    return core::fail(core::ErrorCode::InvalidSyntax, "AUTH method 0 is reserved");
  }
  if (auth.data.empty()) {
    return core::fail(core::ErrorCode::InvalidSyntax, "AUTH {} without data",
                      auth_method_name(auth.method));
  }
  if (auth.method == AuthMethod::DigitalSignature) {
    if (auto parts = split_digital_signature(auth); !parts) {
      return core::fail(core::ErrorCode::InvalidSyntax, "{}", parts.error().detail);
    }
  }
  return core::ok();
}

void encode(const AuthPayload& auth, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(auth.method));
  w.zeros(3);
  w.bytes(auth.data);
}

}  // namespace ikev2::wire
