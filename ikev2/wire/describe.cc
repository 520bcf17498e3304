// ikev2/wire/describe.cc — one-line summaries of messages for logs and dumps.
#include <fmt/format.h>

#include "ikev2/wire/message.h"

namespace ikev2::wire {

namespace {

std::string describe_one(const Payload& p) {
  if (const auto* n = std::get_if<NotifyPayload>(&p)) {
    return fmt::format("N({})", notify_type_name(n->type));
  }
  if (const auto* d = std::get_if<DeletePayload>(&p)) {
    return fmt::format("D({})", protocol_id_name(d->protocol));
  }
  if (const auto* cp = std::get_if<CpPayload>(&p)) {
    return fmt::format("CP({})", cfg_type_name(cp->type));
  }
  if (const auto* skf = std::get_if<SkfPayload>(&p)) {
    return fmt::format("SKF({}/{})", skf->fragment_number, skf->total_fragments);
  }
  if (const auto* u = std::get_if<UnknownPayload>(&p)) {
    return fmt::format("{}{}", payload_type_name(u->type), u->critical ? "(critical)" : "");
  }
  return payload_type_name(payload_type(p));
}

}  // namespace

std::string describe_payloads(const std::vector<Payload>& payloads) {
  std::string out = "[";
  for (const Payload& p : payloads) {
    out += ' ';
    out += describe_one(p);
  }
  out += " ]";
  return out;
}

std::string describe(const Message& m) {
  return fmt::format("{} {} {} {:016x}_i {:016x}_r {}", exchange_type_name(m.header.exchange),
                     m.header.response ? "response" : "request", m.header.message_id,
                     m.header.spi_i, m.header.spi_r, describe_payloads(m.payloads));
}

}  // namespace ikev2::wire
