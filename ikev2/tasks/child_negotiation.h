// ikev2/tasks/child_negotiation.h — the CHILD_SA part shared by IKE_AUTH
// and CREATE_CHILD_SA (RFC 7296 §1.3, §2.9, §2.17): offering SA/TSi/TSr,
// choosing a configuration and proposal as responder, narrowing selectors,
// transport mode (§1.3.1), and checking the responder's answer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <tl/expected.hpp>

#include "ikev2/sa/ike_sa.h"
#include "ikev2/tasks/engine.h"
#include "ikev2/tasks/task.h"
#include "ikev2/wire/notify_type.h"

namespace ikev2 {

class EngineCore;

// spi_bytes / spi_value convert a 4-octet ESP SPI.
std::vector<std::uint8_t> spi_bytes(std::uint32_t spi);
std::optional<std::uint32_t> spi_value(const std::vector<std::uint8_t>& b);

// new_child reserves an inbound SPI and makes a Creating ChildSa for
// request, with the selectors it will propose; nullptr (and a log line)
// when the kernel refuses the SPI.
std::unique_ptr<ChildSa> new_child(EngineCore& core, IkeSa& sa, const ChildRequest& request,
                                   std::uint32_t reqid);

// offer_child appends SA (with ke_group transforms stripped when
// strip_ke), TSi, TSr and N(USE_TRANSPORT_MODE) for child.
void offer_child(EngineCore& core, const ChildSa& child, bool strip_ke,
                 std::vector<wire::Payload>& out);

// accept_child checks the responder's SA/TSi/TSr answer against what was
// offered and fills spi_out, algs, selectors and mode. Fails with the
// refusal's notify name or the rule the answer broke.
core::Status accept_child(EngineCore& core, ChildSa& child, const InMessage& response,
                          bool strip_ke);

// ChildOffer is what a request proposes for a CHILD_SA.
struct ChildOffer {
  const wire::SaPayload* sa = nullptr;
  std::vector<Ts> tsi, tsr;
  bool transport = false;
  std::uint16_t ke_group = 0;  // KEi's group (CREATE_CHILD_SA with PFS), else 0
};

// read_offer collects the offer from a request; nullopt when SA, TSi or
// TSr is missing.
std::optional<ChildOffer> read_offer(const InMessage& request);

// PickError is a refusal: the notify to send, and for INVALID_KE_PAYLOAD
// the group we want.
struct PickError {
  wire::NotifyType type = wire::NotifyType::NoProposalChosen;
  std::uint16_t group = 0;
};

// pick_child chooses, as responder, the first configuration whose
// selectors narrow the offer to something non-empty and whose proposals
// match, reserves our inbound SPI and returns the Creating ChildSa with the
// number of the proposal it chose.
// configs are the peer's CHILD_SA configurations (for a rekey: the old
// child's alone). strip_ke ignores KE transforms (IKE_AUTH).
struct Picked {
  std::unique_ptr<ChildSa> child;
  std::uint8_t proposal_number = 1;
};
tl::expected<Picked, PickError> pick_child(
    EngineCore& core, IkeSa& sa, const ChildOffer& offer,
    const std::vector<std::shared_ptr<const ChildConfig>>& configs, bool strip_ke,
    std::uint32_t reqid = 0);

// answer_child appends the responder's SA, TSi, TSr and, in transport
// mode, N(USE_TRANSPORT_MODE) for child.
void answer_child(const ChildSa& child, std::uint8_t proposal_number, std::vector<wire::Payload>& out);

// child_failed_event reports a CHILD_SA that could not be negotiated.
void child_failed_event(EngineCore& core, const IkeSa& sa, const std::string& name,
                        const std::string& reason);

}  // namespace ikev2
