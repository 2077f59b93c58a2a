// The SARIF 2.1.0 reporter, shaped for GitHub code scanning: tool.driver.rules holds one rule per
// policy in force (in id order, so ruleIndex is stable), each result points at its rule by id and
// index, locations are relative URIs with 1-based line/column, and waived findings carry a
// suppression (inSource for inline comments, external for waivers files). Errors become
// toolExecutionNotifications of the single invocation. Written by the streaming JsonWriter, in the
// key order the nlohmann tree this reporter used to build had.
#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "cli/reporters/json_writer.hpp"
#include "cli/reporters/reporters.hpp"
#include "cli/reporters/writers.hpp"

namespace capguard::cli {

namespace {

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High:
      return "error";
    case Severity::Medium:
      return "warning";
    case Severity::Low:
    case Severity::Info:
      return "note";
  }
  return "warning";
}

// GitHub's security-severity scale (0.0-10.0): critical > 9.0, high 7.0-8.9, medium 4.0-6.9.
const char* security_severity(Severity s) {
  switch (s) {
    case Severity::Critical:
      return "9.5";
    case Severity::High:
      return "8.0";
    case Severity::Medium:
      return "5.5";
    case Severity::Low:
      return "3.0";
    case Severity::Info:
      return "0.0";
  }
  return "5.5";
}

// "Privileged container" -> "PrivilegedContainer": SARIF's reportingDescriptor.name.
std::string rule_name(const std::string& title) {
  std::string out;
  bool upper = true;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out;
}

std::string percent_encode_path(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

// A relative URI for a path: relative paths stay relative (without "./"), absolute paths under
// the current directory become relative to it, others become file:// URIs.
std::string sarif_uri(const std::string& path) {
  namespace fs = std::filesystem;
  if (path == "-" || path.empty()) return "stdin";
  fs::path p(path);
  if (p.is_absolute()) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    fs::path rel = ec ? fs::path() : p.lexically_relative(cwd);
    if (rel.empty() || *rel.begin() == "..") return "file://" + percent_encode_path(path);
    p = rel;
  }
  std::string text = p.lexically_normal().generic_string();
  return percent_encode_path(text);
}

