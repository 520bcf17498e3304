// tests/fuzz/kink/fuzz_krb_der.cc — libFuzzer target for the parsers of
// kink/krb that read untrusted octets without a KDC: der.cc
// (check_envelope, parse_generalized_time, ap_req_client_time on the
// AP-REQ envelope and, after encrypting the input under a fixed key, on the
// Authenticator inside it, RFC 4120 §5.5.1), rd_error (a peer's KRB_ERROR,
// RFC 4120 §5.9.1; KINK_KRB_ERROR, RFC 4430 §4.2.3) and parse_kdc_address
// (krb5.conf "kdc" values). Whatever decodes must survive
// decode(encode(decode(x))) == decode(x).
#include <krb5/krb5.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/wire/writer.h"
#include "kink/krb/context.h"
#include "kink/krb/der.h"
#include "kink/krb/error.h"
#include "kink/krb/handles.h"
#include "kink/krb/keys.h"

using namespace kink::krb;
using Bytes = std::vector<std::uint8_t>;
using Span = std::span<const std::uint8_t>;

namespace {

constexpr krb5_keyusage kUsageApReqAuthenticator = 11;  // RFC 4120 §7.5.1

// Fixture is one krb5 context (from a scratch krb5.conf, never a KDC) and
// a fixed AES256 key for the authenticators, made once per process.
struct Fixture {
  std::string dir;
  std::optional<Context> ctx;
  SessionKey key;

