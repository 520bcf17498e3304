// kink/krb/der.h — the little DER reading kink/krb needs where MIT krb5
// exposes no accessor: the ctime/cusec of an authenticator this host put in
// its own AP-REQ (krb5_auth_con_getauthenticator is only safe on the
// receiving side).
//
//   AP-REQ        ::= [APPLICATION 14] SEQUENCE { pvno [0], msg-type [1],
//                       ap-options [2], ticket [3], authenticator [4] EncryptedData }
//   EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL,
//                                cipher [2] OCTET STRING }
//   Authenticator ::= [APPLICATION 2] SEQUENCE { authenticator-vno [0],
//                       crealm [1], cname [2], cksum [3] OPTIONAL,
//                       cusec [4] Microseconds, ctime [5] KerberosTime, ... }
// (RFC 4120 §5.5.1, §5.2.9, §5.2.3). Only definite-length, low-tag-number
// DER is read; anything else fails Malformed.
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "kink/krb/context.h"
#include "kink/krb/handles.h"
#include "kink/krb/keys.h"

namespace kink::krb {

// ap_req_client_time decrypts the authenticator of ap_req with the
// ticket's session key (key usage 11, RFC 4120 §7.5.1) and returns its
// ctime and cusec. Malformed for octets that are not an AP-REQ, AuthFailed
// when the authenticator does not decrypt with key.
core::Result<ClientTime> ap_req_client_time(const Context& ctx, std::span<const std::uint8_t> ap_req,
                                            const SessionKey& key);

// check_envelope verifies what MIT's decoders let pass: der is exactly one
// [APPLICATION app] SEQUENCE (nothing after it) whose pvno [0] is 5 and
// msg-type [1] is msg_type (RFC 4120 §5.5.1 AP-REQ 14/14, §5.5.2 AP-REP
// 15/15, §5.9.1 KRB-ERROR 30/30). Malformed otherwise.
core::Status check_envelope(std::span<const std::uint8_t> der, int app, int msg_type);

// parse_generalized_time reads a KerberosTime ("YYYYMMDDHHMMSSZ", RFC 4120
// §5.2.3) into seconds since 1970; nullopt when it is not one.
std::optional<std::int64_t> parse_generalized_time(std::span<const std::uint8_t> text);

}  // namespace kink::krb
