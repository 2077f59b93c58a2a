#pragma once
// What evaluation produces: findings (a policy's deny or warn fired for a service) and runtime
// errors (a policy could not be evaluated on an input: reported as errors, never as passes).

#include <string>
#include <string_view>
#include <vector>

#include "lang/diagnostics.hpp"
#include "lang/policy_meta.hpp"
#include "lang/source.hpp"

namespace capguard {

struct Finding {
  std::string policy;  // policy id
  RuleKind kind = RuleKind::Deny;
  Severity severity = Severity::Medium;
  // The policy's title: points into the ir::Program's metadata (not copied per finding), so
  // findings must not outlive the Program that produced them.
  std::string_view title;
  std::string message;  // interpolated
  std::string service;  // service or container name ("" when not about one)
  std::string input;    // the input file the service came from
  Span span;            // the `at` value's location in the input (file:line:col)
  // Set by waiver matching (cli): a waived finding is still reported, never dropped.
  bool waived = false;
  std::string waiver_reason;
  std::string waiver_expires;  // YYYY-MM-DD or ""
  std::string waiver_source;   // "inline" (a comment in the input) or the waivers file's path
};

struct EvalError {
  std::string policy;  // the policy that failed
  std::string input;   // the input it failed on
  std::string service;
  Span policy_span;  // where in the policy (file:line:col of the failing expression)
  std::string message;
};

}  // namespace capguard

namespace capguard {
// The deterministic report order: input, then line, column, policy id, service, message.
bool finding_before(const Finding& a, const Finding& b);
// A runtime error as the commands report it: an error at the failing expression in the policy,
// "policy ID failed on INPUT (service NAME): MESSAGE".
Diagnostic eval_error_diagnostic(const EvalError& e);
}  // namespace capguard
