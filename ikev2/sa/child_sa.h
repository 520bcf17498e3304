// ikev2/sa/child_sa.h — one CHILD_SA (RFC 7296 §1.3, §2.17): its SPIs,
// algorithms, selectors, mode, reqid, state and lifetime timers.
//
// A ChildSa belongs to exactly one IkeSa (which may change when the IKE_SA
// is rekeyed, §2.18). Its keys are not kept here: they go straight to the
// kernel when installed. Inbound and outbound SPIs name it on the wire
// (Delete, REKEY_SA) and in the kernel.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/clock/clock.h"
#include "core/ipsec/types.h"
#include "ikev2/sa/proposal.h"
#include "ikev2/sa/settings.h"
#include "ikev2/sa/traffic_selector.h"

namespace ikev2 {

// ChildState is where a CHILD_SA is in its life.
//   Creating  -> Installed | Deleting | Deleted
//   Installed -> Rekeying | Rekeyed | Deleting | Deleted
//   Rekeying  -> Installed (rekey failed) | Rekeyed | Deleting | Deleted
//   Rekeyed   -> Deleting | Deleted   (replaced; waits for its Delete)
//   Deleting  -> Deleted              (our Delete request is out)
enum class ChildState : std::uint8_t { Creating, Installed, Rekeying, Rekeyed, Deleting, Deleted };

std::string_view child_state_name(ChildState s);

class ChildSa {
 public:
  // ChildSa starts in Creating with its inbound SPI reserved (0 until then).
  ChildSa(core::Timers& timers, std::uint32_t spi_in, std::shared_ptr<const ChildConfig> config)
      : spi_in(spi_in), config(std::move(config)), rekey_timer(timers), expire_timer(timers) {}
  ChildSa(const ChildSa&) = delete;
  ChildSa& operator=(const ChildSa&) = delete;

  ChildState state() const { return state_; }
  // set_state moves to next and logs "old -> new"; an illegal move is
  // refused (logged at Error, state unchanged) and returns false.
  bool set_state(ChildState next);

  std::uint32_t spi_in = 0;   // ours: the peer sends with it
  std::uint32_t spi_out = 0;  // the peer's
  std::uint32_t reqid = 0;
  core::ipsec::Mode mode = core::ipsec::Mode::Tunnel;
  ChildAlgs algs;
  std::vector<Ts> local_ts;
  std::vector<Ts> remote_ts;
  std::shared_ptr<const ChildConfig> config;
  bool installed_in = false;   // inbound SA is in the kernel
  bool installed_out = false;  // outbound SA is in the kernel
  bool encap = false;          // UDP-encapsulated (NAT, RFC 3948)
  core::MonoTime established{};
  core::ScopedTimer rekey_timer;
  core::ScopedTimer expire_timer;
  // rekey_winner_nonce is min(Ni, Nr) of the peer's colliding rekey of this
  // CHILD_SA, recorded while our own rekey of it is outstanding
  // (RFC 7296 §2.8.1); empty when there was no collision.
  std::vector<std::uint8_t> collision_nonce;
  std::uint32_t collision_spi = 0;  // inbound SPI of the CHILD_SA the peer's rekey made

 private:
  ChildState state_ = ChildState::Creating;
};

}  // namespace ikev2
