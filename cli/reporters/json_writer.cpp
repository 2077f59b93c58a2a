#include "cli/reporters/json_writer.hpp"

#include <nlohmann/json.hpp>

namespace capguard::cli {

namespace {

// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF): exactly what
// nlohmann's decoder accepts. Anything else goes through nlohmann itself, so that the
// replacement of invalid bytes is its own, byte for byte.
bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    auto at = [&](size_t k) { return k < n ? static_cast<unsigned char>(s[k]) : 0; };
    auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(at(i + 1))) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      unsigned char b1 = at(i + 1);
      if (c == 0xE0 && (b1 < 0xA0 || b1 > 0xBF)) return false;
      if (c == 0xED && (b1 < 0x80 || b1 > 0x9F)) return false;
      if (!cont(b1) || !cont(at(i + 2))) return false;
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      unsigned char b1 = at(i + 1);
      if (c == 0xF0 && (b1 < 0x90 || b1 > 0xBF)) return false;
      if (c == 0xF4 && (b1 < 0x80 || b1 > 0x8F)) return false;
      if (!cont(b1) || !cont(at(i + 2)) || !cont(at(i + 3))) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

void JsonWriter::append_string(std::string& out, std::string_view text) {
  if (!valid_utf8(text)) {
    out += nlohmann::ordered_json(std::string(text))
               .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return;
  }
  static const char* kHex = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_items_.empty()) return;  // the root
  out_ += has_items_.back() ? ",\n" : "\n";
  has_items_.back() = true;
  indent(has_items_.size());
}

void JsonWriter::key(std::string_view name) {
  out_ += has_items_.back() ? ",\n" : "\n";
  has_items_.back() = true;
  indent(has_items_.size());
  append_string(out_, name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  has_items_.push_back(false);
}

void JsonWriter::close(char bracket) {
  bool items = has_items_.back();
  has_items_.pop_back();
  if (items) {
    out_ += '\n';
    indent(has_items_.size());
  }
  out_ += bracket;
}

void JsonWriter::value(std::string_view text) {
  before_value();
  append_string(out_, text);
}

void JsonWriter::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
}

void JsonWriter::value(uint64_t n) {
  before_value();
  out_ += std::to_string(n);
}

void JsonWriter::value(int64_t n) {
  before_value();
  out_ += std::to_string(n);
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

}  // namespace capguard::cli
