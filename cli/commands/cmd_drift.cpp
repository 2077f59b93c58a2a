// `capguard drift [CONTAINER...]` (also `capguard check --docker --drift`): for each container
// created by docker compose, its normalized model against the one its compose file gives now,
// field by field (runtime/engine/containers.hpp drift()). A difference is a container started
// before the file changed, or changed by hand (docker update, another -f). Text: one block per
// container, a line per difference with the file's location; --format json: spec/engine.md.
// Exit status: 0 no difference, 1 a difference, 2 an error (an engine or a compose file that
// could not be read; every other container is still compared).
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common/command.hpp"
#include "cli/common/docker_source.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/reporters/reporters.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard drift [OPTIONS] [CONTAINER...]";

struct ContainerDrift {
  const engine::ContainerInput* container;
  std::vector<engine::DriftItem> items;
};

const Value* the_service(const Value& document) {
  const Value* services = document.get("services");
  if (services == nullptr || !services->is_sequence() || services->as_list().empty()) {
    return nullptr;
  }
  return &services->as_list().front();
}

// Where the file says it: FILE:LINE:COL, or the file alone.
std::string file_location(const engine::DriftItem& d, const engine::ContainerInput& c) {
  std::string loc = location(d.declared.span());
  if (!loc.empty()) return loc;
  return c.compose && !c.compose->config_files.empty() ? c.compose->config_files.front() : "";
}

// A value for people: "(none)" for an empty list or set, quotes around an empty string.
std::string display(const Value& v) {
  if (v.is_sequence() && v.as_list().empty()) return "(none)";
  if (v.is_string() && v.as_string().empty()) return "\"\"";
  return printable_text(to_display(v), false);
}

nlohmann::ordered_json value_json(const Value& v) {
  return nlohmann::ordered_json::parse(to_json_text(v), nullptr, false);
}

std::string text_report(const std::vector<ContainerDrift>& drifts, size_t not_compose) {
  std::string out;
  size_t differences = 0, drifted = 0;
  for (const ContainerDrift& d : drifts) {
    out += printable_text(d.container->input.name, false) + "\n";
    if (d.items.empty()) out += "  no drift\n";
    if (!d.items.empty()) ++drifted;
    for (const engine::DriftItem& item : d.items) {
      ++differences;
      out += fmt::format("  {}: {}\n    container: {}\n    file:      {}\n",
                         printable_text(file_location(item, *d.container), false), item.field,
                         display(item.live), display(item.declared));
    }
  }
  out += fmt::format("summary: {} difference{} in {} of {} compose container{}", differences,
                     differences == 1 ? "" : "s", drifted, drifts.size(),
                     drifts.size() == 1 ? "" : "s");
  if (not_compose > 0) {
    out += fmt::format("; {} container{} not created by compose", not_compose,
                       not_compose == 1 ? "" : "s");
  }
  return out + "\n";
}

std::string json_report(const std::vector<ContainerDrift>& drifts, const Diagnostics& diags) {
  nlohmann::ordered_json containers = nlohmann::ordered_json::array();
  for (const ContainerDrift& d : drifts) {
    const engine::ContainerInput& c = *d.container;
    nlohmann::ordered_json differences = nlohmann::ordered_json::array();
    for (const engine::DriftItem& item : d.items) {
      Span s = item.declared.span();
      differences.push_back({{"field", item.field},
                             {"container", value_json(item.live)},
                             {"file", value_json(item.declared)},
                             {"location",
                              {{"file", s.file != 0 ? source_name(s.file) : file_location(item, c)},
                               {"line", s.line},
                               {"column", s.column}}}});
    }
    containers.push_back({{"host", c.host},
                          {"name", c.name},
                          {"id", c.id},
                          {"image", c.image},
                          {"project", c.compose->project},
                          {"service", c.compose->service},
                          {"files", c.compose->config_files},
                          {"differences", differences}});
  }
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const Diagnostic& d : diags.all()) {
    if (d.level == DiagLevel::Error) errors.push_back(to_report_message(d).message);
  }
  nlohmann::ordered_json out;
  out["containers"] = containers;
  out["errors"] = errors;
  return dump_json(out);
}

int run_drift(const std::vector<std::string>& args) {
  CheckOptions flags;
  DockerFlags docker;
  docker.docker = true;
  ArgParser parser("capguard drift");
  parser.argument("CONTAINER", "container ids or names (default: as docker ps selects)");
  add_docker_flags(parser, docker, kDockerSelection);
  add_check_flags(parser, flags, kFormatFlag);
  Diagnostics diags;
  std::vector<std::string> names = parser.parse(args, diags);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  check_docker_flags(docker, true, "capguard drift", diags);
  Format format = text_or_json_format(flags, "capguard drift", diags);
  if (diags.has_errors()) return usage_error(diags, parser);

  std::vector<engine::HostScan> scans =
      read_containers(docker, names, ComposeLink::Required, diags);
  std::vector<ContainerDrift> drifts;
  size_t not_compose = 0;
  bool any = false;
  for (const engine::HostScan& scan : scans) {
    for (const engine::ContainerInput& c : scan.containers) {
      diags.append(c.diags);
      if (!c.compose) {
        ++not_compose;
        continue;
      }
      const Value* live = the_service(c.input.document);
      if (!c.linked || live == nullptr) continue;  // why is in diags already
      ContainerDrift d{&c, engine::drift(*live, c.declared, c.compose->project)};
      any = any || !d.items.empty();
      drifts.push_back(std::move(d));
    }
  }
  std::cerr << render(diags);
  std::cout << (format == Format::Json ? json_report(drifts, diags)
                                       : text_report(drifts, not_compose))
            << std::flush;
  if (diags.has_errors()) return kExitError;
  return any ? kExitFindings : kExitOk;
}

const Command kDrift("drift", kUsage, "compare running compose containers with their compose files",
                     run_drift);

}  // namespace

}  // namespace capguard::cli
