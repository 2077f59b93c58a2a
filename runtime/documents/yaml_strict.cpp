#include "runtime/documents/yaml_strict.hpp"

namespace capguard {

std::optional<std::string> unclosed_quoted_scalar(std::string_view text, size_t offset) {
  if (offset >= text.size()) return std::nullopt;
  char quote = text[offset];
  if (quote == '"') {
    for (size_t i = offset + 1; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        return std::nullopt;
      }
    }
    return std::string("double-quoted scalar is not closed: no \" before the end of the file");
  }
  if (quote == '\'') {
    for (size_t i = offset + 1; i < text.size(); ++i) {
      if (text[i] != '\'') continue;
      if (i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside the scalar
        continue;
      }
      return std::nullopt;
    }
    return std::string("single-quoted scalar is not closed: no ' before the end of the file");
  }
  return std::nullopt;
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
