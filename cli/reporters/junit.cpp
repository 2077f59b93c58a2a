// The JUnit XML reporter, for CI systems that show test results: one <testsuite> per input, one
// <testcase> per (service, policy in force) named "POLICY-ID: title" with classname
// "INPUT.SERVICE". Unwaived findings at or above --fail-on are <failure>s; findings below it and
// waived ones are listed in the testcase's <system-out> (a waived-only testcase is <skipped>
// with the reason). An input that could not be checked gets a testcase with an <error>.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "cli/reporters/reporters.hpp"
#include "cli/reporters/writers.hpp"

namespace capguard::cli {

std::string xml_escape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    size_t length = utf8_sequence_length(text, i, &cp);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD: the document is UTF-8, whatever the input was
      ++i;
      continue;
    }
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab, CR and LF, and U+FFFE/U+FFFF, are not allowed in
        // XML 1.0.
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
          out += '?';
        } else {
          out.append(text, i, length);
        }
    }
    i += length;
  }
  return out;
}

namespace {

std::string describe(const Finding& f) {
  std::string file = finding_file(f);
  std::string where =
      f.span.line != 0 ? fmt::format("{}:{}:{}", file, f.span.line, f.span.column) : file;
  return fmt::format("{}: {} {}: {}", where, severity_name(f.severity), f.policy, f.message);
}

struct Case {
  std::string classname;
  std::string name;
  std::string failures;  // <failure> elements
  std::string out;       // system-out text
  std::string skipped;   // reason, when every finding is waived
  bool failed = false;
  bool error = false;
};

struct SuiteCounts {
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  void add(const Case& c) {
    ++tests;
    failures += c.failed ? 1 : 0;
    errors += c.error ? 1 : 0;
    skipped += (!c.skipped.empty() && !c.failed) ? 1 : 0;
  }
};

// One input's testcases: one per (service, policy in force), built on demand.
class InputCases {
 public:
  InputCases(const Report& report, const InputSummary& input, const std::vector<Finding>& findings,
             const std::vector<NotChecked>& not_checked)
      : report_(report), input_(input) {
    for (const Finding& f : findings) by_key_[{f.service, f.policy}].push_back(&f);
    for (const NotChecked& n : not_checked) not_checked_[n.policy].push_back(&n);
    // Every finding gets a row: one not about a service (first), or about a service the input
    // summary does not list (last), is never dropped.
    services = input.services;
    std::set<std::string_view> listed(services.begin(), services.end());
    std::vector<std::string> extra;
    bool unnamed = false;
    for (const auto& entry : by_key_) {
      std::string_view service = entry.first.first;
      if (listed.count(service) != 0) continue;
      listed.insert(service);
      if (service.empty()) {
        unnamed = true;
      } else {
        extra.emplace_back(service);
      }
    }
    // In the order of by_key_ (sorted), as they were always listed.
    if (unnamed) services.insert(services.begin(), std::string());
    services.insert(services.end(), extra.begin(), extra.end());
  }

  std::vector<std::string> services;

  Case build(const std::string& service, const PolicyMetadata& policy) const {
    Case c;
    c.classname = service.empty() ? input_.name : input_.name + "." + service;
    c.name = policy.id + ": " + policy.title;
    auto it = by_key_.find({service, policy.id});
    if (it != by_key_.end()) {
      bool all_waived = true;
      for (const Finding* f : it->second) {
        if (f->waived()) {
          c.out += describe(*f) + " [waived: " + f->waiver->reason + "]\n";
          if (c.skipped.empty()) c.skipped = "waived: " + f->waiver->reason;
          continue;
        }
        all_waived = false;
        if (f->severity >= report_.fail_on) {
          c.failed = true;
          c.failures += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                                    severity_name(f->severity), xml_escape(f->message),
                                    xml_escape(describe(*f)));
        } else {
          c.out += describe(*f) + "\n";
        }
      }
      if (!all_waived) c.skipped.clear();
    }
    // A policy that could not check the service: skipped, with the reason, unless it failed on
    // what could be read.
    auto nc = not_checked_.find(policy.id);
    if (nc != not_checked_.end()) {
      for (const NotChecked* n : nc->second) {
        if (!n->service.empty() && n->service != service) continue;
        std::string why = "not checked: " + not_checked_reason(*n);
        c.out += why + "\n";
        if (c.skipped.empty() && it == by_key_.end()) c.skipped = why;
      }
    }
    return c;
  }

 private:
  const Report& report_;
  const InputSummary& input_;
  std::map<std::pair<std::string_view, std::string_view>, std::vector<const Finding*>> by_key_;
  std::map<std::string_view, std::vector<const NotChecked*>> not_checked_;
};

