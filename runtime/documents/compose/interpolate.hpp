#pragma once
// Compose interpolation, ported step by step from compose-go's template package
// (template/template.go), with its regular expression run by RE2 (the same syntax and
// leftmost-first semantics as Go's regexp): $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?error}, ${VAR?error}, ${VAR:+replacement}, ${VAR+replacement}, nested defaults and $$ for
// a literal $. As in compose-go:
//   - a `$` that starts none of these forms (`$5`, `$2a`, `$-`, a trailing `$`) is kept as written;
//   - `${` that starts no valid form (`${}`, `${1}`, an unclosed `${NAME`) is an error;
//   - a default is itself interpolated, so `${H:-$2a$14$abc}` with H unset is `$2a$14$` plus the
//     value of `abc` (unset: "", with a warning), exactly what docker compose would use.
//
// Diagnostics, all at the span of the scalar being interpolated:
//   - an unset variable without a default: a warning naming it, and it becomes "";
//   - ${VAR:?err} / ${VAR?err} unset (or empty for :?): an error naming the variable;
//   - an invalid `${`: an error quoting the value.
// An error concerns that value only: interpolate_tree replaces it with null and records its span,
// and every other value is still interpolated.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/compose/environment.hpp"

namespace capguard {

// Scalars of a loaded compose tree whose text is not what the file means to say, by the span of
// the scalar as written (spans survive merging, extends and anchors).
class UnreadValues {
 public:
  using Key = std::tuple<FileId, uint32_t, uint32_t>;
  static Key key(const Span& s) { return {s.file, s.line, s.column}; }

  // The value could not be interpolated (an error was reported; the value is now null).
  void add_failed(const Span& s) { failed_.insert(key(s)); }
  // The value used a variable that is set nowhere (a warning was reported; it holds "" there).
  void add_unset(const Span& s) { unset_.insert(key(s)); }
  bool failed(const Span& s) const { return !failed_.empty() && failed_.count(key(s)) != 0; }
  bool unset(const Span& s) const { return !unset_.empty() && unset_.count(key(s)) != 0; }
  bool empty() const { return failed_.empty() && unset_.empty(); }
  void merge(const UnreadValues& other) {
    failed_.insert(other.failed_.begin(), other.failed_.end());
    unset_.insert(other.unset_.begin(), other.unset_.end());
  }

 private:
  std::set<Key> failed_;
  std::set<Key> unset_;
};

// Substitutes one string. nullopt when an error was reported. `used_unset` (optional) is set when
// a variable set nowhere was substituted by "" (the warning case).
std::optional<std::string> interpolate_string(std::string_view text, const Environment& env,
                                              const Span& span, Diagnostics& diags,
                                              bool* used_unset = nullptr);

// Substitutes every string value of a tree (never keys); each new string keeps the span of the
// scalar it came from. Strings without `$` are kept as they are. A string that fails becomes null
// at its span and is recorded in `unread` as failed; a string that used an unset variable is
// recorded as unset. Returns false when any error was reported.
bool interpolate_tree(Value& tree, const Environment& env, Diagnostics& diags,
                      UnreadValues* unread = nullptr);

}  // namespace capguard
