// ikev2/tasks/child_negotiation.cc — CHILD_SA offer, choice and answer
// (RFC 7296 §1.3, §2.9, §1.3.1).
#include "ikev2/tasks/child_negotiation.h"

#include "core/log/log.h"
#include "ikev2/tasks/engine_core.h"

namespace ikev2 {

using wire::NotifyPayload;
using wire::NotifyType;

std::vector<std::uint8_t> spi_bytes(std::uint32_t spi) {
  return {static_cast<std::uint8_t>(spi >> 24), static_cast<std::uint8_t>(spi >> 16),
          static_cast<std::uint8_t>(spi >> 8), static_cast<std::uint8_t>(spi)};
}

std::optional<std::uint32_t> spi_value(const std::vector<std::uint8_t>& b) {
  if (b.size() != 4) return std::nullopt;
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

std::unique_ptr<ChildSa> new_child(EngineCore& core, IkeSa& sa, const ChildRequest& request,
                                   std::uint32_t reqid) {
  auto spi = core.alloc_spi(sa, reqid);
  if (!spi) {
    KLOG(Chd, Error, "IKE_SA {}: no inbound SPI: {}", sa.name(), spi.error().to_string());
    return nullptr;
  }
  auto child = std::make_unique<ChildSa>(core.timers, *spi, request.config);
  child->reqid = reqid;
  const ChildConfig& c = *request.config;
  child->mode = c.mode;
  // The packet's own selectors go first (RFC 7296 §2.9).
  if (request.packet_src) child->local_ts.push_back(*request.packet_src);
  child->local_ts.insert(child->local_ts.end(), c.local_ts.begin(), c.local_ts.end());
  if (request.packet_dst) child->remote_ts.push_back(*request.packet_dst);
  child->remote_ts.insert(child->remote_ts.end(), c.remote_ts.begin(), c.remote_ts.end());
  return child;
}

void offer_child(EngineCore& core, const ChildSa& child, bool strip_ke,
                 std::vector<wire::Payload>& out) {
  const auto& proposals = core.child_proposals(child.config.get());
  if (child.mode == core::ipsec::Mode::Transport)
    out.emplace_back(NotifyPayload::make(NotifyType::UseTransportMode));
  out.emplace_back(offer(strip_ke ? without_ke(proposals) : proposals, wire::ProtocolId::Esp,
                         spi_bytes(child.spi_in)));
  out.emplace_back(ts_to_payload(child.local_ts, true));
  out.emplace_back(ts_to_payload(child.remote_ts, false));
}

core::Status accept_child(EngineCore& core, ChildSa& child, const InMessage& r, bool strip_ke) {
  if (const auto* n = r.error_notify())
    return core::fail(core::ErrorCode::Refused, "{}", wire::notify_type_name(n->type));
  const auto* sa_p = r.find<wire::SaPayload>();
  const auto* tsi_p = wire::find<wire::TsPayload>(r.payloads);
  const wire::TsPayload* tsr_p = nullptr;
  for (const auto& p : r.payloads) {
    if (const auto* t = std::get_if<wire::TsPayload>(&p); t != nullptr && !t->initiator) tsr_p = t;
  }
  if (tsi_p != nullptr && !tsi_p->initiator) tsi_p = nullptr;
  if (sa_p == nullptr || tsi_p == nullptr || tsr_p == nullptr)
    return core::fail(core::ErrorCode::InvalidSyntax, "response lacks SA, TSi or TSr");
  const auto& proposals = core.child_proposals(child.config.get());
  auto chosen = sa_p->proposals.size() == 1
                    ? select_child(*sa_p, strip_ke ? without_ke(proposals) : proposals)
                    : std::nullopt;
  if (!chosen) return core::fail(core::ErrorCode::NoProposal, "responder chose an ESP proposal we did not offer");
  auto spi = spi_value(chosen->spi);
  if (!spi || *spi == 0) return core::fail(core::ErrorCode::InvalidSyntax, "bad responder ESP SPI");
  auto tsi = ts_from_payload(*tsi_p);
  auto tsr = ts_from_payload(*tsr_p);
  // The responder may only narrow (RFC 7296 §2.9).
  if (tsi.empty() || tsr.empty() || !covered(tsi, child.local_ts) || !covered(tsr, child.remote_ts))
    return core::fail(core::ErrorCode::Refused, "responder's selectors exceed what was proposed");
  const bool transport = r.notify(NotifyType::UseTransportMode) != nullptr;
  if (transport && child.mode != core::ipsec::Mode::Transport)
    return core::fail(core::ErrorCode::InvalidSyntax, "transport mode answered but not requested");
  if (!transport && child.mode == core::ipsec::Mode::Transport)
    return core::fail(core::ErrorCode::Refused, "responder refused transport mode");
  child.spi_out = *spi;
  child.algs = chosen->algs;
  child.local_ts = std::move(tsi);
  child.remote_ts = std::move(tsr);
  return core::ok();
}

std::optional<ChildOffer> read_offer(const InMessage& r) {
  ChildOffer o;
  o.sa = r.find<wire::SaPayload>();
  const wire::TsPayload *tsi = nullptr, *tsr = nullptr;
  for (const auto& p : r.payloads) {
    if (const auto* t = std::get_if<wire::TsPayload>(&p)) (t->initiator ? tsi : tsr) = t;
  }
  if (o.sa == nullptr || tsi == nullptr || tsr == nullptr) return std::nullopt;
  o.tsi = ts_from_payload(*tsi);
  o.tsr = ts_from_payload(*tsr);
  o.transport = r.notify(NotifyType::UseTransportMode) != nullptr;
  if (const auto* ke = r.find<wire::KePayload>()) o.ke_group = ke->group;
  return o;
}

tl::expected<Picked, PickError> pick_child(
    EngineCore& core, IkeSa& sa, const ChildOffer& offer,
    const std::vector<std::shared_ptr<const ChildConfig>>& configs, bool strip_ke,
    std::uint32_t reqid) {
  PickError err{NotifyType::TsUnacceptable, 0};
  const wire::SaPayload stripped =
      strip_ke ? wire::SaPayload{without_ke(offer.sa->proposals)} : wire::SaPayload{};
  const wire::SaPayload& offered = strip_ke ? stripped : *offer.sa;
  for (const auto& config : configs) {
    // Our view: TSi is the peer's side (remote_ts), TSr ours (local_ts).
    auto tsi = narrow(offer.tsi, config->remote_ts);
    auto tsr = narrow(offer.tsr, config->local_ts);
    if (tsi.empty() || tsr.empty()) continue;
    const bool transport = config->mode == core::ipsec::Mode::Transport;
    if (transport && !offer.transport) {
      err = {NotifyType::NoProposalChosen, 0};  // we only do transport here (§1.3.1)
      continue;
    }
    const auto& local = core.child_proposals(config.get());
    auto chosen = select_child(offered, strip_ke ? without_ke(local) : local, offer.ke_group);
    if (!chosen) {
      err = {NotifyType::NoProposalChosen, 0};
      continue;
    }
    auto peer_spi = spi_value(chosen->spi);
    if (!peer_spi || *peer_spi == 0) {
      err = {NotifyType::InvalidSyntax, 0};
      continue;
    }
    if (chosen->algs.ke != offer.ke_group) {
      // A PFS group other than KEi's (or KEi where we want none).
      if (chosen->algs.ke != 0) return tl::unexpected(PickError{NotifyType::InvalidKePayload, chosen->algs.ke});
      err = {NotifyType::NoProposalChosen, 0};
      continue;
    }
    const std::uint32_t id = reqid != 0 ? reqid : core.reqid_for(*config);
    auto spi = core.alloc_spi(sa, id);
    if (!spi) {
      KLOG(Chd, Error, "IKE_SA {}: no inbound SPI: {}", sa.name(), spi.error().to_string());
      return tl::unexpected(PickError{NotifyType::NoAdditionalSas, 0});
    }
    auto child = std::make_unique<ChildSa>(core.timers, *spi, config);
    child->spi_out = *peer_spi;
    child->reqid = id;
    child->mode = transport ? core::ipsec::Mode::Transport : core::ipsec::Mode::Tunnel;
    child->algs = chosen->algs;
    // Ours: local is TSr, remote is TSi.
    child->local_ts = std::move(tsr);
    child->remote_ts = std::move(tsi);
    return Picked{std::move(child), chosen->number};
  }
  return tl::unexpected(err);
}

void answer_child(const ChildSa& child, std::uint8_t proposal_number,
                  std::vector<wire::Payload>& out) {
  if (child.mode == core::ipsec::Mode::Transport)
    out.emplace_back(NotifyPayload::make(NotifyType::UseTransportMode));
  out.emplace_back(wire::SaPayload{{child_proposal(child.algs, proposal_number, spi_bytes(child.spi_in))}});
  out.emplace_back(ts_to_payload(child.remote_ts, true));
  out.emplace_back(ts_to_payload(child.local_ts, false));
}

void child_failed_event(EngineCore& core, const IkeSa& sa, const std::string& name,
                        const std::string& reason) {
  Event ev = core.ike_event(EventKind::ChildFailed, sa);
  ChildInfo info;
  info.name = name;
  ev.child = info;
  ev.reason = reason;
  core.emit(ev);
}

}  // namespace ikev2
