#pragma once
// The one place that touches PEGTL's inputs, control hooks and error reporting (STYLE.md #1), so a
// move to PEGTL 4.x changes this file only. Positions are never taken from PEGTL: actions and
// errors use pointers into the parsed buffer, which ParseState maps to source byte offsets.

#include <string>
#include <type_traits>

#include <tao/pegtl.hpp>

#include "lang/syntax/parser_errors.hpp"
#include "lang/syntax/parser_state.hpp"

namespace capguard::parser_detail {

// Skips blanks and `#` comments, so an error points at the offending token rather than at the
// whitespace before it.
inline const char* skip_blanks(const char* p, const char* end) {
  while (p < end) {
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
      ++p;
    } else if (*p == '#') {
      while (p < end && *p != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

// The rules through which nesting recurses: each level of nesting (a bracket, a prefix operator,
// a type argument) has exactly one of them active.
template <typename Rule>
inline constexpr bool counts_nesting =
    std::is_same_v<Rule, grammar::expression> || std::is_same_v<Rule, grammar::negative> ||
    std::is_same_v<Rule, grammar::negation> || std::is_same_v<Rule, grammar::type_ref>;

// Deeper nesting than this is an error rather than a risk to the stack (the parser recurses).
constexpr int kMaxNesting = 200;

// Control class: a failed `must<Rule>` throws a SyntaxError with Rule's message, and nesting is
// bounded.
template <typename Rule>
struct control : tao::pegtl::normal<Rule> {
  template <typename Input, typename... States>
  static void start(const Input& in, ParseState& st, States&&...) {
    if constexpr (counts_nesting<Rule>) {
      if (++st.depth > kMaxNesting) {
        throw SyntaxError{st.offset_of(in.current()),
                          "nested too deeply (more than " + std::to_string(kMaxNesting) +
                              " levels of parentheses, brackets or operators)"};
      }
    }
  }
  template <typename Input, typename... States>
  static void success(const Input&, ParseState& st, States&&...) {
    if constexpr (counts_nesting<Rule>) --st.depth;
  }
  template <typename Input, typename... States>
  static void failure(const Input&, ParseState& st, States&&...) {
    if constexpr (counts_nesting<Rule>) --st.depth;
  }
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, ParseState& st, States&&...) {
    static_assert(error_message<Rule> != nullptr,
                  "every must<>/raise<> rule needs an entry in lang/syntax/parser_errors.hpp");
    throw SyntaxError{st.offset_of(skip_blanks(in.current(), in.end())), error_message<Rule>,
                      !error_is_about_token<Rule>, expected_words<Rule>};
  }
};

// Parses `Rule` from [begin, end), a range of the buffer that st.base points into. Returns the
// pointer where parsing stopped. Throws SyntaxError; returns nullptr when Rule did not match
// (only possible for rules without a `must<>` at their start).
template <typename Rule, template <typename> class Action>
const char* parse_range(const char* begin, const char* end, ParseState& st) {
  tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy> in(begin, end, "");
  if (!tao::pegtl::parse<Rule, Action, control>(in, st)) return nullptr;
  return in.current();
}

}  // namespace capguard::parser_detail
