// ikev2/wire/payload.h — Payload: any one IKEv2 payload, as a std::variant of
// the per-payload structs, plus UnknownPayload for types we do not parse.
//
// Known payload types (33..48, 53) always decode into their struct; the
// critical bit of a known payload is ignored on receipt and sent as zero
// (RFC 7296 §3.2). An UnknownPayload keeps its type, critical bit and body
// so a message can be re-encoded unchanged.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/auth.h"
#include "ikev2/wire/cert.h"
#include "ikev2/wire/certreq.h"
#include "ikev2/wire/constants.h"
#include "ikev2/wire/cp.h"
#include "ikev2/wire/delete.h"
#include "ikev2/wire/eap.h"
#include "ikev2/wire/generic_header.h"
#include "ikev2/wire/id.h"
#include "ikev2/wire/ke.h"
#include "ikev2/wire/nonce.h"
#include "ikev2/wire/notify.h"
#include "ikev2/wire/sa.h"
#include "ikev2/wire/sk.h"
#include "ikev2/wire/skf.h"
#include "ikev2/wire/ts.h"
#include "ikev2/wire/vendor_id.h"

namespace ikev2::wire {

// UnknownPayload is a payload whose type this codec does not parse. A
// non-critical one is skipped by the engine (RFC 7296 §3.2); a critical one
// never gets this far: decode_message fails with UnsupportedCritical.
struct UnknownPayload {
  PayloadType type = PayloadType::None;
  bool critical = false;
  std::vector<std::uint8_t> body;

  bool operator==(const UnknownPayload&) const = default;
};

// Payload is one decoded payload.
using Payload = std::variant<SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload,
                             AuthPayload, NoncePayload, NotifyPayload, DeletePayload,
                             VendorIdPayload, TsPayload, SkPayload, CpPayload, EapPayload,
                             SkfPayload, UnknownPayload>;

// payload_type returns the Next Payload value that announces p.
PayloadType payload_type(const Payload& p);

// decode_payload decodes the body framed by g as a payload of type (lengths
// only, no verify). A type outside is_known_payload_type() yields an
// UnknownPayload carrying g.critical. Fails as the payload's decoder does.
core::Result<Payload> decode_payload(PayloadType type, const GenericHeader& g);

// verify_payload runs the payload's RFC checks (see each verify()).
core::Status verify_payload(const Payload& p, const VerifyContext& ctx);

// encode_payload_body appends p's body (without the generic header).
void encode_payload_body(const Payload& p, core::wire::Writer& w);

// critical_bit returns the critical bit p is sent with: its own for an
// UnknownPayload, zero for every payload type RFC 7296 defines.
bool critical_bit(const Payload& p);

}  // namespace ikev2::wire
