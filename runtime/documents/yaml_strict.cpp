#include "runtime/documents/yaml_strict.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace capguard {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_break(char c) {
  return c == '\n' || c == '\r';
}
bool is_flow_indicator(char c) {
  return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}
bool is_word_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// The end of the property token (`!tag`, `!<verbatim>`, `&anchor`) that starts at `at`.
size_t property_end(std::string_view text, size_t at) {
  size_t i = at + 1;
  if (text[at] == '!' && i < text.size() && text[i] == '<') {
    while (i < text.size() && text[i] != '>' && !is_blank(text[i]) && !is_break(text[i])) ++i;
    return i < text.size() && text[i] == '>' ? i + 1 : i;
  }
  while (i < text.size() && !is_blank(text[i]) && !is_break(text[i]) && !is_flow_indicator(text[i]))
    ++i;
  return i;
}

// Past the white space, line breaks and comments at `at`.
size_t skip_separation(std::string_view text, size_t at) {
  while (at < text.size()) {
    char c = text[at];
    if (is_blank(c) || is_break(c)) {
      ++at;
    } else if (c == '#') {
      while (at < text.size() && text[at] != '\n') ++at;
    } else {
      break;
    }
  }
  return at;
}

// A `---` or `...` marker at `at` (the start of a line), followed by white space or the end.
bool is_document_marker(std::string_view text, size_t at) {
  std::string_view m = text.substr(at, 3);
  if (m != "---" && m != "...") return false;
  return at + 3 >= text.size() || is_blank(text[at + 3]) || is_break(text[at + 3]);
}

}  // namespace

size_t quoted_scalar_end(std::string_view text, size_t offset) {
  if (offset >= text.size()) return std::string_view::npos;
  char quote = text[offset];
  if (quote == '"') {
    for (size_t i = offset + 1; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        return i;
      }
    }
  } else if (quote == '\'') {
    for (size_t i = offset + 1; i < text.size(); ++i) {
      if (text[i] != '\'') continue;
      if (i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside the scalar
        continue;
      }
      return i;
    }
  }
  return std::string_view::npos;
}

std::optional<std::string> unclosed_quoted_scalar(std::string_view text, size_t offset) {
  if (offset >= text.size()) return std::nullopt;
  char quote = text[offset];
  if (quote != '"' && quote != '\'') return std::nullopt;
  if (quoted_scalar_end(text, offset) != std::string_view::npos) return std::nullopt;
  if (quote == '"')
    return std::string("double-quoted scalar is not closed: no \" before the end of the file");
  return std::string("single-quoted scalar is not closed: no ' before the end of the file");
}

std::vector<std::string> declared_tag_handles(std::string_view text) {
  std::vector<std::string> handles;
  size_t at = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (is_document_marker(text, at) && line.substr(0, 3) == "---") break;
    if (line.substr(0, 4) == "%TAG" && line.size() > 4 && is_blank(line[4])) {
      size_t h = 4;
      while (h < line.size() && is_blank(line[h])) ++h;
      size_t e = h;
      while (e < line.size() && !is_blank(line[e]) && line[e] != '\r') ++e;
      if (e > h) handles.emplace_back(line.substr(h, e - h));
    }
    at = end + 1;
  }
  return handles;
}

size_t skip_node_properties(std::string_view text, size_t offset) {
  size_t at = offset;
  while (at < text.size() && (text[at] == '!' || text[at] == '&'))
    at = skip_separation(text, property_end(text, at));
  return at;
}

std::optional<StrictError> bad_tag_property(std::string_view text, size_t offset,
                                            const std::vector<std::string>& declared) {
  size_t at = offset;
  while (at < text.size() && (text[at] == '!' || text[at] == '&')) {
    size_t end = property_end(text, at);
    std::string_view token = text.substr(at, end - at);
    if (token.substr(0, 2) == "!<") {
      if (token == "!<>")
        return StrictError{at,
                           "empty verbatim tag `!<>`: write a tag between the brackets, or "
                           "no tag"};
      if (token == "!<!>")
        return StrictError{at,
                           "`!<!>` is not a valid verbatim tag: write a tag between the "
                           "brackets, or `!` alone"};
    } else if (token[0] == '!' && token.size() > 2 && token[1] != '!') {
      size_t second = token.find('!', 1);
      if (second != std::string_view::npos &&
          std::all_of(token.begin() + 1, token.begin() + static_cast<long>(second), is_word_char)) {
        std::string_view handle = token.substr(0, second + 1);
        if (std::find(declared.begin(), declared.end(), handle) == declared.end())
          return StrictError{at, fmt::format("tag handle `{}` is not declared: no `%TAG {} ...` "
                                             "directive before the document",
                                             handle, handle)};
      }
    }
    at = skip_separation(text, end);
  }
  return std::nullopt;
}

std::optional<StrictError> bad_quoted_continuation(std::string_view text, size_t offset, size_t end,
                                                   long /*block_indent*/) {
  const char* kind = text[offset] == '"' ? "double-quoted" : "single-quoted";
  size_t brk = text.find('\n', offset);
  while (brk != std::string_view::npos && brk < end) {
    size_t at = brk + 1;
    size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) eol = text.size();
    size_t spaces = at;
    while (spaces < eol && text[spaces] == ' ') ++spaces;
    size_t first = spaces;
    while (first < eol && (is_blank(text[first]) || text[first] == '\r')) ++first;
    if (first < eol) {  // a line with text (or the closing quote) on it
      if (is_document_marker(text, at))
        return StrictError{at, fmt::format("a document marker (`{}`) inside a {} scalar: indent "
                                           "the line, or close the quote before it",
                                           text.substr(at, 3), kind)};
    }
    brk = eol == text.size() ? std::string_view::npos : eol;
  }
  return std::nullopt;
}

std::vector<size_t> inner_byte_order_marks(std::string_view text) {
  std::vector<size_t> out;
  for (size_t at = text.find("\xEF\xBB\xBF", 1); at != std::string_view::npos;
       at = text.find("\xEF\xBB\xBF", at + 3))
    out.push_back(at);
  return out;
}

bool is_empty_flow_entry(std::string_view text, size_t offset) {
  if (offset >= text.size()) return false;
  char c = text[offset];
  return c == ',' || c == ']' || c == '}';
}

std::optional<size_t> directive_without_document_start(std::string_view text) {
  std::optional<size_t> directive;
  size_t at = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") at = 3;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    bool blank = first == std::string_view::npos || line[first] == '#';
    if (!line.empty() && line[0] == '%') {
      if (!directive) directive = at;
    } else if (line.substr(0, 3) == "---" &&
               (line.size() == 3 || line[3] == ' ' || line[3] == '\t')) {
      return std::nullopt;
    } else if (!blank) {
      return directive;  // content: a directive before it needed a `---`
    }
    at = end + 1;
  }
  return directive;
}

bool starts_document(std::string_view text, size_t offset) {
  if (offset >= text.size()) return true;
  if (text.substr(offset, 3) == "---" || text.substr(offset, 1) == "%") return true;
  // The last non-blank line before `offset`.
  size_t end = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  while (end != std::string_view::npos && end > 0) {
    size_t begin = text.rfind('\n', end - 1);
    begin = begin == std::string_view::npos ? 0 : begin + 1;
    std::string_view line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) return line.substr(0, 3) == "...";
    if (begin == 0) break;
    end = begin - 1;
  }
  return false;
}

}  // namespace capguard
