#pragma once
// Scanning JSON text before handing it to a parser that recurses (nlohmann::json): how deep its
// arrays and objects nest, so that a hostile message is refused before it is parsed.
#include <cstddef>
#include <string_view>

namespace capguard {

// The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count);
// the scan stops early once `limit` is exceeded.
size_t json_depth(std::string_view text, size_t limit);

// The first byte of `text` after an optional UTF-8 byte order mark and JSON whitespace when it is
// `[` or `{`, else 0.
char json_opening(std::string_view text);
// True when json_opening() is `[` or `{`: what the document loaders and the input size limit
// (file_read.hpp) take for JSON.
inline bool looks_like_json(std::string_view text) {
  return json_opening(text) != 0;
}

}  // namespace capguard
