#pragma once
// Internal to the compiler: the passes that lang/compile/compiler.cpp composes, in order. Each
// states what it assumes and what it guarantees.

#include <vector>

#include "lang/check/checker.hpp"
#include "lang/compile/compiler_options.hpp"
#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard::compiler {

// The program under construction, with the expressions that must become constants once folded:
// param defaults (parallel to program.params) and test param overrides (parallel to each test's
// params).
struct Unit {
  ir::Program program;
  std::vector<ir::Expr> param_defaults;
  std::vector<std::vector<ir::Expr>> test_params;
};

// Pass 1, lower: checked AST -> IR.
// Assumes: `check` reported no error for `modules` (names resolve, types fit, no recursion).
// Guarantees: every name is a slot, a param index, a root index or a constant; fields carry the
// slot of their object type when that type is a schema object; user functions are inlined (their
// parameters become Let slots, fresh per call site); capability names are caps constants; each
// policy has its frame size, the service slot and each rule's default `at` slot; tests are plain
// data except their param values (Unit::test_params). Internal inconsistencies are diagnostics.
void lower(const std::vector<ast::Module>& modules, const CheckResult& checked,
           const Schema& schema, Unit& unit, Diagnostics& diags);

// Pass 2, fold constants (when options.fold_constants).
// Assumes: lowered IR. Guarantees: the result of every expression is unchanged; literal lists,
// sets and capability lists of constants are single constants; closed subexpressions are
// constants when options.evaluate_constant can compute them (an expression that fails, such as
// 1/0, is kept so that it fails at run time, with its span); `if` with a constant condition and
// `and`/`or` whose left side decides are reduced.
void fold_constants(ir::Expr& e, const CompileOptions& options);
void fold_program(Unit& unit, const CompileOptions& options);

// Pass 3, compile regexes.
// Assumes: folded IR. Guarantees: each built-in call whose pattern argument is a constant string
// holds the compiled RE2; a constant pattern that does not compile is a diagnostic at the
// pattern's span.
void compile_regexes(Unit& unit, const CompileOptions& options, Diagnostics& diags);

// Pass 4, materialize constants.
// Assumes: folded IR. Guarantees: every param default and test override is a Value of its
// param's declared type (coerce_value); anything else is a diagnostic.
void materialize_constants(Unit& unit, Diagnostics& diags);

// Pass 5, plan the reads.
// Assumes: folded IR. Guarantees: program.element_paths holds, per root, every distinct path of
// schema slots (one or two deep) read through a field chain from the variable of a `for` over
// that root in the steps that follow it; paths through a field without a slot stop before it.
// program.element_reads holds the same paths merged by first slot (one second slot each).
// Every field with a slot holds its name's interned key (intern_key(), or nullptr when the
// table is full), which the evaluator compares by address before comparing text. Both are
// shortcuts only: evaluation gives the same results without them.
void plan_reads(Unit& unit);
// Part of plan_reads: program.raw_whole and raw_keys, what the policies can observe of a
// service's `raw` (ir::Program). A shortcut too: raw_whole is always a correct answer.
void plan_raw_keys(ir::Program& program);

// Calls `f` on every expression of the unit (policy steps, templates, params, tests), top-down.
template <typename F>
void for_each_root_expr(Unit& unit, F&& f) {
  for (ir::Policy& p : unit.program.policies) {
    for (ir::Step& s : p.steps) {
      f(s.expr);
      if (s.at) f(*s.at);
      if (s.message) {
        for (ir::TemplatePart& part : s.message->parts) {
          if (part.expr) f(*part.expr);
        }
      }
    }
  }
  for (ir::Expr& e : unit.param_defaults) f(e);
  for (auto& list : unit.test_params) {
    for (ir::Expr& e : list) f(e);
  }
}

}  // namespace capguard::compiler
