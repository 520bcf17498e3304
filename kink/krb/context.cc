// kink/krb/context.cc — Context: the profile (with the replay-cache
// override), error texts, the clock offset and the realm's KDC list.
#include "kink/krb/context.h"

#include <profile.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <utility>

#include "kink/krb/error.h"

namespace kink::krb {

namespace {

using core::ErrorCode;
using core::fail;

// ---------------------------------------------------------------------------
// The overlay profile. MIT offers no public call to name the replay cache
// krb5_rd_req uses other than libdefaults default_rcache_name (or process
// environment, which one daemon with several contexts must not rely on).
// profile_init_vtable (profile.h, public since krb5 1.9) lets us serve that
// one relation ourselves and pass every other lookup and iteration through
// to the file-backed profile unchanged.

struct Overlay {
  profile_t inner = nullptr;
  std::string rcache;
  ~Overlay() {
    if (inner != nullptr) profile_release(inner);
  }
};

// Each profile copy (krb5 copies on init and on krb5_get_profile) gets its
// own cbdata that shares the Overlay.
struct OverlayRef {
  std::shared_ptr<Overlay> o;
};

// OverlayIter wraps the inner profile's iterator: profile_iterator frees and
// nulls its handle when it runs out, so it needs a place to write that.
struct OverlayIter {
  void* inner = nullptr;
};

Overlay& overlay(void* cb) { return *static_cast<OverlayRef*>(cb)->o; }

bool is_rcache_name(const char* const* names) {
  return names[0] != nullptr && std::strcmp(names[0], "libdefaults") == 0 && names[1] != nullptr &&
         std::strcmp(names[1], "default_rcache_name") == 0 && names[2] == nullptr;
}

long ov_get_values(void* cb, const char* const* names, char*** ret) {
  Overlay& o = overlay(cb);
  if (!o.rcache.empty() && is_rcache_name(names)) {
    // Allocated as profile_free_list frees: malloc'ed strings in a
    // malloc'ed NULL-terminated array.
    auto** list = static_cast<char**>(std::calloc(2, sizeof(char*)));
    if (list == nullptr) return ENOMEM;
    list[0] = strdup(o.rcache.c_str());
    if (list[0] == nullptr) {
      std::free(list);
      return ENOMEM;
    }
    *ret = list;
    return 0;
  }
  return profile_get_values(o.inner, names, ret);
}

void ov_free_values(void*, char** values) { profile_free_list(values); }
void ov_cleanup(void* cb) { delete static_cast<OverlayRef*>(cb); }

long ov_copy(void* cb, void** ret) {
  *ret = new OverlayRef{static_cast<OverlayRef*>(cb)->o};
  return 0;
}

long ov_iterator_create(void* cb, const char* const* names, int flags, void** ret) {
  auto* it = new OverlayIter;
  long r = profile_iterator_create(overlay(cb).inner, names, flags, &it->inner);
  if (r != 0) {
    delete it;
    return r;
  }
  *ret = it;
  return 0;
}

long ov_iterator(void*, void* iter, char** name, char** value) {
  auto* it = static_cast<OverlayIter*>(iter);
  if (it->inner == nullptr) {  // the inner iteration already ended
    *name = nullptr;
    *value = nullptr;
    return 0;
  }
  return profile_iterator(&it->inner, name, value);
}

void ov_iterator_free(void*, void* iter) {
  auto* it = static_cast<OverlayIter*>(iter);
  if (it->inner != nullptr) profile_iterator_free(&it->inner);
  delete it;
}

void ov_free_string(void*, char* s) { profile_release_string(s); }

core::Result<profile_t> open_profile(const ContextOptions& opts) {
  profile_t file = nullptr;
  std::string path = opts.krb5_conf;
  if (path.empty()) {
    const char* env = std::getenv("KRB5_CONFIG");
    path = env != nullptr ? env : "/etc/krb5.conf";  // MIT's DEFAULT_PROFILE_PATH
  }
  long r = profile_init_path(path.c_str(), &file);
  if (r != 0) return fail(ErrorCode::Config, "krb5 profile {}: {}", path, krb5_text(nullptr, r));
  auto ref = std::make_unique<OverlayRef>();
  ref->o = std::make_shared<Overlay>();
  ref->o->inner = file;
  ref->o->rcache = opts.replay_cache;
  static profile_vtable vt = [] {
    profile_vtable v{};
    v.minor_ver = 1;
    v.get_values = ov_get_values;
    v.free_values = ov_free_values;
    v.cleanup = ov_cleanup;
    v.copy = ov_copy;
    v.iterator_create = ov_iterator_create;
    v.iterator = ov_iterator;
    v.iterator_free = ov_iterator_free;
    v.free_string = ov_free_string;
    return v;
  }();
  profile_t prof = nullptr;
  r = profile_init_vtable(&vt, ref.get(), &prof);
  if (r != 0) return fail(ErrorCode::Internal, "profile_init_vtable: {}", krb5_text(nullptr, r));
  ref.release();  // owned by prof now (ov_cleanup)
  return prof;
}

// split_port splits "host:port" / "[v6]:port" / "v6" into host and port.
core::Result<std::pair<std::string_view, std::uint16_t>> split_port(std::string_view text) {
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return fail(ErrorCode::InvalidSyntax, "kdc {}: no ']'", text);
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail(ErrorCode::InvalidSyntax, "kdc {}: junk after ']'", text);
      port = rest.substr(1);
    }
  } else if (text.find(':') == text.rfind(':') && text.find(':') != std::string_view::npos) {
    // exactly one ':' — host:port; more than one is a bare IPv6 address
    host = text.substr(0, text.find(':'));
    port = text.substr(text.find(':') + 1);
  }
  std::uint16_t p = kKerberosPort;
  if (!port.empty()) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc{} || end != port.data() + port.size() || v == 0 || v > 65535) {
      return fail(ErrorCode::InvalidSyntax, "kdc {}: bad port", text);
    }
    p = static_cast<std::uint16_t>(v);
  }
  return std::pair{host, p};
}

}  // namespace

