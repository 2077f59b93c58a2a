#include "lang/diagnostics.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace capguard {

void Diagnostics::error(Span span, std::string message) {
  add(Diagnostic{DiagLevel::Error, span, std::move(message), {}, {}});
}

void Diagnostics::warning(Span span, std::string message) {
  add(Diagnostic{DiagLevel::Warning, span, std::move(message), {}, {}});
}

void Diagnostics::file_error(std::string file_name, std::string message) {
  add(Diagnostic{DiagLevel::Error, Span{}, std::move(message), {}, std::move(file_name)});
}

void Diagnostics::add(Diagnostic d) {
  if (d.level == DiagLevel::Error) ++errors_;
  items_.push_back(std::move(d));
}

void Diagnostics::append(const Diagnostics& other) {
  for (const Diagnostic& d : other.items_) add(d);
}

std::string location(const Span& span) {
  if (span.file == 0) return "";
  const std::string& name = source_name(span.file);
  if (span.line == 0) return name;
  return fmt::format("{}:{}:{}", name, span.line, span.column);
}

namespace {

const char* severity_word(DiagLevel s) {
  switch (s) {
    case DiagLevel::Error:
      return "error";
    case DiagLevel::Warning:
      return "warning";
    case DiagLevel::Note:
      return "note";
  }
  return "error";
}

const char* severity_color(DiagLevel s) {
  switch (s) {
    case DiagLevel::Error:
      return "\033[1;31m";
    case DiagLevel::Warning:
      return "\033[1;35m";
    case DiagLevel::Note:
      return "\033[1;36m";
  }
  return "";
}

void render_into(std::string& out, const Diagnostic& d, bool color) {
  std::string where = d.span.file != 0 ? location(d.span) : d.file_name;
  if (!where.empty()) {
    if (color) out += "\033[1m";
    out += where;
    out += ": ";
    if (color) out += "\033[0m";
  }
  if (color) out += severity_color(d.level);
  out += severity_word(d.level);
  out += ":";
  if (color) out += "\033[0m";
  out += " ";
  out += d.message;
  out += "\n";
  if (d.span.file != 0 && d.span.line != 0) {
    std::string_view text = source(d.span.file).line_text(d.span.line);
    uint32_t column = d.span.column;
    // A very long line (minified JSON, a huge scalar) is shown as a window around the caret, so
    // that one diagnostic stays a few hundred bytes. The window starts on a UTF-8 lead byte.
    constexpr size_t kMaxShown = 160, kBeforeCaret = 60;
    std::string clipped;
    if (text.size() > kMaxShown) {
      size_t begin = column > kBeforeCaret + 1 ? column - 1 - kBeforeCaret : 0;
      begin = std::min(begin, text.size());
      while (begin > 0 && begin < text.size() &&
             (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) {
        --begin;
      }
      size_t end = std::min(text.size(), begin + kMaxShown);
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
      std::string_view prefix = begin > 0 ? "..." : "";
      clipped = std::string(prefix) + std::string(text.substr(begin, end - begin)) +
                (end < text.size() ? "..." : "");
      column = static_cast<uint32_t>(column - begin + prefix.size());
      text = clipped;
    }
    std::string number = std::to_string(d.span.line);
    std::string gutter(number.size(), ' ');
    out += fmt::format(" {} | {}\n", number, text);
    // The caret goes under column `column`; tabs in the prefix are kept so it lines up.
    std::string pad;
    for (uint32_t i = 1; i < column && i - 1 < text.size(); ++i) {
      pad += text[i - 1] == '\t' ? '\t' : ' ';
    }
    size_t max_len = text.size() >= column ? text.size() - column + 1 : 1;
    size_t len = std::clamp<size_t>(d.span.length, 1, std::max<size_t>(max_len, 1));
    std::string marker = "^" + std::string(len - 1, '~');
    if (color) marker = std::string("\033[1;32m") + marker + "\033[0m";
    out += fmt::format(" {} | {}{}\n", gutter, pad, marker);
  }
  for (const Diagnostic& note : d.notes) render_into(out, note, color);
}

// Optimal string alignment distance (Levenshtein plus transposition of neighbours),
// case-insensitive.
size_t edit_distance(const std::string& a, const std::string& b) {
  auto eq = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = eq(a[i - 1], b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1])) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    before.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string render(const Diagnostic& d, bool color) {
  std::string out;
  render_into(out, d, color);
  return out;
}

std::string render(const Diagnostics& ds, bool color) {
  std::string out;
  for (const Diagnostic& d : ds.all()) render_into(out, d, color);
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, (word.size() + 2) / 3) + 1;
  for (const std::string& c : candidates) {
    // The length difference is a lower bound of the distance: skipping on it keeps a huge
    // unknown word from costing its length times every candidate's.
    size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (gap >= best_distance) continue;
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean_hint(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best = did_you_mean(word, candidates);
  return best.empty() ? "" : fmt::format("; did you mean `{}`?", best);
}

}  // namespace capguard
