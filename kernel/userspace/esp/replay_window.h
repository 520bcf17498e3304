// kernel/userspace/esp/replay_window.h — the receiver's anti-replay window
// of one ESP SA (RFC 4303 §3.4.3), with the high half of an extended
// sequence number inferred from the low half it receives (RFC 4303
// Appendix A2).
//
//   ReplayWindow w(spec.replay_window);
//   auto seq = w.infer(seq_lo, esn);            // nullopt: cannot belong here
//   if (!seq || !w.check(*seq)) drop(Replay);   // before the ICV (§3.4.3)
//   ... verify the ICV ...
//   w.accept(*seq);                             // only after it verified
//
// The bitmap is a ring of 64-bit words that is never shifted (RFC 6479 §2):
// moving the window right clears the words it passes. One spare word keeps
// at least size() bits of history whatever the top's offset in its word.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace kernel::userspace {

class ReplayWindow {
 public:
  static constexpr std::uint32_t kMinSize = 32;    // RFC 4303 §3.4.3: MUST support 32
  static constexpr std::uint32_t kMaxSize = 4096;  // as Linux XFRM's replay_esn limit

  // ReplayWindow(size) keeps size packets of history: 0 disables replay
  // checking (the top is still tracked, for ESN inference); any other value
  // is clamped to [kMinSize, kMaxSize] and rounded up to a multiple of 64.
  explicit ReplayWindow(std::uint32_t size);

  // size is the window in packets, 0 when replay checking is off.
  std::uint32_t size() const { return size_; }
  bool enabled() const { return size_ != 0; }
  // top is the highest sequence number accepted so far (0 before any).
  std::uint64_t top() const { return top_; }

  // infer expands the received low 32 bits to the full sequence number:
  // seq_lo itself without ESN, else the high half chosen by RFC 4303
  // Appendix A2.1 relative to top(). nullopt when the only candidate lies
  // before 1 or beyond 2^64-1: such a packet cannot belong to this SA.
  std::optional<std::uint64_t> infer(std::uint32_t seq_lo, bool esn) const;

  // check says whether seq may still be accepted: never 0 (the first packet
  // is 1, RFC 4303 §3.3.3), not left of the window, not seen before. With
  // the window off every nonzero seq passes.
  bool check(std::uint64_t seq) const;

  // accept marks seq as received and moves the window right when seq is
  // beyond top(). Call it only for a seq that passed check() and whose
  // packet's ICV verified (RFC 4303 §3.4.3).
  void accept(std::uint64_t seq);

  // reset_to forgets all history and sets top() to top, counted as seen:
  // for restoring a migrated SA's state and for tests near 2^32 or 2^64.
  void reset_to(std::uint64_t top);

 private:
  std::uint32_t size_;
  std::uint64_t top_ = 0;
  std::vector<std::uint64_t> words_;  // ring: bit (seq % 64) of word (seq / 64) % n
};

}  // namespace kernel::userspace
