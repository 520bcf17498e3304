// kink/krb/error.h — Kerberos protocol error codes (RFC 4120 §7.5.9) and
// KRB_ERROR messages (RFC 4120 §5.9.1) as KINK sends and reads them in
// KINK_KRB_ERROR (RFC 4430 §4.2.3, §3.5).
//
//   auto bytes = mk_error(ctx, responder_principal, ProtocolError::KrbApErrSkew,
//                         rejection.client_time);
//   auto e = rd_error(ctx, payload.krb_error);
//   if (e && e->code == ProtocolError::KrbApErrSkew) ctx.set_time_offset(e->stime - now);
//
// KRB_ERROR is never authenticated: RFC 4430 §3.5 lets the initiator act on
// one (retry once with a fresh ticket, or correct its clock) but never
// trust it further.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <krb5/krb5.h>

#include "core/result.h"
#include "kink/krb/context.h"
#include "kink/krb/handles.h"

namespace kink::krb {

// ProtocolError is the error-code of a KRB_ERROR (RFC 4120 §7.5.9); values
// not listed here still travel as their number.
enum class ProtocolError : std::int32_t {
  KdcErrNone = 0,
  KdcErrNameExp = 1,
  KdcErrServiceExp = 2,
  KdcErrBadPvno = 3,
  KdcErrCPrincipalUnknown = 6,
  KdcErrSPrincipalUnknown = 7,
  KdcErrPrincipalNotUnique = 8,
  KdcErrNullKey = 9,
  KdcErrCannotPostdate = 10,
  KdcErrNeverValid = 11,
  KdcErrPolicy = 12,
  KdcErrBadoption = 13,
  KdcErrEtypeNosupp = 14,
  KdcErrSumtypeNosupp = 15,
  KdcErrPreauthFailed = 24,
  KdcErrPreauthRequired = 25,
  KdcErrServerNomatch = 26,
  KdcErrMustUseUser2user = 27,
  KrbApErrBadIntegrity = 31,
  KrbApErrTktExpired = 32,
  KrbApErrTktNyv = 33,
  KrbApErrRepeat = 34,
  KrbApErrNotUs = 35,
  KrbApErrBadmatch = 36,
  KrbApErrSkew = 37,
  KrbApErrBadaddr = 38,
  KrbApErrBadversion = 39,
  KrbApErrMsgType = 40,
  KrbApErrModified = 41,
  KrbApErrBadorder = 42,
  KrbApErrBadkeyver = 44,
  KrbApErrNokey = 45,
  KrbApErrMutFail = 46,
  KrbApErrBaddirection = 47,
  KrbApErrMethod = 48,
  KrbApErrBadseq = 49,
  KrbApErrInappCksum = 50,
  KrbApPathNotAccepted = 51,
  KrbErrResponseTooBig = 52,
  KrbErrGeneric = 60,
  KrbErrFieldToolong = 61,
};

// protocol_error_name is the RFC 4120 name ("KRB_AP_ERR_SKEW"), or
// "ERROR_<n>" for a code not in the table.
std::string protocol_error_name(ProtocolError e);

// protocol_code maps a krb5 library error to the protocol error it stands
// for (KRB5KRB_AP_ERR_SKEW -> KrbApErrSkew); nullopt for local errors
// (keytab not found, out of memory, ...).
std::optional<ProtocolError> protocol_code(krb5_error_code code);
// to_krb5 is the krb5 library error for a protocol error.
krb5_error_code to_krb5(ProtocolError e);

// KrbError is a decoded KRB_ERROR (RFC 4120 §5.9.1).
struct KrbError {
  ProtocolError code = ProtocolError::KrbErrGeneric;
  std::int64_t stime = 0;  // the sender's clock, seconds since 1970
  std::int32_t susec = 0;
  std::optional<ClientTime> client_time;  // ctime/cusec echoed from the AP-REQ
  std::string server;                     // sname@realm
  std::string client;                     // "" when absent
  std::string text;                       // e-text, "" when absent
  std::vector<std::uint8_t> e_data;
};

// mk_error encodes a KRB_ERROR from server (our principal) with code,
// stime/susec from ctx's clock, ctime/cusec when the failing AP-REQ gave
// them (RFC 4120 §5.9.1: they SHOULD be echoed) and e-text. The KRB_ERROR
// carries no key-derived data.
core::Result<std::vector<std::uint8_t>> mk_error(const Context& ctx, const Principal& server, ProtocolError code,
                                                 const std::optional<ClientTime>& client_time = std::nullopt,
                                                 std::string_view text = {});

// rd_error decodes a KRB_ERROR (krb5_rd_error). Malformed when the octets
// are not one.
core::Result<KrbError> rd_error(const Context& ctx, std::span<const std::uint8_t> der);

}  // namespace kink::krb
