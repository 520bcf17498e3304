// kink/krb/handles.cc — the RAII owners of krb5 handles.
#include "kink/krb/handles.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace kink::krb {

using core::ErrorCode;
using core::fail;

namespace {

std::string unparse(krb5_context ctx, krb5_const_principal p) {
  if (p == nullptr) return {};
  char* s = nullptr;
  if (krb5_unparse_name(ctx, p, &s) != 0 || s == nullptr) return "<unprintable principal>";
  std::string out = s;
  krb5_free_unparsed_name(ctx, s);
  return out;
}

SessionKey copy_key(const krb5_keyblock& k) {
  SessionKey out;
  out.enctype = k.enctype;
  out.bytes = core::crypto::SecureBytes(std::span<const std::uint8_t>(k.contents, k.length));
  return out;
}

}  // namespace

// --- Principal ---------------------------------------------------------------

core::Result<Principal> Principal::parse(const Context& ctx, std::string_view name) {
  std::string s(name);
  krb5_principal p = nullptr;
  krb5_error_code r = krb5_parse_name(ctx.get(), s.c_str(), &p);
  if (r != 0) {
    core::Error e = ctx.error(r, fmt::format("principal '{}'", name));
    e.code = ErrorCode::InvalidSyntax;
    return fail(std::move(e));
  }
  return Principal(Handle<krb5_principal, &krb5_free_principal>(ctx.get(), p));
}

core::Result<Principal> Principal::copy_of(const Context& ctx, krb5_const_principal from) {
  krb5_principal p = nullptr;
  krb5_error_code r = krb5_copy_principal(ctx.get(), from, &p);
  if (r != 0) return fail(ctx.error(r, "krb5_copy_principal"));
  return Principal(Handle<krb5_principal, &krb5_free_principal>(ctx.get(), p));
}

std::string Principal::name() const { return unparse(h_.context(), h_.get()); }

std::string Principal::realm() const {
  const krb5_data& r = h_.get()->realm;
  return std::string(r.data, r.length);
}

bool Principal::equals(const Principal& other) const {
  return krb5_principal_compare(h_.context(), h_.get(), other.get()) != 0;
}

// --- Keytab ------------------------------------------------------------------

core::Result<Keytab> Keytab::open(const Context& ctx, std::string_view path) {
  // "TYPE:residual"; a bare absolute path has no ':' before its first '/'.
  std::string name(path);
  auto colon = name.find(':');
  if (colon == std::string::npos || name.find('/') < colon) name = "FILE:" + name;
  krb5_keytab kt = nullptr;
  krb5_error_code r = krb5_kt_resolve(ctx.get(), name.c_str(), &kt);
  if (r != 0) return fail(ctx.error(r, fmt::format("keytab {}", name)));
  return Keytab(Handle<krb5_keytab, &krb5_kt_close>(ctx.get(), kt));
}

// --- CCache ------------------------------------------------------------------

core::Result<CCache> CCache::memory(const Context& ctx) {
  krb5_ccache cc = nullptr;
  krb5_error_code r = krb5_cc_new_unique(ctx.get(), "MEMORY", nullptr, &cc);
  if (r != 0) return fail(ctx.error(r, "krb5_cc_new_unique(MEMORY)"));
  return CCache(Handle<krb5_ccache, &krb5_cc_destroy>(ctx.get(), cc));
}

core::Status CCache::initialize(const Principal& client) {
  krb5_error_code r = krb5_cc_initialize(h_.context(), h_.get(), client.get());
  if (r != 0) return fail(ErrorCode::Internal, "krb5_cc_initialize: {}", krb5_text(h_.context(), r));
  return core::ok();
}

core::Status CCache::store(const Creds& creds) {
  krb5_error_code r = krb5_cc_store_cred(h_.context(), h_.get(), creds.get());
  if (r != 0) return fail(ErrorCode::Internal, "krb5_cc_store_cred: {}", krb5_text(h_.context(), r));
  return core::ok();
}

core::Result<Creds> CCache::find(const Principal& client, const Principal& server, std::int64_t valid_until) const {
  krb5_creds match{};
  match.client = client.get();
  match.server = server.get();
  // KRB5_TC_MATCH_TIMES keeps only entries whose endtime is not before ours.
  match.times.endtime = static_cast<krb5_timestamp>(valid_until);
  auto* out = static_cast<krb5_creds*>(std::calloc(1, sizeof(krb5_creds)));
  if (out == nullptr) return fail(ErrorCode::Internal, "out of memory");
  krb5_error_code r =
      krb5_cc_retrieve_cred(h_.context(), h_.get(), KRB5_TC_MATCH_TIMES | KRB5_TC_SUPPORTED_KTYPES, &match, out);
  if (r != 0) {
    std::free(out);
    return fail(ErrorCode::NotFound, "no cached ticket {} -> {}: {}", client.name(), server.name(), krb5_text(h_.context(), r));
  }
  return Creds::adopt(h_.context(), out);
}

// --- Creds -------------------------------------------------------------------

core::Result<Creds> Creds::take_contents(const Context& ctx, krb5_creds& c) {
  auto* out = static_cast<krb5_creds*>(std::calloc(1, sizeof(krb5_creds)));
  if (out == nullptr) {
    krb5_free_cred_contents(ctx.get(), &c);
    return fail(ErrorCode::Internal, "out of memory");
  }
  std::memcpy(out, &c, sizeof(c));
  std::memset(&c, 0, sizeof(c));
  return adopt(ctx.get(), out);
}

std::span<const std::uint8_t> Creds::ticket() const {
  const krb5_data& t = h_.get()->ticket;
  return {reinterpret_cast<const std::uint8_t*>(t.data), t.length};
}

SessionKey Creds::session_key() const { return copy_key(h_.get()->keyblock); }
std::string Creds::client() const { return unparse(h_.context(), h_.get()->client); }
std::string Creds::server() const { return unparse(h_.context(), h_.get()->server); }

TicketTimes Creds::times() const {
  const krb5_ticket_times& t = h_.get()->times;
  TicketTimes out;
  out.authtime = to_time(t.authtime);
  out.starttime = t.starttime != 0 ? to_time(t.starttime) : out.authtime;
  out.endtime = to_time(t.endtime);
  out.renew_till = to_time(t.renew_till);
  return out;
}

// --- AuthContext -------------------------------------------------------------

core::Result<AuthContext> AuthContext::create(const Context& ctx) {
  krb5_auth_context ac = nullptr;
  krb5_error_code r = krb5_auth_con_init(ctx.get(), &ac);
  if (r != 0) return fail(ctx.error(r, "krb5_auth_con_init"));
  return AuthContext(Handle<krb5_auth_context, &krb5_auth_con_free>(ctx.get(), ac));
}

core::Result<ClientTime> AuthContext::authenticator_time() const {
  krb5_authenticator* a = nullptr;
  krb5_error_code r = krb5_auth_con_getauthenticator(h_.context(), h_.get(), &a);
  if (r != 0 || a == nullptr) return fail(ErrorCode::NotFound, "no authenticator in this auth context");
  ClientTime t{to_time(a->ctime), a->cusec};
  krb5_free_authenticator(h_.context(), a);
  return t;
}

// --- Keyblock ----------------------------------------------------------------

SessionKey Keyblock::session_key() const { return copy_key(*h_.get()); }

}  // namespace kink::krb
