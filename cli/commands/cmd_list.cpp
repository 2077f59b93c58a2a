// `capguard list`: the policies in force (the standard library and --policy paths, after preset,
// --only and --skip, and .capguard.yaml): id, severity, title, tags. --format json prints an array
// of {"id", "severity", "title", "tags"}.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common/command.hpp"
#include "cli/common/config.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/common/policy_loading.hpp"
#include "cli/reporters/reporters.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard list [OPTIONS]";

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

int run_list(const std::vector<std::string>& args) {
  CheckOptions flags;
  ArgParser parser("capguard list");
  add_check_flags(parser, flags, kPolicyFlags | kFormatFlag);
  Diagnostics diags;
  std::vector<std::string> extra = parser.parse(args, diags);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  if (!extra.empty()) diags.file_error("capguard list", "unexpected argument `" + extra[0] + "`");
  Format format = text_or_json_format(flags, "capguard list", diags);
  if (diags.has_errors()) return usage_error(diags, parser);
  Settings settings = load_settings(flags, diags);
  LoadedPolicies policies;
  if (!diags.has_errors()) policies = load_policies(settings, diags);
  std::cerr << render(diags);
  if (diags.has_errors()) return kExitError;

  if (format == Format::Json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const PolicyMetadata& p : policies.in_force) {
      out.push_back({{"id", p.id},
                     {"severity", std::string(severity_name(p.severity))},
                     {"title", p.title},
                     {"tags", p.tags}});
    }
    std::cout << dump_json(out);
    return kExitOk;
  }
  // Columns are padded by display width: titles come from policy files, in any script.
  std::vector<std::vector<std::string>> rows = {{"ID", "SEVERITY", "TITLE", "TAGS"}};
  for (const PolicyMetadata& p : policies.in_force) {
    rows.push_back({printable_text(p.id, false), std::string(severity_name(p.severity)),
                    printable_text(p.title, false), printable_text(join(p.tags, ", "), false)});
  }
  std::cout << text_table(rows, "");
  return kExitOk;
}

const Command kList("list", kUsage, "list the policies in force", run_list);

}  // namespace

}  // namespace capguard::cli
