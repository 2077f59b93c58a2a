#include "runtime/documents/compose/env_file.hpp"

#include <fmt/format.h>

#include "runtime/documents/compose/interpolate.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '[' || c == ']';
}

class EnvFileParser {
 public:
  EnvFileParser(FileId file, const Environment& lookup, Environment& out, Diagnostics& diags)
      : file_(file), text_(source(file).text()), lookup_(lookup), out_(out), diags_(diags) {}

  bool run() {
    while (pos_ < text_.size()) parse_line();
    return ok_;
  }

 private:
  Span span_at_pos(size_t pos, size_t end) const { return span_at(file_, pos, end); }

  void error(size_t pos, const std::string& message) {
    diags_.error(span_at_pos(pos, pos + 1), message);
    ok_ = false;
  }

  void skip_to_next_line() {
    size_t nl = text_.find('\n', pos_);
    pos_ = nl == std::string::npos ? text_.size() : nl + 1;
  }

  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  void parse_line() {
    skip_spaces();
    if (pos_ >= text_.size()) return;
    if (text_[pos_] == '\n' || text_[pos_] == '#') return skip_to_next_line();
    if (text_.compare(pos_, 7, "export ") == 0) {
      pos_ += 7;
      skip_spaces();
    }
    size_t key_start = pos_;
    while (pos_ < text_.size() && is_key_char(text_[pos_])) ++pos_;
    std::string key(text_.substr(key_start, pos_ - key_start));
    skip_spaces();
    if (key.empty() || (pos_ < text_.size() && text_[pos_] != '=' && text_[pos_] != ':' &&
                        text_[pos_] != '\n' && text_[pos_] != '#')) {
      error(pos_ < text_.size() ? pos_ : key_start,
            key.empty() ? "expected a variable name"
                        : fmt::format("unexpected character '{}' in variable name",
                                      pos_ < text_.size() ? text_[pos_] : ' '));
      return skip_to_next_line();
    }
    if (pos_ >= text_.size() || text_[pos_] == '\n' || text_[pos_] == '#') {
      // KEY alone: inherited from the environment when set there.
      if (auto v = lookup_.get(key)) out_.set(key, *v);
      return skip_to_next_line();
    }
    ++pos_;  // '=' or ':'
    skip_spaces();
    std::optional<std::string> value;
    if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
      value = quoted();
    } else {
      value = unquoted();
    }
    if (value) out_.set(key, std::move(*value));
  }

  std::optional<std::string> unquoted() {
    size_t start = pos_;
    size_t nl = text_.find('\n', pos_);
    size_t end = nl == std::string::npos ? text_.size() : nl;
    std::string raw(text_.substr(start, end - start));
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '#' && (i == 0 || is_space(raw[i - 1]))) {
        raw.resize(i);
        break;
      }
    }
    while (!raw.empty() && is_space(raw.back())) raw.pop_back();
    pos_ = end;
    skip_to_next_line();
    return expand(raw, start);
  }

  std::optional<std::string> quoted() {
    char q = text_[pos_];
    size_t start = pos_++;
    std::string raw;
    bool closed = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == q) {
        closed = true;
        ++pos_;
        break;
      }
      if (q == '"' && c == '\\' && pos_ + 1 < text_.size()) {
        char e = text_[pos_ + 1];
        pos_ += 2;
        switch (e) {
          case 'n':
            raw += '\n';
            break;
          case 'r':
            raw += '\r';
            break;
          case 't':
            raw += '\t';
            break;
          case '$':
            raw += "$$";  // stays a literal $ through interpolation
            break;
          default:
            raw += e;
        }
        continue;
      }
      raw += c;
      ++pos_;
    }
    if (!closed) {
      error(start, fmt::format("unterminated quoted value (missing closing {})", q));
      pos_ = text_.size();
      return std::nullopt;
    }
    skip_to_next_line();  // anything after the closing quote is a comment
    if (q == '\'') return raw;
    return expand(raw, start);
  }

  // ${VAR} in a value: the process environment first, then the keys read so far.
  std::optional<std::string> expand(const std::string& raw, size_t start) {
    if (raw.find('$') == std::string::npos) return raw;
    Environment scope = out_;
    scope.overlay(lookup_);
    auto out = interpolate_string(raw, scope, span_at_pos(start, start + raw.size()), diags_);
    if (!out) ok_ = false;
    return out;
  }

  FileId file_;
  std::string_view text_;
  const Environment& lookup_;
  Environment& out_;
  Diagnostics& diags_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

bool parse_env_file(FileId file, const Environment& lookup, Environment& out, Diagnostics& diags) {
  return EnvFileParser(file, lookup, out, diags).run();
}

bool load_env_file(const std::string& path, const Environment& lookup, Environment& out,
                   Diagnostics& diags) {
  auto file = read_file(path, diags);
  if (!file) return false;
  return parse_env_file(*file, lookup, out, diags);
}

}  // namespace capguard