// Suites are written to a Spill as inputs come; the totals, which the <testsuites> element
// carries, are known at the end.
class JunitWriter : public ReportWriter {
 public:
  explicit JunitWriter(ReportOutput& out) : out_(out) {}

  void begin(const Report&) override {}

  void input(const Report& report, const InputSummary& input, const std::vector<Finding>& findings,
             const std::vector<NotChecked>& not_checked,
             const std::vector<ReportMessage>& input_errors) override {
    InputCases in(report, input, findings, not_checked);
    std::vector<Case> errors;
    for (const ReportMessage& m : input_errors) {
      if (m.file != input.name) continue;
      Case c;
      c.classname = input.name;
      c.name = m.policy.empty() ? "load" : m.policy + ": evaluation";
      c.error = true;
      c.failures = fmt::format("      <error message=\"{}\">{}</error>\n", xml_escape(m.message),
                               xml_escape(rendered(m)));
      errors.push_back(std::move(c));
    }
    // The suite's counts come first, so the cases are counted, then built and written one at a
    // time (an input of 45,000 containers has 1.8 million of them).
    SuiteCounts counts;
    for (const std::string& service : in.services) {
      for (const PolicyMetadata& policy : report.policies) counts.add(in.build(service, policy));
    }
    for (const Case& c : errors) counts.add(c);
    begin_suite(input.name, counts);
    for (const std::string& service : in.services) {
      for (const PolicyMetadata& policy : report.policies) {
        write_case(in.build(service, policy));
        spill_.maybe_flush();
      }
    }
    for (const Case& c : errors) write_case(c);
    end_suite(counts);
  }

  void end(const Report& report, const Summary&) override {
    // Errors not about one of the inputs (policies, waivers, configuration).
    std::set<std::string_view> names;
    for (const InputSummary& input : report.inputs) names.insert(input.name);
    std::vector<Case> cases;
    for (const ReportMessage& m : report.errors) {
      if (names.count(m.file) != 0) continue;
      Case c;
      c.classname = "capguard";
      c.name = m.file.empty() ? "configuration" : m.file;
      c.error = true;
      c.failures = fmt::format("      <error message=\"{}\">{}</error>\n", xml_escape(m.message),
                               xml_escape(rendered(m)));
      cases.push_back(std::move(c));
    }
    if (!cases.empty()) emit_suite("capguard", cases);

    out_.text() += fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"capguard\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "skipped=\"{}\">\n",
        total_tests_, total_failures_, total_errors_, total_skipped_);
    out_.drain();
    spill_.copy_to(out_);
    out_.text() += "</testsuites>\n";
  }

 private:
  void emit_suite(const std::string& name, const std::vector<Case>& cases) {
    SuiteCounts counts;
    for (const Case& c : cases) counts.add(c);
    begin_suite(name, counts);
    for (const Case& c : cases) write_case(c);
    end_suite(counts);
  }

  void begin_suite(const std::string& name, const SuiteCounts& counts) {
    spill_.text() += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "skipped=\"{}\">\n",
        xml_escape(name), counts.tests, counts.failures, counts.errors, counts.skipped);
  }

  void write_case(const Case& c) {
    std::string& body = spill_.text();
    std::string inner = c.failures;
    if (!c.skipped.empty() && !c.failed) {
      inner += fmt::format("      <skipped message=\"{}\"/>\n", xml_escape(c.skipped));
    }
    if (!c.out.empty()) {
      inner += "      <system-out>" + xml_escape(c.out) + "</system-out>\n";
    }
    if (inner.empty()) {
      body += fmt::format("    <testcase classname=\"{}\" name=\"{}\"/>\n", xml_escape(c.classname),
                          xml_escape(c.name));
    } else {
      body += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n{}    </testcase>\n",
                          xml_escape(c.classname), xml_escape(c.name), inner);
    }
  }

  void end_suite(const SuiteCounts& counts) {
    spill_.text() += "  </testsuite>\n";
    total_tests_ += counts.tests;
    total_failures_ += counts.failures;
    total_errors_ += counts.errors;
    total_skipped_ += counts.skipped;
  }

  ReportOutput& out_;
  Spill spill_;
  size_t total_tests_ = 0, total_failures_ = 0, total_errors_ = 0, total_skipped_ = 0;
};

}  // namespace

std::unique_ptr<ReportWriter> make_junit_writer(ReportOutput& out) {
  return std::make_unique<JunitWriter>(out);
}

}  // namespace capguard::cli
