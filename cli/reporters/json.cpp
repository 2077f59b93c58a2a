// The JSON reporter: the stable machine-readable format documented in spec/output.md. Every key
// is always present (null when it does not apply), keys keep a fixed order. The output is always
// valid UTF-8: invalid bytes in names and messages become U+FFFD. Written by a streaming writer
// (json_writer.hpp), byte-identical to dumping the same document as an nlohmann tree.
#include <nlohmann/json.hpp>

#include "cli/reporters/json_writer.hpp"
#include "cli/reporters/reporters.hpp"
#include "cli/reporters/writers.hpp"

namespace capguard::cli {

namespace {

// "line" and "column", both null when the line is unknown (0).
void line_and_column(JsonWriter& w, uint32_t line, uint32_t column) {
  w.key("line");
  if (line != 0) {
    w.value(line);
  } else {
    w.null();
  }
  w.key("column");
  if (line != 0) {
    w.value(column);
  } else {
    w.null();
  }
}

void finding_json(JsonWriter& w, const Finding& f) {
  w.begin_object();
  w.key("policy");
  w.value(f.policy);
  w.key("kind");
  w.value(rule_kind_name(f.kind));
  w.key("severity");
  w.value(severity_name(f.severity));
  w.key("title");
  w.value(f.title);
  w.key("message");
  w.value(f.message);
  w.key("service");
  w.nullable(f.service);
  w.key("input");
  w.value(f.input);
  w.key("file");
  w.value(finding_file(f));
  line_and_column(w, f.span.line, f.span.column);
  w.key("waived");
  w.value(f.waived());
  w.key("waiver_reason");
  if (f.waived()) {
    w.value(f.waiver->reason);
  } else {
    w.null();
  }
  w.key("waiver_expires");
  w.nullable(f.waived() ? std::string_view(f.waiver->expires) : std::string_view());
  w.key("waiver_source");
  w.nullable(f.waived() ? std::string_view(f.waiver->source) : std::string_view());
  w.end_object();
}

void message_json(JsonWriter& w, const ReportMessage& m) {
  w.begin_object();
  w.key("file");
  w.nullable(m.file);
  line_and_column(w, m.line, m.column);
  w.key("policy");
  w.nullable(m.policy);
  w.key("message");
  w.value(m.message);
  w.end_object();
}

void not_checked_json(JsonWriter& w, const NotChecked& n) {
  w.begin_object();
  w.key("policy");
  w.value(n.policy);
  w.key("service");
  w.nullable(n.service);
  w.key("input");
  w.value(n.input);
  w.key("fields");
  w.begin_array();
  for (const std::string& f : n.fields) w.value(f);
  w.end_array();
  w.key("reason");
  w.value(not_checked_reason(n));
  w.key("file");
  w.value(not_checked_file(n));
  line_and_column(w, n.span.line, n.span.column);
  w.end_object();
}

}  // namespace

std::string dump_json(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

namespace {

class JsonReportWriter : public ReportWriter {
 public:
  explicit JsonReportWriter(ReportOutput& out) : out_(out), w_(out.text()) {}

  void begin(const Report&) override {
    w_.begin_object();
    w_.key("version");
    w_.value(1);
    w_.key("findings");
    w_.begin_array();
  }

  void input(const Report&, const InputSummary&, const std::vector<Finding>& findings,
             const std::vector<NotChecked>&, const std::vector<ReportMessage>&) override {
    for (const Finding& f : findings) {
      finding_json(w_, f);
      out_.maybe_drain();
    }
  }

  void end(const Report& report, const Summary& s) override {
    JsonWriter& w = w_;
    w.end_array();
    w.key("errors");
    w.begin_array();
    for (const ReportMessage& m : report.errors) message_json(w, m);
    w.end_array();
    w.key("warnings");
    w.begin_array();
    for (const ReportMessage& m : report.warnings) message_json(w, m);
    w.end_array();
    w.key("not_checked");
    w.begin_array();
    for (const NotChecked& n : report.not_checked) not_checked_json(w, n);
    w.end_array();

    w.key("summary");
    w.begin_object();
    w.key("findings");
    w.value(s.total);
    w.key("by_severity");
    w.begin_object();
    for (int i = 4; i >= 0; --i) {
      w.key(severity_name(static_cast<Severity>(i)));
      w.value(s.by_severity[i]);
    }
    w.end_object();
    w.key("waived");
    w.value(s.waived);
    w.key("errors");
    w.value(s.errors);
    w.key("warnings");
    w.value(s.warnings);
    w.key("not_checked");
    w.value(s.not_checked);
    w.key("inputs");
    w.value(report.inputs.size());
    w.key("policies");
    w.value(report.policies.size());
    w.key("fail_on");
    w.value(severity_name(report.fail_on));
    w.key("exit");
    w.value(exit_status(s));
    w.end_object();
    w.end_object();
    w.finish();
  }

 private:
  ReportOutput& out_;
  JsonWriter w_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_json_writer(ReportOutput& out) {
  return std::make_unique<JsonReportWriter>(out);
}

}  // namespace capguard::cli
