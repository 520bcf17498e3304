// ikev2/tasks/ike_auth.cc — IKE_AUTH with shared keys, both sides
// (RFC 7296 §1.2, §2.4, §2.15, §2.21.2; RFC 6023).
#include "ikev2/tasks/ike_auth.h"

#include "core/log/log.h"
#include "core/wire/writer.h"
#include "ikev2/keymat/auth.h"
#include "ikev2/tasks/child_negotiation.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/informational.h"

namespace ikev2 {

namespace {

using wire::NotifyPayload;
using wire::NotifyType;

// id_body is RestOfIDPayload: the ID payload body the AUTH signs (§2.15).
std::vector<std::uint8_t> id_body(const wire::IdPayload& id) {
  core::wire::Writer w;
  wire::encode(id, w);
  return w.take();
}

const wire::IdPayload* find_id(const InMessage& m, bool initiator) {
  for (const auto& p : m.payloads) {
    if (const auto* id = std::get_if<wire::IdPayload>(&p); id != nullptr && id->initiator == initiator)
      return id;
  }
  return nullptr;
}

// lookup_psk: the peer configuration's own key first (the remote is known
// by configuration, whatever identity it uses), else Settings::psk.
std::optional<core::crypto::SecureBytes> lookup_psk(EngineCore& core, const IkeSa& sa, const Identity& local,
                                                    const Identity& remote) {
  if (sa.config && sa.config->psk) return *sa.config->psk;
  if (!core.settings.psk) return std::nullopt;
  return core.settings.psk(local, remote);
}

class IkeAuthTask final : public Task {
 public:
  explicit IkeAuthTask(std::optional<ChildRequest> child) : request_(std::move(child)) {}

  TaskKind kind() const override { return TaskKind::IkeAuth; }
  wire::ExchangeType exchange() const override { return wire::ExchangeType::IkeAuth; }
  std::string_view name() const override { return "IKE_AUTH"; }

  core::Result<std::vector<wire::Payload>> build(EngineCore& core, IkeSa& sa) override {
    if (sa.state() != IkeState::Authenticating)
      return core::fail(core::ErrorCode::State, "IKE_AUTH in state {}", ike_state_name(sa.state()));
    // Childless only with a responder that announced it (RFC 6023 §3).
    if ((!request_ || !request_->config) && !sa.peer_childless)
      return core::fail(core::ErrorCode::Unsupported,
                        "responder does not support a childless IKE_SA (RFC 6023)");
    const PeerConfig* peer = sa.config.get();
    sa.local_id = peer != nullptr && peer->local_id ? *peer->local_id : core.settings.local_id;
    if (sa.local_id.empty()) sa.local_id = Identity::from_address(sa.local.addr);
    // Without a configured peer identity the key is the one for its address.
    const Identity expected = peer != nullptr && peer->remote_id ? *peer->remote_id
                                                                 : Identity::from_address(sa.remote.addr);
    auto psk = lookup_psk(core, sa, sa.local_id, expected);
    if (!psk) return core::fail(core::ErrorCode::Config, "no PSK for {}", sa.local_id.to_string());
    const wire::IdPayload idi = sa.local_id.to_payload(true);
    const auto body = id_body(idi);
    auto auth = psk_auth(*sa.prf, *psk, {sa.init_request, sa.nr, sa.keys.sk_pi, body});
    if (!auth) return tl::unexpected(auth.error());

    std::vector<wire::Payload> p;
    p.emplace_back(idi);
    if (!expected.empty()) p.emplace_back(expected.to_payload(false));
    p.emplace_back(wire::AuthPayload{wire::AuthMethod::SharedKeyMic, {auth->begin(), auth->end()}});
    // INITIAL_CONTACT: we hold no other IKE_SA with this peer (§2.4).
    if (core.settings.send_initial_contact && !expected.empty() &&
        core.sas.find_by_identity(expected).empty())
      p.emplace_back(NotifyPayload::make(NotifyType::InitialContact));
    if (request_ && request_->config) {
      const std::uint32_t reqid = core.reqid_for(*request_->config);
      auto child = new_child(core, sa, *request_, reqid);
      if (child) {
        offer_child(core, *child, true, p);
        child_spi_ = child->spi_in;
        sa.children.push_back(std::move(child));
      } else {
        child_failed_event(core, sa, request_->config->name, "no inbound SPI");
      }
    }
    return p;
  }

