#pragma once
// Slash paths as Go cleans them: compose-go, Docker and the authorization plugin's request paths
// all go through Go's path.Clean (filepath.Clean on Linux), and capguard compares what they
// compare. Also the `clean_path` built-in (runtime/eval/builtins_paths.cpp).

#include <string>
#include <string_view>

namespace capguard {

// Go's path.Clean: collapses repeated '/', removes "." segments and resolves ".." against the
// segment before it ("/.." is "/"; a relative path keeps leading ".."), drops a trailing '/';
// an empty result is ".".
std::string clean_path(std::string_view path);

}  // namespace capguard
