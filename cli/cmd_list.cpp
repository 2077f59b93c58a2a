// `capguard list`: the policies in force (the standard library and --policy paths, after preset,
// --only and --skip, and .capguard.yaml): id, severity, title, tags. --format json prints an array
// of {"id", "severity", "title", "tags"}.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/config.hpp"
#include "cli/options.hpp"
#include "cli/policy_loading.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard list [--policy PATH]... [--format text|json]";

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
    std::cout << "usage: " << kUsage << "\n\noptions:\n" << parser.help();
    return kExitOk;
  }
  if (!extra.empty()) diags.file_error("capguard list", "unexpected argument `" + extra[0] + "`");
  Format format = text_or_json_format(flags, "capguard list", diags);
  if (diags.has_errors()) return usage_error(diags, kUsage);
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
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  size_t id_width = 2, sev_width = 8, title_width = 5;
  for (const PolicyMetadata& p : policies.in_force) {
    id_width = std::max(id_width, p.id.size());
    title_width = std::max(title_width, p.title.size());
  }
  std::cout << fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", "ID", id_width, "SEVERITY", sev_width,
                           "TITLE", title_width, "TAGS");
  for (const PolicyMetadata& p : policies.in_force) {
    std::cout << fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", p.id, id_width,
                             severity_name(p.severity), sev_width, p.title, title_width,
                             join(p.tags, ", "));
  }
  return kExitOk;
}

const Command kList("list", kUsage, "list the policies in force", run_list);

}  // namespace

}  // namespace capguard::cli
