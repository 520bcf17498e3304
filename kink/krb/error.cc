// kink/krb/error.cc — protocol error names, KRB_ERROR encode/decode.
#include "kink/krb/error.h"

#include <array>
#include <utility>

#include "kink/krb/der.h"

namespace kink::krb {

using core::ErrorCode;
using core::fail;

namespace {

struct Name {
  ProtocolError code;
  std::string_view name;
};

// RFC 4120 §7.5.9.
constexpr std::array kNames = {
    Name{ProtocolError::KdcErrNone, "KDC_ERR_NONE"},
    Name{ProtocolError::KdcErrNameExp, "KDC_ERR_NAME_EXP"},
    Name{ProtocolError::KdcErrServiceExp, "KDC_ERR_SERVICE_EXP"},
    Name{ProtocolError::KdcErrBadPvno, "KDC_ERR_BAD_PVNO"},
    Name{ProtocolError::KdcErrCPrincipalUnknown, "KDC_ERR_C_PRINCIPAL_UNKNOWN"},
    Name{ProtocolError::KdcErrSPrincipalUnknown, "KDC_ERR_S_PRINCIPAL_UNKNOWN"},
    Name{ProtocolError::KdcErrPrincipalNotUnique, "KDC_ERR_PRINCIPAL_NOT_UNIQUE"},
    Name{ProtocolError::KdcErrNullKey, "KDC_ERR_NULL_KEY"},
    Name{ProtocolError::KdcErrCannotPostdate, "KDC_ERR_CANNOT_POSTDATE"},
    Name{ProtocolError::KdcErrNeverValid, "KDC_ERR_NEVER_VALID"},
    Name{ProtocolError::KdcErrPolicy, "KDC_ERR_POLICY"},
    Name{ProtocolError::KdcErrBadoption, "KDC_ERR_BADOPTION"},
    Name{ProtocolError::KdcErrEtypeNosupp, "KDC_ERR_ETYPE_NOSUPP"},
    Name{ProtocolError::KdcErrSumtypeNosupp, "KDC_ERR_SUMTYPE_NOSUPP"},
    Name{ProtocolError::KdcErrPreauthFailed, "KDC_ERR_PREAUTH_FAILED"},
    Name{ProtocolError::KdcErrPreauthRequired, "KDC_ERR_PREAUTH_REQUIRED"},
    Name{ProtocolError::KdcErrServerNomatch, "KDC_ERR_SERVER_NOMATCH"},
    Name{ProtocolError::KdcErrMustUseUser2user, "KDC_ERR_MUST_USE_USER2USER"},
    Name{ProtocolError::KrbApErrBadIntegrity, "KRB_AP_ERR_BAD_INTEGRITY"},
    Name{ProtocolError::KrbApErrTktExpired, "KRB_AP_ERR_TKT_EXPIRED"},
    Name{ProtocolError::KrbApErrTktNyv, "KRB_AP_ERR_TKT_NYV"},
    Name{ProtocolError::KrbApErrRepeat, "KRB_AP_ERR_REPEAT"},
    Name{ProtocolError::KrbApErrNotUs, "KRB_AP_ERR_NOT_US"},
    Name{ProtocolError::KrbApErrBadmatch, "KRB_AP_ERR_BADMATCH"},
    Name{ProtocolError::KrbApErrSkew, "KRB_AP_ERR_SKEW"},
    Name{ProtocolError::KrbApErrBadaddr, "KRB_AP_ERR_BADADDR"},
    Name{ProtocolError::KrbApErrBadversion, "KRB_AP_ERR_BADVERSION"},
    Name{ProtocolError::KrbApErrMsgType, "KRB_AP_ERR_MSG_TYPE"},
    Name{ProtocolError::KrbApErrModified, "KRB_AP_ERR_MODIFIED"},
    Name{ProtocolError::KrbApErrBadorder, "KRB_AP_ERR_BADORDER"},
    Name{ProtocolError::KrbApErrBadkeyver, "KRB_AP_ERR_BADKEYVER"},
    Name{ProtocolError::KrbApErrNokey, "KRB_AP_ERR_NOKEY"},
    Name{ProtocolError::KrbApErrMutFail, "KRB_AP_ERR_MUT_FAIL"},
    Name{ProtocolError::KrbApErrBaddirection, "KRB_AP_ERR_BADDIRECTION"},
    Name{ProtocolError::KrbApErrMethod, "KRB_AP_ERR_METHOD"},
    Name{ProtocolError::KrbApErrBadseq, "KRB_AP_ERR_BADSEQ"},
    Name{ProtocolError::KrbApErrInappCksum, "KRB_AP_ERR_INAPP_CKSUM"},
    Name{ProtocolError::KrbApPathNotAccepted, "KRB_AP_PATH_NOT_ACCEPTED"},
    Name{ProtocolError::KrbErrResponseTooBig, "KRB_ERR_RESPONSE_TOO_BIG"},
    Name{ProtocolError::KrbErrGeneric, "KRB_ERR_GENERIC"},
    Name{ProtocolError::KrbErrFieldToolong, "KRB_ERR_FIELD_TOOLONG"},
};

// The krb5 library reserves 128 codes for the protocol's (krb5_err.et).
constexpr krb5_error_code kProtocolCodes = 128;

std::string principal_text(krb5_context ctx, krb5_const_principal p) {
  if (p == nullptr) return {};
  char* s = nullptr;
  if (krb5_unparse_name(ctx, p, &s) != 0 || s == nullptr) return "<unprintable principal>";
  std::string out = s;
  krb5_free_unparsed_name(ctx, s);
  return out;
}

}  // namespace

std::string protocol_error_name(ProtocolError e) {
  for (const auto& n : kNames) {
    if (n.code == e) return std::string(n.name);
  }
  return fmt::format("ERROR_{}", static_cast<std::int32_t>(e));
}

std::optional<ProtocolError> protocol_code(krb5_error_code code) {
  if (code < ERROR_TABLE_BASE_krb5 || code >= ERROR_TABLE_BASE_krb5 + kProtocolCodes) return std::nullopt;
  return static_cast<ProtocolError>(code - ERROR_TABLE_BASE_krb5);
}

krb5_error_code to_krb5(ProtocolError e) {
  return ERROR_TABLE_BASE_krb5 + static_cast<krb5_error_code>(e);
}

core::Result<std::vector<std::uint8_t>> mk_error(const Context& ctx, const Principal& server, ProtocolError code,
                                                 const std::optional<ClientTime>& client_time,
                                                 std::string_view text) {
  auto code_num = static_cast<std::int32_t>(code);
  if (code_num < 0 || code_num >= kProtocolCodes) {
    return fail(ErrorCode::Internal, "KRB_ERROR code {} is out of range", code_num);
  }
  krb5_error err{};
  err.magic = KV5M_ERROR;
  if (client_time) {
    err.ctime = static_cast<krb5_timestamp>(client_time->ctime);
    err.cusec = client_time->cusec;
  }
  auto [now_s, now_us] = ctx.now();
  err.stime = static_cast<krb5_timestamp>(now_s);
  err.susec = now_us;
  err.error = static_cast<krb5_ui_4>(code_num);
  err.server = server.get();
  std::string t(text.empty() ? protocol_error_name(code) : std::string(text));
  err.text.magic = KV5M_DATA;
  err.text.length = static_cast<unsigned int>(t.size());
  err.text.data = t.data();
  krb5_data out{};
  krb5_error_code r = krb5_mk_error(ctx.get(), &err, &out);
  if (r != 0) return fail(ctx.error(r, "krb5_mk_error"));
  std::vector<std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(out.data),
                                  reinterpret_cast<const std::uint8_t*>(out.data) + out.length);
  krb5_free_data_contents(ctx.get(), &out);
  return bytes;
}

