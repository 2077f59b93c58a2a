#pragma once
// The built-in functions' implementations, dispatched by the ids of lang/check/builtins.hpp. The
// checker has already verified arity and static types; arguments whose static type was `any`
// (raw document data, untyped fn parameters) are checked here, and a wrong kind raises
// RuntimeError, which the evaluator reports with the span of the call in the policy.
//
// Null conventions (spec/builtins.md, "Missing values"): string predicates (starts_with, matches,
// glob, path_under ...) are false on a null subject; string transforms (lower, trim, find ...)
// and scalar conversions (int, size, to_bytes ...) return null for null; collection functions
// (set, list, caps, keys, flatten, ...) treat null as empty.
//
// Results that are derived from one argument carry that argument's span, so `at lower(s.image)`
// still points into the compose file; min, max and default return the chosen argument itself.

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "lang/check/builtins.hpp"
#include "lang/core/value.hpp"

namespace re2 {
class RE2;
}

namespace capguard {

// A failure while evaluating a policy against data (bad kind from raw data, bad regex, integer
// overflow ...). The message names the built-in ("lower: argument 1 must be a string, got int");
// the evaluator attaches the policy span.
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Calls built-in `id` with `n` arguments. Throws RuntimeError on bad input. Thread-safe.
Value call_builtin(BuiltinId id, const Value* args, size_t n);

// Regular expressions. A pattern is compiled once (RE2 syntax, UTF-8, linear-time matching); on a
// syntax error returns nullptr with the RE2 message in `error`. The evaluator compiles constant
// patterns at compile time and calls call_builtin_regex; non-constant patterns go through
// call_builtin, which keeps a small per-thread cache of compiled patterns.
std::shared_ptr<const re2::RE2> compile_regex(std::string_view pattern, std::string& error);

// Index of the argument of `id` that is a regular expression pattern, or -1 when none
// (matches, find, find_all: 1).
int regex_argument(BuiltinId id);

// Like call_builtin for a built-in with regex_argument(id) >= 0, with that argument already
// compiled into `re` (the argument at that index in `args` is ignored and may be null).
Value call_builtin_regex(BuiltinId id, const Value* args, size_t n, const re2::RE2& re);

}  // namespace capguard
