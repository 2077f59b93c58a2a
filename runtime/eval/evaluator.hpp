#pragma once
// The evaluator: runs a compiled ir::Program over one document with param values, producing
// findings and runtime errors (runtime/eval/finding.hpp).
//
// A document is a map whose keys are the schema roots ({"services": [...]}); a missing root is
// null. The service of a finding is the `name` of the value bound by the outermost `for` over the
// `services` root. A runtime error (a kind mismatch in raw data, `.field` on null, a division by
// zero, a bad regex argument, the step budget) becomes an EvalError attached to the policy, the
// input and the service, never a pass and never a crash; an error inside one service's iteration
// stops that service only, the budget stops the whole policy on that input.
//
// Thread-safety: evaluate() keeps all mutable state on its own stack; several threads may run it
// at once over different documents with the same Program.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lang/compile/compiler_options.hpp"
#include "lang/compile/ir.hpp"
#include "runtime/eval/finding.hpp"

namespace capguard {

struct EvalOptions {
  // Expression nodes one policy may evaluate on one input before it is stopped with an error.
  uint64_t step_budget = 20'000'000;
  // Indices into Program::policies to run (in the order given); nullptr runs every policy.
  const std::vector<size_t>* policies = nullptr;
};

struct EvalResult {
  std::vector<Finding> findings;  // in evaluation order (sort with finding_before to report)
  std::vector<EvalError> errors;
  // The selected policies that read a field a service lists as unknown (runtime/eval/
  // not_checked.hpp), by service then policy order.
  std::vector<NotChecked> not_checked;
  // The text the findings refer to (created with the first finding): keep it as long as the
  // findings, also when moving them elsewhere.
  std::shared_ptr<FindingText> text;
};

// Runs the selected policies of `program` over `document`. `params` holds one value per
// Program::params entry (see runtime/eval/params.hpp); `input` names the input for findings.
EvalResult evaluate(const ir::Program& program, const Value& document,
                    const std::vector<Value>& params, const std::string& input,
                    const EvalOptions& options = {});
// Appends the findings and errors of one policy to `out`.
void evaluate_policy(const ir::Program& program, size_t policy, const Value& document,
                     const std::vector<Value>& params, const std::string& input,
                     const EvalOptions& options, EvalResult& out);

// A runtime error while evaluating a lone expression: the span of the failing node.
struct ExpressionError {
  Span span;
  std::string message;
};

// Evaluates one expression (e.g. a `let` of a compiled program, for `capguard eval`) with a
// fresh frame of `frame_size` slots. Returns false and fills `error` on a runtime error.
bool evaluate_expression(const ir::Program& program, const ir::Expr& expr, uint32_t frame_size,
                         const Value& document, const std::vector<Value>& params, Value& result,
                         ExpressionError& error, uint64_t step_budget = 20'000'000);

// The compile options that connect the compiler to the runtime: constant folding evaluates with
// this evaluator (so a folded constant equals the evaluated result) and constant regex patterns
// are compiled with the built-ins' compile_regex. Pass them to compile_policies().
CompileOptions runtime_compile_options();

}  // namespace capguard
