// daemon/trace/record_file.h — RecordFile, an append-only file for debug
// traces (the pcap and the key log), written record by record with one
// write(2) each, so every record is in the kernel's page cache before the
// call returns and a crash of kagid loses nothing already written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/loop/unique_fd.h"
#include "core/result.h"

namespace kagid::trace {

class RecordFile {
 public:
  // How open treats an existing file: Truncate starts it afresh, Append
  // keeps what is there and writes after it.
  enum class Mode : std::uint8_t { Truncate, Append };

  // open creates path (or opens it as mode says) with permissions `perm`;
  // an existing file is set to exactly `perm` too, since traces may hold
  // secrets. Fails System naming the path and errno text.
  static core::Result<std::unique_ptr<RecordFile>> open(const std::string& path, Mode mode,
                                                        mode_t perm);

  // write appends one record, retrying short writes and EINTR. Fails
  // System (e.g. disk full); a record may then be partly written.
  core::Status write(std::span<const std::uint8_t> record);

  // size returns the current file size, or 0 when it cannot be read.
  std::uint64_t size() const;
  const std::string& path() const { return path_; }

 private:
  RecordFile(std::string path, core::UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  std::string path_;
  core::UniqueFd fd_;
};

}  // namespace kagid::trace
