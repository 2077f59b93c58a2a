#pragma once
// String literals of the policy language, from source text to value: escapes in "..." strings,
// and the indentation rule of """...""" strings. Each decoded byte remembers the source offset it
// came from, so that an `{expr}` inside a message template reports errors at the right column.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capguard::parser_detail {

// The longest string literal (quotes included) a policy may hold.
constexpr size_t kMaxStringLiteralBytes = size_t{1} << 20;

struct DecodedString {
  std::string text;
  // offsets[i]: source byte offset of text[i]; one extra entry: the offset of the closing quote.
  std::vector<uint32_t> offsets;
};

// Decodes a string literal as matched by grammar::string_literal (quotes included) that starts at
// source offset `offset`.
//   "..."      escapes \" \\ \n \t \r \u{HEX} are replaced.
//   """..."""  raw (no escapes); a newline right after the opening quotes is dropped, the
//              indentation common to all non-blank lines is removed, blank lines become empty.
// Throws SyntaxError for a \u{...} that is not a Unicode scalar value, and for a literal longer
// than kMaxStringLiteralBytes.
DecodedString decode_string(std::string_view literal, size_t offset);

}  // namespace capguard::parser_detail
