#pragma once
// Explaining a policy: why it fired or did not, per binding of its `for` variables (for
// `capguard trace ID PATH`). Runs the policy exactly as evaluate() does and, at each rule, also
// records the variables in scope and the value of each part of the condition: the operands of
// its top-level `and`, `or` and `not`, each evaluated on its own (so a part that short-circuiting
// skipped is shown too, or its runtime error).

#include <string>
#include <vector>

#include "lang/compile/ir.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard {

struct TraceTerm {
  std::string text;   // the part as written in the policy
  std::string value;  // its value as JSON, or "error: MESSAGE"
  Span span;
};

struct TraceVariable {
  std::string name;
  std::string value;  // JSON, shortened; a service shows as its name
};

struct TraceRule {
  size_t step = 0;  // index into the policy's steps
  RuleKind kind = RuleKind::Deny;
  Span span;  // the rule in the policy
  std::string service;
  std::vector<TraceVariable> variables;
  std::vector<TraceTerm> terms;
  std::string condition;  // the whole condition's value ("true", "false", "error: ...")
};

struct Trace {
  std::vector<TraceRule> rules;  // in evaluation order
  EvalResult result;             // the findings and errors, as evaluate() reports them
};

// Traces policy `policy` of `program` on one document.
Trace trace_policy(const ir::Program& program, size_t policy, const Value& document,
                   const std::vector<Value>& params, const std::string& input,
                   const EvalOptions& options = {});

}  // namespace capguard
