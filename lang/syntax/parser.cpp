// parse_module and parse_expression: drive the grammar one declaration at a time, turn syntax
// errors into diagnostics, and resume after them.

#include "lang/syntax/parser.hpp"

#include <algorithm>
#include <cctype>

#include "lang/syntax/parser_actions.hpp"
#include "lang/syntax/pegtl_adapter.hpp"

namespace capguard {
namespace {

using parser_detail::ParseState;
using parser_detail::SyntaxError;

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Span of the token at `offset`: a whole word or number, else one byte.
Span token_span(FileId file, std::string_view text, size_t offset) {
  size_t end = offset;
  while (end < text.size() && is_ident_char(text[end])) ++end;
  if (end == offset && offset < text.size()) ++end;
  return span_at(file, offset, end);
}

// Where the caret of a syntax error goes. An "expected X" error whose offending token starts a
// later line than the previous token (or that is at the end of the file) is shown right after the
// previous token, where the missing X belongs; so is every error at the end of the file.
Span error_span(FileId file, std::string_view text, const SyntaxError& e) {
  if (!e.after_previous_token && e.offset < text.size()) return token_span(file, text, e.offset);
  size_t end = std::min(e.offset, text.size());
  // Back over blanks and whole-line-trailing comments to the end of the previous token.
  while (true) {
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    size_t line = text.rfind('\n', end == 0 ? 0 : end - 1);
    line = (line == std::string::npos || end == 0) ? 0 : line + 1;
    size_t hash = std::string::npos;
    bool in_string = false;
    for (size_t i = line; i < end; ++i) {
      if (text[i] == '"') in_string = !in_string;
      if (text[i] == '\\' && in_string) ++i;
      if (text[i] == '#' && !in_string) {
        hash = i;
        break;
      }
    }
    if (hash == std::string::npos) break;
    end = hash;
  }
  bool same_line = text.find('\n', end) >= e.offset && e.offset < text.size();
  if (same_line || end == 0) return token_span(file, text, e.offset);
  return span_at(file, end, end + 1);
}

// The error's message, with "did you mean `policy`?" when the offending word is close to a
// keyword that fits there.
std::string error_message(std::string_view text, const SyntaxError& e) {
  if (e.expected_words == nullptr || e.offset >= text.size()) return e.message;
  size_t end = e.offset;
  while (end < text.size() && is_ident_char(text[end])) ++end;
  std::string word(text.substr(e.offset, end - e.offset));
  if (word.empty()) return e.message;
  std::vector<std::string> words;
  std::string_view list(e.expected_words);
  for (size_t b = 0; b < list.size();) {
    size_t space = std::min(list.find(' ', b), list.size());
    words.emplace_back(list.substr(b, space - b));
    b = space + 1;
  }
  std::string guess = did_you_mean(word, words);
  if (guess.empty() || guess == word) return e.message;
  return e.message + "; did you mean `" + guess + "`?";
}

bool starts_with_top_keyword(std::string_view text, size_t at) {
  for (const char* word : {"package", "import", "param", "fn", "policy", "test"}) {
    std::string_view w(word);
    if (text.compare(at, w.size(), w) == 0 &&
        (at + w.size() >= text.size() || !is_ident_char(text[at + w.size()]))) {
      return true;
    }
  }
  return false;
}

// Where to resume after a syntax error at `error` in the declaration that began at `start`: the
// first line, from the error's line on but after `start`, that begins with a top-level keyword.
size_t resume_point(std::string_view text, size_t start, size_t error) {
  size_t line = text.rfind('\n', error == 0 ? 0 : error - 1);
  line = line == std::string::npos || error == 0 ? 0 : line + 1;
  if (error < text.size() && text[error] == '\n') line = error + 1;
  for (size_t at = line; at < text.size();) {
    if (at > start && starts_with_top_keyword(text, at)) return at;
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return text.size();
}

// A file that is not a policy file at all would otherwise give one error per line.
constexpr int kMaxSyntaxErrors = 50;

}  // namespace

ast::Module parse_module(FileId file, Diagnostics& diags) {
  ast::Module module;
  module.file = file;
  std::string_view text = source(file).text();
  const char* base = text.data();
  const char* end = base + text.size();
  bool seen_declaration = false;
  int syntax_errors = 0;
  size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 byte order mark
  while (true) {
    pos = static_cast<size_t>(parser_detail::skip_blanks(base + pos, end) - base);
    if (pos >= text.size()) break;
    ParseState st(file, module.next_id, diags);
    st.base = base;
    st.module = &module;
    try {
      const char* stop =
          parser_detail::parse_range<grammar::top_declaration, parser_detail::action>(base + pos,
                                                                                      end, st);
      if (st.saw_package) {
        if (seen_declaration) {
          diags.error(st.package_span,
                      "`package` must come first in the file, before every other declaration");
        } else {
          module.package = std::move(st.package);
          module.package_span = st.package_span;
        }
      }
      seen_declaration = true;
      pos = static_cast<size_t>(stop - base);
    } catch (const SyntaxError& e) {
      diags.error(error_span(file, text, e), error_message(text, e));
      seen_declaration = true;
      pos = resume_point(text, pos, e.offset);
      if (++syntax_errors == kMaxSyntaxErrors && pos < text.size()) {
        diags.error(token_span(file, text, pos),
                    "too many syntax errors in this file; the rest is not parsed");
        break;
      }
    }
  }
  return module;
}

ast::ExprPtr parse_expression(FileId file, Diagnostics& diags, ast::NodeId& next_id) {
  std::string_view text = source(file).text();
  ParseState st(file, next_id, diags);
  st.base = text.data();
  try {
    parser_detail::parse_range<grammar::expression_input, parser_detail::action>(
        text.data(), text.data() + text.size(), st);
  } catch (const SyntaxError& e) {
    diags.error(error_span(file, text, e), error_message(text, e));
    return nullptr;
  }
  return std::move(st.exprs.back().expr);
}

}  // namespace capguard
