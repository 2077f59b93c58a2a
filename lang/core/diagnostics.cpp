#include "lang/core/diagnostics.hpp"

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

namespace {

void clip_messages(Diagnostic& d) {
  if (d.message.size() > kMaxShownTextBytes) d.message = clip_text(d.message, kMaxShownTextBytes);
  for (Diagnostic& note : d.notes) clip_messages(note);
}

}  // namespace

void Diagnostics::add(Diagnostic d) {
  clip_messages(d);
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

size_t utf8_sequence_length(std::string_view text, size_t i, char32_t* code_point) {
  auto byte = [&](size_t k) -> unsigned { return static_cast<unsigned char>(text[k]); };
  if (i >= text.size()) return 0;
  unsigned b0 = byte(i);
  size_t length = 0;
  unsigned low = 0x80, high = 0xBF;  // the range of the second byte
  char32_t cp = 0;
  if (b0 < 0x80) {
    if (code_point) *code_point = b0;
    return 1;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) low = 0xA0;   // no overlong forms
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) low = 0x90;   // no overlong forms
    if (b0 == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    unsigned b = byte(i + k);
    if (k == 1 ? (b < low || b > high) : (b < 0x80 || b > 0xBF)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (code_point) *code_point = cp;
  return length;
}

namespace {

// Columns a code point takes on a terminal: a coarse wcwidth that does not depend on the locale.
size_t code_point_width(char32_t c) {
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kZero[] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},
                                    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
                                    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}};
  static constexpr Range kWide[] = {{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
                                    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
                                    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
                                    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
                                    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
  for (const Range& r : kZero) {
    if (c >= r.first && c <= r.last) return 0;
  }
  for (const Range& r : kWide) {
    if (c >= r.first && c <= r.last) return 2;
  }
  return 1;
}

// One character of text as printable_text renders it: its byte length in `text` and how it is
// written (`escape` empty: as is).
struct PrintableChar {
  size_t length = 1;
  std::string escape;
  char32_t code_point = 0;
};

PrintableChar printable_char(std::string_view text, size_t i, bool keep_newlines) {
  PrintableChar c;
  auto b = static_cast<unsigned char>(text[i]);
  size_t length = utf8_sequence_length(text, i, &c.code_point);
  if (length == 0) {
    c.escape = fmt::format("\\x{:02x}", b);
    return c;
  }
  c.length = length;
  bool control =
      (c.code_point < 0x20 && c.code_point != '\t' && !(keep_newlines && c.code_point == '\n')) ||
      c.code_point == 0x7F;
  if (control) {
    c.escape = fmt::format("\\x{:02x}", b);
  } else if (c.code_point >= 0x80 && c.code_point <= 0x9F) {
    c.escape = fmt::format("\\u{:04x}", static_cast<unsigned>(c.code_point));
  }
  return c;
}

size_t printable_width(const PrintableChar& c) {
  return c.escape.empty() ? code_point_width(c.code_point) : c.escape.size();
}

}  // namespace

std::string printable_text(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    // Runs of printable ASCII (and tab, and newline when kept) are copied as they are: the common
    // case, without decoding each character.
    size_t run = i;
    while (run < text.size()) {
      auto b = static_cast<unsigned char>(text[run]);
      if ((b >= 0x20 && b < 0x7F) || b == '\t' || (b == '\n' && keep_newlines)) {
        ++run;
      } else {
        break;
      }
    }
    if (run != i) {
      out.append(text.data() + i, run - i);
      i = run;
      continue;
    }
    PrintableChar c = printable_char(text, i, keep_newlines);
    if (c.escape.empty()) {
      out.append(text.substr(i, c.length));
    } else {
      out += c.escape;
    }
    i += c.length;
  }
  return out;
}

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    PrintableChar c = printable_char(text, i, false);
    width += printable_width(c);
    i += c.length;
  }
  return width;
}

