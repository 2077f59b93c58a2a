#pragma once
// The five reporters. Each renders a whole Report to one string (the command writes it to stdout
// or --output). Errors and warnings are also printed to stderr by the command in every format;
// the machine formats carry them in their own structure as well.

#include <string>

#include <nlohmann/json.hpp>

#include "cli/reporters/report.hpp"

namespace capguard::cli {

struct RenderOptions {
  bool color = false;  // ANSI colours (text only)
  bool quiet = false;  // text: no summary, no waived findings
};

// Human-readable: grouped by file, then service; each finding with its location, the source line
// with a caret, and the remediation; then a summary with counts by severity.
std::string render_text(const Report& report, const RenderOptions& options);
// {"findings": [...], "errors": [...], "warnings": [...], "summary": {...}}: see spec/output.md.
std::string render_json(const Report& report);
// SARIF 2.1.0 for GitHub code scanning: one rule per policy in force, one result per finding.
std::string render_sarif(const Report& report);
// JUnit XML: one testsuite per input, one testcase per policy and service.
std::string render_junit(const Report& report);
// GitHub Actions workflow commands (::error / ::warning / ::notice), one per finding and error.
std::string render_github(const Report& report);

// The SARIF artifact URI of a path: relative paths stay relative, absolute ones under the current
// directory are made relative to it, others become file:// URIs. "-" is "stdin".
std::string sarif_uri(const std::string& path);
// GitHub workflow-command escaping: of a message (%, CR, LF) and of a property value (also : ,).
std::string github_escape_data(const std::string& text);
std::string github_escape_property(const std::string& text);
// XML escaping of text and attribute values (& < > " '); invalid UTF-8 becomes U+FFFD and
// characters XML 1.0 forbids become `?`.
std::string xml_escape(std::string_view text);

// JSON text indented by 2 and ending in a newline, always valid UTF-8: every invalid byte of a
// string becomes U+FFFD. Every command that prints JSON prints it through this.
std::string dump_json(const nlohmann::ordered_json& json);

std::string render_report(Format format, const Report& report, const RenderOptions& options);

}  // namespace capguard::cli
