// The policy test runner's comparison of expectations with findings
// (runtime/testing/test_runner.hpp). The whole runner, with compiled programs and inputs, is
// covered by tests/golden/test-runner/.
#include <catch2/catch.hpp>

#include "runtime/testing/test_runner.hpp"

using namespace capguard;

namespace {

// A finding's text is views, as from the evaluator: pass literals.
Finding finding(std::string_view policy, std::string_view service, std::string_view message,
                uint32_t line, RuleKind kind = RuleKind::Deny) {
  Finding f;
  f.policy = policy;
  f.service = service;
  f.message = message;
  f.kind = kind;
  f.span.file = add_source("input.yaml", "services:\n");
  f.span.line = line;
  f.span.column = 3;
  return f;
}

ir::Expectation expect(std::string policy) {
  ir::Expectation e;
  e.policy = std::move(policy);
  return e;
}

}  // namespace

TEST_CASE("an expectation matches kind, policy, service, message part and line") {
  Finding f = finding("CG-PRIV-001", "web", "service web runs privileged", 4);
  ir::Expectation e = expect("CG-PRIV-001");
  CHECK(expectation_matches(e, f));
  e.service = "web";
  e.message = "runs privileged";
  e.line = 4;
  CHECK(expectation_matches(e, f));

  ir::Expectation other = e;
  other.service = "db";
  CHECK_FALSE(expectation_matches(other, f));
  other = e;
  other.message = "is privileged";
  CHECK_FALSE(expectation_matches(other, f));
  other = e;
  other.line = 5;
  CHECK_FALSE(expectation_matches(other, f));
  other = e;
  other.kind = RuleKind::Warn;
  CHECK_FALSE(expectation_matches(other, f));
  other = e;
  other.policy = "CG-PRIV-002";
  CHECK_FALSE(expectation_matches(other, f));
}

TEST_CASE("check_expectation: presence, absence and counts") {
  std::vector<Finding> findings = {finding("CG-PRIV-001", "a", "a runs privileged", 2),
                                   finding("CG-PRIV-001", "b", "b runs privileged", 3)};
  ir::Expectation e = expect("CG-PRIV-001");
  CHECK(check_expectation(e, findings).empty());

  e.count = 2;
  CHECK(check_expectation(e, findings).empty());
  e.count = 1;
  CHECK(check_expectation(e, findings) ==
        "expected deny \"CG-PRIV-001\" count 1: found 2 matching");

  ir::Expectation none = expect("CG-PRIV-001");
  none.negated = true;
  CHECK(check_expectation(none, findings) == "expected no deny \"CG-PRIV-001\": found 2 matching");
  none.service = "c";
  CHECK(check_expectation(none, findings).empty());

  ir::Expectation missing = expect("CG-CAP-001");
  missing.service = "a";
  CHECK(check_expectation(missing, findings) ==
        "expected deny \"CG-CAP-001\" on a: no matching finding");
  CHECK(check_expectation(missing, {}) == "expected deny \"CG-CAP-001\" on a: no matching finding");
}

TEST_CASE("expectations and findings are described as written") {
  ir::Expectation e = expect("CG-NET-002");
  e.negated = true;
  e.kind = RuleKind::Warn;
  e.service = "web";
  e.count = 2;
  e.message = "all host interfaces";
  e.line = 7;
  CHECK(describe_expectation(e) ==
        "no warn \"CG-NET-002\" on web count 2 message \"all host interfaces\" line 7");
  Finding f = finding("CG-NET-002", "web", "publishes 80", 7, RuleKind::Warn);
  CHECK(describe_finding(f) == "warn CG-NET-002 on web at input.yaml:7:3: publishes 80");
}
