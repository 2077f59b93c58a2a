#pragma once
// The ReportWriter of each format (for make_report_writer; not part of the folder's interface).
#include <memory>

#include "cli/reporters/reporters.hpp"

namespace capguard::cli {

std::unique_ptr<ReportWriter> make_text_writer(const RenderOptions& options, ReportOutput& out);
std::unique_ptr<ReportWriter> make_json_writer(ReportOutput& out);
std::unique_ptr<ReportWriter> make_sarif_writer(ReportOutput& out);
std::unique_ptr<ReportWriter> make_junit_writer(ReportOutput& out);
std::unique_ptr<ReportWriter> make_github_writer(ReportOutput& out);

}  // namespace capguard::cli
