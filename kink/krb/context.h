// kink/krb/context.h — Context, one MIT krb5 library context built from a
// given krb5.conf, and the conversion of krb5 error codes into core::Error.
//
//   auto ctx = kink::krb::Context::open({.krb5_conf = "/etc/kagi/krb5.conf",
//                                       .replay_cache = "file2:/var/lib/kagi/kink.rcache2"});
//   if (!ctx) return fail(ctx.error());
//   auto kdcs = ctx->kdcs("EXAMPLE.TEST");   // where KdcRequest bytes go
//
// A Context is not thread-safe (MIT krb5 contexts never are): one Context
// per thread, used from the event loop only. Every other krb/ object that
// holds a krb5 handle keeps the Context's raw krb5_context, so the Context
// must outlive them all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <krb5/krb5.h>

#include "core/net/address.h"
#include "core/result.h"

namespace kink::krb {

// ContextOptions says where the Kerberos configuration and KINK's replay
// cache live.
struct ContextOptions {
  // krb5_conf is the krb5.conf to read (a ':'-separated list is allowed);
  // empty: $KRB5_CONFIG, else /etc/krb5.conf.
  std::string krb5_conf;
  // replay_cache is the rcache name krb5_rd_req uses for this context, e.g.
  // "file2:/var/lib/kagi/kink.rcache2"; it overrides libdefaults
  // default_rcache_name. The file2 type keeps replays across restarts, which
  // RFC 4430 §3.5 and RFC 4120 §3.2.3 ask of a server. Empty: the profile's
  // or MIT's default (KRB5RCACHEDIR, else /var/tmp). KRB5RCACHENAME in the
  // environment still wins over both (MIT checks it first).
  std::string replay_cache;
};

// Context owns a krb5_context.
class Context {
 public:
  // open builds the context from opts. Fails Config when the krb5.conf
  // cannot be read or parsed, Internal when krb5 cannot start.
  static core::Result<Context> open(const ContextOptions& opts);

  Context(Context&&) noexcept = default;
  Context& operator=(Context&&) noexcept = default;
  ~Context();

  // get is the raw handle for krb5 calls; it stays owned by the Context.
  krb5_context get() const { return ctx_.get(); }

  // error turns a krb5 error code into a core::Error whose detail names
  // what failed and carries krb5's own message. Protocol errors
  // (KRB5KRB_AP_ERR_*, KRB5KDC_ERR_*) map to AuthFailed, so callers can tell
  // a refused peer from a local fault; use protocol_code (error.h) for the
  // exact Kerberos error.
  core::Error error(krb5_error_code code, std::string_view what) const;
  // message is krb5's text for code (with any extended message set on
  // this context by the failing call).
  std::string message(krb5_error_code code) const;

  // set_time_offset makes this context's clock run `seconds` ahead of the
  // system clock (negative: behind), as krb5_set_real_time does. KINK uses
  // it after a KRB_AP_ERR_SKEW (RFC 4430 §3.5); tests use it to fake skew.
  // Note that an AS exchange with kdc_timesync (the default) resets it.
  core::Status set_time_offset(std::int64_t seconds);
  // now is this context's idea of the time (seconds, microseconds).
  std::pair<std::int64_t, std::int32_t> now() const;

  // kdcs lists the KDCs of realm from the profile ([realms] REALM kdc =
  // host[:port]) in profile order. Only literal IPv4/IPv6 addresses are
  // accepted: an engine owns no resolver (ARCHITECTURE.md), so a host
  // name fails Unsupported. NotFound when the realm names no KDC.
  core::Result<std::vector<core::net::Endpoint>> kdcs(std::string_view realm) const;
  // udp_preference_limit is libdefaults udp_preference_limit (MIT default
  // 1465): a KDC request longer than this goes over TCP (RFC 4120 §7.2.1).
  std::size_t udp_preference_limit() const;
  // default_realm is libdefaults default_realm ("" when unset).
  std::string default_realm() const;

 private:
  struct Free {
    void operator()(krb5_context c) const { krb5_free_context(c); }
  };
  explicit Context(krb5_context c) : ctx_(c) {}
  std::unique_ptr<std::remove_pointer_t<krb5_context>, Free> ctx_;
};

// parse_kdc_address splits a profile "kdc" value: "192.0.2.2", "192.0.2.2:88",
// "[2001:db8::2]:750", "2001:db8::2" (bare IPv6, default port). An optional
// "udp/" or "tcp/" prefix (MIT krb5.conf) is ignored. Fails Unsupported for
// a host name and InvalidSyntax for a bad port.
core::Result<core::net::Endpoint> parse_kdc_address(std::string_view text);

// krb5_text is krb5's message for a krb5 or profile error code; ctx may be
// null (before a context exists).
std::string krb5_text(krb5_context ctx, long code);

// kKerberosPort is the KDC's port (RFC 4120 §7.2.3).
inline constexpr std::uint16_t kKerberosPort = 88;

}  // namespace kink::krb
