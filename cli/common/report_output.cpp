#include "cli/common/report_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <vector>

#include <fmt/format.h>

#include "lang/core/diagnostics.hpp"

namespace capguard::cli {

namespace {

bool write_all(int fd, std::string_view text, int& err) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string folder_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

mode_t current_umask() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

bool write_file_atomically(const std::string& path, std::string_view text, std::string& error) {
  std::string shown = printable_text(path, false);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = fmt::format("cannot write the report to {}: it is a folder", shown);
    return false;
  }
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A device, a pipe, /dev/stdout: written in place (a rename would replace the device).
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    int err = fd < 0 ? errno : 0;
    bool ok = fd >= 0 && write_all(fd, text, err);
    if (fd >= 0 && ::close(fd) != 0 && ok) ok = false, err = errno;
    if (!ok) error = fmt::format("cannot write the report to {}: {}", shown, std::strerror(err));
    return ok;
  }
  // A symbolic link to a file: the file it names is replaced, the link stays.
  std::string target = path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    target = real;
    std::free(real);
  }
  std::string temp = folder_of(target) + "/.capguard-report-XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = fmt::format("cannot write the report to {}: cannot create a file in {}: {}", shown,
                        printable_text(folder_of(path), false), std::strerror(errno));
    return false;
  }
  temp.assign(name.data());
  int err = 0;
  bool ok = write_all(fd, text, err);
  if (ok && ::fchmod(fd, 0666 & ~current_umask()) != 0) ok = false, err = errno;
  if (ok && ::fsync(fd) != 0) ok = false, err = errno;
  if (::close(fd) != 0 && ok) ok = false, err = errno;
  if (ok && ::rename(temp.c_str(), target.c_str()) != 0) ok = false, err = errno;
  if (!ok) {
    ::unlink(temp.c_str());
    error = fmt::format("cannot write the report to {}: {}", shown, std::strerror(err));
  }
  return ok;
}

}  // namespace

bool write_output(const std::string& path, std::string_view text, std::string& error) {
  if (!path.empty()) return write_file_atomically(path, text, error);
  std::cout.flush();
  int err = 0;
  if (!std::cout.good() || !write_all(STDOUT_FILENO, text, err)) {
    error = fmt::format("cannot write the report to standard output: {}",
                        std::strerror(err != 0 ? err : EIO));
    return false;
  }
  return true;
}

bool flush_standard_output(std::string& error) {
  errno = 0;
  std::cout.flush();
  int err = errno;
  if (std::cout.good()) {
    errno = 0;
    if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return true;
    err = errno;
  }
  // std::cout (not synced with stdio) does not always leave errno set: then no reason is given.
  error = err != 0 ? fmt::format("cannot write to standard output: {}", std::strerror(err))
                   : std::string("cannot write to standard output");
  return false;
}

}  // namespace capguard::cli
