// daemon/trace/record_file.cc — RecordFile.
#include "daemon/trace/record_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kagid::trace {

core::Result<std::unique_ptr<RecordFile>> RecordFile::open(const std::string& path, Mode mode,
                                                           mode_t perm) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY |
                    (mode == Mode::Append ? O_APPEND : O_TRUNC);
  core::UniqueFd fd(::open(path.c_str(), flags, perm));
  if (!fd.valid())
    return core::fail(core::ErrorCode::System, "open {}: {}", path, std::strerror(errno));
  // open(2) applies the umask and leaves an existing file's mode alone;
  // set the mode explicitly so a key log is never group or world readable.
  if (::fchmod(fd.get(), perm) != 0)
    return core::fail(core::ErrorCode::System, "chmod {}: {}", path, std::strerror(errno));
  return std::unique_ptr<RecordFile>(new RecordFile(path, std::move(fd)));
}

core::Status RecordFile::write(std::span<const std::uint8_t> record) {
  while (!record.empty()) {
    const ssize_t n = ::write(fd_.get(), record.data(), record.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::fail(core::ErrorCode::System, "write {}: {}", path_, std::strerror(errno));
    }
    record = record.subspan(static_cast<std::size_t>(n));
  }
  return core::ok();
}

std::uint64_t RecordFile::size() const {
  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace kagid::trace