std::string clip_text(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  // Back to the start of a character: at most 3 continuation bytes (stray ones are cut through).
  for (int k = 0; k < 3 && end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80; ++k) {
    --end;
  }
  return fmt::format("{}... (cut: {} bytes in all)", text.substr(0, end), text.size());
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

// The source line of a diagnostic and the caret line under it. A long line (minified JSON, a
// huge scalar) is shown as a window around the caret: at most kBeforeCaret columns before it and
// kMaxShown in all, and at most kMaxShownBytes bytes (zero-width characters take no column), so
// that one diagnostic stays a few hundred bytes. Bytes that are not printable are escaped
// (printable_text); the caret line follows the printed text: one space per column of each
// character before the caret (a tab stays a tab), and the underline as wide as the printed text
// it covers.
void render_excerpt(std::string& out, const Span& span, bool color) {
  std::string_view text = source(span.file).line_text(span.line);
  size_t caret = span.column > 0 ? span.column - 1 : 0;  // byte offset of the caret in `text`
  constexpr size_t kMaxShown = 160, kBeforeCaret = 60, kMaxShownBytes = 4 * kMaxShown;
  size_t begin = 0, end = text.size();
  // A short line of printable ASCII (the common one): shown whole, a column per byte.
  bool plain = text.size() <= kMaxShown && std::all_of(text.begin(), text.end(), [](char ch) {
                 return ch >= 0x20 && ch < 0x7F;
               });
  if (!plain && (text.size() > kMaxShownBytes || display_width(text) > kMaxShown)) {
    // The characters just before the caret, back to at most kBeforeCaret columns (and a quarter
    // of the bytes); a character is at most 4 bytes wide.
    size_t at = std::min(caret, text.size());
    size_t from = at > 4 * kBeforeCaret ? at - 4 * kBeforeCaret : 0;
    std::vector<std::pair<size_t, size_t>> before;  // offset and width of each character
    for (size_t i = from; i < at;) {
      PrintableChar c = printable_char(text, i, false);
      before.emplace_back(i, printable_width(c));
      i += c.length;
    }
    begin = at;
    size_t width = 0;
    for (auto it = before.rbegin(); it != before.rend(); ++it) {
      if (width + it->second > kBeforeCaret || at - it->first > kMaxShownBytes / 4) break;
      width += it->second;
      begin = it->first;
    }
    end = begin;
    for (width = 0; end < text.size();) {
      PrintableChar c = printable_char(text, end, false);
      if (width + printable_width(c) > kMaxShown || end + c.length - begin > kMaxShownBytes) break;
      width += printable_width(c);
      end += c.length;
    }
  }
  std::string_view prefix = begin > 0 ? "..." : "";
  std::string_view suffix = end < text.size() ? "..." : "";
  std::string shown(prefix), pad(prefix.size(), ' ');
  size_t underline = 0;
  size_t covered_end = caret + std::max<size_t>(span.length, 1);
  if (plain) {
    shown.append(text);
    pad.append(std::min(caret, end), ' ');
    size_t from = std::max(begin, caret), to = std::min(end, covered_end);
    underline = to > from ? to - from : 0;
    begin = end;  // nothing left for the loop below
  }
  for (size_t i = begin; i < end;) {
    PrintableChar c = printable_char(text, i, false);
    if (c.escape.empty()) {
      shown.append(text.substr(i, c.length));
    } else {
      shown += c.escape;
    }
    if (i < caret) {
      if (c.escape.empty() && c.code_point == '\t') {
        pad += '\t';
      } else {
        pad.append(printable_width(c), ' ');
      }
    } else if (i < covered_end) {
      underline += printable_width(c);
    }
    i += c.length;
  }
  shown += suffix;
  if (covered_end > end && caret < end) underline += suffix.size();  // it goes on past the window
  std::string number = std::to_string(span.line);
  std::string gutter(number.size(), ' ');
  out += fmt::format(" {} | {}\n", number, shown);
  std::string marker = "^" + std::string(underline > 1 ? underline - 1 : 0, '~');
  if (color) marker = std::string("\033[1;32m") + marker + "\033[0m";
  out += fmt::format(" {} | {}{}\n", gutter, pad, marker);
}

void render_into(std::string& out, const Diagnostic& d, bool color) {
  std::string where = printable_text(d.span.file != 0 ? location(d.span) : d.file_name, false);
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
  out += printable_text(d.message);
  out += "\n";
  if (d.span.file != 0 && d.span.line != 0) render_excerpt(out, d.span, color);
  for (const Diagnostic& note : d.notes) render_into(out, note, color);
}

}  // namespace

std::string render_source_excerpt(const Span& span, bool color) {
  std::string out;
  if (span.file != 0 && span.line != 0) render_excerpt(out, span, color);
  return out;
}

namespace {

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