core::Result<core::net::Endpoint> parse_kdc_address(std::string_view text) {
  for (std::string_view prefix : {"udp/", "tcp/"}) {
    if (text.substr(0, prefix.size()) == prefix) text.remove_prefix(prefix.size());
  }
  auto hp = split_port(text);
  if (!hp) return fail(hp.error());
  auto addr = core::net::Address::parse(hp->first);
  if (!addr) {
    return fail(ErrorCode::Unsupported, "kdc {}: not an IP address (kagi resolves no KDC host names)", text);
  }
  return core::net::Endpoint{*addr, hp->second};
}

core::Result<Context> Context::open(const ContextOptions& opts) {
  auto prof = open_profile(opts);
  if (!prof) return fail(prof.error());
  krb5_context c = nullptr;
  krb5_error_code r = krb5_init_context_profile(*prof, 0, &c);
  profile_release(*prof);  // the context holds its own copy
  if (r != 0) return fail(ErrorCode::Internal, "krb5_init_context_profile: {}", krb5_text(nullptr, r));
  return Context(c);
}

Context::~Context() = default;

std::string krb5_text(krb5_context ctx, long code) {
  // krb5_get_error_message accepts a null context; error_message() from
  // com_err.h has no C linkage in these headers, so it is not called.
  const char* m = krb5_get_error_message(ctx, static_cast<krb5_error_code>(code));
  std::string s = m != nullptr ? m : fmt::format("krb5 error {}", code);
  krb5_free_error_message(ctx, m);
  return s;
}

std::string Context::message(krb5_error_code code) const { return krb5_text(get(), code); }

core::Error Context::error(krb5_error_code code, std::string_view what) const {
  ErrorCode ec = ErrorCode::Internal;
  if (protocol_code(code).has_value()) {
    ec = ErrorCode::AuthFailed;
  } else if (code == KRB5_KT_NOTFOUND || code == KRB5_KT_KVNONOTFOUND || code == KRB5_CC_NOTFOUND ||
             code == ENOENT) {
    ec = ErrorCode::NotFound;
  } else if (code == KRB5_PROG_ETYPE_NOSUPP || code == KRB5_BAD_ENCTYPE) {
    ec = ErrorCode::NoProposal;
  } else if (code == KRB5_BAD_MSIZE || code == KRB5_BADMSGTYPE ||
             (code >= ERROR_TABLE_BASE_asn1 && code < ERROR_TABLE_BASE_asn1 + 256)) {
    ec = ErrorCode::Malformed;
  }
  return core::Error{ec, fmt::format("{}: {} ({})", what, message(code), code)};
}

core::Status Context::set_time_offset(std::int64_t seconds) {
  std::timespec ts{};
  std::timespec_get(&ts, TIME_UTC);
  auto target = static_cast<krb5_timestamp>(ts.tv_sec + seconds);
  krb5_error_code r = krb5_set_real_time(get(), target, static_cast<krb5_int32>(ts.tv_nsec / 1000));
  if (r != 0) return fail(error(r, "krb5_set_real_time"));
  return core::ok();
}

std::pair<std::int64_t, std::int32_t> Context::now() const {
  krb5_timestamp s = 0;
  krb5_int32 us = 0;
  if (krb5_us_timeofday(get(), &s, &us) != 0) return {static_cast<std::int64_t>(std::time(nullptr)), 0};
  // krb5_timestamp is a signed 32-bit count that MIT treats as unsigned
  // past 2038 (ts2tt in k5-int.h); do the same.
  return {static_cast<std::int64_t>(static_cast<std::uint32_t>(s)), us};
}

core::Result<std::vector<core::net::Endpoint>> Context::kdcs(std::string_view realm) const {
  profile_t prof = nullptr;
  krb5_error_code r = krb5_get_profile(get(), &prof);
  if (r != 0) return fail(error(r, "krb5_get_profile"));
  std::string realm_s(realm);
  const char* names[] = {"realms", realm_s.c_str(), "kdc", nullptr};
  char** values = nullptr;
  long pr = profile_get_values(prof, names, &values);
  profile_release(prof);
  if (pr != 0 || values == nullptr) return fail(ErrorCode::NotFound, "krb5.conf names no kdc for realm {}", realm);
  std::vector<core::net::Endpoint> out;
  core::Error first_error;
  for (char** v = values; *v != nullptr; ++v) {
    auto ep = parse_kdc_address(*v);
    if (ep) {
      out.push_back(*ep);
    } else if (first_error.detail.empty()) {
      first_error = ep.error();
    }
  }
  profile_free_list(values);
  if (out.empty()) return fail(first_error);
  return out;
}

std::size_t Context::udp_preference_limit() const {
  profile_t prof = nullptr;
  int v = 1465;  // MIT's DEFAULT_UDP_PREF_LIMIT
  if (krb5_get_profile(get(), &prof) == 0) {
    profile_get_integer(prof, "libdefaults", "udp_preference_limit", nullptr, v, &v);
    profile_release(prof);
  }
  return v < 0 ? 0 : static_cast<std::size_t>(v);
}

std::string Context::default_realm() const {
  char* r = nullptr;
  if (krb5_get_default_realm(get(), &r) != 0 || r == nullptr) return {};
  std::string s = r;
  krb5_free_default_realm(get(), r);
  return s;
}

}  // namespace kink::krb
