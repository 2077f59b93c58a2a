#include "runtime/eval/glob.hpp"

#include <cstdint>
#include <vector>

#include "lang/core/paths.hpp"

namespace capguard {
namespace {

// Decodes the code point at `i` and advances `i`. Invalid UTF-8 bytes decode as themselves.
uint32_t next_code_point(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return c;
  }
  uint32_t cp = c & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += extra + 1;
  return cp;
}

enum class Op : uint8_t {
  Char,        // `lo` exactly
  AnyOne,      // ?
  Class,       // ranges[first, first+count), negated
  Star,        // * : stays on non-'/' characters, skippable
  DoubleStar,  // ** : stays on any character, skippable
  DirsEntry,   // "**/" entry: skippable past the pair, else like DirsInside
  DirsInside,  // "**/" after one or more characters: any character, '/' may leave the pair
};

struct Token {
  Op op;
  bool negated = false;
  uint32_t lo = 0;
  size_t first = 0, count = 0;  // Class: index into the ranges
};

struct Range {
  uint32_t lo, hi;
};

struct Program {
  std::vector<Token> tokens;
  std::vector<Range> ranges;
};

bool compile(std::string_view p, Program& prog, std::string& error) {
  size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == '*') {
      if (i + 1 < p.size() && p[i + 1] == '*') {
        i += 2;
        while (i < p.size() && p[i] == '*') ++i;  // "***" is "**"
        if (i < p.size() && p[i] == '/') {
          ++i;
          prog.tokens.push_back({Op::DirsEntry});
          prog.tokens.push_back({Op::DirsInside});
        } else {
          prog.tokens.push_back({Op::DoubleStar});
        }
      } else {
        ++i;
        prog.tokens.push_back({Op::Star});
      }
    } else if (c == '?') {
      ++i;
      prog.tokens.push_back({Op::AnyOne});
    } else if (c == '\\') {
      if (i + 1 >= p.size()) {
        error = "trailing '\\' escapes nothing";
        return false;
      }
      ++i;
      prog.tokens.push_back({Op::Char, false, next_code_point(p, i)});
    } else if (c == '[') {
      Token t{Op::Class};
      ++i;
      if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
        t.negated = true;
        ++i;
      }
      t.first = prog.ranges.size();
      bool first_item = true;
      while (true) {
        if (i >= p.size()) {
          error = "unterminated '[' (a class ends with ']')";
          return false;
        }
        if (p[i] == ']' && !first_item) {
          ++i;
          break;
        }
        first_item = false;
        if (p[i] == '\\' && i + 1 < p.size()) ++i;
        uint32_t lo = next_code_point(p, i), hi = lo;
        if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
          ++i;
          if (p[i] == '\\' && i + 1 < p.size()) ++i;
          hi = next_code_point(p, i);
          if (hi < lo) {
            error = "bad range in '[...]' (the end is before the start)";
            return false;
          }
        }
        prog.ranges.push_back({lo, hi});
      }
      t.count = prog.ranges.size() - t.first;
      prog.tokens.push_back(t);
    } else {
      prog.tokens.push_back({Op::Char, false, next_code_point(p, i)});
    }
  }
  return true;
}

// Marks the positions reachable without consuming a character. Skips only go forward, so one
// ascending pass closes the set.
void close(const Program& prog, std::vector<char>& states) {
  for (size_t i = 0; i < prog.tokens.size(); ++i) {
    if (!states[i]) continue;
    Op op = prog.tokens[i].op;
    if (op == Op::Star || op == Op::DoubleStar) states[i + 1] = 1;
    if (op == Op::DirsEntry) states[i + 2] = 1;
  }
}

bool in_class(const Program& prog, const Token& t, uint32_t c) {
  bool hit = false;
  for (size_t k = t.first; k < t.first + t.count && !hit; ++k) {
    hit = prog.ranges[k].lo <= c && c <= prog.ranges[k].hi;
  }
  return hit != t.negated;
}

}  // namespace

std::optional<bool> glob_match(std::string_view text, std::string_view pattern,
                               std::string& error) {
  // Reused per thread: after the first calls, matching allocates nothing.
  thread_local Program prog;
  thread_local std::vector<char> current, next;
  prog.tokens.clear();
  prog.ranges.clear();
  if (!compile(pattern, prog, error)) return std::nullopt;
  const size_t n = prog.tokens.size();
  current.assign(n + 1, 0);
  next.assign(n + 1, 0);
  current[0] = 1;
  close(prog, current);
  size_t i = 0;
  while (i < text.size()) {
    uint32_t c = next_code_point(text, i);
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (size_t s = 0; s < n; ++s) {
      if (!current[s]) continue;
      const Token& t = prog.tokens[s];
      switch (t.op) {
        case Op::Char:
          if (c == t.lo) next[s + 1] = 1;
          break;
        case Op::AnyOne:
          if (c != '/') next[s + 1] = 1;
          break;
        case Op::Class:
          if (c != '/' && in_class(prog, t, c)) next[s + 1] = 1;
          break;
        case Op::Star:
          if (c != '/') next[s] = 1;
          break;
        case Op::DoubleStar:
          next[s] = 1;
          break;
        case Op::DirsEntry:
          next[s + 1] = 1;
          if (c == '/') next[s + 2] = 1;
          break;
        case Op::DirsInside:
          next[s] = 1;
          if (c == '/') next[s + 1] = 1;
          break;
      }
    }
    for (char v : next) any = any || v;
    if (!any) return false;
    close(prog, next);
    current.swap(next);
  }
  return current[n] != 0;
}

bool path_is_under(std::string_view path, std::string_view prefix) {
  std::string p = clean_path(path);
  std::string base = clean_path(prefix);
  if (p == base) return true;
  if (base == "/") return p[0] == '/';
  if (base == ".") return p[0] != '/' && p != ".." && p.compare(0, 3, "../") != 0;
  return p.size() > base.size() && p.compare(0, base.size(), base) == 0 && p[base.size()] == '/';
}

}  // namespace capguard
