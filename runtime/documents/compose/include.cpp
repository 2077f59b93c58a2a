#include "runtime/documents/compose/include.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "runtime/documents/compose/merge.hpp"
#include "runtime/documents/compose/paths.hpp"

namespace capguard {
namespace {

const char* const kSections[] = {"services", "networks", "volumes", "configs", "secrets"};

// A string or a list of strings, as values (with their spans); nullopt for anything else.
std::optional<List> strings_of(const Value& v) {
  if (v.is_string()) return List{v};
  if (!v.is_list()) return std::nullopt;
  for (const Value& item : v.as_list())
    if (!item.is_string()) return std::nullopt;
  return v.as_list().to_vector();
}

struct IncludeEntry {
  List paths;
  List env_files;
  std::string project_dir;  // "" = the first path's folder
  Span span;
};

std::optional<IncludeEntry> read_entry(const Value& item, const std::string& dir,
                                       Diagnostics& diags) {
  IncludeEntry e;
  e.span = item.span();
  if (item.is_string()) {
    e.paths = {item};
    return e;
  }
  const Value* path = item.is_map() ? item.get("path") : nullptr;
  auto paths = path ? strings_of(*path) : std::nullopt;
  if (!paths || paths->empty()) {
    diags.error(item.span(), "an include entry is a path or a mapping with `path`");
    return std::nullopt;
  }
  e.paths = *paths;
  if (const Value* env = item.get("env_file")) {
    auto files = strings_of(*env);
    if (!files) {
      diags.error(env->span(), "`env_file` of an include is a path or a list of paths");
      return std::nullopt;
    }
    e.env_files = *files;
  }
  if (const Value* pd = item.get("project_directory")) {
    if (!pd->is_string()) {
      diags.error(pd->span(), "`project_directory` of an include is a path");
      return std::nullopt;
    }
    e.project_dir = join_path(dir, pd->as_string());
  }
  return e;
}

// The included project: its files merged in order, relative paths made absolute against its
// project folder.
std::optional<Value> load_included(const IncludeEntry& e, const std::string& dir,
                                   const Environment& parent_env, ComposeFileLoader& loader) {
  std::string first = join_path(dir, e.paths[0].as_string());
  std::string project_dir = e.project_dir.empty() ? folder_of(first) : e.project_dir;
  std::vector<std::string> env_files;
  for (const Value& f : e.env_files) env_files.push_back(join_path(dir, f.as_string()));
  // As compose-go does: the including project's variables win; the included project's .env (or
  // env_file) only adds those not defined there.
  Environment env;
  if (!loader.project_environment(project_dir, env_files, env)) return std::nullopt;
  env.overlay(parent_env);
  std::optional<Value> merged;
  for (const Value& p : e.paths) {
    auto root = loader.load_file(join_path(dir, p.as_string()), env, p.span());
    if (!root) return std::nullopt;
    merged = merged ? merge_compose(*merged, *root, loader.tags())
                    : apply_reset_tags(*root, loader.tags());
  }
  Entries top;
  for (const auto& t : merged->as_map()) {
    if (t.first == "services" && t.second.is_map()) {
      Entries services;
      for (const auto& s : t.second.as_map())
        services.emplace_back(s.first, absolutize_service_paths(s.second, project_dir));
      top.emplace_back(t.first, Value::map_unique(std::move(services), t.second.span()));
    } else if (t.first == "secrets" || t.first == "configs") {
      top.emplace_back(t.first, absolutize_resource_files(t.second, project_dir));
    } else {
      top.push_back(t);
    }
  }
  return Value::map_unique(std::move(top), merged->span());
}

}  // namespace

bool apply_includes(Value& root, const std::string& dir, const Environment& env,
                    ComposeFileLoader& loader) {
  Diagnostics& diags = loader.diags();
  const Value* include = root.get("include");
  Entries top;
  for (const auto& e : root.as_map())
    if (e.first != "include") top.push_back(e);
  if (!include || include->is_null()) {
    root = Value::map_unique(std::move(top), root.span());
    return true;
  }
  if (!include->is_list()) {
    diags.error(include->span(), "`include` is a list of paths or include mappings");
    return false;
  }
  bool ok = true;
  for (const Value& item : include->as_list()) {
    auto entry = read_entry(item, dir, diags);
    if (!entry) {
      ok = false;
      continue;
    }
    auto included = load_included(*entry, dir, env, loader);
    if (!included) {
      ok = false;
      continue;
    }
    for (const char* section : kSections) {
      const Value* add = included->get(section);
      if (!add || !add->is_map()) continue;
      auto it =
          std::find_if(top.begin(), top.end(), [&](const Entry& t) { return t.first == section; });
      if (it == top.end() || it->second.is_null()) {
        if (it == top.end()) {
          top.emplace_back(section, *add);
        } else {
          it->second = *add;
        }
        continue;
      }
      Entries merged = it->second.as_map().to_vector();
      for (const auto& res : add->as_map()) {
        const Value* mine = it->second.get(res.first);
        if (!mine) {
          merged.push_back(res);
        } else if (*mine != res.second) {  // the same definition twice (diamond) is fine
          diags.error(mine->span(),
                      fmt::format("{} \"{}\" conflicts with the one imported by include at {}",
                                  section, res.first, location(entry->span)));
          ok = false;
        }
      }
      it->second = Value::map_unique(std::move(merged), it->second.span());
    }
  }
  root = Value::map_unique(std::move(top), root.span());
  return ok;
}

}  // namespace capguard
