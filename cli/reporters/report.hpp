#pragma once
// The result of a `capguard check` run, as every reporter sees it: the policies in force, the
// inputs checked (with their services), the findings (waived ones included, never dropped), the
// errors and the warnings. Reporters are pure functions from a Report to text, so that they can
// be unit-tested without running a check.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/policy_meta.hpp"
#include "runtime/eval/finding.hpp"

namespace capguard::cli {

enum class Format { Text, Json, Sarif, Junit, Github };

std::optional<Format> parse_format(std::string_view text);
std::string_view format_name(Format f);
// "text", "json", "sarif", "junit", "github": for usage messages and "did you mean".
std::vector<std::string> format_names();

// An error or a warning that is not a finding: an unreadable input, a policy that failed to
// evaluate, an expired or unused waiver, a flag or configuration mistake.
struct ReportMessage {
  std::string file;  // "" when not about a file
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
  std::string policy;     // the policy concerned, when there is one
  Diagnostic diagnostic;  // where and what, as the checking layer reported it
  // Made by to_report_message while the source text is still registered (a streamed run frees
  // each input's text once the input is reported): the diagnostic rendered without colour, with
  // its source line and caret, and the column in UTF-16 code units (SARIF's columnKind).
  std::string rendered;
  uint32_t column16 = 0;
};

struct InputSummary {
  std::string name;                   // as reported (the path the user gave, or "-")
  std::vector<std::string> services;  // in document order
  bool ok = true;                     // false when it could not be loaded
};

// A whole report, as the reporters' render_* functions take it. `capguard check` does not build
// one: it streams (ReportWriter below), and its Report holds everything except the findings.
struct Report {
  std::vector<PolicyMetadata> policies;  // in force, in id order
  std::vector<InputSummary> inputs;      // in the order given
  std::vector<Finding> findings;         // by input (in the order given), then report_before
  std::vector<ReportMessage> errors;
  std::vector<ReportMessage> warnings;
  // Policies that could not check a service completely (a field it reads is unknown), by input
  // in the order given, then service, then policy.
  std::vector<NotChecked> not_checked;
  Severity fail_on = Severity::Low;
};

struct Summary {
  size_t by_severity[5] = {0, 0, 0, 0, 0};  // unwaived findings, indexed by Severity
  size_t total = 0;                         // unwaived findings
  size_t waived = 0;
  size_t failing = 0;  // unwaived findings at or above fail_on
  size_t errors = 0;
  size_t warnings = 0;
  size_t not_checked = 0;  // NotChecked entries (policy x service)
};

// The order of findings within one input: by the file of the offending value (an input may
// merge several files), then finding_before (line, column, policy id, service, message).
bool report_before(const Finding& a, const Finding& b);
// Stable-sorts one input's findings by report_before. A large list (a `docker inspect` array of
// 45,000 containers makes half a million findings) is sorted through an index, so that the sort
// needs 4 bytes a finding beside the list instead of a second copy of it.
void sort_findings(std::vector<Finding>& findings);

// The file a finding points at: that of its span, or its input when it has no location.
std::string finding_file(const Finding& f);
// The same for a NotChecked entry.
std::string not_checked_file(const NotChecked& n);
// "FIELD, FIELD unknown" (or the runtime error) for a NotChecked entry.
std::string not_checked_reason(const NotChecked& n);
// "POLICY could not check service S: REASON".
std::string not_checked_text(const NotChecked& n);

// Whether an input is a container read from an engine (`check --docker`): its name is then
// "container NAME (SHORT ID, IMAGE) on HOST[, compose project P, service S]"
// (runtime/engine/containers.hpp container_label), not a path.
bool is_container_input(std::string_view input);

Summary summarize(const Report& report);
// Adds findings to the counts of a summary (a streamed run counts input by input).
void count_findings(const std::vector<Finding>& findings, Severity fail_on, Summary& summary);

// 0 when nothing unwaived is at or above fail_on, 1 when something is, 2 when there are errors
// (errors win: a run that could not check everything is never a pass).
int exit_status(const Report& report);
int exit_status(const Summary& summary);

// The column of a span in UTF-16 code units, from the line's text when the source is registered
// (ASCII lines are unchanged; a byte of an invalid UTF-8 sequence counts as one unit, as the
// U+FFFD a reader decodes it to). SARIF's default columnKind.
uint32_t utf16_column(const Span& span);

// The metadata of policy `id`, or nullptr.
const PolicyMetadata* find_policy(const Report& report, std::string_view id);

// Builds a ReportMessage from a diagnostic (location split into file/line/column, rendered text).
ReportMessage to_report_message(const Diagnostic& d, std::string policy = "");
}  // namespace capguard::cli
