// The GitHub Actions reporter: workflow commands that annotate the pull request, e.g.
//   ::error file=compose.yaml,line=4,col=17,title=CG-PRIV-001 Privileged container::web runs ...
// critical/high -> error, medium -> warning, low/info -> notice; waived findings are notices
// whose title says "waived" and whose message carries the reason. Escaping follows GitHub's
// toolkit (escapeData / escapeProperty). The output is valid UTF-8 (invalid bytes become U+FFFD).
#include <fmt/format.h>

#include "cli/reporters/reporters.hpp"
#include "cli/reporters/writers.hpp"

namespace capguard::cli {

std::string github_escape_data(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string github_escape_property(const std::string& text) {
  std::string out;
  for (char c : github_escape_data(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

const char* command_for(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High:
      return "error";
    case Severity::Medium:
      return "warning";
    case Severity::Low:
    case Severity::Info:
      return "notice";
  }
  return "warning";
}

std::string properties(const std::string& file, uint32_t line, uint32_t column,
                       const std::string& title) {
  std::string out;
  auto add = [&](const std::string& key, const std::string& value) {
    if (!out.empty()) out += ',';
    out += key + '=' + github_escape_property(value);
  };
  if (!file.empty()) add("file", file);
  if (line != 0) {
    add("line", std::to_string(line));
    add("col", std::to_string(column != 0 ? column : 1));
  }
  if (!title.empty()) add("title", title);
  return out;
}

// Each part is made valid UTF-8 on its own: parts end in a newline, so no character spans two.
class GithubWriter : public ReportWriter {
 public:
  explicit GithubWriter(ReportOutput& out) : out_(out) {}

  void begin(const Report&) override {}

  void input(const Report&, const InputSummary&, const std::vector<Finding>& findings,
             const std::vector<NotChecked>&, const std::vector<ReportMessage>&) override {
    for (const Finding& f : findings) {
      std::string out;
      std::string file = finding_file(f);
      std::string title = fmt::format("{} {} ({})", f.policy, f.title, severity_name(f.severity));
      std::string message(f.message);
      if (!f.service.empty()) message = fmt::format("service {}: {}", f.service, message);
      const char* command = command_for(f.severity);
      if (f.waived()) {
        command = "notice";
        title += " [waived]";
        message += "\nwaived: " + f.waiver->reason;
        if (!f.waiver->expires.empty()) message += " (expires " + f.waiver->expires + ")";
      }
      out +=
          fmt::format("::{} {}::{}\n", command, properties(file, f.span.line, f.span.column, title),
                      github_escape_data(message));
      out_.text() += valid_utf8(out);
      out_.maybe_drain();
    }
  }

  void end(const Report& report, const Summary& s) override {
    std::string out;
    for (const ReportMessage& m : report.errors) {
      out += fmt::format("::error {}::{}\n", properties(m.file, m.line, m.column, "capguard error"),
                         github_escape_data(m.message));
    }
    for (const ReportMessage& m : report.warnings) {
      out += fmt::format("::warning {}::{}\n",
                         properties(m.file, m.line, m.column, "capguard warning"),
                         github_escape_data(m.message));
    }
    for (const NotChecked& n : report.not_checked) {
      out += fmt::format(
          "::warning {}::{}\n",
          properties(not_checked_file(n), n.span.line, n.span.column, n.policy + " not checked"),
          github_escape_data(not_checked_text(n)));
    }
    auto plural = [](size_t n, const char* word) {
      return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    out += fmt::format("capguard: {}, {} waived, {}, {}{}\n", plural(s.total, "finding"), s.waived,
                       plural(s.errors, "error"), plural(s.warnings, "warning"),
                       s.not_checked == 0 ? "" : fmt::format(", {} not checked", s.not_checked));
    out_.text() += valid_utf8(out);
  }

 private:
  ReportOutput& out_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_github_writer(ReportOutput& out) {
  return std::make_unique<GithubWriter>(out);
}

}  // namespace capguard::cli
