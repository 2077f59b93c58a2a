#pragma once
// What this build of capguard is: the release version (CMake's project version) and the git
// commit it was built from ("unknown" outside a git work tree unless the build was given
// -DCAPGUARD_GIT_COMMIT). Defined in a file generated at every build (cmake/BuildInfo.cmake).

namespace capguard {

extern const char* const kVersion;    // "0.1.0"
extern const char* const kGitCommit;  // "5ef33c1a2b3c", "5ef33c1a2b3c-dirty" or "unknown"

}  // namespace capguard
