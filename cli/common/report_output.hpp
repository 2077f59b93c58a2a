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

// Writes `text` to standard output (empty `path`) or atomically to `path`. False with `error`
// set ("cannot write the report to standard output: No space left on device") on failure.
bool write_output(const std::string& path, std::string_view text, std::string& error);

// Flushes std::cout and checks that everything written to it reached standard output. False
// with `error` set otherwise. Called once before the process exits.
bool flush_standard_output(std::string& error);

}  // namespace capguard::cli
