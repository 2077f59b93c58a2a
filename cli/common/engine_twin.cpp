#include "cli/common/engine_twin.hpp"

#include <sys/auxv.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace capguard::cli {

namespace {

char** saved_argv = nullptr;

constexpr const char* kTwinName = "capguard-engine";

// The folder of the running executable ("" when /proc is not mounted).
std::string executable_folder() {
  std::vector<char> buffer(4096);
  ssize_t n = readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return "";
  std::string path(buffer.data(), static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// Whether this process was started without a dynamic loader: AT_BASE is where the kernel loaded
// the program interpreter, 0 when there is none.
bool static_executable() {
  return getauxval(AT_BASE) == 0;
}

}  // namespace

void remember_arguments(char** argv) {
  saved_argv = argv;
}

std::string run_engine_twin() {
  if (!static_executable()) return "";
  std::string folder = executable_folder();
  if (folder.empty()) {
    return fmt::format(
        "reading containers needs {}, and /proc/self/exe does not say where "
        "capguard is installed",
        kTwinName);
  }
  std::vector<std::string> candidates = {folder + "/" + kTwinName,
                                         folder + "/../libexec/capguard/" + kTwinName};
  if (saved_argv == nullptr || saved_argv[0] == nullptr) {
    return fmt::format("reading containers needs {}: the arguments were not recorded", kTwinName);
  }
  std::string failures;
  for (const std::string& path : candidates) {
    // Nothing has been written yet: what the standard streams buffer is dropped with the process
    // image and written again by the twin.
    execv(path.c_str(), saved_argv);
    int error = errno;
    if (!failures.empty()) failures += ", ";
    failures += fmt::format("{}: {}", path, std::strerror(error));
  }
  return fmt::format(
      "reading containers needs {} (this capguard is linked statically and cannot load libcurl): "
      "{}",
      kTwinName, failures);
}

}  // namespace capguard::cli
