// `capguard fmt [OPTIONS] PATH...`: rewrites policy files in the canonical layout (spec/fmt.md),
// like gofmt and `terraform fmt`. A folder stands for the .policy files below it; `-` reads
// standard input and writes the result to standard output. A file with syntax errors is left
// alone, its diagnostics printed as `capguard parse` prints them (exit 2); the other files are
// still formatted.
//
//   (default)  rewrite each file that changes (a temporary file renamed over it), list them
//   --check    write nothing; list the files that would change; exit 1 if any would
//   --diff     write nothing; print what would change as a unified diff; exit 1 if anything would

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "lang/core/file_read.hpp"
#include "lang/format/format.hpp"
#include "lang/format/format_diff.hpp"

namespace capguard::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = "capguard fmt [OPTIONS] PATH...";

enum class Mode { Write, Check, Diff };

// Writes `text` to a temporary file beside `path` with the same permissions, then renames it over
// `path`, so that a crash never leaves a half-written policy. Returns an error message or "".
std::string replace_file(const std::string& path, const std::string& text) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  fs::path p(path);
  std::string tmpl = (p.parent_path() / ("." + p.filename().string() + ".fmt-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return std::string("cannot create a temporary file: ") + std::strerror(errno);
  std::string error;
  size_t done = 0;
  while (done < text.size() && error.empty()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno != EINTR) error = std::strerror(errno);
    if (n > 0) done += static_cast<size_t>(n);
  }
  if (error.empty() && ::fchmod(fd, st.st_mode & 07777) != 0) error = std::strerror(errno);
  if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
  if (error.empty() && std::rename(name.data(), path.c_str()) != 0) error = std::strerror(errno);
  if (!error.empty()) {
    ::unlink(name.data());
    return "cannot write: " + error;
  }
  return "";
}

// The files a path stands for: itself, or the .policy files below a folder, sorted.
std::vector<std::string> expand(const std::string& path, Diagnostics& diags) {
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return {path};
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".policy") {
      files.push_back(it->path().string());
    }
  }
  if (ec) diags.file_error(path, "cannot list: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

int run_fmt(const std::vector<std::string>& args) {
  bool check = false;
  bool diff = false;
  ArgParser parser("capguard fmt");
  parser.argument("PATH", "a policy file, a folder (its .policy files), or - (stdin to stdout)");
  parser.flag("check", 0, "write nothing; list the files that would change; exit 1 if any",
              [&] { check = true; });
  parser.flag("diff", 0, "write nothing; print the changes as a unified diff; exit 1 if any",
              [&] { diff = true; });
  Diagnostics usage;
  std::vector<std::string> paths;
  if (parse_or_print_help(parser, args, usage, paths)) return kExitOk;
  if (check && diff) usage.file_error("capguard fmt", "--check and --diff cannot be combined");
  if (paths.empty()) {
    usage.file_error("capguard fmt", "expected at least one policy file or folder");
  }
  if (usage.has_errors()) return usage_error(usage, parser);
  const Mode mode = check ? Mode::Check : diff ? Mode::Diff : Mode::Write;

  bool errors = false;
  bool changes = false;
  for (const std::string& path : paths) {
    Diagnostics diags;
    for (const std::string& file : expand(path, diags)) {
      const std::string& name = file;  // standard input is "-", as everywhere
      std::string original, error;
      if (!read_bounded(file, original, error)) {
        diags.file_error(name, error);
        continue;
      }
      std::optional<std::string> formatted = format_source(add_source(name, original), diags);
      if (!formatted) continue;
      bool changed = *formatted != original;
      changes = changes || changed;
      if (mode == Mode::Diff) {
        std::cout << unified_diff(original, *formatted, name, name);
      } else if (mode == Mode::Check) {
        if (changed) std::cout << name << "\n";
      } else if (file == "-") {
        std::cout << *formatted;
      } else if (changed) {
        std::string error = replace_file(file, *formatted);
        if (error.empty()) {
          std::cout << name << "\n";
        } else {
          diags.file_error(file, error);
        }
      }
    }
    std::cout.flush();
    std::cerr << render(diags);
    errors = errors || diags.has_errors();
  }
  if (errors) return kExitError;
  return mode != Mode::Write && changes ? kExitFindings : kExitOk;
}

const Command kFmt("fmt", kUsage, "format policy files in the canonical layout, keeping comments",
                   run_fmt);

}  // namespace
}  // namespace capguard::cli
