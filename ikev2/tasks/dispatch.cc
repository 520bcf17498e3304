// ikev2/tasks/dispatch.cc — receiving: finding the IKE_SA of a message,
// Message ID checks, the response cache, SK protection (RFC 7296 §2.1-§2.3,
// §3.14).
#include "core/log/log.h"
#include "core/wire/writer.h"
#include "ikev2/tasks/create_child.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/ike_auth.h"
#include "ikev2/tasks/ike_init.h"
#include "ikev2/tasks/informational.h"

namespace ikev2 {

using wire::ExchangeType;

void EngineCore::on_datagram(std::span<const std::uint8_t> datagram,
                             const core::net::Endpoint& local, const core::net::Endpoint& remote) {
  auto m = wire::decode_message(datagram);
  if (!m) {
    const auto& e = m.error();
    KLOG(Enc, Diag, "dropping message from {}: {}", remote.to_string(), e.to_string());
    // An unauthenticated IKE_SA_INIT request may be answered (RFC 7296 §2.21.1);
    // anything else broken is dropped, since it may be forged.
    if (e.header && e.header->exchange == ExchangeType::IkeSaInit && !e.header->response &&
        e.header->spi_r == 0) {
      if (e.fault == wire::DecodeFault::UnsupportedCritical) {
        send_plain_notify(*e.header,
                          wire::NotifyPayload::make(wire::NotifyType::UnsupportedCriticalPayload,
                                                    {static_cast<std::uint8_t>(e.payload_type)}),
                          local, remote);
      } else if (e.fault == wire::DecodeFault::InvalidSyntax) {
        send_plain_notify(*e.header, wire::NotifyPayload::make(wire::NotifyType::InvalidSyntax),
                          local, remote);
      }
    }
    return;
  }
  const wire::Header& h = m->header;
  KLOG(Enc, Debug, "received {} from {} ({} bytes)", wire::describe(*m), remote.to_string(),
       datagram.size());
  if (h.exchange == ExchangeType::IkeSaInit && tracer) tracer(false, h, m->payloads, local, remote);
  if (h.exchange == ExchangeType::IkeSaInit && !h.response) {
    on_ike_sa_init_request(*m, datagram, local, remote);
    return;
  }
  // Our SPI is SPIr when the sender is the original initiator (I flag).
  IkeSa* sa = sas.find_by_spi(h.initiator ? h.spi_r : h.spi_i);
  if (sa == nullptr || h.initiator == sa->initiator()) {
    KLOG(Ike, Diag, "no IKE_SA for {:016x}_i {:016x}_r from {}, dropped", h.spi_i, h.spi_r,
         remote.to_string());
    return;
  }
  if (h.exchange == ExchangeType::IkeSaInit) {
    if (sa->state() != IkeState::Connecting || !sa->active || sa->outstanding.message_id != 0) return;
    InMessage in{h, std::move(m->payloads), datagram};
    handle_response(*sa, in);
    return;
  }
  if (sa->remote_spi() != (h.initiator ? h.spi_i : h.spi_r)) {
    KLOG(Ike, Diag, "IKE_SA {}: message with wrong peer SPI dropped", sa->name());
    return;
  }
  if (h.response) {
    if (!sa->active || h.message_id != sa->outstanding.message_id) {
      KLOG(Ike, Diag, "IKE_SA {}: unexpected response {} dropped", sa->name(), h.message_id);
      return;
    }
  } else if (h.message_id != sa->expected_peer_id) {
    if (sa->has_cached_response && h.message_id == sa->cached_response_id) {
      // A retransmitted request: answer with the same bytes (RFC 7296 §2.1).
      KLOG(Ike, Diag, "IKE_SA {}: request {} retransmitted, resending response", sa->name(),
           h.message_id);
      sender.send(sa->cached_response, sa->local, sa->remote);
    } else {
      KLOG(Ike, Diag, "IKE_SA {}: request {} outside window (want {}), dropped", sa->name(),
           h.message_id, sa->expected_peer_id);
    }
    return;
  }
  bool authentic = false;
  auto in = unprotect(*sa, *m, datagram, authentic);
  if (!in) {
    // Integrity failures are dropped silently (RFC 7296 §2.21.2); an
    // authentic request whose content does not parse gets INVALID_SYNTAX
    // (§2.21.4).
    KLOG(Enc, Diag, "IKE_SA {}: {} dropped: {}", sa->name(), wire::describe(*m),
         in.error().to_string());
    if (authentic && !h.response)
      send_response(*sa, InMessage{h, {}, datagram},
                    {wire::NotifyPayload::make(wire::NotifyType::InvalidSyntax)});
    return;
  }
  KLOG(Enc, Debug, "IKE_SA {}: parsed {} {} {} [{}]", sa->name(),
       wire::exchange_type_name(h.exchange), h.response ? "response" : "request", h.message_id,
       wire::describe_payloads(in->payloads));
  if (tracer) tracer(false, in->header, in->payloads, local, remote);
  sa->last_heard = clock.now();
  if (sa->nat() && (remote != sa->remote || local != sa->local)) {
    // Behind a NAT the peer's mapping may change; follow authenticated
    // messages (RFC 7296 §2.23).
    KLOG(Ike, Info, "IKE_SA {}: peer moved {} -> {}", sa->name(), sa->remote.to_string(),
         remote.to_string());
    sa->remote = remote;
    sa->local = local;
  }
  if (h.response) {
    handle_response(*sa, *in);
  } else {
    handle_request(*sa, *in);
  }
}

void EngineCore::handle_request(IkeSa& sa, const InMessage& msg) {
  switch (msg.header.exchange) {
    case ExchangeType::IkeAuth:
      respond_ike_auth(*this, sa, msg);
      return;
    case ExchangeType::CreateChildSa:
      respond_create_child(*this, sa, msg);
      return;
    case ExchangeType::Informational:
      respond_informational(*this, sa, msg);
      return;
    default:
      KLOG(Ike, Diag, "IKE_SA {}: {} request not supported, dropped", sa.name(),
           wire::exchange_type_name(msg.header.exchange));
      return;
  }
}

core::Result<InMessage> EngineCore::unprotect(IkeSa& sa, const wire::Message& m,
                                              std::span<const std::uint8_t> raw, bool& authentic) {
  authentic = false;
  if (m.payloads.empty())
    return core::fail(core::ErrorCode::InvalidSyntax, "protected exchange without SK payload");
  const auto* sk = std::get_if<wire::SkPayload>(&m.payloads.back());
  if (sk == nullptr)
    return core::fail(core::ErrorCode::Unsupported, "no SK payload (fragments are not supported)");
  if (sa.keys.sk_d.empty()) return core::fail(core::ErrorCode::State, "no keys yet");
  auto cipher = SkCipher::create(sa.algs.encr, sa.sk_e_in(), sa.algs.integ, sa.sk_a_in());
  if (!cipher) return tl::unexpected(cipher.error());
  auto plain = cipher->open(raw, raw.size() - sk->body.size());
  if (!plain) return tl::unexpected(plain.error());
  authentic = true;
  auto chain = wire::decode_payload_chain(sk->first_inner, *plain,
                                          {m.header.exchange, m.header.response});
  if (!chain) return tl::unexpected(chain.error().to_error());
  return InMessage{m.header, std::move(*chain), raw};
}

core::Result<std::vector<std::uint8_t>> EngineCore::protect(
    IkeSa& sa, const wire::Header& header, const std::vector<wire::Payload>& payloads) {
  auto chain = wire::encode_payload_chain(payloads);
  auto cipher = SkCipher::create(sa.algs.encr, sa.sk_e_out(), sa.algs.integ, sa.sk_a_out());
  if (!cipher) return tl::unexpected(cipher.error());
  const std::size_t body = cipher->sealed_size(chain.bytes.size());
  wire::Header h = header;
  h.next_payload = wire::PayloadType::Encrypted;
  h.length = static_cast<std::uint32_t>(wire::kHeaderSize + wire::kGenericHeaderSize + body);
  core::wire::Writer w;
  wire::encode_header(h, w);
  w.u8(static_cast<std::uint8_t>(chain.first));
  w.u8(0);
  w.u16(static_cast<std::uint16_t>(wire::kGenericHeaderSize + body));
  auto msg = w.take();
  msg.reserve(h.length);
  const auto iv = cipher->make_iv(rng, sa.iv_counter);
  if (auto s = cipher->seal(msg, chain.bytes, iv); !s) return tl::unexpected(s.error());
  return msg;
}

wire::Header EngineCore::header(const IkeSa& sa, wire::ExchangeType x, bool response,
                                std::uint32_t id) const {
  wire::Header h;
  h.spi_i = sa.spi_i;
  h.spi_r = sa.spi_r;
  h.exchange = x;
  h.initiator = sa.initiator();
  h.response = response;
  h.message_id = id;
  return h;
}

void EngineCore::send_response(IkeSa& sa, const InMessage& request,
                               const std::vector<wire::Payload>& payloads) {
  const wire::Header h = header(sa, request.header.exchange, true, request.header.message_id);
  std::vector<std::uint8_t> bytes;
  if (request.header.exchange == ExchangeType::IkeSaInit) {
    bytes = wire::encode_message({h, payloads});
  } else {
    auto p = protect(sa, h, payloads);
    if (!p) {
      KLOG(Enc, Error, "IKE_SA {}: cannot protect response: {}", sa.name(), p.error().to_string());
      return;
    }
    bytes = std::move(*p);
  }
  if (tracer) tracer(true, h, payloads, sa.local, sa.remote);
  KLOG(Enc, Debug, "IKE_SA {}: sending {} response {} [{}]", sa.name(),
       wire::exchange_type_name(h.exchange), h.message_id, wire::describe_payloads(payloads));
  sa.cached_response = std::move(bytes);
  sa.has_cached_response = true;
  sa.cached_response_id = h.message_id;
  sa.expected_peer_id = h.message_id + 1;
  transmit(sa, sa.cached_response);
}

void EngineCore::send_plain_notify(const wire::Header& request, wire::NotifyPayload n,
                                   const core::net::Endpoint& local,
                                   const core::net::Endpoint& remote) {
  wire::Header h;
  h.spi_i = request.spi_i;
  h.spi_r = 0;
  h.exchange = request.exchange;
  h.response = true;
  h.message_id = request.message_id;
  KLOG(Enc, Debug, "sending {} response {} [ N({}) ] to {}", wire::exchange_type_name(h.exchange),
       h.message_id, wire::notify_type_name(n.type), remote.to_string());
  const wire::Message m{h, {wire::Payload(std::move(n))}};
  if (tracer) tracer(true, h, m.payloads, local, remote);
  const auto bytes = wire::encode_message(m);
  sender.send(bytes, local, remote);
}

void EngineCore::transmit(const IkeSa& sa, std::span<const std::uint8_t> bytes) {
  sender.send(bytes, sa.local, sa.remote);
}

}  // namespace ikev2
