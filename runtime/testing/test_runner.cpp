#include "runtime/testing/test_runner.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>

#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard {

namespace {

InputFormat input_format(ir::InputKind kind) {
  switch (kind) {
    case ir::InputKind::Compose:
      return InputFormat::Compose;
    case ir::InputKind::Inspect:
      return InputFormat::Inspect;
    case ir::InputKind::Auto:
      break;
  }
  return InputFormat::Auto;
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// "FILE:LINE" of a span (no column: tests are found by line).
std::string file_line(const Span& span) {
  if (!span.known()) return source_name(span.file);
  return source_name(span.file) + ":" + std::to_string(span.line);
}

// Indents every line of `text` by `prefix`.
std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) out += prefix + line + "\n";
  return out;
}

// What running one test produced: its pooled findings, or the reasons it could not be judged.
struct TestOutcome {
  std::vector<Finding> findings;
  std::vector<std::shared_ptr<FindingText>> texts;  // what the findings' views point into
  std::vector<std::string> problems;  // input errors and runtime errors, already formatted
};

TestOutcome execute(const ir::Program& program, const ir::TestCase& test) {
  TestOutcome outcome;
  std::vector<Value> params = program.default_params();
  for (const ir::TestParam& p : test.params) {
    if (p.index < params.size()) params[p.index] = p.value;
  }
  for (const ir::TestInput& input : test.inputs) {
    // Inline inputs are labelled with where they are written, so that an input error or a
    // finding's location leads back to the test file; their own lines count from 1.
    std::string name = input.is_file ? input.path
                                     : source_name(input.span.file) + "(input at line " +
                                           std::to_string(input.span.line) + ")";
    // A file goes through load_input, so that what sits beside it (.env, included files,
    // compose.override.yaml in a folder) is read exactly as `capguard check` would read it.
    Diagnostics input_diags;
    LoadedInput loaded;
    if (input.is_file) {
      InputOptions input_options;
      input_options.format = input_format(input.kind);
      loaded = load_input(input.path, input_options, input_diags);
    } else {
      loaded = load_input_text(name, input.text, input_format(input.kind), input_diags);
    }
    if (input_diags.has_errors() || !loaded.ok) {
      outcome.problems.push_back(location(input.span) + ": the input has errors:\n" +
                                 indent(render(input_diags), "  "));
      continue;
    }
    EvalResult result = evaluate(program, loaded.document, params, loaded.name);
    for (const EvalError& e : result.errors) {
      outcome.problems.push_back(location(e.policy_span) + ": runtime error in policy " +
                                 quoted(e.policy) + (e.service.empty() ? "" : " on " + e.service) +
                                 ": " + e.message);
    }
    for (Finding& f : result.findings) outcome.findings.push_back(std::move(f));
    if (result.text) outcome.texts.push_back(std::move(result.text));
  }
  std::sort(outcome.findings.begin(), outcome.findings.end(), finding_before);
  return outcome;
}

// Mistakes in a test that make it meaningless to run; reported as diagnostics.
bool validate(const ir::Program& program, const ir::TestCase& test, Diagnostics& diags) {
  bool ok = true;
  if (test.expectations.empty()) {
    diags.error(test.span, "test " + quoted(test.name) +
                               " has no expectation; add `expect deny|warn \"ID\" ...` or "
                               "`expect no deny|warn \"ID\"`");
    ok = false;
  }
  if (test.inputs.empty()) {
    diags.error(test.span,
                "test " + quoted(test.name) + " has no input; add `input compose \"\"\"...\"\"\"`");
    ok = false;
  }
  std::vector<std::string> ids;
  for (const ir::Policy& p : program.policies) ids.push_back(p.meta.id);
  for (const ir::Expectation& e : test.expectations) {
    if (program.policy_index(e.policy) >= 0) continue;
    std::string message = "expectation names unknown policy " + quoted(e.policy);
    std::string guess = did_you_mean(e.policy, ids);
    if (!guess.empty()) message += "; did you mean " + quoted(guess) + "?";
    diags.error(e.span, message);
    ok = false;
  }
  return ok;
}

}  // namespace

