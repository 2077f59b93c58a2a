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

}  // namespace

ReportSink::~ReportSink() {
  if (fd_ >= 0 && !to_stdout_) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

std::string ReportSink::failure(int err) const {
  return fmt::format("cannot write the report to {}: {}",
                     to_stdout_ ? std::string("standard output") : shown_, std::strerror(err));
}

bool ReportSink::open(const std::string& path, std::string& error) {
  if (path.empty()) {
    to_stdout_ = true;
    fd_ = STDOUT_FILENO;
    std::cout.flush();
    if (!std::cout.good()) {
      failed_ = true;
      error = failure(EIO);
      return false;
    }
    return true;
  }
  shown_ = printable_text(path, false);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = fmt::format("cannot write the report to {}: it is a folder", shown_);
    return false;
  }
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A device, a pipe, /dev/stdout: written in place (a rename would replace the device).
    fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) {
      error = failure(errno);
      return false;
    }
    return true;
  }
  // A symbolic link to a file: the file it names is replaced, the link stays.
  target_ = path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    target_ = real;
    std::free(real);
  }
  std::string temp = folder_of(target_) + "/.capguard-report-XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    error = fmt::format("cannot write the report to {}: cannot create a file in {}: {}", shown_,
                        printable_text(folder_of(path), false), std::strerror(errno));
    return false;
  }
  temp_.assign(name.data());
  return true;
}

bool ReportSink::write(std::string_view text, std::string& error) {
  if (failed_ || fd_ < 0) {
    error = failure(EIO);
    return false;
  }
  int err = 0;
  if (!write_all(fd_, text, err)) {
    failed_ = true;
    error = failure(err);
    return false;
  }
  return true;
}

bool ReportSink::commit(std::string& error) {
  if (failed_ || fd_ < 0) {
    error = failure(EIO);
    return false;
  }
  if (to_stdout_) return true;
  int err = 0;
  bool ok = true;
  if (!temp_.empty()) {
    if (::fchmod(fd_, 0666 & ~current_umask()) != 0) ok = false, err = errno;
    if (ok && ::fsync(fd_) != 0) ok = false, err = errno;
  }
  if (::close(fd_) != 0 && ok) ok = false, err = errno;
  fd_ = -1;
  if (ok && !temp_.empty()) {
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      ok = false, err = errno;
    } else {
      temp_.clear();
    }
  }
  if (!ok) {
    failed_ = true;
    error = failure(err);
  }
  return ok;
}

bool write_output(const std::string& path, std::string_view text, std::string& error) {
  ReportSink sink;
  return sink.open(path, error) && sink.write(text, error) && sink.commit(error);
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
