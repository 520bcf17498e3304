// kink/krb/handles.h — RAII owners of MIT krb5 handles: Principal, Keytab,
// CCache (in memory), Creds, AuthContext and Keyblock.
//
//   auto me = Principal::parse(ctx, "host/ha.example@EXAMPLE.TEST");
//   auto kt = Keytab::open(ctx, "/etc/kagi/ha.keytab");
//   auto cc = CCache::memory(ctx);
// Each handle keeps the raw krb5_context of the Context that made it and
// frees itself with the matching krb5_free_* / close / destroy call; the
// Context must outlive every handle. Handles move, never copy.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <krb5/krb5.h>

#include "core/result.h"
#include "kink/krb/context.h"
#include "kink/krb/keys.h"

namespace kink::krb {

// Handle owns one krb5 object of type T and releases it with Free(ctx, h).
template <typename T, auto Free>
class Handle {
 public:
  Handle() = default;
  Handle(krb5_context ctx, T h) : ctx_(ctx), h_(h) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : ctx_(o.ctx_), h_(std::exchange(o.h_, nullptr)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      ctx_ = o.ctx_;
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  T get() const { return h_; }
  krb5_context context() const { return ctx_; }
  explicit operator bool() const { return h_ != nullptr; }
  void reset() {
    if (h_ != nullptr) (void)Free(ctx_, h_);
    h_ = nullptr;
  }

 private:
  krb5_context ctx_ = nullptr;
  T h_ = nullptr;
};

// TicketTimes are a ticket's times (RFC 4120 §5.3), seconds since 1970.
struct TicketTimes {
  std::int64_t authtime = 0;
  std::int64_t starttime = 0;  // authtime when the ticket has none
  std::int64_t endtime = 0;
  std::int64_t renew_till = 0;  // 0: not renewable
};

// ClientTime is an authenticator's ctime and cusec (RFC 4120 §5.5.1),
// which KRB_AP_REP and KRB_ERROR echo (§5.5.2, §5.9.1).
struct ClientTime {
  std::int64_t ctime = 0;
  std::int32_t cusec = 0;
  bool operator==(const ClientTime&) const = default;
};

// Principal owns a krb5_principal.
class Principal {
 public:
  // parse reads "name/instance@REALM"; without "@REALM" the profile's
  // default realm is added. Fails InvalidSyntax.
  static core::Result<Principal> parse(const Context& ctx, std::string_view name);
  // copy_of copies a principal krb5 owns elsewhere.
  static core::Result<Principal> copy_of(const Context& ctx, krb5_const_principal p);

  // name is the RFC 1964 §2.1.1 text form with realm ("host/a@R").
  std::string name() const;
  // realm is the principal's realm.
  std::string realm() const;
  // equals compares name and realm (krb5_principal_compare).
  bool equals(const Principal& other) const;
  krb5_principal get() const { return h_.get(); }

 private:
  explicit Principal(Handle<krb5_principal, &krb5_free_principal> h) : h_(std::move(h)) {}
  Handle<krb5_principal, &krb5_free_principal> h_;
};

// Keytab owns an open krb5_keytab.
class Keytab {
 public:
  // open resolves path ("FILE:" is assumed when it names no type). The
  // file is read lazily by krb5: a missing file fails later, NotFound.
  static core::Result<Keytab> open(const Context& ctx, std::string_view path);
  krb5_keytab get() const { return h_.get(); }

 private:
  explicit Keytab(Handle<krb5_keytab, &krb5_kt_close> h) : h_(std::move(h)) {}
  Handle<krb5_keytab, &krb5_kt_close> h_;
};

class Creds;

// CCache owns a private MEMORY: credential cache, destroyed with it.
class CCache {
 public:
  // memory makes a new, uninitialized memory cache (krb5_cc_new_unique).
  static core::Result<CCache> memory(const Context& ctx);
  // initialize empties the cache and names its default principal.
  core::Status initialize(const Principal& client);
  // store adds creds (krb5_cc_store_cred).
  core::Status store(const Creds& creds);
  // find returns the cached credentials client -> server that are valid at
  // least until valid_until (seconds since 1970). NotFound otherwise.
  core::Result<Creds> find(const Principal& client, const Principal& server, std::int64_t valid_until) const;
  krb5_ccache get() const { return h_.get(); }

