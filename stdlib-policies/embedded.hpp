#pragma once
// The standard policy library, embedded into the binary at build time (see embed.cmake).

#include <string_view>
#include <vector>

namespace capguard::stdlib {

struct EmbeddedFile {
  std::string_view path;  // "stdlib/<path below stdlib-policies/>"
  std::string_view text;
};

// Every embedded *.policy file, sorted by path.
const std::vector<EmbeddedFile>& embedded_files();

}  // namespace capguard::stdlib
