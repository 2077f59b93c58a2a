#pragma once
// A matcher for a small subset of RE2's syntax, on ASCII text, for the pattern sets of
// regex_set.hpp: the standard library's CG-SEC-001 matches every environment variable name
// against 14 patterns such as `(?i)^(?:.*API_?KEY.*)$`, and compiling them as an RE2::Set (and
// building its DFA) cost a one-file check 5% of its wall time, most of it in RE2's code pages
// touched once. A pattern of the subset is compiled here in microseconds to a Thompson program
// and run as an NFA simulation: time linear in the text times the pattern, no backtracking.
//
// The subset, outside of which parse() refuses (and the caller uses RE2):
// - an optional leading `(?i)` (ASCII case folding: the only case folding ASCII text can meet),
//   then an optional `^`, a body, and an optional `$` at the very end (`$` is the end of the
//   text: RE2's default, not multi-line);
// - in the body: alternation `|`, groups `(...)` and `(?:...)`, `.` (any character but a
//   newline), literal ASCII letters, digits, space and the punctuation RE2 reads literally
//   outside a class (`_ - / : @ , = % ! ~ ' " < > # & ; `` `), any ASCII punctuation escaped
//   with a backslash, and after an atom one of `*`, `+`, `?`, itself optionally followed by `?`
//   (lazy: the same for whether the text matches);
// - no empty alternative or group, no class, no `{n,m}`, no other escape or flag, ASCII only,
//   at most 512 bytes.
// Within the subset the answer for ASCII text is RE2's (the same regular language);
// tests/unit/runtime/eval/simple_regex_test.cpp compares the two on generated patterns and texts.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capguard {

// Whether every byte of `text` is ASCII (the text SimpleRegex answers for).
bool ascii_text(std::string_view text);

class SimpleRegex {
 public:
  // The pattern compiled, or nullopt when it is outside the subset.
  static std::optional<SimpleRegex> parse(std::string_view pattern);

  // A text prepared once for any number of patterns: whether it is ASCII (what matches()
  // answers for), its lower-case copy (what a case-insensitive pattern compares) and whether it
  // holds a newline. Not copyable: the copy may live inside.
  class Text {
   public:
    explicit Text(std::string_view raw);
    Text(const Text&) = delete;
    Text& operator=(const Text&) = delete;
    std::string_view raw() const { return raw_; }
    std::string_view lower() const { return lower_; }
    bool has_newline() const { return newline_; }
    bool ascii() const { return ascii_; }

   private:
    std::string_view raw_;
    std::string_view lower_;
    bool newline_ = false;
    bool ascii_ = true;
    char small_[120];
    std::string large_;
  };

  // Whether `text` (ASCII: Text::ascii()) matches, as RE2's unanchored search with the pattern's
  // own anchors.
  bool matches(const Text& text) const;
  bool matches(std::string_view text) const { return matches(Text(text)); }

 private:
  enum class Kind : unsigned char { Char, Any, Split, Jump, Match };
  struct Inst {
    Kind kind = Kind::Match;
    char c = 0;  // Char: the byte (lower case when folding)
    int x = 0;   // Split, Jump: the target; Split: first branch
    int y = 0;   // Split: second branch
  };
  std::vector<Inst> prog_;
  // A string every match contains (lower case when folding): the longest run of literals in the
  // pattern's top-level sequence. A text without it is refused before the simulation.
  std::string required_;
  // A pattern `^(?:.*LIT.*)$`, `^(?:.*LIT)$`, `^(?:LIT.*)$` or `^(?:LIT)$` (LIT: literals only)
  // is answered from `required_` alone: the text holds LIT where the pattern puts it, and no
  // newline where a `.*` stands (`.` is not a newline). Anything else runs the program.
  enum class Shape : unsigned char { Program, Contains, EndsWith, StartsWith, Equals };
  Shape shape_ = Shape::Program;
  bool fold_ = false;
  bool anchor_start_ = false;
  bool anchor_end_ = false;

  friend class SimpleRegexCompiler;
};

}  // namespace capguard