core::Result<KrbError> rd_error(const Context& ctx, std::span<const std::uint8_t> der) {
  if (auto st = check_envelope(der, 30, 30); !st) return fail(st.error());
  krb5_data in = as_data(der);
  krb5_error* dec = nullptr;
  krb5_error_code r = krb5_rd_error(ctx.get(), &in, &dec);
  if (r != 0 || dec == nullptr) {
    core::Error e = ctx.error(r, "KRB_ERROR");
    e.code = ErrorCode::Malformed;
    return fail(std::move(e));
  }
  KrbError out;
  out.code = static_cast<ProtocolError>(static_cast<std::int32_t>(dec->error));
  out.stime = to_time(dec->stime);
  out.susec = dec->susec;
  // ctime is optional on the wire; MIT decodes an absent one as 0.
  if (dec->ctime != 0) out.client_time = ClientTime{to_time(dec->ctime), dec->cusec};
  out.server = principal_text(ctx.get(), dec->server);
  out.client = principal_text(ctx.get(), dec->client);
  out.text.assign(dec->text.data != nullptr ? dec->text.data : "", dec->text.length);
  if (dec->e_data.data != nullptr) {
    out.e_data.assign(reinterpret_cast<const std::uint8_t*>(dec->e_data.data),
                      reinterpret_cast<const std::uint8_t*>(dec->e_data.data) + dec->e_data.length);
  }
  krb5_free_error(ctx.get(), dec);
  return out;
}

}  // namespace kink::krb