  Fixture() {
    char tmpl[] = "/tmp/kagi-fuzz-krb-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) std::abort();
    dir = tmpl;
    std::ofstream(dir + "/krb5.conf") << "[libdefaults]\n  default_realm = EXAMPLE.TEST\n";
    auto c = Context::open({dir + "/krb5.conf", "none:"});
    if (!c) std::abort();
    ctx.emplace(std::move(*c));
    key.enctype = ENCTYPE_AES256_CTS_HMAC_SHA1_96;
    key.bytes = core::crypto::SecureBytes(32);
    for (std::size_t i = 0; i < 32; ++i) key.bytes.span()[i] = static_cast<std::uint8_t>(i * 7 + 1);
  }
  ~Fixture() {
    ctx.reset();
    std::remove((dir + "/krb5.conf").c_str());
    rmdir(dir.c_str());
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// tlv writes one DER element with a definite length (X.690 §8.1.3).
Bytes tlv(std::uint8_t tag, Span body) {
  core::wire::Writer w;
  w.u8(tag);
  if (body.size() < 0x80) {
    w.u8(static_cast<std::uint8_t>(body.size()));
  } else {
    w.u8(0x84);
    w.u32(static_cast<std::uint32_t>(body.size()));
  }
  w.bytes(body);
  return w.take();
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes integer(std::int64_t v) {
  Bytes b;
  for (int i = 7; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
  while (b.size() > 1 && ((b[0] == 0x00 && (b[1] & 0x80) == 0) || (b[0] == 0xff && (b[1] & 0x80) != 0))) {
    b.erase(b.begin());
  }
  return tlv(0x02, b);
}

Bytes ctx_tag(int n, const Bytes& v) { return tlv(static_cast<std::uint8_t>(0xa0 | n), v); }

// ap_req wraps an authenticator plaintext, encrypted under the fixture
// key with key usage 11, in an AP-REQ (RFC 4120 §5.5.1) whose ticket is a
// placeholder: ap_req_client_time never looks at the ticket.
std::optional<Bytes> ap_req(const Fixture& f, Span authenticator) {
  std::size_t clen = 0;
  if (krb5_c_encrypt_length(f.ctx->get(), f.key.enctype, authenticator.size(), &clen) != 0) return std::nullopt;
  Bytes cipher(clen);
  krb5_keyblock kb{};
  kb.magic = KV5M_KEYBLOCK;
  kb.enctype = f.key.enctype;
  kb.length = static_cast<unsigned int>(f.key.bytes.size());
  kb.contents = const_cast<krb5_octet*>(f.key.bytes.data());
  krb5_data plain = as_data(authenticator);
  krb5_enc_data enc{};
  enc.magic = KV5M_ENC_DATA;
  enc.enctype = f.key.enctype;
  enc.ciphertext.magic = KV5M_DATA;
  enc.ciphertext.length = static_cast<unsigned int>(clen);
  enc.ciphertext.data = reinterpret_cast<char*>(cipher.data());
  if (krb5_c_encrypt(f.ctx->get(), &kb, kUsageApReqAuthenticator, nullptr, &plain, &enc) != 0) std::abort();
  cipher.resize(enc.ciphertext.length);
  Bytes enc_data = tlv(0x30, cat({ctx_tag(0, integer(f.key.enctype)), ctx_tag(2, tlv(0x04, cipher))}));
  Bytes body = tlv(0x30, cat({ctx_tag(0, integer(5)), ctx_tag(1, integer(14)), ctx_tag(2, tlv(0x03, Bytes{0, 0, 0, 0, 0})),
                              ctx_tag(3, tlv(0x61, Bytes{})), ctx_tag(4, enc_data)}));
  return tlv(0x6e, body);
}

// kerberos_time is the KerberosTime text of t (RFC 4120 §5.2.3), nullopt
// outside years 0000-9999.
std::optional<Bytes> kerberos_time(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (gmtime_r(&tt, &tm) == nullptr) return std::nullopt;
  long year = static_cast<long>(tm.tm_year) + 1900;
  if (year < 0 || year > 9999) return std::nullopt;
  std::string s = fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}Z", year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                              tm.tm_min, tm.tm_sec);
  return Bytes(s.begin(), s.end());
}

// authenticator is a minimal Authenticator (RFC 4120 §5.5.1) with ct.
std::optional<Bytes> authenticator(const ClientTime& ct) {
  auto text = kerberos_time(ct.ctime);
  if (!text) return std::nullopt;
  Bytes cname = tlv(0x30, cat({ctx_tag(0, integer(1)), ctx_tag(1, tlv(0x30, tlv(0x1b, Bytes{'a'})))}));
  Bytes body = tlv(0x30, cat({ctx_tag(0, integer(5)), ctx_tag(1, tlv(0x1b, Bytes{'R'})), ctx_tag(2, cname),
                              ctx_tag(4, integer(ct.cusec)), ctx_tag(5, tlv(0x18, *text))}));
  return tlv(0x62, body);
}

void fuzz_der(const Fixture& f, Span in) {
  for (int kind : {14, 15, 30}) (void)check_envelope(in, kind, kind);

  if (auto t = parse_generalized_time(in)) {
    auto text = kerberos_time(*t);
    if (text) {
      auto again = parse_generalized_time(*text);
      if (!again || *again != *t) std::abort();
    }
  }

  // The input as a whole AP-REQ: only the envelope parsing is reachable.
  (void)ap_req_client_time(*f.ctx, in, f.key);
  // The input as the authenticator plaintext of a well-formed AP-REQ.
  auto req = ap_req(f, in);
  if (!req) return;
  auto ct = ap_req_client_time(*f.ctx, *req, f.key);
  if (!ct) return;
  if (ct->cusec < 0 || ct->cusec > 999999) std::abort();
  auto auth = authenticator(*ct);
  if (!auth) return;
  auto req2 = ap_req(f, *auth);
  if (!req2) std::abort();
  auto again = ap_req_client_time(*f.ctx, *req2, f.key);
  if (!again || !(*again == *ct)) std::abort();
}

void fuzz_rd_error(const Fixture& f, Span in) {
  auto e = rd_error(*f.ctx, in);
  if (!e) return;
  (void)protocol_error_name(e->code);
  auto code = static_cast<std::int32_t>(e->code);
  // mk_error sends only what KINK sends: codes of the krb5 table, our
  // server name, ctime/cusec, e-text.
  if (code < 0 || code >= 128 || e->server.empty()) return;
  auto server = Principal::parse(*f.ctx, e->server);
  if (!server || server->name() != e->server) return;  // a name MIT does not unparse back
  auto der = mk_error(*f.ctx, *server, e->code, e->client_time, e->text);
  if (!der) std::abort();
  auto again = rd_error(*f.ctx, *der);
  if (!again) std::abort();
  std::string text = e->text.empty() ? protocol_error_name(e->code) : e->text;
  bool same_time = again->client_time.has_value() == e->client_time.has_value() &&
                   (!e->client_time || *again->client_time == *e->client_time);
  if (again->code != e->code || again->server != e->server || again->text != text || !same_time) std::abort();
}

void fuzz_kdc_address(Span in) {
  std::string text(in.begin(), in.end());
  auto ep = parse_kdc_address(text);
  if (!ep) return;
  std::string host = ep->addr.to_string();
  std::string again_text = ep->addr.is_v6() ? fmt::format("[{}]:{}", host, ep->port) : fmt::format("{}:{}", host, ep->port);
  auto again = parse_kdc_address(again_text);
  if (!again || !(*again == *ep)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& f = fixture();
  Span in(data, size);
  fuzz_der(f, in);
  fuzz_rd_error(f, in);
  fuzz_kdc_address(in);
  return 0;
}
