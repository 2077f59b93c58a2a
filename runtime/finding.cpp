#include "runtime/finding.hpp"

#include <tuple>

namespace capguard {

bool finding_before(const Finding& a, const Finding& b) {
  return std::tie(a.input, a.span.line, a.span.column, a.policy, a.service, a.message) <
         std::tie(b.input, b.span.line, b.span.column, b.policy, b.service, b.message);
}

}  // namespace capguard