namespace {

void text_object(JsonWriter& w, const char* key, std::string_view text) {
  w.key(key);
  w.begin_object();
  w.key("text");
  w.value(text);
  w.end_object();
}

void rule_json(JsonWriter& w, const PolicyMetadata& p) {
  w.begin_object();
  w.key("id");
  w.value(p.id);
  w.key("name");
  w.value(rule_name(p.title));
  text_object(w, "shortDescription", p.title);
  text_object(w, "fullDescription", p.description.empty() ? p.title : p.description);
  std::string text = p.description.empty() ? p.title : p.description;
  std::string markdown = "**" + p.title + "**\n\n" + text;
  if (!p.rationale.empty()) {
    text += "\n\nRationale: " + p.rationale;
    markdown += "\n\n**Rationale:** " + p.rationale;
  }
  if (!p.remediation.empty()) {
    std::string remediation = p.remediation;
    while (!remediation.empty() && remediation.back() == '\n') remediation.pop_back();
    text += "\n\nRemediation:\n" + remediation;
    markdown += "\n\n**Remediation:**\n\n```\n" + remediation + "\n```";
  }
  if (!p.references.empty()) {
    text += "\n\nReferences:";
    markdown += "\n\n**References:**\n";
    for (const std::string& ref : p.references) {
      text += "\n- " + ref;
      markdown += "\n- " + ref;
    }
  }
  w.key("help");
  w.begin_object();
  w.key("text");
  w.value(text);
  w.key("markdown");
  w.value(markdown);
  w.end_object();
  for (const std::string& ref : p.references) {
    if (ref.rfind("https://", 0) == 0) {
      w.key("helpUri");
      w.value(ref);
      break;
    }
  }
  w.key("defaultConfiguration");
  w.begin_object();
  w.key("level");
  w.value(sarif_level(p.severity));
  w.end_object();
  w.key("properties");
  w.begin_object();
  w.key("tags");
  w.begin_array();
  w.value("security");
  for (const std::string& t : p.tags) w.value(t);
  w.end_array();
  w.key("precision");
  w.value("high");
  w.key("security-severity");
  w.value(security_severity(p.severity));
  w.end_object();
  w.end_object();
}

void location_json(JsonWriter& w, const std::string& file, uint32_t line, uint32_t column) {
  w.key("locations");
  w.begin_array();
  w.begin_object();
  w.key("physicalLocation");
  w.begin_object();
  w.key("artifactLocation");
  w.begin_object();
  w.key("uri");
  w.value(sarif_uri(file));
  w.end_object();
  if (line != 0) {
    w.key("region");
    w.begin_object();
    w.key("startLine");
    w.value(line);
    w.key("startColumn");
    w.value(column != 0 ? column : 1);
    w.end_object();
  }
  w.end_object();
  w.end_object();
  w.end_array();
}

void result_json(JsonWriter& w, const Finding& f,
                 const std::map<std::string, size_t, std::less<>>& rule_index) {
  w.begin_object();
  w.key("ruleId");
  w.value(f.policy);
  auto it = rule_index.find(f.policy);
  if (it != rule_index.end()) {
    w.key("ruleIndex");
    w.value(it->second);
  }
  w.key("level");
  w.value(sarif_level(f.severity));
  text_object(w, "message", f.message.empty() ? f.title : f.message);
  location_json(w, finding_file(f), f.span.line, utf16_column(f.span));
  if (f.waived()) {
    w.key("suppressions");
    w.begin_array();
    w.begin_object();
    w.key("kind");
    w.value(f.waiver->source == "inline" ? "inSource" : "external");
    w.key("status");
    w.value("accepted");
    std::string justification = f.waiver->reason;
    if (!f.waiver->expires.empty()) justification += " (expires " + f.waiver->expires + ")";
    w.key("justification");
    w.value(justification);
    w.end_object();
    w.end_array();
  }
  if (!f.service.empty()) {
    w.key("properties");
    w.begin_object();
    w.key("service");
    w.value(f.service);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

namespace {

// Results follow the invocation, whose notifications (the errors) are known only at the end: they
// are written to a Spill, with the indentation they will have, and copied in at the end.
class SarifWriter : public ReportWriter {
 public:
  explicit SarifWriter(ReportOutput& out) : out_(out), results_(spill_.text(), 4) {}

  void begin(const Report& report) override {
    for (size_t i = 0; i < report.policies.size(); ++i) rule_index_[report.policies[i].id] = i;
  }

  void input(const Report&, const InputSummary&, const std::vector<Finding>& findings,
             const std::vector<NotChecked>& not_checked,
             const std::vector<ReportMessage>&) override {
    for (const Finding& f : findings) {
      result_json(results_, f, rule_index_);
      spill_.maybe_flush();
    }
    // The UTF-16 columns of not-checked entries, while the input's text is registered.
    for (const NotChecked& n : not_checked) {
      columns_.push_back(n.span.known() ? utf16_column(n.span) : 0);
    }
    spill_.maybe_flush();
  }

  void end(const Report& report, const Summary&) override {
    JsonWriter w(out_.text());
    w.begin_object();
    w.key("$schema");
    w.value("https://json.schemastore.org/sarif-2.1.0.json");
    w.key("version");
    w.value("2.1.0");
    w.key("runs");
    w.begin_array();
    w.begin_object();  // the run
    w.key("tool");
    w.begin_object();
    w.key("driver");
    w.begin_object();
    w.key("name");
    w.value("capguard");
    w.key("informationUri");
    w.value("https://github.com/capguard/capguard");
    w.key("semanticVersion");
    w.value("0.1.0");
    w.key("rules");
    w.begin_array();
    for (const PolicyMetadata& p : report.policies) rule_json(w, p);
    w.end_array();
    w.end_object();
    w.end_object();

    w.key("invocations");
    w.begin_array();
    w.begin_object();
    w.key("executionSuccessful");
    w.value(report.errors.empty());
    if (!report.errors.empty() || !report.warnings.empty() || !report.not_checked.empty()) {
      w.key("toolExecutionNotifications");
      w.begin_array();
      auto add_notifications = [&](const std::vector<ReportMessage>& messages, const char* level) {
        for (const ReportMessage& m : messages) {
          w.begin_object();
          w.key("level");
          w.value(level);
          text_object(w, "message", m.message);
          if (!m.file.empty()) {
            location_json(w, m.file, m.line, m.column16 != 0 ? m.column16 : m.column);
          }
          w.end_object();
        }
      };
      add_notifications(report.errors, "error");
      add_notifications(report.warnings, "warning");
      for (size_t i = 0; i < report.not_checked.size(); ++i) {
        const NotChecked& nc = report.not_checked[i];
        w.begin_object();
        w.key("level");
        w.value("warning");
        text_object(w, "message", not_checked_text(nc));
        if (nc.span.known()) {
          // Taken while each input's text was registered when they match the report's
          // entries one for one (a streamed run); else the text is still there.
          uint32_t column =
              columns_.size() == report.not_checked.size() ? columns_[i] : utf16_column(nc.span);
          location_json(w, not_checked_file(nc), nc.span.line, column);
        }
        w.key("associatedRule");
        w.begin_object();
        w.key("id");
        w.value(nc.policy);
        w.end_object();
        w.key("properties");
        w.begin_object();
        w.key("service");
        w.value(nc.service);
        w.key("fields");
        w.begin_array();
        for (const std::string& f : nc.fields) w.value(f);
        w.end_array();
        w.key("notChecked");
        w.value(true);
        w.end_object();
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
    w.end_array();

    w.key("results");
    w.begin_array();
    out_.drain();
    spill_.copy_to(out_);
    w.appended_items(results_.has_items());
    w.end_array();
    w.end_object();  // the run
    w.end_array();
    w.end_object();
    w.finish();
  }

 private:
  ReportOutput& out_;
  Spill spill_;
  JsonWriter results_;  // writes into spill_
  std::map<std::string, size_t, std::less<>> rule_index_;
  std::vector<uint32_t> columns_;  // of report.not_checked, in order
};

}  // namespace

std::unique_ptr<ReportWriter> make_sarif_writer(ReportOutput& out) {
  return std::make_unique<SarifWriter>(out);
}

}  // namespace capguard::cli
