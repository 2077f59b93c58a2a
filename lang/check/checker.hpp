#pragma once
// The checker: runs after parsing, before anything is compiled or evaluated.
//
// Assumes: modules as the parser built them (possibly from several files and packages).
// Guarantees, when it reports no error: every name resolves (variable, param, function, built-in,
// import alias, schema root, capability), every field exists on its object type, calls have the
// right number and types of arguments, metadata is complete and well-formed, policy ids are
// unique, functions are not recursive (directly or indirectly), param defaults match their types.
// Each mistake is a diagnostic with a "did you mean" suggestion where a candidate is close.
//
// Its results are side tables keyed by expression id, which the compiler uses so that it never
// has to resolve a name or infer a type again.

#include <string>
#include <unordered_map>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/types.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard {

struct Resolution {
  enum class Kind {
    Local,       // a `for`, `let`, quantifier/comprehension variable or fn parameter
    Param,       // a package param
    Function,    // a user function (for Call nodes)
    Builtin,     // a built-in function (for Call nodes)
    Root,        // a schema root such as `services`
    Capability,  // an UPPER_CASE capability name; `cap` is its number or -1 for ALL
  };
  Kind kind = Kind::Local;
  std::string qualified;  // Param/Function: "package.name" ("name" when no package); else name
  int cap = 0;
  const ast::Expr* binder = nullptr;  // unused by the compiler; for messages
};

struct ModuleInfo {
  // Inferred static type of every expression (by ast::Expr::id).
  std::unordered_map<ast::NodeId, TypePtr> types;
  // What each Name and Call expression refers to (by ast::Expr::id). Also a Field expression
  // `alias.param` (a param of an imported package): a Param resolution on the Field's own id, and
  // none on its object Name.
  std::unordered_map<ast::NodeId, Resolution> names;
};

struct CheckResult {
  std::vector<ModuleInfo> modules;  // parallel to the modules passed in
};

// Checks all modules together (imports resolve across them). Errors go to `diags`.
CheckResult check(const std::vector<ast::Module>& modules, const Schema& schema,
                  Diagnostics& diags);

}  // namespace capguard
