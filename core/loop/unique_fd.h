// core/loop/unique_fd.h — UniqueFd, the owner of one file descriptor.
//
// Every descriptor kagi opens lives in a UniqueFd (or an RAII wrapper built
// on one) and is closed exactly once, when its owner goes away.
#pragma once

#include <unistd.h>

#include <utility>

namespace core {

// UniqueFd owns a file descriptor (or none: -1) and closes it on destruction.
// Move-only. close(2) errors are ignored: the descriptor is gone either way.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  // get returns the descriptor without giving up ownership (-1 when empty).
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  // release gives up ownership and returns the descriptor.
  int release() { return std::exchange(fd_, -1); }
  // reset closes the owned descriptor and takes fd instead.
  void reset(int fd = -1) {
    if (fd_ >= 0 && fd_ != fd) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace core
