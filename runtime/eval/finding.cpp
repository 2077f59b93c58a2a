#include "runtime/eval/finding.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace capguard {

char* FindingText::allocate_block(size_t n) {
  size_t size = std::max<size_t>(n, 4 * kFirstBlock);
  more_.push_back(std::make_unique<char[]>(size));
  next_ = more_.back().get() + n;
  left_ = size - n;
  return more_.back().get();
}

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
