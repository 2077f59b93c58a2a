#pragma once
// The five reporters. Each is a ReportWriter that writes a report as the run goes: a beginning,
// one part per input (in the order given, as soon as that input and every earlier one are
// checked), and an end with what is only known then (errors, warnings, the summary). The
// render_* functions write a whole Report to one string with the same writers. Errors and
// warnings are also printed to stderr by the command in every format; the machine formats carry
// them in their own structure as well.

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/reporters/report.hpp"

namespace capguard::cli {

struct RenderOptions {
  bool color = false;  // ANSI colours (text only)
  bool quiet = false;  // text: no summary, no waived findings
};

// Where a ReportWriter writes: it appends to text(); drain() hands what was written so far to the
// sink and clears it (without a sink the text is kept: render_* return it whole). The command
// drains after each input, so a report never has to be held whole in memory.
class ReportOutput {
 public:
  // Writes text; false with `error` set when it failed (it is not called again after that).
  using Sink = std::function<bool(std::string_view text, std::string& error)>;
  explicit ReportOutput(Sink sink = {}) : sink_(std::move(sink)) {}
  std::string& text() { return text_; }
  bool drain();
  // Drains once text() holds 1 MiB (with a sink): writers call it as they go, so that one input
  // with half a million findings (a large `docker inspect` array) is not held whole either.
  void maybe_drain() {
    if (sink_ && text_.size() >= kDrainAt) drain();
  }
  // A writer could not write its part (a temporary file): the report is incomplete.
  void fail(std::string error);
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  static constexpr size_t kDrainAt = size_t{1} << 20;

  std::string text_;
  Sink sink_;
  std::string error_;
};

// A temporary file that a writer appends to when a part of its format must come after something
// only known at the end (SARIF's results follow the invocation that lists the errors; JUnit's
// totals precede the suites). Held in memory up to a small size, then on disk (tmpfile(3)).
class Spill {
 public:
  Spill() = default;
  Spill(const Spill&) = delete;
  Spill& operator=(const Spill&) = delete;
  ~Spill();
  std::string& text() { return text_; }
  // Moves text() to the file once it is large.
  void maybe_flush();
  // Appends everything spilled, in order, to `out`, draining it as it grows; when the temporary
  // file failed, out.fail() says why.
  void copy_to(ReportOutput& out);

 private:
  std::string text_;
  std::FILE* file_ = nullptr;
  int error_ = 0;  // errno of the first failure of the temporary file
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  // `report` holds the policies in force and fail_on.
  virtual void begin(const Report& report) = 0;
  // One input: its summary (already appended to report.inputs), its findings in report order
  // with waivers applied, the policies that could not check it completely, and the errors it
  // produced (loading, evaluation, its inline waivers). The input's source text is still
  // registered during the call, not after.
  virtual void input(const Report& report, const InputSummary& input,
                     const std::vector<Finding>& findings,
                     const std::vector<NotChecked>& not_checked,
                     const std::vector<ReportMessage>& input_errors) = 0;
  // The end: report.inputs, errors, warnings and not_checked are complete; `summary` counts every
  // finding written.
  virtual void end(const Report& report, const Summary& summary) = 0;
};

std::unique_ptr<ReportWriter> make_report_writer(Format format, const RenderOptions& options,
                                                 ReportOutput& out);

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

// A whole Report written by the format's ReportWriter: the findings of each input (those naming
// it, in order; findings naming no input after the inputs), then the end.
std::string render_report(Format format, const Report& report, const RenderOptions& options);

// ReportMessage::rendered, or the diagnostic rendered now for a message made by hand.
std::string rendered(const ReportMessage& m);

}  // namespace capguard::cli
