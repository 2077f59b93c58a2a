#include "cli/common/version_text.hpp"

#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "lang/core/version.hpp"
#include "stdlib-policies/embedded.hpp"

namespace capguard::cli {

namespace {

void mix(uint64_t& hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  hash ^= 0xff;  // separates one string from the next: ("ab", "c") differs from ("a", "bc")
  hash *= 1099511628211ull;
}

bool is_test_file(std::string_view path) {
  constexpr std::string_view kSuffix = "_test.policy";
  return path.size() >= kSuffix.size() && path.substr(path.size() - kSuffix.size()) == kSuffix;
}

}  // namespace

std::string stdlib_digest() {
  uint64_t hash = 14695981039346656037ull;
  for (const stdlib::EmbeddedFile& f : stdlib::embedded_files()) {
    mix(hash, f.path);
    mix(hash, f.text);
  }
  return fmt::format("{:016x}", hash);
}

std::string version_text() {
  size_t tests = 0, policies = 0;
  for (const stdlib::EmbeddedFile& f : stdlib::embedded_files()) {
    ++(is_test_file(f.path) ? tests : policies);
  }
  return fmt::format(
      "capguard {} (commit {})\nstandard library {}+{} ({} policy files, {} test files)\n",
      kVersion, kGitCommit, kVersion, stdlib_digest(), policies, tests);
}

}  // namespace capguard::cli
