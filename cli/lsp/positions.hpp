#pragma once
// LSP positions are 0-based lines and UTF-16 code-unit columns; capguard's spans are 1-based lines
// and byte columns (lang/core/source.hpp). These convert between the two on a document's text,
// and between file URIs and paths.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lang/core/source.hpp"

namespace capguard::lsp {

struct Position {
  uint32_t line = 0;       // 0-based
  uint32_t character = 0;  // UTF-16 code units
};

// Line `line` (0-based) of `text`, without its line break; empty past the end.
std::string_view line_of(std::string_view text, uint32_t line);
// UTF-16 code units in the first `bytes` bytes of `line` (invalid UTF-8 counts one per byte).
uint32_t utf16_units(std::string_view line, size_t bytes);
// Byte offset in `line` of UTF-16 column `character` (clamped to the line's length).
size_t byte_column(std::string_view line, uint32_t character);
// Byte offset in `text` of a position (clamped).
size_t offset_of(std::string_view text, Position p);

// {"start":..., "end":...} for a span of a registered source, read from the source's line table
// (so that many diagnostics on a long text cost no rescans): from the span's column over its
// length on the first line; a span of length 0 covers one character; an unknown span is the
// first character of the text.
nlohmann::json range_of(const Span& span);
nlohmann::json position_json(uint32_t line, uint32_t character);
Position position_from_json(const nlohmann::json& p);  // throws nlohmann::json::exception

// file:///a/b%20c.policy -> /a/b c.policy; "" for a URI that is not a file URI.
std::string path_of_uri(std::string_view uri);
// /a/b c.policy -> file:///a/b%20c.policy
std::string uri_of_path(std::string_view path);

}  // namespace capguard::lsp