 private:
  explicit CCache(Handle<krb5_ccache, &krb5_cc_destroy> h) : h_(std::move(h)) {}
  Handle<krb5_ccache, &krb5_cc_destroy> h_;
};

// Creds owns a krb5_creds: a ticket, its session key, names and times.
class Creds {
 public:
  // adopt takes a krb5_creds allocated with malloc/calloc by krb5 or by us
  // (krb5_free_creds frees the contents and the struct).
  static Creds adopt(krb5_context ctx, krb5_creds* c) { return Creds(Handle<krb5_creds*, &krb5_free_creds>(ctx, c)); }
  // take_contents moves filled-in contents (krb5_*_get_creds output) into
  // a new owned struct; c is left zeroed.
  static core::Result<Creds> take_contents(const Context& ctx, krb5_creds& c);

  // ticket is the DER Ticket (RFC 4120 §5.3); it views this object.
  std::span<const std::uint8_t> ticket() const;
  // session_key copies the ticket's session key.
  SessionKey session_key() const;
  std::string client() const;
  std::string server() const;
  TicketTimes times() const;
  krb5_creds* get() const { return h_.get(); }

 private:
  explicit Creds(Handle<krb5_creds*, &krb5_free_creds> h) : h_(std::move(h)) {}
  Handle<krb5_creds*, &krb5_free_creds> h_;
};

// AuthContext owns a krb5_auth_context: the state between an AP-REQ and
// its AP-REP (RFC 4120 §3.2) on either side.
class AuthContext {
 public:
  AuthContext() = default;  // empty; create() makes a usable one
  static core::Result<AuthContext> create(const Context& ctx);
  krb5_auth_context get() const { return h_.get(); }
  // authenticator_time is the ctime/cusec of the authenticator this context
  // read with krb5_rd_req (NotFound before that). Not for the sending side:
  // after krb5_mk_req_extended MIT leaves no safe copy (der.h reads it).
  core::Result<ClientTime> authenticator_time() const;

 private:
  explicit AuthContext(Handle<krb5_auth_context, &krb5_auth_con_free> h) : h_(std::move(h)) {}
  Handle<krb5_auth_context, &krb5_auth_con_free> h_;
};

// Keyblock owns a krb5_keyblock (krb5_free_keyblock wipes it).
class Keyblock {
 public:
  static Keyblock adopt(krb5_context ctx, krb5_keyblock* k) {
    return Keyblock(Handle<krb5_keyblock*, &krb5_free_keyblock>(ctx, k));
  }
  // session_key copies the key out.
  SessionKey session_key() const;
  krb5_keyblock* get() const { return h_.get(); }

 private:
  explicit Keyblock(Handle<krb5_keyblock*, &krb5_free_keyblock> h) : h_(std::move(h)) {}
  Handle<krb5_keyblock*, &krb5_free_keyblock> h_;
};

// as_data views bytes as a krb5_data for an input argument (krb5 does not
// write through it).
inline krb5_data as_data(std::span<const std::uint8_t> b) {
  krb5_data d{};
  d.magic = KV5M_DATA;
  d.length = static_cast<unsigned int>(b.size());
  d.data = const_cast<char*>(reinterpret_cast<const char*>(b.data()));
  return d;
}

// to_time converts a krb5_timestamp (unsigned past 2038, as MIT treats it).
inline std::int64_t to_time(krb5_timestamp t) { return static_cast<std::int64_t>(static_cast<std::uint32_t>(t)); }

}  // namespace kink::krb
