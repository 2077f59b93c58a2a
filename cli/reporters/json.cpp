// The JSON reporter: the stable machine-readable format documented in spec/output.md. Every key
// is always present (null when it does not apply), keys keep a fixed order. The output is always
// valid UTF-8: invalid bytes in names and messages become U+FFFD (dump_json).
#include <nlohmann/json.hpp>

#include "cli/reporters/reporters.hpp"

namespace capguard::cli {

namespace {

using Json = nlohmann::ordered_json;

Json nullable_string(std::string_view s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

Json finding_json(const Finding& f) {
  Json j;
  j["policy"] = f.policy;
  j["kind"] = std::string(rule_kind_name(f.kind));
  j["severity"] = std::string(severity_name(f.severity));
  j["title"] = f.title;
  j["message"] = f.message;
  j["service"] = nullable_string(f.service);
  j["input"] = f.input;
  j["file"] = finding_file(f);
  j["line"] = f.span.line != 0 ? Json(f.span.line) : Json(nullptr);
  j["column"] = f.span.line != 0 ? Json(f.span.column) : Json(nullptr);
  j["waived"] = f.waived();
  j["waiver_reason"] = f.waived() ? Json(f.waiver->reason) : Json(nullptr);
  j["waiver_expires"] = f.waived() ? nullable_string(f.waiver->expires) : Json(nullptr);
  j["waiver_source"] = f.waived() ? nullable_string(f.waiver->source) : Json(nullptr);
  return j;
}

Json message_json(const ReportMessage& m) {
  Json j;
  j["file"] = nullable_string(m.file);
  j["line"] = m.line != 0 ? Json(m.line) : Json(nullptr);
  j["column"] = m.line != 0 ? Json(m.column) : Json(nullptr);
  j["policy"] = nullable_string(m.policy);
  j["message"] = m.message;
  return j;
}

Json not_checked_json(const NotChecked& n) {
  Json j;
  j["policy"] = n.policy;
  j["service"] = nullable_string(n.service);
  j["input"] = n.input;
  j["fields"] = n.fields;
  j["reason"] = not_checked_reason(n);
  j["file"] = not_checked_file(n);
  j["line"] = n.span.line != 0 ? Json(n.span.line) : Json(nullptr);
  j["column"] = n.span.line != 0 ? Json(n.span.column) : Json(nullptr);
  return j;
}

}  // namespace

std::string dump_json(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render_json(const Report& report) {
  Json root;
  root["version"] = 1;
  root["findings"] = Json::array();
  for (const Finding& f : report.findings) root["findings"].push_back(finding_json(f));
  root["errors"] = Json::array();
  for (const ReportMessage& m : report.errors) root["errors"].push_back(message_json(m));
  root["warnings"] = Json::array();
  for (const ReportMessage& m : report.warnings) root["warnings"].push_back(message_json(m));
  root["not_checked"] = Json::array();
  for (const NotChecked& n : report.not_checked) root["not_checked"].push_back(not_checked_json(n));

  Summary s = summarize(report);
  Json summary;
  summary["findings"] = s.total;
  Json by_severity;
  for (int i = 4; i >= 0; --i) {
    by_severity[std::string(severity_name(static_cast<Severity>(i)))] = s.by_severity[i];
  }
  summary["by_severity"] = by_severity;
  summary["waived"] = s.waived;
  summary["errors"] = s.errors;
  summary["warnings"] = s.warnings;
  summary["not_checked"] = s.not_checked;
  summary["inputs"] = report.inputs.size();
  summary["policies"] = report.policies.size();
  summary["fail_on"] = std::string(severity_name(report.fail_on));
  summary["exit"] = exit_status(report);
  root["summary"] = summary;
  return dump_json(root);
}

}  // namespace capguard::cli
