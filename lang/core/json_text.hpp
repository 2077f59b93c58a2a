#pragma once
// Scanning JSON text before handing it to a parser that recurses (nlohmann::json): how deep its
// arrays and objects nest, so that a hostile message is refused before it is parsed.
#include <cstddef>
#include <string_view>

namespace capguard {

// The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count);
// the scan stops early once `limit` is exceeded.
size_t json_depth(std::string_view text, size_t limit);

}  // namespace capguard
