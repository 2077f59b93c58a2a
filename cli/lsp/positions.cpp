#include "cli/lsp/positions.hpp"

#include <algorithm>
#include <cctype>

#include "lang/core/diagnostics.hpp"

namespace capguard::lsp {

std::string_view line_of(std::string_view text, uint32_t line) {
  size_t start = 0;
  for (uint32_t i = 0; i < line; ++i) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view l =
      text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

uint32_t utf16_units(std::string_view line, size_t bytes) {
  uint32_t units = 0;
  size_t i = 0;
  bytes = std::min(bytes, line.size());
  while (i < bytes) {
    char32_t cp = 0;
    size_t n = utf8_sequence_length(line, i, &cp);
    if (n == 0) n = 1;
    units += (n == 4) ? 2 : 1;
    i += n;
  }
  return units;
}

size_t byte_column(std::string_view line, uint32_t character) {
  uint32_t units = 0;
  size_t i = 0;
  while (i < line.size() && units < character) {
    size_t n = utf8_sequence_length(line, i);
    if (n == 0) n = 1;
    units += (n == 4) ? 2 : 1;
    i += n;
  }
  return i;
}

size_t offset_of(std::string_view text, Position p) {
  size_t start = 0;
  for (uint32_t i = 0; i < p.line; ++i) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return text.size();
    start = nl + 1;
  }
  return start + byte_column(line_of(text, p.line), p.character);
}

nlohmann::json position_json(uint32_t line, uint32_t character) {
  return {{"line", line}, {"character", character}};
}

nlohmann::json range_of(const Span& span) {
  uint32_t line = span.line > 0 ? span.line - 1 : 0;
  std::string_view l = span.known() ? source(span.file).line_text(span.line) : std::string_view();
  size_t begin = span.column > 0 ? span.column - 1 : 0;
  size_t end = begin + (span.length > 0 ? span.length : 1);
  if (span.length == 0 && begin < l.size()) {
    size_t n = utf8_sequence_length(l, begin);
    end = begin + (n == 0 ? 1 : n);
  }
  uint32_t first = utf16_units(l, begin);
  uint32_t last = utf16_units(l, std::min(end, l.size()));
  if (last <= first) last = first + 1;  // past the end of the line: one column
  return {{"start", position_json(line, first)}, {"end", position_json(line, last)}};
}

Position position_from_json(const nlohmann::json& p) {
  return Position{p.at("line").get<uint32_t>(), p.at("character").get<uint32_t>()};
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string path_of_uri(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.substr(0, kScheme.size()) != kScheme) return {};
  uri.remove_prefix(kScheme.size());
  size_t slash = uri.find('/');  // skip an authority ("localhost")
  if (slash == std::string_view::npos) return {};
  uri.remove_prefix(slash);
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 &&
        hex_value(uri[i + 2]) >= 0) {
      path.push_back(static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2])));
      i += 2;
    } else {
      path.push_back(uri[i]);
    }
  }
  return path;
}

std::string uri_of_path(std::string_view path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string uri = "file://";
  for (char c : path) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri.push_back(c);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[u >> 4]);
      uri.push_back(kHex[u & 15]);
    }
  }
  return uri;
}

}  // namespace capguard::lsp
