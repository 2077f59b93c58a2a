// The whole-report entry points, ReportOutput and Spill: what every writer shares.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "cli/reporters/reporters.hpp"
#include "cli/reporters/writers.hpp"

namespace capguard::cli {

bool ReportOutput::drain() {
  if (!sink_ || text_.empty()) return !failed();
  if (!failed()) {
    std::string error;
    if (!sink_(text_, error)) fail(error.empty() ? "cannot write the report" : error);
  }
  text_.clear();
  return !failed();
}

void ReportOutput::fail(std::string error) {
  if (error_.empty()) error_ = std::move(error);
}

namespace {
constexpr size_t kSpillInMemory = size_t{1} << 20;
constexpr size_t kCopyChunk = size_t{1} << 16;
}  // namespace

Spill::~Spill() {
  if (file_ != nullptr) std::fclose(file_);
}

void Spill::maybe_flush() {
  if (text_.size() < kSpillInMemory || error_ != 0) return;
  errno = 0;
  if (file_ == nullptr) file_ = std::tmpfile();
  if (file_ == nullptr || std::fwrite(text_.data(), 1, text_.size(), file_) != text_.size()) {
    error_ = errno != 0 ? errno : EIO;
    return;
  }
  text_.clear();
}

void Spill::copy_to(ReportOutput& out) {
  if (file_ != nullptr && error_ == 0) {
    errno = 0;
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
      error_ = errno != 0 ? errno : EIO;
    }
    std::vector<char> buffer(kCopyChunk);
    while (error_ == 0) {
      size_t n = std::fread(buffer.data(), 1, buffer.size(), file_);
      out.text().append(buffer.data(), n);
      out.drain();
      if (n < buffer.size()) {
        if (std::ferror(file_) != 0) error_ = errno != 0 ? errno : EIO;
        break;
      }
    }
  }
  if (error_ != 0) {
    out.fail(
        fmt::format("cannot write the report: a temporary file failed: {}", std::strerror(error_)));
  }
  out.text() += text_;
  text_.clear();
}

std::string rendered(const ReportMessage& m) {
  return m.rendered.empty() ? render(m.diagnostic, false) : m.rendered;
}

std::string render_report(Format format, const Report& report, const RenderOptions& options) {
  ReportOutput out;
  std::unique_ptr<ReportWriter> writer = make_report_writer(format, options, out);
  writer->begin(report);
  std::vector<bool> written(report.findings.size(), false);
  std::set<std::string, std::less<>> named;
  auto write_input = [&](const InputSummary& input, bool first_of_name) {
    std::vector<Finding> findings;
    std::vector<NotChecked> not_checked;
    std::vector<ReportMessage> errors;
    if (first_of_name) {
      for (size_t i = 0; i < report.findings.size(); ++i) {
        if (!written[i] && report.findings[i].input == input.name) {
          findings.push_back(report.findings[i]);
          written[i] = true;
        }
      }
      for (const NotChecked& n : report.not_checked) {
        if (n.input == input.name) not_checked.push_back(n);
      }
    }
    for (const ReportMessage& m : report.errors) {
      if (m.file == input.name) errors.push_back(m);
    }
    writer->input(report, input, findings, not_checked, errors);
  };
  for (const InputSummary& input : report.inputs) {
    write_input(input, named.insert(input.name).second);
  }
  // Findings naming no input (a Report made by hand): never dropped.
  for (size_t i = 0; i < report.findings.size(); ++i) {
    if (!written[i])
      write_input(InputSummary{std::string(report.findings[i].input), {}, true}, true);
  }
  writer->end(report, summarize(report));
  return std::move(out.text());
}

std::unique_ptr<ReportWriter> make_report_writer(Format format, const RenderOptions& options,
                                                 ReportOutput& out) {
  switch (format) {
    case Format::Text:
      break;
    case Format::Json:
      return make_json_writer(out);
    case Format::Sarif:
      return make_sarif_writer(out);
    case Format::Junit:
      return make_junit_writer(out);
    case Format::Github:
      return make_github_writer(out);
  }
  return make_text_writer(options, out);
}

std::string render_text(const Report& report, const RenderOptions& options) {
  return render_report(Format::Text, report, options);
}
std::string render_json(const Report& report) {
  return render_report(Format::Json, report, {});
}
std::string render_sarif(const Report& report) {
  return render_report(Format::Sarif, report, {});
}
std::string render_junit(const Report& report) {
  return render_report(Format::Junit, report, {});
}
std::string render_github(const Report& report) {
  return render_report(Format::Github, report, {});
}

}  // namespace capguard::cli
