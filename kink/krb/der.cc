// kink/krb/der.cc — reading an AP-REQ's authenticator time (see der.h).
#include "kink/krb/der.h"

#include <krb5/krb5.h>

#include <ctime>
#include <optional>

#include "core/crypto/secure_buffer.h"
#include "core/wire/reader.h"

namespace kink::krb {

using core::ErrorCode;
using core::fail;
using Span = std::span<const std::uint8_t>;

namespace {

constexpr std::uint8_t kSequence = 0x30;
constexpr std::uint8_t kInteger = 0x02;
constexpr std::uint8_t kOctetString = 0x04;
constexpr std::uint8_t kGeneralizedTime = 0x18;
constexpr std::uint8_t kApReqTag = 0x6e;         // [APPLICATION 14]
constexpr std::uint8_t kAuthenticatorTag = 0x62;  // [APPLICATION 2]
constexpr krb5_keyusage kUsageApReqAuthenticator = 11;  // RFC 4120 §7.5.1

// read_tlv reads one DER element: a one-octet tag (RFC 4120 uses no tag
// number above 30) and a definite length of at most four octets.
bool read_tlv(core::wire::Reader& r, std::uint8_t& tag, Span& body) {
  std::uint8_t first = 0;
  if (!r.u8(tag) || (tag & 0x1f) == 0x1f || !r.u8(first)) return false;
  std::size_t len = first;
  if ((first & 0x80) != 0) {
    std::size_t n = first & 0x7f;
    if (n == 0 || n > 4) return false;  // indefinite or absurd
    len = 0;
    for (std::size_t i = 0; i < n; ++i) {
      std::uint8_t b = 0;
      if (!r.u8(b)) return false;
      len = (len << 8) | b;
    }
  }
  return r.bytes(len, body);
}

// expect reads exactly one element with tag from all of in.
bool expect(Span in, std::uint8_t tag, Span& body) {
  core::wire::Reader r(in);
  std::uint8_t t = 0;
  return read_tlv(r, t, body) && t == tag && r.empty();
}

// field finds the explicit context tag [n] among the elements of a SEQUENCE
// body and returns the element inside it.
bool field(Span seq_body, int n, Span& inner) {
  core::wire::Reader r(seq_body);
  while (!r.empty()) {
    std::uint8_t t = 0;
    Span body;
    if (!read_tlv(r, t, body)) return false;
    if (t == (0xa0 | n)) {
      inner = body;
      return true;
    }
  }
  return false;
}

std::optional<std::int64_t> integer(Span element) {
  Span v;
  if (!expect(element, kInteger, v) || v.empty() || v.size() > 8) return std::nullopt;
  std::int64_t out = (v[0] & 0x80) != 0 ? -1 : 0;
  for (std::uint8_t b : v) out = static_cast<std::int64_t>((static_cast<std::uint64_t>(out) << 8) | b);
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_generalized_time(Span text) {
  if (text.size() != 15 || text[14] != 'Z') return std::nullopt;
  int f[6] = {};
  const int widths[6] = {4, 2, 2, 2, 2, 2};
  std::size_t pos = 0;
  for (int i = 0; i < 6; ++i) {
    for (int k = 0; k < widths[i]; ++k, ++pos) {
      if (text[pos] < '0' || text[pos] > '9') return std::nullopt;
      f[i] = f[i] * 10 + (text[pos] - '0');
    }
  }
  if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = f[0] - 1900;
  tm.tm_mon = f[1] - 1;
  tm.tm_mday = f[2];
  tm.tm_hour = f[3];
  tm.tm_min = f[4];
  tm.tm_sec = f[5];
  return static_cast<std::int64_t>(timegm(&tm));
}

core::Status check_envelope(Span der, int app, int msg_type) {
  Span body, seq, pvno_field, type_field;
  if (!expect(der, static_cast<std::uint8_t>(0x60 | app), body) || !expect(body, kSequence, seq) ||
      !field(seq, 0, pvno_field) || !field(seq, 1, type_field)) {
    return fail(ErrorCode::Malformed, "not one DER [APPLICATION {}] message", app);
  }
  auto pvno = integer(pvno_field);
  auto type = integer(type_field);
  if (!pvno || *pvno != 5 || !type || *type != msg_type) {
    return fail(ErrorCode::Malformed, "pvno/msg-type of [APPLICATION {}] is not 5/{}", app, msg_type);
  }
  return core::ok();
}

core::Result<ClientTime> ap_req_client_time(const Context& ctx, Span ap_req, const SessionKey& key) {
  Span app, seq, auth_field, enc, etype_field, cipher_field, cipher;
  if (!expect(ap_req, kApReqTag, app) || !expect(app, kSequence, seq) || !field(seq, 4, auth_field) ||
      !expect(auth_field, kSequence, enc) || !field(enc, 0, etype_field) || !field(enc, 2, cipher_field) ||
      !expect(cipher_field, kOctetString, cipher)) {
    return fail(ErrorCode::Malformed, "AP-REQ without a readable authenticator");
  }
  auto etype = integer(etype_field);
  if (!etype || *etype != key.enctype) return fail(ErrorCode::Malformed, "AP-REQ authenticator etype mismatch");

  core::crypto::SecureBytes plain(cipher.size());
  krb5_keyblock kb{};
  kb.magic = KV5M_KEYBLOCK;
  kb.enctype = key.enctype;
  kb.length = static_cast<unsigned int>(key.bytes.size());
  kb.contents = const_cast<krb5_octet*>(key.bytes.data());
  krb5_enc_data in{};
  in.magic = KV5M_ENC_DATA;
  in.enctype = key.enctype;
  in.ciphertext = as_data(cipher);
  krb5_data out{};
  out.magic = KV5M_DATA;
  out.length = static_cast<unsigned int>(plain.size());
  out.data = reinterpret_cast<char*>(plain.data());
  krb5_error_code r = krb5_c_decrypt(ctx.get(), &kb, kUsageApReqAuthenticator, nullptr, &in, &out);
  if (r != 0) return fail(ErrorCode::AuthFailed, "authenticator does not decrypt: {}", ctx.message(r));
  plain.resize(out.length);

  Span a_app, a_seq, cusec_field, ctime_field, ctime_text;
  if (!expect(plain.span(), kAuthenticatorTag, a_app) || !expect(a_app, kSequence, a_seq) ||
      !field(a_seq, 4, cusec_field) || !field(a_seq, 5, ctime_field) ||
      !expect(ctime_field, kGeneralizedTime, ctime_text)) {
    return fail(ErrorCode::Malformed, "authenticator without cusec/ctime");
  }
  auto cusec = integer(cusec_field);
  auto ctime = parse_generalized_time(ctime_text);
  // RFC 4120 §5.2.4: Microseconds ::= INTEGER (0..999999)
  if (!cusec || *cusec < 0 || *cusec > 999999 || !ctime) return fail(ErrorCode::Malformed, "bad cusec/ctime");
  return ClientTime{*ctime, static_cast<std::int32_t>(*cusec)};
}

}  // namespace kink::krb
