#include "runtime/documents/compose/project.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "runtime/documents/compose/discovery.hpp"
#include "runtime/documents/compose/extends.hpp"
#include "runtime/documents/compose/file_loader.hpp"
#include "runtime/documents/compose/key_check.hpp"
#include "runtime/documents/compose/merge.hpp"
#include "runtime/documents/compose/paths.hpp"
#include "runtime/documents/compose/service_environment.hpp"

namespace capguard {
namespace {

bool is_extension(const std::string& key) {
  return key.rfind("x-", 0) == 0;
}

// Whether a service stays with the active profiles: every service when none is active, else
// those without `profiles` and those sharing one with the active list.
bool service_enabled(const Value& service, const std::vector<std::string>& active) {
  if (active.empty()) return true;
  const Value* profiles = service.is_map() ? service.get("profiles") : nullptr;
  if (!profiles || !profiles->is_list() || profiles->as_list().empty()) return true;
  for (const Value& p : profiles->as_list()) {
    if (!p.is_string()) continue;
    if (std::find(active.begin(), active.end(), p.as_string()) != active.end()) return true;
    if (p.as_string() == "*") return true;
  }
  return std::find(active.begin(), active.end(), "*") != active.end();
}

// Drops x-* keys (top level and in services) and services outside the active profiles; a null
// service becomes an empty mapping; `~` in bind sources becomes `home`, when known.
Value finish_model(const Value& root, const std::vector<std::string>& profiles,
                   const std::optional<std::string>& home) {
  Entries top;
  for (const auto& e : root.as_map()) {
    if (is_extension(e.first)) continue;
    if (e.first != "services" || !e.second.is_map()) {
      top.push_back(e);
      continue;
    }
    Entries services;
    for (const auto& s : e.second.as_map()) {
      if (!service_enabled(s.second, profiles)) continue;
      Entries fields;
      if (s.second.is_map())
        for (const auto& f : s.second.as_map())
          if (!is_extension(f.first)) fields.push_back(f);
      Value service = Value::map_unique(std::move(fields), s.second.span());
      if (home) service = expand_home_in_volumes(service, *home);
      services.emplace_back(s.first, std::move(service));
    }
    top.emplace_back(e.first, Value::map_unique(std::move(services), e.second.span()));
  }
  if (!root.get("services")) top.emplace_back("services", Value::map({}, root.span()));
  return Value::map_unique(std::move(top), root.span());
}

// The user's home for `~` in paths: the process's HOME, as Go's os.UserHomeDir reads it; unknown
// (paths kept as written) without the process environment or when HOME is unset or empty.
std::optional<std::string> home_folder(bool use_process_env) {
  if (!use_process_env) return std::nullopt;
  // The value Environment::from_process() would hold (the last HOME= entry), read without
  // copying the whole environment.
  std::optional<std::string> home;
  for (char** e = environ; e && *e; ++e)
    if (std::strncmp(*e, "HOME=", 5) == 0) home = std::string(*e + 5);
  if (!home || home->empty()) return std::nullopt;
  return home;
}

// Merges the loaded files in order, resolves extends, filters; nullopt on any error.
std::optional<ComposeModel> assemble(const std::vector<Value>& roots,
                                     std::vector<std::string> files, const ProjectSetup& setup,
                                     ComposeFileLoader& loader) {
  Value merged = apply_reset_tags(roots[0], loader.tags());
  for (size_t i = 1; i < roots.size(); ++i) merged = merge_compose(merged, roots[i], loader.tags());
  if (!resolve_extends(merged, setup.env, loader)) return std::nullopt;
  check_compose_keys(merged, loader.diags());
  auto home = home_folder(loader.use_process_env());
  ComposeModel model;
  model.root = resolve_service_environments(finish_model(merged, setup.profiles, home), setup.env,
                                            setup.project_dir, home, loader.diags());
  model.files = std::move(files);
  model.project_dir = setup.project_dir;
  model.unread = loader.unread();
  return model;
}

}  // namespace

std::optional<ComposeModel> load_compose(const ComposeOptions& options, Diagnostics& diags) {
  ComposeFileLoader loader(diags, options.use_process_env);
  auto setup = locate_project(options, true, loader);
  if (!setup) return std::nullopt;
  std::vector<Value> roots;
  for (const std::string& f : setup->files) {
    auto root = loader.load_file(f, setup->env);
    if (root) roots.push_back(std::move(*root));
  }
  if (roots.size() != setup->files.size()) return std::nullopt;
  return assemble(roots, setup->files, *setup, loader);
}

std::optional<ComposeModel> load_compose_text(const std::string& name, std::string_view text,
                                              Diagnostics& diags) {
  ComposeFileLoader loader(diags, false);
  FileId file = add_source(name, std::string(text));
  ProjectSetup setup;
  setup.project_dir = ".";
  auto root = loader.load_source(file, ".", setup.env);
  if (!root) return std::nullopt;
  return assemble({*root}, {name}, setup, loader);
}

std::optional<ComposeModel> load_compose_text(const std::string& name, std::string_view text,
                                              const ComposeOptions& options, Diagnostics& diags) {
  ComposeFileLoader loader(diags, options.use_process_env);
  auto setup = locate_project(options, false, loader);
  if (!setup) return std::nullopt;
  FileId file = add_source(name, std::string(text));
  auto root = loader.load_source(file, setup->project_dir, setup->env);
  if (!root) return std::nullopt;
  return assemble({*root}, {name}, *setup, loader);
}

}  // namespace capguard