bool expectation_matches(const ir::Expectation& e, const Finding& f) {
  if (f.kind != e.kind || f.policy != e.policy) return false;
  if (e.service && f.service != *e.service) return false;
  if (e.message && f.message.find(*e.message) == std::string::npos) return false;
  if (e.line && static_cast<int64_t>(f.span.line) != *e.line) return false;
  return true;
}

std::string describe_expectation(const ir::Expectation& e) {
  std::string out = e.negated ? "no " : "";
  out += std::string(rule_kind_name(e.kind)) + " " + quoted(e.policy);
  if (e.service) out += " on " + *e.service;
  if (e.count) out += " count " + std::to_string(*e.count);
  if (e.message) out += " message " + quoted(*e.message);
  if (e.line) out += " line " + std::to_string(*e.line);
  return out;
}

std::string describe_finding(const Finding& f) {
  std::string out = std::string(rule_kind_name(f.kind)) + " " + std::string(f.policy);
  if (!f.service.empty()) out += " on " + std::string(f.service);
  out += " at " + location(f.span) + ": " + std::string(f.message);
  return out;
}

std::string check_expectation(const ir::Expectation& e, const std::vector<Finding>& findings) {
  int64_t matched = 0;
  for (const Finding& f : findings) {
    if (expectation_matches(e, f)) ++matched;
  }
  std::string want = "expected " + describe_expectation(e);
  if (e.negated) {
    if (e.count) {
      if (matched != *e.count) return "";
      return want + ": found exactly " + std::to_string(matched) + " matching";
    }
    if (matched == 0) return "";
    return want + ": found " + std::to_string(matched) + " matching";
  }
  if (e.count) {
    if (matched == *e.count) return "";
    return want + ": found " + std::to_string(matched) + " matching";
  }
  if (matched > 0) return "";
  return want + ": no matching finding";
}

TestRunSummary run_tests(const ir::Program& program, const TestRunOptions& options,
                         std::ostream& out, Diagnostics& diags) {
  TestRunSummary summary;
  std::unique_ptr<RE2> filter;
  if (!options.run_filter.empty()) {
    filter = std::make_unique<RE2>(options.run_filter, RE2::Quiet);
    if (!filter->ok()) {
      diags.file_error("--run", "invalid regular expression " + quoted(options.run_filter) + ": " +
                                    filter->error());
      return summary;
    }
  }

  for (const ir::TestCase& test : program.tests) {
    if (filter && !RE2::PartialMatch(test.name, *filter)) {
      ++summary.skipped;
      continue;
    }
    if (!validate(program, test, diags)) continue;
    TestOutcome outcome = execute(program, test);
    std::vector<std::string> differences = outcome.problems;
    std::set<std::string> shown_policies;
    for (const ir::Expectation& e : test.expectations) {
      std::string diff = check_expectation(e, outcome.findings);
      if (diff.empty()) continue;
      differences.push_back(location(e.span) + ": " + diff);
      shown_policies.insert(e.policy);
    }
    if (differences.empty()) {
      ++summary.passed;
      if (options.verbose) out << "PASS " << file_line(test.span) << ": " << test.name << "\n";
      continue;
    }
    ++summary.failed;
    out << "FAIL " << file_line(test.span) << ": " << test.name << "\n";
    for (const std::string& d : differences) out << indent(d, "  ");
    // The actual findings of the policies whose expectations failed: the other half of the
    // difference.
    bool header = false;
    for (const Finding& f : outcome.findings) {
      if (shown_policies.count(std::string(f.policy)) == 0) continue;
      if (!header) out << "  actual findings of those policies:\n";
      header = true;
      out << "    " << describe_finding(f) << "\n";
    }
    if (!header && !shown_policies.empty()) out << "  actual findings of those policies: none\n";
  }

  if (options.report_untested && !filter) {
    std::set<std::string> named;
    for (const ir::TestCase& test : program.tests) {
      for (const ir::Expectation& e : test.expectations) named.insert(e.policy);
    }
    for (const ir::Policy& p : program.policies) {
      if (named.count(p.meta.id) != 0) continue;
      summary.untested.push_back(p.meta.id);
      out << "no test: " << p.meta.id << " (" << file_line(p.meta.span) << ")\n";
    }
  }
  return summary;
}

}  // namespace capguard
