#include "runtime/compose/project.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "runtime/compose/extends.hpp"
#include "runtime/compose/file_loader.hpp"
#include "runtime/compose/key_check.hpp"
#include "runtime/compose/merge.hpp"
#include "runtime/compose/service_env_files.hpp"

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
// service becomes an empty mapping.
Value finish_model(const Value& root, const std::vector<std::string>& profiles) {
  Entries top;
  for (const Entry& e : root.as_map()) {
    if (is_extension(e.first)) continue;
    if (e.first != "services" || !e.second.is_map()) {
      top.push_back(e);
      continue;
    }
    Entries services;
    for (const Entry& s : e.second.as_map()) {
      if (!service_enabled(s.second, profiles)) continue;
      Entries fields;
      if (s.second.is_map())
        for (const Entry& f : s.second.as_map())
          if (!is_extension(f.first)) fields.push_back(f);
      services.emplace_back(s.first, Value::map_unique(std::move(fields), s.second.span()));
    }
    top.emplace_back(e.first, Value::map_unique(std::move(services), e.second.span()));
  }
  if (!root.get("services")) top.emplace_back("services", Value::map({}, root.span()));
  return Value::map_unique(std::move(top), root.span());
}

// Merges the loaded files in order, resolves extends, filters; nullopt on any error.
std::optional<ComposeModel> assemble(const std::vector<Value>& roots,
                                     std::vector<std::string> files, const Environment& env,
                                     ComposeFileLoader& loader, const ComposeOptions& options,
                                     const std::string& project_dir) {
  Value merged = apply_reset_tags(roots[0], loader.tags());
  for (size_t i = 1; i < roots.size(); ++i) merged = merge_compose(merged, roots[i], loader.tags());
  if (!resolve_extends(merged, env, loader)) return std::nullopt;
  check_compose_keys(merged, loader.diags());
  ComposeModel model;
  model.root = apply_service_env_files(finish_model(merged, options.profiles), env, project_dir,
                                       loader.diags());
  model.files = std::move(files);
  return model;
}

// docker compose reads only the first of compose.yaml, compose.yml, docker-compose.yml and
// docker-compose.yaml and warns about the others: a service written only in an ignored file is
// neither run nor checked, which the user should know.
void warn_other_compose_files(const std::string& project_dir, const std::vector<std::string>& files,
                              Diagnostics& diags) {
  if (files.empty()) return;
  std::string dir = project_dir.empty() ? "." : project_dir;
  std::vector<std::string> found;
  for (const char* name :
       {"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::path(dir) / name, ec))
      found.push_back(name);
  }
  if (found.size() < 2) return;
  Diagnostic d;
  d.level = DiagLevel::Warning;
  d.file_name = files[0];
  std::string list;
  for (const std::string& f : found) list += (list.empty() ? "" : ", ") + f;
  d.message = fmt::format(
      "found multiple config files with supported names: {}; using {} (as "
      "docker compose does), the others are not checked",
      list, found[0]);
  diags.add(std::move(d));
}

}  // namespace

std::optional<ComposeModel> load_compose(const ComposeOptions& options, Diagnostics& diags) {
  std::vector<std::string> files = options.files;
  if (files.empty()) {
    files = default_compose_files(options.project_dir);
    warn_other_compose_files(options.project_dir, files, diags);
    if (files.empty()) {
      diags.file_error(options.project_dir.empty() ? "." : options.project_dir,
                       "no compose file found (compose.yaml, compose.yml, docker-compose.yml or "
                       "docker-compose.yaml)");
      return std::nullopt;
    }
  }
  std::string project_dir = options.project_dir.empty() ? folder_of(files[0]) : options.project_dir;
  size_t errors_before = diags.error_count();
  ComposeFileLoader loader(diags, options.use_process_env);
  Environment env;
  if (!loader.project_environment(project_dir, options.env_files, env)) return std::nullopt;
  std::vector<Value> roots;
  for (const std::string& f : files) {
    auto root = loader.load_file(f, env);
    if (root) roots.push_back(std::move(*root));
  }
  if (roots.size() != files.size() || diags.error_count() > errors_before) return std::nullopt;
  auto model = assemble(roots, files, env, loader, options, project_dir);
  if (diags.error_count() > errors_before) return std::nullopt;
  return model;
}

std::optional<ComposeModel> load_compose_text(const std::string& name, const std::string& text,
                                              Diagnostics& diags) {
  ComposeOptions options;
  options.use_process_env = false;
  ComposeFileLoader loader(diags, false);
  size_t errors_before = diags.error_count();
  FileId file = add_source(name, text);
  Environment env;
  auto root = loader.load_source(file, ".", env);
  if (!root) return std::nullopt;
  auto model = assemble({*root}, {name}, env, loader, options, ".");
  if (diags.error_count() > errors_before) return std::nullopt;
  return model;
}

std::optional<ComposeModel> load_compose_text(const std::string& name, const std::string& text,
                                              const ComposeOptions& options, Diagnostics& diags) {
  std::string project_dir = options.project_dir.empty() ? "." : options.project_dir;
  ComposeFileLoader loader(diags, options.use_process_env);
  size_t errors_before = diags.error_count();
  Environment env;
  if (!loader.project_environment(project_dir, options.env_files, env)) return std::nullopt;
  FileId file = add_source(name, text);
  auto root = loader.load_source(file, project_dir, env);
  if (!root) return std::nullopt;
  auto model = assemble({*root}, {name}, env, loader, options, project_dir);
  if (diags.error_count() > errors_before) return std::nullopt;
  return model;
}

}  // namespace capguard
