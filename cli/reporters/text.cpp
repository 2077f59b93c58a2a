// The text reporter. Layout (one block per file, then per service):
//
//   compose.yaml
//     service web
//       high CG-PRIV-001: Privileged container
//         web runs privileged
//         compose.yaml:4:17
//          4 |     privileged: true
//            |                 ^~~~
//         remediation: Remove `privileged: true`.
//
//   summary: 1 finding (1 high), 0 waived, 0 errors, 0 warnings; 1 input, 12 policies
//
// Text from inputs and policies (file and service names, titles, messages, waiver reasons) is
// printed through printable_text (lang/core/diagnostics.hpp): invalid UTF-8 and control characters
// become \xNN, so that they cannot garble the terminal; colour codes are added around it.
#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cli/reporters/reporters.hpp"
#include "cli/reporters/writers.hpp"

namespace capguard::cli {

namespace {

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::Critical:
      return "\033[1;41;97m";
    case Severity::High:
      return "\033[1;31m";
    case Severity::Medium:
      return "\033[1;33m";
    case Severity::Low:
      return "\033[1;36m";
    case Severity::Info:
      return "\033[2m";
  }
  return "";
}

std::string paint(bool color, const char* code, std::string_view text) {
  if (!color) return std::string(text);
  return fmt::format("{}{}\033[0m", code, text);
}

// Prefixes every line of `text` with `indent`.
std::string indent_lines(std::string_view text, std::string_view indent) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!(end == text.size() && line.empty())) {
      out += line.empty() ? std::string() : std::string(indent);
      out += line;
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

// A policy's remediation as the report prints it, made once per policy: every finding of the
// policy repeats it (a run over 1000 files prints it tens of thousands of times).
class Remediations {
 public:
  const std::string& of(const Report& report, std::string_view policy) {
    auto it = made_.find(policy);
    if (it != made_.end()) return it->second;
    std::string lines;
    if (const PolicyMetadata* meta = find_policy(report, policy)) {
      if (!meta->remediation.empty()) {
        std::string text = printable_text(meta->remediation);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        if (text.find('\n') == std::string::npos) {
          lines = "      remediation: " + text + '\n';
        } else {
          lines = "      remediation:\n" + indent_lines(text, "        ");
        }
      }
    }
    return made_.emplace(std::string(policy), std::move(lines)).first->second;
  }

 private:
  std::map<std::string, std::string, std::less<>> made_;
};

void render_finding(std::string& out, const Report& report, const Finding& f, bool color,
                    Remediations& remediations) {
  std::string head =
      printable_text(fmt::format("{} {}: {}", severity_name(f.severity), f.policy, f.title), false);
  out += "    ";
  out +=
      f.waived() ? paint(color, "\033[2m", head) : paint(color, severity_color(f.severity), head);
  if (f.kind == RuleKind::Warn) out += " (warn)";
  out += '\n';
  out += indent_lines(printable_text(f.message), "      ");
  if (f.span.known()) {
    out += "      " + printable_text(location(f.span), false) + '\n';
    out += indent_lines(render_source_excerpt(f.span, color), "     ");
  }
  if (f.waived()) {
    std::string waiver = "waived: " + f.waiver->reason;
    if (!f.waiver->expires.empty()) waiver += " (expires " + f.waiver->expires + ")";
    if (!f.waiver->source.empty()) waiver += " [" + f.waiver->source + "]";
    out += "      " + paint(color, "\033[1;32m", printable_text(waiver, false)) + '\n';
  } else {
    out += remediations.of(report, f.policy);
  }
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

class TextWriter : public ReportWriter {
 public:
  TextWriter(const RenderOptions& options, ReportOutput& out) : options_(options), out_(out) {}

  void begin(const Report&) override {}

  void input(const Report& report, const InputSummary&, const std::vector<Finding>& findings,
             const std::vector<NotChecked>&, const std::vector<ReportMessage>&) override {
    std::string& out = out_.text();
    bool color = options_.color;
    for (const Finding& f : findings) {
      any_finding_ = true;
      if (f.waived() && options_.quiet) continue;
      std::string file = finding_file(f);
      if (first_file_ || file != current_file_ || f.input != current_input_) {
        if (!first_file_) out += '\n';
        out += paint(color, "\033[1m", printable_text(file, false)) + '\n';
        // A finding about a container (check --docker) names it under its file: the input is
        // the container's description, not a path.
        if (is_container_input(f.input)) out += "  in " + printable_text(f.input, false) + '\n';
        current_file_ = file;
        current_input_ = f.input;
        current_service_ = "\n";  // forces the service header
        first_file_ = false;
      }
      if (f.service != current_service_) {
        out += "  " +
               (f.service.empty() ? std::string("(no service)")
                                  : "service " + printable_text(f.service, false)) +
               '\n';
        current_service_ = f.service;
      }
      render_finding(out, report, f, color, remediations_);
      out_.maybe_drain();
    }
  }

  void end(const Report& report, const Summary& s) override {
    if (options_.quiet) return;
    std::string& out = out_.text();
    bool color = options_.color;
    std::string counts;
    for (int i = 4; i >= 0; --i) {
      if (s.by_severity[i] == 0) continue;
      if (!counts.empty()) counts += ", ";
      counts += fmt::format("{} {}", s.by_severity[i], severity_name(static_cast<Severity>(i)));
    }
    if (any_finding_) out += '\n';
    if (!report.not_checked.empty()) {
      // What the findings above may miss: a policy that reads a field that could not be read.
      out += paint(color, "\033[1m", "not checked") + '\n';
      for (const NotChecked& n : report.not_checked) {
        std::string where = not_checked_file(n);
        if (n.span.line != 0) where = location(n.span);
        std::string on = n.service.empty() ? std::string("every service")
                                           : "service " + printable_text(n.service, false);
        out += fmt::format("  {}: {} on {}: {}\n", printable_text(where, false),
                           printable_text(n.policy, false), on,
                           printable_text(not_checked_reason(n), false));
      }
      out += '\n';
    }
    out += fmt::format(
        "summary: {}{}, {} waived, {}, {}{}; {}, {}\n", plural(s.total, "finding", "findings"),
        counts.empty() ? "" : " (" + counts + ")", s.waived, plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        s.not_checked == 0 ? "" : fmt::format(", {} not checked", s.not_checked),
        plural(report.inputs.size(), "input", "inputs"),
        plural(report.policies.size(), "policy", "policies"));
  }

 private:
  RenderOptions options_;
  ReportOutput& out_;
  std::string current_file_, current_input_, current_service_;
  bool first_file_ = true;
  bool any_finding_ = false;
  Remediations remediations_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_text_writer(const RenderOptions& options, ReportOutput& out) {
  return std::make_unique<TextWriter>(options, out);
}

}  // namespace capguard::cli
