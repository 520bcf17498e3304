// kernel/userspace/esp/replay_window.cc — RFC 4303 §3.4.3 anti-replay with
// RFC 4303 Appendix A2 ESN inference over an RFC 6479 bitmap ring.
#include "kernel/userspace/esp/replay_window.h"

#include <algorithm>

namespace kernel::userspace {

namespace {

constexpr std::uint32_t kWordBits = 64;
// Window assumed for ESN inference when replay checking is off: the
// default size RFC 4303 §3.4.3 recommends.
constexpr std::uint32_t kInferWindowWhenOff = 64;

std::uint32_t normalise(std::uint32_t size) {
  if (size == 0) return 0;
  size = std::clamp(size, ReplayWindow::kMinSize, ReplayWindow::kMaxSize);
  return (size + kWordBits - 1) / kWordBits * kWordBits;
}

}  // namespace

ReplayWindow::ReplayWindow(std::uint32_t size) : size_(normalise(size)) {
  // RFC 6479 §2: one word more than the window, so the oldest word still
  // inside the window is never the one being cleared for a new top.
  if (size_ != 0) words_.assign(size_ / kWordBits + 1, 0);
}

std::optional<std::uint64_t> ReplayWindow::infer(std::uint32_t seq_lo, bool esn) const {
  if (!esn) return seq_lo;
  const std::uint32_t w = size_ != 0 ? size_ : kInferWindowWhenOff;
  const auto th = static_cast<std::uint32_t>(top_ >> 32);
  const auto tl = static_cast<std::uint32_t>(top_);
  const std::uint32_t bottom = tl - w + 1;  // modulo 2^32, as Appendix A2.1 says
  std::uint64_t seq_hi = th;
  if (tl >= w - 1) {
    // Case A: the window lies within one 2^32 subspace; a seq_lo below it
    // belongs to the next subspace.
    if (seq_lo < bottom) {
      if (th == UINT32_MAX) return std::nullopt;  // beyond 2^64-1
      seq_hi = std::uint64_t{th} + 1;
    }
  } else if (seq_lo >= bottom) {
    // Case B: the window spans two subspaces and seq_lo is in its older
    // part, in the previous subspace.
    if (th == 0) return std::nullopt;  // before sequence number 1
    seq_hi = std::uint64_t{th} - 1;
  }
  return seq_hi << 32 | seq_lo;
}

bool ReplayWindow::check(std::uint64_t seq) const {
  if (seq == 0) return false;
  if (size_ == 0 || seq > top_) return true;
  if (top_ - seq >= size_) return false;  // left of the window
  const std::uint64_t word = words_[(seq / kWordBits) % words_.size()];
  return ((word >> (seq % kWordBits)) & 1) == 0;
}

void ReplayWindow::accept(std::uint64_t seq) {
  if (size_ == 0) {
    top_ = std::max(top_, seq);
    return;
  }
  const std::size_t n = words_.size();
  if (seq > top_) {
    // Clear the words between the old top's word and the new one (at most
    // the whole ring); the new top's word starts empty.
    const std::uint64_t from = top_ / kWordBits, to = seq / kWordBits;
    const std::uint64_t steps = std::min<std::uint64_t>(to - from, n);
    for (std::uint64_t i = 1; i <= steps; ++i) words_[(from + i) % n] = 0;
    top_ = seq;
  }
  words_[(seq / kWordBits) % n] |= std::uint64_t{1} << (seq % kWordBits);
}

void ReplayWindow::reset_to(std::uint64_t top) {
  std::fill(words_.begin(), words_.end(), 0);
  top_ = top;
  if (size_ != 0 && top != 0) words_[(top / kWordBits) % words_.size()] |= std::uint64_t{1} << (top % kWordBits);
}

}  // namespace kernel::userspace
