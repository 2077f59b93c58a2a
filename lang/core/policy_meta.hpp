#pragma once
// Policy severity and metadata: shared by the AST (as written) and the IR (as compiled), so the
// runtime and the reporters never need the AST.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/core/source.hpp"

namespace capguard {

enum class Severity { Info, Low, Medium, High, Critical };

// "info", "low", "medium", "high", "critical".
std::string_view severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view text);

enum class RuleKind { Deny, Warn };
std::string_view rule_kind_name(RuleKind k);  // "deny", "warn"

struct PolicyMetadata {
  std::string id;
  std::string title;
  Severity severity = Severity::Medium;
  std::string description;
  std::string rationale;
  std::string remediation;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  Span span;  // of the policy's id
};

// One `expect` line of a policy test, the same as written and as compiled:
// expect [no] deny|warn "POLICY-ID" [on SERVICE] [count N] [message "part"] [line N]
struct TestExpectation {
  bool negated = false;
  RuleKind kind = RuleKind::Deny;
  std::string policy;
  std::optional<std::string> service;
  std::optional<int64_t> count;
  std::optional<std::string> message;
  std::optional<int64_t> line;
  Span span;
};

}  // namespace capguard
