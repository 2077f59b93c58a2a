#include "lang/syntax/parser_strings.hpp"

#include <algorithm>

#include "lang/syntax/parser_state.hpp"

namespace capguard::parser_detail {
namespace {

void append_utf8(DecodedString& out, uint32_t cp, uint32_t at) {
  auto put = [&](uint32_t byte) {
    out.text += static_cast<char>(byte);
    out.offsets.push_back(at);
  };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
}

DecodedString decode_plain(std::string_view body, size_t offset) {
  DecodedString out;
  for (size_t i = 0; i < body.size(); ++i) {
    uint32_t at = static_cast<uint32_t>(offset + i);
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out.text += c;
      out.offsets.push_back(at);
      continue;
    }
    char e = body[++i];
    char plain = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
    if (e != 'u') {
      out.text += plain;
      out.offsets.push_back(at);
      continue;
    }
    // \u{HEX}: the grammar guarantees the braces and at least one hex digit.
    size_t close = body.find('}', i);
    std::string_view hex = body.substr(i + 2, close - i - 2);
    uint32_t cp = 0;
    bool too_big = hex.size() > 6;
    for (char h : hex) {
      cp = cp * 16 + static_cast<uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    if (too_big || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw SyntaxError{at, "\\u{" + std::string(hex) + "} is not a Unicode character"};
    }
    append_utf8(out, cp, at);
    i = close;
  }
  out.offsets.push_back(static_cast<uint32_t>(offset + body.size()));
  return out;
}

bool is_blank_line(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

DecodedString decode_triple(std::string_view body, size_t offset) {
  size_t start = 0;
  if (body.substr(0, 1) == "\n") start = 1;
  if (body.substr(0, 2) == "\r\n") start = 2;
  // Split into lines [begin, end) of body.
  std::vector<std::pair<size_t, size_t>> lines;
  for (size_t b = start;;) {
    size_t nl = body.find('\n', b);
    if (nl == std::string_view::npos) {
      lines.emplace_back(b, body.size());
      break;
    }
    lines.emplace_back(b, nl);
    b = nl + 1;
  }
  size_t indent = std::string_view::npos;
  for (auto [b, e] : lines) {
    std::string_view line = body.substr(b, e - b);
    if (is_blank_line(line)) continue;
    size_t n = line.find_first_not_of(" \t");
    indent = std::min(indent, n);
  }
  if (indent == std::string_view::npos) indent = 0;
  DecodedString out;
  for (size_t k = 0; k < lines.size(); ++k) {
    auto [b, e] = lines[k];
    std::string_view line = body.substr(b, e - b);
    if (e > b && body[e - 1] == '\r') --e;  // CRLF files: the value has plain newlines
    if (!is_blank_line(line)) {
      for (size_t i = b + indent; i < e; ++i) {
        out.text += body[i];
        out.offsets.push_back(static_cast<uint32_t>(offset + i));
      }
    }
    if (k + 1 < lines.size()) {
      out.text += '\n';
      out.offsets.push_back(static_cast<uint32_t>(offset + e));
    }
  }
  out.offsets.push_back(static_cast<uint32_t>(offset + body.size()));
  return out;
}

}  // namespace

DecodedString decode_string(std::string_view literal, size_t offset) {
  // Each decoded byte keeps its source offset (4 bytes): the limit keeps memory proportional.
  if (literal.size() > kMaxStringLiteralBytes) {
    throw SyntaxError{offset, "string literal of " + std::to_string(literal.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(kMaxStringLiteralBytes) + " bytes"};
  }
  if (literal.size() >= 6 && literal.substr(0, 3) == "\"\"\"") {
    return decode_triple(literal.substr(3, literal.size() - 6), offset + 3);
  }
  return decode_plain(literal.substr(1, literal.size() - 2), offset + 1);
}

}  // namespace capguard::parser_detail
