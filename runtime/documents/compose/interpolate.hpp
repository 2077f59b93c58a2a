#pragma once
// Compose interpolation (compose-spec 12-interpolation.md, as compose-go's template package does
// it): $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
// ${VAR:+replacement}, ${VAR+replacement}, nested (${A:-${B:-x}}) and $$ for a literal $.
//
// Diagnostics, all at the span of the scalar being interpolated:
//   - an unset variable without a default: a warning, and it becomes "";
//   - ${VAR:?err} / ${VAR?err} unset (or empty for :?): an error naming the variable;
//   - a $ that starts none of the forms above ("$1", "${}", an unclosed "${"): an error.

#include <optional>
#include <string>
#include <string_view>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/compose/environment.hpp"

namespace capguard {

// Substitutes one string. nullopt when an error was reported.
std::optional<std::string> interpolate_string(std::string_view text, const Environment& env,
                                              const Span& span, Diagnostics& diags);

// Substitutes every string value of a tree (never keys); each new string keeps the span of the
// scalar it came from. Strings without `$` are kept as they are. Returns false when any error
// was reported (the tree is still complete, with the failed strings left as written).
bool interpolate_tree(Value& tree, const Environment& env, Diagnostics& diags);

}  // namespace capguard
