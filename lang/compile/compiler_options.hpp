#pragma once
// Options of the compiler (lang/compile/compiler.hpp) and the pipeline (lang/compile/pipeline.hpp).
//
// lang/ does not depend on runtime/, yet constant folding must compute exactly what evaluation
// would, and constant regex patterns must be compiled the way the built-ins compile them. So the
// runtime hands those two abilities in as functions: runtime_compile_options() in
// runtime/eval/evaluator.hpp fills them. Without them the compiler still folds literal lists, sets
// and capability lists (which need no evaluation) and leaves everything else to run time.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "lang/check/builtins.hpp"
#include "lang/core/value.hpp"

namespace re2 {
class RE2;
}

namespace capguard {
namespace ir {
struct Expr;
struct RegexSetCache;
}  // namespace ir

struct CompileOptions {
  // Run the constant-folding pass (off only to test that folding never changes a result).
  bool fold_constants = true;
  // Evaluates a closed expression (no locals, params or document). Returns false when it cannot
  // (a runtime error, such as 1/0, which is then left to be reported at run time).
  std::function<bool(const ir::Expr&, Value&)> evaluate_constant;
  // Whether built-in `id` may be folded (depends only on its arguments).
  std::function<bool(BuiltinId)> is_pure_builtin;
  // Index of the regex-pattern argument of built-in `id`, or -1.
  std::function<int(BuiltinId)> regex_argument;
  // Compiles a pattern; nullptr with a message in `error` on a syntax error.
  std::function<std::shared_ptr<const re2::RE2>(std::string_view, std::string&)> compile_regex;
  // A fresh cache for an Any node of ir::regex_set_shape() (the evaluator's pattern set); unset:
  // such nodes are evaluated element by element.
  std::function<std::shared_ptr<ir::RegexSetCache>()> make_regex_set_cache;
};

}  // namespace capguard
