#include "cli/reporters/report.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <numeric>

namespace capguard::cli {

namespace {
constexpr std::array<std::string_view, 5> kFormatNames = {"text", "json", "sarif", "junit",
                                                          "github"};
}

std::optional<Format> parse_format(std::string_view text) {
  for (size_t i = 0; i < kFormatNames.size(); ++i) {
    if (kFormatNames[i] == text) return static_cast<Format>(i);
  }
  return std::nullopt;
}

std::string_view format_name(Format f) {
  return kFormatNames[static_cast<size_t>(f)];
}

std::vector<std::string> format_names() {
  return std::vector<std::string>(kFormatNames.begin(), kFormatNames.end());
}

bool report_before(const Finding& a, const Finding& b) {
  if (a.span.file != b.span.file) {
    const std::string& fa = source_name(a.span.file);
    const std::string& fb = source_name(b.span.file);
    if (fa != fb) return fa < fb;
  }
  return finding_before(a, b);
}

void sort_findings(std::vector<Finding>& findings) {
  constexpr size_t kDirect = 4096;
  if (findings.size() <= kDirect || findings.size() > std::numeric_limits<uint32_t>::max()) {
    std::stable_sort(findings.begin(), findings.end(), report_before);
    return;
  }
  std::vector<uint32_t> order(findings.size());
  std::iota(order.begin(), order.end(), uint32_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return report_before(findings[a], findings[b]); });
  // Position i takes the finding at order[i]: each cycle of the permutation moved once.
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    Finding held = std::move(findings[i]);
    size_t j = i;
    for (;;) {
      size_t k = order[j];
      order[j] = static_cast<uint32_t>(j);
      if (k == i) {
        findings[j] = std::move(held);
        break;
      }
      findings[j] = std::move(findings[k]);
      j = k;
    }
  }
}

std::string finding_file(const Finding& f) {
  return f.span.file != 0 ? source_name(f.span.file) : std::string(f.input);
}

std::string not_checked_file(const NotChecked& n) {
  return n.span.file != 0 ? source_name(n.span.file) : n.input;
}

std::string not_checked_reason(const NotChecked& n) {
  if (!n.reason.empty()) return n.reason;
  std::string out;
  for (const std::string& f : n.fields) out += (out.empty() ? "" : ", ") + f;
  return out + " unknown";
}

std::string not_checked_text(const NotChecked& n) {
  std::string on = n.service.empty() ? "every service of " + n.input : "service " + n.service;
  return n.policy + " could not check " + on + ": " + not_checked_reason(n);
}

void count_findings(const std::vector<Finding>& findings, Severity fail_on, Summary& s) {
  for (const Finding& f : findings) {
    if (f.waived()) {
      ++s.waived;
      continue;
    }
    ++s.total;
    ++s.by_severity[static_cast<size_t>(f.severity)];
    if (f.severity >= fail_on) ++s.failing;
  }
}

Summary summarize(const Report& report) {
  Summary s;
  count_findings(report.findings, report.fail_on, s);
  s.errors = report.errors.size();
  s.warnings = report.warnings.size();
  s.not_checked = report.not_checked.size();
  return s;
}

int exit_status(const Summary& s) {
  if (s.errors > 0) return 2;
  return s.failing > 0 ? 1 : 0;
}

int exit_status(const Report& report) {
  return exit_status(summarize(report));
}

uint32_t utf16_column(const Span& span) {
  if (!span.known() || span.column == 0) return span.column;
  std::string_view text = source(span.file).line_text(span.line);
  size_t target = std::min<size_t>(span.column - 1, text.size());
  // Reports ask for the columns of a line in order (findings are sorted by line and column), and
  // one line may be a whole minified JSON document of 45,000 containers: counting from where the
  // last count on the same line stopped keeps a report linear in its findings. File ids are
  // never reused, so (file, line) names one text.
  struct Last {
    FileId file = 0;
    uint32_t line = 0;
    const char* text = nullptr;
    size_t byte = 0;
    uint32_t units = 1;
  };
  thread_local Last last;
  size_t i = 0;
  uint32_t units = 1;
  if (last.file == span.file && last.line == span.line && last.text == text.data() &&
      last.byte <= target) {
    i = last.byte;
    units = last.units;
  }
  while (i < target) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++units;
      ++i;
      continue;
    }
    char32_t cp = 0;
    size_t length = utf8_sequence_length(text, i, &cp);
    units += length != 0 && cp >= 0x10000 ? 2 : 1;  // above the BMP: a surrogate pair
    i += length != 0 ? length : 1;
  }
  last = Last{span.file, span.line, text.data(), i, units};
  return units;
}

const PolicyMetadata* find_policy(const Report& report, std::string_view id) {
  for (const PolicyMetadata& p : report.policies) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

ReportMessage to_report_message(const Diagnostic& d, std::string policy) {
  ReportMessage m;
  if (d.span.file != 0) {
    m.file = source_name(d.span.file);
    m.line = d.span.line;
    m.column = d.span.column;
  } else {
    m.file = d.file_name;
  }
  m.message = d.message;
  m.policy = std::move(policy);
  m.diagnostic = d;
  m.rendered = render(d, false);
  m.column16 = d.span.known() ? utf16_column(d.span) : m.column;
  return m;
}

bool is_container_input(std::string_view input) {
  return input.substr(0, 10) == "container " && input.find(" on ") != std::string_view::npos;
}

}  // namespace capguard::cli
