#include "runtime/finding.hpp"

#include <tuple>

#include <fmt/format.h>

namespace capguard {

bool finding_before(const Finding& a, const Finding& b) {
  return std::tie(a.input, a.span.line, a.span.column, a.policy, a.service, a.message) <
         std::tie(b.input, b.span.line, b.span.column, b.policy, b.service, b.message);
}

Diagnostic eval_error_diagnostic(const EvalError& e) {
  Diagnostic d;
  d.level = DiagLevel::Error;
  d.span = e.policy_span;
  d.message = fmt::format("policy {} failed on {}{}: {}", e.policy, e.input,
                          e.service.empty() ? "" : " (service " + e.service + ")", e.message);
  return d;
}

}  // namespace capguard
