// `capguard caps PATH...`: the effective capabilities of each service or container, by Docker's
// rules (lang/core/caps.hpp): the effective set, what it holds beyond Docker's default set, and
// which of those are dangerous (caps::dangerous()). Text: one table per input; --format json:
// {"services": [{"name", "file", "effective", "beyond_default", "dangerous"}]}.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common/command.hpp"
#include "cli/common/docker_source.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/reporters/reporters.hpp"
#include "lang/core/caps.hpp"
#include "runtime/documents/inputs.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard caps [OPTIONS] [PATH...]";

struct ServiceCaps {
  std::string name;
  std::string file;
  caps::Mask effective = 0;
};

std::string join_names(caps::Mask mask, const char* prefix = "", const char* sep = ", ") {
  std::string out;
  for (const std::string& n : caps::names(mask)) out += (out.empty() ? "" : sep) + (prefix + n);
  return out;
}

// A set of capabilities for the table: "-" when empty; "all N" when it is every capability of
// `universe` (and more than a few); otherwise the names.
std::string mask_text(caps::Mask mask, caps::Mask universe) {
  if (mask == 0) return "-";
  int n = __builtin_popcountll(mask);
  if (mask == universe && n > 3) return fmt::format("all {}", n);
  return join_names(mask);
}

// The effective set, compactly: "ALL", "default", "default +X -Y" when that is shorter than the
// list of names, else the names.
std::string effective_text(caps::Mask mask) {
  caps::Mask defaults = caps::docker_defaults();
  if (mask == caps::kAll) return "ALL";
  if (mask == 0) return "none";
  caps::Mask extra = mask & ~defaults;
  caps::Mask missing = defaults & ~mask;
  if (__builtin_popcountll(extra | missing) < __builtin_popcountll(mask)) {
    std::string out = "default";
    if (extra != 0) out += " " + join_names(extra, "+", " ");
    if (missing != 0) out += " " + join_names(missing, "-", " ");
    return out;
  }
  return join_names(mask);
}

nlohmann::json mask_json(caps::Mask mask) {
  return caps::names(mask);
}

int run_caps(const std::vector<std::string>& args) {
  CheckOptions flags;
  ArgParser parser("capguard caps");
  parser.argument("PATH", "compose file, folder, docker inspect JSON, or - (stdin); default: .");
  parser.argument("CONTAINER", "with --docker: container ids or names (default: docker ps)");
  DockerFlags docker;
  add_docker_flags(parser, docker, kDockerSwitch | kDockerSelection);
  add_check_flags(parser, flags, kInputFlags | kFormatFlag);
  Diagnostics diags;
  std::vector<std::string> paths = parser.parse(args, diags);
  check_docker_flags(docker, false, "capguard caps", diags);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  Format format = text_or_json_format(flags, "capguard caps", diags);
  if (diags.has_errors()) return usage_error(diags, parser);
  InputOptions options;
  options.format = *parse_input_format(flags.input_format);
  options.env_files = flags.env_files;
  options.profiles = flags.profiles;
  std::vector<LoadedInput> inputs;
  if (docker.docker) {  // each container an input, named with its engine
    for (engine::HostScan& scan : read_containers(docker, paths, ComposeLink::None, diags)) {
      for (engine::ContainerInput& c : scan.containers) {
        diags.append(c.diags);
        inputs.push_back(std::move(c.input));
      }
    }
  } else {
    inputs = load_inputs(flags.compose_files, paths, options, diags);
  }

  std::vector<std::pair<std::string, std::vector<ServiceCaps>>> tables;
  for (const LoadedInput& in : inputs) {
    std::vector<ServiceCaps> rows;
    const Value* services = in.document.get("services");
    if (services != nullptr && services->is_sequence()) {
      for (const Value& s : services->as_list()) {
        const Value* name = s.get("name");
        const Value* c = s.get("caps");
        const Value* effective = c != nullptr ? c->get("effective") : nullptr;
        if (name == nullptr || !name->is_string() || effective == nullptr ||
            effective->kind() != Kind::Caps) {
          continue;
        }
        std::string file = s.span().file != 0 ? source_name(s.span().file) : in.name;
        rows.push_back(ServiceCaps{name->as_string(), file, effective->as_caps()});
      }
    }
    tables.emplace_back(in.name, std::move(rows));
  }
  std::cerr << render(diags);

  caps::Mask defaults = caps::docker_defaults();
  caps::Mask dangerous = caps::dangerous();
  if (format == Format::Json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [input, rows] : tables) {
      for (const ServiceCaps& r : rows) {
        list.push_back({{"name", r.name},
                        {"file", r.file},
                        {"effective", mask_json(r.effective)},
                        {"beyond_default", mask_json(r.effective & ~defaults)},
                        {"dangerous", mask_json(r.effective & dangerous)}});
      }
    }
    nlohmann::ordered_json out;
    out["services"] = list;
    std::cout << dump_json(out);
  } else {
    bool first = true;
    for (const auto& [input, rows] : tables) {
      if (!first) std::cout << "\n";
      first = false;
      std::cout << printable_text(input, false) << "\n";
      std::vector<std::vector<std::string>> table = {
          {"SERVICE", "EFFECTIVE", "BEYOND DEFAULT", "DANGEROUS"}};
      for (const ServiceCaps& r : rows) {
        table.push_back({printable_text(r.name, false), effective_text(r.effective),
                         mask_text(r.effective & ~defaults, ~defaults & caps::kAll),
                         mask_text(r.effective & dangerous, dangerous)});
      }
      std::cout << text_table(table, "  ");
    }
  }
  return diags.has_errors() ? kExitError : kExitOk;
}

const Command kCaps("caps", kUsage, "show each service's effective capabilities", run_caps);

}  // namespace

}  // namespace capguard::cli
