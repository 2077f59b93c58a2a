#include "cli/reporters/reporters.hpp"

namespace capguard::cli {

std::string render_report(Format format, const Report& report, const RenderOptions& options) {
  switch (format) {
    case Format::Text:
      return render_text(report, options);
    case Format::Json:
      return render_json(report);
    case Format::Sarif:
      return render_sarif(report);
    case Format::Junit:
      return render_junit(report);
    case Format::Github:
      return render_github(report);
  }
  return render_text(report, options);
}

}  // namespace capguard::cli
