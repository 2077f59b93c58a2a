#pragma once
// The policy test runner behind `capguard test`: runs the `test` blocks of a compiled program
// (ir::TestCase) and compares the findings with their expectations.
//
// A test runs as follows: every param starts at its default and the test's `param` lines
// override it; each input is loaded (inline text via load_input_text, a file via load_input from
// the path the compiler resolved against the test file's folder) and every policy of the program is
// evaluated on it; the findings of all inputs are pooled and each expectation is checked against
// the pool. A test fails when an expectation does not hold, when an input has errors, or when a
// policy raises a runtime error on an input (a runtime error never counts as a pass).
//
// Mistakes in the tests themselves (a test with no expectation, an expectation naming a policy
// the program does not have) are diagnostics: the test is not run and the run's status is 2.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "runtime/eval/finding.hpp"

namespace capguard {

// Whether finding `f` is one that expectation `e` talks about: same kind and policy, and the
// service, message part and line when the expectation gives them. `count` and `negated` are
// not looked at here.
bool expectation_matches(const ir::Expectation& e, const Finding& f);

// Checks one expectation against all findings of a test. Returns "" when it holds, otherwise
// what went wrong ("expected deny \"CG-PRIV-001\" on web: no matching finding").
std::string check_expectation(const ir::Expectation& e, const std::vector<Finding>& findings);

// The text form of an expectation as it would be written: `deny "ID" on web count 1`.
std::string describe_expectation(const ir::Expectation& e);

// One line for an actual finding: `deny CG-PRIV-001 on web at input:4:9: message`.
std::string describe_finding(const Finding& f);

struct TestRunOptions {
  // RE2 pattern matched (unanchored) against test names; empty runs every test.
  std::string run_filter;
  // Report policies that no expectation of any test names (only over the whole run: ignored
  // when run_filter is set).
  bool report_untested = true;
  // Also print `PASS FILE:LINE: NAME` for each passing test.
  bool verbose = false;
};

struct TestRunSummary {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;                 // not selected by run_filter
  std::vector<std::string> untested;  // ids of policies that no expectation names
};

// Runs the tests of `program`. Progress and failures go to `out`: one line per failing test
// (`FAIL FILE:LINE: NAME`) followed by each difference, then `no test: ID (FILE:LINE)` lines for
// untested policies. The closing `N passed, N failed` line is the caller's to print, since the
// caller may add tests from several programs. Mistakes in the tests go to `diags`.
TestRunSummary run_tests(const ir::Program& program, const TestRunOptions& options,
                         std::ostream& out, Diagnostics& diags);

}  // namespace capguard
