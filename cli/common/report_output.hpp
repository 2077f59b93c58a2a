#pragma once
// Writing what a command produced, with every failure visible: a report that cannot be written
// is an error (exit status 2), never a silent pass.
//
// - Standard output: written with write(2) until done; a closed stdout (EBADF), /dev/full (ENOSPC)
//   or any other failure is an error.
// - A file (`-o FILE`): written to a temporary file in the same folder, flushed to disk, then
//   renamed over FILE, so FILE is either the old content or the whole new report, never half of
//   one. On failure the temporary file is removed.

#include <string>
#include <string_view>

namespace capguard::cli {

// A report's destination, written piece by piece as the report is made: standard output (empty
// path), a device or pipe written in place, or a file written to a temporary file beside it
// that commit() renames over it (the destructor removes it when commit() was not reached).
// Failures: false with `error` set ("cannot write the report to standard output: No space left
// on device"); nothing is written after the first.
class ReportSink {
 public:
  ReportSink() = default;
  ReportSink(const ReportSink&) = delete;
  ReportSink& operator=(const ReportSink&) = delete;
  ~ReportSink();
  bool open(const std::string& path, std::string& error);
  bool write(std::string_view text, std::string& error);
  // Flushes to disk and renames the temporary file into place.
  bool commit(std::string& error);

 private:
  std::string failure(int err) const;

  std::string shown_;   // the path as messages print it, "" for standard output
  std::string temp_;    // the temporary file, until committed
  std::string target_;  // what it is renamed to
  int fd_ = -1;
  bool to_stdout_ = false;
  bool failed_ = false;
};

// Writes `text` to standard output (empty `path`) or atomically to `path` (a ReportSink).
bool write_output(const std::string& path, std::string_view text, std::string& error);

// Flushes std::cout and checks that everything written to it reached standard output. False
// with `error` set otherwise. Called once before the process exits.
bool flush_standard_output(std::string& error);

}  // namespace capguard::cli