  TaskResult process(EngineCore& core, IkeSa& sa, const InMessage& r) override {
    const auto* idr = find_id(r, false);
    const auto* auth = r.find<wire::AuthPayload>();
    if (idr == nullptr || auth == nullptr) {
      const auto* n = r.error_notify();
      reason_ = n != nullptr ? wire::notify_type_name(n->type) : "IKE_AUTH response lacks IDr or AUTH";
      return TaskResult::DestroySa;
    }
    const Identity remote = Identity::from_payload(*idr);
    const PeerConfig* peer = sa.config.get();
    if (peer != nullptr && peer->remote_id && *peer->remote_id != remote)
      return refuse(core, sa, "peer authenticated as unexpected " + remote.to_string());
    auto psk = lookup_psk(core, sa, sa.local_id, remote);
    if (!psk || auth->method != wire::AuthMethod::SharedKeyMic ||
        !verify_psk_auth(*sa.prf, *psk, {sa.init_response, sa.ni, sa.keys.sk_pr, id_body(*idr)},
                         auth->data))
      return refuse(core, sa, "authentication of " + remote.to_string() + " failed");
    sa.remote_id = remote;
    KLOG(Ike, Info, "IKE_SA {}: authenticated {} with pre-shared key", sa.name(), remote.to_string());

    // Child keys need Ni/Nr, which ike_established() drops.
    ChildSa* child = child_spi_ != 0 ? sa.find_child(child_spi_) : nullptr;
    std::optional<ChildKeys> keys;
    std::string child_error;
    if (child != nullptr) {
      if (auto s = accept_child(core, *child, r, true); !s) {
        child_error = s.error().detail;
      } else if (auto sizes = child->algs.key_sizes(); !sizes) {
        child_error = sizes.error().detail;
      } else if (auto k = derive_child_keys(*sa.prf, sa.keys.sk_d, std::nullopt, sa.ni, sa.nr, *sizes);
                 !k) {
        child_error = k.error().detail;
      } else {
        keys = std::move(*k);
      }
    }
    core.sas.add_identity(sa);
    core.ike_established(sa);
    if (child == nullptr) return TaskResult::Done;
    const std::string name = child->config ? child->config->name : std::string();
    if (keys) {
      if (auto s = core.install_child(sa, *child, *keys, true); !s) {
        child_error = s.error().detail;
      } else {
        core.child_established(sa, *child);
        return TaskResult::Done;
      }
    }
    KLOG(Chd, Info, "IKE_SA {}: CHILD_SA {} not established: {}", sa.name(), name, child_error);
    // An SA payload in the answer means the responder installed its half.
    const bool responder_has_it = r.find<wire::SaPayload>() != nullptr && r.error_notify() == nullptr;
    const std::uint32_t spi = child->spi_in;
    if (responder_has_it) {
      // The responder installed it; delete it properly (§1.4.1).
      core.queue(sa, make_delete_child_task(spi));
    } else {
      core.remove_child(sa, spi, child_error);
    }
    child_failed_event(core, sa, name, child_error);
    return TaskResult::Done;
  }

  void abort(EngineCore& core, IkeSa& sa) override {
    if (child_spi_ != 0) core.remove_child(sa, child_spi_, "IKE_AUTH aborted");
  }

 private:
  // refuse handles a responder we cannot accept: tell it with an
  // INFORMATIONAL AUTHENTICATION_FAILED + Delete, then drop the SA.
  TaskResult refuse(EngineCore& core, IkeSa& sa, std::string why) {
    KLOG(Ike, Info, "IKE_SA {}: {}", sa.name(), why);
    abort(core, sa);
    child_spi_ = 0;
    core.queue(sa, make_delete_ike_task(why, NotifyType::AuthenticationFailed), true);
    reason_ = std::move(why);
    return TaskResult::Failed;
  }

