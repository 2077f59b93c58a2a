// The SARIF 2.1.0 reporter, shaped for GitHub code scanning: tool.driver.rules holds one rule per
// policy in force (in id order, so ruleIndex is stable), each result points at its rule by id and
// index, locations are relative URIs with 1-based line/column, and waived findings carry a
// suppression (inSource for inline comments, external for waivers files). Errors become
// toolExecutionNotifications of the single invocation.
#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/reporters/reporters.hpp"

namespace capguard::cli {

namespace {

using Json = nlohmann::ordered_json;

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

Json rule_json(const PolicyMetadata& p) {
  Json r;
  r["id"] = p.id;
  r["name"] = rule_name(p.title);
  r["shortDescription"] = {{"text", p.title}};
  r["fullDescription"] = {{"text", p.description.empty() ? p.title : p.description}};
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
  r["help"] = {{"text", text}, {"markdown", markdown}};
  for (const std::string& ref : p.references) {
    if (ref.rfind("https://", 0) == 0) {
      r["helpUri"] = ref;
      break;
    }
  }
  r["defaultConfiguration"] = {{"level", sarif_level(p.severity)}};
  Json tags = Json::array();
  tags.push_back("security");
  for (const std::string& t : p.tags) tags.push_back(t);
  r["properties"] = {
      {"tags", tags}, {"precision", "high"}, {"security-severity", security_severity(p.severity)}};
  return r;
}

// SARIF's default columnKind counts UTF-16 code units; spans count bytes. Converts using the
// line's text when the source is registered (ASCII lines are unchanged; a byte of an invalid
// UTF-8 sequence counts as one unit, as the U+FFFD a reader decodes it to).
uint32_t utf16_column(const Span& span) {
  if (!span.known() || span.column == 0) return span.column;
  std::string_view text = source(span.file).line_text(span.line);
  uint32_t units = 1;
  for (size_t i = 0; i + 1 < span.column && i < text.size();) {
    char32_t cp = 0;
    size_t length = utf8_sequence_length(text, i, &cp);
    units += length != 0 && cp >= 0x10000 ? 2 : 1;  // above the BMP: a surrogate pair
    i += length != 0 ? length : 1;
  }
  return units;
}

Json location_json(const std::string& file, uint32_t line, uint32_t column) {
  Json physical;
  physical["artifactLocation"] = {{"uri", sarif_uri(file)}};
  if (line != 0) {
    physical["region"] = {{"startLine", line}, {"startColumn", column != 0 ? column : 1}};
  }
  return Json{{"physicalLocation", physical}};
}

}  // namespace

std::string render_sarif(const Report& report) {
  std::map<std::string, size_t, std::less<>> rule_index;
  Json rules = Json::array();
  for (const PolicyMetadata& p : report.policies) {
    rule_index[p.id] = rules.size();
    rules.push_back(rule_json(p));
  }

  Json results = Json::array();
  for (const Finding& f : report.findings) {
    Json r;
    r["ruleId"] = f.policy;
    auto it = rule_index.find(f.policy);
    if (it != rule_index.end()) r["ruleIndex"] = it->second;
    r["level"] = sarif_level(f.severity);
    r["message"] = {{"text", f.message.empty() ? f.title : f.message}};
    std::string file = finding_file(f);
    r["locations"] = Json::array({location_json(file, f.span.line, utf16_column(f.span))});
    if (f.waived()) {
      Json suppression;
      suppression["kind"] = f.waiver->source == "inline" ? "inSource" : "external";
      suppression["status"] = "accepted";
      std::string justification = f.waiver->reason;
      if (!f.waiver->expires.empty()) justification += " (expires " + f.waiver->expires + ")";
      suppression["justification"] = justification;
      r["suppressions"] = Json::array({suppression});
    }
    if (!f.service.empty()) r["properties"] = {{"service", f.service}};
    results.push_back(r);
  }

  Json notifications = Json::array();
  auto add_notifications = [&](const std::vector<ReportMessage>& messages, const char* level) {
    for (const ReportMessage& m : messages) {
      Json n;
      n["level"] = level;
      n["message"] = {{"text", m.message}};
      if (!m.file.empty()) {
        uint32_t column = m.diagnostic.span.known() ? utf16_column(m.diagnostic.span) : m.column;
        n["locations"] = Json::array({location_json(m.file, m.line, column)});
      }
      notifications.push_back(n);
    }
  };
  add_notifications(report.errors, "error");
  add_notifications(report.warnings, "warning");
  for (const NotChecked& nc : report.not_checked) {
    Json n;
    n["level"] = "warning";
    n["message"] = {{"text", not_checked_text(nc)}};
    if (nc.span.known()) {
      n["locations"] =
          Json::array({location_json(not_checked_file(nc), nc.span.line, utf16_column(nc.span))});
    }
    n["associatedRule"] = {{"id", nc.policy}};
    n["properties"] = {{"service", nc.service}, {"fields", nc.fields}, {"notChecked", true}};
    notifications.push_back(n);
  }

  Json invocation;
  invocation["executionSuccessful"] = report.errors.empty();
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  Json driver;
  driver["name"] = "capguard";
  driver["informationUri"] = "https://github.com/capguard/capguard";
  driver["semanticVersion"] = "0.1.0";
  driver["rules"] = rules;

  Json run;
  run["tool"] = {{"driver", driver}};
  run["invocations"] = Json::array({invocation});
  run["results"] = results;

  Json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = Json::array({run});
  return dump_json(root);
}

}  // namespace capguard::cli
