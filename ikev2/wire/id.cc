// ikev2/wire/id.cc — the Identification payload codec (RFC 7296 §3.5).
#include "ikev2/wire/id.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

core::Result<IdPayload> decode_id(std::span<const std::uint8_t> body, bool initiator) {
  core::wire::Reader r(body);
  std::uint8_t type = 0;
  if (!r.u8(type) || !r.skip(3)) {
    return core::fail(core::ErrorCode::Malformed, "ID body {} octets < 4", body.size());
  }
  IdPayload id;
  id.initiator = initiator;
  id.type = static_cast<IdType>(type);
  auto rest = r.rest();
  id.data.assign(rest.begin(), rest.end());
  return id;
}

core::Status verify(const IdPayload& id, const VerifyContext&) {
  const char* which = id.initiator ? "IDi" : "IDr";
  switch (id.type) {
    case IdType::Ipv4Addr:
      if (id.data.size() != 4) {
        return core::fail(core::ErrorCode::InvalidSyntax, "{} ID_IPV4_ADDR of {} octets", which,
                          id.data.size());
      }
      return core::ok();
    case IdType::Ipv6Addr:
      if (id.data.size() != 16) {
        return core::fail(core::ErrorCode::InvalidSyntax, "{} ID_IPV6_ADDR of {} octets", which,
                          id.data.size());
      }
      return core::ok();
    case IdType::Null:
      return core::ok();
    default:
      break;
  }
  if (static_cast<std::uint8_t>(id.type) == 0) {
    return core::fail(core::ErrorCode::InvalidSyntax, "{} ID Type 0 is reserved", which);
  }
  if (id.data.empty()) {
    return core::fail(core::ErrorCode::InvalidSyntax, "{} {} without data", which,
                      id_type_name(id.type));
  }
  return core::ok();
}

void encode(const IdPayload& id, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(id.type));
  w.zeros(3);
  w.bytes(id.data);
}

}  // namespace ikev2::wire