  std::optional<ChildRequest> request_;
  std::uint32_t child_spi_ = 0;
};

// fail_auth answers AUTHENTICATION_FAILED and drops the half-open SA.
void fail_auth(EngineCore& core, IkeSa& sa, const InMessage& req, const std::string& why) {
  KLOG(Ike, Info, "IKE_SA {}: {}", sa.name(), why);
  core.send_response(sa, req, {NotifyPayload::make(NotifyType::AuthenticationFailed)});
  core.destroy(sa, why);
}

}  // namespace

std::unique_ptr<Task> make_ike_auth_task(std::optional<ChildRequest> child) {
  return std::make_unique<IkeAuthTask>(std::move(child));
}

void respond_ike_auth(EngineCore& core, IkeSa& sa, const InMessage& req) {
  if (sa.state() != IkeState::HalfOpen || req.header.message_id != 1) {
    core.send_response(sa, req, {NotifyPayload::make(NotifyType::InvalidSyntax)});
    return;
  }
  const auto* idi = find_id(req, true);
  const auto* auth = req.find<wire::AuthPayload>();
  if (idi == nullptr || auth == nullptr) {
    fail_auth(core, sa, req, "IKE_AUTH request lacks IDi or AUTH");
    return;
  }
  const Identity remote = Identity::from_payload(*idi);
  std::shared_ptr<const PeerConfig> peer;
  if (core.settings.peer) peer = core.settings.peer(remote, sa.remote);
  sa.local_id = peer && peer->local_id ? *peer->local_id : core.settings.local_id;
  if (sa.local_id.empty()) sa.local_id = Identity::from_address(sa.local.addr);
  if (peer && peer->remote_id && *peer->remote_id != remote) {
    fail_auth(core, sa, req, "peer config does not accept " + remote.to_string());
    return;
  }
  auto psk = peer && peer->psk ? peer->psk : lookup_psk(core, sa, sa.local_id, remote);
  if (!psk || auth->method != wire::AuthMethod::SharedKeyMic ||
      !verify_psk_auth(*sa.prf, *psk, {sa.init_request, sa.nr, sa.keys.sk_pi, id_body(*idi)},
                       auth->data)) {
    fail_auth(core, sa, req, "authentication of " + remote.to_string() + " failed");
    return;
  }
  sa.remote_id = remote;
  sa.config = peer;
  KLOG(Ike, Info, "IKE_SA {}: authenticated {} with pre-shared key", sa.name(), remote.to_string());

  const wire::IdPayload idr = sa.local_id.to_payload(false);
  auto my_auth = psk_auth(*sa.prf, *psk, {sa.init_response, sa.ni, sa.keys.sk_pr, id_body(idr)});
  if (!my_auth) {
    fail_auth(core, sa, req, "cannot compute AUTH: " + my_auth.error().detail);
    return;
  }
  std::vector<wire::Payload> out;
  out.emplace_back(idr);
  out.emplace_back(wire::AuthPayload{wire::AuthMethod::SharedKeyMic, {my_auth->begin(), my_auth->end()}});

  // The first CHILD_SA (§1.2), or none (RFC 6023).
  std::unique_ptr<ChildSa> child;
  std::string child_error;
  if (auto offer = read_offer(req)) {
    static const std::vector<std::shared_ptr<const ChildConfig>> kNone;
    auto picked = pick_child(core, sa, *offer, peer ? peer->children : kNone, true);
    if (!picked) {
      out.emplace_back(NotifyPayload::make(picked.error().type));
      child_error = wire::notify_type_name(picked.error().type);
    } else {
      child = std::move(picked->child);
      auto sizes = child->algs.key_sizes();
      auto keys = sizes ? derive_child_keys(*sa.prf, sa.keys.sk_d, std::nullopt, sa.ni, sa.nr, *sizes)
                        : tl::unexpected(sizes.error());
      core::Status installed = keys ? core.install_child(sa, *child, *keys, false)
                                    : core::Status(tl::unexpected(keys.error()));
      if (!installed) {
        child_error = installed.error().detail;
        core.release_spi(sa, child->spi_in);
        child.reset();
        out.emplace_back(NotifyPayload::make(NotifyType::NoAdditionalSas));
      } else {
        answer_child(*child, picked->proposal_number, out);
      }
    }
  } else if (!core.settings.accept_childless) {
    fail_auth(core, sa, req, "childless IKE_SA refused");
    return;
  }

  if (req.notify(NotifyType::InitialContact) != nullptr) {
    // The peer rebooted: its old IKE_SAs are stale (§2.4).
    for (IkeSaId other : core.sas.find_by_identity(remote)) {
      if (IkeSa* o = core.sas.find(other); o != nullptr && o != &sa) core.destroy(*o, "INITIAL_CONTACT");
    }
  }
  core.sas.add_identity(sa);
  core.ike_established(sa);
  core.send_response(sa, req, out);
  if (child) {
    ChildSa& c = *child;
    sa.children.push_back(std::move(child));
    core.child_established(sa, c);
  } else if (!child_error.empty()) {
    child_failed_event(core, sa, "", child_error);
  }
}

}  // namespace ikev2
