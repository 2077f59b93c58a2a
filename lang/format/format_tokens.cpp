#include "lang/format/format_tokens.hpp"

#include <algorithm>

namespace capguard::format_detail {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool is_open(std::string_view p) {
  return p == "(" || p == "[" || p == "{" || p == "?[";
}
bool is_close(std::string_view p) {
  return p == ")" || p == "]" || p == "}";
}

}  // namespace

TokenIndex::TokenIndex(std::string_view text) : text_(text) {
  uint32_t line = 1;
  bool code_on_line = false;
  size_t i = 0;
  auto advance_to = [&](size_t end) {
    for (; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        code_on_line = false;
      }
    }
  };
  while (i < text.size()) {
    char c = text[i];
    if (is_space(c)) {
      advance_to(i + 1);
      continue;
    }
    if (c == '#') {
      size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
      std::string_view body = text.substr(i, end - i);
      while (!body.empty() && is_space(body.back())) body.remove_suffix(1);
      comments_.push_back(Comment{i, line, std::string(body), code_on_line});
      advance_to(end);
      continue;
    }
    Token t;
    t.begin = i;
    t.line = line;
    size_t end = i + 1;
    if (text.substr(i, 3) == "\"\"\"") {
      t.kind = TokenKind::String;
      size_t close = text.find("\"\"\"", i + 3);
      end = close == std::string_view::npos ? text.size() : close + 3;
    } else if (c == '"') {
      t.kind = TokenKind::String;
      while (end < text.size() && text[end] != '"' && text[end] != '\n') {
        end += text[end] == '\\' && end + 1 < text.size() ? 2 : 1;
      }
      if (end < text.size() && text[end] == '"') ++end;
    } else if (is_digit(c)) {
      t.kind = TokenKind::Number;
      while (end < text.size() && is_digit(text[end])) ++end;
      if (end + 1 < text.size() && text[end] == '.' && is_digit(text[end + 1])) {
        ++end;
        while (end < text.size() && is_digit(text[end])) ++end;
      }
      while (end < text.size() && is_word_char(text[end])) ++end;
    } else if (is_word_char(c)) {
      t.kind = TokenKind::Word;
      while (end < text.size() && is_word_char(text[end])) ++end;
    } else {
      static constexpr std::string_view kTwo[] = {"==", "!=", "<=", ">=", "?.", "?["};
      t.kind = TokenKind::Punct;
      for (std::string_view two : kTwo) {
        if (text.substr(i, 2) == two) end = i + 2;
      }
    }
    advance_to(end);
    t.end = end;
    t.end_line = line;
    tokens_.push_back(t);
    code_on_line = true;
  }

  match_.assign(tokens_.size(), npos);
  std::vector<size_t> open;
  for (size_t k = 0; k < tokens_.size(); ++k) {
    if (tokens_[k].kind != TokenKind::Punct) continue;
    std::string_view p = token_text(k);
    if (is_open(p)) {
      open.push_back(k);
    } else if (is_close(p) && !open.empty()) {
      match_[k] = open.back();
      match_[open.back()] = k;
      open.pop_back();
    }
  }
}

std::string_view TokenIndex::token_text(size_t i) const {
  return text_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
}

size_t TokenIndex::at(size_t offset) const {
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                             [](const Token& t, size_t off) { return t.begin < off; });
  if (it == tokens_.end() || it->begin != offset) return npos;
  return static_cast<size_t>(it - tokens_.begin());
}

bool TokenIndex::is(size_t i, std::string_view punct) const {
  return i < tokens_.size() && tokens_[i].kind == TokenKind::Punct && token_text(i) == punct;
}

}  // namespace capguard::format_detail
