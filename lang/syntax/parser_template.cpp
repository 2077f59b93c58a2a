// Message templates: "text {expr} text", with `{{` and `}}` for literal braces. The template is
// split on the decoded string (so an escaped quote inside `{...}` is an ordinary quote), and each
// `{expr}` is parsed with grammar::template_expression over the decoded bytes; their source
// offsets (DecodedString::offsets) keep error positions and spans exact.

#include "lang/syntax/parser_actions.hpp"
#include "lang/syntax/pegtl_adapter.hpp"

namespace capguard::parser_detail {
namespace {

// Index of the `}` closing the `{` at `open`, skipping nested braces and string literals; npos
// when there is none.
size_t find_close(const std::string& t, size_t open) {
  int depth = 0;
  for (size_t i = open; i < t.size(); ++i) {
    char c = t[i];
    if (c == '"') {
      for (++i; i < t.size() && t[i] != '"'; ++i) {
        if (t[i] == '\\') ++i;
      }
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string::npos;
}

}  // namespace

ast::Template parse_template(ParseState& st, std::string_view literal, size_t begin, size_t end) {
  DecodedString decoded = decode_string(literal, begin);
  const std::string& t = decoded.text;
  ast::Template tmpl;
  tmpl.span = st.span(begin, end);
  std::string text;
  auto flush = [&] {
    if (!text.empty()) tmpl.parts.push_back(ast::TemplatePart{std::move(text), nullptr});
    text.clear();
  };
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      text += '{';
      ++i;
    } else if (c == '}' && i + 1 < t.size() && t[i + 1] == '}') {
      text += '}';
      ++i;
    } else if (c == '}') {
      throw SyntaxError{decoded.offsets[i],
                        "unmatched `}` in the message: write `}}` for a literal brace"};
    } else if (c == '{') {
      size_t close = find_close(t, i);
      if (close == std::string::npos) {
        throw SyntaxError{decoded.offsets[i],
                          "unclosed `{` in the message: write `{{` for a literal brace"};
      }
      flush();
      ParseState sub(st.file, st.next_id, st.diags);
      sub.depth = st.depth;
      sub.base = t.data();
      sub.map = &decoded.offsets;
      parse_range<grammar::template_expression, action>(t.data() + i + 1, t.data() + close, sub);
      tmpl.parts.push_back(ast::TemplatePart{"", std::move(sub.exprs.back().expr)});
      i = close;
    } else {
      text += c;
    }
  }
  flush();
  return tmpl;
}

}  // namespace capguard::parser_detail
