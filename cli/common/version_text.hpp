#pragma once
// `capguard --version`: the release, the git commit of the build, and the embedded standard
// library's version (the release plus a digest of its files, so two builds with different
// policies never claim the same library).

#include <string>

namespace capguard::cli {

// "capguard 0.1.0 (commit 5ef33c1a2b3c)\nstandard library 0.1.0+3f2a...: 15 policy files, ...\n"
std::string version_text();

// A 64-bit FNV-1a digest of the embedded standard library's paths and texts, as 16 hex digits.
std::string stdlib_digest();

}  // namespace capguard::cli
