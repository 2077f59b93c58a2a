#include "lang/core/policy_meta.hpp"

#include <array>

namespace capguard {

namespace {
constexpr std::array<std::string_view, 5> kSeverityNames = {"info", "low", "medium", "high",
                                                            "critical"};
}

std::string_view severity_name(Severity s) {
  return kSeverityNames[static_cast<size_t>(s)];
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (size_t i = 0; i < kSeverityNames.size(); ++i) {
    if (kSeverityNames[i] == text) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

std::string_view rule_kind_name(RuleKind k) {
  return k == RuleKind::Deny ? "deny" : "warn";
}

}  // namespace capguard
