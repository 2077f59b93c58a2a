#pragma once
// The tokens and comments of a policy file, for the formatter (lang/format/format.hpp). The AST
// keeps where each node starts but not where it ends, which parentheses were written, nor any
// comment; this scanner recovers those from the text. It assumes a file that parsed without syntax
// errors (the formatter never runs on any other), so it does not diagnose anything.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capguard::format_detail {

enum class TokenKind { Word, Number, String, Punct };

struct Token {
  TokenKind kind = TokenKind::Punct;
  size_t begin = 0;  // byte offsets [begin, end) in the source text
  size_t end = 0;
  uint32_t line = 0;      // 1-based line of `begin`
  uint32_t end_line = 0;  // 1-based line of the last byte (differs for """ strings)
};

// A `#` comment. `text` starts with `#` and has no trailing blanks or newline.
struct Comment {
  size_t begin = 0;
  uint32_t line = 0;
  std::string text;
  bool trailing = false;  // code precedes it on its line (an end-of-line comment)
};

class TokenIndex {
 public:
  explicit TokenIndex(std::string_view text);

  const std::vector<Token>& tokens() const { return tokens_; }
  const std::vector<Comment>& comments() const { return comments_; }
  std::string_view text() const { return text_; }
  std::string_view token_text(size_t i) const;

  // The index of the token that starts at byte `offset`; npos when none does.
  size_t at(size_t offset) const;
  // The index of the bracket matching the opening or closing bracket token `i` ( ( [ { ?[ ) ] } );
  // npos when `i` is not a bracket or is unbalanced.
  size_t match(size_t i) const { return i < match_.size() ? match_[i] : npos; }
  bool is(size_t i, std::string_view punct) const;

  static constexpr size_t npos = static_cast<size_t>(-1);

 private:
  std::string_view text_;
  std::vector<Token> tokens_;
  std::vector<Comment> comments_;
  std::vector<size_t> match_;
};

}  // namespace capguard::format_detail
