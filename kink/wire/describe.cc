// kink/wire/describe.cc — one-line summaries of KINK messages for logs.
#include <fmt/format.h>

#include "kink/wire/message.h"

namespace kink::wire {

namespace {

// short_name drops the "KINK_" prefix: "AP_REQ", "ISAKMP".
std::string short_name(PayloadType t) {
  std::string name = payload_type_name(t);
  return name.rfind("KINK_", 0) == 0 ? name.substr(5) : name;
}

}  // namespace

std::string describe_payloads(const std::vector<Payload>& payloads) {
  std::string out = "[";
  for (const Payload& p : payloads) {
    out += ' ';
    if (const auto* isakmp = std::get_if<IsakmpPayload>(&p)) {
      out += fmt::format("ISAKMP({})", isakmp::describe_chain(isakmp->payloads));
    } else if (const auto* error = std::get_if<ErrorPayload>(&p)) {
      out += fmt::format("ERROR({})", kink_error_name(error->code));
    } else {
      out += short_name(payload_type(p));
    }
  }
  return out + " ]";
}

std::string describe(const Message& m) {
  std::string out = fmt::format("{} xid 0x{:08x}{} {}", message_type_name(m.header.type), m.header.xid,
                                m.header.ack_request ? " A" : "", describe_payloads(m.payloads));
  if (!m.checksum.empty()) out += fmt::format(" cksum {}", m.checksum.size());
  return out;
}

}  // namespace kink::wire
